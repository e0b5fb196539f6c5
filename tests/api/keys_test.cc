// Sealed data that can age (issue #14): `haven keys rotate` replaces the master key while
// a server runs, every identity still opens (through the running server, after a
// restart, and an old backup with the keyring retired with it); retention erases a
// person by destroying her data key, and nothing in the raw files opens her data again.

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "admin-password-for-tests";
constexpr const char* kPassword = "a-caseworker-passphrase-1";

Json CaseBody(const std::string& given, const std::string& family) {
  return {{"person",
           {{"given_name", given},
            {"family_name", family},
            {"birth_date", "1990-07-02"},
            {"sex", "female"},
            {"citizenship", "AZ"}}},
          {"identified_on", "2026-03-01"},
          {"identified_by", "police"},
          {"exploitation", {"sexual"}},
          {"means_of_control", {"threats"}},
          {"country_of_recruitment", "AZ"},
          {"country_of_exploitation", "TR"},
          {"region", "AZ-BA"}};
}

std::string IdentityPath(long id) { return "/api/v1/cases/" + std::to_string(id) + "/identity-views"; }

std::string GivenName(Client& c, long id) {
  auto r = c.Post(IdentityPath(id), {{"reason", "checking the key rotation"}});
  if (r.status != 200) return "status " + std::to_string(r.status) + ": " + r.raw;
  return r.body.value("given_name", std::string("?"));
}

// A report's figures and notes, without the time it was made.
std::string Figures(Json report) {
  report.erase("generated_at");
  return report.dump();
}

std::string FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class Keys : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("keys");
    inst_ = dir_ / "inst";
    auto r = RunHaven({"init", "--dir", inst_.string(), "--admin-password", kAdminPassword});
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // An organisation with a caseworker (no supervisor: she closes cases herself).
  void Staff(Client& admin) {
    auto org = admin.Post("/api/v1/organizations", {{"name", "NGO Keys"}, {"kind", "ngo"}});
    ASSERT_EQ(org.status, 201) << org.raw;
    org_ = org.body["id"].get<long>();
    for (auto [name, role] : {std::pair{"keys.cw", "caseworker"}, std::pair{"keys.analyst", "analyst"}}) {
      auto user = admin.Post("/api/v1/users", {{"username", name},
                                               {"password", kPassword},
                                               {"role", role},
                                               {"organization_id", org_}});
      ASSERT_EQ(user.status, 201) << user.raw;
    }
  }
  long NewCase(Client& cw, const std::string& given) {
    auto r = cw.Post("/api/v1/cases", CaseBody(given, "Keytest"));
    EXPECT_EQ(r.status, 201) << r.raw;
    return r.body.value("id", 0L);
  }

  std::filesystem::path dir_, inst_;
  long org_ = 0;
};

