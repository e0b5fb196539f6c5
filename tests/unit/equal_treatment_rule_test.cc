// DESIGN §2.4 as a code-review rule that a machine checks: the files that hold
// Haven's rules for workflow, assistance, allowances and the stages after
// identification never read citizenship. (Validating its spelling and copying
// it into statistics happen elsewhere.)

#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

namespace {

std::string Code(const std::string& path) {
  std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/" + path);
  EXPECT_TRUE(in) << path;
  std::stringstream s;
  s << in.rdbuf();
  // Comments may explain the rule; only code counts.
  std::string text = std::regex_replace(s.str(), std::regex("//[^\n]*"), "");
  return text;
}

TEST(EqualTreatmentRule, RuleFilesNeverReadCitizenship) {
  for (const char* path : {"src/domain/assistance.cc", "src/domain/stages.cc",
                           "src/app/assistance.cc", "src/app/stages.cc",
                           "src/app/permissions.h"}) {
    std::string code = Code(path);
    EXPECT_EQ(code.find("itizenship"), std::string::npos) << path << " reads citizenship";
  }
  // The workflow rules: only Citizenship's own parsing and printing mention it.
  std::string rules = Code("src/domain/rules.cc");
  auto workflow = rules.find("std::span<const CaseStatus> NextStatuses");
  ASSERT_NE(workflow, std::string::npos);
  EXPECT_EQ(rules.find("itizenship", workflow), std::string::npos);
}

}  // namespace
