// Importing a national action plan's measures from the file a ministry wrote, over HTTP:
// a CSV with Azerbaijani headings and an XLSX (written here by libxlsxwriter, as Excel
// users send them) with Russian ones; a dry run stores nothing; a file with a bad row
// stores nothing and names every bad row and why; a missing column refuses the file.

#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "api/harness.h"

namespace haven::testing {
namespace {

constexpr const char* kPassword = "a-long-test-password";
constexpr const char* kCsv = "text/csv";
constexpr const char* kXlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

class PlanImport : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = std::make_unique<Instance>("plan-import", "an-orchard-lantern-basalt");
    state_ = in_->Organization("Dövlət Miqrasiya Xidməti", "state_body");
    ngo_ = in_->Organization("Təmiz Dünya", "ngo");
    police_ = in_->Organization("Ministry of Internal Affairs", "police");
    in_->User("coord", "coordinator", state_, kPassword);
    in_->User("ngo.cw", "caseworker", ngo_, kPassword);
    coord_ = std::make_unique<Client>(in_->As("coord", kPassword));
    auto plan = coord_->Post("/api/v1/action-plans", {{"title", "Milli Fəaliyyət Planı 2009–2013"},
                                                      {"period_start", "2009-01-01"},
                                                      {"period_end", "2013-12-31"}});
    ASSERT_EQ(plan.status, 201) << plan.raw;
    plan_ = "/api/v1/action-plans/" + std::to_string(plan.body["id"].get<long>());
  }

  Response Import(const std::string& file, const std::string& type, const std::string& query = "",
                  httplib::Headers h = {}) {
    return coord_->Request("POST", plan_ + "/measures/import" + query, file, h, type);
  }
  std::size_t MeasureCount() { return coord_->Get(plan_ + "/measures").body["items"].size(); }

  std::unique_ptr<Instance> in_;
  std::unique_ptr<Client> coord_;
  long state_ = 0, ngo_ = 0, police_ = 0;
  std::string plan_;
};

// As a ministry writes it: semicolons, Azerbaijani headings in their own words and
// order, bodies by name (any case), dates as 31.12.2010 or a year, one indicator a row.
const char* kAzerbaijaniCsv =
    "Bənd;Tədbir;Məsul icraçılar;Tərəfdaşlar;İcra müddəti;Göstərici;Ölçü vahidi;İlkin səviyyə;Hədəf\n"
    "1.1;Əmək müfəttişlərinin təlimi;Dövlət Miqrasiya Xidməti;TƏMİZ DÜNYA;31.12.2010;"
    "təlim keçmiş müfəttişlər;nəfər;0;200\n"
    "1.2;\"Qaynar xəttin işi; üç dildə\";Təmiz Dünya;;2011;;;;\n"
    "\n"
    "2.10;Polis əməkdaşlarının təlimi;Ministry of Internal Affairs;Təmiz Dünya;2013-06-30;;;;\n";

