#pragma once
// JSON text that comes from outside (an AWSJSON field on the wire, a
// command-line option, a fixture file), parsed so that whatever is accepted is
// stored and read back as the same value.

#include <nlohmann/json.hpp>
#include <string_view>

namespace scoringjobs {

/// Parses `text` as one JSON value. Throws Error{InvalidArgument} whose field()
/// is `what` and whose message names it with a bounded excerpt of the text for:
/// text that is not JSON (invalid UTF-8 included); nesting deeper than
/// limits::kMaxJsonDepth; a number no double can hold (1e400); an integer
/// outside 64 bits (18446744073709551616), which would otherwise silently become
/// an approximate double. Thread-safe; no state.
nlohmann::json parse_json_input(std::string_view what, std::string_view text);

}  // namespace scoringjobs
