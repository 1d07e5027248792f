#include "sync/pull.hpp"

#include <chrono>

#include "scoringjobs/log.hpp"
#include "store/record_io.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"
#include "sync/remote_reads.hpp"

namespace scoringjobs::detail {
namespace {

using nlohmann::json;

constexpr int kAccountPageLimit = 100;

// Ids of local records that may still change remotely, after `after`, by id.
std::vector<std::string> unfinished_ids(StoreImpl& store, Model model, const std::string& after, std::size_t limit) {
  auto s = model == Model::ScoringJob
               ? store.statements.get(
                     "SELECT id FROM scoring_job WHERE status NOT IN ('COMPLETED', 'FAILED', 'ERROR') "
                     "AND id > ?1 ORDER BY id LIMIT ?2")
               : store.statements.get(
                     "SELECT id FROM batch_job WHERE status NOT IN ('COMPLETED', 'ERROR') AND id > ?1 "
                     "ORDER BY id LIMIT ?2");
  s->bind(1, after);
  s->bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::string> ids;
  while (s->executeStep()) ids.push_back(s->getColumn(0).getString());
  return ids;
}

// The bound of a new pass over an account: `lookback` before the newest
// createdAt seen so far, because createdAt is the creating client's clock and a
// job may reach the API long after it (see SyncOptions::account_pull_lookback).
// nullopt reads the account from its first job.
std::optional<std::string> pass_start(const std::optional<std::string>& max_seen, std::chrono::seconds lookback) {
  if (!max_seen) return std::nullopt;
  if (lookback <= std::chrono::seconds::zero()) return max_seen;
  const auto newest = Timestamp::parse(*max_seen, "maxSeen");
  // Reaching back past 1970 means everything (and keeps the arithmetic in range).
  if (lookback.count() >= newest.unix_seconds()) return std::nullopt;
  const auto from = newest.unix_millis() - std::chrono::duration_cast<std::chrono::milliseconds>(lookback).count();
  // createdAt is compared as text remotely; the canonical UTC form sorts like the instants.
  return Timestamp::from_unix_millis(from).format();
}

}  // namespace

void Puller::run() {
  refresh(Model::BatchJob);
  refresh(Model::ScoringJob);
  for (const auto& account : ctx_.options.accounts) pull_account(account);
}

void Puller::refresh(Model model) {
  std::string after;
  const std::size_t chunk = 50;
  for (;;) {
    auto ids = unfinished_ids(ctx_.impl, model, after, chunk);
    if (ids.empty()) return;
    after = ids.back();
    // Records with queued changes are settled by push, through compare-and-set.
    std::erase_if(ids, [&](const std::string& id) {
      if (has_pending_entries(ctx_.impl, model, id) || has_dead_letter(ctx_.impl, model, id)) return true;
      const auto state = find_remote_state(ctx_.impl, model, id);
      return state && state->deleted_remotely;
    });
    if (ids.empty()) continue;
    std::vector<std::optional<json>> remotes;
    try {
      remotes = fetch_many(ctx_.remote(), model, ids);
    } catch (const Error& e) {
      ctx_.end_run_for(e);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) adopt(model, ids[i], remotes[i]);
  }
}

void Puller::adopt(Model model, const std::string& id, const std::optional<json>& remote) {
  WriteTransaction tx(ctx_.impl);
  if (has_pending_entries(ctx_.impl, model, id)) return;  // a writer changed it meanwhile; push settles it
  const auto state = find_remote_state(ctx_.impl, model, id);
  if (!remote) {
    // Flag it rather than drop it: someone may need what we hold.
    if (state && !state->deleted_remotely) {
      flag_deleted_remotely(tx, model, id);
      tx.commit();
      ++ctx_.report.deleted_remotely;
      log(LogLevel::Warn, std::string(model_name(model)) + " " + id + " was deleted remotely; kept locally, flagged");
    }
    return;
  }
  if (state && state->fields == *remote) return;  // nothing new
  // With no queued change, the local record equals the last confirmed remote
  // state: every difference is a remote-only change, which the merge rules take.
  write_local(tx, model, *remote);
  put_remote_state(tx, model, *remote);
  tx.commit();
  ++ctx_.report.pulled;
}

void Puller::pull_account(const std::string& accountId) {
  auto checkpoint = read_checkpoint(ctx_.impl, accountId);
  // A pass cut off earlier goes on with the bound it started with: its
  // nextToken belongs to that query.
  if (!checkpoint.nextToken)
    checkpoint.created_from = pass_start(checkpoint.max_seen, ctx_.options.account_pull_lookback);
  for (;;) {
    ListOptions options;
    options.sortDirection = SortDirection::Asc;
    options.limit = kAccountPageLimit;
    const auto query = queries::scoring_jobs_by_account_id_and_created_at(
        accountId, checkpoint.created_from ? json{{"ge", *checkpoint.created_from}} : json(nullptr), options);
    Page<ScoringJob> page;
    try {
      page = ctx_.remote().list_page(query, checkpoint.nextToken);
    } catch (const Error& e) {
      ctx_.end_run_for(e);
    }
    // The page and the checkpoint that follows it commit together, so a killed
    // run resumes exactly where it stopped.
    WriteTransaction tx(ctx_.impl);
    for (const auto& job : page.items) {
      if (!checkpoint.max_seen || job.createdAt > *Timestamp::try_parse(*checkpoint.max_seen)) {
        checkpoint.max_seen = job.createdAt.wire();
      }
      if (has_pending_entries(ctx_.impl, Model::ScoringJob, job.id)) continue;
      const auto remote = job.to_dict();
      const auto state = find_remote_state(ctx_.impl, Model::ScoringJob, job.id);
      if (state && state->fields == remote) continue;
      write_local(tx, Model::ScoringJob, remote);
      put_remote_state(tx, Model::ScoringJob, remote);
      ++ctx_.report.pulled;
    }
    checkpoint.nextToken = page.nextToken;
    write_checkpoint(tx, accountId, checkpoint);
    tx.commit();
    if (!page.nextToken) return;
  }
}

}  // namespace scoringjobs::detail
