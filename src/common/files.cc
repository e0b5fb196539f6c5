#include "common/files.h"

#include <sys/stat.h>

#include <fmt/format.h>

namespace haven {

Status RequireOwnerOnly(const std::filesystem::path& path, std::string_view what,
                        std::string_view reason_prefix) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Fail(ErrorCode::kNotFound, fmt::format("{}_missing", reason_prefix),
                fmt::format("{} {} not found", what, path.string()));
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    return Fail(ErrorCode::kForbidden, fmt::format("{}_permissions", reason_prefix),
                fmt::format("{} {} may be read by others than its owner; chmod 600 it", what,
                            path.string()));
  return {};
}

}  // namespace haven
