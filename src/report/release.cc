#include "report/release.h"

#include <nlohmann/json.hpp>

namespace haven::report {
namespace {

using Json = nlohmann::json;

Json CellToJson(const Cell& c) { return Json::array({c.value, static_cast<int>(c.state)}); }

Cell CellFromJson(const Json& j) {
  Cell c;
  c.value = j.at(0).get<std::int64_t>();
  const int state = j.at(1).get<int>();
  if (state < 0 || state > static_cast<int>(CellState::kSecondary))
    throw std::out_of_range("cell state");
  c.state = static_cast<CellState>(state);
  return c;
}

Json LinkageToJson(const LinkageInfo& l) {
  Json j = {{"applied", l.applied}, {"threshold", l.threshold}};
  j["at"] = l.at ? Json(FormatTimestamp(*l.at)) : Json(nullptr);
  return j;
}

LinkageInfo LinkageFromJson(const Json& j) {
  LinkageInfo l;
  l.applied = j.at("applied").get<bool>();
  l.threshold = j.at("threshold").get<double>();
  if (!j.at("at").is_null()) l.at = ParseTimestamp(j.at("at").get<std::string>());
  return l;
}

Json DpToJson(const DpInfo& d) {
  return {{"mechanism", d.mechanism},
          {"epsilon", d.epsilon},
          {"delta", d.delta},
          {"epsilon_per_table", d.epsilon_per_table},
          {"epsilon_spent_before", d.epsilon_spent_before}};
}

DpInfo DpFromJson(const Json& j) {
  DpInfo d;
  d.mechanism = j.at("mechanism").get<std::string>();
  d.epsilon = j.at("epsilon").get<double>();
  d.delta = j.at("delta").get<double>();
  d.epsilon_per_table = j.at("epsilon_per_table").get<double>();
  d.epsilon_spent_before = j.at("epsilon_spent_before").get<double>();
  return d;
}

Json SuppressionToJson(const SuppressionSummary& s) {
  return {{"threshold", s.threshold}, {"primary", s.primary}, {"secondary", s.secondary}};
}

SuppressionSummary SuppressionFromJson(const Json& j) {
  return {j.at("threshold").get<int>(), j.at("primary").get<int>(), j.at("secondary").get<int>()};
}

Json TableToJson(const Table& t) {
  Json cells = Json::array();
  for (const auto& c : t.grid.cells) cells.push_back(CellToJson(c));
  return {{"id", t.id},
          {"title", t.title},
          {"decimals", t.decimals},
          {"row_dimension", t.row_dimension},
          {"column_dimension", t.column_dimension},
          {"row_labels", t.row_labels},
          {"column_labels", t.column_labels},
          {"rows", t.grid.rows},
          {"cols", t.grid.cols},
          {"cells", cells},
          {"rows_partition", t.rows_partition},
          {"columns_partition", t.columns_partition},
          {"column_totals", t.column_totals},
          {"row_totals", t.row_totals},
          {"sensitivity", t.sensitivity},
          {"sparse_rows", t.sparse_rows},
          {"hidden_like", t.hidden_like},
          {"notes", t.notes}};
}

Table TableFromJson(const Json& j) {
  Table t;
  t.id = j.at("id").get<std::string>();
  t.title = j.at("title").get<std::string>();
  t.decimals = j.at("decimals").get<int>();
  t.row_dimension = j.at("row_dimension").get<std::string>();
  t.column_dimension = j.at("column_dimension").get<std::string>();
  t.row_labels = j.at("row_labels").get<std::vector<std::string>>();
  t.column_labels = j.at("column_labels").get<std::vector<std::string>>();
  t.grid = Grid(j.at("rows").get<int>(), j.at("cols").get<int>());
  const Json& cells = j.at("cells");
  if (cells.size() != t.grid.cells.size() ||
      t.row_labels.size() != static_cast<std::size_t>(t.grid.rows) ||
      t.column_labels.size() != static_cast<std::size_t>(t.grid.cols))
    throw std::out_of_range("table shape");
  for (std::size_t i = 0; i < cells.size(); ++i) t.grid.cells[i] = CellFromJson(cells[i]);
  t.rows_partition = j.at("rows_partition").get<bool>();
  t.columns_partition = j.at("columns_partition").get<bool>();
  t.column_totals = j.at("column_totals").get<bool>();
  t.row_totals = j.at("row_totals").get<bool>();
  t.sensitivity = j.at("sensitivity").get<double>();
  t.sparse_rows = j.at("sparse_rows").get<bool>();
  t.hidden_like = j.at("hidden_like").get<std::string>();
  t.notes = j.at("notes").get<std::vector<std::string>>();
  return t;
}

template <typename F>
auto Parse(std::string_view text, F&& f) -> Result<decltype(f(Json()))> {
  try {
    return f(Json::parse(text));
  } catch (const std::exception& e) {
    return Internal(std::string("a kept release cannot be read: ") + e.what());
  }
}

}  // namespace

std::string SerializeRelease(const Report& r) {
  Json tables = Json::array();
  for (const auto& t : r.tables) tables.push_back(TableToJson(t));
  Json j = {{"name", r.name},
            {"title", r.title},
            {"description", r.description},
            {"generated_at", FormatTimestamp(r.generated_at)},
            {"unit", r.unit},
            {"sources", r.sources},
            {"linkage", LinkageToJson(r.linkage)},
            {"suppression", SuppressionToJson(r.suppression)},
            {"tables", tables},
            {"notes", r.notes}};
  j["year"] = r.year ? Json(*r.year) : Json(nullptr);
  j["dp"] = r.dp ? DpToJson(*r.dp) : Json(nullptr);
  return j.dump();
}

Result<Report> ParseReportRelease(std::string_view text) {
  return Parse(text, [](const Json& j) {
    Report r;
    r.name = j.at("name").get<std::string>();
    r.title = j.at("title").get<std::string>();
    r.description = j.at("description").get<std::string>();
    if (!j.at("year").is_null()) r.year = j.at("year").get<int>();
    r.generated_at = ParseTimestamp(j.at("generated_at").get<std::string>()).value_or(Timestamp{});
    r.unit = j.at("unit").get<std::string>();
    r.sources = j.at("sources").get<std::vector<std::string>>();
    r.linkage = LinkageFromJson(j.at("linkage"));
    r.suppression = SuppressionFromJson(j.at("suppression"));
    if (!j.at("dp").is_null()) r.dp = DpFromJson(j.at("dp"));
    for (const auto& t : j.at("tables")) r.tables.push_back(TableFromJson(t));
    r.notes = j.at("notes").get<std::vector<std::string>>();
    return r;
  });
}

std::string SerializeRelease(const CountTable& t) {
  Json rows = Json::array();
  for (const auto& row : t.rows) rows.push_back({{"keys", row.keys}, {"cell", CellToJson(row.cell)}});
  Json j = {{"dimensions", t.dimensions},
            {"generated_at", FormatTimestamp(t.generated_at)},
            {"sources", t.sources},
            {"linkage", LinkageToJson(t.linkage)},
            {"suppression", SuppressionToJson(t.suppression)},
            {"rows", rows},
            {"total", CellToJson(t.total)},
            {"notes", t.notes}};
  j["year"] = t.year ? Json(*t.year) : Json(nullptr);
  j["dp"] = t.dp ? DpToJson(*t.dp) : Json(nullptr);
  return j.dump();
}

Result<CountTable> ParseCountsRelease(std::string_view text) {
  return Parse(text, [](const Json& j) {
    CountTable t;
    t.dimensions = j.at("dimensions").get<std::vector<std::string>>();
    if (!j.at("year").is_null()) t.year = j.at("year").get<int>();
    t.generated_at = ParseTimestamp(j.at("generated_at").get<std::string>()).value_or(Timestamp{});
    t.sources = j.at("sources").get<std::vector<std::string>>();
    t.linkage = LinkageFromJson(j.at("linkage"));
    t.suppression = SuppressionFromJson(j.at("suppression"));
    if (!j.at("dp").is_null()) t.dp = DpFromJson(j.at("dp"));
    for (const auto& row : j.at("rows"))
      t.rows.push_back({row.at("keys").get<std::vector<std::string>>(), CellFromJson(row.at("cell"))});
    t.total = CellFromJson(j.at("total"));
    t.notes = j.at("notes").get<std::vector<std::string>>();
    return t;
  });
}

}  // namespace haven::report
