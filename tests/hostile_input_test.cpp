// Hostile input through the C++ API and the fixture importer: quotes and SQL,
// NUL bytes, invalid UTF-8, 10 MB strings, huge numbers, deep nesting. Each one
// is either refused with Error{InvalidArgument} naming the field with a short,
// printable excerpt of the value, the store unchanged row for row, or stored and
// read back exactly (and queued exactly in the outbox).

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "remote/response.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/scoringjobs.hpp"
#include "support/error_of.hpp"
#include "support/store_fixture.hpp"
#include "support/store_snapshot.hpp"

// Designated initializers name only the options a case sets; the rest keep
// their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::error_of;
using scoringjobs::test::store_snapshot;
using scoringjobs::test::StoreFixture;

namespace {

const std::string k10MB(10 * 1024 * 1024, 'x');
const std::string kNul("a\0b", 3);

// Valid UTF-8 that has broken naive SQL, shells and printf.
const std::vector<std::string> kHostileText = {
    "'; DROP TABLE ScoringJob; --",
    "'); DROP TABLE scoring_job; --",
    "\" OR \"1\"=\"1",
    "Robert'); DELETE FROM outbox; --",
    "back\\slash \\\" and \\u0000 as text",
    "%s%n%x {} $(rm -rf /) `id`",
    "tab\tnew\nline\rcarriage",
    "\u00fcn\u00efc\u00f8d\u00e9 \u2713 \U0001D11E \u202e rtl \u200b",
};

// Bytes that are not UTF-8: stray continuation, truncated, overlong, surrogate, > U+10FFFF.
const std::vector<std::string> kInvalidUtf8 = {"\xff", "ok\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"};

// A store holding records on the "remote" and one local create still queued,
// so "unchanged" is checked against something.
struct PopulatedStore : StoreFixture {
  ScoringJob job = ScoringJob::create(store, "acct", "card", "item-1", nullptr, {.metadata = json{{"a", 1}}});
  BatchJob batch = BatchJob::create(store, "acct", "MultiStepScore", "openai", "gpt-4o");

  std::string snapshot() const { return store_snapshot(db_path); }
  json last_outbox_fields() {
    const auto entries = outbox::list(store);
    REQUIRE(!entries.empty());
    return entries.back().fields;
  }
};

// A refusal: InvalidArgument naming `field`, a bounded message with no raw
// control or non-ASCII bytes, and nothing written.
void check_refused(PopulatedStore& s, const std::string& field, const std::function<void()>& call) {
  const auto before = s.snapshot();
  const auto e = error_of(call);
  CAPTURE(field);
  CAPTURE(e.what());
  CHECK(e.code() == Errc::InvalidArgument);
  CHECK(e.field() == field);
  const std::string message = e.what();
  CHECK(message.find(field) != std::string::npos);
  CHECK(message.size() < 500);
  for (const unsigned char c : message) CHECK((c >= 0x20 && c < 0x7f));
  CHECK(s.snapshot() == before);
}

// [[[...[1]...]]], built without recursion.
json nested(std::size_t depth) {
  json root = json::array();
  json* inner = &root;
  for (std::size_t i = 1; i < depth; ++i) {
    inner->push_back(json::array());
    inner = &inner->back();
  }
  inner->push_back(1);
  return root;
}

}  // namespace

