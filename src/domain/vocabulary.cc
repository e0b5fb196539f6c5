#include "domain/vocabulary.h"

#include <algorithm>
#include <array>

#include "domain/assistance.h"
#include "domain/coalition.h"
#include "domain/enums.h"
#include "domain/iso_codes.h"
#include "domain/prevention.h"
#include "domain/stages.h"

namespace haven::domain {
namespace {

// The labels of enum E: the vocabulary's API name and one term per wire name, in the
// order of EnumNames<E>::kNames. Each term repeats its code, so that a label cannot
// slide onto the neighbouring value when one is added; Make<E> checks the terms
// against the wire names at compile time.
template <typename E>
struct Labels;

#define HAVEN_LABELS(E, api_name, ...)                                 \
  template <>                                                          \
  struct Labels<E> {                                                   \
    static constexpr std::string_view kType = #E;                      \
    static constexpr std::string_view kName = api_name;                \
    static constexpr auto kTerms = std::to_array<Term>({__VA_ARGS__}); \
  }

// Columns: code, Azerbaijani, English, Russian. Written for the staff of the
// coalition (caseworkers, coordinators), not for the person: the texts addressed to
// her are in app/access_history_page.cc and app/consent_receipt.cc.

// clang-format off
HAVEN_LABELS(OrgKind, "organization_kinds",
    {"state_body", "Dövlət orqanı", "State body", "Государственный орган"},
    {"police", "Polis", "Police", "Полиция"},
    {"ngo", "Qeyri-hökumət təşkilatı", "Non-governmental organisation",
     "Неправительственная организация"},
    {"shelter", "Sığınacaq", "Shelter", "Приют"},
    {"international_organization", "Beynəlxalq təşkilat", "International organisation",
     "Международная организация"});

HAVEN_LABELS(Role, "roles",
    {"admin", "Sistem administratoru", "System administrator", "Администратор системы"},
    {"coordinator", "Koordinator", "Coordinator", "Координатор"},
    {"caseworker", "Sosial işçi", "Caseworker", "Сотрудник, ведущий дело"},
    {"shelter_manager", "Sığınacaq rəhbəri", "Shelter manager", "Руководитель приюта"},
    {"analyst", "Analitik", "Analyst", "Аналитик"},
    {"auditor", "Auditor", "Auditor", "Аудитор"},
    {"supervisor", "Rəhbər (supervizor)", "Supervisor", "Руководитель (супервизор)"});

HAVEN_LABELS(Sex, "sexes",
    {"female", "Qadın", "Female", "Женский"},
    {"male", "Kişi", "Male", "Мужской"},
    {"other", "Digər", "Other", "Другой"},
    {"unknown", "Məlum deyil", "Unknown", "Неизвестно"});

HAVEN_LABELS(IdentifiedBy, "identifying_bodies",
    {"police", "Polis", "Police", "Полиция"},
    {"ngo", "Qeyri-hökumət təşkilatı", "Non-governmental organisation",
     "Неправительственная организация"},
    {"shelter", "Sığınacaq", "Shelter", "Приют"},
    {"hotline", "Qaynar xətt", "Hotline", "Горячая линия"},
    {"self", "Şəxsin öz müraciəti", "Self-referral", "Самостоятельное обращение"},
    {"international_organization", "Beynəlxalq təşkilat", "International organisation",
     "Международная организация"},
    {"labour_inspection", "Əmək müfəttişliyi", "Labour inspection", "Трудовая инспекция"},
    {"other", "Digər", "Other", "Другое"});

HAVEN_LABELS(Exploitation, "forms_of_exploitation",
    {"sexual", "Cinsi istismar", "Sexual exploitation", "Сексуальная эксплуатация"},
    {"forced_labour", "Məcburi əmək", "Forced labour", "Принудительный труд"},
    {"forced_begging", "Məcburi dilənçilik", "Forced begging",
     "Принуждение к попрошайничеству"},
    {"forced_criminality", "Cinayət əməllərinə məcbur etmə", "Forced criminality",
     "Принуждение к преступной деятельности"},
    {"domestic_servitude", "Məişət köləliyi", "Domestic servitude", "Домашнее рабство"},
    {"forced_marriage", "Məcburi nikah", "Forced marriage", "Принудительный брак"},
    {"organ_removal", "Orqanların götürülməsi", "Removal of organs", "Изъятие органов"},
    {"other", "Digər", "Other", "Другое"});

// The CTDC means of control (report/ctdc.cc maps them one to one).
HAVEN_LABELS(MeansOfControl, "means_of_control",
    {"debt_bondage", "Borc əsarəti", "Debt bondage", "Долговая кабала"},
    {"takes_earnings", "Qazancının əlindən alınması", "Earnings taken away",
     "Изъятие заработка"},
    {"restricts_financial_access", "Pul vəsaitlərinə çıxışın məhdudlaşdırılması",
     "Restricted access to money", "Ограничение доступа к деньгам"},
    {"threats", "Hədələr", "Threats", "Угрозы"},
    {"psychological_abuse", "Psixoloji zorakılıq", "Psychological abuse",
     "Психологическое насилие"},
    {"physical_abuse", "Fiziki zorakılıq", "Physical abuse", "Физическое насилие"},
    {"sexual_abuse", "Cinsi zorakılıq", "Sexual abuse", "Сексуальное насилие"},
    {"false_promises", "Yalan vədlər", "False promises", "Ложные обещания"},
    {"psychoactive_substances", "Psixoaktiv maddələrdən istifadə",
     "Use of psychoactive substances", "Использование психоактивных веществ"},
    {"restricts_movement", "Hərəkət azadlığının məhdudlaşdırılması",
     "Restricted freedom of movement", "Ограничение свободы передвижения"},
    {"restricts_medical_care", "Tibbi yardıma çıxışın məhdudlaşdırılması",
     "Restricted access to medical care", "Ограничение доступа к медицинской помощи"},
    {"excessive_working_hours", "Həddindən artıq uzun iş vaxtı", "Excessive working hours",
     "Чрезмерно продолжительный рабочий день"},
    {"uses_children", "Şəxsin uşaqlarından təzyiq vasitəsi kimi istifadə",
     "Use of the person's children as leverage",
     "Использование детей пострадавшего для давления"},
    {"threat_of_law_enforcement", "Hüquq-mühafizə orqanlarına xəbər verməklə hədələmə",
     "Threat of reporting to law enforcement", "Угроза сообщить в правоохранительные органы"},
    {"withholds_necessities", "Həyati ehtiyaclardan (qida, su, yuxu) məhrum etmə",
     "Withholding of necessities (food, water, sleep)",
     "Лишение самого необходимого (еды, воды, сна)"},
    {"withholds_documents", "Sənədlərin əlindən alınması", "Withholding of documents",
     "Изъятие документов"},
    {"other", "Digər", "Other", "Другое"});

HAVEN_LABELS(RecruiterRelation, "recruiter_relations",
    {"intimate_partner", "Həyat yoldaşı və ya partnyor", "Intimate partner",
     "Супруг(а) или партнёр"},
    {"friend", "Dost", "Friend", "Друг"},
    {"family", "Ailə üzvü", "Family member", "Член семьи"},
    {"employer", "İşəgötürən", "Employer", "Работодатель"},
    {"acquaintance", "Tanış", "Acquaintance", "Знакомый"},
    {"stranger", "Tanımadığı şəxs", "Stranger", "Незнакомый человек"},
    {"other", "Digər", "Other", "Другое"},
    {"unknown", "Məlum deyil", "Unknown", "Неизвестно"});

// The stages of the national referral mechanism. Russian: of the case (случай).
HAVEN_LABELS(CaseStatus, "case_statuses",
    {"identified", "Müəyyən edilib", "Identified", "Выявлен"},
    {"referred", "Yönləndirilib", "Referred", "Направлен"},
    {"reflection_period", "Bərpa və düşünmə müddəti", "Recovery and reflection period",
     "Период восстановления и размышления"},
    {"assisted", "Yardım göstərilir", "Assisted", "Получает помощь"},
    {"returned", "Geri qayıdıb", "Returned", "Возвращение состоялось"},
    {"reintegrated", "Reinteqrasiya olunub", "Reintegrated", "Реинтеграция завершена"},
    {"closed", "Bağlanıb", "Closed", "Закрыт"});

HAVEN_LABELS(ClosureReason, "closure_reasons",
    {"assistance_completed", "Yardımın başa çatması", "Assistance completed",
     "Завершение оказания помощи"},
    {"returned_home", "Evə qayıdış", "Returned home", "Возвращение домой"},
    {"reintegrated", "Cəmiyyətə reinteqrasiya", "Reintegrated", "Реинтеграция в общество"},
    {"duplicate", "Təkrar qeydiyyat", "Duplicate record", "Дублирующая запись"},
    {"lost_contact", "Əlaqənin itməsi", "Lost contact", "Потеря связи"},
    {"moved_abroad", "Xaricə köçmə", "Moved abroad", "Переезд за границу"},
    {"declined_assistance", "Yardımdan imtina", "Declined assistance", "Отказ от помощи"},
    {"died", "Vəfat", "Died", "Смерть"},
    {"other", "Digər", "Other", "Другое"});

// Russian: of the request (запрос).
HAVEN_LABELS(ClosureRequestStatus, "closure_request_statuses",
    {"pending", "Təsdiq gözləyir", "Awaiting approval", "Ожидает утверждения"},
    {"approved", "Təsdiq edilib", "Approved", "Утверждён"},
    {"rejected", "Rədd edilib", "Rejected", "Отклонён"},
    {"withdrawn", "Geri götürülüb", "Withdrawn", "Отозван"});

// The terms of the UNHCR/UNICEF guidelines on separated and unaccompanied children.
HAVEN_LABELS(ChildStatus, "child_statuses",
    {"accompanied", "Müşayiət olunan", "Accompanied", "Сопровождаемый"},
    {"separated", "Valideynlərindən ayrı düşmüş", "Separated", "Разлучённый с родителями"},
    {"unaccompanied", "Müşayiətsiz", "Unaccompanied", "Несопровождаемый"});

HAVEN_LABELS(VictimStatus, "victim_statuses",
    {"pending", "Qərar gözlənilir", "Decision pending", "Решение ожидается"},
    {"granted", "Verilib", "Granted", "Предоставлен"},
    {"refused", "İmtina edilib", "Refused", "Отказано"});

HAVEN_LABELS(DocumentType, "document_types",
    {"passport", "Pasport", "Passport", "Паспорт"},
    {"id_card", "Şəxsiyyət vəsiqəsi", "Identity card", "Удостоверение личности"},
    {"birth_certificate", "Doğum haqqında şəhadətnamə", "Birth certificate",
     "Свидетельство о рождении"},
    {"residence_permit", "Yaşamaq üçün icazə", "Residence permit", "Разрешение на проживание"},
    {"travel_document", "Səyahət sənədi", "Travel document", "Проездной документ"},
    {"other", "Digər sənəd", "Other document", "Другой документ"});

HAVEN_LABELS(ContactType, "contact_types",
    {"phone", "Telefon", "Phone", "Телефон"},
    {"email", "E-poçt", "E-mail", "Электронная почта"},
    {"address", "Ünvan", "Address", "Адрес"},
    {"other", "Digər", "Other", "Другое"});

HAVEN_LABELS(PermitType, "permit_types",
    {"temporary_residence", "Müvəqqəti yaşamaq üçün icazə", "Temporary residence permit",
     "Разрешение на временное проживание"},
    {"permanent_residence", "Daimi yaşamaq üçün icazə", "Permanent residence permit",
     "Разрешение на постоянное проживание"},
    {"reflection_permit", "Bərpa və düşünmə müddətinə icazə",
     "Recovery and reflection period permit",
     "Разрешение на период восстановления и размышления"},
    {"other", "Digər", "Other", "Другое"});

HAVEN_LABELS(PermitDecision, "permit_decisions",
    {"pending", "Qərar gözlənilir", "Decision pending", "Решение ожидается"},
    {"granted", "Verilib", "Granted", "Выдано"},
    {"refused", "İmtina edilib", "Refused", "Отказано"});

HAVEN_LABELS(ProceedingStage, "proceeding_stages",
    {"investigation", "İstintaq", "Investigation", "Расследование"},
    {"prosecution", "Cinayət təqibi", "Prosecution", "Уголовное преследование"},
    {"trial", "Məhkəmə baxışı", "Trial", "Судебное разбирательство"},
    {"judgment", "Məhkəmə hökmü", "Judgment", "Приговор"},
    {"closed", "İcraat başa çatıb", "Closed", "Производство завершено"});

HAVEN_LABELS(CompensationRoute, "compensation_routes",
    {"criminal_proceedings", "Cinayət işi çərçivəsində", "Within the criminal proceedings",
     "В рамках уголовного дела"},
    {"civil_claim", "Mülki iddia", "Civil claim", "Гражданский иск"},
    {"state_fund", "Dövlət fondu", "State fund", "Государственный фонд"},
    {"other", "Digər", "Other", "Другое"});

// Russian: of the claim (иск).
HAVEN_LABELS(ClaimStatus, "claim_statuses",
    {"filed", "Təqdim edilib", "Filed", "Подан"},
    {"awarded", "Təmin edilib", "Awarded", "Удовлетворён"},
    {"rejected", "Rədd edilib", "Rejected", "Отклонён"},
    {"paid", "Kompensasiya ödənilib", "Paid", "Компенсация выплачена"});

HAVEN_LABELS(FollowUpOutcome, "follow_up_outcomes",
    {"stable", "Vəziyyəti sabitdir", "Stable", "Положение стабильное"},
    {"improving", "Vəziyyəti yaxşılaşır", "Improving", "Положение улучшается"},
    {"needs_support", "Dəstəyə ehtiyacı var", "Needs support", "Нуждается в поддержке"},
    {"at_risk", "Risk altındadır", "At risk", "В группе риска"},
    {"lost_contact", "Əlaqə itib", "Lost contact", "Связь потеряна"},
    {"other", "Digər", "Other", "Другое"});

// The same words as the person's access history, so that staff and person name a
// category alike.
HAVEN_LABELS(DataCategory, "data_categories",
    {"case_facts", "İşin faktları", "Case facts", "Обстоятельства дела"},
    {"notes", "İşçilərin qeydləri", "Staff notes", "Записи сотрудников"},
    {"identity", "Şəxsiyyət məlumatları", "Identity", "Личные данные"},
    {"contacts", "Əlaqə məlumatları", "Contact details", "Контактные данные"},
    {"services", "Xidmətlər", "Services", "Услуги"},
    {"health", "Sağlamlıq", "Health", "Здоровье"},
    {"shelter", "Sığınacaqda qalma", "Shelter stays", "Пребывание в приюте"},
    {"money", "Ödənişlər və kompensasiya", "Payments and compensation",
     "Выплаты и компенсация"},
    {"documents", "Sənədlər və fotoşəkillər", "Documents and photos", "Документы и фотографии"});

HAVEN_LABELS(Purpose, "purposes",
    {"assistance", "Yardım və işin idarə olunması", "Assistance and case management",
     "Помощь и ведение дела"},
    {"shelter", "Sığınacaq", "Shelter", "Приют"},
    {"legal_aid", "Hüquqi yardım", "Legal aid", "Юридическая помощь"},
    {"medical", "Tibbi yardım", "Medical care", "Медицинская помощь"},
    {"psychological", "Psixoloji dəstək", "Psychological support", "Психологическая поддержка"},
    {"social", "Sosial xidmətlər", "Social services", "Социальные услуги"},
    {"interpretation", "Tərcüməçi xidməti", "Interpretation", "Услуги переводчика"},
    {"education", "Təhsil və peşə hazırlığı", "Education and training",
     "Образование и профессиональное обучение"},
    {"return", "Təhlükəsiz qayıdış", "Safe return", "Безопасное возвращение"},
    {"reintegration", "Cəmiyyətə reinteqrasiya", "Reintegration", "Реинтеграция в общество"},
    {"investigation", "Cinayət işi üzrə istintaq", "Criminal investigation",
     "Уголовное расследование"},
    {"statistics", "Statistika (anonimləşdirilmiş)", "Statistics (anonymised)",
     "Статистика (в обезличенном виде)"});

HAVEN_LABELS(ConsentMethod, "consent_methods",
    {"signed_form", "İmzalanmış razılıq forması", "Signed consent form",
     "Подписанная форма согласия"},
    {"oral_with_witness", "Şahidin iştirakı ilə şifahi razılıq", "Oral consent before a witness",
     "Устное согласие в присутствии свидетеля"},
    {"by_guardian", "Qəyyumun və ya qanuni nümayəndənin razılığı",
     "Consent of a guardian or legal representative",
     "Согласие опекуна или законного представителя"},
    {"electronic", "Elektron razılıq", "Electronic consent", "Электронное согласие"});

// The languages of the labels themselves (and of receipts and access histories).
HAVEN_LABELS(Language, "languages",
    {"az", "Azərbaycan dili", "Azerbaijani", "Азербайджанский"},
    {"en", "İngilis dili", "English", "Английский"},
    {"ru", "Rus dili", "Russian", "Русский"});

HAVEN_LABELS(ReferralKind, "referral_kinds",
    {"referral", "Yönləndirmə", "Referral", "Направление"},
    {"transfer", "İşin verilməsi", "Transfer of the case", "Передача дела"});

// Russian: of the referral (направление).
HAVEN_LABELS(ReferralStatus, "referral_statuses",
    {"pending", "Cavab gözlənilir", "Pending", "Ожидает ответа"},
    {"accepted", "Qəbul edilib", "Accepted", "Принято"},
    {"declined", "Rədd edilib", "Declined", "Отклонено"},
    {"completed", "Başa çatıb", "Completed", "Завершено"},
    {"revoked", "Geri çağırılıb", "Revoked", "Отозвано"});

// The legal grounds for sharing without the person's consent.
HAVEN_LABELS(OverrideBasis, "override_bases",
    {"vital_interest", "Həyati vacib maraqların qorunması", "Protection of vital interests",
     "Защита жизненно важных интересов"},
    {"court_order", "Məhkəmə qərarı", "Court order", "Решение суда"},
    {"legal_obligation", "Qanunla nəzərdə tutulmuş vəzifə", "Legal obligation",
     "Обязанность, предусмотренная законом"});

HAVEN_LABELS(ServiceType, "service_types",
    {"food", "Qida təminatı", "Food", "Питание"},
    {"medication", "Dərman təminatı", "Medication", "Обеспечение лекарствами"},
    {"medical", "Tibbi yardım", "Medical care", "Медицинская помощь"},
    {"psychological", "Psixoloji yardım", "Psychological support", "Психологическая помощь"},
    {"social", "Sosial yardım", "Social assistance", "Социальная помощь"},
    {"legal", "Hüquqi yardım", "Legal aid", "Юридическая помощь"},
    {"interpretation", "Tərcüməçi xidməti", "Interpretation", "Услуги переводчика"},
    {"education", "Təhsil və peşə hazırlığı", "Education and vocational training",
     "Образование и профессиональное обучение"},
    {"repatriation", "Repatriasiya", "Repatriation", "Репатриация"},
    {"other", "Digər", "Other", "Другое"});

HAVEN_LABELS(EventKind, "event_kinds",
    {"training", "Təlim", "Training", "Тренинг"},
    {"seminar", "Seminar", "Seminar", "Семинар"},
    {"awareness_campaign", "Maarifləndirmə kampaniyası", "Awareness campaign",
     "Информационная кампания"},
    {"information_session", "Məlumatlandırma görüşü", "Information session",
     "Информационная встреча"});

HAVEN_LABELS(EventTopic, "event_topics",
    {"human_trafficking", "İnsan alveri", "Human trafficking", "Торговля людьми"},
    {"forced_labour", "Məcburi əmək", "Forced labour", "Принудительный труд"},
    {"child_trafficking", "Uşaq alveri", "Child trafficking", "Торговля детьми"},
    {"victim_identification", "Qurbanların müəyyən edilməsi", "Identification of victims",
     "Выявление жертв"},
    {"online_recruitment", "İnternet vasitəsilə cəlb etmə", "Online recruitment",
     "Вербовка через интернет"},
    {"sexual_exploitation", "Cinsi istismar", "Sexual exploitation", "Сексуальная эксплуатация"},
    {"safe_migration", "Təhlükəsiz miqrasiya", "Safe migration", "Безопасная миграция"},
    {"victim_assistance", "Qurbanlara yardım", "Assistance to victims", "Помощь жертвам"},
    {"referral_mechanism", "Milli yönləndirmə mexanizmi", "National referral mechanism",
     "Национальный механизм перенаправления"},
    {"other", "Digər", "Other", "Другое"});

HAVEN_LABELS(Audience, "audiences",
    {"public", "Geniş ictimaiyyət", "General public", "Широкая общественность"},
    {"students", "Tələbələr və şagirdlər", "Students and pupils", "Студенты и школьники"},
    {"police", "Polis əməkdaşları", "Police officers", "Сотрудники полиции"},
    {"labour_inspectors", "Əmək müfəttişləri", "Labour inspectors", "Трудовые инспекторы"},
    {"teachers", "Müəllimlər", "Teachers", "Учителя"},
    {"health_workers", "Tibb işçiləri", "Health workers", "Медицинские работники"},
    {"journalists", "Jurnalistlər", "Journalists", "Журналисты"},
    {"judges", "Hakimlər", "Judges", "Судьи"},
    {"prosecutors", "Prokurorlar", "Prosecutors", "Прокуроры"},
    {"social_workers", "Sosial işçilər", "Social workers", "Социальные работники"},
    {"border_guards", "Sərhədçilər", "Border guards", "Пограничники"},
    {"ngo_staff", "QHT əməkdaşları", "NGO staff", "Сотрудники НПО"},
    {"migrants", "Miqrantlar", "Migrants", "Мигранты"},
    {"other", "Digər", "Other", "Другое"});

HAVEN_LABELS(ParticipantAge, "participant_age_groups",
    {"under_18", "18 yaşadək", "Under 18", "До 18 лет"},
    {"18_29", "18–29 yaş", "18 to 29", "18–29 лет"},
    {"30_49", "30–49 yaş", "30 to 49", "30–49 лет"},
    {"50_and_over", "50 və yuxarı", "50 and over", "50 и старше"});

HAVEN_LABELS(MeasureStatus, "measure_statuses",
    {"not_started", "Başlanmayıb", "Not started", "Не начато"},
    {"in_progress", "İcra olunur", "In progress", "Выполняется"},
    {"done", "İcra olunub", "Done", "Выполнено"},
    {"overdue", "Gecikir", "Overdue", "Просрочено"});

HAVEN_LABELS(AgreementKind, "agreement_kinds",
    {"memorandum", "Anlaşma memorandumu", "Memorandum of understanding", "Меморандум о взаимопонимании"},
    {"project", "Layihə", "Project", "Проект"},
    {"grant", "Qrant", "Grant", "Грант"},
    {"cooperation_agreement", "Əməkdaşlıq sazişi", "Cooperation agreement", "Соглашение о сотрудничестве"});

HAVEN_LABELS(AgreementStatus, "agreement_statuses",
    {"draft", "Layihə (imzalanmayıb)", "Draft (not signed)", "Проект (не подписан)"},
    {"in_force", "Qüvvədədir", "In force", "Действует"},
    {"ended", "Başa çatıb", "Ended", "Завершено"},
    {"terminated", "Ləğv edilib", "Terminated", "Расторгнуто"});

HAVEN_LABELS(PaymentStatus, "payment_statuses",
    {"pending_approval", "Təsdiq gözləyir", "Awaiting approval", "Ожидает утверждения"},
    {"approved", "Təsdiq edilib", "Approved", "Утверждено"},
    {"rejected", "Rədd edilib", "Rejected", "Отклонено"},
    {"cancelled", "Ləğv edilib", "Cancelled", "Отменено"});

HAVEN_LABELS(AllowancePeriod, "allowance_periods",
    {"month", "Ayda bir dəfə", "Once a month", "Раз в месяц"},
    {"year", "İldə bir dəfə", "Once a year", "Раз в год"},
    {"once", "Birdəfəlik", "Once", "Единовременно"});

HAVEN_LABELS(DischargeReason, "discharge_reasons",
    {"plan_completed", "Yardım planının başa çatması", "Support plan completed",
     "Выполнение плана помощи"},
    {"moved_to_other_shelter", "Başqa sığınacağa köçürülmə", "Moved to another shelter",
     "Перевод в другой приют"},
    {"returned_home", "Evə qayıdış", "Returned home", "Возвращение домой"},
    {"repatriated", "Repatriasiya", "Repatriated", "Репатриация"},
    {"left_voluntarily", "Sığınacağı könüllü tərk etmə", "Left voluntarily",
     "Добровольный уход"},
    {"rules_breach", "Sığınacaq qaydalarının pozulması", "Breach of shelter rules",
     "Нарушение правил приюта"},
    {"other", "Digər", "Other", "Другое"});

// clang-format on

#undef HAVEN_LABELS

template <typename E>
consteval bool OneTermPerWireName() {
  return Labels<E>::kTerms.size() == EnumNames<E>::kNames.size();
}

template <typename E>
consteval bool TermsAreTheWireNamesInOrder() {
  const auto& terms = Labels<E>::kTerms;
  const auto& names = EnumNames<E>::kNames;
  for (std::size_t i = 0; i < terms.size() && i < names.size(); ++i)
    if (terms[i].code != names[i]) return false;
  return true;
}

template <typename E>
consteval bool EveryTermHasThreeLabels() {
  for (const Term& t : Labels<E>::kTerms)
    if (t.az.empty() || t.en.empty() || t.ru.empty()) return false;
  return true;
}

// Fails to compile, naming E in the instantiation, when a wire name has no term, a
// term names no wire name (or sits out of order), or a label is missing.
template <typename E>
Vocabulary Make() {
  static_assert(OneTermPerWireName<E>(),
                "every wire name of the enum needs exactly one term in vocabulary.cc");
  static_assert(TermsAreTheWireNamesInOrder<E>(),
                "the terms' codes must be the enum's wire names, in their order");
  static_assert(EveryTermHasThreeLabels<E>(), "every term needs an az, an en and a ru label");
  const auto& terms = Labels<E>::kTerms;
  return Vocabulary{Labels<E>::kName, Labels<E>::kType, {terms.begin(), terms.end()}};
}

template <typename... E>
std::vector<Vocabulary> Register() {
  return {Make<E>()...};
}

// The registry: one line per enum that has wire names (HAVEN_ENUM_NAMES). A unit test
// finds every HAVEN_ENUM_NAMES under src/ and fails if one is missing here.
const std::vector<Vocabulary>& Registry() {
  static const std::vector<Vocabulary> all =
      Register<OrgKind, Role, Sex, IdentifiedBy, Exploitation, MeansOfControl, RecruiterRelation,
               CaseStatus, ClosureReason, ClosureRequestStatus, ChildStatus, VictimStatus,
               DocumentType, ContactType, PermitType, PermitDecision, ProceedingStage,
               CompensationRoute, ClaimStatus, FollowUpOutcome, DataCategory, Purpose,
               ConsentMethod, Language, ReferralKind, ReferralStatus, OverrideBasis, ServiceType,
               PaymentStatus, AllowancePeriod, DischargeReason, EventKind, EventTopic, Audience,
               ParticipantAge, MeasureStatus, AgreementKind, AgreementStatus>();
  return all;
}

std::vector<Term> IsoTerms(const IsoEntry* entries, std::size_t n) {
  std::vector<Term> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back({entries[i].code, entries[i].name_az, entries[i].name, entries[i].name_ru});
  return out;
}

}  // namespace

std::span<const Vocabulary> AllVocabularies() {
  return Registry();
}

const Vocabulary* FindVocabulary(std::string_view name) {
  const auto& all = Registry();
  auto it =
      std::find_if(all.begin(), all.end(), [&](const Vocabulary& v) { return v.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::span<const Term> CountryTerms() {
  static const std::vector<Term> terms = IsoTerms(kCountries, kCountryCount);
  return terms;
}

std::span<const Term> AzRegionTerms() {
  static const std::vector<Term> terms = IsoTerms(kAzRegions, kAzRegionCount);
  return terms;
}

}  // namespace haven::domain
