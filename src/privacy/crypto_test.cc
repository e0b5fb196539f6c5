#include "privacy/crypto.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

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

namespace haven::privacy {
namespace {

DataKey TestDataKey(std::uint64_t id) { return DataKey{id, RandomKey()}; }

SealingKey Only(const DataKey& k) { return SealingKey{k, std::nullopt}; }

TEST(SealedFormat, CarriesVersionAndKeyIdInAnAuthenticatedHeader) {
  ASSERT_TRUE(InitCrypto());
  const DataKey key = TestDataKey(0x0102030405060708ULL);
  const std::string sealed = Seal(key, "Leyla", "case_notes:12:text");
  ASSERT_GT(sealed.size(), kSealHeaderSize);
  EXPECT_EQ(sealed.substr(0, 3), "HvS");
  EXPECT_EQ(static_cast<int>(sealed[3]), kSealFormat);
  const SealedHeader h = ReadSealedHeader(sealed);
  EXPECT_EQ(h.format, 2);
  EXPECT_EQ(h.key_id, 0x0102030405060708ULL);
  EXPECT_EQ(*Open(Only(key), sealed, "case_notes:12:text", "note:12"), "Leyla");
  // The header is bound: another version or key id fails even with the right key.
  std::string other_version = sealed;
  other_version[3] = 3;
  EXPECT_FALSE(Open(Only(key), other_version, "case_notes:12:text", "note:12"));
  std::string other_id = sealed;
  other_id[11] ^= 1;
  EXPECT_FALSE(Open(Only(key), other_id, "case_notes:12:text", "note:12"));
  // A blob of another data key is refused by its id, before any decryption.
  const auto wrong = Open(Only(TestDataKey(9)), sealed, "case_notes:12:text", "note:12");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().reason, "sealed_key_mismatch");
  // A data key of the same id but other bytes fails to authenticate.
  EXPECT_FALSE(Open(Only(DataKey{key.id, RandomKey()}), sealed, "case_notes:12:text", ""));
}

TEST(SealedFormat, BindsTableRowAndFieldSoSwappedNotesOfOneCaseFail) {
  ASSERT_TRUE(InitCrypto());
  // Two notes of one case, one person's key: each opens only on its own row and field.
  const DataKey key = TestDataKey(4);
  const std::string first = Seal(key, "first note", "case_notes:1:text");
  const std::string second = Seal(key, "second note", "case_notes:2:text");
  EXPECT_EQ(*Open(Only(key), first, "case_notes:1:text", "note:1"), "first note");
  EXPECT_FALSE(Open(Only(key), first, "case_notes:2:text", "note:2")) << "swapped rows";
  EXPECT_FALSE(Open(Only(key), second, "case_notes:1:text", "note:1")) << "swapped rows";
  // Two transitions of one case used to share the case's binding; no longer.
  const std::string t1 = Seal(key, "closed: duplicate", "case_transitions:7:note");
  EXPECT_FALSE(Open(Only(key), t1, "case_transitions:8:note", "case:3:note"));
  // Another field of the same row fails too.
  const std::string title = Seal(key, "passport", "case_attachments:5:title");
  EXPECT_FALSE(Open(Only(key), title, "case_attachments:5:content", ""));
}

TEST(SealedFormat, Format1StillOpensWithItsLegacyKeyAndBinding) {
  ASSERT_TRUE(InitCrypto());
  const Key org = RandomKey();
  const std::string old_blob = Seal(org, "an old note", "note:3");  // format 1
  EXPECT_EQ(ReadSealedHeader(old_blob).format, 1);
  SealingKey k{TestDataKey(1), org};
  EXPECT_EQ(*Open(k, old_blob, "case_notes:3:text", "note:3"), "an old note");
  EXPECT_FALSE(Open(k, old_blob, "case_notes:4:text", "note:4"));
  // Without the legacy key a format-1 value is refused with a clear error.
  auto refused = Open(Only(TestDataKey(1)), old_blob, "case_notes:3:text", "note:3");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "sealed_corrupt");
}

TEST(Envelope, WrappedKeysAreBoundToTheirIdScopeAndMaster) {
  ASSERT_TRUE(InitCrypto());
  const MasterKey master{"mk-a", RandomKey()};
  const Key data = RandomKey();
  const std::string wrapped = WrapKey(master, 12, "person:5", data);
  auto back = UnwrapKey(master, 12, "person:5", wrapped);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(back->data()), Key::kSize),
            std::string_view(reinterpret_cast<const char*>(data.data()), Key::kSize));
  EXPECT_FALSE(UnwrapKey(master, 13, "person:5", wrapped)) << "another row";
  EXPECT_FALSE(UnwrapKey(master, 12, "person:6", wrapped)) << "another person";
  EXPECT_FALSE(UnwrapKey(MasterKey{"mk-a", RandomKey()}, 12, "person:5", wrapped));
  EXPECT_FALSE(UnwrapKey(MasterKey{"mk-b", master.key}, 12, "person:5", wrapped));
}

TEST(Envelope, KeyringVersion1IsReadAndRotationKeepsTheRoot) {
  ASSERT_TRUE(InitCrypto());
  const auto dir = std::filesystem::temp_directory_path() / ("haven-kr-" + RandomToken(6));
  std::filesystem::create_directories(dir);
  const auto path = dir / "keyring.json";
  {
    std::ofstream out(path);
    out << R"({"format": "haven-keyring", "version": 1,)"
        << R"( "master_key": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",)"
        << R"( "linkage_secret": "c2VjcmV0"})" << "\n";
  }
  ::chmod(path.c_str(), 0600);
  auto v1 = Keyring::Load(path);
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->file_version(), 1);
  EXPECT_EQ(v1->CurrentMaster().id, "v1-derived");
  const std::string blind = BlindIndex(v1->BlindIndexKey(), "p", "v");
  Keyring rotated = v1->WithNewMaster();
  ASSERT_TRUE(rotated.Save(path));
  auto v2 = Keyring::Load(path);
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->file_version(), 2);
  EXPECT_EQ(v2->Masters().size(), 2u);
  EXPECT_NE(v2->CurrentMaster().id, "v1-derived");
  ASSERT_NE(v2->Master("v1-derived"), nullptr);
  // The root stays: blind indexes and the format-1 organisation keys are unchanged.
  EXPECT_EQ(BlindIndex(v2->BlindIndexKey(), "p", "v"), blind);
  auto retired = v2->WithoutMaster("v1-derived");
  ASSERT_TRUE(retired);
  EXPECT_EQ(retired->Master("v1-derived"), nullptr);
  EXPECT_FALSE(v2->WithoutMaster(v2->CurrentMaster().id)) << "the current one stays";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven::privacy
