#include "app/second_factor.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "app/qr_svg.h"
#include "domain/codec.h"
#include "privacy/totp.h"

namespace haven::app {
namespace {

using domain::Json;

constexpr int kRecoveryCodes = 10;

// Binds a sealed secret to its user: moved to another row, it fails to open.
std::string SecretAd(Id user_id) { return fmt::format("user:{}:second_factor", user_id); }

std::string RecoveryHash(const App& app, Id user_id, std::string_view code) {
  return privacy::BlindIndex(app.Keys().RecoveryCodeKey(), fmt::format("recovery_code:{}", user_id),
                             privacy::NormalizeRecoveryCode(code));
}

// Six digits, spaces aside (apps show "123 456").
std::optional<std::string> TotpDigits(std::string_view code) {
  std::string digits;
  for (char c : code)
    if (c != ' ') digits += c;
  if (digits.size() != static_cast<std::size_t>(privacy::kTotpDigits) ||
      !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  return digits;
}

// The time step of `code` within one step of now (clocks drift), later than the last one
// accepted; nullopt if there is none.
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::int64_t last_step,
                                      Timestamp now, std::string_view code) {
  auto digits = TotpDigits(code);
  if (!digits) return std::nullopt;
  const std::int64_t step = privacy::TotpStep(now);
  for (std::int64_t s = step - 1; s <= step + 1; ++s)
    if (s > last_step && privacy::SafeEquals(privacy::TotpAt(secret, s), *digits)) return s;
  return std::nullopt;
}

Result<std::string> OpenSecret(const App& app, const store::SecondFactor& f) {
  return privacy::Open(app.Keys().SecondFactorKey(), f.sealed_secret, SecretAd(f.user_id));
}

// Checks `code` against a second factor in force: a TOTP code (its step used up), or,
// with `recovery`, an unused recovery code (used up, audited).
Result<bool> Verify(App& app, store::Transaction& tx, const Actor& actor, store::SecondFactor f,
                    const std::string& code, bool recovery) {
  if (code.size() > 64) return false;
  TRY(std::string secret, OpenSecret(app, f));
  if (auto step = MatchTotp(secret, f.last_step, app.Now(), code)) {
    f.last_step = *step;
    TRY_STATUS(tx.PutSecondFactor(f));
    return true;
  }
  if (!recovery || TotpDigits(code)) return false;
  TRY(bool used, tx.UseRecoveryCode(f.user_id, RecoveryHash(app, f.user_id, code), app.Now()));
  if (!used) return false;
  TRY(int left, tx.CountUnusedRecoveryCodes(f.user_id));
  TRY_STATUS(app.Audit(tx, actor, "auth.recovery_code_used", "user", std::to_string(f.user_id),
                       Json{{"recovery_codes_left", left}}.dump()));
  return true;
}

Result<std::vector<std::string>> NewRecoveryCodes(const App& app, store::Transaction& tx,
                                                  Id user_id) {
  std::vector<std::string> codes;
  std::vector<std::string> hashes;
  for (int i = 0; i < kRecoveryCodes; ++i) {
    codes.push_back(privacy::NewRecoveryCode());
    hashes.push_back(RecoveryHash(app, user_id, codes.back()));
  }
  TRY_STATUS(tx.ReplaceRecoveryCodes(user_id, hashes));
  return codes;
}

Result<store::StoredUser> SignedIn(store::Transaction& tx, const Actor& actor) {
  TRY(auto user, tx.GetUser(actor.user_id));
  if (!user || !user->user.active)
    return Fail(ErrorCode::kUnauthenticated, "unauthenticated", "log in first");
  return *user;
}

// The second factor in force, or kConflict `second_factor_not_enabled`.
Result<store::SecondFactor> InForce(store::Transaction& tx, Id user_id) {
  TRY(auto f, tx.GetSecondFactor(user_id));
  if (!f || !f->confirmed_at)
    return Fail(ErrorCode::kConflict, "second_factor_not_enabled",
                "this account has no second factor in force");
  return *f;
}

Error WrongCode() {
  return Error{ErrorCode::kValidation, "second_factor_invalid",
               "the code is wrong or was used already: type the code your authenticator app "
               "shows now",
               "code"};
}

// A wrong password or code from a signed-in session counts toward the lock-out like one at
// sign-in (a stolen session must not guess freely); the refusal is audited and kept.
Status Refuse(App& app, std::unique_ptr<store::Transaction> tx, const Actor& actor,
              const store::StoredUser& user, std::string_view action, std::string_view why,
              Error error) {
  TRY(bool locked, app.CountFailedAttempt(*tx, user));
  if (locked) TRY_STATUS(tx->DeleteSessionsOfUser(actor.user_id));
  TRY_STATUS(app.Audit(*tx, actor, action, "user", std::to_string(actor.user_id),
                       Json{{"why", why}, {"locked", locked}}.dump()));
  TRY_STATUS(tx->Commit());
  return std::unexpected(std::move(error));
}

Status RequireUnlocked(const App& app, const store::StoredUser& user) {
  if (user.locked_until && *user.locked_until > app.Now())
    return Fail(ErrorCode::kRateLimited, "account_locked",
                "this account is locked after repeated failed attempts; try again later");
  return {};
}

Status RequireCode(const std::string& code) {
  if (code.empty()) return Invalid("code", "is required");
  return {};
}

}  // namespace

Result<SecondFactorCheck> CheckSecondFactor(App& app, store::Transaction& tx, const Actor& who,
                                            const std::string& code) {
  TRY(auto f, tx.GetSecondFactor(who.user_id));
  if (!f || !f->confirmed_at) return SecondFactorCheck::kNotEnrolled;
  if (code.empty()) return SecondFactorCheck::kMissing;
  TRY(bool ok, Verify(app, tx, who, *f, code, /*recovery=*/true));
  return ok ? SecondFactorCheck::kAccepted : SecondFactorCheck::kRejected;
}

Result<SecondFactorState> SecondFactors::State(const Actor& actor) {
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto user, SignedIn(*tx, actor));
  TRY(auto f, tx->GetSecondFactor(actor.user_id));
  SecondFactorState s;
  s.enabled = f && f->confirmed_at;
  s.pending = f && !f->confirmed_at;
  s.required = app_.config().SecondFactorRequired(user.user.role);
  TRY(s.recovery_codes_left, tx->CountUnusedRecoveryCodes(actor.user_id));
  return s;
}

