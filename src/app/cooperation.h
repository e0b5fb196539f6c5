#pragma once
// Use cases of international cooperation: the agreements the coordinating body has with
// partners (UN agencies, the OSCE, the Council of Europe, IOM, ILO, ICMPD, embassies,
// foreign NGOs — organisations of the directory) and what was done under each, and the
// conventions the state has joined with their reporting rounds, each tied to the years
// whose statistics are sent for it. Every role reads them (Permission::kReadPrevention);
// coordinators change them (kManageCooperation), each write audited and idempotent.
// Thread-safe: stateless over a thread-safe App.

#include <string>
#include <vector>

#include "app/app.h"
#include "domain/prevention.h"
#include "store/store.h"

namespace haven::app {

struct AgreementView {
  domain::Agreement agreement;
  domain::AgreementStatus status = domain::AgreementStatus::kDraft;  // today
};

struct AgreementDetail {
  AgreementView view;
  store::AgreementActivity activity;
};

struct ConventionView {
  domain::Convention convention;
  std::vector<domain::ReportingRound> rounds;
};

class CooperationService {
 public:
  explicit CooperationService(App& app) : app_(app) {}

  Result<AgreementView> CreateAgreement(const Actor& actor, domain::Agreement a,
                                        const WriteOptions& w = {});
  // Replaces the agreement; `a.version` is the version read (409 stale_update otherwise).
  Result<AgreementView> UpdateAgreement(const Actor& actor, Id id, domain::Agreement a);
  Result<std::vector<AgreementView>> ListAgreements(const Actor& actor, std::optional<Id> party);
  Result<AgreementDetail> GetAgreement(const Actor& actor, Id id);

  Result<domain::Convention> CreateConvention(const Actor& actor, domain::Convention c,
                                              const WriteOptions& w = {});
  Result<std::vector<ConventionView>> ListConventions(const Actor& actor);
  Result<ConventionView> GetConvention(const Actor& actor, Id id);
  Result<domain::ReportingRound> AddRound(const Actor& actor, Id convention_id,
                                          domain::ReportingRound r, const WriteOptions& w = {});
  // Corrects round `number` of the convention: its years, due date, or the day the state's
  // answers were submitted (recorded once they were).
  Result<domain::ReportingRound> UpdateRound(const Actor& actor, Id convention_id, int number,
                                             domain::ReportingRound r);

 private:
  App& app_;
};

}  // namespace haven::app
