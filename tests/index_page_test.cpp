// read_index_page (pages in the remote indexes' order) and updates with a
// condition: what the Python module's LocalClient serves AppSync's list
// queries and conditional updates from.

#include "scoringjobs/index_page.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "support/error_of.hpp"
#include "support/store_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::error_of;
using scoringjobs::test::StoreFixture;

namespace {

json job(const std::string& id, const std::string& account, const std::string& created,
         const std::optional<std::string>& score = std::nullopt) {
  return {{"id", id},
          {"accountId", account},
          {"status", "PENDING"},
          {"createdAt", created},
          {"updatedAt", created},
          {"scorecardId", "card"},
          {"itemId", "item-1"},
          {"scoreId", score ? json(*score) : json(nullptr)}};
}

std::vector<std::string> ids(const std::vector<ScoringJob>& jobs) {
  std::vector<std::string> out;
  for (const auto& j : jobs) out.push_back(j.id);
  return out;
}

}  // namespace

TEST_CASE("a sorted index page orders by the stored text's bytes, then id, and resumes after a position") {
  StoreFixture f;
  // "+01:00" text sorts after "Z" text of a later instant: the remote compares strings.
  fixtures::import_records(
      f.store, {{"ScoringJob",
                 {job("c", "acct", "2026-01-01T00:00:00.000Z"), job("a", "acct", "2026-01-01T00:00:00.000Z"),
                  job("b", "acct", "2026-01-01T00:30:00.000+01:00"), job("d", "acct", "2026-01-02T00:00:00.000Z"),
                  job("x", "other", "2025-01-01T00:00:00Z")}}});
  IndexQuery q{.partition = "accountId", .partition_value = "acct", .sort = "createdAt", .limit = 2};
  auto first = read_index_page<ScoringJob>(f.store, q);
  CHECK(ids(first) == std::vector<std::string>{"a", "c"});
  q.after_sort = first.back().createdAt.wire();
  q.after_id = first.back().id;
  CHECK(ids(read_index_page<ScoringJob>(f.store, q)) == std::vector<std::string>{"b", "d"});

  IndexQuery desc{.partition = "accountId", .partition_value = "acct", .sort = "createdAt", .descending = true};
  CHECK(ids(read_index_page<ScoringJob>(f.store, desc)) == std::vector<std::string>{"d", "b", "c", "a"});

  IndexQuery bounded{.partition = "accountId",
                     .partition_value = "acct",
                     .sort = "createdAt",
                     .lower = "2026-01-01T00:00:00.000Z",
                     .lower_inclusive = false,
                     .upper = "2026-01-02T00:00:00.000Z",
                     .upper_inclusive = true};
  CHECK(ids(read_index_page<ScoringJob>(f.store, bounded)) == std::vector<std::string>{"b", "d"});
}

TEST_CASE("an index leaves out records without its sort key, and a scan reads every record by id") {
  StoreFixture f;
  fixtures::import_records(
      f.store, {{"ScoringJob",
                 {job("b", "acct", "2026-01-01T00:00:00.000Z", "s2"), job("a", "acct", "2026-01-01T00:00:00.000Z"),
                  job("c", "acct", "2026-01-01T00:00:00.000Z", "s1")}}});
  IndexQuery by_score{.partition = "itemId", .partition_value = "item-1", .sort = "scoreId"};
  CHECK(ids(read_index_page<ScoringJob>(f.store, by_score)) == std::vector<std::string>{"c", "b"});
  CHECK(ids(read_index_page<ScoringJob>(f.store, {.limit = 2})) == std::vector<std::string>{"a", "b"});
  IndexQuery after{.after_sort = "b", .after_id = "b"};
  CHECK(ids(read_index_page<ScoringJob>(f.store, after)) == std::vector<std::string>{"c"});
}

TEST_CASE("an index the model does not have is refused naming the field") {
  StoreFixture f;
  auto e = error_of([&] { read_index_page<BatchJob>(f.store, {.partition = "itemId", .partition_value = "x"}); });
  CHECK(e.code() == Errc::InvalidArgument);
  CHECK(e.field() == "partition");
  e = error_of([&] { read_index_page<ScoringJob>(f.store, {.partition = "itemId", .sort = "createdAt"}); });
  CHECK(e.field() == "sort");
  e = error_of([&] { read_index_page<BatchJobScoringJob>(f.store, {.limit = 0}); });
  CHECK(e.field() == "limit");
}

TEST_CASE("an update whose condition fails writes nothing and says so") {
  StoreFixture f;
  auto j = ScoringJob::create(f.store, "acct", "card", "item");
  const auto queued = outbox::pending_count(f.store);
  json seen;
  auto e = error_of([&] {
    j.update(f.store, {{"status", "RUNNING"}}, [&](const json& stored) {
      seen = stored;
      return stored.at("status") == "DONE";
    });
  });
  CHECK(e.code() == Errc::Conflict);
  CHECK(e.field() == "condition");
  CHECK(seen.at("id") == j.id);
  CHECK(ScoringJob::get_by_id(j.id, f.store).status == "PENDING");
  CHECK(outbox::pending_count(f.store) == queued);

  j.update(f.store, {{"status", "RUNNING"}}, [](const json& stored) { return stored.at("status") == "PENDING"; });
  CHECK(ScoringJob::get_by_id(j.id, f.store).status == "RUNNING");

  auto b = BatchJob::create(f.store, "acct", "MultiStepScore", "openai", "gpt-4o");
  e = error_of([&] { b.update(f.store, {{"status", "CLOSED"}}, [](const json&) { return false; }); });
  CHECK(e.field() == "condition");
  CHECK(BatchJob::get_by_id(b.id, f.store).status == "PENDING");
}
