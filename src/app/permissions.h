#pragma once
// Who may do what: one table, read by every use case. Organisation scoping
// (own organisation vs. all) is a separate permission, not a special case.

#include <iterator>
#include <string_view>
#include <utility>

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
  kReadPrevention,       // awareness events, action plans, agreements and conventions (nothing about a person)
  kRecordEvents,         // record an awareness event (coordinators: any; staff: their organisation's)
  kManagePlans,          // action plans and their measures, and their import
  kReportProgress,       // report progress on a measure (coordinators: any; a responsible body's supervisor)
  kManageCooperation,    // agreements with international partners, conventions and their rounds
};

// The wire names of the permissions, which the web application reads at sign-in to
// show each user the screens of her role (the server decides all the same).
inline constexpr std::pair<Permission, std::string_view> kPermissionNames[] = {
    {Permission::kManageOrganizations, "manage_organizations"},
    {Permission::kManageUsers, "manage_users"},
    {Permission::kCreateCase, "create_case"},
    {Permission::kReadOwnCases, "read_own_cases"},
    {Permission::kReadAllCases, "read_all_cases"},
    {Permission::kViewIdentity, "view_identity"},
    {Permission::kChangeCase, "change_case"},
    {Permission::kReadCaseNotes, "read_case_notes"},
    {Permission::kReadAudit, "read_audit"},
    {Permission::kReadStatistics, "read_statistics"},
    {Permission::kImportData, "import_data"},
    {Permission::kManageShelters, "manage_shelters"},
    {Permission::kShelterStaff, "shelter_staff"},
    {Permission::kRecordDecision, "record_decision"},
    {Permission::kManageRates, "manage_rates"},
    {Permission::kRequestPayment, "request_payment"},
    {Permission::kApprovePayment, "approve_payment"},
    {Permission::kSeeShelterAddresses, "see_shelter_addresses"},
    {Permission::kRefer, "refer"},
    {Permission::kOverrideConsent, "override_consent"},
    {Permission::kAssignCases, "assign_cases"},
    {Permission::kApproveClosure, "approve_closure"},
    {Permission::kReadPrevention, "read_prevention"},
    {Permission::kRecordEvents, "record_events"},
    {Permission::kManagePlans, "manage_plans"},
    {Permission::kReportProgress, "report_progress"},
    {Permission::kManageCooperation, "manage_cooperation"},
};
static_assert(std::size(kPermissionNames) == static_cast<std::size_t>(Permission::kManageCooperation) + 1,
              "every permission has a wire name");

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
    case P::kReadPrevention: return true;
    case P::kRecordEvents:
      return role == R::kCoordinator || role == R::kCaseworker || role == R::kShelterManager ||
             role == R::kSupervisor;
    case P::kManagePlans: return role == R::kCoordinator;
    case P::kReportProgress: return role == R::kCoordinator || role == R::kSupervisor;
    case P::kManageCooperation: return role == R::kCoordinator;
  }
  return false;
}

}  // namespace haven::app
