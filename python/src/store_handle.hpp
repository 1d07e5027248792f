#pragma once
// A Store shared by the Python objects that use it (the Store object, and every
// record read or made through it, for update()). The library's Store is not
// thread-safe, so every call takes the handle's lock; the GIL is released
// first (and while the lock is held), so other Python threads run meanwhile
// and a thread waiting for the lock never holds the GIL.

#include <pybind11/pybind11.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "scoringjobs/error.hpp"
#include "scoringjobs/store.hpp"

namespace scoringjobs::python {

class StoreHandle {
 public:
  explicit StoreHandle(Store store) : store_(std::move(store)), path_(store_->path()) {}

  /// Runs `work(Store&)` under the lock with the GIL released; call with the GIL held.
  template <class Work>
  decltype(auto) run(Work&& work) {
    pybind11::gil_scoped_release release;
    std::lock_guard lock(mutex_);
    if (!store_) throw Error(Errc::InvalidArgument, "the store " + path_.string() + " is closed", "store");
    return std::forward<Work>(work)(*store_);
  }

  /// Closes the database (waiting for a call in progress); later calls raise.
  void close() {
    pybind11::gil_scoped_release release;
    std::lock_guard lock(mutex_);
    store_.reset();
    closed_ = true;
  }
  bool closed() const noexcept { return closed_; }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::mutex mutex_;
  std::optional<Store> store_;
  std::filesystem::path path_;
  std::atomic<bool> closed_{false};
};

using StoreRef = std::shared_ptr<StoreHandle>;

}  // namespace scoringjobs::python
