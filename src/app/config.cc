#include "app/config.h"

#include <arpa/inet.h>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace haven::app {

std::filesystem::path ResolveDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("HAVEN_DIR"); env && *env) return env;
  return "haven-data";
}

std::filesystem::path Config::KeyringPath() const {
  if (const char* env = std::getenv("HAVEN_KEYRING"); env && *env) return env;
  return dir / keyring;
}

namespace {

template <typename T>
Status Read(const toml::table& t, std::string_view section, std::string_view key, T& out) {
  auto node = t.at_path(fmt::format("{}.{}", section, key));
  if (!node) return {};
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::filesystem::path>) {
    auto v = node.value<std::string>();
    if (!v) return Invalid(fmt::format("{}.{}", section, key), "must be a string");
    out = *v;
  } else if constexpr (std::is_same_v<T, double>) {
    auto v = node.value<double>();
    if (!v) return Invalid(fmt::format("{}.{}", section, key), "must be a number");
    out = *v;
  } else {
    auto v = node.value<std::int64_t>();
    if (!v || *v < 0) return Invalid(fmt::format("{}.{}", section, key), "must be a whole number");
    out = static_cast<T>(*v);
  }
  return {};
}

// A list of IP addresses (an exact match each, no ranges), checked for form.
Status ReadAddresses(const toml::table& t, std::string_view section, std::string_view key,
                     std::vector<std::string>& out) {
  auto node = t.at_path(fmt::format("{}.{}", section, key));
  if (!node) return {};
  const std::string name = fmt::format("{}.{}", section, key);
  auto* list = node.as_array();
  if (!list) return Invalid(name, "must be a list of IP addresses, such as [\"127.0.0.1\"]");
  out.clear();
  for (const auto& item : *list) {
    auto v = item.value<std::string>();
    unsigned char buf[sizeof(in6_addr)];
    if (!v || (inet_pton(AF_INET, v->c_str(), buf) != 1 &&
               inet_pton(AF_INET6, v->c_str(), buf) != 1))
      return Invalid(name, "must hold IP addresses only (one address each, no ranges)");
    out.push_back(*v);
  }
  return {};
}

// A list of role names.
Status ReadRoles(const toml::table& t, std::string_view section, std::string_view key,
                 std::vector<domain::Role>& out) {
  auto node = t.at_path(fmt::format("{}.{}", section, key));
  if (!node) return {};
  const std::string name = fmt::format("{}.{}", section, key);
  const std::string allowed = "must be a list of roles, each one of " +
                              domain::AllowedNames<domain::Role>();
  auto* list = node.as_array();
  if (!list) return Invalid(name, allowed);
  out.clear();
  for (const auto& item : *list) {
    auto v = item.value<std::string>();
    auto role = v ? domain::ParseEnum<domain::Role>(*v) : std::nullopt;
    if (!role) return Invalid(name, allowed);
    if (std::find(out.begin(), out.end(), *role) == out.end()) out.push_back(*role);
  }
  return {};
}

// ["admin", "coordinator"] as TOML.
std::string RolesToml(const std::vector<domain::Role>& roles) {
  std::string out = "[";
  for (std::size_t i = 0; i < roles.size(); ++i)
    out += fmt::format("{}\"{}\"", i ? ", " : "", domain::Name(roles[i]));
  return out + "]";
}

}  // namespace

bool Config::SecondFactorRequired(domain::Role role) const {
  return std::find(second_factor_required_for.begin(), second_factor_required_for.end(), role) !=
         second_factor_required_for.end();
}

