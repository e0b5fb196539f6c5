#include "privacy/clk.h"

#include <gtest/gtest.h>

#include <bit>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace haven::privacy {
namespace {

const std::string kVectors = std::string(HAVEN_SHARED_DATA) + "/clkhash-vectors";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The vectors' CSV files use no quoting (see their README), so a plain split is exact.
std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    size_t start = 0;
    while (true) {
      size_t comma = line.find(',', start);
      cells.push_back(line.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string Secret() { return ReadFile(kVectors + "/secret.txt"); }

LinkageSchema LoadSchema(const std::string& vector) {
  auto schema = ParseLinkageSchema(ReadFile(kVectors + "/" + vector + "/schema.json"));
  EXPECT_TRUE(schema.has_value()) << vector << ": " << schema.error().field << " "
                                  << schema.error().message;
  return schema.value_or(LinkageSchema{});
}

class VectorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(VectorTest, ReproducesEveryClkByteForByte) {
  LinkageSchema schema = LoadSchema(GetParam());
  auto encoder = ClkEncoder::Create(schema, Secret());
  ASSERT_TRUE(encoder.has_value()) << encoder.error().message;

  auto input = ReadCsv(kVectors + "/input.csv");
  auto expected = ReadCsv(kVectors + "/" + GetParam() + "/clks.csv");
  ASSERT_EQ(input.size(), 301u);
  ASSERT_EQ(expected.size(), 301u);
  ASSERT_EQ(input[0], (std::vector<std::string>{"rec_id", "given_name", "surname",
                                                "date_of_birth", "sex"}));
  int mismatches = 0;
  for (size_t row = 1; row < input.size(); ++row) {
    ASSERT_EQ(input[row].size(), 5u) << "row " << row;
    ASSERT_EQ(expected[row][0], input[row][0]);
    auto clk = encoder->Encode(std::span<const std::string>(input[row]));
    ASSERT_TRUE(clk.has_value()) << "row " << row << ": " << clk.error().message;
    EXPECT_EQ(static_cast<int>(clk->size()), schema.ClkBytes());
    std::string got = EncodeBase64(*clk);
    if (got != expected[row][1]) ++mismatches;
    EXPECT_EQ(got, expected[row][1]) << GetParam() << " rec_id " << input[row][0];
    EXPECT_EQ(std::to_string(Popcount(*clk)), expected[row][2]) << input[row][0];
  }
  EXPECT_EQ(mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(ClkhashVectors, VectorTest,
                         ::testing::Values("v1_blake_l1024", "v2_doublehash_l1024",
                                           "v3_blake_l512_xorfold1",
                                           "v3x_blake_l512_xorFolds_key_ignored"));

TEST(ClkKeys, HkdfMatchesKeysJson) {
  auto keys_json = nlohmann::json::parse(ReadFile(kVectors + "/keys.json"));
  LinkageSchema schema = LoadSchema("v1_blake_l1024");
  auto keys = DeriveFeatureKeys(schema, Secret());
  ASSERT_TRUE(keys.has_value());
  ASSERT_EQ(keys->size(), 10u);
  for (size_t f = 0; f < schema.features.size(); ++f) {
    const auto& hex = keys_json["keys_hex"][schema.features[f].identifier];
    for (size_t k = 0; k < 2; ++k) {
      std::string got;
      for (unsigned char c : (*keys)[2 * f + k]) {
        static constexpr char kHex[] = "0123456789abcdef";
        got.push_back(kHex[c >> 4]);
        got.push_back(kHex[c & 15]);
      }
      EXPECT_EQ(got, hex[k].get<std::string>()) << schema.features[f].identifier << " " << k;
    }
  }
}

TEST(ClkSchema, FoldKeysFollowClkhash) {
  EXPECT_EQ(LoadSchema("v3_blake_l512_xorfold1").xor_folds, 1);
  LinkageSchema documented = LoadSchema("v3x_blake_l512_xorFolds_key_ignored");
  EXPECT_EQ(documented.xor_folds, 0);
  ASSERT_EQ(documented.warnings.size(), 1u);
  EXPECT_NE(documented.warnings[0].find("xorFolds"), std::string::npos);
}

TEST(ClkSchema, FoldedIsXorOfHalves) {
  auto v1 = ClkEncoder::Create(LoadSchema("v1_blake_l1024"), Secret());
  auto v3 = ClkEncoder::Create(LoadSchema("v3_blake_l512_xorfold1"), Secret());
  ASSERT_TRUE(v1 && v3);
  std::vector<std::string> record = {"1", "Elvin", "Məmmədov", "1985-03-14", "M"};
  auto a = v1->Encode(std::span<const std::string>(record));
  auto b = v3->Encode(std::span<const std::string>(record));
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), 128u);
  ASSERT_EQ(b->size(), 64u);
  for (size_t i = 0; i < 64; ++i) EXPECT_EQ((*b)[i], (*a)[i] ^ (*a)[i + 64]);
}

std::string MutatedSchema(const std::function<void(nlohmann::json&)>& mutate) {
  auto doc = nlohmann::json::parse(ReadFile(kVectors + "/v1_blake_l1024/schema.json"));
  mutate(doc);
  return doc.dump();
}

struct BadSchema {
  const char* name;
  std::function<void(nlohmann::json&)> mutate;
  const char* field;
};

TEST(ClkSchema, RejectsWhatTheMasterSchemaRejects) {
  using nlohmann::json;
  std::vector<BadSchema> cases = {
      {"version 2", [](json& d) { d["version"] = 2; }, "version"},
      {"no clkConfig", [](json& d) { d.erase("clkConfig"); }, "clkConfig"},
      {"l zero", [](json& d) { d["clkConfig"]["l"] = 0; }, "clkConfig.l"},
      {"l string", [](json& d) { d["clkConfig"]["l"] = "1024"; }, "clkConfig.l"},
      {"blake l not power of two", [](json& d) { d["clkConfig"]["l"] = 1000; }, "clkConfig.l"},
      {"kdf type", [](json& d) { d["clkConfig"]["kdf"]["type"] = "PBKDF2"; },
       "clkConfig.kdf.type"},
      {"kdf hash", [](json& d) { d["clkConfig"]["kdf"]["hash"] = "MD5"; }, "clkConfig.kdf.hash"},
      {"salt not base64", [](json& d) { d["clkConfig"]["kdf"]["salt"] = "%%%"; },
       "clkConfig.kdf.salt"},
      {"negative xorFolds", [](json& d) { d["clkConfig"]["xorFolds"] = -1; },
       "clkConfig.xorFolds"},
      {"features not array", [](json& d) { d["features"] = json::object(); }, "features"},
      {"ignored with extra", [](json& d) { d["features"][0]["x"] = 1; }, "features[0].x"},
      {"no hashing", [](json& d) { d["features"][1].erase("hashing"); },
       "features[1].hashing"},
      {"format extra key",
       [](json& d) { d["features"][1]["format"]["pattern"] = "a+"; d["features"][1]["format"]["maxLength"] = 3; },
       "features[1].format.maxLength"},
      {"bad pattern", [](json& d) { d["features"][1]["format"] = {{"type", "string"}, {"pattern", "("}}; },
       "features[1].format.pattern"},
      {"bad encoding", [](json& d) { d["features"][1]["format"]["encoding"] = "latin-1"; },
       "features[1].format.encoding"},
      {"two strategies",
       [](json& d) { d["features"][1]["hashing"]["strategy"]["bitsPerToken"] = 20; },
       "features[1].hashing.strategy"},
      {"zero bits", [](json& d) { d["features"][1]["hashing"]["strategy"]["bitsPerFeature"] = 0; },
       "features[1].hashing.strategy.bitsPerFeature"},
      {"ngram without n", [](json& d) { d["features"][1]["hashing"]["comparison"].erase("n"); },
       "features[1].hashing.comparison.n"},
      {"unknown hash", [](json& d) { d["features"][1]["hashing"]["hash"]["type"] = "sha"; },
       "features[1].hashing.hash.type"},
      {"enum without values", [](json& d) { d["features"][4]["format"].erase("values"); },
       "features[4].format.values"},
      {"unsupported date directive",
       [](json& d) { d["features"][3]["format"]["format"] = "%j"; }, "features[3].format.format"},
      {"sentinel missing",
       [](json& d) { d["features"][3]["hashing"]["missingValue"] = json::object(); },
       "features[3].hashing.missingValue.sentinel"},
      {"duplicate identifier", [](json& d) { d["features"][2]["identifier"] = "given_name"; },
       "features[2].identifier"},
      {"salt feature unknown", [](json& d) { d["clkConfig"]["x-haven-salt-feature"] = "nope"; },
       "clkConfig.x-haven-salt-feature"},
  };
  for (const auto& c : cases) {
    auto schema = ParseLinkageSchema(MutatedSchema(c.mutate));
    ASSERT_FALSE(schema.has_value()) << c.name;
    EXPECT_EQ(schema.error().code, ErrorCode::kValidation) << c.name;
    EXPECT_EQ(schema.error().field, c.field) << c.name << ": " << schema.error().message;
  }
  EXPECT_FALSE(ParseLinkageSchema("{not json").has_value());
  EXPECT_FALSE(ParseLinkageSchema("[]").has_value());
}

std::vector<std::string> Record(std::string given, std::string family, std::string birth,
                                std::string sex) {
  return {"1", std::move(given), std::move(family), std::move(birth), std::move(sex)};
}

// A record of the default person schema.
std::vector<std::string> Person(std::string given, std::string family, std::string birth,
                                std::string sex, std::string patronymic = "",
                                std::string citizenship = "") {
  return {"1",         std::move(given),      std::move(family),     std::move(birth),
          std::move(sex), std::move(patronymic), std::move(citizenship)};
}

TEST(ClkEncode, RejectsBadValuesWithoutEchoingThem) {
  auto encoder = ClkEncoder::Create(LoadSchema("v1_blake_l1024"), Secret());
  ASSERT_TRUE(encoder);
  auto bad_date = encoder->Encode(std::span<const std::string>(Record("Secretname", "X", "1985-02-30", "M")));
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(bad_date.error().field, "date_of_birth");
  auto bad_sex = encoder->Encode(std::span<const std::string>(Record("Secretname", "X", "", "W")));
  ASSERT_FALSE(bad_sex);
  EXPECT_EQ(bad_sex.error().field, "sex");
  auto too_long = encoder->Encode(std::span<const std::string>(Record(std::string(65, 'a'), "X", "", "M")));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().field, "given_name");
  auto bad_utf8 = encoder->Encode(std::span<const std::string>(Record("\xC3(", "X", "", "M")));
  ASSERT_FALSE(bad_utf8);
  for (const auto* e : {&bad_date, &bad_sex, &too_long, &bad_utf8}) {
    EXPECT_EQ(e->error().message.find("Secretname"), std::string::npos);
  }
  std::vector<std::string> short_record = {"1", "a"};
  EXPECT_FALSE(encoder->Encode(std::span<const std::string>(short_record)));
  EXPECT_FALSE(ClkEncoder::Create(LoadSchema("v1_blake_l1024"), ""));
}

TEST(ClkEncode, DatesFollowPythonStrptime) {
  auto encoder = ClkEncoder::Create(LoadSchema("v1_blake_l1024"), Secret());
  ASSERT_TRUE(encoder);
  auto encode = [&](const std::string& date) {
    return encoder->Encode(std::span<const std::string>(Record("a", "b", date, "M")));
  };
  ASSERT_TRUE(encode("1985-03-14"));
  EXPECT_EQ(*encode("1985-3-14"), *encode("1985-03-14"));
  EXPECT_EQ(*encode("1985-03-4"), *encode("1985-03-04"));
  EXPECT_TRUE(encode("2000-02-29"));
  EXPECT_FALSE(encode("1900-02-29"));
  EXPECT_FALSE(encode("85-03-14"));
  EXPECT_FALSE(encode("1985-03-14 "));
  EXPECT_FALSE(encode("1985-13-01"));
}

TEST(ClkBase64, RoundTripsAndRejectsGarbage) {
  std::vector<uint8_t> bytes = {0, 1, 2, 250, 255};
  EXPECT_EQ(EncodeBase64(bytes), "AAEC+v8=");
  EXPECT_EQ(*DecodeBase64("AAEC+v8="), std::string(bytes.begin(), bytes.end()));
  EXPECT_FALSE(DecodeBase64("AAEC+v8"));
  EXPECT_FALSE(DecodeBase64("AAEC-v8="));
  EXPECT_FALSE(DecodeBase64("AAEC+v8=\n"));
  EXPECT_TRUE(DecodeBase64("")->empty());
}

double Dice(const Clk& a, const Clk& b) {
  int both = 0;
  for (size_t i = 0; i < a.size(); ++i) both += std::popcount(static_cast<uint8_t>(a[i] & b[i]));
  return 2.0 * both / (Popcount(a) + Popcount(b));
}

TEST(DefaultSchema, SpellingsOfOnePersonComeOutClose) {
  LinkageSchema schema = DefaultPersonSchema();
  EXPECT_EQ(schema.ClkBits(), 1024);
  auto encoder = ClkEncoder::Create(schema, "coalition secret");
  ASSERT_TRUE(encoder);
  auto encode = [&](std::string g, std::string f, std::string d, std::string s) {
    auto r = encoder->Encode(std::span<const std::string>(Person(g, f, d, s)));
    EXPECT_TRUE(r) << r.error().field << ": " << r.error().message;
    return r.value_or(Clk{});
  };
  Clk az = encode("Elvin", "Məmmədov", "1985-03-14", "male");
  Clk en = encode("ELVIN", "Mammadov", "1985-03-14", "Male");
  Clk ru = encode("Эльвин", "Мамедов", "1985-03-14", "unknown");
  Clk other = encode("Gülnarə", "Əliyeva", "1990-07-02", "female");
  EXPECT_EQ(az, en);  // Azerbaijani Latin and its official English spelling agree
  EXPECT_GT(Dice(az, ru), 0.8);
  // Unrelated people overlap only by chance (about the filter's fill ratio).
  EXPECT_LT(Dice(az, other), 0.6);
  EXPECT_GT(Dice(az, ru), Dice(az, other) + 0.25);
  // Unknown and empty sex set the same (no) bits; a missing birth date sets none.
  EXPECT_EQ(encode("A", "B", "", "unknown"), encode("A", "B", "", ""));
  EXPECT_FALSE(encoder->Encode(std::span<const std::string>(Person("A", "B", "", "x"))));
}

TEST(DefaultSchema, BalancingGivesConstantWeight) {
  LinkageSchema schema = DefaultPersonSchema({.balance = true});
  EXPECT_EQ(schema.ClkBits(), 2048);
  auto encoder = ClkEncoder::Create(schema, "coalition secret");
  ASSERT_TRUE(encoder);
  auto a = encoder->Encode(std::span<const std::string>(Person("Elvin", "Məmmədov", "1985-03-14", "male")));
  auto b = encoder->Encode(std::span<const std::string>(Person("Aysel", "Şahin", "", "")));
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->size(), 256u);
  EXPECT_EQ(Popcount(*a), 1024);
  EXPECT_EQ(Popcount(*b), 1024);
  // Another secret shuffles differently.
  auto other = ClkEncoder::Create(schema, "another secret");
  auto c = other->Encode(std::span<const std::string>(Person("Elvin", "Məmmədov", "1985-03-14", "male")));
  EXPECT_NE(*a, *c);
}

TEST(DefaultSchema, SaltSeparatesGroups) {
  LinkageSchema plain = DefaultPersonSchema();
  LinkageSchema salted = DefaultPersonSchema({.salt_feature = "birth_date"});
  auto p = ClkEncoder::Create(plain, "s");
  auto s = ClkEncoder::Create(salted, "s");
  ASSERT_TRUE(p && s);
  auto rec1 = Person("Elvin", "Məmmədov", "1985-03-14", "male");
  auto rec2 = Person("Elvin", "Məmmədov", "1985-03-15", "male");
  double plain_dice = Dice(*p->Encode(std::span<const std::string>(rec1)),
                           *p->Encode(std::span<const std::string>(rec2)));
  double salted_dice = Dice(*s->Encode(std::span<const std::string>(rec1)),
                            *s->Encode(std::span<const std::string>(rec2)));
  EXPECT_GT(plain_dice, 0.85);  // one day apart: the year and month tokens still agree
  // The names no longer agree across salt groups; only the shared date tokens do.
  EXPECT_LT(salted_dice, 0.7);
  EXPECT_LT(salted_dice, plain_dice - 0.2);
  EXPECT_EQ(*s->Encode(std::span<const std::string>(rec1)),
            *s->Encode(std::span<const std::string>(rec1)));
}

TEST(DefaultSchema, JsonIsAValidSchema) {
  auto parsed = ParseLinkageSchema(DefaultPersonSchemaJson());
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->features.size(), 7u);
  EXPECT_EQ(parsed->features[1].normalize, ClkNormalize::kNameLinkage);
  EXPECT_EQ(parsed->features[2].keys_of, "given_name");
  EXPECT_TRUE(parsed->features[3].date_tokens);
  EXPECT_EQ(parsed->features[5].identifier, "patronymic");
  EXPECT_EQ(parsed->features[5].normalize, ClkNormalize::kPatronymic);
  EXPECT_EQ(parsed->features[6].identifier, "citizenship");
  // The two new columns may be left out of a records file; the five core ones may not.
  for (size_t i = 0; i < 5; ++i) EXPECT_FALSE(parsed->features[i].optional) << i;
  EXPECT_TRUE(parsed->features[5].optional);
  EXPECT_TRUE(parsed->features[6].optional);
}

