#pragma once
// Shared by the file-based commands (encode, link clks, report, import, export):
// how they fail and how they read and write files.

#include <string>

#include "common/error.h"

namespace haven::cli {

// Prints `haven: error: MESSAGE (FIELD)` and returns the exit status of the error's
// kind: 2 bad input, 3 conflict, 4 not found, 1 anything else.
int ReportError(const Error& e);

// Prints `haven: error: MESSAGE` and ends the command with exit status `code`
// (CLI11 turns the exception into the exit status, printing nothing more).
[[noreturn]] void Die(const std::string& message, int code = 1);

// The whole file; dies naming `what` and the path when it cannot be read.
std::string ReadWholeFile(const std::string& path, const std::string& what = "file");

// Writes a file completely or not at all: the content goes to a temporary file
// in the same directory, fsync'ed, then renamed over the target.
void WriteAtomically(const std::string& path, const std::string& content);

}  // namespace haven::cli
