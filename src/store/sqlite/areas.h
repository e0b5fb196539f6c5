#pragma once
// The SQLite store is built from areas, each with its own tables, migrations and
// query interface: "core" (organisations, users, persons, cases, audit),
// "assistance" (shelters, stays, services, allowances), "coalition" (consents,
// referrals and transfers, case owners, memorandum members), "stages" (support plans,
// residence, proceedings, return and reintegration), "casework" (notes, attachments,
// closure requests), "keys" (the wrapped data keys of envelope encryption), "reports" (facts for
// statistics, imported CTDC records) and "prevention" (awareness events, action plans,
// agreements with partners, conventions). Each area's migrations are numbered on
// their own; areas are migrated in the order below, so a later area may refer
// to the tables of an earlier one. A migration, once released, is never edited.

#include <sqlite3.h>

#include <memory>
#include <span>
#include <string_view>

#include "store/assistance_store.h"
#include "store/casework_store.h"
#include "store/coalition_store.h"
#include "store/key_store.h"
#include "store/prevention_store.h"
#include "store/report_store.h"
#include "store/stage_store.h"

namespace haven::store::sqlite {

struct MigrationArea {
  std::string_view name;
  std::span<const std::string_view> steps;  // step i brings the area to version i+1
};

// In dependency order.
std::span<const MigrationArea> MigrationAreas();

std::span<const std::string_view> CoreMigrations();
std::span<const std::string_view> AssistanceMigrations();
std::span<const std::string_view> CoalitionMigrations();
std::span<const std::string_view> ReportMigrations();
std::span<const std::string_view> StageMigrations();
std::span<const std::string_view> CaseworkMigrations();
std::span<const std::string_view> PreventionMigrations();
std::span<const std::string_view> KeyMigrations();

// Area implementations over one connection inside an open transaction. They do
// not own `db`; the transaction that creates them outlives them.
std::unique_ptr<AssistanceStore> MakeAssistanceStore(sqlite3* db);
std::unique_ptr<CoalitionStore> MakeCoalitionStore(sqlite3* db);
std::unique_ptr<ReportStore> MakeReportStore(sqlite3* db);
std::unique_ptr<StageStore> MakeStageStore(sqlite3* db);
std::unique_ptr<CaseworkStore> MakeCaseworkStore(sqlite3* db);
std::unique_ptr<PreventionStore> MakePreventionStore(sqlite3* db);
std::unique_ptr<KeyStore> MakeKeyStore(sqlite3* db);

}  // namespace haven::store::sqlite
