#pragma once
// Consent receipts (DESIGN §5): what the person is given when her consent to share
// her case is recorded, so that she — and anyone she shows it to — can see later
// what she agreed to, with whom and until when, and that Haven issued exactly that.
//
// A receipt is JSON in the structure of the Kantara Initiative Consent Receipt
// Specification v1.1 (aligned with ISO/IEC TS 27560), with a "haven" member carrying
// the same facts in Haven's own vocabulary (from which the printable page is
// translated), and a "signature" member: Ed25519 over the receipt without its
// "signature" member as nlohmann::json::dump() writes it. dump() sorts object keys,
// so the signed bytes do not depend on how the file was formatted or re-indented.
//
// The person is named by her case code only. Nothing here takes or writes a name,
// a birth date or the witness of an oral consent.
//
// Pure: no I/O and no clock (the time of issue is passed in).
// Thread-safe: free functions over values; a SigningKey may be shared.

#include <optional>
#include <string>

#include "common/clock.h"
#include "domain/coalition.h"
#include "domain/codec.h"
#include "privacy/signing.h"

namespace haven::app {

struct ReceiptInput {
  domain::Consent consent;
  // The case code: the receipt's piiPrincipalId. Never a name.
  std::string case_code;
  // The organisation that owns the case and recorded the consent (Kantara's PII controller).
  std::string controller_name;
  // Who may receive the case: an organisation's name, or e.g. "every shelter" for a
  // consent that names a kind of organisation. Printed as given, untranslated.
  std::string recipient;
  // ISO 3166-1 alpha-2 code of the law the consent is given under.
  std::string jurisdiction = "AZ";
  // When the receipt is issued (not when the consent was given).
  Timestamp issued_at{};
  // Stable and unique per receipt, e.g. "haven-consent-<id>-<digest>"; chosen by the
  // caller so that issuing the same receipt twice gives the same id.
  std::string receipt_id;

  // Kantara asks for these of the controller; empty strings when not known. The
  // printed page shows the phone and e-mail, so she knows where to withdraw.
  std::string controller_contact;  // a role such as "duty caseworker", not a private person
  std::string controller_address;
  std::string controller_email;
  std::string controller_phone;
  // The controller's privacy notice; empty when it publishes none.
  std::string policy_url;
};

// The signed receipt. REQUIRES: the text fields are UTF-8 (invalid sequences are
// signed, and kept, as U+FFFD).
domain::Json BuildSignedReceipt(const ReceiptInput& in, const privacy::SigningKey& key);

struct ReceiptCheck {
  bool valid = false;
  // The signer's key id (privacy::KeyId), once its public key could be read.
  std::string key_id;
  // Why it is not valid, for people; empty when valid.
  std::string problem;
};

// Checks the structure (the Kantara fields present with the right types, and the
// "haven" and "signature" members) and the signature. A receipt only vouches for
// itself against the key it carries, which anyone can replace together with the
// signature: pass `trusted_public_key_b64` (the instance's key, base64) to check
// that Haven signed it. Malformed input of any kind gives valid = false with a
// problem, never an exception.
ReceiptCheck VerifyReceipt(const domain::Json& receipt,
                           const std::optional<std::string>& trusted_public_key_b64);

// A printable, self-contained HTML page of the receipt in `lang`: no script and no
// styles (the server's Content-Security-Policy is default-src 'self'), so it prints
// with the browser's defaults. Renders what the receipt says without verifying it;
// missing or odd members are left out or shown as they are, escaped.
std::string ReceiptHtml(const domain::Json& receipt, domain::Language lang);

}  // namespace haven::app
