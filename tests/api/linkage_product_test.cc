// Linkage inside the product: a registration warns when the person is possibly
// already known elsewhere (without disclosing anything of the other record),
// and `haven link --dir` finds the same person across organisations.

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kPassword = "a-long-test-password";

Json Person(const std::string& given, const std::string& family, const std::string& birth) {
  return {{"person", {{"given_name", given}, {"family_name", family}, {"birth_date", birth},
                      {"sex", "male"}, {"citizenship", "AZ"}}},
          {"identified_on", "2026-02-01"},
          {"identified_by", "ngo"},
          {"exploitation", {"forced_labour"}}};
}

// Runs `haven link --dir inst` and checks that it succeeds and reports `persons`
// persons in `unique` unique persons, `joined` of them joined to another, and that
// the output does not name `never_named`.
void ExpectLinkSays(const std::string& inst, int persons, int unique, int joined,
                    const std::string& never_named) {
  auto linked = RunHaven({"link", "--dir", inst});
  ASSERT_EQ(linked.exit_code, 0) << linked.out;
  for (const std::string& phrase :
       {"linked " + std::to_string(persons) + " persons",
        std::to_string(unique) + " unique persons",
        std::to_string(joined) + " registrations joined"}) {
    EXPECT_NE(linked.out.find(phrase), std::string::npos) << phrase << "\n" << linked.out;
  }
  EXPECT_EQ(linked.out.find(never_named), std::string::npos);
}

// On a running server: an organisation "Org <kind>" of each kind, each with a caseworker
// "user-<kind>"; returns the organisations' ids by kind.
std::map<std::string, long> OrganisationsWithCaseworkers(int port,
                                                         const std::vector<std::string>& kinds) {
  Client admin(port);
  EXPECT_EQ(admin.Login("admin", kPassword).status, 200);
  std::map<std::string, long> orgs;
  for (const auto& kind : kinds) {
    auto r = admin.Post("/api/v1/organizations", {{"name", "Org " + kind}, {"kind", kind}});
    EXPECT_EQ(r.status, 201) << r.raw;
    orgs[kind] = r.body.value("id", 0L);
    EXPECT_EQ(admin.Post("/api/v1/users", {{"username", "user-" + kind}, {"password", kPassword},
                                           {"role", "caseworker"},
                                           {"organization_id", orgs[kind]}})
                  .status,
              201);
  }
  return orgs;
}

TEST(LinkageInProduct, RegistrationWarnsAndLinkFindsTheSamePerson) {
  auto dir = TempDir("linkprod");
  auto inst = (dir / "i").string();
  ASSERT_EQ(RunHaven({"init", "--dir", inst, "--admin-password", kPassword}).exit_code, 0);
  {
    ServerProcess server(dir / "i");
    auto orgs = OrganisationsWithCaseworkers(server.port(), {"ngo", "police", "shelter"});
    Client ngo(server.port()), police(server.port()), shelter(server.port());
    ASSERT_EQ(ngo.Login("user-ngo", kPassword).status, 200);
    ASSERT_EQ(police.Login("user-police", kPassword).status, 200);
    ASSERT_EQ(shelter.Login("user-shelter", kPassword).status, 200);

    auto first = ngo.Post("/api/v1/cases", Person("Elvin", "Məmmədov", "1985-03-14"));
    ASSERT_EQ(first.status, 201);
    EXPECT_EQ(first.body["known_elsewhere"].size(), 0u);
    // A typo in the given name: no exact match, but a close linkage key.
    auto second = police.Post("/api/v1/cases", Person("Elvn", "Məmmədov", "1985-03-14"));
    ASSERT_EQ(second.status, 201);
    ASSERT_EQ(second.body["known_elsewhere"].size(), 1u) << second.raw;
    EXPECT_EQ(second.body["known_elsewhere"][0]["organization_kind"], "ngo");
    EXPECT_EQ(second.raw.find("Elvn"), std::string::npos);
    EXPECT_EQ(second.raw.find("\"organization_id\":" + std::to_string(orgs["ngo"])), std::string::npos);
    // Someone else entirely raises no warning.
    auto other = shelter.Post("/api/v1/cases", Person("Tural", "Quliyev", "1993-04-05"));
    ASSERT_EQ(other.status, 201);
    EXPECT_EQ(other.body["known_elsewhere"].size(), 0u);
    // The same organisation's own earlier registration is not "elsewhere".
    auto again = ngo.Post("/api/v1/cases", Person("Elvin", "Məmmədov", "1985-03-14"));
    EXPECT_EQ(again.body["known_elsewhere"].size(), 1u) << "only the police registration";
  }
  ExpectLinkSays(inst, 4, 2, 3, "Elvin");
  auto strict = RunHaven({"link", "--dir", inst, "--threshold", "1.0"});
  ASSERT_EQ(strict.exit_code, 0) << strict.out;
  EXPECT_NE(strict.out.find("3 unique persons"), std::string::npos) << strict.out;
  EXPECT_NE(RunHaven({"link", "--dir", inst, "--threshold", "1.5"}).exit_code, 0);
  EXPECT_EQ(RunHaven({"audit", "verify", "--dir", inst}).exit_code, 0);
  std::filesystem::remove_all(dir);
}

