#pragma once
// Use cases of assistance: shelters and stays (never more occupants than beds,
// also under concurrent requests), services delivered, the formal
// identification decision that grants victim status, allowance rates and
// payments (idempotent, approved by a coordinator), and the tasks due.
// Thread-safe: stateless over a thread-safe App.

#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/tasks.h"
#include "domain/assistance.h"
#include "store/assistance_store.h"

namespace haven::app {

struct ShelterView {
  domain::Shelter shelter;
  int occupied = 0;
  bool address_visible = false;  // own staff and coordinators only
  bool staff = false;            // the reader admits and discharges here (StaffOf)
};

struct ServiceView {
  domain::Service service;
  bool notes_visible = false;
};

struct DecisionView {
  domain::IdentificationDecision decision;
  bool reasons_visible = false;
};

// One cell pair of the allowance totals: a hidden value is absent and its text says
// how it is published ("<5" for a small count, "x" for one hidden to protect it).
struct PaymentTotalRow {
  std::string period;  // the year, the month (2026-03) or the organisation id
  std::string currency;
  std::optional<std::int64_t> payments;
  std::optional<std::int64_t> amount_minor;
  std::string payments_hidden;
  std::string amount_hidden;
};

// Allowance totals for statistics, under the same disclosure control as every report.
struct PaymentTotalsView {
  int year = 0;
  std::string group_by;
  int suppression_threshold = 0;
  std::vector<PaymentTotalRow> rows;
};

class AssistanceService {
 public:
  explicit AssistanceService(App& app) : app_(app) {}

  // Shelters.
  Result<ShelterView> CreateShelter(const Actor& actor, domain::Shelter s,
                                    const WriteOptions& w = {});
  Result<Page<ShelterView>> ListShelters(const Actor& actor, const PageRequest& p);
  Result<ShelterView> GetShelter(const Actor& actor, Id id);
  Result<std::vector<store::OccupancyPoint>> Occupancy(const Actor& actor, Id id,
                                                       const domain::Date& from,
                                                       const domain::Date& to);

  // Stays.
  Result<domain::Stay> Admit(const Actor& actor, Id shelter_id, Id case_id,
                             const domain::Date& admitted_on, const WriteOptions& w = {});
  Result<domain::Stay> Discharge(const Actor& actor, Id stay_id, const domain::Date& on,
                                 domain::DischargeReason reason, const WriteOptions& w = {});
  Result<std::vector<domain::Stay>> StaysOfCase(const Actor& actor, Id case_id);
  // Who stays in a shelter now, by case code: what its staff need to know who is there
  // and to discharge. The staff of the shelter's organisation only; a stay whose case's
  // shelter category the access policy does not open to them comes without its code.
  // Audited (with the cases of other organisations among them).
  struct Resident {
    domain::Stay stay;
    std::string case_code;  // empty: not theirs to see
  };
  Result<std::vector<Resident>> CurrentStays(const Actor& actor, Id shelter_id);

  // Services.
  Result<domain::Service> RecordService(const Actor& actor, Id case_id, domain::Service s,
                                        const WriteOptions& w = {});
  Result<std::vector<ServiceView>> ServicesOfCase(const Actor& actor, Id case_id);

  // The formal identification decision: sets the case's victim status.
  Result<domain::Case> RecordDecision(const Actor& actor, Id case_id,
                                      domain::IdentificationDecision d,
                                      const WriteOptions& w = {});
  Result<std::vector<DecisionView>> DecisionsOfCase(const Actor& actor, Id case_id);

  // Allowances.
  Result<domain::AllowanceRate> CreateRate(const Actor& actor, domain::AllowanceRate r,
                                           const WriteOptions& w = {});
  Result<std::vector<domain::AllowanceRate>> ListRates(const Actor& actor);
  // REQUIRES: w.idempotency_key set (a payment request without one is refused).
  Result<domain::Payment> RequestPayment(const Actor& actor, Id case_id, const std::string& kind,
                                         const domain::Date& paid_on, const WriteOptions& w);
  Result<domain::Payment> ApprovePayment(const Actor& actor, Id payment_id,
                                         const WriteOptions& w = {});
  // Rejects (the approver) or cancels (the requesting case's staff) a pending payment,
  // with a stated reason, sealed; the ledger keeps it.
  Result<domain::Payment> DecidePayment(const Actor& actor, Id payment_id,
                                        domain::PaymentStatus to, const std::string& reason,
                                        const WriteOptions& w = {});
  // One case's payments, or the whole ledger (approvers); `status`: only those.
  Result<Page<domain::Payment>> ListPayments(const Actor& actor, std::optional<Id> case_id,
                                             const PageRequest& p,
                                             std::optional<domain::PaymentStatus> status = {});
  // group_by: year, month or organization.
  Result<PaymentTotalsView> PaymentTotals(const Actor& actor, int year,
                                          const std::string& group_by);

  // Seals the free text (service units and outcomes, deciding bodies) of rows written
  // before it was sealed; returns how many rows. `haven serve` runs it at start-up.
  Result<std::int64_t> SealLegacyFreeText();

  // Reminders due for the caller within `within_days`.
  Result<std::vector<Task>> Tasks(const Actor& actor, int within_days);

 private:
  Result<domain::Id> StaffOf(const Actor& actor, const store::StoredShelter& s);
  ShelterView View(store::Transaction& tx, const Actor& actor, const store::StoredShelter& s,
                   int occupied);

  App& app_;
};

}  // namespace haven::app