TEST(DefaultSchema, PatronymicAndCitizenshipSeparateNamesakes) {
  auto encoder = ClkEncoder::Create(DefaultPersonSchema(), "coalition secret");
  ASSERT_TRUE(encoder);
  auto encode = [&](std::vector<std::string> r) {
    auto clk = encoder->Encode(std::span<const std::string>(r));
    EXPECT_TRUE(clk) << clk.error().message;
    return clk.value_or(Clk{});
  };
  const Clk person = encode(Person("Aysel", "Məmmədova", "", "female", "Rəşad qızı", "AZ"));
  // The same woman as a Russian-speaking registrar writes her: still close.
  EXPECT_GT(Dice(person, encode(Person("Айсель", "Мамедова", "", "female", "Рашадовна", "AZ"))),
            0.9);
  // Another Aysel Məmmədova, daughter of Elçin: without a birth date only the
  // patronymic tells them apart.
  const Clk namesake = encode(Person("Aysel", "Məmmədova", "", "female", "Elçin qızı", "AZ"));
  EXPECT_LT(Dice(person, namesake), 0.85);
  EXPECT_GT(Dice(person, encode(Person("Aysel", "Məmmədova", "", "female", "", "AZ"))),
            Dice(person, namesake));
  // Unknown citizenship sets no bits, like an empty one; stateless is a value.
  EXPECT_EQ(encode(Person("A", "B", "", "", "", "unknown")), encode(Person("A", "B", "", "")));
  EXPECT_NE(encode(Person("A", "B", "", "", "", "stateless")), encode(Person("A", "B", "", "")));
  // Only ISO alpha-2 codes (any case), stateless and unknown: another notation would
  // silently never match, so it is refused, naming the column but not the value.
  EXPECT_EQ(encode(Person("A", "B", "", "", "", "az")), encode(Person("A", "B", "", "", "", "AZ")));
  for (const char* bad : {"AZE", "Azerbaijan", "XX"}) {
    auto r = encoder->Encode(std::span<const std::string>(Person("A", "B", "", "", "", bad)));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().field, "citizenship");
    EXPECT_EQ(r.error().message.find(bad), std::string::npos);
  }
}

