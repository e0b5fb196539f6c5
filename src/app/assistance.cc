#include "app/assistance.h"

#include "app/sealing.h"

#include <charconv>
#include <set>

#include <fmt/format.h>

#include "app/paging.h"
#include "app/permissions.h"
#include "app/stages.h"
#include "domain/codec.h"
#include "domain/money.h"
#include "domain/rules.h"
#include "report/named_reports.h"

namespace haven::app {

using domain::Json;
using domain::Name;
using P = Permission;

namespace {

SealedField AddressAd(Id shelter_id) {
  return Field("shelters", shelter_id, "address", fmt::format("shelter:{}:address", shelter_id));
}
// Format 1 bound a service's notes and a decision's reasons to the case only.
SealedField ServiceNotesAd(Id case_id, Id service_id) {
  return Field("services", service_id, "notes", fmt::format("case:{}:service_notes", case_id));
}
SealedField ReasonsAd(Id case_id, Id decision_id) {
  return Field("identification_decisions", decision_id, "reasons",
               fmt::format("case:{}:decision_reasons", case_id));
}
SealedField ServiceTextAd(Id id) {
  return Field("services", id, "text", fmt::format("service:{}:text", id));
}
SealedField DecisionTextAd(Id id) {
  return Field("identification_decisions", id, "text", fmt::format("decision:{}:text", id));
}

// The free text of a service and of a decision, as sealed (one object per record).
Json ServiceText(const domain::Service& s) {
  Json j = Json::object();
  if (s.unit) j["unit"] = *s.unit;
  if (s.outcome) j["outcome"] = *s.outcome;
  return j;
}

Status CaseOpen(const domain::Case& c) {
  if (c.status == domain::CaseStatus::kClosed)
    return Fail(ErrorCode::kConflict, "case_closed",
                fmt::format("case {} is closed", c.code), "case_id");
  return {};
}

Status NotFuture(const domain::Date& d, const domain::Date& today, std::string_view field) {
  if (d > today) return Invalid(std::string(field), "is in the future");
  return {};
}

}  // namespace

// ---------------------------------------------------------------- shelters

ShelterView AssistanceService::View(store::Transaction& tx, const Actor& actor,
                                    const store::StoredShelter& s, int occupied) {
  ShelterView v;
  v.shelter = s.shelter;
  v.occupied = occupied;
  v.address_visible = AccessPolicy::SeesShelterAddress(actor, s.shelter);
  v.staff = StaffOf(actor, s).has_value();
  if (v.address_visible && !s.sealed_address.empty()) {
    auto key = app_.OrganizationKey(tx, s.shelter.organization_id);
    auto opened = key ? OpenField(*key, s.sealed_address, AddressAd(s.shelter.id))
                      : Result<std::string>(std::unexpected(key.error()));
    if (opened) v.shelter.address = *opened;
  }
  return v;
}

Result<ShelterView> AssistanceService::CreateShelter(const Actor& actor, domain::Shelter s,
                                                     const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManageShelters));
  if (!AccessPolicy::SeesShelterAddress(actor, s))
    return Fail(ErrorCode::kForbidden, "forbidden",
                "you may only create shelters of your own organisation", "organization_id");
  TRY_STATUS(domain::ValidateShelter(s));
  return app_.IdempotentWrite<ShelterView>(
      actor, w, "shelter",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<ShelterView>> {
        auto& a = tx.Assistance();
        TRY(auto existing, a.GetShelter(replay));
        TRY(int occupied, a.Occupied(replay));
        if (existing) return View(tx, actor, *existing, occupied);
        return std::optional<ShelterView>();
      },
      [&](store::Transaction& tx) -> Result<App::Written<ShelterView>> {
        auto& a = tx.Assistance();
        TRY(auto org, tx.GetOrganization(s.organization_id));
        if (!org) return Invalid("organization_id", "no such organisation");
        s.created_at = app_.Now();
        auto inserted = a.InsertShelter(s);
        if (!inserted && inserted.error().reason == "constraint")
          return Fail(ErrorCode::kConflict, "duplicate_name",
                      "this organisation already has a shelter with this name", "name");
        if (!inserted) return std::unexpected(inserted.error());
        s.id = *inserted;
        store::StoredShelter stored{s, {}};
        if (!s.address.empty()) {
          TRY(auto key, app_.OrganizationKey(tx, s.organization_id));
          TRY(stored.sealed_address, SealField(key, s.address, AddressAd(s.id)));
          TRY_STATUS(a.SetShelterAddress(s.id, stored.sealed_address));
        }
        TRY_STATUS(app_.Audit(
            tx, actor, "shelter.create", "shelter", std::to_string(s.id),
            Json{{"name", s.name}, {"organization_id", s.organization_id}, {"capacity", s.capacity}}
                .dump()));
        return App::Written<ShelterView>{View(tx, actor, stored, 0), s.id};
      });
}

