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
      std::set<std::string> params;
      if (op.contains("parameters"))
        for (const auto& p : op["parameters"])
          if (p.value("in", "") == "query") params.insert(p["name"].get<std::string>());
      for (const auto& r : Server::RouteTable()) {
        if (r.method == m && r.path == path) {
          EXPECT_EQ(r.is_public, is_public) << m << " " << path << ": public/secured differs";
          // The query parameters the server takes are those documented, no more, no less.
          EXPECT_EQ(std::set<std::string>(r.query.begin(), r.query.end()), params)
              << m << " " << path << ": query parameters differ";
        }
      }
    }
  for (const auto& r : Server::RouteTable()) served.insert(r.method + " " + r.path);
  for (const auto& s : served) EXPECT_TRUE(documented.count(s)) << "undocumented route: " << s;
  for (const auto& d : documented) EXPECT_TRUE(served.count(d)) << "documented but not served: " << d;
}

}  // namespace
}  // namespace haven::http
