// BatchJobScoringJob's API: linking a scoring job to a batch.

#include "store/link_api.hpp"

#include "model/statuses.hpp"
#include "model/wire.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/log.hpp"
#include "scoringjobs/store.hpp"
#include "store/local_changes.hpp"
#include "store/record_api.hpp"
#include "store/rows.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs {
namespace detail {

BatchJobScoringJob link_in(WriteTransaction& tx, std::string_view batchJobId, std::string_view scoringJobId) {
  check_id("batchJobId", batchJobId);
  check_id("scoringJobId", scoringJobId);
  auto& store = tx.store();
  if (!rows::find_batch_job(store, batchJobId)) throw_not_found("BatchJob", "batchJobId", batchJobId);
  if (!rows::find_scoring_job(store, scoringJobId)) throw_not_found("ScoringJob", "scoringJobId", scoringJobId);
  if (auto existing = rows::link_of_scoring_job(store, scoringJobId)) {
    if (existing->batchJobId == batchJobId) return *existing;
    throw Error(
        Errc::Conflict,
        "ScoringJob \"" + excerpt(scoringJobId) + "\" is already in BatchJob \"" + excerpt(existing->batchJobId) + "\"",
        "scoringJobId");
  }
  BatchJobScoringJob link;
  link.id = new_uuid_v4();
  link.batchJobId = batchJobId;
  link.scoringJobId = scoringJobId;
  link.createdAt = link.updatedAt = Timestamp::now();
  create_locally(tx, link);
  rows::set_batch_id(tx, scoringJobId, batchJobId);
  return link;
}

BatchJob recount_members(WriteTransaction& tx, const BatchJob& batch, std::optional<int> close_at) {
  const int count = rows::count_links_of_batch(tx.store(), batch.id);
  auto wire = batch.to_dict();
  nlohmann::json changes = {{"scoringJobCountCache", count}};
  if (close_at && count >= *close_at && batch.status == "OPEN") changes["status"] = "CLOSED";
  auto changed = apply_patch(wire, changes, "BatchJob", {}, {});
  if (changed.empty()) return batch;
  wire["updatedAt"] = changed["updatedAt"] = next_updated_at(batch.updatedAt).wire();
  auto after = BatchJob::from_dict(wire);
  update_locally(tx, after, changed);
  return after;
}

}  // namespace detail

BatchJobScoringJob BatchJobScoringJob::link(Store& store, std::string_view batchJobId, std::string_view scoringJobId) {
  auto& impl = detail::impl_of(store);
  return detail::guard_sqlite("linking a ScoringJob to a BatchJob", [&] {
    detail::WriteTransaction tx(impl);
    const auto before = detail::rows::link_of_scoring_job(impl, scoringJobId);
    auto link = detail::link_in(tx, batchJobId, scoringJobId);
    if (!before) {
      // A new member: the batch's count follows it, in the same transaction.
      const auto batch = detail::recount_members(tx, *detail::rows::find_batch_job(impl, batchJobId));
      if (detail::status_rank(Model::BatchJob, batch.status) >= detail::status_rank(Model::BatchJob, "CLOSED")) {
        log(LogLevel::Warn, "BatchJob " + batch.id + " is " + batch.status + ": ScoringJob " + link.scoringJobId +
                                " was linked to it anyway (it now holds " +
                                std::to_string(batch.scoringJobCountCache.value_or(0)) + " jobs)");
      }
    }
    tx.commit();
    return link;
  });
}

BatchJobScoringJob BatchJobScoringJob::get_by_id(std::string_view id, Store& store) {
  auto link = detail::guard_sqlite("reading BatchJobScoringJob",
                                   [&] { return detail::rows::find_link(detail::impl_of(store), id); });
  if (!link) detail::throw_not_found("BatchJobScoringJob", "id", id);
  return std::move(*link);
}

}  // namespace scoringjobs
