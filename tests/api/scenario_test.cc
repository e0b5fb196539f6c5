// Behaviour visible from outside, written as data: each file under tests/scenarios is a
// list of requests as a user makes them and what must come back, run against a fresh
// `haven serve` (in the spirit of DuckDB's sqllogictest). The same files are meant to
// run against every store backend. The format is documented in tests/scenarios/README.md.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "api/harness.h"

namespace haven::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAdminPassword = "scenario-admin-password";
constexpr const char* kPassword = "a-long-scenario-password";
// Every scenario starts at this time on the server's clock, so that dates in files
// stay valid; `time` moves it.
constexpr const char* kStartTime = "2026-03-05T09:00:00Z";

fs::path ScenarioRoot() { return fs::path(HAVEN_SOURCE_DIR) / "tests" / "scenarios"; }

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(ScenarioRoot()))
    if (e.is_regular_file() && e.path().extension() == ".test")
      out.push_back(fs::relative(e.path(), ScenarioRoot()).string());
  std::sort(out.begin(), out.end());
  return out;
}

// The world every scenario starts from: organisations and accounts made through the API
// as an administrator makes them. `as NAME` in a file names one of these accounts.
struct Account {
  const char* name;      // as written in files: role@organisation
  const char* username;  // the account's username
  const char* role;
  const char* org;  // key in kOrganizations
};
struct OrgSpec {
  const char* key;
  const char* name;
  const char* kind;
};
constexpr OrgSpec kOrganizations[] = {
    {"ngo", "Təmiz Dünya", "ngo"},
    {"ngo2", "Another NGO", "ngo"},
    {"shelter", "Sığınacaq Mərkəzi", "shelter"},
    {"police", "Police Anti-Trafficking Unit", "police"},
    {"state", "Coordinating Body", "state_body"},
};
constexpr Account kAccounts[] = {
    {"cw@ngo", "lale.cw", "caseworker", "ngo"},
    {"cw2@ngo", "aysel.cw", "caseworker", "ngo"},
    {"supervisor@ngo", "sevda.sv", "supervisor", "ngo"},
    {"cw@ngo2", "murad.cw", "caseworker", "ngo2"},
    {"sm@shelter", "nigar.sm", "shelter_manager", "shelter"},
    {"cw@police", "orxan.pol", "caseworker", "police"},
    {"coord@state", "elnur.co", "coordinator", "state"},
    {"analyst@state", "rena.an", "analyst", "state"},
    {"auditor@state", "kamal.au", "auditor", "state"},
};

struct Failure {
  std::string where;  // file:line
  std::string what;
};

class Runner {
 public:
  explicit Runner(const std::string& file) : file_(file) {}

