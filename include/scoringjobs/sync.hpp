#pragma once
// The sync engine: pushes the outbox to the remote API with exactly-once effect
// over an at-least-once network, merges concurrent changes three ways, and
// pulls remote changes back.
//
// Push drains the outbox in enqueue order. Pending entries of one record are
// coalesced into one mutation that keeps the record's place in the queue; a join
// row is sent only once both records it names exist remotely. Creates carry the
// client id and timestamps: a create answered ConditionalCheckFailed, or whose
// outcome is unknown, is settled by reading the record back. Updates carry a
// compare-and-set condition on the last updatedAt the remote confirmed; when it
// fails, the record is read, merged (see the merge rules in the README) and
// sent again. An entry leaves the outbox only in the transaction that records
// the remote's confirmation; no SQLite transaction is held across a request.

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs {

class Store;
class RemoteClient;

struct SyncOptions {
  bool push = true;
  bool pull = true;
  /// Accounts whose remote ScoringJobs are fetched (resumably) during pull.
  std::vector<std::string> accounts;
  /// How far before the previous pass's newest createdAt each new account pass
  /// starts. createdAt is set by the client that made the job, not when the job
  /// reached the API: a store that was offline pushes jobs older than what other
  /// stores already pulled, and a pass that started at the newest createdAt seen
  /// would never read them. Jobs re-read unchanged are not written again, but
  /// each pass requests the window's pages again (100 jobs a page). The limit:
  /// a job that reaches the API more than this long after its createdAt is
  /// missed; `scoringjobs pull --since` fetches it. 0 starts each pass at the
  /// newest createdAt seen; a negative value counts as 0. A pass cut off by the
  /// deadline or a failure resumes with the bound it started with.
  std::chrono::seconds account_pull_lookback{std::chrono::hours(24)};
  /// Mutations per HTTP request and the request body size they may reach.
  std::size_t batch_size = 25;
  std::size_t max_request_bytes = 256 * 1024;
  /// Ignore the persisted retry times (an operator who just fixed the network).
  bool retry_now = false;
  /// The run stops cleanly between requests once this much time has passed.
  std::chrono::milliseconds deadline{std::chrono::minutes(5)};
  /// Backoff after transient failures: full jitter, from base up to cap.
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_cap{std::chrono::minutes(5)};
  /// Called after each request with (outbox entries settled, entries queued at start).
  std::function<void(std::int64_t, std::int64_t)> progress;
};

enum class SyncOutcome {
  Done,        // nothing left that this run could send
  Offline,     // the API could not be reached; nothing changed
  Throttled,   // the API asked us to slow down; retry times are persisted
  Transient,   // the API failed in a way worth retrying later
  Deadline,    // the deadline came with work left
  Waiting,     // entries are still in backoff
  AuthFailed,  // the API refused the key; everything stays queued
  Locked,      // another sync holds this store's lock
};
std::string_view to_string(SyncOutcome outcome) noexcept;

struct SyncReport {
  SyncOutcome outcome = SyncOutcome::Done;
  std::string error;  // the failure that ended the run, if any (never holds the key)
  std::int64_t queued_at_start = 0;
  std::int64_t pushed = 0;     // mutations confirmed by the remote
  std::int64_t coalesced = 0;  // outbox entries folded into another entry's mutation
  std::int64_t conflicts = 0;  // field decisions recorded by merges
  std::int64_t retried = 0;    // mutations put off for a later attempt
  std::int64_t dead_lettered = 0;
  std::int64_t pulled = 0;  // records refreshed or fetched from the remote
  std::int64_t deleted_remotely = 0;
  std::int64_t requests = 0;  // HTTP requests made
  std::int64_t still_queued = 0;
  std::int64_t held = 0;  // queued behind a dead letter
  std::chrono::milliseconds duration{0};
  Timestamp started_at = Timestamp::from_unix_millis(0);

  /// The exit code the CLI uses: 0 done, 75 try later, 77 auth, 65 dead-lettered.
  int exit_code() const noexcept;
};
/// {startedAt, outcome, exitCode, error, queuedAtStart, pushed, …, durationMs}: the
/// keys the CLI's `sync --json` prints and the run history keeps.
void to_json(nlohmann::json& out, const SyncReport& report);

/// Runs one sync. Takes the store's sync lock (a `<db>.lock` file beside the
/// database) and returns Locked at once if another sync holds it. Failures of
/// the network or the API end the run and are reported, not thrown; storage
/// errors are thrown. The report is also kept in the store's run history,
/// except for a run that had nothing to do (nothing queued, no request made,
/// outcome Done): such a run writes nothing to the store, so a cron job that
/// finds no work costs no disk write. While it runs, the client's requests are
/// bounded by the run's deadline (RemoteClient::set_deadline; cleared after).
SyncReport sync(Store& store, RemoteClient& client, const SyncOptions& options = {});

// Looking at and acting on what a sync left behind.
struct DeadLetter {
  std::int64_t id = 0;
  Model model = Model::ScoringJob;
  std::string record_id;
  std::string operation;
  nlohmann::json fields;
  std::string error_class;
  std::string error_message;
  Timestamp dead_at = Timestamp::from_unix_millis(0);
  int attempts = 0;
};
/// {id, model, recordId, operation, fields, errorClass, errorMessage, deadAt, attempts};
/// AWSJSON fields as the JSON values they hold.
void to_json(nlohmann::json& out, const DeadLetter& letter);
std::vector<DeadLetter> list_dead_letters(Store& store);
std::int64_t count_dead_letters(Store& store);
/// Puts a dead letter back at its old place in the outbox. Throws NotFound.
void retry_dead_letter(Store& store, std::int64_t id);
/// Drops a dead letter for good (its held dependents are sent and may fail). Throws NotFound.
void discard_dead_letter(Store& store, std::int64_t id);

struct ConflictDecision {
  std::int64_t id = 0;
  Model model = Model::ScoringJob;
  std::string record_id;
  std::string field;
  nlohmann::json base, local, remote, result;
  std::string chosen;
  std::string rule;
  Timestamp decided_at = Timestamp::from_unix_millis(0);
};
/// {id, model, recordId, field, base, local, remote, result, chosen, rule, decidedAt}
void to_json(nlohmann::json& out, const ConflictDecision& decision);
/// The newest `limit` decisions, newest first.
std::vector<ConflictDecision> list_conflicts(Store& store, std::size_t limit = 1000);
std::int64_t count_conflicts(Store& store);

struct SyncRun {
  std::int64_t id = 0;
  Timestamp started_at = Timestamp::from_unix_millis(0);
  std::optional<int> exit_code;
  nlohmann::json report;  // the run's SyncReport as JSON; null while running or if it was killed
};
/// {id, startedAt, exitCode, outcome ("unfinished" for a run still going or killed),
/// error, and the report's counts (null when it has none)}.
void to_json(nlohmann::json& out, const SyncRun& run);
/// Newest first. Runs that had nothing to do are not recorded (see sync()).
std::vector<SyncRun> list_sync_runs(Store& store, std::size_t limit = 10);

}  // namespace scoringjobs
