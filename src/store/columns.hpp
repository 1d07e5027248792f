#pragma once
// Binding model values to statement parameters and reading them back from
// columns. Values are always bound, never spliced into SQL text.

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {

inline void bind(SQLite::Statement& s, int index, const std::string& value) { s.bindNoCopy(index, value); }
inline void bind(SQLite::Statement& s, int index, const Timestamp& value) { s.bindNoCopy(index, value.wire()); }
inline void bind(SQLite::Statement& s, int index, int value) { s.bind(index, value); }

template <class T>
void bind(SQLite::Statement& s, int index, const std::optional<T>& value) {
  if (value) {
    bind(s, index, *value);
  } else {
    s.bind(index);  // NULL
  }
}

std::optional<std::string> optional_text(const SQLite::Column& column);
std::optional<int> optional_int(const SQLite::Column& column);
Timestamp timestamp(const SQLite::Column& column);
std::optional<Timestamp> optional_timestamp(const SQLite::Column& column);
std::optional<nlohmann::json> optional_json(const SQLite::Column& column);

/// Fixed-width UTC text (nanoseconds) that sorts like the instants it stands for.
std::string sort_key(const Timestamp& value);

}  // namespace scoringjobs::detail
