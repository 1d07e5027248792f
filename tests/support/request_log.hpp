#pragma once
// The local AppSync server's request log (tests/appsync/README.md) as the
// tests read it: when each request arrived and was answered, and what it did.

#include <string>
#include <utility>
#include <vector>

#include "support/appsync_server.hpp"

namespace scoringjobs::test {

/// One request of the server's log: when it arrived and was answered (ms since
/// the server started, -1 when it was not answered), its HTTP status, the
/// top-level fields it asked for, and the mutations it carried that the server
/// applied.
struct LoggedRequest {
  double arrived = 0;
  double answered = 0;
  int status = 0;
  std::vector<std::string> fields;
  std::vector<std::pair<std::string, std::string>> applied;  // (field, id)
};

/// Every request of the server's log, in arrival order.
std::vector<LoggedRequest> read_request_log(AppSyncServer& server);

/// Requests A and B were in flight at once.
bool overlap(const LoggedRequest& a, const LoggedRequest& b);
/// Two requests from `from` on were in flight at once.
bool any_overlap(const std::vector<LoggedRequest>& requests, std::size_t from = 0);

}  // namespace scoringjobs::test
