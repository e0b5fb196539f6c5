#pragma once
// `haven keys rotate`: replaces the master key (the key-encryption key) without
// downtime. Adds a new master key to the keyring file, makes it the one that wraps new
// data keys, re-wraps every data key under it in small batches (each its own short
// write transaction, so a running `haven serve` keeps answering; it reads the keyring
// file again when it meets the new id), then retires the old master keys: the keyring
// file before the rotation is kept beside it as keyring-retired-<time>.json, which the
// operator stores with the backups made before (it opens them), and the keyring keeps
// the new master key only.
//
// What rotation does not change: the keyring's root key (blind indexes, the audit
// chain's MAC, the signing keys) and the data keys themselves (what they sealed stays
// as it is). See docs/data-protection.md.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "app/app.h"

namespace haven::app {

struct RotationResult {
  std::string new_master_key_id;
  std::vector<std::string> retired_master_key_ids;
  std::int64_t rewrapped = 0;            // data keys wrapped anew
  std::filesystem::path retired_keyring;  // the keyring file as it was before
};

// REQUIRES: no other rotation at the same time (the keyring file is rewritten).
// `batch`: data keys re-wrapped per write transaction.
[[nodiscard]] Result<RotationResult> RotateMasterKey(App& app, int batch = 200);

}  // namespace haven::app
