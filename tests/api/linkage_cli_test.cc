// Runs the real `haven` binary as a partner organisation would: `haven encode` on the
// clkhash reference vectors must reproduce their CLKs, `haven link clks` must link two
// CLK files one-to-one, and bad input must fail clearly without writing anything.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

const std::string kVectors = std::string(HAVEN_SHARED_DATA) + "/clkhash-vectors";

struct RunResult {
  int status = -1;  // exit status, or -1 when the process did not exit normally
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Spit(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  return cells;
}

class LinkageCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "haven-linkage-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Encodes ngo.csv and police.csv of dir_ with the default schema, links them at
  // `threshold` and returns the pairs, id_a → id_b.
  std::map<std::string, std::string> EncodeAndLinkDefault(const fs::path& secret,
                                                          const std::string& threshold) {
    for (std::string name : {"ngo", "police"}) {
      RunResult r = Run({"encode", "--schema", "default", "--secret-file", secret.string(),
                         (dir_ / (name + ".csv")).string(), "--out",
                         (dir_ / (name + "-clks.csv")).string()});
      EXPECT_EQ(r.status, 0) << r.err;
    }
    RunResult r = Run({"link", "clks", (dir_ / "ngo-clks.csv").string(),
                       (dir_ / "police-clks.csv").string(), "--threshold", threshold, "--out",
                       (dir_ / "pairs.csv").string()});
    EXPECT_EQ(r.status, 0) << r.err;
    std::map<std::string, std::string> pairs;
    auto lines = Lines(Slurp(dir_ / "pairs.csv"));
    for (size_t i = 1; i < lines.size(); ++i) {
      auto cells = Split(lines[i]);
      pairs[cells[0]] = cells[1];
    }
    return pairs;
  }

