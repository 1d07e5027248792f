#include "drain_bench.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "dataset.hpp"
#include "process.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/remote.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"

namespace scoringjobs::bench {
namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

RemoteConfig config_for(AppSyncProcess& server) {
  RemoteConfig config;
  config.api_url = server.url();
  config.api_key = server.api_key();
  return config;
}

}  // namespace

std::string label(std::int64_t n) {
  if (n >= 1000 && n % 1000 == 0) return std::to_string(n / 1000) + "k";
  return std::to_string(n);
}

Drain drain_ours(AppSyncProcess& server, const std::filesystem::path& queue, const std::filesystem::path& run,
                 std::size_t batch, StoreOptions::Durability durability, std::size_t max_in_flight) {
  copy_store(queue, run);
  Drain d;
  {
    auto store = Store::open(run, {.durability = durability});
    RemoteClient client(config_for(server));
    SyncOptions options;
    options.pull = false;
    options.batch_size = batch;
    options.max_in_flight = max_in_flight;
    options.deadline = std::chrono::hours(2);
    const auto started = Clock::now();
    const auto report = sync(store, client, options);
    d.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    d.requests = report.requests;
    d.queued = report.queued_at_start;
    d.sent = report.pushed;
    d.throttled = report.throttled;
    d.peak_in_flight = report.peak_in_flight;
    if (report.outcome != SyncOutcome::Done || report.still_queued != 0) {
      throw std::runtime_error("sync did not drain the queue: " + nlohmann::json(report).dump());
    }
  }
  remove_store(run);
  return d;
}

namespace {

json update_input(const OutboxEntry& entry) {
  json input = entry.fields;
  input.erase("createdAt");
  if (entry.model != Model::ScoringJob) input.erase("updatedAt");  // only UpdateScoringJobInput has it
  input["id"] = entry.record_id;
  return input;
}

json create_input_of(const OutboxEntry& entry) {
  switch (entry.model) {
    case Model::ScoringJob: return create_input(ScoringJob::from_dict(entry.fields));
    case Model::BatchJob: return create_input(BatchJob::from_dict(entry.fields));
    case Model::BatchJobScoringJob: return create_input(BatchJobScoringJob::from_dict(entry.fields));
  }
  return nullptr;
}

/// The baseline: what the Python client (and Amplify DataStore) do, one
/// mutation per HTTP request, every queued entry sent as it is, in order, no
/// coalescing. It reads the queue but writes nothing locally.
Drain drain_baseline(AppSyncProcess& server, const std::filesystem::path& queue, const std::filesystem::path& run) {
  copy_store(queue, run);
  Drain d;
  {
    auto store = Store::open(run);
    RemoteClient client(config_for(server));
    d.queued = outbox::pending_count(store);
    std::int64_t failed = 0;
    const auto started = Clock::now();
    std::int64_t after = 0;
    for (;;) {
      const auto page = outbox::list(store, 1000, after);
      if (page.empty()) break;
      for (const auto& entry : page) {
        after = entry.seq;
        MutationBatch one;
        if (entry.operation == Operation::Create) {
          one.add_create(entry.model, create_input_of(entry));
        } else {
          one.add_update(entry.model, update_input(entry));
        }
        const auto results = client.run(one);
        if (results.size() == 1 && results.front().ok()) {
          ++d.sent;
        } else {
          ++failed;
        }
      }
    }
    d.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    d.requests = static_cast<std::int64_t>(client.requests_made());
    if (failed) throw std::runtime_error("the baseline drain had " + std::to_string(failed) + " failed mutations");
  }
  remove_store(run);
  return d;
}

void log_drain(const char* who, std::size_t batch, int latency_ms, const Drain& d) {
  std::fprintf(stderr, "bench: drain %-8s batch %2zu, %2d ms: %6lld entries, %6lld requests, %7.2f s (%.2f ms/entry)\n",
               who, batch, latency_ms, static_cast<long long>(d.queued), static_cast<long long>(d.requests), d.seconds,
               d.ms_per_entry());
}

struct Rss {
  double mib = 0;
  double maxrss_mib = 0;
  double seconds = 0;
  std::int64_t pushed = 0;
};

/// Drains `queue` in the drain child and reads its peak RSS from wait4.
Rss drain_in_child(const Options& options, AppSyncProcess& server, const std::filesystem::path& queue,
                   const std::filesystem::path& run) {
  copy_store(queue, run);
  const auto result =
      run_child({options.drain_child, run.string(), server.url(), server.api_key(), "25", "normal"}, true);
  remove_store(run);
  if (result.exit_code != 0) throw std::runtime_error("the drain child failed: " + result.out);
  const auto report = json::parse(result.out);
  Rss rss;
  // The child's own VmHWM, read just before it exits. Not ru_maxrss: posix_spawn
  // shares the parent's memory until exec, and Linux carries that peak into the
  // child's ru_maxrss.
  rss.mib = report.at("vmHwmKiB").get<double>() / 1024.0;
  rss.maxrss_mib = static_cast<double>(result.usage.ru_maxrss) / 1024.0;
  rss.seconds = report.at("seconds").get<double>();
  rss.pushed = report.at("pushed").get<std::int64_t>();
  return rss;
}

}  // namespace

