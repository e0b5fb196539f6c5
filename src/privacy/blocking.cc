#include "privacy/blocking.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <mutex>
#include <new>
#include <thread>

#include "privacy/dice_kernels.h"

namespace haven::privacy {
namespace {

using internal::ThresholdTable;

constexpr size_t kLanes = ClkMatrix::kLanes;
constexpr size_t kKeyBits = 64;
constexpr size_t kMaxTables = 512;
// Below this many records a comparison sort beats the radix sort's fixed histogram cost.
constexpr size_t kRadixMinSize = size_t{1} << 16;
// With top_k == 0 (keep everything) a worker folds repeats away once it holds this
// many hits, so that a pair found in most of the tables does not cost memory in each.
constexpr size_t kCompactAt = size_t{1} << 22;
// Above this top_k the per-record store would cost more memory than it saves.
constexpr size_t kMaxStoredTopK = 64;
constexpr size_t kStoreLocks = 1024;
// Rows fetched ahead when reading a set in key order (random order in memory).
constexpr size_t kPrefetch = 8;

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The bits one table samples: kKeyBits distinct positions (fewer when the CLK is
// shorter), drawn from the seed and the table number alone.
std::vector<uint32_t> SampledBits(uint64_t seed, size_t table, size_t bits) {
  uint64_t state = seed ^ (0xA5A5'5A5A'0F0F'F0F0ULL * (table + 1));
  std::vector<uint32_t> all(bits);
  for (size_t i = 0; i < bits; ++i) all[i] = static_cast<uint32_t>(i);
  const size_t take = std::min(kKeyBits, bits);
  for (size_t i = 0; i < take; ++i) {  // partial Fisher-Yates
    size_t j = i + SplitMix64(state) % (bits - i);
    std::swap(all[i], all[j]);
  }
  all.resize(take);
  return all;
}

struct Keyed {
  uint64_t key;
  uint32_t index;
};

void ComputeKeys(ClkRows rows, const std::vector<uint32_t>& positions, std::vector<Keyed>& out) {
  const size_t n = rows.size();
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* row = rows.flat.data() + i * rows.clk_bytes;
    uint64_t key = 0;
    for (uint32_t p : positions) key = (key << 1) | ((row[p >> 3] >> (7 - (p & 7))) & 1u);
    out[i] = {key, static_cast<uint32_t>(i)};
  }
}

// Sorts by key, ties by input index, so the order never depends on the sort used.
void SortKeys(std::vector<Keyed>& v, std::vector<Keyed>& scratch) {
  if (v.size() < kRadixMinSize) {
    std::sort(v.begin(), v.end(), [](const Keyed& x, const Keyed& y) {
      return x.key != y.key ? x.key < y.key : x.index < y.index;
    });
    return;
  }
  // LSD radix sort on 16-bit digits; stable, and the input is in index order.
  scratch.resize(v.size());
  std::vector<size_t> count(size_t{1} << 16);
  for (int shift = 0; shift < 64; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (const Keyed& k : v) ++count[(k.key >> shift) & 0xFFFF];
    size_t sum = 0;
    for (size_t& c : count) {
      size_t here = c;
      c = sum;
      sum += here;
    }
    for (const Keyed& k : v) scratch[count[(k.key >> shift) & 0xFFFF]++] = k;
    v.swap(scratch);
  }
}

// B in one table's order, laid out like ClkMatrix (blocks of 8 CLKs, word-major) so the
// kernels can run over any window of it.
struct SortedTargets {
  struct Free {
    void operator()(uint64_t* p) const { ::operator delete(p, std::align_val_t{64}); }
  };
  std::unique_ptr<uint64_t[], Free> blocks;
  size_t capacity_words = 0;
  std::vector<uint32_t> popcounts;  // padded to whole blocks with zeros

  void Fill(ClkRows b, size_t words, const std::vector<Keyed>& order,
            const std::vector<uint32_t>& row_popcounts) {
    const size_t n = order.size();
    const size_t block_count = (n + kLanes - 1) / kLanes;
    const size_t total = std::max<size_t>(1, block_count * words * kLanes);
    if (capacity_words < total) {
      blocks.reset(static_cast<uint64_t*>(
          ::operator new(total * sizeof(uint64_t), std::align_val_t{64})));
      capacity_words = total;
    }
    std::memset(blocks.get(), 0, total * sizeof(uint64_t));
    popcounts.assign(block_count * kLanes, 0);
    const bool whole_words = b.clk_bytes % 8 == 0;
    for (size_t s = 0; s < n; ++s) {
      // B is read in key order, i.e. at random: fetch a few rows ahead.
      if (s + kPrefetch < n) {
        const uint8_t* ahead = b.flat.data() + size_t{order[s + kPrefetch].index} * b.clk_bytes;
        for (size_t off = 0; off < b.clk_bytes; off += 64) __builtin_prefetch(ahead + off);
      }
      const uint8_t* clk = b.flat.data() + size_t{order[s].index} * b.clk_bytes;
      popcounts[s] = row_popcounts[order[s].index];
      uint64_t* base = blocks.get() + (s / kLanes) * words * kLanes + s % kLanes;
      if (whole_words) {  // the usual case; a fixed-size copy compiles to one load
        for (size_t j = 0; j < words; ++j) std::memcpy(base + j * kLanes, clk + 8 * j, 8);
        continue;
      }
      for (size_t j = 0; j < words; ++j) {
        uint64_t word = 0;
        const size_t offset = j * 8;
        std::memcpy(&word, clk + offset, std::min<size_t>(8, b.clk_bytes - offset));
        base[j * kLanes] = word;
      }
    }
  }
};

std::vector<uint32_t> RowPopcounts(ClkRows rows) {
  std::vector<uint32_t> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    uint32_t c = 0;
    for (uint8_t byte : rows.row(i)) c += static_cast<uint32_t>(std::popcount(byte));
    out[i] = c;
  }
  return out;
}

double Mean(const std::vector<uint32_t>& v) {
  if (v.empty()) return 0;
  double sum = 0;
  for (uint32_t x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

bool ByPair(const DiceCandidate& x, const DiceCandidate& y) {
  return x.a != y.a ? x.a < y.a : x.b < y.b;
}

void Compact(std::vector<DiceCandidate>& hits) {
  std::sort(hits.begin(), hits.end(), ByPair);
  hits.erase(std::unique(hits.begin(), hits.end(),
                         [](const DiceCandidate& x, const DiceCandidate& y) {
                           return x.a == y.a && x.b == y.b;
                         }),
             hits.end());
}

// BetterCandidate for pairs of one record of A, inline: this runs for every hit.
inline bool BetterForOneRecord(const DiceCandidate& x, const DiceCandidate& y) {
  const uint64_t left = uint64_t{x.intersection} * y.popcount_sum;
  const uint64_t right = uint64_t{y.intersection} * x.popcount_sum;
  return left != right ? left > right : x.b < y.b;
}

// The best top_k pairs found so far for each record of A, over all tables and threads.
// Common names put many records above the threshold in one window (real data has
// hundreds of people called Aysel Məmmədova), so keeping every hit until the end would
// cost gigabytes and a long sort; this keeps |A|·top_k. Thread-safe: Offer locks a
// stripe of records.
class TopKStore {
 public:
  TopKStore(size_t records, size_t k)
      : k_(k), slots_(records * k), fill_(records, 0), worst_(records, 0) {}

  void Offer(const DiceCandidate& c) {
    std::lock_guard<std::mutex> lock(locks_[c.a % kStoreLocks]);
    DiceCandidate* slot = slots_.data() + size_t{c.a} * k_;
    const size_t fill = fill_[c.a];
    // Full and no better than the worst kept: nothing to do (a repeat of a kept pair
    // ends here too, since it scores the same as itself).
    if (fill == k_ && !BetterForOneRecord(c, slot[worst_[c.a]])) return;
    for (size_t i = 0; i < fill; ++i) {
      if (slot[i].b == c.b) return;  // found again by another table
    }
    if (fill < k_) {
      slot[fill] = c;
      ++fill_[c.a];
    } else {
      slot[worst_[c.a]] = c;
    }
    uint8_t worst = 0;
    for (size_t i = 1; i < fill_[c.a]; ++i) {
      if (BetterForOneRecord(slot[worst], slot[i])) worst = static_cast<uint8_t>(i);
    }
    worst_[c.a] = worst;
  }

  // The store is read in the order of a table's keys, i.e. at random.
  void Prefetch(uint32_t a) const {
    __builtin_prefetch(slots_.data() + size_t{a} * k_);
    __builtin_prefetch(&fill_[a]);
    __builtin_prefetch(&worst_[a]);
  }

  // Sorted by a, best first within each a.
  std::vector<DiceCandidate> Take() {
    std::vector<DiceCandidate> out;
    for (size_t a = 0; a < fill_.size(); ++a) {
      DiceCandidate* slot = slots_.data() + a * k_;
      std::sort(slot, slot + fill_[a], BetterCandidate);
      out.insert(out.end(), slot, slot + fill_[a]);
    }
    return out;
  }

 private:
  size_t k_;
  std::vector<DiceCandidate> slots_;
  std::vector<uint8_t> fill_;   // REQUIRES k_ <= kMaxStoredTopK < 256
  std::vector<uint8_t> worst_;  // index of the worst kept pair, when fill_ == k_
  std::array<std::mutex, kStoreLocks> locks_;
};

}  // namespace

std::string_view BlockingMethodName(BlockingMethod method) {
  switch (method) {
    case BlockingMethod::kAuto: return "auto";
    case BlockingMethod::kNone: return "none";
    case BlockingMethod::kLsh: return "lsh";
  }
  return "auto";
}

Result<BlockingMethod> ParseBlockingMethod(std::string_view name) {
  for (BlockingMethod m : {BlockingMethod::kAuto, BlockingMethod::kNone, BlockingMethod::kLsh}) {
    if (name == BlockingMethodName(m)) return m;
  }
  return Invalid("blocking", "must be auto, none or lsh");
}

size_t LshTablesFor(size_t size_a, size_t size_b, size_t bits, double mean_popcount_a,
                    double mean_popcount_b, double threshold, const LshOptions& options) {
  (void)size_a;
  const size_t window = std::max<size_t>(options.window, kLanes);
  if (size_b <= window || bits == 0) return 1;  // one window holds all of B
  // Bits on which a pair exactly at the threshold agrees, as a share of all bits.
  double p = 1.0 - (1.0 - threshold) * (mean_popcount_a + mean_popcount_b) /
                       static_cast<double>(bits);
  p = std::clamp(p, 0.5, 0.999);
  // Sampled bits that must agree before the pair shares a window for certain: then it
  // lies in a run of keys holding about |B|/2^depth <= window/2 records. Pairs that
  // agree on fewer bits are often found as well, so this errs on the safe side.
  const double depth =
      std::ceil(std::log2(2.0 * static_cast<double>(size_b) / static_cast<double>(window)));
  const double per_table = std::pow(p, std::max(depth, 1.0));
  const double miss = std::clamp(1.0 - options.target_recall, 1e-9, 0.5);
  const double tables = std::ceil(std::log(miss) / std::log1p(-per_table));
  if (!(tables >= 1)) return 1;
  return static_cast<size_t>(std::min<double>(tables, kMaxTables));
}

Result<std::vector<DiceCandidate>> LshDiceCandidates(ClkRows a, ClkRows b,
                                                     const DiceOptions& options,
                                                     const LshOptions& lsh,
                                                     BlockingStats* stats) {
  if (!(options.threshold > 0.0 && options.threshold <= 1.0)) {
    return Invalid("threshold", "the threshold must be in (0, 1]");
  }
  if (!DiceKernelAvailable(options.kernel)) {
    return Fail(ErrorCode::kUnprocessable, "kernel_unavailable",
                "this CPU cannot run the " + std::string(DiceKernelName(options.kernel)) +
                    " kernel",
                "kernel");
  }
  if (lsh.window < kLanes || lsh.window % kLanes != 0) {
    return Invalid("window", "the LSH window must be a positive multiple of 8");
  }
  if (lsh.tables > kMaxTables) {
    return Invalid("tables", "at most " + std::to_string(kMaxTables) + " LSH tables");
  }
  if (a.clk_bytes == 0 || a.clk_bytes != b.clk_bytes) {
    return Invalid("clk", "the two sets have CLKs of different lengths");
  }
  if (a.flat.size() % a.clk_bytes != 0 || b.flat.size() % b.clk_bytes != 0) {
    return Invalid("clk", "buffer is not a whole number of CLKs");
  }
  if (a.size() >= UINT32_MAX || b.size() >= UINT32_MAX) return Invalid("clk", "too many CLKs");
  if (a.size() == 0 || b.size() == 0) return std::vector<DiceCandidate>();

  const size_t bits = a.clk_bytes * 8;
  const size_t words = (a.clk_bytes + 7) / 8;
  const std::vector<uint32_t> pop_a = RowPopcounts(a);
  const std::vector<uint32_t> pop_b = RowPopcounts(b);
  const size_t tables =
      lsh.tables != 0 ? lsh.tables
                      : LshTablesFor(a.size(), b.size(), bits, Mean(pop_a), Mean(pop_b),
                                     options.threshold, lsh);
  const ThresholdTable table(options.threshold, words * 64);
  const size_t window = std::min(lsh.window, (b.size() + kLanes - 1) / kLanes * kLanes);
  const size_t b_blocks = (b.size() + kLanes - 1) / kLanes;

  std::atomic<size_t> next_table{0};
  std::atomic<uint64_t> comparisons{0};
  std::atomic<uint64_t> hits_total{0};
  unsigned threads = options.threads != 0 ? options.threads : std::thread::hardware_concurrency();
  threads = std::clamp<unsigned>(threads, 1, static_cast<unsigned>(tables));
  // Bounded top-k: one shared store. Unbounded (or very large) top-k: every hit, per
  // thread, compacted now and then.
  const bool use_store = options.top_k != 0 && options.top_k <= kMaxStoredTopK;
  std::unique_ptr<TopKStore> store;
  if (use_store) store = std::make_unique<TopKStore>(a.size(), options.top_k);
  std::vector<std::vector<DiceCandidate>> per_thread(threads);

  auto worker = [&](unsigned id) {
    std::vector<DiceCandidate>& hits = per_thread[id];
    std::vector<Keyed> keys_a, keys_b, scratch;
    SortedTargets targets;
    std::vector<uint64_t> query(words);
    std::vector<uint32_t> counts(window + kLanes);
    std::vector<uint8_t> masks(window / kLanes + 1);
    std::vector<DiceCandidate> query_hits;
    uint64_t my_comparisons = 0;
    uint64_t my_hits = 0;
    while (true) {
      const size_t t = next_table.fetch_add(1);
      if (t >= tables) break;
      const std::vector<uint32_t> positions = SampledBits(lsh.seed, t, bits);
      ComputeKeys(a, positions, keys_a);
      ComputeKeys(b, positions, keys_b);
      SortKeys(keys_a, scratch);
      SortKeys(keys_b, scratch);
      targets.Fill(b, words, keys_b, pop_b);

      // A in key order: its place in B only moves forward, and consecutive windows
      // overlap almost entirely, so B streams through the cache once per table.
      size_t place = 0;
      for (size_t qi = 0; qi < keys_a.size(); ++qi) {
        const Keyed& qa = keys_a[qi];
        if (qi + kPrefetch < keys_a.size()) {
          const uint8_t* ahead =
              a.flat.data() + size_t{keys_a[qi + kPrefetch].index} * a.clk_bytes;
          for (size_t off = 0; off < a.clk_bytes; off += 64) __builtin_prefetch(ahead + off);
          if (use_store) store->Prefetch(keys_a[qi + kPrefetch].index);
        }
        while (place < keys_b.size() && keys_b[place].key < qa.key) ++place;
        size_t begin = place > window / 2 ? place - window / 2 : 0;
        if (begin + window > b.size()) begin = b.size() > window ? b.size() - window : 0;
        const size_t first_block = begin / kLanes;
        const size_t last_block = std::min(b_blocks, (begin + window + kLanes - 1) / kLanes);
        const size_t block_count = last_block - first_block;

        std::memset(query.data(), 0, words * sizeof(uint64_t));
        std::memcpy(query.data(), a.flat.data() + size_t{qa.index} * a.clk_bytes, a.clk_bytes);
        const uint32_t pa = pop_a[qa.index];
        KernelArgs args;
        args.query = query.data();
        args.query_popcount = pa;
        args.targets = targets.blocks.get() + first_block * words * kLanes;
        args.target_popcounts = targets.popcounts.data() + first_block * kLanes;
        args.words = words;
        args.block_count = block_count;
        args.t_lo = table.t_lo();
        args.counts = counts.data();
        args.masks = masks.data();
        RunDiceKernel(options.kernel, args);
        my_comparisons += block_count * kLanes;

        query_hits.clear();
        for (size_t blk = 0; blk < block_count; ++blk) {
          uint32_t mask = masks[blk];
          while (mask != 0) {
            const unsigned lane = static_cast<unsigned>(std::countr_zero(mask));
            mask &= mask - 1;
            const size_t sorted = (first_block + blk) * kLanes + lane;
            if (sorted >= b.size()) continue;  // padding
            const uint32_t count = counts[blk * kLanes + lane];
            const uint32_t sum = pa + targets.popcounts[sorted];
            if (count < table.min_count(sum)) continue;
            query_hits.push_back({qa.index, keys_b[sorted].index, count, sum});
          }
        }
        my_hits += query_hits.size();
        if (use_store) {
          // Only this table's best top_k can enter the store's best top_k.
          if (query_hits.size() > options.top_k) {
            std::partial_sort(query_hits.begin(),
                              query_hits.begin() + static_cast<std::ptrdiff_t>(options.top_k),
                              query_hits.end(), BetterForOneRecord);
            query_hits.resize(options.top_k);
          }
          for (const DiceCandidate& c : query_hits) store->Offer(c);
        } else {
          hits.insert(hits.end(), query_hits.begin(), query_hits.end());
        }
      }
      if (hits.size() >= kCompactAt) Compact(hits);
    }
    comparisons += my_comparisons;
    hits_total += my_hits;
  };
  if (threads == 1) {
    worker(0);
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  }

  std::vector<DiceCandidate> out;
  if (use_store) {
    out = store->Take();
  } else {
    std::vector<DiceCandidate> all;
    size_t total = 0;
    for (const auto& v : per_thread) total += v.size();
    all.reserve(total);
    for (auto& v : per_thread) {
      all.insert(all.end(), v.begin(), v.end());
      std::vector<DiceCandidate>().swap(v);
    }
    Compact(all);
    // Best first within each record of A, then at most top_k of them.
    out.reserve(all.size());
    for (size_t i = 0; i < all.size();) {
      size_t j = i;
      while (j < all.size() && all[j].a == all[i].a) ++j;
      std::sort(all.begin() + static_cast<std::ptrdiff_t>(i),
                all.begin() + static_cast<std::ptrdiff_t>(j), BetterCandidate);
      const size_t keep = options.top_k == 0 ? j - i : std::min(options.top_k, j - i);
      out.insert(out.end(), all.begin() + static_cast<std::ptrdiff_t>(i),
                 all.begin() + static_cast<std::ptrdiff_t>(i + keep));
      i = j;
    }
  }
  if (stats != nullptr) {
    stats->tables = tables;
    stats->window = window;
    stats->comparisons = comparisons.load();
    stats->hits = hits_total.load();
  }
  return out;
}

Result<LinkageResult> LinkOneToOne(ClkRows a, ClkRows b, const LinkageOptions& options) {
  LinkageResult result;
  BlockingMethod method = options.blocking;
  if (method == BlockingMethod::kAuto) {
    const double pairs = static_cast<double>(a.size()) * static_cast<double>(b.size());
    method = pairs > options.exhaustive_max_pairs ? BlockingMethod::kLsh : BlockingMethod::kNone;
  }
  result.method_used = method;
  std::vector<DiceCandidate> candidates;
  if (method == BlockingMethod::kLsh) {
    TRY(candidates, LshDiceCandidates(a, b, options.dice, options.lsh, &result.stats));
  } else {
    if (a.clk_bytes == 0 || a.clk_bytes != b.clk_bytes) {
      return Invalid("clk", "the two sets have CLKs of different lengths");
    }
    TRY(ClkMatrix ma, ClkMatrix::Create(a.flat, a.clk_bytes));
    TRY(ClkMatrix mb, ClkMatrix::Create(b.flat, b.clk_bytes));
    TRY(candidates, DiceCandidates(ma, mb, options.dice));
  }
  result.candidate_count = candidates.size();
  result.pairs = GreedyMatch(std::move(candidates));
  return result;
}

}  // namespace haven::privacy
