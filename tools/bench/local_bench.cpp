#include "local_bench.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <stdexcept>
#include <string_view>

#include "dataset.hpp"
#include "raw_store.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"

namespace scoringjobs::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kKeys = 4096;  // a power of two: keys are cycled with a mask

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::string size_label(std::int64_t n) {
  if (n >= 1'000'000 && n % 1'000'000 == 0) return std::to_string(n / 1'000'000) + "M";
  if (n >= 1000 && n % 1000 == 0) return std::to_string(n / 1000) + "k";
  return std::to_string(n);
}

/// One lookup store opened twice: by the library and by the raw baseline.
struct LookupSet {
  std::int64_t jobs;
  std::string label;
  std::filesystem::path path;
  std::unique_ptr<Store> ours;
  std::unique_ptr<RawStore> raw;        // SQLite's defaults: how raw SQLite scales
  std::unique_ptr<RawStore> raw_alike;  // the store's page cache too: what our own code costs
  LookupKeys keys;
};

/// Write stores for the create pairs, one per side and durability.
struct CreateSet {
  std::unique_ptr<Store> ours;
  std::unique_ptr<RawStore> raw;
};

std::vector<std::string> item_inputs() {
  std::vector<std::string> items;
  for (std::size_t i = 0; i < kKeys; ++i) items.push_back("bench-item-" + std::to_string(i));
  return items;
}

enum class Timing {
  Cpu,   // this thread's CPU time: lookups (other processes' load disturbs it least)
  Wall,  // elapsed time: writes, which wait for the disk
};

std::int64_t now_ns(Timing timing) {
  if (timing == Timing::Wall) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
  }
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

/// Two operations measured against each other: each benchmark iteration runs
/// a block of `a` and a block of `b` back to back (the order alternating), so
/// both sides see the same machine at the same moment; the figure compares the
/// medians of their per-block costs. Google Benchmark decides how many blocks
/// fit in the minimum time.
struct Pair {
  std::string name;
  std::function<void(std::size_t key)> a, b;  // one operation on key index `key`
  std::size_t ops_per_block = 1;
  Timing timing = Timing::Cpu;
  double min_time = 0.1;
  std::vector<double> a_ns, b_ns;  // per operation, one sample per block

  void run(benchmark::State& state) {
    std::size_t key = 0;
    bool a_first = true;
    auto block = [&](const std::function<void(std::size_t)>& op, std::vector<double>& samples, std::size_t from) {
      const auto start = now_ns(timing);
      for (std::size_t i = 0; i < ops_per_block; ++i) op(from + i);
      samples.push_back(static_cast<double>(now_ns(timing) - start) / static_cast<double>(ops_per_block));
    };
    for (auto _ : state) {
      if (a_first) {
        block(a, a_ns, key);
        block(b, b_ns, key);
      } else {
        block(b, b_ns, key);
        block(a, a_ns, key);
      }
      a_first = !a_first;
      key += ops_per_block;
    }
  }
};

/// Prints one line per finished benchmark on stderr, nothing else.
class ProgressReporter : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      std::fprintf(stderr, "bench:   %-40s %8lld blocks%s\n", run.run_name.function_name.c_str(),
                   static_cast<long long>(run.iterations), run.error_occurred ? " (failed)" : "");
    }
  }
};

// Checks that the raw create writes the same outbox text shape as the store:
// the same keys with the same kinds of values.
void check_create_equivalence(Store& ours, RawStore& raw) {
  ScoringJob::create(ours, "account-check", "scorecard-check", "item-check");
  raw.create({"account-check", "scorecard-check", "item-check"});
  auto newest_fields = [](sqlite3* db) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT fields FROM outbox ORDER BY seq DESC LIMIT 1", -1, &s, nullptr);
    std::string text;
    if (sqlite3_step(s) == SQLITE_ROW) text = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return nlohmann::json::parse(text);
  };
  RawDb ours_view(ours.path().string(), RawDb::Sync::Normal);
  const auto a = newest_fields(ours_view.get());
  const auto b = newest_fields(raw.db().get());
  bool same = a.size() == b.size();
  for (const auto& [key, value] : a.items()) {
    same = same && b.contains(key) && b[key].type() == value.type();
    if (same && value.is_string() && key != "id" && key != "createdAt" && key != "updatedAt") {
      same = b[key] == value;
    }
  }
  if (!same) throw std::runtime_error("raw create writes " + b.dump() + " where the store writes " + a.dump());
}

