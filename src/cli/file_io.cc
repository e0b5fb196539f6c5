#include "cli/file_io.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace haven::cli {

int ReportError(const Error& e) {
  std::string where = e.field.empty() ? "" : fmt::format(" ({})", e.field);
  fmt::print(stderr, "haven: error: {}{}\n", e.message, where);
  switch (e.code) {
    case ErrorCode::kValidation: return 2;
    case ErrorCode::kConflict: return 3;
    case ErrorCode::kNotFound: return 4;
    default: return 1;
  }
}

void Die(const std::string& message, int code) {
  std::cerr << "haven: error: " << message << "\n";
  throw CLI::RuntimeError(code);
}

std::string ReadWholeFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + what + " " + path);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) Die("cannot read " + what + " " + path);
  return buffer.str();
}

void WriteAtomically(const std::string& path, const std::string& content) {
  const auto slash = path.rfind('/');
  std::string tmp = (slash == std::string::npos ? std::string("./") : path.substr(0, slash + 1)) +
                    ".haven-out-XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) Die("cannot create a file next to " + path);
  const char* p = content.data();
  size_t left = content.size();
  bool ok = true;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) {
      ok = false;
      break;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    Die("cannot write " + path);
  }
}

}  // namespace haven::cli
