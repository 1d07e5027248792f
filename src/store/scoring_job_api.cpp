// ScoringJob's API served from the local store.

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

ScoringJob ScoringJob::create(Store& store, std::string_view accountId, std::string_view scorecardId,
                              std::string_view itemId, const nlohmann::json& parameters,
                              const ScoringJobCreateOptions& options) {
  // Caller-made JSON is checked before the copies below walk it.
  if (options.errorDetails) detail::check_json_value("errorDetails", *options.errorDetails);
  if (options.metadata) detail::check_json_value("metadata", *options.metadata);
  ScoringJob job;
  job.id = options.id ? *options.id : detail::new_uuid_v4();
  job.accountId = accountId;
  job.status = options.status;
  job.createdAt = job.updatedAt = Timestamp::now();
  job.scorecardId = scorecardId;
  job.itemId = itemId;
  job.startedAt = options.startedAt;
  job.completedAt = options.completedAt;
  job.errorMessage = options.errorMessage;
  job.errorDetails = options.errorDetails;
  job.metadata = options.metadata;
  detail::keep_parameters(job.metadata, parameters);
  job.evaluationId = options.evaluationId;
  job.scoreId = options.scoreId;
  nlohmann::json wire;
  job = detail::validated(job, wire);

  detail::guard_sqlite("creating ScoringJob " + job.id, [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    detail::create_locally(tx, job, wire);
    tx.commit();
  });
  return job;
}

ScoringJob& ScoringJob::update(Store& store, const nlohmann::json& changes) { return update(store, changes, {}); }

ScoringJob& ScoringJob::update(Store& store, const nlohmann::json& changes, const UpdateCondition& condition) {
  *this = detail::guard_sqlite("updating ScoringJob " + id, [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    // Read inside the write transaction: another process may have changed the job.
    auto current = detail::rows::find_scoring_job(detail::impl_of(store), id);
    if (!current) detail::throw_not_found("ScoringJob", "id", id);
    auto wire = current->to_dict();
    if (condition && !condition(wire)) detail::throw_condition_failed("ScoringJob", id);
    auto changed = detail::apply_patch(wire, changes, "ScoringJob", {"errorDetails", "metadata"},
                                       {"id", "createdAt", "updatedAt", "batchId"});
    if (changed.empty()) return *current;
    const auto stamped = detail::next_updated_at(current->updatedAt);  // not `updatedAt`: the member's name
    wire["updatedAt"] = changed["updatedAt"] = stamped.wire();
    auto after = ScoringJob::from_dict(wire);
    detail::check_item_size("ScoringJob", wire);
    after.batchId = current->batchId;
    detail::update_locally(tx, after, changed);
    tx.commit();
    return after;
  });
  return *this;
}

ScoringJob ScoringJob::get_by_id(std::string_view id, Store& store) {
  auto job = detail::guard_sqlite("reading ScoringJob",
                                  [&] { return detail::rows::find_scoring_job(detail::impl_of(store), id); });
  if (!job) detail::throw_not_found("ScoringJob", "id", id);
  return std::move(*job);
}

std::optional<ScoringJob> ScoringJob::find_by_item_id(std::string_view itemId, Store& store) {
  return detail::guard_sqlite("finding ScoringJob by itemId", [&] {
    return detail::rows::newest_scoring_job_for_item(detail::impl_of(store), itemId);
  });
}

std::optional<BatchJob> ScoringJob::get_batch_job(std::string_view scoringJobId, Store& store) {
  return detail::guard_sqlite("finding the BatchJob of a ScoringJob", [&]() -> std::optional<BatchJob> {
    const auto batch_id = detail::rows::batch_id_of_scoring_job(detail::impl_of(store), scoringJobId);
    if (!batch_id) return std::nullopt;
    return detail::rows::find_batch_job(detail::impl_of(store), *batch_id);
  });
}

std::vector<ScoringJob> ScoringJob::list(Store& store, const ScoringJobListOptions& options) {
  return detail::guard_sqlite("listing ScoringJobs",
                              [&] { return detail::rows::list_scoring_jobs(detail::impl_of(store), options); });
}

}  // namespace scoringjobs
