#pragma once
// Pull: reads back local records that are not finished, on a schedule (see
// adopt.hpp for what a read does), re-checks quarantined records, and fetches
// each configured account's remote jobs page by page, resumably. Every step
// has several requests in flight within the run's window (windowed_reads.hpp);
// each answer is written on the calling thread as it comes.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/refresh_schedule.hpp"
#include "store/sync_tables.hpp"
#include "sync/remote_reads.hpp"
#include "sync/run_context.hpp"
#include "sync/windowed_reads.hpp"

namespace scoringjobs::detail {

class Puller {
 public:
  explicit Puller(RunContext& context) : ctx_(context) {}
  /// Throws RunEnded when the network, the API or the deadline ends the run.
  void run();

 private:
  /// One account's pass, page after page.
  struct AccountPass {
    std::string accountId;
    PullCheckpoint checkpoint;
    bool asking = false;  // a page request in flight
    bool done = false;    // the pass read its last page
  };

  void refresh(Model model);
  /// Takes what each read of a request found; schedules each record's next read.
  void take_refreshed(Model model, std::span<const DueRecord> records, const std::vector<RemoteRead>& reads);
  void recheck_quarantine();
  void pull_accounts();
  /// The request for the pass's next page.
  WindowedRead page_read(AccountPass& pass);
  /// A page request of `asked` jobs failed: true when the pass goes on (asks
  /// for less, or starts again without its refused token).
  bool recover_page(AccountPass& pass, int asked, const Error& error, const Disposition& disposition);
  /// Writes the page and the checkpoint after it in one transaction.
  void take_page(AccountPass& pass, const Page<ScoringJob>& page);
  void progress() const;

  RunContext& ctx_;
  std::int64_t read_ = 0;         // records read so far, for progress
  int account_page_limit_ = 100;  // halved for the run by an answer too large
};

}  // namespace scoringjobs::detail
