// Assistance over HTTP against a real `haven serve`: shelters and stays (also
// under concurrent admissions), services, the identification decision,
// allowance rates and payments, tasks, and equal treatment of citizens,
// foreign nationals and stateless persons.

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "admin-password-for-tests";
constexpr const char* kPassword = "a-long-test-password";

class Assistance : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(TempDir("assist"));
    ASSERT_EQ(RunHaven({"init", "--dir", (*dir_ / "i").string(), "--admin-password", kAdminPassword}).exit_code, 0);
    server_ = new ServerProcess(*dir_ / "i");
    Client admin(server_->port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    auto org = [&](const std::string& name, const std::string& kind) {
      auto r = admin.Post("/api/v1/organizations", {{"name", name}, {"kind", kind}});
      EXPECT_EQ(r.status, 201) << r.raw;
      return r.body["id"].get<long>();
    };
    shelter_org_ = org("State Shelter", "shelter");
    ngo_ = org("NGO", "ngo");
    coord_org_ = org("Coordinator", "state_body");
    auto user = [&](const std::string& name, const std::string& role, long org_id) {
      EXPECT_EQ(admin.Post("/api/v1/users", {{"username", name}, {"password", kPassword},
                                              {"role", role}, {"organization_id", org_id}}).status, 201);
    };
    user("shelter-mgr", "shelter_manager", shelter_org_);
    user("ngo-cw", "caseworker", ngo_);
    user("coord", "coordinator", coord_org_);
    user("analyst", "analyst", coord_org_);
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  Client As(const std::string& username) {
    Client c(server_->port());
    EXPECT_EQ(c.Login(username, kPassword).status, 200) << username;
    return c;
  }

  static Json CaseBody(const std::string& citizenship = "AZ", const std::string& name = "Aysel") {
    return {{"person", {{"given_name", name}, {"family_name", "Testova"}, {"birth_date", "1994-05-05"},
                        {"sex", "female"}, {"citizenship", citizenship}}},
            {"identified_on", "2025-01-10"},
            {"identified_by", "police"},
            {"exploitation", {"forced_labour"}}};
  }

  long NewCase(Client& c, const std::string& citizenship = "AZ") {
    auto r = c.Post("/api/v1/cases", CaseBody(citizenship));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body["id"];
  }

  long NewShelter(const std::string& name, int capacity) {
    auto r = As("coord").Post("/api/v1/shelters", {{"organization_id", shelter_org_}, {"name", name},
                                                   {"region", "AZ-BA"}, {"capacity", capacity},
                                                   {"address", "Secret street 5, Baku"}});
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body["id"];
  }

  static std::filesystem::path* dir_;
  static ServerProcess* server_;
  static long shelter_org_, ngo_, coord_org_;
};

std::filesystem::path* Assistance::dir_;
ServerProcess* Assistance::server_;
long Assistance::shelter_org_, Assistance::ngo_, Assistance::coord_org_;

