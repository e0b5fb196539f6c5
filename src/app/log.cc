#include "app/log.h"

#include <chrono>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace haven::app {
namespace {

// The logger LogEvent writes to: its payload is a JSON object already, made by
// nlohmann::json, whose fields join the line's own.
constexpr const char* kEventLogger = "haven.event";

std::string Escaped(std::string_view text) {
  // replace: bytes that are not UTF-8 become U+FFFD instead of throwing.
  return nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace);
}

class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    const auto ms = time_point_cast<milliseconds>(msg.time);
    const auto s = floor<seconds>(ms);
    fmt::format_to(std::back_inserter(dest), R"({{"time":"{:%Y-%m-%dT%H:%M:%S}.{:03}Z","level":"{}")",
                   s, (ms - s).count(),
                   std::string_view(spdlog::level::to_string_view(msg.level).data(),
                                    spdlog::level::to_string_view(msg.level).size()));
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    const std::string_view logger(msg.logger_name.data(), msg.logger_name.size());
    std::string rest;
    if (logger == kEventLogger && payload.size() > 2 && payload.front() == '{') {
      rest = ",";
      rest += payload.substr(1);
    } else {
      rest = ",\"msg\":" + Escaped(payload) + "}";
    }
    rest += '\n';
    dest.append(rest.data(), rest.data() + rest.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

void InstallJsonLog() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("haven", sink);
  auto events = std::make_shared<spdlog::logger>(kEventLogger, sink);
  spdlog::register_logger(events);
  spdlog::set_default_logger(logger);
  spdlog::set_formatter(std::make_unique<JsonLineFormatter>());
}

void LogEvent(spdlog::level::level_enum level, std::string_view event,
              nlohmann::ordered_json fields) {
  nlohmann::ordered_json line = {{"event", event}};
  for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto logger = spdlog::get(kEventLogger);
  (logger ? logger : spdlog::default_logger())->log(level, "{}", text);
}

}  // namespace haven::app
