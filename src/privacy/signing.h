#pragma once
// Ed25519 signatures (libsodium crypto_sign) for what Haven hands to people and
// partners and must be able to stand behind later: consent receipts, and the
// checkpoints of the audit log.
// Thread-safe: a SigningKey is immutable after it is made; the free functions are pure.

#include <array>
#include <string>
#include <string_view>

#include "privacy/crypto.h"

namespace haven::privacy {

class SigningKey {
 public:
  static constexpr std::size_t kPublicKeySize = 32;
  static constexpr std::size_t kSignatureSize = 64;

  // The key pair is a function of the seed alone, so it never needs storing: the
  // keyring's ReceiptSigningSeed() gives the same public key on every start.
  static SigningKey FromSeed(const Key& seed);

  // Only moves: every copy of a secret key is one more place to wipe.
  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  // The 32 raw bytes of the public key.
  std::string PublicKey() const;
  // The 64-byte detached signature of `message`.
  std::string Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  // libsodium's secret key: seed || public key.
  std::array<unsigned char, 64> secret_{};
  std::array<unsigned char, kPublicKeySize> public_{};
};

// Whether `signature` is a valid Ed25519 signature of `message` under `public_key`
// (raw bytes). False, never a crash, for a key or signature of the wrong size.
bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature);

// A short name of a public key for people to compare on paper or the phone: the
// first 16 hex characters of its unkeyed BLAKE2b-256.
std::string KeyId(std::string_view public_key);

}  // namespace haven::privacy
