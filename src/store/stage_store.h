#pragma once
// The "stages" area of the store: what happens to a case after identification
// beyond shelter and allowance — needs assessment and support plan, extensions
// of the reflection period, residence status, criminal proceedings and
// compensation, return and reintegration follow-ups.
// Thread-safety: as Transaction (one thread at a time).

#include "common/error.h"
#include "domain/model.h"

namespace haven::store {

class StageStore {
 public:
  virtual ~StageStore() = default;
};

}  // namespace haven::store
