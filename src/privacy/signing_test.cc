#include "privacy/signing.h"

#include <cstring>

#include <gtest/gtest.h>

namespace haven::privacy {
namespace {

Key SeedOf(unsigned char fill) {
  Key seed;
  std::memset(seed.data(), fill, Key::kSize);
  return seed;
}

TEST(Signing, SignatureOfTheMessageVerifies) {
  auto key = SigningKey::FromSeed(SeedOf(7));
  std::string message = "consent 42 of case AZ-2026-0001";
  std::string signature = key.Sign(message);
  EXPECT_EQ(signature.size(), SigningKey::kSignatureSize);
  EXPECT_EQ(key.PublicKey().size(), SigningKey::kPublicKeySize);
  EXPECT_TRUE(VerifySignature(key.PublicKey(), message, signature));
  EXPECT_TRUE(VerifySignature(key.PublicKey(), "", key.Sign("")));
}

TEST(Signing, AnyChangedByteFails) {
  auto key = SigningKey::FromSeed(SeedOf(7));
  std::string message = "consent 42 of case AZ-2026-0001";
  std::string signature = key.Sign(message);
  for (std::size_t i = 0; i < message.size(); ++i) {
    std::string changed = message;
    changed[i] ^= 0x01;
    EXPECT_FALSE(VerifySignature(key.PublicKey(), changed, signature)) << "message byte " << i;
  }
  for (std::size_t i = 0; i < signature.size(); ++i) {
    std::string changed = signature;
    changed[i] ^= 0x01;
    EXPECT_FALSE(VerifySignature(key.PublicKey(), message, changed)) << "signature byte " << i;
  }
}

TEST(Signing, AnotherKeyFails) {
  auto key = SigningKey::FromSeed(SeedOf(7));
  auto other = SigningKey::FromSeed(SeedOf(8));
  EXPECT_NE(key.PublicKey(), other.PublicKey());
  std::string signature = key.Sign("m");
  EXPECT_FALSE(VerifySignature(other.PublicKey(), "m", signature));
  EXPECT_NE(KeyId(key.PublicKey()), KeyId(other.PublicKey()));
}

TEST(Signing, WrongSizesAreFalse) {
  auto key = SigningKey::FromSeed(SeedOf(7));
  std::string signature = key.Sign("m");
  std::string public_key = key.PublicKey();
  EXPECT_FALSE(VerifySignature("", "m", signature));
  EXPECT_FALSE(VerifySignature(public_key.substr(0, 31), "m", signature));
  EXPECT_FALSE(VerifySignature(public_key + "x", "m", signature));
  EXPECT_FALSE(VerifySignature(public_key, "m", ""));
  EXPECT_FALSE(VerifySignature(public_key, "m", signature.substr(0, 63)));
  EXPECT_FALSE(VerifySignature(public_key, "m", signature + "x"));
  EXPECT_FALSE(VerifySignature(std::string(32, '\0'), "m", std::string(64, '\0')));
}

TEST(Signing, SameSeedSameKey) {
  auto a = SigningKey::FromSeed(SeedOf(9));
  auto b = SigningKey::FromSeed(SeedOf(9));
  EXPECT_EQ(a.PublicKey(), b.PublicKey());
  // Ed25519 is deterministic: the same message gives the same signature.
  EXPECT_EQ(a.Sign("m"), b.Sign("m"));
  SigningKey moved = std::move(b);
  EXPECT_TRUE(VerifySignature(a.PublicKey(), "m", moved.Sign("m")));
}

TEST(Signing, KeyIdIsSixteenHexOfTheDigest) {
  auto key = SigningKey::FromSeed(SeedOf(7));
  std::string id = KeyId(key.PublicKey());
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id, Digest(key.PublicKey()).substr(0, 16));
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace haven::privacy
