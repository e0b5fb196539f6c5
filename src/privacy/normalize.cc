#include "privacy/normalize.h"

#include <memory>

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace haven::privacy {
namespace {

// Transliteration of Azerbaijani Latin and of Russian and Azerbaijani Cyrillic to the
// spellings English-language documents use (lower-case input). ICU tries the rules in
// order at each position, and a before-context `[…] {` looks at text already
// transliterated, so the consonant and vowel sets are Latin.
constexpr char16_t kNameRules[] = uR"RULES(
$consonant = [b-df-hj-np-tv-z] ;
$vowel = [aeiouy] ;
# Azerbaijani Latin (x and c are handled per word before these rules run)
ə > a ; ı > i ; ş > sh ; ç > ch ; ğ > g ; ö > o ; ü > u ; q > g ;
# Azerbaijani Cyrillic letters
ә > a ; ғ > g ; ҹ > j ; ҝ > g ; һ > h ; ө > o ; ү > u ; ј > y ;
# Ukrainian, Belarusian, Kazakh and Uzbek letters seen in the region
і > i ; ї > yi ; є > ye ; ґ > g ; ў > u ; қ > k ; ң > ng ; ұ > u ;
# Russian
дж > j ;
ье > ye ; ьё > yo ; ью > yu ; ья > ya ; ъе > ye ; ъё > yo ; ъю > yu ; ъя > ya ;
$vowel { е > ye ;
е > e ;
$consonant { ё > o ;
ё > yo ;
$consonant { ю > u ;
ю > yu ;
$consonant { я > a ;
я > ya ;
а > a ; б > b ; в > v ; г > g ; д > d ; ж > zh ; з > z ; и > i ; й > y ; к > k ;
л > l ; м > m ; н > n ; о > o ; п > p ; р > r ; с > s ; т > t ; у > u ; ф > f ;
х > kh ; ц > ts ; ч > ch ; ш > sh ; щ > shch ; ъ > ; ы > i ; ь > ; э > e ;
)RULES";

icu::Transliterator* NameRules() {
  thread_local std::unique_ptr<icu::Transliterator> t = [] {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error;
    std::unique_ptr<icu::Transliterator> tr(icu::Transliterator::createFromRules(
        "haven-names", icu::UnicodeString(kNameRules), UTRANS_FORWARD, parse_error, status));
    return U_SUCCESS(status) ? std::move(tr) : nullptr;
  }();
  return t.get();
}

icu::Transliterator* AnyToAscii() {
  thread_local std::unique_ptr<icu::Transliterator> t = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> tr(
        icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(tr) : nullptr;
  }();
  return t.get();
}

bool IsAzerbaijaniMarker(UChar32 c) {
  return c == u'ə' || c == u'ı' || c == u'ğ' || c == u'ş' || c == u'ç' || c == u'q';
}

// Azerbaijani x and c sound like English kh and j; English names keep their x and c
// (Alex, Victoria), so the rewrite applies only to words with a letter that English
// does not use.
icu::UnicodeString RewriteAzerbaijaniWords(const icu::UnicodeString& s) {
  icu::UnicodeString out;
  int32_t i = 0;
  while (i < s.length()) {
    int32_t start = i;
    bool letters = u_isalpha(s.char32At(i));
    while (i < s.length() && static_cast<bool>(u_isalpha(s.char32At(i))) == letters) {
      i += U16_LENGTH(s.char32At(i));
    }
    icu::UnicodeString word(s, start, i - start);
    if (letters) {
      bool azerbaijani = false;
      for (int32_t k = 0; k < word.length(); k += U16_LENGTH(word.char32At(k))) {
        if (IsAzerbaijaniMarker(word.char32At(k))) azerbaijani = true;
      }
      if (azerbaijani) {
        word.findAndReplace(u"x", u"kh");
        word.findAndReplace(u"c", u"j");
      }
    }
    out += word;
  }
  return out;
}

bool IsApostrophe(UChar32 c) {
  return c == '\'' || c == u'\u2019' || c == u'\u02BC' || c == '`' || c == u'\u00B4';
}

}  // namespace

std::string NormalizeName(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (s.indexOf(static_cast<UChar>(0xFFFD)) >= 0) return {};
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) return {};
  s = nfkc->normalize(s, status);
  if (U_FAILURE(status)) return {};
  // Azerbaijani dotted capital İ is plain i here; the root locale also maps I to i
  // (not to dotless ı), which is what English spellings of Azerbaijani names do.
  s.findAndReplace(u"\u0130", u"i");
  s.toLower(icu::Locale::getRoot());
  s = RewriteAzerbaijaniWords(s);
  if (auto* rules = NameRules()) rules->transliterate(s);
  if (auto* ascii = AnyToAscii()) ascii->transliterate(s);
  s.toLower(icu::Locale::getRoot());

  std::string out;
  bool pending_space = false;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (IsApostrophe(c)) continue;  // O'Brien and OBrien are one name
    if (u_isalnum(c)) {
      if (pending_space && !out.empty()) out.push_back(' ');
      pending_space = false;
      icu::UnicodeString(c).toUTF8String(out);
    } else {
      pending_space = true;
    }
  }
  // Azerbaijani x and h and Russian х are romanised as kh, h or x: meet at h.
  std::string folded;
  folded.reserve(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 'k' && i + 1 < out.size() && out[i + 1] == 'h') continue;
    folded.push_back(out[i]);
  }
  return folded;
}

namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }

