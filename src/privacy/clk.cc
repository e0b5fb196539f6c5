#include "privacy/clk.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <cstring>
#include <mutex>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <sodium.h>
#include <unicode/regex.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "domain/iso_codes.h"
#include "privacy/normalize.h"

namespace haven::privacy {
namespace {

using nlohmann::json;

// clkhash's default when `keySize` is absent.
constexpr int kDefaultKeySize = 64;
// blakeHash takes positions from 16-bit words, so it cannot address longer filters.
constexpr int64_t kMaxBlakeFilterBits = 1 << 16;
// Far above any sensible CLK; keeps arithmetic on lengths in int range.
constexpr int64_t kMaxFilterBits = 1 << 20;
constexpr int kBlakeDigestBytes = 64;
constexpr int kBlakeSaltBytes = 16;

// ---------------------------------------------------------------------------------------
// Schema validation. The rules are those of clkhash's master schema v3 (JSON Schema
// draft-07), written out by hand because Haven has no JSON Schema library.

std::unexpected<Error> SchemaError(const std::string& path, const std::string& message) {
  return Fail(ErrorCode::kValidation, "invalid_schema", message, path);
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Status OnlyKeys(const json& obj, std::initializer_list<std::string_view> allowed,
                const std::string& path) {
  for (const auto& [key, value] : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return SchemaError(Join(path, key), "unknown property \"" + key + "\"");
    }
  }
  return {};
}

// JSON Schema counts 3.0 as an integer; nlohmann keeps it as a float.
std::optional<int64_t> AsInteger(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d)) && d > -9.0e18 && d < 9.0e18) {
      return static_cast<int64_t>(d);
    }
  }
  return std::nullopt;
}

Result<std::optional<int64_t>> OptInteger(const json& obj, std::string_view key,
                                          const std::string& path, int64_t minimum,
                                          int64_t maximum = INT64_MAX) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::optional<int64_t>();
  auto v = AsInteger(*it);
  std::string p = Join(path, key);
  if (!v) return SchemaError(p, "must be an integer");
  if (*v < minimum) return SchemaError(p, "must be at least " + std::to_string(minimum));
  if (*v > maximum) return SchemaError(p, "must be at most " + std::to_string(maximum));
  return v;
}

Result<std::optional<std::string>> OptString(const json& obj, std::string_view key,
                                             const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::optional<std::string>();
  if (!it->is_string()) return SchemaError(Join(path, key), "must be a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::optional<bool>> OptBool(const json& obj, std::string_view key,
                                    const std::string& path) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::optional<bool>();
  if (!it->is_boolean()) return SchemaError(Join(path, key), "must be true or false");
  return std::optional<bool>(it->get<bool>());
}

Result<std::string> RequiredString(const json& obj, std::string_view key,
                                   const std::string& path) {
  TRY(auto v, OptString(obj, key, path));
  if (!v) return SchemaError(Join(path, key), "is required");
  return *v;
}

Result<std::string> DecodeBase64Field(const json& obj, std::string_view key,
                                      const std::string& path) {
  TRY(auto text, OptString(obj, key, path));
  if (!text) return std::string();
  auto bytes = DecodeBase64(*text);
  if (!bytes) return SchemaError(Join(path, key), "is not valid base64");
  return *bytes;
}

// The strptime directives Haven understands; clkhash accepts any that Python does, but
// these cover the date formats seen in practice.
Status CheckDateFormat(std::string_view format, const std::string& path) {
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size()) return SchemaError(path, "ends with a lone '%'");
    char d = format[++i];
    if (std::string_view("YmdybB%").find(d) == std::string_view::npos) {
      return SchemaError(path, std::string("date directive %") + d +
                                   " is not supported (use %Y %m %d %y %b %B)");
    }
  }
  return {};
}

Status CheckPattern(const std::string& pattern, const std::string& path) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  std::unique_ptr<icu::RegexPattern> compiled(icu::RegexPattern::compile(
      icu::UnicodeString::fromUTF8(pattern), 0, parse_error, status));
  if (U_FAILURE(status)) return SchemaError(path, "is not a valid regular expression");
  return {};
}

Status ParseFormat(const json& format, const std::string& path, ClkFeature& f) {
  if (!format.is_object()) return SchemaError(path, "must be an object");
  TRY(std::string type, RequiredString(format, "type", path));
  if (type == "string") {
    // textFormat or textPatternFormat: a pattern excludes the length and case rules.
    if (format.contains("pattern")) {
      TRY_STATUS(OnlyKeys(format, {"type", "encoding", "pattern", "description"}, path));
      TRY(auto pattern, OptString(format, "pattern", path));
      TRY_STATUS(CheckPattern(*pattern, Join(path, "pattern")));
      f.pattern = *pattern;
    } else {
      TRY_STATUS(OnlyKeys(format,
                          {"type", "encoding", "case", "minLength", "maxLength", "description"},
                          path));
      TRY(auto text_case, OptString(format, "case", path));
      if (text_case) {
        if (*text_case == "upper") f.text_case = ClkTextCase::kUpper;
        else if (*text_case == "lower") f.text_case = ClkTextCase::kLower;
        else if (*text_case == "mixed") f.text_case = ClkTextCase::kMixed;
        else return SchemaError(Join(path, "case"), "must be upper, lower or mixed");
      }
      TRY(f.min_length, OptInteger(format, "minLength", path, 0));
      TRY(f.max_length, OptInteger(format, "maxLength", path, 1));
    }
    TRY(auto encoding, OptString(format, "encoding", path));
    if (encoding) {
      if (*encoding == "utf-8") f.encoding = ClkTextEncoding::kUtf8;
      else if (*encoding == "ascii") f.encoding = ClkTextEncoding::kAscii;
      else if (*encoding == "utf-16") f.encoding = ClkTextEncoding::kUtf16;
      else if (*encoding == "utf-32") f.encoding = ClkTextEncoding::kUtf32;
      else return SchemaError(Join(path, "encoding"), "must be ascii, utf-8, utf-16 or utf-32");
    }
    f.format = ClkFormatType::kString;
  } else if (type == "integer") {
    TRY_STATUS(OnlyKeys(format, {"type", "minimum", "maximum", "description"}, path));
    TRY(f.minimum, OptInteger(format, "minimum", path, INT64_MIN));
    TRY(f.maximum, OptInteger(format, "maximum", path, INT64_MIN));
    f.format = ClkFormatType::kInteger;
  } else if (type == "date") {
    TRY_STATUS(OnlyKeys(format, {"type", "format", "description"}, path));
    TRY(f.date_format, RequiredString(format, "format", path));
    TRY_STATUS(CheckDateFormat(f.date_format, Join(path, "format")));
    f.format = ClkFormatType::kDate;
  } else if (type == "enum") {
    TRY_STATUS(OnlyKeys(format, {"type", "values", "description"}, path));
    auto it = format.find("values");
    if (it == format.end()) return SchemaError(Join(path, "values"), "is required");
    if (!it->is_array()) return SchemaError(Join(path, "values"), "must be an array of strings");
    for (const auto& v : *it) {
      if (!v.is_string()) return SchemaError(Join(path, "values"), "must be an array of strings");
      f.enum_values.push_back(v.get<std::string>());
    }
    f.format = ClkFormatType::kEnum;
  } else {
    return SchemaError(Join(path, "type"), "must be string, integer, date or enum");
  }
  return {};
}

