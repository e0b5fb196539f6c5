#pragma once
// Which passwords Haven accepts, at account creation, `haven init` and a change of
// one's own password (a reset gives a random one). NIST SP 800-63B style: a
// minimum length and no composition rules; instead, passwords that are guessed
// early are refused: a single repeated character, the username with a few
// characters added, and what zxcvbn (libzxcvbn, Dropbox's estimator with its lists
// of common passwords, names and words, and its patterns: keyboard rows,
// sequences, dates, l33t) estimates to fall within 10^8 guesses.
// Thread-safe.

#include <string_view>

#include "common/error.h"

namespace haven::app {

// A password that passes is at least 12 and at most 256 characters long. Errors name
// `field` and never contain the password.
Status CheckPasswordPolicy(std::string_view password, std::string_view username,
                           std::string_view field = "password");

// Bits of guessing work zxcvbn estimates for `password` (for tests and benches).
double PasswordGuessBits(std::string_view password, std::string_view username);

// The least accepted: log2(10^8), zxcvbn's "safely unguessable" (score 3).
inline constexpr double kMinPasswordGuessBits = 26.6;

}  // namespace haven::app
