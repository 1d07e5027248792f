// RemoteClient: typed operations over one HttpTransport.

#include <chrono>

#include "remote/document.hpp"
#include "remote/endpoint.hpp"
#include "remote/http_transport.hpp"
#include "remote/input_check.hpp"
#include "remote/response.hpp"
#include "scoringjobs/log.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs {
namespace {

using remote::Effect;
using Clock = std::chrono::steady_clock;

// What an error inside one item of a page does: fail the page (the item is the
// answer being looked for), or leave a hole that is skipped (a plain listing).
enum class ItemErrors { Fail, Skip };

template <class Record>
constexpr Model model_of();
template <>
constexpr Model model_of<ScoringJob>() {
  return Model::ScoringJob;
}
template <>
constexpr Model model_of<BatchJob>() {
  return Model::BatchJob;
}
template <>
constexpr Model model_of<BatchJobScoringJob>() {
  return Model::BatchJobScoringJob;
}

// The key must not leak even if a server (or libcurl) echoes it back in a
// message; every Error leaving the client passes through here.
std::string scrub(std::string text, const std::string& secret) {
  if (secret.empty() || text.find(secret) == std::string::npos) return text;
  for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
    text.replace(at, secret.size(), "<api-key>");
  }
  return text;
}

Error scrubbed(const Error& error, const std::string& secret) {
  Error copy(error.code(), scrub(error.what(), secret), error.field(), error.native_code());
  if (error.retry_after()) copy.with_retry_after(*error.retry_after());
  return copy;
}

}  // namespace

struct RemoteClient::Impl {
  RemoteConfig config;
  remote::Endpoint endpoint;
  // Made on the first request, which is when libcurl is loaded: a client that
  // never sends (a sync with nothing to do) never pays for it.
  std::unique_ptr<remote::HttpTransport> transport;
  std::size_t requests = 0;
  std::optional<Clock::time_point> deadline;  // see RemoteClient::set_deadline

  explicit Impl(RemoteConfig settings) : config(std::move(settings)) {
    if (config.max_gets_per_request == 0) {
      throw Error(Errc::InvalidArgument, "max_gets_per_request is 0", "max_gets_per_request");
    }
    endpoint = remote::check_endpoint(config.api_url, config.allow_insecure_http);
    remote::HttpTransport::check_config(config);
  }

  remote::HttpTransport& http() {
    if (!transport) transport = std::make_unique<remote::HttpTransport>(config, endpoint);
    return *transport;
  }

  remote::RequestContext context(std::string_view operation, Effect effect) const {
    return {operation, endpoint.host, effect};
  }

  // total_timeout, cut to the time left before the deadline. Once it has
  // passed nothing is sent: not done, so resending later is safe (Transient).
  std::chrono::milliseconds request_timeout(std::string_view operation) const {
    if (!deadline) return config.total_timeout;
    // Rounded up: a timeout of 0 would mean "none" to libcurl.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
    if (left.count() <= 0) {
      throw Error(Errc::Transient, std::string(operation) + " to " + endpoint.host +
                                       ": not sent, the deadline for this request has passed");
    }
    return std::min(config.total_timeout, left);
  }

