// GET /api/v1/vocabularies over HTTP against a real `haven serve`: every label in
// three languages, one language with ?lang, a bad language refused, and only for a
// signed-in caller.

#include <gtest/gtest.h>

#include "api/harness.h"

namespace haven::testing {
namespace {

class VocabulariesOverHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { inst_ = new Instance("vocab", "a-long-orchard-lantern-basalt"); }
  static void TearDownTestSuite() {
    delete inst_;
    inst_ = nullptr;
  }
  static Instance* inst_;
};

Instance* VocabulariesOverHttp::inst_ = nullptr;

const Json* Find(const Json& entries, const std::string& code) {
  for (const auto& e : entries)
    if (e.value("code", "") == code) return &e;
  return nullptr;
}

TEST_F(VocabulariesOverHttp, EveryLabelInThreeLanguages) {
  auto r = inst_->admin().Get("/api/v1/vocabularies");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["languages"], Json({"az", "en", "ru"}));
  EXPECT_EQ(r.Header("Cache-Control"), "private, max-age=3600");

  const Json& statuses = r.body["vocabularies"]["case_statuses"];
  ASSERT_TRUE(statuses.is_array()) << r.raw.substr(0, 500);
  std::vector<std::string> codes;
  for (const auto& e : statuses) {
    codes.push_back(e.value("code", ""));
    ASSERT_TRUE(e.contains("labels")) << e.dump();
    EXPECT_FALSE(e.contains("label")) << e.dump();
    for (const char* lang : {"az", "en", "ru"})
      EXPECT_FALSE(e["labels"].value(lang, "").empty()) << e.dump() << " " << lang;
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"identified", "referred", "reflection_period",
                                             "assisted", "returned", "reintegrated", "closed"}));
  const Json* reflection = Find(statuses, "reflection_period");
  ASSERT_NE(reflection, nullptr);
  EXPECT_EQ((*reflection)["labels"]["az"], "Bərpa və düşünmə müddəti");
  EXPECT_EQ((*reflection)["labels"]["ru"], "Период восстановления и размышления");

  // Every vocabulary complete, not only case statuses.
  for (const char* name : {"forms_of_exploitation", "means_of_control", "roles", "service_types",
                           "data_categories", "purposes", "languages", "referral_statuses"}) {
    const Json& v = r.body["vocabularies"][name];
    ASSERT_TRUE(v.is_array() && !v.empty()) << name;
    for (const auto& e : v)
      for (const char* lang : {"az", "en", "ru"})
        EXPECT_FALSE(e["labels"].value(lang, "").empty()) << name << " " << e.dump();
  }

  EXPECT_GE(r.body["countries"].size(), 249u);
  const Json* az = Find(r.body["countries"], "AZ");
  ASSERT_NE(az, nullptr);
  EXPECT_EQ((*az)["labels"],
            Json({{"az", "Azərbaycan"}, {"en", "Azerbaijan"}, {"ru", "Азербайджан"}}));
  EXPECT_GE(r.body["regions"].size(), 70u);
  const Json* baku = Find(r.body["regions"], "AZ-BA");
  ASSERT_NE(baku, nullptr);
  EXPECT_EQ((*baku)["labels"]["az"], "Bakı");
  EXPECT_EQ((*baku)["labels"]["ru"], "Баку");
}

TEST_F(VocabulariesOverHttp, OneLanguageWithLang) {
  auto r = inst_->admin().Get("/api/v1/vocabularies?lang=ru");
  ASSERT_EQ(r.status, 200) << r.raw;
  const Json* identified = Find(r.body["vocabularies"]["case_statuses"], "identified");
  ASSERT_NE(identified, nullptr);
  EXPECT_EQ((*identified)["label"], "Выявлен");
  EXPECT_FALSE(identified->contains("labels"));
  const Json* labour = Find(r.body["vocabularies"]["forms_of_exploitation"], "forced_labour");
  ASSERT_NE(labour, nullptr);
  EXPECT_EQ((*labour)["label"], "Принудительный труд");
  const Json* az = Find(r.body["countries"], "AZ");
  ASSERT_NE(az, nullptr);
  EXPECT_EQ((*az)["label"], "Азербайджан");
  const Json* baku = Find(r.body["regions"], "AZ-BA");
  ASSERT_NE(baku, nullptr);
  EXPECT_EQ((*baku)["label"], "Баку");

  auto in_az = inst_->admin().Get("/api/v1/vocabularies?lang=az");
  ASSERT_EQ(in_az.status, 200) << in_az.raw;
  const Json* forced = Find(in_az.body["vocabularies"]["forms_of_exploitation"], "forced_labour");
  ASSERT_NE(forced, nullptr);
  EXPECT_EQ((*forced)["label"], "Məcburi əmək");
}

TEST_F(VocabulariesOverHttp, AnUnknownLanguageIsRefused) {
  for (const char* query : {"?lang=xx", "?lang=", "?lang=RU"}) {
    auto r = inst_->admin().Get(std::string("/api/v1/vocabularies") + query);
    EXPECT_EQ(r.status, 400) << query << " " << r.raw;
    EXPECT_EQ(r.ErrorField(), "lang") << query << " " << r.raw;
  }
}

TEST_F(VocabulariesOverHttp, OnlyForASignedInCaller) {
  Client anonymous(inst_->port());
  auto r = anonymous.Get("/api/v1/vocabularies");
  EXPECT_EQ(r.status, 401) << r.raw;
  EXPECT_FALSE(r.body.contains("vocabularies"));
}

}  // namespace
}  // namespace haven::testing