/// A queue template, kept in the cache directory between runs: it is only
/// copied, never drained itself. The name carries the schema version and the
/// generator's version, so a change of either makes a new one.
std::pair<std::filesystem::path, std::int64_t> cached_queue(const Options& options, std::int64_t entries,
                                                            const std::string& tag) {
  std::filesystem::create_directories(options.cache);
  const auto path = options.cache / ("queue-" + std::to_string(entries) + tag + "-s" +
                                     std::to_string(Store::latest_schema_version()) + "-q1.db");
  if (!std::filesystem::exists(path)) {
    const auto started = Clock::now();
    auto building = path;
    building += ".building";
    const auto queued = make_queue(building, entries);
    std::filesystem::rename(building, path);
    std::fprintf(stderr, "bench: queued %lld mixed mutations in %.1f s (kept in %s)\n", static_cast<long long>(queued),
                 std::chrono::duration<double>(Clock::now() - started).count(), options.cache.c_str());
    return {path, queued};
  }
  auto store = Store::open(path, {.durability = StoreOptions::Durability::Normal});
  return {path, outbox::pending_count(store)};
}

namespace {

// Figure 4, requests per queued mutation (at 0 ms): ours at `batch` against one request per entry.
Figure requests_figure(std::size_t batch, const std::string& queue, const Drain& ours, const Drain& base) {
  Figure f;
  f.name = "4 HTTP requests per queued mutation, batch " + std::to_string(batch);
  f.name += " (" + queue + " queued, 0 ms)";
  f.unit = "req/mut";
  f.value = ours.requests_per_entry();
  f.baseline = base.requests_per_entry();
  f.ratio = f.value / f.baseline;
  if (batch == 25) {
    f.target = 1.0 / 20;
    f.target_of = "value";
    f.note =
        "queued mutations = outbox entries at the start (creates, updates, batch_scoring_job links and "
        "batch updates); baseline = one request per entry; ours coalesces a record's entries and sends "
        "up to 25 mutations per request";
  }
  return f;
}

// Figure 4, drain time per queued mutation: ours at `batch` and `latency` against one request per entry.
Figure speedup_figure(std::size_t batch, int latency, const std::string& queue, const std::string& base_queue,
                      const Drain& ours, const Drain& base) {
  Figure f;
  f.name = "4 drain speedup vs one mutation per request, batch " + std::to_string(batch);
  f.name += ", " + std::to_string(latency) + " ms";
  f.name += " (" + queue + " queued, baseline " + base_queue + ")";
  f.unit = "ms/mut";
  f.value = ours.ms_per_entry();
  f.baseline = base.ms_per_entry();
  f.ratio = f.baseline / f.value;
  return f;
}

// What the headline speedup figure compares.
std::string speedup_note(bool quick, std::int64_t sample) {
  return "drain time per queued mutation; ratio = baseline / ours (a speedup); synchronous=FULL as the CLI "
         "opens the store; the baselines at 50 ms" +
         std::string(quick ? " (quick: also at 0 ms)" : "") + " and the batch-1 drains run on a " + label(sample) +
         "-entry queue made the same way";
}

}  // namespace

