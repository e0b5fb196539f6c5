// Counting persons: unique persons after linkage, several forms of exploitation,
// the layout of counts and named tables, and differentially private noise.

#include "report/counts.h"

#include <cmath>
#include <cstring>
#include <random>

#include <gtest/gtest.h>

#include "report/named_reports.h"
#include "report/suppression.h"
#include "report/writers.h"

namespace haven::report {
namespace {

using domain::Exploitation;
using domain::Sex;

store::CaseFact Fact(domain::Id id, domain::Id cluster, int year, Sex sex,
                     std::vector<Exploitation> forms, std::string citizenship = "AZ") {
  store::CaseFact f;
  f.case_id = id;
  f.person_id = id;
  f.person_cluster = cluster;
  f.identified_on = domain::Date::FromYmd(year, 3, 1);
  f.sex = sex;
  f.exploitation = std::move(forms);
  f.citizenship = citizenship == "stateless"
                      ? domain::Citizenship{domain::Citizenship::Kind::kStateless, {}}
                      : domain::Citizenship{domain::Citizenship::Kind::kCountry, citizenship};
  f.age_at_identification = 25;
  f.age_group = domain::AgeGroup(25);
  f.majority = "adult";
  return f;
}

// Deterministic bytes for tests.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(std::uint32_t seed) : rng_(seed) {}
  void Fill(std::span<unsigned char> out) override {
    for (auto& b : out) b = static_cast<unsigned char>(rng_());
  }

 private:
  std::mt19937 rng_;
};

std::int64_t CountOf(const CountTable& t, std::vector<std::string> keys) {
  for (const auto& r : t.rows)
    if (r.keys == keys) return r.cell.value;
  return 0;
}

TEST(Counts, SeveralFormsCountOnceUnderEach) {
  std::vector<store::CaseFact> facts = {
      Fact(1, 1, 2024, Sex::kFemale, {Exploitation::kSexual, Exploitation::kForcedLabour}),
      Fact(2, 2, 2024, Sex::kMale, {Exploitation::kForcedLabour}),
  };
  CountOptions o;
  o.dimensions = {Dimension::kExploitation};
  o.threshold = 0;
  auto t = CountBy(facts, o, nullptr);
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_EQ(CountOf(*t, {"sexual"}), 1);
  EXPECT_EQ(CountOf(*t, {"forced_labour"}), 2);
  EXPECT_EQ(CountsToCsv(*t), "exploitation,count\nsexual,1\nforced_labour,2\n");
}

TEST(Counts, LinkedRegistrationsAreOnePerson) {
  // Cases 1 and 2 are the same person (cluster 7), registered by two organisations.
  std::vector<store::CaseFact> facts = {
      Fact(1, 7, 2024, Sex::kFemale, {Exploitation::kSexual}),
      Fact(2, 7, 2024, Sex::kFemale, {Exploitation::kForcedLabour}),
      Fact(3, 3, 2024, Sex::kFemale, {Exploitation::kSexual}),
  };
  CountOptions o;
  o.dimensions = {Dimension::kSex};
  o.threshold = 0;
  auto t = CountBy(facts, o, nullptr);
  ASSERT_TRUE(t);
  EXPECT_EQ(CountOf(*t, {"female"}), 2);
  // The person's forms are those of both registrations.
  o.dimensions = {Dimension::kExploitation};
  t = CountBy(facts, o, nullptr);
  EXPECT_EQ(CountOf(*t, {"sexual"}), 2);
  EXPECT_EQ(CountOf(*t, {"forced_labour"}), 1);
}

TEST(Counts, APersonIdentifiedInTwoYearsCountsInEach) {
  std::vector<store::CaseFact> facts = {
      Fact(1, 7, 2023, Sex::kFemale, {Exploitation::kSexual}),
      Fact(2, 7, 2024, Sex::kFemale, {Exploitation::kSexual}),
  };
  CountOptions o;
  o.dimensions = {Dimension::kYear, Dimension::kSex};
  o.threshold = 0;
  auto t = CountBy(facts, o, nullptr);
  ASSERT_TRUE(t);
  EXPECT_EQ(CountsToCsv(*t), "year,sex,count\n2023,female,1\n2024,female,1\n");
}

TEST(Counts, SmallCellsAreHiddenWithCover) {
  std::vector<store::CaseFact> facts;
  domain::Id id = 1;
  for (int i = 0; i < 20; ++i) facts.push_back(Fact(id, id, 2024, Sex::kFemale, {Exploitation::kSexual})), ++id;
  for (int i = 0; i < 3; ++i) facts.push_back(Fact(id, id, 2024, Sex::kMale, {Exploitation::kSexual})), ++id;
  for (int i = 0; i < 9; ++i) facts.push_back(Fact(id, id, 2024, Sex::kUnknown, {Exploitation::kSexual})), ++id;
  CountOptions o;
  o.dimensions = {Dimension::kSex};
  o.threshold = 5;
  auto t = CountBy(facts, o, nullptr);
  ASSERT_TRUE(t);
  EXPECT_EQ(CountsToCsv(*t), "sex,count\nfemale,20\nmale,<5\nunknown,x\n");
  EXPECT_EQ(t->suppression.primary, 1);
  EXPECT_GE(t->suppression.secondary, 1);
}

TEST(Counts, UnknownDimensionIsAClearError) {
  auto dims = ParseDimensions("year,colour", "by");
  ASSERT_FALSE(dims);
  EXPECT_EQ(dims.error().field, "by");
  EXPECT_NE(dims.error().message.find("unknown dimension \"colour\""), std::string::npos);
  EXPECT_NE(dims.error().message.find("citizenship"), std::string::npos);
  EXPECT_FALSE(ParseDimensions("sex,sex", "by"));
  EXPECT_FALSE(ParseDimensions("", "by"));
  auto ok = ParseDimensions("year, sex ,age_group", "by");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->size(), 3u);
}

