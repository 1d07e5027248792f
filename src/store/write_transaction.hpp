#pragma once
// A write transaction: BEGIN IMMEDIATE takes the database's write lock up front
// (waiting up to the busy timeout for other processes), so a writer never fails
// half-way with "database is locked". Rolls back in its destructor unless
// commit() ran; remembers which of the two happened; never throws from the
// destructor. Functions that write take one of these by reference, so a write
// outside a transaction does not compile.

#include <SQLiteCpp/Database.h>

#include "store/statement_cache.hpp"

namespace scoringjobs::detail {

struct StoreImpl;

class WriteTransaction {
 public:
  enum class State { Open, Committed, RolledBack };

  explicit WriteTransaction(StoreImpl& store);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit();
  void rollback() noexcept;
  State state() const noexcept { return state_; }

  SQLite::Database& db() noexcept;
  CachedStatement statement(std::string_view sql);
  StoreImpl& store() noexcept { return store_; }

 private:
  StoreImpl& store_;
  State state_ = State::Open;
};

}  // namespace scoringjobs::detail
