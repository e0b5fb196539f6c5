// Linkage quality on synthetic populations with ground truth (src/privacy/population.h):
// precision, recall and F1 of Haven's CLK linkage (default person schema, Dice, greedy
// one-to-one) at several thresholds, beside exact matching on normalised names and birth
// date as the baseline; beside a plaintext reference (names, patronymic, date, sex and
// citizenship compared in the clear, Fellegi-Sunter weights taken from the ground truth
// itself: what classical linkage with perfect parameters does without encoding); and
// the recall of LSH blocking against exhaustive linkage on the same CLKs. A plain
// program (quality is not a timing); results go into bench/RESULTS.md.
//
//   linkage_quality_bench [--size N] [--overlap M] [--seed S] [--profile P] [--misses K]
//                         [--oracle on]
//     --size     records per organisation (default 10000)
//     --overlap  people registered by both (default half of size)
//     --profile  realistic | hard | spelling | all (default all)
//     --misses   print K missed true pairs and K false pairs at the best threshold
//     --oracle   on: also the plaintext reference (slower)

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "privacy/blocking.h"
#include "privacy/clk.h"
#include "privacy/dice.h"
#include "privacy/normalize.h"
#include "privacy/population.h"

namespace haven::privacy {
namespace {

using Pair = std::pair<uint32_t, uint32_t>;

struct Args {
  size_t size = 10000;
  size_t overlap = 0;
  uint64_t seed = 1;
  std::string profile = "all";
  size_t misses = 0;
  bool oracle = false;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::vector<uint8_t> EncodeAll(const ClkEncoder& encoder, const std::vector<PersonRecord>& rs) {
  std::vector<uint8_t> flat;
  for (const auto& r : rs) {
    auto values = r.Values();
    auto clk = encoder.Encode(std::span<const std::string>(values));
    if (!clk) {
      std::fprintf(stderr, "encode failed for %s: %s\n", r.id.c_str(), clk.error().message.c_str());
      std::exit(1);
    }
    flat.insert(flat.end(), clk->begin(), clk->end());
  }
  return flat;
}

std::string Show(const PersonRecord& r) {
  return r.given_name + " " + r.family_name + " " + (r.birth_date.empty() ? "-" : r.birth_date) +
         " " + r.sex + "  [" + NormalizeName(r.given_name) + " " + NormalizeName(r.family_name) + "]";
}

// ---------------------------------------------------------------------------------------
// The plaintext reference: classical linkage of the same fields in the clear. Each pair
// of records is compared field by field in the clear (bigram Dice of the linkage-
// normalised names, the better of straight and swapped given/family names; graded
// agreement of birth dates; sex; citizenship) into a level per field; the weight of a
// level is log2(m/u) with m counted over the true pairs and u over random pairs. The
// weights come from the answer itself (a reference, not a method); they ignore how
// common a value is and treat the fields as independent.

// Bigram Dice of two normalised names with padding, as multisets; -1 when one is empty.
double NameSimilarity(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return -1;
  auto grams = [](const std::string& s) {
    std::vector<std::string> g;
    const std::string p = " " + s + " ";
    for (size_t i = 0; i + 2 <= p.size(); ++i) g.push_back(p.substr(i, 2));
    std::sort(g.begin(), g.end());
    return g;
  };
  const auto ga = grams(a), gb = grams(b);
  std::vector<std::string> common;
  std::set_intersection(ga.begin(), ga.end(), gb.begin(), gb.end(), std::back_inserter(common));
  return 2.0 * static_cast<double>(common.size()) / static_cast<double>(ga.size() + gb.size());
}

int NameLevel(double d) {
  return d < 0 ? 0 : d >= 0.999 ? 5 : d >= 0.85 ? 4 : d >= 0.7 ? 3 : d >= 0.5 ? 2 : 1;
}

// 0 missing, 5 equal, 4 one part wrong (or day/month swapped, or year off by one with
// month and day equal), 3 same year and one is 1 January, 2 years within one, 1 other.
int DateLevel(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return 0;
  if (a == b) return 5;
  const int ya = std::stoi(a.substr(0, 4)), yb = std::stoi(b.substr(0, 4));
  const std::string ma = a.substr(5, 2), da = a.substr(8, 2), mb = b.substr(5, 2),
                    db = b.substr(8, 2);
  const int same = (ya == yb) + (ma == mb) + (da == db);
  if (same == 2 || (ya == yb && ma == db && da == mb) ||
      (std::abs(ya - yb) == 1 && ma == mb && da == db)) {
    return 4;
  }
  if (ya == yb && ((ma == "01" && da == "01") || (mb == "01" && db == "01"))) return 3;
  return std::abs(ya - yb) <= 1 ? 2 : 1;
}

constexpr size_t kOracleFields = 6;
constexpr size_t kOracleLevels = 6;
using Levels = std::array<int, kOracleFields>;

struct Normalised {
  std::string given, family, patronymic;
};

std::vector<Normalised> NormaliseAll(const std::vector<PersonRecord>& records) {
  std::vector<Normalised> out;
  for (const auto& r : records) {
    out.push_back({NormalizeNameForLinkage(r.given_name), NormalizeNameForLinkage(r.family_name),
                   NormalizePatronymicForLinkage(r.patronymic)});
  }
  return out;
}

Levels Compare(const PersonRecord& a, const Normalised& na, const PersonRecord& b,
               const Normalised& nb) {
  double given = NameSimilarity(na.given, nb.given);
  double family = NameSimilarity(na.family, nb.family);
  const double given_swapped = NameSimilarity(na.given, nb.family);
  const double family_swapped = NameSimilarity(na.family, nb.given);
  if (given_swapped + family_swapped > std::max(given, 0.0) + std::max(family, 0.0)) {
    given = given_swapped;
    family = family_swapped;
  }
  auto known = [](const std::string& v) { return !v.empty() && v != "unknown"; };
  return {NameLevel(given), NameLevel(family), NameLevel(NameSimilarity(na.patronymic, nb.patronymic)),
          DateLevel(a.birth_date, b.birth_date),
          !known(a.sex) || !known(b.sex) ? 0 : a.sex == b.sex ? 2 : 1,
          a.citizenship.empty() || b.citizenship.empty() ? 0 : a.citizenship == b.citizenship ? 2 : 1};
}

// Candidates: every pair the CLKs score at 0.3 or more (top 50), and every pair that
// agrees exactly on a normalised given name, family name or birth date; prints how many
// true pairs that covers.
void PlaintextOracle(const LinkagePopulation& pop, const std::vector<DiceCandidate>& clk_pairs,
                     const std::vector<double>& thresholds) {
  const auto na = NormaliseAll(pop.a), nb = NormaliseAll(pop.b);
  std::set<Pair> truth(pop.truth.begin(), pop.truth.end());

  std::array<std::array<double, kOracleLevels>, kOracleFields> m{}, u{};
  for (auto& f : m) f.fill(0.5);  // a half count in every cell: no log of zero
  for (auto& f : u) f.fill(0.5);
  for (const auto& [i, j] : pop.truth) {
    const Levels l = Compare(pop.a[i], na[i], pop.b[j], nb[j]);
    for (size_t f = 0; f < kOracleFields; ++f) m[f][l[f]] += 1;
  }
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  for (int r = 0; r < 2000000; ++r) {
    const auto i = static_cast<uint32_t>(next() % pop.a.size());
    const auto j = static_cast<uint32_t>(next() % pop.b.size());
    if (truth.contains({i, j})) continue;
    const Levels l = Compare(pop.a[i], na[i], pop.b[j], nb[j]);
    for (size_t f = 0; f < kOracleFields; ++f) u[f][l[f]] += 1;
  }
  std::array<std::array<double, kOracleLevels>, kOracleFields> weight{};
  for (size_t f = 0; f < kOracleFields; ++f) {
    double ms = 0, us = 0;
    for (size_t l = 0; l < kOracleLevels; ++l) {
      ms += m[f][l];
      us += u[f][l];
    }
    for (size_t l = 1; l < kOracleLevels; ++l) {  // level 0 (missing) weighs nothing
      weight[f][l] = std::log2((m[f][l] / ms) / (u[f][l] / us));
    }
  }

  std::set<Pair> candidates;
  for (const auto& c : clk_pairs) candidates.insert({c.a, c.b});
  std::map<std::string, std::vector<uint32_t>> by_given, by_family, by_date;
  for (uint32_t j = 0; j < pop.b.size(); ++j) {
    by_given[nb[j].given].push_back(j);
    by_family[nb[j].family].push_back(j);
    by_date[pop.b[j].birth_date].push_back(j);
  }
  for (uint32_t i = 0; i < pop.a.size(); ++i) {
    for (auto* index : {&by_given, &by_family, &by_date}) {
      const std::string& key = index == &by_given    ? na[i].given
                               : index == &by_family ? na[i].family
                                                     : pop.a[i].birth_date;
      if (key.empty()) continue;
      auto it = index->find(key);
      if (it == index->end()) continue;
      for (uint32_t j : it->second) candidates.insert({i, j});
    }
  }
  size_t covered = 0;
  for (const auto& t : pop.truth) covered += candidates.count(t);

  // Scores as DiceCandidates (weight·1000 over a fixed denominator) for GreedyMatch.
  constexpr double kScale = 1000, kDenominator = 200000;
  std::vector<DiceCandidate> scored;
  for (const auto& [i, j] : candidates) {
    const Levels l = Compare(pop.a[i], na[i], pop.b[j], nb[j]);
    double w = 0;
    for (size_t f = 0; f < kOracleFields; ++f) w += weight[f][l[f]];
    if (w <= 0) continue;
    scored.push_back({i, j, static_cast<uint32_t>(w * kScale),
                      static_cast<uint32_t>(kDenominator)});
  }
  double best_f1 = 0, best_w = 0;
  for (double min_weight : thresholds) {
    std::vector<DiceCandidate> kept;
    for (const auto& c : scored) {
      if (c.intersection >= min_weight * kScale) kept.push_back(c);
    }
    std::vector<Pair> pairs;
    for (const auto& x : GreedyMatch(std::move(kept))) pairs.push_back({x.a, x.b});
    const LinkageQuality q = ScoreLinkage(pairs, pop.truth);
    std::printf("| plaintext reference (weights from the truth) | w >= %.0f | %.4f | %.4f | %.4f | %zu |\n",
                min_weight, q.precision(), q.recall(), q.f1(), q.predicted);
    if (q.f1() > best_f1) {
      best_f1 = q.f1();
      best_w = min_weight;
    }
  }
  std::printf("\nplaintext reference: best F1 %.4f at weight %.0f; its candidates hold %zu of %zu "
              "true pairs\n",
              best_f1, best_w, covered, pop.truth.size());
}

void RunProfile(const std::string& name, const CorruptionRates& rates, const Args& args) {
  PopulationOptions options;
  options.size_a = args.size;
  options.size_b = args.size;
  options.overlap = args.overlap != 0 ? args.overlap : args.size / 2;
  options.rates = rates;
  options.seed = args.seed;
  const auto t0 = std::chrono::steady_clock::now();
  LinkagePopulation pop = GeneratePopulation(options);

  const LinkageSchema schema = DefaultPersonSchema();
  auto encoder = ClkEncoder::Create(schema, "benchmark coalition secret, not a real one");
  if (!encoder) std::exit(1);
  const auto t1 = std::chrono::steady_clock::now();
  const std::vector<uint8_t> fa = EncodeAll(*encoder, pop.a);
  const std::vector<uint8_t> fb = EncodeAll(*encoder, pop.b);
  const double encode_s = Seconds(t1);
  const size_t bytes = static_cast<size_t>(schema.ClkBytes());

  std::printf("\n## profile %s: %zu x %zu records, %zu true pairs, seed %llu\n", name.c_str(),
              pop.a.size(), pop.b.size(), pop.truth.size(),
              static_cast<unsigned long long>(args.seed));
  std::printf("(generated in %.1f s; encoded %zu records in %.1f s, %.0f records/s on 1 thread)\n",
              Seconds(t0) - encode_s, pop.a.size() + pop.b.size(), encode_s,
              static_cast<double>(pop.a.size() + pop.b.size()) / encode_s);

  const auto baseline = ExactMatchBaseline(pop.a, pop.b);
  const LinkageQuality bq = ScoreLinkage(baseline, pop.truth);
  std::printf("\n| method | threshold | precision | recall | F1 | pairs |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  std::printf("| exact normalised names + birth date | - | %.4f | %.4f | %.4f | %zu |\n",
              bq.precision(), bq.recall(), bq.f1(), bq.predicted);

  // Candidates once at the lowest threshold; a higher threshold keeps a prefix of each
  // record's best-first list, so filtering gives what linking at it would give.
  auto ma = ClkMatrix::Create(fa, bytes);
  auto mb = ClkMatrix::Create(fb, bytes);
  DiceOptions dice;
  dice.threshold = 0.5;
  dice.top_k = 10;
  auto all = DiceCandidates(*ma, *mb, dice);
  if (!all) std::exit(1);
  double best_f1 = -1;
  double best_t = 0;
  std::vector<DiceCandidate> best_pairs;
  for (double t : {0.55, 0.6, 0.65, 0.7, 0.75, 0.78, 0.8, 0.82, 0.84, 0.85, 0.86, 0.88, 0.9, 0.95}) {
    std::vector<DiceCandidate> kept;
    for (const auto& c : *all) {
      if (c.score() >= t) kept.push_back(c);
    }
    auto matched = GreedyMatch(std::move(kept));
    std::vector<Pair> pairs;
    for (const auto& m : matched) pairs.push_back({m.a, m.b});
    const LinkageQuality q = ScoreLinkage(pairs, pop.truth);
    std::printf("| CLK Dice, greedy 1:1 | %.2f | %.4f | %.4f | %.4f | %zu |\n", t, q.precision(),
                q.recall(), q.f1(), q.predicted);
    if (q.f1() > best_f1) {
      best_f1 = q.f1();
      best_t = t;
      best_pairs = matched;
    }
  }
  std::printf("\nbest F1 %.4f at threshold %.2f (baseline %.4f)\n", best_f1, best_t, bq.f1());
  if (args.oracle) {
    std::printf("\n| method | min weight | precision | recall | F1 | pairs |\n");
    std::printf("|---|---:|---:|---:|---:|---:|\n");
    DiceOptions wide;
    wide.threshold = 0.3;
    wide.top_k = 50;
    auto wide_pairs = DiceCandidates(*ma, *mb, wide);
    if (!wide_pairs) std::exit(1);
    PlaintextOracle(pop, *wide_pairs, {6, 8, 10, 12, 14, 16, 18, 20, 22});
  }

  // LSH blocking on the same CLKs, against exhaustive linkage at the best threshold.
  LinkageOptions link;
  link.dice.threshold = best_t;
  link.blocking = BlockingMethod::kNone;
  auto exhaustive = LinkOneToOne({fa, bytes}, {fb, bytes}, link);
  link.blocking = BlockingMethod::kLsh;
  const auto tb = std::chrono::steady_clock::now();
  auto blocked = LinkOneToOne({fa, bytes}, {fb, bytes}, link);
  const double blocked_s = Seconds(tb);
  if (exhaustive && blocked) {
    std::set<Pair> ex;
    for (const auto& p : exhaustive->pairs) ex.insert({p.a, p.b});
    size_t same = 0;
    std::vector<Pair> bp;
    for (const auto& p : blocked->pairs) {
      same += ex.count({p.a, p.b});
      bp.push_back({p.a, p.b});
    }
    const LinkageQuality q = ScoreLinkage(bp, pop.truth);
    std::printf("LSH blocking at %.2f: %zu tables, window %zu, %.3g comparisons (%.2f %% of all "
                "pairs), %.2f s; %zu of %zu exhaustive pairs found (recall %.4f); F1 %.4f\n",
                best_t, blocked->stats.tables, blocked->stats.window,
                static_cast<double>(blocked->stats.comparisons),
                100.0 * static_cast<double>(blocked->stats.comparisons) /
                    (static_cast<double>(pop.a.size()) * static_cast<double>(pop.b.size())),
                blocked_s, same, ex.size(),
                ex.empty() ? 1.0 : static_cast<double>(same) / static_cast<double>(ex.size()),
                q.f1());
  }

  if (args.misses > 0) {
    std::set<Pair> found;
    for (const auto& p : best_pairs) found.insert({p.a, p.b});
    std::set<Pair> truth(pop.truth.begin(), pop.truth.end());
    size_t shown = 0;
    std::printf("\nmissed true pairs at %.2f:\n", best_t);
    for (const auto& [i, j] : pop.truth) {
      if (found.contains({i, j}) || shown++ >= args.misses) continue;
      std::printf("  %.3f  %s\n         %s\n",
                  DiceScore(std::span(fa).subspan(i * bytes, bytes),
                            std::span(fb).subspan(j * bytes, bytes)),
                  Show(pop.a[i]).c_str(), Show(pop.b[j]).c_str());
    }
    shown = 0;
    std::printf("false pairs at %.2f:\n", best_t);
    for (const auto& p : best_pairs) {
      if (truth.contains({p.a, p.b}) || shown++ >= args.misses) continue;
      std::printf("  %.3f  %s\n         %s\n", p.score(), Show(pop.a[p.a]).c_str(),
                  Show(pop.b[p.b]).c_str());
    }
  }
}

}  // namespace
}  // namespace haven::privacy

int main(int argc, char** argv) {
  using namespace haven::privacy;
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--size") args.size = std::strtoull(value, nullptr, 10);
    else if (flag == "--overlap") args.overlap = std::strtoull(value, nullptr, 10);
    else if (flag == "--seed") args.seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--profile") args.profile = value;
    else if (flag == "--misses") args.misses = std::strtoull(value, nullptr, 10);
    else if (flag == "--oracle") args.oracle = std::string(value) == "on";
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  std::printf("# Linkage quality (default person schema, 1024-bit CLKs)\n");
  if (args.profile == "all" || args.profile == "spelling") {
    RunProfile("spelling only", CorruptionRates::SpellingOnly(), args);
  }
  if (args.profile == "all" || args.profile == "realistic") {
    RunProfile("realistic", CorruptionRates::Realistic(), args);
  }
  if (args.profile == "all" || args.profile == "hard") {
    RunProfile("hard", CorruptionRates::Hard(), args);
  }
  return 0;
}
