#include "app/audit_checkpoint.h"

#include <cstring>

#include <gtest/gtest.h>

namespace haven::app {
namespace {

// The signed bytes are a format others verify with their own tools: pinned here.
TEST(AuditCheckpointFormat, SignedBytesAreTheDocumentedLines) {
  AuditCheckpoint c;
  c.seq = 134;
  c.head_hash = std::string(64, 'a');
  c.at = Timestamp(std::chrono::seconds(1773489600));  // 2026-03-14T12:00:00Z
  c.public_key = std::string(32, '\0');
  EXPECT_EQ(CheckpointSignedBytes(c),
            "haven-audit-checkpoint-1\n"
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
            "134\n" +
                std::string(64, 'a') +
                "\n"
                "2026-03-14T12:00:00Z\n");
}

TEST(AuditCheckpointFormat, TheDocumentCarriesWhatIsSigned) {
  privacy::Key seed;
  std::memset(seed.data(), 7, privacy::Key::kSize);
  auto key = privacy::SigningKey::FromSeed(seed);
  AuditCheckpoint c;
  c.seq = 3;
  c.head_hash = std::string(64, 'b');
  c.at = Timestamp(std::chrono::seconds(1773489600));
  c.public_key = key.PublicKey();
  c.signature = key.Sign(CheckpointSignedBytes(c));
  auto j = CheckpointJson(c);
  EXPECT_EQ(j["format"], "haven-audit-checkpoint-1");
  EXPECT_EQ(j["seq"], 3);
  EXPECT_EQ(j["at"], "2026-03-14T12:00:00Z");
  EXPECT_EQ(j["key_id"], privacy::KeyId(c.public_key));
  auto sig = privacy::DecodeBase64(j["signature"].get<std::string>());
  ASSERT_TRUE(sig);
  EXPECT_TRUE(privacy::VerifySignature(c.public_key, CheckpointSignedBytes(c), *sig));
  c.seq = 2;
  EXPECT_FALSE(privacy::VerifySignature(c.public_key, CheckpointSignedBytes(c), *sig));
}

}  // namespace
}  // namespace haven::app
