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

namespace {

constexpr std::string_view kV1DerivedMaster = "v1-derived";

std::string NewMasterId() {
  unsigned char raw[8];
  randombytes_buf(raw, sizeof raw);
  return "mk-" + ToHex(raw, sizeof raw);
}

std::string KeyBase64(const Key& k) {
  return ToBase64(k.data(), Key::kSize, sodium_base64_VARIANT_ORIGINAL);
}

Result<Key> KeyFromBase64(const nlohmann::json& j, const std::filesystem::path& path,
                          std::string_view what) {
  if (!j.is_string())
    return Internal(fmt::format("keyring {}: {} is not a string", path.string(), what));
  TRY(auto raw, FromBase64(j.get<std::string>()));
  if (raw.size() != Key::kSize) {
    sodium_memzero(raw.data(), raw.size());
    return Internal(fmt::format("keyring {}: {} has the wrong size", path.string(), what));
  }
  Key k;
  std::memcpy(k.data(), raw.data(), Key::kSize);
  sodium_memzero(raw.data(), raw.size());
  return k;
}

// Writes `text` to `path` through a file beside it renamed over it, mode 0600, fsynced:
// a reader (a running server reloading the keyring) sees the old file or the new one.
Status WritePrivateFile(const std::filesystem::path& path, std::string text, bool exclusive) {
  const std::filesystem::path tmp = path.string() + ".tmp-" + RandomToken(6);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    sodium_memzero(text.data(), text.size());
    return Internal(fmt::format("cannot create {}: {}", tmp.string(), std::strerror(errno)));
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  // link(2) refuses an existing target: never overwrite a keyring by accident.
  if (ok) ok = exclusive ? ::link(tmp.c_str(), path.c_str()) == 0
                         : ::rename(tmp.c_str(), path.c_str()) == 0;
  const int err = errno;
  ::unlink(tmp.c_str());
  if (!ok) {
    if (exclusive && err == EEXIST)
      return Fail(ErrorCode::kConflict, "keyring_exists",
                  fmt::format("cannot create keyring {}: {}", path.string(), std::strerror(err)));
    return Internal(fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
  }
  // The rename itself is durable once the directory is synced.
  int dir = ::open(path.parent_path().empty() ? "." : path.parent_path().c_str(),
                   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

std::string KeyringText(const Key& root, const std::vector<MasterKey>& masters,
                        const std::string& current, const std::string& linkage_secret) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& m : masters) list.push_back({{"id", m.id}, {"key", KeyBase64(m.key)}});
  nlohmann::json j = {{"format", "haven-keyring"},
                      {"version", 2},
                      {"root_key", KeyBase64(root)},
                      {"master_keys", list},
                      {"current_master_key", current},
                      {"linkage_secret", linkage_secret}};
  return j.dump(2) + "\n";
}

}  // namespace

Result<Keyring> Keyring::Create(const std::filesystem::path& path) {
  TRY_STATUS(InitCrypto());
  Keyring k;
  randombytes_buf(k.root_.data(), Key::kSize);
  k.masters_.push_back(MasterKey{NewMasterId(), RandomKey()});
  k.current_master_ = k.masters_.back().id;
  unsigned char linkage[32];
  randombytes_buf(linkage, sizeof linkage);
  k.linkage_secret_ = ToBase64(linkage, sizeof linkage, sodium_base64_VARIANT_ORIGINAL);
  sodium_memzero(linkage, sizeof linkage);
  // Exclusive: never overwrite a keyring, that would make every sealed value unreadable.
  TRY_STATUS(WritePrivateFile(
      path, KeyringText(k.root_, k.masters_, k.current_master_, k.linkage_secret_), true));
  return k;
}

Status Keyring::Save(const std::filesystem::path& path) const {
  return WritePrivateFile(path, KeyringText(root_, masters_, current_master_, linkage_secret_),
                          false);
}

Result<Keyring> Keyring::Load(const std::filesystem::path& path) {
  TRY_STATUS(InitCrypto());
  TRY_STATUS(RequireOwnerOnly(path, "keyring", "keyring"));
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  auto j = nlohmann::json::parse(text, nullptr, false);
  sodium_memzero(text.data(), text.size());
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "haven-keyring" ||
      !j.contains("linkage_secret") || !j["linkage_secret"].is_string())
    return Internal(fmt::format("keyring {} is not a Haven keyring", path.string()));
  const int version = j.contains("version") && j["version"].is_number_integer()
                          ? j["version"].get<int>()
                          : 1;
  Keyring k;
  k.file_version_ = version;
  k.linkage_secret_ = j["linkage_secret"].get<std::string>();
  if (version <= 1) {
    // Version 1: the one master key is the root; the key-encryption key is derived from
    // it, so that data keys wrapped before the first rotation open with this file alone.
    if (!j.contains("master_key"))
      return Internal(fmt::format("keyring {} has no master key", path.string()));
    TRY(k.root_, KeyFromBase64(j["master_key"], path, "master_key"));
    k.masters_.push_back(MasterKey{std::string(kV1DerivedMaster), k.Derive(1, "hvnkek01")});
    k.current_master_ = k.masters_.back().id;
    return k;
  }
  if (version > 2)
    return Internal(fmt::format("keyring {} has version {}, newer than this program knows (2)",
                                path.string(), version));
  if (!j.contains("root_key") || !j.contains("master_keys") || !j["master_keys"].is_array() ||
      !j.contains("current_master_key") || !j["current_master_key"].is_string())
    return Internal(fmt::format("keyring {} is not a Haven keyring", path.string()));
  TRY(k.root_, KeyFromBase64(j["root_key"], path, "root_key"));
  for (const auto& m : j["master_keys"]) {
    if (!m.is_object() || !m.contains("id") || !m["id"].is_string() || !m.contains("key"))
      return Internal(fmt::format("keyring {}: a master key has no id or key", path.string()));
    TRY(Key key, KeyFromBase64(m["key"], path, "a master key"));
    k.masters_.push_back(MasterKey{m["id"].get<std::string>(), key});
  }
  k.current_master_ = j["current_master_key"].get<std::string>();
  if (!k.Master(k.current_master_))
    return Internal(fmt::format("keyring {}: the current master key is not in it", path.string()));
  return k;
}

