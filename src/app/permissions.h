#pragma once
// Who may do what: one table, read by every use case. Organisation scoping
// (own organisation vs. all) is a separate permission, not a special case.

#include "common/error.h"
#include "domain/enums.h"

namespace haven::app {

enum class Permission {
  kManageOrganizations,  // create organisations
  kManageUsers,          // create and list users
  kCreateCase,           // register a person and a case for the own organisation
  kReadOwnCases,         // cases of the own organisation (no identity)
  kReadAllCases,         // every case, national view (no identity, no free text)
  kViewIdentity,         // disclose the identity of an own-organisation case, with a reason
  kChangeCase,           // move an own-organisation case through the workflow
  kReadCaseNotes,        // case-level free text of the own organisation
  kReadAudit,            // the audit log
  kReadStatistics,       // anonymised statistics and exports (small cells suppressed)
  kImportData,           // import case-level data from partners (CTDC)
  kManageShelters,       // create shelters (coordinators: any organisation; staff: their own)
  kShelterStaff,         // admit and discharge in the own organisation's shelters
  kRecordDecision,       // record the formal identification decision (victim status)
  kManageRates,          // set allowance rates
  kRequestPayment,       // request an allowance payment for an own-organisation case
  kApprovePayment,       // approve a requested payment
  kSeeShelterAddresses,  // the addresses of every shelter
  kRefer,                // refer or transfer a case (the owner's staff; coordinators)
  kOverrideConsent,      // let a referral go ahead without consent, with a legal ground
  kAssignCases,          // put a caseworker of the own organisation in charge of a case
  kApproveClosure,       // approve or reject a caseworker's request to close a case
};

// Fails with kForbidden unless the role has the permission.
Status Require(domain::Role role, Permission p);

constexpr bool Can(domain::Role role, Permission p) {
  using R = domain::Role;
  using P = Permission;
  switch (p) {
    case P::kManageOrganizations:
    case P::kManageUsers: return role == R::kAdmin || role == R::kCoordinator;
    case P::kCreateCase:
    case P::kReadOwnCases:
    case P::kViewIdentity:
    case P::kChangeCase:
    case P::kReadCaseNotes:
      return role == R::kCaseworker || role == R::kShelterManager || role == R::kSupervisor;
    case P::kReadAllCases: return role == R::kCoordinator;
    case P::kReadAudit: return role == R::kAuditor;
    case P::kReadStatistics: return role == R::kAnalyst || role == R::kCoordinator;
    case P::kImportData: return role == R::kCoordinator || role == R::kAdmin;
    case P::kManageShelters: return role == R::kCoordinator || role == R::kShelterManager;
    case P::kShelterStaff:
    case P::kRequestPayment:
      return role == R::kCaseworker || role == R::kShelterManager || role == R::kSupervisor;
    case P::kRecordDecision:
    case P::kManageRates:
    case P::kApprovePayment:
    case P::kSeeShelterAddresses:
    case P::kOverrideConsent: return role == R::kCoordinator;
    case P::kRefer:
      return role == R::kCaseworker || role == R::kShelterManager || role == R::kSupervisor ||
             role == R::kCoordinator;
    case P::kAssignCases:
    case P::kApproveClosure: return role == R::kSupervisor;
  }
  return false;
}

}  // namespace haven::app
