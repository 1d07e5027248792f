#include "sync/sync_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "scoringjobs/error.hpp"

namespace scoringjobs::detail {

std::filesystem::path SyncLock::lock_file(const std::filesystem::path& database) {
  // Named from the file the path resolves to, so a symlink or another spelling
  // of the same database (./jobs.db, dir/../jobs.db) finds the same lock.
  std::error_code error;
  auto resolved = std::filesystem::weakly_canonical(database, error);
  if (error) resolved = std::filesystem::absolute(database, error);
  if (error) resolved = database;
  resolved += ".lock";
  return resolved;
}

namespace {

// Opens (creating if need be) the lock file. One made by root for a database
// another user owns is given to that user: root running a sync once must not
// leave a file that locks the owner's cron job out. One that exists but this
// user may not write (made before by another user) is opened read-only: flock
// needs no write access.
int open_lock(const std::filesystem::path& database, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(Errc::Storage, "cannot open the sync lock " + path + ": " + std::strerror(errno), {}, errno);
  }
  struct stat owner {};
  if (::geteuid() == 0 && ::stat(database.c_str(), &owner) == 0 && owner.st_uid != 0) {
    // Best effort: a lock file root keeps is no worse than before.
    (void)::fchown(fd, owner.st_uid, owner.st_gid);
  }
  return fd;
}

}  // namespace

std::optional<SyncLock> SyncLock::try_acquire(const std::filesystem::path& database) {
  const auto path = lock_file(database).string();
  const int fd = open_lock(database, path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return std::nullopt;
    throw Error(Errc::Storage, "cannot lock " + path + ": " + std::strerror(error), {}, error);
  }
  return SyncLock(fd);
}

SyncLock::~SyncLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace scoringjobs::detail
