#include "store/write_transaction.hpp"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "scoringjobs/log.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"

namespace scoringjobs::detail {

WriteTransaction::WriteTransaction(StoreImpl& store) : store_(store) {
  // SQLite's busy handler already waits for the lock; this loop covers the few
  // cases where it returns SQLITE_BUSY without waiting (e.g. while another
  // process recovers the WAL), up to the same timeout.
  const auto deadline = std::chrono::steady_clock::now() + store.options.busy_timeout;
  auto pause = std::chrono::milliseconds(1);
  for (;;) {
    try {
      // Cached like any hot statement: sqlite3_exec would parse it on every write.
      store.statements.get("BEGIN IMMEDIATE")->exec();
      return;
    } catch (const SQLite::Exception& e) {
      const bool busy = e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED;
      if (!busy || std::chrono::steady_clock::now() >= deadline) throw_storage_error(e, "starting a write");
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(50));
    }
  }
}

WriteTransaction::~WriteTransaction() { rollback(); }

void WriteTransaction::commit() {
  if (state_ != State::Open) throw Error(Errc::Internal, "commit of a transaction that is not open");
  guard_sqlite("committing", [&] { store_.statements.get("COMMIT")->exec(); });
  state_ = State::Committed;
}

void WriteTransaction::rollback() noexcept {
  if (state_ != State::Open) return;
  state_ = State::RolledBack;
  // After some errors (e.g. SQLITE_FULL) SQLite has already rolled back; asking
  // again is harmless and leaves the connection usable either way.
  if (sqlite3_get_autocommit(store_.db.getHandle())) return;
  if (sqlite3_exec(store_.db.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr) != SQLITE_OK) {
    log(LogLevel::Error, "rollback failed; the connection will be reset on next use");
  }
}

SQLite::Database& WriteTransaction::db() noexcept { return store_.db; }

CachedStatement WriteTransaction::statement(std::string_view sql) { return store_.statements.get(sql); }

}  // namespace scoringjobs::detail
