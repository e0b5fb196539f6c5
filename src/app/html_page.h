#pragma once
// What the printable pages of src/app share: the consent receipt (consent_receipt.cc)
// and the access history (access_history_page.cc) are each one self-contained HTML
// page in Azerbaijani, English or Russian, and write it with these pieces.
//
// Private to src/app: not an API of the layer, and nothing outside src/app includes it.
// Pure and thread-safe: constant tables and free functions over values.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/clock.h"
#include "domain/coalition.h"
#include "domain/enums.h"

namespace haven::app::html {

using domain::Language;

// One text in each language, in the order of domain::Language: az, en, ru.
using Texts = std::array<std::string_view, 3>;

// Texts found by a name of Haven's open vocabularies (audit actions, roles, ...).
template <std::size_t N>
using NamedTexts = std::array<std::pair<std::string_view, Texts>, N>;

inline std::string_view In(const Texts& t, Language lang) {
  return t[static_cast<std::size_t>(lang)];
}

// The one of az, en and ru that is in `lang`.
template <typename T>
const T& ByLanguage(Language lang, const T& az, const T& en, const T& ru) {
  switch (lang) {
    case Language::kAz: return az;
    case Language::kRu: return ru;
    case Language::kEn: break;
  }
  return en;
}

// The texts of `name` in `lang`; nullopt when `table` does not name it.
template <std::size_t N>
std::optional<std::string_view> Lookup(const NamedTexts<N>& table, std::string_view name,
                                       Language lang) {
  for (const auto& [key, texts] : table)
    if (key == name) return In(texts, lang);
  return std::nullopt;
}

// A Haven name of an E translated through `table` (indexed by the enum), or the name
// itself when it is not one.
template <typename E, std::size_t N>
std::string Translate(const std::array<Texts, N>& table, const std::string& name, Language lang) {
  static_assert(N == domain::EnumNames<E>::kNames.size());
  auto e = domain::ParseEnum<E>(name);
  return e ? std::string(In(table[static_cast<std::size_t>(*e)], lang)) : name;
}

// `text` with & < > " ' written as entities: safe in element content and in quoted
// attribute values.
std::string Escape(std::string_view text);

// The local way of writing a date, from YYYY-MM-DD: 28.11.2026 in Azerbaijan and
// Russia; as given in English, and for anything that is not a date.
std::string ShowDate(std::string_view iso, Language lang);
// The same from what FormatTimestamp writes, to the minute: 28.11.2026 18:30 UTC
// (2026-11-28 18:30 UTC in English); as given for anything that does not parse.
std::string ShowTimestamp(std::string_view text, Language lang);
// The same for `t`.
std::string ShowTime(Timestamp t, Language lang);

// The page up to and including <main>: doctype, <html lang>, charset, viewport and
// <title>, no script and no styles. `title` is escaped here.
std::string PageStart(Language lang, std::string_view title);

// The purposes of a consent (domain::Purpose), as she is told them on every page.
inline constexpr std::array<Texts, 12> kPurposeNames = {{
    {"Yardım və işin idarə olunması", "Assistance and case management", "Помощь и ведение дела"},
    {"Sığınacaq", "Shelter", "Приют"},
    {"Hüquqi yardım", "Legal aid", "Юридическая помощь"},
    {"Tibbi yardım", "Medical care", "Медицинская помощь"},
    {"Psixoloji dəstək", "Psychological support", "Психологическая поддержка"},
    {"Sosial xidmətlər", "Social services", "Социальные услуги"},
    {"Tərcüməçi xidməti", "Interpretation", "Услуги переводчика"},
    {"Təhsil və peşə hazırlığı", "Education and training",
     "Образование и профессиональное обучение"},
    {"Təhlükəsiz qayıdış", "Safe return", "Безопасное возвращение"},
    {"Cəmiyyətə reinteqrasiya", "Reintegration", "Реинтеграция в общество"},
    {"Cinayət işi üzrə istintaq", "Criminal investigation", "Уголовное расследование"},
    {"Statistika (adınız göstərilmədən)", "Statistics (without your name)",
     "Статистика (без указания вашего имени)"},
}};
static_assert(kPurposeNames.size() == domain::EnumNames<domain::Purpose>::kNames.size());

}  // namespace haven::app::html
