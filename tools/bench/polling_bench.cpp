#include "polling_bench.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "dataset.hpp"
#include "raw_store.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/remote.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"

namespace scoringjobs::bench {
namespace {

using nlohmann::json;

constexpr int kRunsPerHour = 12;   // the package's timer: every 5 minutes
constexpr int kHoursMeasured = 3;  // after the first: whole refresh cycles, however they bunch
constexpr int kSecondsBetweenRuns = 300;

// Unfinished jobs last changed a day ago, as a fleet's idle backlog looks.
json idle_jobs(std::int64_t n) {
  const auto day_ago = Timestamp::from_unix_millis(Timestamp::now().unix_millis() - 86'400'000).wire();
  auto jobs = json::array();
  for (std::int64_t i = 0; i < n; ++i) {
    const auto id = "poll-" + std::to_string(i);
    jobs.push_back({{"id", id},
                    {"accountId", "acct"},
                    {"status", "PENDING"},
                    {"createdAt", day_ago},
                    {"updatedAt", day_ago},
                    {"scorecardId", "card"},
                    {"itemId", "item-" + id},
                    {"metadata", R"({"source":"bench","attempt":1})"}});
  }
  return {{"ScoringJob", std::move(jobs)}};
}

// Moves every time the refresh schedule keeps `seconds` into the past: to the
// next run, exactly as if that much time had passed.
void let_time_pass(const std::filesystem::path& db, int seconds) {
  const auto shift = "'-" + std::to_string(seconds) + " seconds'";
  const auto moved = [&](const char* column) {
    return std::string(column) + " = CASE WHEN " + column + " IS NULL OR " + column + " = '' THEN " + column +
           " ELSE strftime('%Y-%m-%dT%H:%M:%fZ', " + column + ", " + shift + ") END";
  };
  const auto sql = "UPDATE remote_state SET " + moved("nextCheckAt") + ", " + moved("checkedAt") + ", " +
                   moved("changedAt") + ", " + moved("confirmedAt");
  RawDb(db.string(), RawDb::Sync::Normal).exec(sql.c_str());
}

SyncReport run_sync(Store& store, AppSyncProcess& server, const SyncOptions& options) {
  RemoteConfig config;
  config.api_url = server.url();
  config.api_key = server.api_key();
  RemoteClient client(config);
  auto report = sync(store, client, options);
  if (report.outcome != SyncOutcome::Done) throw std::runtime_error("sync did not end done: " + json(report).dump());
  return report;
}

std::int64_t requests_of_run(Store& store, AppSyncProcess& server, std::size_t refresh_budget) {
  SyncOptions options;
  options.refresh_budget = refresh_budget;
  return run_sync(store, server, options).requests;
}

// A store at `db` holding `records` as the API's (every record synced, none queued).
Store store_as_remote(const std::filesystem::path& db, const json& records) {
  auto store = Store::open(db);
  fixtures::ImportOptions as_remote;
  as_remote.as = fixtures::ImportAs::RemoteState;
  fixtures::import_records(store, records, as_remote);
  return store;
}

struct TimedRun {
  double seconds = 0;
  SyncReport report;
};

// One run that reads every record of a fresh store back, `max_in_flight` requests at once.
TimedRun read_everything(const json& records, const std::filesystem::path& db, AppSyncProcess& server,
                         std::size_t max_in_flight) {
  remove_store(db);
  auto store = store_as_remote(db, records);
  SyncOptions options;
  options.refresh_budget = records.at("ScoringJob").size();
  options.max_in_flight = max_in_flight;
  const auto started = std::chrono::steady_clock::now();
  TimedRun run;
  run.report = run_sync(store, server, options);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return run;
}

// Figure 13: the refresh of every unfinished record, in the request window and one request at a time.
Figure refresh_in_window(const Options& options, const json& records, AppSyncProcess& server) {
  constexpr auto kLatency = std::chrono::milliseconds(50);
  server.set_latency(kLatency);
  const auto db = options.work / "refresh.db";
  const auto one = read_everything(records, db, server, 1);
  const auto many = read_everything(records, db, server, SyncOptions{}.max_in_flight);
  remove_store(db);
  server.set_latency(std::chrono::milliseconds(0));
  const auto jobs = static_cast<double>(records.at("ScoringJob").size());
  std::fprintf(
      stderr, "bench: refresh at %lld ms: one at a time %.2f s (%lld requests), window %.2f s (%lld, peak %lld)\n",
      static_cast<long long>(kLatency.count()), one.seconds, static_cast<long long>(one.report.requests), many.seconds,
      static_cast<long long>(many.report.requests), static_cast<long long>(many.report.peak_in_flight));
  Figure f;
  f.name = "13 refresh of " + std::to_string(records.at("ScoringJob").size() / 1000) + "k unfinished records, " +
           std::to_string(kLatency.count()) + " ms: request window vs one request at a time";
  f.unit = "ms/record";
  f.value = many.seconds * 1000 / jobs;
  f.baseline = one.seconds * 1000 / jobs;
  f.ratio = f.baseline / f.value;  // a speedup, reported without a target
  f.note = "one sync run reading every record back (refresh budget = all), max_in_flight 1 vs the default " +
           std::to_string(SyncOptions{}.max_in_flight) + " (peak " + std::to_string(many.report.peak_in_flight) +
           "); the same requests both ways (" + std::to_string(many.report.requests) + " and " +
           std::to_string(one.report.requests) + ")";
  return f;
}

}  // namespace

std::vector<Figure> run_polling_figures(const Options& options, AppSyncProcess& server) {
  const std::int64_t jobs = options.quick ? 1000 : 5000;
  std::fprintf(stderr, "bench: polling, %lld unfinished jobs unchanged remotely\n", static_cast<long long>(jobs));
  server.reset();
  server.set_latency(std::chrono::milliseconds(0));
  const auto records = idle_jobs(jobs);
  server.load(records);
  const auto db = options.work / "polling.db";
  std::filesystem::remove(db);
  std::int64_t every_record = 0, steady = 0;
  {
    auto store = store_as_remote(db, records);
    // The first run reads every record (no per-run budget): what every run did
    // before refreshes were scheduled per record.
    every_record = requests_of_run(store, server, static_cast<std::size_t>(jobs));
    // Then runs 5 minutes apart: an hour to settle (the records read together
    // above fall due together once), and the next hours measured.
    for (int run = 0; run < (1 + kHoursMeasured) * kRunsPerHour; ++run) {
      let_time_pass(db, kSecondsBetweenRuns);
      const auto requests = requests_of_run(store, server, SyncOptions{}.refresh_budget);
      if (run >= kRunsPerHour) steady += requests;
    }
  }
  remove_store(db);

  Figure f;
  const auto label = std::to_string(jobs / 1000) + "k";
  f.name = "8 requests per idle run, " + label + " unfinished unchanged (every 5 min) / reading all";
  f.value = static_cast<double>(steady) / (kHoursMeasured * kRunsPerHour);
  f.unit = "requests";
  f.baseline = static_cast<double>(every_record);
  f.ratio = f.baseline > 0 ? f.value / f.baseline : 0;
  f.target = 0.1;
  f.note = std::to_string(steady) + " requests in " + std::to_string(kHoursMeasured * kRunsPerHour) +
           " runs after the first hour; one run reading all " + std::to_string(every_record) +
           " (before reads were sized by bytes: " + std::to_string((jobs + 49) / 50) + ")";
  return {f, refresh_in_window(options, records, server)};
}

}  // namespace scoringjobs::bench
