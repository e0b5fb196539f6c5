// AVX2 kernel: AVX2 has no vector popcount, so each byte is counted with two 4-bit
// table lookups (vpshufb) and the byte counts are summed with vpsadbw. Byte counters
// hold at most 8 per word, so they are flushed to 64-bit lanes every 31 words before
// they could overflow.

#include <immintrin.h>

#include "privacy/dice_kernels.h"

namespace haven::privacy::internal {
namespace {

#define HAVEN_AVX2 __attribute__((target("avx2")))

constexpr size_t kFlushEvery = 31;  // 31 * 8 = 248 < 256

HAVEN_AVX2 inline __m256i ByteCounts(__m256i x) {
  const __m256i lookup = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
                                          0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  __m256i lo = _mm256_shuffle_epi8(lookup, _mm256_and_si256(x, low));
  __m256i hi = _mm256_shuffle_epi8(lookup, _mm256_and_si256(_mm256_srli_epi16(x, 4), low));
  return _mm256_add_epi8(lo, hi);
}

template <size_t kWords>
HAVEN_AVX2 void Run(const KernelArgs& a) {
  const size_t words = kWords != 0 ? kWords : a.words;
  const size_t stride = words * 8;
  alignas(32) uint64_t lanes[8];
  for (size_t b = 0; b < a.block_count; ++b) {
    const uint64_t* p = a.targets + b * stride;
    __m256i sum_lo = _mm256_setzero_si256();  // lanes 0-3, 64-bit
    __m256i sum_hi = _mm256_setzero_si256();  // lanes 4-7
    size_t j = 0;
    while (j < words) {
      size_t end = j + kFlushEvery < words ? j + kFlushEvery : words;
      __m256i bytes_lo = _mm256_setzero_si256();
      __m256i bytes_hi = _mm256_setzero_si256();
      for (; j < end; ++j) {
        const __m256i q = _mm256_set1_epi64x(static_cast<long long>(a.query[j]));
        const __m256i* row = reinterpret_cast<const __m256i*>(p + 8 * j);
        bytes_lo = _mm256_add_epi8(bytes_lo,
                                   ByteCounts(_mm256_and_si256(q, _mm256_loadu_si256(row))));
        bytes_hi = _mm256_add_epi8(
            bytes_hi, ByteCounts(_mm256_and_si256(q, _mm256_loadu_si256(row + 1))));
      }
      sum_lo = _mm256_add_epi64(sum_lo, _mm256_sad_epu8(bytes_lo, _mm256_setzero_si256()));
      sum_hi = _mm256_add_epi64(sum_hi, _mm256_sad_epu8(bytes_hi, _mm256_setzero_si256()));
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), sum_lo);
    _mm256_store_si256(reinterpret_cast<__m256i*>(lanes + 4), sum_hi);
    uint8_t mask = 0;
    for (size_t i = 0; i < 8; ++i) {
      auto count = static_cast<uint32_t>(lanes[i]);
      a.counts[8 * b + i] = count;
      if (PassesPretest(count, a.query_popcount, a.target_popcounts[8 * b + i], a.t_lo)) {
        mask = static_cast<uint8_t>(mask | (1u << i));
      }
    }
    a.masks[b] = mask;
  }
}

}  // namespace

HAVEN_AVX2 void DiceKernelAvx2(const KernelArgs& args) {
  switch (args.words) {
    case 8: Run<8>(args); break;
    case 16: Run<16>(args); break;
    default: Run<0>(args); break;
  }
}

}  // namespace haven::privacy::internal
