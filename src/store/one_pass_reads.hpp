#pragma once
// While it lives, the store reads as suits a pass that reads most pages once:
// with SQLite's default page cache (2,000 KiB) and no memory map, however the
// store was opened (StoreOptions::cache_kib, mmap_bytes). A sync run reads its
// outbox and the records it pushes once each; a large cache or a map would
// keep every page it touched in the process's memory for the rest of the run,
// so a large drain would need memory in proportion to its queue. Lookups,
// which come back to the same pages, get the store's own settings back.

#include <cstdint>

#include "store/store_impl.hpp"

namespace scoringjobs::detail {

class OnePassReads {
 public:
  explicit OnePassReads(StoreImpl& store);
  /// Restores the store's settings; never throws (a store left with the small
  /// cache and no map still reads, only slower).
  ~OnePassReads();
  OnePassReads(const OnePassReads&) = delete;
  OnePassReads& operator=(const OnePassReads&) = delete;

  static constexpr std::int64_t kCacheKib = 2000;

 private:
  StoreImpl& store_;
};

}  // namespace scoringjobs::detail
