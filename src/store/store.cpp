#include "scoringjobs/store.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "scoringjobs/error.hpp"
#include "store/integer_pragma.hpp"
#include "store/migrate.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"

namespace scoringjobs {
namespace detail {
namespace {

// SQLite creates new files with 0644; a store holds account data, so it is
// created first, empty, readable by its owner only. SQLite gives the -wal and
// -shm files the same mode as the database file.
void create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return;
  }
  if (errno == EEXIST) return;
  throw Error(Errc::Storage, "cannot create database file " + path.string() + ": " + std::strerror(errno), {}, errno);
}

// SQLite in WAL mode creates <db>-wal and <db>-shm beside the database, even to
// read it: in a directory this user cannot write, it only says "attempt to
// write a readonly database" (or "unable to open database file"). Say what is
// wrong and what to do instead.
[[noreturn]] void throw_open_error(const SQLite::Exception& e, const std::filesystem::path& path) {
  const int primary = e.getErrorCode();
  if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN) {
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (::access(dir.c_str(), W_OK) != 0) {
      const auto name = path.filename().string();
      const std::string what = "SQLite needs to create " + name + "-wal and " + name + "-shm beside the database";
      const std::string why = "this user cannot write to the directory " + dir.string() + " (" + e.what() + ")";
      const std::string fix = "Give the user write access to that directory, or keep the store in one it can write.";
      throw Error(Errc::Storage, "opening " + path.string() + ": " + what + ", and " + why + ". " + fix, "path",
                  e.getExtendedErrorCode());
    }
  }
  throw_storage_error(e, "opening " + path.string());
}

// Runs a statement that may briefly meet another process's lock while the
// database is being set up (e.g. two processes switching it to WAL at once).
void exec_with_retry(StoreImpl& store, const std::string& sql) {
  const auto deadline = std::chrono::steady_clock::now() + store.options.busy_timeout;
  for (;;) {
    try {
      store.db.exec(sql);
      return;
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) {
        throw_open_error(e, store.path);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
}

}  // namespace

StoreImpl::StoreImpl(const std::filesystem::path& file, const StoreOptions& opts)
    : path(file),
      options(opts),
      db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX,
         static_cast<int>(opts.busy_timeout.count())) {
  busy_wait.install(db.getHandle());
}

}  // namespace detail

Store::Store(std::unique_ptr<detail::StoreImpl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::filesystem::path& path, const StoreOptions& options) {
  // SQLite's names for a database that is not a file: every change would be lost
  // when the store closes (and ":memory:" would also leave an empty file of that name).
  if (path.empty() || path == ":memory:") {
    throw_invalid("path", path.string(), "not a file: a store must be a database file, or nothing it holds is kept");
  }
  if (options.cache_kib <= 0) throw_invalid("cache_kib", std::to_string(options.cache_kib), "must be positive");
  if (options.mmap_bytes < 0) throw_invalid("mmap_bytes", std::to_string(options.mmap_bytes), "must not be negative");
  detail::create_private_file(path);
  std::unique_ptr<detail::StoreImpl> impl;
  try {
    impl = std::make_unique<detail::StoreImpl>(path, options);
  } catch (const SQLite::Exception& e) {
    detail::throw_open_error(e, path);
  }
  detail::exec_with_retry(*impl, "PRAGMA journal_mode = WAL");
  detail::exec_with_retry(*impl, options.durability == StoreOptions::Durability::Full ? "PRAGMA synchronous = FULL"
                                                                                      : "PRAGMA synchronous = NORMAL");
  detail::exec_with_retry(*impl, "PRAGMA foreign_keys = ON");
  const auto cache_size = detail::integer_pragma("cache_size", -options.cache_kib);
  const auto mmap_size = detail::integer_pragma("mmap_size", options.mmap_bytes);
  detail::exec_with_retry(*impl, cache_size);
  detail::exec_with_retry(*impl, mmap_size);
  detail::migrate(*impl);
  return Store(std::move(impl));
}

const std::filesystem::path& Store::path() const noexcept { return impl_->path; }

int Store::schema_version() const { return detail::current_schema_version(*impl_); }

int Store::latest_schema_version() noexcept { return detail::latest_schema_version(); }

}  // namespace scoringjobs
