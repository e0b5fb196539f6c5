#pragma once
// Private to src/app: the associated data that binds a sealed text to its record, where
// more than one file of src/app seals or opens it. A blob moved to another record fails
// to open.

#include <string>

#include <fmt/format.h>

#include "domain/model.h"

namespace haven::app {

// The note of a status change of a case.
inline std::string TransitionNoteAd(domain::Id case_id) {
  return fmt::format("case:{}:note", case_id);
}

}  // namespace haven::app
