// pull_snapshot(): an account's records read from the API and imported as remote state.

#include "scoringjobs/pull_snapshot.hpp"

#include <algorithm>
#include <map>

#include "scoringjobs/log.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs {
namespace {

using nlohmann::json;

// Records by id, so a record reached twice is kept once and the lists are sorted.
template <class Record>
using ById = std::map<std::string, Record>;

template <class Record>
json wire_list(const ById<Record>& by_id) {
  auto list = json::array();
  for (const auto& [id, record] : by_id) list.push_back(record.to_dict());
  return list;
}

template <class Record>
void add_all(ById<Record>& by_id, std::vector<Record> records) {
  for (auto& record : records) {
    std::string id = record.id;
    by_id.insert_or_assign(std::move(id), std::move(record));
  }
}

}  // namespace

PullSnapshotReport pull_snapshot(Store& store, RemoteClient& client, const PullSnapshotOptions& options) {
  const auto requests_before = client.requests_made();
  // createdAt is compared as text remotely; the canonical UTC form sorts like the instants.
  const std::optional<std::string> since = options.since ? std::optional(options.since->format()) : std::nullopt;

  ById<ScoringJob> jobs;
  ById<BatchJob> batches;
  ById<BatchJobScoringJob> links;
  for (const auto& account : options.accounts) {
    add_all(jobs, client.list_all(queries::scoring_jobs_by_account_id_and_created_at(
                      account, since ? json{{"ge", *since}} : json(nullptr))));
    ListOptions batch_options;
    if (since) batch_options.filter = {{"createdAt", {{"ge", *since}}}};
    add_all(batches, client.list_all(queries::batch_jobs_by_account_id(account, batch_options)));
  }
  for (const auto& [id, batch] : batches) {
    add_all(links, client.list_all(queries::batch_job_scoring_jobs_by_batch_job_id(id)));
  }
  // A batch's members may be older than `since`: fetch them so every join row
  // names records the store will hold.
  std::vector<std::string> missing;
  for (const auto& [id, link] : links) {
    if (!jobs.contains(link.scoringJobId)) missing.push_back(link.scoringJobId);
  }
  std::ranges::sort(missing);
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  for (auto& job : client.get_many<ScoringJob>(missing)) {
    if (job) jobs.insert_or_assign(job->id, std::move(*job));
  }
  std::erase_if(links, [&](const auto& entry) {
    if (jobs.contains(entry.second.scoringJobId)) return false;
    log(LogLevel::Warn, "BatchJobScoringJob " + entry.first + " names ScoringJob " + entry.second.scoringJobId +
                            ", which the API does not have; not stored");
    return true;
  });

  PullSnapshotReport report;
  report.fetched_scoring_jobs = static_cast<std::int64_t>(jobs.size());
  report.fetched_batch_jobs = static_cast<std::int64_t>(batches.size());
  report.fetched_links = static_cast<std::int64_t>(links.size());
  report.requests = static_cast<std::int64_t>(client.requests_made() - requests_before);
  const json document = {
      {"ScoringJob", wire_list(jobs)}, {"BatchJob", wire_list(batches)}, {"BatchJobScoringJob", wire_list(links)}};
  fixtures::ImportOptions import_options;
  import_options.as = fixtures::ImportAs::RemoteState;
  import_options.keep_local_changes = true;
  report.imported = fixtures::import_records(store, document, import_options);
  return report;
}

void to_json(nlohmann::json& out, const PullSnapshotReport& report) {
  out = {{"fetched",
          {{"ScoringJob", report.fetched_scoring_jobs},
           {"BatchJob", report.fetched_batch_jobs},
           {"BatchJobScoringJob", report.fetched_links}}},
         {"imported", report.imported},
         {"requests", report.requests}};
}

}  // namespace scoringjobs
