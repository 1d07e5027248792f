#pragma once
// The remote layer: a GraphQL client for the Plexus AWS AppSync API (see
// docs/appsync.md), with every failure classified into exactly one Errc so the
// sync engine decides retry / wait / give up from the code alone.
//
// Which Errc applies when. The rule under it: only AppSync's own answer, in
// its JSON shape, can say that something was refused; an answer that is not
// AppSync's (a proxy's HTML page, an empty body, a missing field) proves
// nothing and is Transient (OutcomeUnknown for a mutation).
//   InvalidArgument  The request was refused before any network I/O: a bad
//                    RemoteConfig (plain http to a non-loopback host, no host,
//                    a key with line breaks, a CA file that is not a readable
//                    file, a timeout, limit or size that is not positive) or an
//                    input that would not coerce to the schema's input type.
//   Offline          The request never left: DNS failure, connection refused,
//                    no route, connect timeout, TLS handshake failure. Safe to
//                    resend anything. A host name that does not resolve says
//                    so (a mistyped URL, or a machine without network).
//   Untrusted        The server's TLS certificate did not verify (unknown CA,
//                    wrong host name, expired): nothing was sent, the key
//                    included. The message says "TLS certificate verification
//                    failed" and points to ca_file; verification is never off.
//                    A captive portal or an intercepting proxy looks the same.
//   Transient        A read failed in a way worth retrying: timeout or reset
//                    after sending, HTTP 5xx, an answer that is not AppSync's
//                    (whatever its status), a read alias missing from `data`, an
//                    error without errorType. For a mutation only HTTP 5xx other
//                    than 504 (a complete answer saying "not done").
//                    retry_after() is set when a 5xx carried Retry-After. Also
//                    any request not sent because the deadline given to
//                    RemoteClient::set_deadline had passed (nothing went out).
//   Throttled        HTTP 429 or errorType ThrottlingException (whole request)
//                    or a throttled alias; retry_after() holds Retry-After.
//   Auth             HTTP 401/403 or UnauthorizedException, in AppSync's shape: fix the key.
//   Contract         HTTP 200 with errors and no data: AppSync refused the whole
//                    document (validation or variable coercion), so its schema
//                    and this client disagree; the message carries AppSync's,
//                    which names the field. No mutation of it ran.
//   RemoteConflict   DynamoDB:ConditionalCheckFailedException for one mutation:
//                    the create's id exists, the update's id is missing, or the
//                    update's `condition` did not hold. Nothing was written.
//   Rejected         AppSync refused one mutation for good: an errorType such as
//                    DynamoDB:DynamoDbException at the mutation's alias itself,
//                    or HTTP 400/413 in AppSync's shape for the whole request.
//                    Resending the same thing fails the same way.
//   OutcomeUnknown   A mutation was (possibly) applied but no usable answer came
//                    back: timeout after connecting, reset, empty reply, an
//                    answer that is not AppSync's, HTTP 504, a DynamoDB internal
//                    error, an error without errorType, or an error below the
//                    alias (["m3","metadata"]: about what was selected, not the
//                    mutation). Read the record to find out (a create re-sent
//                    with the same id answers RemoteConflict if the first landed).
//   Unreadable       The API holds a record the models refuse (a required field
//                    null, a value out of range): get_many throws it; read_many
//                    and list_page report such records instead (UnreadableRecord).
//   TooLarge         A read's answer went over the response limit (AppSync's
//                    1 MB, "Transformation too large", or max_response_bytes):
//                    ask for fewer records.
//   InvalidToken     A list query's nextToken was refused (expired, or from
//                    another query): start the listing again.
//   Internal         libcurl itself failed (out of memory, bad option).
//
// Error messages name the operation, the host, the HTTP status and AppSync's
// x-amzn-RequestId; they never carry the API key, the URL or any header.
// native_code() is the HTTP status or the CURLcode.

#include <chrono>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs {

