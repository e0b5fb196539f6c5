// The stages after identification over HTTP against a real `haven serve`:
// support plan revisions, reflection period extensions, residence permits,
// criminal proceedings and compensation claims, return and reintegration
// follow-ups. Every write is audited and idempotent; bad input names its
// field and changes nothing; free text stays with the owning organisation.

#include <fstream>
#include <iterator>
#include <map>

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "admin-password-for-tests";
constexpr const char* kPassword = "a-long-test-password";

class Stages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(TempDir("stages"));
    ASSERT_EQ(RunHaven({"init", "--dir", (*dir_ / "i").string(), "--admin-password", kAdminPassword}).exit_code, 0);
    server_ = new ServerProcess(*dir_ / "i");
    tokens_ = new std::map<std::string, std::string>();
    Client admin(server_->port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    auto org = [&](const std::string& name, const std::string& kind) {
      auto r = admin.Post("/api/v1/organizations", {{"name", name}, {"kind", kind}});
      EXPECT_EQ(r.status, 201) << r.raw;
      return r.body["id"].get<long>();
    };
    ngo_ = org("Stage NGO", "ngo");
    other_ngo_ = org("Other NGO", "ngo");
    coord_org_ = org("Stage Coordinator", "state_body");
    iom_ = org("IOM Tashkent", "international_organization");
    auto user = [&](const std::string& name, const std::string& role, long org_id) {
      EXPECT_EQ(admin.Post("/api/v1/users", {{"username", name}, {"password", kPassword},
                                              {"role", role}, {"organization_id", org_id}}).status, 201);
    };
    user("stage-cw", "caseworker", ngo_);
    user("stage-other-cw", "caseworker", other_ngo_);
    user("coord", "coordinator", coord_org_);
    user("auditor", "auditor", coord_org_);
  }
  static void TearDownTestSuite() {
    delete tokens_;
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  // One login per user for the whole suite (logins are deliberately slow).
  static std::string Token(const std::string& username) {
    auto& token = (*tokens_)[username];
    if (token.empty()) {
      Client c(server_->port());
      auto r = c.Login(username, kPassword);
      EXPECT_EQ(r.status, 200) << username;
      if (r.status == 200) token = r.body["token"].get<std::string>();
    }
    return token;
  }

  Client As(const std::string& username) {
    Client c(server_->port());
    c.SetToken(Token(username));
    return c;
  }

  // The harness client speaks GET and POST; revisions and updates are PUT.
  Response Put(const std::string& username, const std::string& path, const Json& body,
               httplib::Headers h = {}) {
    httplib::Client cli("127.0.0.1", server_->port());
    cli.set_read_timeout(60, 0);
    h.emplace("Authorization", "Bearer " + Token(username));
    Response out;
    auto r = cli.Put(path.c_str(), h, body.dump(), "application/json");
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.headers = r->headers;
    out.body = Json::parse(r->body, nullptr, false);
    return out;
  }

  long NewCase(Client& c, const std::string& citizenship = "UZ") {
    Json body = {{"person", {{"given_name", "Dilnoza"}, {"family_name", "Karimova"},
                             {"birth_date", "1996-02-02"}, {"sex", "female"},
                             {"citizenship", citizenship}}},
                 {"identified_on", "2025-01-10"},
                 {"identified_by", "ngo"},
                 {"exploitation", {"sexual"}}};
    auto r = c.Post("/api/v1/cases", body);
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body["id"];
  }

  static std::string CasePath(long id) { return "/api/v1/cases/" + std::to_string(id); }

  // All audit entries, oldest first.
  Json Audit() {
    Client auditor = As("auditor");
    Json all = Json::array();
    std::string cursor;
    while (true) {
      auto r = auditor.Get("/api/v1/audit?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(r.status, 200);
      for (auto& e : r.body["items"]) all.push_back(e);
      if (r.body["next_cursor"].is_null()) break;
      cursor = r.body["next_cursor"].get<std::string>();
    }
    return all;
  }

  static std::filesystem::path* dir_;
  static ServerProcess* server_;
  static std::map<std::string, std::string>* tokens_;
  static long ngo_, other_ngo_, coord_org_, iom_;
};

std::filesystem::path* Stages::dir_;
ServerProcess* Stages::server_;
std::map<std::string, std::string>* Stages::tokens_;
long Stages::ngo_, Stages::other_ngo_, Stages::coord_org_, Stages::iom_;

Json Plan(const std::string& planned_end) {
  return {{"assessed_on", "2025-01-20"},
          {"needs", "trauma counselling; her brother in Samarkand must not learn where she is"},
          {"objectives", "vocational training as a seamstress"},
          {"planned_services", {"psychological", "education"}},
          {"planned_end_on", planned_end}};
}

TEST_F(Stages, SupportPlanKeepsEveryRevisionAndShowsItsTextToTheOwnerOnly) {
  Client cw = As("stage-cw");
  long id = NewCase(cw);
  std::string path = CasePath(id) + "/support-plan";
  auto none = cw.Get(path);
  ASSERT_EQ(none.status, 200) << none.raw;
  EXPECT_TRUE(none.body["current"].is_null());

  httplib::Headers key = {{"Idempotency-Key", "plan-" + std::to_string(id)}};
  auto first = Put("stage-cw", path, Plan("2025-06-30"), key);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["revision"], 1);
  EXPECT_EQ(first.body["objectives"], "vocational training as a seamstress");
  auto replay = Put("stage-cw", path, Plan("2025-06-30"), key);
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.body["id"], first.body["id"]);

  // Bad input names the field and adds no revision.
  Json bad = Plan("2025-01-19");
  EXPECT_EQ(Put("stage-cw", path, bad).ErrorField(), "planned_end_on");
  bad = Plan("2025-06-30");
  bad["assessed_on"] = "2025-01-01";
  EXPECT_EQ(Put("stage-cw", path, bad).ErrorField(), "assessed_on");
  bad = Plan("2025-06-30");
  bad["planned_services"] = {"medical", "massage"};
  EXPECT_EQ(Put("stage-cw", path, bad).ErrorField(), "planned_services[1]");
  bad = Plan("2025-06-30");
  bad["colour"] = "blue";
  EXPECT_EQ(Put("stage-cw", path, bad).status, 400);
  bad = Plan("2025-06-30");
  bad["actual_end_on"] = "2025-01-02";
  EXPECT_EQ(Put("stage-cw", path, bad).ErrorField(), "actual_end_on");

  Json second = Plan("2025-09-30");
  second["based_on_revision"] = 1;
  auto revised = Put("stage-cw", path, second);
  ASSERT_EQ(revised.status, 200) << revised.raw;
  EXPECT_EQ(revised.body["revision"], 2);
  auto stale = Put("stage-cw", path, second);  // still based on revision 1
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.ErrorCode(), "stale_revision");

  auto history = cw.Get(path);
  ASSERT_EQ(history.body["revisions"].size(), 2u);
  EXPECT_EQ(history.body["revisions"][0]["planned_end_on"], "2025-06-30");
  EXPECT_EQ(history.body["current"]["planned_end_on"], "2025-09-30");
  EXPECT_EQ(history.body["current"]["planned_services"], Json({"psychological", "education"}));

  // The national view sees the plan's dates, never its text; another NGO sees nothing.
  auto coord = As("coord").Get(path);
  ASSERT_EQ(coord.status, 200);
  EXPECT_EQ(coord.body["current"]["revision"], 2);
  EXPECT_FALSE(coord.body["current"].contains("needs"));
  EXPECT_EQ(coord.raw.find("Samarkand"), std::string::npos);
  EXPECT_EQ(As("stage-other-cw").Get(path).status, 404);
  EXPECT_EQ(Put("stage-other-cw", path, Plan("2025-06-30")).status, 404);
  EXPECT_EQ(Put("coord", path, Plan("2025-06-30")).status, 403);

  // Audited with old and new values of the dates, never the text.
  bool found = false;
  for (const auto& e : Audit()) {
    EXPECT_EQ(e.dump().find("Samarkand"), std::string::npos);
    if (e["action"] == "support_plan.revise" && e["object_id"] == std::to_string(id)) {
      found = true;
      EXPECT_EQ(e["details"]["changes"]["planned_end_on"]["old"], "2025-06-30");
      EXPECT_EQ(e["details"]["changes"]["planned_end_on"]["new"], "2025-09-30");
      EXPECT_FALSE(e["details"]["changes"].contains("assessed_on"));
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(Stages, ReflectionPeriodExtensionsMoveTheEndLater) {
  Client cw = As("stage-cw");
  long id = NewCase(cw);
  std::string path = CasePath(id) + "/reflection-extensions";
  Json ext = {{"days", 30}, {"reason", "surgery in March"}, {"decided_on", "2025-02-01"}};
  auto refused = cw.Post(path, ext);
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.ErrorCode(), "no_reflection_period");

  ASSERT_EQ(cw.Post(CasePath(id) + "/transitions", {{"to", "reflection_period"}, {"on", "2025-01-15"}}).status, 200);
  EXPECT_EQ(cw.Get(CasePath(id)).body["reflection_period"]["end"], "2025-02-14");

  for (const Json& days : {Json(0), Json(-3), Json(2.5), Json("ten"), Json(100000)}) {
    Json bad = ext;
    bad["days"] = days;
    auto r = cw.Post(path, bad);
    EXPECT_EQ(r.status, 400) << days;
    EXPECT_EQ(r.ErrorField(), "days") << days;
  }
  Json late = ext;
  late["decided_on"] = "2025-03-01";  // after the period ended
  EXPECT_EQ(cw.Post(path, late).ErrorField(), "decided_on");
  Json extra = ext;
  extra["approved"] = true;
  EXPECT_EQ(cw.Post(path, extra).status, 400);
  EXPECT_EQ(cw.Get(CasePath(id)).body["reflection_period"]["end"], "2025-02-14");

  httplib::Headers key = {{"Idempotency-Key", "extend-" + std::to_string(id)}};
  auto ok = cw.Post(path, ext, key);
  ASSERT_EQ(ok.status, 201) << ok.raw;
  EXPECT_EQ(ok.body["previous_end"], "2025-02-14");
  EXPECT_EQ(ok.body["new_end"], "2025-03-16");
  EXPECT_EQ(ok.body["reflection_period"]["end"], "2025-03-16");
  auto replay = cw.Post(path, ext, key);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body["id"], ok.body["id"]);
  EXPECT_EQ(cw.Get(CasePath(id)).body["reflection_period"]["end"], "2025-03-16");
  // A second extension, decided within the extended period.
  auto again = cw.Post(path, {{"days", 10}, {"reason", "hearing"}, {"decided_on", "2025-03-10"}});
  ASSERT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(again.body["new_end"], "2025-03-26");

  auto list = cw.Get(path);
  ASSERT_EQ(list.body["items"].size(), 2u);
  EXPECT_EQ(list.body["items"][0]["reason"], "surgery in March");
  auto coord = As("coord").Get(path);
  ASSERT_EQ(coord.body["items"].size(), 2u);
  EXPECT_EQ(coord.raw.find("surgery"), std::string::npos);

  int audited = 0;
  for (const auto& e : Audit())
    if (e["action"] == "case.reflection_extend" && e["object_id"] == std::to_string(id)) {
      ++audited;
      EXPECT_EQ(e.dump().find("surgery"), std::string::npos);
    }
  EXPECT_EQ(audited, 2);
}

