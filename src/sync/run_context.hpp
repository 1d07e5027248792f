#pragma once
// What every part of one sync run shares: the store, the client, the options,
// the report being filled in, the deadline, and the one place where an error
// becomes an action (error_policy.hpp).

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "scoringjobs/remote.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "sync/error_policy.hpp"

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

  bool past_deadline() const { return std::chrono::steady_clock::now() >= deadline; }
  bool stop_requested() const { return options.stop && options.stop->load(std::memory_order_relaxed); }
  /// Throws RunEnded when the run must not go on: past the deadline, or asked to
  /// stop. Long loops that make no request call it too, so no step outlasts the deadline.
  void check_time_left() const;
  /// The client, for a request: the first request records the run as started,
  /// so a run killed mid-way still shows in the history. Calls check_time_left()
  /// first, so no request starts late or after a stop.
  RemoteClient& remote();

  /// What to do about `error`, a failure of `scope` (error_policy.hpp).
  Disposition dispose(const Error& error, Scope scope) const { return detail::dispose(error, scope, past_deadline()); }
  /// Ends the run as `disposition` says: throws RunEnded for EndRun, the error itself for Fail.
  [[noreturn]] void end_run(const Disposition& disposition, const Error& error) const;

  /// Reports progress to SyncOptions::progress, if any.
  void progress(std::string_view phase, std::int64_t done, std::int64_t total) const;
};

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
