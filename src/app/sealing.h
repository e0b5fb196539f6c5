#pragma once
// Private to src/app: the associated data that binds a sealed text to its record, and
// sealing and opening with the keys App decides (App::CaseKey, App::OrganizationKey).
//
// A binding names the table, the row and the field ("case_notes:12:text"), so that a
// blob moved to another record, or to another field of the same record, fails to open.
// Values sealed before format 2 carry the older, coarser binding (`legacy`), with which
// they still open until they are re-sealed.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/error.h"
#include "domain/model.h"
#include "privacy/crypto.h"

namespace haven::app {

struct SealedField {
  std::string binding;  // format 2: table:row:field
  std::string legacy;   // format 1, as it was sealed before
};

// table:row:field, with `legacy` the format-1 binding of the same value.
inline SealedField Field(std::string_view table, domain::Id row, std::string_view field,
                         std::string legacy) {
  return SealedField{fmt::format("{}:{}:{}", table, row, field), std::move(legacy)};
}

// Seals in format 2; fails only when `key` has no data key (sealing outside a write
// transaction, a bug).
[[nodiscard]] inline Result<std::string> SealField(const privacy::SealingKey& key,
                                                   std::string_view plaintext,
                                                   const SealedField& field) {
  if (!key.data) return Internal("sealing without a data key (not in a write transaction)");
  return privacy::Seal(*key.data, plaintext, field.binding);
}

[[nodiscard]] inline Result<std::string> OpenField(const privacy::SealingKey& key,
                                                   std::string_view sealed,
                                                   const SealedField& field) {
  return privacy::Open(key, sealed, field.binding, field.legacy);
}

// The note of a status change of a case (format 1 bound the case only).
inline SealedField TransitionNoteAd(domain::Id case_id, domain::Id transition_id) {
  return Field("case_transitions", transition_id, "note", fmt::format("case:{}:note", case_id));
}

// A person's identity.
inline SealedField PersonAd(domain::Id person_id) {
  return Field("persons", person_id, "identity", fmt::format("person:{}", person_id));
}

}  // namespace haven::app
