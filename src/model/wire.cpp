#include "model/wire.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "scoringjobs/error.hpp"
#include "scoringjobs/json_input.hpp"
#include "scoringjobs/limits.hpp"

namespace scoringjobs::detail {
namespace {

std::string type_name(const nlohmann::json& value) { return value.type_name(); }

}  // namespace

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra;
    std::uint32_t min;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000;
    } else {
      return i;
    }
    if (i + extra >= s.size()) return i;  // truncated sequence
    std::uint32_t code = c & (0x3F >> extra);
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      code = (code << 6) | (cc & 0x3F);
    }
    if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += extra + 1;
  }
  return std::string_view::npos;
}

void check_text(std::string_view field, std::string_view value, std::size_t max_bytes) {
  if (value.size() > max_bytes) {
    throw_invalid(field, value, "longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (value.find('\0') != std::string_view::npos) throw_invalid(field, value, "contains a NUL byte");
  if (const auto at = invalid_utf8_at(value); at != std::string_view::npos) {
    throw_invalid(field, value, "not valid UTF-8 at byte " + std::to_string(at));
  }
}

void check_id(std::string_view field, std::string_view value) {
  if (value.empty()) throw_invalid(field, value, "must not be empty");
  check_text(field, value, limits::kMaxIdBytes);
}

std::string encode_awsjson(std::string_view field, const nlohmann::json& value) {
  check_json_value(field, value);
  auto text = value.dump();
  if (text.size() > limits::kMaxJsonBytes) {
    throw_invalid(field, text, "JSON longer than " + std::to_string(limits::kMaxJsonBytes) + " bytes");
  }
  return text;
}

std::size_t item_size(std::string_view model, const nlohmann::json& wire) {
  constexpr std::size_t kNumberBytes = 21;  // DynamoDB's upper bound for a number
  std::size_t bytes = std::string_view("__typename").size() + model.size();
  for (const auto& [name, value] : wire.items()) {
    if (value.is_null()) continue;
    bytes += name.size();
    if (value.is_string()) {
      bytes += value.get_ref<const std::string&>().size();
    } else if (value.is_number()) {
      bytes += kNumberBytes;
    } else if (value.is_boolean()) {
      bytes += 1;
    } else {
      bytes += value.dump().size();
    }
  }
  return bytes;
}

void check_item_size(std::string_view model, const nlohmann::json& wire) {
  const auto bytes = item_size(model, wire);
  if (bytes <= limits::kMaxItemBytes) return;
  std::string largest;
  std::size_t largest_bytes = 0;
  for (const auto& [name, value] : wire.items()) {
    const auto size = value.is_string() ? value.get_ref<const std::string&>().size() : 0;
    if (size > largest_bytes) {
      largest = name;
      largest_bytes = size;
    }
  }
  const auto id = wire.contains("id") && wire["id"].is_string() ? wire["id"].get<std::string>() : std::string("?");
  throw Error(Errc::InvalidArgument,
              std::string(model) + " " + excerpt(id) + " would take " + std::to_string(bytes) +
                  " bytes remotely, over DynamoDB's item limit of " + std::to_string(limits::kMaxItemBytes) +
                  " bytes (largest field: " + largest + ", " + std::to_string(largest_bytes) + " bytes)",
              largest);
}

WireReader::WireReader(const nlohmann::json& wire, std::string_view model) : wire_(wire), model_(model) {
  if (!wire.is_object()) {
    throw Error(Errc::InvalidArgument, "invalid " + model_ + ": expected a JSON object, got " + type_name(wire));
  }
  read_.reserve(wire.size());
}

const nlohmann::json* WireReader::take(const char* key) {
  const auto it = wire_.find(key);
  if (it == wire_.end()) return nullptr;
  const auto* value = &*it;
  if (std::find(read_.begin(), read_.end(), value) == read_.end()) read_.push_back(value);
  return value->is_null() ? nullptr : value;
}

std::string WireReader::required_string(const char* key, std::size_t max_bytes) {
  const auto* value = take(key);
  if (!value) throw Error(Errc::InvalidArgument, "invalid " + model_ + ": missing " + key, key);
  if (!value->is_string()) throw_invalid(key, json_for_message(*value), "must be a string");
  const auto& text = value->get_ref<const std::string&>();
  if (text.empty()) throw_invalid(key, text, "must not be empty");
  check_text(key, text, max_bytes);
  return text;
}

std::string WireReader::id(const char* key) { return required_string(key, limits::kMaxIdBytes); }

std::optional<std::string> WireReader::optional_string(const char* key, std::size_t max_bytes) {
  const auto* value = take(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) throw_invalid(key, json_for_message(*value), "must be a string or null");
  const auto& text = value->get_ref<const std::string&>();
  check_text(key, text, max_bytes);
  return text;
}

std::optional<std::string> WireReader::optional_id(const char* key) {
  auto value = optional_string(key, limits::kMaxIdBytes);
  if (value && value->empty()) throw_invalid(key, *value, "must not be empty (use null)");
  return value;
}

Timestamp WireReader::required_timestamp(const char* key) {
  auto value = optional_timestamp(key);
  if (!value) throw Error(Errc::InvalidArgument, "invalid " + model_ + ": missing " + key, key);
  return std::move(*value);
}

std::optional<Timestamp> WireReader::optional_timestamp(const char* key) {
  const auto* value = take(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) throw_invalid(key, json_for_message(*value), "must be an RFC 3339 string");
  return Timestamp::parse(value->get_ref<const std::string&>(), key);
}

std::optional<nlohmann::json> WireReader::optional_awsjson(const char* key) {
  const auto* value = take(key);
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    throw_invalid(key, json_for_message(*value), "AWSJSON must be a string holding JSON on the wire");
  }
  const auto& text = value->get_ref<const std::string&>();
  if (text.size() > limits::kMaxJsonBytes) {
    throw_invalid(key, text, "JSON longer than " + std::to_string(limits::kMaxJsonBytes) + " bytes");
  }
  return parse_json_input(key, text);
}

std::optional<int> WireReader::optional_int(const char* key) {
  const auto* value = take(key);
  if (!value) return std::nullopt;
  if (!value->is_number_integer()) throw_invalid(key, json_for_message(*value), "must be an integer");
  // GraphQL Int is a signed 32-bit integer.
  if (value->is_number_unsigned()) {
    const auto u = value->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
      throw_invalid(key, json_for_message(*value), "outside the 32-bit range of GraphQL Int");
    }
    return static_cast<int>(u);
  }
  const auto v = value->get<std::int64_t>();
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    throw_invalid(key, json_for_message(*value), "outside the 32-bit range of GraphQL Int");
  }
  return static_cast<int>(v);
}

