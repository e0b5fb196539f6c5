// Reading CTDC files as published, and the k-anonymous export.

#include "report/ctdc.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include <fmt/format.h>

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

// The fields of one line of the file, quotes honoured.
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> f;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ';' && !quoted) f.push_back(cell), cell.clear();
    else cell += c;
  }
  f.push_back(cell);
  return f;
}

// The data rows of an exported file.
std::vector<std::vector<std::string>> DataRows(const std::string& csv) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line)) rows.push_back(Fields(line));
  return rows;
}

std::size_t Column(std::string_view name) {
  auto columns = CtdcColumns();
  return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
}

// Every column a quasi-identifier is written in: year, gender, age band and
// minor/adult, citizenship, country of exploitation, and every column of the
// forms of exploitation.
const std::vector<std::string_view> kQiColumns = {
    "yearOfRegistration", "gender", "ageBroad", "majorityStatus", "citizenship", "CountryOfExploitation",
    "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage",
    "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices", "typeOfExploitConcatenated"};

// Counted from the file alone: every combination of the written quasi-identifiers
// occurs at least k times.
void ExpectKAnonymousFile(const CtdcExport& exported, int k) {
  std::map<std::string, int> classes;
  auto rows = DataRows(exported.csv);
  for (const auto& f : rows) {
    ASSERT_EQ(f.size(), 64u);
    std::string key;
    for (auto column : kQiColumns) key += f[Column(column)] + "|";
    ++classes[key];
  }
  EXPECT_EQ(rows.size(), exported.records);
  for (const auto& [key, n] : classes) EXPECT_GE(n, k) << key;
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

  std::istringstream in(exported->csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.substr(0, 52), "By using this data you agree to the Terms of Use: ht");
  ExpectKAnonymousFile(*exported, 11);

  // The homogeneous group keeps everything: the rare people are generalised or
  // left out, not the common ones.
  int exact = 0;
  for (const auto& f : DataRows(exported->csv))
    exact += f[Column("yearOfRegistration")] == "2024" && f[Column("gender")] == "Female" &&
             f[Column("ageBroad")] == "24--26" && f[Column("majorityStatus")] == "Adult" &&
             f[Column("citizenship")] == "AZ" && f[Column("CountryOfExploitation")] == "TR" &&
             f[Column("isSexualExploit")] == "1" && f[Column("isForcedMarriage")] == "0" &&
             f[Column("typeOfExploitConcatenated")] == "Sexual exploitation";
  EXPECT_EQ(exact, 30);
}

