// The coalition works on one case together (DESIGN §2.5): consent, referrals and
// transfers, what a receiver sees under the access policy, and the person's own view
// of who touched her file. Over HTTP against a real `haven serve` whose clock a file
// sets, so that consents can expire while it runs.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "an-orchard-lantern-basalt";
constexpr const char* kPassword = "a-long-test-password";

class Coalition : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = std::make_unique<Instance>("coalition", kAdminPassword, /*test_clock=*/true);
    in_->SetTime("2026-03-05T09:00:00Z");
    ngo_ = in_->Organization("Təmiz Dünya", "ngo");
    other_ngo_ = in_->Organization("Another NGO", "ngo");
    shelter_org_ = in_->Organization("Sığınacaq Mərkəzi", "shelter");
    state_ = in_->Organization("Coordinating Body", "state_body");
    in_->User("lale.cw", "caseworker", ngo_, kPassword);
    in_->User("cw-other", "caseworker", other_ngo_, kPassword);
    in_->User("nigar.sm", "shelter_manager", shelter_org_, kPassword);
    in_->User("coord", "coordinator", state_, kPassword);
    in_->User("auditor", "auditor", state_, kPassword);
    Client sm = As("nigar.sm");
    auto shelter = sm.Post("/api/v1/shelters", {{"name", "House of Hope"},
                                                {"organization_id", shelter_org_},
                                                {"region", "AZ-GA"},
                                                {"capacity", 6}});
    ASSERT_EQ(shelter.status, 201) << shelter.raw;
    shelter_ = shelter.body["id"];
  }

  Client As(const std::string& who) { return in_->As(who, kPassword); }

  static Json Person(const std::string& given, const std::string& family) {
    return {{"person",
             {{"given_name", given},
              {"family_name", family},
              {"birth_date", "1996-04-12"},
              {"sex", "female"},
              {"citizenship", "UZ"},
              {"contacts", {{{"type", "phone"}, {"value", "+994 55 700 11 22"}}}}}},
            {"identified_on", "2026-03-01"},
            {"identified_by", "ngo"},
            {"exploitation", {"sexual"}},
            {"country_of_recruitment", "UZ"},
            {"country_of_exploitation", "AZ"}};
  }

  long NewCase(Client& cw, const std::string& given = "Dilnoza", const std::string& family = "Karimova") {
    auto r = cw.Post("/api/v1/cases", Person(given, family));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", 0L);
  }

  static std::string CasePath(long id) { return "/api/v1/cases/" + std::to_string(id); }

  Json Consent(long recipient, Json purposes, Json categories,
               const std::string& given_on = "2026-03-02") {
    return {{"recipient_organization_id", recipient},
            {"purposes", purposes},
            {"categories", categories},
            {"given_on", given_on},
            {"method", "signed_form"},
            {"language", "uz"}};
  }

  std::vector<Json> Audit(std::string* raw = nullptr) {
    Client auditor = As("auditor");
    return ReadAuditLog(auditor, raw);
  }

  // The audit entries other than sign-ins: "nothing changed" means their number stays.
  size_t Writes() {
    size_t n = 0;
    for (const auto& e : Audit())
      if (e["action"].get<std::string>().rfind("auth.", 0) != 0) ++n;
    return n;
  }

  std::string RawDatabase() {
    std::ifstream in(in_->dir() / "haven.db", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    std::string all = s.str();
    std::ifstream wal(in_->dir() / "haven.db-wal", std::ios::binary);
    std::stringstream w;
    w << wal.rdbuf();
    return all + w.str();
  }

  std::unique_ptr<Instance> in_;
  long ngo_ = 0, other_ngo_ = 0, shelter_org_ = 0, state_ = 0, shelter_ = 0;
};

