#pragma once
// Checks on files that hold secrets (the keyring, the TLS private key).

#include <filesystem>
#include <string_view>

#include "common/error.h"

namespace haven {

// OK when `path` exists and neither its group nor others have any right to it.
// Otherwise kNotFound (reason "<reason_prefix>_missing") or kForbidden
// ("<reason_prefix>_permissions"), with a message that names `what` and the path.
Status RequireOwnerOnly(const std::filesystem::path& path, std::string_view what,
                        std::string_view reason_prefix);

}  // namespace haven
