#pragma once
// JSON text the store wrote (the AWSJSON columns), read back into the
// nlohmann::json the records hold.

#include <nlohmann/json.hpp>
#include <string_view>

namespace scoringjobs::detail {

/// The value nlohmann::json::parse(text) gives, type for type (a non-negative
/// integer unsigned, as nlohmann makes it); a discarded value when the text is
/// not JSON. A lookup otherwise spends most of its parsing time in nlohmann's
/// lexer: simdjson parses here, and whatever it will not take (an integer
/// beyond 64 bits, nesting deeper than it allows, invalid text) goes to
/// nlohmann, so nothing is read differently.
nlohmann::json parse_stored_json(std::string_view text);

}  // namespace scoringjobs::detail
