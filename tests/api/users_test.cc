// User administration: accounts are disabled, given another role, unlocked and given a
// new password — audited, under the rules of creating accounts, never one's own.

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "an-orchard-lantern-basalt";
constexpr const char* kPassword = "a-long-test-password";

long UserId(Instance& in, const std::string& name) {
  auto users = in.admin().Get("/api/v1/users?limit=200");
  for (const auto& u : users.body["items"])
    if (u["username"] == name) return u["id"];
  return 0;
}

TEST(Users, AreDisabledReRoledUnlockedAndResetUnderTheRules) {
  Instance in("users", kAdminPassword);
  const long ngo = in.Organization("Helping Hands", "ngo");
  const long state = in.Organization("Coordinating Body", "state_body");
  in.User("coord", "coordinator", state, kPassword);
  in.User("worker", "caseworker", ngo, kPassword);
  in.User("counter", "analyst", state, kPassword);
  const long worker = UserId(in, "worker"), counter = UserId(in, "counter");
  const long coord_id = UserId(in, "coord");
  const std::string w = "/api/v1/users/" + std::to_string(worker);
  const std::string c = "/api/v1/users/" + std::to_string(counter);
  Client coord = in.As("coord", kPassword);
  Client signed_in = in.As("worker", kPassword);
  ASSERT_EQ(signed_in.Get("/api/v1/me").status, 200);

  // A coordinator manages the roles it may create, not accounts that open identities.
  EXPECT_EQ(coord.Request("PATCH", w, Json{{"active", false}}.dump()).status, 403);
  EXPECT_EQ(coord.Request("PATCH", c, Json{{"role", "caseworker"}}.dump()).ErrorField(), "role");
  EXPECT_EQ(coord.Request("PATCH", c, Json{{"role", "auditor"}}.dump()).status, 200);
  EXPECT_EQ(coord.Request("PATCH", "/api/v1/users/" + std::to_string(coord_id),
                          Json{{"active", false}}.dump())
                .status,
            403)
      << "never one's own account";
  EXPECT_EQ(coord.Request("PATCH", c, Json::object().dump()).status, 400);
  EXPECT_EQ(coord.Request("PATCH", c, Json{{"role", "boss"}}.dump()).ErrorField(), "role");
  EXPECT_EQ(coord.Request("PATCH", "/api/v1/users/99999", Json{{"active", false}}.dump()).status, 404);

  // Disabled: signed out at once, and no new sign-in.
  auto off = in.admin().Request("PATCH", w, Json{{"active", false}}.dump());
  ASSERT_EQ(off.status, 200) << off.raw;
  EXPECT_EQ(off.body["active"], false);
  EXPECT_EQ(signed_in.Get("/api/v1/me").status, 401);
  EXPECT_EQ(Client(in.port()).Login("worker", kPassword).status, 401);
  ASSERT_EQ(in.admin().Request("PATCH", w, Json{{"active", true}}.dump()).status, 200);

  // Locked out after repeated failures, and unlocked.
  for (int i = 0; i < 6; ++i) Client(in.port()).Login("worker", "not-the-password-1");
  EXPECT_EQ(Client(in.port()).Login("worker", kPassword).status, 429);
  ASSERT_EQ(in.admin().Post(w + "/unlock", Json::object()).status, 200);
  EXPECT_EQ(Client(in.port()).Login("worker", kPassword).status, 200);

  // A reset: a one-time password, shown once; the old one no longer works, and the
  // one-time password opens nothing but its own replacement.
  Client before_reset(in.port());
  ASSERT_EQ(before_reset.Login("worker", kPassword).status, 200);
  auto reset = in.admin().Request("POST", w + "/reset-password", "", {}, "");
  ASSERT_EQ(reset.status, 200) << reset.raw;
  const std::string once = reset.body["one_time_password"];
  EXPECT_GE(once.size(), 16u);
  EXPECT_EQ(reset.body["user"]["must_change_password"], true);
  EXPECT_EQ(before_reset.Get("/api/v1/me").status, 401) << "signed out everywhere";
  EXPECT_EQ(Client(in.port()).Login("worker", kPassword).status, 401);
  Client fresh(in.port());
  auto login = fresh.Login("worker", once);
  ASSERT_EQ(login.status, 200) << login.raw;
  EXPECT_EQ(login.body["user"]["must_change_password"], true);
  EXPECT_EQ(fresh.Get("/api/v1/cases").ErrorCode(), "password_change_required");
  EXPECT_EQ(fresh.Get("/api/v1/me").status, 200);
  // The old password must be right, the new one long enough; neither changes anything.
  auto wrong = fresh.Post("/api/v1/me/password",
                          {{"old_password", "not-the-password"}, {"new_password", "a-fresh-long-password"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.ErrorField(), "old_password");
  auto weak = fresh.Post("/api/v1/me/password", {{"old_password", once}, {"new_password", "short"}});
  EXPECT_EQ(weak.ErrorField(), "new_password");
  EXPECT_EQ(fresh.Get("/api/v1/cases").ErrorCode(), "password_change_required");
  auto changed = fresh.Post("/api/v1/me/password",
                            {{"old_password", once}, {"new_password", "a-fresh-long-password"}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(changed.body["must_change_password"], false);
  EXPECT_EQ(fresh.Get("/api/v1/cases").status, 200) << "the session that changed it stays";
  EXPECT_EQ(Client(in.port()).Login("worker", once).status, 401) << "used once";
  EXPECT_EQ(Client(in.port()).Login("worker", "a-fresh-long-password").status, 200);
  // Deactivate and reactivate by name, without a body or a Content-Type.
  EXPECT_EQ(in.admin().Request("POST", w + "/deactivate", "", {}, "").body["active"], false);
  EXPECT_EQ(fresh.Get("/api/v1/me").status, 401);
  EXPECT_EQ(in.admin().Request("POST", w + "/reactivate", "", {}, "").body["active"], true);

  // Every change audited, never with a password.
  in.User("auditor", "auditor", state, kPassword);
  Client auditor = in.As("auditor", kPassword);
  std::string raw;
  int updates = 0, unlocks = 0, resets = 0;
  for (const auto& e : ReadAuditLog(auditor, &raw)) {
    updates += e["action"] == "user.update";
    unlocks += e["action"] == "user.unlock";
    resets += e["action"] == "user.password_reset";
  }
  EXPECT_EQ(updates, 5);
  EXPECT_EQ(unlocks, 1);
  EXPECT_EQ(resets, 1);
  EXPECT_EQ(raw.find("a-fresh-long-password"), std::string::npos);
  EXPECT_EQ(raw.find(once), std::string::npos);
}

}  // namespace
}  // namespace haven::testing