// Facts of the shape of Haven's demo: mostly one citizenship (a tenth of them
// stateless or unknown), two thirds women, one in six a child, several forms of
// exploitation, a third exploited at home; `years` years from 2024 on.
std::vector<store::CaseFact> DemoLikeFacts(int persons, int years, std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  struct Origin {
    const char* citizenship;
    int weight;
  };
  const std::vector<Origin> origins = {{"AZ", 60}, {"UZ", 6}, {"TJ", 3}, {"RU", 5}, {"UA", 3},
                                       {"GE", 3},  {"NP", 3}, {"PH", 3}, {"TR", 2}, {"IR", 2},
                                       {"stateless", 6}, {"unknown", 4}};
  const std::vector<std::string> destinations = {"AZ", "TR", "AE", "RU", "IR", "GE", "KZ", "CY", "IL"};
  using E = domain::Exploitation;
  const std::vector<E> forms = {E::kSexual,       E::kSexual,          E::kSexual,
                                E::kForcedLabour, E::kForcedLabour,    E::kForcedBegging,
                                E::kDomesticServitude, E::kForcedMarriage, E::kForcedCriminality,
                                E::kOther};
  std::vector<store::CaseFact> facts;
  for (int i = 0; i < persons; ++i) {
    store::CaseFact f;
    f.case_id = f.person_id = f.person_cluster = i + 1;
    f.identified_on = domain::Date::FromYmd(2024 + below(years), 1 + below(12), 1 + below(28));
    f.identified_by = below(10) == 0 ? domain::IdentifiedBy::kHotline : domain::IdentifiedBy::kPolice;
    int u = below(100);
    f.sex = u < 68 ? domain::Sex::kFemale : u < 99 ? domain::Sex::kMale : domain::Sex::kUnknown;
    if (below(30) > 0) {
      int age = below(6) == 0 ? 9 + below(9) : 18 + below(35);
      f.age_at_identification = age;
      f.age_group = domain::AgeGroup(age);
      f.majority = age < 18 ? "minor" : "adult";
    } else {
      f.age_group = "unknown";
    }
    int roll = below(100);
    const Origin* origin = &origins.front();
    for (const auto& o : origins) {
      if (roll < o.weight) {
        origin = &o;
        break;
      }
      roll -= o.weight;
    }
    auto c = domain::Citizenship::Parse(origin->citizenship, "citizenship");
    f.citizenship = c ? *c : domain::Citizenship{};
    std::string home = f.citizenship.kind == domain::Citizenship::Kind::kCountry ? f.citizenship.country : "AZ";
    f.country_of_exploitation = below(3) == 0 ? home : destinations[below(static_cast<int>(destinations.size()))];
    f.exploitation = {forms[below(static_cast<int>(forms.size()))]};
    if (below(8) == 0) {
      auto second = forms[below(static_cast<int>(forms.size()))];
      if (second != f.exploitation.front()) f.exploitation.push_back(second);
    }
    std::sort(f.exploitation.begin(), f.exploitation.end());
    if (below(2)) f.means_of_control = {domain::MeansOfControl::kThreats};
    f.recruiter_relation = below(2) ? domain::RecruiterRelation::kFamily : domain::RecruiterRelation::kStranger;
    facts.push_back(std::move(f));
  }
  return facts;
}

// Persons in years with fewer than k persons: no generalisation can hide them.
std::size_t Unhideable(const std::vector<store::CaseFact>& facts, int k) {
  std::map<int, std::size_t> per_year;
  for (const auto& f : facts) ++per_year[f.identified_on.Year()];
  std::size_t n = 0;
  for (const auto& [year, count] : per_year)
    if (count < static_cast<std::size_t>(k)) n += count;
  return n;
}

TEST(CtdcExport, KAnonymousAsWrittenForEveryKWithinTheSuppressionLimit) {
  for (int years : {3, 8}) {
    auto facts = DemoLikeFacts(400, years, 20261128);
    for (int k : {2, 5, 11, 20}) {
      SCOPED_TRACE(testing::Message() << years << " years, k = " << k);
      CtdcExportOptions options;
      options.k = k;
      auto exported = ExportCtdc(facts, options);
      ASSERT_TRUE(exported) << exported.error().message;
      ExpectKAnonymousFile(*exported, k);
      EXPECT_EQ(exported->input, 400u);
      EXPECT_EQ(exported->records + exported->suppressed, 400u);
      EXPECT_LE(exported->suppressed, 20u + Unhideable(facts, k));  // 5 % of 400
      ASSERT_EQ(exported->fields.size(), 6u);
      for (const auto& s : exported->fields)
        EXPECT_EQ(s.exact + s.generalised + s.blanked + s.not_recorded, exported->records) << s.field;
      EXPECT_GE(exported->information_loss, 0);
      EXPECT_LE(exported->information_loss, exported->full_domain_loss + 1e-12);
    }
  }
}

