#include "report/labels.h"

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/ucurr.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <optional>
#include <regex>
#include <span>
#include <vector>

#include "domain/vocabulary.h"

namespace haven::report {
namespace {

using domain::Term;

// Columns everywhere below: code, Azerbaijani, English, Russian (as domain::Term).
// Azerbaijani in Latin script; Russian in Cyrillic.

// clang-format off
constexpr auto kReportTitles = std::to_array<Term>({
    {"annual", "Milli illik statistika", "National annual statistics",
     "Национальная годовая статистика"},
    {"greta", "Avropa Şurası GRETA sorğu anketi: müəyyən edilmiş qurbanlar",
     "Council of Europe GRETA questionnaire: identified victims",
     "Вопросник GRETA Совета Европы: выявленные жертвы"},
    {"unodc", "UNODC-nin İnsan Alveri üzrə Qlobal Hesabatı: aşkar edilmiş qurbanlar",
     "UNODC Global Report on Trafficking in Persons: detected victims",
     "Глобальный доклад УНП ООН о торговле людьми: выявленные жертвы"},
    {"osce", "ATƏT üçün müəyyən edilmiş qurbanlar üzrə xülasə", "OSCE summary of identified victims",
     "Сводка ОБСЕ по выявленным жертвам"},
    {"allowances", "Qurbanlara ödənilmiş müavinətlər", "Victim allowances paid",
     "Выплаченные пособия жертвам"},
    {"referrals", "Koalisiya təşkilatları arasında yönləndirmələr",
     "Referrals between the coalition's organisations",
     "Направления между организациями коалиции"},
    {"awareness", "Regionlarda maarifləndirmə işi", "Awareness work in the regions",
     "Информационно-просветительская работа в регионах"},
});

constexpr auto kReportDescriptions = std::to_array<Term>({
    {"annual",
     "İl ərzində müəyyən edilmiş şəxslər: yaş, cins, istismar forması, vətəndaşlıq, daxili və "
     "ya transmilli insan alveri, müəyyən edən orqan və status üzrə.",
     "Persons identified in the year by age, sex, form of exploitation, citizenship, internal or "
     "transnational trafficking, identifying body and status.",
     "Лица, выявленные за год, по возрасту, полу, форме эксплуатации, гражданству, внутренней "
     "или транснациональной торговле людьми, выявившему органу и статусу."},
    {"greta",
     "GRETA-nın qiymətləndirmə sorğu anketinin qurbanlara dair göstəriciləri: cins, uşaqlar və "
     "böyüklər, istismar forması, vətəndaşlıq və daxili və ya transmilli insan alveri üzrə.",
     "The victim figures of GRETA's evaluation questionnaire: by sex, children and adults, form "
     "of exploitation, nationality and internal or transnational trafficking.",
     "Данные о жертвах для оценочного вопросника GRETA: по полу, детям и взрослым, форме "
     "эксплуатации, гражданству и внутренней или транснациональной торговле людьми."},
    {"unodc",
     "Aşkar edilmiş qurbanlar — qadınlar, kişilər, qızlar və oğlanlar — istismar forması, mənşə, "
     "vətəndaşlıq və istismar ölkəsi üzrə.",
     "Detected victims as women, men, girls and boys, by form of exploitation, origin, "
     "citizenship and country of exploitation.",
     "Выявленные жертвы — женщины, мужчины, девочки и мальчики — по форме эксплуатации, "
     "происхождению, гражданству и стране эксплуатации."},
    {"osce", "ATƏT-ə hesabat üçün əsas göstəricilər, hər biri öz cəmi ilə.",
     "The headline figures for OSCE reporting, each with its total.",
     "Основные показатели для отчётности перед ОБСЕ, каждый со своим итогом."},
    {"allowances",
     "İl ərzində təsdiq edilmiş müavinət ödənişləri aylar üzrə: onların sayı və hər valyutada "
     "cəmi.",
     "Approved allowance payments of the year per month: their number and their sum per "
     "currency.",
     "Утверждённые выплаты пособий за год по месяцам: их число и сумма в каждой валюте."},
    {"referrals",
     "İl ərzində göndərilmiş yönləndirmələr və işlərin verilməsi: göndərən və qəbul edən "
     "təşkilatın növü, cari status, onlara şəxsin razılığı və ya koordinatorun qərarı ilə yol "
     "verilməsi, qəbula qədər median müddət və memorandumun üzvləri.",
     "Referrals and transfers sent in the year by the kinds of sending and receiving "
     "organisation, their status, whether consent or a coordinator's override let them go "
     "ahead, the median time to acceptance, and the members of the memorandum.",
     "Направления и передачи дел, отправленные за год, по типу отправляющей и принимающей "
     "организации, их статус, основание (согласие лица или решение координатора), медианное "
     "время до принятия и участники меморандума."},
    {"awareness",
     "İl ərzində keçirilmiş təlimlər, seminarlar, kampaniyalar və məlumatlandırma görüşləri "
     "region və növ üzrə, onların iştirakçıları region və cins üzrə, tədbirlər isə mövzu və "
     "auditoriya üzrə.",
     "Trainings, seminars, campaigns and information sessions held in the year, by region and "
     "kind, their participants by region and sex, and the events by topic and audience.",
     "Тренинги, семинары, кампании и информационные встречи, проведённые за год, по регионам и "
     "видам, их участники по регионам и полу, а также мероприятия по темам и аудиториям."},
});

constexpr auto kUnits = std::to_array<Term>({
    {"persons", "şəxslər", "persons", "лица"},
    {"payments, and amounts (major units in CSV and XLSX, minor in JSON)",
     "ödənişlər və məbləğlər (CSV və XLSX-də əsas vahidlərlə, JSON-da xırda vahidlərlə)",
     "payments, and amounts (major units in CSV and XLSX, minor in JSON)",
     "выплаты и суммы (в CSV и XLSX — в основных единицах, в JSON — в минимальных)"},
    {"referrals", "yönləndirmələr", "referrals", "направления"},
    {"events and participants", "tədbirlər və iştirakçılar", "events and participants",
     "мероприятия и участники"},
});

// Titles, then the short names of worksheet tabs (at most 31 characters).
constexpr auto kTableTitles = std::to_array<Term>({
    // annual
    {"by_age_group_and_sex", "Müəyyən edilmiş şəxslər, yaş qrupu və cins üzrə",
     "Persons identified, by age group and sex", "Выявленные лица по возрастным группам и полу"},
    {"by_majority_and_sex", "Müəyyən edilmiş şəxslər: uşaqlar və böyüklər, cins üzrə",
     "Persons identified: children and adults, by sex", "Выявленные лица: дети и взрослые, по полу"},
    {"by_exploitation_and_sex", "Müəyyən edilmiş şəxslər, istismar forması və cins üzrə",
     "Persons identified, by form of exploitation and sex",
     "Выявленные лица по формам эксплуатации и полу"},
    {"by_citizenship_and_sex", "Müəyyən edilmiş şəxslər, vətəndaşlıq və cins üzrə",
     "Persons identified, by citizenship and sex", "Выявленные лица по гражданству и полу"},
    {"by_citizenship_group_and_sex",
     "Müəyyən edilmiş şəxslər: öz vətəndaşları, əcnəbilər, vətəndaşlığı olmayan şəxslər",
     "Persons identified: own nationals, foreign nationals, stateless",
     "Выявленные лица: собственные граждане, иностранцы, лица без гражданства"},
    {"by_transnational_and_sex", "Müəyyən edilmiş şəxslər: daxili və transmilli insan alveri",
     "Persons identified: internal and transnational trafficking",
     "Выявленные лица: внутренняя и транснациональная торговля людьми"},
    {"by_identified_by_and_sex", "Müəyyən edilmiş şəxslər, müəyyən edən orqan üzrə",
     "Persons identified, by identifying body", "Выявленные лица по выявившему органу"},
    {"by_status_and_sex", "Müəyyən edilmiş şəxslər, milli yönləndirmə mexanizminin mərhələsi üzrə",
     "Persons identified, by stage of the national referral mechanism",
     "Выявленные лица по этапу национального механизма перенаправления"},
    {"by_victim_status_and_sex", "Müəyyən edilmiş şəxslər, rəsmi qurban statusu üzrə",
     "Persons identified, by formal victim status",
     "Выявленные лица по официальному статусу жертвы"},
    {"services_by_type", "Göstərilmiş xidmətlər, növ üzrə", "Services delivered, by type",
     "Оказанные услуги по видам"},
    {"cases_by_service_type", "Xidmət göstərilmiş işlər, xidmət növü üzrə",
     "Cases that received a service, by type", "Дела, по которым оказаны услуги, по видам услуг"},
    {"shelter_use", "Sığınacaqda qalma və çarpayı-günlər", "Shelter stays and bed-days",
     "Пребывание в приютах и койко-дни"},
    {"compensation", "Kompensasiya iddiaları və təyin edilmiş məbləğlər",
     "Compensation claims and amounts awarded", "Иски о компенсации и присуждённые суммы"},
    {"criminal_proceedings", "İl ərzində başlanmış cinayət işləri, cari mərhələ üzrə",
     "Criminal proceedings started in the year, by their current stage",
     "Уголовные дела, возбуждённые за год, по текущей стадии"},
    // greta
    {"victims_by_sex_and_age", "Müəyyən edilmiş qurbanlar cins üzrə, uşaqlar və böyüklər",
     "Identified victims by sex, children and adults", "Выявленные жертвы по полу: дети и взрослые"},
    {"victims_by_exploitation_and_age",
     "Müəyyən edilmiş qurbanlar istismar forması üzrə, uşaqlar və böyüklər",
     "Identified victims by form of exploitation, children and adults",
     "Выявленные жертвы по формам эксплуатации: дети и взрослые"},
    {"victims_by_exploitation_and_sex", "Müəyyən edilmiş qurbanlar istismar forması və cins üzrə",
     "Identified victims by form of exploitation and sex",
     "Выявленные жертвы по формам эксплуатации и полу"},
    {"victims_by_nationality_group",
     "Müəyyən edilmiş qurbanlar: öz vətəndaşları, əcnəbilər, vətəndaşlığı olmayan şəxslər",
     "Identified victims: own nationals, foreign nationals, stateless",
     "Выявленные жертвы: собственные граждане, иностранцы, лица без гражданства"},
    {"victims_by_nationality", "Müəyyən edilmiş qurbanlar vətəndaşlıq üzrə",
     "Identified victims by nationality", "Выявленные жертвы по гражданству"},
    {"victims_internal_transnational", "Daxili və transmilli insan alveri",
     "Internal and transnational trafficking", "Внутренняя и транснациональная торговля людьми"},
    {"victims_status", "Qurban statusu: verilib, imtina edilib və ya qərar gözlənilir",
     "Victim status granted, refused or pending",
     "Статус жертвы: предоставлен, отказано или решение ожидается"},
    // unodc
    {"detected_victims", "Aşkar edilmiş qurbanlar yaş və cins üzrə",
     "Detected victims by age and sex", "Выявленные жертвы по возрасту и полу"},
    {"detected_victims_by_exploitation", "Aşkar edilmiş qurbanlar istismar forması, yaş və cins üzrə",
     "Detected victims by form of exploitation, age and sex",
     "Выявленные жертвы по формам эксплуатации, возрасту и полу"},
    {"detected_victims_by_origin", "Aşkar edilmiş qurbanlar: yerli və əcnəbi, yaş və cins üzrə",
     "Detected victims: domestic and foreign, by age and sex",
     "Выявленные жертвы: граждане страны и иностранцы, по возрасту и полу"},
    {"detected_victims_by_citizenship", "Aşkar edilmiş qurbanlar vətəndaşlıq ölkəsi üzrə",
     "Detected victims by country of citizenship", "Выявленные жертвы по стране гражданства"},
    {"detected_victims_by_country_of_exploitation", "Aşkar edilmiş qurbanlar istismar ölkəsi üzrə",
     "Detected victims by country of exploitation", "Выявленные жертвы по стране эксплуатации"},
    // osce
    {"sex", "Müəyyən edilmiş qurbanlar cins üzrə", "Identified victims by sex",
     "Выявленные жертвы по полу"},
    {"age", "Uşaqlar və böyüklər", "Children and adults", "Дети и взрослые"},
    {"nationality", "Öz vətəndaşları, əcnəbilər, vətəndaşlığı olmayan şəxslər",
     "Own nationals, foreign nationals, stateless",
     "Собственные граждане, иностранцы, лица без гражданства"},
    {"exploitation", "İstismar formaları", "Forms of exploitation", "Формы эксплуатации"},
    {"trafficking", "Daxili və transmilli", "Internal and transnational",
     "Внутренняя и транснациональная"},
    {"identified_by", "Müəyyən edən orqan", "Identified by", "Кем выявлены"},
    {"victim_status", "Rəsmi qurban statusu", "Formal victim status", "Официальный статус жертвы"},
    // referrals
    {"referrals_by_receiver_kind",
     "Göndərilmiş yönləndirmələr və işlərin verilməsi, qəbul edən təşkilatın növü və cari status üzrə",
     "Referrals and transfers sent, by the receiver's kind and status now",
     "Отправленные направления и передачи дел по типу принимающей организации и текущему статусу"},
    {"referrals_by_sender_kind",
     "Göndərilmiş yönləndirmələr və işlərin verilməsi, göndərən təşkilatın növü və cari status üzrə",
     "Referrals and transfers sent, by the sender's kind and status now",
     "Отправленные направления и передачи дел по типу отправляющей организации и текущему статусу"},
    {"referrals_by_ground", "Göndərilmiş yönləndirmələr və işlərin verilməsi, əsas üzrə",
     "Referrals and transfers sent, by their ground",
     "Отправленные направления и передачи дел по основанию"},
    // awareness
    {"awareness_events_by_region_and_kind", "Maarifləndirmə tədbirləri region və növ üzrə",
     "Awareness events by region and kind", "Информационные мероприятия по регионам и видам"},
    {"awareness_participants_by_region_and_sex",
     "Maarifləndirmə tədbirlərinin iştirakçıları region və cins üzrə",
     "Participants of awareness events by region and sex",
     "Участники информационных мероприятий по регионам и полу"},
    {"awareness_events_by_topic", "Maarifləndirmə tədbirləri mövzu üzrə",
     "Awareness events by topic", "Информационные мероприятия по темам"},
    {"awareness_events_by_audience", "Maarifləndirmə tədbirləri auditoriya üzrə",
     "Awareness events by audience", "Информационные мероприятия по аудиториям"},
    {"awareness_participants_by_age", "İştirakçılar yaş qrupu üzrə (hesablandığı hallarda)",
     "Participants by age group, where counted",
     "Участники по возрастным группам (где учитывались)"},
});

constexpr auto kTableShortTitles = std::to_array<Term>({
    {"by_age_group_and_sex", "Yaş qrupu və cins", "Age group and sex", "Возраст и пол"},
    {"by_majority_and_sex", "Uşaqlar, böyüklər və cins", "Children, adults and sex",
     "Дети, взрослые и пол"},
    {"by_exploitation_and_sex", "İstismar forması və cins", "Exploitation and sex",
     "Эксплуатация и пол"},
    {"by_citizenship_and_sex", "Vətəndaşlıq və cins", "Citizenship and sex", "Гражданство и пол"},
    {"by_citizenship_group_and_sex", "Öz vətəndaşları və əcnəbilər", "Nationals and foreigners",
     "Свои граждане и иностранцы"},
    {"by_transnational_and_sex", "Daxili və transmilli", "Internal and transnational",
     "Внутренняя и транснациональная"},
    {"by_identified_by_and_sex", "Müəyyən edən orqan", "Identifying body", "Выявивший орган"},
    {"by_status_and_sex", "Yönləndirmə mərhələsi", "Referral mechanism stage",
     "Этап перенаправления"},
    {"by_victim_status_and_sex", "Qurban statusu", "Victim status", "Статус жертвы"},
    {"services_by_type", "Xidmətlər növ üzrə", "Services by type", "Услуги по видам"},
    {"cases_by_service_type", "İşlər xidmət növü üzrə", "Cases by service type",
     "Дела по видам услуг"},
    {"shelter_use", "Sığınacaqdan istifadə", "Shelter use", "Пребывание в приютах"},
    {"compensation", "Kompensasiya", "Compensation", "Компенсация"},
    {"criminal_proceedings", "Cinayət işləri", "Criminal proceedings", "Уголовные дела"},
    {"victims_by_sex_and_age", "Cins, uşaqlar və böyüklər", "Sex, children and adults",
     "Пол, дети и взрослые"},
    {"victims_by_exploitation_and_age", "İstismar, uşaqlar və böyüklər",
     "Exploitation, children, adults", "Эксплуатация, дети и взрослые"},
    {"victims_by_exploitation_and_sex", "İstismar forması və cins", "Exploitation and sex",
     "Эксплуатация и пол"},
    {"victims_by_nationality_group", "Öz vətəndaşları və əcnəbilər", "Nationals and foreigners",
     "Свои граждане и иностранцы"},
    {"victims_by_nationality", "Vətəndaşlıq", "Nationality", "Гражданство"},
    {"victims_internal_transnational", "Daxili və transmilli", "Internal and transnational",
     "Внутренняя и транснациональная"},
    {"victims_status", "Qurban statusu", "Victim status", "Статус жертвы"},
    {"detected_victims", "Yaş və cins", "Age and sex", "Возраст и пол"},
    {"detected_victims_by_exploitation", "İstismar, yaş və cins", "Exploitation, age and sex",
     "Эксплуатация, возраст и пол"},
    {"detected_victims_by_origin", "Yerli və əcnəbi", "Domestic and foreign",
     "Свои граждане и иностранцы"},
    {"detected_victims_by_citizenship", "Vətəndaşlıq ölkəsi", "Country of citizenship",
     "Страна гражданства"},
    {"detected_victims_by_country_of_exploitation", "İstismar ölkəsi", "Country of exploitation",
     "Страна эксплуатации"},
    {"sex", "Cins", "Sex", "Пол"},
    {"age", "Uşaqlar və böyüklər", "Children and adults", "Дети и взрослые"},
    {"nationality", "Vətəndaşlıq", "Nationality", "Гражданство"},
    {"exploitation", "İstismar formaları", "Forms of exploitation", "Формы эксплуатации"},
    {"trafficking", "Daxili və transmilli", "Internal and transnational",
     "Внутренняя и транснациональная"},
    {"identified_by", "Müəyyən edən orqan", "Identified by", "Кем выявлены"},
    {"victim_status", "Qurban statusu", "Victim status", "Статус жертвы"},
    {"allowance_payments", "Ödənişlər", "Payments", "Выплаты"},
    {"allowance_amounts", "Məbləğlər", "Amounts", "Суммы"},
    {"referrals_by_receiver_kind", "Qəbul edən üzrə", "By receiver", "По получателю"},
    {"referrals_by_sender_kind", "Göndərən üzrə", "By sender", "По отправителю"},
    {"referrals_by_ground", "Əsas üzrə", "By ground", "По основанию"},
    {"awareness_events_by_region_and_kind", "Tədbirlər region üzrə", "Events by region",
     "Мероприятия по регионам"},
    {"awareness_participants_by_region_and_sex", "İştirakçılar region üzrə",
     "Participants by region", "Участники по регионам"},
    {"awareness_events_by_topic", "Tədbirlər mövzu üzrə", "Events by topic",
     "Мероприятия по темам"},
    {"awareness_events_by_audience", "Tədbirlər auditoriya üzrə", "Events by audience",
     "Мероприятия по аудиториям"},
    {"awareness_participants_by_age", "İştirakçılar yaş üzrə", "Participants by age",
     "Участники по возрасту"},
});

// The allowance tables are titled by the period or body they are grouped by.
constexpr auto kAllowanceTitles = std::to_array<Term>({
    {"allowance_payments", "Təsdiq edilmiş müavinət ödənişləri", "Approved allowance payments",
     "Утверждённые выплаты пособий"},
    {"allowance_amounts", "Ödənilmiş müavinətlər", "Allowances paid", "Выплаченные пособия"},
});
constexpr auto kGroupedBy = std::to_array<Term>({
    {"month", "aylar üzrə", "by month", "по месяцам"},
    {"year", "illər üzrə", "by year", "по годам"},
    {"organization", "təşkilatlar üzrə", "by organisation", "по организациям"},
});

constexpr auto kDimensions = std::to_array<Term>({
    {"year", "İl", "Year", "Год"},
    {"sex", "Cins", "Sex", "Пол"},
    {"age_group", "Yaş qrupu", "Age group", "Возрастная группа"},
    {"citizenship", "Vətəndaşlıq", "Citizenship", "Гражданство"},
    {"exploitation", "İstismar forması", "Form of exploitation", "Форма эксплуатации"},
    {"country_of_exploitation", "İstismar ölkəsi", "Country of exploitation",
     "Страна эксплуатации"},
    {"identified_by", "Müəyyən edən orqan", "Identified by", "Кем выявлен"},
    {"status", "Yönləndirmə mexanizminin mərhələsi", "Stage of the referral mechanism",
     "Этап механизма перенаправления"},
    {"majority", "Uşaq və ya böyük", "Child or adult", "Ребёнок или взрослый"},
    {"citizenship_group", "Vətəndaşlıq qrupu", "Nationality group", "Группа по гражданству"},
    {"transnational", "Daxili və ya transmilli", "Internal or transnational",
     "Внутренняя или транснациональная"},
    {"victim_status", "Qurban statusu", "Victim status", "Статус жертвы"},
    {"source", "Mənbə", "Source", "Источник"},
    {"age_sex", "Yaş və cins", "Age and sex", "Возраст и пол"},
    {"service_type", "Xidmətin növü", "Type of service", "Вид услуги"},
    {"measure", "Göstərici", "Measure", "Показатель"},
    {"stage", "İcraatın mərhələsi", "Stage of proceedings", "Стадия производства"},
    {"month", "Ay", "Month", "Месяц"},
    {"currency", "Valyuta", "Currency", "Валюта"},
    {"organization", "Təşkilat", "Organisation", "Организация"},
    {"receiver_kind", "Qəbul edən təşkilatın növü", "Receiver's kind",
     "Тип принимающей организации"},
    {"sender_kind", "Göndərən təşkilatın növü", "Sender's kind", "Тип отправляющей организации"},
    {"referral_status", "Cari status", "Status now", "Текущий статус"},
    {"ground", "Əsas", "Ground", "Основание"},
    {"region", "Region", "Region", "Регион"},
    {"event_kind", "Tədbirin növü", "Kind of event", "Вид мероприятия"},
    {"event_topic", "Mövzu", "Topic", "Тема"},
    {"audience", "Auditoriya", "Audience", "Аудитория"},
    {"participant_age_group", "İştirakçıların yaş qrupu", "Participants' age group",
     "Возрастная группа участников"},
    {"count", "Say", "Number", "Число"},
});

// Which vocabulary of domain/vocabulary.h labels the values of a dimension.
constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kDimensionVocabularies = {{
    {"sex", "sexes"},
    {"identified_by", "identifying_bodies"},
    {"exploitation", "forms_of_exploitation"},
    {"status", "case_statuses"},
    {"victim_status", "victim_statuses"},
    {"service_type", "service_types"},
    {"stage", "proceeding_stages"},
    {"receiver_kind", "organization_kinds"},
    {"sender_kind", "organization_kinds"},
    {"organization_kind", "organization_kinds"},
    {"referral_status", "referral_statuses"},
    {"event_kind", "event_kinds"},
    {"event_topic", "event_topics"},
    {"audience", "audiences"},
    {"participant_age_group", "participant_age_groups"},
    {"language", "languages"},
}};

// The values dimensions.cc and the report builders make up (and a table's own words).
constexpr auto kSyntheticValues = std::to_array<Term>({
    {"unknown", "Məlum deyil", "Unknown", "Неизвестно"},
    {"count", "Say", "Number", "Число"},
    {"total", "Cəmi", "Total", "Итого"},
    {"minor", "Uşaqlar (18 yaşadək)", "Children (under 18)", "Дети (до 18 лет)"},
    {"adult", "Böyüklər (18 və yuxarı)", "Adults (18 and over)", "Взрослые (18 лет и старше)"},
    {"own_country", "Öz vətəndaşları", "Own nationals", "Собственные граждане"},
    {"foreign", "Əcnəbilər", "Foreign nationals", "Иностранные граждане"},
    {"stateless", "Vətəndaşlığı olmayan şəxslər", "Stateless persons", "Лица без гражданства"},
    {"internal", "Daxili", "Internal", "Внутренняя"},
    {"transnational", "Transmilli", "Transnational", "Транснациональная"},
    {"women", "Qadınlar", "Women", "Женщины"},
    {"men", "Kişilər", "Men", "Мужчины"},
    {"girls", "Qızlar", "Girls", "Девочки"},
    {"boys", "Oğlanlar", "Boys", "Мальчики"},
    {"haven", "Haven işləri", "Haven's cases", "Дела Haven"},
    {"ctdc", "CTDC qeydləri (idxal edilmiş)", "CTDC records (imported)",
     "Записи CTDC (импортированные)"},
    {"consent", "Şəxsin razılığı", "Consent of the person", "Согласие лица"},
    {"override", "Koordinatorun qərarı (razılıq olmadan)", "Coordinator's override (no consent)",
     "Решение координатора (без согласия)"},
    // measures of the one-column tables
    {"stays_started", "Sığınacağa yerləşdirmələr (ildə başlanan)", "Shelter stays started",
     "Размещения в приюте (начатые в году)"},
    {"cases_sheltered", "Sığınacaq verilmiş işlər", "Cases sheltered",
     "Дела с размещением в приюте"},
    {"bed_days", "Çarpayı-günlər", "Bed-days", "Койко-дни"},
    {"claims_filed", "Təqdim edilmiş iddialar", "Claims filed", "Поданные иски"},
    {"claims_awarded", "Təmin edilmiş iddialar", "Claims awarded", "Удовлетворённые иски"},
    // mechanisms of a differentially private release
    {"laplace", "Laplas", "Laplace", "Лапласа"},
    {"gaussian", "Qauss", "Gaussian", "Гаусса"},
});

// Where iso-codes has no name in the language (and gives the English one), the name
// as it is written in Azerbaijani or Russian texts.
constexpr auto kCountryNames = std::to_array<Term>({
    {"AX", "Aland adaları", "Åland Islands", "Аландские острова"},
    {"BF", "Burkina-Faso", "Burkina Faso", "Буркина-Фасо"},
    {"CD", "Konqo Demokratik Respublikası", "Congo, The Democratic Republic of the",
     "Демократическая Республика Конго"},
    {"CV", "Kabo-Verde", "Cabo Verde", "Кабо-Верде"},
    {"FM", "Mikroneziya", "Micronesia, Federated States of", "Федеративные Штаты Микронезии"},
    {"GB", "Böyük Britaniya", "United Kingdom", "Соединённое Королевство"},
    {"IM", "Men adası", "Isle of Man", "Остров Мэн"},
    {"IR", "İran", "Iran, Islamic Republic of", "Иран"},
    {"KE", "Keniya", "Kenya", "Кения"},
    {"LA", "Laos", "Lao People's Democratic Republic", "Лаосская Народно-Демократическая Республика"},
    {"LY", "Liviya", "Libya", "Ливия"},
    {"MD", "Moldova", "Moldova, Republic of", "Республика Молдова"},
    {"ME", "Monteneqro", "Montenegro", "Черногория"},
    {"MK", "Şimali Makedoniya", "North Macedonia", "Северная Македония"},
    {"MM", "Myanma", "Myanmar", "Мьянма"},
    {"MU", "Mavriki", "Mauritius", "Маврикий"},
    {"MV", "Maldiv adaları", "Maldives", "Мальдивы"},
    {"PS", "Fələstin", "Palestine, State of", "Палестина"},
    {"RS", "Serbiya", "Serbia", "Сербия"},
    {"SY", "Suriya", "Syrian Arab Republic", "Сирийская Арабская Республика"},
    {"SZ", "Esvatini", "Eswatini", "Эсватини"},
    {"TL", "Şərqi Timor", "Timor-Leste", "Восточный Тимор"},
    {"TR", "Türkiyə", "Türkiye", "Турция"},
    {"TZ", "Tanzaniya", "Tanzania, United Republic of", "Танзания"},
    {"VE", "Venesuela", "Venezuela, Bolivarian Republic of",
     "Боливарианская Республика Венесуэла"},
    {"VN", "Vyetnam", "Viet Nam", "Вьетнам"},
});

constexpr std::array<std::array<std::string_view, 12>, 3> kMonths = {{
    {"Yanvar", "Fevral", "Mart", "Aprel", "May", "İyun", "İyul", "Avqust", "Sentyabr", "Oktyabr",
     "Noyabr", "Dekabr"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"},
    {"Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь",
     "Октябрь", "Ноябрь", "Декабрь"},
}};

// In the order of Phrase.
constexpr auto kPhrases = std::to_array<Term>({
    {"about", "Hesabat haqqında", "About", "Об отчёте"},
    {"report", "Hesabat", "Report", "Отчёт"},
    {"name", "Hesabatın kodu", "Report code", "Код отчёта"},
    {"description", "Təsvir", "Description", "Описание"},
    {"year", "İl", "Year", "Год"},
    {"generated", "Tərtib edilib", "Generated", "Сформирован"},
    {"unit", "Sayılan vahid", "Unit", "Единица учёта"},
    {"sources", "Mənbələr", "Sources", "Источники"},
    {"linkage_applied", "Qeydlərin əlaqələndirilməsi tətbiq edilib", "Linkage applied",
     "Связывание записей применено"},
    {"linkage_at", "Son əlaqələndirmə", "Linkage last run", "Последнее связывание"},
    {"suppression_threshold", "Gizlətmə həddi", "Suppression threshold", "Порог скрытия"},
    {"differential_privacy", "Diferensial məxfilik", "Differential privacy",
     "Дифференциальная приватность"},
    {"language", "Dil", "Language", "Язык"},
    {"yes", "Bəli", "Yes", "Да"},
    {"no", "Xeyr", "No", "Нет"},
    {"total", "Cəmi", "Total", "Итого"},
    {"legend", "Şərti işarələr", "Legend", "Условные обозначения"},
    {"notes", "Qeydlər", "Notes", "Примечания"},
    {"hidden_cells", "Gizlədilmiş xanalar", "Hidden cells", "Скрытые ячейки"},
    {"hidden_secondary", "kiçik say hesablana bilməsin deyə gizlədilmiş daha böyük say",
     "a larger count hidden so that no small one can be worked out",
     "большее число, скрытое, чтобы нельзя было вычислить малое"},
    {"hidden_empty",
     "Boz xana gizlədilmiş saydır: o boşdur, sıfır deyil, və onu əhatə edən düstur dərc edilmiş "
     "cəmi vermir.",
     "A grey cell is a hidden count: it is empty, not zero, and a formula over it does not give "
     "the published total.",
     "Серая ячейка — скрытое число: она пуста, а не равна нулю, и формула по ней не даёт "
     "опубликованного итога."},
    {"nothing_hidden", "Heç nə gizlədilməyib.", "Nothing is hidden.", "Ничего не скрыто."},
    {"no_data", "Məlumat yoxdur.", "No data.", "Нет данных."},
    {"continued", "(davamı)", "(continued)", "(продолжение)"},
    {"utc", "UTC", "UTC", "UTC"},
});
static_assert(kPhrases.size() == static_cast<std::size_t>(Phrase::kUtc) + 1);

// The notes the builders write (named_reports.cc, counts.cc), as patterns: "{}" is
// carried over as it is, "{num}" is a decimal (its sign localised), "{year}" a year,
// "{v:DIM}" a value of dimension DIM (labelled). The translations refer to them as
// {0}, {1}, … in order. The first pattern that matches the whole note wins.
struct NotePattern {
  std::string_view en, az, ru;
};
constexpr auto kNotePatterns = std::to_array<NotePattern>({
    {"A person exploited in several forms is counted under each; the totals of the columns "
     "count mentions, not persons.",
     "Bir neçə formada istismar edilmiş şəxs hər birində sayılır; sütunların cəmləri şəxsləri "
     "deyil, qeydləri sayır.",
     "Лицо, подвергшееся эксплуатации в нескольких формах, учтено в каждой из них; итоги "
     "столбцов считают упоминания, а не лиц."},
    {"A person exploited in several forms is counted under each, so the forms do not add up to "
     "the persons identified; no total is given across them.",
     "Bir neçə formada istismar edilmiş şəxs hər birində sayılır, ona görə də formalar üzrə "
     "saylar müəyyən edilmiş şəxslərin sayını vermir; onlar üzrə cəm göstərilmir.",
     "Лицо, подвергшееся эксплуатации в нескольких формах, учтено в каждой из них, поэтому "
     "сумма по формам не равна числу выявленных лиц; итог по ним не приводится."},
    {"From Haven's own records only: imported records hold no assistance.",
     "Yalnız Haven-in öz qeydləri üzrə: idxal edilmiş qeydlərdə yardım barədə məlumat yoxdur.",
     "Только по собственным записям Haven: в импортированных записях нет сведений о помощи."},
    {"Counts are persons identified in {year}.", "Saylar {0} ildə müəyyən edilmiş şəxslərdir.",
     "Учтены лица, выявленные в {0} году."},
    {"A person exploited in several forms is counted under each; the total counts mentions, not "
     "persons.",
     "Bir neçə formada istismar edilmiş şəxs hər birində sayılır; cəm şəxsləri deyil, qeydləri "
     "sayır.",
     "Лицо, подвергшееся эксплуатации в нескольких формах, учтено в каждой из них; итог считает "
     "упоминания, а не лиц."},
    {"median time from sending to acceptance, {v:receiver_kind}: {num} hours ({} accepted)",
     "göndərilmədən qəbula qədər median müddət, {0}: {1} saat ({2} qəbul edilib)",
     "медианное время от отправки до принятия, {0}: {1} ч (принято: {2})"},
    {"memorandum member: {} ({v:receiver_kind}), signed {}, left {}",
     "memorandum üzvü: {0} ({1}), imzalanıb: {2}, çıxıb: {3}",
     "участник меморандума: {0} ({1}), подписан: {2}, вышел: {3}"},
    {"memorandum member: {} ({v:receiver_kind}), signed {}",
     "memorandum üzvü: {0} ({1}), imzalanıb: {2}", "участник меморандума: {0} ({1}), подписан: {2}"},
    {"The same question was answered on {}: this is that answer again, and no privacy budget "
     "was spent now.",
     "Eyni suala {0} tarixində cavab verilib: bu, həmin cavabdır və indi məxfilik büdcəsindən "
     "heç nə xərclənməyib.",
     "На тот же вопрос был дан ответ {0}: это тот же ответ, и бюджет приватности сейчас не "
     "расходовался."},
    {"An event on several topics counts under each of them.",
     "Bir neçə mövzuda keçirilən tədbir hər birində sayılır.",
     "Мероприятие на несколько тем учтено по каждой из них."},
    {"An event for several audiences counts under each of them.",
     "Bir neçə auditoriya üçün keçirilən tədbir hər birində sayılır.",
     "Мероприятие для нескольких аудиторий учтено по каждой из них."},
    {"{} participants of events that did not count them by age are not in this table.",
     "İştirakçılarını yaş üzrə saymayan tədbirlərin iştirakçıları (cəmi {0}) bu cədvələ daxil "
     "deyil.",
     "Участники мероприятий, где возраст не учитывался (всего {0}), в эту таблицу не вошли."},
    {"amounts of approved payments: in major units (AZN) in CSV and XLSX, in minor units "
     "(qəpik) in JSON",
     "təsdiq edilmiş ödənişlərin məbləğləri: CSV, XLSX, PDF və mətndə əsas vahidlərlə (manat), "
     "JSON-da xırda vahidlərlə (qəpik)",
     "суммы утверждённых выплат: в CSV, XLSX, PDF и тексте — в основных единицах (манатах), в "
     "JSON — в минимальных (гяпиках)"},
    {"These are counts of events and of their participants, not of victims: nothing is hidden.",
     "Bunlar qurbanların deyil, tədbirlərin və onların iştirakçılarının saylarıdır: heç nə "
     "gizlədilmir.",
     "Это число мероприятий и их участников, а не жертв: ничего не скрыто."},
    {"Counts are persons identified in {year}, from Haven's cases and imported CTDC records.",
     "Saylar {0} ildə müəyyən edilmiş şəxslərdir: Haven işləri və idxal edilmiş CTDC qeydləri.",
     "Учтены лица, выявленные в {0} году, по делам Haven и импортированным записям CTDC."},
    {"Linkage was applied: a person registered by several organisations is counted once.",
     "Qeydlərin əlaqələndirilməsi tətbiq edilib: bir neçə təşkilatın qeydə aldığı şəxs bir dəfə "
     "sayılır.",
     "Связывание записей применено: лицо, зарегистрированное несколькими организациями, учтено "
     "один раз."},
    {"Linkage was not applied: a person registered by several organisations may be counted more "
     "than once.",
     "Qeydlərin əlaqələndirilməsi tətbiq edilməyib: bir neçə təşkilatın qeydə aldığı şəxs bir "
     "dəfədən çox sayıla bilər.",
     "Связывание записей не применялось: лицо, зарегистрированное несколькими организациями, "
     "может быть учтено более одного раза."},
    {"Differentially private release ({v:dp_mechanism} mechanism, epsilon {num} in total, {num} "
     "per table, delta {}); counts are noisy and totals are sums of noisy counts.",
     "Diferensial məxfiliklə dərc ({0} mexanizmi, cəmi epsilon {1}, hər cədvələ {2}, delta {3}); "
     "saylara küy əlavə edilib, cəmlər küylü sayların cəmidir.",
     "Публикация с дифференциальной приватностью (механизм {0}, эпсилон {1} всего, {2} на "
     "таблицу, дельта {3}); числа зашумлены, итоги — суммы зашумлённых чисел."},
    {"Differentially private release ({v:dp_mechanism} mechanism, epsilon {num} in total, {num} "
     "per table); counts are noisy and totals are sums of noisy counts.",
     "Diferensial məxfiliklə dərc ({0} mexanizmi, cəmi epsilon {1}, hər cədvələ {2}); saylara küy "
     "əlavə edilib, cəmlər küylü sayların cəmidir.",
     "Публикация с дифференциальной приватностью (механизм {0}, эпсилон {1} всего, {2} на "
     "таблицу); числа зашумлены, итоги — суммы зашумлённых чисел."},
    {"Counts from 1 to {} are shown as \"<{}\"; \"x\" hides a larger count so that no small one "
     "can be worked out from the totals.",
     "1–{0} arası saylar \"<{1}\" kimi göstərilir; \"x\" kiçik say cəmlərdən hesablana bilməsin "
     "deyə daha böyük sayı gizlədir.",
     "Числа от 1 до {0} показаны как «<{1}»; «x» скрывает большее число, чтобы малое нельзя было "
     "вычислить из итогов."},
});
// clang-format on

std::string_view Pick(const Term& t, Language lang) {
  std::string_view s = t.Label(lang);
  return s.empty() ? t.en : s;
}

const Term* Find(std::span<const Term> terms, std::string_view code) {
  for (const auto& t : terms)
    if (t.code == code) return &t;
  return nullptr;
}

std::optional<std::string> Lookup(std::span<const Term> terms, std::string_view code,
                                  Language lang) {
  const Term* t = Find(terms, code);
  if (!t) return std::nullopt;
  std::string_view s = Pick(*t, lang);
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

std::optional<std::string> VocabularyLabel(std::string_view vocabulary, std::string_view value,
                                           Language lang) {
  const domain::Vocabulary* v = domain::FindVocabulary(vocabulary);
  if (!v) return std::nullopt;
  return Lookup(v->terms, value, lang);
}

std::optional<std::string> CountryLabel(std::string_view code, Language lang) {
  if (auto own = Lookup(kCountryNames, code, lang)) return own;
  return Lookup(domain::CountryTerms(), code, lang);
}

// "2024-03" → "March 2024".
std::optional<std::string> MonthLabel(std::string_view value, Language lang) {
  if (value.size() != 7 || value[4] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6})
    if (value[i] < '0' || value[i] > '9') return std::nullopt;
  const int month = (value[5] - '0') * 10 + (value[6] - '0');
  if (month < 1 || month > 12) return std::nullopt;
  return fmt::format("{} {}", kMonths[static_cast<std::size_t>(lang)][month - 1],
                     value.substr(0, 4));
}

std::string ToUtf8(const UChar* s, int32_t length) {
  std::string out(static_cast<std::size_t>(length) * 3 + 1, '\0');
  int32_t written = 0;
  UErrorCode status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &written, s, length, &status);
  if (U_FAILURE(status)) return {};
  out.resize(static_cast<std::size_t>(written));
  return out;
}

// ICU's name of an ISO 4217 currency ("Azerbaijani Manat", "Azərbaycan Manatı",
// "Азербайджанский манат"), its first letter upper-case as a heading wants.
std::optional<std::string> CurrencyLabel(std::string_view code, Language lang) {
  if (code.size() != 3) return std::nullopt;
  for (char c : code)
    if (c < 'A' || c > 'Z') return std::nullopt;
  UChar iso[4] = {static_cast<UChar>(code[0]), static_cast<UChar>(code[1]),
                  static_cast<UChar>(code[2]), 0};
  UErrorCode status = U_ZERO_ERROR;
  UBool choice = false;
  int32_t length = 0;
  const std::string locale(LanguageCode(lang));
  const UChar* name =
      ucurr_getName(iso, locale.c_str(), UCURR_LONG_NAME, &choice, &length, &status);
  if (U_FAILURE(status) || !name || length <= 0) return std::nullopt;
  std::u16string text(reinterpret_cast<const char16_t*>(name), static_cast<std::size_t>(length));
  if (!text.empty()) text[0] = static_cast<char16_t>(u_toupper(text[0]));
  std::string out = ToUtf8(reinterpret_cast<const UChar*>(text.data()), length);
  if (out.empty() || out == code) return std::nullopt;
  return out;
}

// "amount_awarded_minor_AZN" → "Amount awarded, AZN (qəpik)".
std::optional<std::string> MeasureLabel(std::string_view value, Language lang) {
  constexpr std::string_view kAwarded = "amount_awarded_minor_";
  if (!value.starts_with(kAwarded)) return std::nullopt;
  const std::string_view currency = value.substr(kAwarded.size());
  const bool azn = currency == "AZN";
  switch (lang) {
    case Language::kAz:
      return fmt::format("Təyin edilmiş məbləğ, {} ({})", currency,
                         azn ? "qəpiklə" : "xırda vahidlərlə");
    case Language::kEn:
      return fmt::format("Amount awarded, {} ({})", currency, azn ? "in qəpik" : "in minor units");
    case Language::kRu:
      return fmt::format("Присуждённая сумма, {} ({})", currency,
                         azn ? "в гяпиках" : "в минимальных единицах");
  }
  return std::nullopt;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The Azerbaijani ordinal of a year, its suffix by the last word spoken:
// 2024-cü (dörd), 2025-ci (beş), 2026-cı (altı), 2010-cu (on), 2000-ci (min).
std::string AzOrdinal(std::string_view number) {
  if (!AllDigits(number)) return std::string(number);
  // Suffixes of 1..9, of 10..90, of a hundred, of a thousand.
  constexpr std::array<std::string_view, 10> kUnits = {"",   "ci", "ci", "cü", "cü",
                                                       "ci", "cı", "ci", "ci", "cu"};
  constexpr std::array<std::string_view, 10> kTens = {"",   "cu", "ci", "cu", "cı",
                                                      "ci", "cı", "ci", "ci", "cı"};
  const std::size_t n = number.size();
  std::string_view suffix = "ci";  // min (thousand) and larger
  auto digit = [&](std::size_t from_end) {
    return from_end < n ? number[n - 1 - from_end] - '0' : 0;
  };
  if (digit(0) != 0)
    suffix = kUnits[static_cast<std::size_t>(digit(0))];
  else if (digit(1) != 0)
    suffix = kTens[static_cast<std::size_t>(digit(1))];
  else if (digit(2) != 0)
    suffix = "cü";  // yüz
  return fmt::format("{}-{}", number, suffix);
}

// A compiled note pattern: the regular expression and what each capture is.
struct CompiledPattern {
  std::regex re;
  std::vector<std::string> kinds;  // "", "num", "year", "v:DIM"
  const NotePattern* pattern;
};

const std::vector<CompiledPattern>& CompiledPatterns() {
  static const std::vector<CompiledPattern> all = [] {
    std::vector<CompiledPattern> out;
    for (const auto& p : kNotePatterns) {
      std::string re;
      std::vector<std::string> kinds;
      std::string_view s = p.en;
      while (!s.empty()) {
        if (s.front() == '{') {
          const std::size_t close = s.find('}');
          kinds.emplace_back(s.substr(1, close - 1));
          // A code is one word; anything else may hold spaces and brackets.
          re += kinds.back().starts_with("v:") ? "([A-Za-z0-9_]+)" : "(.+?)";
          s.remove_prefix(close + 1);
          continue;
        }
        const char c = s.front();
        if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) re += '\\';
        re += c;
        s.remove_prefix(1);
      }
      out.push_back({std::regex(re), std::move(kinds), &p});
    }
    return out;
  }();
  return all;
}

}  // namespace

Result<Language> ParseReportLanguage(std::string_view text, std::string_view field) {
  if (text == "az") return Language::kAz;
  if (text == "en") return Language::kEn;
  if (text == "ru") return Language::kRu;
  return Invalid(std::string(field), "must be az, en or ru");
}

std::string_view LanguageCode(Language lang) {
  switch (lang) {
    case Language::kAz: return "az";
    case Language::kEn: return "en";
    case Language::kRu: return "ru";
  }
  return "en";
}

std::string ReportTitle(std::string_view report, Language lang, std::string_view fallback) {
  if (auto s = Lookup(kReportTitles, report, lang)) return *s;
  return std::string(fallback.empty() ? report : fallback);
}

std::string ReportDescription(std::string_view report, Language lang, std::string_view fallback) {
  if (auto s = Lookup(kReportDescriptions, report, lang)) return *s;
  return std::string(fallback);
}

std::string UnitLabel(std::string_view unit, Language lang) {
  if (auto s = Lookup(kUnits, unit, lang)) return *s;
  return std::string(unit);
}

std::string TableTitle(const Table& table, Language lang) {
  if (const Term* t = Find(kAllowanceTitles, table.id)) {
    const Term* by = Find(kGroupedBy, table.row_dimension);
    if (by)
      return lang == Language::kAz ? fmt::format("{}, {}", Pick(*t, lang), Pick(*by, lang))
                                   : fmt::format("{} {}", Pick(*t, lang), Pick(*by, lang));
    return fmt::format("{}: {}", Pick(*t, lang), DimensionLabel(table.row_dimension, lang));
  }
  if (auto s = Lookup(kTableTitles, table.id, lang)) return *s;
  return table.title.empty() ? table.id : table.title;
}

std::string TableShortTitle(const Table& table, Language lang) {
  if (auto s = Lookup(kTableShortTitles, table.id, lang)) return *s;
  return TableTitle(table, lang);
}

std::string DimensionLabel(std::string_view dimension, Language lang) {
  if (auto s = Lookup(kDimensions, dimension, lang)) return *s;
  return std::string(dimension);
}

std::string ValueLabel(std::string_view dimension, std::string_view value, Language lang) {
  for (const auto& [dim, vocabulary] : kDimensionVocabularies)
    if (dim == dimension)
      if (auto s = VocabularyLabel(vocabulary, value, lang)) return *s;
  if (dimension == "citizenship" || dimension == "country_of_exploitation")
    if (auto s = CountryLabel(value, lang)) return *s;
  if (dimension == "region")
    if (auto s = Lookup(domain::AzRegionTerms(), value, lang)) return *s;
  if (dimension == "month")
    if (auto s = MonthLabel(value, lang)) return *s;
  if (dimension == "currency")
    if (auto s = CurrencyLabel(value, lang)) return *s;
  if (dimension == "measure")
    if (auto s = MeasureLabel(value, lang)) return *s;
  if (dimension == "source") return SourceLabel(value, lang);
  if (auto s = Lookup(kSyntheticValues, value, lang)) return *s;
  // A dimension named after a vocabulary ("case_statuses").
  if (auto s = VocabularyLabel(dimension, value, lang)) return *s;
  // Age bands ("18-20", "48+"), years and names stay as they are.
  return std::string(value);
}

std::string SourceLabel(std::string_view source, Language lang) {
  if (auto s = Lookup(kSyntheticValues, source, lang)) return *s;
  // "ctdc (batches 3, 4)": the source's label, then what follows it.
  const std::size_t end = source.find_first_of(" :(");
  if (end != std::string_view::npos)
    if (auto s = Lookup(kSyntheticValues, source.substr(0, end), lang))
      return *s + std::string(source.substr(end));
  return std::string(source);
}

// "Sources counted: Haven's own cases and imported ctdc records of import batches 3, 4."
// (named_reports.cc, SourcesNote): each part labelled, joined as the language joins a list.
static std::optional<std::string> SourcesNoteText(std::string_view note, Language lang) {
  constexpr std::string_view kPrefix = "Sources counted: ";
  if (!note.starts_with(kPrefix) || !note.ends_with(".")) return std::nullopt;
  std::string rest(note.substr(kPrefix.size(), note.size() - kPrefix.size() - 1));
  static const std::regex part(
      "^(?:, | and )?(?:(Haven's own cases)|imported (\\w+) records of import batch(?:es)? "
      "([0-9]+(?:, [0-9]+)*)|imported (\\w+) records \\(none are imported\\))");
  std::vector<std::string> parts;
  std::smatch m;
  while (!rest.empty()) {
    if (!std::regex_search(rest, m, part)) return std::nullopt;
    if (m[1].matched) {
      parts.emplace_back(lang == Language::kAz ? "Haven-in öz işləri" : "собственные дела Haven");
    } else {
      const std::string source = m[2].matched ? m[2].str() : m[4].str();
      std::string name = source;
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (m[3].matched)
        parts.push_back(
            lang == Language::kAz
                ? fmt::format("idxal edilmiş {} qeydləri (idxal paketləri: {})", name, m[3].str())
                : fmt::format("импортированные записи {} (пакеты импорта: {})", name, m[3].str()));
      else
        parts.push_back(
            lang == Language::kAz
                ? fmt::format("idxal edilmiş {} qeydləri (heç biri idxal edilməyib)", name)
                : fmt::format("импортированные записи {} (ничего не импортировано)", name));
    }
    rest = m.suffix().str();
  }
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i)
    joined += (i == 0                  ? ""
               : i + 1 == parts.size() ? (lang == Language::kAz ? " və " : " и ")
                                       : ", ") +
              parts[i];
  return fmt::format("{}: {}.", lang == Language::kAz ? "Sayılan mənbələr" : "Учтённые источники",
                     joined);
}

