// A person's identity sealed years ago, in the format before data keys and with a
// plaintext of an older shape (tests/data/legacy), still opens: the blob by its format
// (no header: format 1, the organisation key the version-1 keyring derives) and the
// plaintext by the lenient identity record, not by the API's strict codec.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "domain/codec.h"
#include "domain/identity_record.h"
#include "privacy/crypto.h"

namespace haven {
namespace {

domain::Json Fixture() {
  std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/tests/data/legacy/identity_format1.json");
  std::stringstream text;
  text << in.rdbuf();
  return domain::Json::parse(text.str());
}

TEST(LegacyIdentity, Format1RecordOfTheOldShapeOpens) {
  const auto fixture = Fixture();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("haven-legacy-" + privacy::RandomToken(6));
  std::filesystem::create_directories(dir);
  const auto path = dir / "keyring.json";
  std::ofstream(path) << fixture["keyring_v1"].dump() << "\n";
  ::chmod(path.c_str(), 0600);
  auto keyring = privacy::Keyring::Load(path);
  ASSERT_TRUE(keyring) << keyring.error().message;
  auto blob = privacy::DecodeBase64(fixture["sealed_identity_base64"].get<std::string>());
  ASSERT_TRUE(blob);
  EXPECT_EQ(privacy::ReadSealedHeader(*blob).format, 1);

  const privacy::SealingKey key{std::nullopt, keyring->OrganizationDataKey(1)};
  auto plain = privacy::Open(key, *blob, "persons:1:identity", "person:1");
  ASSERT_TRUE(plain) << plain.error().message;
  const auto j = domain::Json::parse(*plain);
  // Today's API codec refuses this shape (an unknown field, a contact type gone) ...
  EXPECT_FALSE(domain::IdentityFromJson(j, ""));
  // ... and the record at rest reads it all the same.
  auto p = domain::IdentityRecordFromJson(j);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->given_name, "Leyla");
  EXPECT_EQ(p->family_name, "Həsənova");
  EXPECT_EQ(p->sex, domain::Sex::kFemale);
  EXPECT_EQ(p->citizenship.ToString(), "AZ");
  ASSERT_TRUE(p->birth_date);
  EXPECT_EQ(p->birth_date->ToString(), "1994-03-05");
  ASSERT_EQ(p->documents.size(), 1u);
  EXPECT_EQ(p->documents[0].number, "C01234567");
  ASSERT_EQ(p->contacts.size(), 1u);
  EXPECT_EQ(p->contacts[0].type, domain::ContactType::kOther);
  // Written back in the current version, it reads the same.
  auto again = domain::IdentityRecordFromJson(domain::IdentityRecordToJson(*p));
  ASSERT_TRUE(again);
  EXPECT_EQ(domain::IdentityRecordToJson(*again), domain::IdentityRecordToJson(*p));
  EXPECT_EQ(domain::IdentityRecordToJson(*p)["v"], domain::kIdentityRecordVersion);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace haven
