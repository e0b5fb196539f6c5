// Authorisation as a matrix (DESIGN §5): every endpoint of the route table, reads and
// writes, × every role × the relation of the case to the organisations: the owner's
// own staff and another organisation's (the columns), and the case referred to a
// shelter with consent, without consent under a coordinator's override, with the
// consent withdrawn, with the consent expired, or transferred to the shelter (the
// scenarios). Over HTTP against a real `haven serve`. Every cell's expected status is
// written below; a change of who may do what must change the table, deliberately, and
// a route missing from the table fails the test.
//
// Writes run on a fresh case for every cell, so that one cell's success never decides
// the next one's answer. Run with HAVEN_MATRIX_PRINT=1 to print the observed table.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "an-orchard-lantern-basalt";
constexpr const char* kPassword = "a-long-test-password";
// Cases are set up on one day and asked about the next: a consent valid until the set-up
// day has expired when the cell runs. Sessions (8 hours) last across both.
constexpr const char* kSetUpTime = "2026-06-09T23:00:00Z";
constexpr const char* kAskTime = "2026-06-10T00:30:00Z";

// The columns. "-a": the owning organisation A (an NGO); "cw-b": another NGO; "sm-s":
// the shelter organisation S that cases are referred or transferred to.
// "sv-a": the supervisor of A.
const std::vector<std::string> kUsers = {"admin", "coord", "cw-a",    "sm-a",   "cw-b",
                                         "sm-s",  "analyst", "auditor", "sv-a"};

enum Scenario { kPlain, kConsent, kOverride, kWithdrawn, kExpired, kTransferred };
const std::vector<std::string> kScenarios = {"plain",     "consent", "override",
                                             "withdrawn", "expired", "transferred"};

using Row = std::vector<int>;  // one status per user, in the order of kUsers

// What a cell's request is about: a case in a scenario, and the records it needs.
struct Subject {
  long case_id = 0;
  std::string code;
  long consent_id = 0;
  long referral_id = 0;
  long record_id = 0;  // the stay, permit, proceeding, claim, follow-up or payment
};