// One table of drains, latency by batch size, read top to bottom; splitting it
// would scatter the pairs each figure compares.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
std::vector<Figure> run_drain_figures(const Options& options, AppSyncProcess& server) {
  const std::int64_t n = options.quick ? 1'000 : 10'000;
  // One mutation per request at 50 ms takes n x 50 ms (500 s for 10k), so the
  // baselines and the batch-1 drains run on a smaller queue made the same way
  // (in --quick at 0 ms too) and every drain is compared per queued entry.
  const std::int64_t sample = options.quick ? 100 : 2'000;
  const std::int64_t rss_n = options.quick ? 20'000 : 100'000;
  const auto [queue_n, queued_n] = cached_queue(options, n);
  const auto [queue_sample, queued_sample] = cached_queue(options, sample);
  const auto run = options.work / "drain.db";

  // Warm up: Node compiles its hot paths during the first requests; no timed
  // drain should pay for that.
  server.reset();
  drain_baseline(server, queue_sample, run);
  server.reset();
  drain_ours(server, queue_sample, run, 25, StoreOptions::Durability::Normal);

  const auto full = StoreOptions::Durability::Full;
  std::vector<Figure> figures;
  Drain base_at_50;
  const std::string mode = options.quick ? "quick, " : "";
  for (const int latency : {0, 50}) {
    const bool slow = latency > 0;
    server.reset();
    server.set_latency(std::chrono::milliseconds(latency));
    const bool base_small = slow || options.quick;
    const auto base = drain_baseline(server, base_small ? queue_sample : queue_n, run);
    log_drain("baseline", 1, latency, base);
    if (slow) base_at_50 = base;
    for (const std::size_t batch : {std::size_t{1}, std::size_t{10}, std::size_t{25}}) {
      server.reset();
      server.set_latency(std::chrono::milliseconds(latency));
      const bool small = batch == 1 && base_small;
      const auto ours = drain_ours(server, small ? queue_sample : queue_n, run, batch, full);
      log_drain("ours", batch, latency, ours);
      const std::size_t logged = server.requests_logged();
      if (static_cast<std::int64_t>(logged) != ours.requests) {
        std::fprintf(stderr, "bench: warning: the server logged %zu requests, the client counted %lld\n", logged,
                     static_cast<long long>(ours.requests));
      }
      const std::string queue_label = mode + label(small ? queued_sample : queued_n);
      const std::string base_label = label(base_small ? queued_sample : queued_n);
      if (latency == 0) figures.push_back(requests_figure(batch, queue_label, ours, base));
      Figure f = speedup_figure(batch, latency, queue_label, base_label, ours, base);
      if (batch == 25 && latency == 50) {
        f.target = 10;
        f.target_op = ">=";
        f.note = speedup_note(options.quick, queued_sample);
      }
      figures.push_back(std::move(f));
    }
  }
  {
    // What the confirmations' fsyncs cost: the same drain with synchronous=NORMAL.
    server.reset();
    server.set_latency(std::chrono::milliseconds(50));
    const auto ours = drain_ours(server, queue_n, run, 25, StoreOptions::Durability::Normal);
    log_drain("normal", 25, 50, ours);
    const auto& base = base_at_50;
    Figure f;
    f.name = "4 drain speedup, batch 25, 50 ms, synchronous=NORMAL (" + mode + label(queued_n) + " queued, info)";
    f.unit = "ms/mut";
    f.value = ours.ms_per_entry();
    f.baseline = base.ms_per_entry();
    f.ratio = f.baseline / f.value;
    figures.push_back(std::move(f));
  }
  server.reset();

  // --- figure 5: peak RSS of a large drain, in a child process ---
  {
    const auto [queue_rss, queued_rss] = cached_queue(options, rss_n);
    const auto small = drain_in_child(options, server, queue_n, run);
    server.reset();
    const auto big = drain_in_child(options, server, queue_rss, run);
    server.reset();
    std::fprintf(stderr, "bench: drain child: %lld pushed in %.1f s, peak RSS (VmHWM) %.1f MiB (ru_maxrss %.1f MiB)\n",
                 static_cast<long long>(big.pushed), big.seconds, big.mib, big.maxrss_mib);
    Figure f;
    f.name = "5 peak RSS draining " + label(queued_rss) + " queued mutations (" + (options.quick ? "quick, " : "") +
             "batch 25)";
    f.unit = "MiB";
    f.value = big.mib;
    f.baseline = small.mib;
    f.ratio = big.mib / small.mib;
    f.target = 64;
    f.target_of = "value";
    f.note =
        "VmHWM of a child process that only opens the store and runs sync() (push, 0 ms, "
        "synchronous=NORMAL: fsync does not change memory); baseline = the same child draining " +
        label(queued_n) + " entries, so ratio ~1 means it streams";
    figures.push_back(std::move(f));
  }
  return figures;
}

}  // namespace scoringjobs::bench
