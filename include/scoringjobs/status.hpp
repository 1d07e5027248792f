#pragma once
// What a store holds for the person on call, read from one snapshot: what waits
// to be synced, what needs a person, and how the last syncs went. `scoringjobs
// status` prints it; the Python module and the metrics export read the same.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/sync.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs {

class Store;

/// Unfinished records that sync reads back from the API on a schedule: sooner
/// for records that changed recently, spacing out for those that did not, up to
/// SyncOptions::longest_staleness (README "Pull").
struct RefreshStatus {
  std::int64_t watched = 0;                // unfinished records with nothing queued
  std::int64_t due = 0;                    // of those, read back by the next run
  std::optional<Timestamp> next_check_at;  // the earliest check not yet due
};

struct StoreStatus {
  std::int64_t queued = 0;                                     // outbox entries waiting
  std::map<Model, std::map<Operation, std::int64_t>> by_kind;  // of those, per model and operation
  std::optional<std::chrono::milliseconds> oldest_queued_age;  // nullopt when nothing waits
  std::optional<Timestamp> next_retry_at;                      // earliest retry of an entry in backoff
  std::int64_t dead_letters = 0;
  std::int64_t quarantined = 0;  // remote records kept aside because this client cannot read them
  std::int64_t conflicts = 0;    // merge decisions recorded
  RefreshStatus refresh;
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

/// {queued, byKind, oldestQueuedAgeMs, nextRetryAt, deadLetters, quarantined, conflicts,
/// refresh: {watched, due, nextCheckAt}, lastReachedApiAt, lastDoneAt, lastRuns} (timestamps as RFC 3339 text or null):
/// what `scoringjobs status --json` prints.
void to_json(nlohmann::json& out, const StoreStatus& status);

/// A record that sync reads back, and when.
struct ScheduledCheck {
  Model model = Model::ScoringJob;
  std::string id;
  std::string status;                      // its local status (not final)
  std::optional<Timestamp> checked_at;     // the last read back; nullopt: none yet
  std::optional<Timestamp> next_check_at;  // nullopt: the next run reads it
};

/// The records sync reads back, soonest first, at most `limit`. Throws
/// Error{Storage} when the database cannot be read.
std::vector<ScheduledCheck> refresh_schedule(Store& store, std::size_t limit);

/// {model, id, status, checkedAt, nextCheckAt} (null for "none yet" and "at the next run").
void to_json(nlohmann::json& out, const ScheduledCheck& check);

}  // namespace scoringjobs
