#include "domain/prevention.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "domain/rules.h"

namespace haven::domain {
namespace {

Status NotNegative(std::int64_t n, const std::string& field) {
  if (n < 0) return Invalid(field, "must not be negative");
  if (n > 10'000'000) return Invalid(field, "is more than 10,000,000");
  return {};
}

Status TextWithin(const std::string& s, std::string_view field, std::size_t max, bool required) {
  if (required && s.empty()) return Invalid(std::string(field), "is required");
  if (s.size() > max) return Invalid(std::string(field), fmt::format("is longer than {} bytes", max));
  return {};
}

template <typename T>
Status NoRepeats(const std::vector<T>& v, std::string_view field) {
  std::set<T> seen(v.begin(), v.end());
  if (seen.size() != v.size()) return Invalid(std::string(field), "names the same one twice");
  return {};
}

}  // namespace

Status CheckEvent(const AwarenessEvent& e, const Date& today) {
  TRY_STATUS(TextWithin(e.title, "title", 300, false));
  TRY_STATUS(TextWithin(e.place, "place", 300, false));
  if (e.organizer_organization_ids.empty())
    return Invalid("organizer_organization_ids", "name at least one organising organisation");
  TRY_STATUS(NoRepeats(e.organizer_organization_ids, "organizer_organization_ids"));
  TRY_STATUS(CheckAzRegion(e.region, "region"));
  if (e.ends_on < e.starts_on) return Invalid("ends_on", "is before starts_on");
  if (e.starts_on > today) return Invalid("starts_on", "is in the future: record an event once it has taken place");
  if (e.topics.empty()) return Invalid("topics", "name at least one topic");
  TRY_STATUS(NoRepeats(e.topics, "topics"));
  if (e.audience.empty()) return Invalid("audience", "name at least one audience");
  TRY_STATUS(NoRepeats(e.audience, "audience"));
  TRY_STATUS(NotNegative(e.participants.female, "participants.female"));
  TRY_STATUS(NotNegative(e.participants.male, "participants.male"));
  if (!e.participants.by_age.empty()) {
    std::int64_t sum = 0;
    for (auto [age, n] : e.participants.by_age) {
      TRY_STATUS(NotNegative(n, fmt::format("participants.by_age.{}", Name(age))));
      sum += n;
    }
    if (sum != e.participants.Total())
      return Invalid("participants.by_age",
                     fmt::format("adds up to {}, not to the {} participants counted by sex", sum,
                                 e.participants.Total()));
  }
  TRY_STATUS(NotNegative(e.materials_distributed, "materials_distributed"));
  return {};
}

Status CheckPlan(const ActionPlan& p) {
  TRY_STATUS(TextWithin(p.title, "title", 300, true));
  if (p.period_end <= p.period_start) return Invalid("period_end", "is not after period_start");
  return {};
}

Status CheckMeasure(const Measure& m, const ActionPlan& plan) {
  TRY_STATUS(TextWithin(m.code, "code", 20, true));
  if (std::any_of(m.code.begin(), m.code.end(), [](unsigned char c) { return c < 0x20 || c == ' '; }))
    return Invalid("code", "must be written without spaces, such as 3.2");
  TRY_STATUS(TextWithin(m.text, "text", 4000, true));
  if (m.responsible_organization_ids.empty())
    return Invalid("responsible_organization_ids", "name at least one responsible body");
  TRY_STATUS(NoRepeats(m.responsible_organization_ids, "responsible_organization_ids"));
  TRY_STATUS(NoRepeats(m.partner_organization_ids, "partner_organization_ids"));
  for (Id p : m.partner_organization_ids)
    if (std::find(m.responsible_organization_ids.begin(), m.responsible_organization_ids.end(), p) !=
        m.responsible_organization_ids.end())
      return Invalid("partner_organization_ids",
                     fmt::format("names organisation {}, which is responsible already", p));
  if (m.deadline < plan.period_start || m.deadline > plan.period_end)
    return Invalid("deadline", fmt::format("is outside the plan's period ({} to {})",
                                           plan.period_start.ToString(), plan.period_end.ToString()));
  if (m.indicators.size() > 20) return Invalid("indicators", "more than 20 indicators");
  for (std::size_t i = 0; i < m.indicators.size(); ++i) {
    const auto& ind = m.indicators[i];
    TRY_STATUS(TextWithin(ind.name, fmt::format("indicators[{}].name", i), 500, true));
    TRY_STATUS(TextWithin(ind.unit, fmt::format("indicators[{}].unit", i), 50, false));
    for (auto v : {ind.baseline, ind.target})
      if (v && !std::isfinite(*v)) return Invalid(fmt::format("indicators[{}]", i), "must be a number");
  }
  return {};
}

Status CheckProgress(const ProgressReport& r, const Measure& m, const ActionPlan& plan,
                     const Date& today) {
  if (r.reported_on < plan.period_start)
    return Invalid("reported_on", fmt::format("is before the plan began ({})", plan.period_start.ToString()));
  if (r.reported_on > today) return Invalid("reported_on", "is in the future");
  TRY_STATUS(TextWithin(r.narrative, "narrative", 20000, false));
  for (auto [index, value] : r.indicator_values) {
    if (index < 0 || index >= static_cast<int>(m.indicators.size()))
      return Invalid("indicator_values",
                     fmt::format("names indicator {}, but the measure has {}", index, m.indicators.size()));
    if (!std::isfinite(value)) return Invalid("indicator_values", "must be numbers");
  }
  return {};
}

Status CheckAgreement(const Agreement& a, const Date& today) {
  TRY_STATUS(TextWithin(a.title, "title", 300, true));
  TRY_STATUS(TextWithin(a.scope, "scope", 4000, false));
  if (a.party_organization_ids.empty())
    return Invalid("party_organization_ids", "name at least one partner");
  TRY_STATUS(NoRepeats(a.party_organization_ids, "party_organization_ids"));
  if (a.signed_on && *a.signed_on > today) return Invalid("signed_on", "is in the future");
  if (a.ends_on && *a.ends_on < a.starts_on) return Invalid("ends_on", "is before starts_on");
  if (a.terminated_on) {
    if (!a.signed_on) return Invalid("terminated_on", "an agreement never signed is not terminated");
    if (*a.terminated_on < a.starts_on) return Invalid("terminated_on", "is before starts_on");
    if (*a.terminated_on > today) return Invalid("terminated_on", "is in the future");
  }
  return {};
}

AgreementStatus StatusOf(const Agreement& a, const Date& today) {
  if (a.terminated_on) return AgreementStatus::kTerminated;
  if (!a.signed_on) return AgreementStatus::kDraft;
  if (a.ends_on && *a.ends_on < today) return AgreementStatus::kEnded;
  return AgreementStatus::kInForce;
}

Status CheckConvention(const Convention& c, const Date& today) {
  TRY_STATUS(TextWithin(c.title, "title", 300, true));
  TRY_STATUS(TextWithin(c.monitoring_body, "monitoring_body", 100, false));
  if (c.joined_on > today) return Invalid("joined_on", "is in the future");
  return {};
}

Status CheckRound(const ReportingRound& r, const Convention& c, const Date& today) {
  if (r.number < 1 || r.number > 100) return Invalid("number", "must be from 1 to 100");
  if (r.first_year < 1990 || r.first_year > 2200) return Invalid("first_year", "must be a year such as 2019");
  if (r.last_year < r.first_year) return Invalid("last_year", "is before first_year");
  if (r.last_year > 2200) return Invalid("last_year", "must be a year such as 2023");
  if (r.first_year < c.joined_on.Year())
    return Invalid("first_year", fmt::format("is before the state joined the convention ({})", c.joined_on.Year()));
  if (r.submitted_on && *r.submitted_on > today) return Invalid("submitted_on", "is in the future");
  return {};
}

MeasureStatus StatusOf(const Measure& m, const std::optional<ProgressReport>& latest,
                       const Date& today) {
  if (latest && latest->status == MeasureStatus::kDone) return MeasureStatus::kDone;
  if (today > m.deadline) return MeasureStatus::kOverdue;
  return latest ? latest->status : MeasureStatus::kNotStarted;
}

}  // namespace haven::domain