TEST_F(Stages, ResidencePermitsAreRecordedForWhoeverTheyAreEnteredFor) {
  Client cw = As("stage-cw");
  // No rule reads citizenship: a citizen's, a foreigner's and a stateless
  // person's permits are recorded alike.
  for (const char* citizenship : {"AZ", "UZ", "stateless"}) {
    long id = NewCase(cw, citizenship);
    std::string path = CasePath(id) + "/residence-permits";
    auto created = cw.Post(path, {{"permit_type", "reflection_permit"}, {"applied_on", "2025-01-12"}});
    ASSERT_EQ(created.status, 201) << citizenship << created.raw;
    EXPECT_EQ(created.body["decision"], "pending");
    std::string permit = "/api/v1/residence-permits/" + std::to_string(created.body["id"].get<long>());
    Json granted = {{"permit_type", "reflection_permit"}, {"applied_on", "2025-01-12"},
                    {"decision", "granted"}, {"decided_on", "2025-01-20"}, {"expires_on", "2025-07-20"}};
    auto updated = Put("stage-cw", permit, granted);
    ASSERT_EQ(updated.status, 200) << updated.raw;
    EXPECT_EQ(updated.body["expires_on"], "2025-07-20");
    EXPECT_EQ(cw.Get(path).body["items"][0]["decision"], "granted");
  }
  long id = NewCase(cw);
  std::string path = CasePath(id) + "/residence-permits";
  EXPECT_EQ(cw.Post(path, {{"permit_type", "work_visa"}, {"applied_on", "2025-01-12"}}).ErrorField(), "permit_type");
  EXPECT_EQ(cw.Post(path, {{"permit_type", "other"}, {"applied_on", "2025-01-12"}, {"decision", "maybe"}}).ErrorField(), "decision");
  EXPECT_EQ(cw.Post(path, {{"permit_type", "other"}, {"applied_on", "2025-02-12"}, {"decision", "granted"},
                           {"decided_on", "2025-02-01"}}).ErrorField(), "decided_on");
  EXPECT_EQ(cw.Post(path, {{"permit_type", "other"}, {"applied_on", "2025-02-12"}, {"decision", "refused"},
                           {"decided_on", "2025-02-20"}, {"expires_on", "2026-01-01"}}).ErrorField(), "expires_on");
  EXPECT_EQ(cw.Get(path).body["items"].size(), 0u);
  EXPECT_EQ(As("stage-other-cw").Post(path, {{"permit_type", "other"}, {"applied_on", "2025-01-12"}}).status, 404);
  // An update of a permit that does not exist, or of another organisation's.
  EXPECT_EQ(Put("stage-cw", "/api/v1/residence-permits/999999", {{"permit_type", "other"}, {"applied_on", "2025-01-12"}}).status, 404);
}

