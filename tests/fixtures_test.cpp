// fixtures::import_records and batch membership: a ScoringJob's local-only
// batchId comes from the join row naming it, whether the job and its join row
// are imported together, the job is already stored, or only the job changes.

#include "scoringjobs/fixtures.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "support/store_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::StoreFixture;

namespace {

json batch(const std::string& id) {
  return {{"id", id},
          {"accountId", "acct"},
          {"status", "OPEN"},
          {"type", "MultiStepScore"},
          {"batchId", "vendor-" + id},
          {"modelProvider", "openai"},
          {"modelName", "gpt-4o"},
          {"createdAt", "2026-01-01T00:00:00.000Z"},
          {"updatedAt", "2026-01-01T00:00:00.000Z"}};
}

json job(const std::string& id, const std::string& status = "PENDING") {
  return {{"id", id},
          {"accountId", "acct"},
          {"status", status},
          {"createdAt", "2026-01-01T00:00:00.000Z"},
          {"updatedAt", status == "PENDING" ? "2026-01-01T00:00:00.000Z" : "2026-01-01T00:01:00.000Z"},
          {"scorecardId", "card"},
          {"itemId", "item-" + id},
          {"metadata", R"({"parameters": {"modelName": "gpt-4o", "note": "q\"uote"}})"}};
}

json link(const std::string& id, const std::string& batch_id, const std::string& job_id) {
  return {{"id", id},
          {"batchJobId", batch_id},
          {"scoringJobId", job_id},
          {"createdAt", "2026-01-01T00:00:00.000Z"},
          {"updatedAt", "2026-01-01T00:00:00.000Z"}};
}

// The document as an export gives it back: every field, AWSJSON as compact text.
json exported_form(const json& document) {
  json out = document;
  for (auto& r : out["BatchJob"]) r = BatchJob::from_dict(r).to_dict();
  for (auto& r : out["ScoringJob"]) r = ScoringJob::from_dict(r).to_dict();
  for (auto& r : out["BatchJobScoringJob"]) r = BatchJobScoringJob::from_dict(r).to_dict();
  return out;
}

std::optional<std::string> batch_of(const std::string& job_id, Store& store) {
  return ScoringJob::get_by_id(job_id, store).batchId;
}

}  // namespace

TEST_CASE("an import puts each ScoringJob in the batch its join row names, however the two arrive") {
  StoreFixture f;
  const json first = {{"BatchJob", {batch("b1"), batch("b2")}},
                      {"ScoringJob", {job("j1"), job("j2"), job("j3")}},
                      {"BatchJobScoringJob", {link("l1", "b1", "j1")}}};
  const auto written = fixtures::import_records(f.store, first);
  CHECK(written.scoring_jobs.written == 3);
  CHECK(batch_of("j1", f.store) == "b1");  // job and join row imported together
  CHECK(batch_of("j2", f.store) == std::nullopt);
  CHECK(batch_of("j3", f.store) == std::nullopt);

  const json second = {
      {"BatchJob", {batch("b1"), batch("b2")}},
      {"ScoringJob", {job("j1", "RUNNING"), job("j2"), job("j3", "RUNNING"), job("j4"), job("j5")}},
      {"BatchJobScoringJob",
       {link("l1", "b1", "j1"), link("l2", "b2", "j2"), link("l3", "b1", "j3"), link("l4", "b2", "j4")}}};
  const auto report = fixtures::import_records(f.store, second);
  CHECK(report.scoring_jobs.written == 4);  // j1, j3 changed; j4, j5 new
  CHECK(report.scoring_jobs.unchanged == 1);
  CHECK(report.links.written == 3);
  CHECK(batch_of("j1", f.store) == "b1");  // changed job, join row already stored: keeps its batch
  CHECK(batch_of("j2", f.store) == "b2");  // stored job left unchanged, new join row
  CHECK(batch_of("j3", f.store) == "b1");  // changed job and its new join row together
  CHECK(batch_of("j4", f.store) == "b2");  // new job and its join row together, into a store holding jobs
  CHECK(batch_of("j5", f.store) == std::nullopt);
  CHECK(fixtures::export_records(f.store) == exported_form(second));
  CHECK(outbox::pending_count(f.store) == 0);
}

TEST_CASE("an import as local changes puts each ScoringJob in its join row's batch and queues no batchId") {
  StoreFixture f;
  fixtures::ImportOptions as_local;
  as_local.as = fixtures::ImportAs::LocalChanges;
  const json first = {{"BatchJob", {batch("b1")}},
                      {"ScoringJob", {job("j1"), job("j2")}},
                      {"BatchJobScoringJob", {link("l1", "b1", "j1")}}};
  fixtures::import_records(f.store, first, as_local);
  CHECK(batch_of("j1", f.store) == "b1");
  CHECK(batch_of("j2", f.store) == std::nullopt);

  const json second = {
      {"BatchJob", {batch("b1")}},
      {"ScoringJob", {job("j1"), job("j2"), job("j3")}},
      {"BatchJobScoringJob", {link("l1", "b1", "j1"), link("l2", "b1", "j2"), link("l3", "b1", "j3")}}};
  const auto report = fixtures::import_records(f.store, second, as_local);
  CHECK(report.scoring_jobs.written == 1);
  CHECK(report.links.written == 2);
  CHECK(batch_of("j2", f.store) == "b1");  // stored job, new join row
  CHECK(batch_of("j3", f.store) == "b1");  // new job and its join row together
  CHECK(fixtures::export_records(f.store) == exported_form(second));
  // One create per record; a ScoringJob's create never carries the local-only batchId.
  CHECK(outbox::pending_count(f.store) == 7);
  CHECK(f.count("SELECT count(*) FROM outbox WHERE model = 'ScoringJob' AND fields LIKE '%batchId%'") == 0);
}
