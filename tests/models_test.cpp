#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "model/wire_text.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/limits.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "support/error_of.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::error_of;

namespace {

json remote_scoring_job() {
  return {
      {"id", "job-1"},
      {"accountId", "acct"},
      {"status", "RUNNING"},
      {"createdAt", "2026-11-28T18:54:57.663Z"},
      {"updatedAt", "2026-11-28T20:54:58.1+02:00"},
      {"scorecardId", "card"},
      {"itemId", "item"},
      {"startedAt", "2026-11-28T18:55:00.123456Z"},
      {"completedAt", nullptr},
      {"errorMessage", nullptr},
      {"errorDetails", "{\"trace\":[1,2]}"},
      {"metadata", "{\"source\":\"x\",\"n\":1}"},
      {"evaluationId", nullptr},
      {"scoreId", "score"},
  };
}

}  // namespace

TEST_CASE("ScoringJob from_dict / to_dict round-trips the wire shape exactly") {
  const auto wire = remote_scoring_job();
  const auto job = ScoringJob::from_dict(wire);
  CHECK(job.metadata == json{{"source", "x"}, {"n", 1}});
  CHECK(job.errorDetails == json{{"trace", {1, 2}}});
  CHECK(job.updatedAt.wire() == "2026-11-28T20:54:58.1+02:00");
  CHECK(job.startedAt->nanos() == 123'456'000);
  auto back = job.to_dict();
  // AWSJSON goes back as a string holding the same JSON.
  CHECK(json::parse(back["metadata"].get<std::string>()) == json::parse(wire["metadata"].get<std::string>()));
  back["metadata"] = wire["metadata"];
  back["errorDetails"] = wire["errorDetails"];
  CHECK(back == wire);
  CHECK(ScoringJob::from_dict(job.to_dict()) == job);
}

TEST_CASE("to_json shows AWSJSON as JSON values and the local batchId") {
  auto job = ScoringJob::from_dict(remote_scoring_job());
  job.batchId = "batch-1";
  const auto shown = job.to_json();
  CHECK(shown["metadata"] == json{{"source", "x"}, {"n", 1}});
  CHECK(shown["batchId"] == "batch-1");
  CHECK_FALSE(job.to_dict().contains("batchId"));
}

TEST_CASE("fields() is the GraphQL selection set: every wire field, nothing local") {
  const std::string fields(ScoringJob::fields());
  const auto wire = remote_scoring_job();
  for (const auto& item : wire.items()) {
    const auto& key = item.key();
    CAPTURE(key);
    CHECK(fields.find(key) != std::string::npos);
  }
  CHECK(fields.find("batchId") == std::string::npos);
  const std::string batch_fields(BatchJob::fields());
  for (const char* key : {"type", "batchId", "modelProvider", "modelName", "scoringJobCountCache", "estimatedEndAt",
                          "totalRequests", "completedRequests", "failedRequests", "createdAt", "updatedAt"}) {
    CHECK(batch_fields.find(key) != std::string::npos);
  }
  CHECK(std::string(BatchJobScoringJob::fields()) == "id batchJobId scoringJobId createdAt updatedAt");
}

