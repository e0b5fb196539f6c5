#include "domain/rules.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "domain/iso_codes.h"

namespace haven::domain {

Status CheckText(std::string_view value, std::string_view field, std::size_t max_len,
                 bool required) {
  if (value.empty()) {
    if (required) return Invalid(std::string(field), "is required");
    return {};
  }
  if (value.size() > max_len)
    return Invalid(std::string(field), fmt::format("is longer than {} bytes", max_len));
  for (unsigned char c : value)
    if (c < 0x20 || c == 0x7f)
      return Invalid(std::string(field), "contains control characters");
  if (value.find_first_not_of(' ') == std::string_view::npos)
    return Invalid(std::string(field), "is blank");
  return {};
}

Status CheckStatedReason(std::string_view reason, std::string_view field, std::string_view what,
                         std::size_t max_len) {
  if (reason.size() < 5 || reason.size() > max_len)
    return Invalid(std::string(field),
                   fmt::format("state why you {} (5 to {} characters)", what, max_len));
  return CheckText(reason, field, max_len);
}

Status CheckCaseCode(std::string_view code, std::string_view field) {
  auto bad = [&] {
    return Invalid(std::string(field), "must be a case code such as AZ-2026-000123");
  };
  if (code.size() != 14 || code[2] != '-' || code[7] != '-') return bad();
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (i < 2 && !(c >= 'A' && c <= 'Z')) return bad();
    if (i > 2 && i != 7 && !(c >= '0' && c <= '9')) return bad();
  }
  return {};
}

Status CheckCountry(std::string_view alpha2, std::string_view field) {
  if (!FindCountry(alpha2))
    return Invalid(std::string(field), "must be an ISO 3166-1 alpha-2 country code such as AZ");
  return {};
}

Status CheckAzRegion(std::string_view code, std::string_view field) {
  if (!FindAzRegion(code))
    return Invalid(std::string(field), "must be an ISO 3166-2:AZ region code such as AZ-BA");
  return {};
}

Result<Citizenship> Citizenship::Parse(std::string_view text, std::string_view field) {
  if (text == "stateless") return Citizenship{Kind::kStateless, {}};
  if (text == "unknown") return Citizenship{Kind::kUnknown, {}};
  if (!FindCountry(text))
    return Invalid(std::string(field),
                   "must be an ISO 3166-1 alpha-2 country code, \"stateless\" or \"unknown\"");
  return Citizenship{Kind::kCountry, std::string(text)};
}

std::string Citizenship::ToString() const {
  switch (kind) {
    case Kind::kCountry: return country;
    case Kind::kStateless: return "stateless";
    case Kind::kUnknown: return "unknown";
  }
  return "unknown";
}

std::optional<int> PersonIdentity::BirthYear() const {
  if (birth_date) return birth_date->Year();
  return birth_year;
}

std::string AgeGroup(std::optional<int> age) {
  if (!age) return "unknown";
  int a = *age;
  if (a < 9) return "0-8";
  if (a < 12) return "9-11";
  if (a < 15) return "12-14";
  if (a < 18) return "15-17";
  if (a < 21) return "18-20";
  if (a < 24) return "21-23";
  if (a < 27) return "24-26";
  if (a < 30) return "27-29";
  if (a < 39) return "30-38";
  if (a < 48) return "39-47";
  return "48+";
}

