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

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/error.hpp"
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
  /// Requests in flight at once, at most: push's, the batch recounts' and pull's
  /// reads share one window for the run. The window starts at 2, grows
  /// while requests succeed and halves when the API throttles or answers 5xx
  /// (AIMD), pacing requests below one per round trip; a Retry-After pauses
  /// every request. 1 sends one request at a time.
  /// A record's entries never overtake each other and a join row goes only
  /// after both records it names are confirmed, whatever the window. 0 counts as 1.
  std::size_t max_in_flight = 8;
  /// Ignore the persisted retry times (an operator who just fixed the network).
  bool retry_now = false;
  /// The run stops cleanly between requests once this much time has passed.
  std::chrono::milliseconds deadline{std::chrono::minutes(5)};
  /// Backoff after transient failures: full jitter, from base up to cap.
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_cap{std::chrono::minutes(5)};
  /// The longest Retry-After honoured. With backoff_cap it also bounds every
  /// stored retry time when it is read: a clock set back (or a retry time
  /// written by a clock running ahead) never parks an entry for longer.
  std::chrono::seconds max_retry_after{std::chrono::minutes(15)};
  /// Unfinished local records are read back at least this often (while syncs
  /// run): sooner when they changed recently, spacing out to this for records
  /// that stay the same. See the README's "Pull".
  std::chrono::seconds longest_staleness{std::chrono::hours(1)};
  /// Unfinished records read back per run at most (the most overdue first).
  std::size_t refresh_budget = 2000;
  /// A record read back absent counts as deleted remotely only when reads this
  /// far apart both find it absent: one empty read right after a write proves
  /// nothing (the API's reads are eventually consistent).
  std::chrono::milliseconds absence_confirmation{std::chrono::seconds(10)};
  /// When set, the run stops between requests once it reads true (a signal
  /// handler's flag): the outcome is Interrupted, what was sent is settled or
  /// left for the next run to read back, and the report is kept as usual.
  const std::atomic<bool>* stop = nullptr;
  /// Called after each request: see SyncProgress.
  std::function<void(const struct SyncProgress&)> progress;
};

/// Where a run stands. Push: outbox entries settled so far of `total`, which
/// grows when writers queue more during the run (those go out in the same run).
/// Pull: records read so far; total is 0 when not known in advance.
struct SyncProgress {
  std::string_view phase;  // "push" or "pull"
  std::int64_t done = 0;
  std::int64_t total = 0;
};

enum class SyncOutcome {
  Done,         // nothing left that this run could send
  Offline,      // the API could not be reached; nothing changed
  Untrusted,    // the API's TLS certificate did not verify; nothing was sent
  Throttled,    // the API asked us to slow down; retry times are persisted
  Transient,    // the API failed in a way worth retrying later
  Deadline,     // the deadline came with work left
  Waiting,      // entries are still in backoff
  AuthFailed,   // the API refused the key; everything stays queued
  Contract,     // the API refused this client's documents as a whole (its schema
                // changed?); everything stays queued, a person should look
  Interrupted,  // stopped by SyncOptions::stop (SIGTERM, Ctrl-C) between requests
  Locked,       // another sync holds this store's lock
  Failed,       // a local failure ended the run (e.g. the disk is full); sync() threw it
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
  std::int64_t quarantined = 0;  // remote records found unreadable this run (newly kept aside)
  std::int64_t pulled = 0;       // records refreshed or fetched from the remote
  std::int64_t deleted_remotely = 0;
  std::int64_t requests = 0;        // HTTP requests made
  std::int64_t throttled = 0;       // requests the API answered throttled (a push request: whole or in part)
  std::int64_t peak_in_flight = 0;  // the most requests in flight at once (push's or reads)
  std::int64_t still_queued = 0;
  std::int64_t held = 0;  // queued behind a dead letter
  std::chrono::milliseconds duration{0};
  Timestamp started_at = Timestamp::from_unix_millis(0);

  /// For Failed: the code of the local error that ended the run.
  std::optional<Errc> failure;

  /// The process exit status for this run (ExitCode, see exit_code.hpp): 77 the
  /// key was refused; 65 a person should look (a change dead-lettered, a record
  /// newly quarantined, or outcome Contract); 1 or 2 for Failed; 75 any other
  /// outcome but Done; else 0.
  int exit_code() const noexcept;
};
/// {startedAt, outcome, exitCode, error, queuedAtStart, pushed, …, durationMs}: the
/// keys the CLI's `sync --json` prints and the run history keeps.
void to_json(nlohmann::json& out, const SyncReport& report);

/// Runs one sync. Takes the store's sync lock (a `<db>.lock` file beside the
/// database) and returns Locked at once if another sync holds it. Failures of
/// the network or the API end the run and are reported, not thrown. Local
/// failures (storage errors, a bad RemoteConfig found at the first request) are
/// recorded in the history as outcome Failed with their exit code, then thrown
/// as Error (SQLite's own exceptions become Error{Storage}). The report is also kept in the store's run history,
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

/// What discarding a dead letter did to the local store, so that nothing
/// changes unseen: the local store is left as the API has it.
struct DiscardReport {
  DeadLetter letter;
  /// An update discarded: the local record was set back to the last state the
  /// API confirmed, with the record's later queued changes on top (they still go).
  bool reverted = false;
  /// A create discarded: the record never reached the API, so it is removed
  /// locally, with the join rows naming it (whose queued creates are dropped too).
  /// "Model id" of each record removed, and their last local values (wire shape).
  std::vector<std::string> removed;
  nlohmann::json removed_records = nlohmann::json::array();
  std::int64_t entries_dropped = 0;  // queued entries that depended on the discarded create
};
/// {letter, reverted, removed, removedRecords, entriesDropped}
void to_json(nlohmann::json& out, const DiscardReport& report);
/// Drops a dead letter for good and leaves the local store as the API has it
/// (see DiscardReport). Throws NotFound.
DiscardReport discard_dead_letter(Store& store, std::int64_t id);

/// A remote record this client cannot read (a required field null, a value out
/// of range), kept aside by sync so every other record syncs on. It leaves the
/// quarantine by itself when a later read finds it readable, or gone.
struct QuarantinedRecord {
  std::int64_t id = 0;
  Model model = Model::ScoringJob;
  std::string record_id;  // empty when not even its id could be read
  std::string reason;     // why, naming the field
  std::string excerpt;    // a bounded excerpt of what the API returned
  Timestamp first_seen_at = Timestamp::from_unix_millis(0);
  Timestamp last_seen_at = Timestamp::from_unix_millis(0);
  std::int64_t times_seen = 0;
};
/// {id, model, recordId, reason, excerpt, firstSeenAt, lastSeenAt, timesSeen}
void to_json(nlohmann::json& out, const QuarantinedRecord& record);
std::vector<QuarantinedRecord> list_quarantined(Store& store);
std::int64_t count_quarantined(Store& store);
/// Forgets a quarantined record (e.g. one no read will reach again). Throws NotFound.
void dismiss_quarantined(Store& store, std::int64_t id);

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