  // One request: body out, classified response back. Every failure leaves as a scrubbed Error.
  GraphQLResponse send(const std::string& body, std::string_view operation, Effect effect) {
    const auto request = context(operation, effect);
    const auto timeout = request_timeout(operation);
    const auto started = Clock::now();
    const auto elapsed_ms = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    };
    ++requests;
    try {
      auto http = this->http().post(body, effect, operation, timeout);
      // Before anything is cut into bounded excerpts, which could split (and so miss) the key.
      http.body = scrub(std::move(http.body), config.api_key);
      if (log_enabled(LogLevel::Debug)) {
        log(LogLevel::Debug, scrub(std::string(operation) + " to " + std::string(request.host) + ": HTTP " +
                                       std::to_string(http.status) + ", " + std::to_string(body.size()) +
                                       " bytes out, " + std::to_string(http.body.size()) + " bytes in, " +
                                       std::to_string(elapsed_ms()) + " ms, request id " + http.request_id,
                                   config.api_key));
      }
      return remote::read_response(http, request);
    } catch (const Error& error) {
      Error clean = scrubbed(error, config.api_key);
      if (log_enabled(LogLevel::Debug)) {
        log(LogLevel::Debug,
            std::string(to_string(clean.code())) + " after " + std::to_string(elapsed_ms()) + " ms: " + clean.what());
      }
      throw clean;
    }
  }

  Error field_failure(const GraphQLError& error, std::string_view operation, Effect effect,
                      const GraphQLResponse& response) const {
    return scrubbed(remote::field_error(error, context(operation, effect), response), config.api_key);
  }

  // A record the server returned; the models' checks decide whether we can use it.
  template <class Record>
  Record parse(const nlohmann::json& wire, std::string_view operation, Effect effect) const {
    try {
      return Record::from_dict(wire);
    } catch (const Error& error) {
      // A write was applied but answered with something unusable: read it back to know more.
      const Errc code = effect == Effect::Write ? Errc::OutcomeUnknown : Errc::Unreadable;
      throw Error(code,
                  scrub(std::string(operation) + ": the server returned a " +
                            std::string(model_name(model_of<Record>())) + " the models refuse: " + error.what(),
                        config.api_key),
                  error.field());
    }
  }

  // The stamps a mutation asked for with Returning::Stamps, checked: a usable
  // id and updatedAt, or the answer is no proof of anything.
  nlohmann::json parse_stamps(const nlohmann::json& value, std::string_view what) const {
    const auto text = [&](const char* key) {
      const auto found = value.find(key);
      return found != value.end() && found->is_string() ? &found->get_ref<const std::string&>() : nullptr;
    };
    const auto* id = text("id");
    const auto* updated = text("updatedAt");
    const auto created = value.find("createdAt");
    const bool created_ok = created == value.end() || created->is_null() ||
                            (created->is_string() && Timestamp::try_parse(created->get<std::string>()));
    if (!id || id->empty() || !updated || !Timestamp::try_parse(*updated) || !created_ok) {
      throw Error(Errc::OutcomeUnknown, std::string(what) +
                                            ": the answer lacks a usable id, createdAt or updatedAt; "
                                            "the mutation may or may not have been applied");
    }
    return {{"id", *id},
            {"createdAt", created == value.end() ? nlohmann::json(nullptr) : *created},
            {"updatedAt", *updated}};
  }

  RemoteRecord parse_any(Model model, const nlohmann::json& wire, std::string_view operation) const {
    switch (model) {
      case Model::ScoringJob: return parse<ScoringJob>(wire, operation, Effect::Write);
      case Model::BatchJob: return parse<BatchJob>(wire, operation, Effect::Write);
      case Model::BatchJobScoringJob: return parse<BatchJobScoringJob>(wire, operation, Effect::Write);
    }
    throw Error(Errc::Internal, "unknown model");
  }

  // The error of a mutation alias: one at the alias itself is about the
  // mutation; one below it (["m3","metadata"]) is about what was selected, and
  // says nothing of whether the mutation was applied.
  Error mutation_failure(const GraphQLError& error, std::string_view operation, const GraphQLResponse& response) const {
    Error failure = field_failure(error, operation, Effect::Write, response);
    if (error.path_depth <= 1) return failure;
    return Error(Errc::OutcomeUnknown, std::string(failure.what()) +
                                           " (below the mutation, in what it returned; the mutation may or may "
                                           "not have been applied)");
  }

  template <class Record>
  Record mutate(MutationKind kind, const nlohmann::json& input, const nlohmann::json& condition) {
    constexpr Model model = model_of<Record>();
    remote::check_mutation_input(model, kind, input);
    remote::check_condition(condition);
    const std::string field = remote::mutation_field(model, kind);
    const std::string operation = remote::operation_name(field);
    nlohmann::json variables = {{"input", input}};
    if (!condition.is_null()) variables["condition"] = condition;
    const auto response = send(remote::request_body(remote::mutation_document(model, kind), variables, operation),
                               operation, Effect::Write);
    if (const auto* error = response.error_for(field)) throw mutation_failure(*error, operation, response);
    const auto record = response.data.find(field);
    if (record == response.data.end() || record->is_null()) {
      throw Error(Errc::OutcomeUnknown, operation + ": the server answered with no record and no error" +
                                            "; the mutation may or may not have been applied");
    }
    return parse<Record>(*record, operation, Effect::Write);
  }

  // The value of a read's top-level field; throws the field's own error. A
  // field missing from `data` is an answer that is not AppSync's (it always
  // answers every field it ran, null or not): Transient, never "absent".
  nlohmann::json read_field(const GraphQLResponse& response, const std::string& alias,
                            std::string_view operation) const {
    if (const auto* error = response.error_for(alias)) throw field_failure(*error, operation, Effect::Read, response);
    const auto value = response.data.find(alias);
    if (value == response.data.end()) {
      throw Error(Errc::Transient, std::string(operation) + ": the answer has no " + alias +
                                       ", so it is not the API's [request id " + response.request_id + "]");
    }
    return *value;
  }

  // One aliased get's answer: the record, absent (null without an error), or
  // unreadable (an error below the alias, or values the models refuse).
  template <class Record>
  Fetched<Record> fetched(const GraphQLResponse& response, const std::string& alias, const std::string& id,
                          std::string_view operation) const {
    if (const auto* error = response.error_for(alias); error && error->path_depth > 1) {
      return {std::nullopt, UnreadableRecord{id, remote::describe(*error), excerpt(error_value(response, alias), 300)}};
    }
    const auto wire = read_field(response, alias, operation);
    if (wire.is_null()) return {};
    try {
      return {parse<Record>(wire, operation, Effect::Read), std::nullopt};
    } catch (const Error& error) {
      if (error.code() != Errc::Unreadable) throw;
      return {std::nullopt, UnreadableRecord{id, error.what(), excerpt(wire.dump(), 300)}};
    }
  }

  static std::string error_value(const GraphQLResponse& response, const std::string& alias) {
    const auto value = response.data.find(alias);
    return value == response.data.end() ? std::string() : value->dump();
  }

  template <class Record>
  std::vector<Fetched<Record>> read_chunk(std::span<const std::string> ids) {
    constexpr Model model = model_of<Record>();
    const std::string operation = "GetMany" + std::string(model_name(model));
    nlohmann::json variables = nlohmann::json::object();
    for (std::size_t i = 0; i < ids.size(); ++i) variables["id" + std::to_string(i)] = ids[i];
    const auto response = send(remote::request_body(remote::get_many_document(model, ids.size()), variables, operation),
                               operation, Effect::Read);
    std::vector<Fetched<Record>> records;
    records.reserve(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      records.push_back(fetched<Record>(response, "g" + std::to_string(i), ids[i], operation));
    }
    return records;
  }

  // The connection of a list field. Only an error of the field itself (or of the
  // whole request) fails the page; an error inside one item leaves that item
  // unreadable, so one bad record cannot hide the rest.
  nlohmann::json read_list_field(const GraphQLResponse& response, const std::string& field,
                                 std::string_view operation) const {
    for (const auto& error : response.errors) {
      const bool whole_field = error.path_depth == 0 || !error.item;
      if (whole_field) throw field_failure(error, operation, Effect::Read, response);
    }
    return read_field_value(response, field, operation);
  }

  nlohmann::json read_field_value(const GraphQLResponse& response, const std::string& field,
                                  std::string_view operation) const {
    const auto value = response.data.find(field);
    if (value == response.data.end()) {
      throw Error(Errc::Transient, std::string(operation) + ": the answer has no " + field +
                                       ", so it is not the API's [request id " + response.request_id + "]");
    }
    return *value;
  }

  struct RawPage {
    GraphQLResponse response;
    nlohmann::json items;  // the items array as answered
    std::optional<std::string> nextToken;
  };

  // One page of any list-shaped field: {items: [...], nextToken}.
  RawPage raw_page(const std::string& document, const nlohmann::json& variables, const std::string& field,
                   const std::string& operation, ItemErrors item_errors) {
    auto response = send(remote::request_body(document, variables, operation), operation, Effect::Read);
    const auto connection = item_errors == ItemErrors::Skip ? read_list_field(response, field, operation)
                                                            : read_field(response, field, operation);
    const auto items = connection.is_object() ? connection.find("items") : connection.end();
    if (!connection.is_object() || items == connection.end() || !items->is_array()) {
      throw Error(Errc::Transient,
                  operation + ": the response has no items list [request id " + response.request_id + "]");
    }
    RawPage page{std::move(response), *items, std::nullopt};
    if (const auto token = connection.find("nextToken"); token != connection.end() && token->is_string()) {
      page.nextToken = token->get<std::string>();
    }
    return page;
  }

  // One page of any list-shaped field, each item converted.
  template <class Item, class Convert>
  Page<Item> page(const std::string& document, const nlohmann::json& variables, const std::string& field,
                  const std::string& operation, ItemErrors item_errors, Convert&& convert) {
    auto raw = raw_page(document, variables, field, operation, item_errors);
    Page<Item> out;
    for (const auto& item : raw.items) {
      if (!item.is_null()) convert(item, out.items);
    }
    out.nextToken = std::move(raw.nextToken);
    return out;
  }

  // The ids of a page's items, read again with nothing else selected: an item
  // the API could not return whole (a required field null) still has its id.
  std::vector<std::string> page_ids(const remote::ListField& list, const nlohmann::json& variables,
                                    const std::string& operation) {
    auto raw = raw_page(remote::list_document(list, "id", "Ids"), variables, std::string(list.field), operation + "Ids",
                        ItemErrors::Skip);
    std::vector<std::string> ids;
    for (const auto& item : raw.items) ids.push_back(id_of(item));
    return ids;
  }

  template <class Record>
  Page<Record> list_page(const ListQuery<Record>& query, const std::optional<std::string>& nextToken) {
    const auto& list = remote::list_field(query.field);
    check_list_query(list, query);
    nlohmann::json variables = query.arguments;
    if (query.limit) variables["limit"] = *query.limit;
    if (nextToken) variables["nextToken"] = *nextToken;
    const std::string operation = remote::operation_name(list.field);
    RawPage raw;
    try {
      raw = raw_page(remote::list_document(list), variables, std::string(list.field), operation, ItemErrors::Skip);
    } catch (const Error& error) {
      // AppSync names a refused token DynamoDB:UserIllegalArgumentException.
      if (error.code() == Errc::Rejected && nextToken) {
        throw Error(Errc::InvalidToken, std::string(error.what()) + " (the nextToken was refused)", "nextToken");
      }
      throw;
    }
    Page<Record> out;
    out.nextToken = std::move(raw.nextToken);
    std::vector<std::string> ids;  // read again only when some item lacks its id
    for (std::size_t i = 0; i < raw.items.size(); ++i) {
      const auto& item = raw.items[i];
      const auto* error = item_error(raw.response, i);
      if (item.is_null() && !error) continue;  // a hole DynamoDB left, no record
      auto problem = error ? std::optional(remote::describe(*error)) : take_item(item, operation, out.items);
      if (!problem) continue;
      std::string id = id_of(item);
      if (id.empty()) {
        if (ids.empty()) ids = page_ids(list, variables, operation);
        if (i < ids.size()) id = ids[i];
      }
      out.unreadable.push_back(UnreadableRecord{std::move(id), std::move(*problem), excerpt(item.dump(), 300)});
    }
    return out;
  }

  template <class Record>
  static void check_list_query(const remote::ListField& list, const ListQuery<Record>& query) {
    if (list.model != model_of<Record>()) {
      throw Error(Errc::InvalidArgument, query.field + " does not list " + std::string(model_name(model_of<Record>())),
                  "field");
    }
    if (!query.arguments.is_object()) {
      throw Error(Errc::InvalidArgument, "list arguments must be an object", "arguments");
    }
    for (const auto& argument : query.arguments.items()) {
      const std::string& name = argument.key();  // a plain name: clang 14 cannot capture structured bindings
      const bool known = std::ranges::any_of(list.arguments, [&](const auto& arg) { return arg.first == name; });
      if (!known) {
        throw Error(Errc::InvalidArgument, query.field + " takes no argument '" + excerpt(name, 64) + "'", name);
      }
    }
  }

  // Appends the record an item holds; returns why it could not be read instead.
  template <class Record>
  std::optional<std::string> take_item(const nlohmann::json& item, const std::string& operation,
                                       std::vector<Record>& into) {
    try {
      into.push_back(parse<Record>(item, operation, Effect::Read));
      return std::nullopt;
    } catch (const Error& refused) {
      if (refused.code() != Errc::Unreadable) throw;
      return std::string(refused.what());
    }
  }

  static std::string id_of(const nlohmann::json& item) {
    const auto id = item.find("id");  // end() when the item is not an object
    return id != item.end() && id->is_string() ? id->get<std::string>() : std::string();
  }

  static const GraphQLError* item_error(const GraphQLResponse& response, std::size_t index) {
    const auto found = std::ranges::find_if(response.errors, [&](const GraphQLError& e) { return e.item == index; });
    return found == response.errors.end() ? nullptr : &*found;
  }
};