TEST_F(PlanImport, ACsvInAzerbaijaniIsReadAsPeopleWriteIt) {
  // A dry run shows what would be imported and stores nothing.
  auto dry = Import(kAzerbaijaniCsv, kCsv, "?dry_run=true");
  ASSERT_EQ(dry.status, 200) << dry.raw;
  EXPECT_EQ(dry.body["applied"], false);
  ASSERT_EQ(dry.body["measures"].size(), 3u) << dry.raw;
  EXPECT_EQ(dry.body["problems"].size(), 0u);
  EXPECT_EQ(MeasureCount(), 0u);

  httplib::Headers key = {{"Idempotency-Key", "import-2009-plan"}};
  auto done = Import(kAzerbaijaniCsv, kCsv, "", key);
  ASSERT_EQ(done.status, 201) << done.raw;
  EXPECT_EQ(done.body["applied"], true);
  auto list = coord_->Get(plan_ + "/measures");
  ASSERT_EQ(list.body["items"].size(), 3u);
  const Json& m11 = list.body["items"][0];
  EXPECT_EQ(m11["code"], "1.1");
  EXPECT_EQ(m11["deadline"], "2010-12-31");
  EXPECT_EQ(m11["responsible_organization_ids"], Json::array({state_}));
  EXPECT_EQ(m11["partner_organization_ids"], Json::array({ngo_}));
  EXPECT_EQ(m11["indicators"][0]["name"], "təlim keçmiş müfəttişlər");
  EXPECT_EQ(m11["indicators"][0]["unit"], "nəfər");
  EXPECT_EQ(m11["indicators"][0]["target"], 200);
  EXPECT_EQ(list.body["items"][1]["text"], "Qaynar xəttin işi; üç dildə");
  EXPECT_EQ(list.body["items"][1]["deadline"], "2011-12-31");
  EXPECT_EQ(list.body["items"][2]["code"], "2.10");

  // Sent again with its key (an answer lost on a slow line): imported once.
  auto again = Import(kAzerbaijaniCsv, kCsv, "", key);
  EXPECT_EQ(again.status, 201) << again.raw;
  EXPECT_EQ(MeasureCount(), 3u);
  // Without a key, the same file again: every code is taken, nothing is added.
  auto twice = Import(kAzerbaijaniCsv, kCsv);
  EXPECT_EQ(twice.status, 422) << twice.raw;
  EXPECT_EQ(twice.body["problems"].size(), 3u);
  EXPECT_EQ(MeasureCount(), 3u);

  auto audit = in_->admin().Get("/api/v1/audit?action=measure.import");
  EXPECT_EQ(audit.status, 403) << "the admin does not read the audit log";
}

TEST_F(PlanImport, EveryBadRowIsNamedWithWhyAndNothingIsStored) {
  const std::string csv =
      "code,measure,responsible,deadline\n"
      "1.1,Good measure,Təmiz Dünya,2012-12-31\n"
      "1.2,Unknown body,Ministry of Magic,2012-12-31\n"
      "1.3,After the plan,Təmiz Dünya,2015-01-01\n"
      "1.4,Not a date,Təmiz Dünya,next spring\n"
      "1.1,Twice,Təmiz Dünya,2012-12-31\n"
      ",No code,Təmiz Dünya,2012-12-31\n";
  auto r = Import(csv, kCsv);
  ASSERT_EQ(r.status, 422) << r.raw;
  EXPECT_EQ(r.body["applied"], false);
  const Json& p = r.body["problems"];
  ASSERT_EQ(p.size(), 5u) << r.raw;
  EXPECT_EQ(p[0]["row"], 3);
  EXPECT_EQ(p[0]["field"], "responsible_organization_ids");
  EXPECT_NE(p[0]["message"].get<std::string>().find("Ministry of Magic"), std::string::npos);
  EXPECT_EQ(p[1]["row"], 4);
  EXPECT_EQ(p[1]["field"], "deadline");
  EXPECT_EQ(p[2]["row"], 5);
  EXPECT_EQ(p[2]["field"], "deadline");
  EXPECT_EQ(p[3]["row"], 6);
  EXPECT_EQ(p[3]["field"], "code");
  EXPECT_NE(p[3]["message"].get<std::string>().find("row 2"), std::string::npos);
  EXPECT_EQ(p[4]["row"], 7);
  EXPECT_EQ(p[4]["field"], "code");
  EXPECT_EQ(MeasureCount(), 0u) << "nothing stored while a row is bad";
}