// The store's page cache (StoreOptions::cache_kib) on a raw connection.
void use_store_page_cache(RawDb& db) {
  db.exec(("PRAGMA cache_size = " + std::to_string(-StoreOptions{}.cache_kib)).c_str());
}

// Figure 3 with the library's fixture import: one document of N jobs in
// batches of 20 (N jobs + N/20 batches + N join rows), imported whole.
Figure bulk_import_figure(const Options& options) {
  const std::int64_t jobs = options.quick ? 5'000 : 100'000;
  const auto document = make_fixture_document(jobs);
  double best_ours = 0, best_raw = 0;
  std::int64_t records = 0;
  const auto path = options.work / "bulk.db";
  for (int round = 0; round < 2; ++round) {
    for (const bool ours_turn : {round % 2 == 0, round % 2 != 0}) {
      remove_store(path);
      auto store = std::optional(Store::open(path, {.durability = StoreOptions::Durability::Normal}));
      if (!ours_turn) store.reset();  // the schema stays; the raw side opens its own connection
      if (ours_turn) {
        const auto started = Clock::now();
        const auto report = fixtures::import_records(*store, document);
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        records = report.scoring_jobs.written + report.batch_jobs.written + report.links.written;
        best_ours = std::max(best_ours, static_cast<double>(records) / seconds);
      } else {
        RawDb raw(path.string(), RawDb::Sync::Normal);
        // The store's page cache: with SQLite's 2 MB a transaction this large spills pages to the WAL early.
        use_store_page_cache(raw);
        const auto started = Clock::now();
        const auto written = raw_import(raw, document);
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        best_raw = std::max(best_raw, static_cast<double>(written) / seconds);
      }
    }
  }
  remove_store(path);
  Figure f;
  f.name = "3 bulk fixture import rows/s, " + size_label(jobs) + " jobs + batches + links (" + size_label(records) +
           " records), ours vs raw INSERTs";
  f.unit = "rows/s";
  f.value = best_ours;
  f.baseline = best_raw;
  f.ratio = best_raw / best_ours;
  f.target = 1.3;
  f.note =
      "fixtures::import_records (default: as remote state) of a parsed document vs the same rows (record + "
      "remote_state row, each job inserted with its join row's batchId) as plain prepared INSERTs bound from the "
      "same parsed document, both one transaction, synchronous=NORMAL, the store's page cache size; ratio = raw "
      "rows/s / ours (best of 2)";
  return f;
}

using Op = std::function<void(std::size_t)>;

// The parts joined into one string, allocated once.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (const auto part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (const auto part : parts) out += part;
  return out;
}
const char* const kLookups[] = {"get_by_id", "find_by_item_id", "get_batch_job"};

// One lookup by the library, on key index k of the set.
Op ours_lookup(const std::string& op, LookupSet* set) {
  if (op == "get_by_id") {
    return [set](std::size_t k) {
      auto job = ScoringJob::get_by_id(set->keys.job_ids[k & (kKeys - 1)], *set->ours);
      benchmark::DoNotOptimize(job);
    };
  }
  if (op == "find_by_item_id") {
    return [set](std::size_t k) {
      auto job = ScoringJob::find_by_item_id(set->keys.item_ids[k & (kKeys - 1)], *set->ours);
      if (!job) throw std::runtime_error("find_by_item_id found nothing");
      benchmark::DoNotOptimize(job);
    };
  }
  return [set](std::size_t k) {
    auto batch = ScoringJob::get_batch_job(set->keys.job_ids[k & (kKeys - 1)], *set->ours);
    if (!batch) throw std::runtime_error("get_batch_job found nothing");
    benchmark::DoNotOptimize(batch);
  };
}

