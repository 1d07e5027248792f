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
    GraphQLError error{Errc::Rejected, {}, {}, {}};
    if (const auto* type = error_type_of(entry)) error.errorType = excerpt(*type, 100);
    if (const auto* message = string_member(entry, "message")) error.message = excerpt(*message, 300);
    if (const auto path = entry.find("path");
        path != entry.end() && path->is_array() && !path->empty() && path->front().is_string()) {
      error.path = excerpt(path->front().get_ref<const std::string&>(), 100);
      error.path_depth = path->size();
    }
    error.code = classify_error_type(error.errorType, effect);
    errors.push_back(std::move(error));
  }
  return errors;
}

std::string describe(const GraphQLError& error) {
  if (error.errorType.empty()) return error.message;
  return error.errorType + ": " + error.message;
}

[[noreturn]] void throw_unusable_body(const HttpResponse& http, const RequestContext& request, std::string_view why) {
  std::string message = prefix(request) + "HTTP " + std::to_string(http.status) + " with " + std::string(why);
  if (request.effect == Effect::Write) {
    throw Error(Errc::OutcomeUnknown,
                with_request_id(message + "; the mutation may or may not have been applied", http.request_id), {},
                http.status);
  }
  throw Error(Errc::Transient, with_request_id(message, http.request_id), {}, http.status);
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

Errc classify_error_type(std::string_view type, Effect effect) noexcept {
  if (type == "DynamoDB:ConditionalCheckFailedException") return Errc::RemoteConflict;
  if (one_of(type, {"UnauthorizedException", "Unauthorized", "AccessDeniedException", "ForbiddenException"})) {
    return Errc::Auth;
  }
  if (type.find("Throttl") != std::string_view::npos ||
      one_of(type, {"DynamoDB:ProvisionedThroughputExceededException", "DynamoDB:RequestLimitExceeded",
                    "TooManyRequestsException", "LimitExceededException"})) {
    return Errc::Throttled;  // refused before doing anything: safe to resend later, even a mutation
  }
  if (one_of(type, {"InternalFailure", "InternalServerError", "ServiceUnavailableException", "ExecutionTimeout",
                    "DynamoDB:InternalServerError", "DynamoDB:ServiceUnavailableException",
                    "DynamoDB:TransactionConflictException", "DynamoDB:AmazonDynamoDBException"})) {
    // DynamoDB documents that a write failing this way may still have been applied.
    return effect == Effect::Write ? Errc::OutcomeUnknown : Errc::Transient;
  }
  // Validation, coercion, DynamoDbException, UserIllegalArgumentException and
  // anything unknown: resending the same request cannot help.
  return Errc::Rejected;
}

GraphQLResponse read_response(const HttpResponse& http, const RequestContext& request) {
  nlohmann::json body = parse_body(http.body);
  const bool is_object = body.is_object();
  std::vector<GraphQLError> errors = is_object ? read_errors(body, request.effect) : std::vector<GraphQLError>{};
  const std::string first = errors.empty() ? std::string() : " (" + describe(errors.front()) + ")";
  const std::string status = "HTTP " + std::to_string(http.status);

  if (http.status == 401 || http.status == 403) {
    throw Error(Errc::Auth,
                with_request_id(prefix(request) + status + ": the API key was refused" + first, http.request_id), {},
                http.status);
  }
  const auto data = is_object ? body.find("data") : body.end();
  const bool has_data = is_object && data != body.end() && data->is_object();
  const bool throttled_body = !has_data && !errors.empty() && errors.front().code == Errc::Throttled;
  if (http.status == 429 || throttled_body) {
    Error error(Errc::Throttled, with_request_id(prefix(request) + status + ": throttled" + first, http.request_id), {},
                http.status);
    if (http.retry_after) error.with_retry_after(*http.retry_after);
    throw error;
  }
  if (http.status == 400 || http.status == 413) {
    throw Error(Errc::Rejected,
                with_request_id(prefix(request) + status + ": request refused" + first, http.request_id), {},
                http.status);
  }
  if (http.status >= 500) {
    // A gateway timeout may come after the backend did the work; other 5xx say it was not done.
    const Errc code = http.status == 504 && request.effect == Effect::Write ? Errc::OutcomeUnknown : Errc::Transient;
    Error error(code, with_request_id(prefix(request) + status + ": service error" + first, http.request_id), {},
                http.status);
    if (http.retry_after) error.with_retry_after(*http.retry_after);  // a 503 may say when to come back
    throw error;
  }
  if (http.status < 200 || http.status >= 300) {
    // Redirects and odd statuses: not AppSync speaking (a proxy, a wrong URL). Retry, never drop data.
    throw Error(Errc::Transient,
                with_request_id(prefix(request) + "unexpected " + status + " (check api_url)" + first, http.request_id),
                {}, http.status);
  }

  if (!is_object) throw_unusable_body(http, request, http.body.empty() ? "an empty body" : "a body that is not JSON");
  if (!has_data && errors.empty()) throw_unusable_body(http, request, "neither data nor errors");
  if (!has_data) {
    // The whole request failed before running (validation, variable coercion, auth, …).
    const auto& cause = errors.front();
    throw Error(cause.code, with_request_id(prefix(request) + "request refused: " + describe(cause), http.request_id),
                {}, http.status);
  }
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