// One word of NormalizeName's output (lower-case ASCII letters and digits).
std::string FoldWord(std::string_view w) {
  std::string s(w);
  auto replace_all = [&s](std::string_view from, std::string_view to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
      s.replace(pos, from.size(), to);
    }
  };
  replace_all("dzh", "j");
  replace_all("gh", "g");
  if (s.starts_with("ye")) s.erase(0, 1);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == 'y' && i > 0) {
      const char before = s[i - 1];
      const char after = i + 1 < s.size() ? s[i + 1] : '\0';
      if (IsLetter(before) && IsVowel(after)) continue;  // consonant-y-vowel, vowel-y-vowel
      if (IsVowel(before) || (IsLetter(before) && after == '\0')) {
        if (out.back() != 'i') out.push_back('i');  // Dmitriy: iy is one i
        continue;
      }
    }
    if (!out.empty() && out.back() == c && IsLetter(c)) continue;  // doubled letters
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string NormalizeNameForLinkage(std::string_view utf8) {
  const std::string name = NormalizeName(utf8);
  std::string out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t space = name.find(' ', start);
    if (space == std::string::npos) space = name.size();
    if (space > start) {
      if (!out.empty()) out.push_back(' ');
      out += FoldWord(std::string_view(name).substr(start, space - start));
    }
    start = space + 1;
  }
  return out;
}

std::string NormalizePatronymicForLinkage(std::string_view utf8) {
  std::string name = NormalizeNameForLinkage(utf8);
  // After NormalizeNameForLinkage: oğlu → oglu, оглы → ogli, qızı → gizi, кызы → kizi.
  static constexpr std::string_view kMarkers[] = {"oglu", "ogli", "ugli", "uglu", "uulu",
                                                  "gizi", "kizi", "kyzi", "kizy", "kyzy"};
  const size_t space = name.rfind(' ');
  if (space != std::string::npos) {
    const std::string_view last = std::string_view(name).substr(space + 1);
    for (auto marker : kMarkers) {
      if (last == marker) {
        name.resize(space);
        return name;
      }
    }
    return name;
  }
  // One word: a Russian patronymic. Longest suffix first; keep at least three letters.
  static constexpr std::string_view kSuffixes[] = {"ovich", "evich", "ovna", "evna",
                                                   "ichna", "ich"};
  std::string_view best;
  for (auto suffix : kSuffixes) {
    if (name.size() >= suffix.size() + 3 && name.ends_with(suffix) && suffix.size() > best.size()) {
      best = suffix;
    }
  }
  name.resize(name.size() - best.size());
  return name;
}

}  // namespace haven::privacy