Status ParseHashing(const json& hashing, const std::string& path, ClkFeature& f) {
  if (!hashing.is_object()) return SchemaError(path, "must be an object");
  TRY_STATUS(OnlyKeys(hashing, {"hash", "strategy", "comparison", "missingValue"}, path));

  if (auto it = hashing.find("hash"); it != hashing.end()) {
    std::string p = Join(path, "hash");
    if (!it->is_object()) return SchemaError(p, "must be an object");
    TRY(std::string type, RequiredString(*it, "type", p));
    if (type == "blakeHash") {
      f.hash = ClkHashType::kBlake;
    } else if (type == "doubleHash") {
      f.hash = ClkHashType::kDouble;
      TRY(auto prevent, OptBool(*it, "prevent_singularity", p));
      // The non-singular variant is not pinned by any reference vector, so Haven refuses
      // it rather than risk CLKs that silently fail to match clkhash's.
      if (prevent.value_or(false)) {
        return SchemaError(Join(p, "prevent_singularity"),
                           "doubleHash with prevent_singularity is not supported");
      }
    } else {
      return SchemaError(Join(p, "type"), "must be blakeHash or doubleHash");
    }
  }

  auto strategy = hashing.find("strategy");
  std::string sp = Join(path, "strategy");
  if (strategy == hashing.end()) return SchemaError(sp, "is required");
  if (!strategy->is_object()) return SchemaError(sp, "must be an object");
  if (strategy->size() != 1 ||
      !(strategy->contains("bitsPerToken") || strategy->contains("bitsPerFeature"))) {
    return SchemaError(sp, "must have exactly one of bitsPerToken or bitsPerFeature");
  }
  TRY(auto per_token, OptInteger(*strategy, "bitsPerToken", sp, 1, kMaxFilterBits));
  TRY(auto per_feature, OptInteger(*strategy, "bitsPerFeature", sp, 1, kMaxFilterBits));
  if (per_token) f.bits_per_token = static_cast<int>(*per_token);
  if (per_feature) f.bits_per_feature = static_cast<int>(*per_feature);

  auto comparison = hashing.find("comparison");
  std::string cp = Join(path, "comparison");
  if (comparison == hashing.end()) return SchemaError(cp, "is required");
  if (!comparison->is_object()) return SchemaError(cp, "must be an object");
  TRY(std::string type, RequiredString(*comparison, "type", cp));
  if (type == "ngram") {
    TRY(auto n, OptInteger(*comparison, "n", cp, 1, 64));
    if (!n) return SchemaError(Join(cp, "n"), "is required");
    TRY(auto positional, OptBool(*comparison, "positional", cp));
    f.comparison = ClkComparison::kNgram;
    f.ngram_n = static_cast<int>(*n);
    f.positional = positional.value_or(false);
  } else if (type == "exact") {
    f.comparison = ClkComparison::kExact;
  } else if (type == "numeric") {
    // Validated like clkhash, but Haven has no reference vectors for it yet.
    auto td = comparison->find("thresholdDistance");
    if (td == comparison->end() || !td->is_number() || td->get<double>() <= 0) {
      return SchemaError(Join(cp, "thresholdDistance"), "must be a number above 0");
    }
    TRY(auto resolution, OptInteger(*comparison, "resolution", cp, 1));
    if (!resolution) return SchemaError(Join(cp, "resolution"), "is required");
    TRY(auto precision, OptInteger(*comparison, "fractional_precision", cp, 0));
    (void)precision;
    return SchemaError(Join(cp, "type"), "numeric comparison is not supported by Haven");
  } else {
    return SchemaError(Join(cp, "type"), "must be ngram, exact or numeric");
  }

  if (auto it = hashing.find("missingValue"); it != hashing.end()) {
    std::string p = Join(path, "missingValue");
    if (!it->is_object()) return SchemaError(p, "must be an object");
    TRY(f.missing_sentinel, OptString(*it, "sentinel", p));
    if (!f.missing_sentinel) return SchemaError(Join(p, "sentinel"), "is required");
    TRY(f.missing_replace_with, OptString(*it, "replaceWith", p));
  }
  return {};
}

