// The list queries of the schema as ListQuery values, and create inputs from records.

#include "scoringjobs/remote.hpp"

namespace scoringjobs {
namespace {

template <class Record>
ListQuery<Record> make(std::string_view field, nlohmann::json keys, const ListOptions& options, bool scan) {
  if (scan && options.sortDirection) {
    throw Error(Errc::InvalidArgument, std::string(field) + " is a scan and takes no sortDirection", "sortDirection");
  }
  ListQuery<Record> query{std::string(field), std::move(keys), options.limit};
  if (!options.filter.is_null()) query.arguments["filter"] = options.filter;
  if (options.sortDirection)
    query.arguments["sortDirection"] = *options.sortDirection == SortDirection::Asc ? "ASC" : "DESC";
  return query;
}

template <class Record>
ListQuery<Record> by_key(std::string_view field, const char* key, std::string_view value, const ListOptions& options) {
  return make<Record>(field, {{key, value}}, options, false);
}

// Drops nulls (nothing to store) and the fields Create<Model>Input lacks.
nlohmann::json without(nlohmann::json wire, std::initializer_list<const char*> absent_from_input) {
  for (const char* key : absent_from_input) wire.erase(key);
  for (auto it = wire.begin(); it != wire.end();) it = it->is_null() ? wire.erase(it) : std::next(it);
  return wire;
}

}  // namespace

namespace queries {

ListQuery<ScoringJob> scoring_jobs(const ListOptions& options) {
  return make<ScoringJob>("listScoringJobs", nlohmann::json::object(), options, true);
}
ListQuery<ScoringJob> scoring_jobs_by_item_id(std::string_view itemId, const ListOptions& options) {
  return by_key<ScoringJob>("listScoringJobByItemId", "itemId", itemId, options);
}
ListQuery<ScoringJob> scoring_jobs_by_item_id_and_score_id(std::string_view itemId, nlohmann::json scoreId,
                                                           const ListOptions& options) {
  nlohmann::json keys = {{"itemId", itemId}};
  if (!scoreId.is_null()) keys["scoreId"] = std::move(scoreId);
  return make<ScoringJob>("listScoringJobByItemIdAndScoreId", std::move(keys), options, false);
}
ListQuery<ScoringJob> scoring_jobs_by_account_id(std::string_view accountId, const ListOptions& options) {
  return by_key<ScoringJob>("listScoringJobByAccountId", "accountId", accountId, options);
}
ListQuery<ScoringJob> scoring_jobs_by_account_id_and_created_at(std::string_view accountId, nlohmann::json createdAt,
                                                                const ListOptions& options) {
  nlohmann::json keys = {{"accountId", accountId}};
  if (!createdAt.is_null()) keys["createdAt"] = std::move(createdAt);
  return make<ScoringJob>("listScoringJobByAccountIdAndCreatedAt", std::move(keys), options, false);
}
ListQuery<ScoringJob> scoring_jobs_by_score_id(std::string_view scoreId, const ListOptions& options) {
  return by_key<ScoringJob>("listScoringJobByScoreId", "scoreId", scoreId, options);
}
ListQuery<BatchJob> batch_jobs(const ListOptions& options) {
  return make<BatchJob>("listBatchJobs", nlohmann::json::object(), options, true);
}
ListQuery<BatchJob> batch_jobs_by_account_id(std::string_view accountId, const ListOptions& options) {
  return by_key<BatchJob>("listBatchJobByAccountId", "accountId", accountId, options);
}
ListQuery<BatchJob> batch_jobs_by_scorecard_id(std::string_view scorecardId, const ListOptions& options) {
  return by_key<BatchJob>("listBatchJobByScorecardId", "scorecardId", scorecardId, options);
}
ListQuery<BatchJob> batch_jobs_by_score_id(std::string_view scoreId, const ListOptions& options) {
  return by_key<BatchJob>("listBatchJobByScoreId", "scoreId", scoreId, options);
}
ListQuery<BatchJobScoringJob> batch_job_scoring_jobs(const ListOptions& options) {
  return make<BatchJobScoringJob>("listBatchJobScoringJobs", nlohmann::json::object(), options, true);
}
ListQuery<BatchJobScoringJob> batch_job_scoring_jobs_by_batch_job_id(std::string_view batchJobId,
                                                                     const ListOptions& options) {
  return by_key<BatchJobScoringJob>("listBatchJobScoringJobByBatchJobId", "batchJobId", batchJobId, options);
}

}  // namespace queries

nlohmann::json create_input(const ScoringJob& job) { return without(job.to_dict(), {}); }
nlohmann::json create_input(const BatchJob& batch) { return without(batch.to_dict(), {"createdAt", "updatedAt"}); }
nlohmann::json create_input(const BatchJobScoringJob& link) {
  return without(link.to_dict(), {"createdAt", "updatedAt"});
}

}  // namespace scoringjobs
