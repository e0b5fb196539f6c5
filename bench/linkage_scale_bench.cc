// The whole `haven link clks` process on large sets: wall time, peak memory (the child's
// maximum resident set size) and, against the generated ground truth and optionally
// against exhaustive linkage, what LSH blocking costs in recall.
//
//   linkage_scale_bench [--size N] [--threshold T] [--threads N] [--kernel K]
//                       [--exhaustive] [--dir DIR] [--haven PATH]
//     --size        records per side (default 1000000; half of them are in both)
//     --exhaustive  also link with --blocking none and compare the pair files
//     --dir         where the CSV files go (default: a new folder under /tmp, removed)
//     --haven       the haven binary (default: next to this program)
//
// The records come from the realistic profile of src/privacy/population.h and are
// encoded with Haven's default schema, so the CLKs have the skew of real ones (common
// names and birth years set the same bits), which is what blocking has to cope with.
// A plain program: the run is minutes long and measured once, not repeated.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "privacy/clk.h"
#include "privacy/population.h"

namespace fs = std::filesystem;

namespace haven::privacy {
namespace {

struct Args {
  size_t size = 1000000;
  double threshold = 0.8;
  unsigned threads = 0;
  std::string kernel = "auto";
  bool exhaustive = false;
  std::string dir;
  std::string haven;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Encodes records on all threads and writes `id,clk_base64`.
void WriteClks(const ClkEncoder& encoder, const std::vector<PersonRecord>& records,
               const fs::path& path, unsigned threads) {
  std::vector<std::string> lines(records.size());
  auto work = [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      auto values = records[i].Values();
      auto clk = encoder.Encode(std::span<const std::string>(values));
      if (!clk) {
        std::fprintf(stderr, "encode failed: %s\n", clk.error().message.c_str());
        std::exit(1);
      }
      lines[i] = records[i].id + "," + EncodeBase64(*clk) + "\n";
    }
  };
  {
    std::vector<std::jthread> pool;
    const size_t per = (records.size() + threads - 1) / threads;
    for (size_t b = 0; b < records.size(); b += per) {
      pool.emplace_back(work, b, std::min(records.size(), b + per));
    }
  }
  std::ofstream out(path, std::ios::binary);
  out << "id,clk_base64\n";
  for (const auto& l : lines) out << l;
}

struct RunResult {
  int status = -1;
  double seconds = 0;
  long max_rss_kib = 0;
  std::string stderr_text;
};

// Runs the haven binary and reports its wall time and peak RSS (from wait4).
RunResult RunHaven(const std::string& haven, const std::vector<std::string>& args,
                   const fs::path& err_path) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(haven.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(err_path.c_str(), "w", stderr)) _exit(127);
    execv(haven.c_str(), argv.data());
    _exit(127);
  }
  RunResult r;
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  r.seconds = Seconds(start);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.max_rss_kib = usage.ru_maxrss;
  std::ifstream in(err_path);
  std::stringstream ss;
  ss << in.rdbuf();
  r.stderr_text = ss.str();
  return r;
}

std::vector<std::pair<std::string, std::string>> ReadPairs(const fs::path& path) {
  std::vector<std::pair<std::string, std::string>> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    auto c1 = line.find(',');
    auto c2 = line.find(',', c1 + 1);
    out.push_back({line.substr(0, c1), line.substr(c1 + 1, c2 - c1 - 1)});
  }
  return out;
}