TEST_CASE("malformed input names the field and the value") {
  struct Case {
    const char* field;
    json value;
  };
  const Case cases[] = {
      {"id", ""},
      {"id", nullptr},
      {"status", ""},
      {"accountId", 42},
      {"createdAt", "yesterday"},
      {"startedAt", "2026-02-30T00:00:00Z"},
      {"metadata", "{not json"},
      {"metadata", json{{"object", "not string"}}},
      {"errorDetails", 7},
      {"itemId", std::string(limits::kMaxIdBytes + 1, 'x')},
      {"scoreId", std::string("a\0b", 3)},
      {"scoreId", "\xff\xfe"},
      {"errorMessage", std::string(limits::kMaxTextBytes + 1, 'e')},
      {"metadata", "\"" + std::string(limits::kMaxJsonBytes + 1, 'm') + "\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field);
    auto wire = remote_scoring_job();
    wire[c.field] = c.value;
    const auto e = error_of([&] { ScoringJob::from_dict(wire); });
    CHECK(e.code() == Errc::InvalidArgument);
    CHECK(e.field() == c.field);
    CHECK(std::string(e.what()).find(c.field) != std::string::npos);
  }
}

TEST_CASE("unknown fields are refused, not dropped") {
  auto wire = remote_scoring_job();
  wire["colour"] = "blue";
  const auto e = error_of([&] { ScoringJob::from_dict(wire); });
  CHECK(e.code() == Errc::InvalidArgument);
  CHECK(e.field() == "colour");
  wire.erase("colour");
  wire["__typename"] = "ScoringJob";
  CHECK_NOTHROW(ScoringJob::from_dict(wire));
  CHECK_THROWS_AS(ScoringJob::from_dict(json::array()), Error);
}

TEST_CASE("BatchJob Int fields must fit GraphQL's 32-bit Int") {
  json wire = {{"id", "b"},
               {"accountId", "a"},
               {"status", "OPEN"},
               {"type", "MultiStepScore"},
               {"batchId", "x"},
               {"modelProvider", "openai"},
               {"modelName", "gpt"},
               {"createdAt", "2026-11-28T18:54:57.663Z"},
               {"updatedAt", "2026-11-28T18:54:57.663Z"},
               {"totalRequests", 2147483647}};
  auto batch = BatchJob::from_dict(wire);
  CHECK(batch.totalRequests == 2147483647);
  CHECK(BatchJob::from_dict(batch.to_dict()) == batch);
  for (json bad : {json(2147483648LL), json(-2147483649LL), json(1.5), json("3"), json(18446744073709551615ULL)}) {
    CAPTURE(bad.dump());
    wire["totalRequests"] = bad;
    const auto e = error_of([&] { BatchJob::from_dict(wire); });
    CHECK(e.field() == "totalRequests");
  }
}

TEST_CASE("BatchJobScoringJob round-trips") {
  const json wire = {{"id", "l"},
                     {"batchJobId", "b"},
                     {"scoringJobId", "j"},
                     {"createdAt", "2026-11-28T18:54:57.663Z"},
                     {"updatedAt", "2026-11-28T18:54:57.663Z"}};
  CHECK(BatchJobScoringJob::from_dict(wire).to_dict() == wire);
  auto missing = wire;
  missing.erase("scoringJobId");
  CHECK(error_of([&] { BatchJobScoringJob::from_dict(missing); }).field() == "scoringJobId");
}

TEST_CASE("wire_text is byte for byte to_dict().dump(), for every field set, unset and with characters to escape") {
  const std::string awkward = "q\"uote \\ back\b\f\n\r\t \x01\x1f\x7f é \xF0\x9F\x98\x80 </script>";
  auto wire = remote_scoring_job();
  CHECK(detail::wire_text(ScoringJob::from_dict(wire)) == ScoringJob::from_dict(wire).to_dict().dump());
  wire["completedAt"] = "2026-11-28T19:00:00Z";
  wire["errorMessage"] = awkward;
  wire["errorDetails"] = json{{"why", awkward}, {"n", -1.5}}.dump();
  wire["evaluationId"] = "eval";
  wire["metadata"] = nullptr;
  wire["scoreId"] = nullptr;
  const auto job = ScoringJob::from_dict(wire);
  CHECK(detail::wire_text(job) == job.to_dict().dump());

  BatchJob batch = BatchJob::from_dict({{"id", "b-1"},
                                        {"accountId", "acct"},
                                        {"status", "OPEN"},
                                        {"type", "MultiStepScore"},
                                        {"batchId", "vendor-1"},
                                        {"modelProvider", "openai"},
                                        {"modelName", "gpt-4o"},
                                        {"createdAt", "2026-11-28T18:54:57.663Z"},
                                        {"updatedAt", "2026-11-28T18:54:57.663Z"}});
  CHECK(detail::wire_text(batch) == batch.to_dict().dump());
  batch.scoringJobCountCache = 0;
  batch.totalRequests = -2147483647 - 1;
  batch.completedRequests = 2147483647;
  batch.failedRequests = 3;
  batch.errorMessage = awkward;
  batch.errorDetails = json{{"a", json::array({1, 2})}};
  batch.scorecardId = "card";
  batch.scoreId = "score";
  batch.startedAt = batch.estimatedEndAt = batch.completedAt = Timestamp::parse("2026-11-28T20:54:58.1+02:00");
  CHECK(detail::wire_text(batch) == batch.to_dict().dump());

  const auto link = BatchJobScoringJob::from_dict({{"id", "link-1"},
                                                   {"batchJobId", "b-1"},
                                                   {"scoringJobId", "job-1"},
                                                   {"createdAt", "2026-11-28T18:54:57.663Z"},
                                                   {"updatedAt", "2026-11-28T18:54:57.663Z"}});
  CHECK(detail::wire_text(link) == link.to_dict().dump());
}

TEST_CASE("wire_text escapes each character as dump() does, wherever it falls in a run of eight bytes") {
  // Every ASCII character (the escaped ones among them), DEL, and two- to
  // four-byte UTF-8 characters, at every offset from a word's start to past its
  // end, in texts longer than a word on both sides.
  std::vector<std::string> characters;
  for (int c = 0; c < 0x80; ++c) characters.emplace_back(1, static_cast<char>(c));
  for (const char* multibyte : {"\xC2\x80", "\xC3\xA9", "\xE2\x82\xAC", "\xEF\xBF\xBF", "\xF0\x9F\x98\x80"}) {
    characters.emplace_back(multibyte);
  }
  auto job = ScoringJob::from_dict(remote_scoring_job());
  int compared = 0;
  for (const auto& character : characters) {
    for (std::size_t offset = 0; offset <= 17; ++offset) {
      std::string text(offset, 'a');
      text += character;
      text.append(17 - offset, 'b');
      text += character;
      job.errorMessage = text;
      job.metadata = json{{"k", *job.errorMessage}};
      REQUIRE(detail::wire_text(job) == job.to_dict().dump());
      ++compared;
    }
  }
  CHECK(compared == 133 * 18);
}
