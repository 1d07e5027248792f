#include "scoringjobs/store.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "store/store_impl.hpp"
#include "support/error_of.hpp"
#include "support/store_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::error_of;
using scoringjobs::test::StoreFixture;
using scoringjobs::test::TempDir;

namespace {

BatchScoringJobRequest assign_request(const std::string& item, const std::string& provider = "openai",
                                      const std::string& model = "gpt-4o") {
  BatchScoringJobRequest request;
  request.accountId = "acct";
  request.scorecardId = "card";
  request.itemId = item;
  request.modelProvider = provider;
  request.modelName = model;
  return request;
}

BatchJob make_batch(Store& store, const std::string& account = "acct") {
  BatchJobCreateOptions options;
  options.status = "OPEN";
  options.scorecardId = "card";
  return BatchJob::create(store, account, "MultiStepScore", "openai", "gpt-4o", nullptr, options);
}

}  // namespace

TEST_CASE("a new store file is private, in WAL mode, with foreign keys and the latest schema") {
  StoreFixture f;
  struct stat info {};
  REQUIRE(::stat(f.db_path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(f.store.schema_version() == Store::latest_schema_version());
  SQLite::Database raw(f.db_path.string(), SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(f.count("SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("synchronous is FULL by default and NORMAL on request") {
  TempDir dir;
  auto full = Store::open(dir / "full.db");
  StoreOptions normal_options;
  normal_options.durability = StoreOptions::Durability::Normal;
  auto normal = Store::open(dir / "normal.db", normal_options);
  // The pragma is per connection, so ask each store's own connection.
  CHECK(detail::impl_of(full).db.execAndGet("PRAGMA synchronous").getInt() == 2);
  CHECK(detail::impl_of(normal).db.execAndGet("PRAGMA synchronous").getInt() == 1);
  CHECK(detail::impl_of(full).db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
}

TEST_CASE(
    "the page cache is 32 MiB and the memory map 2 GiB by default, both are options checked before any file is made") {
  TempDir dir;
  auto defaults = Store::open(dir / "defaults.db");
  CHECK(detail::impl_of(defaults).db.execAndGet("PRAGMA cache_size").getInt64() == -32 * 1024);
  // SQLite caps the map at its build's maximum (Debian's: 2 GiB less 64 KiB).
  const auto mapped = detail::impl_of(defaults).db.execAndGet("PRAGMA mmap_size").getInt64();
  CHECK(mapped > (std::int64_t{2} << 30) - (std::int64_t{1} << 20));
  CHECK(mapped <= StoreOptions{}.mmap_bytes);
  StoreOptions tuned;
  tuned.cache_kib = 4096;
  tuned.mmap_bytes = 1 << 20;
  auto tuned_store = Store::open(dir / "tuned.db", tuned);
  CHECK(detail::impl_of(tuned_store).db.execAndGet("PRAGMA cache_size").getInt64() == -4096);
  CHECK(detail::impl_of(tuned_store).db.execAndGet("PRAGMA mmap_size").getInt64() == 1 << 20);

  StoreOptions no_cache;
  no_cache.cache_kib = 0;
  const auto refused = error_of([&] { Store::open(dir / "refused.db", no_cache); });
  CHECK(refused.code() == Errc::InvalidArgument);
  CHECK(refused.field() == "cache_kib");
  StoreOptions negative_map;
  negative_map.mmap_bytes = -1;
  CHECK(error_of([&] { Store::open(dir / "refused.db", negative_map); }).field() == "mmap_bytes");
  CHECK(!std::filesystem::exists(dir / "refused.db"));
}

TEST_CASE("reopening migrates nothing twice and keeps queued work") {
  TempDir dir;
  const auto path = dir / "jobs.db";
  {
    auto store = Store::open(path);
    ScoringJob::create(store, "acct", "card", "item");
  }
  auto again = Store::open(path);
  CHECK(outbox::pending_count(again) == 1);
  CHECK(again.schema_version() == Store::latest_schema_version());
}

TEST_CASE("a store at schema version 1 is migrated with its queued work intact") {
  TempDir dir;
  const auto path = dir / "v1.db";
  const json job = {{"id", "job-v1"},
                    {"accountId", "acct"},
                    {"status", "PENDING"},
                    {"createdAt", "2026-01-02T03:04:05.678Z"},
                    {"updatedAt", "2026-01-02T03:04:05.678Z"},
                    {"scorecardId", "card"},
                    {"itemId", "item-v1"},
                    {"metadata", "{\"k\":1}"}};
  {
    // A store as the first release wrote it: migration 001 only, one job queued.
    std::ifstream sql(std::filesystem::path(SCORINGJOBS_SOURCE_DIR) / "migrations" / "001_initial.sql");
    REQUIRE(sql.good());
    const std::string first_schema((std::istreambuf_iterator<char>(sql)), std::istreambuf_iterator<char>());
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec(first_schema);
    raw.exec("PRAGMA user_version = 1");
    SQLite::Statement row(raw,
                          "INSERT INTO scoring_job (id, accountId, status, createdAt, createdAtSort, updatedAt, "
                          "scorecardId, itemId, metadata) VALUES ('job-v1', 'acct', 'PENDING', ?1, ?1, ?1, 'card', "
                          "'item-v1', '{\"k\":1}')");
    row.bind(1, job["createdAt"].get<std::string>());
    row.exec();
    SQLite::Statement entry(raw,
                            "INSERT INTO outbox (model, recordId, operation, fields, enqueuedAt) "
                            "VALUES ('ScoringJob', 'job-v1', 'create', ?1, ?2)");
    entry.bind(1, job.dump());
    entry.bind(2, job["createdAt"].get<std::string>());
    entry.exec();
  }
  auto store = Store::open(path);
  CHECK(store.schema_version() == Store::latest_schema_version());
  CHECK(Store::latest_schema_version() > 1);
  const auto entries = outbox::list(store);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].record_id == "job-v1");
  CHECK(entries[0].operation == Operation::Create);
  CHECK(entries[0].fields == job);
  const auto read = ScoringJob::get_by_id("job-v1", store);
  CHECK(read.metadata == json{{"k", 1}});
  CHECK(read.createdAt.wire() == "2026-01-02T03:04:05.678Z");
}

TEST_CASE("a database written by a newer version is refused with a clear error") {
  TempDir dir;
  const auto path = dir / "jobs.db";
  { Store::open(path); }
  {
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
    raw.exec("PRAGMA user_version = " + std::to_string(Store::latest_schema_version() + 1));
  }
  const auto e = error_of([&] { Store::open(path); });
  CHECK(e.code() == Errc::SchemaTooNew);
  CHECK(std::string(e.what()).find("newer") != std::string::npos);
}

TEST_CASE("a file that is not a database is refused as a storage error") {
  TempDir dir;
  const auto path = dir / "not.db";
  {
    std::FILE* file = std::fopen(path.c_str(), "w");
    std::fputs("this is not an SQLite database, just some text long enough to look like a header......", file);
    std::fclose(file);
  }
  CHECK(error_of([&] { Store::open(path); }).code() == Errc::Storage);
}

TEST_CASE("create queues the whole record and returns what get_by_id reads") {
  StoreFixture f;
  ScoringJobCreateOptions options;
  options.metadata = json{{"source", "edge-7"}};
  options.scoreId = "score-1";
  const auto job = ScoringJob::create(f.store, "acct", "card", "item-1", json{{"threshold", 0.5}}, options);
  CHECK(job.id.size() == 36);
  CHECK(job.id[14] == '4');  // UUID v4
  CHECK(job.status == "PENDING");
  CHECK(job.createdAt == job.updatedAt);
  CHECK((*job.metadata)["parameters"]["threshold"] == 0.5);
  CHECK(ScoringJob::get_by_id(job.id, f.store) == job);

  const auto entries = outbox::list(f.store);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].model == Model::ScoringJob);
  CHECK(entries[0].operation == Operation::Create);
  CHECK(entries[0].record_id == job.id);
  CHECK(entries[0].fields == job.to_dict());
}

TEST_CASE("get_by_id throws NotFound, find_by_item_id and get_batch_job return nothing") {
  StoreFixture f;
  const auto e = error_of([&] { ScoringJob::get_by_id("nope", f.store); });
  CHECK(e.code() == Errc::NotFound);
  CHECK(e.field() == "id");
  CHECK_FALSE(ScoringJob::find_by_item_id("nope", f.store));
  CHECK_FALSE(ScoringJob::get_batch_job("nope", f.store));
}

TEST_CASE("update changes only the given fields, bumps updatedAt and queues just the change") {
  StoreFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  const auto before = job;
  job.update(f.store,
             {{"status", "RUNNING"}, {"startedAt", "2026-11-28T18:55:00.123456+01:00"}, {"metadata", {{"step", 2}}}});
  CHECK(job.status == "RUNNING");
  CHECK(job.startedAt->wire() == "2026-11-28T18:55:00.123456+01:00");
  CHECK(job.updatedAt > before.updatedAt);
  CHECK(job.createdAt == before.createdAt);
  CHECK(job.itemId == before.itemId);
  CHECK(ScoringJob::get_by_id(job.id, f.store) == job);

  const auto entries = outbox::list(f.store);
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].operation == Operation::Update);
  CHECK(entries[1].fields == json{{"status", "RUNNING"},
                                  {"startedAt", "2026-11-28T18:55:00.123456+01:00"},
                                  {"metadata", "{\"step\":2}"},
                                  {"updatedAt", job.updatedAt.wire()}});

  job.update(f.store, {{"metadata", nullptr}});
  CHECK_FALSE(job.metadata);
  CHECK(outbox::list(f.store).back().fields["metadata"].is_null());
}