Result<Page<ShelterView>> AssistanceService::ListShelters(const Actor& actor,
                                                          const PageRequest& p) {
  TRY_STATUS(CheckLimit(p.limit));
  TRY(auto after, ParseCursor(p.cursor));
  TRY(auto tx, app_.Store().Begin(false));
  auto& a = tx->Assistance();
  TRY(auto rows, a.ListShelters(after, p.limit + 1));
  auto stored = MakePage(std::move(rows), p.limit, [](const auto& s) { return s.shelter.id; });
  Page<ShelterView> page;
  page.next_cursor = stored.next_cursor;
  for (const auto& s : stored.items) {
    TRY(int occupied, a.Occupied(s.shelter.id));
    page.items.push_back(View(*tx, actor, s, occupied));
  }
  return page;
}

Result<ShelterView> AssistanceService::GetShelter(const Actor& actor, Id id) {
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto s, tx->Assistance().GetShelter(id));
  if (!s) return Fail(ErrorCode::kNotFound, "not_found", "no such shelter");
  TRY(int occupied, tx->Assistance().Occupied(id));
  return View(*tx, actor, *s, occupied);
}

Result<std::vector<store::OccupancyPoint>> AssistanceService::Occupancy(const Actor& actor, Id id,
                                                                        const domain::Date& from,
                                                                        const domain::Date& to) {
  (void)actor;  // occupancy is not sensitive: every signed-in user plans with it
  if (to < from) return Invalid("to", "is before from");
  if ((to.Days() - from.Days()).count() > 3660) return Invalid("to", "at most ten years at once");
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto s, tx->Assistance().GetShelter(id));
  if (!s) return Fail(ErrorCode::kNotFound, "not_found", "no such shelter");
  return tx->Assistance().Occupancy(id, from, to);
}

// ---------------------------------------------------------------- stays

Result<Id> AssistanceService::StaffOf(const Actor& actor, const store::StoredShelter& s) {
  TRY_STATUS(Require(actor.role, P::kShelterStaff));
  if (!AccessPolicy::ShelterStaff(actor, s.shelter))
    return Fail(ErrorCode::kForbidden, "forbidden",
                "only the staff of the shelter's organisation admit and discharge");
  return s.shelter.id;
}

