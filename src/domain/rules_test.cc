#include "domain/rules.h"

#include <gtest/gtest.h>

#include "domain/codec.h"
#include "domain/iso_codes.h"

namespace haven::domain {
namespace {

const Date kToday = Date::FromYmd(2026, 11, 28);

NewCase ValidCase() {
  NewCase c;
  c.person.given_name = "Aysel";
  c.person.family_name = "Məmmədova";
  c.person.birth_date = Date::FromYmd(1995, 1, 30);
  c.person.sex = Sex::kFemale;
  c.person.citizenship = Citizenship{Citizenship::Kind::kCountry, "AZ"};
  c.fields.identified_on = Date::FromYmd(2026, 3, 1);
  c.fields.identified_by = IdentifiedBy::kPolice;
  c.fields.exploitation = {Exploitation::kSexual};
  return c;
}

TEST(Date, ParsesOnlyRealDaysInTheStrictFormat) {
  EXPECT_TRUE(Date::Parse("2024-02-29", "d"));
  EXPECT_FALSE(Date::Parse("2023-02-29", "d"));
  EXPECT_FALSE(Date::Parse("2023-02-30", "d"));
  EXPECT_FALSE(Date::Parse("1985-3-14", "d"));
  EXPECT_FALSE(Date::Parse("14.03.1985", "d"));
  EXPECT_FALSE(Date::Parse("", "d"));
  EXPECT_FALSE(Date::Parse("2023-13-01", "d"));
  auto bad = Date::Parse("2023-02-30", "person.birth_date");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "person.birth_date");
  EXPECT_EQ(Date::Parse("2026-01-05", "d")->ToString(), "2026-01-05");
}

TEST(Date, AgeCountsWholeYears) {
  EXPECT_EQ(Date::FromYmd(2026, 3, 13).YearsSince(Date::FromYmd(1985, 3, 14)), 40);
  EXPECT_EQ(Date::FromYmd(2026, 3, 14).YearsSince(Date::FromYmd(1985, 3, 14)), 41);
}

TEST(IsoCodes, KnowsCountriesAndThe78Regions) {
  EXPECT_EQ(kAzRegionCount, 78u);
  EXPECT_NE(FindCountry("AZ"), nullptr);
  EXPECT_NE(FindCountry("UZ"), nullptr);
  EXPECT_EQ(FindCountry("XX"), nullptr);
  EXPECT_EQ(FindCountry("az"), nullptr);
  EXPECT_NE(FindAzRegion("AZ-BA"), nullptr);
  EXPECT_EQ(FindAzRegion("AZ-ZZZ"), nullptr);
}

TEST(Citizenship, AcceptsCountryStatelessUnknownOnly) {
  EXPECT_EQ(Citizenship::Parse("stateless", "c")->kind, Citizenship::Kind::kStateless);
  EXPECT_EQ(Citizenship::Parse("unknown", "c")->kind, Citizenship::Kind::kUnknown);
  EXPECT_EQ(Citizenship::Parse("UZ", "c")->country, "UZ");
  EXPECT_FALSE(Citizenship::Parse("Azerbaijan", "c"));
  EXPECT_FALSE(Citizenship::Parse("", "c"));
}

TEST(Rules, AcceptsAValidCase) { EXPECT_TRUE(ValidateNewCase(ValidCase(), kToday)); }

TEST(Rules, RefusesBadCasesNamingTheField) {
  struct Mutation {
    std::function<void(NewCase&)> apply;
    std::string field;
  };
  std::vector<Mutation> mutations = {
      {[](NewCase& c) { c.person.given_name = c.person.family_name = ""; }, "person.given_name"},
      {[](NewCase& c) { c.person.family_name = "bad\x01name"; }, "person.family_name"},
      {[](NewCase& c) { c.person.family_name = std::string(201, 'a'); }, "person.family_name"},
      {[](NewCase& c) { c.person.birth_date = Date::FromYmd(2027, 1, 1); }, "person.birth_date"},
      {[](NewCase& c) { c.person.birth_year = 1994; }, "person.birth_year"},
      {[](NewCase& c) { c.fields.identified_on = Date::FromYmd(2027, 1, 1); }, "identified_on"},
      {[](NewCase& c) { c.fields.exploitation.clear(); }, "exploitation"},
      {[](NewCase& c) { c.fields.country_of_exploitation = "XX"; }, "country_of_exploitation"},
      {[](NewCase& c) { c.fields.region = "AZ-XYZ"; }, "region"},
      {[](NewCase& c) { c.fields.identified_on = Date::FromYmd(1990, 1, 1); }, "person.birth_date"},
  };
  for (const auto& m : mutations) {
    NewCase c = ValidCase();
    m.apply(c);
    auto st = ValidateNewCase(c, kToday);
    ASSERT_FALSE(st) << m.field;
    EXPECT_EQ(st.error().field, m.field);
    EXPECT_EQ(st.error().code, ErrorCode::kValidation);
  }
}

TEST(Rules, TransnationalIsDerivedFromCountriesWhenNotGiven) {
  CaseFields f;
  EXPECT_FALSE(DeriveTransnational(f));
  f.country_of_recruitment = "AZ";
  f.country_of_exploitation = "TR";
  EXPECT_TRUE(DeriveTransnational(f));
  f.country_of_exploitation = "AZ";
  EXPECT_FALSE(DeriveTransnational(f));
  f.transnational = true;
  EXPECT_TRUE(DeriveTransnational(f));
}

TEST(Workflow, FollowsTheNrmStateMachine) {
  using S = CaseStatus;
  EXPECT_TRUE(CheckTransition(S::kIdentified, S::kReferred));
  EXPECT_TRUE(CheckTransition(S::kReferred, S::kReflectionPeriod));
  EXPECT_TRUE(CheckTransition(S::kReflectionPeriod, S::kAssisted));
  EXPECT_TRUE(CheckTransition(S::kAssisted, S::kReturned));
  EXPECT_TRUE(CheckTransition(S::kAssisted, S::kReintegrated));
  EXPECT_TRUE(CheckTransition(S::kReturned, S::kReintegrated));
  EXPECT_TRUE(CheckTransition(S::kReintegrated, S::kClosed));
  EXPECT_FALSE(CheckTransition(S::kIdentified, S::kReintegrated));
  EXPECT_FALSE(CheckTransition(S::kAssisted, S::kIdentified));
  EXPECT_FALSE(CheckTransition(S::kIdentified, S::kIdentified));
  auto closed = CheckTransition(S::kClosed, S::kAssisted);
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().reason, "invalid_transition");
  EXPECT_EQ(closed.error().code, ErrorCode::kConflict);
  // Every status except closed can be closed; closed is final.
  for (auto s : {S::kIdentified, S::kReferred, S::kReflectionPeriod, S::kAssisted, S::kReturned,
                 S::kReintegrated})
    EXPECT_TRUE(CheckTransition(s, S::kClosed)) << Name(s);
  EXPECT_TRUE(NextStatuses(S::kClosed).empty());
}