TEST_CASE("quotes and SQL in every string field are stored and queued exactly") {
  PopulatedStore s;
  const auto tables = s.count("SELECT count(*) FROM sqlite_master WHERE type = 'table'");
  for (std::size_t i = 0; i < kHostileText.size(); ++i) {
    const auto& text = kHostileText[i];
    CAPTURE(text);
    const auto id = text + " #" + std::to_string(i);
    auto job = ScoringJob::create(s.store, text, text, id, json{{"p", text}},
                                  {.id = id,
                                   .status = text,
                                   .scoreId = text,
                                   .evaluationId = text,
                                   .errorMessage = text,
                                   .errorDetails = json::array({text}),
                                   .metadata = json{{text, text}}});
    CHECK(ScoringJob::get_by_id(id, s.store) == job);
    CHECK(ScoringJob::find_by_item_id(id, s.store)->id == id);
    CHECK(s.last_outbox_fields() == job.to_dict());
    CHECK(job.metadata == json{{text, text}, {"parameters", {{"p", text}}}});

    job.update(s.store, {{"errorMessage", text + "!"}, {"metadata", {{"q", text}}}});
    CHECK(ScoringJob::get_by_id(id, s.store) == job);
    CHECK(s.last_outbox_fields().at("errorMessage") == text + "!");

    auto batch =
        BatchJob::create(s.store, text, text, text, text, nullptr,
                         {.id = id, .batchId = text, .status = text, .scorecardId = text, .errorMessage = text});
    CHECK(BatchJob::get_by_id(id, s.store) == batch);
    BatchJobScoringJob::link(s.store, id, id);
    CHECK(ScoringJob::get_batch_job(id, s.store)->id == id);
  }
  // Nothing was executed as SQL.
  CHECK(s.count("SELECT count(*) FROM sqlite_master WHERE type = 'table'") == tables);
  CHECK(s.count("SELECT count(*) FROM scoring_job") == static_cast<std::int64_t>(kHostileText.size()) + 1);
  CHECK(s.count("SELECT count(*) FROM outbox") > 0);

  // And a fixture of all of it imports into another store as the same records.
  const auto exported = fixtures::export_records(s.store);
  StoreFixture other;
  fixtures::import_records(other.store, exported);
  CHECK(fixtures::export_records(other.store) == exported);
}

TEST_CASE("NUL inside JSON strings round-trips byte for byte through the store and the outbox") {
  PopulatedStore s;
  const json metadata = {{kNul, kNul + kNul}, {"list", json::array({std::string(1, '\0'), kNul})}};
  auto job = ScoringJob::create(s.store, "acct", "card", "item-nul", nullptr,
                                {.errorDetails = json{{"trace", kNul}}, .metadata = metadata});
  const auto read = ScoringJob::get_by_id(job.id, s.store);
  REQUIRE(read.metadata);
  CHECK(*read.metadata == metadata);
  CHECK(read.metadata->at(kNul).get<std::string>().size() == 6);
  CHECK(read.errorDetails->at("trace").get<std::string>() == kNul);
  // The outbox carries AWSJSON text holding the escaped NUL; it parses back to the same value.
  const auto queued = s.last_outbox_fields();
  CHECK(parse_json_input("metadata", queued.at("metadata").get<std::string>()) == metadata);
  CHECK(queued.at("metadata").get<std::string>().find("\\u0000") != std::string::npos);

  const json changed = {{"k", std::string("\0\0\0", 3)}};
  job.update(s.store, {{"metadata", changed}});
  CHECK(*ScoringJob::get_by_id(job.id, s.store).metadata == changed);
  CHECK(parse_json_input("metadata", s.last_outbox_fields().at("metadata").get<std::string>()) == changed);
}

TEST_CASE("NUL bytes in string fields are refused naming the field and change nothing") {
  PopulatedStore s;
  check_refused(s, "accountId", [&] { ScoringJob::create(s.store, kNul, "card", "item"); });
  check_refused(s, "itemId", [&] { ScoringJob::create(s.store, "acct", "card", kNul); });
  check_refused(s, "id", [&] { ScoringJob::create(s.store, "acct", "card", "item", nullptr, {.id = kNul}); });
  check_refused(s, "errorMessage",
                [&] { ScoringJob::create(s.store, "acct", "card", "item", nullptr, {.errorMessage = kNul}); });
  check_refused(s, "status", [&] { s.job.update(s.store, {{"status", kNul}}); });
  check_refused(s, "scoreId", [&] { s.job.update(s.store, {{"scoreId", kNul}}); });
  check_refused(s, "modelName", [&] { BatchJob::create(s.store, "acct", "t", "openai", kNul); });
  check_refused(s, "errorMessage", [&] { s.batch.update(s.store, {{"errorMessage", kNul}}); });
  CHECK(ScoringJob::get_by_id(s.job.id, s.store) == s.job);
}

