#include "sync/pull.hpp"

#include <algorithm>
#include <chrono>

#include "scoringjobs/log.hpp"
#include "store/quarantine.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"
#include "sync/adopt.hpp"

namespace scoringjobs::detail {
namespace {

using nlohmann::json;

// Quarantined records re-read per run at most, to see whether someone fixed them.
constexpr std::size_t kQuarantineRechecks = 200;

// The bound of a new pass over an account: `lookback` before the newest
// createdAt seen so far, because createdAt is the creating client's clock and a
// job may reach the API long after it (see SyncOptions::account_pull_lookback).
// nullopt reads the account from its first job.
std::optional<Timestamp> pass_start(const std::optional<Timestamp>& max_seen, std::chrono::seconds lookback) {
  if (!max_seen) return std::nullopt;
  if (lookback <= std::chrono::seconds::zero()) return Timestamp::from_unix_millis(max_seen->unix_millis());
  // Reaching back past 1970 means everything (and keeps the arithmetic in range).
  if (lookback.count() >= max_seen->unix_seconds()) return std::nullopt;
  // createdAt is compared as text remotely: the canonical UTC form sorts like the instants.
  return Timestamp::from_unix_millis(max_seen->unix_millis() -
                                     std::chrono::duration_cast<std::chrono::milliseconds>(lookback).count());
}

// The newest createdAt seen, where one in the future (a creating clock running
// ahead) counts as the puller's now: a checkpoint in the future would skip
// every job created on time afterwards, on every store pulling the account.
void see_created(std::optional<Timestamp>& max_seen, const Timestamp& created, const Timestamp& now) {
  const auto seen = created > now ? now : created;
  if (!max_seen || seen > *max_seen) max_seen = Timestamp::from_unix_millis(seen.unix_millis());
}

}  // namespace

void Puller::run() {
  refresh(Model::BatchJob);
  refresh(Model::ScoringJob);
  recheck_quarantine();
  for (const auto& account : ctx_.options.accounts) pull_account(account);
}

void Puller::progress() const { ctx_.progress("pull", read_, 0); }

void Puller::refresh(Model model) {
  // The most overdue first, within the run's budget: a run cut short by its
  // deadline leaves the rest due, and the next run starts with them. Due when
  // the run started: a record this run's push just confirmed is not read again.
  auto due = due_for_check(ctx_.impl, model, ctx_.report.started_at, ctx_.options.refresh_budget);
  // Read and written a request's worth at a time, so a run cut short keeps what it read.
  constexpr std::size_t kChunk = kMaxGetsPerRequest;
  for (std::size_t start = 0; start < due.size(); start += kChunk) {
    const auto end = std::min(due.size(), start + kChunk);
    read_and_take(model, std::vector<DueRecord>(due.begin() + static_cast<std::ptrdiff_t>(start),
                                                due.begin() + static_cast<std::ptrdiff_t>(end)));
  }
}

void Puller::read_and_take(Model model, const std::vector<DueRecord>& records) {
  std::vector<std::string> ids;
  std::vector<std::size_t> sizes;
  for (const auto& record : records) {
    ids.push_back(record.id);
    sizes.push_back(record.bytes);
  }
  const auto reads = read_records(ctx_, model, ids, sizes);
  WriteTransaction tx(ctx_.impl);
  const auto now = Timestamp::now();
  for (std::size_t i = 0; i < reads.size(); ++i) {
    const auto& read = reads[i];
    auto changed_at = records[i].changed_at;
    if (read.kind == RemoteRead::Kind::Found) {
      if (take_found(ctx_, tx, model, read.wire) == Taken::Adopted) changed_at = now;
    } else if (read.kind == RemoteRead::Kind::Unreadable) {
      take_unreadable(ctx_, tx, model, read.unreadable);
    } else if (!take_absent(ctx_, tx, model, ids[i])) {
      // Not yet confirmed: read it again in a later run, the confirmation time later.
      schedule_check(tx, model, ids[i], now,
                     Timestamp::from_unix_millis(now.unix_millis() + ctx_.options.absence_confirmation.count()));
      continue;
    }
    schedule_check(tx, model, ids[i], now, next_check(ctx_, changed_at, now));
  }
  tx.commit();
  read_ += static_cast<std::int64_t>(reads.size());
  progress();
}

void Puller::recheck_quarantine() {
  const auto now = Timestamp::now();
  const auto before = Timestamp::from_unix_millis(
      now.unix_millis() -
      std::chrono::duration_cast<std::chrono::milliseconds>(ctx_.options.longest_staleness).count());
  const auto due = quarantine_due(ctx_.impl, before, kQuarantineRechecks);
  for (const Model model : {Model::BatchJob, Model::ScoringJob, Model::BatchJobScoringJob}) {
    std::vector<std::string> ids;
    for (const auto& [of, id] : due) {
      if (of == model) ids.push_back(id);
    }
    if (ids.empty()) continue;
    const auto reads = read_records(ctx_, model, ids, std::vector<std::size_t>(ids.size(), 0));
    WriteTransaction tx(ctx_.impl);
    for (std::size_t i = 0; i < reads.size(); ++i) {
      switch (reads[i].kind) {
        case RemoteRead::Kind::Found: take_found(ctx_, tx, model, reads[i].wire); break;
        case RemoteRead::Kind::Unreadable: take_unreadable(ctx_, tx, model, reads[i].unreadable); break;
        case RemoteRead::Kind::Absent: release_quarantine(tx, model, ids[i]); break;  // gone: nothing to fix
      }
    }
    tx.commit();
    read_ += static_cast<std::int64_t>(reads.size());
    progress();
  }
}

Page<ScoringJob> Puller::account_page(const std::string& accountId, const PullCheckpoint& checkpoint) {
  for (;;) {
    ListOptions options;
    options.sortDirection = SortDirection::Asc;
    options.limit = account_page_limit_;
    const auto query = queries::scoring_jobs_by_account_id_and_created_at(
        accountId, checkpoint.created_from ? json{{"ge", checkpoint.created_from->format()}} : json(nullptr), options);
    try {
      return ctx_.remote().list_page(query, checkpoint.nextToken);
    } catch (const Error& error) {
      if (error.code() == Errc::InvalidToken) throw;  // the caller restarts the pass
      const auto disposition = ctx_.dispose(error, Scope::ReadRequest);
      if (disposition.action != Action::Shrink || account_page_limit_ == 1) ctx_.end_run(disposition, error);
      account_page_limit_ = std::max(1, account_page_limit_ / 2);
      log(LogLevel::Info, "an account page was too large; asking for " + std::to_string(account_page_limit_));
    }
  }
}

void Puller::pull_account(const std::string& accountId) {
  auto checkpoint = read_checkpoint(ctx_.impl, accountId);
  // A pass cut off earlier goes on with the bound it started with: its
  // nextToken belongs to that query.
  if (!checkpoint.nextToken)
    checkpoint.created_from = pass_start(checkpoint.max_seen, ctx_.options.account_pull_lookback);
  for (;;) {
    Page<ScoringJob> page;
    try {
      page = account_page(accountId, checkpoint);
    } catch (const Error& error) {
      if (error.code() != Errc::InvalidToken || !checkpoint.nextToken) throw;
      // The saved token is no longer good (expired, or the API was redeployed):
      // start the pass again from the checkpoint, with the lookback.
      log(LogLevel::Warn,
          "account " + excerpt(accountId) + ": the API refused the saved page token; starting the pass again");
      checkpoint.nextToken.reset();
      checkpoint.created_from = pass_start(checkpoint.max_seen, ctx_.options.account_pull_lookback);
      continue;
    }
    // The page and the checkpoint that follows it commit together, so a killed
    // run resumes exactly where it stopped.
    const auto now = Timestamp::now();
    WriteTransaction tx(ctx_.impl);
    for (const auto& job : page.items) {
      see_created(checkpoint.max_seen, job.createdAt, now);
      if (take_found(ctx_, tx, Model::ScoringJob, job.to_dict()) == Taken::Kept) continue;
      // Just read: the refresh reads it again when its last change says so.
      const auto changed = job.updatedAt > now ? now : job.updatedAt;
      schedule_check(tx, Model::ScoringJob, job.id, now, next_check(ctx_, changed, now));
    }
    for (const auto& bad : page.unreadable) take_unreadable(ctx_, tx, Model::ScoringJob, bad);
    const bool repeated = page.nextToken && page.nextToken == checkpoint.nextToken;
    if (repeated) {
      log(LogLevel::Warn,
          "account " + excerpt(accountId) + ": the API answered the same page token again; the pass ends here");
    }
    checkpoint.nextToken = repeated ? std::nullopt : page.nextToken;
    write_checkpoint(tx, accountId, checkpoint);
    tx.commit();
    read_ += static_cast<std::int64_t>(page.items.size() + page.unreadable.size());
    progress();
    if (!checkpoint.nextToken) return;
  }
}

}  // namespace scoringjobs::detail