Result<ClkFeature> ParseFeature(const json& feature, const std::string& path) {
  if (!feature.is_object()) return SchemaError(path, "must be an object");
  ClkFeature f;
  TRY(f.identifier, RequiredString(feature, "identifier", path));
  TRY(auto ignored, OptBool(feature, "ignored", path));
  bool has_format = feature.contains("format");
  bool has_hashing = feature.contains("hashing");
  if (ignored.value_or(false) && !has_format && !has_hashing) {
    TRY_STATUS(OnlyKeys(feature, {"identifier", "ignored", "description"}, path));
    f.ignored = true;
    return f;
  }
  if (!has_format) return SchemaError(Join(path, "format"), "is required");
  if (!has_hashing) return SchemaError(Join(path, "hashing"), "is required");
  f.ignored = ignored.value_or(false);
  TRY(auto description, OptString(feature, "description", path));
  (void)description;
  TRY_STATUS(ParseFormat(feature["format"], Join(path, "format"), f));
  TRY_STATUS(ParseHashing(feature["hashing"], Join(path, "hashing"), f));
  TRY(auto normalize, OptString(feature, "x-haven-normalize", path));
  if (normalize) {
    if (*normalize == "name") f.normalize = ClkNormalize::kName;
    else if (*normalize == "name-linkage") f.normalize = ClkNormalize::kNameLinkage;
    else if (*normalize == "patronymic") f.normalize = ClkNormalize::kPatronymic;
    else if (*normalize == "lower") f.normalize = ClkNormalize::kLower;
    else if (*normalize == "trim") f.normalize = ClkNormalize::kTrim;
    else if (*normalize == "none") f.normalize = ClkNormalize::kNone;
    else {
      return SchemaError(Join(path, "x-haven-normalize"),
                         "must be name, name-linkage, patronymic, lower, trim or none");
    }
  }
  TRY(auto optional, OptBool(feature, "x-haven-optional", path));
  f.optional = optional.value_or(false);
  if (f.optional && !f.AcceptsEmpty()) {
    return SchemaError(Join(path, "x-haven-optional"),
                       "an optional feature must accept the empty value");
  }
  TRY(auto keys_of, OptString(feature, "x-haven-keys-of", path));
  if (keys_of) f.keys_of = *keys_of;
  TRY(auto date_tokens, OptBool(feature, "x-haven-date-tokens", path));
  if (date_tokens.value_or(false)) {
    if (f.format != ClkFormatType::kDate) {
      return SchemaError(Join(path, "x-haven-date-tokens"), "needs a date format");
    }
    f.date_tokens = true;
  }
  return f;
}

bool IsPowerOfTwo(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

// ---------------------------------------------------------------------------------------
// Values: UTF-8 decoding, formatting, tokenising.

// Decodes strict UTF-8 into code points; nullopt when the bytes are not UTF-8.
std::optional<std::u32string> DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  int32_t i = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  while (i < n) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return std::nullopt;
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

void AppendLe(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// The bytes Python's str.encode(encoding) gives; 'utf-16' and 'utf-32' start with a
// byte-order mark and are little-endian on the machines clkhash runs on.
std::string EncodeToken(std::u32string_view token, ClkTextEncoding encoding) {
  std::string out;
  switch (encoding) {
    case ClkTextEncoding::kAscii:
    case ClkTextEncoding::kUtf8:
      for (char32_t c : token) AppendUtf8(out, c);
      break;
    case ClkTextEncoding::kUtf16:
      AppendLe(out, 0xFEFF, 2);
      for (char32_t c : token) {
        if (c < 0x10000) {
          AppendLe(out, c, 2);
        } else {
          char32_t v = c - 0x10000;
          AppendLe(out, 0xD800 + (v >> 10), 2);
          AppendLe(out, 0xDC00 + (v & 0x3FF), 2);
        }
      }
      break;
    case ClkTextEncoding::kUtf32:
      AppendLe(out, 0xFEFF, 4);
      for (char32_t c : token) AppendLe(out, c, 4);
      break;
  }
  return out;
}

std::string_view TrimSpace(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

struct Date {
  int year = 1900;
  int month = 1;
  int day = 1;
};

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpaceChar(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Python's strptime builds a regular expression from the format and requires it to
// match the whole value; alternatives are tried in order with backtracking. This
// matcher does the same for the directives CheckDateFormat admits, so that
// `1985-3-14` is accepted under `%Y-%m-%d` exactly as clkhash accepts it.
class DateMatcher {
 public:
  DateMatcher(std::string_view format, std::string_view value) : f_(format), v_(value) {}

  // Like re.match without an end anchor followed by Python's "unconverted data remains"
  // check: the first way through the format decides, even if it stops short.
  std::optional<Date> Match() {
    Date d;
    if (!Step(0, 0, d) || end_ != v_.size()) return std::nullopt;
    return result_;
  }

 private:
  bool Step(size_t fi, size_t vi, Date d) {
    if (fi == f_.size()) {
      end_ = vi;
      result_ = d;
      return true;
    }
    char c = f_[fi];
    if (IsSpaceChar(c)) {
      // A run of white space in the format matches one or more white-space characters.
      size_t fe = fi;
      while (fe < f_.size() && IsSpaceChar(f_[fe])) ++fe;
      size_t ve = vi;
      while (ve < v_.size() && IsSpaceChar(v_[ve])) ++ve;
      for (size_t end = ve; end > vi; --end) {
        if (Step(fe, end, d)) return true;
      }
      return false;
    }
    if (c != '%') {
      return vi < v_.size() && LowerAscii(v_[vi]) == LowerAscii(c) && Step(fi + 1, vi + 1, d);
    }
    char directive = f_[fi + 1];
    size_t next = fi + 2;
    switch (directive) {
      case '%':
        return vi < v_.size() && v_[vi] == '%' && Step(next, vi + 1, d);
      case 'Y': {
        if (!Digits(vi, 4)) return false;
        d.year = Number(vi, 4);
        return Step(next, vi + 4, d);
      }
      case 'y': {
        if (!Digits(vi, 2)) return false;
        int y = Number(vi, 2);
        d.year = y < 69 ? 2000 + y : 1900 + y;
        return Step(next, vi + 2, d);
      }
      case 'm':
        // 1[0-2] | 0[1-9] | [1-9]
        if (Digits(vi, 2) && v_[vi] == '1' && v_[vi + 1] <= '2' &&
            TryNumber(next, vi, 2, d, &Date::month)) return true;
        if (Digits(vi, 2) && v_[vi] == '0' && v_[vi + 1] >= '1' &&
            TryNumber(next, vi, 2, d, &Date::month)) return true;
        if (Digits(vi, 1) && v_[vi] >= '1' && TryNumber(next, vi, 1, d, &Date::month)) return true;
        return false;
      case 'd':
        // 3[01] | [12]\d | 0[1-9] | [1-9] | ' '[1-9]
        if (Digits(vi, 2) && v_[vi] == '3' && v_[vi + 1] <= '1' &&
            TryNumber(next, vi, 2, d, &Date::day)) return true;
        if (Digits(vi, 2) && (v_[vi] == '1' || v_[vi] == '2') &&
            TryNumber(next, vi, 2, d, &Date::day)) return true;
        if (Digits(vi, 2) && v_[vi] == '0' && v_[vi + 1] >= '1' &&
            TryNumber(next, vi, 2, d, &Date::day)) return true;
        if (Digits(vi, 1) && v_[vi] >= '1' && TryNumber(next, vi, 1, d, &Date::day)) return true;
        if (vi + 1 < v_.size() && v_[vi] == ' ' && IsDigit(v_[vi + 1]) && v_[vi + 1] >= '1') {
          Date e = d;
          e.day = v_[vi + 1] - '0';
          if (Step(next, vi + 2, e)) return true;
        }
        return false;
      case 'b':
      case 'B':
        for (int m = 0; m < 12; ++m) {
          std::string_view name = kMonthNames[m];
          if (directive == 'b') name = name.substr(0, 3);
          if (vi + name.size() > v_.size()) continue;
          bool same = true;
          for (size_t k = 0; k < name.size(); ++k) {
            if (LowerAscii(v_[vi + k]) != name[k]) same = false;
          }
          if (!same) continue;
          Date e = d;
          e.month = m + 1;
          if (Step(next, vi + name.size(), e)) return true;
        }
        return false;
      default:
        return false;
    }
  }

  bool Digits(size_t vi, size_t n) const {
    if (vi + n > v_.size()) return false;
    for (size_t k = 0; k < n; ++k) {
      if (!IsDigit(v_[vi + k])) return false;
    }
    return true;
  }
  int Number(size_t vi, size_t n) const {
    int r = 0;
    for (size_t k = 0; k < n; ++k) r = r * 10 + (v_[vi + k] - '0');
    return r;
  }
  bool TryNumber(size_t next, size_t vi, size_t n, Date d, int Date::*field) {
    d.*field = Number(vi, n);
    return Step(next, vi + n, d);
  }

  std::string_view f_;
  std::string_view v_;
  Date result_;
  size_t end_ = 0;
};

// Formats like Python's strftime('%Y%m%d') on glibc: the year is not zero-padded.
std::string FormatDate(const Date& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d%02d%02d", d.year, d.month, d.day);
  return buf;
}

bool HasCaseViolation(const std::u32string& cps, ClkTextCase text_case) {
  for (char32_t c : cps) {
    auto cp = static_cast<UChar32>(c);
    if (text_case == ClkTextCase::kUpper && (u_islower(cp) || u_istitle(cp))) return true;
    if (text_case == ClkTextCase::kLower && (u_isupper(cp) || u_istitle(cp))) return true;
  }
  return false;
}

std::string ApplyNormalize(ClkNormalize how, std::string_view value) {
  switch (how) {
    case ClkNormalize::kNone:
      return std::string(value);
    case ClkNormalize::kName:
      return NormalizeName(value);
    case ClkNormalize::kNameLinkage:
      return NormalizeNameForLinkage(value);
    case ClkNormalize::kPatronymic:
      return NormalizePatronymicForLinkage(value);
    case ClkNormalize::kTrim:
      return std::string(TrimSpace(value));
    case ClkNormalize::kLower: {
      icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(
          TrimSpace(value).data(), static_cast<int32_t>(TrimSpace(value).size())));
      s.foldCase();
      std::string out;
      s.toUTF8String(out);
      return out;
    }
  }
  return std::string(value);
}

std::unexpected<Error> ValueError(const ClkFeature& f, const std::string& message) {
  return Fail(ErrorCode::kValidation, "invalid_value", message, f.identifier);
}

// ---------------------------------------------------------------------------------------
// Keys and hashing.

Result<std::string> Hkdf(ClkKdfHash hash, std::string_view secret, std::string_view salt,
                         std::string_view info, size_t length) {
  size_t hash_len = hash == ClkKdfHash::kSha256 ? 32 : 64;
  if (length > 255 * hash_len) {
    return Invalid("clkConfig.kdf.keySize",
                   "too many key bytes for HKDF (2 keys of keySize bytes per feature)");
  }
  std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr),
                                                         &EVP_KDF_free);
  if (!kdf) return Internal("OpenSSL has no HKDF");
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                 &EVP_KDF_CTX_free);
  if (!ctx) return Internal("EVP_KDF_CTX_new failed");
  char digest[8];
  std::strcpy(digest, hash == ClkKdfHash::kSha256 ? "SHA256" : "SHA512");
  std::vector<OSSL_PARAM> params;
  params.push_back(OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0));
  params.push_back(OSSL_PARAM_construct_octet_string(
      OSSL_KDF_PARAM_KEY, const_cast<char*>(secret.data()), secret.size()));
  if (!salt.empty()) {
    params.push_back(OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()), salt.size()));
  }
  if (!info.empty()) {
    params.push_back(OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_INFO, const_cast<char*>(info.data()), info.size()));
  }
  params.push_back(OSSL_PARAM_construct_end());
  std::string out(length, '\0');
  if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     params.data()) != 1) {
    return Internal("HKDF derivation failed");
  }
  return out;
}

