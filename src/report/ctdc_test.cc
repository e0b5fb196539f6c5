// Reading CTDC files as published, and the k-anonymous export.

#include "report/ctdc.h"

#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

namespace haven::report {
namespace {

std::string Sample() {
  std::ifstream in(std::string(HAVEN_SHARED_DATA) + "/ctdc/ctdc_global_kanon_sample.csv");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Header() { return Sample().substr(0, Sample().find('\n') + 1); }

// A data row of the sample layout with some fields set.
std::string Row(std::map<std::string, std::string> values) {
  std::string out;
  auto columns = CtdcColumns();
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ';';
    auto it = values.find(std::string(columns[i]));
    if (it != values.end()) out += it->second;
  }
  return out + "\n";
}

TEST(CtdcRead, TheSharedSampleReadsWithoutRejects) {
  std::string sample = Sample();
  ASSERT_FALSE(sample.empty());
  auto parsed = ParseCtdc(sample);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->read, 1191u);
  EXPECT_EQ(parsed->records.size(), 1191u);
  for (const auto& r : parsed->rejects) ADD_FAILURE() << r.line << ": " << r.reason;
  // The first row: 2002, Case Management, Female, 18--20, Adult, CO, sexual exploitation.
  const auto& first = parsed->records[0];
  EXPECT_EQ(first.year, 2002);
  EXPECT_EQ(first.sex, domain::Sex::kFemale);
  EXPECT_EQ(first.age_band, "18-20");
  EXPECT_EQ(first.majority, "adult");
  EXPECT_EQ(first.citizenship.ToString(), "CO");
  EXPECT_EQ(first.exploitation, std::vector<domain::Exploitation>{domain::Exploitation::kSexual});
  EXPECT_EQ(parsed->lines[0], 2u);
  // Identical rows are kept apart by their number.
  EXPECT_NE(parsed->records[0].record_key, parsed->records[1].record_key);
  EXPECT_EQ(parsed->records[1].record_key.substr(0, 64), parsed->records[0].record_key.substr(0, 64));
}

TEST(CtdcRead, QuotedListsAndCombinedExploitation) {
  std::string text = Header() +
                     Row({{"yearOfRegistration", "2019"},
                          {"gender", "Male"},
                          {"ageBroad", "9--17"},
                          {"citizenship", "UA"},
                          {"meansOfControlConcatenated", "\"Threats;Physical abuse\""},
                          {"isSexAndLabour", "1"},
                          {"typeOfExploitConcatenated",
                           "\"Forced labour;Sexual exploitation;Combined sexual and labour exploitation\""},
                          {"RecruiterRelationship", "\"Family/Relative; Intimate Partner\""},
                          {"CountryOfExploitation", "pl"}});
  auto parsed = ParseCtdc(text);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->records.size(), 1u) << (parsed->rejects.empty() ? "" : parsed->rejects[0].reason);
  const auto& r = parsed->records[0];
  EXPECT_EQ(r.majority, "minor");
  EXPECT_EQ(r.age_band, "9-17");
  EXPECT_EQ(r.exploitation.size(), 2u);
  EXPECT_EQ(r.means_of_control.size(), 2u);
  EXPECT_EQ(r.recruiter_relation, domain::RecruiterRelation::kFamily);
  EXPECT_EQ(r.country_of_exploitation, "PL");
}

TEST(CtdcRead, BadRowsAreRejectedWithLineAndReason) {
  std::string text = Header() + Row({{"yearOfRegistration", "2019"}}) +  // line 2: fine
                     Row({{"yearOfRegistration", "20x9"}}) +               // 3
                     Row({{"yearOfRegistration", "2019"}, {"gender", "Robot"}}) +
                     Row({{"yearOfRegistration", "2019"}, {"ageBroad", "17--19"}}) +
                     Row({{"yearOfRegistration", "2019"}, {"citizenship", "ZZ"}}) +
                     Row({{"yearOfRegistration", "2019"}, {"isForcedLabour", "yes"}}) +
                     ";2019;Hotline\n" +                                        // 8: too few fields
                     Row({{"yearOfRegistration", ""}});                        // 9
  auto parsed = ParseCtdc(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->read, 8u);
  EXPECT_EQ(parsed->records.size(), 1u);
  ASSERT_EQ(parsed->rejects.size(), 7u);
  EXPECT_EQ(parsed->rejects[0].line, 3u);
  EXPECT_NE(parsed->rejects[0].reason.find("yearOfRegistration"), std::string::npos);
  EXPECT_NE(parsed->rejects[1].reason.find("gender"), std::string::npos);
  EXPECT_NE(parsed->rejects[2].reason.find("ageBroad"), std::string::npos);
  EXPECT_NE(parsed->rejects[3].reason.find("citizenship"), std::string::npos);
  EXPECT_NE(parsed->rejects[4].reason.find("isForcedLabour"), std::string::npos);
  EXPECT_EQ(parsed->rejects[5].line, 8u);
  EXPECT_NE(parsed->rejects[5].reason.find("3 fields"), std::string::npos);
  EXPECT_EQ(parsed->rejects[6].line, 9u);
  auto csv = RejectsCsv(parsed->rejects);
  EXPECT_EQ(csv.substr(0, 16), "line,reason,row\n");
}

