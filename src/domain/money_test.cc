#include "domain/money.h"

#include <gtest/gtest.h>

namespace haven::domain {
namespace {

TEST(Money, ShowsMajorUnitsWithTheCurrencysDecimals) {
  EXPECT_EQ(FormatMoney(30000, "AZN"), "300.00 AZN");
  EXPECT_EQ(FormatMoney(5, "AZN"), "0.05 AZN");
  EXPECT_EQ(FormatMoney(-12345, "EUR"), "-123.45 EUR");
  EXPECT_EQ(FormatMoney(1500, "JPY"), "1500 JPY");
  EXPECT_EQ(FormatMoney(1234, "KWD"), "1.234 KWD");
  EXPECT_EQ(CurrencyDigits("AZN"), 2);
}

}  // namespace
}  // namespace haven::domain
