#include "app/demo_prevention.h"

#include <algorithm>
#include <array>
#include <optional>
#include <tuple>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "app/cooperation.h"
#include "app/prevention.h"
#include "domain/iso_codes.h"

namespace haven::app {
namespace {

using domain::Date;

struct EventTemplate {
  const char* title;
  domain::EventKind kind;
  std::array<domain::EventTopic, 2> topics;
  std::array<domain::Audience, 2> audience;
  int size;  // typical participants
};

using K = domain::EventKind;
using T = domain::EventTopic;
using A = domain::Audience;

constexpr std::array kEvents = {
    EventTemplate{"Recognising trafficking at work", K::kTraining,
                  {T::kVictimIdentification, T::kForcedLabour}, {A::kLabourInspectors, A::kPolice}, 25},
    EventTemplate{"Safe migration: what to check before leaving", K::kInformationSession,
                  {T::kSafeMigration, T::kHumanTrafficking}, {A::kMigrants, A::kPublic}, 40},
    EventTemplate{"Job offers too good to be true", K::kSeminar,
                  {T::kOnlineRecruitment, T::kHumanTrafficking}, {A::kStudents, A::kStudents}, 60},
    EventTemplate{"Children at risk: the school's role", K::kTraining,
                  {T::kChildTrafficking, T::kVictimIdentification}, {A::kTeachers, A::kSocialWorkers}, 30},
    EventTemplate{"The national referral mechanism for health workers", K::kTraining,
                  {T::kReferralMechanism, T::kVictimAssistance}, {A::kHealthWorkers, A::kHealthWorkers}, 20},
    EventTemplate{"Reporting on trafficking without harm", K::kSeminar,
                  {T::kHumanTrafficking, T::kVictimAssistance}, {A::kJournalists, A::kJournalists}, 15},
    EventTemplate{"18 October: European Anti-Trafficking Day", K::kAwarenessCampaign,
                  {T::kHumanTrafficking, T::kSexualExploitation}, {A::kPublic, A::kStudents}, 300},
    EventTemplate{"Victims' rights in criminal proceedings", K::kSeminar,
                  {T::kVictimAssistance, T::kReferralMechanism}, {A::kJudges, A::kProsecutors}, 18},
};

struct MeasureTemplate {
  const char* code;
  const char* text;
  std::vector<const char*> responsible;
  int year, month;       // deadline: the month's last day
  const char* indicator;  // empty: none
  const char* unit;
  double target;
  int reports;            // progress reports the demo makes (the last one says done if done)
  bool done;
};

const char* kPolice = "Anti-Trafficking Department, Ministry of Internal Affairs";
const char* kLabour = "Ministry of Labour and Social Protection";
const char* kMigration = "State Migration Service";
const char* kCoordinator = "National Coordinator's Office";
const char* kShelter = "State Shelter for Victims of Trafficking";
const char* kIom = "International Organization for Migration, Baku Office";

const std::vector<MeasureTemplate>& PlanOf2009() {
  static const std::vector<MeasureTemplate> kMeasures = {
      {"1.1", "Bring the law on combating trafficking in human beings in line with the Council of Europe Convention",
       {kCoordinator}, 2010, 6, "", "", 0, 2, true},
      {"1.2", "Adopt the rules of the national referral mechanism for victims of trafficking",
       {kCoordinator, kPolice}, 2010, 12, "", "", 0, 2, true},
      {"2.1", "Train police officers and labour inspectors to identify victims of forced labour",
       {kPolice, kLabour}, 2011, 12, "officers and inspectors trained", "persons", 400, 3, true},
      {"2.2", "Train border guards and migration officers to identify victims among migrants",
       {kMigration}, 2012, 6, "officers trained", "persons", 150, 2, true},
      {"2.3", "Set up mobile identification teams in the regions", {kPolice}, 2012, 12,
       "regions covered", "regions", 10, 2, false},
      {"3.1", "Open assistance centres in Ganja and Lankaran", {kShelter, kLabour}, 2011, 9,
       "centres open", "centres", 2, 2, true},
      {"3.2", "Pay a monthly allowance to every identified victim during assistance",
       {kLabour}, 2010, 3, "", "", 0, 1, true},
      {"3.3", "Provide free legal aid to victims in criminal and civil proceedings",
       {kCoordinator}, 2013, 6, "victims assisted", "persons", 100, 2, false},
      {"4.1", "Hold awareness campaigns in every region each year", {kCoordinator, kIom}, 2013, 12,
       "regions reached a year", "regions", 40, 3, true},
      {"4.2", "Include trafficking prevention in the secondary school curriculum", {kCoordinator},
       2012, 9, "schools teaching it", "schools", 500, 2, false},
      {"5.1", "Publish annual statistics on identified victims and prosecutions", {kCoordinator, kPolice},
       2013, 12, "", "", 0, 3, true},
  };
  return kMeasures;
}

const std::vector<MeasureTemplate>& PlanOf2024() {
  static const std::vector<MeasureTemplate> kMeasures = {
      {"1.1", "Extend the referral mechanism to labour exploitation of migrant workers",
       {kCoordinator, kLabour}, 2025, 6, "", "", 0, 2, true},
      {"1.2", "Give the coalition's NGOs one case management system", {kCoordinator}, 2025, 12,
       "organisations connected", "organisations", 44, 2, false},
      {"2.1", "Train labour inspectors in every region on forced labour indicators", {kLabour},
       2026, 12, "inspectors trained", "persons", 300, 2, false},
      {"2.2", "Identify victims among online recruitment adverts", {kPolice}, 2026, 6,
       "adverts checked", "adverts", 1000, 1, false},
      {"3.1", "Open a shelter for male victims", {kShelter, kLabour}, 2027, 6, "places", "beds", 12, 0,
       false},
      {"3.2", "Reintegration grants for victims who return home", {kIom, kMigration}, 2027, 12,
       "grants paid", "grants", 60, 1, false},
      {"4.1", "Awareness sessions in every district school", {kCoordinator}, 2027, 9,
       "districts covered", "districts", 66, 1, false},
  };
  return kMeasures;
}

}  // namespace

Status GeneratePreventionDemo(App& app, const std::map<std::string, Id>& orgs,
                              const std::map<std::string, Actor>& actors, std::mt19937& rng,
                              int first_year) {
  PreventionService prevention(app);
  const Actor& coordinator = actors.at("coordinator");
  const Date today = app.Today();
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };

