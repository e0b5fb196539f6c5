#include "privacy/dice.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <thread>

#include "privacy/dice_kernels.h"

namespace haven::privacy {
namespace internal {
namespace {

// The scalar kernel body; inlined into a POPCNT-enabled copy and a portable one.
template <size_t kWords>
inline __attribute__((always_inline)) void ScalarBody(const KernelArgs& a) {
  const size_t words = kWords != 0 ? kWords : a.words;
  const size_t stride = words * ClkMatrix::kLanes;
  for (size_t b = 0; b < a.block_count; ++b) {
    const uint64_t* p = a.targets + b * stride;
    uint32_t counts[ClkMatrix::kLanes] = {};
    for (size_t j = 0; j < words; ++j) {
      const uint64_t q = a.query[j];
      for (size_t i = 0; i < ClkMatrix::kLanes; ++i) {
        counts[i] += static_cast<uint32_t>(std::popcount(q & p[8 * j + i]));
      }
    }
    uint8_t mask = 0;
    for (size_t i = 0; i < ClkMatrix::kLanes; ++i) {
      a.counts[8 * b + i] = counts[i];
      if (PassesPretest(counts[i], a.query_popcount, a.target_popcounts[8 * b + i], a.t_lo)) {
        mask = static_cast<uint8_t>(mask | (1u << i));
      }
    }
    a.masks[b] = mask;
  }
}

__attribute__((target("popcnt"))) void ScalarPopcnt(const KernelArgs& a) {
  if (a.words == 16) return ScalarBody<16>(a);
  ScalarBody<0>(a);
}

void ScalarPortable(const KernelArgs& a) { ScalarBody<0>(a); }

}  // namespace

ThresholdTable::ThresholdTable(double threshold, size_t bits)
    : threshold_(threshold), min_count_(2 * bits + 1) {
  for (size_t s = 0; s < min_count_.size(); ++s) {
    if (s == 0) {
      min_count_[s] = kNever;
      continue;
    }
    auto reaches = [&](uint64_t c) {
      return 2.0 * static_cast<double>(c) / static_cast<double>(s) >= threshold;
    };
    auto c = static_cast<uint64_t>(std::ceil(threshold * static_cast<double>(s) / 2.0));
    while (c > 0 && reaches(c - 1)) --c;
    while (c <= s / 2 && !reaches(c)) ++c;
    min_count_[s] = c <= s / 2 ? static_cast<uint32_t>(c) : kNever;
  }
  // A little below threshold·2^16, so the kernels' pre-test never drops a pair that
  // the exact test would keep (see KernelArgs).
  double scaled = std::floor(threshold * 65536.0) - 1.0;
  t_lo_ = scaled > 0 ? static_cast<uint32_t>(scaled) : 0;
}

void DiceKernelScalar(const KernelArgs& args) {
  static const bool has_popcnt = __builtin_cpu_supports("popcnt");
  if (has_popcnt) {
    ScalarPopcnt(args);
  } else {
    ScalarPortable(args);
  }
}

}  // namespace internal

namespace {

using internal::ThresholdTable;
using KernelFn = void (*)(const KernelArgs&);

// 64-byte alignment keeps every 512-bit row load inside one cache line.
template <typename T>
struct CacheAligned {
  using value_type = T;
  CacheAligned() = default;
  template <typename U>
  CacheAligned(const CacheAligned<U>&) {}
  T* allocate(size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{64}));
  }
  void deallocate(T* p, size_t) { ::operator delete(p, std::align_val_t{64}); }
  friend bool operator==(const CacheAligned&, const CacheAligned&) { return true; }
};

constexpr size_t kMaxBits = size_t{1} << 20;
// Queries per tile: the unit of work of one thread, and how often a tile of targets is
// reused from cache before the next one is loaded.
constexpr size_t kQueryTile = 256;
// Bytes of targets per tile. The kernels read every target word once per query, faster
// than L2 can deliver (AVX-512 needs ~128 bytes per comparison at 1 comparison per
// cycle), so a tile must stay in L1: 32 KiB is 256 CLKs of 1024 bits.
constexpr size_t kTargetTileBytes = 32 * 1024;