// Two caseworkers edit the same proceeding: the second, based on the version both read,
// is refused instead of silently undoing the first; reloading and retrying works.
TEST_F(Stages, UpdatesBasedOnAnOldVersionAreRefused) {
  Client cw = As("stage-cw");
  long id = NewCase(cw);
  auto created = cw.Post(CasePath(id) + "/proceedings",
                         {{"cooperating", true}, {"stage", "investigation"}, {"started_on", "2025-01-05"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["version"], 1);
  std::string path = "/api/v1/proceedings/" + std::to_string(created.body["id"].get<long>());
  Json to_trial = {{"cooperating", true}, {"stage", "trial"}, {"started_on", "2025-01-05"},
                   {"stage_since", "2025-03-01"}, {"version", 1}};
  auto first = Put("stage-cw", path, to_trial);
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(first.body["version"], 2);
  Json to_prosecution = {{"cooperating", true}, {"stage", "prosecution"}, {"started_on", "2025-01-05"},
                         {"stage_since", "2025-02-01"}, {"version", 1}};
  auto stale = Put("stage-cw", path, to_prosecution);
  EXPECT_EQ(stale.status, 409) << stale.raw;
  EXPECT_EQ(stale.ErrorCode(), "stale_update");
  EXPECT_EQ(stale.ErrorField(), "version");
  auto items = cw.Get(CasePath(id) + "/proceedings").body["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["stage"], "trial");  // the first change stands
  EXPECT_EQ(items[0]["version"], 2);
  to_prosecution["version"] = 2;
  auto retried = Put("stage-cw", path, to_prosecution);
  ASSERT_EQ(retried.status, 200) << retried.raw;
  EXPECT_EQ(retried.body["version"], 3);
  // A version that is not a whole number from 1 is a bad request; on creation there is none.
  to_prosecution["version"] = "3";
  EXPECT_EQ(Put("stage-cw", path, to_prosecution).ErrorField(), "version");
  to_prosecution["version"] = 0;
  EXPECT_EQ(Put("stage-cw", path, to_prosecution).ErrorField(), "version");
  EXPECT_EQ(cw.Post(CasePath(id) + "/proceedings", {{"cooperating", true}, {"stage", "investigation"},
                                                    {"started_on", "2025-01-05"}, {"version", 1}})
                .ErrorField(),
            "version");
  // Without a version an update still goes through (for clients that do not send it).
  to_prosecution.erase("version");
  EXPECT_EQ(Put("stage-cw", path, to_prosecution).body["version"], 4);
}

TEST_F(Stages, ProceedingsAndCompensationClaims) {
  Client cw = As("stage-cw");
  long id = NewCase(cw);
  std::string proceedings = CasePath(id) + "/proceedings";
  auto p = cw.Post(proceedings, {{"cooperating", true}, {"stage", "investigation"}, {"started_on", "2025-01-05"}});
  ASSERT_EQ(p.status, 201) << p.raw;
  EXPECT_EQ(p.body["cooperating"], true);
  EXPECT_EQ(cw.Post(proceedings, {{"cooperating", "yes"}, {"stage", "trial"}, {"started_on", "2025-01-05"}}).ErrorField(), "cooperating");
  EXPECT_EQ(cw.Post(proceedings, {{"cooperating", true}, {"stage", "appeal"}, {"started_on", "2025-01-05"}}).ErrorField(), "stage");
  EXPECT_EQ(cw.Post(proceedings, {{"cooperating", true}, {"stage", "closed"}, {"started_on", "2025-01-05"}}).ErrorField(), "ended_on");
  std::string proceeding = "/api/v1/proceedings/" + std::to_string(p.body["id"].get<long>());
  EXPECT_EQ(Put("stage-cw", proceeding, {{"cooperating", true}, {"stage", "trial"}, {"started_on", "2025-01-05"},
                                 {"stage_since", "2025-01-01"}}).ErrorField(), "stage_since");
  auto moved = Put("stage-cw", proceeding, {{"cooperating", true}, {"stage", "trial"}, {"started_on", "2025-01-05"},
                                    {"stage_since", "2025-04-01"}});
  ASSERT_EQ(moved.status, 200) << moved.raw;
  EXPECT_EQ(moved.body["stage"], "trial");
  EXPECT_EQ(cw.Get(proceedings).body["items"][0]["stage_since"], "2025-04-01");

  std::string claims = CasePath(id) + "/compensation-claims";
  Json claim = {{"route", "criminal_proceedings"}, {"amount_claimed_minor", 1500000}, {"currency", "AZN"},
                {"filed_on", "2025-04-02"}};
  auto bad_amount = [&](const Json& amount) {
    Json b = claim;
    b["amount_claimed_minor"] = amount;
    return cw.Post(claims, b).ErrorField();
  };
  EXPECT_EQ(bad_amount(-100), "amount_claimed_minor");
  EXPECT_EQ(bad_amount(12.5), "amount_claimed_minor");
  EXPECT_EQ(bad_amount("100"), "amount_claimed_minor");
  Json b = claim;
  b["currency"] = "ABC";
  EXPECT_EQ(cw.Post(claims, b).ErrorField(), "currency");
  b = claim;
  b["route"] = "lottery";
  EXPECT_EQ(cw.Post(claims, b).ErrorField(), "route");
  b = claim;
  b["status"] = "awarded";
  b["amount_awarded_minor"] = 500000;
  b["decided_on"] = "2025-04-01";  // before the filing
  EXPECT_EQ(cw.Post(claims, b).ErrorField(), "decided_on");
  EXPECT_EQ(cw.Get(claims).body["items"].size(), 0u);

  httplib::Headers key = {{"Idempotency-Key", "claim-" + std::to_string(id)}};
  auto filed = cw.Post(claims, claim, key);
  ASSERT_EQ(filed.status, 201) << filed.raw;
  EXPECT_EQ(filed.body["status"], "filed");
  EXPECT_EQ(cw.Post(claims, claim, key).body["id"], filed.body["id"]);
  // The same key for a different request is refused.
  Json other = claim;
  other["amount_claimed_minor"] = 7;
  EXPECT_EQ(cw.Post(claims, other, key).status, 422);
  std::string claim_path = "/api/v1/compensation-claims/" + std::to_string(filed.body["id"].get<long>());
  Json paid = claim;
  paid["status"] = "paid";
  paid["amount_awarded_minor"] = 800000;
  paid["decided_on"] = "2025-05-01";
  paid["paid_on"] = "2025-04-20";
  EXPECT_EQ(Put("stage-cw", claim_path, paid).ErrorField(), "paid_on");
  paid["paid_on"] = "2025-06-01";
  auto updated = Put("stage-cw", claim_path, paid);
  ASSERT_EQ(updated.status, 200) << updated.raw;
  EXPECT_EQ(updated.body["amount_awarded_minor"], 800000);
  auto list = cw.Get(claims);
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["status"], "paid");

  bool audited = false;
  for (const auto& e : Audit())
    if (e["action"] == "compensation_claim.update" && e["object_id"] == std::to_string(filed.body["id"].get<long>())) {
      audited = true;
      EXPECT_EQ(e["details"]["changes"]["status"]["old"], "filed");
      EXPECT_EQ(e["details"]["changes"]["status"]["new"], "paid");
      EXPECT_EQ(e["details"]["changes"]["amount_awarded_minor"]["new"], 800000);
    }
  EXPECT_TRUE(audited);
  EXPECT_EQ(As("stage-other-cw").Get(claims).status, 404);

  // The annual statistics count claims and the amounts awarded.
  auto annual = RunHaven({"report", "annual", "--year", "2025", "--format", "csv", "--suppress",
                          "0", "--dir", (*dir_ / "i").string()});
  ASSERT_EQ(annual.exit_code, 0) << annual.out;
  EXPECT_NE(annual.out.find("compensation,amount_awarded_minor_"), std::string::npos) << annual.out;
  EXPECT_NE(annual.out.find(",count,800000"), std::string::npos) << annual.out;
  EXPECT_NE(annual.out.find("criminal_proceedings,"), std::string::npos) << annual.out;
}

TEST_F(Stages, ReturnAndReintegrationFollowUps) {
  Client cw = As("stage-cw");
  long id = NewCase(cw);
  std::string ret = CasePath(id) + "/return";
  Json body = {{"voluntary", true}, {"destination_country", "UZ"}, {"destination_organization_id", iom_},
               {"returned_on", "2025-03-01"}};
  Json bad = body;
  bad["destination_country"] = "Uzbekistan";
  EXPECT_EQ(cw.Post(ret, bad).ErrorField(), "destination_country");
  bad = body;
  bad["destination_organization_id"] = 999999;
  EXPECT_EQ(cw.Post(ret, bad).ErrorField(), "destination_organization_id");
  bad = body;
  bad["returned_on"] = "2025-01-01";
  EXPECT_EQ(cw.Post(ret, bad).ErrorField(), "returned_on");
  auto created = cw.Post(ret, body);
  ASSERT_EQ(created.status, 201) << created.raw;
  EXPECT_EQ(created.body["destination_organization_id"], iom_);
  auto twice = cw.Post(ret, body);
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.ErrorCode(), "already_returned");
  EXPECT_EQ(cw.Get(ret).body["items"].size(), 1u);

  std::string follow_ups = CasePath(id) + "/follow-ups";
  EXPECT_EQ(cw.Post(follow_ups, {{"due_on", "2024-12-31"}}).ErrorField(), "due_on");
  EXPECT_EQ(cw.Post(follow_ups, {{"due_on", "2025-06-01"}, {"notes", "x"}}).status, 400);
  auto scheduled = cw.Post(follow_ups, {{"due_on", "2025-06-01"}});
  ASSERT_EQ(scheduled.status, 201) << scheduled.raw;
  EXPECT_TRUE(scheduled.body["done_on"].is_null());
  std::string complete = "/api/v1/follow-ups/" + std::to_string(scheduled.body["id"].get<long>()) + "/complete";
  EXPECT_EQ(cw.Post(complete, {{"done_on", "2025-06-02"}, {"outcome", "thriving"}}).ErrorField(), "outcome");
  EXPECT_EQ(cw.Post(complete, {{"done_on", "2099-01-01"}, {"outcome", "stable"}}).ErrorField(), "done_on");
  EXPECT_EQ(As("stage-other-cw").Post(complete, {{"done_on", "2025-06-02"}, {"outcome", "stable"}}).status, 404);
  httplib::Headers key = {{"Idempotency-Key", "fu-" + std::to_string(id)}};
  Json done = {{"done_on", "2025-06-02"}, {"outcome", "stable"}, {"notes", "works at the bakery in Bukhara"}};
  auto completed = cw.Post(complete, done, key);
  ASSERT_EQ(completed.status, 200) << completed.raw;
  EXPECT_EQ(completed.body["outcome"], "stable");
  EXPECT_EQ(cw.Post(complete, done, key).status, 200);  // a retry returns the first result
  auto again = cw.Post(complete, done);
  EXPECT_EQ(again.status, 409);
  auto list = cw.Get(follow_ups);
  ASSERT_EQ(list.body["items"].size(), 1u);
  EXPECT_EQ(list.body["items"][0]["notes"], "works at the bakery in Bukhara");
  auto coord = As("coord").Get(follow_ups);
  ASSERT_EQ(coord.status, 200);
  EXPECT_EQ(coord.body["items"][0]["outcome"], "stable");
  EXPECT_EQ(coord.raw.find("Bukhara"), std::string::npos);
  for (const auto& e : Audit()) EXPECT_EQ(e.dump().find("Bukhara"), std::string::npos);

  // A closed case takes no new follow-up.
  ASSERT_EQ(cw.Post(CasePath(id) + "/transitions", {{"to", "closed"},
                                                             {"on", "2025-06-03"},
                                                             {"closure_reason", "reintegrated"},
                                                             {"note", "Reintegration is complete and stable."}}).status, 200);
  auto closed = cw.Post(follow_ups, {{"due_on", "2025-09-01"}});
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(closed.ErrorCode(), "case_closed");
}

// Runs after the tests above (declaration order): none of the free text they
// wrote may be readable in any file of the instance (database, WAL, logs).
TEST_F(Stages, FreeTextNeverReachesTheFilesInClear) {
  Client cw = As("stage-cw");
  long id = NewCase(cw);
  ASSERT_EQ(Put("stage-cw", CasePath(id) + "/support-plan", Plan("2025-06-30")).status, 200);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*dir_)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const char* secret : {"Samarkand", "seamstress", "surgery in March", "Bukhara"})
      EXPECT_EQ(bytes.find(secret), std::string::npos) << secret << " in " << entry.path();
  }
}

}  // namespace
}  // namespace haven::testing
