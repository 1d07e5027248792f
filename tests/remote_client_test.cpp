// RemoteClient's typed operations against the real local AppSync server.

#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include "scoringjobs/log.hpp"
#include "scoringjobs/remote.hpp"
#include "support/appsync_server.hpp"
#include "support/canary.hpp"
#include "support/error_of.hpp"
#include "support/remote_inputs.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::AppSyncServer;

using scoringjobs::test::error_of;
using scoringjobs::test::job_input;

namespace {

// A server and a client pointed at it.
struct Remote {
  AppSyncServer server{"CANARY-KEY-remote-client"};
  RemoteClient client{server.remote_config()};
};

json batch_input(const std::string& id, const std::string& account = "acct-1") {
  return {{"id", id},         {"accountId", account},      {"type", "MultiStepScore"}, {"batchId", "bid-" + id},
          {"status", "OPEN"}, {"modelProvider", "openai"}, {"modelName", "gpt-4o"},    {"scoringJobCountCache", 0}};
}

json link_input(const std::string& id, const std::string& batch, const std::string& job) {
  return {{"id", id}, {"batchJobId", batch}, {"scoringJobId", job}};
}

template <class Record>
std::vector<std::string> ids_of(const std::vector<Record>& records) {
  std::vector<std::string> ids;
  for (const auto& record : records) ids.push_back(record.id);
  return ids;
}

}  // namespace

TEST_CASE("ScoringJob: create, get, update, conditions and conflicts") {
  Remote remote;
  auto& client = remote.client;
  json input = job_input("job-1");
  input["scoreId"] = "score-1";
  input["errorMessage"] = "none yet";
  input["createdAt"] = "2026-01-02T03:04:05.006Z";
  input["updatedAt"] = "2026-01-02T03:04:05.006Z";
  const ScoringJob created = client.create<ScoringJob>(input);
  CHECK(created.id == "job-1");
  CHECK(created.scoreId == "score-1");
  CHECK(created.createdAt.wire() == "2026-01-02T03:04:05.006Z");

  const auto got = client.get<ScoringJob>("job-1");
  REQUIRE(got);
  CHECK(*got == created);
  CHECK_FALSE(client.get<ScoringJob>("no-such-job"));

  // A partial update: status changes, a null removes errorMessage, the rest stays.
  const ScoringJob running = client.update<ScoringJob>(
      {{"id", "job-1"}, {"status", "RUNNING"}, {"errorMessage", nullptr}, {"updatedAt", "2026-01-02T03:05:00.000Z"}},
      {{"status", {{"eq", "PENDING"}}}});
  CHECK(running.status == "RUNNING");
  CHECK_FALSE(running.errorMessage);
  CHECK(running.scoreId == "score-1");
  CHECK(running.updatedAt.wire() == "2026-01-02T03:05:00.000Z");

  // Compare-and-set that no longer holds: RemoteConflict, nothing changes.
  const Error stale = error_of([&] {
    client.update<ScoringJob>({{"id", "job-1"}, {"status", "FAILED"}}, {{"status", {{"eq", "PENDING"}}}});
  });
  CHECK(stale.code() == Errc::RemoteConflict);
  CHECK(client.get<ScoringJob>("job-1")->status == "RUNNING");

  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-1")); }).code() == Errc::RemoteConflict);
  CHECK(error_of([&] {
          client.update<ScoringJob>({{"id", "ghost"}, {"status", "RUNNING"}});
        }).code() == Errc::RemoteConflict);
  CHECK(client.requests_made() == 8);
}

