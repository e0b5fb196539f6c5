// The JSON API over HTTP against a real `haven serve`: authentication, cases,
// identity disclosure, organisation scoping, the workflow, bad input of every
// class, idempotency, and what reaches the raw database file.

#include <sqlite3.h>

#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "api/harness.h"
#include "privacy/crypto.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "admin-password-for-tests";
constexpr const char* kPassword = "a-long-test-password";

class Api : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = new Instance("api", kAdminPassword);
    Instance& in = *instance_;
    ngo1_ = in.Organization("NGO One", "ngo");
    ngo2_ = in.Organization("NGO Two", "ngo");
    coord_org_ = in.Organization("Coordinating Body", "state_body");
    in.User("cw1", "caseworker", ngo1_, kPassword);
    in.User("cw2", "caseworker", ngo2_, kPassword);
    in.User("sm1", "shelter_manager", ngo1_, kPassword);
    in.User("coord", "coordinator", coord_org_, kPassword);
    in.User("analyst", "analyst", coord_org_, kPassword);
    in.User("auditor", "auditor", coord_org_, kPassword);
  }
  static void TearDownTestSuite() { delete instance_; }

  Client As(const std::string& username) { return instance_->As(username, kPassword); }

  static Json CaseBody(const std::string& given, const std::string& family,
                       const std::string& birth = "1990-07-02",
                       const std::string& citizenship = "AZ") {
    return {{"person",
             {{"given_name", given},
              {"family_name", family},
              {"birth_date", birth},
              {"sex", "female"},
              {"citizenship", citizenship},
              {"documents", {{{"type", "passport"}, {"number", "C0099887"}}}},
              {"contacts", {{{"type", "phone"}, {"value", "+994 50 555 12 34"}}}}}},
            {"identified_on", "2026-03-01"},
            {"identified_by", "police"},
            {"exploitation", {"sexual"}},
            {"means_of_control", {"debt_bondage", "threats"}},
            {"recruiter_relation", "acquaintance"},
            {"country_of_recruitment", "AZ"},
            {"country_of_exploitation", "TR"},
            {"region", "AZ-BA"}};
  }

  // How many cases exist, and how many audit entries other than logins:
  // "nothing changed" means both stay.
  std::pair<size_t, size_t> Counts() {
    Client coord = As("coord");
    size_t cases = 0;
    std::string cursor;
    do {
      auto r = coord.Get("/api/v1/cases?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(r.status, 200);
      cases += r.body["items"].size();
      cursor = r.body["next_cursor"].is_null() ? "" : r.body["next_cursor"].get<std::string>();
    } while (!cursor.empty());
    size_t audit = 0;
    for (const auto& e : AuditLog())
      if (e["action"].get<std::string>().rfind("auth.", 0) != 0) ++audit;
    // Logins are audited too; they are not what "nothing changed" is about.
    return {cases, audit};
  }

  // The whole audit log, oldest first, as the auditor reads it page by page; `raw`
  // gets every page's text, for checking what never appears in it.
  std::vector<Json> AuditLog(std::string* raw = nullptr) {
    Client auditor = As("auditor");
    return ReadAuditLog(auditor, raw);
  }

  static Instance* instance_;
  static long ngo1_, ngo2_, coord_org_;
};

Instance* Api::instance_;
long Api::ngo1_, Api::ngo2_, Api::coord_org_;

TEST_F(Api, HealthNeedsNoLogin) {
  Client c(instance_->port());
  auto r = c.Get("/api/v1/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
  EXPECT_FALSE(r.Header("X-Request-Id").empty());
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
}

TEST_F(Api, LoginLogoutAndMe) {
  Client c(instance_->port());
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
  auto bad = c.Login("cw1", "wrong-password-here");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.ErrorCode(), "invalid_credentials");
  auto ok = c.Login("cw1", kPassword);
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_FALSE(ok.body["csrf_token"].get<std::string>().empty());
  EXPECT_EQ(ok.body["user"]["role"], "caseworker");
  auto with_cookie = c.Post("/api/v1/auth/login",
                            {{"username", "cw1"}, {"password", kPassword}, {"session", "cookie"}});
  std::string cookie = with_cookie.Header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  auto me = c.Get("/api/v1/me");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.body["username"], "cw1");
  EXPECT_EQ(c.Post("/api/v1/auth/logout", Json::object()).status, 204);
  EXPECT_EQ(c.Get("/api/v1/me").status, 401);
}