// The whole path of a referral to a shelter: refused without consent, sent with it,
// seen by the shelter within what the consent allows, accepted, the person admitted
// and helped without registering her again; then the consent is withdrawn and the
// shelter sees nothing more.
TEST_F(Coalition, ReferralToAShelterWithinTheConsent) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  const long id = NewCase(cw);
  const std::string path = CasePath(id);
  const Json referral = {{"case_id", id},
                         {"to_organization_id", shelter_org_},
                         {"purposes", {"shelter", "assistance"}},
                         {"services_requested", {"food", "psychological"}},
                         {"note", "Arrives by the evening bus with her daughter"}};

  auto refused = cw.Post("/api/v1/referrals", referral);
  EXPECT_EQ(refused.status, 409) << refused.raw;
  EXPECT_EQ(refused.ErrorCode(), "consent_required");
  EXPECT_EQ(sm.Get(path).status, 404) << "no referral: the shelter does not know the case";

  auto consent = cw.Post(path + "/consents",
                         Consent(shelter_org_, {"shelter", "assistance"},
                                 {"case_facts", "shelter", "services"}));
  ASSERT_EQ(consent.status, 201) << consent.raw;
  const long consent_id = consent.body["id"];
  auto sent = cw.Post("/api/v1/referrals", referral);
  ASSERT_EQ(sent.status, 201) << sent.raw;
  EXPECT_EQ(sent.body["status"], "pending");
  const std::string ref = "/api/v1/referrals/" + std::to_string(sent.body["id"].get<long>());

  // The shelter's inbox, and nobody else's.
  auto inbox = sm.Get("/api/v1/referrals?direction=incoming&status=pending");
  ASSERT_EQ(inbox.status, 200) << inbox.raw;
  ASSERT_EQ(inbox.body["items"].size(), 1u);
  EXPECT_EQ(inbox.body["items"][0]["case_code"], sent.body["case_code"]);
  // The note is free text and the consent does not cover notes; a request for
  // psychological help is a health fact, not consented either: both absent.
  EXPECT_FALSE(inbox.body["items"][0].contains("note")) << inbox.raw;
  EXPECT_EQ(inbox.body["items"][0]["services_requested"], Json({"food"}));
  EXPECT_FALSE(sm.Get(ref).body.contains("note"));
  EXPECT_EQ(As("cw-other").Get("/api/v1/referrals?direction=incoming").body["items"].size(), 0u);
  auto outbox = cw.Get("/api/v1/referrals?direction=outgoing");
  ASSERT_EQ(outbox.body["items"].size(), 1u);
  EXPECT_EQ(outbox.body["items"][0]["note"], "Arrives by the evening bus with her daughter");
  EXPECT_EQ(outbox.body["items"][0]["services_requested"], Json({"food", "psychological"}));
  // One active referral to one organisation at a time.
  EXPECT_EQ(cw.Post("/api/v1/referrals", referral).ErrorCode(), "referral_pending");
  // Filters on a list would tell a shared case's facts: they apply to own cases only.
  EXPECT_EQ(sm.Get("/api/v1/cases?status=identified").body["items"].size(), 0u);
  EXPECT_EQ(sm.Get("/api/v1/referrals?direction=sideways").ErrorField(), "direction");
  EXPECT_EQ(sm.Get("/api/v1/referrals?sort=date").ErrorField(), "sort");

  // What the consent covers, and only that: facts yes, identity and contacts absent.
  auto seen = sm.Get(path);
  ASSERT_EQ(seen.status, 200) << seen.raw;
  EXPECT_EQ(seen.body["exploitation"], Json({"sexual"}));
  EXPECT_EQ(seen.body["access"]["basis"], "consent");
  EXPECT_EQ(seen.body["access"]["categories"], Json({"case_facts", "services", "shelter"}));
  EXPECT_EQ(seen.raw.find("Karimova"), std::string::npos);
  auto identity = sm.Post(path + "/identity-views", {{"reason", "to greet her at the door"}});
  EXPECT_EQ(identity.status, 403) << identity.raw;
  // A case shared with the shelter shows in its list by its code only.
  auto list = sm.Get("/api/v1/cases");
  ASSERT_EQ(list.body["items"].size(), 1u) << list.raw;
  EXPECT_EQ(list.body["items"][0]["code"], sent.body["case_code"]);
  EXPECT_FALSE(list.body["items"][0].contains("exploitation"));

  // Pending: the shelter may look, not yet act.
  const std::string stays = "/api/v1/shelters/" + std::to_string(shelter_) + "/stays";
  EXPECT_EQ(sm.Post(stays, {{"case_id", id}, {"admitted_on", "2026-03-05"}}).status, 403);
  EXPECT_EQ(cw.Post(ref + "/accept", Json::object()).status, 403) << "the sender cannot accept";
  auto accepted = sm.Post(ref + "/accept", Json::object());
  ASSERT_EQ(accepted.status, 200) << accepted.raw;
  EXPECT_EQ(accepted.body["status"], "accepted");
  EXPECT_FALSE(accepted.body["accepted_at"].is_null());
  EXPECT_EQ(sm.Post(ref + "/accept", Json::object()).ErrorCode(), "invalid_referral_step");

  // Admitted and helped without a second registration.
  auto stay = sm.Post(stays, {{"case_id", id}, {"admitted_on", "2026-03-05"}});
  ASSERT_EQ(stay.status, 201) << stay.raw;
  auto food = sm.Post(path + "/services", {{"type", "food"},
                                           {"provider_organization_id", shelter_org_},
                                           {"delivered_on", "2026-03-05"},
                                           {"notes", "Vegetarian"}});
  EXPECT_EQ(food.status, 201) << food.raw;
  // Health care is a category of its own, not consented here.
  auto medical = sm.Post(path + "/services", {{"type", "medical"},
                                              {"provider_organization_id", shelter_org_},
                                              {"delivered_on", "2026-03-05"}});
  EXPECT_EQ(medical.status, 403) << medical.raw;
  EXPECT_EQ(cw.Post(path + "/services", {{"type", "medical"},
                                         {"provider_organization_id", ngo_},
                                         {"delivered_on", "2026-03-04"}})
                .status,
            201);
  auto services = sm.Get(path + "/services");
  ASSERT_EQ(services.status, 200) << services.raw;
  ASSERT_EQ(services.body["items"].size(), 1u) << "the medical service is absent";
  EXPECT_EQ(services.body["items"][0]["type"], "food");
  EXPECT_FALSE(services.body["items"][0].contains("notes")) << "notes are not consented";
  EXPECT_EQ(cw.Get(path + "/services").body["items"].size(), 2u);
  // Other organisations still know nothing.
  EXPECT_EQ(As("cw-other").Get(path).status, 404);
  EXPECT_EQ(As("cw-other").Get(path + "/stays").status, 404);

  // Every disclosure to the shelter names the consent it relied on.
  std::string raw;
  int disclosures = 0;
  for (const auto& e : Audit(&raw)) {
    if (e["action"] != "case.disclosure") continue;
    if (e["actor_organization_id"] != shelter_org_) continue;
    ++disclosures;
    EXPECT_EQ(e["details"].value("basis", ""), "consent");
    EXPECT_EQ(e["details"].value("consent_ids", Json()), Json({consent_id})) << e.dump();
  }
  EXPECT_GE(disclosures, 2);
  EXPECT_EQ(raw.find("Karimova"), std::string::npos);
  // And so does every record the shelter wrote on the case.
  for (const auto& e : Audit())
    if ((e["action"] == "stay.admit" || e["action"] == "service.record") &&
        e["actor_organization_id"] == shelter_org_) {
      EXPECT_EQ(e["details"].value("grounds", Json()).value("consent_ids", Json()),
                Json({consent_id}))
          << e.dump();
    }

  // Withdrawal takes effect at once.
  auto withdrawn = cw.Post("/api/v1/consents/" + std::to_string(consent_id) + "/withdraw",
                           {{"withdrawn_on", "2026-03-05"}});
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.raw;
  auto after = sm.Get(path);
  EXPECT_EQ(after.status, 403) << after.raw;
  EXPECT_EQ(after.ErrorCode(), "consent_not_in_force");
  EXPECT_EQ(after.raw.find("sexual"), std::string::npos);
  EXPECT_EQ(sm.Get(path + "/stays").status, 403);
  EXPECT_EQ(sm.Post(path + "/services", {{"type", "food"},
                                         {"provider_organization_id", shelter_org_},
                                         {"delivered_on", "2026-03-05"}})
                .status,
            403);
  // The owner still sees everything, and the shelter can still complete the referral.
  EXPECT_EQ(cw.Get(path + "/stays").body["items"].size(), 1u);
  EXPECT_EQ(sm.Post(ref + "/complete", Json::object()).body["status"], "completed");
  EXPECT_EQ(sm.Get(path).status, 404) << "completed: no relation any more";
}

