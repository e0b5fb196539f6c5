#include "domain/identity_record.h"

#include <algorithm>
#include <cctype>


namespace haven::domain {
namespace {

std::string Text(const Json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

std::optional<std::string> OptText(const Json& j, const char* key) {
  std::string s = Text(j, key);
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<Date> OptDate(const Json& j, const char* key) {
  auto s = OptText(j, key);
  if (!s) return std::nullopt;
  auto d = Date::Parse(*s, key);
  if (!d) return std::nullopt;
  return *d;
}

template <typename E>
E EnumOr(const Json& j, const char* key, E fallback) {
  return ParseEnum<E>(Text(j, key)).value_or(fallback);
}

std::vector<Contact> Contacts(const Json& j) {
  std::vector<Contact> out;
  if (!j.contains("contacts") || !j["contacts"].is_array()) return out;
  for (const auto& c : j["contacts"]) {
    if (!c.is_object()) continue;
    out.push_back(Contact{EnumOr(c, "type", ContactType::kOther), Text(c, "value")});
  }
  return out;
}

}  // namespace

Json IdentityRecordToJson(const PersonIdentity& p) {
  // The API's shape, with what the record at rest adds: what it is and its version, and
  // the birth year as entered (the API derives it from the date when there is one).
  Json j = IdentityToJson(p);
  j["record"] = "identity";
  j["v"] = kIdentityRecordVersion;
  j["birth_year"] = p.birth_year ? Json(*p.birth_year) : Json(nullptr);
  return j;
}

Result<PersonIdentity> IdentityRecordFromJson(const Json& j) {
  if (!j.is_object()) return Invalid("identity", "a sealed identity is not a JSON object");
  // Versions 1 and 2 share their fields; a later version's unknown fields are ignored.
  PersonIdentity p;
  p.alias = Text(j, "alias");
  p.given_name = Text(j, "given_name");
  p.family_name = Text(j, "family_name");
  p.patronymic = Text(j, "patronymic");
  if (j.contains("other_names") && j["other_names"].is_array())
    for (const auto& n : j["other_names"])
      if (n.is_string()) p.other_names.push_back(n.get<std::string>());
  p.birth_date = OptDate(j, "birth_date");
  if (j.contains("birth_year") && j["birth_year"].is_number_integer())
    p.birth_year = j["birth_year"].get<int>();
  p.sex = EnumOr(j, "sex", Sex::kUnknown);
  std::string citizenship = Text(j, "citizenship");
  if (citizenship.size() == 2)
    std::transform(citizenship.begin(), citizenship.end(), citizenship.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (auto c = Citizenship::Parse(citizenship, "citizenship")) p.citizenship = *c;
  if (j.contains("documents") && j["documents"].is_array())
    for (const auto& d : j["documents"]) {
      if (!d.is_object()) continue;
      IdentityDocument doc;
      doc.type = EnumOr(d, "type", DocumentType::kOther);
      doc.number = Text(d, "number");
      doc.issuing_country = OptText(d, "issuing_country");
      doc.expires_on = OptDate(d, "expires_on");
      p.documents.push_back(std::move(doc));
    }
  p.contacts = Contacts(j);
  if (j.contains("guardian") && j["guardian"].is_object()) {
    const Json& g = j["guardian"];
    p.guardian = Guardian{Text(g, "name"), Text(g, "relation"), Contacts(g)};
  }
  return p;
}

}  // namespace haven::domain
