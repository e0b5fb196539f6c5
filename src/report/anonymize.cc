#include "report/anonymize.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

namespace haven::report {
namespace {

constexpr std::size_t kMaxLatticeNodes = 1'000'000;
constexpr double kTolerance = 1e-9;

// The hierarchies and records as small integers: value ids per QI (equal
// strings share an id whatever their level, since a reader sees only strings),
// and each record's row in each hierarchy.
class Model {
 public:
  static Result<Model> Build(const std::vector<std::vector<std::string>>& records,
                             std::span<const Hierarchy> hierarchies) {
    Model m;
    m.q_ = hierarchies.size();
    m.n_ = records.size();
    m.qis_.resize(m.q_);
    for (std::size_t q = 0; q < m.q_; ++q) {
      const Hierarchy& h = hierarchies[q];
      Qi& qi = m.qis_[q];
      qi.name = h.name;
      std::string field = h.name.empty() ? fmt::format("hierarchies[{}]", q) : h.name;
      if (h.rows.empty())
        return Invalid(field, fmt::format("the hierarchy of {} has no values", field));
      qi.height = static_cast<int>(h.rows.front().size()) - 1;
      if (qi.height < 0)
        return Invalid(field, fmt::format("the hierarchy of {} has an empty row", field));
      std::map<std::string, int, std::less<>> ids;
      auto id_of = [&](const std::string& s) {
        auto [it, added] = ids.emplace(s, static_cast<int>(qi.strings.size()));
        if (added) qi.strings.push_back(s);
        return it->second;
      };
      // (level, id at that level) → id one level up: the tree check.
      std::map<std::pair<int, int>, int> parent;
      for (const auto& row : h.rows) {
        if (static_cast<int>(row.size()) != qi.height + 1)
          return Invalid(field,
                         fmt::format("the hierarchy of {} has rows of different lengths", field));
        std::vector<int> chain;
        for (const auto& v : row) chain.push_back(id_of(v));
        if (!qi.row_of.emplace(row.front(), static_cast<int>(qi.rows.size())).second)
          return Invalid(field,
                         fmt::format("the hierarchy of {} lists \"{}\" twice", field, row.front()));
        for (int l = 0; l < qi.height; ++l) {
          auto [it, added] = parent.emplace(std::pair{l, chain[l]}, chain[l + 1]);
          if (!added && it->second != chain[l + 1])
            return Invalid(field,
                           fmt::format("the hierarchy of {} is not a tree: \"{}\" at level {} "
                                       "generalises to both \"{}\" and \"{}\"",
                                       field, row[l], l, qi.strings[it->second], row[l + 1]));
        }
        qi.rows.push_back(std::move(chain));
      }
      const auto domain = static_cast<double>(qi.rows.size());
      qi.empty_id = ids.count("") ? ids.at("") : -1;
      // Leaves under each (level, value), then the loss of each row at each level.
      std::vector<std::vector<int>> leaves(qi.height + 1, std::vector<int>(qi.strings.size(), 0));
      for (const auto& chain : qi.rows)
        for (int l = 0; l <= qi.height; ++l) ++leaves[l][chain[l]];
      for (const auto& chain : qi.rows) {
        std::vector<double> loss(qi.height + 1, 0.0);
        for (int l = 1; l <= qi.height; ++l) {
          // Nothing to lose when nothing was recorded.
          if (chain[l] == chain[0] || chain[0] == qi.empty_id)
            loss[l] = 0;
          else if (chain[l] == qi.empty_id)
            loss[l] = 1;
          else
            loss[l] = domain > 1 ? (leaves[l][chain[l]] - 1) / (domain - 1) : 0;
        }
        qi.loss.push_back(std::move(loss));
        qi.recorded.push_back(chain[0] != qi.empty_id);
      }
    }
    m.counted_.assign(m.q_, false);
    bool any = false;
    for (std::size_t q = 0; q < m.q_; ++q) any = any || m.qis_[q].height > 0;
    for (std::size_t q = 0; q < m.q_; ++q) m.counted_[q] = !any || m.qis_[q].height > 0;

    m.row_.resize(m.n_ * m.q_);
    for (std::size_t i = 0; i < m.n_; ++i) {
      if (records[i].size() != m.q_)
        return Invalid("records",
                       fmt::format("record {} has {} values; there are {} quasi-identifiers", i,
                                   records[i].size(), m.q_));
      for (std::size_t q = 0; q < m.q_; ++q) {
        auto it = m.qis_[q].row_of.find(records[i][q]);
        if (it == m.qis_[q].row_of.end())
          return Invalid(
              m.qis_[q].name.empty() ? "records" : m.qis_[q].name,
              fmt::format("record {} has \"{}\", which the hierarchy of {} does not list", i,
                          records[i][q], m.qis_[q].name));
        m.row_[i * m.q_ + q] = it->second;
      }
    }
    return m;
  }