TEST(Counts, CrossTabCountsStatelessAndForeign) {
  std::vector<store::CaseFact> facts = {
      Fact(1, 1, 2024, Sex::kFemale, {Exploitation::kSexual}, "AZ"),
      Fact(2, 2, 2024, Sex::kMale, {Exploitation::kSexual}, "UZ"),
      Fact(3, 3, 2024, Sex::kMale, {Exploitation::kSexual}, "stateless"),
  };
  FactContext ctx;
  auto t = CrossTab(facts, {"t", "T", Dimension::kCitizenshipGroup, Dimension::kSex, false, {}}, ctx);
  ASSERT_EQ(t.row_labels, (std::vector<std::string>{"own_country", "foreign", "stateless", "unknown"}));
  EXPECT_EQ(t.grid.At(0, 0).value, 1);  // own country, female
  EXPECT_EQ(t.grid.At(1, 1).value, 1);  // foreign, male
  EXPECT_EQ(t.grid.At(2, 1).value, 1);  // stateless, male
  EXPECT_EQ(t.grid.At(t.grid.rows, t.grid.cols).value, 3);
}

TEST(Counts, ReportProtectionSharesHiddenTotalsBetweenTables) {
  std::vector<store::CaseFact> facts;
  domain::Id id = 1;
  for (int i = 0; i < 30; ++i) facts.push_back(Fact(id, id, 2024, Sex::kFemale, {Exploitation::kSexual})), ++id;
  for (int i = 0; i < 3; ++i) facts.push_back(Fact(id, id, 2024, Sex::kMale, {Exploitation::kSexual})), ++id;
  FactContext ctx;
  Report r;
  r.tables.push_back(CrossTab(facts, {"a", "A", Dimension::kCitizenshipGroup, Dimension::kSex, false, {}}, ctx));
  r.tables.push_back(CrossTab(facts, {"b", "B", Dimension::kMajority, Dimension::kSex, false, {}}, ctx));
  ASSERT_TRUE(ProtectReport(r, 5, std::nullopt, nullptr));
  // "male" total (3) is small in both; every table hides it, and no hidden cell leaks.
  for (const auto& t : r.tables) {
    EXPECT_TRUE(t.grid.At(t.grid.rows, 1).Suppressed()) << t.id;
    for (int row = 0; row <= t.grid.rows; ++row)
      for (int c = 0; c <= t.grid.cols; ++c)
        if (t.grid.At(row, c).Suppressed()) {
          EXPECT_TRUE(CellIsProtected(t.grid, row, c, 5)) << t.id;
        }
  }
}

TEST(Noise, LaplaceHasTheDocumentedScale) {
  FixedRandom random(1);
  const double scale = 2.0;
  double sum = 0, abs_sum = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double x = LaplaceNoise(random, scale);
    sum += x;
    abs_sum += std::fabs(x);
  }
  EXPECT_NEAR(sum / n, 0.0, 0.05);
  EXPECT_NEAR(abs_sum / n, scale, 0.05);  // E|X| = b for Laplace(0, b)
}

