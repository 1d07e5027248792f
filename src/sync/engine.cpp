// sync(): one run of push and pull under the store's sync lock, with its report.

#include "scoringjobs/log.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/sync.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "sync/pull.hpp"
#include "sync/push.hpp"
#include "sync/run_context.hpp"
#include "sync/sync_lock.hpp"

namespace scoringjobs {
namespace detail {

void RunContext::end_run_for(const Error& error) const {
  // A request cut short or not sent because the deadline came: the run simply
  // ran out of time, and nothing is put off for it.
  const bool timed_out = error.code() == Errc::Transient || error.code() == Errc::OutcomeUnknown;
  if (timed_out && past_deadline()) throw RunEnded{SyncOutcome::Deadline, "the deadline came with work left"};
  switch (error.code()) {
    case Errc::Offline: throw RunEnded{SyncOutcome::Offline, error.what()};
    case Errc::Auth: throw RunEnded{SyncOutcome::AuthFailed, error.what()};
    case Errc::Throttled: throw RunEnded{SyncOutcome::Throttled, error.what()};
    case Errc::Transient:
    case Errc::OutcomeUnknown:
    case Errc::RemoteConflict:
    case Errc::Rejected: throw RunEnded{SyncOutcome::Transient, error.what()};
    default: throw error;
  }
}

nlohmann::json wire_of(const RemoteRecord& record) {
  return std::visit([](const auto& r) { return r.to_dict(); }, record);
}

RemoteClient& RunContext::remote() {
  // Every request passes here, read-backs and retries included, so none starts
  // after the deadline; what is left stays queued for the next run.
  if (past_deadline()) throw RunEnded{SyncOutcome::Deadline, "the deadline came with work left"};
  if (!run_id) run_id = begin_run(impl, report.startedAt);
  return client;
}

}  // namespace detail

std::string_view to_string(SyncOutcome outcome) noexcept {
  switch (outcome) {
    case SyncOutcome::Done: return "done";
    case SyncOutcome::Offline: return "offline";
    case SyncOutcome::Throttled: return "throttled";
    case SyncOutcome::Transient: return "transient";
    case SyncOutcome::Deadline: return "deadline";
    case SyncOutcome::Waiting: return "waiting";
    case SyncOutcome::AuthFailed: return "auth";
    case SyncOutcome::Locked: return "locked";
  }
  return "done";
}

int SyncReport::exit_code() const noexcept {
  if (outcome == SyncOutcome::AuthFailed) return 77;
  if (deadLettered > 0) return 65;
  if (outcome != SyncOutcome::Done) return 75;
  return 0;
}

nlohmann::json SyncReport::to_json() const {
  return {{"startedAt", startedAt.wire()},
          {"outcome", to_string(outcome)},
          {"exitCode", exit_code()},
          {"error", error.empty() ? nlohmann::json(nullptr) : nlohmann::json(error)},
          {"queuedAtStart", queuedAtStart},
          {"pushed", pushed},
          {"coalesced", coalesced},
          {"conflicts", conflicts},
          {"retried", retried},
          {"deadLettered", deadLettered},
          {"pulled", pulled},
          {"deletedRemotely", deletedRemotely},
          {"requests", requests},
          {"stillQueued", stillQueued},
          {"held", held},
          {"durationMs", duration.count()}};
}

SyncReport sync(Store& store, RemoteClient& client, const SyncOptions& options) {
  SyncReport report;
  report.startedAt = Timestamp::now();
  const auto started = std::chrono::steady_clock::now();
  auto& impl = store.impl();

  const auto lock = detail::SyncLock::try_acquire(store.path());
  if (!lock) {
    report.outcome = SyncOutcome::Locked;
    report.error = "another sync is running on this store";
    report.stillQueued = outbox::pending_count(store);
    return report;
  }

  report.queuedAtStart = outbox::pending_count(store);
  const auto requests_before = client.requests_made();
  detail::RunContext context{store, impl, client, options, report, started + options.deadline};
  const detail::ClientDeadline bounded(client, context.deadline);
  try {
    if (options.push) detail::Pusher(context).run();
    if (options.pull) detail::Puller(context).run();
  } catch (const detail::RunEnded& ended) {
    report.outcome = ended.outcome;
    report.error = ended.error;
  }
  report.requests = static_cast<std::int64_t>(client.requests_made() - requests_before);
  report.stillQueued = outbox::pending_count(store);
  report.held = detail::count_held_entries(impl);
  // Entries still queued that are neither held by a dead letter nor sent: in
  // backoff, or tried enough for one run. The next run takes them.
  if (report.outcome == SyncOutcome::Done && report.stillQueued > report.held) report.outcome = SyncOutcome::Waiting;
  report.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  // A run that sent nothing, found nothing queued and ended Done had nothing to
  // do: it leaves no history row, so a cron job that finds no work writes
  // nothing and costs no fsync. Every other run is recorded (if it made a
  // request, the row was begun before the first one; see RunContext::remote()).
  const bool idle = report.requests == 0 && report.queuedAtStart == 0 && report.stillQueued == 0 &&
                    report.outcome == SyncOutcome::Done;
  if (!context.run_id && !idle) context.run_id = detail::begin_run(impl, report.startedAt);
  if (context.run_id) detail::finish_run(impl, *context.run_id, report.exit_code(), report.to_json());
  log(LogLevel::Info, "sync " + std::string(to_string(report.outcome)) + ": pushed " + std::to_string(report.pushed) +
                          ", still queued " + std::to_string(report.stillQueued));
  return report;
}

}  // namespace scoringjobs
