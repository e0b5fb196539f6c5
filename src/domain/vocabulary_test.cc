// The vocabularies are complete: every enum with wire names is registered, every
// wire name has a label in each of the three languages, in that language's script,
// and the countries and regions carry the names of iso-codes.

#include "domain/vocabulary.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "domain/iso_codes.h"

namespace haven::domain {
namespace {

// The code points of a UTF-8 string (the labels are valid UTF-8 literals).
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

bool IsAsciiLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsCyrillic(char32_t c) {
  return c >= 0x0400 && c <= 0x04FF;
}

std::string Describe(const Vocabulary& v, const Term& t) {
  return std::string(v.name) + "/" + std::string(t.code);
}

TEST(Vocabularies, EveryTermHasThreeLabelsEachInItsScript) {
  ASSERT_FALSE(AllVocabularies().empty());
  for (const Vocabulary& v : AllVocabularies()) {
    EXPECT_FALSE(v.terms.empty()) << v.name;
    std::set<std::string_view> codes;
    for (const Term& t : v.terms) {
      EXPECT_TRUE(codes.insert(t.code).second) << Describe(v, t) << " appears twice";
      for (std::string_view label : {t.az, t.en, t.ru}) {
        EXPECT_FALSE(label.empty()) << Describe(v, t);
        if (label.empty()) continue;
        EXPECT_NE(label.front(), ' ') << Describe(v, t);
        EXPECT_NE(label.back(), ' ') << Describe(v, t);
        EXPECT_NE(label, t.code) << Describe(v, t) << ": a label, not the wire name";
      }
      for (char32_t c : CodePoints(t.en)) EXPECT_LT(c, 0x80u) << Describe(v, t) << " en: " << t.en;
      bool cyrillic = false;
      for (char32_t c : CodePoints(t.ru)) {
        EXPECT_FALSE(IsAsciiLetter(c)) << Describe(v, t) << " ru is not in Cyrillic: " << t.ru;
        cyrillic = cyrillic || IsCyrillic(c);
      }
      EXPECT_TRUE(cyrillic) << Describe(v, t) << " ru: " << t.ru;
      for (char32_t c : CodePoints(t.az)) {
        EXPECT_FALSE(IsCyrillic(c)) << Describe(v, t) << " az is not in Latin script: " << t.az;
        EXPECT_NE(c, U'\u01DD') << Describe(v, t) << " az: turned e instead of schwa (ə)";
      }
    }
  }
}

TEST(Vocabularies, NamesAreUniquePluralSnakeCase) {
  std::set<std::string_view> names, types;
  const std::regex snake("[a-z]+(_[a-z]+)*");
  for (const Vocabulary& v : AllVocabularies()) {
    EXPECT_TRUE(names.insert(v.name).second) << "duplicate vocabulary " << v.name;
    EXPECT_TRUE(types.insert(v.type).second) << "enum registered twice: " << v.type;
    EXPECT_TRUE(std::regex_match(std::string(v.name), snake)) << v.name;
    EXPECT_EQ(FindVocabulary(v.name), &v) << v.name;
  }
  EXPECT_EQ(FindVocabulary("no_such_vocabulary"), nullptr);
}

// Compiling vocabulary.cc proves every registered enum complete; this proves every
// enum with wire names registered: an enum added with HAVEN_ENUM_NAMES and no labels
// fails here.
TEST(Vocabularies, EveryEnumWithWireNamesIsRegistered) {
  const std::regex declaration(R"(HAVEN_ENUM_NAMES\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*,)");
  std::map<std::string, std::string> declared;  // enum -> file
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(HAVEN_SOURCE_DIR) + "/src")) {
    const auto& path = entry.path();
    if (!entry.is_regular_file() || (path.extension() != ".h" && path.extension() != ".cc"))
      continue;
    if (path.filename().string().ends_with("_test.cc")) continue;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("#define") != std::string::npos) continue;
      for (std::sregex_iterator it(line.begin(), line.end(), declaration), end; it != end; ++it)
        declared[(*it)[1]] = path.filename().string();
    }
  }
  ASSERT_GE(declared.size(), 27u) << "the scan of src/ found too few HAVEN_ENUM_NAMES";
  std::set<std::string> registered;
  for (const Vocabulary& v : AllVocabularies()) registered.insert(std::string(v.type));
  for (const auto& [type, file] : declared)
    EXPECT_TRUE(registered.count(type))
        << type << " (" << file << ") has wire names but no labels: add HAVEN_LABELS(" << type
        << ", ...) and its line in the registry of src/domain/vocabulary.cc";
  for (const auto& type : registered)
    EXPECT_TRUE(declared.count(type)) << type << " is registered but declares no wire names";
  EXPECT_EQ(AllVocabularies().size(), declared.size());
}

