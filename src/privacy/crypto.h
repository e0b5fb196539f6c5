#pragma once
// Haven's cryptography, all from libsodium: key handling, sealing of identity
// fields, blind indexes, password hashing, random tokens and the audit chain MAC.
// Thread-safe: every function; a Keyring is immutable after loading.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "domain/model.h"

namespace haven::privacy {

// Must be called once before any other function here (idempotent).
Status InitCrypto();

// 32 bytes of key material, wiped when destroyed.
class Key {
 public:
  static constexpr std::size_t kSize = 32;
  Key() { bytes_.fill(0); }
  ~Key();
  Key(const Key&) = default;
  Key& operator=(const Key&) = default;
  const unsigned char* data() const { return bytes_.data(); }
  unsigned char* data() { return bytes_.data(); }

 private:
  std::array<unsigned char, kSize> bytes_;
};

// A key-encryption key ("master key") with the id that wrapped data keys name.
struct MasterKey {
  std::string id;
  Key key;
};

// The instance's secrets (the keyring file):
//  - a root key, never rotated, from which what must stay stable is derived: the blind
//    index key (rotating it would orphan every index), the audit chain MAC and reason
//    keys, the signing seeds of receipts and audit checkpoints, and the organisation keys
//    of values sealed before data keys (format 1, read only);
//  - master keys with ids, which wrap the random data keys kept in the database
//    (envelope encryption): the current one wraps new keys; the others are still
//    readable until `haven keys rotate` re-wraps everything and retires them;
//  - the coalition's linkage secret (shared with partner organisations so that their
//    CLKs are comparable; never used to encrypt).
//
// File format, lenient and versioned: version 1 held one `master_key` (today's root;
// its master key is derived from it, id "v1-derived"); version 2 adds `master_keys` and
// `current_master_key`. Unknown fields are ignored.
class Keyring {
 public:
  // Writes a new keyring (version 2) with fresh random keys, mode 0600. Fails if `path`
  // exists.
  [[nodiscard]] static Result<Keyring> Create(const std::filesystem::path& path);
  // Reads a keyring of any known version; refuses one that others than its owner may read.
  [[nodiscard]] static Result<Keyring> Load(const std::filesystem::path& path);
  // Replaces the file at `path` with this keyring (version 2), atomically (a file beside
  // it renamed over it), mode 0600.
  [[nodiscard]] Status Save(const std::filesystem::path& path) const;

  // A copy with a new random master key, which becomes the current one.
  [[nodiscard]] Keyring WithNewMaster() const;
  // A copy without the master key `id` (retired); the current one cannot be retired.
  [[nodiscard]] Result<Keyring> WithoutMaster(std::string_view id) const;
  const MasterKey& CurrentMaster() const;
  // nullptr when this keyring has no master key of that id.
  const MasterKey* Master(std::string_view id) const;
  const std::vector<MasterKey>& Masters() const { return masters_; }
  int file_version() const { return file_version_; }

  // The organisation key of format-1 values (sealed before data keys), derived from the
  // root key: read-only, for values not yet re-sealed.
  Key OrganizationDataKey(domain::Id organization_id) const;
  Key BlindIndexKey() const;
  Key AuditKey() const;
  // Seals the stated reasons of audit entries (identity views, overrides), which only
  // auditors read.
  Key AuditReasonKey() const;
  // The seed of the instance's Ed25519 key that signs consent receipts.
  Key ReceiptSigningSeed() const;
  // The seed of the instance's Ed25519 key that signs checkpoints of the audit log
  // (app/audit_checkpoint.h); apart from the receipt key, so one can be replaced alone.
  Key AuditCheckpointSigningSeed() const;
  // Seals users' TOTP secrets (the second factor) ...
  Key SecondFactorKey() const;
  // ... and keys the hashes of their one-time recovery codes.
  Key RecoveryCodeKey() const;
  const std::string& LinkageSecret() const { return linkage_secret_; }