// The person's own view: every view, disclosure and referral of her file, by
// organisation, purpose and date, never a member of staff's name.
TEST_F(Coalition, AccessHistoryShowsWhoTouchedTheFile) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  const long id = NewCase(cw);
  const std::string path = CasePath(id);
  ASSERT_EQ(cw.Post(path + "/consents", Consent(shelter_org_, {"shelter"},
                                                 {"case_facts", "identity", "shelter"}))
                .status,
            201);
  auto sent = cw.Post("/api/v1/referrals",
                      {{"case_id", id}, {"to_organization_id", shelter_org_}, {"purposes", {"shelter"}}});
  ASSERT_EQ(sent.status, 201) << sent.raw;
  ASSERT_EQ(sm.Get(path).status, 200);
  auto identity = sm.Post(path + "/identity-views", {{"reason", "admission paperwork"}});
  ASSERT_EQ(identity.status, 200) << identity.raw;
  EXPECT_EQ(identity.body["family_name"], "Karimova");
  EXPECT_FALSE(identity.body.contains("contacts")) << "contacts are not consented";
  EXPECT_EQ(As("coord").Get(path).status, 200);

  auto history = cw.Get(path + "/access-history");
  ASSERT_EQ(history.status, 200) << history.raw;
  std::set<std::string> actions;
  bool shelter_view = false, coordination = false;
  for (const auto& e : history.body["items"]) {
    actions.insert(e["action"].get<std::string>());
    if (e["action"] == "case.identity_view" && e["organization_id"] == shelter_org_) {
      shelter_view = true;
      EXPECT_EQ(e["organization_name"], "Sığınacaq Mərkəzi");
      EXPECT_EQ(e["organization_kind"], "shelter");
      EXPECT_EQ(e.value("basis", ""), "consent");
      EXPECT_EQ(e["categories"], Json({"identity"}));
    }
    // Entries of the owner's own work carry no basis.
    if (e.value("basis", "") == "national_coordination") coordination = true;
  }
  EXPECT_TRUE(shelter_view) << history.raw;
  EXPECT_TRUE(coordination) << history.raw;
  EXPECT_TRUE(actions.count("case.create"));
  EXPECT_TRUE(actions.count("consent.record"));
  EXPECT_TRUE(actions.count("referral.create"));
  EXPECT_TRUE(actions.count("case.disclosure"));
  // Never a name of staff, nor the person's own name.
  for (const char* word : {"lale.cw", "nigar.sm", "coord\"", "Karimova", "username"})
    EXPECT_EQ(history.raw.find(word), std::string::npos) << word;
  // Printable in her language.
  const std::string code = history.body["code"];
  for (const char* lang : {"az", "en", "ru"}) {
    auto page = cw.Get(path + "/access-history?format=html&lang=" + lang);
    ASSERT_EQ(page.status, 200) << lang;
    EXPECT_NE(page.Header("Content-Type").find("text/html"), std::string::npos);
    EXPECT_NE(page.raw.find(code), std::string::npos) << lang;
    EXPECT_NE(page.raw.find(std::string("lang=\"") + lang + "\""), std::string::npos);
    EXPECT_NE(page.raw.find("Sığınacaq Mərkəzi"), std::string::npos) << lang;
    for (const char* word : {"lale.cw", "nigar.sm", "Karimova", "<script"})
      EXPECT_EQ(page.raw.find(word), std::string::npos) << lang << " " << word;
  }
  EXPECT_EQ(cw.Get(path + "/access-history?lang=fr").ErrorField(), "lang");
  // Only the organisation that holds her file prints it for her.
  EXPECT_EQ(sm.Get(path + "/access-history").status, 403);
  EXPECT_EQ(As("cw-other").Get(path + "/access-history").status, 404);
  EXPECT_EQ(As("coord").Get(path + "/access-history").status, 403);
}

// A consent with a date limit acts as withdrawn the day after it ends.
TEST_F(Coalition, AnExpiredConsentActsAsWithdrawn) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  const long id = NewCase(cw);
  Json consent = Consent(shelter_org_, {"shelter"}, {"case_facts", "shelter"});
  consent["valid_until"] = "2026-03-10";
  ASSERT_EQ(cw.Post(CasePath(id) + "/consents", consent).status, 201);
  auto sent = cw.Post("/api/v1/referrals",
                      {{"case_id", id}, {"to_organization_id", shelter_org_}, {"purposes", {"shelter"}}});
  ASSERT_EQ(sent.status, 201) << sent.raw;
  // Sessions end after 8 hours: sign in again at each new time.
  in_->SetTime("2026-03-10T20:00:00Z");
  EXPECT_EQ(As("nigar.sm").Get(CasePath(id)).status, 200) << "in force on its last day";
  in_->SetTime("2026-03-11T08:00:00Z");
  Client sm_later = As("nigar.sm");
  Client cw_later = As("lale.cw");
  EXPECT_EQ(sm_later.Get(CasePath(id)).ErrorCode(), "consent_not_in_force");
  const std::string ref = "/api/v1/referrals/" + std::to_string(sent.body["id"].get<long>());
  EXPECT_EQ(sm_later.Post(ref + "/accept", Json::object()).ErrorCode(), "consent_required");
  // Revoked, and sent again: a new referral needs a new consent.
  EXPECT_EQ(cw_later.Post(ref + "/revoke", Json::object()).status, 200);
  EXPECT_EQ(cw_later.Post("/api/v1/referrals", {{"case_id", id},
                                          {"to_organization_id", shelter_org_},
                                          {"purposes", {"shelter"}}})
                .ErrorCode(),
            "consent_required");
}

