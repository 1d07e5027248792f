#include "store/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace scoringjobs::detail {

void throw_storage_error(const SQLite::Exception& e, std::string_view doing) {
  const int primary = e.getErrorCode();
  Errc code = Errc::Storage;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = Errc::Busy;
  if (primary == SQLITE_CONSTRAINT) code = Errc::Conflict;
  std::string message(doing);
  message += ": ";
  message += e.what();
  if (primary == SQLITE_FULL) message += " (the disk is full; nothing was written)";
  throw Error(code, message, {}, e.getExtendedErrorCode());
}

}  // namespace scoringjobs::detail
