// Removing records a discarded create never sent (see discard_dead_letter):
// the only deletes of record rows. No outbox entry is written: the API never
// held them.

#include "store/rows.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail::rows {

void erase(WriteTransaction& tx, Model model, std::string_view id) {
  auto s = model == Model::ScoringJob ? tx.statement("DELETE FROM scoring_job WHERE id = ?1")
           : model == Model::BatchJob ? tx.statement("DELETE FROM batch_job WHERE id = ?1")
                                      : tx.statement("DELETE FROM batch_job_scoring_job WHERE id = ?1");
  s->bind(1, std::string(id));
  s->exec();
}

std::vector<std::string> links_naming(StoreImpl& store, Model model, std::string_view id) {
  auto s = model == Model::BatchJob
               ? store.statements.get("SELECT id FROM batch_job_scoring_job WHERE batchJobId = ?1 ORDER BY id")
               : store.statements.get("SELECT id FROM batch_job_scoring_job WHERE scoringJobId = ?1 ORDER BY id");
  s->bind(1, std::string(id));
  std::vector<std::string> ids;
  while (s->executeStep()) ids.push_back(s->getColumn(0).getString());
  return ids;
}

void clear_batch_id(WriteTransaction& tx, std::string_view scoringJobId) {
  auto s = tx.statement("UPDATE scoring_job SET batchId = NULL WHERE id = ?1");
  s->bind(1, std::string(scoringJobId));
  s->exec();
}

void clear_batch_ids(WriteTransaction& tx, std::string_view batchJobId) {
  auto s = tx.statement("UPDATE scoring_job SET batchId = NULL WHERE batchId = ?1");
  s->bind(1, std::string(batchJobId));
  s->exec();
}

}  // namespace scoringjobs::detail::rows