// The coordinating body may let a referral go ahead without consent only with a
// recorded legal ground; the receiver then sees what the override names.
TEST_F(Coalition, CoordinatorOverridesMissingConsentWithAReason) {
  Client cw = As("lale.cw");
  Client coord = As("coord");
  const long id = NewCase(cw);
  Json body = {{"case_id", id},
               {"to_organization_id", shelter_org_},
               {"purposes", {"shelter"}},
               {"override",
                {{"basis", "vital_interest"},
                 {"reason", "Unconscious after an assault; needs a safe bed tonight"},
                 {"categories", {"case_facts", "shelter"}}}}};
  EXPECT_EQ(cw.Post("/api/v1/referrals", body).status, 403) << "caseworkers cannot override";
  Json no_reason = body;
  no_reason["override"]["reason"] = "x";
  EXPECT_EQ(coord.Post("/api/v1/referrals", no_reason).ErrorField(), "override.reason");
  Json to_itself = body;
  to_itself["to_organization_id"] = state_;
  EXPECT_EQ(coord.Post("/api/v1/referrals", to_itself).ErrorField(), "to_organization_id");
  auto sent = coord.Post("/api/v1/referrals", body);
  ASSERT_EQ(sent.status, 201) << sent.raw;
  EXPECT_EQ(sent.body["override"]["basis"], "vital_interest");
  EXPECT_EQ(sent.body["from_organization_id"], ngo_);
  Client sm = As("nigar.sm");
  auto seen = sm.Get(CasePath(id));
  ASSERT_EQ(seen.status, 200) << seen.raw;
  EXPECT_EQ(seen.body["access"]["basis"], "override");
  EXPECT_EQ(sm.Post(CasePath(id) + "/identity-views", {{"reason", "admission paperwork"}}).status,
            403);
  bool audited = false;
  for (const auto& e : Audit())
    if (e["action"] == "referral.create" && e["details"].value("override", "") == "vital_interest") {
      audited = true;
      EXPECT_EQ(e["reason"], "Unconscious after an assault; needs a safe bed tonight");
    }
  EXPECT_TRUE(audited);
  EXPECT_EQ(RawDatabase().find("Unconscious after an assault"), std::string::npos);
}

// A transfer moves ownership once the receiver accepts; the history of owners is kept,
// and the identity sealed by the first owner stays readable by the new one.
TEST_F(Coalition, TransferMovesOwnershipWithTheSameConsentRule) {
  Client cw = As("lale.cw");
  Client other = As("cw-other");
  const long id = NewCase(cw);
  const std::string path = CasePath(id);
  Json transfer = {{"case_id", id}, {"to_organization_id", other_ngo_}, {"purposes", {"assistance"}}};
  EXPECT_EQ(cw.Post("/api/v1/transfers", transfer).ErrorCode(), "consent_required");
  // A transfer makes the receiver owner of the whole file: a consent to share the facts
  // only is not enough.
  ASSERT_EQ(cw.Post(path + "/consents", Consent(other_ngo_, {"assistance"}, {"case_facts"})).status, 201);
  auto narrow = cw.Post("/api/v1/transfers", transfer);
  EXPECT_EQ(narrow.ErrorCode(), "consent_required") << narrow.raw;
  EXPECT_NE(narrow.body["error"]["message"].get<std::string>().find("identity"), std::string::npos);
  // Nor can a coordinator move a file without the person's consent.
  Json forced = transfer;
  forced["override"] = {{"basis", "court_order"}, {"reason", "order of the Baku court"},
                        {"categories", {"case_facts"}}};
  EXPECT_EQ(As("coord").Post("/api/v1/transfers", forced).status, 403);
  ASSERT_EQ(cw.Post(path + "/consents",
                    Consent(other_ngo_, {"assistance"},
                            {"case_facts", "notes", "identity", "contacts", "services", "health",
                             "shelter", "money", "documents"}))
                .status,
            201);
  auto sent = cw.Post("/api/v1/transfers", transfer);
  ASSERT_EQ(sent.status, 201) << sent.raw;
  EXPECT_EQ(sent.body["kind"], "transfer");
  EXPECT_EQ(cw.Post("/api/v1/transfers", transfer).ErrorCode(), "referral_pending");
  const std::string ref = "/api/v1/referrals/" + std::to_string(sent.body["id"].get<long>());
  auto accepted = other.Post(ref + "/accept", Json::object());
  ASSERT_EQ(accepted.status, 200) << accepted.raw;
  EXPECT_EQ(accepted.body["status"], "completed");

  auto now = other.Get(path);
  ASSERT_EQ(now.status, 200) << now.raw;
  EXPECT_EQ(now.body["organization_id"], other_ngo_);
  EXPECT_EQ(now.body["access"]["basis"], "owner");
  auto identity = other.Post(path + "/identity-views", {{"reason", "taking over the case"}});
  ASSERT_EQ(identity.status, 200) << identity.raw;
  EXPECT_EQ(identity.body["family_name"], "Karimova");
  EXPECT_EQ(cw.Get(path).status, 404) << "the former owner no longer holds it";
  auto owners = other.Get(path + "/owners");
  ASSERT_EQ(owners.status, 200) << owners.raw;
  ASSERT_EQ(owners.body["items"].size(), 2u);
  EXPECT_EQ(owners.body["items"][0]["organization_id"], ngo_);
  EXPECT_FALSE(owners.body["items"][0]["until"].is_null());
  EXPECT_EQ(owners.body["items"][1]["organization_id"], other_ngo_);
  EXPECT_TRUE(owners.body["items"][1]["until"].is_null());
  EXPECT_EQ(other.Post(path + "/transitions", {{"to", "referred"}}).status, 200);
}

