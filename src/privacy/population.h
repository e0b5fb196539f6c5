#pragma once
// Synthetic test populations with ground truth, for measuring linkage quality (bench/
// linkage_quality_bench.cc) and for tests. Nothing here is real personal data.
//
// Two organisations register overlapping sets of people. Every record is drawn from a
// true identity and then made realistically wrong the way registrations in the region
// go wrong: the name in another script or transliteration (Azerbaijani Latin, Russian
// Cyrillic, the English passport spelling, the older Russian-based Latin, informal ASCII
// typing with e for ə), typing errors, given and family name swapped, missing fields,
// and birth dates that are mistyped, have day and month swapped, are off by a year (an
// age estimate), or are only a year (recorded as 1 January). Names are Azerbaijani,
// Russian and foreign (Central Asian, Ukrainian, Georgian, Turkish, Iranian, Filipino,
// Nepali, Indonesian, Nigerian, Chinese), drawn with a skewed frequency so that common
// names repeat and unrelated people share them, as they do. Where the custom has one,
// the patronymic is the father's given name in the form the registrar uses (Azerbaijani
// "Rəşad oğlu", Russian-style "Рашадович", or the bare name), and may be left out.
// Citizenship follows the name's origin, with stateless persons and people of
// Azerbaijani, Russian or Georgian names who are citizens of Azerbaijan.
//
// Deterministic: the same options give the same population on every machine (the
// generator has its own random number generator; std distributions differ by library).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace haven::privacy {

// One registration, in the columns of Haven's default CLK schema (clk.h).
struct PersonRecord {
  std::string id;
  std::string given_name;
  std::string family_name;
  std::string birth_date;  // YYYY-MM-DD, or empty when not recorded
  std::string sex;         // female | male | unknown
  // The father's name as registrars write it (Rəşad oğlu, Рашадович, ...); empty when
  // not recorded or when the person's naming custom has none.
  std::string patronymic;
  // ISO 3166-1 alpha-2, "stateless", or empty when not recorded.
  std::string citizenship;

  // id, given_name, family_name, birth_date, sex, patronymic, citizenship: the values
  // ClkEncoder::Encode takes for the default schema.
  std::vector<std::string> Values() const;
};

// How often each kind of error happens, per record (per name for typos). Each field is
// the probability of that error; the errors are independent.
struct CorruptionRates {
  // The record is written in another spelling than the person's own (for Azerbaijani
  // names: English passport, Russian Cyrillic, Russian-based Latin, informal ASCII).
  double other_spelling = 0.5;
  // One typing error (deletion, insertion, substitution or transposition) in a name;
  // drawn for the given and the family name separately.
  double typo = 0.08;
  // A second typing error in the same name, when there was a first.
  double second_typo = 0.2;
  double swapped_names = 0.03;
  double missing_given_name = 0.01;
  // Of people whose custom has a patronymic (Azerbaijani, Russian, Ukrainian, Central
  // Asian): the registration leaves it out.
  double missing_patronymic = 0.25;
  double missing_citizenship = 0.05;
  // Recorded as another country (e.g. the country of residence).
  double citizenship_error = 0.01;
  double missing_birth_date = 0.06;
  // One of: a mistyped digit, day and month swapped, year off by one, year only.
  double birth_date_error = 0.08;
  double sex_unknown = 0.10;
  // All capitals (harmless after normalisation, but real).
  double upper_case = 0.15;

  // No errors at all, only other spellings (isolates transliteration).
  static CorruptionRates SpellingOnly();
  // What Haven's users see, by our reading of registration practice (the default).
  static CorruptionRates Realistic();
  // Two to three times the errors of Realistic.
  static CorruptionRates Hard();
};

struct PopulationOptions {
  size_t size_a = 10000;
  size_t size_b = 10000;
  // People registered by both organisations. REQUIRES: <= min(size_a, size_b).
  size_t overlap = 5000;
  CorruptionRates rates = CorruptionRates::Realistic();
  uint64_t seed = 1;
};

struct LinkagePopulation {
  std::vector<PersonRecord> a;
  std::vector<PersonRecord> b;
  // (index in a, index in b) of every pair that is the same person, sorted.
  std::vector<std::pair<uint32_t, uint32_t>> truth;
};

LinkagePopulation GeneratePopulation(const PopulationOptions& options);

// Precision, recall and F1 of a one-to-one linkage against the truth.
struct LinkageQuality {
  size_t predicted = 0;
  size_t true_positives = 0;
  size_t truth = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};

LinkageQuality ScoreLinkage(std::span<const std::pair<uint32_t, uint32_t>> predicted,
                            std::span<const std::pair<uint32_t, uint32_t>> truth);

// The baseline without Bloom filters: records whose normalised given name, normalised
// family name and birth date are all equal, paired one-to-one in input order.
std::vector<std::pair<uint32_t, uint32_t>> ExactMatchBaseline(
    std::span<const PersonRecord> a, std::span<const PersonRecord> b);

}  // namespace haven::privacy
