#pragma once
// The embedded store: one SQLite database file holding the records, their
// outbox and the sync state. Several processes may open the same file; writers
// serialize on SQLite's write lock (BEGIN IMMEDIATE) and wait up to the busy
// timeout for it.
//
// A Store is move-only and not thread-safe: use one per thread.

#include <chrono>
#include <filesystem>
#include <memory>

namespace scoringjobs {

struct StoreOptions {
  enum class Durability {
    Full,    // synchronous=FULL: a returned write survives power loss
    Normal,  // synchronous=NORMAL: survives a crash of the process, not of the OS
  };
  Durability durability = Durability::Full;
  /// How long a writer waits for another process's write lock before Errc::Busy.
  std::chrono::milliseconds busy_timeout{30'000};
  /// SQLite's page cache for the store's connection, in KiB (PRAGMA cache_size).
  /// SQLite's own default is 2,000 KiB, which at a million jobs no longer holds
  /// the upper levels of the indexes, so lookups read them from the OS again;
  /// the cache only grows as far as pages are read (README "Performance").
  /// sync() uses at most SQLite's default for its run (see mmap_bytes).
  std::int64_t cache_kib = 32 * 1024;
  /// How much of the file SQLite reads through a memory map instead of read()
  /// (PRAGMA mmap_size; 0 turns it off). A lookup in a large store then costs
  /// no system call per page the page cache does not hold (at a million jobs
  /// most of them: README "Performance"). Pages read through the map count in
  /// the process's resident memory while they stay mapped (file pages the
  /// kernel may drop, not the process's own). sync() reads without a map and
  /// with SQLite's default 2,000 KiB cache for its run, so a drain's memory
  /// stays bounded by its batches, not by its queue. An I/O error of the disk
  /// under a mapped page ends the process (SIGBUS) instead of failing the
  /// read: set 0 on storage that fails that way.
  std::int64_t mmap_bytes = sizeof(void*) >= 8 ? std::int64_t{2} << 30 : std::int64_t{256} << 20;
};

namespace detail {
struct StoreImpl;
struct StoreAccess;  // defined in src/store/store_impl.hpp: the library's layers reach the internals through it
}  // namespace detail

class Store {
 public:
  /// Opens (creating it with mode 0600 if absent) and migrates the database.
  /// Throws Error{SchemaTooNew} for a database written by a newer version and
  /// Error{Storage} when the file cannot be opened or is not a database.
  static Store open(const std::filesystem::path& path, const StoreOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::filesystem::path& path() const noexcept;
  /// The schema version of the open database (PRAGMA user_version).
  int schema_version() const;
  /// The newest schema version this library knows.
  static int latest_schema_version() noexcept;

 private:
  friend struct detail::StoreAccess;
  explicit Store(std::unique_ptr<detail::StoreImpl> impl);
  std::unique_ptr<detail::StoreImpl> impl_;
};

}  // namespace scoringjobs