TEST_CASE("update refuses createdAt and id and changes nothing") {
  StoreFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  for (const char* field : {"createdAt", "id", "updatedAt", "batchId"}) {
    CAPTURE(field);
    const auto e = error_of([&] { job.update(f.store, {{"status", "RUNNING"}, {field, "x"}}); });
    CHECK(e.code() == Errc::InvalidArgument);
    CHECK(e.field() == field);
  }
  CHECK(ScoringJob::get_by_id(job.id, f.store).status == "PENDING");
  CHECK(outbox::pending_count(f.store) == 1);
}

TEST_CASE("a patch that changes nothing writes nothing") {
  StoreFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  const auto before = job;
  job.update(f.store, {{"status", "PENDING"}, {"itemId", "item"}});
  CHECK(job == before);
  job.update(f.store, json::object());
  CHECK(outbox::pending_count(f.store) == 1);
}

TEST_CASE("bad input is refused naming the field, and the store is unchanged") {
  StoreFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  const auto rows_before = f.count("SELECT count(*) FROM scoring_job");
  struct Case {
    const char* field;
    std::function<void()> action;
  };
  ScoringJobCreateOptions empty_status;
  empty_status.status = "";
  ScoringJobCreateOptions huge_metadata;
  huge_metadata.metadata = json{{"blob", std::string(410 * 1024, 'x')}};
  ScoringJobCreateOptions long_id;
  long_id.id = std::string(300, 'i');
  const Case cases[] = {
      {"accountId", [&] { ScoringJob::create(f.store, "", "card", "item"); }},
      {"scorecardId", [&] { ScoringJob::create(f.store, "acct", std::string(1, '\0'), "item"); }},
      {"status", [&] { ScoringJob::create(f.store, "acct", "card", "item", nullptr, empty_status); }},
      {"metadata", [&] { ScoringJob::create(f.store, "acct", "card", "item", nullptr, huge_metadata); }},
      {"id", [&] { ScoringJob::create(f.store, "acct", "card", "item", nullptr, long_id); }},
      {"parameters", [&] { ScoringJob::create(f.store, "acct", "card", "item", json::array({1})); }},
      {"startedAt",
       [&] {
         job.update(f.store, {{"startedAt", "not a time"}});
       }},
      {"status",
       [&] {
         job.update(f.store, {{"status", ""}});
       }},
      {"status",
       [&] {
         job.update(f.store, {{"status", 5}});
       }},
      {"itemId",
       [&] {
         job.update(f.store, {{"itemId", nullptr}});
       }},
      {"colour",
       [&] {
         job.update(f.store, {{"colour", "blue"}});
       }},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field);
    const auto e = error_of(c.action);
    CHECK(e.code() == Errc::InvalidArgument);
    CHECK(e.field() == c.field);
  }
  CHECK(f.count("SELECT count(*) FROM scoring_job") == rows_before);
  CHECK(outbox::pending_count(f.store) == 1);
  CHECK(ScoringJob::get_by_id(job.id, f.store) == job);
}

