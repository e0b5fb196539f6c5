// Signed checkpoints of the audit log (issue #14): `haven audit verify --checkpoint`
// notices a log that was cut short or rewritten behind the application's back, which
// the hash chain alone does not, and refuses checkpoints it did not sign.


#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "api/harness.h"
#include "api/tamper.h"

namespace haven::testing {
namespace {

constexpr const char* kAdminPassword = "admin-password-for-tests";

Json ReadJson(const std::filesystem::path& p) {
  std::ifstream in(p);
  return Json::parse(in, nullptr, false);
}

void WriteJson(const std::filesystem::path& p, const Json& j) {
  std::ofstream(p, std::ios::trunc) << j.dump(2) << "\n";
}

class AuditCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir("ckpt");
    inst_ = dir_ / "inst";
    ASSERT_EQ(RunHaven({"init", "--dir", inst_.string(), "--admin-password", kAdminPassword})
                  .exit_code,
              0);
    // The entries are counted here: the admin signs in without a second factor (its
    // enrolment and its entries are second_factor_test.cc's).
    HavenToml(inst_).Write(R"(second_factor_required_for = ["admin", "coordinator"])",
                           "second_factor_required_for = []");
    // init: 2 entries; login: 1; five organisations: 5.
    Write(5);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Audited writes through the API: a login and `n` organisations (n + 1 entries).
  void Write(int n) {
    ServerProcess server(inst_);
    Client admin(server.port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
    for (int i = 0; i < n; ++i, ++orgs_)
      ASSERT_EQ(admin.Post("/api/v1/organizations",
                           {{"name", "Org " + std::to_string(orgs_)}, {"kind", "ngo"}})
                    .status,
                201);
  }
  std::filesystem::path Checkpoint(const std::string& name) {
    const auto out = dir_ / name;
    auto r = RunHaven({"audit", "checkpoint", "--dir", inst_.string(), "--out", out.string()});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return out;
  }
  CommandResult Verify(const std::vector<std::filesystem::path>& checkpoints = {}) {
    std::vector<std::string> args = {"audit", "verify", "--dir", inst_.string()};
    for (const auto& c : checkpoints) {
      args.push_back("--checkpoint");
      args.push_back(c.string());
    }
    return RunHaven(args);
  }
  std::filesystem::path Db() const { return inst_ / "haven.db"; }

  std::filesystem::path dir_, inst_;
  int orgs_ = 0;
};

TEST_F(AuditCheckpoint, TheLogExtendsAnEarlierCheckpoint) {
  const auto cp = Checkpoint("cp.json");
  Json j = ReadJson(cp);
  EXPECT_EQ(j.value("format", ""), "haven-audit-checkpoint-1") << j.dump();
  EXPECT_EQ(j.value("seq", 0), 8) << j.dump();
  EXPECT_EQ(j.value("head_hash", "").size(), 64u);
  EXPECT_FALSE(j.value("at", "").empty());
  EXPECT_FALSE(j.value("public_key", "").empty());
  EXPECT_FALSE(j.value("signature", "").empty());
  // Signing a checkpoint writes no entry: the head it signed is still the head.
  auto same = Verify({cp});
  EXPECT_EQ(same.exit_code, 0) << same.out;
  EXPECT_NE(same.out.find("8 entries, head " + j.value("head_hash", "")), std::string::npos)
      << same.out;

  Write(3);
  const auto later = Checkpoint("later.json");
  auto r = Verify({cp, later});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("12 entries"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("checkpoint " + cp.string() + ": entry 8"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("checkpoint " + later.string() + ": entry 12"), std::string::npos)
      << r.out;
}

TEST_F(AuditCheckpoint, CuttingTheLogShortIsNoticed) {
  const auto cp = Checkpoint("cp.json");  // entry 8
  Write(3);                               // entries 9..12
  TamperSql(Db(), "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 5;");

  // What is left hangs together: the chain alone cannot tell.
  auto plain = Verify();
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_NE(plain.out.find("intact: 5 entries"), std::string::npos) << plain.out;

  auto r = Verify({cp});
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("the log ends at entry 5, but checkpoint " + cp.string() +
                       " signed entry 8"),
            std::string::npos)
      << r.out;
}

// Entries 7 and 8 replaced by others that chain on correctly. The test cannot compute
// the chain hash itself (it is keyed with the audit key from the keyring), so it has
// the application re-chain them: remove entries 7.. and let new writes take their
// numbers, which is what someone holding the keyring and the binary could do.
TEST_F(AuditCheckpoint, RewritingTheLogIsNoticed) {
  const auto cp = Checkpoint("cp.json");  // entry 8
  TamperSql(Db(), "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 6;");
  Write(4);  // entries 7..11, other actions than before

  auto plain = Verify();
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_NE(plain.out.find("intact: 11 entries"), std::string::npos) << plain.out;

  auto r = Verify({cp});
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("entry 8 of the log has hash"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("but checkpoint " + cp.string() + " signed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rewritten at or before entry 8"), std::string::npos) << r.out;
}

TEST_F(AuditCheckpoint, ForgedOrForeignCheckpointsAreRefused) {
  const auto cp = Checkpoint("cp.json");
  const Json good = ReadJson(cp);

  // One signature byte flipped (the first base64 character encodes its top 6 bits).
  Json flipped = good;
  std::string sig = good["signature"];
  sig[0] = sig[0] == 'A' ? 'B' : 'A';
  flipped["signature"] = sig;
  WriteJson(dir_ / "flipped.json", flipped);
  auto r = Verify({dir_ / "flipped.json"});
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("checkpoint " + (dir_ / "flipped.json").string() +
                       " has a bad signature"),
            std::string::npos)
      << r.out;

