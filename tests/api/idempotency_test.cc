// Idempotency-Key over HTTP, write by write: a request repeated with the same key (a
// caseworker's slow connection retrying) answers what the first one did and changes
// nothing more — one record, one audit entry; the same key with another request is
// refused. Every kind of write is in the table, in the order a case goes through them.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "an-orchard-lantern-basalt";
constexpr const char* kPassword = "a-long-test-password";

struct Write {
  std::string user;
  std::string method;  // POST or PUT
  std::string path;    // "{case}", "{shelter}", … are replaced by earlier results
  Json body;
  std::string name;    // this write's result, for later paths
};

TEST(Idempotency, EveryWriteAnswersARepeatWithTheFirstResult) {
  Instance in("idem", kAdminPassword);
  const long a = in.Organization("Organisation A", "ngo");
  const long state = in.Organization("Coordinating Body", "state_body");
  in.User("coord", "coordinator", state, kPassword);
  in.User("cw-a", "caseworker", a, kPassword);
  in.User("sm-a", "shelter_manager", a, kPassword);
  std::map<std::string, Client> clients;
  for (std::string u : {"admin", "coord", "cw-a", "sm-a"}) clients.emplace(u, in.As(u, kPassword));
  auto audit_entries = [&] {
    Client auditor = in.As("auditor", kPassword);
    size_t n = 0;
    for (const auto& e : ReadAuditLog(auditor))
      if (e["action"].get<std::string>().rfind("auth.", 0) != 0) ++n;  // logins aside
    return n;
  };
  in.User("auditor", "auditor", state, kPassword);

  const std::vector<Write> writes = {
      {"admin", "POST", "/api/v1/organizations", {{"name", "Organisation C"}, {"kind", "ngo"}},
       "org"},
      {"admin", "POST", "/api/v1/users",
       {{"username", "cw-c"}, {"password", kPassword}, {"role", "caseworker"},
        {"organization_id", a}}, "user"},
      {"cw-a", "POST", "/api/v1/cases",
       {{"person", {{"given_name", "Nərgiz"}, {"family_name", "Əsədova"},
                    {"birth_date", "1993-05-06"}, {"sex", "female"}, {"citizenship", "AZ"}}},
        {"identified_on", "2026-02-01"}, {"identified_by", "ngo"},
        {"exploitation", {"sexual"}}}, "case"},
      {"sm-a", "POST", "/api/v1/shelters",
       {{"organization_id", a}, {"name", "House A"}, {"region", "AZ-BA"}, {"capacity", 3}},
       "shelter"},
      {"sm-a", "POST", "/api/v1/shelters/{shelter}/stays",
       {{"case_id", "{case}"}, {"admitted_on", "2026-02-02"}}, "stay"},
      {"cw-a", "POST", "/api/v1/cases/{case}/services",
       {{"type", "medical"}, {"provider_organization_id", a}, {"delivered_on", "2026-02-03"}},
       "service"},
      {"coord", "POST", "/api/v1/cases/{case}/identification",
       {{"decision", "granted"}, {"decided_on", "2026-02-04"}, {"deciding_body", "ATD"}},
       "decision"},
      {"coord", "POST", "/api/v1/allowance-rates",
       {{"kind", "monthly_allowance"}, {"amount_minor", 30000}, {"currency", "AZN"},
        {"effective_from", "2026-01-01"}}, "rate"},
      {"cw-a", "POST", "/api/v1/cases/{case}/payments",
       {{"kind", "monthly_allowance"}, {"paid_on", "2026-02-05"}}, "payment"},
      {"coord", "POST", "/api/v1/payments/{payment}/approve", Json::object(), "approval"},
      {"cw-a", "POST", "/api/v1/cases/{case}/residence-permits",
       {{"permit_type", "reflection_permit"}, {"applied_on", "2026-02-06"}}, "permit"},
      {"cw-a", "PUT", "/api/v1/residence-permits/{permit}",
       {{"permit_type", "reflection_permit"}, {"applied_on", "2026-02-06"},
        {"decision", "granted"}, {"decided_on", "2026-02-07"}, {"version", 1}}, "permit2"},
      {"cw-a", "POST", "/api/v1/cases/{case}/proceedings",
       {{"cooperating", true}, {"stage", "investigation"}, {"started_on", "2026-02-08"}},
       "proceeding"},
      {"cw-a", "PUT", "/api/v1/proceedings/{proceeding}",
       {{"cooperating", true}, {"stage", "prosecution"}, {"started_on", "2026-02-08"}},
       "proceeding2"},
      {"cw-a", "POST", "/api/v1/cases/{case}/compensation-claims",
       {{"route", "criminal_proceedings"}, {"amount_claimed_minor", 100000},
        {"currency", "AZN"}, {"filed_on", "2026-02-09"}}, "claim"},
      {"cw-a", "POST", "/api/v1/cases/{case}/transitions", {{"to", "assisted"}}, "transition"},
      {"sm-a", "POST", "/api/v1/stays/{stay}/discharge",
       {{"discharged_on", "2026-02-10"}, {"discharge_reason", "plan_completed"}}, "discharge"},
      {"cw-a", "POST", "/api/v1/cases/{case}/return",
       {{"voluntary", true}, {"destination_country", "UZ"}, {"returned_on", "2026-02-11"}},
       "return"},
  };

  std::map<std::string, std::string> ids;
  auto fill = [&](std::string text) {
    for (const auto& [name, id] : ids) {
      const std::string slot = "{" + name + "}";
      const std::string quoted = "\"" + slot + "\"";  // a number in a JSON body
      for (size_t pos; (pos = text.find(quoted)) != std::string::npos;) {
        text.replace(pos, quoted.size(), id);
      }
      for (size_t pos; (pos = text.find(slot)) != std::string::npos;) {
        text.replace(pos, slot.size(), id);
      }
    }
    return text;
  };
  for (const auto& w : writes) {
    SCOPED_TRACE(w.method + " " + w.path);
    const std::string path = fill(w.path);
    const std::string body = fill(w.body.dump());
    const std::string key = "retry-" + w.name;
    Client& c = clients.at(w.user);
    const size_t before = audit_entries();
    auto first = c.Request(w.method, path, body, {{"Idempotency-Key", key}});
    ASSERT_GE(first.status, 200) << first.raw;
    ASSERT_LT(first.status, 300) << first.raw;
    auto again = c.Request(w.method, path, body, {{"Idempotency-Key", key}});
    EXPECT_EQ(again.status, first.status) << again.raw;
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(audit_entries(), before + 1) << "one audit entry for the write and its repeat";
    // The same key for another request is refused, and changes nothing.
    auto other = c.Request(w.method, path, fill(Json{{"other", "request"}}.dump()),
                           {{"Idempotency-Key", key}});
    EXPECT_TRUE(other.status == 422 || other.status == 400) << other.raw;
    if (first.body.contains("id")) ids[w.name] = std::to_string(first.body["id"].get<long>());
    EXPECT_EQ(audit_entries(), before + 1);
  }
  // A key already used for one kind of write cannot be spent on another.
  auto reused = clients.at("cw-a").Request(
      "POST", fill("/api/v1/cases/{case}/follow-ups"), Json{{"due_on", "2026-12-01"}}.dump(),
      {{"Idempotency-Key", "retry-service"}});
  EXPECT_EQ(reused.status, 422) << reused.raw;
  EXPECT_EQ(reused.ErrorCode(), "idempotency_key_reused");
}

}  // namespace
}  // namespace haven::testing