// Bad input of every kind is refused with the field named, and nothing changes.
TEST_F(Coalition, BadInputIsRefusedAndChangesNothing) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  const long id = NewCase(cw);
  const std::string path = CasePath(id);
  ASSERT_EQ(cw.Post(path + "/consents", Consent(shelter_org_, {"shelter"}, {"case_facts"})).status,
            201);
  auto sent = cw.Post("/api/v1/referrals",
                      {{"case_id", id}, {"to_organization_id", shelter_org_}, {"purposes", {"shelter"}}});
  ASSERT_EQ(sent.status, 201);
  const std::string ref = "/api/v1/referrals/" + std::to_string(sent.body["id"].get<long>());
  const size_t before = Writes();

  auto field = [](const Response& r) { return std::to_string(r.status) + " " + r.ErrorField(); };
  Json base = {{"case_id", id}, {"to_organization_id", shelter_org_}, {"purposes", {"shelter"}}};
  Json own = base;
  own["to_organization_id"] = ngo_;
  EXPECT_EQ(field(cw.Post("/api/v1/referrals", own)), "400 to_organization_id");
  Json unknown = base;
  unknown["to_organization_id"] = 9999;
  EXPECT_EQ(field(cw.Post("/api/v1/referrals", unknown)), "400 to_organization_id");
  Json bad_purpose = base;
  bad_purpose["purposes"] = {"sightseeing"};
  EXPECT_EQ(field(cw.Post("/api/v1/referrals", bad_purpose)), "400 purposes[0]");
  Json no_purpose = base;
  no_purpose["purposes"] = Json::array();
  EXPECT_EQ(field(cw.Post("/api/v1/referrals", no_purpose)), "400 purposes");
  Json extra = base;
  extra["priority"] = "high";
  EXPECT_EQ(field(cw.Post("/api/v1/referrals", extra)), "400 priority");
  EXPECT_EQ(cw.Post(ref + "/accept", Json::object()).status, 403) << "accept by the sender";
  EXPECT_EQ(field(sm.Post(ref + "/decline", Json::object())), "400 reason");
  EXPECT_EQ(field(sm.Post(ref + "/decline", {{"reason", "no"}})), "400 reason");
  EXPECT_EQ(As("cw-other").Post(ref + "/accept", Json::object()).status, 404);
  EXPECT_EQ(sm.Post("/api/v1/referrals/99999/accept", Json::object()).status, 404);

  Json late = Consent(shelter_org_, {"shelter"}, {"case_facts"});
  late["valid_until"] = "2026-03-01";
  EXPECT_EQ(field(cw.Post(path + "/consents", late)), "400 valid_until");
  Json passed = Consent(shelter_org_, {"shelter"}, {"case_facts"});
  passed["valid_until"] = "2026-03-04";  // after given_on, before today
  EXPECT_EQ(field(cw.Post(path + "/consents", passed)), "400 valid_until");
  EXPECT_EQ(field(cw.Post(path + "/consents?draft=1", Consent(shelter_org_, {"shelter"}, {"case_facts"}))),
            "400 draft");
  EXPECT_EQ(field(cw.Post(path + "/consents", Consent(shelter_org_, {"tourism"}, {"case_facts"}))),
            "400 purposes[0]");
  EXPECT_EQ(field(cw.Post(path + "/consents", Consent(shelter_org_, {"shelter"}, {"dna"}))),
            "400 categories[0]");
  EXPECT_EQ(field(cw.Post(path + "/consents", Consent(shelter_org_, {"shelter"}, {"case_facts"},
                                                      "2026-04-01"))),
            "400 given_on");
  Json oral = Consent(shelter_org_, {"shelter"}, {"case_facts"});
  oral["method"] = "oral_with_witness";
  EXPECT_EQ(field(cw.Post(path + "/consents", oral)), "400 witness");
  Json both = Consent(shelter_org_, {"shelter"}, {"case_facts"});
  both["recipient_kind"] = "shelter";
  EXPECT_EQ(field(cw.Post(path + "/consents", both)), "400 recipient_organization_id");
  Json language = Consent(shelter_org_, {"shelter"}, {"case_facts"});
  language["language"] = "klingon";
  EXPECT_EQ(field(cw.Post(path + "/consents", language)), "400 language");
  EXPECT_EQ(As("cw-other").Post(path + "/consents", Consent(other_ngo_, {"shelter"}, {"case_facts"}))
                .status,
            404);
  EXPECT_EQ(sm.Post(path + "/consents", Consent(shelter_org_, {"shelter"}, {"identity"})).status,
            403)
      << "a receiver cannot widen its own consent";
  auto consents = cw.Get(path + "/consents");
  ASSERT_EQ(consents.body["items"].size(), 1u);
  const std::string withdraw =
      "/api/v1/consents/" + std::to_string(consents.body["items"][0]["id"].get<long>()) + "/withdraw";
  EXPECT_EQ(field(cw.Post(withdraw, {{"withdrawn_on", "2026-03-01"}})), "400 withdrawn_on");
  EXPECT_EQ(field(cw.Post(withdraw, {{"withdrawn_on", "2026-04-01"}})), "400 withdrawn_on");
  EXPECT_EQ(As("cw-other").Post(withdraw, {{"withdrawn_on", "2026-03-05"}}).status, 404);
  EXPECT_EQ(Writes(), before) << "nothing written";

  // Revoked: no step afterwards.
  EXPECT_EQ(cw.Post(ref + "/revoke", Json::object()).body["status"], "revoked");
  EXPECT_EQ(sm.Post(ref + "/accept", Json::object()).ErrorCode(), "invalid_referral_step");
  EXPECT_EQ(sm.Get(path).status, 404);

  // A closed case takes no new consent.
  ASSERT_EQ(cw.Post(path + "/transitions", {{"to", "closed"},
                                                     {"closure_reason", "returned_home"},
                                                     {"note", "She returned home safely."}})
                .status,
            200);
  EXPECT_EQ(cw.Post(path + "/consents", Consent(shelter_org_, {"shelter"}, {"case_facts"}))
                .ErrorCode(),
            "case_closed");
}

