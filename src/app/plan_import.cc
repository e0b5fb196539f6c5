#include "app/plan_import.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "privacy/normalize.h"

namespace haven::app {
namespace {

using domain::Date;

enum class Column { kCode, kText, kResponsible, kPartners, kDeadline, kIndicator, kUnit, kBaseline, kTarget };

struct Heading {
  Column column;
  std::string_view what;  // for the message when it is missing
  bool required;
  std::vector<std::string_view> names;  // as people write them, in az, en and ru
};

const std::vector<Heading>& Headings() {
  static const std::vector<Heading> kHeadings = {
      {Column::kCode, "the measure's code (a heading such as Code, Kod or Код)", true,
       {"code", "no", "number", "item", "kod", "bənd", "nömrə", "№", "код", "номер", "пункт"}},
      {Column::kText, "the measure itself (a heading such as Measure, Tədbir or Мероприятие)", true,
       {"measure", "measures", "text", "action", "activity", "tədbir", "tədbirlər", "tədbirin adı",
        "мера", "меры", "мероприятие", "мероприятия", "наименование мероприятия", "текст"}},
      {Column::kResponsible,
       "the responsible bodies (a heading such as Responsible, İcraçı or Ответственные)", true,
       {"responsible", "responsible body", "responsible bodies", "implementing bodies",
        "icraçı", "icraçılar", "məsul icraçı", "məsul icraçılar", "icraçı orqanlar",
        "ответственные", "ответственный", "ответственный исполнитель",
        "ответственные исполнители", "исполнители", "исполнитель"}},
      {Column::kPartners, "the partners", false,
       {"partners", "partner", "partner organisations", "tərəfdaşlar", "tərəfdaş", "партнёры",
        "партнеры", "партнер", "партнёр"}},
      {Column::kDeadline, "the deadline (a heading such as Deadline, İcra müddəti or Срок)", true,
       {"deadline", "due", "due date", "term", "icra müddəti", "müddət", "icra tarixi", "срок",
        "срок исполнения", "сроки", "сроки исполнения"}},
      {Column::kIndicator, "the indicator", false,
       {"indicator", "indicators", "göstərici", "göstəricilər", "индикатор", "индикаторы",
        "показатель", "показатели"}},
      {Column::kUnit, "the indicator's unit", false,
       {"unit", "units", "ölçü vahidi", "vahid", "единица", "единица измерения"}},
      {Column::kBaseline, "the indicator's baseline", false,
       {"baseline", "ilkin göstərici", "ilkin səviyyə", "başlanğıc", "базовое значение",
        "исходное значение", "исходный уровень"}},
      {Column::kTarget, "the indicator's target", false,
       {"target", "hədəf", "hədəf göstərici", "целевое значение", "цель", "целевой показатель"}},
  };
  return kHeadings;
}

std::string Trim(std::string_view s) {
  const auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  // A no-break space that spreadsheets leave at the ends.
  while (s.starts_with("\xC2\xA0")) s.remove_prefix(2);
  while (s.ends_with("\xC2\xA0")) s.remove_suffix(2);
  return std::string(s);
}

// "№" folds to nothing in NormalizeName; keep it recognisable.
std::string Key(std::string_view heading) {
  std::string t = Trim(heading);
  if (t == "№" || t == "N" || t == "N°") return "no";
  return privacy::NormalizeName(t);
}

// A deadline as written: 2013-12-31, 31.12.2013 (or 31/12/2013), or a year (its end).
std::optional<Date> ParseDeadline(std::string_view s) {
  if (auto d = Date::Parse(s, "deadline")) return *d;
  auto number = [](std::string_view t, int& out) {
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    return ec == std::errc() && p == t.data() + t.size();
  };
  int y = 0, m = 0, d = 0;
  if (s.size() == 4 && number(s, y) && y >= 1900 && y <= 2200) return Date::FromYmd(y, 12, 31);
  if (s.size() == 10 && (s[2] == '.' || s[2] == '/') && s[5] == s[2] && number(s.substr(0, 2), d) &&
      number(s.substr(3, 2), m) && number(s.substr(6, 4), y)) {
    auto iso = fmt::format("{:04d}-{:02d}-{:02d}", y, m, d);
    if (auto parsed = Date::Parse(iso, "deadline")) return *parsed;
  }
  return std::nullopt;
}

// "12", "12.5" or "12,5"; empty: none.
Result<std::optional<double>> ParseNumber(const std::string& s, std::string_view what) {
  if (s.empty()) return std::optional<double>();
  std::string t = s;
  std::replace(t.begin(), t.end(), ',', '.');
  t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size())
    return Invalid(std::string(what), fmt::format("\"{}\" is not a number", s));
  return std::optional<double>(v);
}

// Names separated by ";" or a line break, or by "," where a name has no comma of its own
// ("Anti-Trafficking Department, Ministry of Internal Affairs" is one body): each one an
// organisation of the directory. Within a part, the longest run of comma-separated pieces
// that names an organisation is taken first.
Result<std::vector<domain::Id>> Bodies(const std::string& cell, std::string_view field,
                                       const std::map<std::string, domain::Id>& by_name) {
  std::vector<domain::Id> ids;
  auto add = [&](domain::Id id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };
  auto split = [](const std::string& s, auto is_separator) {
    std::vector<std::string> out(1);
    for (char c : s) {
      if (is_separator(c)) out.emplace_back();
      else out.back().push_back(c);
    }
    return out;
  };
  for (const std::string& part : split(cell, [](char c) { return c == ';' || c == '\n'; })) {
    std::vector<std::string> pieces = split(part, [](char c) { return c == ','; });
    for (std::size_t i = 0; i < pieces.size();) {
      if (Trim(pieces[i]).empty()) {
        ++i;
        continue;
      }
      std::size_t matched = 0;  // pieces taken
      for (std::size_t j = pieces.size(); j > i && !matched; --j) {
        std::string name;
        for (std::size_t k = i; k < j; ++k) name += (k > i ? "," : "") + pieces[k];
        auto it = by_name.find(privacy::NormalizeName(Trim(name)));
        if (it != by_name.end()) {
          add(it->second);
          matched = j - i;
        }
      }
      if (!matched)
        return Invalid(std::string(field),
                       fmt::format("no organisation named \"{}\" in the directory", Trim(pieces[i])));
      i += matched;
    }
  }
  return ids;
}

}  // namespace

