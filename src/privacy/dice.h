#pragma once
// Sørensen–Dice similarity of CLKs (clk.h), the comparison at the heart of Haven's
// privacy-preserving record linkage: Dice(a, b) = 2·|a ∧ b| / (|a| + |b|).
//
// The kernels count |a ∧ b| only; every score and every threshold decision is then made
// by the same integer code whatever the CPU, so the AVX-512, AVX2 and scalar paths give
// bit-identical results (dice_test checks it). Speed comes from three things:
//   * a layout made for the kernels (ClkMatrix): CLKs sorted by popcount and stored in
//     blocks of 8, word-major, so one vector register holds the same word of 8 CLKs and
//     no horizontal sums are needed;
//   * the popcount length filter: Dice(a, b) <= 2·min(|a|,|b|) / (|a|+|b|), so for each
//     query only a contiguous popcount range of the sorted targets can reach the
//     threshold, and the rest is never touched;
//   * a threshold test without a division per pair (a per-sum table of the least
//     intersection that reaches the threshold), tiles that stay in cache, and threads.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace haven::privacy {

enum class DiceKernel {
  kAuto,    // the fastest one this CPU has
  kScalar,  // portable C++ (uses the POPCNT instruction when the CPU has it)
  kAvx2,    // AVX2, nibble lookup with vpshufb
  kAvx512,  // AVX-512F with VPOPCNTDQ
};

std::string_view DiceKernelName(DiceKernel kernel);
// Parses "auto", "scalar", "avx2" or "avx512".
Result<DiceKernel> ParseDiceKernel(std::string_view name);
// Whether this CPU (and OS) can run the kernel. kAuto and kScalar always can.
bool DiceKernelAvailable(DiceKernel kernel);
// The concrete kernels this CPU can run, slowest first (kScalar is always there).
std::vector<DiceKernel> AvailableDiceKernels();
// What kAuto resolves to on this CPU.
DiceKernel BestDiceKernel();

// Dice of two CLKs of equal length; 0 when both are empty.
// REQUIRES: a.size() == b.size().
double DiceScore(std::span<const uint8_t> a, std::span<const uint8_t> b);

// A set of CLKs of one length, laid out for the kernels. Immutable after creation;
// thread-safe for concurrent reads. Move-only (it may hold hundreds of megabytes).
class ClkMatrix {
 public:
  // CLKs per block: one AVX-512 register holds one 64-bit word of each.
  static constexpr size_t kLanes = 8;

  // REQUIRES: every CLK has the same size in bytes (checked: kValidation otherwise),
  // at most 2^20 bits.
  static Result<ClkMatrix> Create(std::span<const std::vector<uint8_t>> clks);
  // The same from one flat buffer of count·clk_bytes bytes.
  static Result<ClkMatrix> Create(std::span<const uint8_t> flat, size_t clk_bytes);

  size_t size() const { return size_; }
  size_t bits() const { return words_ * 64; }
  size_t words() const { return words_; }
  // Position in sorted order → index in the input.
  uint32_t original_index(size_t sorted) const { return order_[sorted]; }
  uint32_t popcount(size_t sorted) const { return popcounts_[sorted]; }
  // Copies the words of the CLK at a sorted position.
  void Row(size_t sorted, uint64_t* out) const;

  // Internal layout, for the kernels: block b holds sorted CLKs 8b..8b+7; word j of
  // lane i is at blocks()[(b·words + j)·8 + i]. Padding lanes are zero.
  const uint64_t* blocks() const { return blocks_.get(); }
  // Popcounts in sorted order, padded to a multiple of kLanes with zeros.
  const uint32_t* popcounts() const { return popcounts_.data(); }
  // bucket_start(p) = first sorted position with popcount >= p, for p in [0, bits+1].
  size_t bucket_start(size_t p) const { return bucket_start_[p]; }

 private:
  // 64-byte aligned, so that a 512-bit row never straddles two cache lines.
  struct AlignedFree {
    void operator()(uint64_t* p) const;
  };

  ClkMatrix() = default;
  size_t size_ = 0;
  size_t words_ = 0;
  std::unique_ptr<uint64_t[], AlignedFree> blocks_;
  std::vector<uint32_t> popcounts_;
  std::vector<uint32_t> order_;
  std::vector<uint32_t> bucket_start_;
};

struct DiceOptions {
  // Pairs with Dice >= threshold are candidates. REQUIRES: 0 < threshold <= 1.
  double threshold = 0.8;
  // At most this many candidates are kept per record of A (the best ones; ties go to
  // the lower index of B). 0 keeps all of them.
  size_t top_k = 10;
  // Worker threads; 0 uses std::thread::hardware_concurrency().
  unsigned threads = 0;
  // Which kernel to run; all give identical results.
  DiceKernel kernel = DiceKernel::kAuto;
};

// A pair of records at or above the threshold. Indices are positions in the inputs
// given to ClkMatrix::Create.
struct DiceCandidate {
  uint32_t a = 0;
  uint32_t b = 0;
  uint32_t intersection = 0;  // |a ∧ b|
  uint32_t popcount_sum = 0;  // |a| + |b|
  double score() const {
    return popcount_sum == 0 ? 0.0 : 2.0 * intersection / static_cast<double>(popcount_sum);
  }
  friend bool operator==(const DiceCandidate&, const DiceCandidate&) = default;
};

// Exact order on scores (by cross-multiplication, no rounding): true when x scores
// higher than y; equal scores are ordered by a, then b, so sorting is deterministic.
bool BetterCandidate(const DiceCandidate& x, const DiceCandidate& y);

// Every pair (a in A, b in B) at or above the threshold, at most top_k per a, sorted
// by a and then best first. Threads work on tiles of A; the result does not depend on
// the number of threads or the kernel.
// REQUIRES: a.bits() == b.bits() (kValidation otherwise).
Result<std::vector<DiceCandidate>> DiceCandidates(const ClkMatrix& a, const ClkMatrix& b,
                                                  const DiceOptions& options);

// The same for one query CLK against B; candidates have a == 0.
Result<std::vector<DiceCandidate>> DiceOneToMany(std::span<const uint8_t> query,
                                                 const ClkMatrix& b,
                                                 const DiceOptions& options);

// Greedy one-to-one matching: takes candidates best first and keeps a pair when
// neither side is matched yet. Returns the kept pairs, best first.
std::vector<DiceCandidate> GreedyMatch(std::vector<DiceCandidate> candidates);

// The per-block kernel, exposed for tests and benchmarks. For each of `block_count`
// consecutive blocks of `targets` (ClkMatrix layout, `words` words per CLK) writes
// counts[8·b + i] = |query ∧ target_i| and sets bit i of masks[b] when
//   2·count·2^16 >= t_lo·(query_popcount + target_popcount)
// — a superset of the lanes that reach the threshold when t_lo <= threshold·2^16.
struct KernelArgs {
  const uint64_t* query = nullptr;
  uint32_t query_popcount = 0;
  const uint64_t* targets = nullptr;  // first block
  const uint32_t* target_popcounts = nullptr;  // of the first block's lanes
  size_t words = 0;
  size_t block_count = 0;
  uint32_t t_lo = 0;
  uint32_t* counts = nullptr;
  uint8_t* masks = nullptr;
};
void RunDiceKernel(DiceKernel kernel, const KernelArgs& args);

}  // namespace haven::privacy