KernelFn ResolveKernel(DiceKernel kernel) {
  switch (kernel) {
    case DiceKernel::kAuto: return ResolveKernel(BestDiceKernel());
    case DiceKernel::kScalar: return &internal::DiceKernelScalar;
    case DiceKernel::kAvx2: return &internal::DiceKernelAvx2;
    case DiceKernel::kAvx512: return &internal::DiceKernelAvx512;
  }
  return &internal::DiceKernelScalar;
}

// Sorted positions of B whose popcount can reach the threshold against a query of
// popcount pa: since |a ∧ b| <= min(pa, pb), that is a contiguous popcount range.
struct SortedRange {
  size_t begin = 0;
  size_t end = 0;
};

SortedRange CandidateRange(const ThresholdTable& table, const ClkMatrix& b, uint32_t pa) {
  const size_t bits = b.bits();
  size_t lo = bits + 1;
  size_t hi = 0;
  for (size_t pb = 0; pb <= bits; ++pb) {
    uint32_t need = table.min_count(pa + pb);
    if (need != ThresholdTable::kNever && std::min<size_t>(pa, pb) >= need) {
      lo = std::min(lo, pb);
      hi = pb;
    }
  }
  if (lo > hi) return {};
  return {b.bucket_start(lo), b.bucket_start(hi + 1)};
}

// The best top_k candidates of one query, kept as a heap with the worst on top.
class TopK {
 public:
  explicit TopK(size_t k) : k_(k) {}
  void Offer(const DiceCandidate& c) {
    if (k_ == 0) {
      items_.push_back(c);
      return;
    }
    if (items_.size() < k_) {
      items_.push_back(c);
      std::push_heap(items_.begin(), items_.end(), BetterCandidate);
    } else if (BetterCandidate(c, items_.front())) {
      std::pop_heap(items_.begin(), items_.end(), BetterCandidate);
      items_.back() = c;
      std::push_heap(items_.begin(), items_.end(), BetterCandidate);
    }
  }
  std::vector<DiceCandidate>& items() { return items_; }

 private:
  size_t k_;
  std::vector<DiceCandidate> items_;
};

// Scratch space of one worker.
struct Scratch {
  std::vector<uint64_t, CacheAligned<uint64_t>> query;
  std::vector<uint32_t> counts;
  std::vector<uint8_t> masks;
};

// Compares one query with the sorted targets [begin, end) of B and offers every pair
// that reaches the threshold.
void ScanTargets(KernelFn kernel, const ThresholdTable& table, const ClkMatrix& b,
                 const uint64_t* query, uint32_t query_popcount, uint32_t query_index,
                 size_t begin, size_t end, Scratch& scratch, TopK& top) {
  if (begin >= end) return;
  const size_t first_block = begin / ClkMatrix::kLanes;
  const size_t last_block = (end + ClkMatrix::kLanes - 1) / ClkMatrix::kLanes;
  const size_t block_count = last_block - first_block;
  if (scratch.masks.size() < block_count) {
    scratch.masks.resize(block_count);
    scratch.counts.resize(block_count * ClkMatrix::kLanes);
  }
  KernelArgs args;
  args.query = query;
  args.query_popcount = query_popcount;
  args.targets = b.blocks() + first_block * b.words() * ClkMatrix::kLanes;
  args.target_popcounts = b.popcounts() + first_block * ClkMatrix::kLanes;
  args.words = b.words();
  args.block_count = block_count;
  args.t_lo = table.t_lo();
  args.counts = scratch.counts.data();
  args.masks = scratch.masks.data();
  kernel(args);

  for (size_t blk = 0; blk < block_count; ++blk) {
    uint32_t mask = scratch.masks[blk];
    while (mask != 0) {
      const unsigned lane = static_cast<unsigned>(std::countr_zero(mask));
      mask &= mask - 1;
      const size_t sorted = (first_block + blk) * ClkMatrix::kLanes + lane;
      if (sorted < begin || sorted >= end) continue;
      const uint32_t count = scratch.counts[blk * ClkMatrix::kLanes + lane];
      const uint32_t sum = query_popcount + b.popcount(sorted);
      if (count < table.min_count(sum)) continue;
      top.Offer({query_index, b.original_index(sorted), count, sum});
    }
  }
}

