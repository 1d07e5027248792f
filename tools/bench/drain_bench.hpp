#pragma once
// Figures 4 and 5: draining the outbox to the local AppSync server, against
// one mutation per request, and the peak RSS of a large drain. The helpers
// below are shared with the concurrency figures (concurrency_bench.hpp).

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "appsync_process.hpp"
#include "figure.hpp"
#include "options.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"

namespace scoringjobs::bench {

struct Drain {
  double seconds = 0;
  std::int64_t requests = 0;
  std::int64_t queued = 0;  // outbox entries at the start
  std::int64_t sent = 0;    // mutations confirmed (ours) / answered ok (baseline)
  std::int64_t throttled = 0;
  std::int64_t peak_in_flight = 0;
  double ms_per_entry() const { return queued ? seconds * 1000 / static_cast<double>(queued) : 0; }
  double requests_per_entry() const { return queued ? static_cast<double>(requests) / static_cast<double>(queued) : 0; }
};

/// "10k" for 10000, else the number.
std::string label(std::int64_t n);

/// The library: sync() push only of a copy of `queue` (made at `run`, removed
/// after), `batch` mutations per request and `max_in_flight` requests at once
/// at most. Throws std::runtime_error unless it drains the queue.
Drain drain_ours(AppSyncProcess& server, const std::filesystem::path& queue, const std::filesystem::path& run,
                 std::size_t batch, StoreOptions::Durability durability,
                 std::size_t max_in_flight = SyncOptions{}.max_in_flight);

/// A queue of `entries` mixed mutations, built once into the cache directory
/// and only copied afterwards; `tag` tells apart queues of the same size with
/// other records (each edge of a fleet has its own). Returns it and its size.
std::pair<std::filesystem::path, std::int64_t> cached_queue(const Options& options, std::int64_t entries,
                                                            const std::string& tag = {});

std::vector<Figure> run_drain_figures(const Options& options, AppSyncProcess& server);

}  // namespace scoringjobs::bench
