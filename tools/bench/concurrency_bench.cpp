#include "concurrency_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include "dataset.hpp"
#include "drain_bench.hpp"
#include "process.hpp"

namespace scoringjobs::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

// The throttling server: a token bucket of kAllowedPerSecond requests a second
// (bursts of as many), each request answered after kThrottleLatency.
constexpr double kAllowedPerSecond = 40;
constexpr int kBurst = 40;
constexpr std::chrono::milliseconds kThrottleLatency{50};
constexpr std::size_t kThrottleBatch = 5;  // more, smaller requests: the rate, not the batch, is the limit
// The fleet: 20 edges over a slow link, sharing one quota.
constexpr int kEdges = 20;
constexpr double kFleetPerSecond = 30;
constexpr int kFleetBurst = 30;
constexpr std::chrono::milliseconds kFleetLatency{500};
// An edge whose run gave up on a throttling API runs again, as cron would.
constexpr int kRunsPerEdge = 5;

void limit_rate(AppSyncProcess& server, double per_second, int burst, std::chrono::milliseconds latency) {
  server.reset();
  // The bucket first: a throttled request is answered at once, the others after the latency.
  server.add_fault({{"mode", "rate-limit"}, {"perSecond", per_second}, {"burst", burst}});
  server.add_fault({{"mode", "delay"}, {"delayMs", latency.count()}});
}

std::int64_t throttled_in_log(AppSyncProcess& server) {
  std::int64_t throttled = 0;
  for (const auto& request : server.request_log()) throttled += request.value("fault", json()) == "rate-limit";
  return throttled;
}

// Figure 10: the same drain with the default window and with one request at a time.
void concurrent_vs_one(const Options& options, AppSyncProcess& server, std::vector<Figure>& figures) {
  const std::int64_t n = options.quick ? 1'000 : 10'000;
  const auto [queue, queued] = cached_queue(options, n);
  const auto run = options.work / "concurrent.db";
  const auto full = StoreOptions::Durability::Full;
  for (const int latency : {50, 200}) {
    server.reset();
    server.set_latency(std::chrono::milliseconds(latency));
    const auto one = drain_ours(server, queue, run, 25, full, 1);
    server.reset();
    server.set_latency(std::chrono::milliseconds(latency));
    const auto many = drain_ours(server, queue, run, 25, full);
    std::fprintf(stderr,
                 "bench: drain at %d ms, %lld entries: one at a time %.2f s (%lld requests), up to %zu at once "
                 "%.2f s (%lld requests, peak %lld)\n",
                 latency, static_cast<long long>(queued), one.seconds, static_cast<long long>(one.requests),
                 SyncOptions{}.max_in_flight, many.seconds, static_cast<long long>(many.requests),
                 static_cast<long long>(many.peak_in_flight));
    Figure f;
    f.name = "10 concurrent drain speedup vs one request at a time, batch 25, " + std::to_string(latency) + " ms (" +
             (options.quick ? "quick, " : "") + label(queued) + " queued)";
    f.unit = "ms/mut";
    f.value = many.ms_per_entry();
    f.baseline = one.ms_per_entry();
    f.ratio = f.baseline / f.value;
    f.target = latency == 50 ? 4 : 6;
    f.target_op = ">=";
    f.note = "ratio = one at a time (max_in_flight 1) / default window (max_in_flight " +
             std::to_string(SyncOptions{}.max_in_flight) + ", peak " + std::to_string(many.peak_in_flight) +
             "); same queue, synchronous=FULL as the CLI opens the store";
    figures.push_back(std::move(f));
  }
}

// Figure 11: one edge against a server that throttles above a request rate.
void against_a_quota(const Options& options, AppSyncProcess& server, std::vector<Figure>& figures) {
  const std::int64_t n = options.quick ? 1'000 : 10'000;
  const auto [queue, queued] = cached_queue(options, n);
  const auto run = options.work / "throttled.db";
  limit_rate(server, kAllowedPerSecond, kBurst, kThrottleLatency);
  const auto d = drain_ours(server, queue, run, kThrottleBatch, StoreOptions::Durability::Full);
  const auto logged = throttled_in_log(server);
  server.reset();
  const double accepted = static_cast<double>(d.requests - d.throttled);
  const double allowed = kBurst + kAllowedPerSecond * d.seconds;
  std::fprintf(stderr,
               "bench: throttled drain: %lld requests in %.2f s, %lld throttled (server: %lld), peak %lld in flight\n",
               static_cast<long long>(d.requests), d.seconds, static_cast<long long>(d.throttled),
               static_cast<long long>(logged), static_cast<long long>(d.peak_in_flight));
  const std::string what = std::string(" (") + (options.quick ? "quick, " : "") + label(queued) + " queued, batch " +
                           std::to_string(kThrottleBatch) + ", " + std::to_string(kThrottleLatency.count()) + " ms, " +
                           std::to_string(static_cast<int>(kAllowedPerSecond)) + " req/s allowed)";
  Figure rate;
  rate.name = "11 throttling server: achieved vs allowed request rate" + what;
  rate.unit = "req/s";
  rate.value = accepted / d.seconds;
  rate.baseline = allowed / d.seconds;
  rate.ratio = accepted / allowed;
  rate.target = 0.8;
  rate.target_op = ">=";
  rate.note = "requests the server accepted / what its token bucket allowed over the drain (" + std::to_string(kBurst) +
              " burst + rate x duration)";
  figures.push_back(std::move(rate));
  Figure storm;
  storm.name = "11 throttling server: throttled share of requests" + what;
  storm.unit = "share";
  storm.value = static_cast<double>(d.throttled) / static_cast<double>(d.requests);
  storm.baseline = static_cast<double>(d.requests);
  storm.ratio = storm.value;
  storm.target = 0.05;
  storm.target_of = "value";
  storm.note = "requests answered 429 / all requests (baseline column: all requests)";
  figures.push_back(std::move(storm));
}