Status ValidateIdentity(const PersonIdentity& p, const Date& today, std::string_view prefix) {
  auto f = [&](std::string_view name) { return fmt::format("{}{}", prefix, name); };
  TRY_STATUS(CheckText(p.given_name, f("given_name"), 200, false));
  TRY_STATUS(CheckText(p.family_name, f("family_name"), 200, false));
  TRY_STATUS(CheckText(p.patronymic, f("patronymic"), 200, false));
  TRY_STATUS(CheckText(p.alias, f("alias"), 100, false));
  if (p.given_name.empty() && p.family_name.empty() && p.alias.empty())
    return Invalid(f("given_name"),
                   "a given name, a family name or (for a person who gives no name) an alias "
                   "is required");
  if (p.other_names.size() > 20) return Invalid(f("other_names"), "has more than 20 entries");
  for (std::size_t i = 0; i < p.other_names.size(); ++i)
    TRY_STATUS(CheckText(p.other_names[i], f(fmt::format("other_names[{}]", i)), 200));
  if (p.birth_date) {
    if (*p.birth_date > today) return Invalid(f("birth_date"), "is in the future");
    if (p.birth_year && *p.birth_year != p.birth_date->Year())
      return Invalid(f("birth_year"), "does not match birth_date");
  }
  if (p.birth_year && (*p.birth_year < 1900 || *p.birth_year > today.Year()))
    return Invalid(f("birth_year"), fmt::format("must be between 1900 and {}", today.Year()));
  if (p.documents.size() > 20) return Invalid(f("documents"), "has more than 20 entries");
  for (std::size_t i = 0; i < p.documents.size(); ++i) {
    const auto& d = p.documents[i];
    auto df = [&](std::string_view n) { return f(fmt::format("documents[{}].{}", i, n)); };
    TRY_STATUS(CheckText(d.number, df("number"), 100));
    if (d.issuing_country) TRY_STATUS(CheckCountry(*d.issuing_country, df("issuing_country")));
  }
  if (p.guardian) {
    TRY_STATUS(CheckText(p.guardian->name, f("guardian.name"), 200));
    TRY_STATUS(CheckText(p.guardian->relation, f("guardian.relation"), 100, false));
    if (p.guardian->contacts.size() > 20)
      return Invalid(f("guardian.contacts"), "has more than 20 entries");
    for (std::size_t i = 0; i < p.guardian->contacts.size(); ++i)
      TRY_STATUS(CheckText(p.guardian->contacts[i].value,
                           f(fmt::format("guardian.contacts[{}].value", i)), 500));
  }
  if (p.contacts.size() > 20) return Invalid(f("contacts"), "has more than 20 entries");
  for (std::size_t i = 0; i < p.contacts.size(); ++i)
    TRY_STATUS(CheckText(p.contacts[i].value, f(fmt::format("contacts[{}].value", i)), 500));
  return {};
}

Status ValidateCaseFields(const CaseFields& c, const Date& today) {
  if (c.identified_on > today) return Invalid("identified_on", "is in the future");
  if (c.exploitation.empty())
    return Invalid("exploitation", "at least one form of exploitation is required");
  if (c.country_of_recruitment)
    TRY_STATUS(CheckCountry(*c.country_of_recruitment, "country_of_recruitment"));
  if (c.country_of_exploitation)
    TRY_STATUS(CheckCountry(*c.country_of_exploitation, "country_of_exploitation"));
  if (c.region) TRY_STATUS(CheckAzRegion(*c.region, "region"));
  if (c.transnational && c.country_of_recruitment && c.country_of_exploitation &&
      *c.transnational != (*c.country_of_recruitment != *c.country_of_exploitation))
    return Invalid("transnational",
                   *c.transnational
                       ? "is true, but recruitment and exploitation took place in one country"
                       : "is false, but recruitment and exploitation took place in different "
                         "countries");
  if (c.best_interests_assessed_on) {
    if (*c.best_interests_assessed_on > today)
      return Invalid("best_interests_assessed_on", "is in the future");
  }
  return {};
}

std::optional<int> AgeAtIdentification(const PersonIdentity& p, const Date& identified_on) {
  if (p.birth_date) return identified_on.YearsSince(*p.birth_date);
  if (p.birth_year) return identified_on.Year() - *p.birth_year;
  return std::nullopt;
}

Status CheckChildFacts(const CaseFields& c, std::optional<int> age, bool require_status) {
  const bool child = age && *age < 18;
  if (child && !c.child_status && require_status)
    return Invalid("child_status",
                   "is required for a child (under 18 at identification): accompanied, "
                   "separated or unaccompanied");
  if (!child && c.child_status)
    return Invalid("child_status", "applies to children only (under 18 at identification)");
  if (!child && c.best_interests_assessed_on)
    return Invalid("best_interests_assessed_on",
                   "applies to children only (under 18 at identification)");
  if (c.best_interests_assessed_on && *c.best_interests_assessed_on < c.identified_on)
    return Invalid("best_interests_assessed_on", "is before the child was identified");
  return {};
}