Result<SecondFactorEnrolment> SecondFactors::StartEnrolment(const Actor& actor) {
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto user, SignedIn(*tx, actor));
  TRY(auto existing, tx->GetSecondFactor(actor.user_id));
  if (existing && existing->confirmed_at)
    return Fail(ErrorCode::kConflict, "second_factor_enabled",
                "this account has a second factor already; disable it first to enrol another");
  const std::string secret = privacy::NewTotpSecret();
  store::SecondFactor f;
  f.user_id = actor.user_id;
  f.sealed_secret = privacy::Seal(app_.Keys().SecondFactorKey(), secret, SecretAd(actor.user_id));
  f.created_at = app_.Now();
  TRY_STATUS(tx->PutSecondFactor(f));
  TRY_STATUS(tx->ReplaceRecoveryCodes(actor.user_id, {}));
  SecondFactorEnrolment e;
  e.secret = privacy::EncodeBase32(secret, /*pad=*/false);
  e.otpauth_uri = privacy::OtpauthUri(user.user.username, secret);
  TRY(e.qr_svg, QrSvg(e.otpauth_uri));
  TRY_STATUS(app_.Audit(*tx, actor, "second_factor.enrol_start", "user",
                        std::to_string(actor.user_id), "{}"));
  TRY_STATUS(tx->Commit());
  return e;
}

Result<std::vector<std::string>> SecondFactors::ConfirmEnrolment(const Actor& actor,
                                                                 const std::string& code) {
  TRY_STATUS(RequireCode(code));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto user, SignedIn(*tx, actor));
  TRY(auto f, tx->GetSecondFactor(actor.user_id));
  if (!f)
    return Fail(ErrorCode::kConflict, "no_enrolment",
                "start the enrolment first (POST /api/v1/me/second-factor/enrolment)");
  if (f->confirmed_at)
    return Fail(ErrorCode::kConflict, "second_factor_enabled",
                "this account's second factor is in force already");
  TRY(std::string secret, OpenSecret(app_, *f));
  auto step = MatchTotp(secret, f->last_step, app_.Now(), code);
  if (!step) return std::unexpected(WrongCode());
  f->confirmed_at = app_.Now();
  f->last_step = *step;
  TRY_STATUS(tx->PutSecondFactor(*f));
  TRY(auto codes, NewRecoveryCodes(app_, *tx, actor.user_id));
  TRY_STATUS(app_.Audit(*tx, actor, "second_factor.confirm", "user", std::to_string(actor.user_id),
                        Json{{"username", user.user.username}}.dump()));
  TRY_STATUS(tx->Commit());
  return codes;
}

