// CTDC interchange as an operator runs it: `haven import ctdc` on the shared
// sample, report totals checked against counts computed here from the file
// itself, idempotent re-import, rejects with line numbers, and the k-anonymity
// of `haven export ctdc` checked independently.

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

const std::string kSample = std::string(HAVEN_SHARED_DATA) + "/ctdc/ctdc_global_kanon_sample.csv";

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Semicolon-separated with double quotes, as the README of the sample says.
std::vector<std::vector<std::string>> ParseSemicolons(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', ++i;
      else if (c == '"') quoted = false;
      else cell += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ';') {
      row.push_back(cell), cell.clear();
    } else if (c == '\n') {
      row.push_back(cell), cell.clear();
      rows.push_back(row), row.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!cell.empty() || !row.empty()) row.push_back(cell), rows.push_back(row);
  return rows;
}

// The counts the documented mapping (docs/statistics.md) gives, computed here.
struct Expected {
  std::map<std::string, long> by_year, by_sex, by_citizenship, by_exploitation;
  std::map<std::string, long> sex_2019;
};

Expected FromFile() {
  auto rows = ParseSemicolons(ReadFile(kSample));
  const auto& header = rows.at(0);
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  auto flag = [&](const std::vector<std::string>& r, const char* name) { return r[col.at(name)] == "1"; };
  Expected e;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    std::string year = r[col.at("yearOfRegistration")];
    std::string g = r[col.at("gender")];
    std::string sex = g == "Female" ? "female" : g == "Male" ? "male" : g.empty() ? "unknown" : "other";
    std::string cit = r[col.at("citizenship")].empty() ? "unknown" : r[col.at("citizenship")];
    ++e.by_year[year];
    ++e.by_sex[sex];
    ++e.by_citizenship[cit];
    if (year == "2019") ++e.sex_2019[sex];
    std::set<std::string> forms;
    if (flag(r, "isForcedLabour") || flag(r, "isSexAndLabour")) forms.insert("forced_labour");
    if (flag(r, "isSexualExploit") || flag(r, "isSexAndLabour")) forms.insert("sexual");
    if (flag(r, "isOtherExploit") || flag(r, "isForcedMilitary") || flag(r, "isSlaveryAndPractices"))
      forms.insert("other");
    if (flag(r, "isForcedMarriage")) forms.insert("forced_marriage");
    if (flag(r, "isOrganRemoval")) forms.insert("organ_removal");
    std::string text = r[col.at("typeOfExploitConcatenated")];
    if (text.find("Forced labour") != std::string::npos) forms.insert("forced_labour");
    if (text.find("Sexual exploitation") != std::string::npos) forms.insert("sexual");
    if (forms.empty()) forms.insert("unknown");
    for (const auto& f : forms) ++e.by_exploitation[f];
  }
  return e;
}

