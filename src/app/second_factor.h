#pragma once
// The second factor of sign-in: a TOTP secret (RFC 6238) in the user's authenticator
// app, and ten one-time recovery codes for the day the phone is lost.
//
// Enrolment is two steps: Start makes a secret (sealed, with the user's row as associated
// data) and shows it once as an otpauth:// URI and its QR code; Confirm with a first code
// from the app puts it in force and shows the recovery codes, once (they are kept only as
// keyed hashes). From then on App::Login wants a code after the password. Roles listed in
// [security] second_factor_required_for cannot turn it off; for them a session without it
// can do nothing but enrol (App::Authenticate says so, the HTTP layer confines it).
// Every change is audited.
//
// Thread-safe: stateless over a thread-safe App.

#include <string>
#include <vector>

#include "app/app.h"

namespace haven::app {

struct SecondFactorState {
  bool enabled = false;   // in force: sign-in wants a code
  bool pending = false;   // enrolment started, not confirmed yet
  bool required = false;  // the user's role must have it
  int recovery_codes_left = 0;
};

// What enrolment shows once: the secret for typing in by hand, the URI and its QR code.
struct SecondFactorEnrolment {
  std::string secret;  // base32, without padding
  std::string otpauth_uri;
  std::string qr_svg;
};

class SecondFactors {
 public:
  explicit SecondFactors(App& app) : app_(app) {}

  Result<SecondFactorState> State(const Actor& actor);
  // A new secret for the actor (replacing an enrolment not confirmed yet). kConflict
  // `second_factor_enabled` when one is in force: disable it first.
  Result<SecondFactorEnrolment> StartEnrolment(const Actor& actor);
  // Puts the started secret in force with a first code of it; returns the recovery codes.
  Result<std::vector<std::string>> ConfirmEnrolment(const Actor& actor, const std::string& code);
  // Turns the second factor off, with the password and a current code (or a recovery
  // code). kForbidden `second_factor_mandatory` for a role that must have it.
  Status Disable(const Actor& actor, const std::string& password, const std::string& code);
  // New recovery codes in place of the old ones, with a current TOTP code.
  Result<std::vector<std::string>> RegenerateRecoveryCodes(const Actor& actor,
                                                           const std::string& code);
  // The operator's way back in for a user who lost her phone (`haven user
  // reset-second-factor`): removes her second factor and signs her out everywhere.
  // The system actor only.
  Status Reset(const Actor& actor, Id user_id);

 private:
  App& app_;
};

// For App::Login, inside its write transaction: `code` (a TOTP code or a recovery code)
// against the user's second factor in force. An accepted TOTP step is never accepted again;
// a used recovery code is audited.
enum class SecondFactorCheck { kNotEnrolled, kAccepted, kMissing, kRejected };
Result<SecondFactorCheck> CheckSecondFactor(App& app, store::Transaction& tx, const Actor& who,
                                            const std::string& code);

}  // namespace haven::app