/// How to reach the API. The defaults suit a production HTTPS endpoint.
/// Every timeout, limit and size must be positive (RemoteClient refuses 0 and
/// negatives with Error{InvalidArgument} naming the field). Every member has an
/// initializer, so `{.api_url = …, .api_key = …}` compiles cleanly under -Wextra.
struct RemoteConfig {
  std::string api_url{};  // https://…/graphql; http only for loopback unless allow_insecure_http
  std::string api_key{};  // sent as x-api-key; empty sends no key (the server answers Auth)
  std::chrono::milliseconds connect_timeout{10'000};
  /// Whole request, connect included; AppSync itself cuts requests off at 30 s.
  std::chrono::milliseconds total_timeout{30'000};
  /// Abort when fewer than low_speed_bytes_per_second arrive for low_speed_time:
  /// a stalled connection is given up long before total_timeout on slow links.
  long low_speed_bytes_per_second = 1;
  std::chrono::seconds low_speed_time{15};
  /// Send the key over plain http to a non-loopback host. Only for test rigs.
  bool allow_insecure_http = false;
  /// PEM bundle to verify the server with instead of the system store.
  std::string ca_file{};
  /// Larger (decoded) responses are abandoned: Transient, or OutcomeUnknown for a mutation.
  std::size_t max_response_bytes = 8 * 1024 * 1024;
  /// get_many() puts at most this many aliased gets into one request.
  std::size_t max_gets_per_request = 50;
};

/// A record as the API returns it.
using RemoteRecord = std::variant<ScoringJob, BatchJob, BatchJobScoringJob>;

enum class SortDirection { Asc, Desc };
enum class MutationKind { Create, Update };

/// One GraphQL error of a response, classified once when the response is read.
struct GraphQLError {
  Errc code;              // what this error means (see the table above)
  std::string errorType;  // errorType (or extensions.errorType), empty when the server sent none
  std::string message;    // the server's message, bounded
  std::string path;       // first element of `path` (the alias), empty for request-level errors
  /// How many elements `path` has: 1 for an error of the alias itself, more for
  /// one inside its value (["listBatchJobs","items",3,"modelName"] is 4), 0 without a path.
  std::size_t path_depth = 0;
  /// The first list position on the path (3 above), if any.
  std::optional<std::size_t> item;
};

/// The answer to execute(): data plus the errors of single fields.
struct GraphQLResponse {
  nlohmann::json data;  // the `data` object
  std::vector<GraphQLError> errors;
  std::string request_id;                           // x-amzn-RequestId, empty when absent
  std::optional<std::chrono::seconds> retry_after;  // the response's Retry-After, if any
  /// The first error reported for one top-level field or alias (at any depth), if any.
  const GraphQLError* error_for(std::string_view alias) const noexcept;
};

/// The optional arguments of a list query.
// Every member has an initializer ({} where empty is the default), so a designated
// initializer naming only some of them compiles without -Wmissing-field-initializers.
struct ListOptions {
  nlohmann::json filter = nullptr;               // Model<Type>FilterInput, wire shape
  std::optional<SortDirection> sortDirection{};  // index queries only
  std::optional<int> limit{};                    // items READ per page (DynamoDB), before the filter
};

/// One list query of the schema with its arguments. Made by the functions in
/// namespace `queries`; RemoteClient builds the document from the field name.
template <class Record>
struct ListQuery {
  std::string field;                                    // e.g. "listScoringJobByItemId"
  nlohmann::json arguments = nlohmann::json::object();  // everything except limit and nextToken
  std::optional<int> limit;
};

/// A record the API holds that the models cannot read: a required field set to
/// null by another writer, a value out of range, a field the API could not
/// serialize. Reads report it beside the records they could read, so one bad
/// record never hides the others (the sync engine quarantines it).
struct UnreadableRecord {
  std::string id;       // empty when not even the id could be read
  std::string reason;   // why, naming the field
  std::string excerpt;  // a bounded excerpt of what the API returned
};

/// One record of RemoteClient::read_many.
template <class Record>
struct Fetched {
  std::optional<Record> record;                // set when the API holds it and it reads
  std::optional<UnreadableRecord> unreadable;  // set when the API holds it and it does not
  /// The API answered that it has no such record. One such answer right after a
  /// write may be an eventually consistent read: it proves little on its own.
  bool absent() const noexcept { return !record && !unreadable; }
};

/// One page of a list query. A page may be empty and still carry a nextToken.
template <class Record>
struct Page {
  std::vector<Record> items;
  std::vector<UnreadableRecord> unreadable;  // items of this page the models cannot read
  std::optional<std::string> nextToken;      // absent on the last page
};

/// The schema's list queries. Key conditions (scoreId, createdAt) are
/// ModelStringKeyConditionInput objects, e.g. {"beginsWith": "2026-"}.
/// Scans refuse options.sortDirection with Error{InvalidArgument}.
namespace queries {
ListQuery<ScoringJob> scoring_jobs(const ListOptions& options = {});
ListQuery<ScoringJob> scoring_jobs_by_item_id(std::string_view itemId, const ListOptions& options = {});
ListQuery<ScoringJob> scoring_jobs_by_item_id_and_score_id(std::string_view itemId, nlohmann::json scoreId,
                                                           const ListOptions& options = {});
ListQuery<ScoringJob> scoring_jobs_by_account_id(std::string_view accountId, const ListOptions& options = {});
ListQuery<ScoringJob> scoring_jobs_by_account_id_and_created_at(std::string_view accountId, nlohmann::json createdAt,
                                                                const ListOptions& options = {});
ListQuery<ScoringJob> scoring_jobs_by_score_id(std::string_view scoreId, const ListOptions& options = {});
ListQuery<BatchJob> batch_jobs(const ListOptions& options = {});
ListQuery<BatchJob> batch_jobs_by_account_id(std::string_view accountId, const ListOptions& options = {});
ListQuery<BatchJob> batch_jobs_by_scorecard_id(std::string_view scorecardId, const ListOptions& options = {});
ListQuery<BatchJob> batch_jobs_by_score_id(std::string_view scoreId, const ListOptions& options = {});
ListQuery<BatchJobScoringJob> batch_job_scoring_jobs(const ListOptions& options = {});
ListQuery<BatchJobScoringJob> batch_job_scoring_jobs_by_batch_job_id(std::string_view batchJobId,
                                                                     const ListOptions& options = {});
}  // namespace queries

/// The create input for a record: its wire shape without the fields the
/// Create<Model>Input does not have (BatchJob/BatchJobScoringJob timestamps)
/// and without null fields.
nlohmann::json create_input(const ScoringJob& job);
nlohmann::json create_input(const BatchJob& batch);
nlohmann::json create_input(const BatchJobScoringJob& link);

/// What a mutation asks the API to send back.
enum class Returning {
  Record,  // the whole record as stored (the model's fields())
  Stamps,  // only id, createdAt and updatedAt: a small answer, when the caller
           // knows the rest (what it sent, on top of the state it conditioned on)
};

/// Several creates/updates sent as one request, under aliases m0, m1, … in the
/// order added (GraphQL runs them in that order; each succeeds or fails on its
/// own). Inputs are checked against the schema's input types when added, so one
/// bad entry cannot make the server refuse the whole request. Not thread-safe.
class MutationBatch {
 public:
  /// Adds a mutation and returns its index (alias "m<index>"). `input` is a
  /// wire-shape object (AWSJSON as strings holding JSON, timestamps as
  /// AWSDateTime text); `condition` is a Model<Type>ConditionInput or null.
  /// Throws Error{InvalidArgument} naming the field for an input that would
  /// not coerce (unknown field, wrong type, missing required field, update
  /// without id); the batch is unchanged then.
  std::size_t add_create(Model model, const nlohmann::json& input, const nlohmann::json& condition = nullptr,
                         Returning returning = Returning::Record);
  std::size_t add_update(Model model, const nlohmann::json& input, const nlohmann::json& condition = nullptr,
                         Returning returning = Returning::Record);

  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  Model model(std::size_t index) const { return entries_.at(index).model; }
  MutationKind kind(std::size_t index) const { return entries_.at(index).kind; }
  Returning returning(std::size_t index) const { return entries_.at(index).returning; }
  /// Exactly body().size(), without building it, so a caller can bound
  /// requests by bytes while adding.
  std::size_t document_bytes() const noexcept;
  /// The request body run() sends: {"query":…,"variables":…,"operationName":…}.
  std::string body() const;
  /// Drops the most recently added mutation, e.g. the one that took
  /// document_bytes() over the caller's budget. No-op when empty.
  void pop_back() noexcept {
    if (!entries_.empty()) entries_.pop_back();
  }
  void clear() noexcept { entries_.clear(); }

 private:
  struct Entry {
    Model model;
    MutationKind kind;
    Returning returning;
    std::string declarations;  // "$input3: CreateScoringJobInput!…"
    std::string selection;     // "m3: createScoringJob(input: $input3…) { … }"
    std::string variables;     // "\"input3\":{…}" (and ",\"condition3\":{…}")
  };
  std::size_t add(Model model, MutationKind kind, const nlohmann::json& input, const nlohmann::json& condition,
                  Returning returning);
  std::vector<Entry> entries_;
};

/// The outcome of one alias of a MutationBatch: what the server stored, or the
/// classified error of that mutation alone.
struct MutationResult {
  Model model;
  MutationKind kind;
  std::optional<RemoteRecord> record;  // on success, for Returning::Record
  /// On success, for Returning::Stamps: {"id", "createdAt", "updatedAt"} as
  /// stored (createdAt may be null for a ScoringJob, as the schema allows).
  nlohmann::json stamps;
  std::optional<Error> error;  // set on failure (RemoteConflict, Rejected, Throttled, OutcomeUnknown, …)
  bool ok() const noexcept { return !error.has_value(); }
};

/// A connection to the API. Owns one libcurl handle, reused across requests
/// so the connection and TLS session stay warm. Move-only; not thread-safe
/// (use one client per thread); a moved-from client may only be destroyed or
/// assigned to. Every call blocks for at most total_timeout (or until the
/// deadline, see set_deadline) per HTTP request it makes. Whole-request
/// failures throw Error with the class described at the top of this file.
class RemoteClient {
 public:
  /// Checks the config (no network I/O); throws Error{InvalidArgument}.
  explicit RemoteClient(RemoteConfig config);
  ~RemoteClient();
  RemoteClient(RemoteClient&&) noexcept;
  RemoteClient& operator=(RemoteClient&&) noexcept;
  RemoteClient(const RemoteClient&) = delete;
  RemoteClient& operator=(const RemoteClient&) = delete;

  /// Sends any document. A document whose operation is a mutation gets the
  /// mutation classes (OutcomeUnknown). Throws for request-level failures;
  /// field-level errors come back classified in the response.
  GraphQLResponse execute(std::string_view query, const nlohmann::json& variables = nlohmann::json::object(),
                          std::string_view operationName = {});

  /// create<Type>(input, condition): the stored record. Failures of the
  /// mutation itself (RemoteConflict, Rejected, …) are thrown as Error.
  template <class Record>
  Record create(const nlohmann::json& input, const nlohmann::json& condition = nullptr);
  /// update<Type>(input, condition): a partial update; `input` must hold "id".
  template <class Record>
  Record update(const nlohmann::json& input, const nlohmann::json& condition = nullptr);
  /// get<Type>(id): nullopt when the record does not exist.
  template <class Record>
  std::optional<Record> get(std::string_view id);
  /// The records with these ids, in the same order (nullopt where absent),
  /// fetched with aliased gets, at most max_gets_per_request per request.
  /// Throws Error{Unreadable} for a record the models cannot read.
  template <class Record>
  std::vector<std::optional<Record>> get_many(std::span<const std::string> ids);
  /// The same in ONE request, with unreadable records reported instead of
  /// thrown: a record the API returns with a required field null or a value
  /// the models refuse is Fetched::unreadable, the others read as usual. The
  /// caller sizes the request (max_gets_per_request is not applied): an answer
  /// over the response limit throws Error{TooLarge}, so ask for fewer.
  template <class Record>
  std::vector<Fetched<Record>> read_many(std::span<const std::string> ids);

  /// One page of a list query, starting at `nextToken` (nullopt: the first page).
  /// Items the models cannot read are in Page::unreadable (with their ids when
  /// the API can say them). A token the API refuses throws Error{InvalidToken};
  /// a page over the response limit throws Error{TooLarge} (ask a smaller limit).
  template <class Record>
  Page<Record> list_page(const ListQuery<Record>& query, const std::optional<std::string>& nextToken = std::nullopt);
  /// Every readable item of a list query: follows nextToken until it is null,
  /// through empty pages that still carry a token. Unreadable items are logged
  /// (a warning each) and left out.
  template <class Record>
  std::vector<Record> list_all(const ListQuery<Record>& query);

  /// The batch a scoring job belongs to, found through its BatchJobScoringJob
  /// row (reading every page: the match may be on a late one), as the Python
  /// client's ScoringJob.get_batch_job does. nullopt when it has none.
  std::optional<BatchJob> get_batch_job(std::string_view scoringJobId);

  /// Sends every mutation of `batch` in one request; one result per alias, in
  /// order. Throws Error for request-level failures (then every mutation shares
  /// the fate: e.g. OutcomeUnknown means any of them may have been applied).
  /// An empty batch makes no request.
  std::vector<MutationResult> run(const MutationBatch& batch);

  /// Bounds every later request by an absolute deadline; nullopt (the default)
  /// removes it. Each request's timeout becomes min(total_timeout, time left),
  /// so one cut short fails like any timeout (Transient, or OutcomeUnknown for
  /// a mutation that went out). Once the deadline has passed, requests are not
  /// sent: they throw Error{Transient} (nothing went out, so sending the same
  /// thing later, a mutation too, is safe) and do not count in requests_made().
  void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) noexcept;

  /// HTTP requests attempted so far (for tests and benchmarks).
  std::size_t requests_made() const noexcept;

  /// The config this client was made with (checked), e.g. to make another
  /// client for another thread.
  const RemoteConfig& config() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace scoringjobs
