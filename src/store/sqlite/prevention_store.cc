// SQLite implementation of the "prevention" area: awareness events, the national
// action plan (plans, measures, progress reports) and international cooperation
// (agreements with their parties, conventions and their reporting rounds).

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "store/sqlite/areas.h"
#include "store/sqlite/statement.h"

namespace haven::store::sqlite {
namespace {

using domain::Name;

constexpr std::string_view kV1 = R"sql(
-- before awareness_events: an event may be held under an agreement
CREATE TABLE agreements (
  id            INTEGER PRIMARY KEY,
  title         TEXT NOT NULL,
  kind          TEXT NOT NULL,
  signed_on     TEXT,
  starts_on     TEXT NOT NULL,
  ends_on       TEXT CHECK (ends_on IS NULL OR ends_on >= starts_on),
  terminated_on TEXT,
  scope         TEXT NOT NULL DEFAULT '',
  version       INTEGER NOT NULL,
  recorded_by   INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX agreements_starts ON agreements(starts_on);

-- position keeps the parties in the order they were given
CREATE TABLE agreement_parties (
  agreement_id    INTEGER NOT NULL REFERENCES agreements(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  position        INTEGER NOT NULL,
  PRIMARY KEY (agreement_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX agreement_parties_org ON agreement_parties(organization_id);

CREATE TABLE awareness_events (
  id                        INTEGER PRIMARY KEY,
  title                     TEXT NOT NULL,
  kind                      TEXT NOT NULL,
  region                    TEXT NOT NULL,
  place                     TEXT NOT NULL,
  starts_on                 TEXT NOT NULL,
  ends_on                   TEXT NOT NULL CHECK (ends_on >= starts_on),
  topics                    TEXT NOT NULL DEFAULT '[]',
  audience                  TEXT NOT NULL DEFAULT '[]',
  female                    INTEGER NOT NULL CHECK (female >= 0),
  male                      INTEGER NOT NULL CHECK (male >= 0),
  by_age                    TEXT NOT NULL DEFAULT '{}',
  materials_distributed     INTEGER NOT NULL CHECK (materials_distributed >= 0),
  funded_by_organization_id INTEGER REFERENCES organizations(id),
  agreement_id              INTEGER REFERENCES agreements(id),
  recorded_by               INTEGER NOT NULL,
  created_at                TEXT NOT NULL
);
CREATE INDEX awareness_events_starts ON awareness_events(starts_on);
CREATE INDEX awareness_events_region ON awareness_events(region, starts_on);
CREATE INDEX awareness_events_agreement ON awareness_events(agreement_id);

-- position keeps the organisers in the order they were given
CREATE TABLE awareness_event_organizers (
  event_id        INTEGER NOT NULL REFERENCES awareness_events(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  position        INTEGER NOT NULL,
  PRIMARY KEY (event_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX awareness_event_organizers_org ON awareness_event_organizers(organization_id);

CREATE TABLE action_plans (
  id           INTEGER PRIMARY KEY,
  title        TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end   TEXT NOT NULL CHECK (period_end > period_start),
  recorded_by  INTEGER NOT NULL,
  created_at   TEXT NOT NULL
);

CREATE TABLE measures (
  id          INTEGER PRIMARY KEY,
  plan_id     INTEGER NOT NULL REFERENCES action_plans(id),
  code        TEXT NOT NULL,
  text        TEXT NOT NULL,
  deadline    TEXT NOT NULL,
  indicators  TEXT NOT NULL DEFAULT '[]',
  recorded_by INTEGER NOT NULL,
  created_at  TEXT NOT NULL,
  -- two writers of the same code collide here
  UNIQUE (plan_id, code)
);

CREATE TABLE measure_bodies (
  measure_id      INTEGER NOT NULL REFERENCES measures(id),
  organization_id INTEGER NOT NULL REFERENCES organizations(id),
  role            TEXT NOT NULL CHECK (role IN ('responsible', 'partner')),
  position        INTEGER NOT NULL,
  PRIMARY KEY (measure_id, role, organization_id)
) WITHOUT ROWID;
CREATE INDEX measure_bodies_org ON measure_bodies(organization_id, role);

CREATE TABLE measure_progress (
  id                        INTEGER PRIMARY KEY,
  measure_id                INTEGER NOT NULL REFERENCES measures(id),
  revision                  INTEGER NOT NULL CHECK (revision > 0),
  reported_on               TEXT NOT NULL,
  reporting_organization_id INTEGER NOT NULL REFERENCES organizations(id),
  status                    TEXT NOT NULL,
  narrative                 TEXT NOT NULL DEFAULT '',
  indicator_values          TEXT NOT NULL DEFAULT '{}',
  recorded_by               INTEGER NOT NULL,
  created_at                TEXT NOT NULL,
  -- reports are never overwritten; two writers of the same revision collide here
  UNIQUE (measure_id, revision)
);

CREATE TABLE conventions (
  id              INTEGER PRIMARY KEY,
  title           TEXT NOT NULL,
  monitoring_body TEXT NOT NULL DEFAULT '',
  joined_on       TEXT NOT NULL,
  recorded_by     INTEGER NOT NULL,
  created_at      TEXT NOT NULL
);

CREATE TABLE reporting_rounds (
  id            INTEGER PRIMARY KEY,
  convention_id INTEGER NOT NULL REFERENCES conventions(id),
  number        INTEGER NOT NULL,
  first_year    INTEGER NOT NULL,
  last_year     INTEGER NOT NULL CHECK (last_year >= first_year),
  due_on        TEXT,
  submitted_on  TEXT,
  recorded_by   INTEGER NOT NULL,
  created_at    TEXT NOT NULL,
  -- two writers of the same round collide here
  UNIQUE (convention_id, number)
);
)sql";

constexpr std::array<std::string_view, 1> kMigrations = {kV1};

// Free text (indicator names and units) goes into JSON columns; replacing invalid
// UTF-8 keeps dump() from throwing on bad input that got past the edges.
std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <typename E>
std::string EnumListToJson(const std::vector<E>& values) {
  nlohmann::json j = nlohmann::json::array();
  for (auto v : values) j.push_back(std::string(Name(v)));
  return Dump(j);
}

std::string ByAgeToJson(const std::map<domain::ParticipantAge, std::int64_t>& by_age) {
  nlohmann::json j = nlohmann::json::object();
  for (auto [age, n] : by_age) j[std::string(Name(age))] = n;
  return Dump(j);
}

// Unknown age groups are skipped, like unknown names in EnumListFromJson.
std::map<domain::ParticipantAge, std::int64_t> ByAgeFromJson(const std::string& text) {
  std::map<domain::ParticipantAge, std::int64_t> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [key, value] : j.items())
    if (value.is_number_integer())
      if (auto age = domain::ParseEnum<domain::ParticipantAge>(key))
        out[*age] = value.get<std::int64_t>();
  return out;
}

nlohmann::json OptionalNumber(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

std::optional<double> NumberOr(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::string IndicatorsToJson(const std::vector<domain::Indicator>& indicators) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& ind : indicators)
    j.push_back({{"name", ind.name},
                 {"unit", ind.unit},
                 {"baseline", OptionalNumber(ind.baseline)},
                 {"target", OptionalNumber(ind.target)}});
  return Dump(j);
}

std::vector<domain::Indicator> IndicatorsFromJson(const std::string& text) {
  std::vector<domain::Indicator> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (!v.is_object()) continue;
    domain::Indicator ind;
    ind.name = v.value("name", std::string());
    ind.unit = v.value("unit", std::string());
    ind.baseline = NumberOr(v, "baseline");
    ind.target = NumberOr(v, "target");
    out.push_back(std::move(ind));
  }
  return out;
}

// Keys are the indicator's index as a decimal string: JSON object keys are strings.
std::string IndicatorValuesToJson(const std::map<int, double>& values) {
  nlohmann::json j = nlohmann::json::object();
  for (auto [index, value] : values) j[std::to_string(index)] = value;
  return Dump(j);
}

std::map<int, double> IndicatorValuesFromJson(const std::string& text) {
  std::map<int, double> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [key, value] : j.items()) {
    int index = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), index);
    if (ec != std::errc() || end != key.data() + key.size() || !value.is_number()) continue;
    out[index] = value.get<double>();
  }
  return out;
}

// Codes as people read them: "1.2" before "1.10", "2" before "10". Parts between dots
// that are all digits compare as numbers (and before parts that are not); other parts
// compare as text; a code that is a prefix of another comes first.
bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return c >= '0' && c <= '9';
  });
}

