#pragma once
// Signed checkpoints of the audit log (issue #14), in the spirit of Certificate
// Transparency's signed tree heads (RFC 6962 §3.5): the instance signs "my log holds
// entries 1..seq and entry seq has hash head_hash", and whoever keeps that statement
// (an oversight body) can later show that the log was cut short or rewritten, which the
// hash chain alone cannot: the chain only proves that what is left hangs together.
//
// A checkpoint is a small JSON document:
//
//   {"format": "haven-audit-checkpoint-1", "seq": 134,
//    "head_hash": "<64 lowercase hex>", "at": "2026-11-28T18:30:00Z",
//    "key_id": "<16 hex, privacy::KeyId>", "public_key": "<base64, 32 bytes>",
//    "signature": "<base64, 64 bytes>"}
//
// The signature is Ed25519 (privacy::SigningKey) over these bytes, every line ended by
// one LF, numbers in decimal without leading zeros, the strings exactly as in the file:
//
//   haven-audit-checkpoint-1\n<public_key>\n<seq>\n<head_hash>\n<at>\n
//
// "key_id" is a convenience for people and is not signed (it follows from public_key).
// The key is derived from the keyring's master key (context "hvnckpt1"), apart from the
// consent receipt key.
//
// Writing a checkpoint writes no audit entry: it changes no data, and an entry would
// move the head it has just signed.
//
// Thread-safe as far as App is (the functions hold no state of their own).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "domain/codec.h"
#include "privacy/crypto.h"
#include "privacy/signing.h"

namespace haven::app {

class App;
class PeriodicTask;
struct Actor;

inline constexpr std::string_view kCheckpointFormat = "haven-audit-checkpoint-1";

struct AuditCheckpoint {
  std::int64_t seq = 0;   // the head entry's sequence number; 0 for an empty log
  std::string head_hash;  // its hash, lowercase hex (64 zeros for an empty log)
  Timestamp at{};
  std::string public_key;  // raw, 32 bytes
  std::string signature;   // raw, 64 bytes
};

// The instance's checkpoint key (a function of the master key alone).
privacy::SigningKey CheckpointSigningKey(const privacy::Keyring& keyring);

// The bytes the signature covers (see above).
std::string CheckpointSignedBytes(const AuditCheckpoint& c);

domain::Json CheckpointJson(const AuditCheckpoint& c);

// A signed checkpoint of the current head, at app.Now(). Refuses (kInternal, with the
// problem) to sign a log whose chain is broken: a checkpoint vouches for what it signs.
Result<AuditCheckpoint> SignAuditHead(App& app);
// The same for an auditor (kReadAudit) over the API.
Result<AuditCheckpoint> SignAuditHeadAs(App& app, const Actor& actor);

struct CheckpointCheck {
  bool holds = false;
  std::int64_t seq = 0;  // what the checkpoint signed, once it could be read
  std::string at;
  // Why it does not hold, for people, naming the checkpoint by `name`; empty when it holds.
  std::string problem;
};

// Whether the instance signed `checkpoint` and its log still extends it: the entry with
// the checkpoint's seq exists and has the signed hash. Malformed input, another
// instance's key or a bad signature give holds = false with a problem, never an error;
// errors are only those of reading the store.
Result<CheckpointCheck> CheckAuditCheckpoint(App& app, const domain::Json& checkpoint,
                                             std::string_view name);

// For `haven serve`: writes a checkpoint of the head to `folder` (created, mode 0700 by
// the umask) as checkpoint-<seq>-<time>.json, unless the head is still `*last_seq`;
// updates `*last_seq`. Returns the file written, or nullopt when the head had not moved.
Result<std::optional<std::filesystem::path>> WriteAuditCheckpointIfMoved(
    App& app, const std::filesystem::path& folder, std::optional<std::int64_t>* last_seq);

// For `haven serve`: writes a checkpoint to DIR/checkpoints/ when started and then every
// `every_minutes` minutes (when the head moved), from a thread of its own, until
// destroyed. `every_minutes` 0: does nothing. Failures are logged, never fatal: the
// server goes on serving. REQUIRES: `app` outlives the timer.
// Thread-safe: made and destroyed by one thread.
class AuditCheckpointTimer {
 public:
  AuditCheckpointTimer(App& app, int every_minutes);
  AuditCheckpointTimer(const AuditCheckpointTimer&) = delete;
  AuditCheckpointTimer& operator=(const AuditCheckpointTimer&) = delete;
  ~AuditCheckpointTimer();

 private:
  std::unique_ptr<PeriodicTask> task_;  // null when off
};

}  // namespace haven::app
