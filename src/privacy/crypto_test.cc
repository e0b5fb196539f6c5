#include "privacy/crypto.h"

#include <sys/stat.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace haven::privacy {
namespace {

class Crypto : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("haven-crypto-" + std::to_string(::getpid()) + "-" + RandomToken(6));
    std::filesystem::create_directories(dir_);
    auto k = Keyring::Create(dir_ / "keyring.json");
    ASSERT_TRUE(k) << k.error().message;
    keyring_.emplace(std::move(*k));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::optional<Keyring> keyring_;
};

TEST_F(Crypto, KeyringIsPrivateAndNeverOverwritten) {
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "keyring.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto again = Keyring::Create(dir_ / "keyring.json");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  ::chmod((dir_ / "keyring.json").c_str(), 0644);
  auto loose = Keyring::Load(dir_ / "keyring.json");
  ASSERT_FALSE(loose);
  EXPECT_EQ(loose.error().reason, "keyring_permissions");
  ::chmod((dir_ / "keyring.json").c_str(), 0600);
  auto loaded = Keyring::Load(dir_ / "keyring.json");
  ASSERT_TRUE(loaded);
  // The same master key derives the same keys after a reload.
  std::string sealed = Seal(keyring_->OrganizationDataKey(7), "secret", "person:1");
  EXPECT_EQ(*Open(loaded->OrganizationDataKey(7), sealed, "person:1"), "secret");
}

TEST_F(Crypto, SealRoundTripsAndHidesThePlaintext) {
  Key key = keyring_->OrganizationDataKey(1);
  std::string plain = R"({"given_name":"Elvin","family_name":"Məmmədov"})";
  std::string sealed = Seal(key, plain, "person:42");
  EXPECT_EQ(sealed.find("Elvin"), std::string::npos);
  EXPECT_NE(Seal(key, plain, "person:42"), sealed) << "every seal uses a fresh nonce";
  auto opened = Open(key, sealed, "person:42");
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, plain);
}

TEST_F(Crypto, AnyFlippedByteFailsToOpen) {
  Key key = keyring_->OrganizationDataKey(1);
  std::string sealed = Seal(key, "Gülnarə Əliyeva 1990-07-02", "person:42");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(Open(key, tampered, "person:42")) << "byte " << i;
  }
  EXPECT_FALSE(Open(key, sealed.substr(0, sealed.size() - 1), "person:42"));
  EXPECT_FALSE(Open(key, "", "person:42"));
}

TEST_F(Crypto, SealedValuesAreBoundToTheirRecordAndOrganisation) {
  std::string sealed = Seal(keyring_->OrganizationDataKey(1), "identity", "person:42");
  EXPECT_FALSE(Open(keyring_->OrganizationDataKey(1), sealed, "person:43"));
  EXPECT_FALSE(Open(keyring_->OrganizationDataKey(2), sealed, "person:42"));
}

TEST_F(Crypto, BlindIndexMatchesSpellingsButNotOtherPeople) {
  Key key = keyring_->BlindIndexKey();
  domain::PersonIdentity a;
  a.given_name = "Könül";
  a.family_name = "Özdəmir";
  a.birth_date = domain::Date::FromYmd(1992, 8, 6);
  domain::PersonIdentity b = a;
  b.given_name = "KÖNÜL";
  b.family_name = "  özdəmir ";
  EXPECT_EQ(PersonBlindIndex(key, a), PersonBlindIndex(key, b));
  domain::PersonIdentity c = a;
  c.birth_date = domain::Date::FromYmd(1992, 8, 7);
  EXPECT_NE(PersonBlindIndex(key, a), PersonBlindIndex(key, c));
  domain::PersonIdentity d = a;
  d.given_name = "Özdəmir";
  d.family_name = "Könül";
  EXPECT_NE(PersonBlindIndex(key, a), PersonBlindIndex(key, d)) << "given and family name are separate";
  // Another instance's key gives unrelated indexes: the index is not a plain hash.
  auto other = Keyring::Create(dir_ / "other.json");
  ASSERT_TRUE(other);
  EXPECT_NE(PersonBlindIndex(other->BlindIndexKey(), a), PersonBlindIndex(key, a));
  EXPECT_EQ(PersonBlindIndex(key, a).size(), 64u);
}

TEST_F(Crypto, PasswordsUseArgon2id) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash);
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapler"));
  EXPECT_NE(*HashPassword("same"), *HashPassword("same")) << "salted";
}

TEST_F(Crypto, ChainHashDependsOnKeyPreviousAndEntry) {
  Key k = keyring_->AuditKey();
  std::string h = ChainHash(k, "prev", "entry");
  EXPECT_EQ(h, ChainHash(k, "prev", "entry"));
  EXPECT_NE(h, ChainHash(k, "prev2", "entry"));
  EXPECT_NE(h, ChainHash(k, "prev", "entry2"));
  EXPECT_NE(h, ChainHash(keyring_->BlindIndexKey(), "prev", "entry"));
}

TEST_F(Crypto, TokensAreRandomAndUrlSafe) {
  std::string a = RandomToken(), b = RandomToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(a.find_first_of("+/="), std::string::npos);
  EXPECT_GE(RandomPassword().size(), 20u);
}

}  // namespace
}  // namespace haven::privacy
