#pragma once
// ISO 3166-1 countries, ISO 3166-2:AZ regions, ISO 4217 currencies and ISO 639-1 languages, generated at build time from
// Debian's iso-codes package and its gettext catalogues (tools/gen_iso_codes.py).
// Thread-safe: constant data.

#include <cstddef>
#include <optional>
#include <string_view>

namespace haven::domain {

struct IsoEntry {
  const char* code;   // alpha-2 for countries ("AZ"), full code for regions ("AZ-BA")
  const char* extra;  // alpha-3 for countries, subdivision type for regions
  const char* name;   // English (countries) or Azerbaijani (regions) name: the ISO name
  // The name in Azerbaijani and in Russian, from the iso-codes catalogues; the ISO
  // name where a catalogue has no translation. Never null.
  const char* name_az;
  const char* name_ru;
};

extern const IsoEntry kCountries[];
extern const std::size_t kCountryCount;
extern const IsoEntry kAzRegions[];
extern const std::size_t kAzRegionCount;
extern const IsoEntry kCurrencies[];  // code: alpha-3, extra: numeric code
extern const std::size_t kCurrencyCount;
extern const IsoEntry kLanguages[];  // code: ISO 639-1 alpha-2, extra: ISO 639-2 alpha-3
extern const std::size_t kLanguageCount;

// Looks up an upper-case alpha-2 country code.
const IsoEntry* FindCountry(std::string_view alpha2);
// Looks up an ISO 3166-2:AZ code such as "AZ-BA".
const IsoEntry* FindAzRegion(std::string_view code);
// Looks up an ISO 4217 alphabetic currency code such as "AZN".
const IsoEntry* FindCurrency(std::string_view alpha3);
// Looks up a lower-case ISO 639-1 language code such as "az".
const IsoEntry* FindLanguage(std::string_view alpha2);

}  // namespace haven::domain