// The signed receipt the person is given: JSON that `haven consent verify` checks,
// and a printable page in her language.
TEST_F(Coalition, ConsentReceiptIsSignedAndPrintable) {
  Client cw = As("lale.cw");
  const long id = NewCase(cw);
  auto consent = cw.Post(CasePath(id) + "/consents",
                         Consent(shelter_org_, {"shelter", "medical"}, {"case_facts", "health"}));
  ASSERT_EQ(consent.status, 201);
  const std::string receipt_path =
      "/api/v1/consents/" + std::to_string(consent.body["id"].get<long>()) + "/receipt";
  auto receipt = cw.Get(receipt_path + "?format=json");
  ASSERT_EQ(receipt.status, 200) << receipt.raw;
  const std::string code = cw.Get(CasePath(id)).body["code"];
  EXPECT_EQ(receipt.body["piiPrincipalId"], code);
  EXPECT_EQ(receipt.body["version"], "KI-CR-v1.1.0");
  EXPECT_EQ(receipt.raw.find("Karimova"), std::string::npos);
  auto key = cw.Get("/api/v1/consent-receipts/key");
  ASSERT_EQ(key.status, 200);

  auto file = in_->dir() / "receipt.json";
  std::ofstream(file) << receipt.raw;
  auto ok = RunHaven({"consent", "verify", file.string(), "--public-key",
                      key.body["public_key"].get<std::string>()});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("valid"), std::string::npos);
  Json tampered = receipt.body;
  tampered["piiPrincipalId"] = "AZ-2026-999999";
  std::ofstream(file, std::ios::trunc) << tampered.dump();
  auto bad = RunHaven({"consent", "verify", file.string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_NE(bad.out.find("invalid"), std::string::npos);

  for (const char* lang : {"az", "en", "ru"}) {
    auto page = cw.Get(receipt_path + "?format=html&lang=" + lang);
    ASSERT_EQ(page.status, 200) << lang;
    EXPECT_NE(page.Header("Content-Type").find("text/html"), std::string::npos);
    EXPECT_NE(page.raw.find(code), std::string::npos) << lang;
    EXPECT_NE(page.raw.find(std::string("lang=\"") + lang + "\""), std::string::npos) << lang;
    EXPECT_EQ(page.raw.find("<script"), std::string::npos);
  }
  EXPECT_EQ(cw.Get(receipt_path + "?lang=de").ErrorField(), "lang");
  EXPECT_EQ(cw.Get(receipt_path + "?format=pdf").ErrorField(), "format");
  EXPECT_EQ(As("nigar.sm").Get(receipt_path).status, 404);
}

// Looking a person up tells whether a name is known anywhere: audited without the
// name, and limited per user.
TEST_F(Coalition, PersonLookupIsAuditedAndRateLimited) {
  Client cw = As("lale.cw");
  NewCase(cw);
  const Json query = {{"given_name", "Dilnoza"}, {"family_name", "Karimova"},
                      {"birth_date", "1996-04-12"}, {"sex", "female"}, {"citizenship", "UZ"}};
  auto found = cw.Post("/api/v1/persons/lookup", query);
  ASSERT_EQ(found.status, 200) << found.raw;
  EXPECT_EQ(found.body["own_cases"].size(), 1u);
  auto other = As("cw-other").Post("/api/v1/persons/lookup", query);
  EXPECT_EQ(other.body["own_cases"].size(), 0u);
  EXPECT_EQ(other.body["known_elsewhere"].size(), 1u);
  std::string raw;
  int lookups = 0;
  for (const auto& e : Audit(&raw))
    if (e["action"] == "person.lookup") ++lookups;
  EXPECT_EQ(lookups, 2);
  EXPECT_EQ(raw.find("Karimova"), std::string::npos);
  // 30 an hour by default: the caller has used one.
  int refused = 0;
  for (int i = 0; i < 30; ++i)
    if (cw.Post("/api/v1/persons/lookup", query).status == 429) ++refused;
  EXPECT_EQ(refused, 1);
  in_->SetTime("2026-03-05T10:01:00Z");
  EXPECT_EQ(cw.Post("/api/v1/persons/lookup", query).status, 200) << "an hour later";
}

// Stated reasons and free text of the coalition are sealed in the database file.
TEST_F(Coalition, ReasonsAndNotesAreSealedAtRest) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  const long id = NewCase(cw);
  Json oral = Consent(shelter_org_, {"shelter"}, {"case_facts", "identity"});
  oral["method"] = "oral_with_witness";
  oral["witness"] = "Witnessed by Rəna Quliyeva";
  ASSERT_EQ(cw.Post(CasePath(id) + "/consents", oral).status, 201);
  auto sent = cw.Post("/api/v1/referrals", {{"case_id", id},
                                           {"to_organization_id", shelter_org_},
                                           {"purposes", {"shelter"}},
                                           {"note", "Her brother Anvar must not learn where"}});
  ASSERT_EQ(sent.status, 201);
  ASSERT_EQ(sm.Post(CasePath(id) + "/identity-views", {{"reason", "Checking Karimova at intake"}})
                .status,
            200);
  ASSERT_EQ(As("coord").Post(CasePath(id) + "/identification",
                             {{"decision", "granted"},
                              {"decided_on", "2026-03-04"},
                              {"deciding_body", "Judge Məmmədli of the Ganja court"}})
                .status,
            201);
  EXPECT_EQ(cw.Get(CasePath(id) + "/identification").body["items"][0]["deciding_body"],
            "Judge Məmmədli of the Ganja court");
  auto receiver_view = sm.Get(CasePath(id) + "/identification");
  ASSERT_EQ(receiver_view.status, 200) << receiver_view.raw;
  EXPECT_FALSE(receiver_view.body["items"][0].contains("deciding_body")) << "free text: notes";
  const std::string ref = "/api/v1/referrals/" + std::to_string(sent.body["id"].get<long>());
  ASSERT_EQ(sm.Post(ref + "/decline", {{"reason", "No bed for Anvar's sister tonight"}}).status, 200);
  auto declined = cw.Get(ref);
  EXPECT_EQ(declined.body["decline_reason"], "No bed for Anvar's sister tonight");
  const std::string db = RawDatabase();
  for (const char* secret : {"Rəna Quliyeva", "Anvar must not", "Checking Karimova", "No bed for",
                             "Judge Məmmədli"})
    EXPECT_EQ(db.find(secret), std::string::npos) << secret;
  bool reason_shown = false;
  for (const auto& e : Audit())
    if (e["action"] == "case.identity_view" && e["reason"] == "Checking Karimova at intake")
      reason_shown = true;
  EXPECT_TRUE(reason_shown) << "auditors read the reason";
}

}  // namespace
}  // namespace haven::testing