Status CheckOptions(const DiceOptions& options) {
  if (!(options.threshold > 0.0 && options.threshold <= 1.0)) {
    return Invalid("threshold", "the threshold must be in (0, 1]");
  }
  if (!DiceKernelAvailable(options.kernel)) {
    return Fail(ErrorCode::kUnprocessable, "kernel_unavailable",
                "this CPU cannot run the " + std::string(DiceKernelName(options.kernel)) +
                    " kernel",
                "kernel");
  }
  return {};
}

}  // namespace

std::string_view DiceKernelName(DiceKernel kernel) {
  switch (kernel) {
    case DiceKernel::kAuto: return "auto";
    case DiceKernel::kScalar: return "scalar";
    case DiceKernel::kAvx2: return "avx2";
    case DiceKernel::kAvx512: return "avx512";
  }
  return "auto";
}

Result<DiceKernel> ParseDiceKernel(std::string_view name) {
  for (DiceKernel k :
       {DiceKernel::kAuto, DiceKernel::kScalar, DiceKernel::kAvx2, DiceKernel::kAvx512}) {
    if (name == DiceKernelName(k)) return k;
  }
  return Invalid("kernel", "must be auto, scalar, avx2 or avx512");
}

bool DiceKernelAvailable(DiceKernel kernel) {
  switch (kernel) {
    case DiceKernel::kAuto:
    case DiceKernel::kScalar:
      return true;
    case DiceKernel::kAvx2:
      return __builtin_cpu_supports("avx2");
    case DiceKernel::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
  }
  return false;
}

std::vector<DiceKernel> AvailableDiceKernels() {
  std::vector<DiceKernel> kernels;
  for (DiceKernel k : {DiceKernel::kScalar, DiceKernel::kAvx2, DiceKernel::kAvx512}) {
    if (DiceKernelAvailable(k)) kernels.push_back(k);
  }
  return kernels;
}

DiceKernel BestDiceKernel() { return AvailableDiceKernels().back(); }

void RunDiceKernel(DiceKernel kernel, const KernelArgs& args) { ResolveKernel(kernel)(args); }

double DiceScore(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  uint32_t both = 0;
  uint32_t sum = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    both += static_cast<uint32_t>(std::popcount(static_cast<uint8_t>(a[i] & b[i])));
    sum += static_cast<uint32_t>(std::popcount(a[i]) + std::popcount(b[i]));
  }
  return DiceCandidate{0, 0, both, sum}.score();
}

bool BetterCandidate(const DiceCandidate& x, const DiceCandidate& y) {
  // x.i/x.s > y.i/y.s  <=>  x.i·y.s > y.i·x.s  (sums are positive for candidates)
  const uint64_t left = uint64_t{x.intersection} * y.popcount_sum;
  const uint64_t right = uint64_t{y.intersection} * x.popcount_sum;
  if (left != right) return left > right;
  if (x.a != y.a) return x.a < y.a;
  return x.b < y.b;
}

Result<ClkMatrix> ClkMatrix::Create(std::span<const std::vector<uint8_t>> clks) {
  if (clks.empty()) return Create(std::span<const uint8_t>(), 1);
  const size_t clk_bytes = clks.front().size();
  std::vector<uint8_t> flat;
  flat.reserve(clks.size() * clk_bytes);
  for (size_t i = 0; i < clks.size(); ++i) {
    if (clks[i].size() != clk_bytes) {
      return Invalid("clk", "CLK " + std::to_string(i) + " has " +
                                std::to_string(clks[i].size() * 8) + " bits, expected " +
                                std::to_string(clk_bytes * 8));
    }
    flat.insert(flat.end(), clks[i].begin(), clks[i].end());
  }
  return Create(flat, clk_bytes);
}

