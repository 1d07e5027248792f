#include "store/stored_json.hpp"

#include <simdjson.h>

namespace scoringjobs::detail {
namespace {

using nlohmann::json;
using simdjson::dom::element_type;

// Builds into `out` (a slot of its parent, so nothing is copied on the way up).
// The recursion is bounded by simdjson's nesting limit.
void build(simdjson::dom::element element, json& out) {
  switch (element.type()) {
    case element_type::OBJECT: {
      out = json::value_t::object;
      auto& members = out.get_ref<json::object_t&>();
      const simdjson::dom::object object = element.get_object().value_unsafe();
      // operator[]: a repeated key keeps its last value, as nlohmann's parser does.
      for (const auto field : object) build(field.value, members[std::string(field.key)]);
      return;
    }
    case element_type::ARRAY: {
      out = json::value_t::array;
      auto& items = out.get_ref<json::array_t&>();
      const simdjson::dom::array array = element.get_array().value_unsafe();
      for (const auto item : array) build(item, items.emplace_back());
      return;
    }
    case element_type::STRING: out = std::string_view(element.get_string().value_unsafe()); return;
    case element_type::INT64: {
      const auto value = element.get_int64().value_unsafe();
      // nlohmann reads every integer without a sign as unsigned.
      if (value >= 0) {
        out = static_cast<json::number_unsigned_t>(value);
      } else {
        out = static_cast<json::number_integer_t>(value);
      }
      return;
    }
    case element_type::UINT64: out = static_cast<json::number_unsigned_t>(element.get_uint64().value_unsafe()); return;
    case element_type::DOUBLE: out = element.get_double().value_unsafe(); return;
    case element_type::BOOL: out = element.get_bool().value_unsafe(); return;
    case element_type::NULL_VALUE: out = nullptr; return;
  }
}

// Whether the text may hold the integer -0, which nlohmann reads as a signed 0
// and simdjson as the same 0 as "0": a "-0" where a value may start and end.
// One inside a string is a false alarm, which costs only the slower parse.
bool may_hold_negative_zero(std::string_view text) {
  constexpr std::string_view kBefore = " \t\r\n:,[", kAfter = " \t\r\n,]}";
  for (auto at = text.find("-0"); at != std::string_view::npos; at = text.find("-0", at + 1)) {
    const bool starts = at == 0 || kBefore.find(text[at - 1]) != std::string_view::npos;
    const bool ends = at + 2 == text.size() || kAfter.find(text[at + 2]) != std::string_view::npos;
    if (starts && ends) return true;
  }
  return false;
}

}  // namespace

json parse_stored_json(std::string_view text) {
  // One parser per thread, reused: it keeps its buffers, sized for the largest
  // text it has read (an AWSJSON field is at most limits::kMaxJsonBytes).
  thread_local simdjson::dom::parser parser;
  const auto parsed = parser.parse(text.data(), text.size());
  if (parsed.error() != simdjson::SUCCESS || may_hold_negative_zero(text)) {
    return json::parse(text, nullptr, /*allow_exceptions=*/false);
  }
  json value;
  build(parsed.value_unsafe(), value);
  return value;
}

}  // namespace scoringjobs::detail