TEST_CASE("creating an id that exists is a conflict and changes nothing") {
  StoreFixture f;
  const auto job = ScoringJob::create(f.store, "acct", "card", "item");
  ScoringJobCreateOptions same;
  same.id = job.id;
  CHECK(error_of([&] { ScoringJob::create(f.store, "acct", "card", "other", nullptr, same); }).code() ==
        Errc::Conflict);
  CHECK(outbox::pending_count(f.store) == 1);
}

TEST_CASE("find_by_item_id returns the newest job, then the greatest id") {
  StoreFixture f;
  ScoringJobCreateOptions a, b;
  a.id = "job-a";
  b.id = "job-b";
  ScoringJob::create(f.store, "acct", "card", "item", nullptr, a);
  ScoringJob::create(f.store, "acct", "card", "item", nullptr, b);
  // Same millisecond or not, the answer is deterministic: newest, then greatest id.
  const auto found = ScoringJob::find_by_item_id("item", f.store);
  REQUIRE(found);
  const auto ja = ScoringJob::get_by_id("job-a", f.store);
  const auto jb = ScoringJob::get_by_id("job-b", f.store);
  const auto& expected = (ja.createdAt.unix_millis() > jb.createdAt.unix_millis()) ? ja : jb;
  CHECK(found->id == expected.id);
}

