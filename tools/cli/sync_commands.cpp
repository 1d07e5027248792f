// Commands that talk to the API: `sync` (the cron job) and `pull` (filling a
// store from the API, for fixtures).

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "app.hpp"
#include "remote_options.hpp"
#include "scoringjobs/log.hpp"
#include "scoringjobs/pull_snapshot.hpp"
#include "scoringjobs/remote.hpp"
#include "scoringjobs/sync.hpp"
#include "stop_signals.hpp"
#include "sync_monitoring.hpp"

namespace scoringjobs::cli {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The longest --deadline accepted: a run that needs more is better split over cron runs.
constexpr double kMaxDeadlineSeconds = 24 * 60 * 60;
// The longest --lookback accepted: a job later than this is a case for `pull --since`.
constexpr std::int64_t kMaxLookbackSeconds = 366LL * 24 * 60 * 60;
// Mutations per request; the engine also bounds each request body by bytes.
constexpr std::size_t kMaxBatchSize = 1000;
constexpr std::size_t kMaxInFlight = 64;
// The progress line is redrawn at most this often.
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

std::string seconds_text(double seconds) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(seconds < 10 ? 1 : 0) << seconds << " s";
  return out.str();
}

// The first words of the summary: the outcome, except that a run which
// dead-lettered a change or quarantined a record needs a person whatever else
// happened (exit 65).
std::string summary_head(const SyncReport& r) {
  if (r.exit_code() != static_cast<int>(ExitCode::NeedsAttention) || r.outcome == SyncOutcome::Contract) {
    return std::string(to_string(r.outcome));
  }
  if (r.outcome == SyncOutcome::Done) return "needs attention";
  return "needs attention (" + std::string(to_string(r.outcome)) + ")";
}

// "sync: done — pushed 12 (3 coalesced), pulled 0, 0 conflicts, 0 dead-lettered, 0 queued, 2 requests in 0.3 s"
std::string summary_line(const SyncReport& r) {
  std::ostringstream out;
  out << "sync: " << summary_head(r) << " \u2014 pushed " << r.pushed << " (" << r.coalesced << " coalesced), pulled "
      << r.pulled << ", " << r.conflicts << (r.conflicts == 1 ? " conflict" : " conflicts") << ", " << r.dead_lettered
      << " dead-lettered, " << r.still_queued << " queued";
  if (r.held > 0) out << " (" << r.held << " held by dead letters)";
  if (r.quarantined > 0) out << ", " << r.quarantined << " quarantined";
  if (r.deleted_remotely > 0) out << ", " << r.deleted_remotely << " deleted remotely";
  out << ", " << r.requests << (r.requests == 1 ? " request" : " requests") << " in "
      << seconds_text(static_cast<double>(r.duration.count()) / 1000.0);
  if (!r.error.empty()) out << "; " << excerpt(r.error, 300);
  return out.str();
}

// The progress line on a terminal: "sync: 120/400 queued changes, 35.2/s, ETA 8 s"
// while pushing, "sync: pulling, 350 records read" while pulling; redrawn in
// place on stderr and erased before the summary.
class ProgressLine {
 public:
  ProgressLine() = default;
  ~ProgressLine() { erase(); }  // also when the run throws, so the error line starts clean
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void update(const SyncProgress& progress) {
    const auto now = Clock::now();
    if (drawn_ && now - last_draw_ < kProgressInterval && progress.done < progress.total) return;
    last_draw_ = now;
    std::ostringstream line;
    if (progress.phase == "pull") {
      line << "sync: pulling, " << progress.done << (progress.done == 1 ? " record" : " records") << " read";
    } else {
      const double elapsed = std::chrono::duration<double>(now - start_).count();
      const double rate = elapsed > 0 ? static_cast<double>(progress.done) / elapsed : 0.0;
      line << "sync: " << progress.done << '/' << progress.total << " queued changes, " << std::fixed
           << std::setprecision(1) << rate << "/s";
      if (rate > 0 && progress.total > progress.done) {
        line << ", ETA " << seconds_text(static_cast<double>(progress.total - progress.done) / rate);
      }
    }
    std::cerr << "\r\033[K" << line.str() << std::flush;
    drawn_ = true;
  }
  void erase() noexcept {
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
    drawn_ = false;
  }

