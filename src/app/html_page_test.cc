#include "app/html_page.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace haven::app::html {
namespace {

using domain::Purpose;

constexpr Timestamp k20261128T1830{std::chrono::seconds(1795890600)};  // 2026-11-28T18:30:00Z

TEST(HtmlPage, EscapesTheFiveCharacters) {
  EXPECT_EQ(Escape(R"(<a href="x">Tom & Jerry's</a>)"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  EXPECT_EQ(Escape("Bakı Sığınacağı — приют"), "Bakı Sığınacağı — приют");
  EXPECT_EQ(Escape(""), "");
}

TEST(HtmlPage, DatesTheLocalWay) {
  EXPECT_EQ(ShowDate("2026-11-28", Language::kAz), "28.11.2026");
  EXPECT_EQ(ShowDate("2026-11-28", Language::kRu), "28.11.2026");
  EXPECT_EQ(ShowDate("2026-11-28", Language::kEn), "2026-11-28");
  for (const char* odd : {"", "not a date", "2026-13-40", "2026-1-2"})
    EXPECT_EQ(ShowDate(odd, Language::kAz), odd);
}

TEST(HtmlPage, TimesToTheMinuteInUtc) {
  EXPECT_EQ(ShowTime(k20261128T1830 + std::chrono::seconds(59), Language::kAz),
            "28.11.2026 18:30 UTC");
  EXPECT_EQ(ShowTime(k20261128T1830, Language::kEn), "2026-11-28 18:30 UTC");
  EXPECT_EQ(ShowTimestamp("2026-11-28T18:30:59Z", Language::kRu), "28.11.2026 18:30 UTC");
  EXPECT_EQ(ShowTimestamp("2026-11-28T18:30:00Z", Language::kEn), "2026-11-28 18:30 UTC");
  EXPECT_EQ(ShowTimestamp("yesterday", Language::kAz), "yesterday");
}

TEST(HtmlPage, TimestampTextAndTimestampShowTheSame) {
  for (int day = 0; day < 400; day += 7) {
    Timestamp t = k20261128T1830 + std::chrono::days(day) + std::chrono::minutes(day * 13);
    for (Language lang : {Language::kAz, Language::kEn, Language::kRu})
      EXPECT_EQ(ShowTimestamp(FormatTimestamp(t), lang), ShowTime(t, lang));
  }
}

TEST(HtmlPage, TextsInEachLanguage) {
  constexpr Texts kYes = {"bəli", "yes", "да"};
  EXPECT_EQ(In(kYes, Language::kAz), "bəli");
  EXPECT_EQ(In(kYes, Language::kEn), "yes");
  EXPECT_EQ(In(kYes, Language::kRu), "да");
  EXPECT_EQ(&ByLanguage(Language::kRu, kYes[0], kYes[1], kYes[2]), &kYes[2]);
  EXPECT_EQ(&ByLanguage(Language::kAz, kYes[0], kYes[1], kYes[2]), &kYes[0]);
  EXPECT_EQ(&ByLanguage(Language::kEn, kYes[0], kYes[1], kYes[2]), &kYes[1]);
}

TEST(HtmlPage, LooksUpNamedTexts) {
  constexpr NamedTexts<2> kAnswers = {{
      {"yes", {"bəli", "yes", "да"}},
      {"no", {"xeyr", "no", "нет"}},
  }};
  EXPECT_EQ(Lookup(kAnswers, "no", Language::kRu), "нет");
  EXPECT_EQ(Lookup(kAnswers, "maybe", Language::kRu), std::nullopt);
}

TEST(HtmlPage, TranslatesHavenNamesAndKeepsOthers) {
  EXPECT_EQ(Translate<Purpose>(kPurposeNames, "legal_aid", Language::kAz), "Hüquqi yardım");
  EXPECT_EQ(Translate<Purpose>(kPurposeNames, "legal_aid", Language::kEn), "Legal aid");
  EXPECT_EQ(Translate<Purpose>(kPurposeNames, "statistics", Language::kRu),
            "Статистика (без указания вашего имени)");
  EXPECT_EQ(Translate<Purpose>(kPurposeNames, "<unknown>", Language::kEn), "<unknown>");
}

TEST(HtmlPage, PageStartsPlainWithItsLanguageAndEscapedTitle) {
  EXPECT_EQ(PageStart(Language::kRu, "Квитанция <AZ-1>"),
            "<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Квитанция &lt;AZ-1&gt;</title>\n</head>\n<body>\n<main>\n");
  std::string page = PageStart(Language::kAz, "x");
  EXPECT_NE(page.find("<html lang=\"az\">"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("<style"), std::string::npos);
}

}  // namespace
}  // namespace haven::app::html
