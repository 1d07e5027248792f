#include "store/dead_letters.hpp"

#include "store/columns.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail {
namespace {

DeadLetter letter_of(SQLite::Statement& s) {
  DeadLetter letter;
  letter.id = s.getColumn(0).getInt64();
  letter.model = model_from_name(s.getColumn(1).getString()).value_or(Model::ScoringJob);
  letter.record_id = s.getColumn(2).getString();
  letter.operation = s.getColumn(3).getString();
  letter.fields = nlohmann::json::parse(s.getColumn(4).getString(), nullptr, false);
  letter.error_class = s.getColumn(5).getString();
  letter.error_message = s.getColumn(6).getString();
  letter.dead_at = timestamp(s.getColumn(7));
  letter.attempts = s.getColumn(8).getInt();
  return letter;
}

}  // namespace

std::vector<DeadLetter> read_dead_letters(StoreImpl& store) {
  auto s = store.statements.get(
      "SELECT id, model, recordId, operation, fields, errorClass, errorMessage, deadAt, attempts FROM dead_letter "
      "ORDER BY id");
  std::vector<DeadLetter> letters;
  while (s->executeStep()) letters.push_back(letter_of(*s));
  return letters;
}

std::optional<DeadLetter> find_dead_letter(StoreImpl& store, std::int64_t id) {
  auto s = store.statements.get(
      "SELECT id, model, recordId, operation, fields, errorClass, errorMessage, deadAt, attempts FROM dead_letter "
      "WHERE id = ?1");
  s->bind(1, static_cast<std::int64_t>(id));
  if (!s->executeStep()) return std::nullopt;
  return letter_of(*s);
}

std::int64_t count_dead_letter_rows(StoreImpl& store) {
  auto s = store.statements.get("SELECT count(*) FROM dead_letter");
  s->executeStep();
  return s->getColumn(0).getInt64();
}

bool requeue_dead_letter(WriteTransaction& tx, std::int64_t id) {
  auto s = tx.statement(
      "INSERT INTO outbox (seq, model, recordId, operation, fields, enqueuedAt) SELECT "
      "coalesce(json_extract(seqs, '$[0]'), 0), model, recordId, operation, fields, enqueuedAt FROM dead_letter "
      "WHERE id = ?1");
  s->bind(1, static_cast<std::int64_t>(id));
  s->exec();
  if (tx.db().getChanges() == 0) return false;
  return delete_dead_letter(tx, id);
}

bool delete_dead_letter(WriteTransaction& tx, std::int64_t id) {
  auto s = tx.statement("DELETE FROM dead_letter WHERE id = ?1");
  s->bind(1, static_cast<std::int64_t>(id));
  s->exec();
  return tx.db().getChanges() > 0;
}

}  // namespace scoringjobs::detail