Result<domain::Stay> AssistanceService::Admit(const Actor& actor, Id shelter_id, Id case_id,
                                              const domain::Date& admitted_on,
                                              const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kShelterStaff));
  TRY_STATUS(NotFuture(admitted_on, app_.Today(), "admitted_on"));
  // The write transaction holds the database's write lock from its first
  // statement: counting the occupants and inserting the stay cannot interleave
  // with another admission, so the last bed goes to exactly one request.
  return app_.IdempotentWrite<domain::Stay>(
      actor, w, "stay",
      [&](store::Transaction& tx, Id replay) { return tx.Assistance().GetStay(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Stay>> {
        auto& a = tx.Assistance();
        TRY(auto shelter, a.GetShelter(shelter_id));
        if (!shelter) return Fail(ErrorCode::kNotFound, "not_found", "no such shelter");
        TRY_STATUS(StaffOf(actor, *shelter));
        // The shelter's own case, or one referred to the shelter's organisation with
        // the person's consent to share her shelter stays.
        auto access = app_.Access(tx, actor, case_id);
        if (!access) {
          if (access.error().code == ErrorCode::kNotFound) access.error().field = "case_id";
          return std::unexpected(access.error());
        }
        TRY_STATUS(access->RequireWrite(DataCategory::kShelter));
        const domain::Case* c = &access->Case();
        TRY_STATUS(CaseOpen(*c));
        if (admitted_on < c->fields.identified_on)
          return Invalid("admitted_on", "is before the case was identified");
        TRY(auto open, a.OpenStayOfCase(case_id));
        if (open)
          return Fail(ErrorCode::kConflict, "already_admitted",
                      fmt::format("case {} is already in a shelter (stay {}); discharge it first",
                                  c->code, open->id),
                      "case_id");
        TRY(int occupied, a.Occupied(shelter_id));
        if (occupied >= shelter->shelter.capacity)
          return Fail(ErrorCode::kConflict, "shelter_full",
                      fmt::format("{} is full ({} of {} beds taken)", shelter->shelter.name,
                                  occupied, shelter->shelter.capacity),
                      "shelter_id");
        domain::Stay stay;
        stay.shelter_id = shelter_id;
        stay.case_id = case_id;
        stay.admitted_on = admitted_on;
        stay.created_at = app_.Now();
        TRY(stay.id, a.InsertStay(stay));
        Json details = {{"shelter_id", shelter_id},
                        {"case_id", case_id},
                        {"code", c->code},
                        {"admitted_on", admitted_on.ToString()}};
        // A receiver's admission names the consent (or override) it relied on.
        if (access->CrossOrganisation()) details["grounds"] = access->Grounds();
        TRY_STATUS(app_.Audit(tx, actor, "stay.admit", "stay", std::to_string(stay.id),
                              details.dump()));
        return App::Written<domain::Stay>{stay, stay.id};
      });
}

Result<domain::Stay> AssistanceService::Discharge(const Actor& actor, Id stay_id,
                                                  const domain::Date& on,
                                                  domain::DischargeReason reason,
                                                  const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kShelterStaff));
  TRY_STATUS(NotFuture(on, app_.Today(), "discharged_on"));
  return app_.IdempotentWrite<domain::Stay>(
      actor, w, "stay_discharge",
      [&](store::Transaction& tx, Id replay) { return tx.Assistance().GetStay(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Stay>> {
        auto& a = tx.Assistance();
        TRY(auto stay, a.GetStay(stay_id));
        if (!stay) return Fail(ErrorCode::kNotFound, "not_found", "no such stay");
        TRY(auto shelter, a.GetShelter(stay->shelter_id));
        if (!shelter) return Internal("a stay refers to a missing shelter");
        // Another shelter's stay answers exactly like a missing one.
        if (!AccessPolicy::ShelterStaff(actor, shelter->shelter))
          return Fail(ErrorCode::kNotFound, "not_found", "no such stay");
        if (stay->discharged_on)
          return Fail(ErrorCode::kConflict, "already_discharged",
                      fmt::format("this stay ended on {}", stay->discharged_on->ToString()));
        if (on < stay->admitted_on)
          return Invalid("discharged_on", fmt::format("is before the admission on {}",
                                                      stay->admitted_on.ToString()));
        TRY_STATUS(a.DischargeStay(stay_id, on, reason));
        stay->discharged_on = on;
        stay->discharge_reason = reason;
        TRY_STATUS(app_.Audit(tx, actor, "stay.discharge", "stay", std::to_string(stay_id),
                              Json{{"shelter_id", stay->shelter_id},
                                   {"case_id", stay->case_id},
                                   {"discharged_on", on.ToString()},
                                   {"reason", Name(reason)}}
                                  .dump()));
        return App::Written<domain::Stay>{*stay, stay_id};
      });
}

Result<std::vector<domain::Stay>> AssistanceService::StaysOfCase(const Actor& actor, Id case_id) {
  TRY(auto read, app_.BeginCaseRead(actor, case_id));
  TRY_STATUS(read.access.RequireRead(DataCategory::kShelter));
  TRY(auto stays, read.tx->Assistance().StaysOfCase(case_id));
  TRY_STATUS(app_.FinishCaseRead(read, actor, "stays", {DataCategory::kShelter}));
  return stays;
}

Result<std::vector<AssistanceService::Resident>> AssistanceService::CurrentStays(const Actor& actor,
                                                                                Id shelter_id) {
  TRY_STATUS(Require(actor.role, P::kShelterStaff));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto shelter, tx->Assistance().GetShelter(shelter_id));
  if (!shelter) return Fail(ErrorCode::kNotFound, "not_found", "no such shelter");
  TRY_STATUS(StaffOf(actor, *shelter));
  TRY(auto stays, tx->Assistance().OpenStaysOfShelter(shelter_id));
  std::vector<Resident> out;
  Json across = Json::array();
  for (auto& stay : stays) {
    Resident r{stay, {}};
    auto access = app_.Access(*tx, actor, stay.case_id);
    if (access && access->CanRead(DataCategory::kShelter)) {
      r.case_code = access->Case().code;
      if (access->CrossOrganisation()) across.push_back(stay.case_id);
    }
    out.push_back(std::move(r));
  }
  TRY_STATUS(app_.Audit(*tx, actor, "shelter.residents_view", "shelter",
                        std::to_string(shelter_id),
                        Json{{"stays", out.size()}, {"cases_of_other_organisations", across}}.dump()));
  TRY_STATUS(tx->Commit());
  return out;
}

// ---------------------------------------------------------------- services

Result<domain::Service> AssistanceService::RecordService(const Actor& actor, Id case_id,
                                                         domain::Service s,
                                                         const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kChangeCase));
  return app_.IdempotentWrite<domain::Service>(
      actor, w, "service",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<domain::Service>> {
        auto& a = tx.Assistance();
        TRY(auto rows, a.ServicesOfCase(case_id));
        for (auto& r : rows)
          if (r.service.id == replay) return r.service;
        return std::optional<domain::Service>();
      },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Service>> {
        auto& a = tx.Assistance();
        TRY(auto access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(domain::CategoryOfService(s.type)));
        const domain::Case& c = access.Case();
        TRY_STATUS(CaseOpen(c));
        TRY_STATUS(domain::ValidateService(s, c.fields.identified_on, app_.Today()));
        TRY(auto provider, tx.GetOrganization(s.provider_organization_id));
        if (!provider) return Invalid("provider_organization_id", "no such organisation");
        s.case_id = case_id;
        s.recorded_by = actor.user_id;
        s.created_at = app_.Now();
        TRY(s.id, a.InsertService(s, std::string()));
        TRY(auto key, app_.CaseKey(tx, c));
        if (!s.notes.empty()) {
          TRY(auto sealed, SealField(key, s.notes, ServiceNotesAd(case_id, s.id)));
          TRY_STATUS(a.SetServiceNotes(s.id, sealed));
        }
        if (s.unit || s.outcome) {
          TRY(auto sealed, SealField(key, ServiceText(s).dump(), ServiceTextAd(s.id)));
          TRY_STATUS(a.SetServiceText(s.id, sealed));
        }
        Json details = {{"case_id", case_id},
                        {"code", c.code},
                        {"type", Name(s.type)},
                        {"provider_organization_id", s.provider_organization_id},
                        {"delivered_on", s.delivered_on.ToString()}};
        if (access.CrossOrganisation()) details["grounds"] = access.Grounds();
        TRY_STATUS(app_.Audit(tx, actor, "service.record", "service", std::to_string(s.id),
                              details.dump()));
        return App::Written<domain::Service>{s, s.id};
      });
}