  std::size_t Qis() const { return q_; }
  std::size_t Records() const { return n_; }
  int Height(std::size_t q) const { return qis_[q].height; }
  const std::string& Name(std::size_t q) const { return qis_[q].name; }
  int Value(std::size_t i, std::size_t q, int level) const {
    return qis_[q].rows[Row(i, q)][level];
  }
  const std::string& String(std::size_t q, int id) const { return qis_[q].strings[id]; }
  bool IsEmpty(std::size_t q, int id) const { return id == qis_[q].empty_id; }
  bool Recorded(std::size_t i, std::size_t q) const { return qis_[q].recorded[Row(i, q)]; }
  // The loss of record i's value of QI q written at `level` (0 for a QI not counted).
  double Loss(std::size_t i, std::size_t q, int level) const {
    return counted_[q] ? qis_[q].loss[Row(i, q)][level] : 0.0;
  }
  double Loss(std::size_t i, const std::vector<int>& levels) const {
    double sum = 0;
    for (std::size_t q = 0; q < q_; ++q) sum += Loss(i, q, levels[q]);
    return sum;
  }
  // Record i's recorded values of the QIs counted: what it loses when suppressed.
  int RecordedCells(std::size_t i) const {
    int cells = 0;
    for (std::size_t q = 0; q < q_; ++q) cells += counted_[q] && Recorded(i, q);
    return cells;
  }

 private:
  struct Qi {
    std::string name;
    int height = 0;
    std::vector<std::string> strings;                // by id
    std::map<std::string, int, std::less<>> row_of;  // exact value → row
    std::vector<std::vector<int>> rows;              // row → id at each level
    std::vector<std::vector<double>> loss;           // row → loss at each level
    std::vector<bool> recorded;                      // row → exact value not empty
    int empty_id = -1;
  };
  int Row(std::size_t i, std::size_t q) const { return row_[i * q_ + q]; }

