#include "store/quarantine.hpp"

#include <iomanip>
#include <sstream>

#include "store/columns.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail {
namespace {

// A record whose id could not be read is told apart by what the API returned
// (FNV-1a: the same key from every build, so a row is found again after an upgrade).
std::string record_key(std::string_view record_id, std::string_view excerpt) {
  if (!record_id.empty()) return std::string(record_id);
  std::uint64_t hash = 14695981039346656037ULL;
  for (const unsigned char byte : excerpt) hash = (hash ^ byte) * 1099511628211ULL;
  std::ostringstream key;
  key << "unknown:" << std::hex << std::setw(16) << std::setfill('0') << hash;
  return key.str();
}

}  // namespace

bool quarantine(WriteTransaction& tx, Model model, std::string_view record_id, std::string_view reason,
                std::string_view excerpt) {
  const auto now = Timestamp::now().wire();
  auto s = tx.statement(
      "INSERT INTO quarantine (model, recordKey, recordId, reason, excerpt, firstSeenAt, lastSeenAt) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT (model, recordKey) DO UPDATE SET reason = excluded.reason, "
      "excerpt = excluded.excerpt, lastSeenAt = excluded.lastSeenAt, timesSeen = timesSeen + 1 "
      "RETURNING timesSeen");
  s->bind(1, std::string(model_name(model)));
  s->bind(2, record_key(record_id, excerpt));
  if (record_id.empty()) {
    s->bind(3);
  } else {
    s->bind(3, std::string(record_id));
  }
  s->bind(4, std::string(reason));
  s->bind(5, std::string(excerpt));
  s->bind(6, now);
  s->executeStep();
  return s->getColumn(0).getInt64() == 1;
}

bool release_quarantine(WriteTransaction& tx, Model model, std::string_view record_id) {
  auto s = tx.statement("DELETE FROM quarantine WHERE model = ?1 AND recordKey = ?2");
  s->bind(1, std::string(model_name(model)));
  s->bind(2, std::string(record_id));
  s->exec();
  return tx.db().getChanges() > 0;
}

bool dismiss_quarantine(WriteTransaction& tx, std::int64_t id) {
  auto s = tx.statement("DELETE FROM quarantine WHERE id = ?1");
  s->bind(1, static_cast<std::int64_t>(id));
  s->exec();
  return tx.db().getChanges() > 0;
}

bool is_quarantined(StoreImpl& store, Model model, std::string_view record_id) {
  auto s = store.statements.get("SELECT 1 FROM quarantine WHERE model = ?1 AND recordKey = ?2");
  s->bind(1, std::string(model_name(model)));
  s->bind(2, std::string(record_id));
  return s->executeStep();
}

std::vector<QuarantineRow> quarantine_rows(StoreImpl& store) {
  auto s = store.statements.get(
      "SELECT id, model, recordId, reason, excerpt, firstSeenAt, lastSeenAt, timesSeen FROM quarantine ORDER BY id");
  std::vector<QuarantineRow> rows;
  while (s->executeStep()) {
    QuarantineRow row;
    row.id = s->getColumn(0).getInt64();
    row.model = model_from_name(s->getColumn(1).getString()).value_or(Model::ScoringJob);
    row.record_id = optional_text(s->getColumn(2)).value_or("");
    row.reason = s->getColumn(3).getString();
    row.excerpt = s->getColumn(4).getString();
    row.first_seen_at = timestamp(s->getColumn(5));
    row.last_seen_at = timestamp(s->getColumn(6));
    row.times_seen = s->getColumn(7).getInt64();
    rows.push_back(std::move(row));
  }
  return rows;
}

std::int64_t count_quarantine(StoreImpl& store) {
  auto s = store.statements.get("SELECT count(*) FROM quarantine");
  s->executeStep();
  return s->getColumn(0).getInt64();
}

std::vector<std::pair<Model, std::string>> quarantine_due(StoreImpl& store, const Timestamp& before,
                                                          std::size_t limit) {
  auto s = store.statements.get(
      "SELECT model, recordId FROM quarantine WHERE recordId IS NOT NULL AND lastSeenAt < ?1 "
      "ORDER BY lastSeenAt LIMIT ?2");
  s->bind(1, before.wire());
  s->bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::pair<Model, std::string>> due;
  while (s->executeStep()) {
    if (const auto model = model_from_name(s->getColumn(0).getString())) {
      due.emplace_back(*model, s->getColumn(1).getString());
    }
  }
  return due;
}

}  // namespace scoringjobs::detail
