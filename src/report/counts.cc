#include "report/counts.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "domain/enums.h"
#include "domain/iso_codes.h"
#include "report/suppression.h"

namespace haven::report {
namespace {

template <typename E>
std::vector<std::string> EnumLabels() {
  std::vector<std::string> out;
  for (auto name : domain::EnumNames<E>::kNames) out.emplace_back(name);
  return out;
}

std::vector<std::string> Countries() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < domain::kCountryCount; ++i) out.emplace_back(domain::kCountries[i].code);
  return out;
}

// Haven's bands and CTDC's coarser 9-17, in age order.
const std::vector<std::string>& AgeBands() {
  static const std::vector<std::string> kBands = {"0-8",   "9-11",  "12-14", "15-17", "9-17",
                                                  "18-20", "21-23", "24-26", "27-29", "30-38",
                                                  "39-47", "48+",   "unknown"};
  return kBands;
}

// Index of each label, appending labels not seen yet.
class LabelIndex {
 public:
  explicit LabelIndex(std::vector<std::string> labels) : labels_(std::move(labels)) {
    for (std::size_t i = 0; i < labels_.size(); ++i) index_.emplace(labels_[i], static_cast<int>(i));
  }
  int Of(const std::string& label) {
    auto [it, inserted] = index_.emplace(label, static_cast<int>(labels_.size()));
    if (inserted) labels_.push_back(label);
    return it->second;
  }
  const std::vector<std::string>& labels() const { return labels_; }

 private:
  std::vector<std::string> labels_;
  std::unordered_map<std::string, int> index_;
};

std::string MarginKey(std::string_view dimension, const std::string& label) {
  return fmt::format("{}={}", dimension, label);
}

}  // namespace

