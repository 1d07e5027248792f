// BatchJob's API served from the local store.

#include "model/wire.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"
#include "store/local_changes.hpp"
#include "store/record_api.hpp"
#include "store/rows.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs {

BatchJob BatchJob::create(Store& store, std::string_view accountId, std::string_view type,
                          std::string_view modelProvider, std::string_view modelName, const nlohmann::json& parameters,
                          const BatchJobCreateOptions& options) {
  if (!parameters.is_null() && !(parameters.is_object() && parameters.empty())) {
    throw_invalid("parameters", detail::json_for_message(parameters), "a BatchJob has no field to keep parameters in");
  }
  // Caller-made JSON is checked before the copy below walks it.
  if (options.errorDetails) detail::check_json_value("errorDetails", *options.errorDetails);
  BatchJob batch;
  batch.id = options.id ? *options.id : detail::new_uuid_v4();
  batch.accountId = accountId;
  batch.status = options.status;
  batch.type = type;
  batch.batchId = options.batchId ? *options.batchId : detail::new_uuid_v4();
  batch.modelProvider = modelProvider;
  batch.modelName = modelName;
  batch.scoringJobCountCache = options.scoringJobCountCache;
  batch.startedAt = options.startedAt;
  batch.estimatedEndAt = options.estimatedEndAt;
  batch.completedAt = options.completedAt;
  batch.totalRequests = options.totalRequests;
  batch.completedRequests = options.completedRequests;
  batch.failedRequests = options.failedRequests;
  batch.errorMessage = options.errorMessage;
  batch.errorDetails = options.errorDetails;
  batch.scorecardId = options.scorecardId;
  batch.scoreId = options.scoreId;
  batch.createdAt = batch.updatedAt = Timestamp::now();
  batch = detail::validated(batch);

  detail::guard_sqlite("creating BatchJob " + batch.id, [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    detail::create_locally(tx, batch);
    tx.commit();
  });
  return batch;
}

BatchJob& BatchJob::update(Store& store, const nlohmann::json& changes) { return update(store, changes, {}); }

BatchJob& BatchJob::update(Store& store, const nlohmann::json& changes, const UpdateCondition& condition) {
  *this = detail::guard_sqlite("updating BatchJob " + id, [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    auto current = detail::rows::find_batch_job(detail::impl_of(store), id);
    if (!current) detail::throw_not_found("BatchJob", "id", id);
    auto wire = current->to_dict();
    if (condition && !condition(wire)) detail::throw_condition_failed("BatchJob", id);
    auto changed = detail::apply_patch(wire, changes, "BatchJob", {"errorDetails"}, {"id", "createdAt", "updatedAt"});
    if (changed.empty()) return *current;
    const auto stamped = detail::next_updated_at(current->updatedAt);  // not `updatedAt`: the member's name
    wire["updatedAt"] = changed["updatedAt"] = stamped.wire();
    auto after = BatchJob::from_dict(wire);
    detail::check_item_size("BatchJob", wire);
    detail::update_locally(tx, after, changed);
    tx.commit();
    return after;
  });
  return *this;
}

BatchJob BatchJob::get_by_id(std::string_view id, Store& store) {
  auto batch = detail::guard_sqlite("reading BatchJob",
                                    [&] { return detail::rows::find_batch_job(detail::impl_of(store), id); });
  if (!batch) detail::throw_not_found("BatchJob", "id", id);
  return std::move(*batch);
}

std::vector<ScoringJob> BatchJob::list_scoring_jobs(std::string_view batchJobId, Store& store) {
  return detail::guard_sqlite("listing the jobs of a BatchJob",
                              [&] { return detail::rows::scoring_jobs_of_batch(detail::impl_of(store), batchJobId); });
}

}  // namespace scoringjobs