TEST_CASE("get_batch_job reads the join row's batch id from an index alone, with no sort") {
  StoreFixture f;
  const auto batch = make_batch(f.store);
  const auto job = ScoringJob::create(f.store, "acct", "card", "item");
  BatchJobScoringJob::link(f.store, batch.id, job.id);
  CHECK(ScoringJob::get_batch_job(job.id, f.store)->id == batch.id);
  // The statement src/store/link_rows.cpp runs for it: one descent of link_by_scoring_job, not of the table too.
  SQLite::Statement plan(detail::impl_of(f.store).db,
                         "EXPLAIN QUERY PLAN SELECT batchJobId FROM batch_job_scoring_job WHERE scoringJobId = ?1 "
                         "ORDER BY createdAt, id LIMIT 1");
  std::string steps;
  while (plan.executeStep()) steps += plan.getColumn(3).getString() + "; ";
  CAPTURE(steps);
  CHECK(steps.find("USING COVERING INDEX link_by_scoring_job") != std::string::npos);
  CHECK(steps.find("TEMP B-TREE") == std::string::npos);
}

TEST_CASE("link puts a job in a batch through the join table") {
  StoreFixture f;
  const auto batch = make_batch(f.store);
  const auto job = ScoringJob::create(f.store, "acct", "card", "item");
  const auto link = BatchJobScoringJob::link(f.store, batch.id, job.id);
  CHECK(link.batchJobId == batch.id);
  CHECK(ScoringJob::get_batch_job(job.id, f.store)->id == batch.id);
  CHECK(ScoringJob::get_by_id(job.id, f.store).batchId == batch.id);
  CHECK(BatchJob::list_scoring_jobs(batch.id, f.store).size() == 1);
  CHECK(BatchJobScoringJob::get_by_id(link.id, f.store) == link);
  // Linking again is a no-op; another batch is a conflict; missing records are not found.
  CHECK(BatchJobScoringJob::link(f.store, batch.id, job.id) == link);
  const auto other = make_batch(f.store);
  CHECK(error_of([&] { BatchJobScoringJob::link(f.store, other.id, job.id); }).code() == Errc::Conflict);
  CHECK(error_of([&] { BatchJobScoringJob::link(f.store, "missing", job.id); }).field() == "batchJobId");
  CHECK(error_of([&] { BatchJobScoringJob::link(f.store, batch.id, "missing"); }).field() == "scoringJobId");
  // batch create, job create, link create, the batch's count (1), other batch create.
  CHECK(outbox::pending_count(f.store) == 5);
  CHECK(BatchJob::get_by_id(batch.id, f.store).scoringJobCountCache == 1);
}

