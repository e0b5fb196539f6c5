#include "app/access_history_page.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace haven::app {
namespace {

using domain::Language;

constexpr Language kLanguages[] = {Language::kAz, Language::kEn, Language::kRu};

Timestamp At(std::int64_t seconds) {
  return Timestamp(std::chrono::seconds(seconds));
}

constexpr std::int64_t k20260314T1200 = 1773489600;  // 2026-03-14T12:00:00Z

AccessEvent Event(std::string action, std::string basis = "owner") {
  AccessEvent e;
  e.at = At(k20260314T1200);
  e.action = std::move(action);
  e.organization_id = 3;
  e.organization_name = "Təmiz Dünya";
  e.organization_kind = domain::OrgKind::kNgo;
  e.role = "caseworker";
  e.basis = std::move(basis);
  return e;
}

AccessHistory Sample() {
  AccessHistory h;
  h.c.id = 7;
  h.c.code = "AZ-2026-0042";
  h.events.push_back(Event("case.create"));
  AccessEvent disclosure = Event("case.disclosure", "consent");
  disclosure.organization_id = 5;
  disclosure.organization_name = "Bakı Sığınacağı";
  disclosure.organization_kind = domain::OrgKind::kShelter;
  disclosure.role = "shelter_manager";
  disclosure.purposes = {"shelter", "medical"};
  disclosure.categories = {"case_facts", "health"};
  disclosure.at = At(k20260314T1200 + 86400 + 5 * 3600 + 7 * 60);
  h.events.push_back(disclosure);
  h.events.push_back(Event("referral.create", "override"));
  return h;
}

std::size_t Count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size()))
    ++n;
  return n;
}

std::string_view Body(std::string_view html) {
  auto begin = html.find("<tbody>");
  auto end = html.find("</tbody>");
  if (begin == std::string_view::npos || end == std::string_view::npos) return {};
  return html.substr(begin, end - begin);
}