TEST_CASE("BatchJob and BatchJobScoringJob: create, get, update") {
  Remote remote;
  auto& client = remote.client;
  const BatchJob batch = client.create<BatchJob>(batch_input("batch-1"));
  CHECK(batch.status == "OPEN");
  CHECK(batch.scoringJobCountCache == 0);
  CHECK(*client.get<BatchJob>("batch-1") == batch);

  const BatchJob counted = client.update<BatchJob>(
      {{"id", "batch-1"}, {"scoringJobCountCache", 20}, {"status", "CLOSED"}}, {{"status", {{"eq", "OPEN"}}}});
  CHECK(counted.scoringJobCountCache == 20);
  CHECK(counted.status == "CLOSED");
  CHECK(counted.modelName == "gpt-4o");

  client.create<ScoringJob>(job_input("job-1"));
  const BatchJobScoringJob link = client.create<BatchJobScoringJob>(link_input("link-1", "batch-1", "job-1"));
  CHECK(link.batchJobId == "batch-1");
  CHECK(*client.get<BatchJobScoringJob>("link-1") == link);
  const BatchJobScoringJob moved = client.update<BatchJobScoringJob>({{"id", "link-1"}, {"batchJobId", "batch-2"}});
  CHECK(moved.batchJobId == "batch-2");
  CHECK(moved.scoringJobId == "job-1");

  // create_input(record) is accepted as is by the schema.
  BatchJob local = batch;
  local.id = "batch-from-record";
  CHECK(client.create<BatchJob>(create_input(local)).batchId == batch.batchId);
}

TEST_CASE("AWSJSON and AWSDateTime values round-trip exactly") {
  Remote remote;
  auto& client = remote.client;
  const std::string metadata = R"({"source":"edge","n":1,"nested":{"list":[1,2.5,null,"ü"]}})";
  const std::string details = R"({"trace":["a","b"]})";
  const std::string started = "2026-11-28T18:54:57.663123456+02:00";
  const std::string completed = "2026-11-28T17:00:00Z";
  json input = job_input("job-json");
  input["metadata"] = metadata;
  input["errorDetails"] = details;
  input["startedAt"] = started;
  input["completedAt"] = completed;
  client.create<ScoringJob>(input);

  const ScoringJob job = *client.get<ScoringJob>("job-json");
  CHECK(job.metadata == json::parse(metadata));
  CHECK(job.errorDetails == json::parse(details));
  CHECK(job.startedAt->wire() == started);
  CHECK(job.completedAt->wire() == completed);
  CHECK(job.startedAt->nanos() == 663123456);
  // The server stored exactly the strings we sent, and our wire shape reproduces them.
  const json stored = remote.server.dump().at("ScoringJob").at(0);
  CHECK(stored.at("metadata") == metadata);
  CHECK(stored.at("startedAt") == started);
  // The model keeps AWSJSON as a JSON value, so its text comes back as equal JSON (keys may be reordered).
  CHECK(json::parse(job.to_dict().at("metadata").get<std::string>()) == json::parse(metadata));
  CHECK(job.to_dict().at("startedAt") == started);
}

TEST_CASE("get_many fetches records by id with aliases, in order, nullopt where absent") {
  Remote remote;
  RemoteConfig config = remote.server.remote_config();
  config.max_gets_per_request = 2;
  RemoteClient client(config);
  for (const char* id : {"a", "b", "c", "d"}) client.create<ScoringJob>(job_input(id));
  const std::array<std::string, 5> ids = {"d", "missing", "a", "c", "b"};
  const std::size_t before = client.requests_made();
  const auto records = client.get_many<ScoringJob>(ids);
  CHECK(client.requests_made() - before == 3);  // 2 + 2 + 1 per request
  REQUIRE(records.size() == 5);
  CHECK(records[0]->id == "d");
  CHECK_FALSE(records[1]);
  CHECK(records[2]->id == "a");
  CHECK(records[4]->id == "b");
  CHECK(client.get_many<ScoringJob>(std::span<const std::string>{}).empty());
  CHECK(client.requests_made() - before == 3);  // nothing to fetch, nothing sent
}

TEST_CASE("pagination: three full pages then an empty last page") {
  Remote remote;
  auto& client = remote.client;
  for (int i = 0; i < 6; ++i) client.create<ScoringJob>(job_input("job-" + std::to_string(i), "acct-pages"));
  ListOptions options;
  options.limit = 2;
  const auto query = queries::scoring_jobs_by_account_id("acct-pages", options);

  std::vector<std::size_t> sizes;
  std::optional<std::string> token;
  do {
    const auto page = client.list_page(query, token);
    sizes.push_back(page.items.size());
    token = page.nextToken;
  } while (token);
  // A page that read exactly `limit` items carries a token even when nothing is left.
  CHECK(sizes == std::vector<std::size_t>{2, 2, 2, 0});

  const std::size_t before = client.requests_made();
  const auto all = client.list_all(query);
  CHECK(client.requests_made() - before == 4);
  CHECK(ids_of(all) == std::vector<std::string>{"job-0", "job-1", "job-2", "job-3", "job-4", "job-5"});
}

