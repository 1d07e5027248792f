#pragma once
// Reading and writing the wire shape of a record (as AppSync returns it), with
// every malformed value reported as Error{InvalidArgument} naming the field.

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {

/// The offset of the first byte that is not part of valid UTF-8, or npos.
std::size_t invalid_utf8_at(std::string_view s);
/// Checks a JSON value made by a caller (metadata, errorDetails, parameters)
/// before anything dumps, compares or stores it: nesting within
/// limits::kMaxJsonDepth, finite numbers, valid UTF-8, no binary. Throws
/// InvalidArgument naming `field`.
void check_json_value(std::string_view field, const nlohmann::json& value);
/// A value as text for an error message: never recurses past
/// limits::kMaxJsonDepth and never throws on invalid UTF-8.
std::string json_for_message(const nlohmann::json& value);

/// Checks a string value: valid UTF-8, no NUL byte, at most max_bytes; throws naming `field`.
void check_text(std::string_view field, std::string_view value, std::size_t max_bytes);
/// Checks an id-like value: as check_text with the id limit, and not empty.
void check_id(std::string_view field, std::string_view value);
/// Encodes an AWSJSON value as its wire string; throws if it fails
/// check_json_value or is too large.
std::string encode_awsjson(std::string_view field, const nlohmann::json& value);

/// About how many bytes DynamoDB counts for a record in wire shape: each
/// non-null attribute's name and value (strings by their bytes, AWSJSON by its
/// JSON text), plus the __typename attribute Amplify adds.
std::size_t item_size(std::string_view model, const nlohmann::json& wire);
/// Throws InvalidArgument, naming the record, its size and its largest field,
/// when item_size() is over limits::kMaxItemBytes.
void check_item_size(std::string_view model, const nlohmann::json& wire);

/// Reads the fields of one wire object. Each accessor counts the key it reads, so
/// finish() can refuse whatever is left over (unknown fields).
class WireReader {
 public:
  WireReader(const nlohmann::json& wire, std::string_view model);

  std::string id(const char* key);  // required, non-empty, id-sized
  std::string required_string(const char* key, std::size_t max_bytes);
  std::optional<std::string> optional_string(const char* key, std::size_t max_bytes);
  std::optional<std::string> optional_id(const char* key);
  Timestamp required_timestamp(const char* key);
  std::optional<Timestamp> optional_timestamp(const char* key);
  std::optional<nlohmann::json> optional_awsjson(const char* key);
  std::optional<int> optional_int(const char* key);
  /// Ignores the key if present (e.g. __typename, nested connections).
  void ignore(const char* key);
  /// Throws for any key not read.
  void finish();

 private:
  const nlohmann::json* take(const char* key);

  const nlohmann::json& wire_;
  std::string model_;
  // The members read (each once): finish() compares their number with the object's size.
  std::vector<const nlohmann::json*> read_;
};

template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}
inline nlohmann::json or_null(const std::optional<Timestamp>& value) {
  return value ? nlohmann::json(value->wire()) : nlohmann::json(nullptr);
}
/// AWSJSON for the wire: the JSON text as a string.
inline nlohmann::json awsjson_or_null(const std::optional<nlohmann::json>& value) {
  return value ? nlohmann::json(value->dump()) : nlohmann::json(nullptr);
}

/// Turns a patch in the people's shape (AWSJSON as JSON values) into wire values,
/// refusing the fields named in `refused`, and applies it to `wire` (a to_dict()).
/// Returns the wire fields whose value actually changed.
nlohmann::json apply_patch(nlohmann::json& wire, const nlohmann::json& changes, std::string_view model,
                           std::initializer_list<std::string_view> awsjson_fields,
                           std::initializer_list<std::string_view> refused);

/// The AWSJSON fields of a model: ScoringJob errorDetails and metadata, BatchJob errorDetails.
std::span<const std::string_view> awsjson_fields(Model model) noexcept;
/// A copy of `fields` (a wire-shape object, or part of one) with each AWSJSON
/// string replaced by the JSON value it holds, as records are printed for
/// people (to_json); one that does not parse stays the string it is.
nlohmann::json awsjson_as_values(Model model, const nlohmann::json& fields);

/// A new random UUID v4 in its canonical lower-case text form.
std::string new_uuid_v4();

}  // namespace scoringjobs::detail
