#pragma once
// How a connection waits for another process's write lock.
//
// SQLite's built-in busy timeout sleeps in growing steps of up to 100 ms
// between attempts. Beside a process that commits in a tight loop the lock is
// free only for microseconds between its transactions, so a waiter that looks
// that rarely can lose every race for seconds: a sync starved by busy writers.
// Looking every millisecond keeps waiting fair at negligible cost.

#include <sqlite3.h>

#include <chrono>

namespace scoringjobs::detail {

class BusyWait {
 public:
  explicit BusyWait(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  /// Makes `db` wait through this object; it must outlive the connection's use.
  void install(sqlite3* db);

 private:
  static int on_busy(void* self, int attempts);

  std::chrono::milliseconds timeout_;
  std::chrono::steady_clock::time_point waiting_since_{};
};

}  // namespace scoringjobs::detail
