// AVX-512 kernel: one 512-bit register holds the same 64-bit word of the 8 CLKs of a
// block, so AND + VPOPCNTQ + ADD over the words leaves the 8 intersection counts in
// the 8 lanes with no horizontal sum. Four blocks are in flight at once to hide the
// latency of VPOPCNTQ. Known word counts (8 for 512-bit CLKs, 16 for 1024-bit ones)
// are compiled with the loop fully unrolled.

// GCC 12's own AVX-512 intrinsic headers trip -Wmaybe-uninitialized when inlined
// (GCC bug 105593); the warning is about the header, not this code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "privacy/dice_kernels.h"

namespace haven::privacy::internal {
namespace {

#define HAVEN_AVX512 __attribute__((target("avx512f,avx512vpopcntdq")))

HAVEN_AVX512 inline void Finish(const KernelArgs& a, size_t block, __m512i counts) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(a.counts + 8 * block),
                      _mm512_cvtepi64_epi32(counts));
  __m512i target_pop = _mm512_cvtepu32_epi64(
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.target_popcounts + 8 * block)));
  __m512i sum = _mm512_add_epi64(target_pop, _mm512_set1_epi64(a.query_popcount));
  __m512i rhs = _mm512_mul_epu32(sum, _mm512_set1_epi64(a.t_lo));
  __m512i lhs = _mm512_slli_epi64(counts, 17);
  a.masks[block] = static_cast<uint8_t>(_mm512_cmpge_epu64_mask(lhs, rhs));
}

template <size_t kWords>
HAVEN_AVX512 void Run(const KernelArgs& a) {
  const size_t words = kWords != 0 ? kWords : a.words;
  const size_t stride = words * 8;
  size_t b = 0;
  for (; b + 4 <= a.block_count; b += 4) {
    const uint64_t* p = a.targets + b * stride;
    __m512i acc0 = _mm512_setzero_si512();
    __m512i acc1 = _mm512_setzero_si512();
    __m512i acc2 = _mm512_setzero_si512();
    __m512i acc3 = _mm512_setzero_si512();
    for (size_t j = 0; j < words; ++j) {
      const __m512i q = _mm512_set1_epi64(static_cast<long long>(a.query[j]));
      acc0 = _mm512_add_epi64(acc0, _mm512_popcnt_epi64(_mm512_and_si512(
                                        q, _mm512_loadu_si512(p + 8 * j))));
      acc1 = _mm512_add_epi64(acc1, _mm512_popcnt_epi64(_mm512_and_si512(
                                        q, _mm512_loadu_si512(p + stride + 8 * j))));
      acc2 = _mm512_add_epi64(acc2, _mm512_popcnt_epi64(_mm512_and_si512(
                                        q, _mm512_loadu_si512(p + 2 * stride + 8 * j))));
      acc3 = _mm512_add_epi64(acc3, _mm512_popcnt_epi64(_mm512_and_si512(
                                        q, _mm512_loadu_si512(p + 3 * stride + 8 * j))));
    }
    Finish(a, b, acc0);
    Finish(a, b + 1, acc1);
    Finish(a, b + 2, acc2);
    Finish(a, b + 3, acc3);
  }
  for (; b < a.block_count; ++b) {
    const uint64_t* p = a.targets + b * stride;
    __m512i acc = _mm512_setzero_si512();
    for (size_t j = 0; j < words; ++j) {
      const __m512i q = _mm512_set1_epi64(static_cast<long long>(a.query[j]));
      acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(_mm512_and_si512(
                                      q, _mm512_loadu_si512(p + 8 * j))));
    }
    Finish(a, b, acc);
  }
}

}  // namespace

HAVEN_AVX512 void DiceKernelAvx512(const KernelArgs& args) {
  switch (args.words) {
    case 8: Run<8>(args); break;
    case 16: Run<16>(args); break;
    case 32: Run<32>(args); break;
    default: Run<0>(args); break;
  }
}

}  // namespace haven::privacy::internal

#pragma GCC diagnostic pop
