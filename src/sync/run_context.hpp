#pragma once
// What every part of one sync run shares: the store, the client, the options,
// the report being filled in, the deadline, the window of requests in flight
// with the workers that send them, and the one place where an error becomes
// an action (error_policy.hpp).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "scoringjobs/remote.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "sync/error_policy.hpp"
#include "sync/request_pool.hpp"
#include "sync/request_window.hpp"

namespace scoringjobs::detail {

struct StoreImpl;

/// Thrown inside the engine to end a run with an outcome; caught by sync().
struct RunEnded {
  SyncOutcome outcome;
  std::string error;
};

struct RunContext {
  Store& store;
  StoreImpl& impl;
  RemoteClient& client;
  const SyncOptions& options;
  SyncReport& report;
  std::chrono::steady_clock::time_point deadline;
  std::mt19937_64 random{std::random_device{}()};
  /// The sync_run history row, once the run has one.
  std::optional<std::int64_t> run_id = std::nullopt;
  /// HTTP requests made by clients other than `client` (the pool's workers).
  std::atomic<std::int64_t> other_requests{0};
  /// How many requests may be in flight at once, for every step of the run:
  /// push, the recount, the refresh and the account pulls. One window, so what
  /// the API said to one step (throttled: smaller, paused) holds for the next.
  RequestWindow window{options.max_in_flight};
  /// Made by pool() on first use; its workers start as requests need them.
  /// Last: its destructor waits for requests in flight, which count into
  /// other_requests.
  std::optional<RequestPool> request_pool = std::nullopt;

  bool past_deadline() const { return std::chrono::steady_clock::now() >= deadline; }
  bool stop_requested() const { return options.stop && options.stop->load(std::memory_order_relaxed); }
  /// Throws RunEnded when the run must not go on: past the deadline, or asked to
  /// stop. Long loops that make no request call it too, so no step outlasts the deadline.
  void check_time_left() const;
  /// Waits until `until` (a pause of the endpoint), answering a stop or the
  /// deadline at once: throws RunEnded like check_time_left().
  void sleep_until(std::chrono::steady_clock::time_point until) const;
  /// The client, for a request: the first request records the run as started,
  /// so a run killed mid-way still shows in the history. Calls check_time_left()
  /// first, so no request starts late or after a stop.
  RemoteClient& remote();
  /// The workers that send requests several at a time (at most
  /// SyncOptions::max_in_flight), made on first use: a run that sends nothing
  /// this way starts no thread. One step at a time uses it, each waiting for
  /// its own requests before it returns.
  RequestPool& pool();

  /// What to do about `error`, a failure of `scope` (error_policy.hpp).
  Disposition dispose(const Error& error, Scope scope) const { return detail::dispose(error, scope, past_deadline()); }
  /// Ends the run as `disposition` says: throws RunEnded for EndRun (and for
  /// SlowDown, where the caller cannot slow down), the error itself for Fail.
  [[noreturn]] void end_run(const Disposition& disposition, const Error& error) const;

  /// Reports progress to SyncOptions::progress, if any.
  void progress(std::string_view phase, std::int64_t done, std::int64_t total) const;
};

/// The server's Retry-After of `error`, at most max_retry_after.
std::optional<std::chrono::milliseconds> capped_retry_after(const RunContext& run, const Error& error);
/// The backoff after the n-th "not now" in a row (full jitter, the run's base and cap).
std::function<std::chrono::milliseconds(int)> backoff_for(RunContext& run);

/// Bounds every request of the client by the run's deadline while it lives.
class ClientDeadline {
 public:
  ClientDeadline(RemoteClient& client, std::chrono::steady_clock::time_point deadline) : client_(client) {
    client_.set_deadline(deadline);
  }
  ~ClientDeadline() { client_.set_deadline(std::nullopt); }
  ClientDeadline(const ClientDeadline&) = delete;
  ClientDeadline& operator=(const ClientDeadline&) = delete;

 private:
  RemoteClient& client_;
};

}  // namespace scoringjobs::detail
