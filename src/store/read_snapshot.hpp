#pragma once
// A read transaction: every query made while it lives sees one snapshot of the
// database, so counts read one after another agree with each other. Rolls back
// (nothing was written) in its destructor, which never throws.

#include <SQLiteCpp/Database.h>

#include "store/store_impl.hpp"

namespace scoringjobs::detail {

class ReadSnapshot {
 public:
  explicit ReadSnapshot(StoreImpl& store) : db_(store.db) { db_.exec("BEGIN"); }
  ~ReadSnapshot() {
    try {
      db_.exec("ROLLBACK");
    } catch (const SQLite::Exception&) {
      // Nothing was written in it; the connection is usable either way.
    }
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  SQLite::Database& db_;
};

}  // namespace scoringjobs::detail
