#pragma once
// SIGTERM (systemd stopping the unit, or its timeout) and SIGINT (Ctrl-C) ask a
// running sync to stop between requests instead of killing it mid-way: the run
// is recorded as interrupted with its counts and the summary still prints. A
// second signal of the same kind kills the process as before (SA_RESETHAND).

#include <atomic>
#include <csignal>

namespace scoringjobs::cli {

class StopOnSignals {
 public:
  /// Installs the handlers; the previous ones come back when this is destroyed.
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

  /// Set once a signal arrived; for SyncOptions::stop.
  const std::atomic<bool>& flag() const noexcept;

 private:
  struct sigaction previous_term_ {};
  struct sigaction previous_int_ {};
};

}  // namespace scoringjobs::cli
