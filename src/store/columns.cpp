#include "store/columns.hpp"

#include <cstdio>

#include "scoringjobs/error.hpp"

namespace scoringjobs::detail {

void bind_json(SQLite::Statement& s, int index, const std::optional<nlohmann::json>& value) {
  if (value) {
    s.bind(index, value->dump());
  } else {
    s.bind(index);
  }
}

std::optional<std::string> optional_text(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

std::optional<int> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt();
}

Timestamp timestamp(const SQLite::Column& column) {
  return Timestamp::parse(column.getString(), column.getName());
}

std::optional<Timestamp> optional_timestamp(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return timestamp(column);
}

std::optional<nlohmann::json> optional_json(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  auto parsed = nlohmann::json::parse(column.getString(), nullptr, false);
  if (parsed.is_discarded()) {
    throw Error(Errc::Storage, std::string("stored ") + column.getName() + " is not valid JSON", column.getName());
  }
  return parsed;
}

std::string sort_key(const Timestamp& value) {
  // Canonical UTC with every fractional digit; the seconds part is formatted by
  // Timestamp itself so the calendar arithmetic lives in one place.
  std::string text = Timestamp::from_unix_millis(value.unix_seconds() * 1000).format();  // ...SS.000Z
  char nanos[12];
  std::snprintf(nanos, sizeof nanos, "%09d", value.nanos());
  text.replace(text.size() - 4, 4, nanos);
  text += 'Z';
  return text;
}

}  // namespace scoringjobs::detail
