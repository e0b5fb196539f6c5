#include "privacy/totp.h"

#include <gtest/gtest.h>

namespace haven::privacy {
namespace {

Timestamp At(std::int64_t unix_seconds) { return Timestamp(std::chrono::seconds(unix_seconds)); }

// RFC 4648 §10.
TEST(Base32, Rfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},           {"f", "MY======"},         {"fo", "MZXQ===="},
      {"foo", "MZXW6==="}, {"foob", "MZXW6YQ="},     {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI======"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(EncodeBase32(plain), encoded) << plain;
    auto back = DecodeBase32(encoded);
    ASSERT_TRUE(back) << encoded;
    EXPECT_EQ(*back, plain);
  }
  EXPECT_EQ(EncodeBase32("foobar", /*pad=*/false), "MZXW6YTBOI");
  EXPECT_EQ(*DecodeBase32("mzxw 6ytb oi"), "foobar");
  auto bad = DecodeBase32("MZXW1", "code");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "code");
}

// RFC 4226 Appendix D: HOTP of the counters 0 to 9.
TEST(Hotp, Rfc4226Vectors) {
  const std::string key = "12345678901234567890";
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(Hotp(key, static_cast<std::uint64_t>(i)), expected[i]);
}

// RFC 6238 Appendix B, the SHA1 rows: 8 digits as printed there, and the 6 an app shows.
TEST(Totp, Rfc6238Vectors) {
  const std::string key = "12345678901234567890";
  const std::pair<std::int64_t, std::string> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& [t, code] : vectors) {
    const std::int64_t step = TotpStep(At(t));
    EXPECT_EQ(TotpAt(key, step, 8), code) << t;
    EXPECT_EQ(TotpAt(key, step), code.substr(2)) << t;
  }
  EXPECT_EQ(TotpStep(At(59)), 1);
  EXPECT_EQ(TotpStep(At(1111111109)), 0x23523EC);
}

TEST(Totp, OtpauthUri) {
  EXPECT_EQ(OtpauthUri("ana.m@ngo", "foobar"),
            "otpauth://totp/Haven:ana.m%40ngo?secret=MZXW6YTBOI&issuer=Haven&algorithm=SHA1"
            "&digits=6&period=30");
}

}  // namespace
}  // namespace haven::privacy
