// Routes of the stages area.

#include "http/support.h"

namespace haven::http {

std::vector<Route> StageRoutes() { return {}; }

}  // namespace haven::http
