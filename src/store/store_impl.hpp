#pragma once
// What a Store owns: the SQLite connection and its cache of prepared statements.

#include <SQLiteCpp/Database.h>

#include <filesystem>

#include "scoringjobs/store.hpp"
#include "store/statement_cache.hpp"

namespace scoringjobs::detail {

struct StoreImpl {
  StoreImpl(const std::filesystem::path& file, const StoreOptions& opts);

  std::filesystem::path path;
  StoreOptions options;
  SQLite::Database db;
  StatementCache statements{db};
};

}  // namespace scoringjobs::detail
