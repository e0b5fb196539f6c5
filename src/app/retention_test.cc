// Retention erases a person for good, also one registered before data keys: her values
// sealed in format 1 (under an organisation key derived from the keyring's root, which
// is never destroyed) are cleared with her key, so nothing of hers opens in any format.
// And the list of the columns erasure clears is the schema's list of sealed columns.

#include "app/retention.h"

#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "app/casework.h"
#include "domain/identity_record.h"
#include "store/key_store.h"

namespace haven::app {
namespace {

class LateClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::sys_days(std::chrono::year(2026) / 11 / 2) + std::chrono::hours(9);
  }
};

// The database opened beside the app, as an older version of Haven left it.
class Db {
 public:
  explicit Db(const std::filesystem::path& path) { sqlite3_open(path.c_str(), &db_); }
  ~Db() { sqlite3_close(db_); }
  std::int64_t Int(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::int64_t v = -1;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  }
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    std::vector<std::vector<std::string>> out;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    while (sqlite3_step(st) == SQLITE_ROW) {
      auto& row = out.emplace_back();
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
        row.emplace_back(p ? std::string(p, sqlite3_column_bytes(st, i)) : std::string());
      }
    }
    sqlite3_finalize(st);
    return out;
  }
  void SetBlob(const std::string& sql, const std::string& blob) {
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    sqlite3_bind_blob(st, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE) << sql;
    sqlite3_finalize(st);
  }
  void Exec(const std::string& sql) {
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string Bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("haven-retention-" + std::to_string(::getpid()) + "-" + privacy::RandomToken(6));
    auto r = App::Init(dir_, "orchard-lantern-basalt", std::make_unique<LateClock>());
    ASSERT_TRUE(r) << r.error().message;
    app_ = std::move(r->app);
    domain::Organization o;
    o.name = "NGO";
    o.kind = domain::OrgKind::kNgo;
    auto org = app_->CreateOrganization(Actor::System("test"), o);
    ASSERT_TRUE(org);
    auto user = app_->CreateUser(Actor::System("test"),
                                 NewUser{"leyla.cw", "a-long-test-password",
                                         domain::Role::kCaseworker, org->id});
    ASSERT_TRUE(user) << user.error().message;
    cw_ = Actor{};
    cw_.user_id = user->id;
    cw_.username = user->username;
    cw_.role = domain::Role::kCaseworker;
    cw_.organization_id = org->id;
  }
  void TearDown() override {
    app_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    app_.reset();
    auto a = App::Open(dir_, std::make_unique<LateClock>());
    ASSERT_TRUE(a) << a.error().message;
    app_ = std::move(*a);
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
  Actor cw_;
};

