#include "privacy/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <cctype>

#include <fmt/format.h>

namespace haven::privacy {
namespace {

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// RFC 3986 unreserved characters stay, everything else is %-encoded.
std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

std::string EncodeBase32(std::string_view bytes, bool pad) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 31];
  if (pad)
    while (out.size() % 8 != 0) out += '=';
  return out;
}

Result<std::string> DecodeBase32(std::string_view text, std::string_view field) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char ch : text) {
    if (ch == ' ') continue;
    if (ch == '=') {
      padding = true;
      continue;
    }
    const auto at = kBase32Alphabet.find(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    if (at == std::string_view::npos || padding)
      return Invalid(std::string(field), "must be base32 (letters A-Z and digits 2-7)");
    buffer = (buffer << 5) | static_cast<std::uint32_t>(at);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string Hotp(std::string_view key, std::uint64_t counter, int digits) {
  std::array<unsigned char, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(),
       mac.data(), &mac_size);
  // Dynamic truncation (RFC 4226 §5.3).
  const unsigned offset = mac[mac_size - 1] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return fmt::format("{:0{}}", binary % modulus, digits);
}

std::int64_t TotpStep(Timestamp t) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch());
  return seconds.count() / kTotpStepSeconds;
}

std::string TotpAt(std::string_view key, std::int64_t step, int digits) {
  return Hotp(key, static_cast<std::uint64_t>(step), digits);
}

std::string NewTotpSecret() {
  std::string secret(kTotpSecretBytes, '\0');
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string NewRecoveryCode() {
  std::string bytes(8, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  const std::string letters = NormalizeRecoveryCode(EncodeBase32(bytes, false).substr(0, 12));
  return fmt::format("{}-{}-{}", letters.substr(0, 4), letters.substr(4, 4), letters.substr(8));
}

std::string NormalizeRecoveryCode(std::string_view typed) {
  std::string out;
  for (unsigned char c : typed)
    if (c != '-' && c != ' ') out += static_cast<char>(std::tolower(c));
  return out;
}

std::string OtpauthUri(std::string_view account, std::string_view secret) {
  return fmt::format(
      "otpauth://totp/Haven:{}?secret={}&issuer=Haven&algorithm=SHA1&digits={}&period={}",
      PercentEncode(account), EncodeBase32(secret, /*pad=*/false), kTotpDigits,
      kTotpStepSeconds);
}

}  // namespace haven::privacy
