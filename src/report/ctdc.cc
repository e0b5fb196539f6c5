#include "report/ctdc.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "domain/iso_codes.h"
#include "io/sheet.h"
#include "privacy/crypto.h"
#include "report/anonymize.h"
#include "report/dimensions.h"
#include "report/writers.h"

namespace haven::report {
namespace {

using domain::Exploitation;
using domain::MeansOfControl;
using domain::RecruiterRelation;

constexpr std::string_view kTermsColumn =
    "By using this data you agree to the Terms of Use: https://www.ctdatacollaborative.org/terms-use";

constexpr std::array<std::string_view, 64> kColumns = {
    kTermsColumn,
    "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus",
    "majorityStatusAtExploit", "majorityEntry", "citizenship",
    "meansOfControlDebtBondage", "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess", "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse", "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse", "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances", "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare", "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren", "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities", "meansOfControlWithholdsDocuments",
    "meansOfControlOther", "meansOfControlNotSpecified", "meansOfControlConcatenated",
    "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage",
    "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices", "typeOfExploitConcatenated",
    "typeOfLabourAgriculture", "typeOfLabourAquafarming", "typeOfLabourBegging",
    "typeOfLabourConstruction", "typeOfLabourDomesticWork", "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities", "typeOfLabourManufacturing", "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling", "typeOfLabourTransportation", "typeOfLabourOther",
    "typeOfLabourNotSpecified", "typeOfLabourConcatenated", "typeOfSexProstitution",
    "typeOfSexPornography", "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices", "typeOfSexConcatenated", "isAbduction",
    "RecruiterRelationship", "CountryOfExploitation", "recruiterRelationIntimatePartner",
    "recruiterRelationFriend", "recruiterRelationFamily", "recruiterRelationOther",
    "recruiterRelationUnknown",
};

// CTDC's means-of-control columns and their text in the concatenated column,
// in the order of MeansOfControl (the enum was aligned with CTDC for this).
struct MocColumn {
  std::string_view column;
  std::string_view text;
  MeansOfControl value;
};
constexpr std::array<MocColumn, 17> kMoc = {{
    {"meansOfControlDebtBondage", "Debt bondage", MeansOfControl::kDebtBondage},
    {"meansOfControlTakesEarnings", "Takes earnings", MeansOfControl::kTakesEarnings},
    {"meansOfControlRestrictsFinancialAccess", "Restricts financial access", MeansOfControl::kRestrictsFinancialAccess},
    {"meansOfControlThreats", "Threats", MeansOfControl::kThreats},
    {"meansOfControlPsychologicalAbuse", "Psychological abuse", MeansOfControl::kPsychologicalAbuse},
    {"meansOfControlPhysicalAbuse", "Physical abuse", MeansOfControl::kPhysicalAbuse},
    {"meansOfControlSexualAbuse", "Sexual abuse", MeansOfControl::kSexualAbuse},
    {"meansOfControlFalsePromises", "False promises", MeansOfControl::kFalsePromises},
    {"meansOfControlPsychoactiveSubstances", "Psychoactive substances", MeansOfControl::kPsychoactiveSubstances},
    {"meansOfControlRestrictsMovement", "Restricts movement", MeansOfControl::kRestrictsMovement},
    {"meansOfControlRestrictsMedicalCare", "Restricts medical care", MeansOfControl::kRestrictsMedicalCare},
    {"meansOfControlExcessiveWorkingHours", "Excessive working hours", MeansOfControl::kExcessiveWorkingHours},
    {"meansOfControlUsesChildren", "Uses children", MeansOfControl::kUsesChildren},
    {"meansOfControlThreatOfLawEnforcement", "Threat of law enforcement", MeansOfControl::kThreatOfLawEnforcement},
    {"meansOfControlWithholdsNecessities", "Withholds necessities", MeansOfControl::kWithholdsNecessities},
    {"meansOfControlWithholdsDocuments", "Withholds documents", MeansOfControl::kWithholdsDocuments},
    {"meansOfControlOther", "Other", MeansOfControl::kOther},
}};

// CTDC's forms of exploitation. Military service, slavery and "other" have no
// form of their own in Haven and count as "other".
struct ExploitColumn {
  std::string_view column;
  std::string_view text;
  Exploitation value;
};
constexpr std::array<ExploitColumn, 7> kExploit = {{
    {"isForcedLabour", "Forced labour", Exploitation::kForcedLabour},
    {"isSexualExploit", "Sexual exploitation", Exploitation::kSexual},
    {"isOtherExploit", "Other", Exploitation::kOther},
    {"isForcedMarriage", "Forced marriage", Exploitation::kForcedMarriage},
    {"isForcedMilitary", "Forced military", Exploitation::kOther},
    {"isOrganRemoval", "Organ removal", Exploitation::kOrganRemoval},
    {"isSlaveryAndPractices", "Slavery and similar practices", Exploitation::kOther},
}};
constexpr std::string_view kCombinedText = "Combined sexual and labour exploitation";

struct RecruiterColumn {
  std::string_view column;
  std::string_view text;
  RecruiterRelation value;
};
constexpr std::array<RecruiterColumn, 5> kRecruiter = {{
    {"recruiterRelationIntimatePartner", "Intimate Partner", RecruiterRelation::kIntimatePartner},
    {"recruiterRelationFamily", "Family/Relative", RecruiterRelation::kFamily},
    {"recruiterRelationFriend", "Friend/Acquaintance", RecruiterRelation::kFriend},
    {"recruiterRelationOther", "Other", RecruiterRelation::kOther},
    {"recruiterRelationUnknown", "Not Specified", RecruiterRelation::kUnknown},
}};

constexpr std::array<std::string_view, 9> kCtdcBands = {
    "0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A value quoted into a reject reason: short and printable.
std::string Shown(std::string_view v) {
  std::string out(v.substr(0, 40));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == '"') c = '?';
  return out;
}

std::vector<std::string_view> SplitList(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find(';', start);
    if (end == std::string_view::npos) end = s.size();
    auto item = Trim(s.substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

class Row {
 public:
  Row(const std::vector<std::string>& fields, const std::unordered_map<std::string, std::size_t>& index)
      : fields_(fields), index_(index) {}
  std::string_view Get(std::string_view column) const {
    auto it = index_.find(std::string(column));
    if (it == index_.end()) return {};
    return Trim(fields_[it->second]);
  }
  // A 0/1 flag; nullopt when empty.
  Result<std::optional<bool>> Flag(std::string_view column) const {
    auto v = Get(column);
    if (v.empty()) return std::optional<bool>();
    if (v == "0") return std::optional<bool>(false);
    if (v == "1") return std::optional<bool>(true);
    return Invalid(std::string(column), fmt::format("{} is \"{}\"; a flag is 0, 1 or empty", column, Shown(v)));
  }

 private:
  const std::vector<std::string>& fields_;
  const std::unordered_map<std::string, std::size_t>& index_;
};

Result<std::optional<std::string>> Country(std::string_view v, std::string_view column) {
  if (v.empty()) return std::optional<std::string>();
  std::string upper(v);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.size() != 2 || !domain::FindCountry(upper))
    return Invalid(std::string(column),
                   fmt::format("{} \"{}\" is not an ISO 3166-1 alpha-2 country code", column, Shown(v)));
  return std::optional(upper);
}

template <typename E>
void AddUnique(std::vector<E>& v, E e) {
  if (std::find(v.begin(), v.end(), e) == v.end()) v.push_back(e);
}

Result<store::CtdcRecord> MapRow(const Row& row) {
  store::CtdcRecord r;
  auto year = row.Get("yearOfRegistration");
  if (year.empty()) return Invalid("yearOfRegistration", "yearOfRegistration is empty");
  int y = 0;
  for (char c : year) {
    if (c < '0' || c > '9' || y > 100000)
      return Invalid("yearOfRegistration", fmt::format("yearOfRegistration \"{}\" is not a year", Shown(year)));
    y = y * 10 + (c - '0');
  }
  if (y < 1900 || y > 2200)
    return Invalid("yearOfRegistration", fmt::format("yearOfRegistration {} is not between 1900 and 2200", y));
  r.year = y;

  auto source = row.Get("Datasource");
  if (source.size() > 100) return Invalid("Datasource", "Datasource is longer than 100 characters");
  for (char c : source)
    if (static_cast<unsigned char>(c) < 0x20) return Invalid("Datasource", "Datasource has control characters");
  r.datasource = std::string(source);
  r.identified_by = Lower(source) == "hotline" ? domain::IdentifiedBy::kHotline : domain::IdentifiedBy::kOther;

  auto gender = Lower(row.Get("gender"));
  if (gender.empty()) r.sex = domain::Sex::kUnknown;
  else if (gender == "female") r.sex = domain::Sex::kFemale;
  else if (gender == "male") r.sex = domain::Sex::kMale;
  else if (gender.find("transgender") != std::string::npos || gender.find("nonconforming") != std::string::npos)
    r.sex = domain::Sex::kOther;
  else
    return Invalid("gender", fmt::format("gender \"{}\" is not Female, Male or Transgender/NonConforming",
                                         Shown(row.Get("gender"))));

  auto band = row.Get("ageBroad");
  if (!band.empty()) {
    if (std::find(kCtdcBands.begin(), kCtdcBands.end(), band) == kCtdcBands.end())
      return Invalid("ageBroad", fmt::format("ageBroad \"{}\" is not one of CTDC's age bands (0--8, 9--17, "
                                             "18--20, …, 48+)", Shown(band)));
    r.age_band = CtdcBandToHaven(band);
  }
  auto majority = Lower(row.Get("majorityStatus"));
  if (majority == "minor" || majority == "adult") r.majority = majority;
  else if (!majority.empty())
    return Invalid("majorityStatus", fmt::format("majorityStatus \"{}\" is not Adult, Minor or empty",
                                                 Shown(row.Get("majorityStatus"))));
  else if (!band.empty()) r.majority = (band == "0--8" || band == "9--17") ? "minor" : "adult";

  TRY(auto citizenship, Country(row.Get("citizenship"), "citizenship"));
  if (citizenship) r.citizenship = domain::Citizenship{domain::Citizenship::Kind::kCountry, *citizenship};
  TRY(r.country_of_exploitation, Country(row.Get("CountryOfExploitation"), "CountryOfExploitation"));

  for (const auto& m : kMoc) {
    TRY(auto flag, row.Flag(m.column));
    if (flag && *flag) AddUnique(r.means_of_control, m.value);
  }
  TRY(auto not_specified, row.Flag("meansOfControlNotSpecified"));
  (void)not_specified;
  for (auto item : SplitList(row.Get("meansOfControlConcatenated"))) {
    if (Lower(item) == "not specified") continue;
    auto it = std::find_if(kMoc.begin(), kMoc.end(), [&](const auto& m) { return Lower(m.text) == Lower(item); });
    if (it == kMoc.end())
      return Invalid("meansOfControlConcatenated",
                     fmt::format("meansOfControlConcatenated has an unknown means of control \"{}\"", Shown(item)));
    AddUnique(r.means_of_control, it->value);
  }
  std::sort(r.means_of_control.begin(), r.means_of_control.end());

  for (const auto& e : kExploit) {
    TRY(auto flag, row.Flag(e.column));
    if (flag && *flag) AddUnique(r.exploitation, e.value);
  }
  TRY(auto combined, row.Flag("isSexAndLabour"));
  if (combined && *combined) {
    AddUnique(r.exploitation, Exploitation::kSexual);
    AddUnique(r.exploitation, Exploitation::kForcedLabour);
  }
  for (auto item : SplitList(row.Get("typeOfExploitConcatenated"))) {
    if (Lower(item) == Lower(kCombinedText)) {
      AddUnique(r.exploitation, Exploitation::kSexual);
      AddUnique(r.exploitation, Exploitation::kForcedLabour);
      continue;
    }
    auto it = std::find_if(kExploit.begin(), kExploit.end(),
                           [&](const auto& e) { return Lower(e.text) == Lower(item); });
    if (it == kExploit.end())
      return Invalid("typeOfExploitConcatenated",
                     fmt::format("typeOfExploitConcatenated has an unknown form of exploitation \"{}\"", Shown(item)));
    AddUnique(r.exploitation, it->value);
  }
  std::sort(r.exploitation.begin(), r.exploitation.end());

  // One relation in Haven: the first that is flagged, in the order above.
  for (const auto& rc : kRecruiter) {
    TRY(auto flag, row.Flag(rc.column));
    if (flag && *flag && !r.recruiter_relation) r.recruiter_relation = rc.value;
  }
  if (!r.recruiter_relation) {
    for (auto item : SplitList(row.Get("RecruiterRelationship"))) {
      // "Family/Relative; Intimate Partner": lists use "; " here too.
      auto it = std::find_if(kRecruiter.begin(), kRecruiter.end(),
                             [&](const auto& rc) { return Lower(rc.text) == Lower(item); });
      if (it == kRecruiter.end())
        return Invalid("RecruiterRelationship",
                       fmt::format("RecruiterRelationship has an unknown relation \"{}\"", Shown(item)));
      if (!r.recruiter_relation) r.recruiter_relation = it->value;
    }
  }
  for (std::string_view flag : {"isAbduction"}) TRY_STATUS(row.Flag(flag));
  return r;
}

// ---- Export

// The quasi-identifiers, in this order. Each one's values are the text of its
// CTDC fields joined by '|', so that equal values are equal rows in the file
// and the k-anonymity the search reaches is that of the file as written.
enum Qi : std::size_t { kYear, kSex, kAge, kCitizenship, kCountry, kForms, kQis };
constexpr std::array<std::string_view, kQis> kQiNames = {
    "year", "sex", "age_group", "citizenship", "country_of_exploitation", "exploitation"};

constexpr std::array<std::string_view, 9> kExploitCells = {
    "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage",
    "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices", "typeOfExploitConcatenated"};

// CTDC's forms of exploitation that Haven's map to.
struct Forms {
  bool labour = false;  // forced labour, begging, domestic servitude, forced criminality
  bool sexual = false;
  bool marriage = false;
  bool organs = false;
  bool other = false;
  bool Any() const { return labour || sexual || marriage || organs || other; }
};

Forms FormsOf(const std::vector<Exploitation>& exploitation) {
  auto has = [&](Exploitation e) {
    return std::find(exploitation.begin(), exploitation.end(), e) != exploitation.end();
  };
  Forms f;
  // Begging, domestic servitude and forced criminality are forced labour in CTDC's terms.
  f.labour = has(Exploitation::kForcedLabour) || has(Exploitation::kForcedBegging) ||
             has(Exploitation::kDomesticServitude) || has(Exploitation::kForcedCriminality);
  f.sexual = has(Exploitation::kSexual);
  f.marriage = has(Exploitation::kForcedMarriage);
  f.organs = has(Exploitation::kOrganRemoval);
  f.other = has(Exploitation::kOther);
  return f;
}

std::string Flag(bool b) { return b ? "1" : "0"; }

std::string Join(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) out += (i ? "|" : "") + cells[i];
  return out;
}

std::vector<std::string> Split(std::string_view value, std::size_t cells) {
  std::vector<std::string> out;
  if (value.empty()) return std::vector<std::string>(cells);
  std::size_t start = 0;
  while (true) {
    auto end = value.find('|', start);
    out.emplace_back(value.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out.resize(cells);
  return out;
}

// The exploitation fields (kExploitCells) of `f`, exactly or in broad categories
// (sexual, labour, other — the specific flags not recorded); empty when no form is.
std::string ExploitationValue(const Forms& f, bool broad) {
  if (!f.Any()) return "";
  const bool other = broad ? (f.other || f.marriage || f.organs) : f.other;
  std::string text;
  auto add = [&](bool b, std::string_view t) {
    if (b) text += (text.empty() ? "" : ";") + std::string(t);
  };
  add(f.labour, "Forced labour");
  add(f.sexual, "Sexual exploitation");
  add(f.labour && f.sexual, kCombinedText);
  if (!broad) {
    add(f.marriage, "Forced marriage");
    add(f.organs, "Organ removal");
  }
  add(other, "Other");
  auto specific = [&](bool b) { return broad ? std::string() : Flag(b); };
  return Join({Flag(f.labour), Flag(f.sexual), Flag(other), Flag(f.labour && f.sexual),
               specific(f.marriage), specific(false), specific(f.organs), specific(false), text});
}

std::string Majority(std::string_view ctdc_band) {
  return ctdc_band == "0--8" || ctdc_band == "9--17" ? "Minor" : "Adult";
}

// The hierarchies of the quasi-identifiers, as CTDC's columns can write them
// (see ExportCtdc in ctdc.h).
std::vector<Hierarchy> CtdcHierarchies(const std::vector<std::string>& years, std::string_view own) {
  std::vector<Hierarchy> h(kQis);
  for (std::size_t q = 0; q < kQis; ++q) h[q].name = std::string(kQiNames[q]);
  for (const auto& y : years) h[kYear].rows.push_back({y});
  for (std::string_view g : {"Female", "Male", "Transgender/NonConforming", ""})
    h[kSex].rows.push_back({std::string(g), ""});
  for (auto band : kCtdcBands) {
    std::string majority = Majority(band);
    h[kAge].rows.push_back({std::string(band) + "|" + majority, "|" + majority, ""});
  }
  h[kAge].rows.push_back({"|Minor", "|Minor", ""});
  h[kAge].rows.push_back({"|Adult", "|Adult", ""});
  h[kAge].rows.push_back({"", "", ""});
  for (Qi q : {kCitizenship, kCountry}) {
    for (std::size_t i = 0; i < domain::kCountryCount; ++i) {
      std::string code = domain::kCountries[i].code;
      h[q].rows.push_back({code, code == own ? code : "", ""});
    }
    h[q].rows.push_back({"", "", ""});
  }
  for (int mask = 0; mask < 32; ++mask) {
    Forms f{.labour = (mask & 1) != 0,
            .sexual = (mask & 2) != 0,
            .marriage = (mask & 4) != 0,
            .organs = (mask & 8) != 0,
            .other = (mask & 16) != 0};
    h[kForms].rows.push_back({ExploitationValue(f, false), ExploitationValue(f, true), ""});
  }
  return h;
}

struct Person {
  std::string datasource;
  std::vector<std::string> qis;  // kQis values, exact
  std::vector<MeansOfControl> moc;
  std::optional<RecruiterRelation> recruiter;
};

std::vector<std::string> ExportRow(const Person& p, const std::vector<std::string>& qis) {
  std::map<std::string_view, std::string> v;
  v["yearOfRegistration"] = qis[kYear];
  v["Datasource"] = p.datasource;
  v["gender"] = qis[kSex];
  auto age = Split(qis[kAge], 2);
  v["ageBroad"] = age[0];
  v["majorityStatus"] = age[1];
  v["citizenship"] = qis[kCitizenship];
  v["CountryOfExploitation"] = qis[kCountry];
  auto forms = Split(qis[kForms], kExploitCells.size());
  for (std::size_t i = 0; i < kExploitCells.size(); ++i) v[kExploitCells[i]] = forms[i];
  if (p.moc.empty()) {
    v["meansOfControlNotSpecified"] = "1";
    v["meansOfControlConcatenated"] = "Not specified";
  } else {
    std::string text;
    for (const auto& m : kMoc) {
      bool has = std::find(p.moc.begin(), p.moc.end(), m.value) != p.moc.end();
      v[m.column] = Flag(has);
      if (has) text += (text.empty() ? "" : ";") + std::string(m.text);
    }
    v["meansOfControlNotSpecified"] = "0";
    v["meansOfControlConcatenated"] = text;
  }
  if (p.recruiter) {
    for (const auto& rc : kRecruiter) {
      // Haven's acquaintance, employer and stranger have no CTDC flag of their own.
      bool match = rc.value == *p.recruiter ||
                   (rc.value == RecruiterRelation::kFriend && *p.recruiter == RecruiterRelation::kAcquaintance) ||
                   (rc.value == RecruiterRelation::kOther &&
                    (*p.recruiter == RecruiterRelation::kEmployer || *p.recruiter == RecruiterRelation::kStranger));
      v[rc.column] = Flag(match);
      if (match) v["RecruiterRelationship"] = std::string(rc.text);
    }
  }
  std::vector<std::string> out;
  for (auto column : kColumns) {
    auto it = v.find(column);
    out.push_back(it == v.end() ? "" : it->second);
  }
  return out;
}

std::string CtdcGender(domain::Sex s) {
  switch (s) {
    case domain::Sex::kFemale: return "Female";
    case domain::Sex::kMale: return "Male";
    case domain::Sex::kOther: return "Transgender/NonConforming";
    case domain::Sex::kUnknown: return "";
  }
  return "";
}

// An alpha-2 code CTDC can hold, or empty.
std::string CtdcCountry(std::string_view code) {
  return code.size() == 2 && domain::FindCountry(code) ? std::string(code) : std::string();
}

}  // namespace

std::span<const std::string_view> CtdcColumns() { return kColumns; }

std::string CtdcBandToHaven(std::string_view band) {
  std::string out(band);
  auto pos = out.find("--");
  if (pos != std::string::npos) out.replace(pos, 2, "-");
  return out;
}

std::string HavenBandToCtdc(std::string_view band) {
  if (band == "9-11" || band == "12-14" || band == "15-17" || band == "9-17") return "9--17";
  if (band == "unknown" || band.empty()) return "";
  std::string out(band);
  auto pos = out.find('-');
  if (pos != std::string::npos) out.replace(pos, 1, "--");
  return out;
}

Result<CtdcParse> ParseCtdc(std::string_view content, const Progress& progress) {
  // Semicolon-separated with RFC 4180 quoting; the global dataset is large.
  io::SheetLimits limits;
  limits.max_bytes = std::size_t{1} << 30;
  limits.max_rows = 10'000'000;
  TRY(io::Sheet sheet, io::ReadCsv(content, ';', limits));
  if (sheet.rows.empty())
    return Fail(ErrorCode::kValidation, "invalid_file", "the file is empty: a CTDC file starts with its header line", "file");
  const std::vector<std::string>& header = sheet.rows.front().cells;
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < header.size(); ++i) index.emplace(std::string(Trim(header[i])), i);
  for (std::string_view required : {"yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation"})
    if (!index.count(std::string(required)))
      return Fail(ErrorCode::kValidation, "invalid_file",
                  fmt::format("line {}: the header has no column \"{}\"; is this a CTDC file "
                              "(semicolon-separated, the terms of use as the first column)?",
                              sheet.rows.front().number, required),
                  "file");

  CtdcParse out;
  std::unordered_map<std::string, int> occurrences;
  const std::size_t rows = sheet.rows.size();
  for (std::size_t r = 1; r < rows; ++r) {
    const io::Row& row = sheet.rows[r];
    const std::vector<std::string>& fields = row.cells;
    const auto line = static_cast<std::size_t>(row.number);
    ++out.read;
    if (progress && r % 256 == 0) progress(r, rows);
    // The row as read, for the list of rejects.
    auto raw = [&] {
      std::string text;
      for (std::size_t i = 0; i < fields.size(); ++i) text += (i ? ";" : "") + CsvField(fields[i], ';');
      return text;
    };
    if (fields.size() != header.size()) {
      out.rejects.push_back({line,
                             fmt::format("the row has {} fields; the header has {}", fields.size(), header.size()),
                             raw()});
      continue;
    }
    auto record = MapRow(Row(fields, index));
    if (!record) {
      out.rejects.push_back({line, record.error().message, raw()});
      continue;
    }
    // Identical rows are separate records: the n-th copy has its own key.
    std::string joined;
    for (const auto& f : fields) joined += std::string(Trim(f)) + '\x1f';
    std::string digest = privacy::Digest(joined);
    int n = ++occurrences[digest];
    record->record_key = fmt::format("{}:{}", digest, n);
    out.records.push_back(std::move(*record));
    out.lines.push_back(line);
  }
  if (progress) progress(rows, rows);
  return out;
}

std::string RejectsCsv(const std::vector<CtdcReject>& rejects) {
  std::string out = "line,reason,row\n";
  for (const auto& r : rejects)
    out += fmt::format("{},{},{}\n", r.line, CsvField(r.reason), CsvField(r.row));
  return out;
}

Result<CtdcExport> ExportCtdc(std::span<const store::CaseFact> facts, const CtdcExportOptions& options) {
  if (options.k < 2) return Invalid("k", "must be at least 2");
  if (options.k > 1000) return Invalid("k", "must be at most 1000");
  if (!(options.suppression_limit >= 0 && options.suppression_limit <= 1))
    return Invalid("suppression_limit", "must be a fraction between 0 and 1");
  if (options.own_country.size() != 2 || !domain::FindCountry(options.own_country))
    return Invalid("own_country", "must be an upper-case ISO 3166-1 alpha-2 code");
  std::vector<store::CaseFact> own;
  for (const auto& f : facts)
    if (f.source == "haven") own.push_back(f);
  auto persons_facts = UniquePersons(own, false);

  std::vector<Person> persons;
  std::vector<std::vector<std::string>> records;
  std::set<std::string> years;
  persons.reserve(persons_facts.size());
  for (const auto& f : persons_facts) {
    Person p;
    p.datasource = f.identified_by == domain::IdentifiedBy::kHotline ? "Hotline" : "Case Management";
    p.moc = f.means_of_control;
    p.recruiter = f.recruiter_relation;
    p.qis.resize(kQis);
    p.qis[kYear] = std::to_string(f.identified_on.Year());
    p.qis[kSex] = CtdcGender(f.sex);
    std::string band = HavenBandToCtdc(f.age_group);
    if (std::find(kCtdcBands.begin(), kCtdcBands.end(), band) != kCtdcBands.end())
      p.qis[kAge] = band + "|" + Majority(band);
    else if (f.majority == "minor" || f.majority == "adult")
      p.qis[kAge] = f.majority == "minor" ? "|Minor" : "|Adult";
    // CTDC has no code for stateless persons: blank, as CTDC does.
    if (f.citizenship.kind == domain::Citizenship::Kind::kCountry)
      p.qis[kCitizenship] = CtdcCountry(f.citizenship.country);
    p.qis[kCountry] = CtdcCountry(f.country_of_exploitation.value_or(""));
    p.qis[kForms] = ExploitationValue(FormsOf(f.exploitation), false);
    years.insert(p.qis[kYear]);
    records.push_back(p.qis);
    persons.push_back(std::move(p));
  }

  auto hierarchies = CtdcHierarchies({years.begin(), years.end()}, options.own_country);
  AnonymizeOptions anon;
  anon.k = options.k;
  anon.suppression_limit = options.suppression_limit;
  TRY(Anonymization result, Anonymize(records, hierarchies, anon));

  CtdcExport out;
  out.input = persons.size();
  out.suppressed = result.suppressed;
  out.generalised = result.generalised;
  out.information_loss = result.loss;
  out.full_domain_loss = result.full_domain_loss;
  for (const auto& s : result.qis)
    out.fields.push_back({s.name, s.height, s.level, s.exact, s.generalised, s.blanked, s.not_recorded});
  std::vector<std::pair<std::string, std::vector<std::string>>> rows;
  for (std::size_t i = 0; i < persons.size(); ++i) {
    if (result.records[i].suppressed) continue;
    auto row = ExportRow(persons[i], result.records[i].values);
    std::string sort_key;
    for (const auto& f : row) sort_key += f + '\x1f';
    rows.emplace_back(std::move(sort_key), std::move(row));
  }
  // Sorted, so that the order of the file says nothing about when cases were registered.
  std::sort(rows.begin(), rows.end());
  std::string csv;
  for (std::size_t i = 0; i < kColumns.size(); ++i) csv += (i ? ";" : "") + CsvField(kColumns[i], ';');
  csv += '\n';
  for (const auto& [key, row] : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) csv += (i ? ";" : "") + CsvField(row[i], ';');
    csv += '\n';
  }
  out.records = rows.size();
  out.csv = std::move(csv);
  return out;
}

}  // namespace haven::report