// Namesakes without a birth date are told apart by the patronymic, in whatever form it
// was written; the same person written by the police in Cyrillic is still found.
TEST(LinkageInProduct, PatronymicSeparatesNamesakes) {
  auto dir = TempDir("linkpatr");
  auto inst = (dir / "i").string();
  ASSERT_EQ(RunHaven({"init", "--dir", inst, "--admin-password", kPassword}).exit_code, 0);
  auto person = [](const std::string& given, const std::string& family,
                   const std::string& patronymic) {
    return Json{{"person", {{"given_name", given}, {"family_name", family},
                            {"patronymic", patronymic}, {"sex", "female"},
                            {"citizenship", "AZ"}}},
                {"identified_on", "2026-02-01"},
                {"identified_by", "ngo"},
                {"exploitation", {"sexual"}}};
  };
  {
    ServerProcess server(dir / "i");
    OrganisationsWithCaseworkers(server.port(), {"ngo", "police"});
    Client ngo(server.port()), police(server.port());
    ASSERT_EQ(ngo.Login("user-ngo", kPassword).status, 200);
    ASSERT_EQ(police.Login("user-police", kPassword).status, 200);
    ASSERT_EQ(ngo.Post("/api/v1/cases", person("Aysel", "Məmmədova", "Elçin qızı")).status, 201);
    ASSERT_EQ(ngo.Post("/api/v1/cases", person("Aysel", "Məmmədova", "Rəşad qızı")).status, 201);
    auto p = police.Post("/api/v1/cases", person("Айсель", "Мамедова", "Рашадовна"));
    ASSERT_EQ(p.status, 201) << p.raw;
    EXPECT_EQ(p.body["known_elsewhere"].size(), 1u) << p.raw;
  }
  ExpectLinkSays(inst, 3, 2, 2, "Aysel");
  std::filesystem::remove_all(dir);
}

// After an upgrade of the person schema the migration drops the stored linkage keys;
// `haven serve` makes them again at start-up, so the duplicate warning keeps seeing
// persons registered before the upgrade (here: a typo that only the CLK can match).
TEST(LinkageInProduct, ServeMakesMissingLinkageKeysAtStartUp) {
  auto dir = TempDir("linkkeys");
  auto inst = (dir / "i").string();
  ASSERT_EQ(RunHaven({"init", "--dir", inst, "--admin-password", kPassword}).exit_code, 0);
  {
    ServerProcess server(dir / "i");
    OrganisationsWithCaseworkers(server.port(), {"ngo", "police"});
    Client ngo(server.port());
    ASSERT_EQ(ngo.Login("user-ngo", kPassword).status, 200);
    ASSERT_EQ(ngo.Post("/api/v1/cases", Person("Elvin", "Məmmədov", "1985-03-14")).status, 201);
  }
  // What the schema migration does to a database of an older version.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "i" / "haven.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE persons SET clk = NULL", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  {
    ServerProcess server(dir / "i");
    Client police(server.port());
    ASSERT_EQ(police.Login("user-police", kPassword).status, 200);
    auto second = police.Post("/api/v1/cases", Person("Elvn", "Məmmədov", "1985-03-14"));
    ASSERT_EQ(second.status, 201) << second.raw;
    EXPECT_EQ(second.body["known_elsewhere"].size(), 1u) << second.raw;
  }
  EXPECT_EQ(RunHaven({"audit", "verify", "--dir", inst}).exit_code, 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::testing
