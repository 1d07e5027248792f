#include "store/statement_cache.hpp"

#include <SQLiteCpp/Database.h>

namespace scoringjobs::detail {

CachedStatement::~CachedStatement() {
  try {
    statement_->reset();
    statement_->clearBindings();
  } catch (...) {
    // reset() reports the error of the last step again; that error was already
    // thrown to the caller, and a destructor must not throw.
  }
}

std::size_t StatementCache::SqlHash::operator()(std::string_view sql) const noexcept {
  constexpr std::size_t kEnd = 64;
  const std::hash<std::string_view> hash;
  if (sql.size() <= 2 * kEnd) return hash(sql);
  return hash(sql.substr(0, kEnd)) ^ (hash(sql.substr(sql.size() - kEnd)) * 31) ^ sql.size();
}

CachedStatement StatementCache::get(std::string_view sql) {
  auto& slot = statements_[sql];
  if (!slot) slot = std::make_unique<SQLite::Statement>(db_, std::string(sql));
  return CachedStatement(*slot);
}

}  // namespace scoringjobs::detail
