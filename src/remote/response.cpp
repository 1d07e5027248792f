#include "remote/response.hpp"

#include <algorithm>
#include <array>

#include "scoringjobs/json_input.hpp"

namespace scoringjobs {

const GraphQLError* GraphQLResponse::error_for(std::string_view alias) const noexcept {
  const auto found = std::ranges::find(errors, alias, &GraphQLError::path);
  return found == errors.end() ? nullptr : &*found;
}

}  // namespace scoringjobs

namespace scoringjobs::remote {
namespace {

bool one_of(std::string_view value, std::initializer_list<std::string_view> names) {
  return std::ranges::find(names, value) != names.end();
}

std::string with_request_id(std::string message, std::string_view request_id) {
  if (!request_id.empty()) message += " [request id " + std::string(request_id) + "]";
  return message;
}

std::string prefix(const RequestContext& request) {
  return std::string(request.operation) + " to " + std::string(request.host) + ": ";
}

// A string member of a JSON object, or nullptr.
const std::string* string_member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(name);
  return found != object.end() && found->is_string() ? &found->get_ref<const std::string&>() : nullptr;
}

// AppSync (graphql-java) puts errorType beside the message; graphql-js style
// servers put it under extensions.
const std::string* error_type_of(const nlohmann::json& entry) {
  if (const auto* type = string_member(entry, "errorType")) return type;
  const auto extensions = entry.find("extensions");
  return extensions == entry.end() ? nullptr : string_member(*extensions, "errorType");
}

// The errors array of a response body, each one classified.
std::vector<GraphQLError> read_errors(const nlohmann::json& body, Effect effect) {
  std::vector<GraphQLError> errors;
  const auto found = body.find("errors");
  if (found == body.end() || !found->is_array()) return errors;
  for (const auto& entry : *found) {
    if (!entry.is_object()) continue;
    GraphQLError error{Errc::Rejected, {}, {}, {}, 0, std::nullopt};
    if (const auto* type = error_type_of(entry)) error.errorType = excerpt(*type, 100);
    if (const auto* message = string_member(entry, "message")) error.message = excerpt(*message, 300);
    if (const auto path = entry.find("path");
        path != entry.end() && path->is_array() && !path->empty() && path->front().is_string()) {
      error.path = excerpt(path->front().get_ref<const std::string&>(), 100);
      error.path_depth = path->size();
      const auto index = std::ranges::find_if(*path, [](const nlohmann::json& e) { return e.is_number_unsigned(); });
      if (index != path->end()) error.item = index->get<std::size_t>();
    }
    error.code = classify_error(error.errorType, error.message, effect);
    errors.push_back(std::move(error));
  }
  return errors;
}

[[noreturn]] void throw_unusable_body(const HttpResponse& http, const RequestContext& request, std::string_view why) {
  std::string message = prefix(request) + "HTTP " + std::to_string(http.status) + " with " + std::string(why) +
                        ", not an answer from the API";
  if (request.effect == Effect::Write) {
    throw Error(Errc::OutcomeUnknown,
                with_request_id(message + "; the mutation may or may not have been applied", http.request_id), {},
                http.status);
  }
  throw Error(Errc::Transient, with_request_id(message, http.request_id), {}, http.status);
}

// The whole document failed before any field ran (HTTP 200, no data).
// Validation and variable coercion errors are about the client/API contract,
// not about one mutation: Contract, naming the server's message (which names
// the field the API does not know). Auth, throttling and service trouble keep
// their own classes.
Error document_error(const GraphQLError& cause, const HttpResponse& http, const RequestContext& request) {
  switch (cause.code) {
    case Errc::Auth:
    case Errc::TooLarge:
      return Error(cause.code,
                   with_request_id(prefix(request) + "request refused: " + describe(cause), http.request_id), {},
                   http.status);
    case Errc::Transient:
    case Errc::OutcomeUnknown:
      if (!cause.errorType.empty()) {
        return Error(cause.code,
                     with_request_id(prefix(request) + "service error: " + describe(cause), http.request_id), {},
                     http.status);
      }
      break;
    default: break;
  }
  return Error(Errc::Contract,
               with_request_id(prefix(request) +
                                   "the API refused the whole document, so its schema and this client disagree "
                                   "(deployed without a field this client uses, or the wrong API?): " +
                                   describe(cause) + "; nothing ran",
                               http.request_id),
               {}, http.status);
}

// The body as JSON, or discarded when it is not JSON we can hold: nested past
// limits::kMaxJsonDepth (copying or dumping it later would recurse that deep),
// NUL bytes, numbers outside what JSON carries exactly.
nlohmann::json parse_body(const std::string& body) {
  try {
    return parse_json_input("response body", body);
  } catch (const Error&) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
}

}  // namespace

std::string describe(const GraphQLError& error) {
  if (error.errorType.empty()) return error.message;
  return error.errorType + ": " + error.message;
}