std::string NoteText(std::string_view note, Language lang) {
  if (lang == Language::kEn) return std::string(note);
  if (auto sources = SourcesNoteText(note, lang)) return *sources;
  const std::string text(note);
  for (const auto& p : CompiledPatterns()) {
    std::smatch m;
    if (!std::regex_match(text, m, p.re)) continue;
    std::vector<std::string> args;
    for (std::size_t i = 0; i < p.kinds.size(); ++i) {
      const std::string captured = m[static_cast<int>(i + 1)].str();
      const std::string& kind = p.kinds[i];
      if (kind == "num")
        args.push_back(LocalDecimal(captured, lang));
      else if (kind == "year")
        args.push_back(lang == Language::kAz ? AzOrdinal(captured) : captured);
      else if (kind.starts_with("v:"))
        args.push_back(ValueLabel(std::string_view(kind).substr(2), captured, lang));
      else
        args.push_back(captured);
    }
    std::string_view tmpl = lang == Language::kAz ? p.pattern->az : p.pattern->ru;
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}' && tmpl[i + 1] >= '0' &&
          tmpl[i + 1] <= '9') {
        const auto index = static_cast<std::size_t>(tmpl[i + 1] - '0');
        if (index < args.size()) out += args[index];
        i += 2;
        continue;
      }
      out += tmpl[i];
    }
    return out;
  }
  return text;
}