namespace haven::testing {
namespace {

// What a caller may not see answers exactly like what does not exist: another
// organisation's record ids cannot be told apart from unused ones by the error.
TEST_F(Coalition, OtherOrganisationsRecordsAnswerLikeMissingOnes) {
  Client cw = As("lale.cw");
  Client other = As("cw-other");
  const long id = NewCase(cw);
  const std::string path = CasePath(id);
  auto permit = cw.Post(path + "/residence-permits",
                        {{"permit_type", "reflection_permit"}, {"applied_on", "2026-03-02"}});
  auto proceeding = cw.Post(path + "/proceedings",
                            {{"cooperating", true}, {"stage", "investigation"}, {"started_on", "2026-03-02"}});
  auto claim = cw.Post(path + "/compensation-claims",
                       {{"route", "civil_claim"}, {"amount_claimed_minor", 5000}, {"currency", "AZN"},
                        {"filed_on", "2026-03-02"}});
  auto follow_up = cw.Post(path + "/follow-ups", {{"due_on", "2026-04-01"}});
  auto consent = cw.Post(path + "/consents", Consent(shelter_org_, {"shelter"}, {"case_facts"}));
  for (const auto* r : {&permit, &proceeding, &claim, &follow_up, &consent})
    ASSERT_EQ(r->status, 201) << r->raw;
  struct Probe {
    std::string method, existing, missing;
    Json body;
  };
  auto ids = [](const Response& r) { return std::to_string(r.body["id"].get<long>()); };
  const std::vector<Probe> probes = {
      {"PUT", "/api/v1/residence-permits/" + ids(permit), "/api/v1/residence-permits/999999",
       {{"permit_type", "other"}, {"applied_on", "2026-03-02"}}},
      {"PUT", "/api/v1/proceedings/" + ids(proceeding), "/api/v1/proceedings/999999",
       {{"cooperating", false}, {"stage", "investigation"}, {"started_on", "2026-03-02"}}},
      {"PUT", "/api/v1/compensation-claims/" + ids(claim), "/api/v1/compensation-claims/999999",
       {{"route", "civil_claim"}, {"amount_claimed_minor", 6000}, {"currency", "AZN"},
        {"filed_on", "2026-03-02"}}},
      {"POST", "/api/v1/follow-ups/" + ids(follow_up) + "/complete",
       "/api/v1/follow-ups/999999/complete", {{"done_on", "2026-03-05"}, {"outcome", "stable"}}},
      {"POST", "/api/v1/consents/" + ids(consent) + "/withdraw", "/api/v1/consents/999999/withdraw",
       {{"withdrawn_on", "2026-03-05"}}},
      {"GET", "/api/v1/consents/" + ids(consent) + "/receipt", "/api/v1/consents/999999/receipt",
       Json()},
      {"GET", path, "/api/v1/cases/999999", Json()},
  };
  for (const auto& p : probes) {
    auto body = p.body.is_null() ? std::string() : p.body.dump();
    auto seen = other.Request(p.method, p.existing, body);
    auto absent = other.Request(p.method, p.missing, body);
    EXPECT_EQ(seen.status, 404) << p.existing << " " << seen.raw;
    EXPECT_EQ(seen.raw, absent.raw) << p.existing;
  }
}

}  // namespace
}  // namespace haven::testing

namespace haven::testing {
namespace {

// The named report `referrals`: by kinds of organisation, under the same suppression as
// every report; overrides counted; the memorandum's members beside it.
TEST_F(Coalition, ReferralReportCountsByKindWithSuppression) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  Client coord = As("coord");
  ASSERT_EQ(coord.Post("/api/v1/coalition/members", {{"organization_id", ngo_}, {"signed_on", "2025-11-20"}})
                .status,
            200);
  EXPECT_EQ(coord.Post("/api/v1/coalition/members", {{"organization_id", ngo_}, {"signed_on", "2027-01-01"}})
                .ErrorField(),
            "signed_on");
  EXPECT_EQ(As("lale.cw").Post("/api/v1/coalition/members", {{"organization_id", ngo_}, {"signed_on", "2025-11-20"}})
                .status,
            403);
  // Six referrals to the shelter with consent, all accepted; one under an override.
  for (int i = 0; i < 6; ++i) {
    const long id = NewCase(cw, "Person", "Number" + std::to_string(i));
    ASSERT_EQ(cw.Post(CasePath(id) + "/consents", Consent(shelter_org_, {"shelter"}, {"case_facts"})).status, 201);
    auto sent = cw.Post("/api/v1/referrals", {{"case_id", id}, {"to_organization_id", shelter_org_}, {"purposes", {"shelter"}}});
    ASSERT_EQ(sent.status, 201) << sent.raw;
    ASSERT_EQ(sm.Post("/api/v1/referrals/" + std::to_string(sent.body["id"].get<long>()) + "/accept",
                      Json::object())
                  .status,
              200);
  }
  const long urgent = NewCase(cw, "Urgent", "Case");
  ASSERT_EQ(coord.Post("/api/v1/referrals", {{"case_id", urgent},
                                            {"to_organization_id", shelter_org_},
                                            {"purposes", {"shelter"}},
                                            {"override", {{"basis", "court_order"},
                                                          {"reason", "Order of the Baku court"},
                                                          {"categories", {"case_facts"}}}}})
                .status,
            201);
  in_->User("analyst", "analyst", state_, kPassword);
  auto report = As("analyst").Get("/api/v1/reports/referrals?year=2026");
  ASSERT_EQ(report.status, 200) << report.raw;
  EXPECT_EQ(report.body["unit"], "referrals");
  std::map<std::string, Json> tables;
  for (const auto& t : report.body["tables"]) tables[t["id"]] = t;
  ASSERT_TRUE(tables.count("referrals_by_receiver_kind")) << report.raw;
  ASSERT_TRUE(tables.count("referrals_by_ground"));
  auto row = [](const Json& table, const std::string& label) {
    for (const auto& r : table["rows"])
      if (r["label"] == label) return r;
    return Json();
  };
  const Json shelters = row(tables["referrals_by_receiver_kind"], "shelter");
  ASSERT_FALSE(shelters.is_null()) << report.raw;
  EXPECT_EQ(shelters["total"], 7) << shelters.dump();
  const Json grounds = row(tables["referrals_by_ground"], "shelter");
  EXPECT_EQ(grounds["values"][1], "<5") << "one override is a small cell";
  EXPECT_EQ(grounds["values"][0], "x") << "else 7 - 6 would give the small cell away";
  bool median = false, member = false;
  for (const auto& n : tables["referrals_by_receiver_kind"]["notes"])
    median |= n.get<std::string>().find("median time from sending to acceptance, shelter") != std::string::npos;
  for (const auto& n : tables["referrals_by_ground"]["notes"])
    member |= n.get<std::string>().find("memorandum member: Təmiz Dünya (ngo), signed 2025-11-20") != std::string::npos;
  EXPECT_TRUE(median) << report.raw;
  EXPECT_TRUE(member) << report.raw;
  EXPECT_EQ(report.raw.find("Order of the Baku court"), std::string::npos);
  auto members = cw.Get("/api/v1/coalition/members");
  ASSERT_EQ(members.body["items"].size(), 1u);
  EXPECT_EQ(members.body["items"][0]["signed_on"], "2025-11-20");
}

}  // namespace
}  // namespace haven::testing