TEST_F(RetentionTest, ErasingAPersonRegisteredBeforeDataKeysLeavesNothingThatOpens) {
  domain::NewCase in;
  in.person.given_name = "Leyla";
  in.person.family_name = "Həsənova";
  in.person.birth_date = domain::Date::FromYmd(1994, 3, 5);
  in.person.sex = domain::Sex::kFemale;
  in.person.citizenship = {domain::Citizenship::Kind::kStateless, ""};
  in.fields.identified_on = domain::Date::FromYmd(2026, 2, 1);
  in.fields.identified_by = domain::IdentifiedBy::kNgo;
  in.fields.exploitation = {domain::Exploitation::kForcedLabour};
  auto created = app_->CreateCase(cw_, in);
  ASSERT_TRUE(created) << created.error().message;
  const Id case_id = created->c.id;
  auto old_note = CaseworkService(*app_).AddNote(cw_, case_id, "met at the bus station");
  ASSERT_TRUE(old_note) << old_note.error().message;
  auto shown = app_->ViewIdentity(cw_, case_id, "preparing the test");
  ASSERT_TRUE(shown) << shown.error().message;
  const std::string identity_json = domain::IdentityRecordToJson(shown->identity).dump();

  // As Haven sealed before data keys: format 1 under the registering organisation's key,
  // bound the older way, and no data key for her.
  app_.reset();
  auto keyring = privacy::Keyring::Load(dir_ / "keyring.json");
  ASSERT_TRUE(keyring) << keyring.error().message;
  const privacy::Key org_key = keyring->OrganizationDataKey(cw_.organization_id);
  Id person_id = 0;
  std::string legacy_identity, legacy_note;
  {
    Db db(dir_ / "haven.db");
    person_id = db.Int(fmt::format("SELECT person_id FROM cases WHERE id = {}", case_id));
    legacy_identity = privacy::Seal(org_key, identity_json, fmt::format("person:{}", person_id));
    legacy_note = privacy::Seal(org_key, "met at the bus station",
                                fmt::format("note:{}", old_note->id));
    ASSERT_EQ(privacy::ReadSealedHeader(legacy_note).format, 1);
    db.SetBlob(fmt::format("UPDATE persons SET sealed_identity = ? WHERE id = {}", person_id),
               legacy_identity);
    db.SetBlob(fmt::format("UPDATE case_notes SET sealed_text = ? WHERE id = {}", old_note->id),
               legacy_note);
    db.Exec(fmt::format("DELETE FROM data_keys WHERE scope = 'person:{}'", person_id));
  }
  {
    std::ifstream in(dir_ / "haven.toml");
    std::string toml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string off = "erase_after_closure_days = 0";
    ASSERT_NE(toml.find(off), std::string::npos);
    toml.replace(toml.find(off), off.size(), "erase_after_closure_days = 30");
    std::ofstream(dir_ / "haven.toml", std::ios::trunc) << toml;
  }
  Reopen();
  CaseworkService casework(*app_);  // of the app opened again

  // Her format-1 values open; what is written of her now is sealed with a new data key.
  auto again = app_->ViewIdentity(cw_, case_id, "checking the old format");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->identity.given_name, "Leyla");
  auto new_note = casework.AddNote(cw_, case_id, "moved to the shelter in Gəncə");
  ASSERT_TRUE(new_note) << new_note.error().message;
  auto notes = casework.Notes(cw_, case_id, {});
  ASSERT_TRUE(notes) << notes.error().message;
  ASSERT_EQ(notes->items.size(), 2u);
  std::set<std::string> texts;
  for (const auto& n : notes->items) texts.insert(n.text);
  EXPECT_EQ(texts, (std::set<std::string>{"met at the bus station", "moved to the shelter in Gəncə"}));
  TransitionRequest close;
  close.to = domain::CaseStatus::kClosed;
  close.on = domain::Date::FromYmd(2026, 9, 1);
  close.closure_reason = domain::ClosureReason::kAssistanceCompleted;
  close.note = "assistance completed, she went home";
  auto closed = casework.Transition(cw_, case_id, close);
  ASSERT_TRUE(closed) << closed.error().message;

  // Every sealed value of hers, in either format, before the erasure.
  std::vector<std::string> sealed;
  {
    Db db(dir_ / "haven.db");
    for (const auto& c : store::kPersonSealedColumns) {
      const std::string rows =
          std::string_view(c.table) == "persons"
              ? fmt::format("id = {}", person_id)
              : fmt::format("case_id IN (SELECT id FROM cases WHERE person_id = {})", person_id);
      for (const auto& r : db.Rows(fmt::format("SELECT {} FROM {} WHERE {} AND length({}) > 0",
                                               c.column, c.table, rows, c.column)))
        sealed.push_back(r[0]);
    }
  }
  int format1 = 0;
  for (const auto& s : sealed) format1 += privacy::ReadSealedHeader(s).format == 1;
  EXPECT_EQ(format1, 2) << "her identity and her first note";
  EXPECT_GE(sealed.size(), 4u) << "and the second note and the closing note in format 2";

  auto run = RunRetention(*app_, Actor::System("retention"));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->erased_persons, std::vector<Id>{person_id});
  EXPECT_TRUE(run->log_truncated);
  auto gone = app_->ViewIdentity(cw_, case_id, "checking the erasure");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kGone);
  auto gone_notes = casework.Notes(cw_, case_id, {});
  ASSERT_FALSE(gone_notes);
  EXPECT_EQ(gone_notes.error().code, ErrorCode::kGone);
  app_.reset();

  // Neither file holds any of them: not even the keyring's root opens anything of hers.
  const std::string raw = Bytes(dir_ / "haven.db") + Bytes(dir_ / "haven.db-wal");
  for (const auto& s : sealed) EXPECT_EQ(raw.find(s), std::string::npos);
  EXPECT_EQ(raw.find(legacy_identity), std::string::npos);
  EXPECT_EQ(raw.find(legacy_note), std::string::npos);
  Db db(dir_ / "haven.db");
  EXPECT_EQ(db.Int("SELECT count(*) FROM data_keys WHERE erased_at IS NOT NULL"), 1);
  EXPECT_EQ(db.Int(fmt::format("SELECT count(*) FROM cases WHERE person_id = {}", person_id)), 1)
      << "the case and its anonymous facts stay";
}

TEST_F(RetentionTest, TheErasedColumnsAreEverySealedColumnOfTheSchema) {
  app_.reset();
  Db db(dir_ / "haven.db");
  std::set<std::pair<std::string, std::string>> in_schema, listed;
  for (const auto& t : db.Rows("SELECT name FROM sqlite_master WHERE type = 'table'"))
    for (const auto& c : db.Rows(fmt::format("SELECT name FROM pragma_table_info('{}')", t[0])))
      if (c[0].starts_with("sealed_")) in_schema.emplace(t[0], c[0]);
  for (const auto& c : store::kPersonSealedColumns) listed.emplace(c.table, c.column);
  for (const auto& c : store::kOrganizationSealedColumns) listed.emplace(c.table, c.column);
  // Sealed under keys of the instance, not of a person: an account's second factor.
  listed.emplace("second_factors", "sealed_secret");
  EXPECT_EQ(in_schema, listed)
      << "a sealed column is missing from store::kPersonSealedColumns (or the other list)";
}

}  // namespace
}  // namespace haven::app