  // The signed statement changed (a smaller seq, to excuse a shorter log).
  Json lowered = good;
  lowered["seq"] = 5;
  WriteJson(dir_ / "lowered.json", lowered);
  r = Verify({dir_ / "lowered.json"});
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("has a bad signature"), std::string::npos) << r.out;

  // Another instance's checkpoint, well signed by it.
  const auto other = dir_ / "other";
  ASSERT_EQ(RunHaven({"init", "--dir", other.string(), "--admin-password", kAdminPassword})
                .exit_code,
            0);
  auto o = RunHaven({"audit", "checkpoint", "--dir", other.string(), "--out",
                     (dir_ / "foreign.json").string()});
  ASSERT_EQ(o.exit_code, 0) << o.out;
  r = Verify({dir_ / "foreign.json"});
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("was signed by another instance"), std::string::npos) << r.out;

  // Not a checkpoint at all.
  WriteJson(dir_ / "junk.json", Json{{"format", "something-else"}});
  r = Verify({dir_ / "junk.json"});
  EXPECT_EQ(r.exit_code, 5) << r.out;
  EXPECT_NE(r.out.find("is not a Haven audit checkpoint"), std::string::npos) << r.out;

  // The good one still holds, beside the bad ones; one bad one fails the whole run.
  r = Verify({cp});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  r = Verify({cp, dir_ / "flipped.json"});
  EXPECT_EQ(r.exit_code, 5) << r.out;
}

TEST_F(AuditCheckpoint, AuditorsFetchOneOverTheApiAndServeWritesThem) {
  const auto folder = inst_ / "checkpoints";
  std::filesystem::remove_all(folder);
  ServerProcess server(inst_);
  Client admin(server.port());
  ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
  auto org = admin.Post("/api/v1/organizations", {{"name", "Ngo A"}, {"kind", "ngo"}});
  ASSERT_EQ(org.status, 201) << org.raw;
  const long org_id = org.body.value("id", 0L);
  constexpr const char* kPassword = "quiet-harbour-lantern-4718";
  for (auto [name, role] : {std::pair{"aud", "auditor"}, std::pair{"cw-a", "caseworker"}}) {
    auto u = admin.Post("/api/v1/users", {{"username", name},
                                          {"password", kPassword},
                                          {"role", role},
                                          {"organization_id", org_id}});
    ASSERT_EQ(u.status, 201) << u.raw;
  }
  Client auditor(server.port()), caseworker(server.port());
  ASSERT_EQ(auditor.Login("aud", kPassword).status, 200);
  ASSERT_EQ(caseworker.Login("cw-a", kPassword).status, 200);

  auto got = auditor.Get("/api/v1/audit/checkpoint");
  ASSERT_EQ(got.status, 200) << got.raw;
  EXPECT_EQ(got.body.value("format", ""), "haven-audit-checkpoint-1");
  WriteJson(dir_ / "served.json", got.body);
  EXPECT_EQ(caseworker.Get("/api/v1/audit/checkpoint").status, 403);

  auto r = Verify({dir_ / "served.json"});
  EXPECT_EQ(r.exit_code, 0) << r.out;

  // [audit] checkpoint_every_minutes (60 by default): serve wrote one when it started.
  std::vector<std::filesystem::path> written;
  for (int i = 0; i < 50 && written.empty(); ++i) {
    if (std::filesystem::exists(folder))
      for (const auto& e : std::filesystem::directory_iterator(folder))
        if (e.path().extension() == ".json") written.push_back(e.path());
    if (written.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(written.size(), 1u) << server.Log();
  // 8, or 9 when the admin's login came before the thread signed.
  EXPECT_GE(ReadJson(written.front()).value("seq", 0), 8);
  r = Verify({written.front()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
}

TEST_F(AuditCheckpoint, ServeWritesNoneWhenTurnedOff) {
  const auto folder = inst_ / "checkpoints";
  std::filesystem::remove_all(folder);
  HavenToml(inst_).Write("checkpoint_every_minutes = 60", "checkpoint_every_minutes = 0");
  {
    ServerProcess server(inst_);
    Client admin(server.port());
    ASSERT_EQ(admin.Login("admin", kAdminPassword).status, 200);
  }
  EXPECT_FALSE(std::filesystem::exists(folder));
}

}  // namespace
}  // namespace haven::testing
