#include "domain/iso_codes.h"

#include <algorithm>
#include <cstring>

namespace haven::domain {
namespace {

const IsoEntry* Find(const IsoEntry* begin, std::size_t n, std::string_view code) {
  const IsoEntry* end = begin + n;
  auto it = std::lower_bound(begin, end, code, [](const IsoEntry& e, std::string_view c) {
    return std::string_view(e.code) < c;
  });
  return (it != end && std::string_view(it->code) == code) ? it : nullptr;
}

}  // namespace

const IsoEntry* FindCountry(std::string_view alpha2) {
  return Find(kCountries, kCountryCount, alpha2);
}

const IsoEntry* FindAzRegion(std::string_view code) {
  return Find(kAzRegions, kAzRegionCount, code);
}

const IsoEntry* FindCurrency(std::string_view alpha3) {
  return Find(kCurrencies, kCurrencyCount, alpha3);
}

const IsoEntry* FindLanguage(std::string_view alpha2) {
  return Find(kLanguages, kLanguageCount, alpha2);
}

}  // namespace haven::domain
