// What a sync leaves behind, for people: dead letters, quarantined records,
// conflicts and run history. The decisions are here; src/store runs the SQL.

#include <array>

#include "model/wire.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "store/dead_letters.hpp"
#include "store/quarantine.hpp"
#include "store/record_io.hpp"
#include "store/rows.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs {
namespace {

[[noreturn]] void not_found(const char* what, std::int64_t id) {
  throw Error(Errc::NotFound, std::string("no ") + what + " with id " + std::to_string(id), "id");
}

// A create that never reached the API is discarded: the record goes from the
// local store too, with the join rows naming it (and their queued entries), so
// local and remote agree. What is removed is reported with its last values.
void remove_unsent(detail::WriteTransaction& tx, Model model, const std::string& id, DiscardReport& report) {
  auto& store = tx.store();
  const auto remove = [&](Model of, const std::string& record) {
    if (auto local = detail::read_local(store, of, record)) report.removed_records.push_back(std::move(*local));
    report.removed.push_back(std::string(model_name(of)) + " " + record);
    report.entries_dropped += detail::drop_entries(tx, of, record);
    detail::rows::erase(tx, of, record);
  };
  if (model == Model::BatchJobScoringJob) {
    if (const auto link = detail::rows::find_link(store, id)) {
      std::optional<std::string> batch;
      if (detail::rows::read_batch_id(store, link->scoringJobId, batch) && batch == link->batchJobId) {
        detail::rows::clear_batch_id(tx, link->scoringJobId);
      }
    }
  } else {
    for (const auto& link : detail::rows::links_naming(store, model, id)) remove(Model::BatchJobScoringJob, link);
    if (model == Model::BatchJob) detail::rows::clear_batch_ids(tx, id);
  }
  remove(model, id);
  // The discarded create's own entries left the outbox when it was dead-lettered.
}

// An update is discarded: the local record goes back to what the API last
// confirmed, with the record's later queued changes on top (they still go out).
bool revert_to_confirmed(detail::WriteTransaction& tx, Model model, const std::string& id) {
  const auto state = detail::find_remote_state(tx.store(), model, id);
  if (!state || !state->fields.is_object() || state->deleted_remotely) return false;
  nlohmann::json record = state->fields;
  for (const auto& entry : detail::pending_entries(tx.store(), model, id)) {
    for (const auto& [field, value] : entry.fields.items()) record[field] = value;
  }
  detail::write_local(tx, model, record);
  return true;
}

// The counts of a SyncReport's JSON that a run's summary carries.
constexpr std::array kRunCounts{"queuedAtStart", "pushed",       "coalesced", "conflicts",
                                "retried",       "deadLettered", "pulled",    "deletedRemotely",
                                "requests",      "stillQueued",  "held",      "durationMs"};

}  // namespace

void to_json(nlohmann::json& out, const DeadLetter& d) {
  out = {{"id", d.id},
         {"model", model_name(d.model)},
         {"recordId", d.record_id},
         {"operation", d.operation},
         {"fields", detail::awsjson_as_values(d.model, d.fields)},
         {"errorClass", d.error_class},
         {"errorMessage", d.error_message},
         {"deadAt", d.dead_at.wire()},
         {"attempts", d.attempts}};
}

void to_json(nlohmann::json& out, const ConflictDecision& c) {
  out = {{"id", c.id},
         {"model", model_name(c.model)},
         {"recordId", c.record_id},
         {"field", c.field},
         {"base", c.base},
         {"local", c.local},
         {"remote", c.remote},
         {"result", c.result},
         {"chosen", c.chosen},
         {"rule", c.rule},
         {"decidedAt", c.decided_at.wire()}};
}

void to_json(nlohmann::json& out, const SyncRun& run) {
  const bool finished = run.report.is_object();
  const auto from_report = [&](const char* key) {
    return finished ? run.report.value(key, nlohmann::json()) : nullptr;
  };
  out = {{"id", run.id},
         {"startedAt", run.started_at.wire()},
         {"exitCode", run.exit_code ? nlohmann::json(*run.exit_code) : nlohmann::json(nullptr)},
         // A run without a report is still going, or was killed before it finished.
         {"outcome", finished ? from_report("outcome") : nlohmann::json("unfinished")},
         {"error", from_report("error")}};
  for (const auto* key : kRunCounts) out[key] = from_report(key);
}