// The same lookup by the raw baseline: with SQLite's default page cache, or
// (`alike`) with the store's.
Op raw_lookup(const std::string& op, LookupSet* set, bool alike) {
  RawStore* raw = alike ? set->raw_alike.get() : set->raw.get();
  if (op == "get_by_id") {
    return [set, raw](std::size_t k) {
      auto row = raw->get_by_id(set->keys.job_ids[k & (kKeys - 1)]);
      if (!row) throw std::runtime_error("raw get_by_id found nothing");
      benchmark::DoNotOptimize(row);
    };
  }
  if (op == "find_by_item_id") {
    return [set, raw](std::size_t k) {
      auto row = raw->find_by_item_id(set->keys.item_ids[k & (kKeys - 1)]);
      if (!row) throw std::runtime_error("raw find_by_item_id found nothing");
      benchmark::DoNotOptimize(row);
    };
  }
  return [set, raw](std::size_t k) {
    auto row = raw->get_batch_job(set->keys.job_ids[k & (kKeys - 1)]);
    if (!row) throw std::runtime_error("raw get_batch_job found nothing");
    benchmark::DoNotOptimize(row);
  };
}

// Figures 1, 2 and 7 from pairs run interleaved, then figure 3: the stores and
// pairs are set up, every pair runs, and the figures are read from the pairs.
class LocalFigures {
 public:
  explicit LocalFigures(const Options& options) : options_(options), items_(item_inputs()) {}

  std::vector<Figure> run() {
    if (options_.wanted("lookups")) {
      open_lookup_stores();
      warm_lookup_stores();
      add_lookup_pairs();
    }
    if (options_.wanted("creates")) add_create_pairs();
    if (!pairs_.empty()) {
      std::fprintf(stderr, "bench: %zu interleaved pairs\n", pairs_.size());
      ProgressReporter reporter;
      benchmark::RunSpecifiedBenchmarks(&reporter);
      benchmark::ClearRegisteredBenchmarks();
    }
    if (!creates_.empty()) create_figures();
    if (!lookups_.empty()) lookup_figures();
    if (!creates_.empty()) commit_figures();
    pairs_.clear();
    lookups_.clear();
    creates_.clear();
    if (options_.wanted("bulk")) figures_.push_back(bulk_import_figure(options_));
    return std::move(figures_);
  }

 private:
  Pair* add(std::string name, Op a, Op b, std::size_t ops_per_block, Timing timing, double min_time) {
    auto pair = std::make_unique<Pair>();
    pair->name = std::move(name);
    pair->a = std::move(a);
    pair->b = std::move(b);
    pair->ops_per_block = ops_per_block;
    pair->timing = timing;
    pair->min_time = min_time;
    Pair* p = pair.get();
    benchmark::RegisterBenchmark(p->name.c_str(), [p](benchmark::State& state) { p->run(state); })
        ->MinTime(min_time)
        ->UseRealTime();  // min_time in wall seconds; the pair keeps its own per-side times
    pairs_.push_back(std::move(pair));
    return p;
  }

  Pair& result(const std::string& name) {
    for (auto& p : pairs_) {
      if (p->name == name) return *p;
    }
    throw std::runtime_error("no pair " + name);
  }

