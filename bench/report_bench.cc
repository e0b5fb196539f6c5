// The annual statistics over a large store: 1,000,000 generated cases (ten
// years, so about 100,000 a year, 5 % of persons registered twice and linked),
// timed through Haven's report engine (case facts from the store, unique
// persons, nine cross tables, suppression with the exact audit) beside the same
// aggregation written as one plain SQL query (GROUP BY over every dimension the
// tables use, from which each table is a sum). A plain program, not a timed
// test; results go into bench/RESULTS.md.
//
//   report_bench [--cases N] [--db PATH] [--keep]
//     --cases  cases to generate (default 1000000)
//     --db     where to build the database (default /tmp/haven-report-bench.db)
//     --keep   reuse an existing database of that path instead of generating

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "report/counts.h"
#include "report/ctdc.h"
#include "report/named_reports.h"
#include "store/store.h"

namespace haven::report {
namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

// Cases straight into the tables (the use cases would seal a million
// identities; statistics never read them).
void Generate(const std::string& path, long cases) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db, "open");
  Check(sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr), db, "begin");
  Check(sqlite3_exec(db,
                     "INSERT INTO organizations (id, name, kind, created_at) VALUES "
                     "(1001, 'Bench NGO', 'ngo', '2026-01-01T00:00:00Z'),"
                     "(1002, 'Bench Police', 'police', '2026-01-01T00:00:00Z')",
                     nullptr, nullptr, nullptr),
        db, "orgs");
  sqlite3_stmt *person, *kase, *form, *cluster;
  sqlite3_prepare_v2(db, "INSERT INTO persons (id, organization_id, created_at) VALUES (?, 1001, '2026-01-01T00:00:00Z')", -1, &person, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO cases (id, code, organization_id, person_id, identified_on, identified_year,"
                     " identified_by, transnational, status, victim_status, sex, citizenship,"
                     " age_at_identification, country_of_exploitation, created_at, updated_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
                     -1, &kase, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO case_exploitation (case_id, form) VALUES (?, ?)", -1, &form, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO person_clusters (person_id, cluster_id, score, linked_at) VALUES (?, ?, 0.9, '2026-01-01T00:00:00Z')", -1, &cluster, nullptr);
  std::mt19937_64 rng(20261128);
  const char* sexes[] = {"female", "female", "female", "male", "male", "unknown"};
  const char* by[] = {"police", "ngo", "shelter", "hotline", "self", "international_organization", "labour_inspection", "other"};
  const char* status[] = {"identified", "referred", "reflection_period", "assisted", "returned", "reintegrated", "closed"};
  const char* victim[] = {"pending", "granted", "granted", "refused"};
  const char* forms[] = {"sexual", "forced_labour", "forced_begging", "forced_criminality", "domestic_servitude", "forced_marriage", "organ_removal", "other"};
  const char* countries[] = {"AZ", "AZ", "AZ", "AZ", "RU", "TR", "AE", "GE", "UZ", "IR", "UA", "KZ", "stateless", "unknown"};
  const char* exploited[] = {"AZ", "RU", "TR", "AE", "GE", "KZ", "IN", "CN"};
  long person_id = 0;
  for (long id = 1; id <= cases; ++id) {
    // Every twentieth case is a second registration of the previous person, linked.
    bool second = id % 20 == 0;
    if (!second) {
      ++person_id;
      sqlite3_bind_int64(person, 1, person_id);
      Check(sqlite3_step(person), db, "person");
      sqlite3_reset(person);
    } else {
      sqlite3_bind_int64(cluster, 1, person_id);
      sqlite3_bind_int64(cluster, 2, person_id);
      sqlite3_step(cluster);  // may exist already
      sqlite3_reset(cluster);
    }
    int year = 2016 + static_cast<int>((id - 1) * 10 / cases);
    char code[48], date[48];
    std::snprintf(code, sizeof code, "AZ-%d-%07ld", year, id);
    std::snprintf(date, sizeof date, "%d-%02d-%02d", year, static_cast<int>(rng() % 12) + 1, static_cast<int>(rng() % 28) + 1);
    const char* cit = countries[rng() % 14];
    const char* where = exploited[rng() % 8];
    int i = 0;
    sqlite3_bind_int64(kase, ++i, id);
    sqlite3_bind_text(kase, ++i, code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(kase, ++i, rng() % 2 ? 1001 : 1002);
    sqlite3_bind_int64(kase, ++i, person_id);
    sqlite3_bind_text(kase, ++i, date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(kase, ++i, year);
    sqlite3_bind_text(kase, ++i, by[rng() % 8], -1, SQLITE_STATIC);
    sqlite3_bind_int(kase, ++i, std::strcmp(where, "AZ") != 0);
    sqlite3_bind_text(kase, ++i, status[rng() % 7], -1, SQLITE_STATIC);
    sqlite3_bind_text(kase, ++i, victim[rng() % 4], -1, SQLITE_STATIC);
    sqlite3_bind_text(kase, ++i, sexes[rng() % 6], -1, SQLITE_STATIC);
    sqlite3_bind_text(kase, ++i, cit, -1, SQLITE_STATIC);
    if (rng() % 10 == 0) sqlite3_bind_null(kase, ++i);
    else sqlite3_bind_int(kase, ++i, 8 + static_cast<int>(rng() % 50));
    sqlite3_bind_text(kase, ++i, where, -1, SQLITE_STATIC);
    Check(sqlite3_step(kase), db, "case");
    sqlite3_reset(kase);
    int n_forms = rng() % 5 == 0 ? 2 : 1;
    int first = static_cast<int>(rng() % 8);
    for (int f = 0; f < n_forms; ++f) {
      sqlite3_bind_int64(form, 1, id);
      sqlite3_bind_text(form, 2, forms[(first + f * 3) % 8], -1, SQLITE_STATIC);
      Check(sqlite3_step(form), db, "form");
      sqlite3_reset(form);
    }
  }
  Check(sqlite3_exec(db,
                     "INSERT INTO linkage_runs (at, threshold, persons, clusters) VALUES "
                     "('2026-01-01T00:00:00Z', 0.85, 0, 0); COMMIT; ANALYZE",
                     nullptr, nullptr, nullptr),
        db, "commit");
  for (auto* s : {person, kase, form, cluster}) sqlite3_finalize(s);
  sqlite3_close(db);
}

// The same aggregation as the annual report, as one query: persons (distinct
// linkage clusters) per combination of every dimension the nine tables use; each
// table is a sum over this result. It does no suppression.
constexpr const char* kPlainSql = R"sql(
SELECT c.sex,
       CASE WHEN c.age_at_identification IS NULL THEN 'unknown'
            WHEN c.age_at_identification < 9 THEN '0-8' WHEN c.age_at_identification < 12 THEN '9-11'
            WHEN c.age_at_identification < 15 THEN '12-14' WHEN c.age_at_identification < 18 THEN '15-17'
            WHEN c.age_at_identification < 21 THEN '18-20' WHEN c.age_at_identification < 24 THEN '21-23'
            WHEN c.age_at_identification < 27 THEN '24-26' WHEN c.age_at_identification < 30 THEN '27-29'
            WHEN c.age_at_identification < 39 THEN '30-38' WHEN c.age_at_identification < 48 THEN '39-47'
            ELSE '48+' END AS age_group,
       c.citizenship, e.form, c.transnational, c.identified_by, c.status, c.victim_status,
       count(DISTINCT coalesce(pc.cluster_id, c.person_id))
FROM cases c
LEFT JOIN person_clusters pc ON pc.person_id = c.person_id
JOIN case_exploitation e ON e.case_id = c.id
WHERE c.identified_year = ?1
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)sql";

int Run(int argc, char** argv) {
  long cases = 1'000'000;
  std::string path = "/tmp/haven-report-bench.db";
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--cases") && i + 1 < argc) cases = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--db") && i + 1 < argc) path = argv[++i];
    else if (!std::strcmp(argv[i], "--keep")) keep = true;
  }
  if (!keep || !std::filesystem::exists(path)) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
    {
      auto store = store::OpenSqliteStore({path});
      if (!store) {
        std::fprintf(stderr, "cannot create the store: %s\n", store.error().message.c_str());
        return 1;
      }
    }
    auto start = std::chrono::steady_clock::now();
    Generate(path, cases);
    std::printf("generated %ld cases in %.1f s\n", cases, Seconds(start));
  }
  auto store = store::OpenSqliteStore({path});
  if (!store) return 1;
  const int year = 2020;

  ReportParams params;
  params.year = year;
  params.threshold = 5;
  for (int round = 0; round < 3; ++round) {
    auto start = std::chrono::steady_clock::now();
    auto tx = (*store)->Begin(false);
    auto facts = (*tx)->Reports().CaseFacts(year, store::FactSources::HavenOnly());
    double load = Seconds(start);
    auto report = RunNamedReport("annual", **tx, params, nullptr);
    double total = Seconds(start);
    if (!report) {
      std::fprintf(stderr, "report failed: %s\n", report.error().message.c_str());
      return 1;
    }
    std::printf("haven annual report %d: %zu case facts; facts %.3f s, whole report %.3f s "
                "(facts read twice: once here for the count, once by the report)\n",
                year, facts->size(), load, total);
  }
  for (int round = 0; round < 3; ++round) {
    auto start = std::chrono::steady_clock::now();
    auto tx = (*store)->Begin(false);
    auto report = RunNamedReport("annual", **tx, params, nullptr);
    std::printf("haven annual report %d (one pass): %.3f s, %d cells hidden\n", year, Seconds(start),
                report->suppression.primary + report->suppression.secondary);
  }

  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  for (int round = 0; round < 3; ++round) {
    auto start = std::chrono::steady_clock::now();
    sqlite3_stmt* s = nullptr;
    Check(sqlite3_prepare_v2(db, kPlainSql, -1, &s, nullptr), db, "prepare");
    sqlite3_bind_int(s, 1, year);
    long groups = 0, persons = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
      ++groups;
      persons += sqlite3_column_int64(s, 8);
    }
    sqlite3_finalize(s);
    std::printf("plain SQL GROUP BY %d: %.3f s, %ld groups, %ld person-mentions\n", year,
                Seconds(start), groups, persons);
  }
  // All years at once: counts by year and sex over every case.
  {
    auto start = std::chrono::steady_clock::now();
    auto tx = (*store)->Begin(false);
    auto facts = (*tx)->Reports().CaseFacts(std::nullopt, store::FactSources::HavenOnly());
    double load = Seconds(start);
    CountOptions o;
    o.dimensions = {Dimension::kYear, Dimension::kSex};
    auto t = CountBy(*facts, o, nullptr);
    std::printf("haven counts --by year,sex over all %zu cases: facts %.3f s, total %.3f s\n",
                facts->size(), load, Seconds(start));
    start = std::chrono::steady_clock::now();
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT c.identified_year, c.sex, count(DISTINCT coalesce(pc.cluster_id, c.person_id))"
                       " FROM cases c LEFT JOIN person_clusters pc ON pc.person_id = c.person_id GROUP BY 1, 2",
                       -1, &s, nullptr);
    long groups = 0;
    while (sqlite3_step(s) == SQLITE_ROW) ++groups;
    sqlite3_finalize(s);
    std::printf("plain SQL year,sex over all cases: %.3f s, %ld groups\n", Seconds(start), groups);

    // The k-anonymous CTDC export of every person: the generalisation search and local
    // recoding against the counts above over the same facts.
    for (int k : {5, 11}) {
      start = std::chrono::steady_clock::now();
      CtdcExportOptions eo;
      eo.k = k;
      auto e = ExportCtdc(*facts, eo);
      if (!e) {
        std::fprintf(stderr, "export failed: %s\n", e.error().message.c_str());
        return 1;
      }
      std::printf("haven export ctdc k=%d over %zu persons: %.3f s, %zu written, %zu left out, "
                  "information loss %.3f\n",
                  k, e->input, Seconds(start), e->records, e->suppressed, e->information_loss);
    }
  }
  sqlite3_close(db);
  return 0;
}

}  // namespace
}  // namespace haven::report

int main(int argc, char** argv) { return haven::report::Run(argc, argv); }
