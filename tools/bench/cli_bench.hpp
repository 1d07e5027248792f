#pragma once
// Figure 6: `scoringjobs sync` start to exit with nothing queued (the cron
// no-op), server down and up, against the process start cost (--version).

#include <vector>

#include "appsync_process.hpp"
#include "figure.hpp"
#include "options.hpp"

namespace scoringjobs::bench {

std::vector<Figure> run_cli_figures(const Options& options, AppSyncProcess& server);

}  // namespace scoringjobs::bench
