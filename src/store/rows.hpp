#pragma once
// Reading and writing the rows of the three record tables. Writing a row here
// does NOT queue it for sync: local writes go through local_changes.hpp, which
// writes the row and its outbox entry together; remote state (pull, import)
// goes through upsert() (an import into an empty table through insert()).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/wire_text.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/index_page.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::detail {

struct StoreImpl;
class WriteTransaction;

namespace rows {

/// Inserts a new row; throws (a constraint error) when a row with that id is stored.
void insert(WriteTransaction& tx, const ScoringJob& job);
void insert(WriteTransaction& tx, const BatchJob& batch);
void insert(WriteTransaction& tx, const BatchJobScoringJob& link);

/// Inserts, or replaces every column of the row with that id.
void upsert(WriteTransaction& tx, const ScoringJob& job);
void upsert(WriteTransaction& tx, const BatchJob& batch);
void upsert(WriteTransaction& tx, const BatchJobScoringJob& link);

/// The same with the AWSJSON fields already dumped (AwsJsonText(record)).
void insert(WriteTransaction& tx, const ScoringJob& job, const AwsJsonText& json);
void insert(WriteTransaction& tx, const BatchJob& batch, const AwsJsonText& json);
void upsert(WriteTransaction& tx, const ScoringJob& job, const AwsJsonText& json);
void upsert(WriteTransaction& tx, const BatchJob& batch, const AwsJsonText& json);

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
/// The batchJobId of link_of_scoring_job, read from the index alone.
std::optional<std::string> batch_id_of_scoring_job(StoreImpl& store, std::string_view scoringJobId);
std::vector<ScoringJob> scoring_jobs_of_batch(StoreImpl& store, std::string_view batchJobId);
/// One page of an index (read_index_page); throws Error{InvalidArgument} for an unknown index.
std::vector<ScoringJob> scoring_job_page(StoreImpl& store, const IndexQuery& query);
std::vector<BatchJob> batch_job_page(StoreImpl& store, const IndexQuery& query);
std::vector<BatchJobScoringJob> link_page(StoreImpl& store, const IndexQuery& query);
std::vector<ScoringJob> list_scoring_jobs(StoreImpl& store, const ScoringJobListOptions& options);
int count_links_of_batch(StoreImpl& store, std::string_view batchJobId);
/// OPEN batches for this account, scorecard and model, oldest first.
std::vector<BatchJob> open_batches(StoreImpl& store, std::string_view accountId, std::string_view scorecardId,
                                   std::string_view modelProvider, std::string_view modelName);

/// Deletes a record's row (no outbox entry): for a record a discarded create
/// never sent. Its join rows must be gone first.
void erase(WriteTransaction& tx, Model model, std::string_view id);
/// The ids of the join rows naming a BatchJob or a ScoringJob.
std::vector<std::string> links_naming(StoreImpl& store, Model model, std::string_view id);
/// Clears the local-only batchId of one job, or of every job in a batch.
void clear_batch_id(WriteTransaction& tx, std::string_view scoringJobId);
void clear_batch_ids(WriteTransaction& tx, std::string_view batchJobId);

}  // namespace rows
}  // namespace scoringjobs::detail
