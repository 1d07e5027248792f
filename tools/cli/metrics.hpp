#pragma once
// The store's status as Prometheus metrics, in the text exposition format that
// node_exporter's textfile collector reads (`sync --metrics-file`) and that
// `status --prometheus` prints.

#include <nlohmann/json.hpp>
#include <string>

#include "scoringjobs/status.hpp"

namespace scoringjobs::cli {

/// Every scoringjobs_* metric, each with # HELP and # TYPE. `last_run` is a run
/// as JSON (a SyncReport's, or a SyncRun's from the history: both carry
/// startedAt, outcome, exitCode, durationMs, requests, pushed and pulled);
/// null when there is none, and then no scoringjobs_last_run_* metric is written.
/// The outcome is copied into a label as it is, whatever its value.
std::string prometheus_text(const StoreStatus& status, const nlohmann::json& last_run);

}  // namespace scoringjobs::cli
