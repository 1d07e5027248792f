#pragma once
// Records read one page at a time in the order of the remote schema's indexes,
// as a DynamoDB Query (or Scan) reads them: for serving list queries locally
// (the Python module's LocalClient answers listScoringJobByItemId and the
// others from here) with the same items, order and page boundaries as AppSync.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace scoringjobs {

class Store;

/// One page of one index. The records of the model whose `partition` field
/// equals `partition_value` (every record when `partition` is empty: a scan),
/// ordered by the `sort` field then id (by id alone when `sort` is empty),
/// comparing strings by their UTF-8 bytes as DynamoDB does. A record without a
/// value for the partition or sort field is not in the index (GSIs are sparse).
///
/// The indexes served, named by their fields (those of the remote schema's
/// query fields and connections):
///   ScoringJob:          scan; itemId; itemId + scoreId; accountId;
///                        accountId + createdAt; scoreId
///   BatchJob:            scan; accountId; scorecardId; scoreId
///   BatchJobScoringJob:  scan; batchJobId; scoringJobId
struct IndexQuery {
  std::string partition{};  // e.g. "itemId"; empty for a scan
  std::string partition_value{};
  std::string sort{};  // e.g. "createdAt"; empty: by id
  bool descending = false;
  /// Bounds on the sort field's value (a key condition): only with `sort`.
  std::optional<std::string> lower{};
  bool lower_inclusive = true;
  std::optional<std::string> upper{};
  bool upper_inclusive = true;
  /// Start strictly after this position in the page order: the sort value
  /// (the id when `sort` is empty) and id of the previous page's last record.
  std::optional<std::string> after_sort{};
  std::optional<std::string> after_id{};
  /// Records read at most (>= 1).
  std::size_t limit = 100;
};

/// Reads one page. Throws Error{InvalidArgument} naming `partition`/`sort` for
/// an index the model does not have (or `limit` for 0, `lower`/`upper` without
/// `sort`, `after_sort` without `after_id`), Error{Storage} when the database
/// cannot be read. Record is ScoringJob, BatchJob or BatchJobScoringJob.
template <class Record>
std::vector<Record> read_index_page(Store& store, const IndexQuery& query);

}  // namespace scoringjobs
