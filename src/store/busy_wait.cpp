#include "store/busy_wait.hpp"

#include <thread>

namespace scoringjobs::detail {

void BusyWait::install(sqlite3* db) { sqlite3_busy_handler(db, &BusyWait::on_busy, this); }

int BusyWait::on_busy(void* self, int attempts) {
  auto& wait = *static_cast<BusyWait*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (attempts == 0) wait.waiting_since_ = now;
  if (now - wait.waiting_since_ >= wait.timeout_) return 0;  // give up: SQLITE_BUSY
  // The first looks are quick, for the common case of a short transaction.
  std::this_thread::sleep_for(attempts < 10 ? std::chrono::microseconds(100) : std::chrono::microseconds(1000));
  return 1;
}

}  // namespace scoringjobs::detail
