// BatchJobScoringJob's API: linking a scoring job to a batch.

#include "store/link_api.hpp"

#include "model/wire.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
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

}  // namespace detail

BatchJobScoringJob BatchJobScoringJob::link(Store& store, std::string_view batchJobId, std::string_view scoringJobId) {
  return detail::guard_sqlite("linking a ScoringJob to a BatchJob", [&] {
    detail::WriteTransaction tx(detail::impl_of(store));
    auto link = detail::link_in(tx, batchJobId, scoringJobId);
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
