#pragma once
// One sync per store: an exclusive flock on a lock file beside the database
// (never the database itself, whose locks belong to SQLite). The kernel drops
// the lock when the process dies, so a killed sync never wedges the next one.

#include <filesystem>
#include <optional>

namespace scoringjobs::detail {

class SyncLock {
 public:
  /// The lock, or nullopt when another process holds it. Throws Error{Storage}
  /// when the lock file cannot be created.
  static std::optional<SyncLock> try_acquire(const std::filesystem::path& database);
  /// `<database>.lock`, beside the file `database` resolves to (symlinks
  /// followed, `.` and `..` removed); the path as given if it cannot be resolved.
  static std::filesystem::path lock_file(const std::filesystem::path& database);

  SyncLock(SyncLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  SyncLock& operator=(SyncLock&&) = delete;
  SyncLock(const SyncLock&) = delete;
  ~SyncLock();

 private:
  explicit SyncLock(int fd) noexcept : fd_(fd) {}
  int fd_;
};

}  // namespace scoringjobs::detail