Result<Config> Config::Load(const std::filesystem::path& dir) {
  Config c;
  c.dir = dir;
  auto path = dir / "haven.toml";
  if (!std::filesystem::exists(path))
    return Fail(ErrorCode::kNotFound, "no_instance",
                fmt::format("{} is not a Haven instance (no haven.toml); create one with "
                            "`haven init --dir {}`",
                            dir.string(), dir.string()));
  toml::table t;
  try {
    t = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return Invalid("haven.toml", fmt::format("{} (line {})", e.description(),
                                             e.source().begin.line));
  }
  static const std::map<std::string, std::vector<std::string>> kKnown = {
      {"instance", {"country_code"}},
      {"store", {"backend", "path"}},
      {"security", {"keyring", "session_hours", "max_failed_logins", "lockout_minutes",
                    "lookups_per_hour", "second_factor_required_for"}},
      {"server", {"bind", "port", "threads", "max_body_bytes", "ui_dir", "trusted_proxies",
                  "tls_certificate", "tls_key"}},
      {"cases", {"reflection_days"}},
      {"statistics", {"suppression_threshold", "dp_epsilon_budget", "dp_epsilon_per_analyst"}},
      {"linkage", {"duplicate_warning_threshold", "link_threshold", "max_joined_share",
                   "max_cluster_size"}},
      {"audit", {"checkpoint_every_minutes"}},
      {"retention", {"erase_after_closure_days"}},
  };
  for (auto& [section, node] : t) {
    auto known = kKnown.find(std::string(section.str()));
    if (known == kKnown.end() || !node.is_table())
      return Invalid(std::string(section.str()), "is not a known section of haven.toml");
    for (auto& [key, _] : *node.as_table())
      if (std::find(known->second.begin(), known->second.end(), std::string(key.str())) ==
          known->second.end())
        return Invalid(fmt::format("{}.{}", section.str(), key.str()),
                       "is not a known key of haven.toml");
  }
  std::string backend = "sqlite";
  TRY_STATUS(Read(t, "instance", "country_code", c.country_code));
  TRY_STATUS(Read(t, "store", "backend", backend));
  if (backend != "sqlite")
    return Invalid("store.backend", "only \"sqlite\" is available in this build");
  TRY_STATUS(Read(t, "store", "path", c.database));
  TRY_STATUS(Read(t, "security", "keyring", c.keyring));
  TRY_STATUS(Read(t, "security", "session_hours", c.session_hours));
  TRY_STATUS(Read(t, "security", "max_failed_logins", c.max_failed_logins));
  TRY_STATUS(Read(t, "security", "lockout_minutes", c.lockout_minutes));
  TRY_STATUS(Read(t, "security", "lookups_per_hour", c.lookups_per_hour));
  TRY_STATUS(ReadRoles(t, "security", "second_factor_required_for",
                       c.second_factor_required_for));
  TRY_STATUS(Read(t, "server", "bind", c.bind));
  TRY_STATUS(Read(t, "server", "port", c.port));
  TRY_STATUS(Read(t, "server", "threads", c.threads));
  TRY_STATUS(Read(t, "server", "max_body_bytes", c.max_body_bytes));
  TRY_STATUS(Read(t, "server", "ui_dir", c.ui_dir));
  TRY_STATUS(ReadAddresses(t, "server", "trusted_proxies", c.trusted_proxies));
  TRY_STATUS(Read(t, "server", "tls_certificate", c.tls_certificate));
  TRY_STATUS(Read(t, "server", "tls_key", c.tls_key));
  if (c.tls_certificate.empty() != c.tls_key.empty())
    return Invalid(c.tls_key.empty() ? "server.tls_key" : "server.tls_certificate",
                   "server.tls_certificate and server.tls_key go together: set both, or neither");
  TRY_STATUS(Read(t, "cases", "reflection_days", c.reflection_days));
  TRY_STATUS(Read(t, "statistics", "suppression_threshold", c.suppression_threshold));
  TRY_STATUS(Read(t, "statistics", "dp_epsilon_budget", c.dp_epsilon_budget));
  TRY_STATUS(Read(t, "statistics", "dp_epsilon_per_analyst", c.dp_epsilon_per_analyst));
  TRY_STATUS(Read(t, "linkage", "duplicate_warning_threshold", c.duplicate_warning_threshold));
  TRY_STATUS(Read(t, "linkage", "link_threshold", c.link_threshold));
  TRY_STATUS(Read(t, "linkage", "max_joined_share", c.link_max_joined_share));
  TRY_STATUS(Read(t, "linkage", "max_cluster_size", c.link_max_cluster_size));
  TRY_STATUS(Read(t, "audit", "checkpoint_every_minutes", c.audit_checkpoint_every_minutes));
  TRY_STATUS(Read(t, "retention", "erase_after_closure_days",
                  c.retention_erase_after_closure_days));
  if (c.retention_erase_after_closure_days < 0 ||
      c.retention_erase_after_closure_days > 100 * 366)
    return Invalid("retention.erase_after_closure_days", "must be 0 (off) to 36600");
  if (c.audit_checkpoint_every_minutes > 7 * 24 * 60)
    return Invalid("audit.checkpoint_every_minutes", "must be 0 (off) to 10080 (a week)");
  if (c.port < 1 || c.port > 65535) return Invalid("server.port", "must be 1 to 65535");
  if (c.threads < 1 || c.threads > 256) return Invalid("server.threads", "must be 1 to 256");
  if (c.session_hours < 1) return Invalid("security.session_hours", "must be at least 1");
  if (c.max_failed_logins < 1)
    return Invalid("security.max_failed_logins", "must be at least 1");
  if (c.lookups_per_hour < 1 || c.lookups_per_hour > 10000)
    return Invalid("security.lookups_per_hour", "must be 1 to 10000");
  if (c.reflection_days < 1) return Invalid("cases.reflection_days", "must be at least 1");
  for (auto [key, value] : {std::pair{"duplicate_warning_threshold", c.duplicate_warning_threshold},
                             std::pair{"link_threshold", c.link_threshold}}) {
    if (!(value > 0 && value <= 1))
      return Invalid(fmt::format("linkage.{}", key), "must be a number in (0, 1]");
  }
  if (!(c.link_max_joined_share > 0 && c.link_max_joined_share <= 1))
    return Invalid("linkage.max_joined_share", "must be a number in (0, 1]");
  if (c.link_max_cluster_size < 2 || c.link_max_cluster_size > 1000000)
    return Invalid("linkage.max_cluster_size", "must be 2 to 1000000");
  if (!(c.dp_epsilon_budget > 0 && c.dp_epsilon_budget <= 1000))
    return Invalid("statistics.dp_epsilon_budget", "must be more than 0 and at most 1000");
  if (!(c.dp_epsilon_per_analyst >= 0 && c.dp_epsilon_per_analyst <= c.dp_epsilon_budget))
    return Invalid("statistics.dp_epsilon_per_analyst",
                   "must be from 0 (no share: one budget for everyone) to dp_epsilon_budget");
  if (c.country_code.size() != 2) return Invalid("instance.country_code", "must be 2 letters");
  return c;
}