// A body whose name has a comma is one body; commas still separate names that have none.
TEST_F(PlanImport, BodiesWithACommaInTheirNameAreRead) {
  const long unit = in_->Organization("Anti-Trafficking Department, Ministry of Internal Affairs", "police");
  const std::string csv =
      "code,measure,responsible,deadline\n"
      "1.1,Joint patrols,\"Anti-Trafficking Department, Ministry of Internal Affairs, Təmiz Dünya\",2012\n"
      "1.2,Hotline,\"Təmiz Dünya; Ministry of Internal Affairs\",2012\n";
  auto r = Import(csv, kCsv);
  ASSERT_EQ(r.status, 201) << r.raw;
  auto list = coord_->Get(plan_ + "/measures");
  ASSERT_EQ(list.body["items"].size(), 2u);
  EXPECT_EQ(list.body["items"][0]["responsible_organization_ids"], Json::array({unit, ngo_}));
  EXPECT_EQ(list.body["items"][1]["responsible_organization_ids"], Json::array({ngo_, police_}));
  // A dry run with a bad row answers 200 with the problems; the real import 422 with an error.
  const std::string bad = "code,measure,responsible,deadline\n2.1,X,\"Təmiz Dünya, Nobody\",2012\n";
  auto dry = Import(bad, kCsv, "?dry_run=true");
  EXPECT_EQ(dry.status, 200) << dry.raw;
  EXPECT_EQ(dry.body["problems"][0]["message"], "no organisation named \"Nobody\" in the directory");
  auto refused = Import(bad, kCsv);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.ErrorCode(), "invalid_rows");
}

TEST_F(PlanImport, AFileWithoutAColumnTheMeasuresNeedIsRefused) {
  auto r = Import("code,measure,responsible\n1.1,A measure,Təmiz Dünya\n", kCsv);
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.ErrorCode(), "invalid_file");
  EXPECT_EQ(r.ErrorField(), "file");
  EXPECT_NE(r.raw.find("deadline"), std::string::npos) << r.raw;
  EXPECT_EQ(Import("", kCsv).ErrorField(), "file");
  EXPECT_EQ(Import("code,measure,responsible,deadline\n\"1.1,unclosed\n", kCsv).ErrorCode(), "invalid_file");
  EXPECT_EQ(Import(std::string("PK\x03\x04junk", 8), kXlsx).ErrorCode(), "invalid_file");
  EXPECT_EQ(MeasureCount(), 0u);
  // Only the coordinating body imports.
  Client cw = in_->As("ngo.cw", kPassword);
  EXPECT_EQ(cw.Request("POST", plan_ + "/measures/import", kAzerbaijaniCsv, {}, kCsv).status, 403);
  EXPECT_EQ(coord_->Request("POST", "/api/v1/action-plans/999999/measures/import", kAzerbaijaniCsv,
                            {}, kCsv).status, 404);
}

// An Excel workbook with Russian headings and a real date cell.
std::string RussianWorkbook(const std::filesystem::path& dir) {
  const std::string path = (dir / "plan.xlsx").string();
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "План");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "dd.mm.yyyy");
  const char* headings[] = {"№", "Мероприятие", "Ответственные исполнители", "Срок исполнения",
                            "Индикатор", "Целевое значение"};
  for (int c = 0; c < 6; ++c) worksheet_write_string(ws, 0, c, headings[c], nullptr);
  worksheet_write_string(ws, 1, 0, "3.1", nullptr);
  worksheet_write_string(ws, 1, 1, "Информационная кампания в регионах", nullptr);
  worksheet_write_string(ws, 1, 2, "Təmiz Dünya; Ministry of Internal Affairs", nullptr);
  lxw_datetime deadline = {2012, 9, 30, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 3, &deadline, date);
  worksheet_write_string(ws, 1, 4, "охват районов", nullptr);
  worksheet_write_number(ws, 1, 5, 66, nullptr);
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

TEST_F(PlanImport, AnExcelWorkbookInRussianIsRead) {
  auto r = Import(RussianWorkbook(in_->dir()), kXlsx);
  ASSERT_EQ(r.status, 201) << r.raw;
  auto list = coord_->Get(plan_ + "/measures");
  ASSERT_EQ(list.body["items"].size(), 1u);
  const Json& m = list.body["items"][0];
  EXPECT_EQ(m["code"], "3.1");
  EXPECT_EQ(m["deadline"], "2012-09-30");
  EXPECT_EQ(m["responsible_organization_ids"], Json::array({ngo_, police_}));
  EXPECT_EQ(m["indicators"][0]["target"], 66);
}

}  // namespace
}  // namespace haven::testing