// Figure 12: a fleet of edge processes, each with its own queue, sharing one quota.
void fleet(const Options& options, AppSyncProcess& server, std::vector<Figure>& figures) {
  const std::int64_t n = options.quick ? 200 : 1'000;
  std::vector<std::filesystem::path> queues;
  queues.reserve(kEdges);
  for (int edge = 0; edge < kEdges; ++edge) {
    queues.push_back(cached_queue(options, n, "-edge" + std::to_string(edge)).first);
  }
  std::vector<std::filesystem::path> runs;
  runs.reserve(kEdges);
  for (int edge = 0; edge < kEdges; ++edge) {
    runs.push_back(options.work / ("edge-" + std::to_string(edge) + ".db"));
    copy_store(queues[static_cast<std::size_t>(edge)], runs.back());
  }
  limit_rate(server, kFleetPerSecond, kFleetBurst, kFleetLatency);
  std::vector<ChildResult> results(kEdges);
  const auto started = Clock::now();
  {
    std::vector<std::jthread> edges;
    edges.reserve(kEdges);
    for (int edge = 0; edge < kEdges; ++edge) {
      edges.emplace_back([&, edge] {
        const auto i = static_cast<std::size_t>(edge);
        results[i] = run_child({options.drain_child, runs[i].string(), server.url(), server.api_key(), "25", "normal",
                                std::to_string(SyncOptions{}.max_in_flight), std::to_string(kRunsPerEdge)},
                               true);
      });
    }
  }
  const double wall = std::chrono::duration<double>(Clock::now() - started).count();
  double fastest = 1e9, slowest = 0;
  std::int64_t requests = 0, throttled = 0, pushed = 0, runs_made = 0;
  for (const auto& result : results) {
    if (result.exit_code != 0) throw std::runtime_error("a fleet edge did not drain its queue: " + result.out);
    const auto report = json::parse(result.out);
    const double seconds = report.at("seconds").get<double>();
    fastest = std::min(fastest, seconds);
    slowest = std::max(slowest, seconds);
    requests += report.at("requests").get<std::int64_t>();
    throttled += report.at("throttled").get<std::int64_t>();
    pushed += report.at("pushed").get<std::int64_t>();
    runs_made += report.at("runs").get<std::int64_t>();
  }
  for (const auto& run : runs) remove_store(run);
  server.reset();
  std::fprintf(stderr,
               "bench: fleet of %d: %lld pushed in %.2f s, %lld requests (%lld throttled), edges took %.2f to %.2f s\n",
               kEdges, static_cast<long long>(pushed), wall, static_cast<long long>(requests),
               static_cast<long long>(throttled), fastest, slowest);
  const std::string what = std::string(" (") + (options.quick ? "quick, " : "") + std::to_string(kEdges) + " edges x " +
                           label(n) + " queued, " + std::to_string(kFleetLatency.count()) + " ms, " +
                           std::to_string(static_cast<int>(kFleetPerSecond)) + " req/s allowed)";
  const double accepted = static_cast<double>(requests - throttled);
  const double allowed = kFleetBurst + kFleetPerSecond * wall;
  Figure rate;
  rate.name = "12 fleet: aggregate vs allowed request rate" + what;
  rate.unit = "req/s";
  rate.value = accepted / wall;
  rate.baseline = allowed / wall;
  rate.ratio = accepted / allowed;
  rate.target = 0.8;
  rate.target_op = ">=";
  rate.note =
      "every edge a process draining its own queue with the default window; wall time from the first "
      "start to the last exit; allowed = burst + rate x wall time (" +
      std::to_string(throttled) + " of " + std::to_string(requests) + " requests throttled, " +
      std::to_string(runs_made) + " sync runs for " + std::to_string(kEdges) + " edges)";
  figures.push_back(std::move(rate));
  Figure fair;
  fair.name = "12 fleet: slowest edge vs fastest" + what;
  fair.unit = "s";
  fair.value = slowest;
  fair.baseline = fastest;
  fair.ratio = slowest / fastest;
  fair.target = 2;
  fair.note = "each edge's own sync() time";
  figures.push_back(std::move(fair));
}

}  // namespace

std::vector<Figure> run_concurrency_figures(const Options& options, AppSyncProcess& server) {
  std::vector<Figure> figures;
  concurrent_vs_one(options, server, figures);
  against_a_quota(options, server, figures);
  fleet(options, server, figures);
  return figures;
}

}  // namespace scoringjobs::bench