Status SecondFactors::Disable(const Actor& actor, const std::string& password,
                              const std::string& code) {
  if (password.empty()) return Invalid("password", "is required");
  TRY_STATUS(RequireCode(code));
  if (app_.config().SecondFactorRequired(actor.role))
    return Fail(ErrorCode::kForbidden, "second_factor_mandatory",
                fmt::format("the {} role must sign in with a second factor",
                            domain::Name(actor.role)));
  std::string hash;
  {
    TRY(auto tx, app_.Store().Begin(false));
    TRY(auto user, SignedIn(*tx, actor));
    hash = user.password_hash;
  }
  // Argon2id outside any transaction, as at sign-in.
  const bool password_ok = privacy::VerifyPassword(hash, password);
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto user, SignedIn(*tx, actor));
  TRY_STATUS(RequireUnlocked(app_, user));
  TRY(auto f, InForce(*tx, actor.user_id));
  if (!password_ok || user.password_hash != hash)
    return Refuse(app_, std::move(tx), actor, user, "second_factor.disable_refused",
                  "wrong password",
                  Error{ErrorCode::kValidation, "wrong_password", "the password is wrong",
                        "password"});
  TRY(bool code_ok, Verify(app_, *tx, actor, f, code, /*recovery=*/true));
  if (!code_ok)
    return Refuse(app_, std::move(tx), actor, user, "second_factor.disable_refused",
                  "wrong code", WrongCode());
  TRY_STATUS(tx->DeleteSecondFactor(actor.user_id));
  TRY_STATUS(app_.Audit(*tx, actor, "second_factor.disable", "user", std::to_string(actor.user_id),
                        Json{{"username", user.user.username}}.dump()));
  return tx->Commit();
}

Result<std::vector<std::string>> SecondFactors::RegenerateRecoveryCodes(const Actor& actor,
                                                                        const std::string& code) {
  TRY_STATUS(RequireCode(code));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto user, SignedIn(*tx, actor));
  TRY_STATUS(RequireUnlocked(app_, user));
  TRY(auto f, InForce(*tx, actor.user_id));
  TRY(bool code_ok, Verify(app_, *tx, actor, f, code, /*recovery=*/false));
  if (!code_ok)
    return std::unexpected(Refuse(app_, std::move(tx), actor, user,
                                  "second_factor.recovery_codes_refused", "wrong code",
                                  WrongCode())
                               .error());
  TRY(auto codes, NewRecoveryCodes(app_, *tx, actor.user_id));
  TRY_STATUS(app_.Audit(*tx, actor, "second_factor.recovery_codes", "user",
                        std::to_string(actor.user_id), "{}"));
  TRY_STATUS(tx->Commit());
  return codes;
}

Status SecondFactors::Reset(const Actor& actor, Id user_id) {
  if (!actor.IsSystem())
    return Fail(ErrorCode::kForbidden, "forbidden",
                "only the operator on the server resets a second factor "
                "(haven user reset-second-factor)");
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto user, tx->GetUser(user_id));
  if (!user) return Fail(ErrorCode::kNotFound, "not_found", "no such user");
  TRY(auto f, tx->GetSecondFactor(user_id));
  if (!f)
    return Fail(ErrorCode::kConflict, "second_factor_not_enabled",
                fmt::format("user {} has no second factor", user->user.username));
  TRY_STATUS(tx->DeleteSecondFactor(user_id));
  TRY_STATUS(tx->DeleteSessionsOfUser(user_id));
  TRY_STATUS(app_.Audit(*tx, actor, "user.second_factor_reset", "user", std::to_string(user_id),
                        Json{{"username", user->user.username}}.dump()));
  return tx->Commit();
}

}  // namespace haven::app
