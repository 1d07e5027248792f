#include "dataset.hpp"

#include <cstdio>
#include <random>
#include <stdexcept>

#include "raw_store.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"

namespace scoringjobs::bench {
namespace {

constexpr std::int64_t kJobsPerBatch = 20;
constexpr std::int64_t kBaseMillis = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

std::string derived_uuid(std::uint64_t kind, std::int64_t i) {
  std::uint64_t state = kind * 0x100000000ull + static_cast<std::uint64_t>(i);
  auto next = [&state] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  std::uint64_t high = next(), low = next();
  high = (high & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;
  low = (low & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  return text;
}

std::string numbered(const char* prefix, std::int64_t n) {
  char text[48];
  std::snprintf(text, sizeof text, "%s-%06lld", prefix, static_cast<long long>(n));
  return text;
}

struct Times {
  std::string wire, sort;
};
Times at(std::int64_t millis) {
  Times t;
  format_wire_time(millis, t.wire, t.sort);
  return t;
}

}  // namespace

std::string lookup_job_id(std::int64_t i) { return derived_uuid(1, i); }
std::string lookup_item_id(std::int64_t i) { return numbered("item", i / 2); }

void build_lookup_store(const std::filesystem::path& path, std::int64_t jobs) {
  remove_store(path);
  { Store::open(path, {.durability = StoreOptions::Durability::Normal}); }  // schema, by the library's migrations

  RawDb db(path.string(), RawDb::Sync::Normal);
  // Loading test data is not measured: no journal, no fsync, a big cache. The
  // store is switched back to WAL before the readers open it.
  db.exec("PRAGMA journal_mode = OFF");
  db.exec("PRAGMA synchronous = OFF");
  db.exec("PRAGMA cache_size = -262144");
  RawStatement job(db.get(),
                   "INSERT INTO scoring_job (id, accountId, status, createdAt, updatedAt, scorecardId, itemId, "
                   "startedAt, completedAt, errorMessage, errorDetails, metadata, evaluationId, scoreId, batchId, "
                   "createdAtSort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
  RawStatement batch(db.get(),
                     "INSERT INTO batch_job (id, accountId, status, type, batchId, modelProvider, modelName, "
                     "scoringJobCountCache, scorecardId, createdAt, updatedAt) "
                     "VALUES (?1, ?2, 'CLOSED', 'MultiStepScore', ?3, 'openai', 'gpt-4o-mini', ?4, ?5, ?6, ?7)");
  RawStatement link(db.get(),
                    "INSERT INTO batch_job_scoring_job (id, batchJobId, scoringJobId, createdAt, updatedAt) "
                    "VALUES (?1, ?2, ?3, ?4, ?4)");
  const std::string metadata = R"({"parameters":{"modelName":"gpt-4o-mini","modelProvider":"openai"}})";
  static const char* const kStatuses[] = {"COMPLETED", "RUNNING", "PENDING"};

  db.exec("BEGIN IMMEDIATE");
  for (std::int64_t i = 0; i < jobs; ++i) {
    const std::int64_t b = i / kJobsPerBatch;
    const std::string account = numbered("account", b % 8);
    const std::string scorecard = numbered("scorecard", b % 50);
    const std::string batch_id = derived_uuid(2, b);
    const std::int64_t created_ms = kBaseMillis + i * 1000 + (i * 37) % 1000;
    const auto created = at(created_ms);
    if (i % kJobsPerBatch == 0) {
      const std::string external = derived_uuid(3, b);
      const auto batch_created = at(created_ms - 500);
      const auto batch_closed = at(created_ms + (kJobsPerBatch - 1) * 1000);
      batch.bind(1, batch_id);
      batch.bind(2, account);
      batch.bind(3, external);
      batch.bind_int(4, std::min(kJobsPerBatch, jobs - i));
      batch.bind(5, scorecard);
      batch.bind(6, batch_created.wire);
      batch.bind(7, batch_closed.wire);
      batch.step();
      batch.reset();
    }
    const std::string id = lookup_job_id(i);
    const std::string item = lookup_item_id(i);
    const std::string score = numbered("score", i % 100);
    const char* status = kStatuses[i % 3];
    const auto updated = at(created_ms + 5000);
    const auto started = at(created_ms + 1000);
    const auto completed = at(created_ms + 4000);
    job.bind(1, id);
    job.bind(2, account);
    job.bind(3, status);
    job.bind(4, created.wire);
    job.bind(5, updated.wire);
    job.bind(6, scorecard);
    job.bind(7, item);
    if (i % 3 != 2) {
      job.bind(8, started.wire);
    } else {
      job.bind_null(8);
    }
    if (i % 3 == 0) {
      job.bind(9, completed.wire);
    } else {
      job.bind_null(9);
    }
    job.bind_null(10);
    job.bind_null(11);
    job.bind(12, metadata);
    job.bind_null(13);
    job.bind(14, score);
    job.bind(15, batch_id);
    job.bind(16, created.sort);
    job.step();
    job.reset();

    const std::string link_id = derived_uuid(4, i);
    link.bind(1, link_id);
    link.bind(2, batch_id);
    link.bind(3, id);
    link.bind(4, created.wire);
    link.step();
    link.reset();
  }
  db.exec("COMMIT");
  db.exec("PRAGMA journal_mode = WAL");  // no ANALYZE: the library never runs it either
}

nlohmann::json make_fixture_document(std::int64_t jobs) {
  nlohmann::json document = {{"ScoringJob", nlohmann::json::array()},
                             {"BatchJob", nlohmann::json::array()},
                             {"BatchJobScoringJob", nlohmann::json::array()}};
  static const char* const kStatuses[] = {"COMPLETED", "RUNNING", "PENDING"};
  const nlohmann::json metadata = {{"parameters", {{"modelName", "gpt-4o-mini"}, {"modelProvider", "openai"}}}};
  for (std::int64_t i = 0; i < jobs; ++i) {
    const std::int64_t b = i / kJobsPerBatch;
    const std::int64_t created_ms = kBaseMillis + i * 1000 + (i * 37) % 1000;
    if (i % kJobsPerBatch == 0) {
      BatchJob batch;
      batch.id = derived_uuid(2, b);
      batch.accountId = numbered("account", b % 8);
      batch.status = "CLOSED";
      batch.type = "MultiStepScore";
      batch.batchId = derived_uuid(3, b);
      batch.modelProvider = "openai";
      batch.modelName = "gpt-4o-mini";
      batch.scoringJobCountCache = static_cast<int>(std::min(kJobsPerBatch, jobs - i));
      batch.scorecardId = numbered("scorecard", b % 50);
      batch.createdAt = Timestamp::from_unix_millis(created_ms - 500);
      batch.updatedAt = Timestamp::from_unix_millis(created_ms + (kJobsPerBatch - 1) * 1000);
      document["BatchJob"].push_back(batch.to_dict());
    }
    ScoringJob job;
    job.id = lookup_job_id(i);
    job.accountId = numbered("account", b % 8);
    job.status = kStatuses[i % 3];
    job.createdAt = Timestamp::from_unix_millis(created_ms);
    job.updatedAt = Timestamp::from_unix_millis(created_ms + 5000);
    job.scorecardId = numbered("scorecard", b % 50);
    job.itemId = lookup_item_id(i);
    if (i % 3 != 2) job.startedAt = Timestamp::from_unix_millis(created_ms + 1000);
    if (i % 3 == 0) job.completedAt = Timestamp::from_unix_millis(created_ms + 4000);
    job.metadata = metadata;
    job.scoreId = numbered("score", i % 100);
    document["ScoringJob"].push_back(job.to_dict());
    BatchJobScoringJob link;
    link.id = derived_uuid(4, i);
    link.batchJobId = derived_uuid(2, b);
    link.scoringJobId = job.id;
    link.createdAt = link.updatedAt = job.createdAt;
    document["BatchJobScoringJob"].push_back(link.to_dict());
  }
  return document;
}

LookupKeys sample_lookup_keys(std::int64_t jobs, std::size_t count) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> pick(0, jobs - 1);
  LookupKeys keys;
  for (std::size_t k = 0; k < count; ++k) {
    const auto i = pick(random);
    keys.job_ids.push_back(lookup_job_id(i));
    keys.item_ids.push_back(lookup_item_id(i));
  }
  return keys;
}

std::int64_t make_queue(const std::filesystem::path& path, std::int64_t entries) {
  remove_store(path);
  auto store = Store::open(path, {.durability = StoreOptions::Durability::Normal});
  const nlohmann::json parameters = {{"modelName", "gpt-4o-mini"}, {"modelProvider", "openai"}};
  std::vector<ScoringJob> jobs;
  std::int64_t queued = 0;
  for (std::int64_t step = 0;; ++step) {
    // Counting is a scan of the outbox: do it often only for small queues.
    if (entries <= 5000 || step % 32 == 0) {
      queued = outbox::pending_count(store);
      if (queued >= entries) break;
    }
    const std::string account = numbered("account", step % 4);
    const std::string scorecard = numbered("scorecard", step % 3);
    if (step % 2 == 0) {
      jobs.push_back(ScoringJob::create(store, account, scorecard, numbered("item", step), parameters));
    } else {
      BatchScoringJobRequest request;
      request.accountId = account;
      request.scorecardId = scorecard;
      request.itemId = numbered("item", step);
      request.modelProvider = "openai";
      request.modelName = "gpt-4o-mini";
      request.parameters = parameters;
      jobs.push_back(batch_scoring_job(store, request).scoring_job);
    }
    // Jobs move on a few steps after they were queued, as workers pick them up.
    const auto n = static_cast<std::int64_t>(jobs.size());
    if (n > 8) {
      jobs[static_cast<std::size_t>(n - 9)].update(store,
                                                   {{"status", "RUNNING"}, {"startedAt", Timestamp::now().wire()}});
    }
    if (n > 16) {
      jobs[static_cast<std::size_t>(n - 17)].update(
          store, {{"status", "COMPLETED"}, {"completedAt", Timestamp::now().wire()}});
    }
  }
  return queued;
}

void copy_store(const std::filesystem::path& from, const std::filesystem::path& to) {
  for (const char* side : {"-wal", "-shm"}) {
    auto sidecar = from;
    sidecar += side;
    if (std::filesystem::exists(sidecar) && std::filesystem::file_size(sidecar) > 0) {
      throw std::runtime_error("copy_store: " + sidecar.string() + " is not empty; close the store first");
    }
  }
  remove_store(to);
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
}

void remove_store(const std::filesystem::path& path) {
  for (const char* side : {"", "-wal", "-shm", ".lock"}) {
    auto file = path;
    file += side;
    std::filesystem::remove(file);
  }
}

}  // namespace scoringjobs::bench