TEST(Vocabularies, TermsAreTheWireNamesWithRealTranslations) {
  const Vocabulary* statuses = FindVocabulary("case_statuses");
  ASSERT_NE(statuses, nullptr);
  ASSERT_EQ(statuses->terms.size(), EnumNames<CaseStatus>::kNames.size());
  for (std::size_t i = 0; i < statuses->terms.size(); ++i)
    EXPECT_EQ(statuses->terms[i].code, EnumNames<CaseStatus>::kNames[i]);
  const Term& reflection = statuses->terms[static_cast<std::size_t>(CaseStatus::kReflectionPeriod)];
  EXPECT_EQ(reflection.az, "Bərpa və düşünmə müddəti");
  EXPECT_EQ(reflection.ru, "Период восстановления и размышления");
  EXPECT_EQ(reflection.Label(Language::kEn), "Recovery and reflection period");

  const Vocabulary* forms = FindVocabulary("forms_of_exploitation");
  ASSERT_NE(forms, nullptr);
  const Term& labour = forms->terms[static_cast<std::size_t>(Exploitation::kForcedLabour)];
  EXPECT_EQ(labour.code, "forced_labour");
  EXPECT_EQ(labour.Label(Language::kAz), "Məcburi əmək");
  EXPECT_EQ(labour.Label(Language::kRu), "Принудительный труд");

  const Vocabulary* services = FindVocabulary("service_types");
  ASSERT_NE(services, nullptr);
  EXPECT_EQ(services->type, "ServiceType");
  EXPECT_EQ(services->terms.size(), EnumNames<ServiceType>::kNames.size());

  for (std::string_view name :
       {"organization_kinds", "roles", "identifying_bodies", "means_of_control", "payment_statuses",
        "discharge_reasons", "data_categories", "purposes", "consent_methods", "referral_kinds",
        "referral_statuses", "override_bases", "permit_types", "proceeding_stages"})
    EXPECT_NE(FindVocabulary(name), nullptr) << name;
}

TEST(Vocabularies, LanguagesAreTheThreeOfTheLabels) {
  const Vocabulary* languages = FindVocabulary("languages");
  ASSERT_NE(languages, nullptr);
  ASSERT_EQ(languages->terms.size(), 3u);
  EXPECT_EQ(languages->terms[0].code, "az");
  EXPECT_EQ(languages->terms[1].code, "en");
  EXPECT_EQ(languages->terms[2].code, "ru");
  EXPECT_EQ(languages->terms[0].az, "Azərbaycan dili");
  EXPECT_EQ(languages->terms[2].ru, "Русский");
}

