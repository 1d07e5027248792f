#include "store/write_transaction.hpp"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "scoringjobs/log.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"

namespace scoringjobs::detail {
namespace {

// ROLLBACK unless SQLite has already ended the transaction (it does after some
// errors, e.g. SQLITE_FULL); false when SQLite refused.
bool roll_back_if_open(sqlite3* handle) noexcept {
  return sqlite3_get_autocommit(handle) || sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK;
}

// An earlier ROLLBACK on this connection failed, so its transaction may still
// be open: ask again before beginning, so this write cannot join it. If SQLite
// still refuses, this write fails naming why, and the next one asks again.
void finish_failed_rollback(StoreImpl& store) {
  sqlite3* handle = store.db.getHandle();
  if (!roll_back_if_open(handle)) {
    throw Error(Errc::Storage, std::string("rolling back an earlier failed write: ") + sqlite3_errmsg(handle), {},
                sqlite3_extended_errcode(handle));
  }
  store.rollback_pending = false;
}

}  // namespace

WriteTransaction::WriteTransaction(StoreImpl& store) : store_(store) {
  if (store.rollback_pending) finish_failed_rollback(store);
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
  sqlite3* handle = store_.db.getHandle();
  if (!roll_back_if_open(handle)) {
    store_.rollback_pending = true;
    log(LogLevel::Error, std::string("rollback failed (") + sqlite3_errmsg(handle) +
                             "); the next write on this connection rolls back again before it begins");
  }
}

SQLite::Database& WriteTransaction::db() noexcept { return store_.db; }

CachedStatement WriteTransaction::statement(std::string_view sql) { return store_.statements.get(sql); }

}  // namespace scoringjobs::detail
