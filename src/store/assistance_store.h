#pragma once
// The "assistance" area of the store: shelters, stays, services, the formal
// identification decision, allowance rates and payments. Free text (shelter
// addresses, service notes, units and outcomes, decision reasons and deciding
// bodies) arrives here already sealed.
// Thread-safety: as Transaction (one thread at a time).

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/assistance.h"

namespace haven::store {

struct StoredShelter {
  domain::Shelter shelter;  // address empty here
  std::string sealed_address;
};

// Free text of a service (unit, outcome) and of a decision (deciding body) is sealed
// as one JSON object per record (`sealed_text`). Rows written before that was so keep
// it in the clear columns, read into the record, until SealFreeText (app) seals them.
struct StoredService {
  domain::Service service;  // notes empty here; unit and outcome only from old rows
  std::string sealed_notes;
  std::string sealed_text;
};

struct StoredDecision {
  domain::IdentificationDecision decision;  // reasons empty; deciding_body only from old rows
  std::string sealed_reasons;
  std::string sealed_text;
};

struct OccupancyPoint {
  domain::Date day;
  int occupied = 0;
};

struct PaymentTotal {
  std::string period;  // "2026" or "2026-03", or the organisation id
  std::string currency;
  std::int64_t amount_minor = 0;
  std::int64_t payments = 0;
};

struct ServiceTotal {
  domain::ServiceType type = domain::ServiceType::kOther;
  std::int64_t services = 0;
  std::int64_t cases = 0;  // distinct cases that received the service
};

struct StayTotals {
  std::int64_t stays_started = 0;
  std::int64_t cases_sheltered = 0;  // distinct cases with a stay overlapping the year
  std::int64_t bed_days = 0;         // nights spent in shelters within the year
};

struct PaymentFilter {
  std::optional<domain::Id> case_id;
  std::optional<domain::PaymentStatus> status;
  std::optional<domain::Id> before_id;
  int limit = 50;
};

class AssistanceStore {
 public:
  virtual ~AssistanceStore() = default;

  // Shelters.
  virtual Result<domain::Id> InsertShelter(const domain::Shelter& s) = 0;
  virtual Status SetShelterAddress(domain::Id id, const std::string& sealed_address) = 0;
  virtual Result<std::optional<StoredShelter>> GetShelter(domain::Id id) = 0;
  virtual Result<std::vector<StoredShelter>> ListShelters(domain::Id after_id, int limit) = 0;
  // People in the shelter now (stays not discharged).
  virtual Result<int> Occupied(domain::Id shelter_id) = 0;
  // People in the shelter on each day of [from, to].
  virtual Result<std::vector<OccupancyPoint>> Occupancy(domain::Id shelter_id,
                                                        const domain::Date& from,
                                                        const domain::Date& to) = 0;

  // Stays.
  virtual Result<domain::Id> InsertStay(const domain::Stay& s) = 0;
  virtual Result<std::optional<domain::Stay>> GetStay(domain::Id id) = 0;
  virtual Result<std::optional<domain::Stay>> OpenStayOfCase(domain::Id case_id) = 0;
  virtual Result<std::vector<domain::Stay>> StaysOfCase(domain::Id case_id) = 0;
  // The stays of a shelter not yet ended, earliest admission first.
  virtual Result<std::vector<domain::Stay>> OpenStaysOfShelter(domain::Id shelter_id) = 0;
  virtual Status DischargeStay(domain::Id id, const domain::Date& on,
                               domain::DischargeReason reason) = 0;

  // Services.
  virtual Result<domain::Id> InsertService(const domain::Service& s,
                                           const std::string& sealed_notes) = 0;
  virtual Result<std::vector<StoredService>> ServicesOfCase(domain::Id case_id) = 0;
  // Seals a service's free text: writes `sealed_text` and clears the clear columns.
  virtual Status SetServiceText(domain::Id id, const std::string& sealed_text) = 0;
  // The notes, sealed after the insert with the service's id bound.
  [[nodiscard]] virtual Status SetServiceNotes(domain::Id id, const std::string& sealed_notes) = 0;
  // Rows whose free text is still in the clear (written before it was sealed).
  virtual Result<std::vector<StoredService>> ServicesWithClearText() = 0;

  // Identification decisions (history; the newest is in force).
  virtual Result<domain::Id> InsertDecision(const domain::IdentificationDecision& d,
                                            const std::string& sealed_reasons) = 0;
  virtual Result<std::vector<StoredDecision>> DecisionsOfCase(domain::Id case_id) = 0;
  virtual Status SetDecisionText(domain::Id id, const std::string& sealed_text) = 0;
  // The reasons, sealed after the insert with the decision's id bound.
  [[nodiscard]] virtual Status SetDecisionReasons(domain::Id id,
                                                  const std::string& sealed_reasons) = 0;
  virtual Result<std::vector<StoredDecision>> DecisionsWithClearText() = 0;

  // For statistics: services delivered in `year` by type, and shelter use in `year`.
  virtual Result<std::vector<ServiceTotal>> ServiceTotals(int year) = 0;
  virtual Result<StayTotals> StayTotalsOf(int year) = 0;

  // Allowance rates and payments.
  virtual Result<domain::Id> InsertRate(const domain::AllowanceRate& r) = 0;
  virtual Result<std::vector<domain::AllowanceRate>> Rates(const std::string& kind) = 0;
  virtual Result<std::vector<domain::AllowanceRate>> AllRates() = 0;
  virtual Result<domain::Id> InsertPayment(const domain::Payment& p) = 0;
  virtual Result<std::optional<domain::Payment>> GetPayment(domain::Id id) = 0;
  virtual Result<std::vector<domain::Payment>> ListPayments(const PaymentFilter& f) = 0;
  virtual Status ApprovePayment(domain::Id id, domain::Id approved_by, Timestamp at) = 0;
  // Rejects or cancels a pending payment (kConflict `not_pending` otherwise).
  virtual Status DecidePayment(domain::Id id, domain::PaymentStatus status, domain::Id by,
                               Timestamp at, const std::string& sealed_reason) = 0;
  // The sealed reason of a rejection or cancellation (empty when none).
  virtual Result<std::string> PaymentReason(domain::Id id) = 0;
  // Approved payments of `year`, summed per month ("month"), per organisation
  // ("organization") or for the whole year ("year").
  virtual Result<std::vector<PaymentTotal>> PaymentTotals(int year, const std::string& group_by) = 0;
};

}  // namespace haven::store
