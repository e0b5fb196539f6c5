// The k-anonymity engine: optimal full-domain generalisation, suppression
// within the limit, local recoding, and the properties every result must have.

#include "report/anonymize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

#include <gtest/gtest.h>

namespace haven::report {
namespace {

using Records = std::vector<std::vector<std::string>>;

// Ages 1 … 4: exact → pairs → blank.
Hierarchy SmallAge() {
  return {"age", {{"1", "1-2", ""}, {"2", "1-2", ""}, {"3", "3-4", ""}, {"4", "3-4", ""}}};
}
Hierarchy Sex() {
  return {"sex", {{"M", ""}, {"F", ""}, {"", ""}}};
}

// Years 2015 … 2026: exact → three-year period → blank.
Hierarchy Years() {
  Hierarchy h{"year", {}};
  for (int y = 2015; y <= 2026; ++y) {
    int start = 2015 + (y - 2015) / 3 * 3;
    h.rows.push_back(
        {std::to_string(y), std::to_string(start) + "-" + std::to_string(start + 2), ""});
  }
  return h;
}

// Ages 0 … 79: exact → ten-year band → minor/adult → blank.
Hierarchy Ages() {
  Hierarchy h{"age", {}};
  for (int a = 0; a < 80; ++a)
    h.rows.push_back(
        {std::to_string(a), std::to_string(a / 10 * 10) + "s", a < 18 ? "minor" : "adult", ""});
  // A band that mixes minors and adults would not be a tree: 10s are split.
  for (auto& row : h.rows)
    if (row[1] == "10s") row[1] = std::stoi(row[0]) < 18 ? "10-17" : "18-19";
  h.rows.push_back({"", "", "", ""});
  return h;
}

Hierarchy Countries() {
  return {"citizenship",
          {{"AZ", "AZ", "own", ""},  // the own country: nothing to generalise it to below "own"
           {"GE", "Western Asia", "foreign", ""},
           {"TR", "Western Asia", "foreign", ""},
           {"UZ", "Central Asia", "foreign", ""},
           {"TJ", "Central Asia", "foreign", ""},
           {"RU", "Eastern Europe", "foreign", ""},
           {"UA", "Eastern Europe", "foreign", ""},
           {"stateless", "stateless", "stateless", ""},
           {"", "", "", ""}}};
}

// A deterministic generator of demo-like records: mostly one citizenship,
// ages spread, a few years.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : s_(seed) {}
  int Below(int n) {
    s_ = s_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((s_ >> 33) % static_cast<std::uint64_t>(n));
  }

 private:
  std::uint64_t s_;
};

Records DemoLike(int n, std::uint64_t seed) {
  Lcg rng(seed);
  const std::vector<std::string> countries = {"AZ", "AZ", "AZ", "AZ", "AZ", "AZ",        "GE",
                                              "TR", "UZ", "TJ", "RU", "UA", "stateless", ""};
  Records out;
  for (int i = 0; i < n; ++i) {
    int age = rng.Below(6) == 0 ? 9 + rng.Below(9) : 18 + rng.Below(40);
    out.push_back({std::to_string(2022 + rng.Below(4)), rng.Below(3) == 0 ? "M" : "F",
                   rng.Below(20) == 0 ? std::string() : std::to_string(age),
                   countries[rng.Below(static_cast<int>(countries.size()))]});
  }
  return out;
}

std::vector<Hierarchy> DemoHierarchies() {
  return {Years(), Sex(), Ages(), Countries()};
}

// Counted here from the written values alone, not from the engine's classes.
void ExpectKAnonymous(const Anonymization& a, std::size_t k) {
  std::map<std::vector<std::string>, std::size_t> classes;
  std::size_t written = 0;
  for (const auto& r : a.records) {
    if (r.suppressed) continue;
    ++classes[r.values];
    ++written;
  }
  EXPECT_EQ(written, a.written);
  for (const auto& [values, count] : classes) {
    std::string shown;
    for (const auto& v : values) shown += v + "|";
    EXPECT_GE(count, k) << shown;
  }
}

// Each written value is what its hierarchy gives for the record's value at its level.
void ExpectTruthful(const Anonymization& a, const Records& records,
                    const std::vector<Hierarchy>& h) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = a.records[i];
    if (r.suppressed) continue;
    ASSERT_EQ(r.values.size(), h.size());
    for (std::size_t q = 0; q < h.size(); ++q) {
      const std::vector<std::string>* row = nullptr;
      for (const auto& candidate : h[q].rows)
        if (candidate.front() == records[i][q]) row = &candidate;
      ASSERT_NE(row, nullptr);
      ASSERT_LT(static_cast<std::size_t>(r.levels[q]), row->size());
      EXPECT_EQ((*row)[r.levels[q]], r.values[q]) << "record " << i << " qi " << q;
    }
  }
}

