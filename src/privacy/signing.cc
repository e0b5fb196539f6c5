#include "privacy/signing.h"

#include <sodium.h>

namespace haven::privacy {

static_assert(crypto_sign_SECRETKEYBYTES == 64);
static_assert(crypto_sign_PUBLICKEYBYTES == SigningKey::kPublicKeySize);
static_assert(crypto_sign_BYTES == SigningKey::kSignatureSize);
static_assert(crypto_sign_SEEDBYTES == Key::kSize);

SigningKey SigningKey::FromSeed(const Key& seed) {
  // Idempotent and cheap after the first call; the signing code itself does not
  // need it, but libsodium asks that it run before any other function.
  if (sodium_init() < 0) __builtin_trap();
  SigningKey key;
  crypto_sign_seed_keypair(key.public_.data(), key.secret_.data(), seed.data());
  return key;
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : secret_(other.secret_), public_(other.public_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_ = other.public_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

SigningKey::~SigningKey() {
  sodium_memzero(secret_.data(), secret_.size());
}

std::string SigningKey::PublicKey() const {
  return std::string(reinterpret_cast<const char*>(public_.data()), public_.size());
}

std::string SigningKey::Sign(std::string_view message) const {
  std::string signature(kSignatureSize, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  return signature;
}

bool VerifySignature(std::string_view public_key, std::string_view message,
                     std::string_view signature) {
  if (public_key.size() != SigningKey::kPublicKeySize ||
      signature.size() != SigningKey::kSignatureSize)
    return false;
  if (sodium_init() < 0) return false;
  return crypto_sign_verify_detached(
             reinterpret_cast<const unsigned char*>(signature.data()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(),
             reinterpret_cast<const unsigned char*>(public_key.data())) == 0;
}

std::string KeyId(std::string_view public_key) {
  return Digest(public_key).substr(0, 16);
}

}  // namespace haven::privacy
