#include "app/consent_receipt.h"

#include <cstring>
#include <functional>

#include <gtest/gtest.h>

namespace haven::app {
namespace {

using domain::Json;

privacy::SigningKey KeyOf(unsigned char fill) {
  privacy::Key seed;
  std::memset(seed.data(), fill, privacy::Key::kSize);
  return privacy::SigningKey::FromSeed(seed);
}

ReceiptInput SampleInput() {
  ReceiptInput in;
  in.consent.id = 42;
  in.consent.case_id = 7;
  in.consent.recipient_organization_id = 3;
  in.consent.purposes = {domain::Purpose::kShelter, domain::Purpose::kMedical};
  in.consent.categories = {domain::DataCategory::kCaseFacts, domain::DataCategory::kHealth,
                           domain::DataCategory::kShelter};
  in.consent.given_on = domain::Date::FromYmd(2026, 3, 14);
  in.consent.valid_until = domain::Date::FromYmd(2026, 12, 31);
  in.consent.method = domain::ConsentMethod::kOralWithWitness;
  in.consent.witness = "Leyla Mammadova";
  in.consent.language = "az";
  in.case_code = "AZ-2026-0042";
  in.controller_name = "Təmiz Dünya";
  in.controller_phone = "+994 12 000 00 00";
  in.recipient = "Bakı Sığınacağı";
  in.issued_at = Timestamp(std::chrono::seconds(1773489600));  // 2026-03-14T12:00:00Z
  in.receipt_id = "haven-consent-42-abcdef";
  return in;
}

std::string TrustedKey(const privacy::SigningKey& key) {
  return privacy::Base64(key.PublicKey());
}

TEST(ConsentReceipt, BuiltReceiptVerifies) {
  auto key = KeyOf(1);
  Json receipt = BuildSignedReceipt(SampleInput(), key);
  auto check = VerifyReceipt(receipt, std::nullopt);
  EXPECT_TRUE(check.valid) << check.problem;
  EXPECT_TRUE(check.problem.empty());
  EXPECT_EQ(check.key_id, privacy::KeyId(key.PublicKey()));
  auto trusted = VerifyReceipt(receipt, TrustedKey(key));
  EXPECT_TRUE(trusted.valid) << trusted.problem;

  // The bytes signed do not depend on how the file is laid out.
  Json reread = Json::parse(receipt.dump(2));
  EXPECT_TRUE(VerifyReceipt(reread, TrustedKey(key)).valid);
}

TEST(ConsentReceipt, FollowsTheKantaraStructure) {
  Json r = BuildSignedReceipt(SampleInput(), KeyOf(1));
  EXPECT_EQ(r["version"], "KI-CR-v1.1.0");
  EXPECT_EQ(r["jurisdiction"], "AZ");
  EXPECT_EQ(r["piiPrincipalId"], "AZ-2026-0042");
  EXPECT_EQ(r["consentReceiptID"], "haven-consent-42-abcdef");
  EXPECT_EQ(r["consentTimestamp"], 1773446400);  // 2026-03-14T00:00:00Z
  EXPECT_EQ(r["language"], "az");
  EXPECT_EQ(r["sensitive"], true);
  EXPECT_EQ(r["spiCat"].size(), 2u);  // case facts and health, not shelter
  EXPECT_EQ(r["piiControllers"][0]["piiController"], "Təmiz Dünya");
  const Json& purposes = r["services"][0]["purposes"];
  ASSERT_EQ(purposes.size(), 2u);
  EXPECT_EQ(purposes[0]["consentType"], "EXPLICIT");
  EXPECT_EQ(purposes[0]["thirdPartyName"], "Bakı Sığınacağı");
  EXPECT_EQ(purposes[0]["piiCategory"].size(), 3u);
  EXPECT_NE(purposes[0]["termination"].get<std::string>().find("2026-12-31"), std::string::npos);
  EXPECT_EQ(r["haven"]["purposes"], Json::array({"shelter", "medical"}));
  EXPECT_EQ(r["haven"]["method"], "oral_with_witness");
  EXPECT_EQ(r["haven"]["valid_until"], "2026-12-31");
  EXPECT_TRUE(r["haven"]["withdrawn_on"].is_null());
  EXPECT_EQ(r["signature"]["alg"], "Ed25519");
  EXPECT_EQ(r["publicKey"], r["signature"]["public_key"]);
}

TEST(ConsentReceipt, NamesNoPerson) {
  std::string text = BuildSignedReceipt(SampleInput(), KeyOf(1)).dump();
  EXPECT_EQ(text.find("Leyla"), std::string::npos);
  EXPECT_EQ(text.find("Mammadova"), std::string::npos);
}

TEST(ConsentReceipt, AnyChangeInvalidates) {
  auto key = KeyOf(1);
  const Json original = BuildSignedReceipt(SampleInput(), key);
  std::vector<std::pair<std::string, std::function<void(Json&)>>> changes = {
      {"purpose", [](Json& r) { r["services"][0]["purposes"][0]["purpose"] = "Marketing"; }},
      {"haven purpose", [](Json& r) { r["haven"]["purposes"][0] = "investigation"; }},
      {"given_on", [](Json& r) { r["haven"]["given_on"] = "2026-03-15"; }},
      {"valid_until", [](Json& r) { r["haven"]["valid_until"] = nullptr; }},
      {"timestamp", [](Json& r) { r["consentTimestamp"] = 1773446401; }},
      {"case code", [](Json& r) { r["piiPrincipalId"] = "AZ-2026-0043"; }},
      {"recipient", [](Json& r) { r["haven"]["recipient"] = "every police unit"; }},
      {"category", [](Json& r) { r["haven"]["categories"].push_back("identity"); }},
      {"added member", [](Json& r) { r["note"] = "x"; }},
      {"removed member", [](Json& r) { r["haven"].erase("withdrawn_on"); }},
  };
  for (const auto& [name, change] : changes) {
    Json changed = original;
    change(changed);
    auto check = VerifyReceipt(changed, std::nullopt);
    EXPECT_FALSE(check.valid) << name;
    EXPECT_FALSE(check.problem.empty()) << name;
  }
}

TEST(ConsentReceipt, ReSignedWithAnotherKeyFailsOnlyAgainstTheTrustedKey) {
  auto key = KeyOf(1);
  auto other = KeyOf(2);
  Json receipt = BuildSignedReceipt(SampleInput(), key);
  auto check = VerifyReceipt(receipt, TrustedKey(other));
  EXPECT_FALSE(check.valid);
  EXPECT_NE(check.problem.find(privacy::KeyId(other.PublicKey())), std::string::npos)
      << check.problem;

  // A forger can sign a changed receipt with a key of her own: it holds together,
  // and only the trusted key tells it apart.
  ReceiptInput forged = SampleInput();
  forged.recipient = "everyone";
  Json forgery = BuildSignedReceipt(forged, other);
  EXPECT_TRUE(VerifyReceipt(forgery, std::nullopt).valid);
  EXPECT_FALSE(VerifyReceipt(forgery, TrustedKey(key)).valid);

  // Another key's signature pasted onto the original receipt.
  Json swapped = receipt;
  swapped["signature"] = forgery["signature"];
  EXPECT_FALSE(VerifyReceipt(swapped, std::nullopt).valid);
  swapped["publicKey"] = forgery["publicKey"];
  EXPECT_FALSE(VerifyReceipt(swapped, std::nullopt).valid);

  EXPECT_FALSE(VerifyReceipt(receipt, std::string("not base64!")).valid);
  EXPECT_FALSE(VerifyReceipt(receipt, privacy::Base64("short")).valid);
}

TEST(ConsentReceipt, GarbageIsInvalidWithAProblem) {
  auto key = KeyOf(1);
  const Json good = BuildSignedReceipt(SampleInput(), key);
  auto with = [&](std::function<void(Json&)> change) {
    Json r = good;
    change(r);
    return r;
  };
  std::vector<std::pair<std::string, Json>> cases = {
      {"array", Json::array({good})},
      {"null", Json(nullptr)},
      {"number", Json(42)},
      {"string", Json("receipt")},
      {"empty object", Json::object()},
      {"no signature", with([](Json& r) { r.erase("signature"); })},
      {"signature is a string", with([](Json& r) { r["signature"] = "abc"; })},
      {"short signature",
       with([](Json& r) { r["signature"]["value"] = privacy::Base64(std::string(63, 'x')); })},
      {"long signature",
       with([](Json& r) { r["signature"]["value"] = privacy::Base64(std::string(65, 'x')); })},
      {"signature not base64", with([](Json& r) { r["signature"]["value"] = "@@@"; })},
      {"signature a number", with([](Json& r) { r["signature"]["value"] = 5; })},
      {"short public key",
       with([](Json& r) { r["signature"]["public_key"] = privacy::Base64("abc"); })},
      {"key id of another key",
       with([](Json& r) { r["signature"]["key_id"] = "0000000000000000"; })},
      {"other algorithm", with([](Json& r) { r["signature"]["alg"] = "RS256"; })},
      {"case code a number", with([](Json& r) { r["piiPrincipalId"] = 5; })},
      {"empty case code", with([](Json& r) { r["piiPrincipalId"] = ""; })},
      {"version a number", with([](Json& r) { r["version"] = 1.1; })},
      {"other version", with([](Json& r) { r["version"] = "KI-CR-v1.0.0"; })},
      {"timestamp a string", with([](Json& r) { r["consentTimestamp"] = "2026-03-14"; })},
      {"timestamp a float", with([](Json& r) { r["consentTimestamp"] = 1.5; })},
      {"sensitive a string", with([](Json& r) { r["sensitive"] = "yes"; })},
      {"services a string", with([](Json& r) { r["services"] = "x"; })},
      {"no services", with([](Json& r) { r["services"] = Json::array(); })},
      {"service a number", with([](Json& r) { r["services"][0] = 1; })},
      {"purposes missing", with([](Json& r) { r["services"][0].erase("purposes"); })},
      {"pii category of numbers",
       with([](Json& r) { r["services"][0]["purposes"][0]["piiCategory"] = Json::array({1}); })},
      {"controllers of strings",
       with([](Json& r) { r["piiControllers"] = Json::array({"Təmiz Dünya"}); })},
      {"haven an array", with([](Json& r) { r["haven"] = Json::array(); })},
      {"spiCat of objects", with([](Json& r) { r["spiCat"] = Json::array({Json::object()}); })},
  };
  for (const auto& [name, receipt] : cases) {
    ReceiptCheck check;
    EXPECT_NO_THROW(check = VerifyReceipt(receipt, std::nullopt)) << name;
    EXPECT_FALSE(check.valid) << name;
    EXPECT_FALSE(check.problem.empty()) << name;
    EXPECT_NO_THROW(VerifyReceipt(receipt, TrustedKey(key))) << name;
    EXPECT_NO_THROW(ReceiptHtml(receipt, domain::Language::kRu)) << name;
  }
}

TEST(ConsentReceipt, DeepNestingIsRefusedBeforeItIsCopied) {
  Json receipt = BuildSignedReceipt(SampleInput(), KeyOf(1));
  // Deep enough that copying it (as checking the signature does) would overflow the stack.
  Json deep = Json::array();
  for (int i = 0; i < 200000; ++i) {
    Json outer = Json::array();
    outer.push_back(std::move(deep));
    deep = std::move(outer);
  }
  receipt["haven"]["extra"] = std::move(deep);
  auto check = VerifyReceipt(receipt, std::nullopt);
  EXPECT_FALSE(check.valid);
  EXPECT_EQ(check.problem, "the receipt is nested too deeply");
  EXPECT_NE(ReceiptHtml(receipt, domain::Language::kEn).find("AZ-2026-0042"), std::string::npos);
}

TEST(ConsentReceipt, PrintablePageInEachLanguage) {
  ReceiptInput in = SampleInput();
  in.controller_name = "Evil <b>&\"Co'";
  Json receipt = BuildSignedReceipt(in, KeyOf(1));
  ASSERT_TRUE(VerifyReceipt(receipt, std::nullopt).valid);
  for (auto [lang, code] :
       {std::pair{domain::Language::kAz, "az"}, std::pair{domain::Language::kEn, "en"},
        std::pair{domain::Language::kRu, "ru"}}) {
    std::string html = ReceiptHtml(receipt, lang);
    EXPECT_NE(html.find(std::string("<html lang=\"") + code + "\">"), std::string::npos) << code;
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos) << code;
    EXPECT_NE(html.find("AZ-2026-0042"), std::string::npos) << code;
    EXPECT_NE(html.find("Evil &lt;b&gt;&amp;&quot;Co&#39;"), std::string::npos) << code;
    EXPECT_EQ(html.find("<b>"), std::string::npos) << code;
    EXPECT_EQ(html.find("<script"), std::string::npos) << code;
    EXPECT_EQ(html.find("<style"), std::string::npos) << code;
    EXPECT_EQ(html.find("style="), std::string::npos) << code;
    EXPECT_NE(html.find(receipt["signature"]["key_id"].get<std::string>()), std::string::npos)
        << code;
    EXPECT_NE(html.find("Bakı Sığınacağı"), std::string::npos) << code;
    EXPECT_NE(html.find("+994 12 000 00 00"), std::string::npos) << code;
  }
  std::string az = ReceiptHtml(receipt, domain::Language::kAz);
  EXPECT_NE(az.find("ə"), std::string::npos);
  EXPECT_NE(az.find("Sığınacaq"), std::string::npos);  // the purpose, translated
  EXPECT_NE(az.find("14.03.2026"), std::string::npos);
  EXPECT_NE(az.find("geri götür"), std::string::npos);
  std::string ru = ReceiptHtml(receipt, domain::Language::kRu);
  EXPECT_NE(ru.find("Квитанция о согласии"), std::string::npos);
  EXPECT_NE(ru.find("Медицинская помощь"), std::string::npos);
  EXPECT_NE(ru.find("Устное согласие в присутствии свидетеля"), std::string::npos);
  EXPECT_NE(ru.find("отозвать"), std::string::npos);
  std::string en = ReceiptHtml(receipt, domain::Language::kEn);
  EXPECT_NE(en.find("withdraw this consent at any time by telling your caseworker"),
            std::string::npos);
  EXPECT_NE(en.find("2026-12-31"), std::string::npos);
  EXPECT_NE(en.find("Medical care"), std::string::npos);
}

TEST(ConsentReceipt, WithdrawnConsentSaysSo) {
  ReceiptInput in = SampleInput();
  in.consent.withdrawn_on = domain::Date::FromYmd(2026, 5, 1);
  Json receipt = BuildSignedReceipt(in, KeyOf(1));
  EXPECT_TRUE(VerifyReceipt(receipt, std::nullopt).valid);
  EXPECT_EQ(receipt["services"][0]["purposes"][0]["termination"], "Withdrawn on 2026-05-01.");
  EXPECT_NE(ReceiptHtml(receipt, domain::Language::kEn).find("withdrawn on 2026-05-01"),
            std::string::npos);
  EXPECT_NE(ReceiptHtml(receipt, domain::Language::kRu).find("отозвано 01.05.2026"),
            std::string::npos);
}

}  // namespace
}  // namespace haven::app
