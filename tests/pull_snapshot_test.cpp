// pull_snapshot(): an account's records read from the local AppSync server and
// stored as remote state.

#include "scoringjobs/pull_snapshot.hpp"

#include <doctest/doctest.h>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "support/error_of.hpp"
#include "support/sync_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::error_of;
using scoringjobs::test::local_records;
using scoringjobs::test::SyncFixture;

namespace {

ScoringJob remote_job(RemoteClient& client, const std::string& account, const std::string& item,
                      const std::string& createdAt) {
  return client.create<ScoringJob>({{"accountId", account},
                                    {"scorecardId", "card"},
                                    {"itemId", item},
                                    {"status", "PENDING"},
                                    {"createdAt", createdAt}});
}

BatchJob remote_batch(RemoteClient& client, const std::string& account) {
  return client.create<BatchJob>({{"accountId", account},
                                  {"status", "OPEN"},
                                  {"type", "SCORING"},
                                  {"batchId", "b-1"},
                                  {"modelProvider", "OpenAI"},
                                  {"modelName", "gpt-4o-mini"}});
}

}  // namespace

TEST_CASE("pull_snapshot stores jobs created since the time, and a new batch's members whatever their age") {
  SyncFixture f;
  const auto old_member = remote_job(f.client, "acct", "old-member", "2020-01-01T00:00:00.000Z");
  const auto old_alone = remote_job(f.client, "acct", "old-alone", "2020-01-02T00:00:00.000Z");
  const auto recent = remote_job(f.client, "acct", "recent", "2026-01-01T00:00:00.000Z");
  remote_job(f.client, "other-acct", "not-ours", "2026-01-01T00:00:00.000Z");
  const auto batch = remote_batch(f.client, "acct");  // created now, after `since`
  f.client.create<BatchJobScoringJob>({{"batchJobId", batch.id}, {"scoringJobId", old_member.id}});

  const auto requests_before = f.server.request_log().size();
  const auto report =
      pull_snapshot(f.store, f.client, {.accounts = {"acct"}, .since = Timestamp::parse("2021-01-01T02:00:00+02:00")});

  CHECK(report.fetched_scoring_jobs == 2);  // recent, and old-member through the batch
  CHECK(report.fetched_batch_jobs == 1);
  CHECK(report.fetched_links == 1);
  CHECK(report.imported.scoring_jobs.written == 2);
  CHECK(report.requests == static_cast<std::int64_t>(f.server.request_log().size() - requests_before));
  const auto local = local_records(f.db_path);
  CHECK(local["ScoringJob"].contains(old_member.id));
  CHECK(local["ScoringJob"].contains(recent.id));
  CHECK_FALSE(local["ScoringJob"].contains(old_alone.id));
  CHECK(ScoringJob::get_batch_job(old_member.id, f.store)->id == batch.id);
  // Remote state: nothing to send back.
  CHECK(outbox::pending_count(f.store) == 0);
}

TEST_CASE("pull_snapshot leaves out a join row naming a job the API does not have") {
  SyncFixture f;
  const auto batch = remote_batch(f.client, "acct");
  const auto member = remote_job(f.client, "acct", "member", "2026-01-01T00:00:00.000Z");
  f.client.create<BatchJobScoringJob>({{"batchJobId", batch.id}, {"scoringJobId", member.id}});
  f.server.load({{"BatchJobScoringJob",
                  {{{"__typename", "BatchJobScoringJob"},
                    {"id", "dangling"},
                    {"batchJobId", batch.id},
                    {"scoringJobId", "no-such-job"},
                    {"createdAt", "2026-01-01T00:00:00.000Z"},
                    {"updatedAt", "2026-01-01T00:00:00.000Z"}}}}});

  const auto report = pull_snapshot(f.store, f.client, {.accounts = {"acct"}, .since = std::nullopt});

  CHECK(report.fetched_links == 1);
  CHECK(report.imported.links.written == 1);
  const auto local = local_records(f.db_path);
  CHECK(local["BatchJobScoringJob"].size() == 1);
  CHECK_FALSE(local["BatchJobScoringJob"].contains("dangling"));
}

TEST_CASE("pull_snapshot writes nothing when the API cannot be reached") {
  SyncFixture f;
  remote_job(f.client, "acct", "job", "2026-01-01T00:00:00.000Z");
  f.server.stop();

  const auto error = error_of([&] { pull_snapshot(f.store, f.client, {.accounts = {"acct"}, .since = std::nullopt}); });

  CHECK(error.code() == Errc::Offline);
  CHECK(local_records(f.db_path)["ScoringJob"].empty());
}

TEST_CASE("PullSnapshotReport prints as {fetched, imported, requests} with the models' names") {
  PullSnapshotReport report;
  report.fetched_scoring_jobs = 3;
  report.fetched_batch_jobs = 1;
  report.fetched_links = 2;
  report.imported.scoring_jobs.written = 3;
  report.requests = 4;
  const json printed = report;
  CHECK(printed == json{{"fetched", {{"ScoringJob", 3}, {"BatchJob", 1}, {"BatchJobScoringJob", 2}}},
                        {"imported", report.imported},
                        {"requests", 4}});
}
