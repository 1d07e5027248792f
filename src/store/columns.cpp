#include "store/columns.hpp"

#include "scoringjobs/error.hpp"
#include "store/stored_json.hpp"

namespace scoringjobs::detail {

std::optional<std::string> optional_text(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

std::optional<int> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt();
}

namespace {

// The column's text without copying it (valid until the statement moves on).
std::string_view text_of(const SQLite::Column& column) {
  const char* text = column.getText();  // before getBytes(), as SQLite asks
  return {text, static_cast<std::size_t>(column.getBytes())};
}

}  // namespace

Timestamp timestamp(const SQLite::Column& column) {
  const auto text = text_of(column);
  if (auto parsed = Timestamp::try_parse(text)) return std::move(*parsed);
  return Timestamp::parse(text, column.getName());  // throws, naming the column
}

std::optional<Timestamp> optional_timestamp(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return timestamp(column);
}

std::optional<nlohmann::json> optional_json(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  const auto text = text_of(column);
  auto parsed = parse_stored_json(text);
  if (parsed.is_discarded()) {
    throw Error(Errc::Storage, std::string("stored ") + column.getName() + " is not valid JSON", column.getName());
  }
  return parsed;
}

std::string sort_key(const Timestamp& value) {
  // Canonical UTC with every fractional digit; the seconds part is formatted by
  // Timestamp itself so the calendar arithmetic lives in one place.
  std::string text = Timestamp::from_unix_millis(value.unix_seconds() * 1000).wire();  // ...SS.000Z
  text.resize(text.size() - 4);
  auto nanos = static_cast<unsigned>(value.nanos());
  char digits[9];
  for (int i = 8; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + nanos % 10);
    nanos /= 10;
  }
  text.append(digits, sizeof digits);
  text += 'Z';
  return text;
}

}  // namespace scoringjobs::detail