Errc classify_error(std::string_view type, std::string_view message, Effect effect) noexcept {
  if (type == "DynamoDB:ConditionalCheckFailedException") return Errc::RemoteConflict;
  if (one_of(type, {"UnauthorizedException", "Unauthorized", "AccessDeniedException", "ForbiddenException"})) {
    return Errc::Auth;
  }
  if (type.find("Throttl") != std::string_view::npos ||
      one_of(type, {"DynamoDB:ProvisionedThroughputExceededException", "DynamoDB:RequestLimitExceeded",
                    "TooManyRequestsException", "LimitExceededException"})) {
    return Errc::Throttled;  // refused before doing anything: safe to resend later, even a mutation
  }
  // AppSync's answer when a resolver's result passes its 1 MB limit.
  if (type == "MappingTemplate" && message.find("too large") != std::string_view::npos) return Errc::TooLarge;
  if (type.empty() ||
      one_of(type, {"InternalFailure", "InternalServerError", "ServiceUnavailableException", "ExecutionTimeout",
                    "DynamoDB:InternalServerError", "DynamoDB:ServiceUnavailableException",
                    "DynamoDB:TransactionConflictException", "DynamoDB:AmazonDynamoDBException"})) {
    // DynamoDB documents that a write failing this way may still have been
    // applied; an error without an errorType is not AppSync saying "refused".
    return effect == Effect::Write ? Errc::OutcomeUnknown : Errc::Transient;
  }
  // DynamoDbException, UserIllegalArgumentException, validation and anything
  // else AppSync names: resending the same request cannot help.
  return Errc::Rejected;
}

namespace {

// An error naming the request, the HTTP status and what it means.
Error status_error(Errc code, const HttpResponse& http, const RequestContext& request, std::string_view what) {
  return Error(code,
               with_request_id(prefix(request) + "HTTP " + std::to_string(http.status) + ": " + std::string(what),
                               http.request_id),
               {}, http.status);
}

// Throttling and service errors: the status decides whatever the body holds.
void throw_if_unavailable(const HttpResponse& http, const RequestContext& request, bool throttled_without_data,
                          const std::string& first) {
  const bool throttled = http.status == 429 || throttled_without_data;
  if (!throttled && http.status < 500) return;
  // A gateway timeout may come after the backend did the work; other 5xx say it was not done.
  const Errc code = throttled                                               ? Errc::Throttled
                    : http.status == 504 && request.effect == Effect::Write ? Errc::OutcomeUnknown
                                                                            : Errc::Transient;
  Error error = status_error(code, http, request, (throttled ? "throttled" : "service error") + first);
  if (http.retry_after) error.with_retry_after(*http.retry_after);  // a 429 or a 503 may say when to come back
  throw error;
}

// AppSync's answer under a status that refuses the request.
void throw_if_refused(const HttpResponse& http, const RequestContext& request, const std::string& first) {
  if (http.status == 401 || http.status == 403) {
    throw status_error(Errc::Auth, http, request, "the API key was refused" + first);
  }
  if (http.status == 400 || http.status == 413) {
    throw status_error(Errc::Rejected, http, request, "request refused" + first);
  }
  if (http.status < 200 || http.status >= 300) {
    throw_unusable_body(http, request, "an unexpected status (check api_url)" + first);
  }
}

}  // namespace

GraphQLResponse read_response(const HttpResponse& http, const RequestContext& request) {
  nlohmann::json body = parse_body(http.body);
  const bool is_object = body.is_object();
  std::vector<GraphQLError> errors = is_object ? read_errors(body, request.effect) : std::vector<GraphQLError>{};
  const auto data = is_object ? body.find("data") : body.end();
  const bool has_data = is_object && data != body.end() && data->is_object();
  const std::string first = errors.empty() ? std::string() : " (" + describe(errors.front()) + ")";

  throw_if_unavailable(http, request, !has_data && !errors.empty() && errors.front().code == Errc::Throttled, first);
  // AppSync answers with a JSON object holding `data` or a list of `errors`;
  // anything else (a proxy's HTML page, an empty body) proves nothing.
  if (!has_data && errors.empty()) {
    const std::string what = http.body.empty() ? "an empty body"
                             : is_object       ? "neither data nor errors"
                                               : "a body that is not AppSync's JSON";
    throw_unusable_body(http, request, what + (http.status >= 300 ? " (a proxy, or a wrong api_url?)" : ""));
  }
  throw_if_refused(http, request, first);
  if (!has_data) throw document_error(errors.front(), http, request);
  return GraphQLResponse{std::move(*data), std::move(errors), http.request_id, http.retry_after};
}

Error field_error(const GraphQLError& error, const RequestContext& request, const GraphQLResponse& response) {
  std::string message =
      prefix(request) + (error.path.empty() ? std::string() : error.path + " failed: ") + describe(error);
  if (error.code == Errc::OutcomeUnknown) message += "; the mutation may or may not have been applied";
  Error out(error.code, with_request_id(std::move(message), response.request_id));
  // One throttled alias: the response's Retry-After says when to send it again.
  if (error.code == Errc::Throttled && response.retry_after) out.with_retry_after(*response.retry_after);
  return out;
}

}  // namespace scoringjobs::remote