TEST_CASE("invalid UTF-8 is refused naming the field, in strings, JSON values and JSON keys") {
  PopulatedStore s;
  for (const auto& bad : kInvalidUtf8) {
    CAPTURE(excerpt(bad));
    check_refused(s, "accountId", [&] { ScoringJob::create(s.store, bad, "card", "item"); });
    check_refused(s, "errorMessage", [&] { s.job.update(s.store, {{"errorMessage", bad}}); });
    check_refused(s, "metadata", [&] {
      ScoringJob::create(s.store, "acct", "card", "item", nullptr, {.metadata = json{{"k", bad}}});
    });
    check_refused(s, "metadata", [&] {
      ScoringJob::create(s.store, "acct", "card", "item", nullptr, {.metadata = json{{bad, 1}}});
    });
    check_refused(s, "errorDetails", [&] { s.job.update(s.store, {{"errorDetails", json::array({bad})}}); });
    check_refused(s, "parameters", [&] { ScoringJob::create(s.store, "acct", "card", "item", json{{"p", bad}}); });
    check_refused(s, "modelProvider", [&] { BatchJob::create(s.store, "acct", "t", bad, "m"); });
    check_refused(s, "metadata", [&] {
      batch_scoring_job(s.store, {.accountId = "a",
                                  .scorecardId = "c",
                                  .itemId = "i",
                                  .modelProvider = "p",
                                  .modelName = "m",
                                  .metadata = json{{"k", bad}}});
    });
  }
}

TEST_CASE("10 MB values are refused with a short excerpt and change nothing") {
  PopulatedStore s;
  check_refused(s, "accountId", [&] { ScoringJob::create(s.store, k10MB, "card", "item"); });
  check_refused(s, "id", [&] { ScoringJob::create(s.store, "a", "c", "i", nullptr, {.id = k10MB}); });
  check_refused(s, "errorMessage", [&] { s.job.update(s.store, {{"errorMessage", k10MB}}); });
  check_refused(s, "metadata", [&] { s.job.update(s.store, {{"metadata", {{"big", k10MB}}}}); });
  check_refused(s, "errorDetails", [&] { s.batch.update(s.store, {{"errorDetails", json::array({k10MB})}}); });
  check_refused(s, k10MB.substr(0, 80) + "...(10485760 bytes)", [&] { s.job.update(s.store, {{k10MB, 1}}); });
  CHECK(ScoringJob::get_by_id(s.job.id, s.store) == s.job);
}

TEST_CASE("values exactly at the size limits are read exactly, and stored within the item limit") {
  PopulatedStore s;
  const std::string id(limits::kMaxIdBytes, 'i');
  // A record the API holds with a field at its limit reads whole: DynamoDB holds it legally.
  auto remote = ScoringJob::create(s.store, id, id, id, nullptr, {.id = id}).to_dict();
  remote["errorMessage"] = std::string(limits::kMaxTextBytes, 'm');
  CHECK(ScoringJob::from_dict(remote).errorMessage->size() == limits::kMaxTextBytes);
  remote["errorMessage"] = nullptr;
  remote["metadata"] = json(std::string(limits::kMaxJsonBytes - 2, 'j')).dump();  // with its quotes: the limit
  CHECK(ScoringJob::from_dict(remote).metadata->get<std::string>().size() == limits::kMaxJsonBytes - 2);
  // Stored locally as long as the whole record fits DynamoDB's item limit.
  const std::string message(limits::kMaxItemBytes / 2, 'm');
  const json metadata = std::string(limits::kMaxItemBytes / 4, 'j');
  const std::string other(limits::kMaxIdBytes, 'o');
  auto job = ScoringJob::create(s.store, other, other, other, nullptr,
                                {.id = other, .errorMessage = message, .metadata = metadata});
  CHECK(ScoringJob::get_by_id(other, s.store) == job);
  CHECK(job.errorMessage == message);
  CHECK(s.last_outbox_fields() == job.to_dict());
}