void WireReader::ignore(const char* key) { take(key); }

void WireReader::finish() {
  if (read_.size() == wire_.size()) return;
  // The first unknown key in the object's (sorted) order.
  for (const auto& item : wire_.items()) {
    const auto& key = item.key();
    if (std::find(read_.begin(), read_.end(), &item.value()) == read_.end()) {
      // The key is input: the field named is its bounded excerpt, never megabytes of it.
      throw Error(Errc::InvalidArgument, "invalid " + model_ + ": unknown field \"" + excerpt(key) + "\"",
                  excerpt(key));
    }
  }
}

nlohmann::json apply_patch(nlohmann::json& wire, const nlohmann::json& changes, std::string_view model,
                           std::initializer_list<std::string_view> awsjson_fields,
                           std::initializer_list<std::string_view> refused) {
  if (!changes.is_object()) {
    throw Error(Errc::InvalidArgument,
                "invalid " + std::string(model) + " update: expected a JSON object, got " + type_name(changes));
  }
  nlohmann::json changed = nlohmann::json::object();
  for (const auto& [key, value] : changes.items()) {
    if (std::find(refused.begin(), refused.end(), key) != refused.end()) {
      throw Error(Errc::InvalidArgument, key + " cannot be modified by an update", key);
    }
    if (!wire.contains(key)) {
      throw Error(Errc::InvalidArgument,
                  "invalid " + std::string(model) + " update: unknown field \"" + excerpt(key) + "\"", excerpt(key));
    }
    check_json_value(key, value);  // before the copy below walks it
    nlohmann::json wire_value = value;
    const bool is_awsjson = std::find(awsjson_fields.begin(), awsjson_fields.end(), key) != awsjson_fields.end();
    if (is_awsjson && !value.is_null()) wire_value = encode_awsjson(key, value);
    if (wire[key] != wire_value) {
      wire[key] = wire_value;
      changed[key] = std::move(wire_value);
    }
  }
  return changed;
}

std::span<const std::string_view> awsjson_fields(Model model) noexcept {
  static constexpr std::array<std::string_view, 2> kScoringJob{"errorDetails", "metadata"};
  static constexpr std::array<std::string_view, 1> kBatchJob{"errorDetails"};
  switch (model) {
    case Model::ScoringJob: return kScoringJob;
    case Model::BatchJob: return kBatchJob;
    case Model::BatchJobScoringJob: return {};
  }
  return {};
}

nlohmann::json awsjson_as_values(Model model, const nlohmann::json& fields) {
  auto out = fields;
  if (!out.is_object()) return out;
  for (const auto key : awsjson_fields(model)) {
    const auto it = out.find(key);
    if (it == out.end() || !it->is_string()) continue;
    auto value = nlohmann::json::parse(it->get_ref<const std::string&>(), nullptr, false);
    if (!value.is_discarded()) *it = std::move(value);
  }
  return out;
}

}  // namespace scoringjobs::detail