// The value of a big-endian byte string modulo m, i.e. Python's int(hexdigest, 16) % m.
uint64_t BigEndianMod(const unsigned char* bytes, size_t n, uint64_t m) {
  uint64_t r = 0;
  for (size_t i = 0; i < n; ++i) r = ((r << 8) | bytes[i]) % m;
  return r;
}

class BitFilter {
 public:
  explicit BitFilter(size_t bits) : bits_(bits), bytes_((bits + 7) / 8, 0) {}
  void Set(size_t j) { bytes_[j >> 3] |= static_cast<uint8_t>(0x80u >> (j & 7)); }
  bool Get(size_t j) const { return (bytes_[j >> 3] >> (7 - (j & 7))) & 1; }
  size_t bits() const { return bits_; }
  std::vector<uint8_t> Take() && { return std::move(bytes_); }

 private:
  size_t bits_;
  std::vector<uint8_t> bytes_;
};

std::once_flag sodium_once;

}  // namespace

// ---------------------------------------------------------------------------------------

Result<LinkageSchema> ParseLinkageSchema(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return SchemaError("", "the schema is not valid JSON");
  if (!doc.is_object()) return SchemaError("", "the schema must be a JSON object");

  LinkageSchema schema;
  auto version = doc.find("version");
  if (version == doc.end()) return SchemaError("version", "is required");
  if (!version->is_number()) return SchemaError("version", "must be a number");
  if (version->get<double>() != 3.0) {
    return SchemaError("version", "only linkage schema version 3 is supported");
  }

  auto config = doc.find("clkConfig");
  if (config == doc.end()) return SchemaError("clkConfig", "is required");
  if (!config->is_object()) return SchemaError("clkConfig", "must be an object");
  TRY(auto l, OptInteger(*config, "l", "clkConfig", 1, kMaxFilterBits));
  if (!l) return SchemaError("clkConfig.l", "is required");
  schema.l = static_cast<int>(*l);
  // clkhash folds by `xor_folds`; the documented `xorFolds` is only validated.
  TRY(auto folds, OptInteger(*config, "xor_folds", "clkConfig", 0, 16));
  TRY(auto documented_folds, OptInteger(*config, "xorFolds", "clkConfig", 0));
  schema.xor_folds = static_cast<int>(folds.value_or(0));
  if (documented_folds && *documented_folds != 0) {
    schema.warnings.push_back(
        "clkConfig.xorFolds is ignored, as clkhash ignores it; use xor_folds to fold");
  }
  if ((int64_t{schema.l} << schema.xor_folds) > kMaxFilterBits) {
    return SchemaError("clkConfig.l", "l * 2^xor_folds is too large");
  }

  auto kdf = config->find("kdf");
  if (kdf == config->end()) return SchemaError("clkConfig.kdf", "is required");
  if (!kdf->is_object()) return SchemaError("clkConfig.kdf", "must be an object");
  TRY(std::string kdf_type, RequiredString(*kdf, "type", "clkConfig.kdf"));
  if (kdf_type != "HKDF") return SchemaError("clkConfig.kdf.type", "must be HKDF");
  TRY(auto kdf_hash, OptString(*kdf, "hash", "clkConfig.kdf"));
  if (kdf_hash && *kdf_hash == "SHA512") {
    schema.kdf_hash = ClkKdfHash::kSha512;
  } else if (kdf_hash && *kdf_hash != "SHA256") {
    return SchemaError("clkConfig.kdf.hash", "must be SHA256 or SHA512");
  }
  TRY(schema.kdf_salt, DecodeBase64Field(*kdf, "salt", "clkConfig.kdf"));
  TRY(schema.kdf_info, DecodeBase64Field(*kdf, "info", "clkConfig.kdf"));
  TRY(auto key_size, OptInteger(*kdf, "keySize", "clkConfig.kdf", 1, 1024));
  schema.kdf_key_size = static_cast<int>(key_size.value_or(kDefaultKeySize));

  TRY(auto balance, OptBool(*config, "x-haven-balance", "clkConfig"));
  schema.hardening.balance = balance.value_or(false);
  TRY(auto salt_feature, OptString(*config, "x-haven-salt-feature", "clkConfig"));
  schema.hardening.salt_feature = salt_feature.value_or("");

  auto features = doc.find("features");
  if (features == doc.end()) return SchemaError("features", "is required");
  if (!features->is_array()) return SchemaError("features", "must be an array");
  std::set<std::string> seen;
  for (size_t i = 0; i < features->size(); ++i) {
    std::string path = "features[" + std::to_string(i) + "]";
    TRY(ClkFeature f, ParseFeature((*features)[i], path));
    if (!seen.insert(f.identifier).second) {
      return SchemaError(path + ".identifier", "duplicate identifier \"" + f.identifier + "\"");
    }
    if (!f.keys_of.empty() && (f.keys_of == f.identifier || !seen.contains(f.keys_of))) {
      return SchemaError(path + ".x-haven-keys-of", "must name an earlier feature");
    }
    if (!f.ignored && f.hash == ClkHashType::kBlake) {
      int64_t filter_bits = int64_t{schema.l} << schema.xor_folds;
      if (!IsPowerOfTwo(filter_bits) || filter_bits > kMaxBlakeFilterBits) {
        return SchemaError("clkConfig.l",
                           "blakeHash needs l * 2^xor_folds to be a power of two up to 65536");
      }
      if (schema.kdf_key_size > kBlakeDigestBytes) {
        return SchemaError("clkConfig.kdf.keySize", "blakeHash keys are at most 64 bytes");
      }
    }
    schema.features.push_back(std::move(f));
  }
  if (!schema.hardening.salt_feature.empty() &&
      !seen.contains(schema.hardening.salt_feature)) {
    return SchemaError("clkConfig.x-haven-salt-feature", "names no feature of the schema");
  }
  return schema;
}