TEST(DefaultSchema, SwappedNamesAndDateErrorsStayClose) {
  auto encoder = ClkEncoder::Create(DefaultPersonSchema(), "coalition secret");
  ASSERT_TRUE(encoder);
  auto encode = [&](std::string g, std::string f, std::string d) {
    return *encoder->Encode(std::span<const std::string>(Person(g, f, d, "female")));
  };
  const Clk person = encode("Leyla", "Əliyeva", "1990-07-02");
  EXPECT_EQ(person, encode("Əliyeva", "Leyla", "1990-07-02"));  // shared name keys
  EXPECT_GT(Dice(person, encode("Leyla", "Əliyeva", "1990-02-07")), 0.8);  // day/month
  EXPECT_GT(Dice(person, encode("Leyla", "Əliyeva", "1991-07-02")), 0.8);  // year ±1
  // 1 January stands for "only the year is known": it sets exactly the year's bits of
  // any full date in that year, and nothing of the month or day.
  auto date_only = [&](std::string d) {
    return *encoder->Encode(std::span<const std::string>(Person("", "", d, "")));
  };
  const Clk year = date_only("1990-01-01"), full = date_only("1990-07-02");
  Clk both(full.size());
  for (size_t i = 0; i < full.size(); ++i) both[i] = year[i] & full[i];
  EXPECT_EQ(both, year);
  EXPECT_GT(Popcount(year), 60);
  EXPECT_LT(Popcount(year), Popcount(full) / 2);
  // Another woman of the same name is told apart by her birth date.
  EXPECT_LT(Dice(person, encode("Leyla", "Əliyeva", "1984-11-23")), 0.75);
}

