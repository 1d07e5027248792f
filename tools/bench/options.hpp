#pragma once
// What the runner passes to every group of figures.

#include <filesystem>
#include <set>
#include <string>

namespace scoringjobs::bench {

struct Options {
  bool quick = false;
  std::filesystem::path work;        // scratch directory for stores (on the real disk: fsync counts)
  std::filesystem::path source_dir;  // the repository (for tests/appsync/server.js)
  std::string cli;                   // the scoringjobs binary
  std::string drain_child;           // the scoringjobs_bench_drain binary
  double min_time = 0.3;             // seconds per interleaved pair of micro-benchmarks
  std::filesystem::path cache;       // lookup stores kept between runs (built once, only read)
  /// Groups to run (--only): local = lookups + creates + bulk; drain; polling; cli. Empty: all.
  std::set<std::string> only;
  bool wanted(const std::string& group) const {
    if (only.empty() || only.count(group)) return true;
    const bool local = group == "lookups" || group == "creates" || group == "bulk";
    return local && only.count("local");
  }
};

}  // namespace scoringjobs::bench