// Insertions per feature of the default schema, tuned with bench/linkage_quality_bench.
constexpr int kDefaultNameInsertions = 200;
constexpr int kDefaultPatronymicInsertions = 150;
constexpr int kDefaultDateInsertions = 400;
constexpr int kDefaultCitizenshipInsertions = 30;

namespace {

// What the default schema's citizenship column admits, after lower-casing: ISO 3166-1
// alpha-2 codes, "stateless", and "unknown" or empty (no bits).
json CitizenshipValues() {
  json values = json::array();
  for (std::size_t i = 0; i < domain::kCountryCount; ++i) {
    std::string code = domain::kCountries[i].code;
    for (char& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    values.push_back(code);
  }
  for (const char* v : {"stateless", "unknown", ""}) values.push_back(v);
  return values;
}

}  // namespace

std::string DefaultPersonSchemaJson(const ClkHardening& hardening) {
  auto b64 = [](std::string_view s) {
    return EncodeBase64(std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  };
  // Bigrams of the name after linkage normalisation (NormalizeNameForLinkage), a fixed
  // number of insertions per name whatever its length so that long names do not
  // dominate. Both names hash with the given name's keys: a bigram sets the same bits in
  // either field, so a record with given and family name swapped (common when a
  // registrar does not know which is which, e.g. for Chinese or Azerbaijani patronymic
  // forms) still matches.
  auto name_feature = [](std::string_view id, std::string_view normalize, int insertions,
                         bool shared_keys) {
    json f = {{"identifier", id},
              {"x-haven-normalize", normalize},
              // Long enough for any name Haven accepts (200 bytes) after transliteration,
              // which can make one letter four (Щ → shch).
              {"format", {{"type", "string"}, {"encoding", "utf-8"}, {"maxLength", 1024}}},
              {"hashing",
               {{"comparison", {{"type", "ngram"}, {"n", 2}}},
                {"strategy", {{"bitsPerFeature", insertions}}},
                {"hash", {{"type", "blakeHash"}}}}}};
    if (shared_keys) f["x-haven-keys-of"] = "given_name";
    return f;
  };
  json config = {{"l", 1024},
                 {"kdf",
                  {{"type", "HKDF"},
                   {"hash", "SHA256"},
                   {"salt", b64("haven-person-clk-salt-v1")},
                   {"info", b64("haven person schema v3")},
                   {"keySize", 64}}}};
  if (hardening.balance) config["x-haven-balance"] = true;
  if (!hardening.salt_feature.empty()) config["x-haven-salt-feature"] = hardening.salt_feature;
  json doc = {
      {"version", 3},
      {"clkConfig", config},
      {"features",
       json::array(
           {{{"identifier", "id"}, {"ignored", true}},
            name_feature("given_name", "name-linkage", kDefaultNameInsertions, false),
            name_feature("family_name", "name-linkage", kDefaultNameInsertions, true),
            // Year, month, day and their pairs as tokens (x-haven-date-tokens): a mistyped
            // digit, swapped day and month, a year off by one or a year alone keep part of
            // the date's bits, while the dates of two unrelated people share almost none.
            // Weighted above one name: among people with the same common name the date is
            // what tells them apart.
            {{"identifier", "birth_date"},
             {"x-haven-date-tokens", true},
             {"format", {{"type", "date"}, {"format", "%Y-%m-%d"}}},
             {"hashing",
              {{"comparison", {{"type", "ngram"}, {"n", 1}, {"positional", true}}},
               {"strategy", {{"bitsPerFeature", kDefaultDateInsertions}}},
               {"hash", {{"type", "blakeHash"}}},
               {"missingValue", {{"sentinel", ""}}}}}},
            // Unknown sex sets no bits: it neither supports nor contradicts a match.
            {{"identifier", "sex"},
             {"x-haven-normalize", "lower"},
             {"format",
              {{"type", "enum"}, {"values", {"female", "male", "other", "unknown", ""}}}},
             {"hashing",
              {{"comparison", {{"type", "exact"}}},
               {"strategy", {{"bitsPerFeature", 30}}},
               {"hash", {{"type", "blakeHash"}}},
               {"missingValue", {{"sentinel", "unknown"}, {"replaceWith", ""}}}}}},
            // The father's given name, whatever form the patronymic takes (Rəşad oğlu,
            // Рашадович, Rashad): it tells apart the many people who share a common given
            // and family name. Its own keys: a father's name is not the person's. Empty
            // (not recorded, or no patronymic in the person's custom) sets no bits.
            [&] {
              json f = name_feature("patronymic", "patronymic", kDefaultPatronymicInsertions,
                                    false);
              f["x-haven-optional"] = true;
              return f;
            }(),
            // Citizenship as one token (alpha-2 or "stateless"); unknown sets no bits.
            // Only those values: a partner sending "AZE" or "Azerbaijan" would silently
            // never match.
            {{"identifier", "citizenship"},
             {"x-haven-optional", true},
             {"x-haven-normalize", "lower"},
             {"format", {{"type", "enum"}, {"values", CitizenshipValues()}}},
             {"hashing",
              {{"comparison", {{"type", "exact"}}},
               {"strategy", {{"bitsPerFeature", kDefaultCitizenshipInsertions}}},
               {"hash", {{"type", "blakeHash"}}},
               {"missingValue", {{"sentinel", "unknown"}, {"replaceWith", ""}}}}}}})}};
  return doc.dump(2);
}

LinkageSchema DefaultPersonSchema(const ClkHardening& hardening) {
  auto parsed = ParseLinkageSchema(DefaultPersonSchemaJson(hardening));
  // Only a salt feature that is not a column can fail; fall back to no salt then.
  if (!parsed) {
    ClkHardening plain = hardening;
    plain.salt_feature.clear();
    parsed = ParseLinkageSchema(DefaultPersonSchemaJson(plain));
  }
  return ValueOrDie(parsed);
}

Result<std::vector<std::string>> DeriveFeatureKeys(const LinkageSchema& schema,
                                                   std::string_view secret) {
  if (secret.empty()) return Invalid("secret", "the secret is empty");
  size_t key_size = static_cast<size_t>(schema.kdf_key_size);
  size_t count = 2 * schema.features.size();
  TRY(std::string material,
      Hkdf(schema.kdf_hash, secret, schema.kdf_salt, schema.kdf_info, count * key_size));
  std::vector<std::string> keys;
  for (size_t i = 0; i < count; ++i) keys.push_back(material.substr(i * key_size, key_size));
  return keys;
}

bool ClkFeature::AcceptsEmpty() const {
  if (ignored || missing_sentinel == "") return true;
  if (format == ClkFormatType::kEnum) {
    return std::find(enum_values.begin(), enum_values.end(), "") != enum_values.end();
  }
  return format == ClkFormatType::kString && min_length.value_or(0) == 0 && !pattern;
}

struct ClkEncoder::Impl {
  LinkageSchema schema;
  std::vector<std::string> keys;  // 2 per feature
  std::vector<size_t> key_index;  // per feature: whose keys it hashes with (x-haven-keys-of)
  std::vector<std::unique_ptr<icu::RegexPattern>> patterns;  // per feature, may be null
  std::vector<uint32_t> balance_permutation;                 // 2·l entries when balancing
  int salt_index = -1;

  Result<std::optional<std::u32string>> Prepare(size_t index, std::string_view raw) const;
  void Hash(size_t index, const std::u32string& value, std::string_view salt,
            BitFilter& filter) const;
};

Result<std::optional<std::u32string>> ClkEncoder::Impl::Prepare(size_t index,
                                                                std::string_view raw) const {
  const ClkFeature& f = schema.features[index];
  if (!DecodeUtf8(raw)) return ValueError(f, f.identifier + ": not valid UTF-8");
  std::string value = ApplyNormalize(f.normalize, raw);

  if (f.missing_sentinel && value == *f.missing_sentinel) {
    auto cps = DecodeUtf8(f.missing_replace_with.value_or(value));
    if (!cps) return ValueError(f, f.identifier + ": replacement is not valid UTF-8");
    return std::optional<std::u32string>(std::move(*cps));
  }

  auto cps = DecodeUtf8(value);
  if (!cps) return ValueError(f, f.identifier + ": not valid UTF-8");
  switch (f.format) {
    case ClkFormatType::kString: {
      auto length = static_cast<int64_t>(cps->size());
      if (f.min_length && length < *f.min_length) {
        return ValueError(f, f.identifier + ": shorter than minLength " +
                                 std::to_string(*f.min_length));
      }
      if (f.max_length && length > *f.max_length) {
        return ValueError(f, f.identifier + ": longer than maxLength " +
                                 std::to_string(*f.max_length));
      }
      if (f.encoding == ClkTextEncoding::kAscii) {
        for (char32_t c : *cps) {
          if (c >= 0x80) return ValueError(f, f.identifier + ": not ASCII");
        }
      }
      if (f.text_case != ClkTextCase::kMixed && HasCaseViolation(*cps, f.text_case)) {
        return ValueError(f, f.identifier + ": not in the required case");
      }
      if (patterns[index]) {
        UErrorCode status = U_ZERO_ERROR;
        icu::UnicodeString text = icu::UnicodeString::fromUTF8(value);
        std::unique_ptr<icu::RegexMatcher> matcher(patterns[index]->matcher(text, status));
        if (U_FAILURE(status) || !matcher->matches(status) || U_FAILURE(status)) {
          return ValueError(f, f.identifier + ": does not match the pattern");
        }
      }
      return std::optional<std::u32string>(std::move(*cps));
    }
    case ClkFormatType::kInteger: {
      std::string_view s = TrimSpace(value);
      bool negative = false;
      if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
      }
      if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), IsDigit)) {
        return ValueError(f, f.identifier + ": not an integer");
      }
      int64_t v = 0;
      for (char c : s) v = v * 10 + (c - '0');
      if (negative) v = -v;
      if (f.minimum && v < *f.minimum) return ValueError(f, f.identifier + ": below minimum");
      if (f.maximum && v > *f.maximum) return ValueError(f, f.identifier + ": above maximum");
      std::string text = std::to_string(v);
      return std::optional<std::u32string>(std::u32string(text.begin(), text.end()));
    }
    case ClkFormatType::kDate: {
      auto date = DateMatcher(f.date_format, value).Match();
      if (!date || date->month < 1 || date->month > 12 || date->day < 1 ||
          date->day > DaysInMonth(date->year, date->month)) {
        return ValueError(f, f.identifier + ": not a date in the format " + f.date_format);
      }
      std::string text = FormatDate(*date);
      return std::optional<std::u32string>(std::u32string(text.begin(), text.end()));
    }
    case ClkFormatType::kEnum:
      if (std::find(f.enum_values.begin(), f.enum_values.end(), value) ==
          f.enum_values.end()) {
        return ValueError(f, f.identifier + ": not one of the allowed values");
      }
      return std::optional<std::u32string>(std::move(*cps));
  }
  return std::optional<std::u32string>();
}

