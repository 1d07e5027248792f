// The remote layer's pure parts: endpoint checks, documents, input checks and
// the classification of responses. No server, no network.

#include <curl/curl.h>
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "remote/document.hpp"
#include "remote/endpoint.hpp"
#include "remote/http_transport.hpp"
#include "remote/input_check.hpp"
#include "remote/response.hpp"
#include "scoringjobs/remote.hpp"
#include "support/appsync_server.hpp"
#include "support/cli_runner.hpp"
#include "support/error_of.hpp"
#include "support/remote_inputs.hpp"
#include "support/temp_dir.hpp"

using namespace scoringjobs;
using namespace scoringjobs::remote;
using nlohmann::json;

using scoringjobs::test::error_of;
using scoringjobs::test::job_input;

namespace {

json with(const json& patch) {
  json input = job_input("x");
  input.merge_patch(patch);
  return input;
}

Errc code_of(const HttpResponse& http, Effect effect) {
  return error_of([&] { read_response(http, RequestContext{"Op", "host", effect}); }).code();
}

}  // namespace

TEST_CASE("loopback hosts are recognised and nothing else is") {
  for (const char* host : {"127.0.0.1", "127.5.6.7", "localhost", "LOCALHOST.", "[::1]", "::1", "[::ffff:127.0.0.1]"}) {
    CAPTURE(host);
    CHECK(is_loopback_host(host));
  }
  for (const char* host :
       {"128.0.0.1", "10.0.0.1", "example.com", "[::2]", "localhost.example.com", "", "127.0.0.1.nip.io"}) {
    CAPTURE(host);
    CHECK_FALSE(is_loopback_host(host));
  }
}

