// The guard rails of `haven link` (#13): it shows what a run would change and saves only
// with --apply; a run that would join too many persons, or make too large a cluster, is
// refused unless --force; every saved run is kept, and an earlier one can be restored,
// bringing its figures back exactly. Each test works on a copy of one demo instance.

#include <sqlite3.h>

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kDemoPassword = "haven-demo-2026";  // app/demo.h

// One number out of the database (COUNT(*) and the like).
long long SqlNumber(const std::filesystem::path& inst, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open((inst / "haven.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
  long long v = -1;
  if (s && sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

class LinkageGuard : public ::testing::Test {
 protected:
  // The demo is generated once (persons of several organisations, now and then the same
  // person registered again by another with a spelling variant) and copied for each test.
  static void SetUpTestSuite() {
    demo_ = new std::filesystem::path(TempDir("linkguard-demo"));
    auto r = RunHaven({"demo", "--dir", (*demo_ / "inst").string(), "--cases", "120",
                       "--no-serve"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*demo_);
    delete demo_;
    demo_ = nullptr;
  }
  void SetUp() override {
    dir_ = TempDir("linkguard");
    std::filesystem::copy(*demo_ / "inst", dir_ / "inst",
                          std::filesystem::copy_options::recursive);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path Inst() const { return dir_ / "inst"; }
  CommandResult Haven(std::vector<std::string> args) {
    args.push_back("--dir");
    args.push_back(Inst().string());
    return RunHaven(args);
  }
  // What statistics show: unique persons by year, and the national report.
  std::string Figures() {
    auto counts = Haven({"report", "counts", "--by", "year,sex"});
    EXPECT_EQ(counts.exit_code, 0) << counts.out;
    return counts.out;
  }
  std::string Runs() {
    auto r = Haven({"link", "runs"});
    EXPECT_EQ(r.exit_code, 0) << r.out;
    return r.out;
  }
  long long Persons() { return SqlNumber(Inst(), "SELECT count(*) FROM persons"); }
  long long ClusterRows() { return SqlNumber(Inst(), "SELECT count(*) FROM person_clusters"); }
  long long RunRows() { return SqlNumber(Inst(), "SELECT count(*) FROM linkage_runs"); }

  static std::filesystem::path* demo_;
  std::filesystem::path dir_;
};

std::filesystem::path* LinkageGuard::demo_ = nullptr;

bool Has(const std::string& text, const std::string& phrase) {
  return text.find(phrase) != std::string::npos;
}

// The lines of `haven link runs`, without the heading, each split into its words.
std::vector<std::vector<std::string>> RunLines(const std::string& listing) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(listing);
  std::string text;
  std::getline(in, text);  // the heading
  while (std::getline(in, text)) {
    std::istringstream words(text);
    std::vector<std::string> line;
    for (std::string w; words >> w;) line.push_back(w);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// The words of run `id`'s line: id, at, threshold, persons, unique, joined, largest, forced,
// then "from N" and "in force" when they apply.
std::vector<std::string> RunLine(const std::string& listing, int id) {
  for (auto& line : RunLines(listing))
    if (line[0] == std::to_string(id)) return line;
  return {};
}

TEST_F(LinkageGuard, WithoutApplyItShowsTheChangeAndSavesNothing) {
  const std::string figures = Figures();
  EXPECT_TRUE(Has(Runs(), "No linkage run has been saved yet"));
  const long long persons = Persons();

  auto preview = Haven({"link"});
  ASSERT_EQ(preview.exit_code, 0) << preview.out;
  EXPECT_TRUE(Has(preview.out, "Preview of linkage at threshold 0.85: nothing saved")) << preview.out;
  EXPECT_TRUE(Has(preview.out, "linked " + std::to_string(persons) + " persons: ")) << preview.out;
  EXPECT_TRUE(Has(preview.out, "(now " + std::to_string(persons) + ")")) << preview.out;
  EXPECT_TRUE(Has(preview.out, "persons whose cluster changes: ")) << preview.out;
  EXPECT_TRUE(Has(preview.out, "largest cluster: ")) << preview.out;
  EXPECT_FALSE(Has(preview.out, "WARNING")) << "the demo's duplicates are within the limits";

  // A runaway threshold is only warned about in a preview.
  auto wide = Haven({"link", "--threshold", "0.3"});
  ASSERT_EQ(wide.exit_code, 0) << wide.out;
  EXPECT_TRUE(Has(wide.out, "WARNING: over the guard rails")) << wide.out;
  EXPECT_TRUE(Has(wide.out, "linkage.max_joined_share")) << wide.out;

  EXPECT_EQ(Figures(), figures);
  EXPECT_TRUE(Has(Runs(), "No linkage run has been saved yet"));
  EXPECT_EQ(ClusterRows(), 0);
  EXPECT_EQ(RunRows(), 0);
  EXPECT_EQ(Haven({"link", "--force"}).exit_code, 2) << "--force without --apply";
}

TEST_F(LinkageGuard, ApplyAtTheDefaultThresholdSavesAndKeepsTheRun) {
  auto applied = Haven({"link", "--apply"});
  ASSERT_EQ(applied.exit_code, 0) << applied.out;
  EXPECT_TRUE(Has(applied.out, "Saved linkage run 1 at threshold 0.85")) << applied.out;
  const long long joined = ClusterRows();
  EXPECT_GT(joined, 0) << "the demo registers some persons twice";
  EXPECT_LT(joined * 5, Persons());
  EXPECT_TRUE(Has(applied.out, std::to_string(joined) + " registrations joined with another (now 0)"))
      << applied.out;
  EXPECT_EQ(SqlNumber(Inst(), "SELECT count(*) FROM linkage_run_clusters WHERE run_id = 1"), joined);

  const std::string runs = Runs();
  EXPECT_TRUE(Has(runs, "threshold")) << runs;
  ASSERT_EQ(RunLines(runs).size(), 1u) << runs;
  // The demo's instance has its own linkage secret: a chance pair more or less.
  const long long unique = SqlNumber(
      Inst(), "SELECT (SELECT count(*) FROM persons) - count(*) + count(DISTINCT cluster_id)"
              " FROM person_clusters");
  const long long largest = SqlNumber(
      Inst(), "SELECT max(n) FROM (SELECT count(*) AS n FROM person_clusters GROUP BY cluster_id)");
  EXPECT_EQ(RunLine(runs, 1), (std::vector<std::string>{
                                  "1", RunLine(runs, 1).at(1), "0.85", std::to_string(Persons()),
                                  std::to_string(unique), std::to_string(joined),
                                  std::to_string(largest), "no", "in", "force"}))
      << runs;

  // Once more at the same threshold: nothing changes, and the run is kept beside the first.
  auto again = Haven({"link", "--apply"});
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_TRUE(Has(again.out, "Saved linkage run 2")) << again.out;
  EXPECT_TRUE(Has(again.out, "`haven link restore 1` brings back the earlier ones")) << again.out;
  EXPECT_TRUE(Has(again.out, "persons whose cluster changes: 0")) << again.out;
  EXPECT_EQ(RunRows(), 2);
  EXPECT_EQ(ClusterRows(), joined);
}

TEST_F(LinkageGuard, ARunawayRunIsRefusedUnlessForcedAndTheFirstRunRestoresItsFigures) {
  ASSERT_EQ(Haven({"link", "--apply"}).exit_code, 0);
  const std::string linked = Figures();
  const long long joined = ClusterRows();

  auto refused = Haven({"link", "--threshold", "0.3", "--apply"});
  EXPECT_EQ(refused.exit_code, 3) << refused.out;
  EXPECT_TRUE(Has(refused.out, "NOT saved")) << refused.out;
  EXPECT_TRUE(Has(refused.out, "refused to save this linkage run")) << refused.out;
  EXPECT_TRUE(Has(refused.out, "linkage.max_joined_share: ")) << refused.out;
  EXPECT_TRUE(Has(refused.out, "more than the limit of 20%")) << refused.out;
  EXPECT_TRUE(Has(refused.out, "--force")) << refused.out;
  EXPECT_EQ(Figures(), linked);
  EXPECT_EQ(RunRows(), 1);
  EXPECT_EQ(ClusterRows(), joined);

  auto forced = Haven({"link", "--threshold", "0.3", "--apply", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.out;
  EXPECT_TRUE(Has(forced.out, "Saved linkage run 2 at threshold 0.30, over the guard rails"))
      << forced.out;
  EXPECT_NE(Figures(), linked);
  EXPECT_GT(ClusterRows(), Persons() / 2);
  const std::string runs = Runs();
  ASSERT_EQ(RunLine(runs, 2).size(), 10u) << runs;
  EXPECT_EQ(RunLine(runs, 2)[2], "0.30") << runs;
  EXPECT_EQ(RunLine(runs, 2)[7], "yes") << "forced\n" << runs;
  EXPECT_EQ(RunLine(runs, 1).size(), 8u) << "no longer in force\n" << runs;

  auto restored = Haven({"link", "restore", "1"});
  ASSERT_EQ(restored.exit_code, 0) << restored.out;
  EXPECT_TRUE(Has(restored.out, "Restored linkage run 1 as run 3")) << restored.out;
  EXPECT_EQ(Figures(), linked);
  EXPECT_EQ(ClusterRows(), joined);
  EXPECT_EQ(SqlNumber(Inst(), "SELECT restored_from FROM linkage_runs ORDER BY id DESC LIMIT 1"), 1);
  // The latest run is the one in force, listed first, and says where it comes from; its
  // figures are those of run 1.
  const auto after = RunLines(Runs());
  ASSERT_EQ(after.size(), 3u);
  ASSERT_EQ(after[0].size(), 12u);
  EXPECT_EQ(after[0][0], "3");
  EXPECT_EQ((std::vector<std::string>(after[0].begin() + 2, after[0].end())),
            (std::vector<std::string>{"0.85", after[2][3], after[2][4], after[2][5], after[2][6],
                                      "no", "from", "1", "in", "force"}));
  EXPECT_EQ(after[1][0], "2");
  EXPECT_EQ(after[2][0], "1");

  EXPECT_EQ(Haven({"link", "restore", "99"}).exit_code, 4);
  EXPECT_EQ(RunRows(), 3);
}

TEST_F(LinkageGuard, ALargestClusterOverTheLimitIsRefusedByName) {
  // A stricter configured limit: any cluster of two is already too large.
  const HavenToml toml(Inst());
  toml.Write("max_cluster_size = 10\n", "max_cluster_size = 1\n");
  auto bad = Haven({"link"});
  EXPECT_EQ(bad.exit_code, 2) << bad.out;
  EXPECT_TRUE(Has(bad.out, "linkage.max_cluster_size")) << bad.out;

  toml.Write({{"max_cluster_size = 10\n", "max_cluster_size = 2\n"},
              {"max_joined_share = 0.2\n", "max_joined_share = 1\n"}});
  auto refused = Haven({"link", "--threshold", "0.3", "--apply"});
  EXPECT_EQ(refused.exit_code, 3) << refused.out;
  EXPECT_TRUE(Has(refused.out, "linkage.max_cluster_size: the largest cluster would hold ")) << refused.out;
  EXPECT_TRUE(Has(refused.out, "more than the limit of 2")) << refused.out;
  EXPECT_FALSE(Has(refused.out, "linkage.max_joined_share")) << refused.out;
  EXPECT_EQ(RunRows(), 0);
}

TEST_F(LinkageGuard, RunsAndRestoresAreAudited) {
  ASSERT_EQ(Haven({"link"}).exit_code, 0);
  ASSERT_EQ(Haven({"link", "--apply"}).exit_code, 0);
  ASSERT_EQ(Haven({"link", "--threshold", "0.3", "--apply"}).exit_code, 3);
  ASSERT_EQ(Haven({"link", "--threshold", "0.3", "--apply", "--force"}).exit_code, 0);
  ASSERT_EQ(Haven({"link", "restore", "1"}).exit_code, 0);
  EXPECT_EQ(Haven({"audit", "verify"}).exit_code, 0);

  ServerProcess server(Inst());
  Client auditor(server.port());
  ASSERT_EQ(auditor.Login("auditor", kDemoPassword).status, 200);
  std::vector<std::string> actions;
  std::vector<Json> runs, restores;
  for (const auto& e : ReadAuditLog(auditor)) {
    const std::string action = e.value("action", "");
    if (action.rfind("linkage.", 0) != 0 || action == "linkage.keys_made") continue;
    actions.push_back(action);
    if (action == "linkage.run") runs.push_back(e);
    if (action == "linkage.restore") restores.push_back(e);
  }
  // Every computation is audited as a preview, saved or not.
  EXPECT_EQ(actions, (std::vector<std::string>{"linkage.preview", "linkage.preview", "linkage.run",
                                               "linkage.preview", "linkage.preview",
                                               "linkage.run", "linkage.restore"}));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["object_id"], "1");
  EXPECT_EQ(runs[0]["details"]["forced"], false);
  EXPECT_EQ(runs[1]["details"]["forced"], true);
  EXPECT_GT(runs[1]["details"]["limits_broken"].size(), 0u) << runs[1].dump();
  ASSERT_EQ(restores.size(), 1u);
  EXPECT_EQ(restores[0]["object_id"], "3");
  EXPECT_EQ(restores[0]["details"]["restored_from"], 1);
  EXPECT_EQ(restores[0]["details"]["linked_persons"], runs[0]["details"]["linked_persons"]);
}

TEST(LinkageGuardConfig, TheLimitsAreInHavenTomlAndCheckedByName) {
  auto dir = TempDir("linkguard-cfg");
  const auto inst = dir / "inst";
  ASSERT_EQ(RunHaven({"init", "--dir", inst.string(), "--admin-password", "a-long-password-1"})
                .exit_code,
            0);
  const HavenToml toml(inst);
  auto with = [&](const std::string& from, const std::string& to) {
    toml.Write(from, to);
    return RunHaven({"link", "runs", "--dir", inst.string()});
  };
  auto r = with("max_joined_share = 0.2\n", "max_joined_share = 0\n");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(Has(r.out, "linkage.max_joined_share")) << r.out;
  r = with("max_cluster_size = 10\n", "max_cluster_size = 2.5\n");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(Has(r.out, "linkage.max_cluster_size")) << r.out;
  r = with("max_cluster_size = 10\n", "max_cluster_size = 25\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(Has(r.out, "No linkage run has been saved yet")) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::testing