TEST_F(Keys, RotateWhileServingThenEveryIdentityOpensAndOldBackupsWithTheRetiredKeyring) {
  std::vector<std::pair<long, std::string>> cases;
  {
    ServerProcess server(inst_);
    Client admin(server.port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    Staff(admin);
    Client cw(server.port());
    ASSERT_EQ(cw.Login("keys.cw", kPassword).status, 200);
    for (const char* name : {"Aygün", "Nərmin", "Səbinə"}) cases.emplace_back(NewCase(cw, name), name);
    ASSERT_EQ(cw.Post("/api/v1/cases/" + std::to_string(cases[0].first) + "/notes",
                      {{"text", "met at the shelter"}})
                  .status,
              201);
  }
  // A backup of the database made before the rotation (the server stopped: no WAL).
  const auto backup = dir_ / "backup";
  std::filesystem::create_directories(backup);
  std::filesystem::copy_file(inst_ / "haven.db", backup / "haven.db");
  std::filesystem::copy_file(inst_ / "haven.toml", backup / "haven.toml");

  {
    ServerProcess server(inst_);
    Client cw(server.port());
    ASSERT_EQ(cw.Login("keys.cw", kPassword).status, 200);
    ASSERT_EQ(GivenName(cw, cases[0].first), "Aygün");  // the server holds the old keyring
    auto rotated = RunHaven({"keys", "rotate", "--dir", inst_.string()});
    ASSERT_EQ(rotated.exit_code, 0) << rotated.out;
    EXPECT_NE(rotated.out.find("re-wrapped"), std::string::npos) << rotated.out;
    // The running server meets the new master key id and reads the keyring again.
    for (const auto& [id, name] : cases) EXPECT_EQ(GivenName(cw, id), name);
    auto notes = cw.Get("/api/v1/cases/" + std::to_string(cases[0].first) + "/notes");
    ASSERT_EQ(notes.status, 200) << notes.raw;
    EXPECT_NE(notes.raw.find("met at the shelter"), std::string::npos);
    // A person registered now gets a key wrapped by the new master key.
    cases.emplace_back(NewCase(cw, "Ülviyyə"), "Ülviyyə");
    EXPECT_EQ(GivenName(cw, cases.back().first), "Ülviyyə");
  }
  {
    ServerProcess server(inst_);  // after a restart
    Client cw(server.port());
    ASSERT_EQ(cw.Login("keys.cw", kPassword).status, 200);
    for (const auto& [id, name] : cases) EXPECT_EQ(GivenName(cw, id), name);
  }
  // Only the new master key is left in the keyring; the old one is in the retired file.
  std::filesystem::path retired;
  for (const auto& e : std::filesystem::directory_iterator(inst_))
    if (e.path().filename().string().starts_with("keyring-retired-")) retired = e.path();
  ASSERT_FALSE(retired.empty());
  const Json now = Json::parse(FileBytes(inst_ / "keyring.json"));
  EXPECT_EQ(now["version"], 2);
  EXPECT_EQ(now["master_keys"].size(), 1u);

  // The old backup opens with the keyring retired with it ...
  std::filesystem::copy_file(retired, backup / "keyring.json");
  ::chmod((backup / "keyring.json").c_str(), 0600);
  {
    ServerProcess server(backup);
    Client cw(server.port());
    ASSERT_EQ(cw.Login("keys.cw", kPassword).status, 200);
    for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(GivenName(cw, cases[i].first), cases[i].second);
  }
  // ... and not with today's: its data keys are wrapped by the retired master key.
  std::filesystem::copy_file(inst_ / "keyring.json", backup / "keyring.json",
                             std::filesystem::copy_options::overwrite_existing);
  {
    ServerProcess server(backup);
    Client cw(server.port());
    ASSERT_EQ(cw.Login("keys.cw", kPassword).status, 200);
    EXPECT_EQ(cw.Post(IdentityPath(cases[0].first), {{"reason", "checking the key rotation"}})
                  .status,
              500);
  }
  auto again = RunHaven({"keys", "rotate", "--dir", inst_.string()});
  EXPECT_EQ(again.exit_code, 0) << again.out;
  auto verify = RunHaven({"audit", "verify", "--dir", inst_.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

TEST_F(Keys, RetentionErasesByDestroyingTheKeyAndStatisticsStay) {
  HavenToml(inst_).Write("erase_after_closure_days = 0\n", "erase_after_closure_days = 30\n");
  long erased = 0, kept = 0;
  std::string report_before;
  {
    ServerProcess server(inst_);
    Client admin(server.port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    Staff(admin);
    Client cw(server.port());
    ASSERT_EQ(cw.Login("keys.cw", kPassword).status, 200);
    erased = NewCase(cw, "Xəyalə");
    kept = NewCase(cw, "Günay");
    const std::string path = "/api/v1/cases/" + std::to_string(erased);
    ASSERT_EQ(cw.Post(path + "/notes", {{"text", "a note to be erased"}}).status, 201);
    auto closed = cw.Post(path + "/transitions",
                          {{"to", "closed"},
                           {"closure_reason", "assistance_completed"},
                           {"note", "assistance completed, she went home to her family"},
                           {"on", "2026-03-05"}});
    ASSERT_EQ(closed.status, 200) << closed.raw;
    Client analyst(server.port());
    ASSERT_EQ(analyst.Login("keys.analyst", kPassword).status, 200);
    auto rep = analyst.Get("/api/v1/reports/counts?by=year,sex");
    ASSERT_EQ(rep.status, 200) << rep.raw;
    report_before = Figures(rep.body);
  }
  // The wrapped key and the sealed identity as they were, read (not changed) for the
  // check below: no API hands them out, by design.
  std::string wrapped, sealed_identity;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2((inst_ / "haven.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    auto blob = [&](const std::string& sql) {
      sqlite3_stmt* st = nullptr;
      std::string out;
      EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
      if (sqlite3_step(st) == SQLITE_ROW)
        out.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                   static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
      sqlite3_finalize(st);
      return out;
    };
    const std::string person = "(SELECT person_id FROM cases WHERE id = " + std::to_string(erased) + ")";
    wrapped = blob("SELECT wrapped FROM data_keys WHERE scope = 'person:' || " + person);
    sealed_identity = blob("SELECT sealed_identity FROM persons WHERE id = " + person);
    sqlite3_close(db);
  }
  ASSERT_EQ(wrapped.size(), 24u + 32u + 16u);
  ASSERT_FALSE(sealed_identity.empty());
  const std::string raw_before = FileBytes(inst_ / "haven.db");
  ASSERT_NE(raw_before.find(wrapped), std::string::npos) << "the key is in the file before";

  // Not due yet today (closed less than 30 days ago in the test's time) ...
  const auto clock = dir_ / "clock";
  std::ofstream(clock) << "2026-03-20T12:00:00Z\n";
  ::setenv("HAVEN_TEST_CLOCK_FILE", clock.c_str(), 1);
  auto early = RunHaven({"retention", "run", "--dir", inst_.string()});
  EXPECT_EQ(early.exit_code, 0) << early.out;
  EXPECT_NE(early.out.find("Erased 0 persons"), std::string::npos) << early.out;
  // ... and due 30 days after closure.
  std::ofstream(clock, std::ios::trunc) << "2026-04-10T12:00:00Z\n";
  auto run = RunHaven({"retention", "run", "--dir", inst_.string()});
  ::unsetenv("HAVEN_TEST_CLOCK_FILE");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_NE(run.out.find("Erased 1 persons"), std::string::npos) << run.out;

  // Nothing in the raw files opens her data: the wrapped key is gone from both.
  for (const char* f : {"haven.db", "haven.db-wal"}) {
    const std::string raw = FileBytes(inst_ / f);
    EXPECT_EQ(raw.find(wrapped), std::string::npos) << f;
    EXPECT_EQ(raw.find(sealed_identity), std::string::npos) << f;
  }
  {
    ServerProcess server(inst_);
    Client cw(server.port());
    ASSERT_EQ(cw.Login("keys.cw", kPassword).status, 200);
    auto gone = cw.Post(IdentityPath(erased), {{"reason", "checking the retention run"}});
    EXPECT_EQ(gone.status, 410) << gone.raw;
    EXPECT_EQ(gone.body["error"]["code"], "identity_erased") << gone.raw;
    EXPECT_EQ(cw.Get("/api/v1/cases/" + std::to_string(erased) + "/notes").status, 410);
    EXPECT_EQ(cw.Get("/api/v1/cases/" + std::to_string(erased)).status, 200)
        << "the case's anonymous facts stay";
    EXPECT_EQ(GivenName(cw, kept), "Günay");
    Client analyst(server.port());
    ASSERT_EQ(analyst.Login("keys.analyst", kPassword).status, 200);
    auto rep = analyst.Get("/api/v1/reports/counts?by=year,sex");
    ASSERT_EQ(rep.status, 200);
    EXPECT_EQ(Figures(rep.body), report_before) << "statistics did not change";
  }
  auto verify = RunHaven({"audit", "verify", "--dir", inst_.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
}

}  // namespace
}  // namespace haven::testing
