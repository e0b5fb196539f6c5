#pragma once
// The dimensions statistics break figures down by, and the unique-person view
// of case facts that every count is taken over.
// Thread-safe: free functions over values.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/report_store.h"

namespace haven::report {

enum class Dimension {
  kYear,
  kSex,
  kAgeGroup,
  kCitizenship,
  kExploitation,
  kCountryOfExploitation,
  kIdentifiedBy,
  kStatus,
  // Beyond the eight of the issue, for the partner tables and for analysts.
  kMajority,           // minor / adult / unknown
  kCitizenshipGroup,   // own country / foreign / stateless / unknown
  kTransnational,      // internal / transnational
  kVictimStatus,       // pending / granted / refused
  kSource,             // haven / ctdc
  kAgeSex,             // women / men / girls / boys / unknown (UNODC's categories)
};

std::string_view DimensionName(Dimension d);
// "year, sex, …": every accepted name, for error messages and help.
std::string DimensionNames();
// Parses "year,sex" (spaces allowed, no duplicates, 1 to 4 dimensions). Errors name `field`.
Result<std::vector<Dimension>> ParseDimensions(std::string_view list, std::string_view field);
// True when one person can have several values (forms of exploitation).
bool MultiValued(Dimension d);

// What a fact's values are read against.
struct FactContext {
  std::string own_country = "AZ";  // ISO alpha-2 of the reporting country
  // The years a differentially private release ranges over when it is not for
  // one year (its domain must not depend on the data).
  int first_year = 2000;
  int last_year = 2030;
};

// The values of `f` for `d`; several for a multi-valued dimension, never none
// ("unknown" stands for not recorded).
std::vector<std::string> ValuesOf(const store::CaseFact& f, Dimension d, const FactContext& ctx);

// Unique persons: one fact per person (per `source` and linkage cluster), and per
// year of identification when `per_year` — a person identified in two years is
// counted in each. Single-valued attributes come from the person's earliest case;
// the forms of exploitation are those of all the person's cases.
std::vector<store::CaseFact> UniquePersons(std::span<const store::CaseFact> facts, bool per_year);

}  // namespace haven::report
