#pragma once
// What a store holds for the person on call, read from one snapshot: what waits
// to be synced, what needs a person, and how the last syncs went. `scoringjobs
// status` prints it; the Python module and the metrics export read the same.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/sync.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs {

class Store;

struct StoreStatus {
  std::int64_t queued = 0;                                     // outbox entries waiting
  std::map<Model, std::map<Operation, std::int64_t>> by_kind;  // of those, per model and operation
  std::optional<std::chrono::milliseconds> oldest_queued_age;  // nullopt when nothing waits
  std::optional<Timestamp> next_retry_at;                      // earliest retry of an entry in backoff
  std::int64_t dead_letters = 0;
  std::int64_t quarantined = 0;  // remote records kept aside because this client cannot read them
  std::int64_t conflicts = 0;      // merge decisions recorded
  std::vector<SyncRun> last_runs;  // newest first
  /// When the newest sync run that reached the API ended: it received at least
  /// one HTTP response (it made a request and its outcome is not offline or
  /// locked). nullopt when no recorded run did.
  std::optional<Timestamp> last_reached_api_at;
  /// When the newest sync run whose outcome was `done` ended. Runs with nothing
  /// to do are not recorded (see sync()), so this does not move while a store
  /// has nothing to send.
  std::optional<Timestamp> last_done_at;
  /// When the oldest recorded sync run started; nullopt when none is recorded.
  std::optional<Timestamp> first_run_at;
};

/// The status, with the newest `runs` sync runs. Throws Error{Storage} when the
/// database cannot be read.
StoreStatus store_status(Store& store, std::size_t runs = 5);

/// {queued, byKind, oldestQueuedAgeMs, nextRetryAt, deadLetters, quarantined, conflicts, lastReachedApiAt,
/// lastDoneAt, lastRuns} (timestamps as RFC 3339 text or null):
/// what `scoringjobs status --json` prints.
void to_json(nlohmann::json& out, const StoreStatus& status);

}  // namespace scoringjobs