TEST_CASE("pagination: a filtered page can hold zero items and still carry a token") {
  Remote remote;
  auto& client = remote.client;
  for (int i = 0; i < 5; ++i) client.create<ScoringJob>(job_input("job-" + std::to_string(i), "acct-f"));
  client.update<ScoringJob>({{"id", "job-4"}, {"status", "FAILED"}});
  ListOptions options;
  options.limit = 2;
  options.filter = {{"status", {{"eq", "FAILED"}}}};
  const auto query = queries::scoring_jobs_by_account_id("acct-f", options);

  const auto first = client.list_page(query);
  CHECK(first.items.empty());
  REQUIRE(first.nextToken);
  // The only match is on the last page; list_all must walk through the empty ones to it.
  CHECK(ids_of(client.list_all(query)) == std::vector<std::string>{"job-4"});
  options.filter = {{"status", {{"eq", "NOPE"}}}};
  CHECK(client.list_all(queries::scoring_jobs_by_account_id("acct-f", options)).empty());
}

TEST_CASE("every list query of the schema") {
  Remote remote;
  auto& client = remote.client;
  json a = job_input("job-a", "acct-1", "item-1");
  a["scoreId"] = "score-1";
  a["createdAt"] = "2026-01-01T00:00:00.000Z";
  json b = job_input("job-b", "acct-1", "item-1");
  b["scoreId"] = "score-2";
  b["createdAt"] = "2026-02-01T00:00:00.000Z";
  json c = job_input("job-c", "acct-2", "item-2");
  c["scoreId"] = "score-1";
  c["createdAt"] = "2026-01-15T00:00:00.000Z";
  for (const auto& input : {a, b, c}) client.create<ScoringJob>(input);
  json batch1 = batch_input("batch-1", "acct-1");
  batch1["scorecardId"] = "card-9";
  batch1["scoreId"] = "score-1";
  client.create<BatchJob>(batch1);
  client.create<BatchJob>(batch_input("batch-2", "acct-2"));
  client.create<BatchJobScoringJob>(link_input("link-1", "batch-1", "job-a"));
  client.create<BatchJobScoringJob>(link_input("link-2", "batch-1", "job-b"));
  client.create<BatchJobScoringJob>(link_input("link-3", "batch-2", "job-c"));

  using Ids = std::vector<std::string>;
  CHECK(ids_of(client.list_all(queries::scoring_jobs())) == Ids{"job-a", "job-b", "job-c"});
  ListOptions status_filter;
  status_filter.filter = {{"accountId", {{"eq", "acct-2"}}}};
  CHECK(ids_of(client.list_all(queries::scoring_jobs(status_filter))) == Ids{"job-c"});
  CHECK(ids_of(client.list_all(queries::scoring_jobs_by_item_id("item-1"))) == Ids{"job-a", "job-b"});
  CHECK(ids_of(client.list_all(queries::scoring_jobs_by_item_id_and_score_id("item-1", {{"eq", "score-2"}}))) ==
        Ids{"job-b"});
  CHECK(ids_of(client.list_all(queries::scoring_jobs_by_account_id("acct-2"))) == Ids{"job-c"});
  ListOptions newest_first;
  newest_first.sortDirection = SortDirection::Desc;
  CHECK(ids_of(client.list_all(queries::scoring_jobs_by_account_id_and_created_at("acct-1", nullptr, newest_first))) ==
        Ids{"job-b", "job-a"});
  CHECK(ids_of(client.list_all(queries::scoring_jobs_by_account_id_and_created_at(
            "acct-1", {{"beginsWith", "2026-01"}}))) == Ids{"job-a"});
  CHECK(ids_of(client.list_all(queries::scoring_jobs_by_score_id("score-1"))) == Ids{"job-a", "job-c"});

  CHECK(ids_of(client.list_all(queries::batch_jobs())) == Ids{"batch-1", "batch-2"});
  CHECK(ids_of(client.list_all(queries::batch_jobs_by_account_id("acct-2"))) == Ids{"batch-2"});
  CHECK(ids_of(client.list_all(queries::batch_jobs_by_scorecard_id("card-9"))) == Ids{"batch-1"});
  CHECK(ids_of(client.list_all(queries::batch_jobs_by_score_id("score-1"))) == Ids{"batch-1"});

  ListOptions by_job;
  by_job.filter = {{"scoringJobId", {{"eq", "job-c"}}}};
  CHECK(ids_of(client.list_all(queries::batch_job_scoring_jobs(by_job))) == Ids{"link-3"});
  CHECK(ids_of(client.list_all(queries::batch_job_scoring_jobs_by_batch_job_id("batch-1"))) == Ids{"link-1", "link-2"});

  // A hand-made query naming an unknown argument is refused before sending.
  ListQuery<ScoringJob> bad{"listScoringJobByItemId", {{"itemId", "x"}, {"colour", "red"}}, std::nullopt};
  const std::size_t before = client.requests_made();
  CHECK(error_of([&] { client.list_page(bad); }).code() == Errc::InvalidArgument);
  CHECK(client.requests_made() == before);
}