  RunResult Run(const std::vector<std::string>& args) {
    std::vector<std::string> argv_storage = {HAVEN_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    const fs::path out = dir_ / "stdout.txt";
    const fs::path err = dir_ / "stderr.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    RunResult result;
    int rc = posix_spawn(&pid, HAVEN_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << HAVEN_BINARY;
    if (rc != 0) return result;
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    if (WIFEXITED(wstatus)) result.status = WEXITSTATUS(wstatus);
    result.out = Slurp(out);
    result.err = Slurp(err);
    return result;
  }

  // Writes `id,clk_base64` with the given rows of a vector's clks.csv (1-based rows).
  fs::path ClkFileFrom(const std::string& vector, const std::vector<size_t>& rows,
                       const std::string& name) {
    auto lines = Lines(Slurp(kVectors + "/" + vector + "/clks.csv"));
    std::string text = "id,clk_base64\n";
    for (size_t r : rows) {
      auto cells = Split(lines.at(r));
      text += cells[0] + "," + cells[1] + "\n";
    }
    Spit(dir_ / name, text);
    return dir_ / name;
  }

  // Runs a command that must fail: non-zero exit, the message on stderr, and the output
  // file left as it was (absent, or with its old content).
  void ExpectFailure(std::vector<std::string> args, const std::string& message) {
    const fs::path out = dir_ / "must-not-change.csv";
    Spit(out, "old content\n");
    args.push_back("--out");
    args.push_back(out.string());
    RunResult r = Run(args);
    EXPECT_NE(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("haven: error:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << "expected \"" << message << "\" in: " << r.err;
    EXPECT_EQ(Slurp(out), "old content\n");
    fs::remove(out);
    args.back() = (dir_ / "fresh.csv").string();
    Run(args);
    EXPECT_FALSE(fs::exists(dir_ / "fresh.csv"));
    for (const auto& entry : fs::directory_iterator(dir_)) {
      EXPECT_EQ(entry.path().filename().string().find(".haven-out-"), std::string::npos)
          << "temporary file left behind";
    }
  }

  fs::path dir_;
};

TEST_F(LinkageCli, EncodeReproducesTheClkhashVectors) {
  for (std::string vector : {"v1_blake_l1024", "v2_doublehash_l1024", "v3_blake_l512_xorfold1",
                             "v3x_blake_l512_xorFolds_key_ignored"}) {
    const fs::path out = dir_ / (vector + ".csv");
    RunResult r = Run({"encode", "--schema", kVectors + "/" + vector + "/schema.json",
                       "--secret-file", kVectors + "/secret.txt", kVectors + "/input.csv",
                       "--out", out.string()});
    ASSERT_EQ(r.status, 0) << vector << ": " << r.err;
    auto got = Lines(Slurp(out));
    auto expected = Lines(Slurp(kVectors + "/" + vector + "/clks.csv"));
    ASSERT_EQ(got.size(), 301u) << vector;
    ASSERT_EQ(expected.size(), 301u);
    EXPECT_EQ(got[0], "id,clk_base64");
    for (size_t i = 1; i < got.size(); ++i) {
      auto e = Split(expected[i]);
      EXPECT_EQ(got[i], e[0] + "," + e[1]) << vector << " line " << i + 1;
    }
    if (vector.starts_with("v3x")) {
      EXPECT_NE(r.err.find("xorFolds"), std::string::npos) << "a warning about xorFolds";
    }
  }
}

TEST_F(LinkageCli, LinkClksPairsEveryRecordWithItsCopy) {
  // B holds A's CLKs in another order plus unrelated ones; each must pair with itself.
  std::vector<size_t> a_rows, b_rows;
  for (size_t r = 1; r <= 40; ++r) a_rows.push_back(r);
  for (size_t r = 60; r >= 1; --r) b_rows.push_back(r);
  auto a = ClkFileFrom("v1_blake_l1024", a_rows, "a.csv");
  auto b = ClkFileFrom("v1_blake_l1024", b_rows, "b.csv");
  const fs::path out = dir_ / "pairs.csv";
  RunResult r = Run({"link", "clks", a.string(), b.string(), "--threshold", "0.9", "--out",
                     out.string(), "--threads", "2"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = Lines(Slurp(out));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "id_a,id_b,score");
  std::set<std::string> seen_a, seen_b;
  double previous = 2.0;
  size_t exact = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto cells = Split(lines[i]);
    ASSERT_EQ(cells.size(), 3u) << lines[i];
    double score = std::stod(cells[2]);
    EXPECT_GE(score, 0.9);
    EXPECT_LE(score, previous) << "sorted by score, best first";
    previous = score;
    EXPECT_TRUE(seen_a.insert(cells[0]).second) << "one-to-one";
    EXPECT_TRUE(seen_b.insert(cells[1]).second) << "one-to-one";
    if (cells[0] == cells[1] && cells[2] == "1") ++exact;
  }
  EXPECT_EQ(exact, 40u);
  EXPECT_EQ(lines.size(), 41u);
}

TEST_F(LinkageCli, EveryKernelWritesTheSameFile) {
  std::vector<size_t> a_rows, b_rows;
  for (size_t r = 1; r <= 300; r += 2) a_rows.push_back(r);
  for (size_t r = 2; r <= 300; r += 2) b_rows.push_back(r);
  auto a = ClkFileFrom("v1_blake_l1024", a_rows, "a.csv");
  auto b = ClkFileFrom("v1_blake_l1024", b_rows, "b.csv");
  std::string reference;
  for (std::string kernel : {"scalar", "avx2", "avx512"}) {
    const fs::path out = dir_ / ("pairs-" + kernel + ".csv");
    RunResult r = Run({"link", "clks", a.string(), b.string(), "--threshold", "0.6", "--out",
                       out.string(), "--kernel", kernel, "--quiet"});
    if (r.status != 0 && r.err.find("cannot run") != std::string::npos) continue;  // old CPU
    ASSERT_EQ(r.status, 0) << kernel << ": " << r.err;
    std::string text = Slurp(out);
    EXPECT_GT(Lines(text).size(), 5u);
    if (reference.empty()) reference = text;
    EXPECT_EQ(text, reference) << kernel;
  }
}

TEST_F(LinkageCli, DefaultSchemaLinksSpellingsAcrossScripts) {
  const fs::path secret = dir_ / "secret.key";
  Spit(secret, "a coalition secret of some length\n");
  Spit(dir_ / "ngo.csv",
       "id,given_name,family_name,birth_date,sex\n"
       "n1,Elvin,Məmmədov,1985-03-14,male\n"
       "n2,Gülnarə,Əliyeva,1990-07-02,female\n"
       "n3,Rəşad,Hüseynov,1978-11-23,male\n"
       "n4,\"Aysel, Jr\",Şahin,,unknown\n");
  Spit(dir_ / "police.csv",
       "id,given_name,family_name,birth_date,sex\r\n"
       "p1,Гюльнара,Алиева,1990-07-02,female\r\n"
       "p2,ELVIN,MAMMADOV,1985-03-14,\r\n"
       "p3,Rashad,Huseynov,1978-11-23,male\r\n"
       "p4,Tural,Quliyev,1993-04-05,male\r\n");
  auto pairs = EncodeAndLinkDefault(secret, "0.7");
  auto ngo = Lines(Slurp(dir_ / "ngo-clks.csv"));
  ASSERT_EQ(ngo.size(), 5u);
  EXPECT_TRUE(ngo[4].starts_with("\"Aysel") == false);  // the id column is written
  EXPECT_TRUE(ngo[4].starts_with("n4,"));
  EXPECT_EQ(pairs["n1"], "p2");
  EXPECT_EQ(pairs["n2"], "p1");
  EXPECT_EQ(pairs["n3"], "p3");
  EXPECT_EQ(pairs.count("n4"), 0u);
}

TEST_F(LinkageCli, DefaultSchemaTellsNamesakesApartByPatronymic) {
  const fs::path secret = dir_ / "secret.key";
  Spit(secret, "a coalition secret of some length\n");
  // Two women of the same common name and no birth date: only the father's name and
  // citizenship tell them apart. The police write the patronymic the Russian way.
  Spit(dir_ / "ngo.csv",
       "id,given_name,family_name,birth_date,sex,patronymic,citizenship\n"
       "n1,Aysel,Məmmədova,,female,Elçin qızı,AZ\n"
       "n2,Aysel,Məmmədova,,female,Rəşad qızı,AZ\n"
       "n3,Leyla,Quliyeva,1990-07-02,female,,stateless\n");
  Spit(dir_ / "police.csv",
       "id,given_name,family_name,birth_date,sex,patronymic,citizenship\n"
       "p1,Айсель,Мамедова,,female,Рашадовна,AZ\n"
       "p2,Айсель,Мамедова,,female,Эльчин кызы,AZ\n");
  auto pairs = EncodeAndLinkDefault(secret, "0.85");
  EXPECT_EQ(pairs.size(), 2u) << Slurp(dir_ / "pairs.csv");
  EXPECT_EQ(pairs["n1"], "p2");
  EXPECT_EQ(pairs["n2"], "p1");

  // The optional columns may be left out, but not a core one; nothing is written then.
  Spit(dir_ / "short.csv", "id,given_name,family_name,birth_date\nx,A,B,\n");
  const fs::path out = dir_ / "short-clks.csv";
  RunResult bad = Run({"encode", "--schema", "default", "--secret-file", secret.string(),
                       (dir_ / "short.csv").string(), "--out", out.string()});
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("header must be id,given_name,family_name,birth_date,sex,patronymic,"
                         "citizenship (the schema's features); the last 2 may be left out"),
            std::string::npos)
      << bad.err;
  EXPECT_FALSE(fs::exists(out));
  Spit(dir_ / "ragged.csv",
       "id,given_name,family_name,birth_date,sex,patronymic\nx,A,B,,female,C,AZ\n");
  bad = Run({"encode", "--schema", "default", "--secret-file", secret.string(),
             (dir_ / "ragged.csv").string(), "--out", out.string()});
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("ragged.csv:2: expected 6 columns, found 7"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST_F(LinkageCli, BadInputFailsClearlyAndWritesNothing) {
  auto a = ClkFileFrom("v1_blake_l1024", {1, 2, 3}, "a.csv");
  auto b = ClkFileFrom("v1_blake_l1024", {4, 5, 6}, "b.csv");
  auto short_clks = ClkFileFrom("v3_blake_l512_xorfold1", {1, 2}, "short.csv");
  Spit(dir_ / "mixed.csv", Slurp(a) + Split(Lines(Slurp(short_clks))[1])[0] + "x," +
                               Split(Lines(Slurp(short_clks))[1])[1] + "\n");
  Spit(dir_ / "garbage.csv", "id,clk_base64\nr1,not*base64!\n");
  Spit(dir_ / "empty.csv", "");
  Spit(dir_ / "header-only.csv", "id,clk_base64\n");
  Spit(dir_ / "wrong-header.csv", "rec,clk\nr1,AAAA\n");
  Spit(dir_ / "dup.csv", Slurp(a) + Lines(Slurp(a))[1] + "\n");

  auto link = [&](const fs::path& x, const fs::path& y, const std::string& t) {
    return std::vector<std::string>{"link", "clks", x.string(), y.string(), "--threshold", t};
  };
  ExpectFailure(link(a, short_clks, "0.8"), "512 bits, expected 1024");
  ExpectFailure(link(dir_ / "mixed.csv", b, "0.8"), "mixed.csv:5: the CLK has 512 bits");
  ExpectFailure(link(a, dir_ / "garbage.csv", "0.8"), "garbage.csv:2: the CLK is not valid base64");
  ExpectFailure(link(dir_ / "empty.csv", b, "0.8"), "empty.csv is empty");
  ExpectFailure(link(a, dir_ / "header-only.csv", "0.8"), "has a header but no CLKs");
  ExpectFailure(link(dir_ / "wrong-header.csv", b, "0.8"), "header must start with id,clk_base64");
  ExpectFailure(link(dir_ / "dup.csv", b, "0.8"), "duplicate id");
  ExpectFailure(link(a, b, "0"), "threshold must be in (0, 1]");
  ExpectFailure(link(a, b, "1.5"), "threshold must be in (0, 1]");
  ExpectFailure(link(a, b, "-0.2"), "threshold must be in (0, 1]");
  ExpectFailure(link(a, dir_ / "missing.csv", "0.8"), "cannot read CLK file");

  const std::string secret = kVectors + "/secret.txt";
  const std::string input = kVectors + "/input.csv";
  Spit(dir_ / "bad-schema.json", R"({"version": 3, "clkConfig": {"l": 1024}, "features": []})");
  Spit(dir_ / "not-json.json", "{");
  Spit(dir_ / "empty-secret", "\n");
  Spit(dir_ / "bad-records.csv", "rec_id,given_name,surname,date_of_birth,sex\n1,a,b,1985-02-30,M\n");
  Spit(dir_ / "wrong-columns.csv", "id,name\n1,a\n");
  auto encode = [&](const std::string& schema, const std::string& secret_file,
                    const std::string& records) {
    return std::vector<std::string>{"encode", "--schema", schema, "--secret-file", secret_file,
                                    records};
  };
  const std::string v1 = kVectors + "/v1_blake_l1024/schema.json";
  ExpectFailure(encode((dir_ / "bad-schema.json").string(), secret, input),
                "invalid schema");
  ExpectFailure(encode((dir_ / "bad-schema.json").string(), secret, input), "clkConfig.kdf");
  ExpectFailure(encode((dir_ / "not-json.json").string(), secret, input), "not valid JSON");
  ExpectFailure(encode(v1, (dir_ / "empty-secret").string(), input), "secret file");
  ExpectFailure(encode(v1, secret, (dir_ / "empty.csv").string()), "is empty");
  ExpectFailure(encode(v1, secret, (dir_ / "wrong-columns.csv").string()),
                "header must be rec_id,given_name,surname,date_of_birth,sex");
  ExpectFailure(encode(v1, secret, (dir_ / "bad-records.csv").string()),
                "bad-records.csv:2: date_of_birth");
  ExpectFailure(encode("default", secret, input), "header must be id,given_name");
}

}  // namespace
