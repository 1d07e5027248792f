#pragma once
// What every part of one sync run shares: the store, the client, the options,
// the report being filled in and the deadline.

#include <chrono>
#include <nlohmann/json.hpp>
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

  bool past_deadline() const { return std::chrono::steady_clock::now() >= deadline; }
};

/// Thrown inside the engine to end a run with an outcome; caught by sync().
struct RunEnded {
  SyncOutcome outcome;
  std::string error;
};

/// Ends the run for an error of a whole request (offline, auth, throttled, ...).
[[noreturn]] void end_run_for(const Error& error);

/// A record the client returned, in wire shape.
nlohmann::json wire_of(const RemoteRecord& record);

}  // namespace scoringjobs::detail
