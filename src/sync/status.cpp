// store_status(): the counts `scoringjobs status` shows, from one snapshot.

#include "scoringjobs/status.hpp"

#include "store/read_snapshot.hpp"
#include "store/refresh_schedule.hpp"
#include "store/run_history.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"

namespace scoringjobs {

StoreStatus store_status(Store& store, std::size_t runs) {
  return detail::guard_sqlite("reading the store's status", [&] {
    const detail::ReadSnapshot snapshot(detail::impl_of(store));
    StoreStatus status;
    status.queued = outbox::pending_count(store);
    status.by_kind = outbox::count_by_kind(store);
    status.oldest_queued_age = outbox::oldest_age(store);
    status.next_retry_at = outbox::next_retry_time(store);
    status.dead_letters = count_dead_letters(store);
    status.quarantined = count_quarantined(store);
    status.conflicts = count_conflicts(store);
    const auto watch = detail::watch_summary(detail::impl_of(store), Timestamp::now());
    status.refresh = RefreshStatus{watch.watched, watch.due, watch.next_check_at};
    status.last_runs = list_sync_runs(store, runs);
    const auto milestones = detail::run_milestones(detail::impl_of(store));
    status.last_reached_api_at = milestones.last_reached_api;
    status.last_done_at = milestones.last_done;
    status.first_run_at = milestones.first_started;
    return status;
  });
}

std::vector<ScheduledCheck> refresh_schedule(Store& store, std::size_t limit) {
  return detail::guard_sqlite("reading the refresh schedule", [&] {
    std::vector<ScheduledCheck> schedule;
    for (auto& record : detail::watched_records(detail::impl_of(store), limit)) {
      schedule.push_back(ScheduledCheck{record.model, std::move(record.id), std::move(record.status), record.checked_at,
                                        record.next_check_at});
    }
    return schedule;
  });
}

namespace {

nlohmann::json wire_or_null(const std::optional<Timestamp>& t) { return t ? nlohmann::json(t->wire()) : nullptr; }

}  // namespace

void to_json(nlohmann::json& out, const StoreStatus& s) {
  auto by_kind = nlohmann::json::object();
  for (const auto& [model, by_operation] : s.by_kind) {
    auto& of_model = by_kind[std::string(model_name(model))];
    for (const auto& [operation, n] : by_operation) of_model[std::string(to_string(operation))] = n;
  }
  out = {{"queued", s.queued},
         {"byKind", by_kind},
         {"oldestQueuedAgeMs", s.oldest_queued_age ? nlohmann::json(s.oldest_queued_age->count()) : nullptr},
         {"nextRetryAt", wire_or_null(s.next_retry_at)},
         {"deadLetters", s.dead_letters},
         {"quarantined", s.quarantined},
         {"conflicts", s.conflicts},
         {"refresh",
          {{"watched", s.refresh.watched},
           {"due", s.refresh.due},
           {"nextCheckAt", wire_or_null(s.refresh.next_check_at)}}},
         {"lastReachedApiAt", wire_or_null(s.last_reached_api_at)},
         {"lastDoneAt", wire_or_null(s.last_done_at)},
         {"lastRuns", s.last_runs}};
}

void to_json(nlohmann::json& out, const ScheduledCheck& check) {
  out = {{"model", model_name(check.model)},
         {"id", check.id},
         {"status", check.status},
         {"checkedAt", wire_or_null(check.checked_at)},
         {"nextCheckAt", wire_or_null(check.next_check_at)}};
}

}  // namespace scoringjobs
