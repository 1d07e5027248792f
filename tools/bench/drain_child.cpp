// The process whose peak RSS is the memory figure: opens a store, drains its
// outbox to the API with sync() (push only) and prints what it did as one
// JSON line. Nothing else lives in this process, so its peak RSS is the
// library's own.
//
//   scoringjobs_bench_drain DB URL KEY BATCH_SIZE normal|full [MAX_IN_FLIGHT [RUNS]]
//
// With RUNS, up to that many runs one after the other until a run ends done
// with the queue drained (as cron runs sync again after a run the API
// throttled to its end);
// the JSON then sums their requests, throttled requests and pushes.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "scoringjobs/remote.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"

namespace {

long vm_hwm_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6 || argc > 8) {
    std::fprintf(stderr, "usage: %s DB URL KEY BATCH_SIZE normal|full [MAX_IN_FLIGHT [RUNS]]\n", argv[0]);
    return 2;
  }
  try {
    using namespace scoringjobs;
    const std::string durability = argv[5];
    auto store = Store::open(argv[1], {.durability = durability == "full" ? StoreOptions::Durability::Full
                                                                          : StoreOptions::Durability::Normal});
    RemoteConfig config;
    config.api_url = argv[2];
    config.api_key = argv[3];
    RemoteClient client(config);
    SyncOptions options;
    options.pull = false;
    options.batch_size = std::stoul(argv[4]);
    if (argc == 7) options.max_in_flight = std::stoul(argv[6]);
    options.deadline = std::chrono::hours(1);
    const int runs = argc == 8 ? std::stoi(argv[7]) : 1;
    const auto started = std::chrono::steady_clock::now();
    auto report = sync(store, client, options);
    std::int64_t requests = report.requests, throttled = report.throttled, pushed = report.pushed;
    int made = 1;
    const auto drained = [&] { return report.outcome == SyncOutcome::Done && report.still_queued == 0; };
    for (; made < runs && !drained(); ++made) {
      options.retry_now = true;  // the put-off entries go at once, as an operator's next run would
      report = sync(store, client, options);
      requests += report.requests;
      throttled += report.throttled;
      pushed += report.pushed;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json out = report;
    out["requests"] = requests;
    out["throttled"] = throttled;
    out["pushed"] = pushed;
    out["runs"] = made;
    out["seconds"] = seconds;
    out["vmHwmKiB"] = vm_hwm_kib();
    std::cout << out.dump() << std::endl;
    return drained() ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "scoringjobs_bench_drain: %s\n", e.what());
    return 1;
  }
}