// A password typed into the username field must not end up in the audit log: an
// unknown username is recorded only as a keyed digest, equal for equal attempts.
TEST_F(Api, FailedLoginOfAnUnknownUserKeepsOnlyADigest) {
  Client c(instance_->port());
  const std::string typed = "Tr0ub4dor-typed-into-the-wrong-field";
  EXPECT_EQ(c.Login(typed, "whatever-password").status, 401);
  EXPECT_EQ(c.Login(typed, "whatever-password").status, 401);
  EXPECT_EQ(c.Login("another-unknown-name", "whatever-password").status, 401);
  std::string raw;
  std::vector<std::string> digests;
  for (const auto& e : AuditLog(&raw)) {
    if (e["action"] == "auth.login_failed" && e["details"].contains("username_digest")) {
      digests.push_back(e["details"]["username_digest"]);
    }
  }
  EXPECT_EQ(raw.find("Tr0ub4dor"), std::string::npos);
  EXPECT_EQ(raw.find("another-unknown-name"), std::string::npos);
  ASSERT_GE(digests.size(), 3u);
  const auto n = digests.size();
  EXPECT_EQ(digests[n - 3], digests[n - 2]);  // the same name twice
  EXPECT_NE(digests[n - 2], digests[n - 1]);
  EXPECT_EQ(digests[n - 1].size(), 16u);
}

TEST_F(Api, RepeatedFailuresLockTheAccount) {
  Client admin = As("admin");
  ASSERT_EQ(admin.Post("/api/v1/users", {{"username", "victim-of-guessing"},
                                         {"password", kPassword},
                                         {"role", "caseworker"},
                                         {"organization_id", ngo1_}})
                .status,
            201);
  Client c(instance_->port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.Login("victim-of-guessing", "wrong-guess-" + std::to_string(i)).status, 401);
  auto locked = c.Login("victim-of-guessing", kPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.ErrorCode(), "account_locked");
}

