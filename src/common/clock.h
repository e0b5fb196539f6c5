#pragma once
// The outside world's time, behind a small interface so that tests can fix it.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace haven {

using Timestamp = std::chrono::sys_seconds;

// Thread-safe implementations only.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// RFC 3339 in UTC, e.g. "2026-11-28T18:30:00Z".
std::string FormatTimestamp(Timestamp t);
// Parses what FormatTimestamp writes; nullopt for anything else.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace haven