TEST(CtdcExport, TheExportReadsBackAsItsSummarySays) {
  auto facts = DemoLikeFacts(400, 3, 7);
  auto exported = ExportCtdc(facts, {11});
  ASSERT_TRUE(exported) << exported.error().message;
  auto parsed = ParseCtdc(exported->csv);
  ASSERT_TRUE(parsed) << parsed.error().message;
  for (const auto& r : parsed->rejects) ADD_FAILURE() << r.line << ": " << r.reason;
  ASSERT_EQ(parsed->records.size(), exported->records);

  std::map<std::string, const CtdcFieldSummary*> field;
  for (const auto& s : exported->fields) field[s.field] = &s;
  ASSERT_EQ(field.size(), 6u);
  std::size_t sex = 0, band = 0, majority = 0, citizenship = 0, country = 0, forms = 0;
  for (const auto& r : parsed->records) {
    sex += r.sex != domain::Sex::kUnknown;
    band += !r.age_band.empty();
    majority += r.majority != "unknown";
    citizenship += r.citizenship.kind == domain::Citizenship::Kind::kCountry;
    country += r.country_of_exploitation.has_value();
    forms += !r.exploitation.empty();
  }
  EXPECT_EQ(field["year"]->exact, exported->records);
  EXPECT_EQ(sex, field["sex"]->exact);
  EXPECT_EQ(band, field["age_group"]->exact);
  EXPECT_EQ(majority, field["age_group"]->exact + field["age_group"]->generalised);
  EXPECT_EQ(citizenship, field["citizenship"]->exact);
  EXPECT_EQ(country, field["country_of_exploitation"]->exact);
  EXPECT_EQ(forms, field["exploitation"]->exact + field["exploitation"]->generalised);
  // CTDC cannot write a region or a foreign/own group: nothing is "generalised" there.
  EXPECT_EQ(field["citizenship"]->generalised, 0u);
  EXPECT_EQ(field["country_of_exploitation"]->generalised, 0u);
}

// Kept (exact or generalised) against blanked, summed over the quasi-identifiers.
std::string Shares(const CtdcExport& e, std::size_t& kept, std::size_t& blanked) {
  kept = blanked = 0;
  std::string text;
  for (const auto& s : e.fields) {
    kept += s.exact + s.generalised;
    blanked += s.blanked;
    double n = static_cast<double>(std::max<std::size_t>(e.records, 1));
    text += fmt::format("{}: {:.0f}% exact, {:.0f}% generalised, {:.0f}% blanked, {:.0f}% not recorded; ", s.field,
                        100 * s.exact / n, 100 * s.generalised / n, 100 * s.blanked / n,
                        100 * s.not_recorded / n);
  }
  return text + fmt::format("{} of {} written, loss {:.3f} (full-domain {:.3f})", e.records, e.input,
                            e.information_loss, e.full_domain_loss);
}

TEST(CtdcExport, KeepsMoreThanItBlanksAtK11OnDemoLikeData) {
  // A few hundred persons over three years (about 130 a year).
  auto facts = DemoLikeFacts(400, 3, 20261128);
  auto exported = ExportCtdc(facts, {11});
  ASSERT_TRUE(exported) << exported.error().message;
  std::size_t kept = 0, blanked = 0;
  std::string shares = Shares(*exported, kept, blanked);
  EXPECT_GT(kept, blanked) << shares;
  // Not only thanks to the year, which is always kept: the other fields too.
  std::size_t year = exported->fields.front().exact;
  EXPECT_GT(kept - year, blanked) << shares;
  // Local recoding does better than any single generalisation of the whole file.
  EXPECT_LT(exported->information_loss, exported->full_domain_loss) << shares;
  EXPECT_LE(exported->suppressed, 20u) << shares;
}

TEST(CtdcExport, IsDeterministic) {
  auto facts = DemoLikeFacts(300, 4, 3);
  auto a = ExportCtdc(facts, {11});
  auto b = ExportCtdc(facts, {11});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->csv, b->csv);
  EXPECT_EQ(a->information_loss, b->information_loss);
}

TEST(CtdcExport, OptionsOutOfRangeAreRefused) {
  CtdcExportOptions options;
  options.suppression_limit = -0.1;
  EXPECT_EQ(ExportCtdc({}, options).error().field, "suppression_limit");
  options.suppression_limit = 0.05;
  options.own_country = "XX";
  EXPECT_EQ(ExportCtdc({}, options).error().field, "own_country");
  options.own_country = "AZ";
  options.k = 1001;
  EXPECT_EQ(ExportCtdc({}, options).error().field, "k");
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