TEST_F(Api, CookieSessionsNeedTheCsrfTokenOnWrites) {
  Client c(instance_->port());
  auto login = c.Post("/api/v1/auth/login",
                      {{"username", "cw1"}, {"password", kPassword}, {"session", "cookie"}});
  ASSERT_EQ(login.status, 200);
  std::string cookie = login.Header("Set-Cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  std::string csrf = login.body["csrf_token"];
  Client raw(instance_->port());
  auto read = raw.Get("/api/v1/me", {{"Cookie", cookie}});
  EXPECT_EQ(read.status, 200);
  auto before = Counts();
  auto no_csrf = raw.Post("/api/v1/cases", CaseBody("Cookie", "Tester"), {{"Cookie", cookie}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(no_csrf.ErrorCode(), "csrf_token_invalid");
  EXPECT_EQ(Counts(), before);
  auto with_csrf = raw.Post("/api/v1/cases", CaseBody("Cookie", "Tester"),
                            {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(with_csrf.status, 201) << with_csrf.raw;
}

TEST_F(Api, CreateListAndGetCasesWithoutIdentity) {
  Client cw = As("cw1");
  auto created = cw.Post("/api/v1/cases", CaseBody("Gülnarə", "Əliyeva"));
  ASSERT_EQ(created.status, 201) << created.raw;
  std::string code = created.body["code"];
  EXPECT_TRUE(code.rfind("AZ-2026-", 0) == 0) << code;
  EXPECT_EQ(code.size(), std::string("AZ-2026-000123").size());
  EXPECT_EQ(created.body["status"], "identified");
  EXPECT_EQ(created.body["organization_id"], ngo1_);
  EXPECT_EQ(created.body["transnational"], true);
  EXPECT_EQ(created.body["citizenship"], "AZ");
  for (const char* secret : {"Gülnarə", "Əliyeva", "1990-07-02", "C0099887", "555 12 34"})
    EXPECT_EQ(created.raw.find(secret), std::string::npos) << secret;
  // A case is opened by its code, as the caseworker reads it from the paper file.
  auto by_code = cw.Get("/api/v1/cases?code=" + code);
  ASSERT_EQ(by_code.status, 200) << by_code.raw;
  ASSERT_EQ(by_code.body["items"].size(), 1u);
  EXPECT_EQ(by_code.body["items"][0]["id"], created.body["id"]);
  EXPECT_EQ(cw.Get("/api/v1/cases?code=AZ-1999-000001").body["items"].size(), 0u);
  EXPECT_EQ(cw.Get("/api/v1/cases?code=az-2026-1").ErrorField(), "code");
  EXPECT_EQ(As("cw2").Get("/api/v1/cases?code=" + code).body["items"].size(), 0u)
      << "another organisation's code finds nothing";
  long id = created.body["id"];

  auto got = cw.Get("/api/v1/cases/" + std::to_string(id));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body["code"], code);
  EXPECT_EQ(got.body["means_of_control"], Json({"debt_bondage", "threats"}));
  EXPECT_EQ(got.raw.find("Əliyeva"), std::string::npos);

  auto list = cw.Get("/api/v1/cases?limit=200");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  for (const auto& item : list.body["items"]) {
    EXPECT_EQ(item["organization_id"], ngo1_);
    found |= item["id"] == id;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(list.raw.find("Əliyeva"), std::string::npos);
  EXPECT_EQ(list.raw.find("1990-07-02"), std::string::npos);
}

TEST_F(Api, CaseCodesAreUniqueAndPagesCoverEveryCaseOnce) {
  Client cw = As("cw2");
  std::set<std::string> codes;
  std::set<long> ids;
  for (int i = 0; i < 7; ++i) {
    auto r = cw.Post("/api/v1/cases", CaseBody("Person" + std::to_string(i), "Paged"));
    ASSERT_EQ(r.status, 201) << r.raw;
    codes.insert(r.body["code"].get<std::string>());
    ids.insert(r.body["id"].get<long>());
  }
  EXPECT_EQ(codes.size(), 7u);
  std::set<long> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto r = cw.Get("/api/v1/cases?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_LE(r.body["items"].size(), 3u);
    for (const auto& item : r.body["items"]) EXPECT_TRUE(seen.insert(item["id"].get<long>()).second);
    cursor = r.body["next_cursor"].is_null() ? "" : r.body["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty());
  for (long id : ids) EXPECT_TRUE(seen.count(id));
  EXPECT_GE(pages, 3);
  auto filtered = cw.Get("/api/v1/cases?status=closed");
  EXPECT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.body["items"].size(), 0u);
  EXPECT_EQ(cw.Get("/api/v1/cases?year=2026").body["items"].size(), 7u);
  EXPECT_EQ(cw.Get("/api/v1/cases?year=2025").body["items"].size(), 0u);
  EXPECT_EQ(cw.Get("/api/v1/cases?status=lost").ErrorField(), "status");
  EXPECT_EQ(cw.Get("/api/v1/cases?limit=0").ErrorField(), "limit");
  EXPECT_EQ(cw.Get("/api/v1/cases?cursor=abc").ErrorField(), "cursor");
}

TEST_F(Api, OrganisationsSeeOnlyTheirOwnCases) {
  Client cw1 = As("cw1");
  auto created = cw1.Post("/api/v1/cases", CaseBody("Scoped", "Person"));
  ASSERT_EQ(created.status, 201);
  std::string path = "/api/v1/cases/" + std::to_string(created.body["id"].get<long>());

  Client cw2 = As("cw2");
  EXPECT_EQ(cw2.Get(path).status, 404);
  EXPECT_EQ(cw2.Post(path + "/identity-views", {{"reason", "checking a referral"}}).status, 404);
  EXPECT_EQ(cw2.Post(path + "/transitions", {{"to", "referred"}}).status, 404);
  auto listed = cw2.Get("/api/v1/cases?limit=200");
  for (const auto& item : listed.body["items"])
    EXPECT_EQ(item["organization_id"], ngo2_);
  EXPECT_EQ(cw2.Get("/api/v1/cases?organization_id=" + std::to_string(ngo1_)).status, 403);
  // A case can only be registered for the caller's own organisation.
  Json other = CaseBody("Other", "Org");
  other["organization_id"] = ngo1_;
  EXPECT_EQ(cw2.Post("/api/v1/cases", other).status, 403);

  // The shelter manager of the same organisation sees it.
  EXPECT_EQ(As("sm1").Get(path).status, 200);
  // The coordinator sees every case, but never its identity or notes.
  Client coord = As("coord");
  EXPECT_EQ(coord.Get(path).status, 200);
  EXPECT_EQ(coord.Post(path + "/identity-views", {{"reason", "national statistics"}}).status, 403);
  // Analysts, auditors and admins do not read cases.
  for (const char* who : {"analyst", "auditor", "admin"}) {
    Client c = As(who);
    EXPECT_EQ(c.Get(path).status, 403) << who;
    EXPECT_EQ(c.Get("/api/v1/cases").status, 403) << who;
    EXPECT_EQ(c.Post("/api/v1/cases", CaseBody("No", "Access")).status, 403) << who;
    EXPECT_EQ(c.Post(path + "/identity-views", {{"reason", "curiosity only"}}).status, 403) << who;
  }
}

TEST_F(Api, IdentityViewNeedsAReasonAndIsAudited) {
  Client cw = As("cw1");
  auto created = cw.Post("/api/v1/cases", CaseBody("Leyla", "İsmayılova", "1988-12-17", "stateless"));
  ASSERT_EQ(created.status, 201);
  long id = created.body["id"];
  std::string path = "/api/v1/cases/" + std::to_string(id) + "/identity-views";
  auto no_reason = cw.Post(path, Json::object());
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.ErrorField(), "reason");
  // The reason never travels in a URL: the old GET with ?reason= is gone.
  EXPECT_EQ(cw.Get("/api/v1/cases/" + std::to_string(id) +
                   "/identity?reason=preparing%20the%20legal%20aid%20request")
                .status,
            404);
  auto ok = cw.Post(path, {{"reason", "preparing the legal aid request"}});
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["given_name"], "Leyla");
  EXPECT_EQ(ok.body["family_name"], "İsmayılova");
  EXPECT_EQ(ok.body["birth_date"], "1988-12-17");
  EXPECT_EQ(ok.body["citizenship"], "stateless");
  EXPECT_EQ(ok.body["documents"][0]["number"], "C0099887");

  std::string raw;
  bool found = false;
  for (const auto& e : AuditLog(&raw)) {
    if (e["action"] == "case.identity_view" && e["object_id"] == std::to_string(id)) {
      found = true;
      EXPECT_EQ(e["reason"], "preparing the legal aid request");
    }
  }
  EXPECT_EQ(raw.find("İsmayılova"), std::string::npos);
  EXPECT_TRUE(found);
  // Only the auditor reads the audit log.
  EXPECT_EQ(cw.Get("/api/v1/audit").status, 403);
  EXPECT_EQ(As("coord").Get("/api/v1/audit").status, 403);
}

// A victim often gives her true name and birth date only later: the caseworker
// corrects the identity; it is sealed anew, the case's age follows, the linkage key is
// recomputed (another organisation's registration of the true name now warns), and the
// audit says why and which fields changed, never their values.
TEST_F(Api, IdentityCanBeCorrectedWithAReason) {
  Client cw = As("cw1");
  Json body = CaseBody("Gülarə", "Namazova", "1990-07-02");
  body["person"].erase("birth_date");
  body["person"]["birth_year"] = 1991;  // an estimate
  auto created = cw.Post("/api/v1/cases", body);
  ASSERT_EQ(created.status, 201) << created.raw;
  const long id = created.body["id"];
  const std::string path = "/api/v1/cases/" + std::to_string(id) + "/identity";
  EXPECT_EQ(created.body["age_group"], "30-38");  // 2026 - 1991

  Json person = body["person"];
  person.erase("birth_year");
  person["given_name"] = "Xumar";
  person["family_name"] = "Rzaquliyeva";
  person["birth_date"] = "2009-05-04";  // a child at identification
  auto corrected = cw.Put(path, {{"person", person}, {"reason", "passport found at the embassy"}});
  ASSERT_EQ(corrected.status, 200) << corrected.raw;
  EXPECT_EQ(corrected.body["person"]["given_name"], "Xumar");
  EXPECT_EQ(corrected.body["known_elsewhere"].size(), 0u);
  auto shown = cw.Post("/api/v1/cases/" + std::to_string(id) + "/identity-views",
                       {{"reason", "checking the correction"}});
  EXPECT_EQ(shown.body["family_name"], "Rzaquliyeva");
  EXPECT_EQ(shown.body["birth_date"], "2009-05-04");
  auto detail = cw.Get("/api/v1/cases/" + std::to_string(id));
  EXPECT_EQ(detail.body["age_group"], "15-17") << detail.raw;

  // Another organisation now registers the same woman: warned by the new identity.
  Json again = CaseBody("Xumar", "Rzaquliyeva", "2009-05-04");
  again["child_status"] = "separated";
  auto second = As("cw2").Post("/api/v1/cases", again);
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(second.body["known_elsewhere"].size(), 1u) << second.raw;

  // Bad input, other organisations and other roles change nothing.
  auto before = Counts();
  EXPECT_EQ(cw.Put(path, {{"person", person}}).ErrorField(), "reason");
  EXPECT_EQ(cw.Put(path, {{"person", person}, {"reason", "why"}}).ErrorField(), "reason");
  Json bad = person;
  bad["birth_date"] = "2009-02-30";
  EXPECT_EQ(cw.Put(path, {{"person", bad}, {"reason", "a typo fixed"}}).ErrorField(),
            "person.birth_date");
  EXPECT_EQ(cw.Put(path, {{"reason", "a typo fixed"}}).ErrorField(), "person");
  EXPECT_EQ(cw.Put(path, {{"person", person}, {"reason", "a typo fixed"}, {"x", 1}}).ErrorField(), "x");
  EXPECT_EQ(As("cw2").Put(path, {{"person", person}, {"reason", "a typo fixed"}}).status, 404);
  EXPECT_EQ(As("coord").Put(path, {{"person", person}, {"reason", "a typo fixed"}}).status, 403);
  EXPECT_EQ(As("analyst").Put(path, {{"person", person}, {"reason", "a typo fixed"}}).status, 403);
  EXPECT_EQ(Counts(), before);

  std::string raw;
  bool found = false;
  for (const auto& e : AuditLog(&raw)) {
    if (e["action"] == "case.identity_correct" && e["object_id"] == std::to_string(id)) {
      found = true;
      EXPECT_EQ(e["reason"], "passport found at the embassy");
      EXPECT_EQ(e["details"]["changed"],
                Json({"birth_date", "birth_year", "family_name", "given_name"}));
    }
  }
  EXPECT_EQ(raw.find("Rzaquliyeva"), std::string::npos);
  EXPECT_EQ(raw.find("Namazova"), std::string::npos);
  EXPECT_TRUE(found);
}

TEST_F(Api, WorkflowRefusesIllegalTransitions) {
  Client cw = As("cw1");
  auto created = cw.Post("/api/v1/cases", CaseBody("Work", "Flow"));
  ASSERT_EQ(created.status, 201);
  std::string path = "/api/v1/cases/" + std::to_string(created.body["id"].get<long>());
  auto illegal = cw.Post(path + "/transitions", {{"to", "reintegrated"}});
  EXPECT_EQ(illegal.status, 409);
  EXPECT_EQ(illegal.ErrorCode(), "invalid_transition");
  auto reflection = cw.Post(path + "/transitions", {{"to", "reflection_period"}, {"on", "2026-03-02"}});
  ASSERT_EQ(reflection.status, 200) << reflection.raw;
  EXPECT_EQ(reflection.body["status"], "reflection_period");
  EXPECT_EQ(reflection.body["reflection_period"]["start"], "2026-03-02");
  EXPECT_EQ(reflection.body["reflection_period"]["end"], "2026-04-01");
  auto before_previous = cw.Post(path + "/transitions", {{"to", "assisted"}, {"on", "2026-03-01"}});
  EXPECT_EQ(before_previous.status, 400);
  EXPECT_EQ(before_previous.ErrorField(), "on");
  EXPECT_EQ(cw.Post(path + "/transitions", {{"to", "assisted"}, {"note", "moved to shelter"}}).status, 200);
  auto close_without_reason = cw.Post(path + "/transitions", {{"to", "closed"}});
  EXPECT_EQ(close_without_reason.status, 400);
  EXPECT_EQ(close_without_reason.ErrorField(), "closure_reason");
  auto close_without_note =
      cw.Post(path + "/transitions", {{"to", "closed"}, {"closure_reason", "reintegrated"}});
  EXPECT_EQ(close_without_note.status, 400);
  EXPECT_EQ(close_without_note.ErrorField(), "note");
  auto closed = cw.Post(path + "/transitions", {{"to", "closed"},
                                                {"closure_reason", "reintegrated"},
                                                {"note", "reintegrated with family"}});
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(closed.body["allowed_transitions"].size(), 0u);
  EXPECT_EQ(closed.body["transitions"].size(), 3u);
  EXPECT_EQ(closed.body["transitions"][1]["note"], "moved to shelter");
  EXPECT_EQ(cw.Post(path + "/transitions", {{"to", "assisted"}}).status, 409);
  // The coordinator sees the history without the free-text notes.
  auto coord_view = As("coord").Get(path);
  EXPECT_EQ(coord_view.body["transitions"].size(), 3u);
  EXPECT_FALSE(coord_view.body["transitions"][1].contains("note"));
  EXPECT_EQ(coord_view.raw.find("moved to shelter"), std::string::npos);
}

TEST_F(Api, BadInputIsRefusedWithTheFieldNamedAndChangesNothing) {
  Client cw = As("cw1");
  auto before = Counts();
  struct Case {
    std::string name;
    std::string body;
    int status;
    std::string field;
  };
  auto with = [](std::function<void(Json&)> f) {
    Json j = CaseBody("Bad", "Input");
    f(j);
    return j.dump();
  };
  std::vector<Case> cases = {
      {"malformed JSON", "{\"person\": ", 400, "body"},
      {"not an object", "[1,2,3]", 400, "body"},
      {"invalid UTF-8", std::string("{\"person\": {\"given_name\": \"\xff\xfe\"}}"), 400, "body"},
      {"wrong type", with([](Json& j) { j["transnational"] = "yes"; }), 400, "transnational"},
      {"wrong nested type", with([](Json& j) { j["person"]["given_name"] = 42; }), 400, "person.given_name"},
      {"unknown enum", with([](Json& j) { j["identified_by"] = "neighbour"; }), 400, "identified_by"},
      {"unknown enum in list", with([](Json& j) { j["exploitation"] = {"sexual", "slavery"}; }), 400, "exploitation[1]"},
      {"unknown sex", with([](Json& j) { j["person"]["sex"] = "F"; }), 400, "person.sex"},
      {"invalid date", with([](Json& j) { j["identified_on"] = "2026-02-30"; }), 400, "identified_on"},
      {"date in wrong format", with([](Json& j) { j["person"]["birth_date"] = "02.07.1990"; }), 400, "person.birth_date"},
      {"future date", with([](Json& j) { j["identified_on"] = "2099-01-01"; }), 400, "identified_on"},
      {"unknown country", with([](Json& j) { j["country_of_exploitation"] = "XX"; }), 400, "country_of_exploitation"},
      {"unknown citizenship", with([](Json& j) { j["person"]["citizenship"] = "Atlantis"; }), 400, "person.citizenship"},
      {"unknown region", with([](Json& j) { j["region"] = "AZ-QQQ"; }), 400, "region"},
      {"unknown field", with([](Json& j) { j["favourite_colour"] = "red"; }), 400, "favourite_colour"},
      {"missing person", with([](Json& j) { j.erase("person"); }), 400, "person"},
      {"no exploitation", with([](Json& j) { j["exploitation"] = Json::array(); }), 400, "exploitation"},
      {"control characters", with([](Json& j) { j["person"]["family_name"] = "a\u0001b"; }), 400, "person.family_name"},
      {"starts closed", with([](Json& j) { j["status"] = "closed"; }), 400, "status"},
  };
  for (const auto& c : cases) {
    auto r = cw.Request("POST", "/api/v1/cases", c.body);
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.raw;
    EXPECT_EQ(r.ErrorField(), c.field) << c.name << ": " << r.raw;
    EXPECT_FALSE(r.body["error"]["message"].get<std::string>().empty()) << c.name;
  }
  auto not_json = cw.Request("POST", "/api/v1/cases", "given_name=x", {}, "application/x-www-form-urlencoded");
  EXPECT_EQ(not_json.status, 400);
  auto huge = cw.Request("POST", "/api/v1/cases", std::string(2 << 20, 'x'));
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(huge.ErrorCode(), "too_large");
  EXPECT_EQ(Counts(), before);
}

TEST_F(Api, IdempotencyKeyNeverCreatesTwice) {
  Client cw = As("cw1");
  auto before = Counts();
  httplib::Headers key = {{"Idempotency-Key", "register-2026-03-01-xyz"}};
  auto first = cw.Post("/api/v1/cases", CaseBody("Idem", "Potent"), key);
  ASSERT_EQ(first.status, 201) << first.raw;
  auto second = cw.Post("/api/v1/cases", CaseBody("Idem", "Potent"), key);
  ASSERT_EQ(second.status, 201) << second.raw;
  EXPECT_EQ(first.body["id"], second.body["id"]);
  EXPECT_EQ(first.body["code"], second.body["code"]);
  auto reused = cw.Post("/api/v1/cases", CaseBody("Someone", "Else"), key);
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(reused.ErrorCode(), "idempotency_key_reused");
  auto after = Counts();
  EXPECT_EQ(after.first, before.first + 1);
}

TEST_F(Api, DuplicateRegistrationElsewhereIsFlaggedWithoutDisclosure) {
  auto first = As("cw1").Post("/api/v1/cases", CaseBody("Könül", "Özdəmir", "1992-08-06"));
  ASSERT_EQ(first.status, 201);
  EXPECT_EQ(first.body["known_elsewhere"].size(), 0u);
  auto second = As("cw2").Post("/api/v1/cases", CaseBody("KÖNÜL", "Özdəmir", "1992-08-06"));
  ASSERT_EQ(second.status, 201);
  ASSERT_EQ(second.body["known_elsewhere"].size(), 1u);
  EXPECT_EQ(second.body["known_elsewhere"][0]["organization_kind"], "ngo");
  EXPECT_FALSE(second.body["known_elsewhere"][0].contains("organization_id"));
}

TEST_F(Api, UsersAndOrganisationsAreManagedByAdminsAndCoordinators) {
  Client cw = As("cw1");
  EXPECT_EQ(cw.Post("/api/v1/organizations", {{"name", "Rogue"}, {"kind", "ngo"}}).status, 403);
  EXPECT_EQ(cw.Get("/api/v1/users").status, 403);
  EXPECT_EQ(cw.Get("/api/v1/organizations").status, 200);
  Client coord = As("coord");
  auto org = coord.Post("/api/v1/organizations", {{"name", "Shelter North"}, {"kind", "shelter"}, {"region", "AZ-GA"}});
  EXPECT_EQ(org.status, 201) << org.raw;
  EXPECT_EQ(coord.Post("/api/v1/organizations", {{"name", "Shelter North"}, {"kind", "shelter"}}).status, 409);
  EXPECT_EQ(coord.Post("/api/v1/organizations", {{"name", "X"}, {"kind", "church"}}).ErrorField(), "kind");
  auto admin_by_coord = coord.Post("/api/v1/users", {{"username", "newadmin"}, {"password", kPassword},
                                                     {"role", "admin"}, {"organization_id", coord_org_}});
  EXPECT_EQ(admin_by_coord.status, 403);
  // A coordinator cannot make an account that opens identities (and use it).
  auto caseworker_by_coord = coord.Post("/api/v1/users", {{"username", "newcw"}, {"password", kPassword},
                                                          {"role", "caseworker"}, {"organization_id", ngo1_}});
  EXPECT_EQ(caseworker_by_coord.status, 403);
  EXPECT_EQ(caseworker_by_coord.ErrorField(), "role");
  EXPECT_EQ(coord.Post("/api/v1/users", {{"username", "newsm"}, {"password", kPassword},
                                         {"role", "shelter_manager"}, {"organization_id", ngo1_}})
                .status,
            403);
  EXPECT_EQ(coord.Post("/api/v1/users", {{"username", "newanalyst"}, {"password", kPassword},
                                         {"role", "analyst"}, {"organization_id", coord_org_}})
                .status,
            201);
  auto weak = coord.Post("/api/v1/users", {{"username", "weak"}, {"password", "short"},
                                           {"role", "analyst"}, {"organization_id", ngo1_}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.ErrorField(), "password");
  auto users = coord.Get("/api/v1/users?limit=200");
  ASSERT_EQ(users.status, 200);
  EXPECT_EQ(users.raw.find("argon2"), std::string::npos);
  EXPECT_EQ(users.raw.find(kPassword), std::string::npos);
}

TEST_F(Api, UnknownEndpointsAnswerJson) {
  Client cw = As("cw1");
  auto r = cw.Get("/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.ErrorCode(), "not_found");
  EXPECT_EQ(cw.Get("/api/v1/cases/abc").status, 404);
  EXPECT_EQ(cw.Get("/api/v1/cases/999999").status, 404);
}

// The raw database file (and its WAL) never holds a name or a birth date.
TEST_F(Api, RawDatabaseNeverRevealsAnIdentity) {
  const std::string given = "Zərifə", family = "Qəhrəmanova", birth = "1991-04-17";
  auto created = As("cw1").Post("/api/v1/cases", CaseBody(given, family, birth));
  ASSERT_EQ(created.status, 201);
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto db = instance_->dir() / "haven.db";
  std::string bytes = read(db) + read(db.string() + "-wal");
  ASSERT_GT(bytes.size(), 10000u);
  for (const std::string& secret : {given, family, birth, std::string("19910417"),
                                    std::string("Qahramanova"), std::string("C0099887")})
    EXPECT_EQ(bytes.find(secret), std::string::npos) << secret;
}

// The digest an Idempotency-Key is checked against is of the request body, which for a
// registration holds the identity: the database keeps it only keyed, so that whoever holds the
// file cannot test a guessed identity against it.
TEST_F(Api, IdempotencyFingerprintsAreKeyedInTheDatabase) {
  const Json body = CaseBody("Gülnarə", "Səfərova", "1994-02-03");
  auto created = As("cw1").Post("/api/v1/cases", body, {{"Idempotency-Key", "fp-keyed-1"}});
  ASSERT_EQ(created.status, 201) << created.raw;
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto db = instance_->dir() / "haven.db";
  const std::string bytes = read(db) + read(db.string() + "-wal");
  ASSERT_NE(bytes.find("fp-keyed-1"), std::string::npos) << "the key itself is stored";
  ASSERT_TRUE(privacy::InitCrypto());
  const std::string unkeyed = privacy::Digest("POST /api/v1/cases\n" + body.dump());
  EXPECT_EQ(bytes.find(unkeyed), std::string::npos);
  // The keyed digest still tells a retry from another request.
  EXPECT_EQ(As("cw1").Post("/api/v1/cases", body, {{"Idempotency-Key", "fp-keyed-1"}}).status,
            201);
  Json other = CaseBody("Gülnarə", "Səfərova", "1994-02-04");
  EXPECT_EQ(As("cw1")
                .Post("/api/v1/cases", other, {{"Idempotency-Key", "fp-keyed-1"}})
                .ErrorCode(),
            "idempotency_key_reused");
}

}  // namespace
}  // namespace haven::testing