TEST_CASE("plain URLs are read without libcurl exactly as libcurl reads them") {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  for (const char* url :
       {"https://example.com/graphql", "http://127.0.0.1:8080/graphql", "HTTP://Example.COM:443/graphql?x=1#f",
        "https://abc123.appsync-api.eu-west-1.amazonaws.com/graphql", "http://localhost/graphql", "http://10.0.0.1/",
        "https://example.com", "https://a-b.example.com:1/p/a/t/h;x=1?q=(1)&r=*"}) {
    CAPTURE(url);
    const auto plain = parse_plain_url(url);
    REQUIRE(plain);
    CURLU* parsed = curl_url();
    REQUIRE(curl_url_set(parsed, CURLUPART_URL, url, 0) == CURLUE_OK);
    char* host = nullptr;
    char* scheme = nullptr;
    REQUIRE(curl_url_get(parsed, CURLUPART_HOST, &host, 0) == CURLUE_OK);
    REQUIRE(curl_url_get(parsed, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK);
    CHECK(plain->host == host);
    CHECK(plain->scheme == scheme);
    curl_free(host);
    curl_free(scheme);
    curl_url_cleanup(parsed);
  }
  // Forms libcurl rewrites or that need its full parser are left to it.
  for (const char* url : {"http://127.1/graphql", "http://0x7f.0.0.1/", "http://2130706433/", "http://[::1]:80/",
                          "http://user:pw@127.0.0.1/", "http://ex%41mple.com/", "http://example.com./",
                          "http://3com.com/", "http://exa mple.com/", "ftp://example.com/", "example.com/graphql",
                          "http://example.com:99999/", "http://example.com:/", "http:///graphql", "https://",
                          "http://example.com/a b", "http://b\u00fccher.de/", "http://example.com/\\x"}) {
    CAPTURE(url);
    CHECK_FALSE(parse_plain_url(url));
  }
}

TEST_CASE("plain http to a non-loopback host is refused before any network I/O") {
  RemoteConfig config;
  config.api_key = "CANARY-KEY-3f9a";
  for (std::string url : {"http://example.com/graphql", "http://10.0.0.1:8080/graphql", "HTTP://example.com/graphql"}) {
    CAPTURE(url);
    config.api_url = url;
    // The constructor refuses, so no client exists that could send anything.
    const Error error = error_of([&] { RemoteClient client(config); });
    CHECK(error.code() == Errc::InvalidArgument);
    CHECK(error.field() == "api_url");
    CHECK(std::string(error.what()).find("CANARY") == std::string::npos);
  }
  for (std::string url : {"ftp://example.com/graphql", "example.com/graphql", "", "https://"}) {
    CAPTURE(url);
    config.api_url = url;
    CHECK(error_of([&] { RemoteClient client(config); }).code() == Errc::InvalidArgument);
  }
  // Allowed: https anywhere, http to loopback, and http anywhere only when asked for explicitly.
  config.api_url = "https://example.com/graphql";
  CHECK_NOTHROW(RemoteClient{config});
  config.api_url = "http://127.0.0.1:1/graphql";
  CHECK_NOTHROW(RemoteClient{config});
  config.api_url = "http://example.com/graphql";
  config.allow_insecure_http = true;
  CHECK_NOTHROW(RemoteClient{config});
}

TEST_CASE("a malformed key or CA file is refused without quoting the key") {
  RemoteConfig config;
  config.api_url = "https://example.com/graphql";
  config.api_key = "CANARY-KEY-3f9a\r\nX-Injected: 1";
  const Error bad_key = error_of([&] { RemoteClient client(config); });
  CHECK(bad_key.code() == Errc::InvalidArgument);
  CHECK(bad_key.field() == "api_key");
  CHECK(std::string(bad_key.what()).find("CANARY") == std::string::npos);

  config.api_key = "CANARY-KEY-3f9a";
  config.ca_file = "/nonexistent/ca.pem";
  const Error bad_ca = error_of([&] { RemoteClient client(config); });
  CHECK(bad_ca.code() == Errc::InvalidArgument);
  CHECK(bad_ca.field() == "ca_file");
}

TEST_CASE("timeouts, limits and sizes that are not positive are refused, naming the field and value") {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  const auto refused = [](const char* field, const char* value, auto&& spoil) {
    CAPTURE(field);
    RemoteConfig config;
    config.api_url = "https://example.com/graphql";
    spoil(config);
    const Error error = error_of([&] { RemoteClient client(config); });
    CHECK(error.code() == Errc::InvalidArgument);
    CHECK(error.field() == field);
    CHECK(std::string(error.what()).find(value) != std::string::npos);
  };
  refused("connect_timeout", "0 ms", [](RemoteConfig& c) { c.connect_timeout = milliseconds(0); });
  refused("connect_timeout", "-5 ms", [](RemoteConfig& c) { c.connect_timeout = milliseconds(-5); });
  refused("total_timeout", "0 ms", [](RemoteConfig& c) { c.total_timeout = milliseconds(0); });
  refused("total_timeout", "-1 ms", [](RemoteConfig& c) { c.total_timeout = milliseconds(-1); });
  refused("low_speed_time", "0 s", [](RemoteConfig& c) { c.low_speed_time = seconds(0); });
  refused("low_speed_time", "-3 s", [](RemoteConfig& c) { c.low_speed_time = seconds(-3); });
  refused("low_speed_bytes_per_second", "0 bytes/s", [](RemoteConfig& c) { c.low_speed_bytes_per_second = 0; });
  refused("low_speed_bytes_per_second", "-1 bytes/s", [](RemoteConfig& c) { c.low_speed_bytes_per_second = -1; });
  refused("max_response_bytes", "0", [](RemoteConfig& c) { c.max_response_bytes = 0; });
  refused("max_gets_per_request", "0", [](RemoteConfig& c) { c.max_gets_per_request = 0; });

  // The smallest positive values are fine.
  RemoteConfig smallest;
  smallest.api_url = "https://example.com/graphql";
  smallest.connect_timeout = milliseconds(1);
  smallest.total_timeout = milliseconds(1);
  smallest.low_speed_time = seconds(1);
  smallest.low_speed_bytes_per_second = 1;
  smallest.max_response_bytes = 1;
  smallest.max_gets_per_request = 1;
  CHECK_NOTHROW(RemoteClient{smallest});
}

TEST_CASE("documents are built from the models' selection sets") {
  CHECK(get_document(Model::ScoringJob) ==
        "query GetScoringJob($id: ID!) { getScoringJob(id: $id) { " + std::string(ScoringJob::fields()) + " } }");
  CHECK(mutation_document(Model::BatchJob, MutationKind::Update)
            .starts_with(
                "mutation UpdateBatchJob($input: UpdateBatchJobInput!, $condition: ModelBatchJobConditionInput) { "
                "updateBatchJob(input: $input, condition: $condition) { id "));
  const std::string many = get_many_document(Model::BatchJobScoringJob, 2);
  CHECK(many.find("$id0: ID!, $id1: ID!") != std::string::npos);
  CHECK(many.find("g1: getBatchJobScoringJob(id: $id1)") != std::string::npos);

  const std::string list = list_document(list_field("listScoringJobByAccountIdAndCreatedAt"));
  CHECK(list.find("$accountId: String!, $createdAt: ModelStringKeyConditionInput, $sortDirection: ModelSortDirection, "
                  "$filter: ModelScoringJobFilterInput, $limit: Int, $nextToken: String") != std::string::npos);
  CHECK(list.ends_with("} nextToken } }"));
  CHECK(error_of([] { list_field("listEverything"); }).code() == Errc::InvalidArgument);
  // Scans take no sortDirection.
  CHECK(error_of([] {
          ListOptions options;
          options.sortDirection = SortDirection::Asc;
          queries::scoring_jobs(options);
        }).code() == Errc::InvalidArgument);
}

TEST_CASE("the operation of a document decides whether it is a mutation") {
  CHECK(is_mutation_document("mutation M { createScoringJob(input: {}) { id } }"));
  CHECK(is_mutation_document("  # leading comment\n mutation{ a: x }"));
  CHECK_FALSE(is_mutation_document("query Q { getScoringJob(id: \"mutation\") { id } }"));
  CHECK_FALSE(is_mutation_document("# mutation\nquery Q { a }"));
  CHECK_FALSE(is_mutation_document("{ mutationCount }"));
}

TEST_CASE("a MutationBatch body is valid JSON of exactly document_bytes() bytes") {
  MutationBatch batch;
  CHECK(batch.empty());
  CHECK(batch.document_bytes() == batch.body().size());
  CHECK(batch.add_create(Model::ScoringJob, job_input("job-0")) == 0);
  CHECK(batch.document_bytes() == batch.body().size());
  CHECK(batch.add_update(Model::ScoringJob, {{"id", "job-9"}, {"status", "RUNNING"}},
                         {{"status", {{"eq", "PENDING"}}}}) == 1);
  CHECK(batch.add_create(Model::BatchJobScoringJob, {{"batchJobId", "b"}, {"scoringJobId", "j\"ü"}}) == 2);
  CHECK(batch.document_bytes() == batch.body().size());

  const json body = json::parse(batch.body());
  CHECK(body.at("operationName") == "MutationBatch");
  const std::string query = body.at("query");
  CHECK(query.find("m0: createScoringJob(input: $input0)") != std::string::npos);
  CHECK(query.find("m1: updateScoringJob(input: $input1, condition: $condition1)") != std::string::npos);
  CHECK(query.find("$input2: CreateBatchJobScoringJobInput!") != std::string::npos);
  CHECK(body.at("variables").at("input0").at("id") == "job-0");
  CHECK(body.at("variables").at("condition1") == json{{"status", {{"eq", "PENDING"}}}});
  CHECK(body.at("variables").at("input2").at("scoringJobId") == "j\"ü");
  CHECK_FALSE(body.at("variables").contains("condition0"));
  CHECK(batch.kind(1) == MutationKind::Update);

  // Adding then dropping the last mutation leaves exactly the previous body.
  const std::string before = batch.body();
  batch.add_create(Model::ScoringJob, job_input("too-big"));
  CHECK(batch.document_bytes() > before.size());
  batch.pop_back();
  CHECK(batch.body() == before);
  CHECK(batch.size() == 3);
  CHECK(batch.model(2) == Model::BatchJobScoringJob);
}

TEST_CASE("inputs that would not coerce are refused when added, leaving the batch unchanged") {
  MutationBatch batch;
  batch.add_create(Model::ScoringJob, job_input("ok"));
  const auto refused = [&](Model model, MutationKind kind, json input, const char* field) {
    CAPTURE(input.dump());
    const Error error = error_of(
        [&] { kind == MutationKind::Create ? batch.add_create(model, input) : batch.add_update(model, input); });
    CHECK(error.code() == Errc::InvalidArgument);
    CHECK(error.field() == field);
  };
  refused(Model::ScoringJob, MutationKind::Create, with(json{{"batchId", "b"}}), "batchId");
  refused(Model::ScoringJob, MutationKind::Create, with(json{{"metadata", {{"a", 1}}}}), "metadata");
  refused(Model::ScoringJob, MutationKind::Create, with(json{{"errorDetails", "{nope"}}), "errorDetails");
  refused(Model::ScoringJob, MutationKind::Create, with(json{{"startedAt", "2026-11-28 18:54:57Z"}}), "startedAt");
  refused(Model::ScoringJob, MutationKind::Create, with(json{{"status", nullptr}}), "status");
  json missing = job_input("x");
  missing.erase("itemId");
  refused(Model::ScoringJob, MutationKind::Create, missing, "itemId");
  refused(Model::ScoringJob, MutationKind::Update, {{"status", "RUNNING"}}, "id");
  refused(Model::BatchJob, MutationKind::Update, {{"id", "b"}, {"totalRequests", 3'000'000'000LL}}, "totalRequests");
  refused(Model::BatchJob, MutationKind::Update, {{"id", "b"}, {"createdAt", "2026-01-01T00:00:00.000Z"}}, "createdAt");
  CHECK(error_of([&] { batch.add_create(Model::ScoringJob, job_input("x"), "status"); }).code() ==
        Errc::InvalidArgument);
  CHECK(batch.size() == 1);

  // What is allowed: nulls on update (they remove the field), offsets and nanoseconds in timestamps.
  CHECK_NOTHROW(
      batch.add_update(Model::ScoringJob,
                       {{"id", "x"}, {"errorMessage", nullptr}, {"startedAt", "2026-11-28T18:54:57.663123456+02:00"}}));
}

TEST_CASE("create_input drops what Create<Model>Input lacks, and nulls") {
  BatchJob batch;
  batch.id = "batch-1";
  batch.accountId = "acct";
  batch.status = "OPEN";
  batch.type = "MultiStepScore";
  batch.batchId = "bid";
  batch.modelProvider = "openai";
  batch.modelName = "gpt";
  batch.scoringJobCountCache = 0;
  const json input = create_input(batch);
  CHECK_FALSE(input.contains("createdAt"));
  CHECK_FALSE(input.contains("scoreId"));
  CHECK(input.at("scoringJobCountCache") == 0);
  CHECK_NOTHROW(check_mutation_input(Model::BatchJob, MutationKind::Create, input));

  ScoringJob job;
  job.id = "job-1";
  job.accountId = "acct";
  job.scorecardId = "card";
  job.itemId = "item";
  job.status = "PENDING";
  job.metadata = json{{"source", "x"}};
  job.batchId = "local-only";
  const json job_wire = create_input(job);
  CHECK(job_wire.at("metadata") == R"({"source":"x"})");
  CHECK(job_wire.at("createdAt") == "1970-01-01T00:00:00.000Z");
  CHECK_FALSE(job_wire.contains("batchId"));
  CHECK_NOTHROW(check_mutation_input(Model::ScoringJob, MutationKind::Create, job_wire));
}

TEST_CASE("errorTypes map to one Errc each") {
  const auto classify = [](std::string_view type, Effect effect) { return classify_error(type, "x", effect); };
  CHECK(classify("DynamoDB:ConditionalCheckFailedException", Effect::Write) == Errc::RemoteConflict);
  CHECK(classify("DynamoDB:DynamoDbException", Effect::Write) == Errc::Rejected);
  CHECK(classify("DynamoDB:UserIllegalArgumentException", Effect::Read) == Errc::Rejected);
  CHECK(classify("UnauthorizedException", Effect::Read) == Errc::Auth);
  CHECK(classify("ThrottlingException", Effect::Write) == Errc::Throttled);
  CHECK(classify("DynamoDB:ProvisionedThroughputExceededException", Effect::Write) == Errc::Throttled);
  CHECK(classify("DynamoDB:InternalServerError", Effect::Read) == Errc::Transient);
  CHECK(classify("DynamoDB:InternalServerError", Effect::Write) == Errc::OutcomeUnknown);
  // No errorType is not AppSync saying "refused": never proof that a mutation failed.
  CHECK(classify("", Effect::Read) == Errc::Transient);
  CHECK(classify("", Effect::Write) == Errc::OutcomeUnknown);
  // AppSync's 1 MB response limit.
  CHECK(classify_error("MappingTemplate", "Transformation too large", Effect::Read) == Errc::TooLarge);
  CHECK(classify_error("MappingTemplate", "Unable to parse the template", Effect::Read) == Errc::Rejected);
}

TEST_CASE("errorType is read from extensions when the error has none of its own") {
  const auto response = read_response(
      HttpResponse{
          200,
          R"({"data":{"m0":null,"m1":null,"m2":null},"errors":[)"
          R"({"path":["m0"],"message":"x","extensions":{"errorType":"DynamoDB:ConditionalCheckFailedException"}},)"
          R"({"path":["m1"],"message":"x","extensions":{"errorType":"ThrottlingException"}},)"
          R"({"path":["m2"],"message":"x","errorType":"DynamoDB:DynamoDbException",)"
          R"("extensions":{"errorType":"ThrottlingException"}}]})",
          "req-1", std::nullopt},
      {"Op", "host", Effect::Write});
  REQUIRE(response.errors.size() == 3);
  CHECK(response.errors[0].code == Errc::RemoteConflict);
  CHECK(response.errors[0].errorType == "DynamoDB:ConditionalCheckFailedException");
  CHECK(response.errors[1].code == Errc::Throttled);
  CHECK(response.errors[2].code == Errc::Rejected);  // AppSync's own errorType wins
  // A whole request refused that way.
  CHECK(code_of(
            HttpResponse{
                200, R"({"data":null,"errors":[{"message":"no","extensions":{"errorType":"UnauthorizedException"}}]})",
                "req-1", std::nullopt},
            Effect::Read) == Errc::Auth);
}

TEST_CASE("a throttled alias keeps the response's Retry-After") {
  const std::string body =
      R"({"data":{"m0":null,"m1":null},"errors":[{"path":["m0"],"errorType":"ThrottlingException","message":"Rate exceeded"},)"
      R"({"path":["m1"],"errorType":"DynamoDB:ConditionalCheckFailedException","message":"failed"}]})";
  const RequestContext request{"Op", "host", Effect::Write};
  const auto response = read_response(HttpResponse{200, body, "req-1", std::chrono::seconds(4)}, request);
  CHECK(response.retry_after == std::chrono::seconds(4));
  const Error throttled = field_error(*response.error_for("m0"), request, response);
  CHECK(throttled.code() == Errc::Throttled);
  CHECK(throttled.retry_after() == std::chrono::seconds(4));
  CHECK(std::string(throttled.what()).find("req-1") != std::string::npos);
  CHECK_FALSE(field_error(*response.error_for("m1"), request, response).retry_after());  // not a throttle

  const auto no_header = read_response(HttpResponse{200, body, "req-2", std::nullopt}, request);
  CHECK_FALSE(field_error(*no_header.error_for("m0"), request, no_header).retry_after());
}

TEST_CASE("Retry-After takes seconds or an HTTP date") {
  CHECK(parse_retry_after("5") == std::chrono::seconds(5));
  CHECK(parse_retry_after(" 7 \r\n") == std::chrono::seconds(7));
  CHECK(parse_retry_after("-3") == std::chrono::seconds(0));
  CHECK(parse_retry_after("99999999999999999999") == std::chrono::seconds(86400));
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == std::chrono::seconds(0));  // in the past
  const auto future = parse_retry_after("Fri, 31 Dec 2100 23:59:59 GMT");
  CHECK(future == std::chrono::seconds(86400));  // clamped to a day
  CHECK_FALSE(parse_retry_after("soon"));
  CHECK_FALSE(parse_retry_after(""));
}

TEST_CASE("HTTP statuses and bodies are classified once, by status and errorType") {
  const auto http = [](long status, std::string body, std::optional<std::chrono::seconds> retry = std::nullopt) {
    return HttpResponse{status, std::move(body), "req-1", retry};
  };
  const std::string unauthorized = R"({"errors":[{"errorType":"UnauthorizedException","message":"no"}]})";
  CHECK(code_of(http(401, unauthorized), Effect::Read) == Errc::Auth);
  CHECK(code_of(http(403, unauthorized), Effect::Write) == Errc::Auth);
  // A 401/403 that is not AppSync's (a proxy's page) proves nothing about the key.
  CHECK(code_of(http(403, ""), Effect::Write) == Errc::OutcomeUnknown);
  CHECK(code_of(http(401, "<html>Proxy Authentication Required</html>"), Effect::Read) == Errc::Transient);

  const Error throttled = error_of([&] {
    read_response(http(429, R"({"errors":[{"errorType":"ThrottlingException","message":"Rate exceeded"}]})",
                       std::chrono::seconds(3)),
                  {"Op", "host", Effect::Write});
  });
  CHECK(throttled.code() == Errc::Throttled);
  CHECK(throttled.retry_after() == std::chrono::seconds(3));
  CHECK(throttled.native_code() == 429);
  CHECK(std::string(throttled.what()).find("req-1") != std::string::npos);
  CHECK(code_of(http(200, R"({"data":null,"errors":[{"errorType":"ThrottlingException","message":"x"}]})"),
                Effect::Read) == Errc::Throttled);

  CHECK(code_of(http(400, R"({"errors":[{"errorType":"MalformedHttpRequestException","message":"x"}]})"),
                Effect::Write) == Errc::Rejected);
  // A proxy's HTML 400 is not the API refusing anything: the mutation's fate is unknown.
  const std::string proxy_page = "<html><body><h1>400 Request Header Or Cookie Too Large</h1></body></html>";
  CHECK(code_of(http(400, proxy_page), Effect::Write) == Errc::OutcomeUnknown);
  CHECK(code_of(http(400, proxy_page), Effect::Read) == Errc::Transient);
  CHECK(code_of(http(413, "too big"), Effect::Write) == Errc::OutcomeUnknown);
  CHECK(code_of(http(500, ""), Effect::Write) == Errc::Transient);
  CHECK(code_of(http(503, ""), Effect::Read) == Errc::Transient);
  CHECK(code_of(http(504, ""), Effect::Read) == Errc::Transient);
  CHECK(code_of(http(504, ""), Effect::Write) == Errc::OutcomeUnknown);
  CHECK(code_of(http(302, ""), Effect::Read) == Errc::Transient);
  CHECK(code_of(http(200, "<html>"), Effect::Read) == Errc::Transient);
  CHECK(code_of(http(200, "<html>"), Effect::Write) == Errc::OutcomeUnknown);
  CHECK(code_of(http(200, ""), Effect::Write) == Errc::OutcomeUnknown);
  CHECK(code_of(http(200, R"({"unrelated":1})"), Effect::Read) == Errc::Transient);
  // The whole document refused (HTTP 200, no data): the client/API contract, not one mutation.
  const Error contract = error_of([&] {
    read_response(http(200, R"({"data":null,"errors":[{"path":null,"message":"Validation error of type )"
                            R"(FieldUndefined: Field 'metadata' in type 'ScoringJob' is undefined @ 'x'"}]})"),
                  {"Op", "host", Effect::Write});
  });
  CHECK(contract.code() == Errc::Contract);
  CHECK(std::string(contract.what()).find("Field 'metadata' in type 'ScoringJob' is undefined") != std::string::npos);

  const auto response = read_response(
      http(200, R"({"data":{"m0":{"id":"a"},"m1":null},"errors":[{"path":["m1"],"errorType":)"
                R"("DynamoDB:ConditionalCheckFailedException","message":"The conditional request failed"}]})"),
      {"Op", "host", Effect::Write});
  CHECK(response.data.at("m0").at("id") == "a");
  CHECK(response.error_for("m0") == nullptr);
  REQUIRE(response.error_for("m1") != nullptr);
  CHECK(response.error_for("m1")->code == Errc::RemoteConflict);
  CHECK(response.request_id == "req-1");
}

