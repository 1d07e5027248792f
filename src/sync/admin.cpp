// What a sync leaves behind, for people: dead letters, conflicts and run history.

#include <array>

#include "model/wire.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "store/columns.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs {
namespace {

nlohmann::json parse_or_null(const SQLite::Column& column) {
  if (column.isNull()) return nullptr;
  return nlohmann::json::parse(column.getString(), nullptr, false);
}

std::int64_t count_rows(Store& store, const char* what, const char* sql) {
  return detail::guard_sqlite(what, [&] {
    auto s = detail::impl_of(store).statements.get(sql);
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
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
  return detail::guard_sqlite("listing dead letters", [&] {
    auto s = detail::impl_of(store).statements.get(
        "SELECT id, model, recordId, operation, fields, errorClass, errorMessage, deadAt, attempts FROM dead_letter "
        "ORDER BY id");
    std::vector<DeadLetter> letters;
    while (s->executeStep()) {
      DeadLetter letter;
      letter.id = s->getColumn(0).getInt64();
      letter.model = model_from_name(s->getColumn(1).getString()).value_or(Model::ScoringJob);
      letter.record_id = s->getColumn(2).getString();
      letter.operation = s->getColumn(3).getString();
      letter.fields = parse_or_null(s->getColumn(4));
      letter.error_class = s->getColumn(5).getString();
      letter.error_message = s->getColumn(6).getString();
      letter.dead_at = detail::timestamp(s->getColumn(7));
      letter.attempts = s->getColumn(8).getInt();
      letters.push_back(std::move(letter));
    }
    return letters;
  });
}

void retry_dead_letter(Store& store, std::int64_t id) {
  detail::guard_sqlite("retrying a dead letter", [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    auto s = tx.statement("SELECT model, recordId, operation, fields, seqs, enqueuedAt FROM dead_letter WHERE id = ?1");
    s->bind(1, static_cast<std::int64_t>(id));
    if (!s->executeStep()) {
      throw Error(Errc::NotFound, "no dead letter with id " + std::to_string(id), "id");
    }
    const auto seqs = nlohmann::json::parse(s->getColumn(4).getString());
    // Back at its old place in the queue: the first seq it stood for.
    auto put_back = tx.statement(
        "INSERT INTO outbox (seq, model, recordId, operation, fields, enqueuedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    put_back->bind(1, seqs.empty() ? static_cast<std::int64_t>(0) : seqs.front().get<std::int64_t>());
    put_back->bind(2, s->getColumn(0).getString());
    put_back->bind(3, s->getColumn(1).getString());
    put_back->bind(4, s->getColumn(2).getString());
    put_back->bind(5, s->getColumn(3).getString());
    put_back->bind(6, s->getColumn(5).getString());
    put_back->exec();
    auto remove = tx.statement("DELETE FROM dead_letter WHERE id = ?1");
    remove->bind(1, static_cast<std::int64_t>(id));
    remove->exec();
    tx.commit();
  });
}

void discard_dead_letter(Store& store, std::int64_t id) {
  detail::guard_sqlite("discarding a dead letter", [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    auto remove = tx.statement("DELETE FROM dead_letter WHERE id = ?1");
    remove->bind(1, static_cast<std::int64_t>(id));
    remove->exec();
    if (detail::impl_of(store).db.getChanges() == 0) {
      throw Error(Errc::NotFound, "no dead letter with id " + std::to_string(id), "id");
    }
    tx.commit();
  });
}

std::int64_t count_dead_letters(Store& store) {
  return count_rows(store, "counting dead letters", "SELECT count(*) FROM dead_letter");
}

std::int64_t count_conflicts(Store& store) {
  return count_rows(store, "counting conflicts", "SELECT count(*) FROM conflict");
}

std::vector<ConflictDecision> list_conflicts(Store& store, std::size_t limit) {
  return detail::guard_sqlite("listing conflicts", [&] {
    auto s = detail::impl_of(store).statements.get(
        "SELECT id, model, recordId, field, baseValue, localValue, remoteValue, resultValue, chosen, rule, decidedAt "
        "FROM conflict ORDER BY id DESC LIMIT ?1");
    s->bind(1, static_cast<std::int64_t>(limit));
    std::vector<ConflictDecision> decisions;
    while (s->executeStep()) {
      ConflictDecision d;
      d.id = s->getColumn(0).getInt64();
      d.model = model_from_name(s->getColumn(1).getString()).value_or(Model::ScoringJob);
      d.record_id = s->getColumn(2).getString();
      d.field = s->getColumn(3).getString();
      d.base = parse_or_null(s->getColumn(4));
      d.local = parse_or_null(s->getColumn(5));
      d.remote = parse_or_null(s->getColumn(6));
      d.result = parse_or_null(s->getColumn(7));
      d.chosen = s->getColumn(8).getString();
      d.rule = s->getColumn(9).getString();
      d.decided_at = detail::timestamp(s->getColumn(10));
      decisions.push_back(std::move(d));
    }
    return decisions;
  });
}

std::vector<SyncRun> list_sync_runs(Store& store, std::size_t limit) {
  return detail::guard_sqlite("listing sync runs", [&] {
    auto s = detail::impl_of(store).statements.get(
        "SELECT id, startedAt, exitCode, report FROM sync_run ORDER BY id DESC LIMIT ?1");
    s->bind(1, static_cast<std::int64_t>(limit));
    std::vector<SyncRun> runs;
    while (s->executeStep()) {
      SyncRun run;
      run.id = s->getColumn(0).getInt64();
      run.started_at = detail::timestamp(s->getColumn(1));
      run.exit_code = detail::optional_int(s->getColumn(2));
      run.report = parse_or_null(s->getColumn(3));
      runs.push_back(std::move(run));
    }
    return runs;
  });
}

}  // namespace scoringjobs
