#include "domain/money.h"

#include <unicode/ucurr.h>
#include <unicode/ustring.h>

#include <cstdlib>

#include <fmt/format.h>

namespace haven::domain {

int CurrencyDigits(std::string_view currency) {
  if (currency.size() != 3) return 2;
  UChar code[4] = {static_cast<UChar>(currency[0]), static_cast<UChar>(currency[1]),
                   static_cast<UChar>(currency[2]), 0};
  UErrorCode status = U_ZERO_ERROR;
  const int32_t digits = ucurr_getDefaultFractionDigits(code, &status);
  return U_SUCCESS(status) ? digits : 2;
}

std::string FormatMoney(std::int64_t minor, std::string_view currency) {
  const int digits = CurrencyDigits(currency);
  std::int64_t scale = 1;
  for (int i = 0; i < digits; ++i) scale *= 10;
  const bool negative = minor < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  const std::uint64_t major = magnitude / static_cast<std::uint64_t>(scale);
  const std::uint64_t rest = magnitude % static_cast<std::uint64_t>(scale);
  std::string out = negative ? "-" : "";
  out += digits ? fmt::format("{}.{:0{}}", major, rest, digits) : fmt::format("{}", major);
  return out + " " + std::string(currency);
}

}  // namespace haven::domain