  // The lookup stores: 10k and the big one (and 100k when not quick).
  void open_lookup_stores() {
    std::vector<std::int64_t> sizes = {10'000, options_.quick ? 200'000 : 1'000'000};
    if (!options_.quick) sizes.insert(sizes.begin() + 1, 100'000);
    std::filesystem::create_directories(options_.cache);
    for (const auto n : sizes) {
      auto set = std::make_unique<LookupSet>();
      set->jobs = n;
      set->label = size_label(n);
      // Built once and kept: the stores are only read, and building 1M jobs takes a while.
      set->path = options_.cache / ("lookup-" + set->label + "-v1.db");
      if (!std::filesystem::exists(set->path)) {
        const auto started = Clock::now();
        auto building = set->path;
        building += ".building";
        build_lookup_store(building, n);
        std::filesystem::rename(building, set->path);
        std::fprintf(stderr, "bench: built the %s-job lookup store in %.1f s (kept in %s)\n", set->label.c_str(),
                     std::chrono::duration<double>(Clock::now() - started).count(), options_.cache.c_str());
      }
      set->ours = std::make_unique<Store>(Store::open(set->path, {.durability = StoreOptions::Durability::Normal}));
      set->raw = std::make_unique<RawStore>(set->path.string(), RawDb::Sync::Normal);
      set->raw_alike = std::make_unique<RawStore>(set->path.string(), RawDb::Sync::Normal);
      use_store_page_cache(set->raw_alike->db());
      set->raw_alike->db().exec(("PRAGMA mmap_size = " + std::to_string(StoreOptions{}.mmap_bytes)).c_str());
      set->keys = sample_lookup_keys(n, kKeys);
      lookups_.push_back(std::move(set));
    }
  }

  // Warm caches for both sides before anything is timed: every key of every
  // lookup once, ours and raw, on every store. Otherwise the first pair run
  // on a store whose file is not in the OS page cache yet (a freshly built
  // or copied 1M-job store is 1.1 GB) pays its disk reads alone.
  void warm_lookup_stores() {
    const auto started = Clock::now();
    for (auto& set : lookups_) {
      for (const std::string op : kLookups) {
        const auto ours = ours_lookup(op, set.get());
        const auto raw = raw_lookup(op, set.get(), false);
        const auto raw_alike = raw_lookup(op, set.get(), true);
        for (std::size_t k = 0; k < kKeys; ++k) {
          ours(k);
          raw(k);
          raw_alike(k);
        }
      }
    }
    std::fprintf(stderr, "bench: warmed the lookup stores in %.1f s\n",
                 std::chrono::duration<double>(Clock::now() - started).count());
  }

  void add_lookup_pairs() {
    constexpr std::size_t kBlock = 16;
    LookupSet* small = lookups_.front().get();
    for (const std::string op : kLookups) {
      add(cat({op, "_ours_vs_raw_", small->label}), ours_lookup(op, small), raw_lookup(op, small, true), kBlock,
          Timing::Cpu, options_.min_time);
      for (std::size_t i = 1; i < lookups_.size(); ++i) {
        LookupSet* big = lookups_[i].get();
        add(cat({op, "_ours_", big->label, "_vs_", small->label}), ours_lookup(op, big), ours_lookup(op, small), kBlock,
            Timing::Cpu, options_.min_time);
      }
      LookupSet* biggest = lookups_.back().get();
      add(cat({op, "_raw_", biggest->label, "_vs_", small->label}), raw_lookup(op, biggest, false),
          raw_lookup(op, small, false), kBlock, Timing::Cpu, options_.min_time);
      add(cat({op, "_raw_alike_", biggest->label, "_vs_", small->label}), raw_lookup(op, biggest, true),
          raw_lookup(op, small, true), kBlock, Timing::Cpu, options_.min_time);
    }
  }

  // A write store per side and durability.
  void add_create_pairs() {
    for (const bool full : {false, true}) {
      const std::string tag = full ? "full" : "normal";
      const auto durability = full ? StoreOptions::Durability::Full : StoreOptions::Durability::Normal;
      const auto ours_path = options_.work / ("create-ours-" + tag + ".db");
      const auto raw_path = options_.work / ("create-raw-" + tag + ".db");
      remove_store(ours_path);
      remove_store(raw_path);
      { Store::open(raw_path); }  // the schema, by the library's migrations
      CreateSet set;
      set.ours = std::make_unique<Store>(Store::open(ours_path, {.durability = durability}));
      set.raw = std::make_unique<RawStore>(raw_path.string(), full ? RawDb::Sync::Full : RawDb::Sync::Normal);
      if (!full) check_create_equivalence(*set.ours, *set.raw);
      creates_.emplace(tag, std::move(set));
    }
    for (auto& [tag, set] : creates_) {
      Store* ours = set.ours.get();
      RawStore* raw = set.raw.get();
      const auto& items = items_;
      // A FULL commit waits for fsync (milliseconds): one per block, and more time.
      const bool full = tag == "full";
      add(
          "create_ours_vs_raw_" + tag,
          [ours, &items](std::size_t k) {
            auto job = ScoringJob::create(*ours, "account-000001", "scorecard-000001", items[k & (kKeys - 1)]);
            benchmark::DoNotOptimize(job);
          },
          [raw, &items](std::size_t k) {
            raw->create({"account-000001", "scorecard-000001", items[k & (kKeys - 1)]});
          },
          full ? 1 : 4, Timing::Wall, full ? 3 * options_.min_time : options_.min_time);
    }
  }

  // A figure from the medians of a pair's two sides.
  void figure(const std::string& name, const std::string& pair_name, std::optional<double> target,
              std::string note = {}) {
    const auto& p = result(pair_name);
    Figure f;
    f.name = name;
    f.unit = "ns/op";
    f.value = median(p.a_ns);
    f.baseline = median(p.b_ns);
    f.ratio = f.value / f.baseline;
    f.target = target;
    f.note = std::move(note);
    figures_.push_back(std::move(f));
  }

  void create_figures() {
    figure("1 create job+outbox ours/raw (synchronous=NORMAL)", "create_ours_vs_raw_normal", 1.3,
           "one BEGIN IMMEDIATE transaction: INSERT scoring_job (16 columns) + INSERT outbox (wire JSON); WAL, "
           "foreign_keys=ON; NORMAL so that fsync does not hide our overhead; wall time, blocks of 4 creates "
           "alternating with the raw side");
    figure("1 create job+outbox ours/raw (synchronous=FULL, info)", "create_ours_vs_raw_full", std::nullopt);
  }

  void lookup_figures() {
    const std::string s = lookups_.front()->label;
    for (const std::string op : kLookups) {
      figure(cat({"1 ", op, " ours/raw (", s, " jobs)"}), cat({op, "_ours_vs_raw_", s}), op == "get_by_id" ? 1.15 : 1.3,
             op == "get_by_id" ? "lookups: CPU time of this thread per call (blocks of 16 random existing keys, "
                                 "alternating with the other side), medians of the blocks; the raw side "
                                 "with the store's page cache size"
             : op == "get_batch_job"
                 ? "two statements, as the store: the batchJobId of the job's oldest join row (from the index), then "
                   "its batch"
                 : "");
    }
    const std::string quick = options_.quick ? ", quick: full runs 1M" : "";
    for (std::size_t i = 1; i < lookups_.size(); ++i) {
      const auto& big = lookups_[i]->label;
      const bool headline = i + 1 == lookups_.size();
      for (const std::string op : kLookups) {
        figure(cat({"2 ", op, " latency ", big, "/", s, " jobs (ours", quick, headline ? "" : ", info", ")"}),
               cat({op, "_ours_", big, "_vs_", s}), headline ? std::optional<double>(1.2) : std::nullopt);
      }
    }
    const auto& big = lookups_.back()->label;
    for (const std::string op : kLookups) {
      figure(cat({"2 ", op, " latency ", big, "/", s, " jobs (raw sqlite, its default cache, info)"}),
             cat({op, "_raw_", big, "_vs_", s}), std::nullopt);
    }
    // How SQLite itself scales with the settings the store opens with: the part
    // of ours' figure that the B-trees and the memory decide, not the library.
    for (const std::string op : kLookups) {
      figure(cat({"2 ", op, " latency ", big, "/", s, " jobs (raw sqlite, the store's cache and map, info)"}),
             cat({op, "_raw_alike_", big, "_vs_", s}), std::nullopt);
    }
  }

  // Figure 7: what a FULL commit costs, from the create pairs.
  void commit_figures() {
    const auto& normal = result("create_ours_vs_raw_normal");
    const auto& full = result("create_ours_vs_raw_full");
    for (const bool ours : {true, false}) {
      Figure f;
      f.name =
          std::string("7 commits/s synchronous=FULL vs NORMAL (") + (ours ? "ours" : "raw") + ", create job+outbox)";
      f.unit = "commits/s";
      f.value = 1e9 / median(ours ? full.a_ns : full.b_ns);
      f.baseline = 1e9 / median(ours ? normal.a_ns : normal.b_ns);
      f.ratio = f.value / f.baseline;
      if (ours) {
        f.note =
            "value = FULL, baseline = NORMAL, ratio = FULL/NORMAL throughput; no target (WAL: FULL fsyncs "
            "the WAL on every commit, NORMAL only at checkpoints)";
      }
      figures_.push_back(std::move(f));
    }
  }

  const Options& options_;
  const std::vector<std::string> items_;
  std::vector<std::unique_ptr<Pair>> pairs_;
  std::vector<std::unique_ptr<LookupSet>> lookups_;
  std::map<std::string, CreateSet> creates_;
  std::vector<Figure> figures_;
};

}  // namespace