  // The NGOs, by their region, organise most events; the state bodies and IOM some.
  std::vector<std::pair<Id, std::string>> ngos;
  for (const auto& [name, id] : orgs)
    if (name.starts_with("ngo#")) {
      TRY(auto org, app.GetOrganization(coordinator, id));
      ngos.emplace_back(id, org.region.value_or("AZ-BA"));
    }
  // The other international partners, added here so that the cases the demo made before
  // stay as they were.
  std::map<std::string, Id> partners;
  for (const char* name : {"Council of Europe Office in Baku", "International Labour Organization",
                           "International Centre for Migration Policy Development",
                           "United Nations Office on Drugs and Crime",
                           "Embassy of the Republic of Uzbekistan", "La Strada International"}) {
    domain::Organization o;
    o.name = name;
    o.kind = domain::OrgKind::kInternationalOrganization;
    o.region = "AZ-BA";
    TRY(auto created, app.CreateOrganization(Actor::System("demo"), o));
    partners[name] = created.id;
  }
  const std::vector<Id> funders = {orgs.at(kIom), orgs.at("OSCE Project Co-ordinator"),
                                   partners.at("International Labour Organization")};

  // The agreements with the partners, and the Council of Europe Convention with GRETA's
  // evaluation rounds.
  CooperationService cooperation(app);
  struct AgreementTemplate {
    const char* title;
    domain::AgreementKind kind;
    std::vector<const char*> parties;
    Date starts_on;
    std::optional<Date> ends_on;
    const char* scope;
  };
  const std::vector<AgreementTemplate> agreements = {
      {"Counter-trafficking and assistance to victims in Azerbaijan", domain::AgreementKind::kProject,
       {kIom}, Date::FromYmd(first_year, 3, 1), Date::FromYmd(first_year + 3, 2, 28),
       "Shelter support, reintegration grants and awareness work in the regions."},
      {"Reintegration of returning victims", domain::AgreementKind::kProject, {kIom, kMigration},
       Date::FromYmd(first_year + 4, 1, 1), std::nullopt,
       "Safe return, reintegration grants and follow-up for victims who go home."},
      {"Strengthening the national referral mechanism", domain::AgreementKind::kCooperationAgreement,
       {"OSCE Project Co-ordinator", kPolice}, Date::FromYmd(first_year + 1, 6, 1),
       Date::FromYmd(first_year + 5, 5, 31),
       "Training of police, prosecutors and judges; review of the referral rules."},
      {"Forced labour: labour inspection and recruitment agencies", domain::AgreementKind::kGrant,
       {"International Labour Organization", kLabour}, Date::FromYmd(first_year + 2, 1, 1),
       Date::FromYmd(first_year + 4, 12, 31),
       "Training of labour inspectors; a code of conduct for private employment agencies."},
      {"Identification and return of Uzbek nationals", domain::AgreementKind::kMemorandum,
       {"Embassy of the Republic of Uzbekistan", kMigration}, Date::FromYmd(first_year + 3, 9, 1),
       std::nullopt, "Consular help, travel documents and safe return for victims who are Uzbek nationals."},
  };
  std::vector<std::pair<AgreementView, Id>> by_funder;  // each with its first party, who pays
  for (const auto& t : agreements) {
    domain::Agreement a;
    a.title = t.title;
    a.kind = t.kind;
    for (const char* party : t.parties)
      a.party_organization_ids.push_back(orgs.contains(party) ? orgs.at(party) : partners.at(party));
    a.starts_on = std::min(t.starts_on, today);
    a.signed_on = a.starts_on.PlusDays(-20);
    a.ends_on = t.ends_on;
    a.scope = t.scope;
    TRY(auto created, cooperation.CreateAgreement(coordinator, a));
    by_funder.emplace_back(created, a.party_organization_ids.front());
  }
  domain::Convention coe;
  coe.title = "Council of Europe Convention on Action against Trafficking in Human Beings";
  coe.monitoring_body = "GRETA";
  coe.joined_on = Date::FromYmd(2010, 6, 23);
  TRY(auto convention, cooperation.CreateConvention(coordinator, coe));
  for (const auto& [number, first, last, due] :
       {std::tuple{1, 2010, 2013, Date::FromYmd(2014, 1, 31)}, std::tuple{2, 2014, 2018, Date::FromYmd(2019, 4, 30)},
        std::tuple{3, 2019, 2022, Date::FromYmd(2023, 9, 30)}}) {
    domain::ReportingRound r;
    r.number = number;
    r.first_year = first;
    r.last_year = last;
    r.due_on = due;
    if (due < today) r.submitted_on = due.PlusDays(-14);
    TRY(auto added, cooperation.AddRound(coordinator, convention.id, r));
    (void)added;
  }
  for (int year = first_year; year <= today.Year(); ++year) {
    const int events = pick(28, 44);
    for (int n = 0; n < events; ++n) {
      const EventTemplate& t = kEvents[static_cast<std::size_t>(pick(0, kEvents.size() - 1))];
      domain::AwarenessEvent e;
      e.title = t.title;
      e.kind = t.kind;
      const auto& [ngo, region] = ngos[static_cast<std::size_t>(pick(0, static_cast<int>(ngos.size()) - 1))];
      e.organizer_organization_ids = {ngo};
      // Now and then with a state body, in another district of the region's part of the country.
      if (pick(0, 4) == 0) e.organizer_organization_ids.push_back(orgs.at(kCoordinator));
      e.region = region;
      if (pick(0, 3) == 0) e.region = domain::kAzRegions[pick(0, static_cast<int>(domain::kAzRegionCount) - 1)].code;
      e.starts_on = Date::FromYmd(year, 1, 1).PlusDays(pick(0, 364));
      if (t.kind == K::kAwarenessCampaign) e.starts_on = Date::FromYmd(year, 10, 18);
      if (e.starts_on > today) continue;
      e.ends_on = t.kind == K::kAwarenessCampaign ? e.starts_on.PlusDays(6)
                  : t.kind == K::kTraining        ? e.starts_on.PlusDays(pick(0, 2))
                                                  : e.starts_on;
      e.topics = {t.topics[0]};
      if (t.topics[1] != t.topics[0]) e.topics.push_back(t.topics[1]);
      e.audience = {t.audience[0]};
      if (t.audience[1] != t.audience[0]) e.audience.push_back(t.audience[1]);
      const int people = std::max(5, t.size + pick(-t.size / 2, t.size / 2));
      e.participants.female = pick(people * 35 / 100, people * 70 / 100);
      e.participants.male = people - e.participants.female;
      if (pick(0, 2) == 0 && t.kind != K::kAwarenessCampaign) {
        const bool school = e.audience.front() == A::kStudents;
        const std::int64_t minors = school ? people / 3 : 0;
        const std::int64_t young = (people - minors) / 2;
        e.participants.by_age = {{domain::ParticipantAge::kUnder18, minors},
                                 {domain::ParticipantAge::k18To29, young},
                                 {domain::ParticipantAge::k30To49, people - minors - young}};
      }
      e.materials_distributed = t.kind == K::kAwarenessCampaign ? people * 5 : people;
      if (pick(0, 2) == 0) e.funded_by_organization_id = funders[static_cast<std::size_t>(pick(0, 2))];
      // An event a partner paid for while one of its agreements ran was held under it.
      for (const auto& [agreement, funder] : by_funder) {
        const auto& a = agreement.agreement;
        if (e.funded_by_organization_id == funder && e.starts_on >= a.starts_on &&
            (!a.ends_on || e.starts_on <= *a.ends_on)) {
          e.agreement_id = a.id;
          break;
        }
      }
      TRY(auto recorded, prevention.RecordEvent(coordinator, std::move(e)));
      (void)recorded;
    }
  }

