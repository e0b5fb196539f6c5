#include "privacy/crypto.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "common/files.h"
#include "privacy/normalize.h"

namespace haven::privacy {
namespace {

std::string ToHex(const unsigned char* data, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

std::string ToBase64(const unsigned char* data, std::size_t n, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(n, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> FromBase64(std::string_view text) {
  auto out = DecodeBase64(text);
  if (!out) return Internal("keyring: invalid base64");
  return out;
}

}  // namespace

Status InitCrypto() {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  return {};
}

Key::~Key() { sodium_memzero(bytes_.data(), bytes_.size()); }

Result<Keyring> Keyring::Create(const std::filesystem::path& path) {
  TRY_STATUS(InitCrypto());
  Keyring k;
  randombytes_buf(k.master_.data(), Key::kSize);
  unsigned char linkage[32];
  randombytes_buf(linkage, sizeof linkage);
  k.linkage_secret_ = ToBase64(linkage, sizeof linkage, sodium_base64_VARIANT_ORIGINAL);
  sodium_memzero(linkage, sizeof linkage);

  nlohmann::json j = {
      {"format", "haven-keyring"},
      {"version", 1},
      {"master_key", ToBase64(k.master_.data(), Key::kSize, sodium_base64_VARIANT_ORIGINAL)},
      {"linkage_secret", k.linkage_secret_}};
  std::string text = j.dump(2) + "\n";
  // O_EXCL: never overwrite a keyring, that would make every sealed value unreadable.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    return Fail(ErrorCode::kConflict, "keyring_exists",
                fmt::format("cannot create keyring {}: {}", path.string(), std::strerror(errno)));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!ok) return Internal(fmt::format("cannot write keyring {}", path.string()));
  return k;
}

Result<Keyring> Keyring::Load(const std::filesystem::path& path) {
  TRY_STATUS(InitCrypto());
  TRY_STATUS(RequireOwnerOnly(path, "keyring", "keyring"));
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  auto j = nlohmann::json::parse(buf.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "haven-keyring" ||
      !j.contains("master_key") || !j["master_key"].is_string() ||
      !j.contains("linkage_secret") || !j["linkage_secret"].is_string())
    return Internal(fmt::format("keyring {} is not a Haven keyring", path.string()));
  TRY(auto master, FromBase64(j["master_key"].get<std::string>()));
  if (master.size() != Key::kSize)
    return Internal(fmt::format("keyring {} has a master key of the wrong size", path.string()));
  Keyring k;
  std::memcpy(k.master_.data(), master.data(), Key::kSize);
  sodium_memzero(master.data(), master.size());
  k.linkage_secret_ = j["linkage_secret"].get<std::string>();
  return k;
}

Key Keyring::Derive(std::uint64_t subkey_id, const char context[8]) const {
  Key out;
  crypto_kdf_derive_from_key(out.data(), Key::kSize, subkey_id, context, master_.data());
  return out;
}

Key Keyring::OrganizationDataKey(domain::Id organization_id) const {
  return Derive(static_cast<std::uint64_t>(organization_id), "hvnorgdk");
}
Key Keyring::BlindIndexKey() const { return Derive(1, "hvnblind"); }
Key Keyring::AuditKey() const { return Derive(1, "hvnaudit"); }
Key Keyring::AuditReasonKey() const { return Derive(2, "hvnaudit"); }
Key Keyring::ReceiptSigningSeed() const { return Derive(1, "hvnsignr"); }
Key Keyring::AuditCheckpointSigningSeed() const { return Derive(1, "hvnckpt1"); }
Key Keyring::SecondFactorKey() const { return Derive(1, "hvn2fact"); }
Key Keyring::RecoveryCodeKey() const { return Derive(2, "hvn2fact"); }

std::string EncodeBase64(std::span<const uint8_t> bytes) {
  return ToBase64(bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
}

std::string Base64(std::string_view bytes) {
  return ToBase64(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                  sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> DecodeBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  // Strict: the whole text must be base64 (no trailing newline or garbage).
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return Invalid("base64", "is not valid base64");
  out.resize(length);
  return out;
}

std::string Seal(const Key& key, std::string_view plaintext, std::string_view ad) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonce, &clen, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), reinterpret_cast<const unsigned char*>(ad.data()), ad.size(), nullptr,
      nonce, key.data());
  out.resize(kNonce + clen);
  return out;
}

Result<std::string> Open(const Key& key, std::string_view sealed, std::string_view ad) {
  constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag)
    return Fail(ErrorCode::kInternal, "sealed_corrupt", "a sealed value is truncated");
  std::string out(sealed.size() - kNonce - kTag, '\0');
  unsigned long long mlen = 0;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &mlen, nullptr, nonce + kNonce,
          sealed.size() - kNonce, reinterpret_cast<const unsigned char*>(ad.data()), ad.size(),
          nonce, key.data()) != 0)
    return Fail(ErrorCode::kInternal, "sealed_corrupt",
                "a sealed value failed authentication (changed, or sealed for another record)");
  out.resize(mlen);
  return out;
}

std::string BlindIndex(const Key& key, std::string_view purpose, std::string_view value) {
  unsigned char out[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), Key::kSize, sizeof out);
  std::uint64_t plen = purpose.size();
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(&plen), sizeof plen);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(purpose.data()),
                            purpose.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(value.data()),
                            value.size());
  crypto_generichash_final(&st, out, sizeof out);
  return ToHex(out, sizeof out);
}

std::string PersonBlindIndex(const Key& key, const domain::PersonIdentity& p) {
  std::string birth = p.birth_date ? p.birth_date->ToString()
                      : p.birth_year ? std::to_string(*p.birth_year)
                                     : std::string();
  // The unit separator cannot occur in a normalised name.
  std::string value =
      NormalizeName(p.family_name) + '\x1f' + NormalizeName(p.given_name) + '\x1f' + birth;
  return BlindIndex(key, "person.name_birth", value);
}

Result<std::string> HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Internal("password hashing ran out of memory");
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  std::string h(encoded_hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string RandomToken(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  auto out = ToBase64(reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw.data(), raw.size());
  return out;
}

std::string RandomPassword() {
  // 20 characters from an alphabet without look-alikes (0/O, 1/l/I): ~114 bits.
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 20; ++i) {
    if (i && i % 5 == 0) out += '-';
    out += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
  }
  return out;
}

std::string Digest(std::string_view value) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(value.data()),
                     value.size(), nullptr, 0);
  return ToHex(out, sizeof out);
}

std::string ChainHash(const Key& key, std::string_view prev_hash, std::string_view entry) {
  unsigned char out[32];
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), Key::kSize, sizeof out);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(prev_hash.data()),
                            prev_hash.size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>("\n"), 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(entry.data()),
                            entry.size());
  crypto_generichash_final(&st, out, sizeof out);
  return ToHex(out, sizeof out);
}

bool SafeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace haven::privacy