TEST_CASE("BatchJob update and refusals") {
  StoreFixture f;
  auto batch = make_batch(f.store);
  batch.update(f.store, {{"totalRequests", 20}, {"errorDetails", {{"why", "x"}}}});
  CHECK(BatchJob::get_by_id(batch.id, f.store).totalRequests == 20);
  CHECK(error_of([&] { batch.update(f.store, {{"createdAt", "2026-11-28T18:54:57Z"}}); }).field() == "createdAt");
  CHECK(error_of([&] { batch.update(f.store, {{"totalRequests", 1LL << 40}}); }).field() == "totalRequests");
  CHECK(error_of([&] { BatchJob::create(f.store, "acct", "t", "p", "m", json{{"x", 1}}); }).field() == "parameters");
  CHECK(error_of([&] { BatchJob::get_by_id("missing", f.store); }).code() == Errc::NotFound);
}

TEST_CASE("batch_scoring_job fills a batch to the maximum, closes it and opens the next") {
  StoreFixture f;
  auto request = assign_request("");
  std::string first_batch;
  for (int i = 0; i < 21; ++i) {
    request.itemId = "item-" + std::to_string(i);
    const auto result = batch_scoring_job(f.store, request);
    REQUIRE(result.created);
    REQUIRE(result.batch_job);
    CHECK(result.scoring_job.batchId == result.batch_job->id);
    if (i == 0) first_batch = result.batch_job->id;
    if (i < 20) {
      CHECK(result.batch_job->id == first_batch);
      CHECK(result.batch_job->scoringJobCountCache == i + 1);
      CHECK(result.batch_job->status == (i == 19 ? "CLOSED" : "OPEN"));
    } else {
      CHECK(result.batch_job->id != first_batch);
      CHECK(result.batch_job->scoringJobCountCache == 1);
      CHECK(result.batch_job->type == "MultiStepScore");
    }
  }
  const auto closed = BatchJob::get_by_id(first_batch, f.store);
  CHECK(closed.status == "CLOSED");
  CHECK(closed.scoringJobCountCache == 20);
  CHECK(BatchJob::list_scoring_jobs(first_batch, f.store).size() == 20);

  // An item that already has a job gets that job back, and nothing is written.
  const auto queued = outbox::pending_count(f.store);
  request.itemId = "item-3";
  const auto again = batch_scoring_job(f.store, request);
  CHECK_FALSE(again.created);
  CHECK(again.batch_job->id == first_batch);
  CHECK(outbox::pending_count(f.store) == queued);
  // 2 batch creates + 21 job creates + 21 links + 21 batch count updates.
  CHECK(queued == 2 + 21 + 21 + 21);
}

TEST_CASE("batch_scoring_job keeps batches apart by model and refuses bad sizes") {
  StoreFixture f;
  auto a = assign_request("item-a");
  auto b = assign_request("item-b", "anthropic", "claude");
  CHECK(batch_scoring_job(f.store, a).batch_job->id != batch_scoring_job(f.store, b).batch_job->id);
  a.itemId = "item-c";
  a.max_batch_size = 0;
  CHECK(error_of([&] { batch_scoring_job(f.store, a); }).field() == "max_batch_size");
}

TEST_CASE("the outbox reports its size and the age of its oldest entry") {
  StoreFixture f;
  CHECK_FALSE(outbox::oldest_age(f.store));
  ScoringJob::create(f.store, "acct", "card", "item");
  const auto age = outbox::oldest_age(f.store);
  REQUIRE(age);
  CHECK(age->count() >= 0);
  CHECK(outbox::pending_count(f.store) == 1);
  CHECK(outbox::list(f.store, 10, outbox::list(f.store)[0].seq).empty());
}
