#pragma once
// A write transaction: BEGIN IMMEDIATE takes the database's write lock up front
// (waiting up to the busy timeout for other processes), so a writer never fails
// half-way with "database is locked". Rolls back in its destructor unless
// commit() ran; remembers which of the two happened; never throws from the
// destructor. Functions that write take one of these by reference, so a write
// outside a transaction does not compile. A rollback that fails (an I/O error)
// is finished by the next WriteTransaction on the same connection, before it
// begins, so a later write never joins a transaction that was given up.

#include <SQLiteCpp/Database.h>

#include "store/statement_cache.hpp"

namespace scoringjobs::detail {

struct StoreImpl;

class WriteTransaction {
 public:
  explicit WriteTransaction(StoreImpl& store);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  /// Throws Error{Internal} unless the transaction is open, and the storage
  /// error of a failed COMMIT (the transaction then rolls back on destruction).
  void commit();
  void rollback() noexcept;

  SQLite::Database& db() noexcept;
  CachedStatement statement(std::string_view sql);
  StoreImpl& store() noexcept { return store_; }

 private:
  enum class State { Open, Committed, RolledBack };

  StoreImpl& store_;
  State state_ = State::Open;
};

}  // namespace scoringjobs::detail
