#pragma once
// Differential privacy for released counts: the Laplace and Gaussian mechanisms,
// with randomness behind a small interface so that tests can fix it.
//
// The privacy unit is one person. A release of n tables spends epsilon (and
// delta) in total: each table gets epsilon/n (sequential composition). A person
// adds at most `sensitivity` to the cells of one table (1, or the number of
// forms of exploitation when those are a dimension), so Laplace noise has scale
// sensitivity/epsilon_table, and Gaussian noise sigma = sqrt(sensitivity) ·
// sqrt(2 ln(1.25/delta)) / epsilon_table (Dwork & Roth, Theorem A.1, which needs
// epsilon_table < 1). Rounding, clamping at zero, totals as sums of noisy
// cells and hiding small noisy counts are post-processing and cost nothing.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "common/error.h"

namespace haven::report {

// Uniform random bytes. Implementations say whether they are thread-safe.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<unsigned char> out) = 0;
  // Uniform in the open interval (0, 1), 53 bits.
  double Uniform();
};

// libsodium's randombytes_buf (the OS random source). Thread-safe.
class SodiumRandom final : public RandomSource {
 public:
  void Fill(std::span<unsigned char> out) override;
};

std::unique_ptr<RandomSource> MakeSystemRandom();

struct DpParams {
  std::string mechanism = "laplace";  // or "gaussian"
  double epsilon = 1.0;               // of the whole release; (0, 10]
  double delta = 1e-6;                // Gaussian only; (0, 1e-3]
};

// Checks the parameters a user gave; errors name `field`.
Status ValidateDp(const DpParams& p, std::string_view field);

double LaplaceNoise(RandomSource& random, double scale);
double GaussianNoise(RandomSource& random, double sigma);

// Noise for one cell of a table that got `epsilon_table` of the budget.
// REQUIRES: ValidateDp(p) passed; for Gaussian, epsilon_table < 1.
double CellNoise(RandomSource& random, const DpParams& p, double epsilon_table,
                 double sensitivity);
// The noisy count as published: rounded, never below zero.
std::int64_t NoisyCount(std::int64_t value, double noise);

}  // namespace haven::report
