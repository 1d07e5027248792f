// scoringjobs_bench: measures every figure of the benchmark report beside its
// baseline in the same run, prints the table and writes the JSON.
//
//   scoringjobs_bench [--quick] [--json FILE] [--work DIR] [--cache DIR]
//                     [--only local|lookups|creates|bulk|drain|concurrency|polling|cli]...
//   scoringjobs_bench --profile get_by_id|find_by_item_id|get_batch_job|create COUNT
//     (for valgrind --tool=callgrind --toggle-collect='*profile_ours*' and '*profile_raw*')

#include <benchmark/benchmark.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <string>

#include "appsync_process.hpp"
#include "cli_bench.hpp"
#include "concurrency_bench.hpp"
#include "drain_bench.hpp"
#include "figure.hpp"
#include "local_bench.hpp"
#include "options.hpp"
#include "polling_bench.hpp"

namespace {

using namespace scoringjobs::bench;

std::string machine_description() {
  std::string cpu = "unknown CPU";
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname name{};
  ::uname(&name);
  const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  char text[512];
  std::snprintf(text, sizeof text, "%s, %ld cores, %.0f GiB RAM, %s %s", cpu.c_str(), cores,
                static_cast<double>(pages) * static_cast<double>(page_size) / (1 << 30), name.sysname, name.release);
  return text;
}

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr,
               "scoringjobs_bench: %s\nusage: scoringjobs_bench [--quick] [--json FILE] [--work DIR] "
               "[--only local|lookups|creates|bulk|drain|concurrency|polling|cli]... [--cache DIR]\n"
               "       scoringjobs_bench --profile get_by_id|find_by_item_id|get_batch_job|create COUNT\n",
               why);
  std::exit(2);
}

// The command line. Exits with usage() on a bad one.
struct CommandLine {
  Options options;
  std::string json_path;
  std::string profile_op;
  std::size_t profile_count = 0;
};

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine line;
  Options& options = line.options;
  options.work = std::filesystem::current_path() / "bench-work";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + arg).c_str());
      return argv[++i];
    };
    if (arg == "--quick") {
      options.quick = true;
    } else if (arg == "--json") {
      line.json_path = value();
    } else if (arg == "--work") {
      options.work = value();
    } else if (arg == "--only") {
      options.only.insert(value());
    } else if (arg == "--profile") {
      line.profile_op = value();
      line.profile_count = std::stoul(value());
    } else if (arg == "--cache") {
      options.cache = value();
    } else {
      usage(("unknown argument " + arg).c_str());
    }
  }
  options.source_dir = SCORINGJOBS_SOURCE_DIR;
  options.drain_child = SCORINGJOBS_BENCH_DRAIN_CHILD;
#ifdef SCORINGJOBS_BENCH_CLI
  options.cli = SCORINGJOBS_BENCH_CLI;
#endif
  options.min_time = options.quick ? 0.3 : 1.0;
  if (options.cache.empty()) options.cache = options.work.parent_path() / "cache";
  return line;
}

// Every figure the options ask for, in the order measured.
std::vector<Figure> run_figures(const Options& options) {
  auto wanted = [&](const char* group) { return options.wanted(group); };
  std::vector<Figure> figures;
  auto append = [&](const std::vector<Figure>& more) { figures.insert(figures.end(), more.begin(), more.end()); };
  if (wanted("lookups") || wanted("creates") || wanted("bulk")) append(run_local_figures(options));
  if (wanted("cli") || wanted("drain") || wanted("concurrency") || wanted("polling")) {
    AppSyncProcess server(options.source_dir, "bench-api-key");
    if (wanted("cli")) append(run_cli_figures(options, server));
    if (wanted("drain")) append(run_drain_figures(options, server));
    if (wanted("concurrency")) append(run_concurrency_figures(options, server));
    if (wanted("polling")) append(run_polling_figures(options, server));
  }
  return figures;
}

}  // namespace

int main(int argc, char** argv) {
  const CommandLine line = parse_command_line(argc, argv);
  const Options& options = line.options;

  int fake_argc = 1;
  char program[] = "scoringjobs_bench";
  char* fake_argv[] = {program, nullptr};
  benchmark::Initialize(&fake_argc, fake_argv);

  const auto started = std::chrono::steady_clock::now();
  std::filesystem::remove_all(options.work);
  std::filesystem::create_directories(options.work);
  if (!line.profile_op.empty()) {
    try {
      run_profile(options, line.profile_op, line.profile_count);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "scoringjobs_bench: %s\n", e.what());
      return 1;
    }
    std::filesystem::remove_all(options.work);
    return 0;
  }
  std::vector<Figure> figures;
  try {
    figures = run_figures(options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scoringjobs_bench: %s\n", e.what());
    return 1;
  }
  std::filesystem::remove_all(options.work);
  // By figure number (the name's leading digits), in measuring order within one.
  const auto number = [](const Figure& f) { return std::atoi(f.name.c_str()); };
  std::stable_sort(figures.begin(), figures.end(),
                   [&](const Figure& a, const Figure& b) { return number(a) < number(b); });

  const std::string machine = machine_description();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("scoringjobs benchmarks (%s) on %s, %.0f s\n\n", options.quick ? "quick" : "full", machine.c_str(),
              seconds);
  print_table(figures);
  if (!line.json_path.empty()) {
    write_json(figures, line.json_path, options.quick ? "quick" : "full", machine);
    std::printf("\nJSON: %s\n", line.json_path.c_str());
  }
  return 0;
}
