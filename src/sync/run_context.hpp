#pragma once
// What every part of one sync run shares: the store, the client, the options,
// the report being filled in and the deadline.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

#include "scoringjobs/remote.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"

namespace scoringjobs::detail {

struct StoreImpl;

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
  /// The client, for a request: the first request records the run as started,
  /// so a run killed mid-way still shows in the history. Past the deadline it
  /// throws RunEnded instead, so no request starts late.
  RemoteClient& remote();
  /// Ends the run for an error of a whole request (offline, auth, throttled, ...);
  /// a request that failed for want of time past the deadline ends it as Deadline.
  [[noreturn]] void end_run_for(const Error& error) const;
};

/// Thrown inside the engine to end a run with an outcome; caught by sync().
struct RunEnded {
  SyncOutcome outcome;
  std::string error;
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

/// A record the client returned, in wire shape.
nlohmann::json wire_of(const RemoteRecord& record);

}  // namespace scoringjobs::detail
