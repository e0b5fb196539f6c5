#include "domain/codec.h"

#include <algorithm>

#include <fmt/format.h>

namespace haven::domain {

JsonReader::JsonReader(const Json& object, std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {}

Status RequireObject(const Json& value, std::string_view field) {
  if (!value.is_object())
    return Invalid(std::string(field.empty() ? "body" : field), "must be a JSON object");
  return {};
}

Status JsonReader::OnlyKeys(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, _] : object_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return Invalid(Field(key), "is not a known field");
  }
  return {};
}

const Json* JsonReader::Get(std::string_view key) const {
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

bool JsonReader::Has(std::string_view key) const { return Get(key) != nullptr; }

Result<std::string> JsonReader::String(std::string_view key, bool required) const {
  const Json* v = Get(key);
  if (!v) {
    if (required) return Invalid(Field(key), "is required");
    return std::string();
  }
  if (!v->is_string()) return Invalid(Field(key), "must be a string");
  return v->get<std::string>();
}

Result<std::optional<std::string>> JsonReader::OptionalString(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string()) return Invalid(Field(key), "must be a string");
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::optional<std::int64_t>> JsonReader::OptionalInt(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return std::optional<std::int64_t>();
  if (!v->is_number_integer()) return Invalid(Field(key), "must be an integer");
  return std::optional<std::int64_t>(v->get<std::int64_t>());
}

Result<std::optional<bool>> JsonReader::OptionalBool(std::string_view key) const {
  const Json* v = Get(key);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) return Invalid(Field(key), "must be true or false");
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<Date>> JsonReader::OptionalDate(std::string_view key) const {
  TRY(auto s, OptionalString(key));
  if (!s) return std::optional<Date>();
  TRY(auto d, Date::Parse(*s, Field(key)));
  return std::optional<Date>(d);
}

Result<Date> JsonReader::RequiredDate(std::string_view key) const {
  TRY(auto d, OptionalDate(key));
  if (!d) return Invalid(Field(key), "is required");
  return *d;
}

Result<std::vector<std::string>> JsonReader::StringList(std::string_view key) const {
  const Json* v = Get(key);
  std::vector<std::string> out;
  if (!v) return out;
  if (!v->is_array()) return Invalid(Field(key), "must be an array");
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string())
      return Invalid(Field(key) + "[" + std::to_string(i) + "]", "must be a string");
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

namespace {

Result<std::optional<std::string>> OptionalUpperCountry(const JsonReader& r,
                                                         std::string_view key) {
  TRY(auto s, r.OptionalString(key));
  return s;  // validated by the rules; kept as given so errors quote the input's field
}

Result<std::vector<Contact>> ContactsFromJson(const JsonReader& r, std::string_view key) {
  std::vector<Contact> out;
  const Json* contacts = r.Get(key);
  if (!contacts) return out;
  if (!contacts->is_array()) return Invalid(r.Field(key), "must be an array");
  for (std::size_t i = 0; i < contacts->size(); ++i) {
    std::string cp = fmt::format("{}[{}]", r.Field(key), i);
    TRY_STATUS(RequireObject((*contacts)[i], cp));
    JsonReader c((*contacts)[i], cp + ".");
    TRY_STATUS(c.OnlyKeys({"type", "value"}));
    Contact contact;
    TRY(contact.type, c.RequiredEnum<ContactType>("type"));
    TRY(contact.value, c.String("value"));
    out.push_back(std::move(contact));
  }
  return out;
}

Json ContactsToJson(const std::vector<Contact>& contacts) {
  Json out = Json::array();
  for (const auto& c : contacts) out.push_back({{"type", Name(c.type)}, {"value", c.value}});
  return out;
}

}  // namespace

Result<PersonIdentity> IdentityFromJson(const Json& j, std::string_view prefix_view) {
  std::string prefix(prefix_view);
  TRY_STATUS(RequireObject(j, prefix.empty() ? "person" : prefix.substr(0, prefix.size() - 1)));
  JsonReader r(j, prefix);
  TRY_STATUS(r.OnlyKeys({"alias", "given_name", "family_name", "patronymic", "other_names",
                         "birth_date", "birth_year", "sex", "citizenship", "documents",
                         "contacts", "guardian"}));
  PersonIdentity p;
  TRY(p.alias, r.String("alias", false));
  TRY(p.given_name, r.String("given_name", false));
  TRY(p.family_name, r.String("family_name", false));
  TRY(p.patronymic, r.String("patronymic", false));
  TRY(p.other_names, r.StringList("other_names"));
  TRY(p.birth_date, r.OptionalDate("birth_date"));
  TRY(auto year, r.OptionalInt("birth_year"));
  if (year) {
    if (*year < 0 || *year > 10000) return Invalid(r.Field("birth_year"), "is not a year");
    p.birth_year = static_cast<int>(*year);
  }
  TRY(p.sex, r.RequiredEnum<Sex>("sex"));
  TRY(auto citizenship, r.String("citizenship"));
  TRY(p.citizenship, Citizenship::Parse(citizenship, r.Field("citizenship")));

  if (const Json* docs = r.Get("documents")) {
    if (!docs->is_array()) return Invalid(r.Field("documents"), "must be an array");
    for (std::size_t i = 0; i < docs->size(); ++i) {
      std::string dp = fmt::format("{}documents[{}]", prefix, i);
      TRY_STATUS(RequireObject((*docs)[i], dp));
      JsonReader d((*docs)[i], dp + ".");
      TRY_STATUS(d.OnlyKeys({"type", "number", "issuing_country", "expires_on"}));
      IdentityDocument doc;
      TRY(doc.type, d.RequiredEnum<DocumentType>("type"));
      TRY(doc.number, d.String("number"));
      TRY(doc.issuing_country, OptionalUpperCountry(d, "issuing_country"));
      TRY(doc.expires_on, d.OptionalDate("expires_on"));
      p.documents.push_back(std::move(doc));
    }
  }
  TRY(p.contacts, ContactsFromJson(r, "contacts"));
  if (const Json* g = r.Get("guardian")) {
    std::string gp = prefix + "guardian";
    TRY_STATUS(RequireObject(*g, gp));
    JsonReader gr(*g, gp + ".");
    TRY_STATUS(gr.OnlyKeys({"name", "relation", "contacts"}));
    Guardian guardian;
    TRY(guardian.name, gr.String("name"));
    TRY(guardian.relation, gr.String("relation", false));
    TRY(guardian.contacts, ContactsFromJson(gr, "contacts"));
    p.guardian = std::move(guardian);
  }
  return p;
}

Json IdentityToJson(const PersonIdentity& p) {
  Json j = {{"alias", p.alias},
            {"given_name", p.given_name},
            {"family_name", p.family_name},
            {"patronymic", p.patronymic},
            {"other_names", p.other_names},
            {"sex", Name(p.sex)},
            {"citizenship", p.citizenship.ToString()}};
  j["birth_date"] = p.birth_date ? Json(p.birth_date->ToString()) : Json(nullptr);
  j["birth_year"] = p.BirthYear() ? Json(*p.BirthYear()) : Json(nullptr);
  Json docs = Json::array();
  for (const auto& d : p.documents) {
    Json dj = {{"type", Name(d.type)}, {"number", d.number}};
    dj["issuing_country"] = d.issuing_country ? Json(*d.issuing_country) : Json(nullptr);
    dj["expires_on"] = d.expires_on ? Json(d.expires_on->ToString()) : Json(nullptr);
    docs.push_back(std::move(dj));
  }
  j["documents"] = std::move(docs);
  j["contacts"] = ContactsToJson(p.contacts);
  if (p.guardian)
    j["guardian"] = {{"name", p.guardian->name},
                     {"relation", p.guardian->relation},
                     {"contacts", ContactsToJson(p.guardian->contacts)}};
  else
    j["guardian"] = nullptr;
  return j;
}

namespace {

// The facts of a case from `r` (registration or a merged correction).
Result<CaseFields> ReadCaseFields(const JsonReader& r) {
  CaseFields f;
  TRY(f.identified_on, r.RequiredDate("identified_on"));
  TRY(f.identified_by, r.RequiredEnum<IdentifiedBy>("identified_by"));
  TRY(f.exploitation, r.EnumList<Exploitation>("exploitation"));
  TRY(f.means_of_control, r.EnumList<MeansOfControl>("means_of_control"));
  TRY(f.recruiter_relation, r.OptionalEnum<RecruiterRelation>("recruiter_relation"));
  TRY(f.country_of_recruitment, OptionalUpperCountry(r, "country_of_recruitment"));
  TRY(f.country_of_exploitation, OptionalUpperCountry(r, "country_of_exploitation"));
  TRY(f.region, r.OptionalString("region"));
  TRY(f.transnational, r.OptionalBool("transnational"));
  TRY(f.child_status, r.OptionalEnum<ChildStatus>("child_status"));
  TRY(f.best_interests_assessed_on, r.OptionalDate("best_interests_assessed_on"));
  return f;
}

}  // namespace

const std::vector<std::string_view>& CaseFieldNames() {
  static const std::vector<std::string_view> kNames = {
      "identified_on", "identified_by", "exploitation", "means_of_control",
      "recruiter_relation", "country_of_recruitment", "country_of_exploitation", "region",
      "transnational", "child_status", "best_interests_assessed_on"};
  return kNames;
}

Status CheckCaseFieldNames(const Json& j) {
  TRY_STATUS(RequireObject(j, "body"));
  for (const auto& [key, _] : j.items())
    if (std::find(CaseFieldNames().begin(), CaseFieldNames().end(), key) ==
        CaseFieldNames().end())
      return Invalid(key, key == "code" ? "a case's code never changes"
                                        : "is not a field of a case that can be corrected");
  return {};
}

Result<CaseFields> CaseFieldsFromJson(const Json& j) {
  TRY_STATUS(CheckCaseFieldNames(j));
  return ReadCaseFields(JsonReader(j));
}

Json CaseFieldsToJson(const CaseFields& f) {
  auto opt = [](const auto& v) -> Json { return v ? Json(*v) : Json(nullptr); };
  return {
      {"identified_on", f.identified_on.ToString()},
      {"identified_by", Name(f.identified_by)},
      {"exploitation", EnumListToJson(f.exploitation)},
      {"means_of_control", EnumListToJson(f.means_of_control)},
      {"recruiter_relation",
       f.recruiter_relation ? Json(Name(*f.recruiter_relation)) : Json(nullptr)},
      {"country_of_recruitment", opt(f.country_of_recruitment)},
      {"country_of_exploitation", opt(f.country_of_exploitation)},
      {"region", opt(f.region)},
      {"transnational", opt(f.transnational)},
      {"child_status", f.child_status ? Json(Name(*f.child_status)) : Json(nullptr)},
      {"best_interests_assessed_on",
       f.best_interests_assessed_on ? Json(f.best_interests_assessed_on->ToString())
                                    : Json(nullptr)},
  };
}

Result<NewCase> NewCaseFromJson(const Json& j) {
  TRY_STATUS(RequireObject(j, "body"));
  JsonReader r(j);
  TRY_STATUS(r.OnlyKeys({"person", "organization_id", "identified_on", "identified_by",
                         "exploitation", "means_of_control", "recruiter_relation",
                         "country_of_recruitment", "country_of_exploitation", "region",
                         "transnational", "status", "child_status",
                         "best_interests_assessed_on"}));
  NewCase c;
  const Json* person = r.Get("person");
  if (!person) return Invalid("person", "is required");
  TRY(c.person, IdentityFromJson(*person, "person."));
  TRY(c.fields, ReadCaseFields(r));
  TRY(c.fields.organization_id, r.OptionalInt("organization_id"));
  TRY(auto status, r.OptionalEnum<CaseStatus>("status"));
  if (status && *status != CaseStatus::kIdentified)
    return Fail(ErrorCode::kValidation, "invalid_field",
                "a new case starts as identified; use transitions to move it on", "status");
  return c;
}

Json CaseToJson(const Case& c) {
  auto opt = [](const auto& v) -> Json {
    if (v) return Json(*v);
    return Json(nullptr);
  };
  auto opt_date = [](const std::optional<Date>& d) -> Json {
    return d ? Json(d->ToString()) : Json(nullptr);
  };
  // The facts as a correction reads and writes them, then what the case adds.
  Json j = CaseFieldsToJson(c.fields);
  j["transnational"] = c.transnational;
  j.update({
      {"id", c.id},
      {"code", c.code},
      {"organization_id", c.organization_id},
      {"status", Name(c.status)},
      {"victim_status", Name(c.victim_status)},
      {"victim_status_on", opt_date(c.victim_status_on)},
      {"reflection_period",
       {{"start", opt_date(c.reflection_start)}, {"end", opt_date(c.reflection_end)}}},
      {"sex", Name(c.sex)},
      {"citizenship", c.citizenship.ToString()},
      {"age_group", AgeGroup(c.age_at_identification)},
      {"child", c.age_at_identification && *c.age_at_identification < 18},
      {"anonymous", c.anonymous},
      {"assigned_to", opt(c.assigned_to)},
      {"closure_reason", c.closure_reason ? Json(Name(*c.closure_reason)) : Json(nullptr)},
      {"duplicate_of", opt(c.duplicate_of)},
      {"created_at", FormatTimestamp(c.created_at)},
      {"updated_at", FormatTimestamp(c.updated_at)},
      {"version", c.version},
  });
  return j;
}

Json OrganizationToJson(const Organization& o) {
  Json j = {{"id", o.id}, {"name", o.name}, {"kind", Name(o.kind)},
            {"created_at", FormatTimestamp(o.created_at)}};
  j["region"] = o.region ? Json(*o.region) : Json(nullptr);
  j["active"] = o.active;
  return j;
}

Json UserToJson(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", Name(u.role)},
          {"organization_id", u.organization_id},
          {"active", u.active},
          {"created_at", FormatTimestamp(u.created_at)},
          {"created_by", u.created_by ? Json(*u.created_by) : Json(nullptr)},
          {"must_change_password", u.must_change_password},
          {"language", u.language ? Json(std::string(Name(*u.language))) : Json(nullptr)},
          {"second_factor", u.second_factor}};
}

}  // namespace haven::domain
