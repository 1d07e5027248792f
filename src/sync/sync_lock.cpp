#include "sync/sync_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "scoringjobs/error.hpp"

namespace scoringjobs::detail {

std::optional<SyncLock> SyncLock::try_acquire(const std::filesystem::path& database) {
  const auto path = database.string() + ".lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw Error(Errc::Storage, "cannot open the sync lock " + path + ": " + std::strerror(errno), {}, errno);
  }
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
