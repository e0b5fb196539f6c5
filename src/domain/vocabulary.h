#pragma once
// The closed vocabularies of Haven with their labels in Azerbaijani, English and
// Russian: every enumeration the API accepts (one per HAVEN_ENUM_NAMES), and the
// countries and regions of iso_codes.h. What the web UI and scripts show for a wire
// name. Pure data. Thread-safe: constant after first use.
//
// Every wire name of a registered enum has three labels, and no label names a code
// its enum lacks: vocabulary.cc checks it at compile time against EnumNames<E>::kNames.

#include <span>
#include <string_view>
#include <vector>

#include "domain/coalition.h"

namespace haven::domain {

// One wire name and how to show it.
struct Term {
  std::string_view code;  // the wire name, e.g. "reflection_period", "AZ", "AZ-BA"
  std::string_view az, en, ru;

  constexpr std::string_view Label(Language lang) const {
    switch (lang) {
      case Language::kAz: return az;
      case Language::kEn: return en;
      case Language::kRu: return ru;
    }
    return en;
  }
};

// The labels of one enum.
struct Vocabulary {
  std::string_view name;    // API name, plural snake_case: "case_statuses"
  std::string_view type;    // the C++ enum it labels: "CaseStatus"
  std::vector<Term> terms;  // in the order of EnumNames<E>::kNames
};

// Every registered enum, in a fixed order; names are unique.
std::span<const Vocabulary> AllVocabularies();
// nullptr when there is no vocabulary of that name.
const Vocabulary* FindVocabulary(std::string_view name);

// ISO 3166-1 countries (code: alpha-2) and ISO 3166-2:AZ regions (code: "AZ-BA"),
// ordered by code. Countries: the English ISO name, and the Azerbaijani and Russian
// names of iso-codes (English where it has none). Regions: the ISO name, which is
// Azerbaijani, serves as the English label.
std::span<const Term> CountryTerms();
std::span<const Term> AzRegionTerms();

}  // namespace haven::domain
