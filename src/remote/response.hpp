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

/// The class of one AppSync error, from its errorType (and, for the 1 MB
/// response limit, its message). An empty errorType is not AppSync refusing
/// anything: Transient, or OutcomeUnknown for a Write, as for errors meaning
/// "the backend failed mid-way".
Errc classify_error(std::string_view errorType, std::string_view message, Effect effect) noexcept;

/// "errorType: message", or the message alone when there is no errorType.
std::string describe(const GraphQLError& error);

/// Names a request in messages: "<operation> to <host>".
struct RequestContext {
  std::string_view operation;
  std::string_view host;
  Effect effect;
};

/// Classifies the HTTP status and parses the body. Returns the response when
/// it carries data (field errors included, classified); throws Error for every
/// request-level failure: Throttled (429, or a throttling error with no data;
/// retry_after from Retry-After), Transient (5xx, or any answer that is not
/// AppSync's JSON shape, whatever its status: a proxy's page proves nothing),
/// Auth (401/403 in AppSync's shape), Rejected (400/413 in AppSync's shape),
/// Contract (HTTP 200, no data: the document as a whole was refused) —
/// OutcomeUnknown instead of Transient for a Write whose answer is unusable or
/// whose status is 504.
GraphQLResponse read_response(const HttpResponse& http, const RequestContext& request);

/// The Error for one field's GraphQL error (a get's or a mutation alias's),
/// naming the response's request id; a Throttled one keeps its Retry-After.
Error field_error(const GraphQLError& error, const RequestContext& request, const GraphQLResponse& response);

}  // namespace scoringjobs::remote
