#pragma once

#include <string_view>

namespace scoringjobs {

/// The library version, e.g. "0.1.0" (also sent as User-Agent: scoringjobs/<version>).
std::string_view version() noexcept;

}  // namespace scoringjobs
