#include "report/dimensions.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <tuple>

#include <fmt/format.h>

namespace haven::report {
namespace {

constexpr std::array<std::pair<Dimension, std::string_view>, 14> kNames = {{
    {Dimension::kYear, "year"},
    {Dimension::kSex, "sex"},
    {Dimension::kAgeGroup, "age_group"},
    {Dimension::kCitizenship, "citizenship"},
    {Dimension::kExploitation, "exploitation"},
    {Dimension::kCountryOfExploitation, "country_of_exploitation"},
    {Dimension::kIdentifiedBy, "identified_by"},
    {Dimension::kStatus, "status"},
    {Dimension::kMajority, "majority"},
    {Dimension::kCitizenshipGroup, "citizenship_group"},
    {Dimension::kTransnational, "transnational"},
    {Dimension::kVictimStatus, "victim_status"},
    {Dimension::kSource, "source"},
    {Dimension::kAgeSex, "age_sex"},
}};

constexpr std::size_t kMaxDimensions = 4;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view DimensionName(Dimension d) {
  for (const auto& [dim, name] : kNames)
    if (dim == d) return name;
  return "unknown";
}

std::string DimensionNames() {
  std::string out;
  for (const auto& [dim, name] : kNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool MultiValued(Dimension d) { return d == Dimension::kExploitation; }

Result<std::vector<Dimension>> ParseDimensions(std::string_view list, std::string_view field) {
  std::vector<Dimension> out;
  std::string f(field);
  if (Trim(list).empty())
    return Invalid(f, "is required: one or more of " + DimensionNames() + ", comma-separated");
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    std::string_view item = Trim(list.substr(start, end - start));
    // Quoting the input would echo arbitrary bytes into messages; a short prefix is enough.
    auto it = std::find_if(kNames.begin(), kNames.end(),
                           [&](const auto& p) { return p.second == item; });
    if (it == kNames.end()) {
      std::string shown(item.substr(0, 40));
      for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
      return Invalid(f, fmt::format("unknown dimension \"{}\"; use one of {}", shown,
                                    DimensionNames()));
    }
    if (std::find(out.begin(), out.end(), it->first) != out.end())
      return Invalid(f, fmt::format("dimension \"{}\" is given twice", it->second));
    out.push_back(it->first);
    start = end + 1;
  }
  if (out.size() > kMaxDimensions)
    return Invalid(f, fmt::format("at most {} dimensions at a time", kMaxDimensions));
  return out;
}

std::vector<std::string> ValuesOf(const store::CaseFact& f, Dimension d, const FactContext& ctx) {
  using domain::Name;
  switch (d) {
    case Dimension::kYear: return {std::to_string(f.identified_on.Year())};
    case Dimension::kSex: return {std::string(Name(f.sex))};
    case Dimension::kAgeGroup: return {f.age_group.empty() ? "unknown" : f.age_group};
    case Dimension::kMajority: return {f.majority.empty() ? "unknown" : f.majority};
    case Dimension::kCitizenship: return {f.citizenship.ToString()};
    case Dimension::kCitizenshipGroup:
      switch (f.citizenship.kind) {
        case domain::Citizenship::Kind::kCountry:
          return {f.citizenship.country == ctx.own_country ? "own_country" : "foreign"};
        case domain::Citizenship::Kind::kStateless: return {"stateless"};
        case domain::Citizenship::Kind::kUnknown: return {"unknown"};
      }
      return {"unknown"};
    case Dimension::kExploitation: {
      if (f.exploitation.empty()) return {"unknown"};
      std::vector<std::string> out;
      for (auto e : f.exploitation) out.emplace_back(Name(e));
      return out;
    }
    case Dimension::kCountryOfExploitation:
      return {f.country_of_exploitation.value_or("unknown")};
    case Dimension::kIdentifiedBy: return {std::string(Name(f.identified_by))};
    case Dimension::kStatus: return {std::string(Name(f.status))};
    case Dimension::kTransnational: return {f.transnational ? "transnational" : "internal"};
    case Dimension::kVictimStatus: return {std::string(Name(f.victim_status))};
    case Dimension::kSource: return {f.source};
    case Dimension::kAgeSex: {
      bool female = f.sex == domain::Sex::kFemale, male = f.sex == domain::Sex::kMale;
      if (f.majority == "adult" && female) return {"women"};
      if (f.majority == "adult" && male) return {"men"};
      if (f.majority == "minor" && female) return {"girls"};
      if (f.majority == "minor" && male) return {"boys"};
      return {"unknown"};
    }
  }
  return {"unknown"};
}

std::vector<store::CaseFact> UniquePersons(std::span<const store::CaseFact> facts, bool per_year) {
  // Earliest case first, so that the first fact seen for a person is the one kept.
  std::vector<const store::CaseFact*> order;
  order.reserve(facts.size());
  for (const auto& f : facts) order.push_back(&f);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return std::tie(a->identified_on, a->case_id) < std::tie(b->identified_on, b->case_id);
  });
  // Keys point into the strings of `facts`, which outlive `index`.
  using Key = std::tuple<std::string_view, domain::Id, int>;
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      std::size_t h = std::hash<std::string_view>()(std::get<0>(k));
      h ^= std::hash<domain::Id>()(std::get<1>(k)) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      h ^= std::hash<int>()(std::get<2>(k)) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
      return h;
    }
  };
  std::unordered_map<Key, std::size_t, KeyHash> index;
  index.reserve(facts.size());
  std::vector<store::CaseFact> out;
  out.reserve(facts.size());
  for (const auto* f : order) {
    Key key{f->source, f->person_cluster, per_year ? f->identified_on.Year() : 0};
    auto [it, inserted] = index.emplace(key, out.size());
    if (inserted) {
      out.push_back(*f);
      continue;
    }
    auto& kept = out[it->second];
    for (auto e : f->exploitation)
      if (std::find(kept.exploitation.begin(), kept.exploitation.end(), e) ==
          kept.exploitation.end())
        kept.exploitation.push_back(e);
    std::sort(kept.exploitation.begin(), kept.exploitation.end());
  }
  return out;
}

}  // namespace haven::report
