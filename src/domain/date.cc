#include "domain/date.h"

#include <sstream>

#include <date/date.h>
#include <fmt/format.h>

namespace haven::domain {

Date Date::FromYmd(int y, unsigned m, unsigned d) {
  return Date(std::chrono::sys_days(
      std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d))));
}

Result<Date> Date::Parse(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return Invalid(std::string(field), "must be a date written YYYY-MM-DD");
  };
  // The shape is checked first: date::parse alone would accept "1985-3-14".
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (text[i] < '0' || text[i] > '9') return bad();
  std::istringstream in{std::string(text)};
  date::sys_days days;
  in >> date::parse("%F", days);
  if (in.fail()) return bad();
  Date result(std::chrono::sys_days(days.time_since_epoch()));
  if (result.Year() < 1900 || result.Year() > 2200)
    return Invalid(std::string(field), "year must be between 1900 and 2200");
  // date::parse normalises 2023-02-30 silently on some paths: round-trip to be sure.
  if (result.ToString() != text) return Invalid(std::string(field), "is not a real calendar day");
  return result;
}

std::string Date::ToString() const {
  std::chrono::year_month_day ymd(days_);
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

int Date::Year() const { return static_cast<int>(std::chrono::year_month_day(days_).year()); }

unsigned Date::Month() const {
  return static_cast<unsigned>(std::chrono::year_month_day(days_).month());
}

int Date::YearsSince(const Date& birth) const {
  std::chrono::year_month_day now(days_), b(birth.days_);
  int years = static_cast<int>(now.year()) - static_cast<int>(b.year());
  if (std::pair(static_cast<unsigned>(now.month()), static_cast<unsigned>(now.day())) <
      std::pair(static_cast<unsigned>(b.month()), static_cast<unsigned>(b.day())))
    --years;
  return years;
}

}  // namespace haven::domain
