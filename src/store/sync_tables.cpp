#include "store/sync_tables.hpp"

#include "model/statuses.hpp"
#include "store/columns.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail {
namespace {

std::string name_of(Model model) { return std::string(model_name(model)); }

std::string text_or_null_json(const nlohmann::json& value) { return value.dump(); }

nlohmann::json json_or_null(const SQLite::Column& column) {
  if (column.isNull()) return nullptr;
  return nlohmann::json::parse(column.getString(), nullptr, false);
}

// A stored time, or nullopt when it is NULL or does not read as one (a row
// written by hand): bookkeeping times are advice, never a reason to fail.
std::optional<Timestamp> readable_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return Timestamp::try_parse(column.getString());
}

}  // namespace

std::optional<RemoteState> find_remote_state(StoreImpl& store, Model model, std::string_view id) {
  auto s = store.statements.get(
      "SELECT fields, updatedAt, deletedRemotely, absentSince, changedAt FROM remote_state "
      "WHERE model = ?1 AND recordId = ?2");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  if (!s->executeStep()) return std::nullopt;
  return RemoteState{nlohmann::json::parse(s->getColumn(0).getString()), s->getColumn(1).getString(),
                     s->getColumn(2).getInt() != 0, readable_time(s->getColumn(3)), readable_time(s->getColumn(4))};
}

void put_remote_state(WriteTransaction& tx, Model model, const nlohmann::json& remote_wire) {
  const auto status = remote_wire.find("status");
  const bool finished =
      model == Model::BatchJobScoringJob || (status != remote_wire.end() && status->is_string() &&
                                             is_terminal_status(model, status->get_ref<const std::string&>()));
  put_remote_state(tx, model, remote_wire.at("id").get_ref<const std::string&>(),
                   remote_wire.value("updatedAt", std::string()), finished, remote_wire.dump());
}

void put_remote_state(WriteTransaction& tx, Model model, const std::string& id, const std::string& updated_at,
                      bool finished, const std::string& fields_text) {
  // Bound without a copy below: these outlive the statement's use.
  const auto model_text = name_of(model);
  const auto now = Timestamp::now();
  // A record that has not changed for a day is read back less often than one
  // that changed a minute ago (next_check); a writer's clock ahead counts as now.
  const auto updated = Timestamp::try_parse(updated_at);
  const auto changed_at = updated && updated->unix_millis() < now.unix_millis() ? updated->format() : now.wire();
  // Read back until its status is final; join rows have none and never change.
  auto s = tx.statement(
      "INSERT INTO remote_state (model, recordId, fields, updatedAt, confirmedAt, deletedRemotely, changedAt, "
      "nextCheckAt, absentSince) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?7, CASE WHEN ?6 THEN NULL ELSE ?5 END, NULL) "
      "ON CONFLICT (model, recordId) DO UPDATE SET fields = excluded.fields, updatedAt = excluded.updatedAt, "
      "confirmedAt = excluded.confirmedAt, deletedRemotely = 0, absentSince = NULL, "
      "changedAt = CASE WHEN remote_state.fields = excluded.fields THEN remote_state.changedAt "
      "ELSE excluded.changedAt END, "
      "nextCheckAt = CASE WHEN ?6 THEN NULL ELSE coalesce(remote_state.nextCheckAt, excluded.confirmedAt) END");
  s->bindNoCopy(1, model_text);
  s->bindNoCopy(2, id);
  s->bindNoCopy(3, fields_text);
  s->bindNoCopy(4, updated_at);
  s->bindNoCopy(5, now.wire());
  s->bind(6, finished ? 1 : 0);
  s->bindNoCopy(7, changed_at);
  s->exec();
}

Timestamp note_absent(WriteTransaction& tx, Model model, std::string_view id, const Timestamp& now) {
  auto s = tx.statement(
      "INSERT INTO remote_state (model, recordId, fields, updatedAt, confirmedAt, absentSince) "
      "VALUES (?1, ?2, 'null', '', ?3, ?3) ON CONFLICT (model, recordId) DO UPDATE SET "
      "absentSince = coalesce(remote_state.absentSince, excluded.absentSince) RETURNING absentSince");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  s->bind(3, now.wire());
  s->executeStep();
  auto since = readable_time(s->getColumn(0)).value_or(now);
  s->reset();
  return since;
}