 private:
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_draw_{};
  bool drawn_ = false;
};

struct SyncArgs {
  RemoteArgs remote;
  double deadline_seconds = 300;
  bool push_only = false, pull_only = false;
  std::vector<std::string> accounts;
  std::int64_t lookback_seconds = SyncOptions{}.account_pull_lookback.count();
  std::size_t batch_size = SyncOptions{}.batch_size;
  std::size_t max_in_flight = SyncOptions{}.max_in_flight;
  bool retry_now = false, json = false, quiet = false;
  MonitoringArgs monitoring;
};

void report_run(Context& context, Store& store, const SyncArgs& args, const SyncReport& report);

void run_sync(Context& context, const SyncArgs& args) {
  // First: a mistyped --db is the problem to report, not a missing URL.
  auto& store = context.existing_store();
  check_monitoring_args(args.monitoring);
  const auto deadline = std::chrono::milliseconds(std::llround(args.deadline_seconds * 1000));
  // sync() cuts each request's timeout to the time left before the deadline.
  auto client = remote_client(args.remote);

  SyncOptions options;
  options.push = !args.pull_only;
  options.pull = !args.push_only;
  options.accounts = args.accounts;
  options.account_pull_lookback = std::chrono::seconds(args.lookback_seconds);
  options.batch_size = args.batch_size;
  options.max_in_flight = args.max_in_flight;
  options.retry_now = args.retry_now;
  options.deadline = deadline;
  auto progress = std::make_shared<ProgressLine>();
  const bool show_progress = !args.quiet && !args.json && ::isatty(STDERR_FILENO) == 1;
  if (show_progress) {
    options.progress = [progress](const SyncProgress& where) { progress->update(where); };
  }
  const StopOnSignals stop;
  options.stop = &stop.flag();

  // --quiet also silences the engine's warnings (e.g. each dead letter), unless
  // -v or $SCORINGJOBS_LOG asked for more than the default.
  if (args.quiet && log_level() == LogLevel::Warn) set_log_level(LogLevel::Error);
  const auto report = sync(store, client, options);
  progress->erase();
  report_run(context, store, args, report);
}

// Everything after sync() returned: the exit status, the summary (or the JSON
// report), and for the people watching: the metrics file and the alert when
// the API has been out of reach for longer than --alert-after.
void report_run(Context& context, Store& store, const SyncArgs& args, const SyncReport& report) {
  const auto exit_code = static_cast<ExitCode>(report.exit_code());
  context.set_exit_code(exit_code);
  const auto after = after_run(store, args.monitoring, report, context.exit_code());
  // --quiet hides only the outcomes cron should not mail about: done and try-later,
  // but not a try-later that has lasted past --alert-after, nor a server
  // certificate that does not verify (nothing gets through until someone looks).
  const bool routine = exit_code == ExitCode::Ok ||
                       (exit_code == ExitCode::TryLater && !after.alert && report.outcome != SyncOutcome::Untrusted);
  if (args.json) {
    print_json(report);
  } else if (!args.quiet || !routine) {
    std::cerr << summary_line(report) << '\n' << std::flush;
  }
  if (after.alert) std::cerr << *after.alert << '\n' << std::flush;
  if (after.metrics_error) {
    std::cerr << "scoringjobs: error: " << *after.metrics_error << '\n' << std::flush;
    // The run's own verdict stands when it already needs a person; otherwise
    // a monitoring gone blind does.
    if (report.exit_code() == 0 || report.exit_code() == 75) context.set_exit_code(ExitCode::Failure);
  }
}