RemoteClient::RemoteClient(RemoteConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
RemoteClient::~RemoteClient() = default;
RemoteClient::RemoteClient(RemoteClient&&) noexcept = default;
RemoteClient& RemoteClient::operator=(RemoteClient&&) noexcept = default;

std::size_t RemoteClient::requests_made() const noexcept { return impl_ ? impl_->requests : 0; }

const RemoteConfig& RemoteClient::config() const noexcept { return impl_->config; }

void RemoteClient::set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) noexcept {
  impl_->deadline = deadline;
}

GraphQLResponse RemoteClient::execute(std::string_view query, const nlohmann::json& variables,
                                      std::string_view operationName) {
  const Effect effect = remote::is_mutation_document(query) ? Effect::Write : Effect::Read;
  const std::string operation = operationName.empty() ? std::string("GraphQL request") : std::string(operationName);
  return impl_->send(remote::request_body(query, variables, operationName), operation, effect);
}

template <class Record>
Record RemoteClient::create(const nlohmann::json& input, const nlohmann::json& condition) {
  return impl_->mutate<Record>(MutationKind::Create, input, condition);
}

template <class Record>
Record RemoteClient::update(const nlohmann::json& input, const nlohmann::json& condition) {
  return impl_->mutate<Record>(MutationKind::Update, input, condition);
}