void ClkEncoder::Impl::Hash(size_t index, const std::u32string& value, std::string_view salt,
                            BitFilter& filter) const {
  const ClkFeature& f = schema.features[index];
  if (value.empty()) return;  // no tokens, no bits

  std::vector<std::u32string> tokens;
  // With bitsPerFeature, token t of `slots` tokens gets the t-th share of the
  // insertions; date tokens keep the share of their place in a full date, so that a
  // year alone sets exactly the bits of the year tokens of the full date.
  std::vector<size_t> slot;
  size_t slots = 0;
  if (f.date_tokens && value.size() == 8) {
    // value is YYYYMMDD (FormatDate); see ClkFeature::date_tokens.
    const std::u32string y = value.substr(0, 4), m = value.substr(4, 2), d = value.substr(6, 2);
    tokens = {U"y:" + y, U"m:" + m, U"d:" + d, U"ym:" + y + m, U"md:" + m + d,
              U"dm:" + std::min(m, d) + std::max(m, d), U"c:" + value.substr(0, 3)};
    slot = {0, 1, 2, 3, 4, 5, 6};
    slots = 7;
    if (m == U"01" && d == U"01") {
      // 1 January is what forms and documents show when only the year is known:
      // only the year and decade are evidence.
      tokens = {tokens[0], tokens[6]};
      slot = {0, 6};
    }
  } else if (f.comparison == ClkComparison::kExact) {
    tokens.push_back(value);
  } else {
    size_t n = static_cast<size_t>(f.ngram_n);
    std::u32string padded;
    if (n > 1) padded.append(n - 1, U' ');
    padded += value;
    if (n > 1) padded.append(n - 1, U' ');
    for (size_t i = 0; i + n <= padded.size(); ++i) {
      std::u32string token;
      if (f.positional) {
        std::string pos = std::to_string(i + 1) + " ";
        token.assign(pos.begin(), pos.end());
      }
      token += padded.substr(i, n);
      tokens.push_back(std::move(token));
    }
  }
  if (tokens.empty()) return;

  const size_t count = tokens.size();
  if (slot.empty()) {
    slots = count;
    for (size_t t = 0; t < count; ++t) slot.push_back(t);
  }
  const uint64_t filter_bits = filter.bits();
  const std::string& key0 = keys[2 * key_index[index]];
  const std::string& key1 = keys[2 * key_index[index] + 1];
  for (size_t t = 0; t < count; ++t) {
    size_t k;
    if (f.bits_per_token) {
      k = static_cast<size_t>(*f.bits_per_token);
    } else {
      size_t per = static_cast<size_t>(*f.bits_per_feature);
      k = per / slots + (slot[t] < per % slots ? 1 : 0);
    }
    if (k == 0) continue;
    std::string message(salt);
    message += EncodeToken(tokens[t], f.encoding);
    const auto* msg = reinterpret_cast<const unsigned char*>(message.data());

    if (f.hash == ClkHashType::kBlake) {
      // Each keyed BLAKE2b digest gives 32 positions; the digest index goes into the
      // BLAKE2b salt as decimal text, zero-padded to 16 bytes.
      size_t macs = (k + 31) / 32;
      size_t done = 0;
      for (size_t m = 0; m < macs; ++m) {
        unsigned char blake_salt[kBlakeSaltBytes] = {};
        unsigned char personal[kBlakeSaltBytes] = {};
        std::string label = std::to_string(m);
        std::memcpy(blake_salt, label.data(), std::min(label.size(), sizeof blake_salt));
        unsigned char digest[kBlakeDigestBytes];
        crypto_generichash_blake2b_salt_personal(
            digest, sizeof digest, msg, message.size(),
            reinterpret_cast<const unsigned char*>(key0.data()), key0.size(), blake_salt,
            personal);
        for (size_t w = 0; w < 32 && done < k; ++w, ++done) {
          uint16_t position = static_cast<uint16_t>(digest[2 * w] | (digest[2 * w + 1] << 8));
          filter.Set(position % filter_bits);
        }
      }
    } else {
      unsigned char sha1[EVP_MAX_MD_SIZE];
      unsigned char md5[EVP_MAX_MD_SIZE];
      unsigned int sha1_len = 0;
      unsigned int md5_len = 0;
      HMAC(EVP_sha1(), key0.data(), static_cast<int>(key0.size()), msg, message.size(), sha1,
           &sha1_len);
      HMAC(EVP_md5(), key1.data(), static_cast<int>(key1.size()), msg, message.size(), md5,
           &md5_len);
      uint64_t h1 = BigEndianMod(sha1, sha1_len, filter_bits);
      uint64_t h2 = BigEndianMod(md5, md5_len, filter_bits);
      for (uint64_t i = 0; i < k; ++i) filter.Set((h1 + i * h2) % filter_bits);
    }
  }
}

