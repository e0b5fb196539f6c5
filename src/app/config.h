#pragma once
// An instance's configuration: DIR/haven.toml, with documented defaults.

#include <filesystem>
#include <string>
#include <vector>

#include "common/error.h"
#include "domain/enums.h"

namespace haven::app {

struct Config {
  // The instance folder; relative paths below are resolved against it.
  std::filesystem::path dir;
  // Prefix of case codes (ISO 3166-1 alpha-2 of the operating country).
  std::string country_code = "AZ";
  // The SQLite database file.
  std::filesystem::path database = "haven.db";
  // The keyring file (mode 0600). HAVEN_KEYRING overrides it.
  std::filesystem::path keyring = "keyring.json";
  // Address and port `haven serve` listens on; loopback by default: put nginx
  // with TLS in front for anything else.
  std::string bind = "127.0.0.1";
  int port = 8080;
  // Worker threads of the HTTP server.
  int threads = 8;
  // The web application's files (Vite's output). Empty: the one built with this binary.
  std::filesystem::path ui_dir;
  // Request bodies over this size are refused with 413.
  std::size_t max_body_bytes = 1 << 20;
  // Addresses of reverse proxies (nginx) whose X-Forwarded-For is believed: a
  // request from one of them counts, for the login throttle, as coming from the
  // right-most address in that header that is not itself a trusted proxy. Empty:
  // the header is ignored and the connecting address is the client.
  // X-Forwarded-Proto: https from one of them also counts as a request over TLS.
  std::vector<std::string> trusted_proxies;
  // TLS of `haven serve` itself: the certificate chain and its private key (PEM files;
  // relative to the instance folder, or absolute). Both empty: plain HTTP, for nginx in
  // front on the same host. The key must be readable by its owner only.
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_key;
  // A session ends this many hours after login.
  int session_hours = 8;
  // After this many failed logins in a row an account is locked ...
  int max_failed_logins = 5;
  // ... for this many minutes.
  int lockout_minutes = 15;
  // Person look-ups (is this name registered anywhere?) one user may make in an hour.
  int lookups_per_hour = 30;
  // The roles whose accounts must sign in with a second factor (TOTP): until such a user
  // has enrolled, her session can do nothing but enrol. Everyone else may enrol.
  // ([security] second_factor_required_for; the demo writes [] to try Haven in a browser.)
  std::vector<domain::Role> second_factor_required_for = {domain::Role::kAdmin,
                                                          domain::Role::kCoordinator};
  // Statutory minimum of the recovery and reflection period.
  int reflection_days = 30;
  // Cells below this count are suppressed in every output for analysts.
  int suppression_threshold = 5;
  // Total ε of differentially private releases about one year of data (releases over
  // all years count against every year); a release beyond it is refused.
  double dp_epsilon_budget = 10.0;
  // The share of that budget one user may spend about one year (0: the whole budget
  // is shared by everyone). Lets several analysts work without one of them spending
  // everyone's budget.
  double dp_epsilon_per_analyst = 0.0;
  // Dice similarity of CLKs at or above which a registration warns "possibly
  // already known to the NRM".
  double duplicate_warning_threshold = 0.85;
  // Dice similarity at or above which `haven link` joins two persons.
  double link_threshold = 0.85;
  // Guard rails of `haven link --apply`: a run that would join more than this share of
  // all persons with another registration is refused unless forced (--force). A share
  // in (0, 1]; 1 turns the rule off.
  double link_max_joined_share = 0.2;
  // ... and so is a run whose largest cluster would hold more registrations than this
  // (one person registered by this many organisations is already extreme). At least 2.
  int link_max_cluster_size = 10;
  // `haven serve` signs a checkpoint of the audit log into DIR/checkpoints/ when it
  // starts and then every this many minutes (when the log grew); 0: never.
  // ([audit] checkpoint_every_minutes; see app/audit_checkpoint.h.)
  int audit_checkpoint_every_minutes = 60;
  // Days after a person's last case was closed after which her identity, the free text
  // and the attachments of her cases are erased by destroying her data key
  // (crypto-shredding); the cases' anonymous facts stay for statistics. 0: never.
  // `haven retention run` and, once a day, `haven serve` apply it.
  // ([retention] erase_after_closure_days; see app/retention.h.)
  int retention_erase_after_closure_days = 0;

  std::filesystem::path DatabasePath() const { return dir / database; }
  std::filesystem::path KeyringPath() const;
  bool Tls() const { return !tls_certificate.empty(); }
  std::filesystem::path TlsCertificatePath() const { return dir / tls_certificate; }
  std::filesystem::path TlsKeyPath() const { return dir / tls_key; }

  // Reads DIR/haven.toml; unknown keys and wrong types are errors.
  static Result<Config> Load(const std::filesystem::path& dir);
  // The text `haven init` writes: every key with its default and a comment.
  std::string ToToml() const;
  // Whether accounts of `role` must sign in with a second factor.
  bool SecondFactorRequired(domain::Role role) const;
};

// The instance folder from --dir, else $HAVEN_DIR, else ./haven-data.
std::filesystem::path ResolveDir(const std::string& flag);

}  // namespace haven::app
