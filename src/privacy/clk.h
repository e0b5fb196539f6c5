#pragma once
// Cryptographic Linkage Keys (CLKs): Bloom-filter encodings of a person's identifying
// fields, made with a secret shared by the coalition, so that two organisations can find
// the same person by comparing encodings (see dice.h) without exchanging names.
//
// The encoder follows the clkhash linkage schema, version 3, and reproduces the CLKs of
// the reference implementation (clkhash 0.18.3) byte for byte; the vectors in
// shared/data/clkhash-vectors pin the behaviour, including where clkhash differs from
// its own documentation:
//   * the fold count is read from `clkConfig.xor_folds`; `xorFolds` (the documented
//     spelling) is validated but ignored, and a warning says so;
//   * values are hashed as given: no trimming, case folding or Unicode normalisation
//     (Haven's own schema adds normalisation explicitly, see `x-haven-normalize`);
//   * n-grams are taken over code points; blakeHash reads the digest as little-endian
//     16-bit integers; bit j of the filter is byte j/8, mask 0x80 >> (j % 8).
//
// Haven adds extension keys that clkhash ignores (clkConfig and features admit extra
// properties). A schema that uses them makes CLKs that only Haven reproduces:
//   clkConfig."x-haven-balance": true       balanced Bloom filter (see HardeningOptions)
//   clkConfig."x-haven-salt-feature": "id"  salt every token with that feature's value
//   feature."x-haven-normalize": "name" | "name-linkage" | "patronymic" | "lower" | "trim"
//                                           prepare the value first
//   feature."x-haven-keys-of": "given_name" hash with that feature's keys, so the same
//                                           token sets the same bits in both features
//                                           (swapped given and family names still match)
//   feature."x-haven-date-tokens": true     a date feature hashes year, month, day and
//                                           their pairs as tokens instead of n-grams
//   feature."x-haven-optional": true        trailing column that a records file may omit

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "privacy/crypto.h"

namespace haven::privacy {

enum class ClkHashType {
  kBlake,   // `blakeHash`: keyed BLAKE2b, up to 32 positions per digest
  kDouble,  // `doubleHash`: HMAC-SHA1 + i * HMAC-MD5 (Schnell et al.'s original)
};

enum class ClkFormatType { kString, kInteger, kDate, kEnum };
enum class ClkComparison { kNgram, kExact };
enum class ClkTextEncoding { kAscii, kUtf8, kUtf16, kUtf32 };
enum class ClkTextCase { kMixed, kUpper, kLower };

// What Haven does to a value before the schema's own formatting (extension key
// `x-haven-normalize`). clkhash hashes values as given, so reference schemas use kNone.
enum class ClkNormalize {
  kNone,
  kName,   // NormalizeName (normalize.h): NFKC, transliteration, case folding
  kNameLinkage,  // NormalizeNameForLinkage: kName plus folding of spelling variants
  kPatronymic,   // NormalizePatronymicForLinkage: kNameLinkage without oğlu/-ovich
  kLower,  // trimmed and case-folded
  kTrim,   // leading and trailing white space removed
};

// One column of the records, in schema order. Plain data; thread-safe as a value.
struct ClkFeature {
  std::string identifier;
  // Ignored features take part in key derivation (they use up a key pair, as in
  // clkhash) but set no bits.
  bool ignored = false;

  // format
  ClkFormatType format = ClkFormatType::kString;
  ClkTextEncoding encoding = ClkTextEncoding::kUtf8;
  ClkTextCase text_case = ClkTextCase::kMixed;
  std::optional<int64_t> min_length;  // in code points
  std::optional<int64_t> max_length;
  std::optional<std::string> pattern;  // the whole value must match (ICU regex syntax)
  std::optional<int64_t> minimum;      // integer format
  std::optional<int64_t> maximum;
  std::string date_format;               // strptime subset: %Y %m %d %y %b %B %%
  std::vector<std::string> enum_values;  // enum format

  // hashing
  ClkComparison comparison = ClkComparison::kNgram;
  int ngram_n = 2;
  bool positional = false;
  // Exactly one of these is set: every token gets bits_per_token insertions, or the
  // tokens share bits_per_feature insertions (the first ones get one more).
  std::optional<int> bits_per_token;
  std::optional<int> bits_per_feature;
  ClkHashType hash = ClkHashType::kBlake;
  // A value equal to the sentinel is not validated; it is hashed as replace_with
  // (or as itself when that is absent: an empty sentinel then sets no bits).
  std::optional<std::string> missing_sentinel;
  std::optional<std::string> missing_replace_with;
  ClkNormalize normalize = ClkNormalize::kNone;
  // `x-haven-keys-of`: the identifier of an earlier feature whose keys this one uses;
  // empty for its own keys.
  std::string keys_of;
  // `x-haven-date-tokens` (date format only): the tokens are y:YYYY, m:MM, d:DD,
  // ym:YYYYMM, md:MMDD, dm:{day and month, smaller first} and c:YYY (the decade), so
  // that a mistyped digit, swapped day and month, a year off by one, or a year alone
  // each keep some tokens, while unrelated dates share almost none (positional digits
  // share the century and often the decade and the first digits of month and day).
  // A date of 1 January stands for "only the year is known" (what forms and documents
  // show then): only y and c are hashed, with the insertions they get in a full date,
  // so its bits are a subset of those of any full date in that year.
  bool date_tokens = false;

