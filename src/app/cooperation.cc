#include "app/cooperation.h"

#include <algorithm>

#include <fmt/format.h>

#include "app/permissions.h"

namespace haven::app {

using domain::Json;
using P = Permission;

namespace {

Status PartiesExist(store::Transaction& tx, const std::vector<Id>& ids) {
  for (Id id : ids) {
    TRY(auto org, tx.GetOrganization(id));
    if (!org) return Invalid("party_organization_ids", fmt::format("no organisation {}", id));
  }
  return {};
}

Json AgreementDetails(const domain::Agreement& a) {
  return {{"title", a.title},
          {"kind", Name(a.kind)},
          {"party_organization_ids", a.party_organization_ids},
          {"starts_on", a.starts_on.ToString()},
          {"version", a.version}};
}

}  // namespace

Result<AgreementView> CooperationService::CreateAgreement(const Actor& actor, domain::Agreement a,
                                                          const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManageCooperation));
  const domain::Date today = app_.Today();
  TRY_STATUS(domain::CheckAgreement(a, today));
  return app_.IdempotentWrite<AgreementView>(
      actor, w, "agreement",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<AgreementView>> {
        TRY(auto got, tx.Prevention().GetAgreement(replay));
        if (!got) return std::optional<AgreementView>();
        return std::optional(AgreementView{*got, domain::StatusOf(*got, today)});
      },
      [&](store::Transaction& tx) -> Result<App::Written<AgreementView>> {
        TRY_STATUS(PartiesExist(tx, a.party_organization_ids));
        a.version = 1;
        a.recorded_by = actor.user_id;
        a.created_at = a.updated_at = app_.Now();
        TRY(a.id, tx.Prevention().InsertAgreement(a));
        TRY_STATUS(app_.Audit(tx, actor, "agreement.create", "agreement", std::to_string(a.id),
                              AgreementDetails(a).dump()));
        return App::Written<AgreementView>{{a, domain::StatusOf(a, today)}, a.id};
      });
}

Result<AgreementView> CooperationService::UpdateAgreement(const Actor& actor, Id id,
                                                          domain::Agreement a) {
  TRY_STATUS(Require(actor.role, P::kManageCooperation));
  const domain::Date today = app_.Today();
  TRY_STATUS(domain::CheckAgreement(a, today));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto stored, tx->Prevention().GetAgreement(id));
  if (!stored) return Fail(ErrorCode::kNotFound, "not_found", "no such agreement");
  if (a.version != stored->version)
    return Fail(ErrorCode::kConflict, "stale_update",
                fmt::format("the agreement is at version {}, not {}: reload it and make your change again",
                            stored->version, a.version),
                "version");
  TRY_STATUS(PartiesExist(*tx, a.party_organization_ids));
  a.id = id;
  a.version = stored->version + 1;
  a.recorded_by = stored->recorded_by;
  a.created_at = stored->created_at;
  a.updated_at = app_.Now();
  auto updated = tx->Prevention().UpdateAgreement(a);
  if (!updated && updated.error().reason == "stale")
    return Fail(ErrorCode::kConflict, "stale_update", "the agreement was changed meanwhile; reload it",
                "version");
  if (!updated) return std::unexpected(updated.error());
  TRY_STATUS(app_.Audit(*tx, actor, "agreement.update", "agreement", std::to_string(id),
                        AgreementDetails(a).dump()));
  TRY_STATUS(tx->Commit());
  return AgreementView{a, domain::StatusOf(a, today)};
}

Result<std::vector<AgreementView>> CooperationService::ListAgreements(const Actor& actor,
                                                                      std::optional<Id> party) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto rows, tx->Prevention().ListAgreements(party));
  std::vector<AgreementView> out;
  for (auto& a : rows) {
    const auto status = domain::StatusOf(a, app_.Today());
    out.push_back({std::move(a), status});
  }
  return out;
}

Result<AgreementDetail> CooperationService::GetAgreement(const Actor& actor, Id id) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto a, tx->Prevention().GetAgreement(id));
  if (!a) return Fail(ErrorCode::kNotFound, "not_found", "no such agreement");
  AgreementDetail out;
  TRY(out.activity, tx->Prevention().ActivityOf(*a, app_.Today()));
  out.view = {*a, domain::StatusOf(*a, app_.Today())};
  return out;
}