void Report(const char* label, const RunResult& r, const Args& args,
            const std::vector<std::pair<std::string, std::string>>& pairs,
            const std::set<std::pair<std::string, std::string>>& truth) {
  size_t tp = 0;
  for (const auto& p : pairs) tp += truth.count(p);
  const double precision = pairs.empty() ? 1.0 : static_cast<double>(tp) / static_cast<double>(pairs.size());
  const double recall = static_cast<double>(tp) / static_cast<double>(truth.size());
  std::printf("\n### %s\n%s", label, r.stderr_text.c_str());
  std::printf("exit %d; wall %.1f s; peak RSS %.0f MiB; %zu pairs; against the truth at %.2f: "
              "precision %.4f, recall %.4f, F1 %.4f\n",
              r.status, r.seconds, static_cast<double>(r.max_rss_kib) / 1024.0, pairs.size(),
              args.threshold, precision, recall,
              precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
}

int Main(const Args& args) {
  const unsigned threads = args.threads != 0 ? args.threads : std::max(1u, std::thread::hardware_concurrency());
  fs::path dir = args.dir;
  const bool remove_dir = dir.empty();
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "haven-scale-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return 1;
    dir = tmpl;
  }
  fs::create_directories(dir);

  auto t = std::chrono::steady_clock::now();
  PopulationOptions options;
  options.size_a = options.size_b = args.size;
  options.overlap = args.size / 2;
  options.seed = 2026;
  LinkagePopulation pop = GeneratePopulation(options);
  std::set<std::pair<std::string, std::string>> truth;
  for (const auto& [i, j] : pop.truth) truth.insert({pop.a[i].id, pop.b[j].id});
  std::printf("# haven link clks at scale: %zu x %zu records (realistic profile), %zu true "
              "pairs, threshold %.2f\n",
              pop.a.size(), pop.b.size(), truth.size(), args.threshold);
  std::printf("generated in %.1f s\n", Seconds(t));

  t = std::chrono::steady_clock::now();
  auto encoder = ClkEncoder::Create(DefaultPersonSchema(), "benchmark coalition secret, not a real one");
  if (!encoder) return 1;
  WriteClks(*encoder, pop.a, dir / "a.csv", threads);
  WriteClks(*encoder, pop.b, dir / "b.csv", threads);
  std::printf("encoded and written in %.1f s (%u threads)\n", Seconds(t), threads);
  pop = LinkagePopulation();  // the haven process should have the memory

  char threshold[32];
  std::snprintf(threshold, sizeof threshold, "%g", args.threshold);
  std::vector<std::string> common = {"link", "clks", (dir / "a.csv").string(), (dir / "b.csv").string(),
                                     "--threshold", threshold, "--threads", std::to_string(threads),
                                     "--kernel", args.kernel};
  auto run = [&](const std::string& blocking, const std::string& out) {
    std::vector<std::string> a = common;
    a.insert(a.end(), {"--blocking", blocking, "--out", (dir / out).string()});
    return RunHaven(args.haven, a, dir / (out + ".err"));
  };

  RunResult lsh = run("lsh", "pairs-lsh.csv");
  auto lsh_pairs = ReadPairs(dir / "pairs-lsh.csv");
  Report("--blocking lsh", lsh, args, lsh_pairs, truth);

  if (args.exhaustive) {
    RunResult none = run("none", "pairs-none.csv");
    auto none_pairs = ReadPairs(dir / "pairs-none.csv");
    Report("--blocking none", none, args, none_pairs, truth);
    std::set<std::pair<std::string, std::string>> exact(none_pairs.begin(), none_pairs.end());
    size_t same = 0;
    for (const auto& p : lsh_pairs) same += exact.count(p);
    std::printf("\nrecall of LSH blocking against exhaustive linkage: %zu of %zu pairs (%.4f); "
                "speed-up %.1fx\n",
                same, exact.size(), exact.empty() ? 1.0 : static_cast<double>(same) / static_cast<double>(exact.size()),
                none.seconds / lsh.seconds);
  }
  if (remove_dir) fs::remove_all(dir);
  return lsh.status;
}

}  // namespace
}  // namespace haven::privacy

int main(int argc, char** argv) {
  haven::privacy::Args args;
  args.haven = (fs::path(argv[0]).parent_path() / "haven").string();
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (flag == "--size") args.size = std::strtoull(value().c_str(), nullptr, 10);
    else if (flag == "--threshold") args.threshold = std::strtod(value().c_str(), nullptr);
    else if (flag == "--threads") args.threads = static_cast<unsigned>(std::strtoul(value().c_str(), nullptr, 10));
    else if (flag == "--kernel") args.kernel = value();
    else if (flag == "--exhaustive") args.exhaustive = true;
    else if (flag == "--dir") args.dir = value();
    else if (flag == "--haven") args.haven = value();
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (!fs::exists(args.haven)) {
    std::fprintf(stderr, "no haven binary at %s (use --haven)\n", args.haven.c_str());
    return 2;
  }
  return haven::privacy::Main(args);
}
