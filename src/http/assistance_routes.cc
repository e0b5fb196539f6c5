// Routes of the assistance area.

#include "http/support.h"

namespace haven::http {

std::vector<Route> AssistanceRoutes() { return {}; }

}  // namespace haven::http
