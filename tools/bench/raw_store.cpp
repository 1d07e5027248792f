#include "raw_store.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace scoringjobs::bench {
namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  throw std::runtime_error("raw sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

std::uint64_t splitmix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

void uuid_v4(std::uint64_t& state, std::string& out) {
  std::uint64_t high = splitmix(state), low = splitmix(state);
  high = (high & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  low = (low & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  out.assign(text, 36);
}

// Appends "text" as a JSON string (the inputs are caller data: escape them).
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

#define RAW_JOB_COLUMNS                                                                        \
  "id, accountId, status, createdAt, updatedAt, scorecardId, itemId, startedAt, completedAt, " \
  "errorMessage, errorDetails, metadata, evaluationId, scoreId, batchId"

template <std::size_t N>
void read_row(const RawStatement& s, std::optional<std::string> (&columns)[N]) {
  for (std::size_t i = 0; i < N; ++i) columns[i] = s.text(static_cast<int>(i));
}

}  // namespace

void format_wire_time(std::int64_t unix_millis, std::string& wire, std::string& sort_key) {
  const std::time_t seconds = static_cast<std::time_t>(unix_millis / 1000);
  std::tm utc;
  gmtime_r(&seconds, &utc);
  char text[40];
  const int n =
      std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", utc.tm_year + 1900, utc.tm_mon + 1,
                    utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(unix_millis % 1000));
  wire.assign(text, static_cast<std::size_t>(n));
  sort_key = wire;
  wire += 'Z';
  sort_key += "000000Z";
}

// --- RawStatement ---

RawStatement::RawStatement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
      SQLITE_OK) {
    fail(db, "prepare " + std::string(sql));
  }
}

RawStatement::~RawStatement() { sqlite3_finalize(stmt_); }

void RawStatement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC) != SQLITE_OK) {
    fail(db_, "bind");
  }
}

void RawStatement::bind_null(int index) {
  if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind");
}

void RawStatement::bind_int(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
}

bool RawStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string what = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  throw std::runtime_error("raw sqlite: step: " + what);
}

void RawStatement::reset() noexcept { sqlite3_reset(stmt_); }

std::optional<std::string> RawStatement::text(int column) const {
  if (sqlite3_column_type(stmt_, column) == SQLITE_NULL) return std::nullopt;
  const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

// --- RawDb ---

RawDb::RawDb(const std::string& path, Sync sync) {
  // Debian's libsqlite3 is built threadsafe=1, so this is the serialized mode
  // the store asks for with SQLITE_OPEN_FULLMUTEX.
  if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    const std::string what = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close_v2(db_);
    throw std::runtime_error("raw sqlite: open " + path + ": " + what);
  }
  sqlite3_busy_timeout(db_, 30'000);
  exec("PRAGMA journal_mode = WAL");
  exec(sync == Sync::Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  exec("PRAGMA foreign_keys = ON");
}

RawDb::~RawDb() { sqlite3_close_v2(db_); }

void RawDb::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string what = message ? message : "?";
    sqlite3_free(message);
    throw std::runtime_error(std::string("raw sqlite: ") + sql + ": " + what);
  }
}

// --- RawStore ---

RawStore::RawStore(const std::string& path, RawDb::Sync sync)
    : db_(path, sync),
      begin_(db_.get(), "BEGIN IMMEDIATE"),
      commit_(db_.get(), "COMMIT"),
      insert_job_(db_.get(),
                  "INSERT INTO scoring_job (id, accountId, status, createdAt, updatedAt, scorecardId, itemId, "
                  "startedAt, completedAt, errorMessage, errorDetails, metadata, evaluationId, scoreId, batchId, "
                  "createdAtSort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
      insert_outbox_(db_.get(),
                     "INSERT INTO outbox (model, recordId, operation, fields, enqueuedAt) VALUES (?1, ?2, ?3, ?4, ?5)"),
      select_job_(db_.get(), "SELECT " RAW_JOB_COLUMNS " FROM scoring_job WHERE id = ?1"),
      select_by_item_(db_.get(), "SELECT " RAW_JOB_COLUMNS
                                 " FROM scoring_job WHERE itemId = ?1 ORDER BY createdAtSort DESC, id DESC LIMIT 1"),
      select_link_(db_.get(),
                   "SELECT batchJobId FROM batch_job_scoring_job WHERE scoringJobId = ?1 ORDER BY createdAt, id "
                   "LIMIT 1"),
      select_batch_(db_.get(),
                    "SELECT id, accountId, status, type, batchId, modelProvider, modelName, scoringJobCountCache, "
                    "startedAt, estimatedEndAt, completedAt, totalRequests, completedRequests, failedRequests, "
                    "errorMessage, errorDetails, scorecardId, scoreId, createdAt, updatedAt FROM batch_job "
                    "WHERE id = ?1"),
      rng_(static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())) {}