void flag_deleted_remotely(WriteTransaction& tx, Model model, std::string_view id) {
  auto s = tx.statement(
      "INSERT INTO remote_state (model, recordId, fields, updatedAt, confirmedAt, deletedRemotely) "
      "VALUES (?1, ?2, 'null', '', ?3, 1) ON CONFLICT (model, recordId) DO UPDATE SET deletedRemotely = 1");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  s->bind(3, Timestamp::now().wire());
  s->exec();
}

void schedule_check(WriteTransaction& tx, Model model, std::string_view id, const Timestamp& now,
                    const std::optional<Timestamp>& next) {
  auto s = tx.statement(
      "UPDATE remote_state SET checkedAt = ?3, nextCheckAt = CASE WHEN nextCheckAt IS NULL THEN NULL ELSE ?4 END "
      "WHERE model = ?1 AND recordId = ?2");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  s->bind(3, now.wire());
  bind(*s, 4, next);
  s->exec();
}

bool has_pending_create(StoreImpl& store, Model model, std::string_view id) {
  auto s =
      store.statements.get("SELECT 1 FROM outbox WHERE model = ?1 AND recordId = ?2 AND operation = 'create' LIMIT 1");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  return s->executeStep();
}

bool has_pending_entries(StoreImpl& store, Model model, std::string_view id) {
  auto s = store.statements.get("SELECT 1 FROM outbox WHERE model = ?1 AND recordId = ?2 LIMIT 1");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  return s->executeStep();
}

bool has_dead_letter(StoreImpl& store, Model model, std::string_view id) {
  auto s = store.statements.get("SELECT 1 FROM dead_letter WHERE model = ?1 AND recordId = ?2 LIMIT 1");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  return s->executeStep();
}

bool any_pending_entry(StoreImpl& store) {
  auto s = store.statements.get("SELECT EXISTS (SELECT 1 FROM outbox)");
  s->executeStep();
  return s->getColumn(0).getInt() != 0;
}

bool any_dead_letter(StoreImpl& store) {
  auto s = store.statements.get("SELECT EXISTS (SELECT 1 FROM dead_letter)");
  s->executeStep();
  return s->getColumn(0).getInt() != 0;
}