void add_sync(CLI::App& app, Context& context) {
  auto args = std::make_shared<SyncArgs>();
  auto* cmd = add_command(app, context, "sync", "Push queued changes to the API and pull remote changes back",
                          [&context, args] { run_sync(context, *args); });
  add_remote_options(*cmd, args->remote);
  cmd->add_option("--deadline", args->deadline_seconds,
                  "Stop cleanly between requests after this many seconds (exit 75 with work left)")
      ->check(CLI::Range(0.001, kMaxDeadlineSeconds))
      ->capture_default_str();
  auto* push_only = cmd->add_flag("--push-only", args->push_only, "Only send queued changes");
  auto* pull_only = cmd->add_flag("--pull-only", args->pull_only, "Only fetch remote changes");
  push_only->excludes(pull_only);
  cmd->add_option("--account", args->accounts, "Also fetch this account's scoring jobs (repeatable)")->type_name("ID");
  cmd->add_option("--lookback", args->lookback_seconds,
                  "Start each --account pass this many seconds before the newest createdAt already seen, for jobs "
                  "that reached the API late (0: none)")
      ->check(CLI::Range(std::int64_t{0}, kMaxLookbackSeconds))
      ->type_name("SECONDS")
      ->capture_default_str();
  cmd->add_option("--batch-size", args->batch_size, "Mutations per request")
      ->check(CLI::Range(std::size_t{1}, kMaxBatchSize))
      ->capture_default_str();
  cmd->add_option("--max-in-flight", args->max_in_flight,
                  "Requests in flight at once, at most, push and pull (the window adapts below it; 1: one at a time)")
      ->check(CLI::Range(std::size_t{1}, kMaxInFlight))
      ->type_name("N")
      ->capture_default_str();
  cmd->add_flag("--retry-now", args->retry_now, "Ignore the retry times of entries in backoff");
  cmd->add_flag("--json", args->json, "Print the run's report as one JSON object on stdout");
  cmd->add_flag("--quiet", args->quiet,
                "No summary line and no warnings when the run exits 0 or 75; a run that needs a person (65, 77, 1) "
                "still prints its summary or error on stderr, so cron mails it, and so does a run that exits 75 "
                "when the TLS certificate does not verify or no sync has reached the API for --alert-after");
  add_monitoring_options(*cmd, args->monitoring);
  cmd->footer(
      "Exit status: 0 done; 75 try later (offline, TLS not trusted, throttled, API failing,\n"
      "deadline, entries in backoff, another sync running, stopped by SIGTERM/SIGINT); 77 the API\n"
      "refused the key; 65 a person should look (a change dead-lettered, a remote record\n"
      "quarantined, or the API's schema and this client disagree); 2 invalid usage; 1 unexpected.\n"
      "Only one sync runs per database (lock file <db>.lock beside the database file, symlinks\n"
      "resolved). SIGTERM or Ctrl-C stops the run between requests and prints the summary.\n"
      "The key comes from --api-key-file (mode 0600) or $PLEXUS_API_KEY, never from the command line.");
}

// ---- pull ----

struct PullArgs {
  RemoteArgs remote;
  std::vector<std::string> accounts;
  std::string since;
  CLI::Option* since_option = nullptr;
};

void run_pull(Context& context, const PullArgs& args) {
  PullSnapshotOptions options;
  options.accounts = args.accounts;
  if (auto text = given(args.since_option, args.since)) {
    options.since = Timestamp::try_parse(*text);
    if (!options.since) {
      throw CliError(ExitCode::Usage, "--since is not an RFC 3339 timestamp: \"" + excerpt(*text) + "\"");
    }
  }
  auto client = remote_client(args.remote);
  print_json(pull_snapshot(context.store(), client, options));
}

void add_pull(CLI::App& app, Context& context) {
  auto args = std::make_shared<PullArgs>();
  auto* cmd = add_command(app, context, "pull",
                          "Fill the store from the API: an account's scoring jobs and batches, as remote state",
                          [&context, args] { run_pull(context, *args); });
  add_remote_options(*cmd, args->remote);
  cmd->add_option("--account", args->accounts, "Account id (repeatable)")->required()->type_name("ID");
  args->since_option = cmd->add_option("--since", args->since, "Only records created at or after this RFC 3339 time");
  cmd->footer(
      "Records are stored as the confirmed remote state: nothing is queued for sync. Records with\n"
      "local changes not yet synced are left as they are. Prints {fetched, imported, requests}.");
}

}  // namespace

void add_sync_commands(CLI::App& app, Context& context) {
  add_sync(app, context);
  add_pull(app, context);
}

}  // namespace scoringjobs::cli
