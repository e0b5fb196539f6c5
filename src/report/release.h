#pragma once
// A differentially private release as it was published, kept in the ledger so that
// the same question asked again gets the same answer: a second draw of noise about
// the same persons would spend the budget again, and averaging several draws would
// take the noise away. What is kept is the protected output only (noisy counts and
// their states), never the true counts.
// Thread-safe: free functions over values.

#include <string>
#include <string_view>

#include "common/error.h"
#include "report/table.h"

namespace haven::report {

std::string SerializeRelease(const Report& r);
Result<Report> ParseReportRelease(std::string_view text);

std::string SerializeRelease(const CountTable& t);
Result<CountTable> ParseCountsRelease(std::string_view text);

}  // namespace haven::report
