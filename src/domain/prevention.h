#pragma once
// Prevention and the national action plan (DESIGN §2.7–2.8): the awareness work the
// coalition does in the regions — trainings, seminars, campaigns, information sessions —
// and the plan whose measures the coordinating body monitors, with their indicators and
// the progress reported on them. Pure values and rules; the caller passes "today".
// Nothing here concerns a person: an event counts its participants, never names them.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/model.h"

namespace haven::domain {

enum class EventKind { kTraining, kSeminar, kAwarenessCampaign, kInformationSession };
HAVEN_ENUM_NAMES(EventKind, "training"sv, "seminar"sv, "awareness_campaign"sv,
                 "information_session"sv);

enum class EventTopic {
  kHumanTrafficking, kForcedLabour, kChildTrafficking, kVictimIdentification,
  kOnlineRecruitment, kSexualExploitation, kSafeMigration, kVictimAssistance,
  kReferralMechanism, kOther
};
HAVEN_ENUM_NAMES(EventTopic, "human_trafficking"sv, "forced_labour"sv, "child_trafficking"sv,
                 "victim_identification"sv, "online_recruitment"sv, "sexual_exploitation"sv,
                 "safe_migration"sv, "victim_assistance"sv, "referral_mechanism"sv, "other"sv);

enum class Audience {
  kPublic, kStudents, kPolice, kLabourInspectors, kTeachers, kHealthWorkers, kJournalists,
  kJudges, kProsecutors, kSocialWorkers, kBorderGuards, kNgoStaff, kMigrants, kOther
};
HAVEN_ENUM_NAMES(Audience, "public"sv, "students"sv, "police"sv, "labour_inspectors"sv,
                 "teachers"sv, "health_workers"sv, "journalists"sv, "judges"sv, "prosecutors"sv,
                 "social_workers"sv, "border_guards"sv, "ngo_staff"sv, "migrants"sv, "other"sv);

// The age groups participants are counted in, when the organiser counted them.
enum class ParticipantAge { kUnder18, k18To29, k30To49, k50AndOver };
HAVEN_ENUM_NAMES(ParticipantAge, "under_18"sv, "18_29"sv, "30_49"sv, "50_and_over"sv);

struct Participants {
  std::int64_t female = 0;
  std::int64_t male = 0;
  // By age group, when counted: the groups add up to female + male.
  std::map<ParticipantAge, std::int64_t> by_age;
  std::int64_t Total() const { return female + male; }
};

// A training, seminar, campaign or information session.
struct AwarenessEvent {
  Id id = 0;
  std::string title;
  EventKind kind = EventKind::kTraining;
  std::vector<Id> organizer_organization_ids;  // one or more
  std::string region;                          // ISO 3166-2:AZ
  std::string place;
  Date starts_on;
  Date ends_on;
  std::vector<EventTopic> topics;
  std::vector<Audience> audience;
  Participants participants;
  std::int64_t materials_distributed = 0;
  std::optional<Id> funded_by_organization_id;  // the partner who paid for it
  std::optional<Id> agreement_id;               // the agreement it was held under
  Id recorded_by = 0;
  Timestamp created_at{};
};

// The checks that need nothing stored: dates in order and not in the future beyond its
// end, a known region, at least one organiser, topic and audience, counts not negative,
// age groups that add up.
Status CheckEvent(const AwarenessEvent& e, const Date& today);

// ---------------------------------------------------------------- the action plan

enum class MeasureStatus { kNotStarted, kInProgress, kDone, kOverdue };
HAVEN_ENUM_NAMES(MeasureStatus, "not_started"sv, "in_progress"sv, "done"sv, "overdue"sv);

struct ActionPlan {
  Id id = 0;
  std::string title;
  Date period_start;
  Date period_end;
  Id recorded_by = 0;
  Timestamp created_at{};
};

struct Indicator {
  std::string name;
  std::string unit;
  std::optional<double> baseline;
  std::optional<double> target;
};

struct Measure {
  Id id = 0;
  Id plan_id = 0;
  std::string code;  // "3.2": unique within its plan
  std::string text;
  std::vector<Id> responsible_organization_ids;  // one or more
  std::vector<Id> partner_organization_ids;
  Date deadline;  // within the plan's period
  std::vector<Indicator> indicators;
  Id recorded_by = 0;
  Timestamp created_at{};
};

// One report of progress on a measure. Reports are kept, never overwritten: a later one
// supersedes an earlier one for the measure's status.
struct ProgressReport {
  Id id = 0;
  Id measure_id = 0;
  int revision = 0;  // 1, 2, … per measure, in the order received
  Date reported_on;
  Id reporting_organization_id = 0;
  MeasureStatus status = MeasureStatus::kInProgress;
  std::string narrative;
  // The value reached, by indicator (its index in Measure::indicators).
  std::map<int, double> indicator_values;
  Id recorded_by = 0;
  Timestamp created_at{};
};

// ---------------------------------------------------------------- international cooperation

enum class AgreementKind { kMemorandum, kProject, kGrant, kCooperationAgreement };
HAVEN_ENUM_NAMES(AgreementKind, "memorandum"sv, "project"sv, "grant"sv, "cooperation_agreement"sv);

// Where an agreement stands, from its dates: a draft until signed; ended after its end;
// terminated once terminated; in force otherwise.
enum class AgreementStatus { kDraft, kInForce, kEnded, kTerminated };
HAVEN_ENUM_NAMES(AgreementStatus, "draft"sv, "in_force"sv, "ended"sv, "terminated"sv);

// A memorandum, project or grant with partners (UN agencies, the OSCE, the Council of
// Europe, IOM, ILO, ICMPD, embassies, foreign NGOs: organisations of the directory).
struct Agreement {
  Id id = 0;
  std::string title;
  AgreementKind kind = AgreementKind::kMemorandum;
  std::vector<Id> party_organization_ids;  // one or more, besides the coordinating body
  std::optional<Date> signed_on;
  Date starts_on;
  std::optional<Date> ends_on;
  std::optional<Date> terminated_on;
  std::string scope;
  int version = 1;
  Id recorded_by = 0;
  Timestamp created_at{};
  Timestamp updated_at{};
};

Status CheckAgreement(const Agreement& a, const Date& today);
AgreementStatus StatusOf(const Agreement& a, const Date& today);

// A convention the state has joined, with its monitoring body's reporting rounds.
struct Convention {
  Id id = 0;
  std::string title;            // "Council of Europe Convention on Action against Trafficking in Human Beings"
  std::string monitoring_body;  // "GRETA"
  Date joined_on;               // ratified or acceded
  Id recorded_by = 0;
  Timestamp created_at{};
};

// One evaluation round: the years it covers, so that the statistics sent for it (the
// GRETA questionnaire tables) are the reports of those years.
struct ReportingRound {
  Id id = 0;
  Id convention_id = 0;
  int number = 0;  // 1, 2, 3 …: unique per convention
  int first_year = 0;
  int last_year = 0;
  std::optional<Date> due_on;
  std::optional<Date> submitted_on;
  Id recorded_by = 0;
  Timestamp created_at{};
};

Status CheckConvention(const Convention& c, const Date& today);
Status CheckRound(const ReportingRound& r, const Convention& c, const Date& today);

Status CheckPlan(const ActionPlan& p);
// Needs the plan for the period; duplicates of the code are the store's to find.
Status CheckMeasure(const Measure& m, const ActionPlan& plan);
Status CheckProgress(const ProgressReport& r, const Measure& m, const ActionPlan& plan,
                     const Date& today);

// Where a measure stands on `today`: done once a report says so; otherwise overdue once
// its deadline has passed (whatever was reported); otherwise what the last report said
// (not started without one).
MeasureStatus StatusOf(const Measure& m, const std::optional<ProgressReport>& latest,
                       const Date& today);

}  // namespace haven::domain
