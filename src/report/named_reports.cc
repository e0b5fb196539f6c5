#include "report/named_reports.h"

#include "domain/iso_codes.h"
#include "domain/prevention.h"

#include "domain/money.h"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "domain/assistance.h"
#include "domain/coalition.h"

namespace haven::report {
namespace {

using D = Dimension;

CrossTabSpec Spec(std::string id, std::string title, D rows, std::optional<D> columns,
                  bool complete, std::vector<std::string> notes = {}) {
  return CrossTabSpec{std::move(id), std::move(title), rows, columns, complete, std::move(notes)};
}

// The national annual tables (DESIGN §2.9): every figure by sex, and by
// citizenship including stateless (§2.4).
// One-column tables of counts (not persons: one person can receive many
// services), which therefore cannot be released with noise.
Table CountColumn(std::string id, std::string title, std::string row_dimension,
                  std::vector<std::pair<std::string, std::int64_t>> rows, bool rows_partition) {
  Table t;
  t.id = std::move(id);
  t.title = std::move(title);
  t.row_dimension = std::move(row_dimension);
  t.column_labels = {"count"};
  t.grid = Grid(static_cast<int>(rows.size()), 1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    t.row_labels.push_back(rows[i].first);
    t.grid.At(static_cast<int>(i), 0).value = rows[i].second;
  }
  t.grid.ComputeMargins();
  t.rows_partition = rows_partition;
  // Rows that are not parts of one whole (stays, cases and bed-days) have no total.
  t.column_totals = rows_partition;
  t.sensitivity = 0;
  return t;
}

// Services delivered and shelter use in the year, from the assistance records.
Result<std::vector<Table>> AssistanceTables(const ReportInput& in) {
  // Counts of services and nights are not counts of persons: a noisy release
  // (which bounds what one person adds) leaves them out.
  if (in.complete()) return std::vector<Table>{};
  TRY(auto services, in.tx.Assistance().ServiceTotals(in.params.year));
  std::vector<std::pair<std::string, std::int64_t>> by_type, cases_by_type;
  for (const auto& name : domain::EnumNames<domain::ServiceType>::kNames) {
    auto type = *domain::ParseEnum<domain::ServiceType>(name);
    std::int64_t n = 0, cases = 0;
    for (const auto& s : services)
      if (s.type == type) n = s.services, cases = s.cases;
    by_type.emplace_back(std::string(name), n);
    cases_by_type.emplace_back(std::string(name), cases);
  }
  TRY(auto stays, in.tx.Assistance().StayTotalsOf(in.params.year));
  std::vector<Table> out;
  out.push_back(CountColumn("services_by_type", "Services delivered, by type", "service_type",
                            by_type, true));
  out.push_back(CountColumn("cases_by_service_type", "Cases that received a service, by type",
                            "service_type", cases_by_type, false));
  out.push_back(CountColumn("shelter_use", "Shelter stays and bed-days", "measure",
                            {{"stays_started", stays.stays_started},
                             {"cases_sheltered", stays.cases_sheltered},
                             {"bed_days", stays.bed_days}},
                            false));
  TRY(auto compensation, in.tx.Stages().CompensationTotals(in.params.year));
  std::vector<std::pair<std::string, std::int64_t>> comp_rows;
  std::int64_t filed = 0, awarded = 0;
  for (const auto& c : compensation) {
    filed += c.claims_filed;
    awarded += c.claims_awarded;
  }
  comp_rows = {{"claims_filed", filed}, {"claims_awarded", awarded}};
  for (const auto& c : compensation)
    comp_rows.emplace_back("amount_awarded_minor_" + c.currency, c.amount_awarded_minor);
  out.push_back(CountColumn("compensation", "Compensation claims and amounts awarded",
                            "measure", comp_rows, false));
  TRY(auto proceedings, in.tx.Stages().ProceedingsByStage(in.params.year));
  out.push_back(CountColumn("criminal_proceedings",
                            "Criminal proceedings started in the year, by their current stage",
                            "stage", proceedings, true));
  return out;
}

Result<std::vector<Table>> BuildAnnual(const ReportInput& in) {
  TRY(auto persons, in.Persons());
  const auto& ctx = in.params.context;
  bool all = in.complete();
  std::vector<Table> out;
  for (const auto& spec : {
           Spec("by_age_group_and_sex", "Persons identified, by age group and sex", D::kAgeGroup, D::kSex, all),
           Spec("by_majority_and_sex", "Persons identified: children and adults, by sex", D::kMajority, D::kSex, all),
           Spec("by_exploitation_and_sex", "Persons identified, by form of exploitation and sex", D::kExploitation, D::kSex, all),
           Spec("by_citizenship_and_sex", "Persons identified, by citizenship and sex", D::kCitizenship, D::kSex, all),
           Spec("by_citizenship_group_and_sex", "Persons identified: own nationals, foreign nationals, stateless", D::kCitizenshipGroup, D::kSex, all),
           Spec("by_transnational_and_sex", "Persons identified: internal and transnational trafficking", D::kTransnational, D::kSex, all),
           Spec("by_identified_by_and_sex", "Persons identified, by identifying body", D::kIdentifiedBy, D::kSex, all),
           Spec("by_status_and_sex", "Persons identified, by stage of the national referral mechanism", D::kStatus, D::kSex, all),
           Spec("by_victim_status_and_sex", "Persons identified, by formal victim status", D::kVictimStatus, D::kSex, all),
       })
    out.push_back(CrossTab(persons, spec, ctx));
  // Services, shelter and justice are Haven's own records, whatever source is counted.
  if (in.params.sources.haven) {
    TRY(auto assistance, AssistanceTables(in));
    for (auto& t : assistance) {
      if (!in.params.sources.imported.empty())
        t.notes.push_back("From Haven's own records only: imported records hold no assistance.");
      out.push_back(std::move(t));
    }
  }
  return out;
}

// Council of Europe (GRETA) evaluation questionnaire: identified victims by
// sex, children/adults, form of exploitation, nationality, internal/transnational.
Result<std::vector<Table>> BuildGreta(const ReportInput& in) {
  TRY(auto persons, in.Persons());
  const auto& ctx = in.params.context;
  bool all = in.complete();
  std::vector<Table> out;
  for (const auto& spec : {
           Spec("victims_by_sex_and_age", "Identified victims by sex, children and adults", D::kSex, D::kMajority, all),
           Spec("victims_by_exploitation_and_age", "Identified victims by form of exploitation, children and adults", D::kExploitation, D::kMajority, all),
           Spec("victims_by_exploitation_and_sex", "Identified victims by form of exploitation and sex", D::kExploitation, D::kSex, all),
           Spec("victims_by_nationality_group", "Identified victims: own nationals, foreign nationals, stateless", D::kCitizenshipGroup, D::kMajority, all),
           Spec("victims_by_nationality", "Identified victims by nationality", D::kCitizenship, D::kSex, all),
           Spec("victims_internal_transnational", "Internal and transnational trafficking", D::kTransnational, D::kMajority, all),
           Spec("victims_status", "Victim status granted, refused or pending", D::kVictimStatus, D::kMajority, all),
       })
    out.push_back(CrossTab(persons, spec, ctx));
  return out;
}

// UNODC Global Report on Trafficking in Persons: detected victims by the
// age/sex categories women, men, girls and boys.
Result<std::vector<Table>> BuildUnodc(const ReportInput& in) {
  TRY(auto persons, in.Persons());
  const auto& ctx = in.params.context;
  bool all = in.complete();
  std::vector<Table> out;
  for (const auto& spec : {
           Spec("detected_victims", "Detected victims by age and sex", D::kAgeSex, std::nullopt, all),
           Spec("detected_victims_by_exploitation", "Detected victims by form of exploitation, age and sex", D::kExploitation, D::kAgeSex, all),
           Spec("detected_victims_by_origin", "Detected victims: domestic and foreign, by age and sex", D::kCitizenshipGroup, D::kAgeSex, all),
           Spec("detected_victims_by_citizenship", "Detected victims by country of citizenship", D::kCitizenship, D::kAgeSex, all),
           Spec("detected_victims_by_country_of_exploitation", "Detected victims by country of exploitation", D::kCountryOfExploitation, D::kAgeSex, all),
       })
    out.push_back(CrossTab(persons, spec, ctx));
  return out;
}

// OSCE-style summary: the headline figures, each a short table with its total.
Result<std::vector<Table>> BuildOsce(const ReportInput& in) {
  TRY(auto persons, in.Persons());
  const auto& ctx = in.params.context;
  bool all = in.complete();
  std::vector<Table> out;
  for (const auto& spec : {
           Spec("sex", "Identified victims by sex", D::kSex, std::nullopt, all),
           Spec("age", "Children and adults", D::kMajority, std::nullopt, all),
           Spec("nationality", "Own nationals, foreign nationals, stateless", D::kCitizenshipGroup, std::nullopt, all),
           Spec("exploitation", "Forms of exploitation", D::kExploitation, std::nullopt, all),
           Spec("trafficking", "Internal and transnational", D::kTransnational, std::nullopt, all),
           Spec("identified_by", "Identified by", D::kIdentifiedBy, std::nullopt, all),
           Spec("victim_status", "Formal victim status", D::kVictimStatus, std::nullopt, all),
       })
    out.push_back(CrossTab(persons, spec, ctx));
  return out;
}

// Allowances paid: approved payments of the year per month, as counts and as
// sums in minor units per currency. Money cannot be released with noise.
Result<std::vector<Table>> BuildAllowances(const ReportInput& in) {
  TRY(auto rows, in.tx.Assistance().PaymentTotals(in.params.year, "month"));
  std::vector<std::string> months;
  for (int m = 1; m <= 12; ++m) months.push_back(fmt::format("{:04d}-{:02d}", in.params.year, m));
  return AllowanceTables(rows, "month", months);
}

// Referrals and transfers between the coalition's organisations sent in the year, by
// the kinds of organisation (never which one): their status now, whether consent or a
// coordinator's override let them go ahead, and the median time to acceptance; the
// memorandum's members beside them.
Result<std::vector<Table>> BuildReferrals(const ReportInput& in) {
  const int year = in.params.year;
  auto start = [](int y) {
    return Timestamp(std::chrono::sys_days(std::chrono::year(y) / 1 / 1).time_since_epoch());
  };
  TRY(auto facts, in.tx.Coalition().ReferralFacts(start(year), start(year + 1)));
  std::vector<std::string> kinds, statuses;
  for (auto k : domain::EnumNames<domain::OrgKind>::kNames) kinds.emplace_back(k);
  for (auto s : domain::EnumNames<domain::ReferralStatus>::kNames) statuses.emplace_back(s);
  auto index = [](const std::vector<std::string>& v, std::string_view s) {
    return static_cast<int>(std::find(v.begin(), v.end(), s) - v.begin());
  };
  auto table = [&](std::string id, std::string title, std::string rows, std::string columns,
                   std::vector<std::string> column_labels) {
    Table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.row_dimension = std::move(rows);
    t.column_dimension = std::move(columns);
    t.row_labels = kinds;
    t.column_labels = std::move(column_labels);
    t.grid = Grid(static_cast<int>(kinds.size()), static_cast<int>(t.column_labels.size()));
    return t;
  };
  Table by_receiver = table("referrals_by_receiver_kind",
                            "Referrals and transfers sent, by the receiver's kind and status now",
                            "receiver_kind", "referral_status", statuses);
  Table by_sender = table("referrals_by_sender_kind",
                          "Referrals and transfers sent, by the sender's kind and status now",
                          "sender_kind", "referral_status", statuses);
  Table grounds = table("referrals_by_ground", "Referrals and transfers sent, by their ground",
                        "receiver_kind", "ground", {"consent", "override"});
  std::map<std::string, std::vector<double>> hours_to_accept;
  for (const auto& f : facts) {
    const int to = index(kinds, domain::Name(f.to_kind));
    const int from = index(kinds, domain::Name(f.from_kind));
    const int status = index(statuses, domain::Name(f.status));
    by_receiver.grid.At(to, status).value += 1;
    by_sender.grid.At(from, status).value += 1;
    grounds.grid.At(to, f.overridden ? 1 : 0).value += 1;
    if (f.accepted_at)
      hours_to_accept[std::string(domain::Name(f.to_kind))].push_back(
          std::chrono::duration<double>(*f.accepted_at - f.created_at).count() / 3600.0);
  }
  for (Table* t : {&by_receiver, &by_sender, &grounds}) {
    t->grid.ComputeMargins();
    t->sensitivity = 0;  // one person's case may be referred many times
  }
  // A median over fewer referrals than the suppression threshold would tell of a few
  // cases: left out, like a small cell.
  for (const auto& [kind, hours] : hours_to_accept) {
    if (static_cast<int>(hours.size()) < std::max(1, in.params.threshold)) continue;
    auto sorted = hours;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t n = sorted.size();
    const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    by_receiver.notes.push_back(
        fmt::format("median time from sending to acceptance, {}: {:.1f} hours ({} accepted)", kind,
                    median, n));
  }
  TRY(auto members, in.tx.Coalition().Members());
  for (const auto& m : members)
    grounds.notes.push_back(fmt::format(
        "memorandum member: {} ({}), signed {}{}", m.organization_name,
        domain::Name(m.organization_kind), m.signed_on.ToString(),
        m.left_on ? ", left " + m.left_on->ToString() : std::string()));
  return std::vector<Table>{std::move(by_receiver), std::move(by_sender), std::move(grounds)};
}

// Awareness events that began in the year: by region (every region of the country, so
// that one without any shows as zeros) and kind, their participants by region and sex,
// and the events by topic, audience and the age of their participants.
Result<std::vector<Table>> BuildAwareness(const ReportInput& in) {
  std::vector<domain::AwarenessEvent> events;
  store::EventFilter f;
  f.year = in.params.year;
  f.limit = 500;
  while (true) {
    TRY(auto page, in.tx.Prevention().ListEvents(f));
    if (page.empty()) break;
    f.after = std::pair{page.back().starts_on, page.back().id};
    events.insert(events.end(), page.begin(), page.end());
  }
  std::vector<std::string> regions;
  for (std::size_t i = 0; i < domain::kAzRegionCount; ++i) regions.emplace_back(domain::kAzRegions[i].code);
  auto names = [](const auto& list) {
    std::vector<std::string> out;
    for (auto n : list) out.emplace_back(n);
    return out;
  };
  auto index = [](const std::vector<std::string>& v, std::string_view s) {
    return static_cast<int>(std::find(v.begin(), v.end(), s) - v.begin());
  };
  auto table = [](std::string id, std::string title, std::string rows, std::vector<std::string> row_labels,
                  std::string columns, std::vector<std::string> column_labels) {
    Table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.row_dimension = std::move(rows);
    t.row_labels = std::move(row_labels);
    t.column_dimension = std::move(columns);
    t.column_labels = column_labels.empty() ? std::vector<std::string>{"count"} : std::move(column_labels);
    t.grid = Grid(static_cast<int>(t.row_labels.size()), static_cast<int>(t.column_labels.size()));
    return t;
  };
  const auto kinds = names(domain::EnumNames<domain::EventKind>::kNames);
  const auto topics = names(domain::EnumNames<domain::EventTopic>::kNames);
  const auto audiences = names(domain::EnumNames<domain::Audience>::kNames);
  const auto ages = names(domain::EnumNames<domain::ParticipantAge>::kNames);
  Table by_region = table("awareness_events_by_region_and_kind", "Awareness events by region and kind",
                          "region", regions, "event_kind", kinds);
  Table participants = table("awareness_participants_by_region_and_sex",
                             "Participants of awareness events by region and sex", "region", regions,
                             "sex", {"female", "male"});
  Table by_topic = table("awareness_events_by_topic", "Awareness events by topic", "event_topic",
                         topics, "", {});
  by_topic.rows_partition = false;
  by_topic.column_totals = false;
  by_topic.notes.push_back("An event on several topics counts under each of them.");
  Table by_audience = table("awareness_events_by_audience", "Awareness events by audience",
                            "audience", audiences, "", {});
  by_audience.rows_partition = false;
  by_audience.column_totals = false;
  by_audience.notes.push_back("An event for several audiences counts under each of them.");
  Table by_age = table("awareness_participants_by_age", "Participants by age group, where counted",
                       "participant_age_group", ages, "", {});
  std::int64_t uncounted = 0;
  for (const auto& e : events) {
    const int r = index(regions, e.region);
    if (r >= static_cast<int>(regions.size())) continue;
    by_region.grid.At(r, index(kinds, domain::Name(e.kind))).value += 1;
    participants.grid.At(r, 0).value += e.participants.female;
    participants.grid.At(r, 1).value += e.participants.male;
    for (auto t : e.topics) by_topic.grid.At(index(topics, domain::Name(t)), 0).value += 1;
    for (auto a : e.audience) by_audience.grid.At(index(audiences, domain::Name(a)), 0).value += 1;
    if (e.participants.by_age.empty()) uncounted += e.participants.Total();
    for (auto [age, n] : e.participants.by_age)
      by_age.grid.At(index(ages, domain::Name(age)), 0).value += n;
  }
  if (uncounted)
    by_age.notes.push_back(fmt::format("{} participants of events that did not count them by age "
                                       "are not in this table.", uncounted));
  std::vector<Table> out;
  for (Table* t : {&by_region, &participants, &by_topic, &by_audience, &by_age}) {
    t->grid.ComputeMargins();
    out.push_back(std::move(*t));
  }
  return out;
}

const std::array<NamedReport, 7>& Registry() {
  static const std::array<NamedReport, 7> kReports = {{
      {"annual", "National annual statistics",
       "Persons identified in the year by age, sex, form of exploitation, citizenship, "
       "internal or transnational trafficking, identifying body and status.",
       BuildAnnual},
      {"greta", "Council of Europe GRETA questionnaire: identified victims",
       "The victim figures of GRETA's evaluation questionnaire: by sex, children and adults, "
       "form of exploitation, nationality and internal or transnational trafficking.",
       BuildGreta},
      {"unodc", "UNODC Global Report on Trafficking in Persons: detected victims",
       "Detected victims as women, men, girls and boys, by form of exploitation, origin, "
       "citizenship and country of exploitation.",
       BuildUnodc},
      {"osce", "OSCE summary of identified victims",
       "The headline figures for OSCE reporting, each with its total.", BuildOsce},
      {"allowances", "Victim allowances paid",
       "Approved allowance payments of the year per month: their number and their sum per "
       "currency.",
       BuildAllowances, "payments, and amounts (major units in CSV and XLSX, minor in JSON)"},
      {"referrals", "Referrals between the coalition's organisations",
       "Referrals and transfers sent in the year by the kinds of sending and receiving "
       "organisation, their status, whether consent or a coordinator's override let them go "
       "ahead, the median time to acceptance, and the members of the memorandum.",
       BuildReferrals, "referrals"},
      {"awareness", "Awareness work in the regions",
       "Trainings, seminars, campaigns and information sessions held in the year, by region and "
       "kind, their participants by region and sex, and the events by topic and audience.",
       BuildAwareness, "events and participants", false},
  }};
  return kReports;
}

}  // namespace

std::vector<Table> AllowanceTables(const std::vector<store::PaymentTotal>& rows,
                                   const std::string& row_dimension,
                                   const std::vector<std::string>& row_labels) {
  std::vector<std::string> currencies;
  for (const auto& r : rows)
    if (std::find(currencies.begin(), currencies.end(), r.currency) == currencies.end())
      currencies.push_back(r.currency);
  std::sort(currencies.begin(), currencies.end());
  auto make = [&](std::string id, std::string title, bool amounts) {
    Table t;
    t.id = std::move(id);
    t.title = std::move(title);
    t.row_dimension = row_dimension;
    t.column_dimension = "currency";
    t.row_labels = row_labels;
    t.column_labels = currencies;
    t.grid = Grid(static_cast<int>(row_labels.size()), static_cast<int>(currencies.size()));
    t.sensitivity = 0;
    // Payments in different currencies do not add up.
    t.row_totals = false;
    for (const auto& r : rows) {
      auto row = std::find(row_labels.begin(), row_labels.end(), r.period);
      if (row == row_labels.end()) continue;
      int col = static_cast<int>(std::find(currencies.begin(), currencies.end(), r.currency) -
                                 currencies.begin());
      t.grid.At(static_cast<int>(row - row_labels.begin()), col).value =
          amounts ? r.amount_minor : r.payments;
    }
    t.grid.ComputeMargins();
    if (amounts) {
      // JSON keeps minor units; CSV and XLSX, read by people, show major units.
      t.decimals = currencies.empty() ? 2 : domain::CurrencyDigits(currencies.front());
      t.notes.push_back(
          "amounts of approved payments: in major units (AZN) in CSV and XLSX, in minor units "
          "(qəpik) in JSON");
      t.hidden_like = "allowance_payments";
    }
    return t;
  };
  return {make("allowance_payments", "Approved allowance payments by " + row_dimension, false),
          make("allowance_amounts", "Allowances paid by " + row_dimension, true)};
}

Result<std::vector<store::CaseFact>> ReportInput::Persons() const {
  TRY(auto facts, tx.Reports().CaseFacts(params.year, params.sources));
  return UniquePersons(facts, true);
}

std::span<const NamedReport> NamedReports() { return Registry(); }

const NamedReport* FindNamedReport(std::string_view name) {
  for (const auto& r : Registry())
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<std::string> SourceNames(const store::FactSources& sources) {
  std::vector<std::string> out;
  if (sources.haven) out.emplace_back("haven");
  for (const auto& s : sources.imported) out.push_back(s);
  return out;
}

std::string SourcesNote(const store::FactSources& sources,
                        const std::vector<store::ImportBatch>& batches) {
  std::vector<std::string> parts;
  if (sources.haven) parts.emplace_back("Haven's own cases");
  for (const auto& source : sources.imported) {
    std::string ids;
    for (const auto& b : batches)
      if (b.source == source && !b.removed_at && b.records > 0)
        ids += (ids.empty() ? "" : ", ") + std::to_string(b.id);
    parts.push_back(ids.empty() ? fmt::format("imported {} records (none are imported)", source)
                                : fmt::format("imported {} records of import batch{} {}", source,
                                              ids.find(',') == std::string::npos ? "" : "es", ids));
  }
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i)
    joined += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return "Sources counted: " + joined + ".";
}

Result<LinkageInfo> LinkageOf(store::Transaction& tx) {
  TRY(auto run, tx.Reports().LastLinkageRun());
  LinkageInfo info;
  if (run) {
    info.applied = true;
    info.at = run->at;
    info.threshold = run->threshold;
  }
  return info;
}

Result<Report> RunNamedReport(std::string_view name, store::Transaction& tx,
                              const ReportParams& params, RandomSource* random) {
  const NamedReport* named = FindNamedReport(name);
  if (!named) {
    std::string names;
    for (const auto& r : Registry()) names += (names.empty() ? "" : ", ") + std::string(r.name);
    return Fail(ErrorCode::kNotFound, "unknown_report",
                "no such report; the reports are " + names + " (and counts)", "name");
  }
  if (named->unit != "persons" && (!params.sources.haven || !params.sources.imported.empty()))
    return Invalid("source", fmt::format("the report {} counts Haven's own records only: "
                                         "leave source out or give haven",
                                         named->name));
  ReportInput input{tx, params};
  Report report;
  report.name = std::string(named->name);
  report.title = std::string(named->title);
  report.unit = std::string(named->unit);
  report.description = std::string(named->description);
  report.year = params.year;
  report.generated_at = params.now;
  report.sources = SourceNames(params.sources);
  TRY(report.linkage, LinkageOf(tx));
  TRY(report.tables, named->build(input));
  if (!named->disclosure_control) {
    if (params.dp)
      return Fail(ErrorCode::kUnprocessable, "dp_unsupported",
                  fmt::format("the report {} counts events, not persons: it has no noisy release",
                              named->name),
                  "dp_epsilon");
    report.suppression = {};
    report.notes.push_back(
        "These are counts of events and of their participants, not of victims: nothing is "
        "hidden.");
    return report;
  }
  TRY_STATUS(ProtectReport(report, params.threshold, params.dp, random));
  if (report.unit == "persons") {
    report.notes.push_back(fmt::format("Counts are persons identified in {}.", params.year));
    report.notes.push_back(SourcesNote(params.sources, params.batches));
  }
  report.notes.push_back(
      report.linkage.applied
          ? "Linkage was applied: a person registered by several organisations is counted once."
          : "Linkage was not applied: a person registered by several organisations may be "
            "counted more than once.");
  if (report.dp)
    report.notes.push_back(fmt::format(
        "Differentially private release ({} mechanism, epsilon {:.4g} in total, {:.4g} per "
        "table{}); counts are noisy and totals are sums of noisy counts.",
        report.dp->mechanism, report.dp->epsilon, report.dp->epsilon_per_table,
        report.dp->delta > 0 ? fmt::format(", delta {}", report.dp->delta) : ""));
  else if (params.threshold >= 2)
    report.notes.push_back(fmt::format(
        "Counts from 1 to {} are shown as \"<{}\"; \"x\" hides a larger count so that no small "
        "one can be worked out from the totals.",
        params.threshold - 1, params.threshold));
  return report;
}

}  // namespace haven::report