namespace {

constexpr Model kModels[] = {Model::ScoringJob, Model::BatchJob, Model::BatchJobScoringJob};

// A create input, an update input and a condition the schema accepts for each model.
json create_input_of(Model model) {
  switch (model) {
    case Model::ScoringJob: return job_input("job-1");
    case Model::BatchJob:
      return {{"id", "batch-1"},  {"accountId", "acct"},       {"type", "MultiStepScore"}, {"batchId", "bid"},
              {"status", "OPEN"}, {"modelProvider", "openai"}, {"modelName", "gpt-4o"},    {"scoringJobCountCache", 0}};
    case Model::BatchJobScoringJob: return {{"id", "link-1"}, {"batchJobId", "batch-1"}, {"scoringJobId", "job-1"}};
  }
  return nullptr;
}
json update_input_of(Model model) {
  return model == Model::BatchJobScoringJob ? json{{"id", "link-1"}, {"scoringJobId", "job-2"}}
                                            : json{{"id", "x"}, {"status", "RUNNING"}};
}
json condition_of(Model model) {
  return model == Model::BatchJobScoringJob ? json{{"batchJobId", {{"eq", "batch-1"}}}}
                                            : json{{"status", {{"eq", "PENDING"}}}};
}

// Every list query the client offers, with each argument it can send.
std::vector<std::pair<std::string, json>> list_requests() {
  ListOptions options;
  options.limit = 5;
  ListOptions index_options = options;
  index_options.sortDirection = SortDirection::Desc;
  index_options.filter = {{"and", json::array({{{"status", {{"eq", "OPEN"}}}}, {{"id", {{"beginsWith", "b"}}}}})}};
  ListOptions scan_options = options;
  scan_options.filter = {{"status", {{"ne", "DONE"}}}};
  const auto job_filter = [&](ListOptions o) {
    o.filter = {{"status", {{"eq", "PENDING"}}}};
    return o;
  };
  std::vector<std::pair<std::string, json>> out;
  const auto add = [&](const auto& query) {
    json variables = query.arguments;
    if (query.limit) variables["limit"] = *query.limit;
    variables["nextToken"] = "token";
    out.emplace_back(query.field, variables);
  };
  add(queries::scoring_jobs(job_filter(scan_options)));
  add(queries::scoring_jobs_by_item_id("item", job_filter(index_options)));
  add(queries::scoring_jobs_by_item_id_and_score_id("item", {{"beginsWith", "s"}}, job_filter(index_options)));
  add(queries::scoring_jobs_by_account_id("acct", job_filter(index_options)));
  add(queries::scoring_jobs_by_account_id_and_created_at("acct", {{"between", {"2026-01-01", "2026-02-01"}}},
                                                         job_filter(index_options)));
  add(queries::scoring_jobs_by_score_id("score", job_filter(index_options)));
  add(queries::batch_jobs(scan_options));
  add(queries::batch_jobs_by_account_id("acct", index_options));
  add(queries::batch_jobs_by_scorecard_id("card", index_options));
  add(queries::batch_jobs_by_score_id("score", index_options));
  add(queries::batch_job_scoring_jobs());
  add(queries::batch_job_scoring_jobs_by_batch_job_id("batch-1", options));
  return out;
}

// Runs tests/appsync/validate-documents.js (graphql-js, the contract schema) on
// JSON lines {name, query, variables}.
scoringjobs::test::RunResult validate_with_graphql_js(const std::vector<json>& documents) {
  scoringjobs::test::ensure_node_modules();
  scoringjobs::test::TempDir dir;
  const auto input = dir / "documents.jsonl";
  {
    std::ofstream out(input);
    for (const auto& document : documents) out << document.dump() << '\n';
  }
  scoringjobs::test::RunOptions options;
  options.stdin_file = input;
  // env finds node in PATH (run_program itself does not search it).
  return scoringjobs::test::run_program(
      "/usr/bin/env", {"node", (scoringjobs::test::appsync_dir() / "validate-documents.js").string()}, options);
}

}  // namespace

