// sync(): one run of push and pull under the store's sync lock, with its report.

#include <thread>

#include "scoringjobs/exit_code.hpp"
#include "scoringjobs/log.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/sync.hpp"
#include "store/one_pass_reads.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "sync/backoff.hpp"
#include "sync/pull.hpp"
#include "sync/push.hpp"
#include "sync/run_context.hpp"
#include "sync/sync_lock.hpp"

namespace scoringjobs {
namespace detail {

void RunContext::check_time_left() const {
  if (stop_requested()) throw RunEnded{SyncOutcome::Interrupted, "stopped on request between requests"};
  if (past_deadline()) throw RunEnded{SyncOutcome::Deadline, "the deadline came with work left"};
}

void RunContext::sleep_until(std::chrono::steady_clock::time_point until) const {
  constexpr std::chrono::milliseconds kStopCheck{100};  // how soon a stop is seen
  for (;;) {
    check_time_left();
    const auto left = until - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kStopCheck));
  }
}

RemoteClient& RunContext::remote() {
  // Every request passes here, read-backs and retries included, so none starts
  // after the deadline or a stop; what is left stays queued for the next run.
  check_time_left();
  if (!run_id) run_id = begin_run(impl, report.started_at);
  return client;
}

RequestPool& RunContext::pool() {
  if (!request_pool) request_pool.emplace(client.config(), deadline, window.max(), other_requests);
  return *request_pool;
}

void RunContext::end_run(const Disposition& disposition, const Error& error) const {
  // A step that cannot slow down ends the run with the outcome slowing down would have given up with.
  if (disposition.action == Action::EndRun || disposition.action == Action::SlowDown) {
    throw RunEnded{disposition.outcome, error.what()};
  }
  throw error;
}

std::optional<std::chrono::milliseconds> capped_retry_after(const RunContext& run, const Error& error) {
  const auto after = error.retry_after();
  if (!after) return std::nullopt;
  return std::min<std::chrono::milliseconds>(*after, run.options.max_retry_after);
}

std::function<std::chrono::milliseconds(int)> backoff_for(RunContext& run) {
  return [&run](int attempts) {
    return backoff_delay(attempts, run.options.backoff_base, run.options.backoff_cap, std::nullopt, run.random);
  };
}

void RunContext::progress(std::string_view phase, std::int64_t done, std::int64_t total) const {
  if (options.progress) options.progress(SyncProgress{phase, done, total});
}

namespace {

void run_phases(RunContext& context) {
  try {
    if (context.options.push) Pusher(context).run();
    if (context.options.pull) Puller(context).run();
  } catch (const RunEnded& ended) {
    context.report.outcome = ended.outcome;
    context.report.error = ended.error;
  }
}

std::chrono::milliseconds since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

// The counts taken once the phases are over, and the history row.
void finish(RunContext& context, std::chrono::steady_clock::time_point started, std::size_t requests_before) {
  auto& report = context.report;
  report.requests =
      static_cast<std::int64_t>(context.client.requests_made() - requests_before) + context.other_requests.load();
  report.still_queued = outbox::pending_count(context.store);
  report.held = count_held_entries(context.impl);
  // Entries still queued that are neither held by a dead letter nor sent: in
  // backoff, or tried enough for one run. The next run takes them.
  if (report.outcome == SyncOutcome::Done && report.still_queued > report.held) report.outcome = SyncOutcome::Waiting;
  report.duration = since(started);
  // A run that sent nothing, found nothing queued and ended Done had nothing to
  // do: it leaves no history row, so a cron job that finds no work writes
  // nothing and costs no fsync. Every other run is recorded (if it made a
  // request, the row was begun before the first one; see RunContext::remote()).
  const bool idle = report.requests == 0 && report.queued_at_start == 0 && report.still_queued == 0 &&
                    report.outcome == SyncOutcome::Done;
  if (!context.run_id && !idle) context.run_id = begin_run(context.impl, report.started_at);
  if (context.run_id) finish_run(context.impl, *context.run_id, report.exit_code(), nlohmann::json(report));
}

// A local failure ended the run: it is kept in the history with its exit code
// and error (never "unfinished"), then thrown to the caller.
void record_failure(RunContext& context, const Error& error, std::chrono::steady_clock::time_point started) {
  auto& report = context.report;
  report.outcome = SyncOutcome::Failed;
  report.failure = error.code();
  report.error = error.what();
  report.duration = since(started);
  try {
    if (!context.run_id) context.run_id = begin_run(context.impl, report.started_at);
    finish_run(context.impl, *context.run_id, report.exit_code(), nlohmann::json(report));
  } catch (const std::exception& also) {
    // The store that failed may refuse this write too; the caller still gets the first error.
    log(LogLevel::Warn, std::string("could not record the failed sync run: ") + also.what());
  }
}

}  // namespace
}  // namespace detail