template <class Record>
std::optional<Record> RemoteClient::get(std::string_view id) {
  constexpr Model model = model_of<Record>();
  const std::string field = "get" + std::string(model_name(model));
  const std::string operation = remote::operation_name(field);
  const auto response =
      impl_->send(remote::request_body(remote::get_document(model), {{"id", id}}, operation), operation, Effect::Read);
  auto one = impl_->fetched<Record>(response, field, std::string(id), operation);
  if (one.unreadable) throw Error(Errc::Unreadable, one.unreadable->reason, "id");
  return std::move(one.record);
}

template <class Record>
std::vector<std::optional<Record>> RemoteClient::get_many(std::span<const std::string> ids) {
  std::vector<std::optional<Record>> records;
  records.reserve(ids.size());
  for (std::size_t start = 0; start < ids.size(); start += impl_->config.max_gets_per_request) {
    const auto chunk = ids.subspan(start, std::min(impl_->config.max_gets_per_request, ids.size() - start));
    for (auto& fetched : impl_->read_chunk<Record>(chunk)) {
      if (fetched.unreadable) {
        throw Error(Errc::Unreadable, fetched.unreadable->reason, fetched.unreadable->id);
      }
      records.push_back(std::move(fetched.record));
    }
  }
  return records;
}

template <class Record>
std::vector<Fetched<Record>> RemoteClient::read_many(std::span<const std::string> ids) {
  if (ids.empty()) return {};
  return impl_->read_chunk<Record>(ids);
}

