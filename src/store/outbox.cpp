// The outbox: appending entries (for local_changes.cpp) and looking at the queue.

#include "scoringjobs/outbox.hpp"

#include "model/wire.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/store.hpp"
#include "store/columns.hpp"
#include "store/outbox_writer.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs {

std::string_view to_string(Operation op) noexcept { return op == Operation::Create ? "create" : "update"; }

void to_json(nlohmann::json& out, const OutboxEntry& entry) {
  out = {{"seq", entry.seq},
         {"model", model_name(entry.model)},
         {"recordId", entry.record_id},
         {"operation", to_string(entry.operation)},
         {"fields", detail::awsjson_as_values(entry.model, entry.fields)},
         {"enqueuedAt", entry.enqueued_at.wire()},
         {"attempts", entry.attempts},
         {"nextAttemptAt", entry.next_attempt_at ? nlohmann::json(entry.next_attempt_at->wire()) : nullptr},
         {"lastError", entry.last_error ? nlohmann::json(*entry.last_error) : nullptr}};
}

namespace detail {

void enqueue(WriteTransaction& tx, Model model, std::string_view recordId, Operation operation,
             const nlohmann::json& fields) {
  auto s =
      tx.statement("INSERT INTO outbox (model, recordId, operation, fields, enqueuedAt) VALUES (?1, ?2, ?3, ?4, ?5)");
  s->bind(1, std::string(model_name(model)));
  s->bind(2, std::string(recordId));
  s->bind(3, std::string(to_string(operation)));
  s->bind(4, fields.dump());
  s->bind(5, Timestamp::now().wire());
  s->exec();
}

}  // namespace detail

namespace outbox {

std::int64_t pending_count(Store& store) {
  return detail::guard_sqlite("counting the outbox", [&] {
    auto s = detail::impl_of(store).statements.get("SELECT count(*) FROM outbox");
    s->executeStep();
    return s->getColumn(0).getInt64();
  });
}

std::map<Model, std::map<Operation, std::int64_t>> count_by_kind(Store& store) {
  return detail::guard_sqlite("counting the outbox", [&] {
    std::map<Model, std::map<Operation, std::int64_t>> counts;
    for (const auto model : {Model::ScoringJob, Model::BatchJob, Model::BatchJobScoringJob}) {
      counts[model] = {{Operation::Create, 0}, {Operation::Update, 0}};
    }
    auto s = detail::impl_of(store).statements.get(
        "SELECT model, operation, count(*) FROM outbox GROUP BY model, operation");
    while (s->executeStep()) {
      const auto model = model_from_name(s->getColumn(0).getString());
      if (!model) continue;  // the table's CHECK allows no other
      const auto operation = s->getColumn(1).getString() == "create" ? Operation::Create : Operation::Update;
      counts[*model][operation] = s->getColumn(2).getInt64();
    }
    return counts;
  });
}

std::optional<Timestamp> next_retry_time(Store& store) {
  return detail::guard_sqlite("reading the outbox", [&] { return detail::next_retry_time(detail::impl_of(store)); });
}

std::optional<std::chrono::milliseconds> oldest_age(Store& store) {
  return detail::guard_sqlite("reading the outbox", [&]() -> std::optional<std::chrono::milliseconds> {
    auto s = detail::impl_of(store).statements.get("SELECT enqueuedAt FROM outbox ORDER BY seq LIMIT 1");
    if (!s->executeStep()) return std::nullopt;
    const auto enqueued = detail::timestamp(s->getColumn(0));
    return std::chrono::milliseconds(Timestamp::now().unix_millis() - enqueued.unix_millis());
  });
}

std::vector<OutboxEntry> list(Store& store, std::size_t limit, std::int64_t after_seq) {
  return detail::guard_sqlite("reading the outbox", [&] {
    auto s = detail::impl_of(store).statements.get(
        "SELECT seq, model, recordId, operation, fields, enqueuedAt, attempts, nextAttemptAt, lastError "
        "FROM outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    s->bind(1, static_cast<std::int64_t>(after_seq));
    s->bind(2, static_cast<std::int64_t>(limit));
    std::vector<OutboxEntry> entries;
    while (s->executeStep()) {
      OutboxEntry entry;
      entry.seq = s->getColumn(0).getInt64();
      entry.model = model_from_name(s->getColumn(1).getString()).value_or(Model::ScoringJob);
      entry.record_id = s->getColumn(2).getString();
      entry.operation = s->getColumn(3).getString() == "create" ? Operation::Create : Operation::Update;
      entry.fields = nlohmann::json::parse(s->getColumn(4).getString());
      entry.enqueued_at = detail::timestamp(s->getColumn(5));
      entry.attempts = s->getColumn(6).getInt();
      entry.next_attempt_at = detail::optional_timestamp(s->getColumn(7));
      entry.last_error = detail::optional_text(s->getColumn(8));
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

}  // namespace outbox
}  // namespace scoringjobs