Result<std::vector<ServiceView>> AssistanceService::ServicesOfCase(const Actor& actor,
                                                                   Id case_id) {
  TRY(auto read, app_.BeginCaseRead(actor, case_id));
  const CaseAccess& access = read.access;
  if (!access.CanRead(DataCategory::kServices) && !access.CanRead(DataCategory::kHealth))
    TRY_STATUS(access.RequireRead(DataCategory::kServices));
  const bool notes = access.CanRead(DataCategory::kNotes);
  TRY(auto rows, read.tx->Assistance().ServicesOfCase(case_id));
  std::vector<ServiceView> out;
  std::set<DataCategory> shown;
  for (auto& r : rows) {
    // Health care is a category of its own: absent unless consented.
    const DataCategory category = domain::CategoryOfService(r.service.type);
    if (!access.CanRead(category)) continue;
    shown.insert(category);
    ServiceView v{r.service, notes};
    v.service.unit.reset();
    v.service.outcome.reset();
    if (notes) {
      TRY(const auto key, app_.CaseKey(*read.tx, access.Case()));
      if (!r.sealed_notes.empty()) {
        TRY(v.service.notes,
            OpenField(key, r.sealed_notes, ServiceNotesAd(case_id, r.service.id)));
      }
      if (!r.sealed_text.empty()) {
        TRY(auto text, OpenField(key, r.sealed_text, ServiceTextAd(r.service.id)));
        Json j = Json::parse(text, nullptr, false);
        if (j.is_object()) {
          if (j.contains("unit")) v.service.unit = j["unit"].get<std::string>();
          if (j.contains("outcome")) v.service.outcome = j["outcome"].get<std::string>();
        }
      } else {
        v.service.unit = r.service.unit;  // a row from before free text was sealed
        v.service.outcome = r.service.outcome;
      }
      shown.insert(DataCategory::kNotes);
    }
    out.push_back(std::move(v));
  }
  TRY_STATUS(app_.FinishCaseRead(read, actor, "services", {shown.begin(), shown.end()}));
  return out;
}

// ---------------------------------------------------------------- identification

Result<domain::Case> AssistanceService::RecordDecision(const Actor& actor, Id case_id,
                                                       domain::IdentificationDecision d,
                                                       const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kRecordDecision));
  return app_.IdempotentWrite<domain::Case>(
      actor, w, "identification_decision",
      [&](store::Transaction& tx, Id) { return app_.ReplayedCase(tx, actor, case_id); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Case>> {
        TRY(auto access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kCaseFacts));
        domain::Case c = access.Case();
        TRY_STATUS(domain::ValidateDecision(d, c.fields.identified_on, app_.Today()));
        d.case_id = case_id;
        d.recorded_by = actor.user_id;
        d.created_at = app_.Now();
        TRY(d.id, tx.Assistance().InsertDecision(d, std::string()));
        TRY(auto key, app_.CaseKey(tx, c));
        if (!d.reasons.empty()) {
          TRY(auto sealed, SealField(key, d.reasons, ReasonsAd(case_id, d.id)));
          TRY_STATUS(tx.Assistance().SetDecisionReasons(d.id, sealed));
        }
        TRY(auto sealed_text, SealField(key, Json{{"deciding_body", d.deciding_body}}.dump(),
                                        DecisionTextAd(d.id)));
        TRY_STATUS(tx.Assistance().SetDecisionText(d.id, sealed_text));
        // The status in force: the appeal's outcome once decided, else the decision.
        c.victim_status = d.appeal_outcome.value_or(d.decision);
        c.victim_status_on = d.appeal_decided_on.value_or(d.decided_on);
        c.updated_at = app_.Now();
        c.version += 1;
        TRY_STATUS(tx.UpdateCase(c));
        TRY_STATUS(app_.Audit(tx, actor, "case.identification_decision", "case",
                              std::to_string(case_id),
                              Json{{"code", c.code},
                                   {"decision", Name(d.decision)},
                                   {"decided_on", d.decided_on.ToString()},
                                   {"victim_status", Name(c.victim_status)},
                                   {"appeal", d.appeal_filed_on.has_value()}}
                                  .dump()));
        return App::Written<domain::Case>{c, case_id};
      });
}

