// The OpenAPI document in docs/ describes exactly the routes the server answers.

#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/server.h"

namespace haven::http {
namespace {

TEST(OpenApi, DocumentMatchesTheRouteTable) {
  std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(in) << "docs/openapi.json is missing";
  auto doc = nlohmann::json::parse(in);
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc["paths"].items())
    for (const auto& [method, op] : item.items()) {
      std::string m = method;
      for (auto& c : m) c = static_cast<char>(std::toupper(c));
      documented.insert(m + " " + path);
      bool is_public = op.contains("security") && op["security"].empty();
      for (const auto& r : Server::RouteTable()) {
        if (r.method == m && r.path == path) {
          EXPECT_EQ(r.is_public, is_public) << m << " " << path << ": public/secured differs";
        }
      }
    }
  for (const auto& r : Server::RouteTable()) served.insert(r.method + " " + r.path);
  for (const auto& s : served) EXPECT_TRUE(documented.count(s)) << "undocumented route: " << s;
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << "documented but not served: " << d;
}

}  // namespace
}  // namespace haven::http
