#pragma once
// The "keys" area of the store: the data keys of envelope encryption, each wrapped by a
// master key of the keyring (which never enters the database), and which master key
// wraps new ones. A data key belongs to a scope: "person:<id>" (everything sealed of
// that person and her cases) or "organization:<id>" (data of the organisation itself).
// Erasing a key (crypto-shredding) keeps its row, without the wrapped key, so that the
// values it sealed are told apart from damaged ones.
// Thread-safety: as Transaction (one thread at a time).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "domain/model.h"

namespace haven::store {

// A column of the store that holds sealed values.
struct SealedColumn {
  const char* table;
  const char* column;
};

// Every column whose values are sealed with a person's data key: her identity and the
// free text of her cases. The one list of what erasing a person must clear
// (KeyStore::EraseSealedValuesOfPerson); a test checks it against the schema, so a
// sealed column added later cannot be forgotten. Every table but `persons` belongs to a
// case by `case_id`.
inline constexpr std::array<SealedColumn, 21> kPersonSealedColumns = {{
    {"persons", "sealed_identity"},
    {"case_transitions", "sealed_note"},
    {"case_notes", "sealed_text"},
    {"case_attachments", "sealed_title"},
    {"case_attachments", "sealed_content"},
    {"closure_requests", "sealed_note"},
    {"closure_requests", "sealed_decision_note"},
    {"consents", "sealed_witness"},
    {"consents", "sealed_form"},
    {"referrals", "sealed_note"},
    {"referrals", "sealed_override_reason"},
    {"referrals", "sealed_decline_reason"},
    {"services", "sealed_notes"},
    {"services", "sealed_text"},
    {"identification_decisions", "sealed_reasons"},
    {"identification_decisions", "sealed_text"},
    {"payments", "sealed_reason"},
    {"support_plans", "sealed_needs"},
    {"support_plans", "sealed_objectives"},
    {"reflection_extensions", "sealed_reason"},
    {"follow_ups", "sealed_notes"},
}};
// The columns sealed with an organisation's data key (its own data, no person's).
inline constexpr std::array<SealedColumn, 1> kOrganizationSealedColumns = {{
    {"shelters", "sealed_address"},
}};

struct StoredDataKey {
  domain::Id id = 0;  // the key id that sealed values name in their header
  std::string scope;
  std::string master_key_id;  // empty once erased
  std::string wrapped;        // nonce || ciphertext || tag; empty once erased
  Timestamp created_at{};
  std::optional<Timestamp> erased_at;
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;

  [[nodiscard]] virtual Result<std::optional<StoredDataKey>> FindDataKey(
      const std::string& scope) = 0;
  // Inserted first without the wrapped key (its id is part of the wrapping's associated
  // data), then wrapped in the same transaction. kConflict when the scope has a key.
  [[nodiscard]] virtual Result<domain::Id> InsertDataKey(const std::string& scope,
                                                         Timestamp created_at) = 0;
  [[nodiscard]] virtual Status SetWrappedKey(domain::Id id, const std::string& master_key_id,
                                             const std::string& wrapped) = 0;
  // Keys not erased and wrapped by another master key than `master_key_id`, by id after
  // `after_id`.
  [[nodiscard]] virtual Result<std::vector<StoredDataKey>> KeysNotUnder(
      const std::string& master_key_id, domain::Id after_id, int limit) = 0;
  // The master key ids that wrap keys not erased, with how many each.
  [[nodiscard]] virtual Result<std::vector<std::pair<std::string, std::int64_t>>>
  MasterKeysInUse() = 0;
  // Destroys the wrapped key for good (secure_delete overwrites it in the file); the row
  // stays with `erased_at`.
  [[nodiscard]] virtual Status EraseDataKey(domain::Id id, Timestamp at) = 0;
  // Clears every value of kPersonSealedColumns of the person and her cases, whatever
  // format it was sealed in. Destroying her data key makes the format-2 values useless;
  // the values sealed before data keys (format 1) are under an organisation key derived
  // from the keyring's root, which is never destroyed, so only this removes them. With
  // secure_delete the old bytes are overwritten in the page. Returns how many values
  // were cleared.
  [[nodiscard]] virtual Result<std::int64_t> EraseSealedValuesOfPerson(domain::Id person_id) = 0;

  // Persons whose every case is closed, the last of them closed before `closed_before`,
  // and whose key is not erased yet: the ones retention erases. By id after `after_id`.
  struct ErasablePerson {
    domain::Id person_id = 0;
    domain::Id organization_id = 0;  // registered by
    domain::Date last_closed_on;
  };
  [[nodiscard]] virtual Result<std::vector<ErasablePerson>> PersonsClosedBefore(
      domain::Date closed_before, domain::Id after_id, int limit) = 0;

  // The master key that wraps new data keys (nullopt: the keyring's current one).
  [[nodiscard]] virtual Result<std::optional<std::string>> CurrentMasterKeyId() = 0;
  [[nodiscard]] virtual Status SetCurrentMasterKeyId(const std::string& id) = 0;
};

}  // namespace haven::store