Keyring Keyring::WithNewMaster() const {
  Keyring k = *this;
  k.masters_.push_back(MasterKey{NewMasterId(), RandomKey()});
  k.current_master_ = k.masters_.back().id;
  k.file_version_ = 2;
  return k;
}

Result<Keyring> Keyring::WithoutMaster(std::string_view id) const {
  if (id == current_master_)
    return Fail(ErrorCode::kConflict, "master_key_current",
                "the current master key cannot be retired");
  Keyring k = *this;
  std::erase_if(k.masters_, [&](const MasterKey& m) { return m.id == id; });
  return k;
}

const MasterKey& Keyring::CurrentMaster() const { return *Master(current_master_); }

const MasterKey* Keyring::Master(std::string_view id) const {
  for (const auto& m : masters_)
    if (m.id == id) return &m;
  return nullptr;
}

Key RandomKey() {
  Key k;
  randombytes_buf(k.data(), Key::kSize);
  return k;
}

namespace {
std::string WrapBinding(const MasterKey& master, std::uint64_t key_id, std::string_view scope) {
  return fmt::format("haven-data-key:1:{}:{}:{}", master.id, key_id, scope);
}
}  // namespace

std::string WrapKey(const MasterKey& master, std::uint64_t key_id, std::string_view scope,
                    const Key& data_key) {
  return Seal(master.key,
              std::string_view(reinterpret_cast<const char*>(data_key.data()), Key::kSize),
              WrapBinding(master, key_id, scope));
}

Result<Key> UnwrapKey(const MasterKey& master, std::uint64_t key_id, std::string_view scope,
                      std::string_view wrapped) {
  auto raw = Open(master.key, wrapped, WrapBinding(master, key_id, scope));
  if (!raw || raw->size() != Key::kSize) {
    if (raw) sodium_memzero(raw->data(), raw->size());
    return Fail(ErrorCode::kInternal, "data_key_corrupt",
                fmt::format("data key {} does not unwrap under master key {}", key_id, master.id));
  }
  Key k;
  std::memcpy(k.data(), raw->data(), Key::kSize);
  sodium_memzero(raw->data(), raw->size());
  return k;
}

Key Keyring::Derive(std::uint64_t subkey_id, const char context[8]) const {
  Key out;
  crypto_kdf_derive_from_key(out.data(), Key::kSize, subkey_id, context, root_.data());
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

namespace {
constexpr std::string_view kSealMagic = "HvS";

std::string SealHeader(std::uint64_t key_id) {
  std::string h(kSealMagic);
  h += static_cast<char>(kSealFormat);
  for (int shift = 56; shift >= 0; shift -= 8) h += static_cast<char>((key_id >> shift) & 0xff);
  return h;
}
}  // namespace

SealedHeader ReadSealedHeader(std::string_view sealed) {
  SealedHeader h;
  if (sealed.size() < kSealHeaderSize + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                          crypto_aead_xchacha20poly1305_ietf_ABYTES ||
      sealed.substr(0, kSealMagic.size()) != kSealMagic ||
      static_cast<unsigned char>(sealed[3]) != kSealFormat)
    return h;
  h.format = kSealFormat;
  for (std::size_t i = 4; i < kSealHeaderSize; ++i)
    h.key_id = (h.key_id << 8) | static_cast<unsigned char>(sealed[i]);
  return h;
}

std::string Seal(const DataKey& key, std::string_view plaintext, std::string_view binding) {
  const std::string header = SealHeader(key.id);
  return header + Seal(key.key, plaintext, header + std::string(binding));
}

Result<std::string> Open(const SealingKey& key, std::string_view sealed, std::string_view binding,
                         std::string_view legacy_binding) {
  const SealedHeader h = ReadSealedHeader(sealed);
  if (h.format == kSealFormat) {
    if (key.data && key.data->id == h.key_id) {
      auto opened = Open(key.data->key, sealed.substr(kSealHeaderSize),
                         std::string(sealed.substr(0, kSealHeaderSize)) + std::string(binding));
      // A format-1 value whose random nonce happens to begin like a header (2^-32) is
      // tried as format 1 below.
      if (opened || !key.legacy) return opened;
    } else if (!key.legacy) {
      return Fail(ErrorCode::kInternal, "sealed_key_mismatch",
                  fmt::format("a sealed value names data key {}, not the record's", h.key_id));
    }
  }
  if (!key.legacy)
    return Fail(ErrorCode::kInternal, "sealed_corrupt",
                "a sealed value has no format-2 header and the record has no format-1 key");
  return Open(*key.legacy, sealed, legacy_binding);
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