std::string_view Text(Phrase phrase, Language lang) {
  return Pick(kPhrases[static_cast<std::size_t>(phrase)], lang);
}

std::string HiddenSmallText(int threshold, Language lang) {
  const int top = std::max(1, threshold - 1);
  switch (lang) {
    case Language::kAz: return fmt::format("1–{} arası say, gizlədilib", top);
    case Language::kEn: return fmt::format("a count from 1 to {}, hidden", top);
    case Language::kRu: return fmt::format("число от 1 до {}, скрыто", top);
  }
  return {};
}

std::string SuppressionLegend(int threshold, bool dp, Language lang) {
  if (threshold < 2) return std::string(Text(Phrase::kNothingHidden, lang));
  std::string out = fmt::format("<{} — {}", threshold, HiddenSmallText(threshold, lang));
  if (!dp) out += fmt::format("; x — {}", Text(Phrase::kHiddenSecondary, lang));
  return out;
}

std::string PageText(int page, int pages, Language lang) {
  switch (lang) {
    case Language::kAz: return fmt::format("Səhifə {} / {}", page, pages);
    case Language::kEn: return fmt::format("Page {} of {}", page, pages);
    case Language::kRu: return fmt::format("Страница {} из {}", page, pages);
  }
  return {};
}

std::string DpText(const DpInfo& dp, Language lang) {
  const std::string mechanism = ValueLabel("dp_mechanism", dp.mechanism, lang);
  const std::string eps = LocalDecimal(fmt::format("{}", dp.epsilon), lang);
  const std::string per = LocalDecimal(fmt::format("{}", dp.epsilon_per_table), lang);
  const std::string delta =
      dp.delta > 0 ? LocalDecimal(fmt::format("{}", dp.delta), lang) : std::string();
  std::string out;
  switch (lang) {
    case Language::kAz:
      out = fmt::format("{} mexanizmi, cəmi ε {}, hər cədvələ {}{}", mechanism, eps, per,
                        delta.empty() ? "" : ", δ " + delta);
      break;
    case Language::kEn:
      out = fmt::format("{} mechanism, ε {} in total, {} per table{}", mechanism, eps, per,
                        delta.empty() ? "" : ", δ " + delta);
      break;
    case Language::kRu:
      out = fmt::format("механизм {}, ε {} всего, {} на таблицу{}", mechanism, eps, per,
                        delta.empty() ? "" : ", δ " + delta);
      break;
  }
  if (dp.repeated) {
    const std::string at =
        dp.released_at ? FormatDateTime(*dp.released_at, lang) : std::string("?");
    switch (lang) {
      case Language::kAz:
        out += fmt::format("; {} dərc edilmiş cavab təkrar verilir, indi heç nə xərclənmir", at);
        break;
      case Language::kEn:
        out += fmt::format("; the answer released at {} again, nothing spent now", at);
        break;
      case Language::kRu:
        out +=
            fmt::format("; повторно выдан ответ, опубликованный {}, ничего не израсходовано", at);
        break;
    }
  }
  return out;
}

std::string FormatNumber(std::int64_t value, int decimals, Language lang) {
  std::string_view group = lang == Language::kEn ? "," : lang == Language::kAz ? "." : "\u00a0";
  const char point = lang == Language::kEn ? '.' : ',';
  const bool negative = value < 0;
  std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(value + 1)) + 1 : static_cast<std::uint64_t>(value);
  std::uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const std::string whole = std::to_string(magnitude / scale);
  std::string out = negative ? "-" : "";
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += group;
    out += whole[i];
  }
  if (decimals > 0) out += fmt::format("{}{:0{}}", point, magnitude % scale, decimals);
  return out;
}

std::string LocalDecimal(std::string_view number, Language lang) {
  std::string out(number);
  if (lang != Language::kEn)
    for (char& c : out)
      if (c == '.') c = ',';
  return out;
}

std::string FormatDateTime(Timestamp t, Language lang) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  return fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d} {}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), Text(Phrase::kUtc, lang));
}

}  // namespace haven::report
