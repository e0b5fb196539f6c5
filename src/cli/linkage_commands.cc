#include "cli/linkage_commands.h"
#include "cli/file_io.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <unistd.h>

#include "privacy/blocking.h"
#include "privacy/clk.h"
#include "privacy/dice.h"

namespace haven::cli {
namespace {

using privacy::Clk;

// Secrets shorter than this are easy to guess, and a guessed secret lets anyone
// re-encode a list of names and look for them among the CLKs.
constexpr size_t kMinSecretBytes = 16;


void Warn(const std::string& message) { std::cerr << "haven: warning: " << message << "\n"; }


// RFC 4180 CSV: comma-separated, optional double quotes with "" inside, LF or CRLF.
// A UTF-8 byte-order mark at the start is skipped (spreadsheet programs write one).
class CsvReader {
 public:
  CsvReader(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
  }

  // Reads the next record; false at the end of the file. Dies on malformed quoting.
  bool Next(std::vector<std::string>& cells) {
    cells.clear();
    if (pos_ >= text_.size()) return false;
    line_ = next_line_++;
    std::string cell;
    bool quoted = false;
    while (true) {
      if (pos_ >= text_.size()) {
        if (quoted) Die(Where() + ": unterminated quoted field");
        cells.push_back(std::move(cell));
        return true;
      }
      char c = text_[pos_++];
      if (quoted) {
        if (c == '"') {
          if (pos_ < text_.size() && text_[pos_] == '"') {
            cell.push_back('"');
            ++pos_;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++next_line_;  // the record spans lines
          cell.push_back(c);
        }
      } else if (c == '"' && cell.empty()) {
        quoted = true;
      } else if (c == ',') {
        cells.push_back(std::move(cell));
        cell.clear();
      } else if (c == '\n' || (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n')) {
        if (c == '\r') ++pos_;
        cells.push_back(std::move(cell));
        return true;
      } else {
        cell.push_back(c);
      }
    }
  }

  // "file:line" of the record last read.
  std::string Where() const { return path_ + ":" + std::to_string(line_); }
  size_t line() const { return line_; }

 private:
  std::string path_;
  std::string text_;
  size_t pos_ = 0;
  size_t line_ = 0;
  size_t next_line_ = 1;
};

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}


std::string ReadSecret(const std::string& path) {
  std::string secret = ReadWholeFile(path, "secret file");
  // Editors and `echo` end files with a newline; it is not part of the secret.
  if (secret.ends_with("\r\n")) {
    secret.resize(secret.size() - 2);
  } else if (secret.ends_with("\n")) {
    secret.pop_back();
  }
  if (secret.empty()) Die("the secret file " + path + " is empty");
  if (secret.size() < kMinSecretBytes) {
    Warn("the secret is shorter than " + std::to_string(kMinSecretBytes) +
         " bytes; anyone who guesses it can test names against the CLKs");
  }
  return secret;
}

unsigned ThreadCount(unsigned requested) {
  if (requested != 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

// ---------------------------------------------------------------------------------------
// haven encode

struct EncodeArgs {
  std::string schema;
  std::string secret_file;
  std::string records;
  std::string out;
  unsigned threads = 0;
};

void RunEncode(const EncodeArgs& args) {
  privacy::LinkageSchema schema;
  if (args.schema == "default") {
    schema = privacy::DefaultPersonSchema();
  } else {
    auto parsed = privacy::ParseLinkageSchema(ReadWholeFile(args.schema, "schema"));
    if (!parsed) {
      Die("invalid schema " + args.schema + ": " +
          (parsed.error().field.empty() ? "" : parsed.error().field + ": ") +
          parsed.error().message);
    }
    schema = std::move(*parsed);
  }
  for (const auto& w : schema.warnings) Warn(args.schema + ": " + w);

  auto encoder = privacy::ClkEncoder::Create(schema, ReadSecret(args.secret_file));
  if (!encoder) Die(encoder.error().message);

  CsvReader reader(args.records, ReadWholeFile(args.records, "records file"));
  std::vector<std::string> header;
  if (!reader.Next(header) || (header.size() == 1 && header[0].empty())) {
    Die(args.records + " is empty (expected a header and at least one record)");
  }
  // The header names the schema's features in order. Trailing optional features
  // (x-haven-optional) may be left out, so the default schema's five core columns
  // suffice; they are encoded as empty.
  std::string expected_header;
  std::vector<std::string> names;
  size_t required = 0;
  for (size_t i = 0; i < schema.features.size(); ++i) {
    const auto& f = schema.features[i];
    expected_header += (expected_header.empty() ? "" : ",") + f.identifier;
    names.push_back(f.identifier);
    if (!f.optional) required = i + 1;
  }
  required = std::max<size_t>(required, 1);  // the id column
  if (header.size() < required || header.size() > names.size() ||
      !std::equal(header.begin(), header.end(), names.begin())) {
    std::string message = args.records + ":1: the header must be " + expected_header +
                          " (the schema's features)";
    if (required < names.size()) {
      message += "; the last " + std::to_string(names.size() - required) +
                 " may be left out";
    }
    Die(message);
  }
  const size_t columns = header.size();

  std::vector<std::vector<std::string>> records;
  std::vector<size_t> lines;
  std::vector<std::string> cells;
  while (reader.Next(cells)) {
    if (cells.size() == 1 && cells[0].empty()) continue;  // blank line, e.g. at the end
    if (cells.size() != columns) {
      Die(reader.Where() + ": expected " + std::to_string(columns) + " columns, found " +
          std::to_string(cells.size()));
    }
    cells.resize(names.size());  // left-out trailing features are empty
    records.push_back(cells);
    lines.push_back(reader.line());
  }
  if (records.empty()) Die(args.records + " has a header but no records");

  // Records are independent; encode them in contiguous slices, one per thread.
  std::vector<std::string> encoded(records.size());
  std::vector<std::optional<Error>> errors(records.size());
  const unsigned threads =
      std::min<unsigned>(ThreadCount(args.threads), static_cast<unsigned>(records.size()));
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      auto clk = encoder->Encode(std::span<const std::string>(records[i]));
      if (!clk) {
        errors[i] = clk.error();
        return;  // later records of this slice do not matter: the first error wins
      }
      encoded[i] = privacy::EncodeBase64(*clk);
    }
  };
  {
    std::vector<std::jthread> pool;
    const size_t per = (records.size() + threads - 1) / threads;
    for (size_t begin = 0; begin < records.size(); begin += per) {
      pool.emplace_back(work, begin, std::min(records.size(), begin + per));
    }
  }
  for (size_t i = 0; i < records.size(); ++i) {
    if (errors[i]) {
      Die(args.records + ":" + std::to_string(lines[i]) + ": " + errors[i]->message);
    }
  }

  std::string out = "id,clk_base64\n";
  out.reserve(records.size() * (encoded[0].size() + 16));
  for (size_t i = 0; i < records.size(); ++i) {
    out += CsvField(records[i][0]);
    out += ',';
    out += encoded[i];
    out += '\n';
  }
  WriteAtomically(args.out, out);
}

// ---------------------------------------------------------------------------------------
// haven link clks

struct ClkFile {
  std::vector<std::string> ids;
  std::vector<uint8_t> flat;  // ids.size() CLKs of clk_bytes each
  size_t clk_bytes = 0;
};

// Reads `id,clk_base64[,…]`; further columns (e.g. clkhash's popcount) are ignored.
// Every CLK must have `expected_bytes` bytes when that is non-zero, else the length
// of the first one.
ClkFile ReadClkFile(const std::string& path, size_t expected_bytes, const std::string& other) {
  CsvReader reader(path, ReadWholeFile(path, "CLK file"));
  std::vector<std::string> cells;
  if (!reader.Next(cells) || (cells.size() == 1 && cells[0].empty())) {
    Die(path + " is empty (expected a header id,clk_base64 and at least one CLK)");
  }
  if (cells.size() < 2 || cells[0] != "id" || cells[1] != "clk_base64") {
    Die(path + ":1: the header must start with id,clk_base64");
  }
  ClkFile file;
  file.clk_bytes = expected_bytes;
  std::unordered_set<std::string> seen;
  while (reader.Next(cells)) {
    if (cells.size() == 1 && cells[0].empty()) continue;
    if (cells.size() < 2) Die(reader.Where() + ": expected id,clk_base64");
    auto bytes = privacy::DecodeBase64(cells[1]);
    if (!bytes) Die(reader.Where() + ": the CLK is not valid base64");
    if (bytes->empty()) Die(reader.Where() + ": the CLK is empty");
    if (file.clk_bytes == 0) file.clk_bytes = bytes->size();
    if (bytes->size() != file.clk_bytes) {
      Die(reader.Where() + ": the CLK has " + std::to_string(bytes->size() * 8) +
          " bits, expected " + std::to_string(file.clk_bytes * 8) +
          (expected_bytes != 0 ? " as in " + other : " as in the first CLK of the file"));
    }
    if (!seen.insert(cells[0]).second) Die(reader.Where() + ": duplicate id");
    file.ids.push_back(std::move(cells[0]));
    file.flat.insert(file.flat.end(), bytes->begin(), bytes->end());
  }
  if (file.ids.empty()) Die(path + " has a header but no CLKs");
  return file;
}

std::string FormatScore(double score) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, score);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(score);
}

struct LinkClksArgs {
  std::string a;
  std::string b;
  std::string out;
  double threshold = 0;
  unsigned threads = 0;
  size_t top_k = 10;
  std::string kernel = "auto";
  std::string blocking = "auto";
  size_t lsh_tables = 0;
  size_t lsh_window = privacy::LshOptions().window;
  bool quiet = false;
};

void RunLinkClks(const LinkClksArgs& args) {
  if (!(args.threshold > 0.0 && args.threshold <= 1.0)) {
    Die("the threshold must be in (0, 1], got " + FormatScore(args.threshold));
  }
  auto kernel = privacy::ParseDiceKernel(args.kernel);
  if (!kernel) Die("--kernel " + kernel.error().message);
  if (!privacy::DiceKernelAvailable(*kernel)) {
    Die("this CPU cannot run the " + args.kernel + " kernel");
  }
  auto blocking = privacy::ParseBlockingMethod(args.blocking);
  if (!blocking) Die("--blocking " + blocking.error().message);
  if (args.lsh_window < 8 || args.lsh_window % 8 != 0) {
    Die("--lsh-window must be a positive multiple of 8");
  }
  if (args.lsh_tables > 512) Die("--lsh-tables must be at most 512");

  const auto start = std::chrono::steady_clock::now();
  ClkFile a = ReadClkFile(args.a, 0, "");
  ClkFile b = ReadClkFile(args.b, a.clk_bytes, args.a);
  const auto loaded = std::chrono::steady_clock::now();

  privacy::LinkageOptions options;
  options.dice.threshold = args.threshold;
  options.dice.top_k = args.top_k;
  options.dice.threads = ThreadCount(args.threads);
  options.dice.kernel = *kernel;
  options.blocking = *blocking;
  options.lsh.tables = args.lsh_tables;
  options.lsh.window = args.lsh_window;
  auto linkage = privacy::LinkOneToOne({a.flat, a.clk_bytes}, {b.flat, b.clk_bytes}, options);
  if (!linkage) Die(linkage.error().message);
  const size_t candidate_count = linkage->candidate_count;
  const std::vector<privacy::DiceCandidate>& pairs = linkage->pairs;
  const auto linked = std::chrono::steady_clock::now();

  std::string out = "id_a,id_b,score\n";
  for (const auto& p : pairs) {
    out += CsvField(a.ids[p.a]);
    out += ',';
    out += CsvField(b.ids[p.b]);
    out += ',';
    out += FormatScore(p.score());
    out += '\n';
  }
  WriteAtomically(args.out, out);

  if (!args.quiet) {
    using Seconds = std::chrono::duration<double>;
    const double total = Seconds(std::chrono::steady_clock::now() - start).count();
    const double compare = Seconds(linked - loaded).count();
    const double pairs_all = static_cast<double>(a.ids.size()) * static_cast<double>(b.ids.size());
    std::string blocking_note = "no blocking (every pair compared)";
    if (linkage->method_used == privacy::BlockingMethod::kLsh) {
      const auto& st = linkage->stats;
      char buf[160];
      std::snprintf(buf, sizeof buf, "LSH blocking: %zu tables, window %zu, %.3g comparisons",
                    st.tables, st.window, static_cast<double>(st.comparisons));
      blocking_note = buf;
    }
    std::fprintf(stderr,
                 "haven: linked %zu x %zu CLKs (%zu bits): %zu candidates, %zu pairs at "
                 "threshold %s; %s; %s kernel, %u threads; compare %.3f s (%.0f M pairs/s), "
                 "total %.3f s\n",
                 a.ids.size(), b.ids.size(), a.clk_bytes * 8, candidate_count, pairs.size(),
                 FormatScore(args.threshold).c_str(), blocking_note.c_str(),
                 std::string(privacy::DiceKernelName(*kernel == privacy::DiceKernel::kAuto
                                                         ? privacy::BestDiceKernel()
                                                         : *kernel))
                     .c_str(),
                 options.dice.threads, compare, compare > 0 ? pairs_all / compare / 1e6 : 0.0,
                 total);
  }
}

}  // namespace