Result<MeasureRows> MeasuresFromSheet(const io::Sheet& sheet, const domain::ActionPlan& plan,
                                      const std::vector<domain::Organization>& directory,
                                      const std::set<std::string>& codes_taken) {
  auto bad_file = [](std::string message) {
    return Fail(ErrorCode::kValidation, "invalid_file", std::move(message), "file");
  };
  if (sheet.rows.empty()) return bad_file("the file is empty: the first row holds the headings");
  // The headings: each column that one names.
  std::map<Column, std::size_t> at;
  const auto& header = sheet.rows.front();
  for (std::size_t i = 0; i < header.cells.size(); ++i) {
    const std::string key = Key(header.cells[i]);
    if (key.empty()) continue;
    for (const auto& h : Headings()) {
      bool match = std::any_of(h.names.begin(), h.names.end(),
                               [&](std::string_view n) { return Key(n) == key; });
      if (match && !at.contains(h.column)) at[h.column] = i;
    }
  }
  for (const auto& h : Headings())
    if (h.required && !at.contains(h.column))
      return bad_file(fmt::format("row {}: no column for {}", header.number, h.what));
  if (sheet.rows.size() < 2) return bad_file("the file has headings but no measure");

  std::map<std::string, domain::Id> by_name;
  for (const auto& o : directory) by_name.emplace(privacy::NormalizeName(o.name), o.id);

  MeasureRows out;
  std::map<std::string, int> seen;  // code -> the row that has it
  for (std::size_t r = 1; r < sheet.rows.size(); ++r) {
    const io::Row& row = sheet.rows[r];
    auto cell = [&](Column c) -> std::string {
      auto it = at.find(c);
      if (it == at.end() || it->second >= row.cells.size()) return {};
      return Trim(row.cells[it->second]);
    };
    auto problem = [&](const Error& e) {
      out.problems.push_back({row.number, e.field, e.message});
    };
    domain::Measure m;
    m.plan_id = plan.id;
    m.code = cell(Column::kCode);
    m.text = cell(Column::kText);
    const std::string deadline = cell(Column::kDeadline);
    if (m.code.empty() && m.text.empty() && deadline.empty()) continue;  // a blank line
    auto deadline_on = ParseDeadline(deadline);
    if (!deadline_on) {
      problem(Error{ErrorCode::kValidation, "invalid_field",
                    deadline.empty() ? "is empty"
                                     : fmt::format("\"{}\" is not a date such as 2013-12-31, "
                                                   "31.12.2013 or a year", deadline),
                    "deadline"});
      continue;
    }
    m.deadline = *deadline_on;
    auto responsible = Bodies(cell(Column::kResponsible), "responsible_organization_ids", by_name);
    if (!responsible) {
      problem(responsible.error());
      continue;
    }
    m.responsible_organization_ids = *responsible;
    auto partners = Bodies(cell(Column::kPartners), "partner_organization_ids", by_name);
    if (!partners) {
      problem(partners.error());
      continue;
    }
    m.partner_organization_ids = *partners;
    const std::string indicator = cell(Column::kIndicator);
    if (!indicator.empty()) {
      domain::Indicator ind{indicator, cell(Column::kUnit), std::nullopt, std::nullopt};
      auto baseline = ParseNumber(cell(Column::kBaseline), "indicators[0].baseline");
      auto target = ParseNumber(cell(Column::kTarget), "indicators[0].target");
      if (!baseline || !target) {
        problem(!baseline ? baseline.error() : target.error());
        continue;
      }
      ind.baseline = *baseline;
      ind.target = *target;
      m.indicators.push_back(std::move(ind));
    }
    if (auto ok = domain::CheckMeasure(m, plan); !ok) {
      problem(ok.error());
      continue;
    }
    if (codes_taken.contains(m.code)) {
      problem(Error{ErrorCode::kConflict, "duplicate_code",
                    fmt::format("the plan has a measure {} already", m.code), "code"});
      continue;
    }
    if (auto [it, fresh] = seen.emplace(m.code, row.number); !fresh) {
      problem(Error{ErrorCode::kConflict, "duplicate_code",
                    fmt::format("measure {} is in row {} too", m.code, it->second), "code"});
      continue;
    }
    out.measures.emplace_back(row.number, std::move(m));
  }
  return out;
}

}  // namespace haven::app
