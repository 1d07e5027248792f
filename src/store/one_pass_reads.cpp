#include "store/one_pass_reads.hpp"

#include <algorithm>

#include "scoringjobs/log.hpp"
#include "store/integer_pragma.hpp"

namespace scoringjobs::detail {
namespace {

void set_reads(StoreImpl& store, std::int64_t cache_kib, std::int64_t mmap_bytes) {
  store.db.exec(integer_pragma("cache_size", -cache_kib));
  store.db.exec(integer_pragma("mmap_size", mmap_bytes));
}

}  // namespace

OnePassReads::OnePassReads(StoreImpl& store) : store_(store) {
  set_reads(store_, std::min(store_.options.cache_kib, kCacheKib), 0);
}

OnePassReads::~OnePassReads() {
  try {
    set_reads(store_, store_.options.cache_kib, store_.options.mmap_bytes);
  } catch (const std::exception& e) {
    log(LogLevel::Warn, std::string("the store's page cache and memory map stay small after sync: ") + e.what());
  }
}

}  // namespace scoringjobs::detail
