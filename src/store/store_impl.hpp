#pragma once
// What a Store owns: the SQLite connection, how it waits for other processes'
// locks, and its cache of prepared statements.

#include <SQLiteCpp/Database.h>

#include <filesystem>

#include "scoringjobs/store.hpp"
#include "store/busy_wait.hpp"
#include "store/statement_cache.hpp"

namespace scoringjobs::detail {

struct StoreImpl {
  StoreImpl(const std::filesystem::path& file, const StoreOptions& opts);

  std::filesystem::path path;
  StoreOptions options;
  SQLite::Database db;
  BusyWait busy_wait{options.busy_timeout};
  StatementCache statements{db};
  /// A WriteTransaction's ROLLBACK failed and may have left its transaction
  /// open: the next WriteTransaction rolls it back before it begins.
  bool rollback_pending = false;
};

/// The one way into a Store's internals; only the library's own sources see it.
struct StoreAccess {
  static StoreImpl& of(Store& store) noexcept { return *store.impl_; }
};
inline StoreImpl& impl_of(Store& store) noexcept { return StoreAccess::of(store); }

}  // namespace scoringjobs::detail
