#include "cli/consent_commands.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "app/consent_receipt.h"
#include "cli/file_io.h"

namespace haven::cli {
namespace {

// Exit statuses of `consent verify`.
constexpr int kInvalid = 1;
constexpr int kUnreadable = 2;

struct VerifyArgs {
  std::string receipt;
  std::optional<std::string> public_key;
};

void RunVerify(const VerifyArgs& args) {
  std::string text;
  try {
    text = ReadWholeFile(args.receipt, "receipt");
  } catch (const CLI::RuntimeError&) {
    // ReadWholeFile has said what it could not read; only the status differs.
    throw CLI::RuntimeError(kUnreadable);
  }
  domain::Json receipt;
  try {
    receipt = domain::Json::parse(text);
  } catch (const domain::Json::parse_error& e) {
    Die(fmt::format("receipt {} is not JSON (at byte {})", args.receipt, e.byte), kUnreadable);
  }
  app::ReceiptCheck check = app::VerifyReceipt(receipt, args.public_key);
  if (!check.valid) {
    fmt::print("invalid: {}\n", check.problem);
    std::fflush(stdout);
    throw CLI::RuntimeError(kInvalid);
  }
  fmt::print("valid: signed by key {}\n", check.key_id);
  std::fflush(stdout);
  throw CLI::Success();
}

}  // namespace

void AddConsentCommands(CLI::App& app) {
  CLI::App* consent = nullptr;
  try {
    consent = app.get_subcommand("consent");
  } catch (const CLI::OptionNotFound&) {
    consent = app.add_subcommand("consent", "Consent receipts");
    consent->require_subcommand(1);
  }
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* verify = consent->add_subcommand(
      "verify",
      "Check a consent receipt's structure and signature (exit 0 valid, 1 invalid, "
      "2 unreadable)");
  verify->add_option("RECEIPT.json", args->receipt, "the receipt, as Haven issued it")->required();
  verify->add_option("--public-key", args->public_key,
                     "the instance's receipt-signing public key (base64): without it the "
                     "receipt is only checked against the key it carries, which a forger can "
                     "replace");
  verify->callback([args] { RunVerify(*args); });
}

}  // namespace haven::cli
