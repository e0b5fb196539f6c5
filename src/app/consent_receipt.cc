#include "app/consent_receipt.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/html_page.h"
#include "domain/date.h"

namespace haven::app {
namespace {

using domain::ConsentMethod;
using domain::DataCategory;
using domain::Json;
using domain::Language;
using domain::Purpose;

constexpr std::string_view kKantaraVersion = "KI-CR-v1.1.0";
constexpr std::string_view kAlgorithm = "Ed25519";

// ---------------------------------------------------------------------------
// The Kantara side: English, as the specification's own vocabulary is.

std::string CollectionMethod(ConsentMethod m) {
  switch (m) {
    case ConsentMethod::kSignedForm: return "Signed paper consent form";
    case ConsentMethod::kOralWithWitness: return "Oral consent given before a witness";
    case ConsentMethod::kByGuardian: return "Consent given by a guardian or legal representative";
    case ConsentMethod::kElectronic: return "Electronic consent";
  }
  return "Unknown";
}

std::string PurposeText(Purpose p) {
  switch (p) {
    case Purpose::kAssistance: return "Assistance and case management";
    case Purpose::kShelter: return "Shelter";
    case Purpose::kLegalAid: return "Legal aid";
    case Purpose::kMedical: return "Medical care";
    case Purpose::kPsychological: return "Psychological support";
    case Purpose::kSocial: return "Social services";
    case Purpose::kInterpretation: return "Interpretation";
    case Purpose::kEducation: return "Education and training";
    case Purpose::kReturn: return "Safe return";
    case Purpose::kReintegration: return "Reintegration";
    case Purpose::kInvestigation: return "Criminal investigation";
    case Purpose::kStatistics: return "Statistics without her name";
  }
  return "Unknown";
}

// Kantara's purpose list (v1.1 appendix), numbered as there. Every consent in Haven
// is about passing her case to another organisation, so the sharing categories
// apply; an investigation is not a service to her, and statistics measure the work.
Json PurposeCategories(Purpose p) {
  constexpr std::string_view kCoreFunction = "10 - 3rd Party Sharing for Core Function";
  switch (p) {
    case Purpose::kMedical:
    case Purpose::kPsychological:
      return Json::array({std::string(kCoreFunction), "14 - Protecting Your Health"});
    case Purpose::kInvestigation: return Json::array({"11 - 3rd Party Sharing for Others"});
    case Purpose::kStatistics: return Json::array({"16 - Improve Performance"});
    default: return Json::array({std::string(kCoreFunction)});
  }
}

// Kantara: whether the purpose is part of the service she is given.
bool PrimaryPurpose(Purpose p) {
  return p != Purpose::kInvestigation && p != Purpose::kStatistics;
}

std::string CategoryText(DataCategory c) {
  switch (c) {
    case DataCategory::kCaseFacts:
      return "Case facts (dates, forms of exploitation, countries, status, decisions, "
             "proceedings)";
    case DataCategory::kNotes: return "Notes written by caseworkers";
    case DataCategory::kIdentity: return "Identity (name, birth date, sex, citizenship, documents)";
    case DataCategory::kContacts: return "Contact details (phone, e-mail, address)";
    case DataCategory::kServices: return "Services received other than health care";
    case DataCategory::kHealth: return "Health (medical and psychological care)";
    case DataCategory::kShelter: return "Shelter stays";
    case DataCategory::kMoney: return "Payments and compensation";
    case DataCategory::kDocuments: return "Scanned documents and photos kept with the case";
  }
  return "Unknown";
}

// Special categories in the sense of data protection law: health, and case facts
// (forms of exploitation include sexual exploitation; proceedings are criminal
// matters). Notes are free text that may hold either.
bool Sensitive(DataCategory c) {
  return c == DataCategory::kHealth || c == DataCategory::kCaseFacts || c == DataCategory::kNotes;
}

constexpr std::string_view kWithdrawal =
    "You may withdraw this consent at any time by telling your caseworker.";

std::string Termination(const domain::Consent& c) {
  if (c.withdrawn_on) return fmt::format("Withdrawn on {}.", c.withdrawn_on->ToString());
  if (c.valid_until)
    return fmt::format("Ends after {} unless withdrawn earlier. {}", c.valid_until->ToString(),
                       kWithdrawal);
  return fmt::format("Until withdrawn. {}", kWithdrawal);
}

Json OptionalDate(const std::optional<domain::Date>& d) {
  return d ? Json(d->ToString()) : Json(nullptr);
}

// The signed bytes. Parsed JSON is always valid UTF-8, so replacing invalid sequences
// only matters for a receipt built from bad input, and keeps dump() from throwing.
std::string CanonicalBytes(const Json& receipt) {
  Json body = receipt;
  body.erase("signature");
  return body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------
// Checking the shape without ever throwing: every access goes through these.

const Json* Member(const Json& object, const std::string& key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string StringOr(const Json* value, std::string fallback = {}) {
  return value && value->is_string() ? value->get<std::string>() : fallback;
}

bool IsStringArray(const Json& value) {
  if (!value.is_array()) return false;
  for (const auto& item : value)
    if (!item.is_string()) return false;
  return true;
}

enum class Kind { kString, kBool, kInteger, kStringArray, kObject, kArray };

bool HasKind(const Json& value, Kind kind) {
  switch (kind) {
    case Kind::kString: return value.is_string();
    case Kind::kBool: return value.is_boolean();
    case Kind::kInteger: return value.is_number_integer();
    case Kind::kStringArray: return IsStringArray(value);
    case Kind::kObject: return value.is_object();
    case Kind::kArray: return value.is_array();
  }
  return false;
}

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kString: return "a string";
    case Kind::kBool: return "true or false";
    case Kind::kInteger: return "an integer";
    case Kind::kStringArray: return "an array of strings";
    case Kind::kObject: return "an object";
    case Kind::kArray: return "an array";
  }
  return "?";
}

struct Field {
  const char* name;
  Kind kind;
};

// The first required field of `object` that is missing or of the wrong kind, as a
// problem naming its path; empty when all are there.
std::string MissingField(const Json& object, std::string_view path,
                         std::initializer_list<Field> fields) {
  for (const Field& f : fields) {
    const Json* value = Member(object, f.name);
    std::string where = path.empty() ? f.name : fmt::format("{}.{}", path, f.name);
    if (!value) return fmt::format("{} is missing", where);
    if (!HasKind(*value, f.kind)) return fmt::format("{} must be {}", where, KindName(f.kind));
  }
  return {};
}

// A non-empty array of objects, each with `fields`.
std::string BadObjectArray(const Json& array, std::string_view path,
                           std::initializer_list<Field> fields) {
  if (array.empty()) return fmt::format("{} is empty", path);
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string where = fmt::format("{}[{}]", path, i);
    if (!array[i].is_object()) return fmt::format("{} must be an object", where);
    if (auto p = MissingField(array[i], where, fields); !p.empty()) return p;
  }
  return {};
}

// Copying and dumping JSON recurse once per level. A receipt is six levels deep; a
// hostile one nested a million deep would overflow the stack in CanonicalBytes.
constexpr int kMaxDepth = 16;

bool DeeperThan(const Json& value, int levels) {
  if (!value.is_structured()) return false;
  if (levels == 0) return true;
  for (const auto& item : value)
    if (DeeperThan(item, levels - 1)) return true;
  return false;
}

std::string ShapeProblem(const Json& r) {
  if (!r.is_object()) return "the receipt is not a JSON object";
  if (DeeperThan(r, kMaxDepth)) return "the receipt is nested too deeply";
  if (auto p = MissingField(r, "",
                            {{"version", Kind::kString},
                             {"jurisdiction", Kind::kString},
                             {"consentTimestamp", Kind::kInteger},
                             {"collectionMethod", Kind::kString},
                             {"consentReceiptID", Kind::kString},
                             {"publicKey", Kind::kString},
                             {"language", Kind::kString},
                             {"piiPrincipalId", Kind::kString},
                             {"piiControllers", Kind::kArray},
                             {"policyUrl", Kind::kString},
                             {"services", Kind::kArray},
                             {"sensitive", Kind::kBool},
                             {"spiCat", Kind::kStringArray},
                             {"haven", Kind::kObject},
                             {"signature", Kind::kObject}});
      !p.empty())
    return p;
  if (r["version"].get<std::string>() != kKantaraVersion)
    return fmt::format("version is {}, this verifier reads {}", r["version"].get<std::string>(),
                       kKantaraVersion);
  if (StringOr(Member(r, "piiPrincipalId")).empty()) return "piiPrincipalId is empty";
  if (auto p =
          BadObjectArray(r["piiControllers"], "piiControllers", {{"piiController", Kind::kString}});
      !p.empty())
    return p;
  if (auto p = BadObjectArray(r["services"], "services",
                              {{"service", Kind::kString}, {"purposes", Kind::kArray}});
      !p.empty())
    return p;
  const Json& services = r["services"];
  for (std::size_t i = 0; i < services.size(); ++i) {
    if (auto p = BadObjectArray(services[i]["purposes"], fmt::format("services[{}].purposes", i),
                                {{"purpose", Kind::kString},
                                 {"purposeCategory", Kind::kStringArray},
                                 {"consentType", Kind::kString},
                                 {"piiCategory", Kind::kStringArray},
                                 {"primaryPurpose", Kind::kBool},
                                 {"termination", Kind::kString},
                                 {"thirdPartyDisclosure", Kind::kBool}});
        !p.empty())
      return p;
  }
  return MissingField(r["signature"], "signature",
                      {{"alg", Kind::kString},
                       {"key_id", Kind::kString},
                       {"public_key", Kind::kString},
                       {"value", Kind::kString}});
}

ReceiptCheck Rejected(ReceiptCheck check, std::string problem) {
  check.valid = false;
  check.problem = std::move(problem);
  return check;
}

ReceiptCheck Check(const Json& receipt, const std::optional<std::string>& trusted_b64) {
  ReceiptCheck check;
  if (auto p = ShapeProblem(receipt); !p.empty()) return Rejected(check, p);
  const Json& signature = receipt["signature"];
  if (signature["alg"].get<std::string>() != kAlgorithm)
    return Rejected(check, fmt::format("signature.alg is {}, not {}",
                                       signature["alg"].get<std::string>(), kAlgorithm));
  std::string public_key_b64 = signature["public_key"].get<std::string>();
  auto public_key = privacy::DecodeBase64(public_key_b64);
  if (!public_key || public_key->size() != privacy::SigningKey::kPublicKeySize)
    return Rejected(check, "signature.public_key is not the base64 of a 32-byte Ed25519 key");
  check.key_id = privacy::KeyId(*public_key);
  // publicKey is inside the signed bytes and public_key is not: requiring them equal
  // keeps a signature from being passed off under another key's id.
  if (receipt["publicKey"].get<std::string>() != public_key_b64)
    return Rejected(check, "publicKey differs from signature.public_key");
  if (signature["key_id"].get<std::string>() != check.key_id)
    return Rejected(check, "signature.key_id is not the id of signature.public_key");
  auto value = privacy::DecodeBase64(signature["value"].get<std::string>());
  if (!value || value->size() != privacy::SigningKey::kSignatureSize)
    return Rejected(check, "signature.value is not the base64 of a 64-byte Ed25519 signature");
  if (!privacy::VerifySignature(*public_key, CanonicalBytes(receipt), *value))
    return Rejected(check,
                    "the signature does not match the receipt: it was changed after it was signed");
  if (trusted_b64) {
    auto trusted = privacy::DecodeBase64(*trusted_b64);
    if (!trusted || trusted->size() != privacy::SigningKey::kPublicKeySize)
      return Rejected(check, "the trusted public key is not the base64 of a 32-byte Ed25519 key");
    if (*trusted != *public_key)
      return Rejected(check, fmt::format("signed by key {}, not by the trusted key {}",
                                         check.key_id, privacy::KeyId(*trusted)));
  }
  check.valid = true;
  return check;
}

// ---------------------------------------------------------------------------
// The printed page. Every table is indexed by the enum, columns az, en, ru (the
// order of domain::Language); the purposes are html::kPurposeNames.

using html::ByLanguage;
using html::Escape;
using html::kPurposeNames;
using html::Lookup;
using html::NamedTexts;
using html::PageStart;
using html::ShowDate;
using html::ShowTimestamp;
using html::Texts;
using html::Translate;

// Longer than the access history's: here each is a line of its own.
constexpr std::array<Texts, 9> kCategoryNames = {{
    {"İşin faktları (tarixlər, istismar formaları, ölkələr, status, qərarlar, məhkəmə prosesləri)",
     "Facts of your case (dates, forms of exploitation, countries, status, decisions, "
     "proceedings)",
     "Обстоятельства дела (даты, формы эксплуатации, страны, статус, решения, судебные "
     "разбирательства)"},
    {"Sosial işçilərin qeydləri", "Notes written by caseworkers",
     "Записи сотрудников, ведущих ваше дело"},
    {"Şəxsiyyət məlumatları (ad, doğum tarixi, cins, vətəndaşlıq, sənədlər)",
     "Identity (name, date of birth, sex, citizenship, documents)",
     "Личные данные (имя, дата рождения, пол, гражданство, документы)"},
    {"Əlaqə məlumatları (telefon, e-poçt, ünvan)", "Contact details (phone, e-mail, address)",
     "Контактные данные (телефон, электронная почта, адрес)"},
    {"Aldığınız xidmətlər (səhiyyə xidmətlərindən başqa)",
     "Services you received (other than health care)",
     "Полученные вами услуги (кроме медицинских)"},
    {"Sağlamlıq (tibbi və psixoloji yardım)", "Health (medical and psychological care)",
     "Здоровье (медицинская и психологическая помощь)"},
    {"Sığınacaqda qalma", "Stays in a shelter", "Пребывание в приюте"},
    {"Ödənişlər və kompensasiya", "Payments and compensation", "Выплаты и компенсация"},
    {"İşinizə əlavə edilmiş skan edilmiş sənədlər və fotoşəkillər",
     "Scanned documents and photos kept with your case",
     "Отсканированные документы и фотографии в вашем деле"},
}};
static_assert(kCategoryNames.size() == domain::EnumNames<DataCategory>::kNames.size());

constexpr std::array<Texts, 4> kMethodNames = {{
    {"İmzalanmış razılıq forması", "Signed consent form", "Подписанная форма согласия"},
    {"Şahidin iştirakı ilə şifahi razılıq", "Oral consent before a witness",
     "Устное согласие в присутствии свидетеля"},
    {"Qəyyum və ya qanuni nümayəndə tərəfindən verilmiş razılıq",
     "Consent given by a guardian or legal representative",
     "Согласие дано опекуном или законным представителем"},
    {"Elektron razılıq", "Electronic consent", "Электронное согласие"},
}};
static_assert(kMethodNames.size() == domain::EnumNames<ConsentMethod>::kNames.size());

// The languages a consent is most often explained in; others are shown by their code.
constexpr NamedTexts<3> kLanguageNames = {{
    {"az", {"Azərbaycan dili", "Azerbaijani", "азербайджанский"}},
    {"en", {"İngilis dili", "English", "английский"}},
    {"ru", {"Rus dili", "Russian", "русский"}},
}};

struct Labels {
  std::string_view title;
  std::string_view intro;
  std::string_view about;
  std::string_view case_code;
  std::string_view given_on;
  std::string_view valid_until;
  std::string_view valid_until_date;  // {} is the date
  std::string_view until_withdrawn;
  std::string_view withdrawn_on;
  std::string_view method;
  std::string_view explained_in;
  std::string_view controller;
  std::string_view contact;
  std::string_view recipient;
  std::string_view issued_at;
  std::string_view purposes;
  std::string_view categories;
  std::string_view sensitive;
  std::string_view withdraw_heading;
  std::string_view withdraw_text;
  std::string_view withdrawn_text;  // {} is the date
  std::string_view check_heading;
  std::string_view check_text;
  std::string_view receipt_id;
  std::string_view key_id;
  std::string_view fingerprint;
  std::string_view standard;
};

constexpr Labels kAz{
    .title = "Razılıq haqqında qəbz",
    .intro =
        "Bu qəbz işiniz haqqında məlumatların paylaşılmasına verdiyiniz razılığı təsdiq "
        "edir. Onu saxlayın: burada nəyə, kiminlə və hansı tarixədək razılıq verdiyiniz "
        "göstərilib.",
    .about = "Razılıq haqqında",
    .case_code = "İşin kodu",
    .given_on = "Razılığın verildiyi tarix",
    .valid_until = "Qüvvədədir",
    .valid_until_date = "{} tarixinədək (həmin gün daxil olmaqla)",
    .until_withdrawn = "Siz onu geri götürənədək",
    .withdrawn_on = "Geri götürüldüyü tarix",
    .method = "Razılığın verilmə üsulu",
    .explained_in = "İzah edildiyi dil",
    .controller = "Məlumatlarınıza cavabdeh təşkilat",
    .contact = "Təşkilatla əlaqə",
    .recipient = "Məlumatları kim ala bilər",
    .issued_at = "Qəbzin verildiyi vaxt",
    .purposes = "Məlumatlar hansı məqsədlə paylaşılır",
    .categories = "Hansı məlumatlar paylaşıla bilər",
    .sensitive = "Bunlardan xüsusi qorunan həssas məlumatlar",
    .withdraw_heading = "Razılığı geri götürmək hüququnuz",
    .withdraw_text =
        "Bu razılığı istənilən vaxt işinizə baxan sosial işçiyə bildirməklə geri "
        "götürə bilərsiniz. Bundan sonra məlumatlarınız bu razılıq əsasında "
        "paylaşılmayacaq.",
    .withdrawn_text =
        "Bu razılıq {} tarixində geri götürülüb və artıq məlumatların "
        "paylaşılmasına icazə vermir.",
    .check_heading = "Qəbzin yoxlanılması",
    .check_text =
        "Bu qəbz elektron imza (Ed25519) ilə imzalanıb. Təşkilat aşağıdakı açarla "
        "onun dəyişdirilmədiyini yoxlaya bilər.",
    .receipt_id = "Qəbzin nömrəsi",
    .key_id = "Açarın identifikatoru",
    .fingerprint = "İmzanın barmaq izi",
    .standard = "Kantara Initiative Consent Receipt v1.1 strukturu əsasında (ISO/IEC TS 27560).",
};

constexpr Labels kEn{
    .title = "Consent receipt",
    .intro =
        "This receipt records the consent you gave to share information about your case. "
        "Keep it: it shows what you agreed to, with whom, and until when.",
    .about = "About this consent",
    .case_code = "Case code",
    .given_on = "Consent given on",
    .valid_until = "Valid",
    .valid_until_date = "until {} (inclusive)",
    .until_withdrawn = "until you withdraw it",
    .withdrawn_on = "Withdrawn on",
    .method = "How the consent was given",
    .explained_in = "Explained in",
    .controller = "Organisation responsible for your information",
    .contact = "Contact of the organisation",
    .recipient = "Who may receive the information",
    .issued_at = "Receipt issued",
    .purposes = "What the information is shared for",
    .categories = "What information may be shared",
    .sensitive = "Of these, sensitive information with special protection",
    .withdraw_heading = "Your right to withdraw",
    .withdraw_text =
        "You may withdraw this consent at any time by telling your caseworker. From "
        "then on, your information is no longer shared on the basis of this consent.",
    .withdrawn_text = "This consent was withdrawn on {} and no longer allows any sharing.",
    .check_heading = "Checking this receipt",
    .check_text =
        "This receipt is signed electronically (Ed25519). The organisation can check "
        "with the key below that it has not been changed.",
    .receipt_id = "Receipt number",
    .key_id = "Key identifier",
    .fingerprint = "Signature fingerprint",
    .standard = "Structured after the Kantara Initiative Consent Receipt v1.1 (ISO/IEC TS 27560).",
};

constexpr Labels kRu{
    .title = "Квитанция о согласии",
    .intro =
        "Эта квитанция подтверждает согласие, которое вы дали на передачу сведений о вашем "
        "деле. Сохраните её: в ней указано, на что, кому и до какого срока вы дали согласие.",
    .about = "О согласии",
    .case_code = "Код дела",
    .given_on = "Дата согласия",
    .valid_until = "Действует",
    .valid_until_date = "до {} включительно",
    .until_withdrawn = "пока вы его не отзовёте",
    .withdrawn_on = "Дата отзыва",
    .method = "Как было дано согласие",
    .explained_in = "Язык разъяснения",
    .controller = "Организация, отвечающая за ваши сведения",
    .contact = "Контакты организации",
    .recipient = "Кто может получить сведения",
    .issued_at = "Квитанция выдана",
    .purposes = "Для чего передаются сведения",
    .categories = "Какие сведения могут передаваться",
    .sensitive = "Из них особо защищаемые чувствительные сведения",
    .withdraw_heading = "Ваше право отозвать согласие",
    .withdraw_text =
        "Вы можете в любое время отозвать это согласие, сообщив об этом сотруднику, "
        "который ведёт ваше дело. После этого ваши сведения больше не передаются на "
        "основании этого согласия.",
    .withdrawn_text = "Это согласие отозвано {} и больше не разрешает передачу сведений.",
    .check_heading = "Проверка квитанции",
    .check_text =
        "Эта квитанция подписана электронной подписью (Ed25519). Организация может "
        "проверить по указанному ниже ключу, что она не изменялась.",
    .receipt_id = "Номер квитанции",
    .key_id = "Идентификатор ключа",
    .fingerprint = "Отпечаток подписи",
    .standard =
        "Составлена по структуре Kantara Initiative Consent Receipt v1.1 "
        "(ISO/IEC TS 27560).",
};

const Labels& LabelsFor(Language lang) {
  return ByLanguage(lang, kAz, kEn, kRu);
}

std::string LanguageName(const std::string& code, Language lang) {
  auto name = Lookup(kLanguageNames, code, lang);
  return name ? std::string(*name) : code;
}

void Row(std::string& html, std::string_view label, const std::string& value) {
  if (value.empty()) return;
  html += fmt::format("<dt>{}</dt><dd>{}</dd>\n", Escape(label), Escape(value));
}

std::vector<std::string> Strings(const Json* array) {
  std::vector<std::string> out;
  if (!array || !array->is_array()) return out;
  for (const auto& item : *array)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

void List(std::string& html, const std::vector<std::string>& items) {
  if (items.empty()) return;
  html += "<ul>\n";
  for (const auto& item : items) html += fmt::format("<li>{}</li>\n", Escape(item));
  html += "</ul>\n";
}

}  // namespace

Json BuildSignedReceipt(const ReceiptInput& in, const privacy::SigningKey& key) {
  const domain::Consent& c = in.consent;
  std::string termination = Termination(c);

  Json pii_categories = Json::array();
  Json sensitive_categories = Json::array();
  Json category_names = Json::array();
  for (DataCategory category : c.categories) {
    pii_categories.push_back(CategoryText(category));
    if (Sensitive(category)) sensitive_categories.push_back(CategoryText(category));
    category_names.push_back(std::string(domain::Name(category)));
  }

  Json purposes = Json::array();
  Json purpose_names = Json::array();
  for (Purpose p : c.purposes) {
    Json purpose = Json::object();
    purpose["purpose"] = PurposeText(p);
    purpose["purposeCategory"] = PurposeCategories(p);
    // Haven records a consent only when the person says yes to it, purpose by purpose.
    purpose["consentType"] = "EXPLICIT";
    purpose["piiCategory"] = pii_categories;
    purpose["primaryPurpose"] = PrimaryPurpose(p);
    purpose["termination"] = termination;
    purpose["thirdPartyDisclosure"] = true;
    purpose["thirdPartyName"] = in.recipient;
    purposes.push_back(std::move(purpose));
    purpose_names.push_back(std::string(domain::Name(p)));
  }
  Json service = Json::object();
  service["service"] = "Sharing of case " + in.case_code + " with " + in.recipient;
  service["purposes"] = std::move(purposes);

  Json address = Json::object();
  address["streetAddress"] = in.controller_address;
  address["addressCountry"] = in.jurisdiction;
  Json controller = Json::object();
  controller["piiController"] = in.controller_name;
  controller["onBehalf"] = false;
  controller["contact"] = in.controller_contact;
  controller["address"] = std::move(address);
  controller["email"] = in.controller_email;
  controller["phone"] = in.controller_phone;

  // The witness of an oral consent is a person's name and stays out, as her own does.
  Json haven = Json::object();
  haven["consent_id"] = c.id;
  haven["given_on"] = c.given_on.ToString();
  haven["valid_until"] = OptionalDate(c.valid_until);
  haven["withdrawn_on"] = OptionalDate(c.withdrawn_on);
  haven["recipient"] = in.recipient;
  haven["recipient_organization_id"] =
      c.recipient_organization_id ? Json(*c.recipient_organization_id) : Json(nullptr);
  haven["recipient_kind"] =
      c.recipient_kind ? Json(std::string(domain::Name(*c.recipient_kind))) : Json(nullptr);
  haven["purposes"] = std::move(purpose_names);
  haven["categories"] = std::move(category_names);
  haven["method"] = std::string(domain::Name(c.method));
  haven["language"] = c.language;
  haven["issued_at"] = FormatTimestamp(in.issued_at);

  std::string public_key = privacy::Base64(key.PublicKey());
  Json receipt = Json::object();
  receipt["version"] = std::string(kKantaraVersion);
  receipt["jurisdiction"] = in.jurisdiction;
  // Kantara wants seconds since the epoch; Haven knows the day of the consent, not
  // its hour, so this is midnight UTC of that day.
  receipt["consentTimestamp"] = static_cast<std::int64_t>(
      std::chrono::sys_seconds(c.given_on.Days()).time_since_epoch().count());
  receipt["collectionMethod"] = CollectionMethod(c.method);
  receipt["consentReceiptID"] = in.receipt_id;
  receipt["publicKey"] = public_key;
  receipt["language"] = c.language;
  receipt["piiPrincipalId"] = in.case_code;
  receipt["piiControllers"] = Json::array({std::move(controller)});
  receipt["policyUrl"] = in.policy_url;
  receipt["services"] = Json::array({std::move(service)});
  // Any record of a trafficking case is sensitive, whatever categories it shares.
  receipt["sensitive"] = true;
  receipt["spiCat"] = std::move(sensitive_categories);
  receipt["haven"] = std::move(haven);

  Json signature = Json::object();
  signature["alg"] = std::string(kAlgorithm);
  signature["key_id"] = privacy::KeyId(key.PublicKey());
  signature["public_key"] = public_key;
  signature["value"] = privacy::Base64(key.Sign(CanonicalBytes(receipt)));
  receipt["signature"] = std::move(signature);
  return receipt;
}

ReceiptCheck VerifyReceipt(const Json& receipt,
                           const std::optional<std::string>& trusted_public_key_b64) {
  // Check reads only what ShapeProblem has vouched for; this is the last line of
  // defence should a future member be read without that.
  try {
    return Check(receipt, trusted_public_key_b64);
  } catch (const std::exception&) {
    return Rejected(ReceiptCheck{}, "the receipt could not be read");
  }
}

std::string ReceiptHtml(const Json& receipt, Language lang) {
  const Labels& l = LabelsFor(lang);
  const Json empty = Json::object();
  const Json* haven_member = Member(receipt, "haven");
  const Json& haven = haven_member && haven_member->is_object() ? *haven_member : empty;
  const Json* controllers = Member(receipt, "piiControllers");
  const Json* controller = controllers && controllers->is_array() && !controllers->empty()
                               ? &(*controllers)[0]
                               : nullptr;
  std::string case_code = StringOr(Member(receipt, "piiPrincipalId"));

  std::string html;
  html += PageStart(lang, fmt::format("{} {}", l.title, case_code));
  html += fmt::format("<h1>{}</h1>\n<p>{}</p>\n", Escape(l.title), Escape(l.intro));

  html += fmt::format("<h2>{}</h2>\n<dl>\n", Escape(l.about));
  Row(html, l.case_code, case_code);
  Row(html, l.given_on, ShowDate(StringOr(Member(haven, "given_on")), lang));
  std::string valid_until = StringOr(Member(haven, "valid_until"));
  Row(html, l.valid_until,
      valid_until.empty()
          ? std::string(l.until_withdrawn)
          : fmt::format(fmt::runtime(l.valid_until_date), ShowDate(valid_until, lang)));
  std::string withdrawn_on = StringOr(Member(haven, "withdrawn_on"));
  if (!withdrawn_on.empty()) Row(html, l.withdrawn_on, ShowDate(withdrawn_on, lang));
  Row(html, l.method,
      Translate<ConsentMethod>(kMethodNames, StringOr(Member(haven, "method")), lang));
  Row(html, l.explained_in, LanguageName(StringOr(Member(haven, "language")), lang));
  if (controller) {
    Row(html, l.controller, StringOr(Member(*controller, "piiController")));
    std::string contact;
    for (const char* field : {"phone", "email"}) {
      std::string value = StringOr(Member(*controller, field));
      if (value.empty()) continue;
      if (!contact.empty()) contact += ", ";
      contact += value;
    }
    Row(html, l.contact, contact);
  }
  Row(html, l.recipient, StringOr(Member(haven, "recipient")));
  Row(html, l.issued_at, ShowTimestamp(StringOr(Member(haven, "issued_at")), lang));
  html += "</dl>\n";

  std::vector<std::string> purposes;
  for (const auto& name : Strings(Member(haven, "purposes")))
    purposes.push_back(Translate<Purpose>(kPurposeNames, name, lang));
  html += fmt::format("<h2>{}</h2>\n", Escape(l.purposes));
  List(html, purposes);

  std::vector<std::string> categories;
  std::vector<std::string> sensitive;
  for (const auto& name : Strings(Member(haven, "categories"))) {
    categories.push_back(Translate<DataCategory>(kCategoryNames, name, lang));
    auto category = domain::ParseEnum<DataCategory>(name);
    if (category && Sensitive(*category)) sensitive.push_back(categories.back());
  }
  html += fmt::format("<h2>{}</h2>\n", Escape(l.categories));
  List(html, categories);
  if (!sensitive.empty()) {
    html += fmt::format("<p>{}:</p>\n", Escape(l.sensitive));
    List(html, sensitive);
  }

  html += fmt::format("<h2>{}</h2>\n", Escape(l.withdraw_heading));
  if (!withdrawn_on.empty())
    html += fmt::format(
        "<p><strong>{}</strong></p>\n",
        Escape(fmt::format(fmt::runtime(l.withdrawn_text), ShowDate(withdrawn_on, lang))));
  html += fmt::format("<p>{}</p>\n", Escape(l.withdraw_text));

  const Json* signature = Member(receipt, "signature");
  std::string fingerprint;
  if (signature) {
    auto value = privacy::DecodeBase64(StringOr(Member(*signature, "value")));
    // A short digest of the signature, to match a paper copy with the file it came from.
    if (value && !value->empty()) fingerprint = privacy::Digest(*value).substr(0, 16);
  }
  html +=
      fmt::format("<h2>{}</h2>\n<p>{}</p>\n<dl>\n", Escape(l.check_heading), Escape(l.check_text));
  Row(html, l.receipt_id, StringOr(Member(receipt, "consentReceiptID")));
  if (signature) Row(html, l.key_id, StringOr(Member(*signature, "key_id")));
  Row(html, l.fingerprint, fingerprint);
  html += "</dl>\n</main>\n";
  html += fmt::format("<footer>\n<p>{}</p>\n</footer>\n</body>\n</html>\n", Escape(l.standard));
  return html;
}

}  // namespace haven::app