TEST_CASE("every document the client builds is valid against the contract schema (graphql-js)") {
  std::vector<json> documents;
  const auto add = [&](std::string name, std::string query, json variables = nullptr) {
    json entry = {{"name", std::move(name)}, {"query", std::move(query)}};
    if (!variables.is_null()) entry["variables"] = std::move(variables);
    documents.push_back(std::move(entry));
  };
  for (const Model model : kModels) {
    const std::string name(model_name(model));
    add("get " + name, get_document(model), {{"id", "x"}});
    add("get_many " + name + " x1", get_many_document(model, 1), {{"id0", "a"}});
    add("get_many " + name + " x3", get_many_document(model, 3), {{"id0", "a"}, {"id1", "b"}, {"id2", "c"}});
    add("create " + name, mutation_document(model, MutationKind::Create), {{"input", create_input_of(model)}});
    add("create " + name + " with condition", mutation_document(model, MutationKind::Create),
        {{"input", create_input_of(model)}, {"condition", condition_of(model)}});
    add("update " + name, mutation_document(model, MutationKind::Update), {{"input", update_input_of(model)}});
    add("update " + name + " with condition", mutation_document(model, MutationKind::Update),
        {{"input", update_input_of(model)}, {"condition", condition_of(model)}});
  }
  // Every list field the client knows, and each list query it offers with every argument it sends.
  std::set<std::string> offered;
  for (const auto& [field, variables] : list_requests()) {
    offered.insert(field);
    add(field + " (as queries:: builds it)", list_document(list_field(field)), variables);
  }
  for (const auto& list : list_fields()) {
    CHECK(offered.count(std::string(list.field)) == 1);  // no list field without its queries:: function
    add(std::string(list.field), list_document(list));
  }
  add("get_batch_job", batch_of_scoring_job_document(), {{"scoringJobId", "job-1"}, {"limit", 10}, {"nextToken", "t"}});

  MutationBatch batch;
  for (const Model model : kModels) {
    batch.add_create(model, create_input_of(model));
    batch.add_create(model, create_input_of(model), condition_of(model));
    batch.add_update(model, update_input_of(model));
    batch.add_update(model, update_input_of(model), condition_of(model));
  }
  const json body = json::parse(batch.body());
  add("MutationBatch of every model and kind", body.at("query"), body.at("variables"));

  const auto valid = validate_with_graphql_js(documents);
  INFO(valid.describe());
  CHECK(valid.exit_code == 0);
  CHECK(valid.out.find(std::to_string(documents.size()) + " of " + std::to_string(documents.size()) +
                       " documents valid") != std::string::npos);

  // The check can fail: a field the schema lacks, and variables that do not coerce.
  const auto invalid = validate_with_graphql_js(
      {{{"name", "unknown field"}, {"query", "query Bad { getScoringJob(id: \"x\") { noSuchField } }"}},
       {{"name", "bad variables"}, {"query", get_document(Model::BatchJob)}, {"variables", {{"id", nullptr}}}},
       documents.front()});
  INFO(invalid.describe());
  CHECK(invalid.exit_code == 1);
  CHECK(invalid.err.find("invalid: unknown field") != std::string::npos);
  CHECK(invalid.err.find("invalid: bad variables") != std::string::npos);
  CHECK(invalid.err.find("invalid: " + documents.front().at("name").get<std::string>()) == std::string::npos);
}