  std::size_t q_ = 0;
  std::size_t n_ = 0;
  std::vector<Qi> qis_;
  std::vector<bool> counted_;
  std::vector<int> row_;
};

// The written values of record i at `levels`, as a hashable key.
std::string Key(const Model& m, std::size_t i, const std::vector<int>& levels) {
  std::string key;
  key.reserve(m.Qis() * sizeof(std::int32_t));
  for (std::size_t q = 0; q < m.Qis(); ++q) {
    auto id = static_cast<std::int32_t>(m.Value(i, q, levels[q]));
    key.append(reinterpret_cast<const char*>(&id), sizeof id);
  }
  return key;
}

struct NodeResult {
  std::vector<int> node;
  double loss = 0;  // the objective: cells lost, a suppressed record losing every recorded one
  std::vector<bool> suppressed;  // per record
  std::size_t suppressed_count = 0;
};

NodeResult Evaluate(const Model& m, const std::vector<int>& node, std::size_t k) {
  NodeResult r;
  r.node = node;
  std::vector<std::string> keys(m.Records());
  std::unordered_map<std::string, std::size_t> classes;
  for (std::size_t i = 0; i < m.Records(); ++i) ++classes[keys[i] = Key(m, i, node)];
  r.suppressed.assign(m.Records(), false);
  for (std::size_t i = 0; i < m.Records(); ++i) {
    if (classes[keys[i]] < k) {
      r.suppressed[i] = true;
      ++r.suppressed_count;
      r.loss += m.RecordedCells(i);
    } else {
      r.loss += m.Loss(i, node);
    }
  }
  return r;
}

// Lower level sum first, then lower levels in QI order.
bool Before(const std::vector<int>& a, const std::vector<int>& b) {
  int sa = std::accumulate(a.begin(), a.end(), 0), sb = std::accumulate(b.begin(), b.end(), 0);
  if (sa != sb) return sa < sb;
  return a < b;
}

// Phase 2: one class of records, all written alike at `levels`.
struct Part {
  std::vector<std::size_t> members;  // ascending
  std::vector<int> levels;
};

class Refiner {
 public:
  Refiner(const Model& m, std::size_t k, std::size_t budget) : m_(m), k_(k), budget_(budget) {}

  // Splits `part` as far as it gains; appends the final parts to `out` and the
  // records it suppresses to `dropped`.
  void Run(Part part, std::vector<Part>& out, std::vector<std::size_t>& dropped) {
    std::vector<Part> stack;
    stack.push_back(std::move(part));
    while (!stack.empty()) {
      Part p = std::move(stack.back());
      stack.pop_back();
      auto split = BestSplit(p);
      if (!split) {
        Tighten(p);
        out.push_back(std::move(p));
        continue;
      }
      budget_ -= split->drop.size();
      dropped.insert(dropped.end(), split->drop.begin(), split->drop.end());
      // Pushed in reverse so that parts are refined in the order of the split.
      if (!split->rest.empty()) stack.push_back({std::move(split->rest), p.levels});
      for (auto it = split->children.rbegin(); it != split->children.rend(); ++it) {
        std::vector<int> down = p.levels;
        down[split->q] = split->to;
        stack.push_back({std::move(*it), std::move(down)});
      }
    }
  }

 private:
  struct Split {
    std::size_t q = 0;
    int to = 0;  // the level the children go down to
    double gain = 0;
    std::vector<std::vector<std::size_t>> children;  // at level `to`, each ≥ k
    std::vector<std::size_t> rest;                   // at the part's level, empty or ≥ k
    std::vector<std::size_t> drop;                   // suppressed
  };

  // Each QI down to the lowest level at which all the members still agree: the
  // same records stay together, and nothing is written coarser than they need
  // (a generalisation that covers one value loses nothing by LM, so no split
  // would bring it down).
  void Tighten(Part& p) const {
    for (std::size_t q = 0; q < m_.Qis(); ++q) {
      while (p.levels[q] > 0) {
        const int value = m_.Value(p.members.front(), q, p.levels[q] - 1);
        bool agree = std::all_of(p.members.begin(), p.members.end(), [&](std::size_t i) {
          return m_.Value(i, q, p.levels[q] - 1) == value;
        });
        if (!agree) break;
        --p.levels[q];
      }
    }
  }

  std::optional<Split> BestSplit(const Part& p) const {
    std::optional<Split> best;
    // Down one level or several: a level that writes the same for all would
    // gain nothing by itself and hide what lies below it.
    for (std::size_t q = 0; q < m_.Qis(); ++q) {
      for (int to = p.levels[q] - 1; to >= 0; --to) {
        auto split = SplitOn(p, q, to);
        if (split && split->gain > kTolerance && (!best || split->gain > best->gain + kTolerance))
          best = std::move(split);
      }
    }
    return best;
  }