TEST(Anonymize, FindsTheKnownOptimum) {
  // Pairs of neighbouring ages share a sex: generalising age one level makes
  // every class 2, while blanking sex helps nothing and blanking age costs more.
  Records records = {{"1", "M"}, {"2", "M"}, {"3", "F"}, {"4", "F"}};
  std::vector<Hierarchy> h = {SmallAge(), Sex()};
  AnonymizeOptions options;
  options.k = 2;
  options.suppression_limit = 0;
  for (bool local : {false, true}) {
    options.local_recoding = local;
    auto a = Anonymize(records, h, options);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->node, (std::vector<int>{1, 0}));
    EXPECT_EQ(a->suppressed, 0u);
    EXPECT_EQ(a->written, 4u);
    EXPECT_EQ(a->generalised, 4u);
    // Each age "1-2" covers 2 of 4 ages: (2 - 1) / (4 - 1) per cell, over 8 recorded cells.
    EXPECT_NEAR(a->loss, 4.0 / 3 / 8, 1e-12);
    EXPECT_EQ(a->records[0].values, (std::vector<std::string>{"1-2", "M"}));
    EXPECT_EQ(a->records[3].values, (std::vector<std::string>{"3-4", "F"}));
    EXPECT_EQ(a->qis[0].generalised, 4u);
    EXPECT_EQ(a->qis[1].exact, 4u);
    EXPECT_EQ(a->lattice_nodes, 6u);
  }
}

TEST(Anonymize, SuppressesTheOutlierWithinTheLimitRatherThanGeneraliseAll) {
  Records records = {{"1", "M"}, {"1", "M"}, {"1", "M"}, {"2", "F"},
                     {"2", "F"}, {"2", "F"}, {"4", "M"}};
  std::vector<Hierarchy> h = {SmallAge(), Sex()};
  AnonymizeOptions options;
  options.k = 3;
  options.local_recoding = false;

  options.suppression_limit = 0.15;  // one record of seven
  auto allowed = Anonymize(records, h, options);
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->node, (std::vector<int>{0, 0}));
  EXPECT_EQ(allowed->suppressed, 1u);
  EXPECT_TRUE(allowed->records[6].suppressed);
  EXPECT_NEAR(allowed->loss, 2.0 / 14, 1e-12);  // the outlier's two recorded values

  options.suppression_limit = 0;
  auto none = Anonymize(records, h, options);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->suppressed, 0u);
  EXPECT_EQ(none->node, (std::vector<int>{2, 0}));  // age blanked for everyone
  EXPECT_NEAR(none->loss, 7.0 / 14, 1e-12);

  // Local recoding keeps the ages of the women, whose class does not need the outlier.
  options.local_recoding = true;
  auto local = Anonymize(records, h, options);
  ASSERT_TRUE(local);
  EXPECT_EQ(local->suppressed, 0u);
  EXPECT_EQ(local->records[3].values, (std::vector<std::string>{"2", "F"}));
  EXPECT_EQ(local->records[0].values, (std::vector<std::string>{"", "M"}));
  EXPECT_NEAR(local->loss, 4.0 / 14, 1e-12);
  EXPECT_NEAR(local->full_domain_loss, 7.0 / 14, 1e-12);
  ExpectKAnonymous(*local, 3);
}

