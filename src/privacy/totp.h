#pragma once
// One-time codes of the second factor: TOTP (RFC 6238) over HOTP (RFC 4226) with
// HMAC-SHA1, 30-second steps and 6 digits (what authenticator apps support), and the
// base32 (RFC 4648) in which the secret travels to the app.
// Thread-safe: every function.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace haven::privacy {

constexpr int kTotpDigits = 6;
constexpr std::int64_t kTotpStepSeconds = 30;
// Random bytes of a new TOTP secret (RFC 4226 asks for at least 128 bits; 160 is
// SHA-1's own size).
constexpr std::size_t kTotpSecretBytes = 20;

// RFC 4648 base32, upper case, with '=' padding unless `pad` is false.
std::string EncodeBase32(std::string_view bytes, bool pad = true);
// Back from base32: letters of either case, with or without padding; spaces ignored.
// kValidation (field `field`) for any other character.
Result<std::string> DecodeBase32(std::string_view text, std::string_view field = "secret");

// HOTP: the `digits`-digit code (6 to 8) of `counter` under `key`, zero-padded.
std::string Hotp(std::string_view key, std::uint64_t counter, int digits = kTotpDigits);
// The TOTP time step of `t` (Unix time / 30 s).
std::int64_t TotpStep(Timestamp t);
// TOTP: the code of the time step `step`.
std::string TotpAt(std::string_view key, std::int64_t step, int digits = kTotpDigits);

// A new TOTP secret: kTotpSecretBytes random bytes.
std::string NewTotpSecret();
// A new one-time recovery code: 12 random base32 letters and digits (60 bits) in groups of
// four, "k7qm-2xfa-pl3d" ...
std::string NewRecoveryCode();
// ... and a code as typed, in the form its hash is made of: lower case, without dashes or
// spaces.
std::string NormalizeRecoveryCode(std::string_view typed);

// The otpauth:// URI an authenticator app reads from the QR code:
// otpauth://totp/Haven:<account>?secret=<base32>&issuer=Haven&algorithm=SHA1&digits=6&period=30
std::string OtpauthUri(std::string_view account, std::string_view secret);

}  // namespace haven::privacy