namespace haven::testing {
namespace {

// The scanned consent form is sealed like an identity and shown like one: with a
// reason, to those who may read the case's identity.
TEST_F(Coalition, ScannedConsentFormIsSealedAndShownLikeAnIdentity) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  const long id = NewCase(cw);
  auto consent = cw.Post(CasePath(id) + "/consents",
                         Consent(shelter_org_, {"shelter"}, {"case_facts", "identity"}));
  ASSERT_EQ(consent.status, 201);
  const std::string form = "/api/v1/consents/" + std::to_string(consent.body["id"].get<long>()) + "/form";
  // "%PDF-1.4\nSigned by Dilnoza Karimova on 2 March\n%%EOF\n", as a browser sends it
  const std::string b64 =
      "JVBERi0xLjQKU2lnbmVkIGJ5IERpbG5vemEgS2FyaW1vdmEgb24gMiBNYXJjaAolJUVPRgo=";
  auto field = [](const Response& r) { return std::to_string(r.status) + " " + r.ErrorField(); };
  EXPECT_EQ(field(cw.Put(form, {{"media_type", "text/plain"}, {"content_base64", b64}})), "400 media_type");
  EXPECT_EQ(field(cw.Put(form, {{"media_type", "image/png"}, {"content_base64", b64}})), "400 content_base64");
  EXPECT_EQ(field(cw.Put(form, {{"media_type", "application/pdf"}, {"content_base64", "@@@"}})), "400 content_base64");
  EXPECT_EQ(sm.Put(form, {{"media_type", "application/pdf"}, {"content_base64", b64}}).status, 404)
      << "no referral yet: the shelter knows nothing of it";
  EXPECT_EQ(cw.Put(form, {{"media_type", "application/pdf"}, {"content_base64", b64}}).status, 204);
  auto view = cw.Post(form + "-views", {{"reason", "checking the signature"}});
  ASSERT_EQ(view.status, 200) << view.raw;
  EXPECT_EQ(view.body["media_type"], "application/pdf");
  EXPECT_EQ(view.body["content_base64"], b64);
  EXPECT_EQ(cw.Post(form + "-views", Json::object()).ErrorField(), "reason");
  // Referred with consent to the identity: the shelter may see it too, audited.
  ASSERT_EQ(cw.Post("/api/v1/referrals", {{"case_id", id}, {"to_organization_id", shelter_org_},
                                         {"purposes", {"shelter"}}})
                .status,
            201);
  EXPECT_EQ(sm.Post(form + "-views", {{"reason", "intake paperwork"}}).status, 200);
  EXPECT_EQ(sm.Put(form, {{"media_type", "application/pdf"}, {"content_base64", b64}}).status, 403)
      << "only the owner replaces it";
  EXPECT_EQ(As("cw-other").Post(form + "-views", {{"reason", "curiosity only"}}).status, 404);
  EXPECT_EQ(RawDatabase().find("Signed by Dilnoza"), std::string::npos);
  int views = 0;
  for (const auto& e : Audit())
    if (e["action"] == "consent.form_view") ++views;
  EXPECT_EQ(views, 2);
}

}  // namespace
}  // namespace haven::testing

namespace haven::testing {
namespace {

// What a receiver sees of the consents: those that name it. And an Idempotency-Key
// is for retries: a day later, or after the case has left the organisation, a replay
// no longer answers with the case.
TEST_F(Coalition, ReceiversSeeTheirConsentsAndReplaysDoNotOutliveAccess) {
  Client cw = As("lale.cw");
  Client sm = As("nigar.sm");
  const long id = NewCase(cw);
  ASSERT_EQ(cw.Post(CasePath(id) + "/consents", Consent(shelter_org_, {"shelter"}, {"case_facts"})).status, 201);
  ASSERT_EQ(cw.Post(CasePath(id) + "/consents",
                    Consent(other_ngo_, {"medical"}, {"case_facts", "health"}))
                .status,
            201);
  ASSERT_EQ(cw.Post("/api/v1/referrals", {{"case_id", id}, {"to_organization_id", shelter_org_},
                                         {"purposes", {"shelter"}}})
                .status,
            201);
  auto seen = sm.Get(CasePath(id) + "/consents");
  ASSERT_EQ(seen.status, 200) << seen.raw;
  ASSERT_EQ(seen.body["items"].size(), 1u) << "not the consent for medical care elsewhere";
  EXPECT_EQ(seen.body["items"][0]["recipient_organization_id"], shelter_org_);
  EXPECT_EQ(cw.Get(CasePath(id) + "/consents").body["items"].size(), 2u);

  const httplib::Headers key = {{"Idempotency-Key", "move-1"}};
  auto moved = cw.Post(CasePath(id) + "/transitions", {{"to", "referred"}}, key);
  ASSERT_EQ(moved.status, 200) << moved.raw;
  EXPECT_EQ(cw.Post(CasePath(id) + "/transitions", {{"to", "referred"}}, key).status, 200);
  in_->SetTime("2026-03-06T10:00:00Z");
  Client cw_later = As("lale.cw");
  auto expired = cw_later.Post(CasePath(id) + "/transitions", {{"to", "referred"}}, key);
  EXPECT_EQ(expired.status, 422) << expired.raw;
  EXPECT_EQ(expired.ErrorCode(), "idempotency_key_expired");

  // Transferred away: the former owner's replay answers like any other request of hers.
  const long other = NewCase(cw_later, "Second", "Person");
  const httplib::Headers key2 = {{"Idempotency-Key", "move-2"}};
  ASSERT_EQ(cw_later.Post(CasePath(other) + "/transitions", {{"to", "referred"}}, key2).status, 200);
  ASSERT_EQ(cw_later.Post(CasePath(other) + "/consents",
                          Consent(other_ngo_, {"assistance"},
                                  {"case_facts", "notes", "identity", "contacts", "services", "health",
                                   "shelter", "money", "documents"}, "2026-03-06"))
                .status,
            201);
  auto transfer = cw_later.Post("/api/v1/transfers", {{"case_id", other},
                                                      {"to_organization_id", other_ngo_},
                                                      {"purposes", {"assistance"}}});
  ASSERT_EQ(transfer.status, 201) << transfer.raw;
  ASSERT_EQ(As("cw-other").Post("/api/v1/referrals/" + std::to_string(transfer.body["id"].get<long>()) +
                                    "/accept",
                                Json::object())
                .status,
            200);
  auto replay = cw_later.Post(CasePath(other) + "/transitions", {{"to", "referred"}}, key2);
  EXPECT_EQ(replay.status, 404) << replay.raw;
  EXPECT_EQ(replay.raw.find("Second"), std::string::npos);
}

}  // namespace
}  // namespace haven::testing
