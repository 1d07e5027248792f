#pragma once
// A batch's scoringJobCountCache against its join rows. Edges fill batches
// offline and each recounts only the join rows it knows, so after a run pushed
// join rows (or counts) for a batch, the remote count is recounted from the
// remote join rows and written with the compare-and-set. A batch that ends up
// over its max size because two offline edges filled it is allowed: the count
// says how many jobs it really holds.

#include <set>
#include <string>

#include "sync/run_context.hpp"

namespace scoringjobs::detail {

/// Recounts each batch (skipping those with local changes still queued, which
/// a later run recounts once they are confirmed), counting the join rows of
/// several batches at once on the run's pool (nothing else in flight on it)
/// within the run's window. Throws RunEnded like any step.
void recount_batches(RunContext& run, const std::set<std::string>& batch_ids);

}  // namespace scoringjobs::detail