// `haven report counts --by DIM` as dimension value -> count text.
std::map<std::string, std::string> Counts(const std::filesystem::path& inst, const std::string& dim,
                                          const std::vector<std::string>& extra = {}) {
  auto out = inst.parent_path() / ("counts-" + dim + ".csv");
  // Imported records are their own source: national figures leave them out unless asked.
  std::vector<std::string> args = {"report", "counts", "--by", dim, "--source", "ctdc",
                                   "--dir", inst.string(), "--out", out.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = RunHaven(args);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::map<std::string, std::string> m;
  std::istringstream in(ReadFile(out));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, dim + ",count");
  while (std::getline(in, line)) {
    auto comma = line.rfind(',');
    m[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return m;
}

class Ctdc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(TempDir("ctdc"));
    auto r = RunHaven({"init", "--dir", Inst().string(), "--admin-password", "admin-password-for-tests"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto imported = RunHaven({"import", "ctdc", kSample, "--dir", Inst().string()});
    ASSERT_EQ(imported.exit_code, 0) << imported.out;
    first_import_ = new std::string(imported.out);
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete first_import_;
  }
  static std::filesystem::path Inst() { return *dir_ / "inst"; }
  static std::filesystem::path* dir_;
  static std::string* first_import_;
};
std::filesystem::path* Ctdc::dir_;
std::string* Ctdc::first_import_;

TEST_F(Ctdc, ImportReadsTheWholeSample) {
  EXPECT_NE(first_import_->find("read 1191, imported 1191 (1191 new, 0 already present), rejected 0"),
            std::string::npos)
      << *first_import_;
}

TEST_F(Ctdc, ReportTotalsMatchTheFile) {
  Expected e = FromFile();
  auto check = [&](const std::string& dim, const std::map<std::string, long>& expected) {
    auto got = Counts(Inst(), dim, {"--suppress", "0"});
    EXPECT_EQ(got.size(), expected.size()) << dim;
    for (const auto& [key, n] : expected) EXPECT_EQ(got[key], std::to_string(n)) << dim << "=" << key;
    // With the default suppression every shown count is still right, and only
    // counts from 1 to 4 are shown as "<5".
    auto suppressed = Counts(Inst(), dim);
    for (const auto& [key, n] : expected) {
      const std::string& shown = suppressed[key];
      if (shown == "<5") {
        EXPECT_LT(n, 5) << dim << "=" << key;
      } else if (shown != "x") {
        EXPECT_EQ(shown, std::to_string(n)) << dim << "=" << key;
      }
    }
  };
  check("year", e.by_year);
  check("sex", e.by_sex);
  check("citizenship", e.by_citizenship);
  check("exploitation", e.by_exploitation);

  // A named report over the same data: the OSCE summary's table by sex for 2019.
  auto r = RunHaven({"report", "osce", "--year", "2019", "--suppress", "0", "--source", "ctdc",
                     "--dir", Inst().string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = Json::parse(r.out);
  EXPECT_EQ(j["linkage"]["applied"], false);
  const auto& sex = j["tables"][0];
  ASSERT_EQ(sex["id"], "sex");
  long total = 0;
  for (const auto& row : sex["rows"]) {
    auto it = e.sex_2019.find(row["label"]);
    EXPECT_EQ(row["values"][0].get<long>(), it == e.sex_2019.end() ? 0 : it->second) << row["label"];
    total += row["values"][0].get<long>();
  }
  EXPECT_EQ(sex["totals"]["total"].get<long>(), e.by_year["2019"]);
  EXPECT_EQ(total, e.by_year["2019"]);
}

TEST_F(Ctdc, ImportingTheSameFileAgainAddsNothing) {
  auto before = Counts(Inst(), "year", {"--suppress", "0"});
  auto again = RunHaven({"import", "ctdc", kSample, "--dir", Inst().string()});
  ASSERT_EQ(again.exit_code, 0) << again.out;
  EXPECT_NE(again.out.find("read 1191, imported 1191 (0 new, 1191 already present), rejected 0"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(Counts(Inst(), "year", {"--suppress", "0"}), before);
}

TEST_F(Ctdc, BadRowsGoToTheRejectsFileWithLineAndReason) {
  auto dir = TempDir("ctdc-bad");
  ASSERT_EQ(RunHaven({"init", "--dir", (dir / "inst").string(), "--admin-password",
                      "admin-password-for-tests"}).exit_code, 0);
  std::string sample = ReadFile(kSample);
  std::istringstream lines(sample);
  std::string header, good;
  std::getline(lines, header);
  std::getline(lines, good);
  std::string bad_year = good;
  bad_year.replace(bad_year.find(";2002;"), 6, ";20O2;");
  std::string bad_band = good;
  bad_band.replace(bad_band.find("18--20"), 6, "18--99");
  std::ofstream(dir / "in.csv") << header << "\n" << good << "\n" << bad_year << "\n" << good << "\n"
                                << bad_band << "\n" << ";2019;Hotline\n";
  auto r = RunHaven({"import", "ctdc", (dir / "in.csv").string(), "--dir", (dir / "inst").string(),
                     "--rejects", (dir / "rejects.csv").string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("read 5, imported 2 (2 new, 0 already present), rejected 3"), std::string::npos) << r.out;
  std::string rejects = ReadFile(dir / "rejects.csv");
  EXPECT_NE(rejects.find("\n3,\"yearOfRegistration \"\"20O2\"\" is not a year\","), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\n5,\"ageBroad \"\"18--99\"\""), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("\n6,the row has 3 fields; the header has 64"), std::string::npos) << rejects;

  // A file that is no CTDC file at all changes nothing.
  std::ofstream(dir / "not.csv") << "name,age\nx,1\n";
  auto refused = RunHaven({"import", "ctdc", (dir / "not.csv").string(), "--dir", (dir / "inst").string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.out.find("haven: error: line 1: the header has no column \"yearOfRegistration\""),
            std::string::npos) << refused.out;
  auto counts = Counts(dir / "inst", "year", {"--suppress", "0"});
  EXPECT_EQ(counts["2002"], "2");
  EXPECT_EQ(counts.size(), 1u);
  std::filesystem::remove_all(dir);
}

// The tables of a named report as JSON, from the CLI.
Json ReportTables(const std::filesystem::path& inst, const std::string& name, int year,
                  const std::string& source = "") {
  std::vector<std::string> args = {"report", name, "--year", std::to_string(year), "--suppress", "0",
                                   "--dir", inst.string()};
  if (!source.empty()) args.insert(args.end(), {"--source", source});
  auto r = RunHaven(args);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  return Json::parse(r.out);
}

long GrandTotal(const Json& report, const std::string& table) {
  for (const auto& t : report["tables"])
    if (t["id"] == table) return t["totals"]["total"].get<long>();
  ADD_FAILURE() << "no table " << table;
  return -1;
}

TEST(CtdcSources, NationalFiguresCountHavensOwnCasesUnlessAnotherSourceIsAsked) {
  auto dir = TempDir("ctdc-sources");
  auto inst = dir / "inst";
  auto demo = RunHaven({"demo", "--no-serve", "--cases", "120", "--dir", inst.string()});
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  const Expected e = FromFile();
  const Json before = ReportTables(inst, "greta", 2019);
  const long haven_2019 = GrandTotal(before, "victims_by_sex_and_age");
  EXPECT_EQ(before["sources"], Json({"haven"}));

  ASSERT_EQ(RunHaven({"import", "ctdc", kSample, "--dir", inst.string()}).exit_code, 0);
  // Unchanged by the import, and saying which source it counts.
  const Json after = ReportTables(inst, "greta", 2019);
  EXPECT_EQ(after["tables"], before["tables"]);
  EXPECT_EQ(after["sources"], Json({"haven"}));
  EXPECT_NE(after.dump().find("Sources counted: Haven's own cases."), std::string::npos);
  // Changed only with the source asked for.
  const Json imported = ReportTables(inst, "greta", 2019, "ctdc");
  EXPECT_EQ(GrandTotal(imported, "victims_by_sex_and_age"), e.by_year.at("2019"));
  EXPECT_EQ(imported["sources"], Json({"ctdc"}));
  EXPECT_NE(imported.dump().find("imported ctdc records of import batch 1"), std::string::npos);
  const Json both = ReportTables(inst, "greta", 2019, "haven,ctdc");
  EXPECT_EQ(GrandTotal(both, "victims_by_sex_and_age"), haven_2019 + e.by_year.at("2019"));

  // Reports of Haven's own records only refuse another source; an unknown source is named.
  auto refused = RunHaven({"report", "allowances", "--year", "2019", "--source", "ctdc", "--dir",
                           inst.string()});
  EXPECT_EQ(refused.exit_code, 2) << refused.out;
  EXPECT_NE(refused.out.find("(source)"), std::string::npos) << refused.out;
  auto unknown = RunHaven({"report", "greta", "--year", "2019", "--source", "unhcr", "--dir",
                           inst.string()});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("must be haven"), std::string::npos) << unknown.out;

  // The batch is listed, and removing it restores the previous figures.
  auto list = RunHaven({"import", "list", "--dir", inst.string()});
  ASSERT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("    1  ctdc"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("    1191      1191         0      1191"), std::string::npos) << list.out;
  auto removed = RunHaven({"import", "remove", "1", "--dir", inst.string()});
  ASSERT_EQ(removed.exit_code, 0) << removed.out;
  EXPECT_NE(removed.out.find("removed import batch 1: 1191 records no longer counted"),
            std::string::npos) << removed.out;
  EXPECT_EQ(ReportTables(inst, "greta", 2019, "haven,ctdc")["tables"], before["tables"]);
  EXPECT_TRUE(Counts(inst, "year").empty());
  auto listed = RunHaven({"import", "list", "--dir", inst.string()});
  EXPECT_NE(listed.out.find("         0  20"), std::string::npos) << "counted 0, removed at a time: "
                                                                   << listed.out;
  auto again = RunHaven({"import", "remove", "1", "--dir", inst.string()});
  EXPECT_EQ(again.exit_code, 3) << again.out;
  EXPECT_NE(again.out.find("was removed on"), std::string::npos) << again.out;
  auto missing = RunHaven({"import", "remove", "7", "--dir", inst.string()});
  EXPECT_EQ(missing.exit_code, 4) << missing.out;

  // Importing it again brings the records back as a new batch; the removal is audited.
  auto reimported = RunHaven({"import", "ctdc", kSample, "--dir", inst.string()});
  EXPECT_NE(reimported.out.find("(1191 new, 0 already present)"), std::string::npos) << reimported.out;
  {
    ServerProcess server(inst);
    Client auditor(server.port());
    ASSERT_EQ(auditor.Login("auditor", "haven-demo-2026").status, 200);
    auto r = auditor.Get("/api/v1/audit?action=import.remove");
    ASSERT_EQ(r.status, 200) << r.raw;
    ASSERT_EQ(r.body["items"].size(), 1u) << r.raw;
    EXPECT_EQ(r.body["items"][0]["object_id"], "1") << r.raw;
  }
  std::filesystem::remove_all(dir);
}

TEST(CtdcExport, EveryQuasiIdentifierCombinationOccursAtLeastKTimes) {
  auto dir = TempDir("ctdc-export");
  auto inst = dir / "inst";
  auto demo = RunHaven({"demo", "--no-serve", "--cases", "250", "--dir", inst.string()});
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  for (int k : {11, 3}) {
    auto out = dir / ("export-" + std::to_string(k) + ".csv");
    auto r = RunHaven({"export", "ctdc", "--out", out.string(), "--k", std::to_string(k), "--dir", inst.string()});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("records generalised"), std::string::npos) << r.out;
    auto rows = ParseSemicolons(ReadFile(out));
    ASSERT_GE(rows.size(), 2u);
    const auto& header = rows[0];
    ASSERT_EQ(header.size(), 64u);
    EXPECT_EQ(header[0], "By using this data you agree to the Terms of Use: https://www.ctdatacollaborative.org/terms-use");
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
    std::map<std::string, int> classes;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto& row = rows[i];
      ASSERT_EQ(row.size(), 64u);
      std::string key;
      for (const char* qi : {"yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship",
                             "CountryOfExploitation", "typeOfExploitConcatenated"})
        key += row[col.at(qi)] + "|";
      ++classes[key];
    }
    for (const auto& [key, n] : classes) EXPECT_GE(n, k) << key;
    // The summary adds up: exported + suppressed = persons.
    EXPECT_NE(r.out.find("exported " + std::to_string(rows.size() - 1) + " of "), std::string::npos) << r.out;
  }
  auto bad = RunHaven({"export", "ctdc", "--out", (dir / "x.csv").string(), "--k", "1", "--dir", inst.string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("must be at least 2"), std::string::npos) << bad.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.csv"));
  std::filesystem::remove_all(dir);
}

// Analysts get the export over the API as a named export, audited. On a demo of national
// size (about 125 persons a year) it keeps more than it blanks at k = 11, and the file is
// k-anonymous, checked here from the file itself.
TEST(CtdcExport, AnalystsGetItOverTheApiKeepingMoreThanItBlanks) {
  auto dir = TempDir("ctdc-export-api");
  auto inst = dir / "inst";
  auto demo = RunHaven({"demo", "--no-serve", "--cases", "1000", "--dir", inst.string()});
  ASSERT_EQ(demo.exit_code, 0) << demo.out;
  ServerProcess server(inst);
  Client analyst(server.port());
  ASSERT_EQ(analyst.Login("analyst", "haven-demo-2026").status, 200);
  auto r = analyst.Get("/api/v1/exports/ctdc?k=11&format=json");
  ASSERT_EQ(r.status, 200) << r.raw;
  const Json& e = r.body;
  EXPECT_EQ(e["k"], 11);
  EXPECT_EQ(e["persons"].get<long>(), e["records"].get<long>() + e["suppressed"].get<long>());
  EXPECT_LE(e["suppressed"].get<double>(), 0.05 * e["persons"].get<double>() + 11);
  long kept = 0, blanked = 0;
  for (const auto& f : e["fields"]) {
    EXPECT_EQ(f["exact"].get<long>() + f["generalised"].get<long>() + f["blanked"].get<long>() +
                  f["not_recorded"].get<long>(),
              e["records"].get<long>())
        << f.dump();
    kept += f["exact"].get<long>() + f["generalised"].get<long>();
    blanked += f["blanked"].get<long>();
  }
  EXPECT_GT(kept, blanked) << e["fields"].dump();
  EXPECT_GT(e["information_loss"].get<double>(), 0.0);
  EXPECT_LT(e["information_loss"].get<double>(), 1.0) << e["fields"].dump();

  // The same property, checked independently on the file as written.
  auto rows = ParseSemicolons(e["csv"].get<std::string>());
  ASSERT_EQ(rows.size(), e["records"].get<std::size_t>() + 1);
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
  std::map<std::string, int> classes;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    std::string key;
    for (const auto& [name, c] : col)
      if (name.rfind("is", 0) == 0 || name == "yearOfRegistration" || name == "gender" ||
          name == "ageBroad" || name == "majorityStatus" || name == "citizenship" ||
          name == "CountryOfExploitation" || name == "typeOfExploitConcatenated")
        key += rows[i][c] + "|";
    ++classes[key];
  }
  for (const auto& [key, n] : classes) EXPECT_GE(n, 11) << key;

  // The file itself, for a download; below the threshold analysts are refused.
  auto csv = analyst.Get("/api/v1/exports/ctdc?k=11");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.raw, e["csv"].get<std::string>());
  EXPECT_NE(csv.Header("Content-Disposition").find("ctdc-k11.csv"), std::string::npos);
  EXPECT_EQ(analyst.Get("/api/v1/exports/ctdc?k=4").status, 403);

  Client auditor(server.port());
  ASSERT_EQ(auditor.Login("auditor", "haven-demo-2026").status, 200);
  auto audit = auditor.Get("/api/v1/audit?action=ctdc.export");
  ASSERT_EQ(audit.status, 200);
  ASSERT_EQ(audit.body["items"].size(), 2u) << audit.raw;
  EXPECT_EQ(audit.body["items"][0]["details"]["k"], 11);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::testing
