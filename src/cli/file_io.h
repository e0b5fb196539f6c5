#pragma once
// Shared by the file-based commands (encode, link clks, report, import, export):
// how they fail and how they read and write files.

#include <string>

namespace haven::cli {

// Prints `haven: error: MESSAGE` and ends the command with exit status `code`
// (CLI11 turns the exception into the exit status, printing nothing more).
[[noreturn]] void Die(const std::string& message, int code = 1);

// The whole file; dies naming `what` and the path when it cannot be read.
std::string ReadWholeFile(const std::string& path, const std::string& what = "file");

// Writes a file completely or not at all: the content goes to a temporary file
// in the same directory, fsync'ed, then renamed over the target.
void WriteAtomically(const std::string& path, const std::string& content);

}  // namespace haven::cli
