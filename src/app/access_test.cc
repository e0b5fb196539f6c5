// The parts of the access policy that need no store: account creation and the
// four-eyes rule (the case decisions are tested over HTTP, tests/api).

#include "app/access.h"

#include <gtest/gtest.h>

#include "app/app.h"

namespace haven::app {
namespace {

using domain::Role;

Actor As(Role role, domain::Id id = 1) {
  Actor a;
  a.user_id = id;
  a.role = role;
  a.organization_id = 1;
  return a;
}

domain::User User(domain::Id id, std::optional<domain::Id> created_by = {}) {
  domain::User u;
  u.id = id;
  u.created_by = created_by;
  return u;
}

TEST(AccessPolicy, OnlyAdminsCreateAccountsThatOpenIdentities) {
  EXPECT_TRUE(AccessPolicy::MayCreateAccount(As(Role::kAdmin), Role::kCaseworker));
  EXPECT_TRUE(AccessPolicy::MayCreateAccount(As(Role::kAdmin), Role::kAdmin));
  EXPECT_TRUE(AccessPolicy::MayCreateAccount(As(Role::kCoordinator), Role::kAnalyst));
  EXPECT_TRUE(AccessPolicy::MayCreateAccount(As(Role::kCoordinator), Role::kAuditor));
  for (Role r : {Role::kCaseworker, Role::kShelterManager, Role::kAdmin}) {
    auto refused = AccessPolicy::MayCreateAccount(As(Role::kCoordinator), r);
    ASSERT_FALSE(refused) << domain::Name(r);
    EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
    EXPECT_EQ(refused.error().field, "role");
  }
  EXPECT_FALSE(AccessPolicy::MayCreateAccount(As(Role::kCaseworker), Role::kAnalyst));
}

TEST(AccessPolicy, FourEyesLookThroughAccountsOneMadeForTheOther) {
  EXPECT_TRUE(AccessPolicy::MayApprove(User(2), User(3)));
  EXPECT_FALSE(AccessPolicy::MayApprove(User(2), User(2))) << "the requester herself";
  EXPECT_FALSE(AccessPolicy::MayApprove(User(2), User(3, 2))) << "an account the approver made";
  EXPECT_FALSE(AccessPolicy::MayApprove(User(2, 3), User(3))) << "made by the requester";
  EXPECT_TRUE(AccessPolicy::MayApprove(User(2, 9), User(3, 9))) << "both made by the operator";
}

}  // namespace
}  // namespace haven::app
