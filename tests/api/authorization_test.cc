// Authorisation as a matrix (DESIGN §5): every reading endpoint × every role × own and
// other organisation, over HTTP against a real `haven serve`. The expected table is
// written out below; a change of who may read what must change it, deliberately.
//
// Writes are covered role by role in the tests of each area; reads are where a leak
// across organisations or roles would go unnoticed, so every one of them is here.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "an-admin-password-1";
constexpr const char* kPassword = "a-long-test-password";

// The users, each with one role; "-a" users belong to organisation A, which owns every
// record read below; "cw-b" is a caseworker of organisation B.
const std::vector<std::string> kUsers = {"admin",  "coord",   "cw-a",   "sm-a",
                                         "cw-b",   "analyst", "auditor"};

class Authorization : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = new Instance("authz", kAdminPassword);
    Instance& in = *instance_;
    const long a = in.Organization("Organisation A", "ngo");
    const long b = in.Organization("Organisation B", "ngo");
    const long state = in.Organization("Coordinating Body", "state_body");
    in.User("coord", "coordinator", state, kPassword);
    in.User("cw-a", "caseworker", a, kPassword);
    in.User("sm-a", "shelter_manager", a, kPassword);
    in.User("cw-b", "caseworker", b, kPassword);
    in.User("analyst", "analyst", state, kPassword);
    in.User("auditor", "auditor", state, kPassword);
    // Organisation A's records: a case with a stay, a service, a permit, a proceeding,
    // a claim and a follow-up, and a shelter with an address.
    Client cw = in.As("cw-a", kPassword);
    auto c = cw.Post("/api/v1/cases",
                     {{"person", {{"given_name", "Aynur"}, {"family_name", "Səfərova"},
                                  {"birth_date", "1994-02-11"}, {"sex", "female"},
                                  {"citizenship", "AZ"}}},
                      {"identified_on", "2026-02-01"},
                      {"identified_by", "ngo"},
                      {"exploitation", {"forced_labour"}}});
    ASSERT_EQ(c.status, 201) << c.raw;
    case_a_ = c.body["id"];
    const std::string path = "/api/v1/cases/" + std::to_string(case_a_);
    Client sm = in.As("sm-a", kPassword);
    auto shelter = sm.Post("/api/v1/shelters", {{"name", "House A"}, {"organization_id", a},
                                               {"region", "AZ-BA"}, {"capacity", 4},
                                               {"address", "Street 1"}});
    ASSERT_EQ(shelter.status, 201) << shelter.raw;
    shelter_a_ = shelter.body["id"];
    const std::vector<std::pair<std::string, Json>> records = {
        {"/api/v1/shelters/" + std::to_string(shelter_a_) + "/stays",
         {{"case_id", case_a_}, {"admitted_on", "2026-02-02"}}},
        {path + "/services",
         {{"type", "medical"}, {"provider_organization_id", a}, {"delivered_on", "2026-02-03"}}},
        {path + "/residence-permits",
         {{"permit_type", "reflection_permit"}, {"applied_on", "2026-02-04"}}},
        {path + "/proceedings",
         {{"cooperating", true}, {"stage", "investigation"}, {"started_on", "2026-02-05"}}},
        {path + "/compensation-claims",
         {{"route", "criminal_proceedings"}, {"amount_claimed_minor", 100000},
          {"currency", "AZN"}, {"filed_on", "2026-02-06"}}},
        {path + "/follow-ups", {{"due_on", "2026-12-01"}}}};
    for (const auto& [where, body] : records) {
      auto r = (where.find("/stays") != std::string::npos ? sm : cw).Post(where, body);
      EXPECT_EQ(r.status, 201) << where << " " << r.raw;
    }
  }
  static void TearDownTestSuite() { delete instance_; }

  static Instance* instance_;
  static long case_a_, shelter_a_;
};

Instance* Authorization::instance_;
long Authorization::case_a_, Authorization::shelter_a_;