TEST(ClkSchema, HavenExtensionsAreValidated) {
  auto schema_with = [](const std::string& feature2) {
    return R"({"version": 3, "clkConfig": {"l": 1024, "kdf": {"type": "HKDF"}},
      "features": [{"identifier": "a", "format": {"type": "string"},
                    "hashing": {"comparison": {"type": "ngram", "n": 2},
                                "strategy": {"bitsPerFeature": 100}}},
                   )" + feature2 + "]}";
  };
  const std::string hashing =
      R"("hashing": {"comparison": {"type": "ngram", "n": 2}, "strategy": {"bitsPerFeature": 100}})";
  EXPECT_TRUE(ParseLinkageSchema(schema_with(
      R"({"identifier": "b", "x-haven-keys-of": "a", "format": {"type": "string"}, )" + hashing + "}")));
  EXPECT_FALSE(ParseLinkageSchema(schema_with(
      R"({"identifier": "b", "x-haven-keys-of": "c", "format": {"type": "string"}, )" + hashing + "}")));
  EXPECT_FALSE(ParseLinkageSchema(schema_with(
      R"({"identifier": "b", "x-haven-date-tokens": true, "format": {"type": "string"}, )" + hashing + "}")));
  EXPECT_TRUE(ParseLinkageSchema(schema_with(
      R"({"identifier": "b", "x-haven-optional": true, "format": {"type": "string"}, )" + hashing + "}")));
  // A column that may be left out must accept the empty value it is then given.
  auto strict = ParseLinkageSchema(schema_with(
      R"({"identifier": "b", "x-haven-optional": true, "format": {"type": "string", "minLength": 1}, )" +
      hashing + "}"));
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().field, "features[1].x-haven-optional");
}

}  // namespace
}  // namespace haven::privacy
