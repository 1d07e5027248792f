#include "sync/batch_counts.hpp"

#include <deque>
#include <map>

#include "scoringjobs/log.hpp"
#include "store/record_api.hpp"
#include "store/record_io.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"
#include "sync/adopt.hpp"
#include "sync/remote_reads.hpp"
#include "sync/request_pool.hpp"

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

// The join rows of every batch, counted a batch per worker within push's
// window (request_window.hpp): each count is its own chain of pages, and a run
// that pushed a backlog has a batch to recount for every few dozen jobs. A
// count answered "not now" slows the window down and goes again.
std::vector<std::int64_t> count_join_rows(RunContext& run, RequestPool& pool, RequestWindow& window,
                                          const std::vector<std::string>& batch_ids) {
  std::vector<std::int64_t> counts(batch_ids.size(), 0);
  std::deque<std::size_t> todo;
  for (std::size_t i = 0; i < batch_ids.size(); ++i) todo.push_back(i);
  std::map<std::uint64_t, std::pair<std::size_t, std::uint64_t>> sent;  // request: (batch, window epoch)
  std::uint64_t next_request = 0;
  std::optional<Error> failure;
  Disposition failed_as{Action::Fail};
  for (;;) {
    while (!failure && !todo.empty() && pool.in_flight() < window.size() &&
           !window.paused(RequestWindow::Clock::now())) {
      run.remote();  // no request after the deadline or a stop
      const auto i = todo.front();
      todo.pop_front();
      sent.emplace(next_request, std::pair{i, window.epoch()});
      pool.submit(next_request++, [&counts, &batch_ids, i](RemoteClient& client) {
        counts[i] = remote_join_rows(client, batch_ids[i]);
      });
    }
    if (pool.in_flight() == 0) {
      if (failure || todo.empty()) break;
      run.sleep_until(window.paused_until());
      continue;
    }
    auto done = pool.wait();
    const auto [i, epoch] = sent.at(done.id);
    sent.erase(done.id);
    if (!done.error) {
      window.succeeded(done.round_trip);
      continue;
    }
    const auto disposition = run.dispose(*done.error, Scope::ReadRequest);
    if (done.error->code() == Errc::Throttled) ++run.report.throttled;
    if (disposition.action == Action::SlowDown &&
        window.not_now(RequestWindow::why(*done.error), epoch, capped_retry_after(run, *done.error), backoff_for(run),
                       run.deadline)) {
      todo.push_front(i);
      continue;
    }
    if (!failure) {
      failure = std::move(done.error);
      failed_as = disposition;
    }
  }
  if (failure) run.end_run(failed_as, *failure);
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

void recount_batches(RunContext& run, RequestPool& pool, RequestWindow& window,
                     const std::set<std::string>& batch_ids) {
  std::vector<std::string> ids;
  for (const auto& id : batch_ids) {
    if (id.empty() || has_pending_entries(run.impl, Model::BatchJob, id) ||
        has_dead_letter(run.impl, Model::BatchJob, id)) {
      continue;
    }
    ids.push_back(id);
  }
  if (ids.empty()) return;
  const auto counts = count_join_rows(run, pool, window, ids);
  const auto reads = read_records(run, Model::BatchJob, ids, std::vector<std::size_t>(ids.size(), 0));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (reads[i].kind != RemoteRead::Kind::Found) continue;
    const auto& remote = reads[i].wire;
    if (remote.value("scoringJobCountCache", json()) == json(counts[i])) continue;
    write_count(run, remote, counts[i]);
  }
}

}  // namespace scoringjobs::detail