 private:
  Key Derive(std::uint64_t subkey_id, const char context[8]) const;
  Key root_;
  std::vector<MasterKey> masters_;
  std::string current_master_;
  std::string linkage_secret_;
  int file_version_ = 2;
};

// A fresh random key (a data key).
[[nodiscard]] Key RandomKey();
// Envelope encryption: a data key wrapped by a master key (XChaCha20-Poly1305, nonce ||
// ciphertext || tag), its associated data naming the master key's id, the data key's id
// and its scope ("person:12"), so that a wrapped key moved to another row or scope fails
// to unwrap.
[[nodiscard]] std::string WrapKey(const MasterKey& master, std::uint64_t key_id,
                                  std::string_view scope, const Key& data_key);
[[nodiscard]] Result<Key> UnwrapKey(const MasterKey& master, std::uint64_t key_id,
                                    std::string_view scope, std::string_view wrapped);

// A data key with the id under which the store keeps it (the id sealed blobs name).
struct DataKey {
  std::uint64_t id = 0;
  Key key;
};

// What opens (and seals) one record's sealed values: its data key, and for values sealed
// before data keys (format 1), the organisation key derived from the root.
struct SealingKey {
  std::optional<DataKey> data;  // absent: no data key yet (only format-1 values exist)
  std::optional<Key> legacy;
};

// Sealed values, format 2:
//   "HvS" 0x02 | key id (8 bytes, big-endian) | nonce (24) | ciphertext || tag (16)
// XChaCha20-Poly1305 whose associated data is the 12-byte header followed by the
// record's binding (table, row and field, e.g. "case_notes:12:text"), so that neither
// the version, the key id nor the record can be changed without the value failing to
// open. Format 1 (before data keys) is nonce | ciphertext || tag with the older, coarser
// binding; it is read, never written.
inline constexpr int kSealFormat = 2;
inline constexpr std::size_t kSealHeaderSize = 12;
struct SealedHeader {
  int format = 1;           // 1: no header
  std::uint64_t key_id = 0;  // format 2 only
};
// What the blob's header says (format 1 when it has none).
[[nodiscard]] SealedHeader ReadSealedHeader(std::string_view sealed);
[[nodiscard]] std::string Seal(const DataKey& key, std::string_view plaintext,
                               std::string_view binding);
// Opens a value of either format: format 2 with `key.data` (its id must be the header's)
// and `binding`; format 1 with `key.legacy` and `legacy_binding`. Fails (never crashes)
// when the blob was changed, moved to another record or sealed with another key.
[[nodiscard]] Result<std::string> Open(const SealingKey& key, std::string_view sealed,
                                       std::string_view binding,
                                       std::string_view legacy_binding);

// Format 1: XChaCha20-Poly1305 with `associated_data` bound to the ciphertext, under a
// key that is not a data key (audit reasons under AuditReasonKey, whose entries the audit
// chain covers, so they are never re-sealed). Returns nonce || ciphertext || tag.
std::string Seal(const Key& key, std::string_view plaintext, std::string_view associated_data);
// Fails with an error (never a crash) when the blob was changed or the key or
// associated data differ.
Result<std::string> Open(const Key& key, std::string_view sealed, std::string_view associated_data);

// Keyed BLAKE2b-256 of `purpose` and `value`, hex: equal inputs give equal
// indexes, and without the key the index reveals nothing about the value.
std::string BlindIndex(const Key& key, std::string_view purpose, std::string_view value);
// The blind index of a person for exact look-up: normalised family and given name
// with the birth date (or year when only the year is known).
std::string PersonBlindIndex(const Key& key, const domain::PersonIdentity& p);

// Argon2id (libsodium crypto_pwhash_str): returns the encoded hash.
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// `bytes` random bytes from the OS, URL-safe base64 without padding.
std::string RandomToken(std::size_t bytes = 32);
// A readable random password for generated accounts.
std::string RandomPassword();
// Unkeyed BLAKE2b-256 hex, for storing session tokens by digest.
std::string Digest(std::string_view value);
// Keyed BLAKE2b-256 hex of prev_hash || entry: one link of the audit chain.
std::string ChainHash(const Key& key, std::string_view prev_hash, std::string_view entry);
// Standard base64 (RFC 4648, with padding), and back: kValidation unless the whole
// text is base64.
std::string EncodeBase64(std::span<const uint8_t> bytes);
std::string Base64(std::string_view bytes);
Result<std::string> DecodeBase64(std::string_view text);
// Constant-time comparison.
bool SafeEquals(std::string_view a, std::string_view b);

}  // namespace haven::privacy
