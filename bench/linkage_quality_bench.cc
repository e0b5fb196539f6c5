// Linkage quality on synthetic populations with ground truth (src/privacy/population.h):
// precision, recall and F1 of Haven's CLK linkage (default person schema, Dice, greedy
// one-to-one) at several thresholds, beside exact matching on normalised names and birth
// date as the baseline; and the recall of LSH blocking against exhaustive linkage on the
// same CLKs. A plain program (quality is not a timing); results go into bench/RESULTS.md.
//
//   linkage_quality_bench [--size N] [--overlap M] [--seed S] [--profile P] [--misses K]
//     --size     records per organisation (default 10000)
//     --overlap  people registered by both (default half of size)
//     --profile  realistic | hard | spelling | all (default all)
//     --misses   print K missed true pairs and K false pairs at the best threshold

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
  for (double t : {0.55, 0.6, 0.65, 0.7, 0.72, 0.75, 0.78, 0.8, 0.85, 0.9, 0.95}) {
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
