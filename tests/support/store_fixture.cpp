#include "support/store_fixture.hpp"

namespace scoringjobs::test {

std::int64_t StoreFixture::count(const std::string& sql) const {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

}  // namespace scoringjobs::test