std::string Config::ToToml() const {
  return fmt::format(R"(# Haven instance configuration. Paths are relative to this folder.

[instance]
# Prefix of case codes such as {0}-2026-000123.
country_code = "{0}"

[store]
backend = "sqlite"
path = "{1}"

[security]
# The keyring (mode 0600) holds the master key. Keep a copy apart from backups
# of the database: the database alone never reveals an identity.
keyring = "{2}"
session_hours = {3}
max_failed_logins = {4}
lockout_minutes = {5}
# Person look-ups (is this name registered anywhere?) one user may make in an hour.
lookups_per_hour = {15}
# Roles that must sign in with a second factor (an authenticator app's code after the
# password); their accounts can do nothing but enrol until they have. Anyone may enrol.
# `haven user reset-second-factor USERNAME` lets a user who lost her phone back in.
second_factor_required_for = {second_factor_required_for}

[server]
# Loopback by default; for anything else put nginx with TLS in front, or set tls_* below.
bind = "{6}"
port = {7}
threads = {8}
max_body_bytes = {9}
# Reverse proxies whose X-Forwarded-For header names the client (for the login
# throttle); with nginx on the same host: ["127.0.0.1"]. Empty: the header is ignored.
trusted_proxies = []
# TLS of haven serve itself (PEM files, relative to this folder or absolute; the key
# readable by its owner only). Unset: plain HTTP, for nginx with TLS in front.
# tls_certificate = "tls/certificate.pem"
# tls_key = "tls/key.pem"
# The web application's folder (web/dist of a build); by default the one built with
# this binary.
# ui_dir = "/usr/share/haven/web"

[audit]
# `haven serve` signs a checkpoint of the audit log into checkpoints/ when it starts
# and then every this many minutes if the log grew (0: never). Send them away, e.g. to
# the oversight body: `haven audit verify --checkpoint FILE` shows whether the log was
# cut short or rewritten since.
checkpoint_every_minutes = {audit_checkpoint_every_minutes}

[retention]
# Days after a person's last case was closed after which her identity, notes and
# attachments are erased for good by destroying her data key; the anonymous facts of
# her cases stay in the statistics. 0: never. `haven retention run` applies it, and
# `haven serve` once a day.
erase_after_closure_days = {retention_erase_after_closure_days}

[cases]
# Statutory minimum of the recovery and reflection period, in days.
reflection_days = {10}

[statistics]
# Counts below this are shown as "<N" in every output for analysts.
suppression_threshold = {11}
# Privacy budget: the total epsilon of differentially private releases about one
# year of data (a release over all years counts against every year).
dp_epsilon_budget = {14}
# The share of it one user may spend about one year; 0: one budget for everyone.
# A question asked again gets the answer released before and spends nothing.
dp_epsilon_per_analyst = {18}

[linkage]
# Dice similarity of linkage keys (CLKs) from which a registration warns that the
# person is possibly already known to the NRM, and from which `haven link` joins
# two registrations as one person.
duplicate_warning_threshold = {12}
link_threshold = {13}
# Guard rails of `haven link --apply`: a run that would join more than this share of
# all persons with another registration, or whose largest cluster would hold more
# registrations than this, is refused unless --force is given (1 turns the share off).
max_joined_share = {16}
max_cluster_size = {17}
)",
                     country_code, database.string(), keyring.string(), session_hours,
                     max_failed_logins, lockout_minutes, bind, port, threads, max_body_bytes,
                     reflection_days, suppression_threshold, duplicate_warning_threshold,
                     link_threshold, dp_epsilon_budget, lookups_per_hour,
                     link_max_joined_share, link_max_cluster_size, dp_epsilon_per_analyst,
                     fmt::arg("audit_checkpoint_every_minutes", audit_checkpoint_every_minutes),
                     fmt::arg("second_factor_required_for", RolesToml(second_factor_required_for)),
                     fmt::arg("retention_erase_after_closure_days",
                              retention_erase_after_closure_days));
}

}  // namespace haven::app
