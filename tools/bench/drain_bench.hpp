#pragma once
// Figures 4 and 5: draining the outbox to the local AppSync server, against
// one mutation per request, and the peak RSS of a large drain.

#include <vector>

#include "appsync_process.hpp"
#include "figure.hpp"
#include "options.hpp"

namespace scoringjobs::bench {

std::vector<Figure> run_drain_figures(const Options& options, AppSyncProcess& server);

}  // namespace scoringjobs::bench
