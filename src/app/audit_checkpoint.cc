#include "app/audit_checkpoint.h"

#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/periodic_task.h"
#include "app/permissions.h"

namespace haven::app {
namespace {

using domain::Json;

constexpr std::string_view kEmptyLogHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// The base64 of a member, decoded, when it is a string of `size` bytes.
std::optional<std::string> Bytes(const Json& j, const char* key, std::size_t size) {
  if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
  auto raw = privacy::DecodeBase64(j[key].get<std::string>());
  if (!raw || raw->size() != size) return std::nullopt;
  return *raw;
}

}  // namespace

privacy::SigningKey CheckpointSigningKey(const privacy::Keyring& keyring) {
  return privacy::SigningKey::FromSeed(keyring.AuditCheckpointSigningSeed());
}

std::string CheckpointSignedBytes(const AuditCheckpoint& c) {
  return fmt::format("{}\n{}\n{}\n{}\n{}\n", kCheckpointFormat, privacy::Base64(c.public_key),
                     c.seq, c.head_hash, FormatTimestamp(c.at));
}

Json CheckpointJson(const AuditCheckpoint& c) {
  return Json{{"format", kCheckpointFormat},
              {"seq", c.seq},
              {"head_hash", c.head_hash},
              {"at", FormatTimestamp(c.at)},
              {"key_id", privacy::KeyId(c.public_key)},
              {"public_key", privacy::Base64(c.public_key)},
              {"signature", privacy::Base64(c.signature)}};
}

Result<AuditCheckpoint> SignAuditHead(App& app) {
  // The whole chain, in one read transaction: what is signed is a head the chain reaches.
  TRY(auto v, app.VerifyAudit());
  if (!v.intact)
    return Fail(ErrorCode::kConflict, "audit_log_broken",
                fmt::format("the audit log is broken at entry {} ({}); no checkpoint is signed "
                            "over a broken log",
                            v.first_broken_seq, v.problem));
  const auto key = CheckpointSigningKey(app.Keys());
  AuditCheckpoint c;
  c.seq = v.entries;  // seq runs 1, 2, … without gaps in an intact log
  c.head_hash = v.head_hash;
  c.at = app.Now();
  c.public_key = key.PublicKey();
  c.signature = key.Sign(CheckpointSignedBytes(c));
  return c;
}

Result<AuditCheckpoint> SignAuditHeadAs(App& app, const Actor& actor) {
  TRY_STATUS(Require(actor.role, Permission::kReadAudit));
  return SignAuditHead(app);
}

Result<CheckpointCheck> CheckAuditCheckpoint(App& app, const Json& j, std::string_view name) {
  CheckpointCheck out;
  auto refuse = [&](std::string problem) {
    out.problem = std::move(problem);
    return out;
  };
  if (!j.is_object() || j.value("format", Json()) != Json(kCheckpointFormat))
    return refuse(fmt::format("{} is not a Haven audit checkpoint (its \"format\" is not \"{}\")",
                              name, kCheckpointFormat));
  AuditCheckpoint c;
  if (!j.contains("seq") || !j["seq"].is_number_integer() || j["seq"].get<std::int64_t>() < 0)
    return refuse(fmt::format("checkpoint {} has no valid \"seq\"", name));
  c.seq = j["seq"].get<std::int64_t>();
  if (!j.contains("head_hash") || !j["head_hash"].is_string() ||
      !IsLowerHex64(j["head_hash"].get<std::string>()))
    return refuse(fmt::format("checkpoint {} has no valid \"head_hash\" (64 lowercase hex)", name));
  c.head_hash = j["head_hash"].get<std::string>();
  std::optional<Timestamp> at;
  if (j.contains("at") && j["at"].is_string()) at = ParseTimestamp(j["at"].get<std::string>());
  if (!at) return refuse(fmt::format("checkpoint {} has no valid \"at\" (RFC 3339)", name));
  c.at = *at;
  out.seq = c.seq;
  out.at = FormatTimestamp(c.at);
  auto public_key = Bytes(j, "public_key", privacy::SigningKey::kPublicKeySize);
  if (!public_key)
    return refuse(fmt::format("checkpoint {} has no valid \"public_key\" (base64, 32 bytes)", name));
  c.public_key = *public_key;
  auto signature = Bytes(j, "signature", privacy::SigningKey::kSignatureSize);
  if (!signature)
    return refuse(fmt::format("checkpoint {} has no valid \"signature\" (base64, 64 bytes)", name));
  c.signature = *signature;

  const std::string ours = CheckpointSigningKey(app.Keys()).PublicKey();
  if (c.public_key != ours)
    return refuse(fmt::format("checkpoint {} was signed by another instance (key {}; this "
                              "instance's checkpoint key is {})",
                              name, privacy::KeyId(c.public_key), privacy::KeyId(ours)));
  if (!privacy::VerifySignature(c.public_key, CheckpointSignedBytes(c), c.signature))
    return refuse(fmt::format("checkpoint {} has a bad signature: it was changed after this "
                              "instance signed it",
                              name));

  if (c.seq == 0) {
    if (c.head_hash != kEmptyLogHash)
      return refuse(fmt::format("checkpoint {} signed entry 0 with a hash other than zeros", name));
    out.holds = true;  // every log extends the empty one
    return out;
  }
  TRY(auto tx, app.Store().Begin(false));
  TRY(auto rows, tx->ListAudit(c.seq - 1, 1));
  if (rows.empty() || rows.front().seq != c.seq) {
    TRY(auto last, tx->LastAudit());
    const std::int64_t head = last ? last->seq : 0;
    if (head < c.seq)
      return refuse(fmt::format("the log ends at entry {}, but checkpoint {} signed entry {} "
                                "(at {}): entries were removed from its end",
                                head, name, c.seq, out.at));
    return refuse(fmt::format("the log has no entry {}, which checkpoint {} signed (at {}): "
                              "entries were removed",
                              c.seq, name, out.at));
  }
  if (rows.front().hash != c.head_hash)
    return refuse(fmt::format("entry {} of the log has hash {}, but checkpoint {} signed {} (at "
                              "{}): the log was rewritten at or before entry {}",
                              c.seq, rows.front().hash, name, c.head_hash, out.at, c.seq));
  out.holds = true;
  return out;
}

Result<std::optional<std::filesystem::path>> WriteAuditCheckpointIfMoved(
    App& app, const std::filesystem::path& folder, std::optional<std::int64_t>* last_seq) {
  TRY(auto c, SignAuditHead(app));
  if (*last_seq && **last_seq == c.seq) return std::optional<std::filesystem::path>();
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Internal(fmt::format("cannot create {}: {}", folder.string(), ec.message()));
  std::string stamp = FormatTimestamp(c.at);
  std::erase(stamp, ':');  // file names without colons travel better
  const auto path = folder / fmt::format("checkpoint-{}-{}.json", c.seq, stamp);
  const auto tmp = std::filesystem::path(path.string() + ".tmp");
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << CheckpointJson(c).dump(2) << "\n";
    f.close();
    if (!f) return Internal(fmt::format("cannot write {}", tmp.string()));
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Internal(fmt::format("cannot write {}: {}", path.string(), ec.message()));
  *last_seq = c.seq;
  return std::optional<std::filesystem::path>(path);
}

AuditCheckpointTimer::AuditCheckpointTimer(App& app, int every_minutes) {
  if (every_minutes <= 0) return;
  const auto folder = app.config().dir / "checkpoints";
  task_ = std::make_unique<PeriodicTask>(
      std::chrono::minutes(every_minutes),
      [&app, folder, last_seq = std::optional<std::int64_t>()]() mutable {
        auto written = WriteAuditCheckpointIfMoved(app, folder, &last_seq);
        if (!written)
          spdlog::error("audit checkpoint not written: {}", written.error().message);
        else if (*written)
          spdlog::info("audit checkpoint of entry {} written to {}", *last_seq,
                       (*written)->string());
      });
}

AuditCheckpointTimer::~AuditCheckpointTimer() = default;

}  // namespace haven::app