TEST(Anonymize, RecordsNoGeneralisationCanHideAreSuppressedWhateverTheLimit) {
  // The year cannot be generalised (height 0): the only 2020 record stays out.
  Hierarchy year{"year", {{"2020"}, {"2021"}}};
  Records records = {{"2020", "M"}, {"2021", "M"}, {"2021", "F"}, {"2021", "F"}};
  AnonymizeOptions options;
  options.k = 3;
  options.suppression_limit = 0;
  auto a = Anonymize(records, std::vector<Hierarchy>{year, Sex()}, options);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->suppressed, 1u);
  EXPECT_TRUE(a->records[0].suppressed);
  EXPECT_EQ(a->records[1].values, (std::vector<std::string>{"2021", ""}));
  ExpectKAnonymous(*a, 3);
}

TEST(Anonymize, KAnonymousTruthfulAndWithinTheLimitOnDemoLikeData) {
  auto records = DemoLike(400, 7);
  auto h = DemoHierarchies();
  for (int k : {2, 3, 5, 11, 20}) {
    for (double limit : {0.0, 0.02, 0.05}) {
      for (bool local : {false, true}) {
        SCOPED_TRACE(testing::Message() << "k=" << k << " limit=" << limit << " local=" << local);
        AnonymizeOptions options;
        options.k = k;
        options.suppression_limit = limit;
        options.local_recoding = local;
        auto a = Anonymize(records, h, options);
        ASSERT_TRUE(a) << a.error().message;
        ExpectKAnonymous(*a, static_cast<std::size_t>(k));
        ExpectTruthful(*a, records, h);
        // Every QI can be blanked here, so nothing must be suppressed beyond the limit.
        EXPECT_LE(a->suppressed, static_cast<std::size_t>(std::floor(limit * 400 + 1e-9)));
        EXPECT_EQ(a->written + a->suppressed, 400u);
        for (const auto& s : a->qis)
          EXPECT_EQ(s.exact + s.generalised + s.blanked + s.not_recorded, a->written) << s.name;
        EXPECT_GE(a->loss, 0);
        EXPECT_LE(a->loss, 1);
        EXPECT_LE(a->loss, a->full_domain_loss + 1e-12);
        EXPECT_LE(a->evaluated_nodes, a->lattice_nodes);
      }
    }
  }
}

TEST(Anonymize, AHigherKNeverLosesLessInTheOptimalSearch) {
  auto records = DemoLike(300, 11);
  auto h = DemoHierarchies();
  double previous = 0;
  for (int k = 2; k <= 40; ++k) {
    AnonymizeOptions options;
    options.k = k;
    options.local_recoding = false;
    auto a = Anonymize(records, h, options);
    ASSERT_TRUE(a);
    EXPECT_GE(a->loss, previous - 1e-12) << "k=" << k;
    previous = a->loss;
  }
}

// The loss of `records` written as `a` says, counted from the written values
// with the definition of anonymize.h.
double LossOf(const Anonymization& a, const Records& records, const std::vector<Hierarchy>& h,
              const std::vector<int>& node) {
  double lost = 0, cells = 0;
  for (std::size_t i = 0; i < records.size(); ++i)
    for (std::size_t q = 0; q < h.size(); ++q) {
      if (records[i][q].empty()) continue;  // nothing to lose
      cells += 1;
      if (a.records[i].suppressed) {
        lost += 1;
        continue;
      }
      const auto& v = a.records[i].values[q];
      if (v == records[i][q]) continue;
      if (v.empty()) {
        lost += 1;
        continue;
      }
      double leaves = 0;
      for (const auto& row : h[q].rows) leaves += row[node[q]] == v;
      lost += (leaves - 1) / static_cast<double>(h[q].rows.size() - 1);
    }
  return cells > 0 ? lost / cells : 0;
}