TEST_F(Assistance, ShelterAddressIsShownOnlyToItsStaffAndCoordinators) {
  long id = NewShelter("Address House", 4);
  std::string path = "/api/v1/shelters/" + std::to_string(id);
  auto coord = As("coord").Get(path);
  EXPECT_EQ(coord.body["address"], "Secret street 5, Baku");
  EXPECT_EQ(coord.body["capacity"], 4);
  EXPECT_EQ(coord.body["occupied"], 0);
  EXPECT_EQ(As("shelter-mgr").Get(path).body["address"], "Secret street 5, Baku");
  auto other = As("ngo-cw").Get(path);
  EXPECT_EQ(other.status, 200);
  EXPECT_FALSE(other.body.contains("address"));
  EXPECT_EQ(other.raw.find("Secret street"), std::string::npos);
  EXPECT_EQ(As("ngo-cw").Get("/api/v1/shelters?limit=200").raw.find("Secret street"), std::string::npos);
  // Creating shelters: coordinators, or a shelter manager for their own organisation.
  EXPECT_EQ(As("ngo-cw").Post("/api/v1/shelters", {{"name", "X"}, {"region", "AZ-BA"}, {"capacity", 2}}).status, 403);
  EXPECT_EQ(As("shelter-mgr").Post("/api/v1/shelters", {{"organization_id", ngo_}, {"name", "X"}, {"region", "AZ-BA"}, {"capacity", 2}}).status, 403);
  auto bad = As("coord").Post("/api/v1/shelters", {{"organization_id", shelter_org_}, {"name", "Y"}, {"region", "AZ-BA"}, {"capacity", 0}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.ErrorField(), "capacity");
}

TEST_F(Assistance, ConcurrentAdmissionsNeverOverfillAShelter) {
  long shelter = NewShelter("Last Bed House", 3);
  Client sm = As("shelter-mgr");
  std::string stays = "/api/v1/shelters/" + std::to_string(shelter) + "/stays";
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(sm.Post(stays, {{"case_id", NewCase(sm)}, {"admitted_on", "2025-02-01"}}).status, 201);
  constexpr int kContenders = 8;
  std::vector<long> cases;
  for (int i = 0; i < kContenders; ++i) cases.push_back(NewCase(sm));
  auto login = sm.Login("shelter-mgr", kPassword);
  std::string token = login.body["token"];
  std::atomic<int> won{0}, full{0}, other{0};
  std::vector<std::thread> threads;
  std::atomic<bool> go{false};
  for (int i = 0; i < kContenders; ++i)
    threads.emplace_back([&, i] {
      Client c(server_->port());
      c.SetToken(token);
      while (!go) std::this_thread::yield();
      auto r = c.Post(stays, {{"case_id", cases[i]}, {"admitted_on", "2025-02-02"}});
      if (r.status == 201) ++won;
      else if (r.status == 409 && r.ErrorCode() == "shelter_full") ++full;
      else ++other;
    });
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(full, kContenders - 1);
  EXPECT_EQ(other, 0);
  auto s = sm.Get("/api/v1/shelters/" + std::to_string(shelter));
  EXPECT_EQ(s.body["occupied"], 3);
  EXPECT_EQ(s.body["free"], 0);
}

TEST_F(Assistance, DischargeRulesAndFreedBeds) {
  long shelter = NewShelter("Small House", 1);
  Client sm = As("shelter-mgr");
  std::string stays = "/api/v1/shelters/" + std::to_string(shelter) + "/stays";
  long first = NewCase(sm), second = NewCase(sm);
  auto stay = sm.Post(stays, {{"case_id", first}, {"admitted_on", "2025-03-10"}});
  ASSERT_EQ(stay.status, 201);
  auto again = sm.Post("/api/v1/shelters/" + std::to_string(NewShelter("Other House", 5)) + "/stays",
                       {{"case_id", first}, {"admitted_on", "2025-03-11"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.ErrorCode(), "already_admitted");
  auto full = sm.Post(stays, {{"case_id", second}, {"admitted_on", "2025-03-12"}});
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.ErrorCode(), "shelter_full");
  std::string discharge = "/api/v1/stays/" + std::to_string(stay.body["id"].get<long>()) + "/discharge";
  auto early = sm.Post(discharge, {{"discharged_on", "2025-03-01"}, {"discharge_reason", "plan_completed"}});
  EXPECT_EQ(early.status, 400);
  EXPECT_EQ(early.ErrorField(), "discharged_on");
  EXPECT_EQ(sm.Post(discharge, {{"discharged_on", "2025-04-01"}, {"discharge_reason", "evicted"}}).ErrorField(), "discharge_reason");
  // Another organisation's stay answers exactly like one that does not exist.
  auto foreign = As("ngo-cw").Post(discharge, {{"discharged_on", "2025-04-01"}, {"discharge_reason", "plan_completed"}});
  auto missing = As("ngo-cw").Post("/api/v1/stays/999999/discharge", {{"discharged_on", "2025-04-01"}, {"discharge_reason", "plan_completed"}});
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(foreign.raw, missing.raw);
  auto done = sm.Post(discharge, {{"discharged_on", "2025-04-01"}, {"discharge_reason", "plan_completed"}});
  ASSERT_EQ(done.status, 200) << done.raw;
  EXPECT_EQ(done.body["discharged_on"], "2025-04-01");
  EXPECT_EQ(sm.Post(discharge, {{"discharged_on", "2025-04-02"}, {"discharge_reason", "plan_completed"}}).status, 409);
  EXPECT_EQ(sm.Post(stays, {{"case_id", second}, {"admitted_on", "2025-04-02"}}).status, 201);
  auto occupancy = sm.Get("/api/v1/shelters/" + std::to_string(shelter) + "/occupancy?from=2025-03-09&to=2025-04-02");
  ASSERT_EQ(occupancy.status, 200);
  EXPECT_EQ(occupancy.body["days"][0]["occupied"], 0);
  EXPECT_EQ(occupancy.body["days"][1]["occupied"], 1);
  // Admission into another organisation's shelter, or of an invisible case, is refused.
  EXPECT_EQ(As("ngo-cw").Post(stays, {{"case_id", second}}).status, 403);
}

TEST_F(Assistance, ServicesAreRecordedWithSealedNotes) {
  Client cw = As("ngo-cw");
  long id = NewCase(cw);
  std::string path = "/api/v1/cases/" + std::to_string(id) + "/services";
  auto ok = cw.Post(path, {{"type", "psychological"}, {"provider_organization_id", ngo_},
                           {"delivered_on", "2025-02-01"}, {"duration_minutes", 50},
                           {"outcome", "stabilised"}, {"notes", "talked about her sister in Ganja"}});
  ASSERT_EQ(ok.status, 201) << ok.raw;
  EXPECT_EQ(cw.Post(path, {{"type", "food"}, {"provider_organization_id", ngo_}, {"delivered_on", "2025-01-01"}}).ErrorField(), "delivered_on");
  EXPECT_EQ(cw.Post(path, {{"type", "massage"}, {"provider_organization_id", ngo_}, {"delivered_on", "2025-02-01"}}).ErrorField(), "type");
  EXPECT_EQ(cw.Post(path, {{"type", "food"}, {"provider_organization_id", 999999}, {"delivered_on", "2025-02-01"}}).ErrorField(), "provider_organization_id");
  auto own = cw.Get(path);
  ASSERT_EQ(own.body["items"].size(), 1u);
  EXPECT_EQ(own.body["items"][0]["notes"], "talked about her sister in Ganja");
  EXPECT_EQ(own.body["items"][0]["outcome"], "stabilised");
  auto coord = As("coord").Get(path);
  ASSERT_EQ(coord.status, 200);
  EXPECT_EQ(coord.raw.find("sister"), std::string::npos);
  // Every free text is the notes category: absent, not null, for the coordinator.
  EXPECT_FALSE(coord.body["items"][0].contains("outcome")) << coord.raw;
  EXPECT_FALSE(coord.body["items"][0].contains("unit")) << coord.raw;
  EXPECT_EQ(As("shelter-mgr").Get(path).status, 404);
  // Nor is any of it in the database file.
  std::ifstream db(*dir_ / "i" / "haven.db", std::ios::binary);
  std::ifstream wal(*dir_ / "i" / "haven.db-wal", std::ios::binary);
  std::stringstream raw;
  raw << db.rdbuf() << wal.rdbuf();
  EXPECT_EQ(raw.str().find("stabilised"), std::string::npos);
  EXPECT_EQ(raw.str().find("sister in Ganja"), std::string::npos);
  // The annual statistics count services delivered by type.
  auto annual = RunHaven({"report", "annual", "--year", "2025", "--format", "csv", "--suppress",
                          "0", "--dir", (*dir_ / "i").string()});
  ASSERT_EQ(annual.exit_code, 0) << annual.out;
  auto pos = annual.out.find("services_by_type,psychological,count,");
  ASSERT_NE(pos, std::string::npos) << annual.out;
  EXPECT_NE(annual.out[pos + std::string("services_by_type,psychological,count,").size()], '0');
  EXPECT_NE(annual.out.find("shelter_use,bed_days,count,"), std::string::npos);
  EXPECT_EQ(annual.out.find("sister"), std::string::npos);
}

TEST_F(Assistance, AllowancesFollowTheRateInForceAndAreNeverPaidTwice) {
  Client coord = As("coord");
  auto r1 = coord.Post("/api/v1/allowance-rates", {{"kind", "monthly_allowance"}, {"amount_minor", 30000}, {"currency", "AZN"}, {"effective_from", "2024-01-01"}});
  ASSERT_EQ(r1.status, 201) << r1.raw;
  ASSERT_EQ(coord.Post("/api/v1/allowance-rates", {{"kind", "monthly_allowance"}, {"amount_minor", 35000}, {"currency", "AZN"}, {"effective_from", "2025-06-01"}}).status, 201);
  auto overlap = coord.Post("/api/v1/allowance-rates", {{"kind", "monthly_allowance"}, {"amount_minor", 1}, {"currency", "AZN"}, {"effective_from", "2025-06-01"}});
  EXPECT_EQ(overlap.status, 409);
  EXPECT_EQ(overlap.ErrorField(), "effective_from");
  EXPECT_EQ(coord.Post("/api/v1/allowance-rates", {{"kind", "x"}, {"amount_minor", -5}, {"currency", "AZN"}, {"effective_from", "2025-01-01"}}).ErrorField(), "amount_minor");
  EXPECT_EQ(coord.Post("/api/v1/allowance-rates", {{"kind", "x"}, {"amount_minor", 12.5}, {"currency", "AZN"}, {"effective_from", "2025-01-01"}}).ErrorField(), "amount_minor");
  EXPECT_EQ(coord.Post("/api/v1/allowance-rates", {{"kind", "x"}, {"amount_minor", 100}, {"currency", "XYZ"}, {"effective_from", "2025-01-01"}}).ErrorField(), "currency");
  EXPECT_EQ(As("ngo-cw").Post("/api/v1/allowance-rates", {{"kind", "x"}, {"amount_minor", 100}, {"currency", "AZN"}, {"effective_from", "2025-01-01"}}).status, 403);

  Client cw = As("ngo-cw");
  long id = NewCase(cw);
  std::string payments = "/api/v1/cases/" + std::to_string(id) + "/payments";
  httplib::Headers k1 = {{"Idempotency-Key", "pay-1"}};
  EXPECT_EQ(cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2025-03-01"}}).ErrorField(), "Idempotency-Key");
  auto not_eligible = cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2025-03-01"}}, k1);
  EXPECT_EQ(not_eligible.status, 409);
  EXPECT_EQ(not_eligible.ErrorCode(), "not_eligible");
  // The coordinator records the competent body's decision; caseworkers cannot.
  Json decision = {{"decision", "granted"}, {"decided_on", "2025-02-01"}, {"deciding_body", "Anti-Trafficking Department"}};
  EXPECT_EQ(cw.Post("/api/v1/cases/" + std::to_string(id) + "/identification", decision).status, 403);
  auto granted = coord.Post("/api/v1/cases/" + std::to_string(id) + "/identification", decision);
  ASSERT_EQ(granted.status, 201) << granted.raw;
  EXPECT_EQ(granted.body["victim_status"], "granted");
  EXPECT_EQ(coord.Post("/api/v1/cases/" + std::to_string(id) + "/identification",
                       {{"decision", "refused"}, {"decided_on", "2025-02-01"}, {"deciding_body", "X"}}).ErrorField(), "reasons");

  EXPECT_EQ(cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2025-03-01"}, {"amount_minor", 99999999}}, k1).ErrorField(), "amount_minor");
  auto p1 = cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2025-03-01"}}, k1);
  ASSERT_EQ(p1.status, 201) << p1.raw;
  EXPECT_EQ(p1.body["amount_minor"], 30000);
  EXPECT_EQ(p1.body["currency"], "AZN");
  EXPECT_EQ(p1.body["status"], "pending_approval");
  auto replay = cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2025-03-01"}}, k1);
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.body["id"], p1.body["id"]);
  auto dup = cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2025-03-01"}}, {{"Idempotency-Key", "pay-1b"}});
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.ErrorCode(), "duplicate_payment");
  auto p2 = cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2025-07-01"}}, {{"Idempotency-Key", "pay-2"}});
  ASSERT_EQ(p2.status, 201);
  EXPECT_EQ(p2.body["amount_minor"], 35000);
  EXPECT_EQ(cw.Post(payments, {{"kind", "monthly_allowance"}, {"paid_on", "2023-12-31"}}, {{"Idempotency-Key", "pay-0"}}).status, 400);
  // Raising the rate never changes past payments.
  ASSERT_EQ(coord.Post("/api/v1/allowance-rates", {{"kind", "monthly_allowance"}, {"amount_minor", 40000}, {"currency", "AZN"}, {"effective_from", "2025-01-01"}}).status, 201);
  auto list = cw.Get(payments);
  ASSERT_EQ(list.body["items"].size(), 2u);
  EXPECT_EQ(list.body["items"][1]["amount_minor"], 30000);

  // Approval by a coordinator; totals count approved payments only.
  EXPECT_EQ(cw.Post("/api/v1/payments/" + std::to_string(p1.body["id"].get<long>()) + "/approve", Json::object()).status, 403);
  auto approved = coord.Post("/api/v1/payments/" + std::to_string(p1.body["id"].get<long>()) + "/approve", Json::object());
  ASSERT_EQ(approved.status, 200);
  EXPECT_EQ(approved.body["status"], "approved");
  EXPECT_EQ(coord.Post("/api/v1/payments/" + std::to_string(p1.body["id"].get<long>()) + "/approve", Json::object()).status, 409);
  // Totals for analysts are under disclosure control: one payment is a small count,
  // and its amount (count = amount / rate) is hidden with it.
  auto totals = As("analyst").Get("/api/v1/allowances/totals?year=2025&group_by=month");
  ASSERT_EQ(totals.status, 200) << totals.raw;
  bool march = false;
  for (const auto& row : totals.body["rows"])
    if (row["month"] == "2025-03") {
      march = true;
      EXPECT_EQ(row["payments"], "<5") << totals.raw;
      EXPECT_EQ(row["amount_minor"], "x") << totals.raw;
    }
  EXPECT_TRUE(march) << totals.raw;
  EXPECT_EQ(totals.raw.find("30000"), std::string::npos) << totals.raw;
  EXPECT_EQ(cw.Get("/api/v1/allowances/totals?year=2025").status, 403);
  // The same totals from the command line: `haven report allowances --year Y`.
  auto cli = RunHaven({"report", "allowances", "--year", "2025", "--format", "csv", "--suppress", "0", "--dir",
                       (*dir_ / "i").string()});
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  // People read major units in CSV: 300.00 AZN, not 30000.
  EXPECT_NE(cli.out.find("allowance_amounts,2025-03,AZN,300.00"), std::string::npos) << cli.out;
  EXPECT_NE(cli.out.find("allowance_payments,2025-03,AZN,1"), std::string::npos) << cli.out;
  auto tasks = coord.Get("/api/v1/tasks?within_days=30");
  ASSERT_EQ(tasks.status, 200);
  bool pending_task = false;
  for (const auto& t : tasks.body["items"]) pending_task |= t["kind"] == "payment_awaiting_approval";
  EXPECT_TRUE(pending_task);
}

// The same case three times, differing only in citizenship, through
// identification, shelter, services and allowance: every outcome is identical.
TEST_F(Assistance, EqualTreatmentOfCitizensForeignersAndStatelessPersons) {
  Client coord = As("coord");
  coord.Post("/api/v1/allowance-rates", {{"kind", "equal_grant"}, {"amount_minor", 50000}, {"currency", "AZN"}, {"effective_from", "2024-01-01"}});
  long shelter = NewShelter("Equal House", 10);
  Client sm = As("shelter-mgr");
  std::vector<Json> outcomes;
  for (const char* citizenship : {"AZ", "UZ", "stateless"}) {
    Json outcome;
    auto c = sm.Post("/api/v1/cases", CaseBody(citizenship, "Equal"));
    ASSERT_EQ(c.status, 201);
    long id = c.body["id"];
    std::string base = "/api/v1/cases/" + std::to_string(id);
    outcome["status"] = c.body["status"];
    outcome["allowed"] = sm.Get(base).body["allowed_transitions"];
    outcome["to_reflection"] = sm.Post(base + "/transitions", {{"to", "reflection_period"}, {"on", "2025-01-11"}}).body["reflection_period"];
    outcome["decision"] = coord.Post(base + "/identification", {{"decision", "granted"}, {"decided_on", "2025-01-20"}, {"deciding_body", "ATD"}}).body["victim_status"];
    auto stay = sm.Post("/api/v1/shelters/" + std::to_string(shelter) + "/stays", {{"case_id", id}, {"admitted_on", "2025-01-12"}});
    outcome["stay"] = stay.status;
    outcome["service"] = sm.Post(base + "/services", {{"type", "medical"}, {"provider_organization_id", shelter_org_}, {"delivered_on", "2025-01-13"}}).status;
    auto pay = sm.Post(base + "/payments", {{"kind", "equal_grant"}, {"paid_on", "2025-02-01"}}, {{"Idempotency-Key", "equal-" + std::to_string(id)}});
    outcome["payment"] = {pay.status, pay.body["amount_minor"], pay.body["currency"], pay.body["status"]};
    outcome["assisted"] = sm.Post(base + "/transitions", {{"to", "assisted"}, {"on", "2025-02-02"}}).body["allowed_transitions"];
    outcomes.push_back(outcome);
  }
  EXPECT_EQ(outcomes[0]["payment"][1], 50000);
  EXPECT_EQ(outcomes[1], outcomes[0]);
  EXPECT_EQ(outcomes[2], outcomes[0]);
}

TEST_F(Assistance, TasksRemindOfReflectionPeriodsEnding) {
  Client cw = As("ngo-cw");
  auto c = cw.Post("/api/v1/cases", CaseBody());
  long id = c.body["id"];
  ASSERT_EQ(cw.Post("/api/v1/cases/" + std::to_string(id) + "/transitions", {{"to", "reflection_period"}, {"on", "2025-01-15"}}).status, 200);
  auto tasks = cw.Get("/api/v1/tasks");
  ASSERT_EQ(tasks.status, 200);
  bool found = false;
  for (const auto& t : tasks.body["items"])
    if (t["case_id"] == id) {
      found = true;
      EXPECT_EQ(t["kind"], "reflection_period_ending");
      EXPECT_EQ(t["overdue"], true);
      EXPECT_EQ(t["due_on"], "2025-02-14");
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(cw.Get("/api/v1/tasks?within_days=-1").ErrorField(), "within_days");
}

}  // namespace
}  // namespace haven::testing