// Compared without converting, so that no length of digits can overflow.
int CompareNumbers(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view s) {
    std::size_t i = 0;
    while (i + 1 < s.size() && s[i] == '0') ++i;
    return s.substr(i);
  };
  a = strip(a);
  b = strip(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b);
}

// "1.2.a" is {"1", "2", "a"}; "1." is {"1", ""}, after "1".
std::vector<std::string_view> CodeParts(std::string_view code) {
  std::vector<std::string_view> parts;
  while (true) {
    std::size_t dot = code.find('.');
    parts.push_back(code.substr(0, dot));
    if (dot == std::string_view::npos) return parts;
    code.remove_prefix(dot + 1);
  }
}

int ComparePart(std::string_view a, std::string_view b) {
  bool na = IsDigits(a);
  bool nb = IsDigits(b);
  if (na != nb) return na ? -1 : 1;
  if (na) {
    int c = CompareNumbers(a, b);
    if (c != 0) return c;
  }
  // Text, and "01" against "1", so that the order is total.
  return a.compare(b);
}

bool CodeLess(std::string_view a, std::string_view b) {
  auto pa = CodeParts(a);
  auto pb = CodeParts(b);
  return std::lexicographical_compare(
      pa.begin(), pa.end(), pb.begin(), pb.end(),
      [](std::string_view x, std::string_view y) { return ComparePart(x, y) < 0; });
}

