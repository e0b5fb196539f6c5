#pragma once
// The "assistance" area of the store: shelters, stays, services, support
// plans, allowances. Thread-safety: as Transaction (one thread at a time).

#include "common/error.h"
#include "domain/model.h"

namespace haven::store {

class AssistanceStore {
 public:
  virtual ~AssistanceStore() = default;
};

}  // namespace haven::store