std::vector<OutboxEntry> pending_entries(StoreImpl& store, Model model, std::string_view id) {
  auto s =
      store.statements.get("SELECT seq, operation, fields FROM outbox WHERE model = ?1 AND recordId = ?2 ORDER BY seq");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  std::vector<OutboxEntry> entries;
  while (s->executeStep()) {
    OutboxEntry entry;
    entry.seq = s->getColumn(0).getInt64();
    entry.model = model;
    entry.record_id = std::string(id);
    entry.operation = s->getColumn(1).getString() == "create" ? Operation::Create : Operation::Update;
    entry.fields = nlohmann::json::parse(s->getColumn(2).getString());
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<std::int64_t> pending_seqs(StoreImpl& store, Model model, std::string_view id) {
  auto s = store.statements.get("SELECT seq FROM outbox WHERE model = ?1 AND recordId = ?2 ORDER BY seq");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  std::vector<std::int64_t> seqs;
  while (s->executeStep()) seqs.push_back(s->getColumn(0).getInt64());
  return seqs;
}

void delete_entries(WriteTransaction& tx, std::span<const std::int64_t> seqs) {
  auto s = tx.statement("DELETE FROM outbox WHERE seq = ?1");
  for (const auto seq : seqs) {
    s->bind(1, static_cast<std::int64_t>(seq));
    s->exec();
    s->reset();
  }
}

void defer_entries(WriteTransaction& tx, std::span<const std::int64_t> seqs, const Timestamp& next_attempt,
                   std::string_view error) {
  auto s = tx.statement("UPDATE outbox SET attempts = attempts + 1, nextAttemptAt = ?2, lastError = ?3 WHERE seq = ?1");
  for (const auto seq : seqs) {
    s->bind(1, static_cast<std::int64_t>(seq));
    s->bind(2, next_attempt.wire());
    s->bind(3, std::string(error));
    s->exec();
    s->reset();
  }
}

void rewrite_pending_as_update(WriteTransaction& tx, Model model, std::string_view id, const nlohmann::json& fields) {
  const auto seqs = pending_seqs(tx.store(), model, id);
  if (seqs.empty()) {
    auto insert = tx.statement(
        "INSERT INTO outbox (model, recordId, operation, fields, enqueuedAt) VALUES (?1, ?2, 'update', ?3, ?4)");
    insert->bind(1, name_of(model));
    insert->bind(2, std::string(id));
    insert->bind(3, fields.dump());
    insert->bind(4, Timestamp::now().wire());
    insert->exec();
    return;
  }
  auto rewrite = tx.statement(
      "UPDATE outbox SET operation = 'update', fields = ?2, attempts = 0, nextAttemptAt = NULL, lastError = NULL "
      "WHERE seq = ?1");
  rewrite->bind(1, static_cast<std::int64_t>(seqs.front()));
  rewrite->bind(2, fields.dump());
  rewrite->exec();
  delete_entries(tx, std::span(seqs).subspan(1));
}

void dead_letter(WriteTransaction& tx, const DeadLetterInput& letter) {
  std::string enqueued = Timestamp::now().wire();
  int attempts = 0;
  if (!letter.seqs.empty()) {
    auto first = tx.statement("SELECT enqueuedAt, attempts FROM outbox WHERE seq = ?1");
    first->bind(1, static_cast<std::int64_t>(letter.seqs.front()));
    if (first->executeStep()) {
      enqueued = first->getColumn(0).getString();
      attempts = first->getColumn(1).getInt();
    }
  }
  auto s = tx.statement(
      "INSERT INTO dead_letter (model, recordId, operation, fields, seqs, enqueuedAt, attempts, errorClass, "
      "errorMessage, deadAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  s->bind(1, name_of(letter.model));
  s->bind(2, letter.record_id);
  s->bind(3, std::string(to_string(letter.operation)));
  s->bind(4, letter.fields.dump());
  s->bind(5, nlohmann::json(letter.seqs).dump());
  s->bind(6, enqueued);
  s->bind(7, attempts + 1);
  s->bind(8, letter.error_class);
  s->bind(9, letter.errorMessage);
  s->bind(10, Timestamp::now().wire());
  s->exec();
  delete_entries(tx, letter.seqs);
}

void record_conflict(WriteTransaction& tx, const ConflictRecord& c) {
  auto s = tx.statement(
      "INSERT INTO conflict (model, recordId, field, baseValue, localValue, remoteValue, resultValue, chosen, rule, "
      "decidedAt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  s->bind(1, name_of(c.model));
  s->bind(2, c.record_id);
  s->bind(3, c.field);
  s->bind(4, text_or_null_json(c.base));
  s->bind(5, text_or_null_json(c.local));
  s->bind(6, text_or_null_json(c.remote));
  s->bind(7, text_or_null_json(c.result));
  s->bind(8, c.chosen);
  s->bind(9, c.rule);
  s->bind(10, Timestamp::now().wire());
  s->exec();
}

void clamp_next_attempts(StoreImpl& store, const Timestamp& latest) {
  // nextAttemptAt is canonical UTC text (Timestamp::format), so text order is time order.
  {
    auto any = store.statements.get("SELECT EXISTS (SELECT 1 FROM outbox WHERE nextAttemptAt > ?1)");
    any->bind(1, latest.wire());
    any->executeStep();
    if (any->getColumn(0).getInt() == 0) return;
  }
  WriteTransaction tx(store);
  auto s = tx.statement("UPDATE outbox SET nextAttemptAt = ?1 WHERE nextAttemptAt > ?1");
  s->bind(1, latest.wire());
  s->exec();
  tx.commit();
}

std::vector<ConflictDecision> read_conflicts(StoreImpl& store, std::size_t limit) {
  auto s = store.statements.get(
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
    d.base = json_or_null(s->getColumn(4));
    d.local = json_or_null(s->getColumn(5));
    d.remote = json_or_null(s->getColumn(6));
    d.result = json_or_null(s->getColumn(7));
    d.chosen = s->getColumn(8).getString();
    d.rule = s->getColumn(9).getString();
    d.decided_at = timestamp(s->getColumn(10));
    decisions.push_back(std::move(d));
  }
  return decisions;
}

std::int64_t count_conflict_rows(StoreImpl& store) {
  auto s = store.statements.get("SELECT count(*) FROM conflict");
  s->executeStep();
  return s->getColumn(0).getInt64();
}

std::vector<SyncRun> read_sync_runs(StoreImpl& store, std::size_t limit) {
  auto s = store.statements.get("SELECT id, startedAt, exitCode, report FROM sync_run ORDER BY id DESC LIMIT ?1");
  s->bind(1, static_cast<std::int64_t>(limit));
  std::vector<SyncRun> runs;
  while (s->executeStep()) {
    SyncRun run;
    run.id = s->getColumn(0).getInt64();
    run.started_at = timestamp(s->getColumn(1));
    run.exit_code = optional_int(s->getColumn(2));
    run.report = json_or_null(s->getColumn(3));
    runs.push_back(std::move(run));
  }
  return runs;
}

std::int64_t drop_entries(WriteTransaction& tx, Model model, std::string_view id) {
  auto s = tx.statement("DELETE FROM outbox WHERE model = ?1 AND recordId = ?2");
  s->bind(1, name_of(model));
  s->bind(2, std::string(id));
  s->exec();
  return tx.db().getChanges();
}

std::int64_t count_waiting_entries(StoreImpl& store, const Timestamp& now) {
  // nextAttemptAt is canonical UTC text (Timestamp::format), so text order is time order.
  auto s = store.statements.get("SELECT count(*) FROM outbox WHERE nextAttemptAt > ?1");
  s->bind(1, now.wire());
  s->executeStep();
  return s->getColumn(0).getInt64();
}

std::optional<Timestamp> next_retry_time(StoreImpl& store) {
  auto s = store.statements.get("SELECT min(nextAttemptAt) FROM outbox WHERE nextAttemptAt IS NOT NULL");
  s->executeStep();
  return optional_timestamp(s->getColumn(0));
}

std::int64_t count_held_entries(StoreImpl& store) {
  auto s = store.statements.get(
      "SELECT count(*) FROM outbox o WHERE EXISTS (SELECT 1 FROM dead_letter d WHERE d.model = o.model AND "
      "d.recordId = o.recordId) OR (o.model = 'BatchJobScoringJob' AND EXISTS (SELECT 1 FROM dead_letter d "
      "WHERE (d.model = 'BatchJob' AND d.recordId = json_extract(o.fields, '$.batchJobId')) OR "
      "(d.model = 'ScoringJob' AND d.recordId = json_extract(o.fields, '$.scoringJobId'))))");
  s->executeStep();
  return s->getColumn(0).getInt64();
}

int entry_attempts(StoreImpl& store, std::int64_t seq) {
  auto s = store.statements.get("SELECT attempts FROM outbox WHERE seq = ?1");
  s->bind(1, static_cast<std::int64_t>(seq));
  return s->executeStep() ? s->getColumn(0).getInt() : 0;
}

std::int64_t begin_run(StoreImpl& store, const Timestamp& started) {
  WriteTransaction tx(store);
  auto s = tx.statement("INSERT INTO sync_run (startedAt) VALUES (?1)");
  s->bind(1, started.wire());
  s->exec();
  const auto id = store.db.getLastInsertRowid();
  tx.commit();
  return id;
}

void finish_run(StoreImpl& store, std::int64_t run_id, int exit_code, const nlohmann::json& report) {
  WriteTransaction tx(store);
  auto s = tx.statement("UPDATE sync_run SET finishedAt = ?2, exitCode = ?3, report = ?4 WHERE id = ?1");
  s->bind(1, static_cast<std::int64_t>(run_id));
  s->bind(2, Timestamp::now().wire());
  s->bind(3, exit_code);
  s->bind(4, report.dump());
  s->exec();
  tx.commit();
}

PullCheckpoint read_checkpoint(StoreImpl& store, std::string_view accountId) {
  auto s = store.statements.get("SELECT createdFrom, nextToken, maxSeen FROM pull_checkpoint WHERE accountId = ?1");
  s->bind(1, std::string(accountId));
  if (!s->executeStep()) return {};
  return PullCheckpoint{readable_time(s->getColumn(0)), optional_text(s->getColumn(1)), readable_time(s->getColumn(2))};
}

void write_checkpoint(WriteTransaction& tx, std::string_view accountId, const PullCheckpoint& checkpoint) {
  auto s = tx.statement(
      "INSERT INTO pull_checkpoint (accountId, createdFrom, nextToken, maxSeen, updatedAt) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (accountId) DO UPDATE SET createdFrom = excluded.createdFrom, "
      "nextToken = excluded.nextToken, maxSeen = excluded.maxSeen, updatedAt = excluded.updatedAt");
  s->bind(1, std::string(accountId));
  bind(*s, 2, checkpoint.created_from);
  bind(*s, 3, checkpoint.nextToken);
  bind(*s, 4, checkpoint.max_seen);
  s->bind(5, Timestamp::now().wire());
  s->exec();
}

}  // namespace scoringjobs::detail