  // The plans, and the progress their bodies reported.
  auto make_plan = [&](std::string title, Date start, Date end,
                       const std::vector<MeasureTemplate>& measures) -> Status {
    domain::ActionPlan p;
    p.title = std::move(title);
    p.period_start = start;
    p.period_end = end;
    TRY(auto plan, prevention.CreatePlan(coordinator, p));
    for (const auto& t : measures) {
      domain::Measure m;
      m.code = t.code;
      m.text = t.text;
      for (const char* body : t.responsible) m.responsible_organization_ids.push_back(orgs.at(body));
      const auto& responsible = m.responsible_organization_ids;
      if (std::find(responsible.begin(), responsible.end(), orgs.at(kIom)) == responsible.end() &&
          pick(0, 2) == 0)
        m.partner_organization_ids.push_back(orgs.at(kIom));
      m.deadline = Date(std::chrono::sys_days(std::chrono::year(t.year) / t.month / std::chrono::last));
      if (*t.indicator) m.indicators.push_back({t.indicator, t.unit, 0.0, t.target});
      TRY(auto added, prevention.AddMeasure(coordinator, plan.id, m));
      // Reports at even steps from the plan's start to the deadline (or today), the last
      // one done when the measure was done.
      const Date last = std::min(m.deadline, today);
      for (int r = 1; r <= t.reports; ++r) {
        domain::ProgressReport report;
        report.reported_on = Date(start.Days() + (last.Days() - start.Days()) * r / (t.reports + 1));
        if (report.reported_on > today) break;
        report.reporting_organization_id = added.responsible_organization_ids.front();
        const bool final = r == t.reports;
        report.status = final && t.done ? domain::MeasureStatus::kDone : domain::MeasureStatus::kInProgress;
        const double share = t.done && final ? 1.0 : 0.3 * r;
        if (!added.indicators.empty() && added.indicators[0].target)
          report.indicator_values[0] = std::round(*added.indicators[0].target * std::min(1.0, share));
        report.narrative = final && t.done ? "Completed as planned; the evidence is with the coordinator."
                                           : fmt::format("Work under way ({} of {} planned steps).", r, t.reports + 1);
        TRY(auto reported, prevention.ReportProgress(coordinator, added.id, report));
        (void)reported;
      }
    }
    return {};
  };
  TRY_STATUS(make_plan("National Action Plan on Combating Trafficking in Human Beings 2009–2013",
                       Date::FromYmd(2009, 1, 1), Date::FromYmd(2013, 12, 31), PlanOf2009()));
  if (today >= Date::FromYmd(2024, 1, 1))
    TRY_STATUS(make_plan("National Action Plan on Combating Trafficking in Human Beings 2024–2027",
                         Date::FromYmd(2024, 1, 1), Date::FromYmd(2027, 12, 31), PlanOf2024()));
  return {};
}

}  // namespace haven::app
