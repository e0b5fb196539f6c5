#pragma once
// The format of a person's identity at rest (the plaintext inside its sealed blob), apart
// from the API's codec: the API may grow stricter (a new required field, a narrower
// vocabulary), and a record sealed years ago must still open. So this format is
// versioned and read leniently: unknown fields are ignored, a field of the wrong type or
// an unknown value is read as absent (or "other"/"unknown"), never an error.
//
//   version 1: the API's identity object as it was sealed before this format had a name
//              (no "record" or "v"), e.g. {"given_name": "…", "sex": "female", …};
//   version 2: {"record": "identity", "v": 2, …the same fields…}.
//
// Pure: no I/O. Thread-safe.

#include "domain/codec.h"
#include "domain/model.h"

namespace haven::domain {

inline constexpr int kIdentityRecordVersion = 2;

// The record of `p` in the current version.
[[nodiscard]] Json IdentityRecordToJson(const PersonIdentity& p);
// Any version's record; kValidation only when `j` is not a JSON object at all.
[[nodiscard]] Result<PersonIdentity> IdentityRecordFromJson(const Json& j);

}  // namespace haven::domain