TEST_CASE("get_batch_job finds the batch through its join row, even on a later page") {
  Remote remote;
  auto& client = remote.client;
  client.create<BatchJob>(batch_input("batch-x"));
  client.create<ScoringJob>(job_input("job-target"));
  // 120 other join rows scan before ours ("link-000" < "link-zzz"), more than a 100-item page.
  json links = json::array();
  for (int i = 0; i < 120; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "link-%03d", i);
    links.push_back({{"id", id},
                     {"batchJobId", "batch-other"},
                     {"scoringJobId", "job-other"},
                     {"createdAt", "2026-01-01T00:00:00.000Z"},
                     {"updatedAt", "2026-01-01T00:00:00.000Z"},
                     {"__typename", "BatchJobScoringJob"}});
  }
  remote.server.load({{"BatchJobScoringJob", links}});
  client.create<BatchJobScoringJob>(link_input("link-zzz", "batch-x", "job-target"));

  const std::size_t before = client.requests_made();
  const auto batch = client.get_batch_job("job-target");
  REQUIRE(batch);
  CHECK(batch->id == "batch-x");
  CHECK(client.requests_made() - before == 2);
  CHECK_FALSE(client.get_batch_job("job-without-batch"));
}

TEST_CASE("a list page skips an item the server cannot return and keeps the others") {
  Remote remote;
  auto& client = remote.client;
  client.create<BatchJob>(batch_input("batch-1"));
  client.create<BatchJob>(batch_input("batch-3"));
  // Stored without modelName, which the schema says is never null: that item
  // comes back as null with an error at ["…","items",1,"modelName"].
  json broken = remote.server.dump().at("BatchJob").at(0);
  broken["id"] = "batch-2";
  broken.erase("modelName");
  remote.server.load({{"BatchJob", json::array({broken})}});

  std::vector<std::string> warnings;
  set_log_sink([&](LogLevel level, std::string_view line) {
    if (level == LogLevel::Warn) warnings.emplace_back(line);
  });
  const auto scanned = client.list_all(queries::batch_jobs());
  const auto by_account = client.list_all(queries::batch_jobs_by_account_id("acct-1"));
  set_log_sink({});

  CHECK(ids_of(scanned) == std::vector<std::string>{"batch-1", "batch-3"});
  CHECK(ids_of(by_account) == std::vector<std::string>{"batch-1", "batch-3"});
  REQUIRE(warnings.size() == 2);  // one per page that skipped the item
  CHECK(warnings[0].find("modelName") != std::string::npos);
  CHECK(warnings[0].find("left out") != std::string::npos);
  CHECK(warnings[0].find("batch-2") != std::string::npos);  // its id, read again on its own
  for (const auto& line : warnings) CHECK_FALSE(scoringjobs::test::holds_canary(line));
  // A get of that record fails: there the record itself is the answer.
  CHECK(error_of([&] { client.get<BatchJob>("batch-2"); }).code() == Errc::Unreadable);
  // list_page reports it beside the others, with its id.
  const auto page = client.list_page(queries::batch_jobs());
  CHECK(ids_of(page.items) == std::vector<std::string>{"batch-1", "batch-3"});
  REQUIRE(page.unreadable.size() == 1);
  CHECK(page.unreadable[0].id == "batch-2");
  CHECK(page.unreadable[0].reason.find("modelName") != std::string::npos);
}