void RawStore::begin() {
  begin_.step();
  begin_.reset();
}

void RawStore::commit() {
  commit_.step();
  commit_.reset();
}

void RawStore::insert_job_and_outbox(const RawCreateInput& in) {
  uuid_v4(rng_, id_);
  const auto now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  format_wire_time(now, now_, sort_);

  auto& job = insert_job_;
  job.bind(1, id_);
  job.bind(2, in.accountId);
  job.bind(3, "PENDING");
  job.bind(4, now_);
  job.bind(5, now_);
  job.bind(6, in.scorecardId);
  job.bind(7, in.itemId);
  for (int i = 8; i <= 15; ++i) job.bind_null(i);
  job.bind(16, sort_);
  job.step();
  job.reset();

  // The record's wire shape, keys sorted, nulls included: what the store queues.
  fields_.clear();
  fields_ += "{\"accountId\":";
  append_json_string(fields_, in.accountId);
  fields_ += ",\"completedAt\":null,\"createdAt\":";
  append_json_string(fields_, now_);
  fields_ += ",\"errorDetails\":null,\"errorMessage\":null,\"evaluationId\":null,\"id\":";
  append_json_string(fields_, id_);
  fields_ += ",\"itemId\":";
  append_json_string(fields_, in.itemId);
  fields_ += ",\"metadata\":null,\"scoreId\":null,\"scorecardId\":";
  append_json_string(fields_, in.scorecardId);
  fields_ += ",\"startedAt\":null,\"status\":\"PENDING\",\"updatedAt\":";
  append_json_string(fields_, now_);
  fields_ += '}';

  auto& outbox = insert_outbox_;
  outbox.bind(1, "ScoringJob");
  outbox.bind(2, id_);
  outbox.bind(3, "create");
  outbox.bind(4, fields_);
  outbox.bind(5, now_);
  outbox.step();
  outbox.reset();
}

void RawStore::create(const RawCreateInput& input) {
  begin();
  try {
    insert_job_and_outbox(input);
  } catch (...) {
    db_.exec("ROLLBACK");
    throw;
  }
  commit();
}

std::optional<RawJobRow> RawStore::get_by_id(std::string_view id) {
  select_job_.bind(1, id);
  std::optional<RawJobRow> row;
  if (select_job_.step()) read_row(select_job_, row.emplace().columns);
  select_job_.reset();
  return row;
}

std::optional<RawJobRow> RawStore::find_by_item_id(std::string_view itemId) {
  select_by_item_.bind(1, itemId);
  std::optional<RawJobRow> row;
  if (select_by_item_.step()) read_row(select_by_item_, row.emplace().columns);
  select_by_item_.reset();
  return row;
}

std::optional<RawBatchRow> RawStore::get_batch_job(std::string_view scoringJobId) {
  select_link_.bind(1, scoringJobId);
  std::optional<std::string> batch_id;
  if (select_link_.step()) batch_id = select_link_.text(0);
  select_link_.reset();
  if (!batch_id) return std::nullopt;
  select_batch_.bind(1, *batch_id);
  std::optional<RawBatchRow> batch;
  if (select_batch_.step()) read_row(select_batch_, batch.emplace().columns);
  select_batch_.reset();
  return batch;
}

// --- raw_import ---

namespace {

void bind_value(RawStatement& s, int index, const nlohmann::json& value) {
  if (value.is_null()) {
    s.bind_null(index);
  } else if (value.is_string()) {
    s.bind(index, value.get_ref<const std::string&>());
  } else if (value.is_number_integer()) {
    s.bind_int(index, value.get<std::int64_t>());
  } else {
    throw std::runtime_error("raw_import: unexpected value " + value.dump());
  }
}

const nlohmann::json& field(const nlohmann::json& record, const char* name) {
  static const nlohmann::json null_value;
  const auto it = record.find(name);
  return it == record.end() ? null_value : *it;
}

// The sort key of a canonical wire time (YYYY-MM-DDTHH:MM:SS.mmmZ): the nine-digit form.
void sort_key_of(const std::string& wire, std::string& out) {
  if (wire.size() != 24 || wire.back() != 'Z') throw std::runtime_error("raw_import: non-canonical time " + wire);
  out.assign(wire, 0, 23);
  out += "000000Z";
}

}  // namespace

