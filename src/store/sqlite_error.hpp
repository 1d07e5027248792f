#pragma once
// SQLite failures become scoringjobs::Error at the store boundary.

#include <SQLiteCpp/Exception.h>

#include <string_view>
#include <utility>

#include "scoringjobs/error.hpp"

namespace scoringjobs::detail {

/// Storage, Busy or Conflict (constraint violations), with the extended result code.
[[noreturn]] void throw_storage_error(const SQLite::Exception& e, std::string_view doing);

/// Runs `work`, turning SQLite exceptions into Error; Error passes through.
template <class Work>
decltype(auto) guard_sqlite(std::string_view doing, Work&& work) {
  try {
    return std::forward<Work>(work)();
  } catch (const SQLite::Exception& e) {
    throw_storage_error(e, doing);
  }
}

}  // namespace scoringjobs::detail
