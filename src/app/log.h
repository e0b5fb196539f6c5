#pragma once
// Haven's log: one JSON object a line on standard error, every field escaped by the
// JSON library, so that nothing a client sends (a %0A in a URL, a NUL, bytes that are
// not UTF-8, quotes) can forge a line or break one. A message logged with spdlog reads
//   {"time":"2026-11-28T18:30:00.123Z","level":"info","msg":"stopped"}
// and an event with fields (LogEvent) reads
//   {"time":"…","level":"info","event":"request","request_id":"…","route":"…",…}
// What goes into a line is the caller's care: never an identity, a query string or
// a concrete URL path (docs/data-protection.md). Thread-safe.

#include <string_view>

#include <nlohmann/json.hpp>
#include <spdlog/common.h>

namespace haven::app {

// Makes the default logger write JSON lines to standard error. Call once, first.
void InstallJsonLog();

// Logs `event` with `fields` (an object; keys in the order given) as one line.
void LogEvent(spdlog::level::level_enum level, std::string_view event,
              nlohmann::ordered_json fields = nlohmann::ordered_json::object());

}  // namespace haven::app
