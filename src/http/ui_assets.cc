#include "http/ui_assets.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace haven::http {
namespace {

std::string_view ContentType(std::string_view ext) {
  static const std::map<std::string_view, std::string_view> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
  };
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

Result<std::string> ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Internal(fmt::format("cannot read {}", p.string()));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Result<UiAssets> UiAssets::Load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(dir / "index.html", ec))
    return Fail(ErrorCode::kNotFound, "ui_not_built",
                fmt::format("the web application is not built: {} has no index.html (run "
                            "`make`, or set server.ui_dir in haven.toml)",
                            dir.string()));
  UiAssets ui;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    // A link could pull in a file from outside the folder: only plain files are served.
    if (it->is_symlink() || !it->is_regular_file()) continue;
    std::string key = "/" + std::filesystem::relative(it->path(), dir).generic_string();
    TRY(std::string body, ReadAll(it->path()));
    File f;
    f.body = std::move(body);
    f.content_type = std::string(ContentType(it->path().extension().string()));
    f.immutable = key.rfind("/assets/", 0) == 0;
    ui.files_.emplace(std::move(key), std::move(f));
  }
  if (ec) return Internal(fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  return ui;
}

const UiAssets::File& UiAssets::Page() const { return files_.find("/index.html")->second; }

const UiAssets::File* UiAssets::Find(std::string_view path) const {
  if (path == "/") return &Page();
  if (auto it = files_.find(path); it != files_.end()) return &it->second;
  // The application's own routes have no extension; a missing asset is a 404.
  std::string_view last = path.substr(path.rfind('/') + 1);
  if (path.rfind("/assets/", 0) != 0 && last.find('.') == std::string_view::npos)
    return &Page();
  return nullptr;
}

}  // namespace haven::http
