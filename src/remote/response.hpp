#pragma once
// Reads an HTTP response as a GraphQL response and classifies what went wrong
// into exactly one Errc, once, from the HTTP status and AppSync's errorType.
// Nothing downstream looks at message text again.

#include <string>
#include <string_view>

#include "remote/http_transport.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs::remote {

/// The class of one AppSync errorType (empty: a plain GraphQL validation
/// error). For a Write, errors meaning "the backend failed mid-way" become
/// OutcomeUnknown instead of Transient.
Errc classify_error_type(std::string_view errorType, Effect effect) noexcept;

/// Names a request in messages: "<operation> to <host>".
struct RequestContext {
  std::string_view operation;
  std::string_view host;
  Effect effect;
};

/// Classifies the HTTP status and parses the body. Returns the response when
/// it carries data (field errors included, classified); throws Error for every
/// request-level failure: Auth (401/403), Throttled (429, or a throttling
/// error with no data; retry_after from Retry-After), Rejected (400/413, or
/// errors with no data), Transient (5xx, other statuses, a body that is not a
/// GraphQL response) — OutcomeUnknown instead for a Write whose body is
/// unusable or whose status is 504.
GraphQLResponse read_response(const HttpResponse& http, const RequestContext& request);

/// The Error for one field's GraphQL error (a get's or a mutation alias's),
/// naming the response's request id; a Throttled one keeps its Retry-After.
Error field_error(const GraphQLError& error, const RequestContext& request, const GraphQLResponse& response);

}  // namespace scoringjobs::remote