TEST(CtdcRead, UnusableFilesAreRefusedAsAWhole) {
  EXPECT_FALSE(ParseCtdc(""));
  EXPECT_FALSE(ParseCtdc("a,b,c\n1,2,3\n"));
  auto unterminated = ParseCtdc(Header() + ";2019;\"Hotline\n");
  ASSERT_FALSE(unterminated);
  EXPECT_NE(unterminated.error().message.find("line 2"), std::string::npos);
}

TEST(CtdcRead, CrLfAndByteOrderMark) {
  std::string text = "\xEF\xBB\xBF" + Header() + Row({{"yearOfRegistration", "2019"}});
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  auto parsed = ParseCtdc(crlf);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->records.size(), 1u);
}

store::CaseFact Person(domain::Id id, int year, domain::Sex sex, int age, std::string citizenship,
                       std::string country, domain::Exploitation form) {
  store::CaseFact f;
  f.case_id = f.person_id = f.person_cluster = id;
  f.identified_on = domain::Date::FromYmd(year, 5, 1);
  f.sex = sex;
  f.age_at_identification = age;
  f.age_group = domain::AgeGroup(age);
  f.majority = age < 18 ? "minor" : "adult";
  f.citizenship = domain::Citizenship{domain::Citizenship::Kind::kCountry, citizenship};
  f.country_of_exploitation = country;
  f.exploitation = {form};
  return f;
}

TEST(CtdcExport, EveryQuasiIdentifierCombinationOccursKTimes) {
  std::vector<store::CaseFact> facts;
  domain::Id id = 1;
  // A large homogeneous group, and rare people that must be generalised or dropped.
  for (int i = 0; i < 30; ++i)
    facts.push_back(Person(id++, 2024, domain::Sex::kFemale, 25, "AZ", "TR", domain::Exploitation::kSexual));
  for (int i = 0; i < 12; ++i)
    facts.push_back(Person(id++, 2024, domain::Sex::kMale, 20 + i, "AZ", "RU", domain::Exploitation::kForcedLabour));
  facts.push_back(Person(id++, 2024, domain::Sex::kMale, 70, "UZ", "AE", domain::Exploitation::kOrganRemoval));
  facts.push_back(Person(id++, 2023, domain::Sex::kFemale, 15, "AZ", "AZ", domain::Exploitation::kSexual));
  auto exported = ExportCtdc(facts, {11});
  ASSERT_TRUE(exported) << exported.error().message;
  EXPECT_EQ(exported->input, facts.size());
  EXPECT_EQ(exported->records + exported->suppressed, facts.size());
  EXPECT_GT(exported->generalised, 0u);
  EXPECT_GE(exported->suppressed, 1u);  // the only 2023 person cannot hide among anyone

  // Independent check over the file as written.
  std::istringstream in(exported->csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.substr(0, 52), "By using this data you agree to the Terms of Use: ht");
  std::map<std::string, int> classes;
  int rows = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ';' && !quoted) f.push_back(cell), cell.clear();
      else cell += c;
    }
    f.push_back(cell);
    ASSERT_EQ(f.size(), 64u);
    // year, gender, ageBroad, majorityStatus, citizenship, CountryOfExploitation, type of exploitation
    ++classes[f[1] + "|" + f[3] + "|" + f[4] + "|" + f[5] + "|" + f[8] + "|" + f[58] + "|" + f[36]];
    ++rows;
  }
  EXPECT_EQ(static_cast<std::size_t>(rows), exported->records);
  for (const auto& [key, n] : classes) EXPECT_GE(n, 11) << key;
}

TEST(CtdcExport, KBelowTwoIsRefused) {
  auto r = ExportCtdc({}, {1});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "k");
}

TEST(CtdcBands, BothWays) {
  EXPECT_EQ(CtdcBandToHaven("18--20"), "18-20");
  EXPECT_EQ(CtdcBandToHaven("48+"), "48+");
  EXPECT_EQ(HavenBandToCtdc("12-14"), "9--17");
  EXPECT_EQ(HavenBandToCtdc("30-38"), "30--38");
  EXPECT_EQ(HavenBandToCtdc("unknown"), "");
}

}  // namespace
}  // namespace haven::report
