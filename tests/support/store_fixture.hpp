#pragma once
// A store in a fresh temporary directory, removed afterwards.

#include <SQLiteCpp/Database.h>

#include <string>

#include "scoringjobs/store.hpp"
#include "support/temp_dir.hpp"

namespace scoringjobs::test {

struct StoreFixture {
  TempDir dir;
  std::filesystem::path db_path = dir / "jobs.db";
  Store store = Store::open(db_path);

  /// Counts rows with a separate read-only connection, as another process would.
  std::int64_t count(const std::string& sql) const;
};

}  // namespace scoringjobs::test
