#include "app/access_history_page.h"

#include <fmt/format.h>

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/html_page.h"
#include "domain/enums.h"

namespace haven::app {
namespace {

using domain::DataCategory;
using domain::Language;
using domain::OrgKind;
using domain::Purpose;

// Every table has the columns az, en, ru: the order of domain::Language. Those
// indexed by an enum are indexed by it; the purposes are html::kPurposeNames.
using html::ByLanguage;
using html::Escape;
using html::In;
using html::kPurposeNames;
using html::Lookup;
using html::NamedTexts;
using html::PageStart;
using html::ShowTime;
using html::Texts;
using html::Translate;

// Shorter than the receipt's: here they sit in a table cell, several to a line.
constexpr std::array<Texts, 9> kCategoryNames = {{
    {"İşin faktları", "Facts of your case", "Обстоятельства дела"},
    {"İşçilərin qeydləri", "Notes written by staff", "Записи сотрудников"},
    {"Şəxsiyyət məlumatları", "Identity", "Личные данные"},
    {"Əlaqə məlumatları", "Contact details", "Контактные данные"},
    {"Xidmətlər", "Services", "Услуги"},
    {"Sağlamlıq", "Health", "Здоровье"},
    {"Sığınacaqda qalma", "Shelter stays", "Пребывание в приюте"},
    {"Ödənişlər və kompensasiya", "Payments and compensation", "Выплаты и компенсация"},
    {"Sənədlər və fotoşəkillər", "Documents and photos", "Документы и фотографии"},
}};
static_assert(kCategoryNames.size() == domain::EnumNames<DataCategory>::kNames.size());

constexpr std::array<Texts, 5> kKindNames = {{
    {"dövlət orqanı", "state body", "государственный орган"},
    {"polis", "police", "полиция"},
    {"qeyri-hökumət təşkilatı", "non-governmental organisation", "неправительственная организация"},
    {"sığınacaq", "shelter", "приют"},
    {"beynəlxalq təşkilat", "international organisation", "международная организация"},
}};
static_assert(kKindNames.size() == domain::EnumNames<OrgKind>::kNames.size());

// Audit actions, as she would say them. The audit log's vocabulary is open (new use
// cases add actions), so this is a lookup, and anything else is shown generically.
constexpr NamedTexts<29> kActions = {{
    {"case.create",
     {"İşiniz qeydiyyata alındı", "Your file was opened", "Ваше дело зарегистрировано"}},
    {"case.transition",
     {"İşinizin mərhələsi dəyişdirildi", "The stage of your case was changed",
      "Изменён этап работы по вашему делу"}},
    {"case.identity_view",
     {"Şəxsi məlumatlarınıza (ad, sənədlər) baxıldı",
      "Your personal details (name, documents) were viewed",
      "Просмотрены ваши личные данные (имя, документы)"}},
    {"case.identity_correct",
     {"Şəxsi məlumatlarınıza düzəliş edildi", "Your personal details were corrected",
      "Исправлены ваши личные данные"}},
    {"case.disclosure",
     {"Bu təşkilat işinizdəki məlumatlara baxdı",
      "This organisation viewed information from your file",
      "Эта организация просмотрела сведения из вашего дела"}},
    {"case.access_history",
     {"İşinizə kimin baxdığını göstərən bu siyahıya baxıldı",
      "This list of who has seen your file was viewed",
      "Просмотрен этот список тех, кто видел ваше дело"}},
    {"case.identification_decision",
     {"Zərərçəkmiş şəxs statusunuz barədə qərar qeydə alındı",
      "A decision on your status as a victim of trafficking was recorded",
      "Записано решение о вашем статусе пострадавшего от торговли людьми"}},
    {"identification_decision.record",
     {"Zərərçəkmiş şəxs statusunuz barədə qərar qeydə alındı",
      "A decision on your status as a victim of trafficking was recorded",
      "Записано решение о вашем статусе пострадавшего от торговли людьми"}},
    {"case.reflection_extend",
     {"Bərpa və düşünmə müddətiniz uzadıldı", "Your recovery and reflection period was extended",
      "Продлён ваш период восстановления и размышления"}},
    {"consent.record",
     {"Razılığınız qeydə alındı", "Your consent was recorded", "Записано ваше согласие"}},
    {"consent.withdraw",
     {"Razılığınızı geri götürdüyünüz qeydə alındı", "Your withdrawal of consent was recorded",
      "Записан отзыв вашего согласия"}},
    {"consent.receipt",
     {"Razılıq haqqında qəbz verildi", "A consent receipt was issued",
      "Выдана квитанция о согласии"}},
    {"referral.create",
     {"İşiniz başqa təşkilata göndərildi", "Your case was referred to another organisation",
      "Ваше дело направлено в другую организацию"}},
    {"referral.accepted",
     {"Göndəriş qəbul edildi", "The referral was accepted", "Направление принято"}},
    {"referral.declined",
     {"Göndəriş rədd edildi", "The referral was declined", "Направление отклонено"}},
    {"referral.completed",
     {"Göndəriş üzrə iş başa çatdı", "The referral was completed",
      "Работа по направлению завершена"}},
    {"referral.revoked",
     {"Göndəriş geri çağırıldı", "The referral was withdrawn", "Направление отозвано"}},
    {"transfer.create",
     {"İşinizin başqa təşkilata verilməsi təklif edildi",
      "A transfer of your file to another organisation was proposed",
      "Предложена передача вашего дела другой организации"}},
    {"transfer.accepted",
     {"İşinizin verilməsi qəbul edildi", "The transfer of your file was accepted",
      "Передача вашего дела принята"}},
    {"transfer.declined",
     {"İşinizin verilməsindən imtina edildi", "The transfer of your file was declined",
      "В передаче вашего дела отказано"}},
    {"transfer.completed",
     {"İşinizin verilməsi başa çatdı", "The transfer of your file was completed",
      "Передача вашего дела завершена"}},
    {"transfer.revoked",
     {"İşinizin verilməsi ləğv edildi", "The transfer of your file was called off",
      "Передача вашего дела отменена"}},
    {"stay.admit",
     {"Sığınacağa qəbul edildiniz", "You were admitted to a shelter", "Вы приняты в приют"}},
    {"stay.discharge",
     {"Sığınacaqdan çıxdığınız qeydə alındı", "Your leaving the shelter was recorded",
      "Записан ваш выход из приюта"}},
    {"service.record",
     {"Aldığınız xidmət qeydə alındı", "A service you received was recorded",
      "Записана полученная вами услуга"}},
    {"return.create",
     {"Təhlükəsiz qayıdışınız planlaşdırıldı", "Your safe return was planned",
      "Запланировано ваше безопасное возвращение"}},
    {"follow_up.complete",
     {"Sonrakı izləmə (görüş və ya əlaqə) həyata keçirildi",
      "A follow-up visit or call was completed",
      "Проведено последующее сопровождение (встреча или звонок)"}},
    {"payment.request",
     {"Sizin üçün müavinət ödənişi tələb olundu", "An allowance payment for you was requested",
      "Запрошена выплата пособия для вас"}},
    {"payment.approve",
     {"Sizin üçün müavinət ödənişi təsdiq edildi", "An allowance payment for you was approved",
      "Одобрена выплата пособия для вас"}},
}};

// Kinds of staff (domain::Role's names) and the system's own steps.
constexpr NamedTexts<7> kRoles = {{
    {"admin", {"sistem administratoru", "system administrator", "администратор системы"}},
    {"coordinator", {"koordinator", "coordinator", "координатор"}},
    {"caseworker", {"sosial işçi", "caseworker", "сотрудник, ведущий дело"}},
    {"shelter_manager", {"sığınacaq rəhbəri", "shelter manager", "руководитель приюта"}},
    {"analyst", {"analitik", "analyst", "аналитик"}},
    {"auditor", {"auditor", "auditor", "аудитор"}},
    {"system", {"avtomatik əməliyyat", "automatic step", "автоматическая операция"}},
}};

constexpr NamedTexts<4> kBases = {{
    {"owner",
     {"İşinizi aparan təşkilat", "The organisation that holds your file",
      "Организация, которая ведёт ваше дело"}},
    {"consent", {"Sizin razılığınız", "Your consent", "Ваше согласие"}},
    {"override",
     {"Koordinasiya orqanının qeydə aldığı qanuni istisna",
      "A legal override recorded by the coordinating body",
      "Законное исключение, оформленное координирующим органом"}},
    {"national_coordination",
     {"Milli koordinasiya", "National coordination", "Национальная координация"}},
}};

struct Labels {
  std::string_view title;
  std::string_view case_code;
  std::string_view printed_on;
  std::string_view intro;
  std::string_view withdraw;
  std::string_view caption;
  std::string_view col_when;
  std::string_view col_organization;
  std::string_view col_what;
  std::string_view col_basis;
  std::string_view col_purposes;
  std::string_view col_categories;
  std::string_view other_action;
  std::string_view no_organization;
  std::string_view empty;
  std::string_view continues;
};

constexpr Labels kAz{
    .title = "İşimlə kim tanış olub və ya ona kim dəyişiklik edib",
    .case_code = "İşin kodu",
    .printed_on = "Çap tarixi",
    .intro =
        "Kimsə işinizə baxdıqda və ya onu başqa təşkilatla paylaşdıqda, bu hər dəfə qeydə "
        "alınır. Bu siyahıda həmin qeydlərin hər biri göstərilir: nə vaxt baş verib, hansı "
        "təşkilat olub, nə edilib, hansı əsasla və hansı məqsədlə. İşçilərin adları "
        "göstərilmir, yalnız vəzifələri göstərilir.",
    .withdraw =
        "İşinizin paylaşılmasına verdiyiniz razılığı istənilən vaxt işinizə baxan sosial "
        "işçiyə bildirməklə geri götürə bilərsiniz. Bundan sonra məlumatlarınız həmin "
        "razılıq əsasında paylaşılmayacaq.",
    .caption = "İşinizlə bağlı qeydlər",
    .col_when = "Tarix və vaxt",
    .col_organization = "Təşkilat",
    .col_what = "Nə baş verib",
    .col_basis = "Hansı əsasla",
    .col_purposes = "Hansı məqsədlə",
    .col_categories = "Hansı məlumatlar",
    .other_action = "İşinizlə bağlı digər əməliyyat",
    .no_organization = "Haven sisteminin özü (təşkilat deyil)",
    .empty = "İşinizlə bağlı hələ heç bir qeyd yoxdur.",
    .continues = "Siyahı növbəti səhifədə davam edir.",
};

constexpr Labels kEn{
    .title = "Who has seen or changed my file",
    .case_code = "Case code",
    .printed_on = "Printed on",
    .intro =
        "Every time someone looks at your file or shares it with another organisation, it is "
        "recorded. This list shows each of those records: when it happened, which "
        "organisation it was, what was done, on what basis and for what purpose. It never "
        "shows the names of staff, only their role.",
    .withdraw =
        "You may withdraw your consent to share your file at any time by telling your "
        "caseworker. From then on, your information is no longer shared on the basis of "
        "that consent.",
    .caption = "Records about your file",
    .col_when = "Date and time",
    .col_organization = "Organisation",
    .col_what = "What happened",
    .col_basis = "On what basis",
    .col_purposes = "For what purpose",
    .col_categories = "Which information",
    .other_action = "Other action on your file",
    .no_organization = "The Haven system itself (not an organisation)",
    .empty = "There are no records about your file yet.",
    .continues = "The list continues on the next page.",
};

constexpr Labels kRu{
    .title = "Кто видел или изменял моё дело",
    .case_code = "Код дела",
    .printed_on = "Дата печати",
    .intro =
        "Каждый раз, когда кто-либо просматривает ваше дело или передаёт его другой "
        "организации, это записывается. В этом списке показана каждая такая запись: когда "
        "это произошло, какая это была организация, что было сделано, на каком основании и "
        "с какой целью. Имена сотрудников не указываются — только их должность.",
    .withdraw =
        "Вы можете в любое время отозвать своё согласие на передачу сведений о вашем деле, "
        "сообщив об этом сотруднику, который ведёт ваше дело. После этого ваши сведения "
        "больше не передаются на основании этого согласия.",
    .caption = "Записи о вашем деле",
    .col_when = "Дата и время",
    .col_organization = "Организация",
    .col_what = "Что произошло",
    .col_basis = "На каком основании",
    .col_purposes = "С какой целью",
    .col_categories = "Какие сведения",
    .other_action = "Другое действие с вашим делом",
    .no_organization = "Сама система Haven (не организация)",
    .empty = "О вашем деле пока нет ни одной записи.",
    .continues = "Список продолжается на следующей странице.",
};

const Labels& LabelsFor(Language lang) {
  return ByLanguage(lang, kAz, kEn, kRu);
}

constexpr std::string_view kNone = "—";

template <typename E, std::size_t N>
std::string TranslatedList(const std::array<Texts, N>& table, const std::vector<std::string>& names,
                           Language lang) {
  if (names.empty()) return std::string(kNone);
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += Escape(Translate<E>(table, name, lang));
  }
  return out;
}

std::string OrganizationCell(const AccessEvent& e, const Labels& l, Language lang) {
  std::string cell;
  if (e.organization_id) {
    auto index = static_cast<std::size_t>(e.organization_kind);
    std::string kind(index < kKindNames.size() ? In(kKindNames[index], lang) : kNone);
    cell = e.organization_name.empty()
               ? Escape(kind)
               : fmt::format("{} ({})", Escape(e.organization_name), Escape(kind));
  } else {
    cell = Escape(l.no_organization);
  }
  if (!e.role.empty()) {
    auto role = Lookup(kRoles, e.role, lang);
    cell += fmt::format("<br>{}", Escape(role ? *role : std::string_view(e.role)));
  }
  return cell;
}

std::string ActionCell(const AccessEvent& e, const Labels& l, Language lang) {
  if (auto text = Lookup(kActions, e.action, lang)) return Escape(*text);
  return fmt::format("{} (<code>{}</code>)", Escape(l.other_action), Escape(e.action));
}

std::string BasisCell(const AccessEvent& e, Language lang) {
  if (e.basis.empty()) return std::string(kNone);
  auto text = Lookup(kBases, e.basis, lang);
  return Escape(text ? *text : std::string_view(e.basis));
}

}  // namespace