  void Run() {
    std::ifstream in(ScenarioRoot() / file_);
    ASSERT_TRUE(in) << "cannot read " << file_;
    std::string line;
    while (std::getline(in, line)) lines_.push_back(line);
    SetUpWorld();
    while (pos_ < lines_.size()) {
      const std::string line = Trim(lines_[pos_]);
      if (line.empty() || line[0] == '#') {
        ++pos_;
        continue;
      }
      Statement();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

 private:
  std::string Where(std::size_t line) const {
    return file_ + ":" + std::to_string(line + 1);
  }

  static std::string Trim(const std::string& s) {
    auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
  }

  static std::vector<std::string> Words(const std::string& s) {
    std::istringstream in(s);
    std::vector<std::string> out;
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
  }

  void SetUpWorld() {
    instance_ = std::make_unique<Instance>("scenario", kAdminPassword, /*test_clock=*/true);
    instance_->SetTime(kStartTime);
    vars_["today"] = std::string(kStartTime).substr(0, 10);
    for (const auto& o : kOrganizations)
      vars_[std::string("org_") + o.key] = std::to_string(instance_->Organization(o.name, o.kind));
    for (const auto& a : kAccounts) {
      auto r = instance_->admin().Post(
          "/api/v1/users", {{"username", a.username},
                            {"password", kPassword},
                            {"role", a.role},
                            {"organization_id", std::stol(vars_[std::string("org_") + a.org])}});
      ASSERT_EQ(r.status, 201) << "world: account " << a.name << ": " << r.raw;
      std::string var = std::string("user_") + a.name;
      std::replace(var.begin(), var.end(), '@', '_');
      vars_[var] = std::to_string(r.body["id"].get<long>());
    }
  }

  Client& ClientAs(const std::string& who, std::size_t line) {
    auto it = clients_.find(who);
    if (it != clients_.end()) return it->second;
    Client c(instance_->port());
    if (who != "anonymous") {
      std::string username, password = kPassword;
      if (who == "admin") {
        username = "admin";
        password = kAdminPassword;
      }
      for (const auto& a : kAccounts)
        if (who == a.name) username = a.username;
      if (auto p = passwords_.find(who); p != passwords_.end()) password = p->second;
      EXPECT_FALSE(username.empty()) << Where(line) << ": no account named " << who;
      auto r = c.Login(username, password);
      EXPECT_EQ(r.status, 200) << Where(line) << ": sign-in of " << who << ": " << r.raw;
    }
    return clients_.emplace(who, std::move(c)).first->second;
  }

  // $name → its value; `$$` is a literal dollar.
  std::string Substitute(const std::string& text, std::size_t line) {
    static const std::regex var(R"(\$(\$|[A-Za-z_][A-Za-z0-9_]*))");
    std::string out;
    auto begin = std::sregex_iterator(text.begin(), text.end(), var);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
      out += text.substr(last, it->position() - last);
      std::string name = (*it)[1];
      if (name == "$") {
        out += "$";
      } else if (auto v = vars_.find(name); v != vars_.end()) {
        out += v->second;
      } else {
        ADD_FAILURE() << Where(line) << ": unknown variable $" << name;
      }
      last = it->position() + it->length();
    }
    return out + text.substr(last);
  }

  void Statement() {
    const std::size_t line = pos_;
    auto words = Words(lines_[pos_++]);
    const std::string& verb = words[0];
    if (verb == "time" && words.size() == 2) {
      instance_->SetTime(words[1]);
      vars_["today"] = words[1].substr(0, 10);
    } else if (verb == "define" && words.size() == 2) {
      // A block of text up to the next empty line, substituted where $NAME appears.
      std::string text;
      while (pos_ < lines_.size() && !Trim(lines_[pos_]).empty()) text += lines_[pos_++] + "\n";
      vars_[words[1]] = Substitute(text, line);
    } else if (verb == "request") {
      Request(words, line);
    } else if (verb == "password" && words.size() == 3) {
      // The account signs in with another password from now on (after a change).
      passwords_[words[1]] = Substitute(words[2], line);
      clients_.erase(words[1]);
    } else if (verb == "signout" && words.size() == 2) {
      clients_.erase(words[1]);
    } else {
      FAIL() << Where(line) << ": cannot read statement: " << lines_[line];
    }
  }

  // request METHOD PATH as WHO
  // [header Name: value]...
  // [body lines...]
  // ----
  // expectations... up to an empty line
  void Request(const std::vector<std::string>& words, std::size_t line) {
    ASSERT_TRUE(words.size() == 5 && words[3] == "as")
        << Where(line) << ": expected `request METHOD PATH as WHO`";
    const std::string method = words[1];
    const std::string path = Substitute(words[2], line);
    httplib::Headers headers;
    std::string body;
    std::string content_type = "application/json";
    bool has_body = false;
    while (pos_ < lines_.size() && Trim(lines_[pos_]) != "----") {
      const std::string l = lines_[pos_++];
      if (l.rfind("header ", 0) == 0) {
        auto colon = l.find(':');
        std::string name = Trim(l.substr(7, colon - 7));
        std::string value = Substitute(Trim(l.substr(colon + 1)), line);
        if (name == "Content-Type") content_type = value;
        else headers.emplace(name, value);
        continue;
      }
      body += l + "\n";
      has_body = true;
    }
    ASSERT_LT(pos_, lines_.size()) << Where(line) << ": request without `----`";
    ++pos_;
    body = Substitute(body, line);
    if (!has_body) content_type = "";
    Client& client = ClientAs(words[4], line);
    Response r = client.Request(method, path, body, headers, content_type);
    const std::string context = Where(line) + ": " + method + " " + path + " as " + words[4] +
                                " answered " + std::to_string(r.status) + " " + r.raw.substr(0, 2000);
    bool expected_status = false;
    while (pos_ < lines_.size() && !Trim(lines_[pos_]).empty()) {
      const std::size_t eline = pos_;
      std::string e = Trim(lines_[pos_++]);
      // An indented line continues the expectation above it (a long `match`).
      while (pos_ < lines_.size() && !lines_[pos_].empty() &&
             (lines_[pos_][0] == ' ' || lines_[pos_][0] == '\t') && !Trim(lines_[pos_]).empty())
        e += " " + Trim(lines_[pos_++]);
      if (e[0] == '#') continue;
      Expect(e, eline, r, context);
      if (e.rfind("expect ", 0) == 0) expected_status = true;
    }
    EXPECT_TRUE(expected_status) << Where(line) << ": a request needs an `expect STATUS` line";
  }

  // The JSON at a pointer ("/items/0/code"); null when absent.
  static const Json* At(const Json& body, const std::string& pointer) {
    if (pointer.empty() || pointer == "/") return &body;
    try {
      Json::json_pointer p(pointer);
      if (!body.contains(p)) return nullptr;
      return &body.at(p);
    } catch (const std::exception&) {
      return nullptr;
    }
  }

  // Whether `actual` has everything `expected` has: objects may carry more keys, arrays
  // have the same length and match element by element; "*" matches any value.
  static bool Matches(const Json& expected, const Json& actual, std::string& why,
                      const std::string& at = "") {
    if (expected.is_string() && expected.get<std::string>() == "*") return true;
    if (expected.is_object()) {
      if (!actual.is_object()) {
        why = at + " is not an object";
        return false;
      }
      for (const auto& [k, v] : expected.items()) {
        if (!actual.contains(k)) {
          why = at + "/" + k + " is missing";
          return false;
        }
        if (!Matches(v, actual[k], why, at + "/" + k)) return false;
      }
      return true;
    }
    if (expected.is_array()) {
      if (!actual.is_array() || actual.size() != expected.size()) {
        why = at + " is not an array of " + std::to_string(expected.size());
        return false;
      }
      for (std::size_t i = 0; i < expected.size(); ++i)
        if (!Matches(expected[i], actual[i], why, at + "/" + std::to_string(i))) return false;
      return true;
    }
    if (expected != actual) {
      why = at + " is " + actual.dump() + ", expected " + expected.dump();
      return false;
    }
    return true;
  }

  void Expect(const std::string& e, std::size_t line, const Response& r,
              const std::string& context) {
    auto words = Words(Substitute(e, line));
    const std::string& kind = words[0];
    if (kind == "expect") {
      // expect STATUS [ERROR_CODE [FIELD]]
      EXPECT_EQ(std::to_string(r.status), words.at(1)) << context;
      if (words.size() > 2) EXPECT_EQ(r.ErrorCode(), words[2]) << context;
      if (words.size() > 3) EXPECT_EQ(r.ErrorField(), words[3]) << context;
    } else if (kind == "match") {
      // match [POINTER] JSON: the response (or the value at POINTER) has this.
      std::string rest = Trim(Substitute(e, line).substr(5));
      std::string pointer;
      if (!rest.empty() && rest[0] == '/') {
        auto space = rest.find(' ');
        pointer = rest.substr(0, space);
        rest = Trim(rest.substr(space));
      }
      Json expected = Json::parse(rest, nullptr, false);
      ASSERT_FALSE(expected.is_discarded()) << Where(line) << ": not JSON: " << rest;
      const Json* actual = At(r.body, pointer);
      ASSERT_NE(actual, nullptr) << Where(line) << ": nothing at " << pointer << "\n" << context;
      std::string why;
      EXPECT_TRUE(Matches(expected, *actual, why, pointer)) << Where(line) << ": " << why
                                                            << "\n" << context;
    } else if (kind == "absent" && words.size() == 2) {
      EXPECT_EQ(At(r.body, words[1]), nullptr) << Where(line) << ": " << words[1]
                                               << " is present\n" << context;
    } else if (kind == "length" && words.size() == 3) {
      const Json* a = At(r.body, words[1]);
      ASSERT_TRUE(a && a->is_array()) << Where(line) << ": no array at " << words[1] << "\n"
                                      << context;
      EXPECT_EQ(std::to_string(a->size()), words[2]) << Where(line) << "\n" << context;
    } else if (kind == "contains" || kind == "lacks") {
      // contains TEXT: the raw response has (or lacks) this text.
      std::string text = Trim(Substitute(e, line).substr(kind.size()));
      bool has = r.raw.find(text) != std::string::npos;
      EXPECT_EQ(has, kind == "contains") << Where(line) << ": " << kind << " " << text << "\n"
                                         << context;
    } else if (kind == "header" && words.size() >= 3) {
      // header NAME VALUE...: a response header's value.
      std::string value = Trim(e.substr(e.find(words[1]) + words[1].size()));
      EXPECT_EQ(r.Header(words[1]), Substitute(value, line)) << Where(line) << "\n" << context;
    } else if (kind == "save" && words.size() == 4 && words[2] == "=") {
      const Json* v = At(r.body, words[3]);
      ASSERT_NE(v, nullptr) << Where(line) << ": nothing at " << words[3] << " to save\n"
                            << context;
      vars_[words[1]] = v->is_string() ? v->get<std::string>() : v->dump();
    } else {
      ADD_FAILURE() << Where(line) << ": cannot read expectation: " << e;
    }
  }

  std::string file_;
  std::vector<std::string> lines_;
  std::size_t pos_ = 0;
  std::unique_ptr<Instance> instance_;
  std::map<std::string, Client> clients_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, std::string> passwords_;
};

class Scenario : public ::testing::TestWithParam<std::string> {};

TEST_P(Scenario, Runs) { Runner(GetParam()).Run(); }

INSTANTIATE_TEST_SUITE_P(Files, Scenario, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 5);
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
}  // namespace haven::testing
