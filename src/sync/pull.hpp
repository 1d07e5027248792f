#pragma once
// Pull: reads back local records that are not finished, on a schedule (see
// adopt.hpp for what a read does), re-checks quarantined records, and fetches
// each configured account's remote jobs page by page, resumably.

#include <optional>
#include <string>
#include <vector>

#include "store/refresh_schedule.hpp"
#include "store/sync_tables.hpp"
#include "sync/remote_reads.hpp"
#include "sync/run_context.hpp"

namespace scoringjobs::detail {

class Puller {
 public:
  explicit Puller(RunContext& context) : ctx_(context) {}
  /// Throws RunEnded when the network, the API or the deadline ends the run.
  void run();

 private:
  void refresh(Model model);
  void recheck_quarantine();
  void pull_account(const std::string& accountId);
  /// Reads the records and takes what each read found; schedules the next read.
  void read_and_take(Model model, const std::vector<DueRecord>& records);
  Page<ScoringJob> account_page(const std::string& accountId, const PullCheckpoint& checkpoint);
  void progress() const;

  RunContext& ctx_;
  std::int64_t read_ = 0;         // records read so far, for progress
  int account_page_limit_ = 100;  // halved for the run by an answer too large
};

}  // namespace scoringjobs::detail