Status ValidateNewCase(const NewCase& c, const Date& today) {
  TRY_STATUS(ValidateIdentity(c.person, today, "person."));
  TRY_STATUS(ValidateCaseFields(c.fields, today));
  if (c.person.birth_date && *c.person.birth_date > c.fields.identified_on)
    return Invalid("person.birth_date", "is after identified_on");
  TRY_STATUS(CheckChildFacts(c.fields, AgeAtIdentification(c.person, c.fields.identified_on)));
  return {};
}

Status CheckClosingNote(std::string_view note) {
  TRY_STATUS(CheckText(note, "note", 4000));
  int words = 0;
  bool in_word = false;
  for (unsigned char ch : note) {
    bool space = ch == ' ' || ch == '\n' || ch == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  if (note.size() < 20 || words < 3)
    return Invalid("note",
                   "must say in at least a sentence (20 characters or more) why the case is "
                   "closed");
  return {};
}

Status ValidateOrganization(const Organization& o) {
  TRY_STATUS(CheckText(o.name, "name", 200));
  if (o.region) TRY_STATUS(CheckAzRegion(*o.region, "region"));
  return {};
}

Status ValidateUsername(std::string_view username) {
  if (username.size() < 3 || username.size() > 64)
    return Invalid("username", "must be 3 to 64 characters long");
  for (char c : username) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == '_' || c == '@';
    if (!ok)
      return Invalid("username", "may contain only lower-case letters, digits and . - _ @");
  }
  return {};
}

Status ValidatePassword(std::string_view password) {
  if (password.size() < 12) return Invalid("password", "must be at least 12 characters long");
  if (password.size() > 256) return Invalid("password", "must be at most 256 characters long");
  return {};
}

bool DeriveTransnational(const CaseFields& c) {
  if (c.transnational) return *c.transnational;
  return c.country_of_recruitment && c.country_of_exploitation &&
         *c.country_of_recruitment != *c.country_of_exploitation;
}

namespace {

using S = CaseStatus;
// A person may go home at any stage before reintegration (a voluntary return right
// after identification is common); the move is made by recording the return.
constexpr std::array kFromIdentified = {S::kReferred, S::kReflectionPeriod, S::kAssisted,
                                        S::kReturned, S::kClosed};
constexpr std::array kFromReferred = {S::kReflectionPeriod, S::kAssisted, S::kReturned,
                                      S::kClosed};
constexpr std::array kFromReflection = {S::kAssisted, S::kReturned, S::kClosed};
constexpr std::array kFromAssisted = {S::kReturned, S::kReintegrated, S::kClosed};
constexpr std::array kFromReturned = {S::kReintegrated, S::kClosed};
constexpr std::array kFromReintegrated = {S::kClosed};

}  // namespace

std::span<const CaseStatus> NextStatuses(CaseStatus from) {
  switch (from) {
    case S::kIdentified: return kFromIdentified;
    case S::kReferred: return kFromReferred;
    case S::kReflectionPeriod: return kFromReflection;
    case S::kAssisted: return kFromAssisted;
    case S::kReturned: return kFromReturned;
    case S::kReintegrated: return kFromReintegrated;
    case S::kClosed: return {};
  }
  return {};
}

Status CheckTransition(CaseStatus from, CaseStatus to) {
  auto next = NextStatuses(from);
  if (std::find(next.begin(), next.end(), to) != next.end()) return {};
  std::string allowed;
  for (std::size_t i = 0; i < next.size(); ++i) {
    if (i) allowed += ", ";
    allowed += Name(next[i]);
  }
  return Fail(ErrorCode::kConflict, "invalid_transition",
              next.empty() ? fmt::format("a {} case cannot change status", Name(from))
                           : fmt::format("a case cannot go from {} to {}; allowed: {}",
                                         Name(from), Name(to), allowed),
              "to");
}

}  // namespace haven::domain