std::vector<std::string> Labels(Dimension d, const FactContext& ctx, bool complete,
                                const std::vector<std::string>& observed) {
  std::vector<std::string> out;
  std::vector<std::string> tail;  // after what occurs
  switch (d) {
    case Dimension::kSex: out = EnumLabels<domain::Sex>(); break;
    case Dimension::kIdentifiedBy: out = EnumLabels<domain::IdentifiedBy>(); break;
    case Dimension::kStatus: out = EnumLabels<domain::CaseStatus>(); break;
    case Dimension::kVictimStatus: out = EnumLabels<domain::VictimStatus>(); break;
    case Dimension::kExploitation:
      out = EnumLabels<domain::Exploitation>();
      out.push_back("unknown");
      break;
    case Dimension::kMajority: out = {"minor", "adult", "unknown"}; break;
    case Dimension::kCitizenshipGroup: out = {"own_country", "foreign", "stateless", "unknown"}; break;
    case Dimension::kTransnational: out = {"internal", "transnational"}; break;
    case Dimension::kSource: out = {"haven", "ctdc"}; break;
    case Dimension::kAgeSex: out = {"women", "men", "girls", "boys", "unknown"}; break;
    // A fixed layout: every band of Haven's, also when nobody falls in it; CTDC's
    // coarser 9-17 only where imported records bring it.
    case Dimension::kAgeGroup:
      for (const auto& band : AgeBands())
        if (complete || band != "9-17" ||
            std::find(observed.begin(), observed.end(), band) != observed.end())
          out.push_back(band);
      break;
    // Countries are an open vocabulary: the reporting country, stateless and unknown
    // always, other countries where they occur.
    case Dimension::kCitizenship:
      if (complete) out = Countries();
      else out = {ctx.own_country};
      tail = {"stateless", "unknown"};
      break;
    case Dimension::kCountryOfExploitation:
      if (complete) out = Countries();
      else out = {ctx.own_country};
      tail = {"unknown"};
      break;
    case Dimension::kYear:
      if (complete)
        for (int y = ctx.first_year; y <= ctx.last_year; ++y) out.push_back(std::to_string(y));
      break;
  }
  // Open vocabularies: what occurs, sorted ("unknown" last).
  std::vector<std::string> extra;
  for (const auto& o : observed)
    if (std::find(out.begin(), out.end(), o) == out.end() &&
        std::find(tail.begin(), tail.end(), o) == tail.end() &&
        std::find(extra.begin(), extra.end(), o) == extra.end())
      extra.push_back(o);
  std::sort(extra.begin(), extra.end(), [](const std::string& a, const std::string& b) {
    return std::make_pair(a == "unknown", a) < std::make_pair(b == "unknown", b);
  });
  out.insert(out.end(), extra.begin(), extra.end());
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

double Sensitivity(std::span<const Dimension> dims) {
  double s = 1;
  for (auto d : dims)
    if (MultiValued(d))
      s *= static_cast<double>(domain::EnumNames<domain::Exploitation>::kNames.size());
  return s;
}

Table CrossTab(std::span<const store::CaseFact> persons, const CrossTabSpec& spec,
               const FactContext& ctx) {
  // Values first, so that open vocabularies list only what occurs.
  std::vector<std::string> row_seen, col_seen;
  std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> values;
  values.reserve(persons.size());
  for (const auto& f : persons) {
    auto rv = ValuesOf(f, spec.rows, ctx);
    std::vector<std::string> cv = spec.columns ? ValuesOf(f, *spec.columns, ctx)
                                               : std::vector<std::string>{"count"};
    for (const auto& v : rv)
      if (std::find(row_seen.begin(), row_seen.end(), v) == row_seen.end()) row_seen.push_back(v);
    for (const auto& v : cv)
      if (std::find(col_seen.begin(), col_seen.end(), v) == col_seen.end()) col_seen.push_back(v);
    values.emplace_back(std::move(rv), std::move(cv));
  }
  LabelIndex rows(Labels(spec.rows, ctx, spec.complete, row_seen));
  LabelIndex cols(spec.columns ? Labels(*spec.columns, ctx, spec.complete, col_seen)
                               : std::vector<std::string>{"count"});
  std::map<std::pair<int, int>, std::int64_t> counts;
  for (const auto& [rv, cv] : values)
    for (const auto& r : rv)
      for (const auto& c : cv) ++counts[{rows.Of(r), cols.Of(c)}];

  Table t;
  t.id = spec.id;
  t.title = spec.title;
  t.row_dimension = std::string(DimensionName(spec.rows));
  t.column_dimension = spec.columns ? std::string(DimensionName(*spec.columns)) : "";
  t.row_labels = rows.labels();
  t.column_labels = cols.labels();
  t.rows_partition = !MultiValued(spec.rows);
  t.columns_partition = !spec.columns || !MultiValued(*spec.columns);
  // A person in several rows (forms of exploitation): a column's total would count
  // mentions beside tables whose totals count persons, so it is not published.
  t.column_totals = t.rows_partition;
  t.row_totals = t.columns_partition;
  std::vector<Dimension> dims = {spec.rows};
  if (spec.columns) dims.push_back(*spec.columns);
  t.sensitivity = Sensitivity(dims);
  t.sparse_rows = spec.rows == Dimension::kCitizenship ||
                  spec.rows == Dimension::kCountryOfExploitation || spec.rows == Dimension::kYear;
  t.notes = spec.notes;
  if (!t.rows_partition || !t.columns_partition)
    t.notes.push_back("A person exploited in several forms is counted under each, so the "
                      "forms do not add up to the persons identified; no total is given "
                      "across them.");
  t.grid = Grid(static_cast<int>(t.row_labels.size()), static_cast<int>(t.column_labels.size()));
  for (const auto& [rc, n] : counts) t.grid.At(rc.first, rc.second).value = n;
  t.grid.ComputeMargins();
  return t;
}

Status ProtectReport(Report& report, int threshold, const std::optional<DpParams>& dp,
                     RandomSource* random) {
  report.suppression = {};
  report.suppression.threshold = threshold;
  if (dp) {
    if (!random) return Internal("no random source for a differentially private release");
    for (const auto& t : report.tables)
      if (t.sensitivity <= 0)
        return Fail(ErrorCode::kUnprocessable, "dp_unsupported",
                    fmt::format("the table \"{}\" cannot be released with noise", t.id));
    const double per_table = dp->epsilon / static_cast<double>(std::max<std::size_t>(1, report.tables.size()));
    if (dp->mechanism == "gaussian" && per_table >= 1.0)
      return Invalid("dp_epsilon",
                     fmt::format("the Gaussian mechanism needs epsilon below 1 per table; this "
                                 "report has {} tables, so epsilon must be below {}",
                                 report.tables.size(), report.tables.size()));
    report.dp = DpInfo{dp->mechanism, dp->epsilon, dp->mechanism == "gaussian" ? dp->delta : 0.0,
                       per_table, report.dp ? report.dp->epsilon_spent_before : 0.0};
    for (auto& t : report.tables) {
      for (int r = 0; r < t.grid.rows; ++r)
        for (int c = 0; c < t.grid.cols; ++c) {
          Cell& cell = t.grid.At(r, c);
          cell.value = NoisyCount(cell.value, CellNoise(*random, *dp, per_table, t.sensitivity));
        }
      if (t.sparse_rows) {
        Grid kept(0, t.grid.cols);
        std::vector<std::string> labels;
        std::vector<Cell> cells;
        for (int r = 0; r < t.grid.rows; ++r) {
          bool any = false;
          for (int c = 0; c < t.grid.cols; ++c) any = any || t.grid.At(r, c).value > 0;
          if (!any) continue;
          labels.push_back(t.row_labels[static_cast<std::size_t>(r)]);
          for (int c = 0; c < t.grid.cols; ++c) cells.push_back(t.grid.At(r, c));
        }
        Grid g(static_cast<int>(labels.size()), t.grid.cols);
        for (int r = 0; r < g.rows; ++r)
          for (int c = 0; c < g.cols; ++c)
            g.At(r, c) = cells[static_cast<std::size_t>(r * g.cols + c)];
        t.grid = std::move(g);
        t.row_labels = std::move(labels);
      }
      t.grid.ComputeMargins();
      auto s = SuppressSmall(t.grid.cells, threshold);
      report.suppression.primary += s.primary;
    }
    return {};
  }

  // Totals that several tables publish (persons by sex, the grand total, …) must
  // be hidden everywhere once hidden anywhere, or one table gives away another.
  struct Margin {
    Table* table;
    int r;
    int c;
    std::string key;
  };
  std::vector<Margin> margins;
  for (auto& t : report.tables) {
    if (!t.hidden_like.empty()) continue;
    Grid& g = t.grid;
    if (t.columns_partition)
      for (int r = 0; r < g.rows; ++r)
        margins.push_back({&t, r, g.cols, MarginKey(t.row_dimension, t.row_labels[static_cast<std::size_t>(r)])});
    if (t.rows_partition && !t.column_dimension.empty())
      for (int c = 0; c < g.cols; ++c)
        margins.push_back({&t, g.rows, c, MarginKey(t.column_dimension, t.column_labels[static_cast<std::size_t>(c)])});
    if (t.rows_partition && t.columns_partition) margins.push_back({&t, g.rows, g.cols, "total"});
  }
  for (auto& t : report.tables)
    if (t.hidden_like.empty()) SuppressGrid(t.grid, threshold);
  while (true) {
    std::vector<std::string> hidden;
    for (const auto& m : margins)
      if (m.table->grid.At(m.r, m.c).Suppressed()) hidden.push_back(m.key);
    std::vector<Table*> touched;
    for (const auto& m : margins) {
      Cell& cell = m.table->grid.At(m.r, m.c);
      if (cell.Suppressed() || std::find(hidden.begin(), hidden.end(), m.key) == hidden.end())
        continue;
      cell.state = CellState::kSecondary;
      if (std::find(touched.begin(), touched.end(), m.table) == touched.end())
        touched.push_back(m.table);
    }
    if (touched.empty()) break;
    for (Table* t : touched) SuppressGrid(t->grid, threshold);
  }
  for (auto& t : report.tables) {
    if (t.hidden_like.empty()) continue;
    auto like = std::find_if(report.tables.begin(), report.tables.end(),
                             [&](const Table& o) { return o.id == t.hidden_like; });
    if (like == report.tables.end() || like->grid.cells.size() != t.grid.cells.size())
      return Internal(fmt::format("table {} hides like a missing table {}", t.id, t.hidden_like));
    for (std::size_t i = 0; i < t.grid.cells.size(); ++i)
      t.grid.cells[i].state =
          like->grid.cells[i].Suppressed() ? CellState::kSecondary : CellState::kShown;
  }
  for (const auto& t : report.tables)
    for (const auto& cell : t.grid.cells) {
      report.suppression.primary += cell.state == CellState::kPrimary;
      report.suppression.secondary += cell.state == CellState::kSecondary;
    }
  return {};
}

Result<CountTable> CountBy(std::span<const store::CaseFact> facts, const CountOptions& options,
                           RandomSource* random) {
  const auto& dims = options.dimensions;
  if (dims.empty()) return Invalid("by", "at least one dimension is required");
  bool per_year = std::find(dims.begin(), dims.end(), Dimension::kYear) != dims.end();
  // A DP release bounds each person's contribution: one fact per person.
  std::vector<store::CaseFact> persons = UniquePersons(facts, per_year && !options.dp);

  CountTable out;
  for (auto d : dims) out.dimensions.emplace_back(DimensionName(d));
  out.suppression.threshold = options.threshold;
  bool multi = std::any_of(dims.begin(), dims.end(), MultiValued);
  if (multi)
    out.notes.push_back("A person exploited in several forms is counted under each; the total "
                        "counts mentions, not persons.");

  // Count every combination of values a person has.
  std::vector<std::vector<std::string>> seen(dims.size());
  std::map<std::vector<std::string>, std::int64_t> counts;
  std::vector<std::vector<std::string>> values(dims.size());
  for (const auto& f : persons) {
    for (std::size_t i = 0; i < dims.size(); ++i) values[i] = ValuesOf(f, dims[i], options.context);
    std::vector<std::size_t> pos(dims.size(), 0);
    while (true) {
      std::vector<std::string> key(dims.size());
      for (std::size_t i = 0; i < dims.size(); ++i) key[i] = values[i][pos[i]];
      ++counts[key];
      std::size_t i = 0;
      for (; i < dims.size(); ++i) {
        if (++pos[i] < values[i].size()) break;
        pos[i] = 0;
      }
      if (i == dims.size()) break;
    }
    for (std::size_t i = 0; i < dims.size(); ++i)
      for (const auto& v : values[i])
        if (std::find(seen[i].begin(), seen[i].end(), v) == seen[i].end()) seen[i].push_back(v);
  }
  std::vector<LabelIndex> labels;
  for (std::size_t i = 0; i < dims.size(); ++i)
    labels.emplace_back(Labels(dims[i], options.context, options.dp.has_value(), seen[i]));

  std::vector<std::vector<int>> keys;
  std::vector<Cell> cells;
  if (options.dp) {
    TRY_STATUS(ValidateDp(*options.dp, "dp_epsilon"));
    if (!random) return Internal("no random source for a differentially private release");
    if (options.dp->mechanism == "gaussian" && options.dp->epsilon >= 1.0)
      return Invalid("dp_epsilon", "the Gaussian mechanism needs epsilon below 1");
    // Every cell of the domain gets noise, occurring or not: leaving out empty
    // cells would tell which combinations occur.
    std::size_t domain = 1;
    for (const auto& l : labels) {
      domain *= l.labels().size();
      if (domain > options.max_dp_cells)
        return Invalid("by", fmt::format("a noisy release over these dimensions would have more "
                                         "than {} cells; use fewer dimensions or one year",
                                         options.max_dp_cells));
    }
    double sensitivity = Sensitivity(dims);
    std::vector<int> pos(dims.size(), 0);
    for (std::size_t n = 0; n < domain; ++n) {
      std::vector<std::string> key(dims.size());
      for (std::size_t i = 0; i < dims.size(); ++i)
        key[i] = labels[i].labels()[static_cast<std::size_t>(pos[i])];
      auto it = counts.find(key);
      std::int64_t v = NoisyCount(it == counts.end() ? 0 : it->second,
                                  CellNoise(*random, *options.dp, options.dp->epsilon, sensitivity));
      if (v > 0) {
        keys.push_back(pos);
        cells.push_back(Cell{v, CellState::kShown});
      }
      for (std::size_t i = 0; i < dims.size(); ++i) {
        if (++pos[i] < static_cast<int>(labels[i].labels().size())) break;
        pos[i] = 0;
      }
    }
    out.dp = DpInfo{options.dp->mechanism, options.dp->epsilon,
                    options.dp->mechanism == "gaussian" ? options.dp->delta : 0.0,
                    options.dp->epsilon, 0.0};
    for (const auto& c : cells) out.total.value += c.value;
    auto s = SuppressSmall(cells, options.threshold);
    std::vector<Cell> total{out.total};
    auto st = SuppressSmall(total, options.threshold);
    out.total = total[0];
    out.suppression.primary = s.primary + st.primary;
  } else {
    for (const auto& [key, n] : counts) {
      std::vector<int> k;
      for (std::size_t i = 0; i < dims.size(); ++i) k.push_back(labels[i].Of(key[i]));
      keys.push_back(std::move(k));
      cells.push_back(Cell{n, CellState::kShown});
      out.total.value += n;
    }
    auto s = SuppressCounts(keys, cells, out.total, options.threshold);
    out.suppression.primary = s.primary;
    out.suppression.secondary = s.secondary;
  }

  std::vector<std::size_t> order(cells.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return keys[a] < keys[b]; });
  for (auto i : order) {
    CountRow row;
    for (std::size_t d = 0; d < dims.size(); ++d)
      row.keys.push_back(labels[d].labels()[static_cast<std::size_t>(keys[i][d])]);
    row.cell = cells[i];
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace haven::report
