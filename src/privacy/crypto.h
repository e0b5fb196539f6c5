#pragma once
// Haven's cryptography, all from libsodium: key handling, sealing of identity
// fields, blind indexes, password hashing, random tokens and the audit chain MAC.
// Thread-safe: every function; a Keyring is immutable after loading.

#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

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

// The instance's secrets: a master key (everything else is derived from it) and
// the coalition's linkage secret (shared with partner organisations so that their
// CLKs are comparable; never used to encrypt).
class Keyring {
 public:
  // Writes a new keyring with fresh random keys, mode 0600. Fails if `path` exists.
  static Result<Keyring> Create(const std::filesystem::path& path);
  // Reads a keyring; refuses one that others than its owner may read.
  static Result<Keyring> Load(const std::filesystem::path& path);

  // The data key of one organisation, derived from the master key: identity
  // sealed by one organisation is unreadable with another's key.
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
  Key master_;
  std::string linkage_secret_;
};

// XChaCha20-Poly1305 with `associated_data` bound to the ciphertext (Haven uses
// the record id and kind, so a sealed value cannot be moved to another record).
// Returns nonce || ciphertext || tag.
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
