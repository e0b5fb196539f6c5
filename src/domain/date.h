#pragma once
// Calendar dates (no time of day, no zone) as used for identification, birth and
// reflection periods. Thread-safe: plain values.

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace haven::domain {

class Date {
 public:
  Date() = default;
  explicit Date(std::chrono::sys_days days) : days_(days) {}
  static Date FromYmd(int y, unsigned m, unsigned d);

  // Parses exactly `YYYY-MM-DD` (a real calendar day, years 1900..2200).
  static Result<Date> Parse(std::string_view text, std::string_view field);

  std::string ToString() const;  // YYYY-MM-DD
  int Year() const;
  unsigned Month() const;
  std::chrono::sys_days Days() const { return days_; }
  Date PlusDays(int n) const { return Date(days_ + std::chrono::days(n)); }
  // Whole years from `birth` to this date (age on this date).
  int YearsSince(const Date& birth) const;

  auto operator<=>(const Date&) const = default;

 private:
  std::chrono::sys_days days_{};
};

}  // namespace haven::domain
