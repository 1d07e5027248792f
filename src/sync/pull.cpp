#include "sync/pull.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

#include "scoringjobs/log.hpp"
#include "store/quarantine.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"
#include "sync/adopt.hpp"
#include "sync/windowed_reads.hpp"

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
  pull_accounts();
}

void Puller::progress() const { ctx_.progress("pull", read_, 0); }

void Puller::refresh(Model model) {
  // The most overdue first, within the run's budget: a run cut short by its
  // deadline leaves the rest due, and the next run starts with them. Due when
  // the run started: a record this run's push just confirmed is not read again.
  const auto due = due_for_check(ctx_.impl, model, ctx_.report.started_at, ctx_.options.refresh_budget);
  std::vector<std::string> ids;
  std::vector<std::size_t> sizes;
  for (const auto& record : due) {
    ids.push_back(record.id);
    sizes.push_back(record.bytes);
  }
  // Several requests in flight; each answer is written as it comes, so a run
  // cut short keeps what it read.
  read_records_in_window(ctx_, model, ids, sizes, [&](std::size_t first, const std::vector<RemoteRead>& reads) {
    take_refreshed(model, std::span(due).subspan(first, reads.size()), reads);
  });
}

void Puller::take_refreshed(Model model, std::span<const DueRecord> records, const std::vector<RemoteRead>& reads) {
  WriteTransaction tx(ctx_.impl);
  const auto now = Timestamp::now();
  for (std::size_t i = 0; i < reads.size(); ++i) {
    const auto& read = reads[i];
    const auto& id = records[i].id;
    auto changed_at = records[i].changed_at;
    if (read.kind == RemoteRead::Kind::Found) {
      if (take_found(ctx_, tx, model, read.wire) == Taken::Adopted) changed_at = now;
    } else if (read.kind == RemoteRead::Kind::Unreadable) {
      take_unreadable(ctx_, tx, model, read.unreadable);
    } else if (!take_absent(ctx_, tx, model, id)) {
      // Not yet confirmed: read it again in a later run, the confirmation time later.
      schedule_check(tx, model, id, now,
                     Timestamp::from_unix_millis(now.unix_millis() + ctx_.options.absence_confirmation.count()));
      continue;
    }
    schedule_check(tx, model, id, now, next_check(ctx_, changed_at, now));
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
    const std::vector<std::size_t> sizes(ids.size(), 0);
    read_records_in_window(ctx_, model, ids, sizes, [&](std::size_t first, const std::vector<RemoteRead>& reads) {
      WriteTransaction tx(ctx_.impl);
      for (std::size_t i = 0; i < reads.size(); ++i) {
        switch (reads[i].kind) {
          case RemoteRead::Kind::Found: take_found(ctx_, tx, model, reads[i].wire); break;
          case RemoteRead::Kind::Unreadable: take_unreadable(ctx_, tx, model, reads[i].unreadable); break;
          case RemoteRead::Kind::Absent: release_quarantine(tx, model, ids[first + i]); break;  // gone: nothing to fix
        }
      }
      tx.commit();
      read_ += static_cast<std::int64_t>(reads.size());
      progress();
    });
  }
}

void Puller::pull_accounts() {
  // Each account's pages go one after another (each asks from the last one's
  // nextToken), several accounts at once within the window.
  std::vector<AccountPass> passes;
  for (const auto& accountId : ctx_.options.accounts) {
    auto checkpoint = read_checkpoint(ctx_.impl, accountId);
    // A pass cut off earlier goes on with the bound it started with: its
    // nextToken belongs to that query.
    if (!checkpoint.nextToken)
      checkpoint.created_from = pass_start(checkpoint.max_seen, ctx_.options.account_pull_lookback);
    passes.push_back({accountId, std::move(checkpoint)});
  }
  read_in_window(ctx_, [&]() -> std::optional<WindowedRead> {
    // The first account in the configured order with a page to ask for now.
    const auto pass = std::ranges::find_if(passes, [](const AccountPass& p) { return !p.asking && !p.done; });
    if (pass == passes.end()) return std::nullopt;
    return page_read(*pass);
  });
}

WindowedRead Puller::page_read(AccountPass& pass) {
  pass.asking = true;
  ListOptions options;
  options.sortDirection = SortDirection::Asc;
  options.limit = account_page_limit_;
  const auto& checkpoint = pass.checkpoint;
  auto query = queries::scoring_jobs_by_account_id_and_created_at(
      pass.accountId, checkpoint.created_from ? json{{"ge", checkpoint.created_from->format()}} : json(nullptr),
      options);
  auto page = std::make_shared<Page<ScoringJob>>();
  return {[page, query = std::move(query), token = checkpoint.nextToken](RemoteClient& client) {
            *page = client.list_page(query, token);
          },
          [this, page, &pass] {
            pass.asking = false;
            take_page(pass, *page);
          },
          [this, &pass, asked = account_page_limit_](const Error& error, const Disposition& disposition) {
            pass.asking = false;
            return recover_page(pass, asked, error, disposition);
          }};
}

bool Puller::recover_page(AccountPass& pass, int asked, const Error& error, const Disposition& disposition) {
  auto& checkpoint = pass.checkpoint;
  if (error.code() == Errc::InvalidToken) {
    if (!checkpoint.nextToken) return false;
    // The saved token is no longer good (expired, or the API was redeployed):
    // start the pass again from the checkpoint, with the lookback.
    log(LogLevel::Warn,
        "account " + excerpt(pass.accountId) + ": the API refused the saved page token; starting the pass again");
    checkpoint.nextToken.reset();
    checkpoint.created_from = pass_start(checkpoint.max_seen, ctx_.options.account_pull_lookback);
    return true;
  }
  if (disposition.action != Action::Shrink || asked == 1) return false;
  // Halved for the run, once for the pages asked at the same size.
  account_page_limit_ = std::min(account_page_limit_, std::max(1, asked / 2));
  log(LogLevel::Info, "an account page was too large; asking for " + std::to_string(account_page_limit_));
  return true;
}

void Puller::take_page(AccountPass& pass, const Page<ScoringJob>& page) {
  auto& checkpoint = pass.checkpoint;
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
        "account " + excerpt(pass.accountId) + ": the API answered the same page token again; the pass ends here");
  }
  checkpoint.nextToken = repeated ? std::nullopt : page.nextToken;
  write_checkpoint(tx, pass.accountId, checkpoint);
  tx.commit();
  read_ += static_cast<std::int64_t>(page.items.size() + page.unreadable.size());
  progress();
  pass.done = !checkpoint.nextToken;
}

}  // namespace scoringjobs::detail
