#pragma once
// Retention: a configurable period after a person's last case was closed ([retention]
// erase_after_closure_days), her identity, the free text and the attachments of her
// cases are erased for good by destroying her data key (crypto-shredding): everything of
// hers sealed since data keys was sealed with that one key. What was sealed before them
// (format 1, under an organisation key derived from the keyring's root, which stays) is
// cleared from its columns in the same transaction (store::kPersonSealedColumns), and so
// is everything else sealed of hers, so that nothing of hers opens in any format. The wrapped key is deleted with SQLite's
// secure_delete (its bytes overwritten in the page), and the write-ahead log is
// checkpointed and truncated, so that neither file keeps anything that opens her data.
// Her blind index and linkage key go too (they would let one holding the keyring
// confirm a guessed name). The cases, their facts and the linkage clusters in force
// stay: statistics do not change. Audited "person.erase", one entry a person.

#include <cstdint>
#include <memory>
#include <vector>

#include "app/app.h"

namespace haven::app {

class PeriodicTask;

struct RetentionRun {
  int erase_after_closure_days = 0;  // 0: off, nothing was erased
  domain::Date closed_before;        // persons whose last case closed before this day
  std::vector<Id> erased_persons;
  bool log_truncated = true;  // false: a reader kept the WAL; the next run tries again
};

// Erases whoever is due today under the configuration.
[[nodiscard]] Result<RetentionRun> RunRetention(App& app, const Actor& actor);

// Runs RunRetention in `haven serve` at start and then once a day; stops when destroyed.
class RetentionTimer {
 public:
  explicit RetentionTimer(App& app);
  RetentionTimer(const RetentionTimer&) = delete;
  RetentionTimer& operator=(const RetentionTimer&) = delete;
  ~RetentionTimer();

 private:
  std::unique_ptr<PeriodicTask> task_;  // null when off
};

}  // namespace haven::app