void AddLinkageCommands(CLI::App& app) {
  auto encode_args = std::make_shared<EncodeArgs>();
  CLI::App* encode = app.add_subcommand(
      "encode", "Encode a CSV of records as CLKs (Bloom-filter encodings) for linkage");
  encode->add_option("--schema", encode_args->schema,
                     "clkhash v3 linkage schema (JSON file), or `default` for Haven's person "
                     "schema (columns id,given_name,family_name,birth_date,sex and optionally "
                     "patronymic,citizenship)")
      ->required();
  encode->add_option("--secret-file", encode_args->secret_file,
                     "file holding the coalition's linkage secret (a final newline is ignored)")
      ->required();
  encode->add_option("RECORDS.csv", encode_args->records,
                     "records with a header naming the schema's features in order")
      ->required();
  encode->add_option("--out", encode_args->out, "where to write id,clk_base64 (input order)")
      ->required();
  encode->add_option("--threads", encode_args->threads, "worker threads (default: all cores)");
  encode->callback([encode_args] { RunEncode(*encode_args); });

  CLI::App* link = nullptr;
  try {
    link = app.get_subcommand("link");
  } catch (const CLI::OptionNotFound&) {
    link = app.add_subcommand("link", "Record linkage: find the same person in two sets");
  }
  auto link_args = std::make_shared<LinkClksArgs>();
  CLI::App* clks = link->add_subcommand(
      "clks", "Link two CLK files (id,clk_base64) one-to-one by Dice similarity");
  clks->add_option("A.csv", link_args->a, "first CLK file")->required();
  clks->add_option("B.csv", link_args->b, "second CLK file (same CLK length)")->required();
  clks->add_option("--threshold", link_args->threshold,
                   "least Dice similarity of a pair, in (0, 1]")
      ->required();
  clks->add_option("--out", link_args->out,
                   "where to write id_a,id_b,score, best first")
      ->required();
  clks->add_option("--threads", link_args->threads, "worker threads (default: all cores)");
  clks->add_option("--top-k", link_args->top_k,
                   "candidates kept per record of A before the one-to-one step (0: all)")
      ->capture_default_str();
  clks->add_option("--kernel", link_args->kernel,
                   "CPU path: auto, scalar, avx2 or avx512 (all give the same pairs)")
      ->capture_default_str();
  clks->add_option("--blocking", link_args->blocking,
                   "auto (compare every pair up to 10^10 pairs, LSH above), none (every pair: "
                   "exact) or lsh (sorted-window Hamming LSH: may miss a few pairs)")
      ->capture_default_str();
  clks->add_option("--lsh-tables", link_args->lsh_tables,
                   "LSH tables; 0 chooses them for 99 % recall at the threshold")
      ->capture_default_str();
  clks->add_option("--lsh-window", link_args->lsh_window,
                   "records of B compared with each record of A per LSH table (multiple of 8)")
      ->capture_default_str();
  clks->add_flag("--quiet", link_args->quiet, "no summary line on stderr");
  clks->callback([link_args] { RunLinkClks(*link_args); });
}

bool LinkageCommandRan(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands()) {
    if (sub->get_name() == "encode") return true;
    if (sub->get_name() == "link" && sub->got_subcommand("clks")) return true;
  }
  return false;
}

}  // namespace haven::cli