  // `x-haven-optional`: the column may be left out of a records file when it and every
  // later column are optional; it is then encoded as empty. Only a feature that accepts
  // the empty value may be optional.
  bool optional = false;

  // True when an empty value is valid for this feature (it is ignored, its missing
  // value sentinel is empty, or its format admits the empty string).
  bool AcceptsEmpty() const;
};

enum class ClkKdfHash { kSha256, kSha512 };

// Haven's hardening beyond clkhash. Both weaken the attacks of Kroll & Steinmetzer and
// Christen et al. on Bloom-filter encodings, at some cost in linkage quality.
struct ClkHardening {
  // Balanced Bloom filter (Berger & Schnell): the filter is followed by its complement
  // and the 2·l bits are shuffled with a permutation derived from the secret. Every CLK
  // then has exactly l bits set, so the Hamming weight no longer leaks the length of the
  // names, and frequent bit patterns of common q-grams are spread over both halves.
  // Dice on balanced filters is a monotone function of the Hamming distance, so linkage
  // still works, but the popcount length filter (dice.h) can no longer prune anything.
  bool balance = false;
  // The formatted value of this feature (e.g. a birth year) is mixed into every token of
  // every other feature before hashing, so a q-gram sets different positions for people
  // with different salt values. This defeats frequency analysis of q-grams over the whole
  // file (an attacker must work per salt group, each much smaller). People whose salt
  // fields differ (a typo in the year) can no longer match: salt with a reliable field.
  std::string salt_feature;
};

// A parsed and validated linkage schema. Plain data; thread-safe as a value.
struct LinkageSchema {
  // CLK length in bits after folding and before balancing.
  int l = 1024;
  int xor_folds = 0;
  ClkKdfHash kdf_hash = ClkKdfHash::kSha256;
  std::string kdf_salt;  // raw bytes; empty means HKDF's default (zeros)
  std::string kdf_info;  // raw bytes
  int kdf_key_size = 64;
  std::vector<ClkFeature> features;
  ClkHardening hardening;
  // Things that are accepted but probably not what the author meant (e.g. `xorFolds`).
  std::vector<std::string> warnings;

  // Length in bits of the CLKs this schema makes (l, or 2·l when balanced).
  int ClkBits() const { return hardening.balance ? 2 * l : l; }
  int ClkBytes() const { return (ClkBits() + 7) / 8; }
};

// Parses a clkhash v3 linkage schema (JSON text) and validates it against the rules of
// clkhash's master schema. Errors name the offending JSON path in `field`.
Result<LinkageSchema> ParseLinkageSchema(std::string_view json_text);

// Haven's own person schema (v3): columns `id,given_name,family_name,birth_date,sex,
// patronymic,citizenship`; names normalised with NormalizeNameForLinkage before hashing,
// birth_date `YYYY-MM-DD` (may be empty; 1 January stands for "only the year is known"
// and sets only the year's bits), sex `female|male|other|unknown` (unknown and
// empty set no bits), patronymic in any form (Rəşad oğlu, Рашадович; reduced to the
// father's name by NormalizePatronymicForLinkage; may be empty), citizenship an ISO
// 3166-1 alpha-2 code or `stateless` (`unknown` and empty set no bits). The last two
// may be left out of a records file. The product uses this schema for every person;
// `haven encode --schema default` exposes it.
LinkageSchema DefaultPersonSchema(const ClkHardening& hardening = {});
// The same schema as clkhash-style JSON (with Haven's extension keys), for
// documentation and for partners who want to see exactly what is hashed.
std::string DefaultPersonSchemaJson(const ClkHardening& hardening = {});

// A CLK: ClkBytes() bytes, bit j is byte j/8, mask 0x80 >> (j % 8).
using Clk = std::vector<uint8_t>;

// Turns records into CLKs. Create once per schema and secret; it holds the derived keys.
// Thread-safe: Encode is const and may be called from several threads at once.
class ClkEncoder {
 public:
  // REQUIRES: schema came from ParseLinkageSchema or DefaultPersonSchema.
  // Fails when the secret is empty or the schema cannot be hashed (e.g. blakeHash with a
  // length that is not a power of two).
  static Result<ClkEncoder> Create(const LinkageSchema& schema, std::string_view secret);

  ClkEncoder(ClkEncoder&&) noexcept;
  ClkEncoder& operator=(ClkEncoder&&) noexcept;
  ~ClkEncoder();

  // Encodes one record: one UTF-8 value per schema feature, in schema order. Errors
  // name the feature and never contain the value itself (it is identity data).
  Result<Clk> Encode(std::span<const std::string_view> values) const;
  Result<Clk> Encode(std::span<const std::string> values) const;

  const LinkageSchema& schema() const;

 private:
  struct Impl;
  explicit ClkEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// HKDF (RFC 5869) over the secret, split into 2 keys of `key_size` bytes per feature
// (including ignored ones), as clkhash does. Exposed for tests against keys.json.
Result<std::vector<std::string>> DeriveFeatureKeys(const LinkageSchema& schema,
                                                   std::string_view secret);

// Base64 (EncodeBase64, DecodeBase64), as clkhash serialises CLKs: privacy/crypto.h.

// Number of set bits.
int Popcount(std::span<const uint8_t> clk);

}  // namespace haven::privacy
