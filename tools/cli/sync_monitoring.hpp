#pragma once
// What `sync` does for the people watching a fleet, once a run has ended:
// --metrics-file (node_exporter's textfile collector format, written after
// every run) and --alert-after (a run that exits 75 speaks up, even with
// --quiet, once no run has reached the API for that long).

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "app.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"

namespace scoringjobs::cli {

struct MonitoringArgs {
  std::string metrics_file;
  std::string alert_after = "24h";
};

/// Registers --metrics-file and --alert-after on `sync`.
void add_monitoring_options(CLI::App& sync_command, MonitoringArgs& args);

/// Before the run: refuses (CliError{Usage}) an --alert-after that is not a
/// duration and a --metrics-file in a directory that does not exist.
void check_monitoring_args(const MonitoringArgs& args);

struct AfterRun {
  std::optional<std::string> alert;          // why cron must hear about this run; set only for exit 75
  std::optional<std::string> metrics_error;  // the metrics file could not be written
};

/// After the run: writes the metrics file (when asked) with `exit_code` as the
/// last run's exit status, and decides the alert. The run's outcome is read
/// from its report's JSON as a string, so outcomes this file does not know
/// flow through. Throws Error when the store cannot be read.
AfterRun after_run(Store& store, const MonitoringArgs& args, const SyncReport& report, ExitCode exit_code);

}  // namespace scoringjobs::cli
