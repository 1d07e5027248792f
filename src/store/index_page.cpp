// read_index_page: checks the query, picks its statement, reads the page.

#include "scoringjobs/index_page.hpp"

#include <string>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"
#include "store/index_page_sql.hpp"
#include "store/rows.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"

namespace scoringjobs {
namespace detail {

const char* index_page_sql(std::string_view model, std::span<const IndexPageSql> indexes, const IndexQuery& query) {
  if (query.limit == 0) throw Error(Errc::InvalidArgument, "limit must be at least 1", "limit");
  if (query.sort.empty() && (query.lower || query.upper)) {
    throw Error(Errc::InvalidArgument, "a bound on the sort key needs an index with one",
                query.lower ? "lower" : "upper");
  }
  if (query.after_sort.has_value() != query.after_id.has_value()) {
    throw Error(Errc::InvalidArgument, "a start position needs both after_sort and after_id", "after_id");
  }
  for (const auto& index : indexes) {
    if (index.partition == query.partition && index.sort == query.sort) {
      return query.descending ? index.descending : index.ascending;
    }
  }
  const bool partition_known = query.partition.empty() || [&] {
    for (const auto& index : indexes) {
      if (index.partition == query.partition) return true;
    }
    return false;
  }();
  std::string what = query.partition.empty() ? std::string("a scan") : "\"" + excerpt(query.partition) + "\"";
  if (!query.sort.empty()) what += " sorted by \"" + excerpt(query.sort) + "\"";
  throw Error(Errc::InvalidArgument, std::string(model) + " has no index on " + what,
              partition_known ? "sort" : "partition");
}

void bind_index_page(SQLite::Statement& s, const IndexQuery& query) {
  auto bind_optional = [&](int index, const std::optional<std::string>& value) {
    if (value) {
      s.bind(index, *value);
    } else {
      s.bind(index);
    }
  };
  s.bind(1, query.partition_value);
  bind_optional(2, query.after_sort);
  bind_optional(3, query.after_id);
  bind_optional(4, query.lower);
  s.bind(5, query.lower_inclusive ? 1 : 0);
  bind_optional(6, query.upper);
  s.bind(7, query.upper_inclusive ? 1 : 0);
  s.bind(8, static_cast<std::int64_t>(query.limit));
}

}  // namespace detail

template <>
std::vector<ScoringJob> read_index_page<ScoringJob>(Store& store, const IndexQuery& query) {
  return detail::guard_sqlite("reading a page of ScoringJobs",
                              [&] { return detail::rows::scoring_job_page(detail::impl_of(store), query); });
}

template <>
std::vector<BatchJob> read_index_page<BatchJob>(Store& store, const IndexQuery& query) {
  return detail::guard_sqlite("reading a page of BatchJobs",
                              [&] { return detail::rows::batch_job_page(detail::impl_of(store), query); });
}

template <>
std::vector<BatchJobScoringJob> read_index_page<BatchJobScoringJob>(Store& store, const IndexQuery& query) {
  return detail::guard_sqlite("reading a page of BatchJobScoringJobs",
                              [&] { return detail::rows::link_page(detail::impl_of(store), query); });
}

}  // namespace scoringjobs
