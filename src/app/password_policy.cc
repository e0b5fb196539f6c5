#include "app/password_policy.h"

#include <zxcvbn.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "domain/rules.h"

namespace haven::app {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

constexpr std::size_t kMinLength = 12;

}  // namespace

double PasswordGuessBits(std::string_view password, std::string_view username) {
  const std::string pw(password);
  const std::string user = Lower(username);
  // Words anyone attacking this service tries first, beside the username.
  const char* words[] = {user.c_str(), "haven", nullptr};
  if (user.empty()) words[0] = "haven", words[1] = nullptr;
  return ZxcvbnMatch(pw.c_str(), words, nullptr);
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username,
                           std::string_view field) {
  const std::string f(field);
  if (auto st = domain::ValidatePassword(password); !st) return Invalid(f, st.error().message);
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; }))
    return Invalid(f, "must not be one character repeated");
  const std::string pw = Lower(password), user = Lower(username);
  if (!user.empty() && pw == user) return Invalid(f, "must not be the username");
  // The username adds nothing an attacker does not know: what is left must be long enough.
  if (user.size() >= 3 && pw.find(user) != std::string::npos &&
      pw.size() - user.size() < kMinLength)
    return Invalid(f, "must not be the username with a few characters added: without it, "
                      "at least 12 characters must remain");
  if (PasswordGuessBits(password, username) < kMinPasswordGuessBits)
    return Invalid(f, "is too easy to guess: it is a common password or follows a common "
                      "pattern (a word with digits, a keyboard row, a sequence, a date); a few "
                      "unrelated words make a passphrase that is long and easy to remember");
  return {};
}

}  // namespace haven::app