template <class Record>
Page<Record> RemoteClient::list_page(const ListQuery<Record>& query, const std::optional<std::string>& nextToken) {
  return impl_->list_page(query, nextToken);
}

template <class Record>
std::vector<Record> RemoteClient::list_all(const ListQuery<Record>& query) {
  std::vector<Record> all;
  std::optional<std::string> token;
  do {
    auto page = impl_->list_page(query, token);
    std::ranges::move(page.items, std::back_inserter(all));
    for (const auto& bad : page.unreadable) {
      log(LogLevel::Warn, query.field + ": left out a record the models cannot read" +
                              (bad.id.empty() ? std::string() : " (" + excerpt(bad.id) + ")") + ": " + bad.reason);
    }
    // A token that does not move would loop forever; treat it as a broken response.
    if (page.nextToken && page.nextToken == token) {
      throw Error(Errc::Transient, query.field + ": the server returned the same nextToken twice");
    }
    token = std::move(page.nextToken);
  } while (token);
  return all;
}

std::optional<BatchJob> RemoteClient::get_batch_job(std::string_view scoringJobId) {
  const std::string operation = "GetBatchJobOfScoringJob";
  const std::string document = remote::batch_of_scoring_job_document();
  std::optional<std::string> token;
  do {
    nlohmann::json variables = {{"scoringJobId", scoringJobId}};
    if (token) variables["nextToken"] = *token;
    // Strict: an error in the matching link must not read as "no batch".
    auto page = impl_->page<BatchJob>(document, variables, "listBatchJobScoringJobs", operation, ItemErrors::Fail,
                                      [&](const nlohmann::json& link, std::vector<BatchJob>& into) {
                                        const auto batch = link.find("batchJob");
                                        if (batch != link.end() && !batch->is_null()) {
                                          into.push_back(impl_->parse<BatchJob>(*batch, operation, Effect::Read));
                                        }
                                      });
    if (!page.items.empty()) return std::move(page.items.front());
    if (page.nextToken && page.nextToken == token) {
      throw Error(Errc::Transient, operation + ": the server returned the same nextToken twice");
    }
    token = std::move(page.nextToken);
  } while (token);
  return std::nullopt;
}