ClkEncoder::ClkEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ClkEncoder::ClkEncoder(ClkEncoder&&) noexcept = default;
ClkEncoder& ClkEncoder::operator=(ClkEncoder&&) noexcept = default;
ClkEncoder::~ClkEncoder() = default;

const LinkageSchema& ClkEncoder::schema() const { return impl_->schema; }

Result<ClkEncoder> ClkEncoder::Create(const LinkageSchema& schema, std::string_view secret) {
  std::call_once(sodium_once, [] {
    if (sodium_init() < 0) __builtin_trap();
  });
  auto impl = std::make_unique<Impl>();
  impl->schema = schema;
  TRY(impl->keys, DeriveFeatureKeys(schema, secret));
  for (size_t i = 0; i < schema.features.size(); ++i) {
    const ClkFeature& f = schema.features[i];
    std::unique_ptr<icu::RegexPattern> pattern;
    if (f.pattern) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error;
      pattern.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(*f.pattern), 0,
                                               parse_error, status));
      if (U_FAILURE(status)) {
        return SchemaError("features[" + std::to_string(i) + "].format.pattern",
                           "is not a valid regular expression");
      }
    }
    impl->patterns.push_back(std::move(pattern));
    size_t key_index = i;
    for (size_t j = 0; j < i && !f.keys_of.empty(); ++j) {
      if (schema.features[j].identifier == f.keys_of) key_index = j;
    }
    impl->key_index.push_back(key_index);
    if (f.identifier == schema.hardening.salt_feature) impl->salt_index = static_cast<int>(i);
  }
  if (schema.hardening.balance) {
    // Fisher-Yates driven by a ChaCha20 stream whose seed comes from the secret, so
    // every holder of the secret shuffles identically and nobody else can undo it.
    std::string info = schema.kdf_info + "|haven-balance-permutation";
    TRY(std::string seed, Hkdf(schema.kdf_hash, secret, schema.kdf_salt, info,
                               randombytes_SEEDBYTES));
    size_t n = 2 * static_cast<size_t>(schema.l);
    std::vector<uint32_t> randomness(4 * n);
    randombytes_buf_deterministic(randomness.data(), randomness.size() * sizeof(uint32_t),
                                  reinterpret_cast<const unsigned char*>(seed.data()));
    std::vector<uint32_t> perm(n);
    for (size_t i = 0; i < n; ++i) perm[i] = static_cast<uint32_t>(i);
    size_t next = 0;
    for (size_t i = n - 1; i > 0; --i) {
      // Rejection sampling keeps the choice uniform; 4n words are far more than needed.
      uint64_t bound = i + 1;
      uint64_t limit = (uint64_t{1} << 32) - ((uint64_t{1} << 32) % bound);
      uint64_t r;
      do {
        r = next < randomness.size() ? randomness[next++] : 0;
      } while (r >= limit && next < randomness.size());
      std::swap(perm[i], perm[r % bound]);
    }
    impl->balance_permutation = std::move(perm);
  }
  return ClkEncoder(std::move(impl));
}

