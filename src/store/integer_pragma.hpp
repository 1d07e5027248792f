#pragma once
// PRAGMA takes no bound parameters; its value is a checked integer, never text.

#include <cstdint>
#include <string>
#include <string_view>

namespace scoringjobs::detail {

inline std::string integer_pragma(std::string_view name, std::int64_t value) {
  return "PRAGMA " + std::string(name) + " = " + std::to_string(value);
}

}  // namespace scoringjobs::detail