TEST(Noise, GaussianHasTheDocumentedSigma) {
  FixedRandom random(2);
  double sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    double x = GaussianNoise(random, 3.0);
    sq += x * x;
  }
  EXPECT_NEAR(std::sqrt(sq / n), 3.0, 0.05);
}

TEST(Noise, SodiumRandomIsUniformEnough) {
  auto random = MakeSystemRandom();
  ASSERT_TRUE(random);
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    double u = random->Uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
}

TEST(Noise, DpCountsCoverTheWholeDomainAndAreReproducibleWithAFixedSource) {
  std::vector<store::CaseFact> facts;
  for (domain::Id id = 1; id <= 100; ++id) facts.push_back(Fact(id, id, 2024, Sex::kFemale, {Exploitation::kSexual}));
  CountOptions o;
  o.dimensions = {Dimension::kSex};
  o.threshold = 0;
  o.dp = DpParams{"laplace", 1.0, 0};
  FixedRandom a(7), b(7);
  auto ta = CountBy(facts, o, &a);
  auto tb = CountBy(facts, o, &b);
  ASSERT_TRUE(ta && tb);
  EXPECT_EQ(CountsToCsv(*ta), CountsToCsv(*tb));
  ASSERT_TRUE(ta->dp);
  EXPECT_NEAR(static_cast<double>(CountOf(*ta, {"female"})), 100.0, 25.0);
  EXPECT_FALSE(ValidateDp(DpParams{"laplace", 0, 0}, "dp_epsilon"));
  EXPECT_FALSE(ValidateDp(DpParams{"cauchy", 1, 0}, "dp_epsilon"));
  EXPECT_FALSE(ValidateDp(DpParams{"gaussian", 0.5, 0.5}, "dp_epsilon"));
}

TEST(Writers, ReportFormatsSayWhetherLinkageWasApplied) {
  std::vector<store::CaseFact> facts;
  for (domain::Id id = 1; id <= 12; ++id) facts.push_back(Fact(id, id, 2024, Sex::kFemale, {Exploitation::kSexual}));
  Report r;
  r.name = "test";
  r.year = 2024;
  r.linkage.applied = true;
  r.tables.push_back(CrossTab(facts, {"sex", "Sex", Dimension::kSex, std::nullopt, false, {}}, FactContext{}));
  ASSERT_TRUE(ProtectReport(r, 5, std::nullopt, nullptr));
  auto json = ReportToJson(r);
  EXPECT_EQ(json["linkage"]["applied"], true);
  EXPECT_EQ(json["tables"][0]["rows"][0]["values"][0], 12);
  auto csv = ReportToCsv(r);
  EXPECT_NE(csv.find("about,linkage_applied,,yes,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("sex,female,count,12,"), std::string::npos) << csv;
  auto xlsx = ReportToXlsx(r);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  EXPECT_EQ(xlsx->substr(0, 2), "PK");  // a zip container, as every .xlsx
}

}  // namespace
}  // namespace haven::report

namespace haven::report {
namespace {

// A sum of money beside a count gives the count away (count = amount / rate): the
// amounts are hidden exactly where the counts are, whatever their size.
TEST(Counts, AmountsAreHiddenWhereTheirCountsAre) {
  std::vector<store::PaymentTotal> rows = {{"2026-01", "AZN", 40000, 2},
                                           {"2026-02", "AZN", 200000, 10},
                                           {"2026-03", "AZN", 160000, 8}};
  Report rep;
  rep.tables = AllowanceTables(rows, "month", {"2026-01", "2026-02", "2026-03"});
  ASSERT_TRUE(ProtectReport(rep, 5, std::nullopt, nullptr));
  const Grid& counts = rep.tables[0].grid;
  const Grid& amounts = rep.tables[1].grid;
  EXPECT_EQ(counts.At(0, 0).state, CellState::kPrimary);
  EXPECT_TRUE(amounts.At(0, 0).Suppressed()) << "40000 / 20000 = 2 payments";
  for (std::size_t i = 0; i < counts.cells.size(); ++i)
    EXPECT_EQ(counts.cells[i].Suppressed(), amounts.cells[i].Suppressed()) << i;
  // The small count is protected: some other cell is hidden too.
  EXPECT_GE(rep.suppression.secondary, 1);
}

}  // namespace
}  // namespace haven::report