Result<std::vector<DecisionView>> AssistanceService::DecisionsOfCase(const Actor& actor,
                                                                     Id case_id) {
  TRY(auto read, app_.BeginCaseRead(actor, case_id));
  const CaseAccess& access = read.access;
  TRY_STATUS(access.RequireRead(DataCategory::kCaseFacts));
  // The reasons are free text: those who may read the case's notes, and the
  // coordinators who write them when they record the decision.
  const bool reasons = AccessPolicy::ReadsDecisionText(actor, access);
  TRY(auto rows, read.tx->Assistance().DecisionsOfCase(case_id));
  std::vector<DecisionView> out;
  bool reasons_shown = false;
  std::optional<privacy::SealingKey> key;
  if (reasons && !rows.empty()) {
    TRY(key, app_.CaseKey(*read.tx, access.Case()));
  }
  for (auto& r : rows) {
    DecisionView v{r.decision, reasons};
    if (!reasons) v.decision.deciding_body.clear();
    if (reasons && !r.sealed_text.empty()) {
      TRY(auto text, OpenField(*key, r.sealed_text, DecisionTextAd(r.decision.id)));
      Json j = Json::parse(text, nullptr, false);
      if (j.is_object() && j.contains("deciding_body"))
        v.decision.deciding_body = j["deciding_body"].get<std::string>();
    }
    if (reasons && !r.sealed_reasons.empty()) {
      TRY(v.decision.reasons,
          OpenField(*key, r.sealed_reasons, ReasonsAd(case_id, r.decision.id)));
      reasons_shown = true;
    }
    out.push_back(std::move(v));
  }
  std::vector<DataCategory> shown = {DataCategory::kCaseFacts};
  if (reasons_shown) shown.push_back(DataCategory::kNotes);
  TRY_STATUS(app_.FinishCaseRead(read, actor, "identification_decisions", shown));
  return out;
}

// ---------------------------------------------------------------- allowances

Result<domain::AllowanceRate> AssistanceService::CreateRate(const Actor& actor,
                                                            domain::AllowanceRate r,
                                                            const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManageRates));
  TRY_STATUS(domain::ValidateRate(r));
  return app_.IdempotentWrite<domain::AllowanceRate>(
      actor, w, "allowance_rate",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<domain::AllowanceRate>> {
        auto& a = tx.Assistance();
        TRY(auto all, a.AllRates());
        for (auto& existing : all)
          if (existing.id == replay) return existing;
        return std::optional<domain::AllowanceRate>();
      },
      [&](store::Transaction& tx) -> Result<App::Written<domain::AllowanceRate>> {
        auto& a = tx.Assistance();
        TRY(auto same_kind, a.Rates(r.kind));
        for (const auto& existing : same_kind) {
          if (existing.effective_from == r.effective_from)
            return Fail(ErrorCode::kConflict, "rate_overlaps",
                        fmt::format("a {} rate already takes effect on {}", r.kind,
                                    r.effective_from.ToString()),
                        "effective_from");
          if (existing.currency != r.currency)
            return Fail(ErrorCode::kConflict, "currency_mismatch",
                        fmt::format("{} rates are in {}; a schedule keeps one currency", r.kind,
                                    existing.currency),
                        "currency");
          if (existing.period != r.period)
            return Fail(ErrorCode::kConflict, "period_mismatch",
                        fmt::format("{} is paid once per {}; a schedule keeps one period", r.kind,
                                    Name(existing.period)),
                        "period");
        }
        r.created_at = app_.Now();
        TRY(r.id, a.InsertRate(r));
        TRY_STATUS(app_.Audit(tx, actor, "allowance_rate.create", "allowance_rate",
                              std::to_string(r.id),
                              Json{{"kind", r.kind},
                                   {"amount_minor", r.amount_minor},
                                   {"currency", r.currency},
                                   {"period", Name(r.period)},
                                   {"effective_from", r.effective_from.ToString()}}
                                  .dump()));
        return App::Written<domain::AllowanceRate>{r, r.id};
      });
}

Result<std::vector<domain::AllowanceRate>> AssistanceService::ListRates(const Actor&) {
  TRY(auto tx, app_.Store().Begin(false));
  return tx->Assistance().AllRates();
}

