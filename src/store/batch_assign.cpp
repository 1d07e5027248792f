// batch_scoring_job: find or create a job for an item and put it in an open batch.

#include "model/wire.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/limits.hpp"
#include "scoringjobs/store.hpp"
#include "store/link_api.hpp"
#include "store/local_changes.hpp"
#include "store/record_api.hpp"
#include "store/rows.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs {
namespace {

void check_request(const BatchScoringJobRequest& r) {
  detail::check_id("accountId", r.accountId);
  detail::check_id("scorecardId", r.scorecardId);
  detail::check_id("itemId", r.itemId);
  detail::check_id("modelProvider", r.modelProvider);
  detail::check_id("modelName", r.modelName);
  // Caller-made JSON is checked before anything copies or dumps it.
  if (r.metadata) detail::check_json_value("metadata", *r.metadata);
  if (!r.parameters.is_null()) detail::check_json_value("parameters", r.parameters);
  if (r.max_batch_size < 1 || r.max_batch_size > limits::kMaxBatchSize) {
    throw_invalid("max_batch_size", std::to_string(r.max_batch_size),
                  "must be between 1 and " + std::to_string(limits::kMaxBatchSize));
  }
}

BatchJob new_open_batch(const BatchScoringJobRequest& r) {
  BatchJob batch;
  batch.id = detail::new_uuid_v4();
  batch.batchId = detail::new_uuid_v4();
  batch.accountId = r.accountId;
  batch.type = "MultiStepScore";
  batch.status = "OPEN";
  batch.modelProvider = r.modelProvider;
  batch.modelName = r.modelName;
  batch.scorecardId = r.scorecardId;
  batch.scoreId = r.scoreId;
  batch.scoringJobCountCache = 0;
  batch.createdAt = batch.updatedAt = Timestamp::now();
  return detail::validated(batch);
}

ScoringJob new_pending_job(const BatchScoringJobRequest& r) {
  ScoringJob job;
  job.id = detail::new_uuid_v4();
  job.accountId = r.accountId;
  job.scorecardId = r.scorecardId;
  job.itemId = r.itemId;
  job.status = "PENDING";
  job.scoreId = r.scoreId;
  job.metadata = r.metadata;
  detail::keep_parameters(job.metadata, r.parameters);
  job.createdAt = job.updatedAt = Timestamp::now();
  return detail::validated(job);
}

}  // namespace

BatchScoringJobResult batch_scoring_job(Store& store, const BatchScoringJobRequest& request) {
  check_request(request);
  auto& impl = detail::impl_of(store);
  return detail::guard_sqlite("assigning a ScoringJob to a batch", [&] {
    detail::WriteTransaction tx(impl);
    if (auto existing = detail::rows::newest_scoring_job_for_item(impl, request.itemId)) {
      BatchScoringJobResult found{*existing, std::nullopt, false};
      if (auto link = detail::rows::link_of_scoring_job(impl, existing->id)) {
        found.batch_job = detail::rows::find_batch_job(impl, link->batchJobId);
      }
      return found;  // nothing written; the transaction rolls back
    }

    std::optional<BatchJob> batch;
    for (auto& open : detail::rows::open_batches(impl, request.accountId, request.scorecardId, request.modelProvider,
                                                 request.modelName)) {
      if (detail::rows::count_links_of_batch(impl, open.id) < request.max_batch_size) {
        batch = std::move(open);
        break;
      }
    }
    if (!batch) {
      batch = new_open_batch(request);
      detail::create_locally(tx, *batch);
    }

    auto job = new_pending_job(request);
    detail::create_locally(tx, job);
    detail::link_in(tx, batch->id, job.id);
    job.batchId = batch->id;

    batch = detail::recount_members(tx, *batch, request.max_batch_size);
    tx.commit();
    return BatchScoringJobResult{std::move(job), std::move(batch), true};
  });
}

}  // namespace scoringjobs
