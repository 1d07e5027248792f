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
  if (!run_id) run_id = begin_run(impl, report.started_at);
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
  if (dead_lettered > 0) return 65;
  if (outcome != SyncOutcome::Done) return 75;
  return 0;
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
         {"pulled", r.pulled},
         {"deletedRemotely", r.deleted_remotely},
         {"requests", r.requests},
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
    report.still_queued = outbox::pending_count(store);
    return report;
  }

  report.queued_at_start = outbox::pending_count(store);
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
  report.still_queued = outbox::pending_count(store);
  report.held = detail::count_held_entries(impl);
  // Entries still queued that are neither held by a dead letter nor sent: in
  // backoff, or tried enough for one run. The next run takes them.
  if (report.outcome == SyncOutcome::Done && report.still_queued > report.held) report.outcome = SyncOutcome::Waiting;
  report.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  // A run that sent nothing, found nothing queued and ended Done had nothing to
  // do: it leaves no history row, so a cron job that finds no work writes
  // nothing and costs no fsync. Every other run is recorded (if it made a
  // request, the row was begun before the first one; see RunContext::remote()).
  const bool idle = report.requests == 0 && report.queued_at_start == 0 && report.still_queued == 0 &&
                    report.outcome == SyncOutcome::Done;
  if (!context.run_id && !idle) context.run_id = detail::begin_run(impl, report.started_at);
  if (context.run_id) detail::finish_run(impl, *context.run_id, report.exit_code(), nlohmann::json(report));
  log(LogLevel::Info, "sync " + std::string(to_string(report.outcome)) + ": pushed " + std::to_string(report.pushed) +
                          ", still queued " + std::to_string(report.still_queued));
  return report;
}

}  // namespace scoringjobs