Result<domain::Payment> AssistanceService::RequestPayment(const Actor& actor, Id case_id,
                                                          const std::string& kind,
                                                          const domain::Date& paid_on,
                                                          const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kRequestPayment));
  if (w.idempotency_key.empty())
    return Invalid("Idempotency-Key",
                   "a payment request needs an Idempotency-Key header, so that a retry can "
                   "never pay twice");
  TRY_STATUS(domain::CheckKind(kind, "kind"));
  TRY_STATUS(NotFuture(paid_on, app_.Today(), "paid_on"));
  return app_.IdempotentWrite<domain::Payment>(
      actor, w, "payment",
      [&](store::Transaction& tx, Id replay) { return tx.Assistance().GetPayment(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Payment>> {
        auto& a = tx.Assistance();
        TRY(auto access, app_.Access(tx, actor, case_id));
        TRY_STATUS(access.RequireWrite(DataCategory::kMoney));
        const domain::Case& c = access.Case();
        TRY_STATUS(CaseOpen(c));
        TRY_STATUS(domain::CheckEligibleForAllowance(c));
        if (paid_on < c.fields.identified_on)
          return Invalid("paid_on", "is before the case was identified");
        TRY(auto rates, a.Rates(kind));
        if (rates.empty()) return Invalid("kind", fmt::format("no {} rate is defined", kind));
        const domain::AllowanceRate* rate = domain::RateInForce(rates, paid_on);
        if (!rate)
          return Fail(ErrorCode::kConflict, "no_rate_in_force",
                      fmt::format("no {} rate was in force on {}", kind, paid_on.ToString()),
                      "paid_on");
        domain::Payment p;
        p.case_id = case_id;
        p.organization_id = c.organization_id;
        p.kind = kind;
        p.paid_on = paid_on;
        p.amount_minor = rate->amount_minor;  // from the schedule, never from the request
        p.currency = rate->currency;
        p.rate_id = rate->id;
        p.period = domain::PeriodOf(rate->period, paid_on);
        p.status = domain::PaymentStatus::kPendingApproval;
        p.requested_by = actor.user_id;
        p.case_code = c.code;
        p.created_at = app_.Now();
        auto inserted = a.InsertPayment(p);
        if (!inserted && inserted.error().reason == "constraint")
          return Fail(ErrorCode::kConflict, "duplicate_payment",
                      rate->period == domain::AllowancePeriod::kOnce
                          ? fmt::format("case {} already has its {} (paid once)", c.code, kind)
                          : fmt::format("case {} already has a {} for {} (one per {})", c.code,
                                        kind, p.period, Name(rate->period)),
                      "paid_on");
        if (!inserted) return std::unexpected(inserted.error());
        p.id = *inserted;
        TRY_STATUS(app_.Audit(tx, actor, "payment.request", "payment", std::to_string(p.id),
                              Json{{"case_id", case_id},
                                   {"code", c.code},
                                   {"kind", kind},
                                   {"paid_on", paid_on.ToString()},
                                   {"amount_minor", p.amount_minor},
                                   {"currency", p.currency}}
                                  .dump()));
        return App::Written<domain::Payment>{p, p.id};
      });
}

Result<domain::Payment> AssistanceService::ApprovePayment(const Actor& actor, Id payment_id,
                                                          const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kApprovePayment));
  return app_.IdempotentWrite<domain::Payment>(
      actor, w, "payment_approval",
      [&](store::Transaction& tx, Id replay) { return tx.Assistance().GetPayment(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Payment>> {
        auto& a = tx.Assistance();
        TRY(auto p, a.GetPayment(payment_id));
        if (!p) return Fail(ErrorCode::kNotFound, "not_found", "no such payment");
        if (p->status == domain::PaymentStatus::kApproved)
          return Fail(ErrorCode::kConflict, "already_approved", "this payment is already approved");
        if (p->status != domain::PaymentStatus::kPendingApproval)
          return Fail(ErrorCode::kConflict, "not_pending",
                      fmt::format("this payment was {}", Name(p->status)));
        // Still eligible now: the victim status may have changed since the request.
        TRY(auto c, tx.GetCase(p->case_id));
        if (!c) return Internal("a payment's case is gone");
        if (c->status == domain::CaseStatus::kClosed)
          return Fail(ErrorCode::kConflict, "case_closed",
                      fmt::format("case {} was closed after the request; reject the payment or "
                                  "reopen the case",
                                  c->code));
        if (auto eligible = domain::CheckEligibleForAllowance(*c); !eligible)
          return Fail(ErrorCode::kConflict, "not_eligible", eligible.error().message);
        TRY(auto approver, tx.GetUser(actor.user_id));
        TRY(auto requester, tx.GetUser(p->requested_by));
        if (!approver || !requester) return Internal("a payment's requester or approver is gone");
        TRY_STATUS(AccessPolicy::MayApprove(approver->user, requester->user));
        TRY_STATUS(a.ApprovePayment(payment_id, actor.user_id, app_.Now()));
        p->status = domain::PaymentStatus::kApproved;
        p->approved_by = actor.user_id;
        p->approved_at = app_.Now();
        TRY_STATUS(app_.Audit(tx, actor, "payment.approve", "payment", std::to_string(payment_id),
                              Json{{"case_id", p->case_id},
                                   {"amount_minor", p->amount_minor},
                                   {"currency", p->currency}}
                                  .dump()));
        return App::Written<domain::Payment>{*p, payment_id};
      });
}

namespace {
SealedField PaymentReasonAd(Id id) {
  return Field("payments", id, "reason", fmt::format("payment:{}:reason", id));
}
}  // namespace

Result<domain::Payment> AssistanceService::DecidePayment(const Actor& actor, Id payment_id,
                                                         domain::PaymentStatus to,
                                                         const std::string& reason,
                                                         const WriteOptions& w) {
  const bool reject = to == domain::PaymentStatus::kRejected;
  TRY_STATUS(Require(actor.role, reject ? P::kApprovePayment : P::kRequestPayment));
  TRY_STATUS(domain::CheckStatedReason(reason, "reason",
                                       reject ? "reject the payment" : "cancel the payment"));
  return app_.IdempotentWrite<domain::Payment>(
      actor, w, reject ? "payment_rejection" : "payment_cancellation",
      [&](store::Transaction& tx, Id replay) { return tx.Assistance().GetPayment(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Payment>> {
        auto& a = tx.Assistance();
        TRY(auto p, a.GetPayment(payment_id));
        if (!p) return Fail(ErrorCode::kNotFound, "not_found", "no such payment");
        TRY(auto access, app_.Access(tx, actor, p->case_id));
        // The approver rejects; the case's own staff cancel what they asked for.
        if (!reject) TRY_STATUS(access.RequireWrite(DataCategory::kMoney));
        if (p->status != domain::PaymentStatus::kPendingApproval)
          return Fail(ErrorCode::kConflict, "not_pending",
                      fmt::format("this payment is {}; only a pending one can be {}",
                                  Name(p->status), reject ? "rejected" : "cancelled"));
        const domain::Case& c = access.Case();
        TRY(auto key, app_.CaseKey(tx, c));
        TRY(auto sealed, SealField(key, reason, PaymentReasonAd(payment_id)));
        TRY_STATUS(a.DecidePayment(payment_id, to, actor.user_id, app_.Now(), sealed));
        p->status = to;
        p->decided_by = actor.user_id;
        p->decided_at = app_.Now();
        p->reason = reason;
        TRY_STATUS(app_.Audit(tx, actor, reject ? "payment.reject" : "payment.cancel", "payment",
                              std::to_string(payment_id),
                              Json{{"case_id", p->case_id}, {"code", c.code}}.dump(), reason));
        return App::Written<domain::Payment>{*p, payment_id};
      });
}

Result<Page<domain::Payment>> AssistanceService::ListPayments(const Actor& actor,
                                                              std::optional<Id> case_id,
                                                              const PageRequest& p,
                                                              std::optional<domain::PaymentStatus> status) {
  TRY_STATUS(CheckLimit(p.limit));
  TRY(auto before, ParseCursor(p.cursor));
  store::PaymentFilter f;
  f.case_id = case_id;
  f.status = status;
  if (before) f.before_id = before;
  f.limit = p.limit + 1;
  if (case_id) {
    TRY(auto read, app_.BeginCaseRead(actor, *case_id));
    TRY_STATUS(read.access.RequireRead(DataCategory::kMoney));
    TRY(auto rows, read.tx->Assistance().ListPayments(f));
    TRY_STATUS(app_.FinishCaseRead(read, actor, "payments", {DataCategory::kMoney}));
    return MakePage(std::move(rows), p.limit, [](const auto& p) { return p.id; });
  }
  // The whole ledger is the coordinators' (they approve it).
  TRY_STATUS(Require(actor.role, P::kApprovePayment));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto rows, tx->Assistance().ListPayments(f));
  return MakePage(std::move(rows), p.limit, [](const auto& p) { return p.id; });
}

Result<PaymentTotalsView> AssistanceService::PaymentTotals(const Actor& actor, int year,
                                                           const std::string& group_by) {
  TRY_STATUS(Require(actor.role, P::kReadStatistics));
  if (year < 1900 || year > 2200) return Invalid("year", "must be a year such as 2026");
  if (group_by != "year" && group_by != "month" && group_by != "organization")
    return Invalid("group_by", "must be year, month or organization");
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto rows, tx->Assistance().PaymentTotals(year, group_by));
  // Every period of the year is a row (an empty month is a zero, not a gap).
  std::vector<std::string> labels;
  if (group_by == "month")
    for (int m = 1; m <= 12; ++m) labels.push_back(fmt::format("{:04d}-{:02d}", year, m));
  else if (group_by == "year")
    labels.push_back(std::to_string(year));
  else
    for (const auto& r : rows)
      if (std::find(labels.begin(), labels.end(), r.period) == labels.end())
        labels.push_back(r.period);
  report::Report rep;
  rep.tables = report::AllowanceTables(rows, group_by, labels);
  const int threshold = app_.config().suppression_threshold;
  TRY_STATUS(report::ProtectReport(rep, threshold, std::nullopt, nullptr));
  PaymentTotalsView view{year, group_by, threshold, {}};
  const auto& counts = rep.tables[0];
  const auto& amounts = rep.tables[1];
  for (int r = 0; r < counts.grid.rows; ++r)
    for (int c = 0; c < counts.grid.cols; ++c) {
      const auto& n = counts.grid.At(r, c);
      const auto& a = amounts.grid.At(r, c);
      if (n.value == 0 && !n.Suppressed()) continue;
      PaymentTotalRow row{counts.row_labels[static_cast<std::size_t>(r)],
                          counts.column_labels[static_cast<std::size_t>(c)], {}, {}, {}, {}};
      if (n.Suppressed()) row.payments_hidden = report::CellText(n, threshold);
      else row.payments = n.value;
      if (a.Suppressed()) row.amount_hidden = report::CellText(a, threshold);
      else row.amount_minor = a.value;
      view.rows.push_back(std::move(row));
    }
  TRY_STATUS(app_.Audit(*tx, actor, "allowances.totals", "report", "allowances",
                        Json{{"year", year},
                             {"group_by", group_by},
                             {"suppression_threshold", threshold},
                             {"cells_hidden", rep.suppression.primary + rep.suppression.secondary}}
                            .dump()));
  TRY_STATUS(tx->Commit());
  return view;
}

Result<std::int64_t> AssistanceService::SealLegacyFreeText() {
  TRY(auto tx, app_.Store().Begin(true));
  auto& a = tx->Assistance();
  std::int64_t sealed = 0;
  TRY(auto services, a.ServicesWithClearText());
  for (const auto& s : services) {
    TRY(auto c, tx->GetCase(s.service.case_id));
    if (!c) return Internal("a service refers to a missing case");
    TRY(auto key, app_.CaseKey(*tx, *c));
    TRY(auto sealed_text,
        SealField(key, ServiceText(s.service).dump(), ServiceTextAd(s.service.id)));
    TRY_STATUS(a.SetServiceText(s.service.id, sealed_text));
    ++sealed;
  }
  TRY(auto decisions, a.DecisionsWithClearText());
  for (const auto& d : decisions) {
    TRY(auto c, tx->GetCase(d.decision.case_id));
    if (!c) return Internal("a decision refers to a missing case");
    TRY(auto key, app_.CaseKey(*tx, *c));
    TRY(auto sealed_text, SealField(key, Json{{"deciding_body", d.decision.deciding_body}}.dump(),
                                    DecisionTextAd(d.decision.id)));
    TRY_STATUS(a.SetDecisionText(d.decision.id, sealed_text));
    ++sealed;
  }
  if (sealed > 0)
    TRY_STATUS(app_.Audit(*tx, Actor::System("seal"), "storage.free_text_sealed", "storage", "",
                          Json{{"records", sealed}}.dump()));
  TRY_STATUS(tx->Commit());
  return sealed;
}

// ---------------------------------------------------------------- tasks

Result<std::vector<Task>> AssistanceService::Tasks(const Actor& actor, int within_days) {
  if (within_days < 0 || within_days > 365) return Invalid("within_days", "must be 0 to 365");
  domain::Date today = app_.Today();
  domain::Date horizon = today.PlusDays(within_days);
  std::vector<Task> out;
  TRY(auto tx, app_.Store().Begin(false));
  if (Can(actor.role, P::kReadOwnCases)) {
    store::CaseFilter f;
    f.organization_id = actor.organization_id;
    f.status = domain::CaseStatus::kReflectionPeriod;
    f.limit = 10000;
    TRY(auto cases, tx->ListCases(f));
    for (const auto& c : cases) {
      if (!c.reflection_end || *c.reflection_end > horizon) continue;
      bool overdue = *c.reflection_end < today;
      out.push_back(Task{"reflection_period_ending", c.id, c.code, *c.reflection_end, overdue,
                         overdue ? "the recovery and reflection period has ended; decide the "
                                   "next step"
                                 : "the recovery and reflection period ends soon"});
    }
  }
  if (Can(actor.role, P::kApprovePayment)) {
    store::PaymentFilter f;
    f.status = domain::PaymentStatus::kPendingApproval;
    f.limit = 10000;
    TRY(auto pending, tx->Assistance().ListPayments(f));
    for (const auto& p : pending) {
      TRY(auto c, tx->GetCase(p.case_id));
      out.push_back(Task{"payment_awaiting_approval", p.case_id, c ? c->code : "", p.paid_on,
                         p.paid_on < today,
                         fmt::format("a {} payment of {} awaits approval", p.kind,
                                     domain::FormatMoney(p.amount_minor, p.currency))});
    }
  }
  TRY(auto stage_tasks, StageTasks(app_, *tx, actor, today, within_days));
  out.insert(out.end(), stage_tasks.begin(), stage_tasks.end());
  std::sort(out.begin(), out.end(), [](const Task& a, const Task& b) {
    return std::tie(a.due_on, a.case_id) < std::tie(b.due_on, b.case_id);
  });
  return out;
}

}  // namespace haven::app
