#pragma once
// Private to the Dice implementation (dice.cc, blocking.cc): the per-ISA kernels behind
// RunDiceKernel and the exact threshold test they share. Each kernel lives in its own
// file, compiled with the project's common flags; the instruction set is enabled per
// function with __attribute__((target(...))), and dice.cc only calls a kernel after
// checking the CPU for it.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "privacy/dice.h"

namespace haven::privacy::internal {

void DiceKernelScalar(const KernelArgs& args);
void DiceKernelAvx2(const KernelArgs& args);
void DiceKernelAvx512(const KernelArgs& args);

// The threshold pre-test of KernelArgs for one lane, shared by the scalar and AVX2
// kernels so that every path decides with the same integer formula.
inline bool PassesPretest(uint32_t count, uint32_t query_popcount, uint32_t target_popcount,
                          uint32_t t_lo) {
  return (static_cast<uint64_t>(count) << 17) >=
         static_cast<uint64_t>(t_lo) * (uint64_t{query_popcount} + target_popcount);
}

// The smallest intersection that reaches the threshold for each popcount sum, decided
// with exactly the expression DiceCandidate::score() uses, so that "is a candidate"
// and "score >= threshold" never disagree, whichever search (exhaustive or blocked)
// found the pair. kNever when no intersection can. Immutable; thread-safe.
class ThresholdTable {
 public:
  static constexpr uint32_t kNever = std::numeric_limits<uint32_t>::max();

  // REQUIRES: 0 < threshold <= 1; bits is the CLK length.
  ThresholdTable(double threshold, size_t bits);

  uint32_t min_count(size_t popcount_sum) const { return min_count_[popcount_sum]; }
  // The kernels' pre-test constant (KernelArgs::t_lo).
  uint32_t t_lo() const { return t_lo_; }
  double threshold() const { return threshold_; }

 private:
  double threshold_;
  std::vector<uint32_t> min_count_;
  uint32_t t_lo_ = 0;
};

}  // namespace haven::privacy::internal
