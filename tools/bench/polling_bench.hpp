#pragma once
// The polling figure: what a fleet's idle edges cost the API. Requests per
// run for a store with nothing queued and thousands of unfinished jobs that do
// not change remotely, in the steady state of a 5-minute timer, against a run
// that reads every unfinished record (what each run did before refreshes were
// scheduled per record).

#include <vector>

#include "appsync_process.hpp"
#include "figure.hpp"
#include "options.hpp"

namespace scoringjobs::bench {

std::vector<Figure> run_polling_figures(const Options& options, AppSyncProcess& server);

}  // namespace scoringjobs::bench
