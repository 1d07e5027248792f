#include "store/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace scoringjobs::detail {
namespace {

// Extended codes that mean a write to the database, WAL or shared-memory file
// failed: no space, over RLIMIT_FSIZE (EFBIG) or a failing device.
bool is_write_failure(int extended_code) {
  switch (extended_code) {
    case SQLITE_IOERR_WRITE:
    case SQLITE_IOERR_FSYNC:
    case SQLITE_IOERR_DIR_FSYNC:
    case SQLITE_IOERR_TRUNCATE:
    case SQLITE_IOERR_SHMOPEN:  // sizing the new shared-memory file beside the database failed
    case SQLITE_IOERR_SHMSIZE: return true;
    default: return false;
  }
}

}  // namespace

void throw_storage_error(const SQLite::Exception& e, std::string_view doing) {
  const int primary = e.getErrorCode();
  Errc code = Errc::Storage;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = Errc::Busy;
  if (primary == SQLITE_CONSTRAINT) code = Errc::Conflict;
  std::string message(doing);
  message += ": ";
  message += e.what();
  if (primary == SQLITE_FULL) message += " (the disk is full; nothing was written)";
  if (is_write_failure(e.getExtendedErrorCode())) {
    // SQLite says only "disk I/O error"; name what failed and what it means for the caller.
    message +=
        " (cannot write to the database files: a file size limit, no space or a failing disk; nothing was written)";
  }
  throw Error(code, message, {}, e.getExtendedErrorCode());
}

}  // namespace scoringjobs::detail