  // The best way to split `p` on QI q down to level `to`, if there is one.
  std::optional<Split> SplitOn(const Part& p, std::size_t q, int to) const {
    const int level = p.levels[q];
    std::map<int, std::vector<std::size_t>> by_value;
    for (auto i : p.members) by_value[m_.Value(i, q, to)].push_back(i);
    std::vector<std::pair<int, std::vector<std::size_t>>> children(by_value.begin(),
                                                                   by_value.end());
    std::stable_sort(children.begin(), children.end(), [](const auto& a, const auto& b) {
      return a.second.size() > b.second.size();
    });
    auto gain_down = [&](const std::vector<std::size_t>& c) {
      double g = 0;
      for (auto i : c) g += m_.Loss(i, q, level) - m_.Loss(i, q, to);
      return g;
    };
    std::vector<std::vector<std::size_t>> accepted;
    std::vector<double> gains;
    std::vector<std::size_t> small;
    for (auto& [value, c] : children) {
      if (c.size() >= k_) {
        gains.push_back(gain_down(c));
        accepted.push_back(std::move(c));
      } else {
        small.insert(small.end(), c.begin(), c.end());
      }
    }
    std::sort(small.begin(), small.end());
    if (accepted.empty()) return std::nullopt;
    double accepted_gain = std::accumulate(gains.begin(), gains.end(), 0.0);

    std::optional<Split> candidate;
    if (small.empty() || small.size() >= k_) {
      candidate = Split{q, to, accepted_gain, accepted, small, {}};
    } else {
      // A rest smaller than k: suppressed; or grown to k with records of the
      // part that loses least by lending them;
      // or, when no part can spare them, grown with the smallest parts.
      std::vector<Split> options;
      if (small.size() <= budget_) {
        double cost = 0;
        for (auto i : small) cost += m_.RecordedCells(i) - m_.Loss(i, p.levels);
        options.push_back(Split{q, to, accepted_gain - cost, accepted, {}, small});
      }
      // Lent: the records of one part that lose least by staying at this level.
      const std::size_t deficit = k_ - small.size();
      std::optional<std::size_t> lender;
      std::vector<std::size_t> lent;
      double lent_cost = 0;
      for (std::size_t c = 0; c < accepted.size(); ++c) {
        if (accepted[c].size() < k_ + deficit) continue;
        std::vector<std::pair<double, std::size_t>> by_cost;
        for (auto i : accepted[c])
          by_cost.emplace_back(m_.Loss(i, q, level) - m_.Loss(i, q, to), i);
        std::stable_sort(by_cost.begin(), by_cost.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        double cost = 0;
        for (std::size_t j = 0; j < deficit; ++j) cost += by_cost[j].first;
        if (lender && cost >= lent_cost - kTolerance) continue;
        lender = c;
        lent_cost = cost;
        lent.clear();
        for (std::size_t j = 0; j < deficit; ++j) lent.push_back(by_cost[j].second);
      }
      if (lender) {
        Split lend{q, to, accepted_gain - lent_cost, accepted, small, {}};
        std::sort(lent.begin(), lent.end());
        auto& from = lend.children[*lender];
        std::vector<std::size_t> kept;
        std::set_difference(from.begin(), from.end(), lent.begin(), lent.end(),
                            std::back_inserter(kept));
        from = std::move(kept);
        lend.rest.insert(lend.rest.end(), lent.begin(), lent.end());
        std::sort(lend.rest.begin(), lend.rest.end());
        options.push_back(std::move(lend));
      } else {
        auto acc = accepted;
        auto g = gains;
        auto rest = small;
        while (rest.size() < k_ && !acc.empty()) {
          rest.insert(rest.end(), acc.back().begin(), acc.back().end());
          acc.pop_back();
          g.pop_back();
        }
        std::sort(rest.begin(), rest.end());
        if (!acc.empty())
          options.push_back(Split{q,
                                  to,
                                  std::accumulate(g.begin(), g.end(), 0.0),
                                  std::move(acc),
                                  std::move(rest),
                                  {}});
      }
      // The best; on a tie, the one that suppresses nothing (listed last).
      for (auto& o : options)
        if (!candidate || o.gain >= candidate->gain - kTolerance) candidate = std::move(o);
    }
    return candidate;
  }

  const Model& m_;
  std::size_t k_;
  std::size_t budget_;
};

}  // namespace

Result<Anonymization> Anonymize(const std::vector<std::vector<std::string>>& records,
                                std::span<const Hierarchy> hierarchies,
                                const AnonymizeOptions& options) {
  if (options.k < 2) return Invalid("k", "must be at least 2");
  if (!std::isfinite(options.suppression_limit) || options.suppression_limit < 0 ||
      options.suppression_limit > 1)
    return Invalid("suppression_limit", "must be a fraction between 0 and 1");
  if (hierarchies.empty()) return Invalid("hierarchies", "at least one quasi-identifier is needed");
  std::size_t lattice = 1;
  for (const auto& h : hierarchies) {
    std::size_t levels = h.rows.empty() ? 1 : h.rows.front().size();
    if (levels == 0 || lattice > kMaxLatticeNodes / levels)
      return Invalid("hierarchies", "the lattice of generalisations has more than a million nodes");
    lattice *= levels;
  }
  TRY(Model m, Model::Build(records, hierarchies));
  const std::size_t n = m.Records();
  const std::size_t Q = m.Qis();
  const auto k = static_cast<std::size_t>(options.k);

  // ---- Phase 1: the lattice.
  std::vector<std::vector<int>> nodes;
  nodes.reserve(lattice);
  for (std::vector<int> node(Q, 0);;) {
    nodes.push_back(node);
    std::size_t q = 0;
    while (q < Q && node[q] == m.Height(q)) node[q++] = 0;
    if (q == Q) break;
    ++node[q];
  }
  std::sort(nodes.begin(), nodes.end(), Before);
  // Per QI and level, the loss of all records at that level: the lower bound of a
  // node is their sum (its loss if nothing were suppressed).
  std::vector<std::vector<double>> level_loss(Q);
  for (std::size_t q = 0; q < Q; ++q) {
    level_loss[q].assign(m.Height(q) + 1, 0.0);
    for (int l = 0; l <= m.Height(q); ++l)
      for (std::size_t i = 0; i < n; ++i) level_loss[q][l] += m.Loss(i, q, l);
  }
  auto lower_bound = [&](const std::vector<int>& node) {
    double sum = 0;
    for (std::size_t q = 0; q < Q; ++q) sum += level_loss[q][node[q]];
    return sum;
  };
  NodeResult best = Evaluate(m, nodes.back(), k);  // the top: always admissible
  const std::size_t allowance = std::max<std::size_t>(
      static_cast<std::size_t>(
          std::floor(options.suppression_limit * static_cast<double>(n) + 1e-9)),
      best.suppressed_count);
  std::size_t evaluated = 1;
  for (std::size_t j = 0; j + 1 < nodes.size(); ++j) {
    const auto& node = nodes[j];
    // Losses are sums of fractions: compared with a tolerance, so that equal
    // losses summed in another order still tie.
    double bound = lower_bound(node);
    if (bound > best.loss + kTolerance ||
        (bound >= best.loss - kTolerance && !Before(node, best.node)))
      continue;
    ++evaluated;
    NodeResult r = Evaluate(m, node, k);
    if (r.suppressed_count > allowance) continue;
    if (r.loss < best.loss - kTolerance ||
        (r.loss <= best.loss + kTolerance && Before(node, best.node)))
      best = std::move(r);
  }

  Anonymization out;
  out.node = best.node;
  out.lattice_nodes = nodes.size();
  out.evaluated_nodes = evaluated;
  out.records.resize(n);
  std::vector<std::vector<int>> levels(n);
  std::vector<bool> suppressed = best.suppressed;
  for (std::size_t i = 0; i < n; ++i)
    if (!suppressed[i]) levels[i] = best.node;

  auto normalised = [&](const std::vector<bool>& sup, const std::vector<std::vector<int>>& lv) {
    double lost = 0, cells = 0;
    for (std::size_t i = 0; i < n; ++i) {
      lost += sup[i] ? m.RecordedCells(i) : m.Loss(i, lv[i]);
      cells += m.RecordedCells(i);
    }
    return cells > 0 ? lost / cells : 0.0;
  };
  out.full_domain_loss = normalised(suppressed, levels);

  if (options.local_recoding) {
    // ---- Phase 2: the classes of the node, in the order of their first record.
    std::map<std::string, std::size_t> class_of;  // key → index in parts
    std::vector<Part> parts;
    for (std::size_t i = 0; i < n; ++i) {
      if (suppressed[i]) continue;
      auto [it, added] = class_of.emplace(Key(m, i, best.node), parts.size());
      if (added) parts.push_back({{}, best.node});
      parts[it->second].members.push_back(i);
    }
    Refiner refiner(m, k, allowance - best.suppressed_count);
    std::vector<Part> final_parts;
    std::vector<std::size_t> dropped;
    for (auto& p : parts) refiner.Run(std::move(p), final_parts, dropped);
    for (auto i : dropped) {
      suppressed[i] = true;
      levels[i].clear();
    }
    // ---- Phase 3: the written classes, by their values, and the records kept out.
    std::map<std::vector<int>, std::size_t> written;
    for (const auto& p : final_parts) {
      std::vector<int> values(Q);
      for (std::size_t q = 0; q < Q; ++q) values[q] = m.Value(p.members.front(), q, p.levels[q]);
      written[values] += p.members.size();
      for (auto i : p.members) levels[i] = p.levels;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!suppressed[i]) continue;
      std::optional<std::pair<double, std::vector<int>>> join;
      std::map<std::vector<int>, std::size_t>::iterator target = written.end();
      for (auto it = written.begin(); it != written.end(); ++it) {
        std::vector<int> lv(Q);
        bool fits = true;
        for (std::size_t q = 0; q < Q && fits; ++q) {
          int l = 0;
          while (l <= m.Height(q) && m.Value(i, q, l) != it->first[q]) ++l;
          fits = l <= m.Height(q);
          lv[q] = l;
        }
        if (!fits) continue;
        double cost = m.Loss(i, lv);
        if (!join || cost < join->first) {
          join = std::pair{cost, std::move(lv)};
          target = it;
        }
      }
      if (join) {
        suppressed[i] = false;
        levels[i] = std::move(join->second);
        ++target->second;
      }
    }
  }

  // ---- The result and its summary.
  out.qis.resize(Q);
  for (std::size_t q = 0; q < Q; ++q) {
    out.qis[q].name = m.Name(q);
    out.qis[q].height = m.Height(q);
    out.qis[q].level = best.node[q];
  }
  for (std::size_t i = 0; i < n; ++i) {
    AnonymizedRecord& r = out.records[i];
    if (suppressed[i]) {
      r.suppressed = true;
      ++out.suppressed;
      continue;
    }
    ++out.written;
    r.levels = levels[i];
    bool changed = false;
    for (std::size_t q = 0; q < Q; ++q) {
      const int exact = m.Value(i, q, 0);
      const int value = m.Value(i, q, levels[i][q]);
      r.values.push_back(m.String(q, value));
      QiSummary& s = out.qis[q];
      if (!m.Recorded(i, q)) {
        ++s.not_recorded;
      } else if (value == exact) {
        ++s.exact;
      } else {
        changed = true;
        if (m.IsEmpty(q, value))
          ++s.blanked;
        else
          ++s.generalised;
      }
    }
    out.generalised += changed;
  }
  out.loss = normalised(suppressed, levels);
  return out;
}

}  // namespace haven::report