Result<domain::Convention> CooperationService::CreateConvention(const Actor& actor,
                                                                domain::Convention c,
                                                                const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManageCooperation));
  TRY_STATUS(domain::CheckConvention(c, app_.Today()));
  return app_.IdempotentWrite<domain::Convention>(
      actor, w, "convention",
      [&](store::Transaction& tx, Id replay) { return tx.Prevention().GetConvention(replay); },
      [&](store::Transaction& tx) -> Result<App::Written<domain::Convention>> {
        c.recorded_by = actor.user_id;
        c.created_at = app_.Now();
        TRY(c.id, tx.Prevention().InsertConvention(c));
        TRY_STATUS(app_.Audit(tx, actor, "convention.create", "convention", std::to_string(c.id),
                              Json{{"title", c.title}, {"joined_on", c.joined_on.ToString()}}.dump()));
        return App::Written<domain::Convention>{c, c.id};
      });
}

Result<std::vector<ConventionView>> CooperationService::ListConventions(const Actor& actor) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto rows, tx->Prevention().ListConventions());
  std::vector<ConventionView> out;
  for (auto& c : rows) {
    TRY(auto rounds, tx->Prevention().RoundsOf(c.id));
    out.push_back({std::move(c), std::move(rounds)});
  }
  return out;
}

Result<ConventionView> CooperationService::GetConvention(const Actor& actor, Id id) {
  TRY_STATUS(Require(actor.role, P::kReadPrevention));
  TRY(auto tx, app_.Store().Begin(false));
  TRY(auto c, tx->Prevention().GetConvention(id));
  if (!c) return Fail(ErrorCode::kNotFound, "not_found", "no such convention");
  TRY(auto rounds, tx->Prevention().RoundsOf(c->id));
  return ConventionView{*c, std::move(rounds)};
}

Result<domain::ReportingRound> CooperationService::AddRound(const Actor& actor, Id convention_id,
                                                            domain::ReportingRound r,
                                                            const WriteOptions& w) {
  TRY_STATUS(Require(actor.role, P::kManageCooperation));
  return app_.IdempotentWrite<domain::ReportingRound>(
      actor, w, "reporting_round",
      [&](store::Transaction& tx, Id replay) -> Result<std::optional<domain::ReportingRound>> {
        TRY(auto rounds, tx.Prevention().RoundsOf(convention_id));
        for (auto& round : rounds)
          if (round.id == replay) return std::optional(round);
        return std::optional<domain::ReportingRound>();
      },
      [&](store::Transaction& tx) -> Result<App::Written<domain::ReportingRound>> {
        TRY(auto c, tx.Prevention().GetConvention(convention_id));
        if (!c) return Fail(ErrorCode::kNotFound, "not_found", "no such convention");
        TRY_STATUS(domain::CheckRound(r, *c, app_.Today()));
        r.convention_id = c->id;
        r.recorded_by = actor.user_id;
        r.created_at = app_.Now();
        auto inserted = tx.Prevention().InsertRound(r);
        if (!inserted && inserted.error().reason == "constraint")
          return Fail(ErrorCode::kConflict, "duplicate_round",
                      fmt::format("the convention has a round {} already", r.number), "number");
        if (!inserted) return std::unexpected(inserted.error());
        r.id = *inserted;
        TRY_STATUS(app_.Audit(tx, actor, "convention.round", "convention", std::to_string(c->id),
                              Json{{"number", r.number}, {"first_year", r.first_year},
                                   {"last_year", r.last_year}}.dump()));
        return App::Written<domain::ReportingRound>{r, r.id};
      });
}

Result<domain::ReportingRound> CooperationService::UpdateRound(const Actor& actor, Id convention_id,
                                                               int number, domain::ReportingRound r) {
  TRY_STATUS(Require(actor.role, P::kManageCooperation));
  TRY(auto tx, app_.Store().Begin(true));
  TRY(auto c, tx->Prevention().GetConvention(convention_id));
  if (!c) return Fail(ErrorCode::kNotFound, "not_found", "no such convention");
  TRY(auto rounds, tx->Prevention().RoundsOf(c->id));
  auto it = std::find_if(rounds.begin(), rounds.end(), [&](const auto& x) { return x.number == number; });
  if (it == rounds.end())
    return Fail(ErrorCode::kNotFound, "not_found", fmt::format("the convention has no round {}", number));
  r.id = it->id;
  r.convention_id = c->id;
  r.number = number;
  r.recorded_by = it->recorded_by;
  r.created_at = it->created_at;
  TRY_STATUS(domain::CheckRound(r, *c, app_.Today()));
  TRY_STATUS(tx->Prevention().UpdateRound(r));
  Json details = {{"number", r.number}, {"first_year", r.first_year}, {"last_year", r.last_year}};
  if (r.submitted_on) details["submitted_on"] = r.submitted_on->ToString();
  TRY_STATUS(app_.Audit(*tx, actor, "convention.round_update", "convention", std::to_string(c->id),
                        details.dump()));
  TRY_STATUS(tx->Commit());
  return r;
}

}  // namespace haven::app
