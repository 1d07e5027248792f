#pragma once
// Figures 10 to 12: push with several requests in flight (SyncOptions::
// max_in_flight) against one request at a time, against a server that
// throttles above a request rate, and a fleet of edges sharing that server.

#include <vector>

#include "appsync_process.hpp"
#include "figure.hpp"
#include "options.hpp"

namespace scoringjobs::bench {

std::vector<Figure> run_concurrency_figures(const Options& options, AppSyncProcess& server);

}  // namespace scoringjobs::bench
