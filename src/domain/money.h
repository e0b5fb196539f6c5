#pragma once
// Amounts for people. The API and the store keep integers in minor units with their
// ISO 4217 currency; messages, task texts and reports read by people show major units
// with the currency's own number of decimals ("300.00 AZN", "1500 JPY").
// Thread-safe: pure functions (ICU's currency data is read-only).

#include <cstdint>
#include <string>
#include <string_view>

namespace haven::domain {

// The number of decimals of a currency (2 for AZN, 0 for JPY), from ICU's ISO 4217 data.
int CurrencyDigits(std::string_view currency);
// "300.00 AZN" for 30000 minor units of AZN.
std::string FormatMoney(std::int64_t minor, std::string_view currency);

}  // namespace haven::domain
