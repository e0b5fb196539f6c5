#pragma once
// The web application's files (Vite's output, web/dist), read once when the server
// starts and served from memory: only files that were there at start can be served,
// so no request path ever reaches the file system. The server compresses them (gzip,
// brotli) as the browser accepts. Thread-safe: immutable after Load.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "common/error.h"

namespace haven::http {

class UiAssets {
 public:
  struct File {
    std::string body;
    std::string content_type;
    // Named by content hash (Vite's assets/): cached for a year, never revalidated.
    bool immutable = false;
  };

  // Reads every file under `dir`; an error when it has no index.html.
  static Result<UiAssets> Load(const std::filesystem::path& dir);

  // The file that answers GET `path`: the file itself; the page (index.html) for a
  // path of the application's own (/cases/12: no extension); else nullptr.
  const File* Find(std::string_view path) const;
  const File& Page() const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, File, std::less<>> files_;  // "/assets/index-3f2a.js" -> file
};

}  // namespace haven::http
