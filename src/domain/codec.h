#pragma once
// The one translation between Haven's records and JSON, used by the API, by
// sealing (identities are sealed as JSON) and by the CLI. Strict: a wrong type,
// an unknown field or an unknown enum value is an error that names the field.
// Thread-safe: free functions.

#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "domain/enums.h"
#include "domain/model.h"

namespace haven::domain {

using Json = nlohmann::json;

// Reads typed fields from one JSON object, naming `prefix + key` in every error.
class JsonReader {
 public:
  JsonReader(const Json& object, std::string prefix = {});

  // Fails on any key not in `allowed`.
  Status OnlyKeys(std::initializer_list<std::string_view> allowed) const;
  bool Has(std::string_view key) const;

  Result<std::string> String(std::string_view key, bool required = true) const;
  Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  Result<std::optional<std::int64_t>> OptionalInt(std::string_view key) const;
  Result<std::optional<bool>> OptionalBool(std::string_view key) const;
  Result<std::optional<Date>> OptionalDate(std::string_view key) const;
  Result<Date> RequiredDate(std::string_view key) const;
  Result<std::vector<std::string>> StringList(std::string_view key) const;

  template <typename E>
  Result<std::optional<E>> OptionalEnum(std::string_view key) const {
    TRY(auto s, OptionalString(key));
    if (!s) return std::optional<E>();
    auto e = ParseEnum<E>(*s);
    if (!e) return Invalid(Field(key), "must be one of " + AllowedNames<E>());
    return e;
  }
  template <typename E>
  Result<E> RequiredEnum(std::string_view key) const {
    TRY(auto e, OptionalEnum<E>(key));
    if (!e) return Invalid(Field(key), "is required");
    return *e;
  }
  template <typename E>
  Result<std::vector<E>> EnumList(std::string_view key) const {
    TRY(auto names, StringList(key));
    std::vector<E> out;
    for (std::size_t i = 0; i < names.size(); ++i) {
      auto e = ParseEnum<E>(names[i]);
      if (!e)
        return Invalid(Field(key) + "[" + std::to_string(i) + "]",
                       "must be one of " + AllowedNames<E>());
      if (std::find(out.begin(), out.end(), *e) == out.end()) out.push_back(*e);
    }
    return out;
  }

  const Json* Get(std::string_view key) const;
  std::string Field(std::string_view key) const { return prefix_ + std::string(key); }

 private:
  const Json& object_;
  std::string prefix_;
};

// Fails unless `value` is a JSON object.
Status RequireObject(const Json& value, std::string_view field);

Result<PersonIdentity> IdentityFromJson(const Json& j, std::string_view prefix);
Json IdentityToJson(const PersonIdentity& p);
Result<NewCase> NewCaseFromJson(const Json& j);
// The facts of a case that can be corrected, by their API names; a correction is a JSON
// merge patch of CaseFieldsToJson read back by CaseFieldsFromJson (which refuses any
// other key).
const std::vector<std::string_view>& CaseFieldNames();
Json CaseFieldsToJson(const CaseFields& f);
Result<CaseFields> CaseFieldsFromJson(const Json& j);
// Refuses, by name, a key that is not one of CaseFieldNames (a correction's patch).
Status CheckCaseFieldNames(const Json& j);
Json CaseToJson(const Case& c);
Json OrganizationToJson(const Organization& o);
Json UserToJson(const User& u);

template <typename E>
Json EnumListToJson(const std::vector<E>& v) {
  Json out = Json::array();
  for (E e : v) out.push_back(std::string(Name(e)));
  return out;
}

}  // namespace haven::domain
