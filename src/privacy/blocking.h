#pragma once
// Blocking for linking large sets of CLKs, and the one-to-one linkage that uses it.
//
// Comparing every pair is exact but quadratic: 10^12 pairs for 1,000,000 × 1,000,000
// records, about 7 minutes on two cores with the AVX-512 kernel and longer elsewhere.
// Blocking compares only pairs that are likely to match, found without comparing.
//
// Haven's blocking is Λ-fold Hamming LSH by bit sampling (Karapiperis & Verykios), in a
// sorted-window form that suits the SIMD kernels (dice.h):
//   * each of Λ "tables" samples 64 bit positions of the CLK (fixed by a seed) and
//     reads them as a 64-bit key, first sampled bit most significant;
//   * both sets are sorted by that key, so CLKs that agree on many sampled bits lie
//     close together; each record of A is compared with the `window` records of B
//     around its own place in B's order (one contiguous run of kernel blocks, so the
//     kernels run at full speed and the window stays in L1);
//   * a pair is a candidate when some table brought it into a window and its Dice
//     reaches the threshold; repeats across tables are removed.
// Two CLKs at Dice d with popcounts pa, pb agree on a sampled bit with probability
// p = 1 − (1 − d)(pa + pb)/bits, and share a window in one table roughly when they
// agree on the first log2(2·|B|/window) sampled bits, so Λ tables find the pair with
// probability 1 − (1 − p^depth)^Λ; LshTablesFor picks Λ from that for a target recall.
// Plain bucketing on a fixed number of key bits would do the same, but skew (very
// common names and birth years set the same bits) makes some buckets huge and the
// work quadratic in them; a window bounds the work per record at `window` comparisons
// whatever the skew.
//
// Every pair the blocked search reports carries exactly the counts and score that the
// exhaustive search (DiceCandidates) gives it; blocking can only miss pairs. The recall
// against exhaustive linkage is measured in bench/linkage_bench.cc and bench/RESULTS.md.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "privacy/dice.h"

namespace haven::privacy {

// CLKs of one length stored one after another in input order (e.g. as read from a file).
// A non-owning view: the bytes must outlive it. Thread-safe for concurrent reads.
struct ClkRows {
  std::span<const uint8_t> flat;
  size_t clk_bytes = 0;

  size_t size() const { return clk_bytes == 0 ? 0 : flat.size() / clk_bytes; }
  std::span<const uint8_t> row(size_t i) const { return flat.subspan(i * clk_bytes, clk_bytes); }
};

enum class BlockingMethod {
  kAuto,  // exhaustive while |A|·|B| <= LinkageOptions::exhaustive_max_pairs, LSH above
  kNone,  // compare every pair: exact, quadratic
  kLsh,   // sorted-window Hamming LSH (above)
};

std::string_view BlockingMethodName(BlockingMethod method);
// Parses "auto", "none" or "lsh".
Result<BlockingMethod> ParseBlockingMethod(std::string_view name);

struct LshOptions {
  // Number of tables (Λ). 0 lets LshTablesFor choose from the sizes, the threshold and
  // target_recall.
  size_t tables = 0;
  // Records of B compared with each record of A per table. Larger windows find pairs
  // in fewer tables, but every table costs |A|·window comparisons; 256 CLKs of 1024
  // bits are 32 KiB, what the kernels can stream from L1. REQUIRES: a multiple of 8,
  // at least 8.
  size_t window = 256;
  // When tables is 0: the share of pairs exactly at the threshold that should be found.
  // Pairs above the threshold agree on more bits and are found more often.
  double target_recall = 0.99;
  // Fixes the sampled bit positions. The same seed gives the same pairs on every run,
  // machine and thread count. The positions are not secret: they say which bits are
  // compared first, nothing about what the bits encode.
  uint64_t seed = 0x6861'7665'6e2d'6c73ULL;
};

// Work done by a blocked search, for progress reports and benchmarks.
struct BlockingStats {
  size_t tables = 0;
  size_t window = 0;
  // Dice comparisons made by the kernels (window lanes), counting repeats across tables.
  uint64_t comparisons = 0;
  // Pairs at or above the threshold before repeats were removed.
  uint64_t hits = 0;
};

// The number of tables LSH blocking needs so that a pair exactly at `threshold`, with
// the given mean popcounts, is found with probability target_recall. Between 1 and 512.
size_t LshTablesFor(size_t size_a, size_t size_b, size_t bits, double mean_popcount_a,
                    double mean_popcount_b, double threshold, const LshOptions& options);

// The pairs (a in A, b in B) at or above the threshold that LSH blocking brings together,
// at most top_k per a, sorted by a and then best first: the contract of DiceCandidates,
// over the pairs found. Threads work on tables; the result does not depend on their
// number or on the kernel. Memory beyond the inputs: per thread, one copy of B plus 32
// bytes per record of A and B.
// REQUIRES: a and b have the same clk_bytes (kValidation otherwise).
Result<std::vector<DiceCandidate>> LshDiceCandidates(ClkRows a, ClkRows b,
                                                     const DiceOptions& options,
                                                     const LshOptions& lsh,
                                                     BlockingStats* stats = nullptr);

struct LinkageOptions {
  // Threshold, top-k before the one-to-one step, threads and kernel.
  DiceOptions dice;
  BlockingMethod blocking = BlockingMethod::kAuto;
  LshOptions lsh;
  // kAuto compares everything up to this many pairs (about 8 s on one core with the
  // AVX-512 kernel, where LSH's own overhead would save little) and uses LSH above.
  double exhaustive_max_pairs = 1e10;
};

struct LinkageResult {
  // One-to-one pairs, best first (GreedyMatch over the candidates).
  std::vector<DiceCandidate> pairs;
  // Candidates before the one-to-one step.
  size_t candidate_count = 0;
  // kNone or kLsh: what kAuto chose.
  BlockingMethod method_used = BlockingMethod::kNone;
  // Filled when LSH ran.
  BlockingStats stats;
};

// Links two sets of CLKs one-to-one: candidates by exhaustive or blocked search, then
// the greedy one-to-one step. What `haven link clks` and the quality benchmark run.
Result<LinkageResult> LinkOneToOne(ClkRows a, ClkRows b, const LinkageOptions& options);

}  // namespace haven::privacy
