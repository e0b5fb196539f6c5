#include "app/retention.h"

#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/periodic_task.h"

namespace haven::app {

Result<RetentionRun> RunRetention(App& app, const Actor& actor) {
  RetentionRun run;
  run.erase_after_closure_days = app.config().retention_erase_after_closure_days;
  if (run.erase_after_closure_days <= 0) return run;
  run.closed_before = app.Today().PlusDays(-run.erase_after_closure_days);
  Id after = 0;
  while (true) {
    // One person a transaction: a failure leaves the others erased or untouched.
    TRY(auto tx, app.Store().Begin(true));
    TRY(auto due, tx->Keys().PersonsClosedBefore(run.closed_before, after, 1));
    if (due.empty()) break;
    const auto& p = due.front();
    after = p.person_id;
    const std::string scope = fmt::format("person:{}", p.person_id);
    TRY(auto key, tx->Keys().FindDataKey(scope));
    Id key_id = 0;
    if (key) {
      key_id = key->id;
    } else {
      // Registered before data keys: the row records the erasure all the same.
      TRY(key_id, tx->Keys().InsertDataKey(scope, app.Now()));
    }
    TRY_STATUS(tx->Keys().EraseDataKey(key_id, app.Now()));
    // Every sealed value of hers goes too: those sealed before data keys (format 1) are
    // under a key derived from the root, which destroying her key does not touch.
    TRY(std::int64_t cleared, tx->Keys().EraseSealedValuesOfPerson(p.person_id));
    // The blind index and the linkage key (the sealed identity is cleared above).
    TRY_STATUS(tx->SetPersonIdentity(p.person_id, std::string(), std::string(), std::string()));
    TRY_STATUS(app.Audit(*tx, actor, "person.erase", "person", std::to_string(p.person_id),
                         domain::Json{{"person_id", p.person_id},
                                      {"last_closed_on", p.last_closed_on.ToString()},
                                      {"erase_after_closure_days", run.erase_after_closure_days},
                                      {"data_key_id", key_id},
                                      {"sealed_values_cleared", cleared}}
                             .dump()));
    TRY_STATUS(tx->Commit());
    run.erased_persons.push_back(p.person_id);
  }
  if (!run.erased_persons.empty()) {
    run.log_truncated = false;
    for (int attempt = 0; attempt < 20 && !run.log_truncated; ++attempt) {
      auto st = app.Store().CheckpointAndTruncateLog();
      if (st) {
        run.log_truncated = true;
      } else if (st.error().reason != "checkpoint_busy") {
        return std::unexpected(st.error());
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }
  return run;
}

RetentionTimer::RetentionTimer(App& app) {
  if (app.config().retention_erase_after_closure_days <= 0) return;
  task_ = std::make_unique<PeriodicTask>(std::chrono::hours(24), [&app] {
    auto run = RunRetention(app, Actor::System("retention"));
    if (!run)
      spdlog::error("retention not applied: {}", run.error().message);
    else if (!run->erased_persons.empty())
      spdlog::info("retention: erased {} persons whose cases closed before {}",
                   run->erased_persons.size(), run->closed_before.ToString());
  });
}

RetentionTimer::~RetentionTimer() = default;

}  // namespace haven::app
