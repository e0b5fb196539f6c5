#include "report/noise.h"

#include <sodium.h>

#include <cmath>
#include <cstring>

#include <fmt/format.h>

namespace haven::report {

double RandomSource::Uniform() {
  while (true) {
    unsigned char bytes[8];
    Fill(bytes);
    std::uint64_t v = 0;
    std::memcpy(&v, bytes, sizeof v);
    v >>= 11;  // 53 bits
    if (v == 0) continue;  // open interval: log(0) must never happen
    return static_cast<double>(v) / 9007199254740992.0;  // 2^53
  }
}

void SodiumRandom::Fill(std::span<unsigned char> out) { randombytes_buf(out.data(), out.size()); }

std::unique_ptr<RandomSource> MakeSystemRandom() {
  // sodium_init is idempotent and thread-safe; randombytes works without it on
  // Linux, but calling it keeps libsodium's own checks in force.
  if (sodium_init() < 0) return nullptr;
  return std::make_unique<SodiumRandom>();
}

Status ValidateDp(const DpParams& p, std::string_view field) {
  std::string f(field);
  if (p.mechanism != "laplace" && p.mechanism != "gaussian")
    return Invalid(f.empty() ? "dp_mechanism" : f + "_mechanism", "must be laplace or gaussian");
  if (!(p.epsilon > 0) || !(p.epsilon <= 10) || !std::isfinite(p.epsilon))
    return Invalid(f.empty() ? "dp_epsilon" : f, "must be a number above 0 and at most 10");
  if (p.mechanism == "gaussian" && (!(p.delta > 0) || !(p.delta <= 1e-3)))
    return Invalid("dp_delta", "must be above 0 and at most 0.001");
  return {};
}

double LaplaceNoise(RandomSource& random, double scale) {
  // Inverse CDF: u uniform in (-1/2, 1/2), x = -b sgn(u) ln(1 - 2|u|).
  double u = random.Uniform() - 0.5;
  double sign = u < 0 ? -1.0 : 1.0;
  return -scale * sign * std::log(1.0 - 2.0 * std::fabs(u));
}

double GaussianNoise(RandomSource& random, double sigma) {
  // Box–Muller; one of the pair is enough.
  double u1 = random.Uniform();
  double u2 = random.Uniform();
  return sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double CellNoise(RandomSource& random, const DpParams& p, double epsilon_table,
                 double sensitivity) {
  if (p.mechanism == "gaussian") {
    // A person touches at most `sensitivity` cells by one each: L2 sensitivity sqrt of it.
    double sigma = std::sqrt(sensitivity) * std::sqrt(2.0 * std::log(1.25 / p.delta)) /
                   epsilon_table;
    return GaussianNoise(random, sigma);
  }
  return LaplaceNoise(random, sensitivity / epsilon_table);
}

std::int64_t NoisyCount(std::int64_t value, double noise) {
  double v = std::round(static_cast<double>(value) + noise);
  return v < 0 ? 0 : static_cast<std::int64_t>(v);
}

}  // namespace haven::report