Result<ClkMatrix> ClkMatrix::Create(std::span<const uint8_t> flat, size_t clk_bytes) {
  if (clk_bytes == 0 || clk_bytes * 8 > kMaxBits) {
    return Invalid("clk", "CLK length must be between 8 and 2^20 bits");
  }
  if (flat.size() % clk_bytes != 0) return Invalid("clk", "buffer is not a whole number of CLKs");
  const size_t n = flat.size() / clk_bytes;
  if (n >= std::numeric_limits<uint32_t>::max()) return Invalid("clk", "too many CLKs");

  ClkMatrix m;
  m.size_ = n;
  m.words_ = (clk_bytes + 7) / 8;
  const size_t bits = m.words_ * 64;

  std::vector<uint32_t> popcounts(n);
  for (size_t i = 0; i < n; ++i) {
    uint32_t c = 0;
    for (size_t k = 0; k < clk_bytes; ++k) c += static_cast<uint32_t>(std::popcount(flat[i * clk_bytes + k]));
    popcounts[i] = c;
  }
  // Counting sort by popcount; stable, so ties keep input order.
  m.bucket_start_.assign(bits + 2, 0);
  for (uint32_t c : popcounts) ++m.bucket_start_[c + 1];
  for (size_t p = 1; p < m.bucket_start_.size(); ++p) m.bucket_start_[p] += m.bucket_start_[p - 1];
  m.order_.resize(n);
  {
    std::vector<uint32_t> next(m.bucket_start_.begin(), m.bucket_start_.end() - 1);
    for (size_t i = 0; i < n; ++i) m.order_[next[popcounts[i]]++] = static_cast<uint32_t>(i);
  }

  const size_t blocks = (n + kLanes - 1) / kLanes;
  const size_t total_words = std::max<size_t>(1, blocks * m.words_ * kLanes);
  m.blocks_.reset(static_cast<uint64_t*>(
      ::operator new(total_words * sizeof(uint64_t), std::align_val_t{64})));
  std::memset(m.blocks_.get(), 0, total_words * sizeof(uint64_t));
  m.popcounts_.assign(blocks * kLanes, 0);
  for (size_t s = 0; s < n; ++s) {
    const uint8_t* clk = flat.data() + size_t{m.order_[s]} * clk_bytes;
    m.popcounts_[s] = popcounts[m.order_[s]];
    const size_t base = (s / kLanes) * m.words_ * kLanes + s % kLanes;
    for (size_t j = 0; j < m.words_; ++j) {
      uint64_t word = 0;
      const size_t offset = j * 8;
      std::memcpy(&word, clk + offset, std::min<size_t>(8, clk_bytes - offset));
      m.blocks_[base + j * kLanes] = word;
    }
  }
  return m;
}

void ClkMatrix::AlignedFree::operator()(uint64_t* p) const {
  ::operator delete(p, std::align_val_t{64});
}

void ClkMatrix::Row(size_t sorted, uint64_t* out) const {
  const size_t base = (sorted / kLanes) * words_ * kLanes + sorted % kLanes;
  for (size_t j = 0; j < words_; ++j) out[j] = blocks_[base + j * kLanes];
}