TEST(AccessHistoryPage, EveryLanguageIsAPlainPageWithTheCode) {
  for (Language lang : kLanguages) {
    std::string html = AccessHistoryHtml(Sample(), lang, At(k20260314T1200));
    SCOPED_TRACE(std::string(domain::Name(lang)));
    EXPECT_NE(html.find(fmt::format("<html lang=\"{}\">", domain::Name(lang))), std::string::npos);
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    EXPECT_NE(html.find("AZ-2026-0042"), std::string::npos);
    EXPECT_NE(html.find("<h1>"), std::string::npos);
    EXPECT_NE(html.find("<th scope=\"col\">"), std::string::npos);
    // The Content-Security-Policy is default-src 'self': nothing inline.
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<style"), std::string::npos);
    EXPECT_EQ(html.find("style="), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
  }
}

TEST(AccessHistoryPage, SpeaksTheLanguageAskedFor) {
  std::string az = AccessHistoryHtml(Sample(), Language::kAz, At(k20260314T1200));
  std::string en = AccessHistoryHtml(Sample(), Language::kEn, At(k20260314T1200));
  std::string ru = AccessHistoryHtml(Sample(), Language::kRu, At(k20260314T1200));

  EXPECT_NE(az.find("ə"), std::string::npos);
  EXPECT_NE(az.find("Sizin razılığınız"), std::string::npos);
  EXPECT_NE(az.find("qeyri-hökumət təşkilatı"), std::string::npos);
  EXPECT_NE(az.find("Sığınacaq, Tibbi yardım"), std::string::npos);
  EXPECT_NE(az.find("sosial işçiyə bildirməklə"), std::string::npos);

  EXPECT_NE(en.find("Who has seen or changed my file"), std::string::npos);
  EXPECT_NE(en.find("Your consent"), std::string::npos);
  EXPECT_NE(en.find("A legal override recorded by the coordinating body"), std::string::npos);
  EXPECT_NE(en.find("The organisation that holds your file"), std::string::npos);
  EXPECT_NE(en.find("Shelter, Medical care"), std::string::npos);
  EXPECT_NE(en.find("Facts of your case, Health"), std::string::npos);
  EXPECT_NE(en.find("shelter manager"), std::string::npos);
  EXPECT_NE(en.find("by telling your caseworker"), std::string::npos);

  EXPECT_NE(ru.find("Кто видел или изменял моё дело"), std::string::npos);
  EXPECT_NE(ru.find("Ваше согласие"), std::string::npos);
  EXPECT_NE(ru.find("Приют, Медицинская помощь"), std::string::npos);
  EXPECT_NE(ru.find("приют"), std::string::npos);
  // No English label is left in the other two.
  for (const std::string* html : {&az, &ru}) {
    EXPECT_EQ(html->find("Your consent"), std::string::npos);
    EXPECT_EQ(html->find("What happened"), std::string::npos);
  }
}

TEST(AccessHistoryPage, WritesDatesTheLocalWay) {
  AccessHistory h = Sample();
  std::string az = AccessHistoryHtml(h, Language::kAz, At(k20260314T1200 + 3 * 86400));
  std::string ru = AccessHistoryHtml(h, Language::kRu, At(k20260314T1200));
  std::string en = AccessHistoryHtml(h, Language::kEn, At(k20260314T1200));
  EXPECT_NE(az.find("14.03.2026 12:00 UTC"), std::string::npos);
  EXPECT_NE(az.find("15.03.2026 17:07 UTC"), std::string::npos);
  EXPECT_NE(az.find("17.03.2026 12:00 UTC"), std::string::npos);  // printed on
  EXPECT_NE(ru.find("15.03.2026 17:07 UTC"), std::string::npos);
  EXPECT_NE(en.find("2026-03-15 17:07 UTC"), std::string::npos);
  EXPECT_EQ(en.find("15.03.2026"), std::string::npos);
  EXPECT_NE(en.find("datetime=\"2026-03-15T17:07:00Z\""), std::string::npos);
}

TEST(AccessHistoryPage, EscapesWhatItIsGiven) {
  AccessHistory h = Sample();
  h.c.code = "AZ<1>";
  h.events[0].organization_name = "<b>Evil & \"Co\"</b>";
  h.events[0].purposes = {"<i>made-up</i>"};
  h.events[0].role = "<em>";
  h.events[0].basis = "<u>";
  for (Language lang : kLanguages) {
    std::string html = AccessHistoryHtml(h, lang, At(k20260314T1200));
    EXPECT_NE(html.find("&lt;b&gt;Evil &amp; &quot;Co&quot;&lt;/b&gt;"), std::string::npos);
    EXPECT_EQ(html.find("<b>"), std::string::npos);
    EXPECT_NE(html.find("AZ&lt;1&gt;"), std::string::npos);
    EXPECT_EQ(html.find("AZ<1>"), std::string::npos);
    EXPECT_NE(html.find("&lt;i&gt;made-up&lt;/i&gt;"), std::string::npos);
    EXPECT_EQ(html.find("<i>"), std::string::npos);
    EXPECT_EQ(html.find("<em>"), std::string::npos);
    EXPECT_EQ(html.find("<u>"), std::string::npos);
  }
}

TEST(AccessHistoryPage, UnknownActionIsShownRawInCode) {
  AccessHistory h = Sample();
  h.events.push_back(Event("case.teleport<x>"));
  std::string en = AccessHistoryHtml(h, Language::kEn, At(k20260314T1200));
  EXPECT_NE(en.find("Other action on your file (<code>case.teleport&lt;x&gt;</code>)"),
            std::string::npos);
  std::string ru = AccessHistoryHtml(h, Language::kRu, At(k20260314T1200));
  EXPECT_NE(ru.find("Другое действие с вашим делом (<code>case.teleport&lt;x&gt;</code>)"),
            std::string::npos);
  // A known action is translated, not shown raw.
  EXPECT_EQ(en.find("<code>case.create</code>"), std::string::npos);
  EXPECT_NE(en.find("Your file was opened"), std::string::npos);
}

TEST(AccessHistoryPage, EmptyHistorySaysSo) {
  AccessHistory h = Sample();
  h.events.clear();
  std::string en = AccessHistoryHtml(h, Language::kEn, At(k20260314T1200));
  EXPECT_NE(en.find("There are no records about your file yet."), std::string::npos);
  EXPECT_EQ(en.find("<table"), std::string::npos);
  std::string az = AccessHistoryHtml(h, Language::kAz, At(k20260314T1200));
  EXPECT_NE(az.find("İşinizlə bağlı hələ heç bir qeyd yoxdur."), std::string::npos);
  std::string ru = AccessHistoryHtml(h, Language::kRu, At(k20260314T1200));
  EXPECT_NE(ru.find("О вашем деле пока нет ни одной записи."), std::string::npos);
  EXPECT_EQ(
      AccessHistoryHtml(Sample(), Language::kEn, At(k20260314T1200)).find("There are no records"),
      std::string::npos);
}

TEST(AccessHistoryPage, SaysWhenTheListContinues) {
  AccessHistory h = Sample();
  std::string last = AccessHistoryHtml(h, Language::kEn, At(k20260314T1200));
  EXPECT_EQ(last.find("continues on the next page"), std::string::npos);
  h.next_cursor = "3";
  EXPECT_NE(AccessHistoryHtml(h, Language::kEn, At(k20260314T1200))
                .find("The list continues on the next page."),
            std::string::npos);
  EXPECT_NE(AccessHistoryHtml(h, Language::kAz, At(k20260314T1200))
                .find("Siyahı növbəti səhifədə davam edir."),
            std::string::npos);
  EXPECT_NE(AccessHistoryHtml(h, Language::kRu, At(k20260314T1200))
                .find("Список продолжается на следующей странице."),
            std::string::npos);
}

TEST(AccessHistoryPage, OneRowPerEventInOrder) {
  AccessHistory h = Sample();
  for (int i = 0; i < 7; ++i) h.events.push_back(Event("case.identity_view"));
  for (Language lang : kLanguages) {
    std::string html = AccessHistoryHtml(h, lang, At(k20260314T1200));
    std::string_view body = Body(html);
    EXPECT_EQ(Count(body, "<tr>"), h.events.size());
    EXPECT_EQ(Count(html, "<tr>"), h.events.size() + 1);  // and the header row
  }
  std::string en = AccessHistoryHtml(h, Language::kEn, At(k20260314T1200));
  auto created = en.find("Your file was opened");
  auto disclosed = en.find("This organisation viewed information from your file");
  auto referred = en.find("Your case was referred to another organisation");
  ASSERT_NE(created, std::string::npos);
  ASSERT_NE(disclosed, std::string::npos);
  ASSERT_NE(referred, std::string::npos);
  EXPECT_LT(created, disclosed);
  EXPECT_LT(disclosed, referred);
}

TEST(AccessHistoryPage, AStepWithoutAnOrganisationIsTheSystems) {
  AccessHistory h = Sample();
  AccessEvent e = Event("case.transition", "");
  e.organization_id.reset();
  e.organization_name.clear();
  e.role = "system";
  h.events = {e};
  std::string en = AccessHistoryHtml(h, Language::kEn, At(k20260314T1200));
  EXPECT_NE(en.find("The Haven system itself (not an organisation)<br>automatic step"),
            std::string::npos);
  // No basis recorded: a dash, not an empty cell or a made-up basis.
  EXPECT_NE(en.find("<td>—</td>"), std::string::npos);
  // The default kind of an absent organisation is not printed.
  EXPECT_EQ(en.find("non-governmental"), std::string::npos);
}

}  // namespace
}  // namespace haven::app
