#include "common/clock.h"

#include <fstream>
#include <sstream>

#include <date/date.h>
#include <fmt/chrono.h>
#include <fmt/format.h>

namespace haven {

std::string FormatTimestamp(Timestamp t) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", t);
}

std::optional<Timestamp> ParseTimestamp(std::string_view text) {
  std::istringstream in{std::string(text)};
  date::sys_seconds t;
  in >> date::parse("%Y-%m-%dT%H:%M:%SZ", t);
  if (in.fail()) return std::nullopt;
  return Timestamp(std::chrono::seconds(t.time_since_epoch().count()));
}

Timestamp FileClock::Now() const {
  std::ifstream in(path_);
  std::string text;
  if (in >> text)
    if (auto t = ParseTimestamp(text)) return *t;
  return SystemClock().Now();
}

}  // namespace haven