Result<std::vector<DiceCandidate>> DiceCandidates(const ClkMatrix& a, const ClkMatrix& b,
                                                  const DiceOptions& options) {
  TRY_STATUS(CheckOptions(options));
  if (a.size() == 0 || b.size() == 0) return std::vector<DiceCandidate>();
  if (a.words() != b.words()) return Invalid("clk", "the two sets have CLKs of different lengths");

  const KernelFn kernel = ResolveKernel(options.kernel);
  const ThresholdTable table(options.threshold, b.bits());
  // Ranges depend only on the query's popcount; compute each once.
  std::vector<SortedRange> ranges(a.bits() + 1);
  std::vector<bool> have_range(a.bits() + 1, false);
  for (size_t s = 0; s < a.size(); ++s) {
    uint32_t pa = a.popcount(s);
    if (!have_range[pa]) {
      ranges[pa] = CandidateRange(table, b, pa);
      have_range[pa] = true;
    }
  }

  const size_t tiles = (a.size() + kQueryTile - 1) / kQueryTile;
  std::vector<std::vector<DiceCandidate>> per_tile(tiles);
  std::atomic<size_t> next_tile{0};
  auto worker = [&] {
    Scratch scratch;
    scratch.query.resize(a.words());
    std::vector<uint64_t, CacheAligned<uint64_t>> queries;
    while (true) {
      const size_t tile = next_tile.fetch_add(1);
      if (tile >= tiles) break;
      const size_t q_begin = tile * kQueryTile;
      const size_t q_end = std::min(a.size(), q_begin + kQueryTile);
      const size_t q_count = q_end - q_begin;
      queries.resize(q_count * a.words());
      std::vector<TopK> tops(q_count, TopK(options.top_k));
      size_t lo = b.size();
      size_t hi = 0;
      for (size_t q = 0; q < q_count; ++q) {
        a.Row(q_begin + q, queries.data() + q * a.words());
        const SortedRange& r = ranges[a.popcount(q_begin + q)];
        if (r.begin < r.end) {
          lo = std::min(lo, r.begin);
          hi = std::max(hi, r.end);
        }
      }
      // Targets in cache-sized tiles; every query of the tile takes its share of each.
      const size_t tile_span =
          std::max<size_t>(1, kTargetTileBytes / (b.words() * 8 * ClkMatrix::kLanes)) *
          ClkMatrix::kLanes;
      for (size_t t_begin = lo - lo % ClkMatrix::kLanes; t_begin < hi; t_begin += tile_span) {
        const size_t t_end = std::min(hi, t_begin + tile_span);
        for (size_t q = 0; q < q_count; ++q) {
          const uint32_t pa = a.popcount(q_begin + q);
          const SortedRange& r = ranges[pa];
          ScanTargets(kernel, table, b, queries.data() + q * a.words(), pa,
                      a.original_index(q_begin + q), std::max(r.begin, t_begin),
                      std::min(r.end, t_end), scratch, tops[q]);
        }
      }
      auto& out = per_tile[tile];
      for (auto& top : tops) out.insert(out.end(), top.items().begin(), top.items().end());
    }
  };

  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::clamp<unsigned>(threads, 1, static_cast<unsigned>(std::max<size_t>(tiles, 1)));
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  }

  std::vector<DiceCandidate> all;
  for (auto& v : per_tile) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end(), [](const DiceCandidate& x, const DiceCandidate& y) {
    if (x.a != y.a) return x.a < y.a;
    return BetterCandidate(x, y);
  });
  return all;
}

Result<std::vector<DiceCandidate>> DiceOneToMany(std::span<const uint8_t> query,
                                                 const ClkMatrix& b, const DiceOptions& options) {
  TRY_STATUS(CheckOptions(options));
  if ((query.size() + 7) / 8 != b.words() && b.size() != 0) {
    return Invalid("clk", "the query CLK has a different length");
  }
  if (b.size() == 0) return std::vector<DiceCandidate>();
  Scratch scratch;
  scratch.query.assign(b.words(), 0);
  std::memcpy(scratch.query.data(), query.data(), query.size());
  uint32_t pa = 0;
  for (uint64_t w : scratch.query) pa += static_cast<uint32_t>(std::popcount(w));
  const ThresholdTable table(options.threshold, b.bits());
  const SortedRange r = CandidateRange(table, b, pa);
  TopK top(options.top_k);
  ScanTargets(ResolveKernel(options.kernel), table, b, scratch.query.data(), pa, 0, r.begin,
              r.end, scratch, top);
  std::vector<DiceCandidate> out = std::move(top.items());
  std::sort(out.begin(), out.end(), BetterCandidate);
  return out;
}

std::vector<DiceCandidate> GreedyMatch(std::vector<DiceCandidate> candidates) {
  std::sort(candidates.begin(), candidates.end(), BetterCandidate);
  uint32_t max_a = 0;
  uint32_t max_b = 0;
  for (const auto& c : candidates) {
    max_a = std::max(max_a, c.a);
    max_b = std::max(max_b, c.b);
  }
  std::vector<bool> used_a(candidates.empty() ? 0 : size_t{max_a} + 1, false);
  std::vector<bool> used_b(candidates.empty() ? 0 : size_t{max_b} + 1, false);
  std::vector<DiceCandidate> kept;
  for (const auto& c : candidates) {
    if (used_a[c.a] || used_b[c.b]) continue;
    used_a[c.a] = true;
    used_b[c.b] = true;
    kept.push_back(c);
  }
  return kept;
}

}  // namespace haven::privacy
