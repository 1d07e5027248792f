#include "sync/batch_counts.hpp"

#include <algorithm>
#include <optional>

#include "scoringjobs/log.hpp"
#include "store/record_api.hpp"
#include "store/record_io.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"
#include "sync/adopt.hpp"
#include "sync/remote_reads.hpp"
#include "sync/windowed_reads.hpp"

namespace scoringjobs::detail {
namespace {

using nlohmann::json;

// The join rows the API holds for a batch, unreadable ones included: they exist.
std::int64_t remote_join_rows(RemoteClient& client, const std::string& batch_id) {
  std::int64_t count = 0;
  std::optional<std::string> token;
  do {
    auto page = client.list_page(queries::batch_job_scoring_jobs_by_batch_job_id(batch_id), token);
    count += static_cast<std::int64_t>(page.items.size() + page.unreadable.size());
    if (page.nextToken && page.nextToken == token) break;  // a server repeating itself: count what it gave
    token = std::move(page.nextToken);
  } while (token);
  return count;
}

// The join rows of every batch, counted a batch per worker within the run's
// window (windowed_reads.hpp): each count is its own chain of pages, and a run
// that pushed a backlog has a batch to recount for every few dozen jobs.
std::vector<std::int64_t> count_join_rows(RunContext& run, const std::vector<std::string>& batch_ids) {
  std::vector<std::int64_t> counts(batch_ids.size(), 0);
  std::size_t next = 0;
  read_in_window(run, [&]() -> std::optional<WindowedRead> {
    if (next == batch_ids.size()) return std::nullopt;
    const auto i = next++;
    return WindowedRead{
        [&counts, &batch_ids, i](RemoteClient& client) { counts[i] = remote_join_rows(client, batch_ids[i]); }, [] {},
        nullptr};
  });
  return counts;
}

void write_count(RunContext& run, const json& remote, std::int64_t count) {
  const auto id = remote.at("id").get<std::string>();
  MutationBatch batch;
  batch.add_update(Model::BatchJob, {{"id", id}, {"scoringJobCountCache", count}},
                   {{"updatedAt", {{"eq", remote.at("updatedAt")}}}}, Returning::Stamps);
  std::vector<MutationResult> results;
  try {
    results = run.remote().run(batch);
  } catch (const Error& error) {
    const auto disposition = run.dispose(error, Scope::MutationRequest);
    if (disposition.action != Action::Settle) run.end_run(disposition, error);
    return;  // unknown: the next run that touches the batch recounts it
  }
  if (!results.front().ok()) {
    // Changed meanwhile (the compare-and-set failed) or refused: the next run recounts.
    log(LogLevel::Info, "BatchJob " + id + ": count not written: " + results.front().error->what());
    return;
  }
  json stored = remote;
  stored["scoringJobCountCache"] = count;
  stored["updatedAt"] = results.front().stamps.at("updatedAt");
  WriteTransaction tx(run.impl);
  if (!has_pending_entries(run.impl, Model::BatchJob, id)) write_local(tx, Model::BatchJob, stored);
  put_remote_state(tx, Model::BatchJob, stored);
  tx.commit();
  log(LogLevel::Info, "BatchJob " + id + ": scoringJobCountCache set to its " + std::to_string(count) + " join rows");
}

}  // namespace

void recount_batches(RunContext& run, const std::set<std::string>& batch_ids) {
  std::vector<std::string> ids;
  for (const auto& id : batch_ids) {
    if (id.empty() || has_pending_entries(run.impl, Model::BatchJob, id) ||
        has_dead_letter(run.impl, Model::BatchJob, id)) {
      continue;
    }
    ids.push_back(id);
  }
  if (ids.empty()) return;
  const auto counts = count_join_rows(run, ids);
  std::vector<RemoteRead> reads(ids.size());
  const std::vector<std::size_t> sizes(ids.size(), 0);
  read_records_in_window(run, Model::BatchJob, ids, sizes, [&reads](std::size_t first, std::vector<RemoteRead> chunk) {
    std::ranges::move(chunk, reads.begin() + static_cast<std::ptrdiff_t>(first));
  });
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (reads[i].kind != RemoteRead::Kind::Found) continue;
    const auto& remote = reads[i].wire;
    if (remote.value("scoringJobCountCache", json()) == json(counts[i])) continue;
    write_count(run, remote, counts[i]);
  }
}

}  // namespace scoringjobs::detail
