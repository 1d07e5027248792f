#pragma once
// The statements behind read_index_page: one literal per index and direction
// (SQL text is never built at run time), chosen from a table, and the one way
// their parameters are bound.
//
// Parameters: ?1 partition value, ?2/?3 the (sort, id) position to start
// after, ?4/?5 lower bound and whether it is inclusive, ?6/?7 upper bound and
// whether it is inclusive, ?8 limit. A NULL position or bound means none.

#include <SQLiteCpp/Statement.h>

#include <span>
#include <string_view>

#include "scoringjobs/index_page.hpp"

/// SELECT `columns` FROM `table` WHERE `where` in the order of sort key `sk`
/// (then id); `after` is ">" ascending and "<" descending, `dir` ASC or DESC.
#define SCORINGJOBS_INDEX_PAGE(columns, table, where, sk, after, dir)     \
  "SELECT " columns " FROM " table " WHERE (" where ") AND " sk           \
  " IS NOT NULL"                                                          \
  " AND (?2 IS NULL OR " sk " " after " ?2 OR (" sk " = ?2 AND id " after \
  " ?3))"                                                                 \
  " AND (?4 IS NULL OR " sk " > ?4 OR (?5 AND " sk                        \
  " = ?4))"                                                               \
  " AND (?6 IS NULL OR " sk " < ?6 OR (?7 AND " sk                        \
  " = ?6))"                                                               \
  " ORDER BY " sk " " dir ", id " dir " LIMIT ?8"

/// Both directions of one index.
#define SCORINGJOBS_INDEX_PAGES(columns, table, where, sk)       \
  SCORINGJOBS_INDEX_PAGE(columns, table, where, sk, ">", "ASC"), \
      SCORINGJOBS_INDEX_PAGE(columns, table, where, sk, "<", "DESC")

namespace scoringjobs::detail {

struct IndexPageSql {
  std::string_view partition;  // empty: a scan
  std::string_view sort;       // empty: by id
  const char* ascending;
  const char* descending;
};

/// The statement of `query`'s index and direction among `indexes`, after
/// checking the query. Throws Error{InvalidArgument} naming what is wrong.
const char* index_page_sql(std::string_view model, std::span<const IndexPageSql> indexes, const IndexQuery& query);

/// Binds ?1..?8 from `query`; the statement must outlive nothing but this call's
/// strings (they are copied).
void bind_index_page(SQLite::Statement& statement, const IndexQuery& query);

}  // namespace scoringjobs::detail