std::vector<Figure> run_local_figures(const Options& options) { return LocalFigures(options).run(); }

// Kept out of line and external, so a profiler can select each side by name.
__attribute__((noinline)) void profile_ours(const std::function<void(std::size_t)>& op, std::size_t count) {
  for (std::size_t k = 0; k < count; ++k) op(k);
}
__attribute__((noinline)) void profile_raw(const std::function<void(std::size_t)>& op, std::size_t count) {
  for (std::size_t k = 0; k < count; ++k) op(k);
}

void run_profile(const Options& options, const std::string& op, std::size_t count) {
  std::filesystem::create_directories(options.cache);
  const auto path = options.cache / "lookup-10k-v1.db";
  if (!std::filesystem::exists(path)) {
    auto building = path;
    building += ".building";
    build_lookup_store(building, 10'000);
    std::filesystem::rename(building, path);
  }
  const auto keys = sample_lookup_keys(10'000, kKeys);
  const auto items = item_inputs();
  if (op == "import") {  // count = jobs in the document
    const auto document = make_fixture_document(static_cast<std::int64_t>(count));
    const auto ours_path = options.work / "profile-ours.db";
    const auto raw_path = options.work / "profile-raw.db";
    remove_store(ours_path);
    remove_store(raw_path);
    { Store::open(raw_path, {.durability = StoreOptions::Durability::Normal}); }
    auto store = Store::open(ours_path, {.durability = StoreOptions::Durability::Normal});
    RawDb raw(raw_path.string(), RawDb::Sync::Normal);
    profile_ours([&](std::size_t) { fixtures::import_records(store, document); }, 1);
    profile_raw([&](std::size_t) { raw_import(raw, document); }, 1);
    return;
  }
  if (op == "create") {
    const auto ours_path = options.work / "profile-ours.db";
    const auto raw_path = options.work / "profile-raw.db";
    remove_store(ours_path);
    remove_store(raw_path);
    { Store::open(raw_path); }
    auto store = Store::open(ours_path, {.durability = StoreOptions::Durability::Normal});
    RawStore raw(raw_path.string(), RawDb::Sync::Normal);
    profile_ours(
        [&](std::size_t k) { ScoringJob::create(store, "account-000001", "scorecard-000001", items[k & (kKeys - 1)]); },
        count);
    profile_raw(
        [&](std::size_t k) {
          raw.create({"account-000001", "scorecard-000001", items[k & (kKeys - 1)]});
        },
        count);
    return;
  }
  auto store = Store::open(path, {.durability = StoreOptions::Durability::Normal});
  RawStore raw(path.string(), RawDb::Sync::Normal);
  const auto& ids = keys.job_ids;
  const auto& item_ids = keys.item_ids;
  if (op == "get_by_id") {
    profile_ours([&](std::size_t k) { benchmark::DoNotOptimize(ScoringJob::get_by_id(ids[k & (kKeys - 1)], store)); },
                 count);
    profile_raw([&](std::size_t k) { benchmark::DoNotOptimize(raw.get_by_id(ids[k & (kKeys - 1)])); }, count);
  } else if (op == "find_by_item_id") {
    profile_ours(
        [&](std::size_t k) { benchmark::DoNotOptimize(ScoringJob::find_by_item_id(item_ids[k & (kKeys - 1)], store)); },
        count);
    profile_raw([&](std::size_t k) { benchmark::DoNotOptimize(raw.find_by_item_id(item_ids[k & (kKeys - 1)])); },
                count);
  } else if (op == "get_batch_job") {
    profile_ours(
        [&](std::size_t k) { benchmark::DoNotOptimize(ScoringJob::get_batch_job(ids[k & (kKeys - 1)], store)); },
        count);
    profile_raw([&](std::size_t k) { benchmark::DoNotOptimize(raw.get_batch_job(ids[k & (kKeys - 1)])); }, count);
  } else {
    throw std::runtime_error("--profile: unknown operation " + op);
  }
}

}  // namespace scoringjobs::bench