TEST_F(Authorization, EveryReadByEveryRoleAndOrganisation) {
  const std::string c = "/api/v1/cases/" + std::to_string(case_a_);
  const std::string s = "/api/v1/shelters/" + std::to_string(shelter_a_);
  // clang-format off
  // Expected status per user, in the order of kUsers:
  //                 admin coord cw-a sm-a cw-b analyst auditor
  const std::map<std::string, std::vector<int>> expected = {
      {"/api/v1/health",                         {200, 200, 200, 200, 200, 200, 200}},
      {"/api/v1/me",                             {200, 200, 200, 200, 200, 200, 200}},
      {"/api/v1/organizations",                  {200, 200, 200, 200, 200, 200, 200}},
      {"/api/v1/organizations/1",                {200, 200, 200, 200, 200, 200, 200}},
      {"/api/v1/users",                          {200, 200, 403, 403, 403, 403, 403}},
      {"/api/v1/cases",                          {403, 200, 200, 200, 200, 403, 403}},
      {c,                                        {403, 200, 200, 200, 404, 403, 403}},
      {c + "/identity?reason=matrix%20test",     {403, 403, 200, 200, 404, 403, 403}},
      {"/api/v1/audit",                          {403, 403, 403, 403, 403, 403, 200}},
      // Shelters, their free beds and occupancy are what referrals need; the address
      // is shown only to the shelter's own staff and coordinators (checked below).
      {"/api/v1/shelters",                       {200, 200, 200, 200, 200, 200, 200}},
      {s,                                        {200, 200, 200, 200, 200, 200, 200}},
      {s + "/occupancy?from=2026-02-01&to=2026-02-28", {200, 200, 200, 200, 200, 200, 200}},
      {c + "/stays",                             {403, 200, 200, 200, 404, 403, 403}},
      {c + "/services",                          {403, 200, 200, 200, 404, 403, 403}},
      {c + "/identification",                    {403, 200, 200, 200, 404, 403, 403}},
      {"/api/v1/allowance-rates",                {200, 200, 200, 200, 200, 200, 200}},  // policy
      {c + "/payments",                          {403, 200, 200, 200, 404, 403, 403}},
      {"/api/v1/payments",                       {403, 200, 403, 403, 403, 403, 403}},  // approvals
      {"/api/v1/allowances/totals?year=2026",    {403, 200, 403, 403, 403, 200, 403}},
      {"/api/v1/tasks",                          {200, 200, 200, 200, 200, 200, 200}},  // own only
      {c + "/support-plan",                      {403, 200, 200, 200, 404, 403, 403}},
      {c + "/reflection-extensions",             {403, 200, 200, 200, 404, 403, 403}},
      {c + "/residence-permits",                 {403, 200, 200, 200, 404, 403, 403}},
      {c + "/proceedings",                       {403, 200, 200, 200, 404, 403, 403}},
      {c + "/compensation-claims",               {403, 200, 200, 200, 404, 403, 403}},
      {c + "/return",                            {403, 200, 200, 200, 404, 403, 403}},
      {c + "/follow-ups",                        {403, 200, 200, 200, 404, 403, 403}},
      {"/api/v1/reports",                        {403, 200, 403, 403, 403, 200, 403}},
      {"/api/v1/reports/counts?by=sex",          {403, 200, 403, 403, 403, 200, 403}},
      {"/api/v1/reports/annual?year=2026",       {403, 200, 403, 403, 403, 200, 403}},
  };
  // clang-format on
  std::map<std::string, Client> clients;
  for (const auto& u : kUsers) clients.emplace(u, instance_->As(u, kPassword));
  std::string actual_table;
  bool all_as_expected = true;
  for (const auto& [path, statuses] : expected) {
    std::string row = path + ":";
    for (size_t i = 0; i < kUsers.size(); ++i) {
      auto r = clients.at(kUsers[i]).Get(path);
      row += " " + std::to_string(r.status);
      if (r.status != statuses[i]) {
        all_as_expected = false;
        ADD_FAILURE() << kUsers[i] << " GET " << path << ": " << r.status << ", expected "
                      << statuses[i] << "\n" << r.raw;
      }
      // The shelter's address (its own organisation's staff and coordinators only), and
      // organisation A's case in a list, only where they belong.
      const bool address_allowed =
          kUsers[i] == "coord" || kUsers[i] == "sm-a" || kUsers[i] == "cw-a";
      if (!address_allowed) {
        EXPECT_EQ(r.raw.find("Street 1"), std::string::npos) << kUsers[i] << " " << path;
      }
      if (path == "/api/v1/cases" && kUsers[i] == "cw-b") {
        EXPECT_EQ(r.body["items"].size(), 0u) << r.raw;
      }
      // Whoever is refused learns nothing of the record: the body is an error only.
      if (r.status == 403 || r.status == 404) {
        EXPECT_TRUE(r.body.contains("error")) << path << " " << r.raw;
        EXPECT_EQ(r.raw.find("Səfərova"), std::string::npos);
      }
    }
    actual_table += row + "\n";
  }
  if (!all_as_expected) std::cerr << "actual matrix:\n" << actual_table;
}

// Every GET route of the API is in the matrix above: a new reading endpoint must be
// added to it.
TEST_F(Authorization, TheMatrixCoversEveryReadingRoute) {
  const std::vector<std::string> covered = {
      "/api/v1/health", "/api/v1/me", "/api/v1/organizations", "/api/v1/organizations/{id}",
      "/api/v1/users", "/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/identity",
      "/api/v1/audit", "/api/v1/shelters", "/api/v1/shelters/{id}",
      "/api/v1/shelters/{id}/occupancy", "/api/v1/cases/{id}/stays",
      "/api/v1/cases/{id}/services", "/api/v1/cases/{id}/identification",
      "/api/v1/allowance-rates", "/api/v1/cases/{id}/payments", "/api/v1/payments",
      "/api/v1/allowances/totals", "/api/v1/tasks", "/api/v1/cases/{id}/support-plan",
      "/api/v1/cases/{id}/reflection-extensions", "/api/v1/cases/{id}/residence-permits",
      "/api/v1/cases/{id}/proceedings", "/api/v1/cases/{id}/compensation-claims",
      "/api/v1/cases/{id}/return", "/api/v1/cases/{id}/follow-ups", "/api/v1/reports",
      "/api/v1/reports/counts", "/api/v1/reports/{name}"};
  std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/docs/openapi.json");
  Json doc = Json::parse(in, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  for (const auto& [path, ops] : doc["paths"].items()) {
    if (!ops.contains("get")) continue;
    EXPECT_NE(std::find(covered.begin(), covered.end(), path), covered.end())
        << "GET " << path << " is not in the authorisation matrix";
  }
}

}  // namespace
}  // namespace haven::testing