std::vector<DeadLetter> list_dead_letters(Store& store) {
  return detail::guard_sqlite("listing dead letters",
                              [&] { return detail::read_dead_letters(detail::impl_of(store)); });
}

void retry_dead_letter(Store& store, std::int64_t id) {
  detail::guard_sqlite("retrying a dead letter", [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    if (!detail::requeue_dead_letter(tx, id)) not_found("dead letter", id);
    tx.commit();
  });
}

DiscardReport discard_dead_letter(Store& store, std::int64_t id) {
  return detail::guard_sqlite("discarding a dead letter", [&] {
    auto& impl = detail::impl_of(store);
    detail::WriteTransaction tx(impl);
    auto letter = detail::find_dead_letter(impl, id);
    if (!letter) not_found("dead letter", id);
    detail::delete_dead_letter(tx, id);
    DiscardReport report;
    report.letter = *letter;
    if (letter->operation == to_string(Operation::Create)) {
      remove_unsent(tx, letter->model, letter->record_id, report);
    } else {
      report.reverted = revert_to_confirmed(tx, letter->model, letter->record_id);
    }
    tx.commit();
    return report;
  });
}

void to_json(nlohmann::json& out, const DiscardReport& r) {
  out = {{"letter", r.letter},
         {"reverted", r.reverted},
         {"removed", r.removed},
         {"removedRecords", r.removed_records},
         {"entriesDropped", r.entries_dropped}};
}

std::int64_t count_dead_letters(Store& store) {
  return detail::guard_sqlite("counting dead letters",
                              [&] { return detail::count_dead_letter_rows(detail::impl_of(store)); });
}

std::int64_t count_conflicts(Store& store) {
  return detail::guard_sqlite("counting conflicts",
                              [&] { return detail::count_conflict_rows(detail::impl_of(store)); });
}

std::vector<ConflictDecision> list_conflicts(Store& store, std::size_t limit) {
  return detail::guard_sqlite("listing conflicts",
                              [&] { return detail::read_conflicts(detail::impl_of(store), limit); });
}

std::vector<SyncRun> list_sync_runs(Store& store, std::size_t limit) {
  return detail::guard_sqlite("listing sync runs",
                              [&] { return detail::read_sync_runs(detail::impl_of(store), limit); });
}

void to_json(nlohmann::json& out, const QuarantinedRecord& q) {
  out = {{"id", q.id},
         {"model", model_name(q.model)},
         {"recordId", q.record_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(q.record_id)},
         {"reason", q.reason},
         {"excerpt", q.excerpt},
         {"firstSeenAt", q.first_seen_at.wire()},
         {"lastSeenAt", q.last_seen_at.wire()},
         {"timesSeen", q.times_seen}};
}

std::vector<QuarantinedRecord> list_quarantined(Store& store) {
  return detail::guard_sqlite("listing quarantined records", [&] {
    std::vector<QuarantinedRecord> records;
    for (auto& row : detail::quarantine_rows(detail::impl_of(store))) {
      records.push_back({row.id, row.model, std::move(row.record_id), std::move(row.reason), std::move(row.excerpt),
                         row.first_seen_at, row.last_seen_at, row.times_seen});
    }
    return records;
  });
}

std::int64_t count_quarantined(Store& store) {
  return detail::guard_sqlite("counting quarantined records",
                              [&] { return detail::count_quarantine(detail::impl_of(store)); });
}

void dismiss_quarantined(Store& store, std::int64_t id) {
  detail::guard_sqlite("dismissing a quarantined record", [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    if (!detail::dismiss_quarantine(tx, id)) not_found("quarantined record", id);
    tx.commit();
  });
}

}  // namespace scoringjobs
