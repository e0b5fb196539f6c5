// Routes of the report area.

#include "http/support.h"

namespace haven::http {

std::vector<Route> ReportRoutes() { return {}; }

}  // namespace haven::http