std::vector<MutationResult> RemoteClient::run(const MutationBatch& batch) {
  if (batch.empty()) return {};
  const std::string operation = "MutationBatch";
  const auto response = impl_->send(batch.body(), operation, Effect::Write);
  std::vector<MutationResult> results;
  results.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    MutationResult result{batch.model(i), batch.kind(i), std::nullopt, nullptr, std::nullopt};
    const std::string alias = "m" + std::to_string(i);
    std::string what = operation;
    what.append(" ").append(alias);
    try {
      if (const auto* error = response.error_for(alias)) {
        result.error = impl_->mutation_failure(*error, operation, response);
      } else if (const auto record = response.data.find(alias); record == response.data.end() || record->is_null()) {
        result.error = Error(Errc::OutcomeUnknown, what +
                                                       ": no record and no error in the answer; the mutation "
                                                       "may or may not have been applied");
      } else if (batch.returning(i) == Returning::Stamps) {
        result.stamps = impl_->parse_stamps(*record, what);
      } else {
        result.record = impl_->parse_any(result.model, *record, what);
      }
    } catch (const Error& error) {  // an unreadable record: that alias's outcome, not the batch's
      result.error = error;
    }
    results.push_back(std::move(result));
  }
  return results;
}

// The three record types are the only ones the templates are used with. (A
// type named in an explicit instantiation cannot be put in parentheses.)
// NOLINTBEGIN(bugprone-macro-parentheses)
#define SCORINGJOBS_INSTANTIATE(Record)                                                                               \
  template Record RemoteClient::create<Record>(const nlohmann::json&, const nlohmann::json&);                         \
  template Record RemoteClient::update<Record>(const nlohmann::json&, const nlohmann::json&);                         \
  template std::optional<Record> RemoteClient::get<Record>(std::string_view);                                         \
  template std::vector<std::optional<Record>> RemoteClient::get_many<Record>(std::span<const std::string>);           \
  template std::vector<Fetched<Record>> RemoteClient::read_many<Record>(std::span<const std::string>);                \
  template Page<Record> RemoteClient::list_page<Record>(const ListQuery<Record>&, const std::optional<std::string>&); \
  template std::vector<Record> RemoteClient::list_all<Record>(const ListQuery<Record>&);
SCORINGJOBS_INSTANTIATE(ScoringJob)
SCORINGJOBS_INSTANTIATE(BatchJob)
SCORINGJOBS_INSTANTIATE(BatchJobScoringJob)
#undef SCORINGJOBS_INSTANTIATE
// NOLINTEND(bugprone-macro-parentheses)

}  // namespace scoringjobs