Result<Clk> ClkEncoder::Encode(std::span<const std::string> values) const {
  std::vector<std::string_view> views(values.begin(), values.end());
  return Encode(std::span<const std::string_view>(views));
}

Result<Clk> ClkEncoder::Encode(std::span<const std::string_view> values) const {
  const LinkageSchema& schema = impl_->schema;
  if (values.size() != schema.features.size()) {
    return Invalid("record", "expected " + std::to_string(schema.features.size()) +
                                 " values, got " + std::to_string(values.size()));
  }
  std::string salt;
  if (impl_->salt_index >= 0) {
    auto index = static_cast<size_t>(impl_->salt_index);
    std::u32string salt_value;
    if (schema.features[index].ignored) {
      auto cps = DecodeUtf8(TrimSpace(values[index]));
      if (!cps) return ValueError(schema.features[index], "salt value is not valid UTF-8");
      salt_value = std::move(*cps);
    } else {
      TRY(auto prepared, impl_->Prepare(index, values[index]));
      salt_value = prepared.value_or(U"");
    }
    for (char32_t c : salt_value) AppendUtf8(salt, c);
    // A separator that cannot occur in text keeps ("ab","c") and ("a","bc") apart.
    salt.push_back('\0');
  }

  const size_t filter_bits = static_cast<size_t>(schema.l) << schema.xor_folds;
  BitFilter filter(filter_bits);
  for (size_t i = 0; i < schema.features.size(); ++i) {
    if (schema.features[i].ignored) continue;
    TRY(auto prepared, impl_->Prepare(i, values[i]));
    if (!prepared) continue;
    impl_->Hash(i, *prepared, static_cast<int>(i) == impl_->salt_index ? "" : salt, filter);
  }

  // Each fold XORs the first half of the filter with the second.
  size_t bits = filter_bits;
  BitFilter folded = std::move(filter);
  for (int fold = 0; fold < schema.xor_folds; ++fold) {
    size_t half = bits / 2;
    BitFilter next(half);
    for (size_t j = 0; j < half; ++j) {
      if (folded.Get(j) != folded.Get(j + half)) next.Set(j);
    }
    folded = std::move(next);
    bits = half;
  }

  if (!schema.hardening.balance) return std::move(folded).Take();
  const size_t l = static_cast<size_t>(schema.l);
  BitFilter balanced(2 * l);
  for (size_t j = 0; j < 2 * l; ++j) {
    bool bit = j < l ? folded.Get(j) : !folded.Get(j - l);
    if (bit) balanced.Set(impl_->balance_permutation[j]);
  }
  return std::move(balanced).Take();
}

int Popcount(std::span<const uint8_t> clk) {
  int count = 0;
  for (uint8_t b : clk) count += std::popcount(b);
  return count;
}

}  // namespace haven::privacy