std::string_view to_string(SyncOutcome outcome) noexcept {
  switch (outcome) {
    case SyncOutcome::Done: return "done";
    case SyncOutcome::Offline: return "offline";
    case SyncOutcome::Untrusted: return "untrusted";
    case SyncOutcome::Throttled: return "throttled";
    case SyncOutcome::Transient: return "transient";
    case SyncOutcome::Deadline: return "deadline";
    case SyncOutcome::Waiting: return "waiting";
    case SyncOutcome::AuthFailed: return "auth";
    case SyncOutcome::Contract: return "contract";
    case SyncOutcome::Interrupted: return "interrupted";
    case SyncOutcome::Locked: return "locked";
    case SyncOutcome::Failed: return "failed";
  }
  return "done";
}

int SyncReport::exit_code() const noexcept {
  const auto code = [this] {
    if (outcome == SyncOutcome::AuthFailed) return ExitCode::AuthFailed;
    if (outcome == SyncOutcome::Failed) return failure ? exit_code_for(*failure) : ExitCode::Failure;
    if (outcome == SyncOutcome::Contract || dead_lettered > 0 || quarantined > 0) return ExitCode::NeedsAttention;
    if (outcome != SyncOutcome::Done) return ExitCode::TryLater;
    return ExitCode::Ok;
  }();
  return static_cast<int>(code);
}

void to_json(nlohmann::json& out, const SyncReport& r) {
  out = {{"startedAt", r.started_at.wire()},
         {"outcome", to_string(r.outcome)},
         {"exitCode", r.exit_code()},
         {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
         {"queuedAtStart", r.queued_at_start},
         {"pushed", r.pushed},
         {"coalesced", r.coalesced},
         {"conflicts", r.conflicts},
         {"retried", r.retried},
         {"deadLettered", r.dead_lettered},
         {"quarantined", r.quarantined},
         {"pulled", r.pulled},
         {"deletedRemotely", r.deleted_remotely},
         {"requests", r.requests},
         {"throttled", r.throttled},
         {"peakInFlight", r.peak_in_flight},
         {"stillQueued", r.still_queued},
         {"held", r.held},
         {"durationMs", r.duration.count()}};
}

SyncReport sync(Store& store, RemoteClient& client, const SyncOptions& options) {
  SyncReport report;
  report.started_at = Timestamp::now();
  const auto started = std::chrono::steady_clock::now();
  auto& impl = detail::impl_of(store);

  const auto lock = detail::SyncLock::try_acquire(store.path());
  if (!lock) {
    report.outcome = SyncOutcome::Locked;
    report.error = "another sync is running on this store";
    report.queued_at_start = report.still_queued = outbox::pending_count(store);
    return report;
  }

  const auto requests_before = client.requests_made();
  detail::RunContext context{store, impl, client, options, report, started + options.deadline};
  const detail::ClientDeadline bounded(client, context.deadline);
  try {
    detail::guard_sqlite("syncing", [&] {
      const detail::OnePassReads one_pass(impl);
      report.queued_at_start = outbox::pending_count(store);
      detail::run_phases(context);
      detail::finish(context, started, requests_before);
    });
  } catch (const Error& error) {
    detail::record_failure(context, error, started);
    throw;
  }
  log(LogLevel::Info, "sync " + std::string(to_string(report.outcome)) + ": pushed " + std::to_string(report.pushed) +
                          ", still queued " + std::to_string(report.still_queued));
  return report;
}

}  // namespace scoringjobs