class SqlitePreventionStore final : public PreventionStore {
 public:
  explicit SqlitePreventionStore(sqlite3* db) : db_(db) {}

  // ---- awareness events
  Result<domain::Id> InsertEvent(const domain::AwarenessEvent& e) override {
    Stmt q(db_,
           "INSERT INTO awareness_events(title, kind, region, place, starts_on, ends_on, topics,"
           " audience, female, male, by_age, materials_distributed, funded_by_organization_id,"
           " agreement_id, recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(e.title).Bind(Name(e.kind)).Bind(e.region).Bind(e.place).Bind(e.starts_on)
        .Bind(e.ends_on).Bind(EnumListToJson(e.topics)).Bind(EnumListToJson(e.audience))
        .Bind(e.participants.female).Bind(e.participants.male)
        .Bind(ByAgeToJson(e.participants.by_age)).Bind(e.materials_distributed)
        .Bind(e.funded_by_organization_id).Bind(e.agreement_id).Bind(e.recorded_by)
        .Bind(e.created_at);
    TRY_STATUS(q.Run());
    domain::Id id = sqlite3_last_insert_rowid(db_);
    for (std::size_t i = 0; i < e.organizer_organization_ids.size(); ++i) {
      Stmt o(db_,
             "INSERT INTO awareness_event_organizers(event_id, organization_id, position)"
             " VALUES (?,?,?)");
      o.Bind(id).Bind(e.organizer_organization_ids[i]).Bind(static_cast<int>(i));
      TRY_STATUS(o.Run());
    }
    return id;
  }

  static constexpr std::string_view kEventCols =
      "id, title, kind, region, place, starts_on, ends_on, topics, audience, female, male,"
      " by_age, materials_distributed, funded_by_organization_id, agreement_id, recorded_by,"
      " created_at";
  static domain::AwarenessEvent EventFrom(const Stmt& q) {
    domain::AwarenessEvent e;
    e.id = q.Int(0);
    e.title = q.Text(1);
    e.kind = EnumOr(q.Text(2), domain::EventKind::kTraining);
    e.region = q.Text(3);
    e.place = q.Text(4);
    e.starts_on = q.Date(5);
    e.ends_on = q.Date(6);
    e.topics = EnumListFromJson<domain::EventTopic>(q.Text(7));
    e.audience = EnumListFromJson<domain::Audience>(q.Text(8));
    e.participants.female = q.Int(9);
    e.participants.male = q.Int(10);
    e.participants.by_age = ByAgeFromJson(q.Text(11));
    e.materials_distributed = q.Int(12);
    e.funded_by_organization_id = q.OptInt(13);
    e.agreement_id = q.OptInt(14);
    e.recorded_by = q.Int(15);
    e.created_at = q.Time(16);
    return e;
  }

  Result<std::optional<domain::AwarenessEvent>> GetEvent(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM awareness_events WHERE id = ?", kEventCols));
    q.Bind(id);
    TRY(auto e, (One<domain::AwarenessEvent>(q, EventFrom)));
    if (e) TRY_STATUS(LoadOrganizers(*e));
    return e;
  }

  Result<std::vector<domain::AwarenessEvent>> ListEvents(const EventFilter& f) override {
    std::string sql = fmt::format("SELECT {} FROM awareness_events e WHERE 1 = 1", kEventCols);
    if (f.after) sql += " AND (starts_on < ? OR (starts_on = ? AND id < ?))";
    if (f.year) sql += " AND starts_on >= ? AND starts_on < ?";
    if (f.region) sql += " AND region = ?";
    if (f.agreement_id) sql += " AND agreement_id = ?";
    if (f.organization_id)
      sql += " AND EXISTS (SELECT 1 FROM awareness_event_organizers o"
             " WHERE o.event_id = e.id AND o.organization_id = ?)";
    sql += " ORDER BY starts_on DESC, id DESC LIMIT ?";
    Stmt q(db_, sql);
    if (f.after) q.Bind(f.after->first).Bind(f.after->first).Bind(f.after->second);
    if (f.year) q.Bind(fmt::format("{:04d}-01-01", *f.year)).Bind(fmt::format("{:04d}-01-01", *f.year + 1));
    if (f.region) q.Bind(*f.region);
    if (f.agreement_id) q.Bind(*f.agreement_id);
    if (f.organization_id) q.Bind(*f.organization_id);
    q.Bind(f.limit);
    TRY(auto out, (All<domain::AwarenessEvent>(q, EventFrom)));
    for (auto& e : out) TRY_STATUS(LoadOrganizers(e));
    return out;
  }

  Result<std::vector<RegionCoverage>> Coverage(const domain::Date& from,
                                               const domain::Date& to) override {
    // Every event up to `to` gives the region its last date; only those from `from`
    // are counted.
    Stmt q(db_,
           "SELECT region, coalesce(sum(starts_on >= ?1), 0),"
           " coalesce(sum(CASE WHEN starts_on >= ?1 THEN female END), 0),"
           " coalesce(sum(CASE WHEN starts_on >= ?1 THEN male END), 0), max(starts_on)"
           " FROM awareness_events WHERE starts_on <= ?2 GROUP BY region ORDER BY region");
    q.Bind(from).Bind(to);
    return All<RegionCoverage>(q, [](const Stmt& s) {
      return RegionCoverage{s.Text(0), s.Int(1), s.Int(2), s.Int(3), s.OptDate(4)};
    });
  }

  // ---- action plans
  Result<domain::Id> InsertPlan(const domain::ActionPlan& p) override {
    Stmt q(db_,
           "INSERT INTO action_plans(title, period_start, period_end, recorded_by, created_at)"
           " VALUES (?,?,?,?,?)");
    q.Bind(p.title).Bind(p.period_start).Bind(p.period_end).Bind(p.recorded_by)
        .Bind(p.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kPlanCols =
      "id, title, period_start, period_end, recorded_by, created_at";
  static domain::ActionPlan PlanFrom(const Stmt& q) {
    domain::ActionPlan p;
    p.id = q.Int(0);
    p.title = q.Text(1);
    p.period_start = q.Date(2);
    p.period_end = q.Date(3);
    p.recorded_by = q.Int(4);
    p.created_at = q.Time(5);
    return p;
  }

  Result<std::optional<domain::ActionPlan>> GetPlan(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM action_plans WHERE id = ?", kPlanCols));
    q.Bind(id);
    return One<domain::ActionPlan>(q, PlanFrom);
  }

  Result<std::vector<domain::ActionPlan>> ListPlans() override {
    Stmt q(db_, fmt::format("SELECT {} FROM action_plans ORDER BY period_start DESC, id DESC",
                            kPlanCols));
    return All<domain::ActionPlan>(q, PlanFrom);
  }

  // ---- measures
  Result<domain::Id> InsertMeasure(const domain::Measure& m) override {
    Stmt q(db_,
           "INSERT INTO measures(plan_id, code, text, deadline, indicators, recorded_by,"
           " created_at) VALUES (?,?,?,?,?,?,?)");
    q.Bind(m.plan_id).Bind(m.code).Bind(m.text).Bind(m.deadline)
        .Bind(IndicatorsToJson(m.indicators)).Bind(m.recorded_by).Bind(m.created_at);
    TRY_STATUS(q.Run());  // a code the plan has already: kConflict "constraint"
    domain::Id id = sqlite3_last_insert_rowid(db_);
    TRY_STATUS(InsertBodies(id, "responsible", m.responsible_organization_ids));
    TRY_STATUS(InsertBodies(id, "partner", m.partner_organization_ids));
    return id;
  }

  static constexpr std::string_view kMeasureCols =
      "id, plan_id, code, text, deadline, indicators, recorded_by, created_at";
  static domain::Measure MeasureFrom(const Stmt& q) {
    domain::Measure m;
    m.id = q.Int(0);
    m.plan_id = q.Int(1);
    m.code = q.Text(2);
    m.text = q.Text(3);
    m.deadline = q.Date(4);
    m.indicators = IndicatorsFromJson(q.Text(5));
    m.recorded_by = q.Int(6);
    m.created_at = q.Time(7);
    return m;
  }

  Result<std::optional<domain::Measure>> GetMeasure(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM measures WHERE id = ?", kMeasureCols));
    q.Bind(id);
    TRY(auto m, (One<domain::Measure>(q, MeasureFrom)));
    if (m) TRY_STATUS(LoadBodies(*m));
    return m;
  }

  Result<std::vector<domain::Measure>> ListMeasures(const MeasureFilter& f) override {
    std::string sql = fmt::format("SELECT {} FROM measures m WHERE plan_id = ?", kMeasureCols);
    if (f.responsible_organization_id)
      sql += " AND EXISTS (SELECT 1 FROM measure_bodies b WHERE b.measure_id = m.id"
             " AND b.role = 'responsible' AND b.organization_id = ?)";
    Stmt q(db_, sql);
    q.Bind(f.plan_id);
    if (f.responsible_organization_id) q.Bind(*f.responsible_organization_id);
    TRY(auto out, (All<domain::Measure>(q, MeasureFrom)));
    // SQL has no natural order of "1.2" and "1.10"; codes are unique within the plan.
    std::sort(out.begin(), out.end(), [](const domain::Measure& a, const domain::Measure& b) {
      return CodeLess(a.code, b.code);
    });
    for (auto& m : out) TRY_STATUS(LoadBodies(m));
    return out;
  }

  Result<bool> MeasureCodeTaken(domain::Id plan_id, const std::string& code) override {
    Stmt q(db_, "SELECT 1 FROM measures WHERE plan_id = ? AND code = ?");
    q.Bind(plan_id).Bind(code);
    return q.Step();
  }

  // ---- progress
  Result<domain::ProgressReport> InsertProgress(domain::ProgressReport r) override {
    // Inside the caller's write transaction nobody else can take the revision in
    // between; UNIQUE (measure_id, revision) refuses it if anyone ever did.
    Stmt last(db_, "SELECT coalesce(max(revision), 0) FROM measure_progress WHERE measure_id = ?");
    last.Bind(r.measure_id);
    TRY(bool row, last.Step());
    r.revision = static_cast<int>((row ? last.Int(0) : 0) + 1);
    Stmt q(db_,
           "INSERT INTO measure_progress(measure_id, revision, reported_on,"
           " reporting_organization_id, status, narrative, indicator_values, recorded_by,"
           " created_at) VALUES (?,?,?,?,?,?,?,?,?)");
    q.Bind(r.measure_id).Bind(r.revision).Bind(r.reported_on).Bind(r.reporting_organization_id)
        .Bind(Name(r.status)).Bind(r.narrative).Bind(IndicatorValuesToJson(r.indicator_values))
        .Bind(r.recorded_by).Bind(r.created_at);
    TRY_STATUS(q.Run());
    r.id = sqlite3_last_insert_rowid(db_);
    return r;
  }

  static constexpr std::string_view kProgressCols =
      "p.id, p.measure_id, p.revision, p.reported_on, p.reporting_organization_id, p.status,"
      " p.narrative, p.indicator_values, p.recorded_by, p.created_at";
  static domain::ProgressReport ProgressFrom(const Stmt& q) {
    domain::ProgressReport r;
    r.id = q.Int(0);
    r.measure_id = q.Int(1);
    r.revision = static_cast<int>(q.Int(2));
    r.reported_on = q.Date(3);
    r.reporting_organization_id = q.Int(4);
    r.status = EnumOr(q.Text(5), domain::MeasureStatus::kInProgress);
    r.narrative = q.Text(6);
    r.indicator_values = IndicatorValuesFromJson(q.Text(7));
    r.recorded_by = q.Int(8);
    r.created_at = q.Time(9);
    return r;
  }

  Result<std::vector<domain::ProgressReport>> ProgressOf(domain::Id measure_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM measure_progress p WHERE p.measure_id = ?"
                            " ORDER BY p.revision",
                            kProgressCols));
    q.Bind(measure_id);
    return All<domain::ProgressReport>(q, ProgressFrom);
  }

  // In the order of the measures' ids; measures without a report have no row.
  Result<std::vector<domain::ProgressReport>> LatestProgress(domain::Id plan_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM measure_progress p"
                            " JOIN measures m ON m.id = p.measure_id"
                            " WHERE m.plan_id = ? AND p.revision ="
                            "   (SELECT max(x.revision) FROM measure_progress x"
                            "    WHERE x.measure_id = p.measure_id)"
                            " ORDER BY p.measure_id",
                            kProgressCols));
    q.Bind(plan_id);
    return All<domain::ProgressReport>(q, ProgressFrom);
  }

  // ---- agreements
  Result<domain::Id> InsertAgreement(const domain::Agreement& a) override {
    Stmt q(db_,
           "INSERT INTO agreements(title, kind, signed_on, starts_on, ends_on, terminated_on,"
           " scope, version, recorded_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(a.title).Bind(Name(a.kind)).Bind(a.signed_on).Bind(a.starts_on).Bind(a.ends_on)
        .Bind(a.terminated_on).Bind(a.scope).Bind(a.version).Bind(a.recorded_by)
        .Bind(a.created_at).Bind(a.updated_at);
    TRY_STATUS(q.Run());
    domain::Id id = sqlite3_last_insert_rowid(db_);
    TRY_STATUS(InsertParties(id, a.party_organization_ids));
    return id;
  }

  static constexpr std::string_view kAgreementCols =
      "id, title, kind, signed_on, starts_on, ends_on, terminated_on, scope, version,"
      " recorded_by, created_at, updated_at";
  static domain::Agreement AgreementFrom(const Stmt& q) {
    domain::Agreement a;
    a.id = q.Int(0);
    a.title = q.Text(1);
    a.kind = EnumOr(q.Text(2), domain::AgreementKind::kMemorandum);
    a.signed_on = q.OptDate(3);
    a.starts_on = q.Date(4);
    a.ends_on = q.OptDate(5);
    a.terminated_on = q.OptDate(6);
    a.scope = q.Text(7);
    a.version = static_cast<int>(q.Int(8));
    a.recorded_by = q.Int(9);
    a.created_at = q.Time(10);
    a.updated_at = q.Time(11);
    return a;
  }

  Result<std::optional<domain::Agreement>> GetAgreement(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM agreements WHERE id = ?", kAgreementCols));
    q.Bind(id);
    TRY(auto a, (One<domain::Agreement>(q, AgreementFrom)));
    if (a) TRY_STATUS(LoadParties(*a));
    return a;
  }

  Status UpdateAgreement(const domain::Agreement& a) override {
    Stmt q(db_,
           "UPDATE agreements SET title = ?, kind = ?, signed_on = ?, starts_on = ?, ends_on = ?,"
           " terminated_on = ?, scope = ?, updated_at = ?, version = ?"
           " WHERE id = ? AND version = ?");
    q.Bind(a.title).Bind(Name(a.kind)).Bind(a.signed_on).Bind(a.starts_on).Bind(a.ends_on)
        .Bind(a.terminated_on).Bind(a.scope).Bind(a.updated_at).Bind(a.version).Bind(a.id)
        .Bind(a.version - 1);
    TRY_STATUS(q.Run());
    if (sqlite3_changes(db_) != 1)
      return Fail(ErrorCode::kConflict, "stale", "the agreement was changed since it was read");
    Stmt del(db_, "DELETE FROM agreement_parties WHERE agreement_id = ?");
    del.Bind(a.id);
    TRY_STATUS(del.Run());
    return InsertParties(a.id, a.party_organization_ids);
  }

  Result<std::vector<domain::Agreement>> ListAgreements(std::optional<domain::Id> party) override {
    std::string sql = fmt::format("SELECT {} FROM agreements a WHERE 1 = 1", kAgreementCols);
    if (party)
      sql += " AND EXISTS (SELECT 1 FROM agreement_parties p"
             " WHERE p.agreement_id = a.id AND p.organization_id = ?)";
    sql += " ORDER BY starts_on DESC, id DESC";
    Stmt q(db_, sql);
    if (party) q.Bind(*party);
    TRY(auto out, (All<domain::Agreement>(q, AgreementFrom)));
    for (auto& a : out) TRY_STATUS(LoadParties(a));
    return out;
  }

  Result<AgreementActivity> ActivityOf(const domain::Agreement& a,
                                       const domain::Date& until) override {
    AgreementActivity out;
    Stmt events(db_,
                "SELECT id, female + male FROM awareness_events WHERE agreement_id = ?"
                " ORDER BY id DESC");
    events.Bind(a.id);
    while (true) {
      TRY(bool row, events.Step());
      if (!row) break;
      out.event_ids.push_back(events.Int(0));
      out.participants += events.Int(1);
    }
    // The period ends with the earliest of its end, its termination and `until`, that
    // whole day included: accepted_at is a timestamp, so only its date is compared.
    domain::Date last = until;
    if (a.ends_on) last = std::min(last, *a.ends_on);
    if (a.terminated_on) last = std::min(last, *a.terminated_on);
    Stmt cases(db_,
               "SELECT count(DISTINCT r.case_id) FROM referrals r"
               " JOIN agreement_parties p ON p.organization_id = r.to_organization_id"
               " WHERE p.agreement_id = ? AND substr(r.accepted_at, 1, 10) BETWEEN ? AND ?");
    cases.Bind(a.id).Bind(a.starts_on).Bind(last);
    TRY(bool row, cases.Step());
    out.cases_received = row ? cases.Int(0) : 0;
    return out;
  }

  // ---- conventions
  Result<domain::Id> InsertConvention(const domain::Convention& c) override {
    Stmt q(db_,
           "INSERT INTO conventions(title, monitoring_body, joined_on, recorded_by, created_at)"
           " VALUES (?,?,?,?,?)");
    q.Bind(c.title).Bind(c.monitoring_body).Bind(c.joined_on).Bind(c.recorded_by)
        .Bind(c.created_at);
    TRY_STATUS(q.Run());
    return sqlite3_last_insert_rowid(db_);
  }

  static constexpr std::string_view kConventionCols =
      "id, title, monitoring_body, joined_on, recorded_by, created_at";
  static domain::Convention ConventionFrom(const Stmt& q) {
    domain::Convention c;
    c.id = q.Int(0);
    c.title = q.Text(1);
    c.monitoring_body = q.Text(2);
    c.joined_on = q.Date(3);
    c.recorded_by = q.Int(4);
    c.created_at = q.Time(5);
    return c;
  }

  Result<std::optional<domain::Convention>> GetConvention(domain::Id id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM conventions WHERE id = ?", kConventionCols));
    q.Bind(id);
    return One<domain::Convention>(q, ConventionFrom);
  }

  Result<std::vector<domain::Convention>> ListConventions() override {
    Stmt q(db_, fmt::format("SELECT {} FROM conventions ORDER BY joined_on, id", kConventionCols));
    return All<domain::Convention>(q, ConventionFrom);
  }

  Result<domain::Id> InsertRound(const domain::ReportingRound& r) override {
    Stmt q(db_,
           "INSERT INTO reporting_rounds(convention_id, number, first_year, last_year, due_on,"
           " submitted_on, recorded_by, created_at) VALUES (?,?,?,?,?,?,?,?)");
    q.Bind(r.convention_id).Bind(r.number).Bind(r.first_year).Bind(r.last_year).Bind(r.due_on)
        .Bind(r.submitted_on).Bind(r.recorded_by).Bind(r.created_at);
    TRY_STATUS(q.Run());  // a number the convention has already: kConflict "constraint"
    return sqlite3_last_insert_rowid(db_);
  }

  Status UpdateRound(const domain::ReportingRound& r) override {
    Stmt q(db_,
           "UPDATE reporting_rounds SET first_year = ?, last_year = ?, due_on = ?, submitted_on = ?"
           " WHERE id = ?");
    q.Bind(r.first_year).Bind(r.last_year).Bind(r.due_on).Bind(r.submitted_on).Bind(r.id);
    return q.Run();
  }

  static constexpr std::string_view kRoundCols =
      "id, convention_id, number, first_year, last_year, due_on, submitted_on, recorded_by,"
      " created_at";
  static domain::ReportingRound RoundFrom(const Stmt& q) {
    domain::ReportingRound r;
    r.id = q.Int(0);
    r.convention_id = q.Int(1);
    r.number = static_cast<int>(q.Int(2));
    r.first_year = static_cast<int>(q.Int(3));
    r.last_year = static_cast<int>(q.Int(4));
    r.due_on = q.OptDate(5);
    r.submitted_on = q.OptDate(6);
    r.recorded_by = q.Int(7);
    r.created_at = q.Time(8);
    return r;
  }

  Result<std::vector<domain::ReportingRound>> RoundsOf(domain::Id convention_id) override {
    Stmt q(db_, fmt::format("SELECT {} FROM reporting_rounds WHERE convention_id = ?"
                            " ORDER BY number",
                            kRoundCols));
    q.Bind(convention_id);
    return All<domain::ReportingRound>(q, RoundFrom);
  }

 private:
  Status LoadOrganizers(domain::AwarenessEvent& e) {
    Stmt q(db_,
           "SELECT organization_id FROM awareness_event_organizers WHERE event_id = ?"
           " ORDER BY position");
    q.Bind(e.id);
    TRY(e.organizer_organization_ids,
        (All<domain::Id>(q, [](const Stmt& s) { return s.Int(0); })));
    return {};
  }

  Status InsertBodies(domain::Id measure_id, std::string_view role,
                      const std::vector<domain::Id>& organization_ids) {
    for (std::size_t i = 0; i < organization_ids.size(); ++i) {
      Stmt q(db_,
             "INSERT INTO measure_bodies(measure_id, organization_id, role, position)"
             " VALUES (?,?,?,?)");
      q.Bind(measure_id).Bind(organization_ids[i]).Bind(role).Bind(static_cast<int>(i));
      TRY_STATUS(q.Run());
    }
    return {};
  }

  Status LoadBodies(domain::Measure& m) {
    Stmt q(db_,
           "SELECT organization_id, role FROM measure_bodies WHERE measure_id = ?"
           " ORDER BY position");
    q.Bind(m.id);
    m.responsible_organization_ids.clear();
    m.partner_organization_ids.clear();
    while (true) {
      TRY(bool row, q.Step());
      if (!row) break;
      if (q.Text(1) == "responsible")
        m.responsible_organization_ids.push_back(q.Int(0));
      else
        m.partner_organization_ids.push_back(q.Int(0));
    }
    return {};
  }

  Status InsertParties(domain::Id agreement_id, const std::vector<domain::Id>& organization_ids) {
    for (std::size_t i = 0; i < organization_ids.size(); ++i) {
      Stmt q(db_,
             "INSERT INTO agreement_parties(agreement_id, organization_id, position)"
             " VALUES (?,?,?)");
      q.Bind(agreement_id).Bind(organization_ids[i]).Bind(static_cast<int>(i));
      TRY_STATUS(q.Run());
    }
    return {};
  }

  Status LoadParties(domain::Agreement& a) {
    Stmt q(db_,
           "SELECT organization_id FROM agreement_parties WHERE agreement_id = ?"
           " ORDER BY position");
    q.Bind(a.id);
    TRY(a.party_organization_ids, (All<domain::Id>(q, [](const Stmt& s) { return s.Int(0); })));
    return {};
  }

  sqlite3* db_;
};

}  // namespace

std::span<const std::string_view> PreventionMigrations() { return kMigrations; }

std::unique_ptr<PreventionStore> MakePreventionStore(sqlite3* db) {
  return std::make_unique<SqlitePreventionStore>(db);
}

}  // namespace haven::store::sqlite
