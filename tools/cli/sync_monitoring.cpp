#include "sync_monitoring.hpp"

#include <filesystem>

#include "durations.hpp"
#include "files.hpp"
#include "metrics.hpp"
#include "scoringjobs/status.hpp"

namespace scoringjobs::cli {
namespace {

using nlohmann::json;

std::chrono::milliseconds between(const Timestamp& from, const Timestamp& to) {
  return std::chrono::milliseconds(to.unix_millis() - from.unix_millis());
}

// Why a run that exits 75 must be heard: nothing has reached the API (got an
// HTTP response from it) for --alert-after; measured from the first recorded
// run when none ever has.
std::optional<std::string> overdue(const StoreStatus& status, const MonitoringArgs& args, const Timestamp& now) {
  const auto& since = status.last_reached_api_at ? status.last_reached_api_at : status.first_run_at;
  if (!since) return std::nullopt;
  const auto age = between(*since, now);
  if (age < parse_duration("--alert-after", args.alert_after)) return std::nullopt;
  const std::string over = ", longer than --alert-after " + args.alert_after +
                           ". Queued changes stay queued; `scoringjobs status` shows them.";
  if (status.last_reached_api_at) {
    return "sync: no run has reached the API for " + age_text(age) + " (the last that did ended " + since->wire() +
           ")" + over;
  }
  return "sync: no run has reached the API since the first recorded run, " + age_text(age) + " ago (" + since->wire() +
         ")" + over;
}

}  // namespace

void add_monitoring_options(CLI::App& sync_command, MonitoringArgs& args) {
  sync_command
      .add_option("--metrics-file", args.metrics_file,
                  "After every run (also offline or locked), write the scoringjobs_* metrics to this file in "
                  "Prometheus' text format, for node_exporter's textfile collector (replaced atomically)")
      ->type_name("PATH");
  sync_command
      .add_option("--alert-after", args.alert_after,
                  "A run that exits 75 prints its summary and why, even with --quiet, once no run has reached the "
                  "API for this long (e.g. 30m, 24h, 2d)")
      ->type_name("DURATION")
      ->capture_default_str();
}

void check_monitoring_args(const MonitoringArgs& args) {
  (void)parse_duration("--alert-after", args.alert_after);
  if (args.metrics_file.empty()) return;
  const std::filesystem::path file(args.metrics_file);
  const auto dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error) || file.filename().empty()) {
    throw CliError(ExitCode::Usage, "--metrics-file \"" + excerpt(args.metrics_file, 200) +
                                        "\": no such directory, or no file name (the directory must exist)");
  }
}

AfterRun after_run(Store& store, const MonitoringArgs& args, const SyncReport& report, ExitCode exit_code) {
  AfterRun after;
  const bool try_later = exit_code == ExitCode::TryLater;
  if (args.metrics_file.empty() && !try_later) return after;
  const auto now = Timestamp::now();
  auto status = store_status(store, 0);
  if (try_later) after.alert = overdue(status, args, now);
  if (args.metrics_file.empty()) return after;

  json last_run = report;
  last_run["exitCode"] = static_cast<int>(exit_code);
  // A run with nothing to do is not recorded in the history, but it did end done.
  if (last_run["outcome"] == "done") {
    const auto ended = Timestamp::from_unix_millis(report.started_at.unix_millis() + report.duration.count());
    if (!status.last_done_at || *status.last_done_at < ended) status.last_done_at = ended;
  }
  try {
    using std::filesystem::perms;
    // Readable by the collector, which runs as another user; it holds no secret.
    write_file_atomically(args.metrics_file, prometheus_text(status, last_run),
                          perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
  } catch (const CliError& e) {
    after.metrics_error = std::string("--metrics-file: ") + e.what();
  }
  return after;
}

}  // namespace scoringjobs::cli