TEST(Anonymize, ThePrunedSearchFindsTheLeastLossOfAllNodes) {
  // Every node by brute force: the records recoded to the node's levels, given
  // to the engine with hierarchies of one level (so that it only suppresses the
  // classes smaller than k), their loss counted here.
  auto records = DemoLike(200, 3);
  auto h = DemoHierarchies();
  AnonymizeOptions options;
  options.k = 5;
  options.local_recoding = false;
  auto best = Anonymize(records, h, options);
  ASSERT_TRUE(best);
  EXPECT_LT(best->evaluated_nodes, best->lattice_nodes);  // something was pruned
  double least = 2;
  for (int y = 0; y <= 2; ++y)
    for (int s = 0; s <= 1; ++s)
      for (int a = 0; a <= 3; ++a)
        for (int c = 0; c <= 3; ++c) {
          std::vector<int> node = {y, s, a, c};
          Records recoded = records;
          std::vector<Hierarchy> flat(h.size());
          for (std::size_t q = 0; q < h.size(); ++q) {
            std::set<std::string> values;
            for (auto& r : recoded)
              for (const auto& row : h[q].rows)
                if (row.front() == r[q]) {
                  r[q] = row[node[q]];
                  break;
                }
            for (const auto& row : h[q].rows) values.insert(row[node[q]]);
            flat[q].name = h[q].name;
            for (const auto& v : values) flat[q].rows.push_back({v});
          }
          auto one = Anonymize(recoded, flat, options);
          ASSERT_TRUE(one) << one.error().message;
          if (one->suppressed > 10) continue;  // over 5 % of 200: not admissible
          double loss = LossOf(*one, records, h, node);
          least = std::min(least, loss);
        }
  EXPECT_NEAR(best->loss, least, 1e-9);
  EXPECT_NEAR(LossOf(*best, records, h, best->node), best->loss, 1e-12);
}

TEST(Anonymize, IsDeterministic) {
  auto records = DemoLike(400, 5);
  auto h = DemoHierarchies();
  AnonymizeOptions options;
  options.k = 11;
  auto a = Anonymize(records, h, options);
  auto b = Anonymize(records, h, options);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->node, b->node);
  EXPECT_EQ(a->loss, b->loss);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(a->records[i].suppressed, b->records[i].suppressed);
    EXPECT_EQ(a->records[i].values, b->records[i].values);
    EXPECT_EQ(a->records[i].levels, b->records[i].levels);
  }
}

TEST(Anonymize, LocalRecodingKeepsTheMajorityExact) {
  // 60 records of one combination and a scatter of rare ones: the common ones
  // stay exact, however rare the others.
  Records records(60, {"2024", "F", "25", "AZ"});
  auto rare = DemoLike(40, 9);
  for (auto& r : rare) r[0] = "2024";
  records.insert(records.end(), rare.begin(), rare.end());
  AnonymizeOptions options;
  options.k = 11;
  auto a = Anonymize(records, DemoHierarchies(), options);
  ASSERT_TRUE(a);
  ExpectKAnonymous(*a, 11);
  for (std::size_t i = 0; i < 60; ++i) {
    ASSERT_FALSE(a->records[i].suppressed);
    EXPECT_EQ(a->records[i].values, records[i]) << i;
  }
}

TEST(Anonymize, RefusesWhatIsNotAHierarchyOrOutOfRange) {
  Records records = {{"1", "M"}, {"2", "F"}};
  std::vector<Hierarchy> h = {SmallAge(), Sex()};
  AnonymizeOptions options;
  options.k = 1;
  EXPECT_EQ(Anonymize(records, h, options).error().field, "k");
  options.k = 2;
  options.suppression_limit = 1.5;
  EXPECT_EQ(Anonymize(records, h, options).error().field, "suppression_limit");
  options.suppression_limit = 0.05;

  auto not_a_tree = h;
  not_a_tree[0].rows.push_back({"5", "3-4", "x"});  // "3-4" generalises to "" and to "x"
  auto bad = Anonymize(records, not_a_tree, options);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not a tree"), std::string::npos);

  auto ragged = h;
  ragged[1].rows.push_back({"X"});
  EXPECT_FALSE(Anonymize(records, ragged, options));

  auto twice = h;
  twice[1].rows.push_back({"M", ""});
  EXPECT_FALSE(Anonymize(records, twice, options));

  Records unknown = {{"1", "M"}, {"9", "F"}};
  auto missing = Anonymize(unknown, h, options);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "age");

  Records narrow = {{"1"}};
  EXPECT_FALSE(Anonymize(narrow, h, options));
}

TEST(Anonymize, NoRecordsNothingLost) {
  auto a = Anonymize({}, std::vector<Hierarchy>{SmallAge(), Sex()}, {});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->written, 0u);
  EXPECT_EQ(a->loss, 0);
  EXPECT_EQ(a->node, (std::vector<int>{0, 0}));
}

}  // namespace
}  // namespace haven::report