std::int64_t raw_import(RawDb& db, const nlohmann::json& document) {
  RawStatement batch(db.get(),
                     "INSERT INTO batch_job (id, accountId, status, type, batchId, modelProvider, modelName, "
                     "scoringJobCountCache, startedAt, estimatedEndAt, completedAt, totalRequests, completedRequests, "
                     "failedRequests, errorMessage, errorDetails, scorecardId, scoreId, createdAt, updatedAt) VALUES "
                     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)");
  RawStatement job(db.get(),
                   "INSERT INTO scoring_job (id, accountId, status, createdAt, updatedAt, scorecardId, itemId, "
                   "startedAt, completedAt, errorMessage, errorDetails, metadata, evaluationId, scoreId, batchId, "
                   "createdAtSort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?16, ?15)");
  RawStatement link(db.get(),
                    "INSERT INTO batch_job_scoring_job (id, batchJobId, scoringJobId, createdAt, updatedAt) "
                    "VALUES (?1, ?2, ?3, ?4, ?5)");
  RawStatement state(db.get(),
                     "INSERT INTO remote_state (model, recordId, fields, updatedAt, confirmedAt, deletedRemotely) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, 0)");
  static const char* const kBatchFields[] = {"id",
                                             "accountId",
                                             "status",
                                             "type",
                                             "batchId",
                                             "modelProvider",
                                             "modelName",
                                             "scoringJobCountCache",
                                             "startedAt",
                                             "estimatedEndAt",
                                             "completedAt",
                                             "totalRequests",
                                             "completedRequests",
                                             "failedRequests",
                                             "errorMessage",
                                             "errorDetails",
                                             "scorecardId",
                                             "scoreId",
                                             "createdAt",
                                             "updatedAt"};
  static const char* const kJobFields[] = {"id",           "accountId", "status",       "createdAt",   "updatedAt",
                                           "scorecardId",  "itemId",    "startedAt",    "completedAt", "errorMessage",
                                           "errorDetails", "metadata",  "evaluationId", "scoreId"};
  std::string fields, sort, wire_now, unused;
  const auto now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  format_wire_time(now, wire_now, unused);
  std::int64_t written = 0;
  auto remote_state = [&](const char* model, const nlohmann::json& record) {
    fields = record.dump();
    state.bind(1, model);
    bind_value(state, 2, record.at("id"));
    state.bind(3, fields);
    bind_value(state, 4, field(record, "updatedAt"));
    state.bind(5, wire_now);
    state.step();
    state.reset();
    ++written;
  };

  // Each job's batch, from its join row: the job's row is written once, with it, as the store writes it.
  std::unordered_map<std::string_view, const nlohmann::json*> batch_of_job;
  for (const auto& record : document.at("BatchJobScoringJob")) {
    batch_of_job.emplace(record.at("scoringJobId").get_ref<const std::string&>(), &record.at("batchJobId"));
  }
  const nlohmann::json no_batch;  // null: a job in no batch

  db.exec("BEGIN IMMEDIATE");
  try {
    for (const auto& record : document.at("BatchJob")) {
      for (int i = 0; i < 20; ++i) bind_value(batch, i + 1, field(record, kBatchFields[i]));
      batch.step();
      batch.reset();
      remote_state("BatchJob", record);
    }
    for (const auto& record : document.at("ScoringJob")) {
      for (int i = 0; i < 14; ++i) bind_value(job, i + 1, field(record, kJobFields[i]));
      sort_key_of(record.at("createdAt").get_ref<const std::string&>(), sort);
      job.bind(15, sort);
      const auto batch_id = batch_of_job.find(record.at("id").get_ref<const std::string&>());
      bind_value(job, 16, batch_id == batch_of_job.end() ? no_batch : *batch_id->second);
      job.step();
      job.reset();
      remote_state("ScoringJob", record);
    }
    for (const auto& record : document.at("BatchJobScoringJob")) {
      bind_value(link, 1, record.at("id"));
      bind_value(link, 2, record.at("batchJobId"));
      bind_value(link, 3, record.at("scoringJobId"));
      bind_value(link, 4, record.at("createdAt"));
      bind_value(link, 5, record.at("updatedAt"));
      link.step();
      link.reset();
      remote_state("BatchJobScoringJob", record);
    }
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
  db.exec("COMMIT");
  return written;
}

}  // namespace scoringjobs::bench
