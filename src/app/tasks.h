#pragma once
// What is due for the caller: reminders computed from the records (reflection
// periods ending, follow-ups due, plan end dates passed, payments awaiting
// approval). Nothing is stored: a task disappears when its cause is dealt with.

#include <string>
#include <vector>

#include "domain/model.h"

namespace haven::app {

struct Task {
  std::string kind;  // e.g. "reflection_period_ending", "payment_awaiting_approval"
  domain::Id case_id = 0;
  std::string case_code;
  domain::Date due_on;
  bool overdue = false;
  std::string message;  // for people; never identity
};

}  // namespace haven::app
