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

// The time written in a file (RFC 3339, as FormatTimestamp writes it), read at every
// call: a test moves time forward by rewriting the file while the server runs
// (expiry of consents, sessions, lock-outs). The system time when the file cannot be
// read. Used only when HAVEN_TEST_CLOCK_FILE names the file (haven serve warns).
class FileClock final : public Clock {
 public:
  explicit FileClock(std::string path) : path_(std::move(path)) {}
  Timestamp Now() const override;

 private:
  const std::string path_;
};

// RFC 3339 in UTC, e.g. "2026-11-28T18:30:00Z".
std::string FormatTimestamp(Timestamp t);
// Parses what FormatTimestamp writes; nullopt for anything else.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace haven
