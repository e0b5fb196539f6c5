#include "app/html_page.h"

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <string_view>

#include "domain/date.h"

namespace haven::app::html {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

std::string ShowDate(std::string_view iso, Language lang) {
  if (lang == Language::kEn || !domain::Date::Parse(iso, "date")) return std::string(iso);
  return fmt::format("{}.{}.{}", iso.substr(8, 2), iso.substr(5, 2), iso.substr(0, 4));
}

std::string ShowTimestamp(std::string_view text, Language lang) {
  if (!ParseTimestamp(text)) return std::string(text);
  return fmt::format("{} {} UTC", ShowDate(text.substr(0, 10), lang), text.substr(11, 5));
}

std::string ShowTime(Timestamp t, Language lang) {
  auto day = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss hms{t - day};
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month());
  unsigned d = static_cast<unsigned>(ymd.day());
  auto hh = hms.hours().count();
  auto mm = hms.minutes().count();
  if (lang == Language::kEn)
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", y, m, d, hh, mm);
  return fmt::format("{:02}.{:02}.{:04} {:02}:{:02} UTC", d, m, y, hh, mm);
}

std::string PageStart(Language lang, std::string_view title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n</head>\n<body>\n<main>\n",
      domain::Name(lang), Escape(title));
}

}  // namespace haven::app::html