TEST(VocabularyIsoCodes, CountriesAndRegionsInThreeLanguages) {
  auto countries = CountryTerms();
  auto regions = AzRegionTerms();
  EXPECT_GE(countries.size(), 249u);
  EXPECT_GE(regions.size(), 70u);
  std::size_t az_translated = 0, ru_translated = 0;
  for (const Term& t : countries) {
    EXPECT_FALSE(t.az.empty() || t.en.empty() || t.ru.empty()) << t.code;
    az_translated += t.az != t.en;
    ru_translated += t.ru != t.en;
  }
  // The catalogues were read (not everything fell back to English).
  EXPECT_GE(az_translated, 150u);
  EXPECT_GE(ru_translated, 240u);
  for (const Term& t : regions) {
    EXPECT_TRUE(t.code.starts_with("AZ-")) << t.code;
    EXPECT_FALSE(t.az.empty() || t.en.empty() || t.ru.empty()) << t.code;
    bool cyrillic = false;
    for (char32_t c : CodePoints(t.ru)) cyrillic = cyrillic || IsCyrillic(c);
    EXPECT_TRUE(cyrillic) << t.code << " ru: " << t.ru;
    for (char32_t c : CodePoints(t.az)) EXPECT_NE(c, U'\u01DD') << t.code << " az: " << t.az;
  }

  auto find = [](std::span<const Term> terms, std::string_view code) -> const Term* {
    for (const Term& t : terms)
      if (t.code == code) return &t;
    return nullptr;
  };
  const Term* az = find(countries, "AZ");
  ASSERT_NE(az, nullptr);
  EXPECT_EQ(az->en, "Azerbaijan");
  EXPECT_EQ(az->az, "Azərbaycan");
  EXPECT_EQ(az->ru, "Азербайджан");
  const Term* ge = find(countries, "GE");
  ASSERT_NE(ge, nullptr);
  EXPECT_EQ(ge->az, "Gürcüstan");
  EXPECT_EQ(ge->ru, "Грузия");
  // A country whose short name is untranslated but whose former name is: "Czech Republic".
  const Term* cz = find(countries, "CZ");
  ASSERT_NE(cz, nullptr);
  EXPECT_EQ(cz->az, "Çex Respublikası");

  const Term* baku = find(regions, "AZ-BA");
  ASSERT_NE(baku, nullptr);
  EXPECT_EQ(baku->az, "Bakı");
  EXPECT_EQ(baku->en, "Bakı");
  EXPECT_EQ(baku->ru, "Баку");
  const Term* ganja = find(regions, "AZ-GA");
  ASSERT_NE(ganja, nullptr);
  EXPECT_EQ(ganja->az, "Gəncə");
  EXPECT_EQ(ganja->ru, "Гянджа");
  // iso-codes writes this one with a turned e; the generator mends it.
  const Term* kangarli = find(regions, "AZ-KAN");
  ASSERT_NE(kangarli, nullptr);
  EXPECT_EQ(kangarli->az, "Kəngərli");

  // The same names reach IsoEntry users.
  const IsoEntry* ru = FindCountry("RU");
  ASSERT_NE(ru, nullptr);
  EXPECT_STREQ(ru->name, "Russian Federation");
  EXPECT_STREQ(ru->name_ru, "Российская Федерация");
  EXPECT_STREQ(ru->name_az, "Rusiya Federasiyası");
  for (std::size_t i = 0; i < kCurrencyCount; ++i)
    EXPECT_TRUE(kCurrencies[i].name_az && kCurrencies[i].name_ru) << kCurrencies[i].code;
  for (std::size_t i = 0; i < kLanguageCount; ++i)
    EXPECT_TRUE(kLanguages[i].name_az && kLanguages[i].name_ru) << kLanguages[i].code;
}

// The API document lists every vocabulary the endpoint returns.
TEST(Vocabularies, EveryVocabularyIsInTheOpenApiDocument) {
  std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(in);
  auto doc = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  const auto& schema = doc["paths"]["/api/v1/vocabularies"]["get"]["responses"]["200"]["content"]
                          ["application/json"]["schema"];
  ASSERT_TRUE(schema.is_object()) << "GET /api/v1/vocabularies is not documented";
  std::set<std::string> documented;
  for (const auto& [name, _] : schema["properties"]["vocabularies"]["properties"].items())
    documented.insert(name);
  std::set<std::string> served;
  for (const Vocabulary& v : AllVocabularies()) served.insert(std::string(v.name));
  EXPECT_EQ(documented, served);
}

}  // namespace
}  // namespace haven::domain