std::string AccessHistoryHtml(const AccessHistory& h, Language lang, Timestamp printed_at) {
  const Labels& l = LabelsFor(lang);
  std::string html;
  html += PageStart(lang, fmt::format("{} {}", l.title, h.c.code));
  html += fmt::format("<h1>{}</h1>\n<dl>\n", Escape(l.title));
  html += fmt::format("<dt>{}</dt><dd>{}</dd>\n", Escape(l.case_code), Escape(h.c.code));
  html +=
      fmt::format("<dt>{}</dt><dd><time datetime=\"{}\">{}</time></dd>\n</dl>\n",
                  Escape(l.printed_on), FormatTimestamp(printed_at), ShowTime(printed_at, lang));
  html += fmt::format("<p>{}</p>\n<p>{}</p>\n", Escape(l.intro), Escape(l.withdraw));

  if (h.events.empty()) {
    html += fmt::format("<p>{}</p>\n", Escape(l.empty));
  } else {
    html += fmt::format("<table>\n<caption>{}</caption>\n<thead>\n<tr>", Escape(l.caption));
    for (std::string_view head : {l.col_when, l.col_organization, l.col_what, l.col_basis,
                                  l.col_purposes, l.col_categories})
      html += fmt::format("<th scope=\"col\">{}</th>", Escape(head));
    html += "</tr>\n</thead>\n<tbody>\n";
    for (const AccessEvent& e : h.events) {
      html += fmt::format(
          "<tr><td><time datetime=\"{}\">{}</time></td><td>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td><td>{}</td></tr>\n",
          FormatTimestamp(e.at), ShowTime(e.at, lang), OrganizationCell(e, l, lang),
          ActionCell(e, l, lang), BasisCell(e, lang),
          TranslatedList<Purpose>(kPurposeNames, e.purposes, lang),
          TranslatedList<DataCategory>(kCategoryNames, e.categories, lang));
    }
    html += "</tbody>\n</table>\n";
  }
  if (h.next_cursor) html += fmt::format("<p><strong>{}</strong></p>\n", Escape(l.continues));
  html += "</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace haven::app