class Authorization : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    in_ = new Instance("authz", kAdminPassword, /*test_clock=*/true);
    Instance& in = *in_;
    in.SetTime(kSetUpTime);
    a_ = in.Organization("Organisation A", "ngo");
    b_ = in.Organization("Organisation B", "ngo");
    s_ = in.Organization("Shelter S", "shelter");
    state_ = in.Organization("Coordinating Body", "state_body");
    in.User("coord", "coordinator", state_, kPassword);
    in.User("cw-a", "caseworker", a_, kPassword);
    in.User("sm-a", "shelter_manager", a_, kPassword);
    in.User("cw-b", "caseworker", b_, kPassword);
    in.User("sm-s", "shelter_manager", s_, kPassword);
    in.User("analyst", "analyst", state_, kPassword);
    in.User("auditor", "auditor", state_, kPassword);
    in.User("sv-a", "supervisor", a_, kPassword);
    // The account the user-administration cells act on.
    in.User("target", "analyst", state_, kPassword);
    auto users = in.admin().Get("/api/v1/users?limit=200");
    for (const auto& u : users.body["items"]) {
      if (u["username"] == "target") target_ = u["id"];
      if (u["username"] == "cw-a") cw_a_id_ = u["id"];
    }
    ASSERT_NE(target_, 0);
    // More person look-ups than the cells make (the limit is per user and hour).
    clients_ = new std::map<std::string, Client>();
    for (const auto& u : kUsers) clients_->emplace(u, in.As(u, kPassword));
    auto shelter_a = C("sm-a").Post("/api/v1/shelters", {{"name", "House A"}, {"organization_id", a_},
                                                        {"region", "AZ-BA"}, {"capacity", 500},
                                                        {"address", "Street 1"}});
    ASSERT_EQ(shelter_a.status, 201) << shelter_a.raw;
    shelter_a_ = shelter_a.body["id"];
    auto shelter_s = C("sm-s").Post("/api/v1/shelters", {{"name", "House S"}, {"organization_id", s_},
                                                        {"region", "AZ-GA"}, {"capacity", 500},
                                                        {"address", "Street 2"}});
    ASSERT_EQ(shelter_s.status, 201) << shelter_s.raw;
    shelter_s_ = shelter_s.body["id"];
    ASSERT_EQ(C("coord").Post("/api/v1/allowance-rates", {{"kind", "monthly"},
                                                          {"amount_minor", 20000},
                                                          {"currency", "AZN"},
                                                          {"effective_from", "2026-01-01"}})
                  .status,
              201);
    // An action plan with a measure that A is responsible for, and an event A organised.
    auto plan = C("coord").Post("/api/v1/action-plans", {{"title", "Plan"},
                                                         {"period_start", "2026-01-01"},
                                                         {"period_end", "2028-12-31"}});
    ASSERT_EQ(plan.status, 201) << plan.raw;
    plan_ = plan.body["id"];
    auto measure = C("coord").Post("/api/v1/action-plans/" + std::to_string(plan_) + "/measures",
                                   {{"code", "1.1"}, {"text", "Train the police"},
                                    {"responsible_organization_ids", {a_}}, {"deadline", "2027-06-30"}});
    ASSERT_EQ(measure.status, 201) << measure.raw;
    measure_ = measure.body["id"];
    auto agreement = C("coord").Post("/api/v1/agreements", {{"title", "Project"}, {"kind", "project"},
                                                            {"party_organization_ids", {a_}},
                                                            {"starts_on", "2026-01-01"}});
    ASSERT_EQ(agreement.status, 201) << agreement.raw;
    agreement_ = agreement.body["id"];
    auto convention = C("coord").Post("/api/v1/conventions", {{"title", "Convention"},
                                                              {"joined_on", "2010-01-01"}});
    ASSERT_EQ(convention.status, 201) << convention.raw;
    convention_ = convention.body["id"];
    ASSERT_EQ(C("coord").Post("/api/v1/conventions/" + std::to_string(convention_) + "/rounds",
                              {{"number", 100}, {"first_year", 2019}, {"last_year", 2022}})
                  .status,
              201);
    auto event = C("cw-a").Post("/api/v1/trainings", TrainingBody());
    ASSERT_EQ(event.status, 201) << event.raw;
    event_ = event.body["id"];
  }
  static Json TrainingBody() {
    return {{"kind", "training"}, {"organizer_organization_ids", {a_}}, {"region", "AZ-BA"},
            {"starts_on", "2026-05-01"}, {"topics", {"forced_labour"}}, {"audience", {"police"}},
            {"participants", {{"female", 3}, {"male", 4}}}};
  }
  static void TearDownTestSuite() {
    delete clients_;
    delete in_;
  }

  static Client& C(const std::string& user) { return clients_->at(user); }

  static std::string CasePath(long id) { return "/api/v1/cases/" + std::to_string(id); }
  // The organisation whose staff act as the case's owner in a scenario.
  static std::string OwnerCw(Scenario s) { return s == kTransferred ? "sm-s" : "cw-a"; }
  // The shelter a stay of the case is in (made by those who may admit her there)...
  static long StayShelter(Scenario s) {
    return s == kConsent || s == kTransferred ? shelter_s_ : shelter_a_;
  }
  // ... and the one a cell asks to admit her to: the receiving shelter S, but for a case
  // that was never referred (its owner's own shelter then).
  static long AdmitShelter(Scenario s) { return s == kPlain ? shelter_a_ : shelter_s_; }

  static long Id(const Response& r, const std::string& what) {
    EXPECT_TRUE(r.status == 200 || r.status == 201) << what << ": " << r.raw;
    return r.body.value("id", 0L);
  }

  // A new case of organisation A in the given scenario.
  static Subject Make(Scenario s) {
    Subject sub;
    static int n = 0;
    ++n;
    Json person = {{"given_name", "Aynur"},
                   {"family_name", "Səfərova" + std::to_string(n)},
                   {"birth_date", "1994-02-11"},
                   {"sex", "female"},
                   {"citizenship", "AZ"},
                   {"contacts", {{{"type", "phone"}, {"value", "+994 50 000 00 00"}}}}};
    auto created = C("cw-a").Post("/api/v1/cases", {{"person", person},
                                                    {"identified_on", "2026-02-01"},
                                                    {"identified_by", "ngo"},
                                                    {"exploitation", {"forced_labour"}}});
    sub.case_id = Id(created, "case");
    sub.code = created.body.value("code", "");
    const std::string path = CasePath(sub.case_id);
    auto consent = [&](long to, Json categories, std::optional<std::string> until = {}) {
      Json c = {{"recipient_organization_id", to},
                {"purposes", {"shelter", "assistance"}},
                {"categories", categories},
                {"given_on", "2026-02-02"},
                {"method", "signed_form"}};
      if (until) c["valid_until"] = *until;
      return Id(C("cw-a").Post(path + "/consents", c), "consent");
    };
    const Json shared = {"case_facts", "shelter", "services", "notes"};
    auto refer = [&](const std::string& route) {
      return Id(C("cw-a").Post(route, {{"case_id", sub.case_id},
                                       {"to_organization_id", s_},
                                       {"purposes", {"shelter"}}}),
                "referral");
    };
    auto accept = [&] {
      Id(C("sm-s").Post("/api/v1/referrals/" + std::to_string(sub.referral_id) + "/accept",
                        Json::object()),
         "accept");
    };
    switch (s) {
      case kPlain:
        // A consent for B that no referral uses: B still has no relation to the case.
        sub.consent_id = consent(b_, shared);
        break;
      case kConsent:
        sub.consent_id = consent(s_, shared);
        sub.referral_id = refer("/api/v1/referrals");
        accept();
        break;
      case kOverride:
        sub.consent_id = consent(b_, shared);
        sub.referral_id = Id(C("coord").Post("/api/v1/referrals",
                                             {{"case_id", sub.case_id},
                                              {"to_organization_id", s_},
                                              {"purposes", {"shelter"}},
                                              {"override",
                                               {{"basis", "vital_interest"},
                                                {"reason", "needs a safe bed tonight"},
                                                {"categories", {"case_facts"}}}}}),
                             "override");
        accept();
        break;
      case kWithdrawn:
        sub.consent_id = consent(s_, shared);
        sub.referral_id = refer("/api/v1/referrals");
        accept();
        Id(C("cw-a").Post("/api/v1/consents/" + std::to_string(sub.consent_id) + "/withdraw",
                          {{"withdrawn_on", "2026-06-09"}}),
           "withdraw");
        break;
      case kExpired:
        sub.consent_id = consent(s_, shared, "2026-06-09");
        sub.referral_id = refer("/api/v1/referrals");
        accept();
        break;
      case kTransferred:
        sub.consent_id = consent(s_, {"case_facts", "notes", "identity", "contacts", "services",
                                      "health", "shelter", "money", "documents"});
        sub.referral_id = refer("/api/v1/transfers");
        accept();
        break;
    }
    return sub;
  }

  // Makes the record a route acts on, as the case's owner (or the shelter) would.
  static void Prepare(const std::string& need, Scenario s, Subject& sub) {
    const std::string path = CasePath(sub.case_id);
    Client& owner = C(OwnerCw(s));
    if (need == "stay") {
      Client& staff = C(StayShelter(s) == shelter_s_ ? "sm-s" : "sm-a");
      sub.record_id = Id(staff.Post("/api/v1/shelters/" + std::to_string(StayShelter(s)) + "/stays",
                                    {{"case_id", sub.case_id}, {"admitted_on", "2026-02-03"}}),
                         "stay");
    } else if (need == "permit") {
      sub.record_id = Id(owner.Post(path + "/residence-permits",
                                    {{"permit_type", "reflection_permit"}, {"applied_on", "2026-02-04"}}),
                         "permit");
    } else if (need == "proceeding") {
      sub.record_id = Id(owner.Post(path + "/proceedings", {{"cooperating", true},
                                                            {"stage", "investigation"},
                                                            {"started_on", "2026-02-05"}}),
                         "proceeding");
    } else if (need == "claim") {
      sub.record_id = Id(owner.Post(path + "/compensation-claims",
                                    {{"route", "criminal_proceedings"}, {"amount_claimed_minor", 100000},
                                     {"currency", "AZN"}, {"filed_on", "2026-02-06"}}),
                         "claim");
    } else if (need == "follow-up") {
      sub.record_id = Id(owner.Post(path + "/follow-ups", {{"due_on", "2026-07-01"}}), "follow-up");
    } else if (need == "granted") {
      Id(C("coord").Post(path + "/identification", {{"decision", "granted"},
                                                    {"decided_on", "2026-02-07"},
                                                    {"deciding_body", "National Coordinator"}}),
         "decision");
    } else if (need == "payment") {
      Prepare("granted", s, sub);
      sub.record_id = Id(owner.Post(path + "/payments", {{"kind", "monthly"}, {"paid_on", "2026-02-08"}},
                                    {{"Idempotency-Key", "prep-" + std::to_string(sub.case_id)}}),
                         "payment");
    } else if (need == "form") {
      // The owner attaches a scanned form to the scenario's consent.
      auto r = owner.Put("/api/v1/consents/" + std::to_string(sub.consent_id) + "/form",
                         {{"media_type", "application/pdf"}, {"content_base64", "JVBERi0xLjQK"}});
      EXPECT_EQ(r.status, 204) << r.raw;
    } else if (need == "closed") {
      // A supervisor of A (or the shelter, which has none) closes it at once.
      Client& closer = s == kTransferred ? C("sm-s") : C("sv-a");
      Id(closer.Post(path + "/transitions", {{"to", "closed"},
                                             {"closure_reason", "lost_contact"},
                                             {"note", "No contact for three months now."}}),
         "close");
    } else if (need == "closure-request") {
      // A caseworker of A asks; the supervisor decides (the shelter closes at once).
      auto r = owner.Post(path + "/transitions", {{"to", "closed"},
                                                  {"closure_reason", "assistance_completed"},
                                                  {"note", "Assistance is complete, she is safe."}});
      EXPECT_TRUE(r.status == 200 || r.status == 202) << r.raw;
    } else if (need == "note") {
      Id(owner.Post(path + "/notes", {{"text", "Called her sister; all well."}}), "note");
    } else if (need == "attachment") {
      sub.record_id = Id(owner.Request("POST", path + "/attachments", AttachmentBody(), {},
                                       kMultipart),
                         "attachment");
    } else if (need == "reflection") {
      Id(owner.Post(path + "/transitions", {{"to", "reflection_period"}, {"on", "2026-02-02"}}),
         "reflection");
    }
  }

  struct Request {
    std::string method;
    std::string path;
    Json body;
    httplib::Headers headers;
    std::string raw_body = {};  // sent as is with `content_type` when not empty
    std::string content_type = "application/json";
  };

  static constexpr const char* kMultipart = "multipart/form-data; boundary=matrixboundary";
  // A one-page PDF with a title, as a browser's form sends it.
  static std::string AttachmentBody() {
    return "--matrixboundary\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n"
           "passport copy\r\n--matrixboundary\r\nContent-Disposition: form-data; "
           "name=\"file\"; filename=\"p.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
           "%PDF-1.4\n%%EOF\n\r\n--matrixboundary--\r\n";
  }

  // One endpoint of the matrix: how to ask, whether the case matters, what to prepare.
  struct Endpoint {
    std::string method;
    std::string route;  // as in the route table
    bool case_scoped;   // the answer depends on the scenario
    std::string need;   // a record to prepare first ("" for none)
    std::function<Request(const Subject&, Scenario, int /*cell*/)> make;
  };

  static std::vector<Endpoint> Endpoints();

  static Instance* in_;
  static std::map<std::string, Client>* clients_;
  static long a_, b_, s_, state_, shelter_a_, shelter_s_, target_, cw_a_id_, plan_, measure_, event_,
      agreement_, convention_;
};

