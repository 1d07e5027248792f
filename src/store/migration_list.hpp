#pragma once
// The schema migrations embedded at build time from migrations/NNN_name.sql.

#include <span>

namespace scoringjobs::detail {

struct Migration {
  int version;       // NNN: applied in order, each bumps PRAGMA user_version to it
  const char* name;  // the file name without .sql
  const char* sql;
};

std::span<const Migration> embedded_migrations();

}  // namespace scoringjobs::detail
