#pragma once
// Reading and writing the rows of the three record tables. Writing a row here
// does NOT queue it for sync: local writes go through local_changes.hpp, which
// writes the row and its outbox entry together; remote state (pull, import)
// goes through upsert_*.

#include <optional>
#include <string_view>
#include <vector>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::detail {

struct StoreImpl;
class WriteTransaction;

namespace rows {

void insert(WriteTransaction& tx, const ScoringJob& job);
void insert(WriteTransaction& tx, const BatchJob& batch);
void insert(WriteTransaction& tx, const BatchJobScoringJob& link);

/// Inserts, or replaces every column of the row with that id.
void upsert(WriteTransaction& tx, const ScoringJob& job);
void upsert(WriteTransaction& tx, const BatchJob& batch);
void upsert(WriteTransaction& tx, const BatchJobScoringJob& link);

/// The local-only batchId of a scoring job (no outbox entry: it is never sent).
void set_batch_id(WriteTransaction& tx, std::string_view scoringJobId, std::string_view batchJobId);

std::optional<ScoringJob> find_scoring_job(StoreImpl& store, std::string_view id);
/// Whether the scoring job exists; if so, `batch_id` receives its local-only batchId.
bool read_batch_id(StoreImpl& store, std::string_view id, std::optional<std::string>& batch_id);
/// Whether the table holds any row at all.
bool any_scoring_job(StoreImpl& store);
bool any_batch_job(StoreImpl& store);
bool any_link(StoreImpl& store);
std::optional<ScoringJob> newest_scoring_job_for_item(StoreImpl& store, std::string_view itemId);
std::optional<BatchJob> find_batch_job(StoreImpl& store, std::string_view id);
std::optional<BatchJobScoringJob> find_link(StoreImpl& store, std::string_view id);
std::optional<BatchJobScoringJob> link_of_scoring_job(StoreImpl& store, std::string_view scoringJobId);
std::vector<ScoringJob> scoring_jobs_of_batch(StoreImpl& store, std::string_view batchJobId);
std::vector<ScoringJob> list_scoring_jobs(StoreImpl& store, const ScoringJobListOptions& options);
int count_links_of_batch(StoreImpl& store, std::string_view batchJobId);
/// OPEN batches for this account, scorecard and model, oldest first.
std::vector<BatchJob> open_batches(StoreImpl& store, std::string_view accountId, std::string_view scorecardId,
                                   std::string_view modelProvider, std::string_view modelName);

}  // namespace rows
}  // namespace scoringjobs::detail