Instance* Authorization::in_;
std::map<std::string, Client>* Authorization::clients_;
long Authorization::a_, Authorization::b_, Authorization::s_, Authorization::state_,
    Authorization::shelter_a_, Authorization::shelter_s_, Authorization::target_,
    Authorization::cw_a_id_, Authorization::plan_, Authorization::measure_, Authorization::event_,
    Authorization::agreement_, Authorization::convention_;

std::vector<Authorization::Endpoint> Authorization::Endpoints() {
  auto c = [](const Subject& s) { return CasePath(s.case_id); };
  auto id = [](long v) { return std::to_string(v); };
  auto get = [](std::string method, std::string route, bool scoped,
                std::function<std::string(const Subject&)> path, std::string need = "") {
    return Endpoint{method, route, scoped, need, [path, method](const Subject& s, Scenario, int) {
                      return Request{method, path(s), Json(), {}};
                    }};
  };
  auto post = [](std::string method, std::string route, bool scoped, std::string need,
                 std::function<Request(const Subject&, Scenario, int)> make) {
    return Endpoint{method, route, scoped, need, make};
  };
  auto fixed = [](std::string p) { return [p](const Subject&) { return p; }; };
  std::vector<Endpoint> e;
  // ---- not about one case
  e.push_back(get("GET", "/api/v1/health", false, fixed("/api/v1/health")));
  e.push_back(get("GET", "/api/v1/openapi.json", false, fixed("/api/v1/openapi.json")));
  e.push_back(post("POST", "/api/v1/auth/login", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/auth/login", {{"username", "nobody"}, {"password", "wrong-password-1"}}, {}};
  }));
  e.push_back(post("POST", "/api/v1/auth/logout", false, "", [](const Subject&, Scenario, int) {
    return Request{"LOGOUT", "/api/v1/auth/logout", Json::object(), {}};
  }));
  e.push_back(get("GET", "/api/v1/me", false, fixed("/api/v1/me")));
  e.push_back(get("GET", "/api/v1/organizations", false, fixed("/api/v1/organizations")));
  e.push_back(post("POST", "/api/v1/organizations", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/organizations", {{"name", "Org " + std::to_string(n)}, {"kind", "ngo"}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/organizations/{id}", false, fixed("/api/v1/organizations/1")));
  e.push_back(post("PATCH", "/api/v1/organizations/{id}", false, "", [](const Subject&, Scenario, int) {
    return Request{"PATCH", "/api/v1/organizations/" + std::to_string(b_), {{"region", "AZ-BA"}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/users", false, fixed("/api/v1/users")));
  e.push_back(post("POST", "/api/v1/users", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/users", {{"username", "user-" + std::to_string(n)},
                                             {"password", kPassword}, {"role", "analyst"},
                                             {"organization_id", state_}}, {}};
  }));
  e.push_back(post("PATCH", "/api/v1/users/{id}", false, "", [](const Subject&, Scenario, int) {
    return Request{"PATCH", "/api/v1/users/" + std::to_string(target_), {{"role", "auditor"}}, {}};
  }));
  e.push_back(post("POST", "/api/v1/users/{id}/unlock", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/users/" + std::to_string(target_) + "/unlock", Json::object(), {}};
  }));
  for (const char* step : {"deactivate", "reactivate", "reset-password"}) {
    std::string st(step);
    e.push_back(post("POST", "/api/v1/users/{id}/" + st, false, "", [st](const Subject&, Scenario, int) {
      return Request{"POST", "/api/v1/users/" + std::to_string(target_) + "/" + st, Json::object(), {}};
    }));
  }
  // With a wrong old password: refused for everyone, and nobody's password changes.
  e.push_back(post("POST", "/api/v1/me/password", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/me/password",
                   {{"old_password", "not-my-password-1"}, {"new_password", "another-long-password"}}, {}};
  }));
  // One's own second factor. Admins and coordinators have one (the harness enrolled them):
  // no second enrolment, and theirs cannot be turned off; the others start one (not in
  // force until confirmed: the code here is wrong). New recovery codes want a code.
  e.push_back(get("GET", "/api/v1/me/second-factor", false, fixed("/api/v1/me/second-factor")));
  e.push_back(post("POST", "/api/v1/me/second-factor/enrolment", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/me/second-factor/enrolment", Json::object(), {}};
  }));
  e.push_back(post("POST", "/api/v1/me/second-factor/confirm", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/me/second-factor/confirm", {{"code", "000000"}}, {}};
  }));
  e.push_back(post("POST", "/api/v1/me/second-factor/disable", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/me/second-factor/disable",
                   {{"password", "not-my-password-1"}, {"code", "000000"}}, {}};
  }));
  e.push_back(post("POST", "/api/v1/me/second-factor/recovery-codes", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/me/second-factor/recovery-codes", Json::object(), {}};
  }));
  e.push_back(get("GET", "/api/v1/auth/session", false, fixed("/api/v1/auth/session")));
  // One's own language: everyone may choose it.
  e.push_back(post("PATCH", "/api/v1/me", false, "", [](const Subject&, Scenario, int) {
    return Request{"PATCH", "/api/v1/me", {{"language", "en"}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/closure-requests", false, fixed("/api/v1/closure-requests")));
  e.push_back(get("GET", "/api/v1/vocabularies", false, fixed("/api/v1/vocabularies")));
  e.push_back(post("POST", "/api/v1/audit/verify", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/audit/verify", Json::object(), {}};
  }));
  e.push_back(get("GET", "/api/v1/cases", false, fixed("/api/v1/cases")));
  e.push_back(post("POST", "/api/v1/cases", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/cases",
                   {{"person", {{"given_name", "Nərmin"}, {"family_name", "Cell" + std::to_string(n)},
                                {"sex", "female"}, {"citizenship", "stateless"}}},
                    {"identified_on", "2026-02-01"}, {"identified_by", "hotline"},
                    {"exploitation", {"sexual"}}}, {}};
  }));
  e.push_back(post("POST", "/api/v1/persons/lookup", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/persons/lookup",
                   {{"given_name", "Aynur"}, {"family_name", "Səfərova1"}, {"birth_date", "1994-02-11"},
                    {"sex", "female"}, {"citizenship", "AZ"}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/audit", false, fixed("/api/v1/audit")));
  e.push_back(get("GET", "/api/v1/audit/checkpoint", false, fixed("/api/v1/audit/checkpoint")));
  e.push_back(get("GET", "/api/v1/reports", false, fixed("/api/v1/reports")));
  e.push_back(get("GET", "/api/v1/reports/counts", false, fixed("/api/v1/reports/counts?by=sex")));
  e.push_back(get("GET", "/api/v1/reports/privacy-budget", false,
                  fixed("/api/v1/reports/privacy-budget")));
  e.push_back(get("GET", "/api/v1/exports/ctdc", false, fixed("/api/v1/exports/ctdc?k=11")));
  e.push_back(get("GET", "/api/v1/reports/{name}", false, fixed("/api/v1/reports/annual?year=2026")));
  e.push_back(get("GET", "/api/v1/shelters", false, fixed("/api/v1/shelters")));
  e.push_back(post("POST", "/api/v1/shelters", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/shelters", {{"name", "House " + std::to_string(n)},
                                                {"organization_id", a_}, {"region", "AZ-BA"},
                                                {"capacity", 3}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/shelters/{id}", false, [](const Subject&) {
    return "/api/v1/shelters/" + std::to_string(shelter_a_);
  }));
  e.push_back(get("GET", "/api/v1/shelters/{id}/stays", false, [](const Subject&) {
    return "/api/v1/shelters/" + std::to_string(shelter_a_) + "/stays";
  }));
  e.push_back(get("GET", "/api/v1/shelters/{id}/occupancy", false, [](const Subject&) {
    return "/api/v1/shelters/" + std::to_string(shelter_a_) + "/occupancy?from=2026-02-01&to=2026-02-28";
  }));
  e.push_back(get("GET", "/api/v1/allowance-rates", false, fixed("/api/v1/allowance-rates")));
  e.push_back(post("POST", "/api/v1/allowance-rates", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/allowance-rates",
                   {{"kind", "cell_" + std::to_string(n)}, {"amount_minor", 100}, {"currency", "AZN"},
                    {"effective_from", "2026-01-01"}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/payments", false, fixed("/api/v1/payments")));
  e.push_back(get("GET", "/api/v1/allowances/totals", false, fixed("/api/v1/allowances/totals?year=2026")));
  e.push_back(get("GET", "/api/v1/tasks", false, fixed("/api/v1/tasks")));
  e.push_back(get("GET", "/api/v1/referrals", false, fixed("/api/v1/referrals")));
  e.push_back(get("GET", "/api/v1/consent-receipts/key", false, fixed("/api/v1/consent-receipts/key")));
  e.push_back(get("GET", "/api/v1/coalition/members", false, fixed("/api/v1/coalition/members")));
  e.push_back(post("POST", "/api/v1/coalition/members", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/coalition/members", {{"organization_id", a_}, {"signed_on", "2025-05-01"}}, {}};
  }));
  // Prevention and the action plan: nothing about a case.
  e.push_back(get("GET", "/api/v1/trainings", false, fixed("/api/v1/trainings")));
  e.push_back(post("POST", "/api/v1/trainings", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/trainings", TrainingBody(), {}};
  }));
  e.push_back(get("GET", "/api/v1/trainings/{id}", false, [](const Subject&) {
    return "/api/v1/trainings/" + std::to_string(event_);
  }));
  e.push_back(get("GET", "/api/v1/reports/awareness", false, fixed("/api/v1/reports/awareness?year=2026")));
  e.push_back(get("GET", "/api/v1/action-plans", false, fixed("/api/v1/action-plans")));
  e.push_back(post("POST", "/api/v1/action-plans", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/action-plans", {{"title", "Plan " + std::to_string(n)},
                                                    {"period_start", "2026-01-01"},
                                                    {"period_end", "2027-12-31"}}, {}};
  }));
  auto plan = [](std::string sub) {
    return [sub](const Subject&) { return "/api/v1/action-plans/" + std::to_string(plan_) + sub; };
  };
  e.push_back(get("GET", "/api/v1/action-plans/{id}", false, plan("")));
  e.push_back(get("GET", "/api/v1/action-plans/{id}/measures", false, plan("/measures")));
  e.push_back(get("GET", "/api/v1/action-plans/{id}/summary", false, plan("/summary")));
  e.push_back(post("POST", "/api/v1/action-plans/{id}/measures", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/action-plans/" + std::to_string(plan_) + "/measures",
                   {{"code", "2." + std::to_string(n)}, {"text", "A measure"},
                    {"responsible_organization_ids", {a_}}, {"deadline", "2027-06-30"}}, {}};
  }));
  e.push_back(post("POST", "/api/v1/action-plans/{id}/measures/import", false, "", [](const Subject&, Scenario, int n) {
    Request r{"POST", "/api/v1/action-plans/" + std::to_string(plan_) + "/measures/import", Json(), {}};
    r.raw_body = "code,measure,responsible,deadline\n3." + std::to_string(n) +
                 ",Imported,Organisation A,2027-12-31\n";
    r.content_type = "text/csv";
    return r;
  }));
  e.push_back(get("GET", "/api/v1/measures/{id}", false, [](const Subject&) {
    return "/api/v1/measures/" + std::to_string(measure_);
  }));
  e.push_back(post("POST", "/api/v1/measures/{id}/progress", false, "", [](const Subject&, Scenario, int) {
    return Request{"POST", "/api/v1/measures/" + std::to_string(measure_) + "/progress",
                   {{"reported_on", "2026-06-01"}, {"status", "in_progress"},
                    {"reporting_organization_id", a_}}, {}};
  }));
  // International cooperation.
  e.push_back(get("GET", "/api/v1/agreements", false, fixed("/api/v1/agreements")));
  e.push_back(post("POST", "/api/v1/agreements", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/agreements", {{"title", "Agreement " + std::to_string(n)},
                                                  {"kind", "grant"}, {"party_organization_ids", {b_}},
                                                  {"starts_on", "2026-02-01"}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/agreements/{id}", false, [](const Subject&) {
    return "/api/v1/agreements/" + std::to_string(agreement_);
  }));
  e.push_back(post("PUT", "/api/v1/agreements/{id}", false, "", [](const Subject&, Scenario, int) {
    const std::string path = "/api/v1/agreements/" + std::to_string(agreement_);
    const long version = C("coord").Get(path).body.value("version", 0L);
    return Request{"PUT", path, {{"title", "Project"}, {"kind", "project"}, {"party_organization_ids", {a_}},
                                 {"starts_on", "2026-01-01"}, {"version", version}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/conventions", false, fixed("/api/v1/conventions")));
  e.push_back(post("POST", "/api/v1/conventions", false, "", [](const Subject&, Scenario, int n) {
    return Request{"POST", "/api/v1/conventions", {{"title", "Convention " + std::to_string(n)},
                                                   {"joined_on", "2012-01-01"}}, {}};
  }));
  e.push_back(get("GET", "/api/v1/conventions/{id}", false, [](const Subject&) {
    return "/api/v1/conventions/" + std::to_string(convention_);
  }));
  e.push_back(post("POST", "/api/v1/conventions/{id}/rounds", false, "", [](const Subject&, Scenario, int) {
    static int number = 0;
    return Request{"POST", "/api/v1/conventions/" + std::to_string(convention_) + "/rounds",
                   {{"number", ++number}, {"first_year", 2019}, {"last_year", 2022}}, {}};
  }));
  e.push_back(post("PUT", "/api/v1/conventions/{id}/rounds/{number}", false, "", [](const Subject&, Scenario, int) {
    return Request{"PUT", "/api/v1/conventions/" + std::to_string(convention_) + "/rounds/100",
                   {{"first_year", 2019}, {"last_year", 2022}, {"submitted_on", "2026-06-01"}}, {}};
  }));

  // ---- reads of one case
  for (const char* sub : {"", "/stays", "/services", "/identification", "/payments", "/support-plan",
                          "/reflection-extensions", "/residence-permits", "/proceedings",
                          "/compensation-claims", "/return", "/follow-ups", "/consents", "/owners",
                          "/access-history"}) {
    std::string s(sub);
    e.push_back(get("GET", "/api/v1/cases/{id}" + s, true, [c, s](const Subject& x) { return c(x) + s; }));
  }
  e.push_back(get("GET", "/api/v1/cases/{id}/notes", true, [c](const Subject& x) { return c(x) + "/notes"; },
                  "note"));
  e.push_back(get("GET", "/api/v1/cases/{id}/attachments", true,
                  [c](const Subject& x) { return c(x) + "/attachments"; }, "attachment"));
  e.push_back(get("GET", "/api/v1/attachments/{id}", true,
                  [id](const Subject& x) { return "/api/v1/attachments/" + id(x.record_id); },
                  "attachment"));
  e.push_back(get("GET", "/api/v1/cases/{id}/closure-requests", true,
                  [c](const Subject& x) { return c(x) + "/closure-requests"; }, "closure-request"));
  e.push_back(get("GET", "/api/v1/cases/by-code/{code}", true,
                  [](const Subject& x) { return "/api/v1/cases/by-code/" + x.code; }));
  e.push_back(get("GET", "/api/v1/referrals/{id}", true, [id](const Subject& x) {
    return "/api/v1/referrals/" + id(x.referral_id ? x.referral_id : 999999);
  }));
  e.push_back(get("GET", "/api/v1/consents/{id}/receipt", true, [id](const Subject& x) {
    return "/api/v1/consents/" + id(x.consent_id) + "/receipt";
  }));
  e.push_back(post("POST", "/api/v1/cases/{id}/identity-views", true, "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/identity-views", {{"reason", "matrix test of access"}}, {}};
  }));

  // ---- writes on one case (a fresh case each time)
  auto w = [&](std::string method, std::string route, std::string need,
               std::function<Request(const Subject&, Scenario, int)> make) {
    e.push_back(Endpoint{method, route, true, need, make});
  };
  w("PUT", "/api/v1/cases/{id}/identity", "", [c](const Subject& x, Scenario, int) {
    return Request{"PUT", c(x) + "/identity",
                   {{"person", {{"given_name", "Aynur"}, {"family_name", "Səfərli"}, {"sex", "female"},
                                {"citizenship", "AZ"}}},
                    {"reason", "passport read at last"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/transitions", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/transitions", {{"to", "referred"}}, {}};
  });
  w("PATCH", "/api/v1/cases/{id}", "", [c](const Subject& x, Scenario s, int) {
    const long version = C(OwnerCw(s)).Get(c(x)).body.value("version", 0L);
    return Request{"PATCH", c(x), {{"version", version}, {"region", "AZ-SAT"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/reopen", "closed", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/reopen", {{"reason", "She came back to us."}}, {}};
  });
  w("PUT", "/api/v1/cases/{id}/assignment", "", [c](const Subject& x, Scenario, int) {
    return Request{"PUT", c(x) + "/assignment", {{"user_id", cw_a_id_}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/closure/approve", "closure-request", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/closure/approve", Json::object(), {}};
  });
  w("POST", "/api/v1/cases/{id}/closure/reject", "closure-request", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/closure/reject", {{"note", "Please first record the last visit."}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/closure/withdraw", "closure-request", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/closure/withdraw", Json::object(), {}};
  });
  w("POST", "/api/v1/cases/{id}/notes", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/notes", {{"text", "Visited at home."}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/attachments", "", [c](const Subject& x, Scenario, int) {
    Request r{"POST", c(x) + "/attachments", Json(), {}};
    r.raw_body = AttachmentBody();
    r.content_type = kMultipart;
    return r;
  });
  w("POST", "/api/v1/shelters/{id}/stays", "", [c](const Subject& x, Scenario s, int) {
    return Request{"POST", "/api/v1/shelters/" + std::to_string(AdmitShelter(s)) + "/stays",
                   {{"case_id", x.case_id}, {"admitted_on", "2026-02-03"}}, {}};
  });
  w("POST", "/api/v1/stays/{id}/discharge", "stay", [](const Subject& x, Scenario, int) {
    return Request{"POST", "/api/v1/stays/" + std::to_string(x.record_id) + "/discharge",
                   {{"discharged_on", "2026-02-20"}, {"discharge_reason", "plan_completed"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/services", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/services",
                   {{"type", "food"}, {"provider_organization_id", s_}, {"delivered_on", "2026-02-03"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/identification", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/identification",
                   {{"decision", "granted"}, {"decided_on", "2026-02-07"}, {"deciding_body", "National Coordinator"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/payments", "granted", [c](const Subject& x, Scenario, int n) {
    return Request{"POST", c(x) + "/payments", {{"kind", "monthly"}, {"paid_on", "2026-02-08"}},
                   {{"Idempotency-Key", "cell-" + std::to_string(n)}}};
  });
  w("POST", "/api/v1/payments/{id}/approve", "payment", [](const Subject& x, Scenario, int) {
    return Request{"POST", "/api/v1/payments/" + std::to_string(x.record_id) + "/approve", Json::object(), {}};
  });
  for (const char* step : {"reject", "cancel"}) {
    std::string st(step);
    w("POST", "/api/v1/payments/{id}/" + st, "payment", [st](const Subject& x, Scenario, int) {
      return Request{"POST", "/api/v1/payments/" + std::to_string(x.record_id) + "/" + st,
                     {{"reason", "entered for the wrong month"}}, {}};
    });
  }
  w("PUT", "/api/v1/cases/{id}/support-plan", "", [c](const Subject& x, Scenario, int) {
    return Request{"PUT", c(x) + "/support-plan",
                   {{"assessed_on", "2026-02-04"}, {"needs", "safe housing"}, {"objectives", "independent living"},
                    {"planned_services", {"psychological"}}, {"planned_end_on", "2026-08-01"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/reflection-extensions", "reflection", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/reflection-extensions",
                   {{"days", 30}, {"reason", "still recovering"}, {"decided_on", "2026-02-20"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/residence-permits", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/residence-permits",
                   {{"permit_type", "reflection_permit"}, {"applied_on", "2026-02-04"}}, {}};
  });
  w("PUT", "/api/v1/residence-permits/{id}", "permit", [](const Subject& x, Scenario, int) {
    return Request{"PUT", "/api/v1/residence-permits/" + std::to_string(x.record_id),
                   {{"permit_type", "reflection_permit"}, {"applied_on", "2026-02-04"}, {"decision", "pending"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/proceedings", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/proceedings",
                   {{"cooperating", true}, {"stage", "investigation"}, {"started_on", "2026-02-05"}}, {}};
  });
  w("PUT", "/api/v1/proceedings/{id}", "proceeding", [](const Subject& x, Scenario, int) {
    return Request{"PUT", "/api/v1/proceedings/" + std::to_string(x.record_id),
                   {{"cooperating", true}, {"stage", "prosecution"}, {"started_on", "2026-02-05"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/compensation-claims", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/compensation-claims",
                   {{"route", "criminal_proceedings"}, {"amount_claimed_minor", 100000}, {"currency", "AZN"},
                    {"filed_on", "2026-02-06"}}, {}};
  });
  w("PUT", "/api/v1/compensation-claims/{id}", "claim", [](const Subject& x, Scenario, int) {
    return Request{"PUT", "/api/v1/compensation-claims/" + std::to_string(x.record_id),
                   {{"route", "criminal_proceedings"}, {"amount_claimed_minor", 120000}, {"currency", "AZN"},
                    {"filed_on", "2026-02-06"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/return", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/return",
                   {{"voluntary", true}, {"destination_country", "UZ"}, {"returned_on", "2026-03-01"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/follow-ups", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/follow-ups", {{"due_on", "2026-07-01"}}, {}};
  });
  w("POST", "/api/v1/follow-ups/{id}/complete", "follow-up", [](const Subject& x, Scenario, int) {
    return Request{"POST", "/api/v1/follow-ups/" + std::to_string(x.record_id) + "/complete",
                   {{"done_on", "2026-06-01"}, {"outcome", "stable"}}, {}};
  });
  w("POST", "/api/v1/cases/{id}/consents", "", [c](const Subject& x, Scenario, int) {
    return Request{"POST", c(x) + "/consents",
                   {{"recipient_kind", "international_organization"}, {"purposes", {"return"}},
                    {"categories", {"case_facts"}}, {"given_on", "2026-02-10"}, {"method", "electronic"}}, {}};
  });
  w("POST", "/api/v1/consents/{id}/withdraw", "", [](const Subject& x, Scenario, int) {
    return Request{"POST", "/api/v1/consents/" + std::to_string(x.consent_id) + "/withdraw",
                   {{"withdrawn_on", "2026-06-10"}}, {}};
  });
  w("PUT", "/api/v1/consents/{id}/form", "", [](const Subject& x, Scenario, int) {
    return Request{"PUT", "/api/v1/consents/" + std::to_string(x.consent_id) + "/form",
                   {{"media_type", "application/pdf"}, {"content_base64", "JVBERi0xLjQK"}}, {}};
  });
  w("POST", "/api/v1/consents/{id}/form-views", "form", [](const Subject& x, Scenario, int) {
    return Request{"POST", "/api/v1/consents/" + std::to_string(x.consent_id) + "/form-views",
                   {{"reason", "matrix test of access"}}, {}};
  });
  w("POST", "/api/v1/referrals", "", [](const Subject& x, Scenario, int) {
    return Request{"POST", "/api/v1/referrals",
                   {{"case_id", x.case_id}, {"to_organization_id", b_}, {"purposes", {"assistance"}}}, {}};
  });
  w("POST", "/api/v1/transfers", "", [](const Subject& x, Scenario, int) {
    return Request{"POST", "/api/v1/transfers",
                   {{"case_id", x.case_id}, {"to_organization_id", b_}, {"purposes", {"assistance"}}}, {}};
  });
  for (const char* step : {"accept", "decline", "complete", "revoke"}) {
    std::string st(step);
    w("POST", "/api/v1/referrals/{id}/" + st, "", [st](const Subject& x, Scenario, int) {
      Json body = st == "decline" ? Json{{"reason", "no place for her this week"}} : Json::object();
      return Request{"POST", "/api/v1/referrals/" + std::to_string(x.referral_id ? x.referral_id : 999999) +
                                 "/" + st,
                     body, {}};
    });
  }
  return e;
}

// clang-format off
// The expected statuses. Columns: admin coord cw-a sm-a cw-b sm-s analyst auditor sv-a.
// Routes not about one case have one row; the others one row per scenario:
// plain, consent, override, withdrawn, expired, transferred.
const std::map<std::string, std::vector<Row>>& Expected() {
  static const std::map<std::string, std::vector<Row>> table = {
#include "api/authorization_matrix.inc"
  };
  return table;
}
// clang-format on

TEST_F(Authorization, EveryEndpointByEveryRoleInEveryRelation) {
  const bool print = std::getenv("HAVEN_MATRIX_PRINT") != nullptr;
  const auto& expected = Expected();
  std::string observed;
  int cell = 0;
  for (const auto& ep : Endpoints()) {
    const std::string key = ep.method + " " + ep.route;
    const auto it = expected.find(key);
    if (!print && it == expected.end()) {
      ADD_FAILURE() << key << " is not in the authorisation matrix";
      continue;
    }
    observed += "    {\"" + key + "\", {\n";
    const size_t scenarios = ep.case_scoped ? kScenarios.size() : 1;
    if (!print && it->second.size() != scenarios) {
      ADD_FAILURE() << key << ": the table has " << it->second.size() << " rows, expected "
                    << scenarios;
      continue;
    }
    // Reads share one case per scenario; writes get a fresh one per cell.
    const bool fresh = ep.method != "GET" && ep.case_scoped;
    for (size_t si = 0; si < scenarios; ++si) {
      const auto scenario = static_cast<Scenario>(si);
      Subject shared;
      if (ep.case_scoped && !fresh) {
        in_->SetTime(kSetUpTime);
        shared = Make(scenario);
        if (!ep.need.empty()) Prepare(ep.need, scenario, shared);
      }
      std::string row = "        {";
      for (size_t ui = 0; ui < kUsers.size(); ++ui) {
        Subject subject = shared;
        if (fresh) {
          in_->SetTime(kSetUpTime);
          subject = Make(scenario);
          if (!ep.need.empty()) Prepare(ep.need, scenario, subject);
        }
        in_->SetTime(kAskTime);
        Request rq = ep.make(subject, scenario, ++cell);
        Response r;
        if (rq.method == "LOGOUT") {
          // Signing out ends the session: use a session of its own.
          Client c = in_->As(kUsers[ui], kPassword);
          r = c.Post(rq.path, rq.body, rq.headers);
        } else {
          r = C(kUsers[ui]).Request(
              rq.method, rq.path,
              !rq.raw_body.empty() ? rq.raw_body : rq.body.is_null() ? "" : rq.body.dump(),
              rq.headers, rq.content_type);
        }
        row += (ui ? ", " : "") + std::to_string(r.status);
        if (!print && r.status != it->second[si][ui])
          ADD_FAILURE() << kUsers[ui] << " " << rq.method << " " << rq.path << " ("
                        << (ep.case_scoped ? kScenarios[si] : "any") << "): " << r.status
                        << ", expected " << it->second[si][ui] << "\n" << r.raw;
        // Whoever is refused learns nothing: the body is an error only.
        if (r.status == 403 || r.status == 404)
          EXPECT_TRUE(r.body.contains("error")) << key << " " << r.raw;
        // The person's name is in no answer but an identity view's.
        if (ep.route != "/api/v1/cases/{id}/identity-views")
          EXPECT_EQ(r.raw.find("Səfərova"), std::string::npos) << kUsers[ui] << " " << key;
        // The shelters' addresses only to their staff and coordinators.
        if (kUsers[ui] != "coord" && kUsers[ui] != "sm-a" && kUsers[ui] != "cw-a" &&
            kUsers[ui] != "sv-a")
          EXPECT_EQ(r.raw.find("Street 1"), std::string::npos) << kUsers[ui] << " " << key;
      }
      row += "},";
      if (ep.case_scoped) row += "  // " + kScenarios[si];
      observed += row + "\n";
    }
    observed += "    }},\n";
  }
  if (print || HasFailure()) std::cerr << "observed matrix:\n" << observed;
}

// Every route the server answers is in the matrix (and so in the table).
TEST_F(Authorization, TheMatrixCoversEveryRoute) {
  std::set<std::string> covered;
  for (const auto& ep : Endpoints()) covered.insert(ep.method + " " + ep.route);
  std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/docs/openapi.json");
  Json doc = Json::parse(in, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& ch : m) ch = static_cast<char>(std::toupper(ch));
      EXPECT_TRUE(covered.count(m + " " + path)) << m << " " << path
                                                 << " is not in the authorisation matrix";
      EXPECT_TRUE(Expected().count(m + " " + path)) << m << " " << path << " has no expected row";
    }
}

}  // namespace
}  // namespace haven::testing

namespace haven::testing {
namespace {

// An unknown query parameter is refused like an unknown JSON field, on every route:
// a filter the caller believes applied, and did not, is worse than an error.
TEST_F(Authorization, EveryRouteRefusesAnUnknownQueryParameter) {
  std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/docs/openapi.json");
  Json doc = Json::parse(in, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  int probed = 0;
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      for (auto& ch : m) ch = static_cast<char>(std::toupper(ch));
      std::string concrete = path;
      for (const char* slot : {"{id}", "{name}"})
        for (auto at = concrete.find(slot); at != std::string::npos; at = concrete.find(slot))
          concrete.replace(at, std::string(slot).size(), std::string(slot) == "{id}" ? "1" : "annual");
      auto r = C("coord").Request(m, concrete + "?sort_by=name", "{}");
      EXPECT_EQ(r.status, 400) << m << " " << path << " " << r.raw;
      EXPECT_EQ(r.ErrorField(), "sort_by") << m << " " << path;
      ++probed;
    }
  EXPECT_GE(probed, 70);
}

}  // namespace
}  // namespace haven::testing
