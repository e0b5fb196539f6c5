#pragma once
// Private to the Dice implementation: the per-ISA kernels behind RunDiceKernel. Each
// lives in its own file, compiled with the project's common flags; the instruction set
// is enabled per function with __attribute__((target(...))), and dice.cc only calls a
// kernel after checking the CPU for it.

#include <bit>
#include <cstdint>

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

}  // namespace haven::privacy::internal