TEST(Codec, ReadsACaseAndRefusesWrongTypesAndUnknownValues) {
  Json ok = {{"person",
              {{"given_name", "Aysel"},
               {"family_name", "Şahin"},
               {"birth_date", "1995-01-30"},
               {"sex", "female"},
               {"citizenship", "stateless"}}},
             {"identified_on", "2026-03-01"},
             {"identified_by", "hotline"},
             {"exploitation", {"forced_labour", "forced_labour", "sexual"}},
             {"transnational", true}};
  auto c = NewCaseFromJson(ok);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->fields.exploitation.size(), 2u);  // duplicates fold
  EXPECT_EQ(c->person.citizenship.kind, Citizenship::Kind::kStateless);

  auto field_of = [](Json j) {
    auto r = NewCaseFromJson(j);
    return r ? std::string("<accepted>") : r.error().field;
  };
  Json j = ok;
  j["person"]["sex"] = "f";
  EXPECT_EQ(field_of(j), "person.sex");
  j = ok;
  j["exploitation"] = {"sexual", "slavery"};
  EXPECT_EQ(field_of(j), "exploitation[1]");
  j = ok;
  j["transnational"] = "yes";
  EXPECT_EQ(field_of(j), "transnational");
  j = ok;
  j["identified_on"] = 20260301;
  EXPECT_EQ(field_of(j), "identified_on");
  j = ok;
  j["identified_on"] = "2026-02-30";
  EXPECT_EQ(field_of(j), "identified_on");
  j = ok;
  j["colour"] = "red";
  EXPECT_EQ(field_of(j), "colour");
  j = ok;
  j.erase("person");
  EXPECT_EQ(field_of(j), "person");
  j = ok;
  j["status"] = "closed";
  EXPECT_EQ(field_of(j), "status");
  j = ok;
  j["person"]["documents"] = {{{"type", "passport"}}};
  EXPECT_EQ(field_of(j), "person.documents[0].number");
}

TEST(Codec, IdentityRoundTrips) {
  PersonIdentity p = ValidCase().person;
  p.other_names = {"Aysel Mammadova"};
  p.documents.push_back({DocumentType::kPassport, "C1234567", std::string("AZ"), std::nullopt});
  p.contacts.push_back({ContactType::kPhone, "+994 50 123 45 67"});
  auto back = IdentityFromJson(IdentityToJson(p), "");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->given_name, p.given_name);
  EXPECT_EQ(back->family_name, p.family_name);
  EXPECT_EQ(back->birth_date, p.birth_date);
  EXPECT_EQ(back->documents.size(), 1u);
  EXPECT_EQ(back->contacts[0].value, p.contacts[0].value);
  EXPECT_EQ(back->citizenship, p.citizenship);
}

}  // namespace
}  // namespace haven::domain