TEST_CASE("numbers in JSON values: extremes round-trip, values JSON cannot hold are refused") {
  PopulatedStore s;
  const json extremes = {{"u64max", std::numeric_limits<std::uint64_t>::max()},
                         {"i64min", std::numeric_limits<std::int64_t>::min()},
                         {"negzero", -0.0},
                         {"max", std::numeric_limits<double>::max()},
                         {"denormal", std::numeric_limits<double>::denorm_min()},
                         {"third", 1.0 / 3.0}};
  auto job = ScoringJob::create(s.store, "acct", "card", "item-n", nullptr, {.metadata = extremes});
  const auto read = *ScoringJob::get_by_id(job.id, s.store).metadata;
  CHECK(read == extremes);
  CHECK(read.at("u64max").get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(read.at("i64min").get<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  CHECK(std::signbit(read.at("negzero").get<double>()));
  CHECK(read.at("third").get<double>() == 1.0 / 3.0);

  for (const double bad : {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                           std::numeric_limits<double>::quiet_NaN()}) {
    CAPTURE(bad);
    check_refused(s, "metadata", [&] { s.job.update(s.store, {{"metadata", {{"n", bad}}}}); });
    check_refused(s, "errorDetails",
                  [&] { ScoringJob::create(s.store, "a", "c", "i", nullptr, {.errorDetails = json::array({bad})}); });
  }
}

TEST_CASE("AWSJSON text with huge numbers, deep nesting or bad bytes is refused by from_dict") {
  const json base = {{"id", "j"},
                     {"accountId", "a"},
                     {"status", "PENDING"},
                     {"scorecardId", "c"},
                     {"itemId", "i"},
                     {"createdAt", "2026-11-28T10:00:00.000Z"},
                     {"updatedAt", "2026-11-28T10:00:00.000Z"}};
  for (const std::string& text : std::vector<std::string>{
           "{\"n\":1e400}", "[-1e400]", "18446744073709551616", "[-9223372036854775809]",
           std::string(limits::kMaxJsonDepth + 1, '[') + std::string(limits::kMaxJsonDepth + 1, ']'),
           std::string("\"\xff\""), std::string("\"a\0b\"", 5), std::string("{\"a\":1}\0", 8)}) {
    CAPTURE(excerpt(text));
    auto wire = base;
    wire["metadata"] = text;
    const auto e = error_of([&] { ScoringJob::from_dict(wire); });
    CHECK(e.code() == Errc::InvalidArgument);
    CHECK(e.field() == "metadata");
    CHECK(std::string(e.what()).size() < 500);
  }
  // What JSON can hold exactly is kept: -0, 2^64 - 1, the deepest nesting allowed.
  for (const std::string& text :
       std::vector<std::string>{"{\"n\":-0}", "[-0.0]", "18446744073709551615", "-9223372036854775808",
                                std::string(limits::kMaxJsonDepth, '[') + std::string(limits::kMaxJsonDepth, ']')}) {
    CAPTURE(text);
    auto wire = base;
    wire["metadata"] = text;
    const auto job = ScoringJob::from_dict(wire);
    CHECK(ScoringJob::from_dict(job.to_dict()) == job);
    CHECK(*job.metadata == json::parse(text));
  }
}

TEST_CASE("numbers where strings belong and strings where numbers belong are refused naming the field") {
  const json batch = {{"id", "b"},
                      {"accountId", "a"},
                      {"status", "OPEN"},
                      {"type", "t"},
                      {"batchId", "x"},
                      {"modelProvider", "p"},
                      {"modelName", "m"},
                      {"createdAt", "2026-11-28T10:00:00.000Z"},
                      {"updatedAt", "2026-11-28T10:00:00.000Z"}};
  const std::vector<std::pair<std::string, json>> cases = {
      {"totalRequests", json::parse("18446744073709551616")},  // 2^64: parsed as a double
      {"totalRequests", std::numeric_limits<double>::quiet_NaN()},
      {"failedRequests", std::numeric_limits<std::uint64_t>::max()},
      {"completedRequests", -2147483649LL},
      {"scoringJobCountCache", "12"},
      {"scoringJobCountCache", json::array({"\xff"})},  // not printable as JSON: still a clean refusal
      {"modelName", 42},
      {"accountId", -0.0},
      {"errorMessage", json{{"a", 1}}},
      {"startedAt", 1732790097},
      {"errorDetails", json::array()},  // AWSJSON must be a string on the wire
  };
  for (const auto& one_case : cases) {
    const auto& field = one_case.first;  // not a structured binding: CAPTURE's lambda names it (clang 14)
    const auto& value = one_case.second;
    CAPTURE(field);
    auto wire = batch;
    wire[field] = value;
    const auto e = error_of([&] { BatchJob::from_dict(wire); });
    CHECK(e.code() == Errc::InvalidArgument);
    CHECK(e.field() == field);
  }
  auto wire = batch;
  wire["totalRequests"] = -0;
  CHECK(BatchJob::from_dict(wire).totalRequests == 0);
  wire["totalRequests"] = std::numeric_limits<int>::min();
  CHECK(BatchJob::from_dict(wire).totalRequests == std::numeric_limits<int>::min());
}

TEST_CASE("deeply nested JSON is refused before anything walks it recursively") {
  // Far past any stack if dumped, compared or copied recursively. Every value
  // is built in place and moved, never copied, so only the library walks it.
  constexpr std::size_t kDeep = 200'000;
  PopulatedStore s;
  check_refused(s, "metadata", [&] {
    ScoringJobCreateOptions options;
    options.metadata = nested(kDeep);
    ScoringJob::create(s.store, "acct", "card", "item", nullptr, options);
  });
  for (const char* field : {"metadata", "errorMessage", "status"}) {
    check_refused(s, field, [&] {
      json changes = json::object();
      changes[field] = nested(kDeep);
      s.job.update(s.store, changes);
    });
  }
  check_refused(s, "parameters", [&] { ScoringJob::create(s.store, "acct", "card", "item", nested(kDeep)); });
  check_refused(s, "parameters", [&] { BatchJob::create(s.store, "acct", "t", "p", "m", nested(kDeep)); });
  check_refused(s, "metadata", [&] {
    BatchScoringJobRequest request{
        .accountId = "a", .scorecardId = "c", .itemId = "i", .modelProvider = "p", .modelName = "m"};
    request.metadata = nested(kDeep);
    batch_scoring_job(s.store, request);
  });
  auto wire = s.job.to_dict();
  wire["itemId"] = nested(kDeep);
  CHECK(error_of([&] { ScoringJob::from_dict(wire); }).field() == "itemId");
  wire["itemId"] = "i";
  wire["colour"] = nested(kDeep);
  CHECK(error_of([&] { ScoringJob::from_dict(wire); }).field() == "colour");

  json document = {{"ScoringJob", json::array()}};
  document["ScoringJob"].push_back(s.job.to_dict());
  document["ScoringJob"][0]["scoreId"] = nested(kDeep);
  const auto before = s.snapshot();
  CHECK(error_of([&] { fixtures::import_records(s.store, document); }).field() == "ScoringJob[0].scoreId");
  CHECK(s.snapshot() == before);

  CHECK(error_of([&] { parse_json_input("x", std::string(10'000'000, '[')); }).code() == Errc::InvalidArgument);
  // The deepest nesting allowed is stored and read back.
  auto job =
      ScoringJob::create(s.store, "acct", "card", "item-d", nullptr, {.metadata = nested(limits::kMaxJsonDepth)});
  CHECK(ScoringJob::get_by_id(job.id, s.store) == job);
}

TEST_CASE("the importer refuses hostile records naming their position and imports nothing") {
  PopulatedStore s;
  const json good = {{"id", "job-9"},
                     {"accountId", "a"},
                     {"status", "PENDING"},
                     {"scorecardId", "c"},
                     {"itemId", "i"},
                     {"createdAt", "2026-11-28T10:00:00.000Z"},
                     {"updatedAt", "2026-11-28T10:00:00.000Z"}};
  const auto with = [&](const std::string& field, json value) {
    auto bad = good;
    bad["id"] = "job-10";
    bad[field] = std::move(value);
    return json{{"ScoringJob", json::array({good, bad})}};  // the good record must not be written either
  };
  const std::vector<std::pair<std::string, json>> cases = {
      {"ScoringJob[1].errorMessage", with("errorMessage", k10MB)},
      {"ScoringJob[1].itemId", with("itemId", kNul)},
      {"ScoringJob[1].itemId", with("itemId", "\xc3")},
      {"ScoringJob[1].metadata", with("metadata", "{\"n\":1e400}")},
      {"ScoringJob[1].metadata", with("metadata", "[18446744073709551616]")},
      {"ScoringJob[1].metadata", with("metadata", std::string(5000, '['))},
      {"ScoringJob[1]." + excerpt(k10MB), with(k10MB, 1)},
      {"ScoringJob[1].status", with("status", "'; DROP TABLE ScoringJob; --\xff")},
  };
  for (const auto& one_case : cases) {
    const auto& position = one_case.first;
    const auto& document = one_case.second;
    const auto where = position.substr(0, 100);
    CAPTURE(where);
    const auto before = s.snapshot();
    const auto e = error_of([&] { fixtures::import_records(s.store, document); });
    CHECK(e.code() == Errc::InvalidArgument);
    CHECK(e.field() == position);
    CHECK(std::string(e.what()).rfind(position, 0) == 0);
    CHECK(std::string(e.what()).size() < 600);
    CHECK(s.snapshot() == before);
  }
  // Hostile but valid text is imported exactly, and a second import changes nothing.
  auto ok = good;
  ok["errorMessage"] = "'; DROP TABLE ScoringJob; --";
  ok["metadata"] = json{{"k", kNul}, {"big", std::numeric_limits<std::uint64_t>::max()}}.dump();
  const json document = {{"ScoringJob", json::array({ok})}};
  fixtures::import_records(s.store, document);
  CHECK(ScoringJob::get_by_id("job-9", s.store).to_dict() == ScoringJob::from_dict(ok).to_dict());
  const auto after = s.snapshot();
  const auto again = fixtures::import_records(s.store, document);
  CHECK(again.scoring_jobs.written == 0);
  CHECK(s.snapshot() == after);
}

TEST_CASE("a response body nested past the limit is an unusable body, not a crash") {
  remote::HttpResponse http;
  http.status = 200;
  http.body = R"({"data":{"m0":)" + std::string(1'000'000, '[');
  const remote::RequestContext read{"getScoringJob", "127.0.0.1", remote::Effect::Read};
  CHECK(error_of([&] { remote::read_response(http, read); }).code() == Errc::Transient);
  const remote::RequestContext write{"createScoringJob", "127.0.0.1", remote::Effect::Write};
  CHECK(error_of([&] { remote::read_response(http, write); }).code() == Errc::OutcomeUnknown);
  http.body += std::string(1'000'000, ']') + "}}";
  CHECK(error_of([&] { remote::read_response(http, read); }).code() == Errc::Transient);
}