TEST_CASE("a MutationBatch sends many mutations in one request, each with its own outcome") {
  Remote remote;
  auto& client = remote.client;
  client.create<ScoringJob>(job_input("existing"));
  client.create<BatchJob>(batch_input("batch-1"));

  MutationBatch batch;
  batch.add_create(Model::ScoringJob, job_input("new-1"));
  batch.add_create(Model::ScoringJob, job_input("existing"));  // already there
  batch.add_update(Model::ScoringJob, {{"id", "existing"}, {"status", "RUNNING"}}, {{"status", {{"eq", "DONE"}}}});
  batch.add_create(Model::BatchJobScoringJob, link_input("link-1", "batch-1", "new-1"));
  batch.add_update(Model::BatchJob, {{"id", "batch-1"}, {"scoringJobCountCache", 1}});
  batch.add_update(Model::ScoringJob, {{"id", "existing"}, {"status", "RUNNING"}});

  const std::size_t before = client.requests_made();
  const auto results = client.run(batch);
  CHECK(client.requests_made() - before == 1);
  REQUIRE(results.size() == 6);
  CHECK(results[0].ok());
  CHECK(std::get<ScoringJob>(*results[0].record).id == "new-1");
  REQUIRE(results[1].error);
  CHECK(results[1].error->code() == Errc::RemoteConflict);
  CHECK(results[1].kind == MutationKind::Create);
  REQUIRE(results[2].error);
  CHECK(results[2].error->code() == Errc::RemoteConflict);
  CHECK(std::get<BatchJobScoringJob>(*results[3].record).scoringJobId == "new-1");
  CHECK(std::get<BatchJob>(*results[4].record).scoringJobCountCache == 1);
  CHECK(results[4].model == Model::BatchJob);
  // Mutations run in document order: the last one saw the state the failed ones left.
  CHECK(std::get<ScoringJob>(*results[5].record).status == "RUNNING");

  // The server saw one request with the six aliases.
  const json log = remote.server.request_log();
  CHECK(log.back().at("operationName") == "MutationBatch");
  CHECK(log.back().at("fields").size() == 6);
  CHECK(client.run(MutationBatch{}).empty());
  CHECK(client.requests_made() - before == 1);
}

TEST_CASE("execute sends any document and returns field errors classified") {
  Remote remote;
  auto& client = remote.client;
  client.create<ScoringJob>(job_input("job-1"));
  const auto response = client.execute(
      "mutation Two($a: CreateScoringJobInput!, $b: CreateScoringJobInput!) { "
      "a: createScoringJob(input: $a) { id } b: createScoringJob(input: $b) { id } }",
      {{"a", job_input("job-2")}, {"b", job_input("job-1")}}, "Two");
  CHECK(response.data.at("a").at("id") == "job-2");
  CHECK(response.data.at("b").is_null());
  REQUIRE(response.error_for("b"));
  CHECK(response.error_for("b")->code == Errc::RemoteConflict);
  CHECK(response.error_for("b")->errorType == "DynamoDB:ConditionalCheckFailedException");
  CHECK_FALSE(response.request_id.empty());

  // A document the schema refuses, and a variable that does not coerce: the
  // whole request is refused, a matter of the client/API contract (Contract).
  CHECK(error_of([&] { client.execute("query { getScoringJob(id: \"x\") { colour } }"); }).code() == Errc::Contract);
  json bad = job_input("job-3");
  bad["metadata"] = {{"not", "a string"}};  // AWSJSON must be a string holding JSON
  const Error coercion = error_of([&] {
    client.execute("mutation C($i: CreateScoringJobInput!) { createScoringJob(input: $i) { id } }", {{"i", bad}}, "C");
  });
  CHECK(coercion.code() == Errc::Contract);
  CHECK_FALSE(client.get<ScoringJob>("job-3"));
}

TEST_CASE("moving a client keeps its connection and request count") {
  Remote remote;
  remote.client.create<ScoringJob>(job_input("job-1"));
  RemoteClient moved = std::move(remote.client);
  CHECK(moved.get<ScoringJob>("job-1"));
  CHECK(moved.requests_made() == 2);
}
