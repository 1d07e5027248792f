// detail::three_way_merge, status_rank and is_terminal_status.
//
// One table-driven case per rule of the contract in src/sync/merge.hpp, then
// seeded property tests over random base/local/remote records.

#include "sync/merge.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/timestamp.hpp"
#include "support/json_with.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::detail::FieldDecision;
using scoringjobs::detail::is_terminal_status;
using scoringjobs::detail::MergeOutcome;
using scoringjobs::detail::status_rank;
using scoringjobs::detail::three_way_merge;

using scoringjobs::test::with;

namespace {

// ---------------------------------------------------------------------------
// Records

const char* const kBaseUpdated = "2026-11-28T18:10:00.000Z";
const char* const kLocalUpdated = "2026-11-28T18:20:00.000Z";
const char* const kRemoteUpdated = "2026-11-28T18:15:00.000Z";

// The last state the remote confirmed.
json base_job() {
  return {
      {"id", "job-1"},
      {"accountId", "acct"},
      {"status", "RUNNING"},
      {"createdAt", "2026-11-28T18:00:00.000Z"},
      {"updatedAt", kBaseUpdated},
      {"scorecardId", "card"},
      {"itemId", "item"},
      {"startedAt", "2026-11-28T18:05:00.000Z"},
      {"completedAt", nullptr},
      {"errorMessage", nullptr},
      {"errorDetails", nullptr},
      {"metadata", "{\"source\":\"x\",\"n\":1}"},
      {"evaluationId", nullptr},
      {"scoreId", nullptr},
  };
}

json base_batch() {
  return {
      {"id", "batch-1"},
      {"accountId", "acct"},
      {"type", "eval"},
      {"batchId", "provider-batch"},
      {"status", "OPEN"},
      {"createdAt", "2026-11-28T18:00:00.000Z"},
      {"updatedAt", kBaseUpdated},
      {"startedAt", nullptr},
      {"completedAt", nullptr},
      {"errorMessage", nullptr},
      {"errorDetails", nullptr},
      {"metadata", nullptr},
      {"scoringJobCountCache", 0},
  };
}

// Local and remote start from a base with their own updatedAt.
json local_from(const json& base, const json& patch = json::object()) {
  return with(with(base, {{"updatedAt", kLocalUpdated}}), patch);
}
json remote_from(const json& base, const json& patch = json::object()) {
  return with(with(base, {{"updatedAt", kRemoteUpdated}}), patch);
}

const FieldDecision* conflict_of(const MergeOutcome& out, const std::string& field) {
  const FieldDecision* found = nullptr;
  for (const auto& d : out.conflicts) {
    if (d.field == field) found = &d;
  }
  return found;
}

std::size_t conflicts_named(const MergeOutcome& out, const std::string& field) {
  return static_cast<std::size_t>(std::count_if(out.conflicts.begin(), out.conflicts.end(),
                                                [&](const FieldDecision& d) { return d.field == field; }));
}

std::set<std::string> conflict_fields(const MergeOutcome& out) {
  std::set<std::string> fields;
  for (const auto& d : out.conflicts) fields.insert(d.field);
  return fields;
}

std::string conflicts_text(const MergeOutcome& out) {
  json all = json::array();
  for (const auto& d : out.conflicts) {
    all.push_back({{"field", d.field},
                   {"base", d.base},
                   {"local", d.local},
                   {"remote", d.remote},
                   {"result", d.result},
                   {"chosen", d.chosen},
                   {"rule", d.rule}});
  }
  return all.dump();
}

// A both-changed field must be recorded once, with every part of the decision.
void check_conflict(const MergeOutcome& out, const std::string& field, const json& base, const json& local,
                    const json& remote, const json& result, const std::string& chosen) {
  INFO("conflict for ", field, " in ", conflicts_text(out));
  CHECK(conflicts_named(out, field) == 1);
  const auto* d = conflict_of(out, field);
  REQUIRE(d != nullptr);
  CHECK(d->base == base);
  CHECK(d->local == local);
  CHECK(d->remote == remote);
  CHECK(d->result == result);
  CHECK(d->chosen == chosen);
  CHECK_FALSE(d->rule.empty());
}

// An AWSJSON wire value as the JSON it holds (a string holding JSON); a
// non-string stays as it is so a wrong shape shows up in the comparison.
json held(const json& wire) {
  if (!wire.is_string()) return json{{"<not a string>", wire}};
  return json::parse(wire.get<std::string>(), nullptr, false);
}

json base_or_null(bool known, const json& base) { return known ? base : json(nullptr); }

const std::vector<std::vector<std::string>> kScoringJobLifecycle = {
    {"PENDING"}, {"RUNNING"}, {"COMPLETED", "FAILED", "ERROR"}};
const std::vector<std::vector<std::string>> kBatchJobLifecycle = {
    {"OPEN"}, {"CLOSED"}, {"PROCESSING"}, {"PROCESSED"}, {"COMPLETED", "ERROR"}};

int stage_of(const std::vector<std::vector<std::string>>& lifecycle, const std::string& status) {
  for (std::size_t i = 0; i < lifecycle.size(); ++i) {
    for (const auto& s : lifecycle[i]) {
      if (s == status) return static_cast<int>(i);
    }
  }
  return -1;
}

std::vector<std::string> flatten(const std::vector<std::vector<std::string>>& lifecycle) {
  std::vector<std::string> all;
  for (const auto& stage : lifecycle) all.insert(all.end(), stage.begin(), stage.end());
  return all;
}

}  // namespace

// ---------------------------------------------------------------------------
// status_rank / is_terminal_status

TEST_CASE("status_rank and is_terminal_status: every status of each model, and unknown ones") {
  struct Row {
    Model model;
    const char* status;
    int rank;
    bool terminal;
  };
  const std::vector<Row> rows = {
      {Model::ScoringJob, "PENDING", 0, false},
      {Model::ScoringJob, "RUNNING", 1, false},
      {Model::ScoringJob, "COMPLETED", 2, true},
      {Model::ScoringJob, "FAILED", 2, true},
      {Model::ScoringJob, "ERROR", 2, true},
      {Model::ScoringJob, "OPEN", -1, false},       // a BatchJob status
      {Model::ScoringJob, "PROCESSED", -1, false},  // a BatchJob status
      {Model::ScoringJob, "completed", -1, false},  // case matters
      {Model::ScoringJob, "", -1, false},
      {Model::ScoringJob, "COMPLETED ", -1, false},
      {Model::BatchJob, "OPEN", 0, false},
      {Model::BatchJob, "CLOSED", 1, false},
      {Model::BatchJob, "PROCESSING", 2, false},
      {Model::BatchJob, "PROCESSED", 3, false},
      {Model::BatchJob, "COMPLETED", 4, true},
      {Model::BatchJob, "ERROR", 4, true},
      {Model::BatchJob, "FAILED", -1, false},  // a ScoringJob status only
      {Model::BatchJob, "PENDING", -1, false},
      {Model::BatchJob, "RUNNING", -1, false},
      {Model::BatchJob, "", -1, false},
      {Model::BatchJobScoringJob, "COMPLETED", -1, false},  // links have no lifecycle
      {Model::BatchJobScoringJob, "OPEN", -1, false},
  };
  for (const auto& row : rows) {
    INFO("model_name(row.model) := ", std::string(model_name(row.model)));
    INFO("row.status := ", std::string(row.status));
    CHECK(status_rank(row.model, row.status) == row.rank);
    CHECK(is_terminal_status(row.model, row.status) == row.terminal);
  }
}

// ---------------------------------------------------------------------------
// One-sided changes

TEST_CASE("merge: a field changed only locally takes the local value, with no conflict") {
  struct Row {
    const char* name;
    Model model;
    json base;
    json local_patch;
  };
  const json job = base_job();
  const json batch = base_batch();
  const std::vector<Row> rows = {
      {"status forward", Model::ScoringJob, job, {{"status", "COMPLETED"}}},
      {"scoreId set", Model::ScoringJob, job, {{"scoreId", "score-9"}}},
      {"errorMessage set", Model::ScoringJob, job, {{"errorMessage", "boom"}}},
      {"errorMessage cleared", Model::ScoringJob, with(job, {{"errorMessage", "old"}}), {{"errorMessage", nullptr}}},
      {"startedAt later (not the earliest: one-sided wins)",
       Model::ScoringJob,
       job,
       {{"startedAt", "2026-11-28T18:09:00.000Z"}}},
      {"startedAt cleared", Model::ScoringJob, job, {{"startedAt", nullptr}}},
      {"completedAt set", Model::ScoringJob, job, {{"completedAt", "2026-11-28T18:19:00.000Z"}}},
      {"metadata replaced", Model::ScoringJob, job, {{"metadata", "{\"source\":\"y\"}"}}},
      {"metadata cleared", Model::ScoringJob, job, {{"metadata", nullptr}}},
      {"metadata made non-object", Model::ScoringJob, job, {{"metadata", "[1,2]"}}},
      {"errorDetails set", Model::ScoringJob, job, {{"errorDetails", "{\"trace\":[1]}"}}},
      {"evaluationId set", Model::ScoringJob, job, {{"evaluationId", "eval-1"}}},
      {"accountId changed", Model::ScoringJob, job, {{"accountId", "acct-2"}}},
      {"a field the base did not have", Model::ScoringJob, job, {{"newField", "v"}}},
      {"batch status forward", Model::BatchJob, batch, {{"status", "CLOSED"}}},
      {"batch count", Model::BatchJob, batch, {{"scoringJobCountCache", 7}}},
      {"several fields at once",
       Model::ScoringJob,
       job,
       {{"status", "FAILED"}, {"errorMessage", "x"}, {"completedAt", "2026-11-28T18:19:00.000Z"}}},
  };
  for (const auto& row : rows) {
    INFO("row.name := ", std::string(row.name));
    const json local = local_from(row.base, row.local_patch);
    const json remote = remote_from(row.base);
    const auto out = three_way_merge(row.model, row.base, local, remote);
    CAPTURE(out.merged.dump());
    CHECK(out.merged == with(remote, row.local_patch));
    CHECK(out.conflicts.empty());
  }
}

TEST_CASE("merge: a field changed only remotely takes the remote value, with no conflict") {
  struct Row {
    const char* name;
    Model model;
    json base;
    json remote_patch;
  };
  const json job = base_job();
  const json batch = base_batch();
  const std::vector<Row> rows = {
      {"status forward", Model::ScoringJob, job, {{"status", "COMPLETED"}}},
      {"scoreId set", Model::ScoringJob, job, {{"scoreId", "score-9"}}},
      {"errorMessage cleared", Model::ScoringJob, with(job, {{"errorMessage", "old"}}), {{"errorMessage", nullptr}}},
      {"startedAt later (not the earliest: one-sided wins)",
       Model::ScoringJob,
       job,
       {{"startedAt", "2026-11-28T18:09:00.000Z"}}},
      {"completedAt set", Model::ScoringJob, job, {{"completedAt", "2026-11-28T18:19:00.000Z"}}},
      {"metadata replaced", Model::ScoringJob, job, {{"metadata", "{\"source\":\"y\"}"}}},
      {"metadata cleared", Model::ScoringJob, job, {{"metadata", nullptr}}},
      {"errorDetails set", Model::ScoringJob, job, {{"errorDetails", "{\"trace\":[1]}"}}},
      {"unknown status", Model::ScoringJob, job, {{"status", "ARCHIVED"}}},
      {"a field the base did not have", Model::ScoringJob, job, {{"newField", "v"}}},
      {"batch status forward", Model::BatchJob, batch, {{"status", "PROCESSING"}}},
      {"batch count", Model::BatchJob, batch, {{"scoringJobCountCache", 3}}},
  };
  for (const auto& row : rows) {
    INFO("row.name := ", std::string(row.name));
    const json local = local_from(row.base);
    const json remote = remote_from(row.base, row.remote_patch);
    const auto out = three_way_merge(row.model, row.base, local, remote);
    CAPTURE(out.merged.dump());
    CHECK(out.merged == remote);
    CHECK(out.conflicts.empty());
  }
}

TEST_CASE("merge: a field changed on both sides to the same value takes it, with no conflict") {
  struct Row {
    const char* name;
    json patch;
  };
  const std::vector<Row> rows = {
      {"status", {{"status", "COMPLETED"}}},
      {"scoreId", {{"scoreId", "s"}}},
      {"startedAt", {{"startedAt", "2026-11-28T18:06:00.000Z"}}},
      {"startedAt cleared", {{"startedAt", nullptr}}},
      {"completedAt", {{"completedAt", "2026-11-28T18:19:00.000Z"}}},
      {"metadata", {{"metadata", "{\"source\":\"z\"}"}}},
      {"errorDetails", {{"errorDetails", "{\"e\":1}"}}},
      {"unknown status", {{"status", "ARCHIVED"}}},
      {"several", {{"status", "FAILED"}, {"errorMessage", "same"}, {"completedAt", "2026-11-28T18:19:00.000Z"}}},
  };
  for (const bool base_known : {true, false}) {
    for (const auto& row : rows) {
      INFO("row.name := ", std::string(row.name));
      CAPTURE(base_known);
      const json base = base_job();
      const json local = local_from(base, row.patch);
      const json remote = remote_from(base, row.patch);
      const auto out = three_way_merge(Model::ScoringJob, base_or_null(base_known, base), local, remote);
      CAPTURE(conflicts_text(out));
      CHECK(out.merged == remote);
      CHECK(out.conflicts.empty());
    }
  }
}

// ---------------------------------------------------------------------------
// status

namespace {

// Every pair of statuses on both sides, with the base unknown or at a third
// status, and each side having the later updatedAt.
void check_every_status_pair(Model model, const json& base_record,
                             const std::vector<std::vector<std::string>>& lifecycle) {
  const auto statuses = flatten(lifecycle);
  const char* const earlier = "2026-11-28T18:11:00.000Z";
  const char* const later = "2026-11-28T18:12:00.000Z";
  int pairs = 0;
  for (const bool base_known : {true, false}) {
    for (const bool remote_later : {true, false}) {
      for (const auto& l : statuses) {
        for (const auto& r : statuses) {
          // A base status that differs from both sides, so both changed it.
          std::string b;
          for (const auto& s : statuses) {
            if (s != l && s != r) {
              b = s;
              break;
            }
          }
          const json base = with(base_record, {{"status", b}});
          const json local = with(base, {{"status", l}, {"updatedAt", remote_later ? earlier : later}});
          const json remote = with(base, {{"status", r}, {"updatedAt", remote_later ? later : earlier}});

          // The expected winner, from the lifecycle stages.
          std::string want;
          std::string chosen;
          const int sl = stage_of(lifecycle, l), sr = stage_of(lifecycle, r);
          if (l == r) {
            want = l;
          } else if (sl != sr) {
            want = sl > sr ? l : r;
            chosen = sl > sr ? "local" : "remote";
          } else {  // two different terminal statuses
            want = remote_later ? r : l;
            chosen = remote_later ? "remote" : "local";
          }

          CAPTURE(base_known);
          CAPTURE(remote_later);
          CAPTURE(b);
          CAPTURE(l);
          CAPTURE(r);
          const auto out = three_way_merge(model, base_or_null(base_known, base), local, remote);
          CHECK(out.merged["status"] == want);
          CHECK(out.merged["updatedAt"] == remote["updatedAt"]);
          const int merged_rank = status_rank(model, out.merged["status"].get<std::string>());
          CHECK(merged_rank >= std::max(status_rank(model, l), status_rank(model, r)));
          if (l == r) {
            CHECK(out.conflicts.empty());
          } else {
            CHECK(out.conflicts.size() == 1);
            check_conflict(out, "status", base_known ? json(b) : json(nullptr), l, r, want, chosen);
          }
          ++pairs;
        }
      }
    }
  }
  CHECK(pairs == static_cast<int>(4 * statuses.size() * statuses.size()));
}

}  // namespace

TEST_CASE("merge: ScoringJob status never regresses, for every pair of statuses on both sides") {
  check_every_status_pair(Model::ScoringJob, base_job(), kScoringJobLifecycle);
}

TEST_CASE("merge: BatchJob status never regresses, for every pair of statuses on both sides") {
  check_every_status_pair(Model::BatchJob, base_batch(), kBatchJobLifecycle);
}

TEST_CASE("merge: status table anchors (hand-written expected winners)") {
  struct Row {
    Model model;
    const char* base;
    const char* local;
    const char* remote;
    bool remote_later;
    const char* want;
  };
  const std::vector<Row> rows = {
      {Model::ScoringJob, "PENDING", "RUNNING", "COMPLETED", false, "COMPLETED"},
      {Model::ScoringJob, "RUNNING", "PENDING", "FAILED", true, "FAILED"},
      {Model::ScoringJob, "PENDING", "ERROR", "RUNNING", true, "ERROR"},
      {Model::ScoringJob, "RUNNING", "COMPLETED", "FAILED", true, "FAILED"},
      {Model::ScoringJob, "RUNNING", "COMPLETED", "FAILED", false, "COMPLETED"},
      {Model::BatchJob, "OPEN", "PROCESSED", "CLOSED", true, "PROCESSED"},
      {Model::BatchJob, "OPEN", "CLOSED", "PROCESSING", false, "PROCESSING"},
      {Model::BatchJob, "PROCESSED", "ERROR", "COMPLETED", true, "COMPLETED"},
      {Model::BatchJob, "PROCESSED", "ERROR", "COMPLETED", false, "ERROR"},
  };
  for (const auto& row : rows) {
    INFO("row.local := ", std::string(row.local));
    INFO("row.remote := ", std::string(row.remote));
    CAPTURE(row.remote_later);
    const json record = row.model == Model::ScoringJob ? base_job() : base_batch();
    const json base = with(record, {{"status", row.base}});
    const json local = with(base, {{"status", row.local},
                                   {"updatedAt", row.remote_later ? "2026-11-28T18:11:00Z" : "2026-11-28T18:13:00Z"}});
    const json remote = with(base, {{"status", row.remote}, {"updatedAt", "2026-11-28T18:12:00Z"}});
    const auto out = three_way_merge(row.model, base, local, remote);
    CHECK(out.merged["status"] == row.want);
  }
}

TEST_CASE("merge: between two terminal statuses the later updatedAt wins, compared by instant") {
  struct Row {
    const char* name;
    const char* local_updated;
    const char* remote_updated;
    bool remote_wins;
  };
  const std::vector<Row> rows = {
      // 20:00+02:00 is 18:00Z, earlier than 18:30Z although its text sorts later.
      {"+02:00 local is earlier than Z remote", "2026-11-28T20:00:00.000+02:00", "2026-11-28T18:30:00Z", true},
      {"+02:00 remote is earlier than Z local", "2026-11-28T18:30:00Z", "2026-11-28T20:00:00.000+02:00", false},
      // 13:30-05:00 is 18:30Z, later than 18:29:59.999Z although its text sorts earlier.
      {"-05:00 local is later", "2026-11-28T13:30:00-05:00", "2026-11-28T18:29:59.999Z", false},
      {"-05:00 remote is later", "2026-11-28T18:29:59.999Z", "2026-11-28T13:30:00-05:00", true},
      // .1 is later than no fraction, although 'Z' sorts after '.'.
      {"fraction on the remote", "2026-11-28T18:00:00Z", "2026-11-28T18:00:00.1Z", true},
      {"fraction on the local", "2026-11-28T18:00:00.1Z", "2026-11-28T18:00:00Z", false},
      {"across midnight and offsets", "2026-11-29T00:30:00+01:00", "2026-11-28T23:15:00Z", false},
      {"plain later remote", "2026-11-28T18:00:00.000Z", "2026-11-28T18:00:00.001Z", true},
      {"plain later local", "2026-11-28T18:00:00.001Z", "2026-11-28T18:00:00.000Z", false},
  };
  struct Pair {
    Model model;
    json record;
    const char* base;
    const char* local;
    const char* remote;
  };
  const std::vector<Pair> pairs = {
      {Model::ScoringJob, base_job(), "RUNNING", "COMPLETED", "FAILED"},
      {Model::ScoringJob, base_job(), "RUNNING", "ERROR", "COMPLETED"},
      {Model::BatchJob, base_batch(), "PROCESSED", "COMPLETED", "ERROR"},
  };
  for (const auto& pair : pairs) {
    for (const bool base_known : {true, false}) {
      for (const auto& row : rows) {
        INFO("row.name := ", std::string(row.name));
        INFO("pair.local := ", std::string(pair.local));
        INFO("pair.remote := ", std::string(pair.remote));
        CAPTURE(base_known);
        const json base = with(pair.record, {{"status", pair.base}});
        const json local = with(base, {{"status", pair.local}, {"updatedAt", row.local_updated}});
        const json remote = with(base, {{"status", pair.remote}, {"updatedAt", row.remote_updated}});
        const auto out = three_way_merge(pair.model, base_or_null(base_known, base), local, remote);
        const char* want = row.remote_wins ? pair.remote : pair.local;
        CHECK(out.merged["status"] == want);
        CHECK(out.merged["updatedAt"] == row.remote_updated);  // the remote's text, unchanged
        check_conflict(out, "status", base_known ? json(pair.base) : json(nullptr), pair.local, pair.remote, want,
                       row.remote_wins ? "remote" : "local");
      }
    }
  }
}

TEST_CASE("merge: an unknown status on either side lets the local status win") {
  struct Row {
    const char* name;
    Model model;
    json local;
    json remote;
  };
  const std::vector<Row> rows = {
      {"unknown local vs terminal remote", Model::ScoringJob, "ARCHIVED", "COMPLETED"},
      {"terminal local vs unknown remote", Model::ScoringJob, "COMPLETED", "ARCHIVED"},
      {"lowest local vs unknown remote", Model::ScoringJob, "PENDING", "ARCHIVED"},
      {"unknown local vs lowest remote", Model::ScoringJob, "ARCHIVED", "PENDING"},
      {"both unknown", Model::ScoringJob, "X", "Y"},
      {"another model's status", Model::ScoringJob, "OPEN", "RUNNING"},
      {"case differs", Model::ScoringJob, "completed", "RUNNING"},
      {"null local", Model::ScoringJob, nullptr, "RUNNING"},
      {"null remote", Model::ScoringJob, "PENDING", nullptr},
      {"non-string local", Model::ScoringJob, 3, "COMPLETED"},
      {"batch: a ScoringJob-only status", Model::BatchJob, "FAILED", "PROCESSED"},
      {"batch: unknown remote", Model::BatchJob, "OPEN", "DONE"},
      {"link model knows no status", Model::BatchJobScoringJob, "PENDING", "COMPLETED"},
  };
  for (const bool base_known : {true, false}) {
    for (const auto& row : rows) {
      INFO("row.name := ", std::string(row.name));
      CAPTURE(base_known);
      const json record = row.model == Model::BatchJob ? base_batch() : base_job();
      const json base = with(record, {{"status", "BASE-STATUS"}});
      const json local = local_from(base, {{"status", row.local}});
      const json remote = remote_from(base, {{"status", row.remote}});
      const auto out = three_way_merge(row.model, base_or_null(base_known, base), local, remote);
      CHECK(out.merged["status"] == row.local);
      CHECK(out.conflicts.size() == 1);
      check_conflict(out, "status", base_known ? json("BASE-STATUS") : json(nullptr), row.local, row.remote, row.local,
                     "local");
    }
  }
}

// ---------------------------------------------------------------------------
// startedAt / completedAt

TEST_CASE("merge: startedAt changed on both sides keeps the earliest instant, and a set value beats null") {
  struct Row {
    const char* name;
    json local;
    json remote;
    bool remote_wins;
  };
  const std::vector<Row> rows = {
      {"local earlier", "2026-11-28T18:01:00.000Z", "2026-11-28T18:02:00.000Z", false},
      {"remote earlier", "2026-11-28T18:02:00.000Z", "2026-11-28T18:01:00.000Z", true},
      // 20:01+02:00 is 18:01Z: earlier, although its text sorts later.
      {"local earlier by instant, later by text", "2026-11-28T20:01:00+02:00", "2026-11-28T18:02:00Z", false},
      {"remote earlier by instant, later by text", "2026-11-28T18:02:00Z", "2026-11-28T20:01:00+02:00", true},
      // No fraction is earlier than .1, although '.' sorts before 'Z'.
      {"remote earlier: fraction on the local", "2026-11-28T18:00:00.1Z", "2026-11-28T18:00:00Z", true},
      {"local earlier: fraction on the remote", "2026-11-28T18:00:00Z", "2026-11-28T18:00:00.1Z", false},
      {"-05:00 remote earlier", "2026-11-28T18:00:00Z", "2026-11-28T12:59:59-05:00", true},
      {"null local, set remote", nullptr, "2026-11-28T18:02:00.000Z", true},
      {"set local, null remote", "2026-11-28T18:02:00.000Z", nullptr, false},
  };
  for (const bool base_known : {true, false}) {
    for (const auto& row : rows) {
      INFO("row.name := ", std::string(row.name));
      CAPTURE(base_known);
      const json base = with(base_job(), {{"startedAt", "2026-11-28T18:05:00.000Z"}});
      const json local = local_from(base, {{"startedAt", row.local}});
      const json remote = remote_from(base, {{"startedAt", row.remote}});
      const auto out = three_way_merge(Model::ScoringJob, base_or_null(base_known, base), local, remote);
      const json& want = row.remote_wins ? row.remote : row.local;
      CHECK(out.merged["startedAt"] == want);  // the winner's exact text
      CHECK(out.conflicts.size() == 1);
      check_conflict(out, "startedAt", base_known ? base["startedAt"] : json(nullptr), row.local, row.remote, want,
                     row.remote_wins ? "remote" : "local");
    }
  }
}

TEST_CASE("merge: completedAt changed on both sides goes with the side whose status won") {
  const char* const L = "2026-11-28T18:14:00.000Z";
  const char* const R = "2026-11-28T18:13:00.000Z";
  struct Row {
    const char* name;
    Model model;
    const char* base_status;
    json local_status;
    json local_completed;
    json remote_status;
    json remote_completed;
    bool remote_updated_later;
    bool remote_wins;
  };
  // The winner's completedAt is sometimes the earlier, sometimes the later, and
  // sometimes null, so neither "earliest", "latest" nor "non-null" passes.
  const std::vector<Row> rows = {
      {"local status ahead", Model::ScoringJob, "PENDING", "COMPLETED", L, "RUNNING", R, true, false},
      {"remote status ahead", Model::ScoringJob, "PENDING", "RUNNING", L, "FAILED", R, false, true},
      {"remote status ahead, its completedAt later", Model::ScoringJob, "PENDING", "RUNNING", R, "FAILED", L, false,
       true},
      {"remote status ahead, its completedAt null", Model::ScoringJob, "PENDING", "RUNNING", L, "COMPLETED", nullptr,
       false, true},
      {"local status ahead, its completedAt null", Model::ScoringJob, "PENDING", "COMPLETED", nullptr, "RUNNING", R,
       true, false},
      {"terminal tie, remote updated later", Model::ScoringJob, "RUNNING", "COMPLETED", L, "ERROR", R, true, true},
      {"terminal tie, local updated later", Model::ScoringJob, "RUNNING", "COMPLETED", R, "ERROR", L, false, false},
      {"unknown status: local", Model::ScoringJob, "PENDING", "ARCHIVED", L, "COMPLETED", R, true, false},
      {"batch: remote ahead", Model::BatchJob, "OPEN", "PROCESSING", L, "COMPLETED", R, false, true},
      {"batch: terminal tie, remote later", Model::BatchJob, "PROCESSED", "ERROR", L, "COMPLETED", R, true, true},
  };
  for (const bool base_known : {true, false}) {
    for (const auto& row : rows) {
      INFO("row.name := ", std::string(row.name));
      CAPTURE(base_known);
      const json record = row.model == Model::BatchJob ? base_batch() : base_job();
      const json base = with(record, {{"status", row.base_status}, {"completedAt", "2026-11-28T18:09:00.000Z"}});
      const char* const earlier = "2026-11-28T18:11:00.000Z";
      const char* const later = "2026-11-28T18:12:00.000Z";
      const json local = with(base, {{"status", row.local_status},
                                     {"completedAt", row.local_completed},
                                     {"updatedAt", row.remote_updated_later ? earlier : later}});
      const json remote = with(base, {{"status", row.remote_status},
                                      {"completedAt", row.remote_completed},
                                      {"updatedAt", row.remote_updated_later ? later : earlier}});
      const auto out = three_way_merge(row.model, base_or_null(base_known, base), local, remote);
      CAPTURE(conflicts_text(out));
      const std::string chosen = row.remote_wins ? "remote" : "local";
      CHECK(out.merged["status"] == (row.remote_wins ? row.remote_status : row.local_status));
      CHECK(out.merged["completedAt"] == (row.remote_wins ? row.remote_completed : row.local_completed));
      CHECK(conflict_fields(out) == std::set<std::string>{"status", "completedAt"});
      check_conflict(out, "completedAt", base_known ? base["completedAt"] : json(nullptr), row.local_completed,
                     row.remote_completed, row.remote_wins ? row.remote_completed : row.local_completed, chosen);
      // The two decisions agree.
      const auto* status = conflict_of(out, "status");
      REQUIRE(status != nullptr);
      CHECK(status->chosen == chosen);
    }
  }
}

TEST_CASE("merge: completedAt changed on both sides while only the local changed status follows the local") {
  // Status changed only locally: the local status is the one kept, so the
  // local completedAt goes with it.
  const json base = with(base_job(), {{"status", "RUNNING"}, {"completedAt", "2026-11-28T18:09:00.000Z"}});
  const json local = local_from(base, {{"status", "COMPLETED"}, {"completedAt", "2026-11-28T18:14:00.000Z"}});
  const json remote = remote_from(base, {{"completedAt", "2026-11-28T18:13:00.000Z"}});
  const auto out = three_way_merge(Model::ScoringJob, base, local, remote);
  CHECK(out.merged["status"] == "COMPLETED");
  CHECK(out.merged["completedAt"] == "2026-11-28T18:14:00.000Z");
  CHECK(conflict_fields(out) == std::set<std::string>{"completedAt"});
}

TEST_CASE("merge: completedAt changed on both sides while only the remote changed status follows the remote") {
  // Status changed only remotely (RUNNING → COMPLETED), so the remote status is
  // the one kept ("won"); completedAt, changed on both sides, must go with it.
  const json base = with(base_job(), {{"status", "RUNNING"}, {"completedAt", "2026-11-28T18:09:00.000Z"}});
  const json local = local_from(base, {{"completedAt", "2026-11-28T18:14:00.000Z"}});
  const json remote = remote_from(base, {{"status", "COMPLETED"}, {"completedAt", "2026-11-28T18:13:00.000Z"}});
  const auto out = three_way_merge(Model::ScoringJob, base, local, remote);
  CAPTURE(conflicts_text(out));
  CHECK(out.merged["status"] == "COMPLETED");
  CHECK(out.merged["completedAt"] == "2026-11-28T18:13:00.000Z");
  check_conflict(out, "completedAt", "2026-11-28T18:09:00.000Z", "2026-11-28T18:14:00.000Z", "2026-11-28T18:13:00.000Z",
                 "2026-11-28T18:13:00.000Z", "remote");
}

TEST_CASE("merge: completedAt changed on one side goes with the winning status when the status was contested") {
  const char* const T = "2026-11-28T18:14:00.000Z";
  const char* const earlier = "2026-11-28T18:11:00.000Z";
  const char* const later = "2026-11-28T18:12:00.000Z";
  struct Row {
    const char* name;
    json base_status, base_completed;
    json local_status, local_completed;
    json remote_status, remote_completed;
    bool remote_updated_later;
    bool remote_wins;
  };
  // In each row completedAt differs from the base on one side only, which the
  // one-sided rule alone would take: the status decision must override it.
  const std::vector<Row> rows = {
      {"remote terminal wins, only local set completedAt", "RUNNING", nullptr, "COMPLETED", T, "ERROR", nullptr, true,
       true},
      {"local terminal wins, only remote set completedAt", "RUNNING", nullptr, "COMPLETED", nullptr, "FAILED", T, false,
       false},
      {"remote moved backwards and cleared completedAt", "COMPLETED", T, "COMPLETED", T, "RUNNING", nullptr, true,
       false},
      {"local moved backwards and cleared completedAt", "COMPLETED", T, "RUNNING", nullptr, "COMPLETED", T, false,
       true},
  };
  for (const auto& row : rows) {
    INFO("row.name := ", std::string(row.name));
    const json base = with(base_job(), {{"status", row.base_status}, {"completedAt", row.base_completed}});
    const json local = with(base, {{"status", row.local_status},
                                   {"completedAt", row.local_completed},
                                   {"updatedAt", row.remote_updated_later ? earlier : later}});
    const json remote = with(base, {{"status", row.remote_status},
                                    {"completedAt", row.remote_completed},
                                    {"updatedAt", row.remote_updated_later ? later : earlier}});
    const auto out = three_way_merge(Model::ScoringJob, base, local, remote);
    CAPTURE(conflicts_text(out));
    const std::string chosen = row.remote_wins ? "remote" : "local";
    CHECK(out.merged["status"] == (row.remote_wins ? row.remote_status : row.local_status));
    CHECK(out.merged["completedAt"] == (row.remote_wins ? row.remote_completed : row.local_completed));
    check_conflict(out, "completedAt", row.base_completed, row.local_completed, row.remote_completed,
                   row.remote_wins ? row.remote_completed : row.local_completed, chosen);
    const auto* status = conflict_of(out, "status");
    REQUIRE(status != nullptr);
    CHECK(status->chosen == chosen);
  }
}

TEST_CASE("merge: completedAt changed on both sides under the same status is recorded as a conflict") {
  // No side's status won (both are COMPLETED): the contract leaves the winner
  // open, but it must be one of the two sides and be recorded as such.
  const json base = with(base_job(), {{"status", "RUNNING"}});
  const json local = local_from(base, {{"status", "COMPLETED"}, {"completedAt", "2026-11-28T18:14:00.000Z"}});
  const json remote = remote_from(base, {{"status", "COMPLETED"}, {"completedAt", "2026-11-28T18:13:00.000Z"}});
  for (const bool base_known : {true, false}) {
    CAPTURE(base_known);
    const auto out = three_way_merge(Model::ScoringJob, base_or_null(base_known, base), local, remote);
    CHECK(out.merged["status"] == "COMPLETED");
    CHECK(conflict_fields(out) == std::set<std::string>{"completedAt"});
    const auto* d = conflict_of(out, "completedAt");
    REQUIRE(d != nullptr);
    CHECK((d->chosen == "local" || d->chosen == "remote"));
    CHECK(d->result == (d->chosen == "local" ? local["completedAt"] : remote["completedAt"]));
    CHECK(out.merged["completedAt"] == d->result);
    CHECK_FALSE(d->rule.empty());
  }
}

// ---------------------------------------------------------------------------
// AWSJSON: metadata / errorDetails

TEST_CASE("merge: metadata and errorDetails changed on both sides merge key by key") {
  struct KeyConflict {
    const char* path;  // key within the field
    json base, local, remote, result;
  };
  struct Row {
    const char* name;
    const char* base;
    const char* local;
    const char* remote;
    json want;  // the object the merged wire string holds
    std::vector<KeyConflict> conflicts;
  };
  const std::vector<Row> rows = {
      {"only-local key added, remote changed another key",
       R"({"a":1,"b":1})",
       R"({"a":1,"b":1,"l":2})",
       R"({"a":1,"b":3})",
       {{"a", 1}, {"b", 3}, {"l", 2}},
       {}},
      {"only-remote key added, local changed another key",
       R"({"a":1,"b":1})",
       R"({"a":2,"b":1})",
       R"({"a":1,"b":1,"r":5})",
       {{"a", 2}, {"b", 1}, {"r", 5}},
       {}},
      {"both changed the same key: local wins",
       R"({"a":1,"b":1})",
       R"({"a":2,"b":1})",
       R"({"a":3,"b":1})",
       {{"a", 2}, {"b", 1}},
       {{"a", 1, 2, 3, 2}}},
      {"both changed one key, remote another",
       R"({"a":1,"b":1})",
       R"({"a":2,"b":1})",
       R"({"a":3,"b":4})",
       {{"a", 2}, {"b", 4}},
       {{"a", 1, 2, 3, 2}}},
      {"key removed locally, remote changed another",
       R"({"a":1,"b":1})",
       R"({"b":1})",
       R"({"a":1,"b":2})",
       {{"b", 2}},
       {}},
      {"key removed remotely, local changed another",
       R"({"a":1,"b":1})",
       R"({"a":1,"b":2})",
       R"({"b":1})",
       {{"b", 2}},
       {}},
      {"key removed locally, changed remotely: local wins (removed)",
       R"({"a":1,"b":1})",
       R"({"b":1,"l":1})",
       R"({"a":3,"b":1})",
       {{"b", 1}, {"l", 1}},
       {{"a", 1, nullptr, 3, nullptr}}},
      {"key changed locally, removed remotely: local wins",
       R"({"a":1,"b":1})",
       R"({"a":2,"b":1})",
       R"({"b":1,"r":1})",
       {{"a", 2}, {"b", 1}, {"r", 1}},
       {{"a", 1, 2, nullptr, 2}}},
      {"both added the same key and value",
       R"({"a":1})",
       R"({"a":1,"n":7,"x":1})",
       R"({"a":2,"n":7})",
       {{"a", 2}, {"n", 7}, {"x", 1}},
       {}},
      {"both added the same key, different values: local wins",
       R"({"a":1})",
       R"({"a":1,"n":7})",
       R"({"a":1,"n":8})",
       {{"a", 1}, {"n", 7}},
       {{"n", nullptr, 7, 8, 7}}},
      {"values compared whole, one level deep",
       R"({"a":{"p":1,"q":1}})",
       R"({"a":{"p":2,"q":1}})",
       R"({"a":{"p":1,"q":2}})",
       {{"a", {{"p", 2}, {"q", 1}}}},
       {{"a", {{"p", 1}, {"q", 1}}, {{"p", 2}, {"q", 1}}, {{"p", 1}, {"q", 2}}, {{"p", 2}, {"q", 1}}}}},
      {"a key set to null is not a removed key",
       R"({"a":1})",
       R"({"a":null})",
       R"({"a":1,"b":1})",
       {{"a", nullptr}, {"b", 1}},
       {}},
      {"emptied locally, key added remotely", R"({"a":1})", R"({})", R"({"a":1,"b":2})", {{"b", 2}}, {}},
      {"same JSON written differently counts as unchanged",
       R"({"a": 1, "b": 1})",
       R"({"b":1,"a":1,"l":1})",
       R"({"a":1,"b":1,"r":1})",
       {{"a", 1}, {"b", 1}, {"l", 1}, {"r", 1}},
       {}},
  };
  for (const char* field : {"metadata", "errorDetails"}) {
    for (const auto& row : rows) {
      INFO("field := ", std::string(field));
      INFO("row.name := ", std::string(row.name));
      const json base = with(base_job(), {{field, row.base}});
      const json local = local_from(base, {{field, row.local}});
      const json remote = remote_from(base, {{field, row.remote}});
      const auto out = three_way_merge(Model::ScoringJob, base, local, remote);
      CAPTURE(out.merged[field].dump());
      CAPTURE(conflicts_text(out));
      CHECK(out.merged[field].is_string());  // still AWSJSON on the wire
      CHECK(held(out.merged[field]) == row.want);
      std::set<std::string> want_fields;
      for (const auto& c : row.conflicts) want_fields.insert(std::string(field) + "." + c.path);
      CHECK(conflict_fields(out) == want_fields);
      for (const auto& c : row.conflicts) {
        check_conflict(out, std::string(field) + "." + c.path, c.base, c.local, c.remote, c.result, "local");
      }
      // Everything else is the remote record.
      json rest = out.merged;
      rest.erase(field);
      json remote_rest = remote;
      remote_rest.erase(field);
      CHECK(rest == remote_rest);
    }
  }
}

TEST_CASE("merge: metadata or errorDetails that is not a JSON object on a side lets the local value win") {
  struct Row {
    const char* name;
    json local;
    json remote;
  };
  const std::vector<Row> rows = {
      {"local array", "[1,2]", R"({"a":2})"},
      {"remote array", R"({"a":2})", "[1,2]"},
      {"local JSON string", R"("text")", R"({"a":2})"},
      {"remote number", R"({"a":2})", "42"},
      {"local not JSON at all", "not json{", R"({"a":2})"},
      {"remote not JSON at all", R"({"a":2})", "{broken"},
      {"local cleared (null)", nullptr, R"({"a":2})"},
      {"remote cleared (null)", R"({"a":2,"l":1})", nullptr},
      {"both non-object", "[1]", "[2]"},
      {"local not a string (raw object)", json{{"a", 5}}, R"({"a":2})"},
  };
  for (const char* field : {"metadata", "errorDetails"}) {
    for (const bool base_known : {true, false}) {
      for (const auto& row : rows) {
        INFO("field := ", std::string(field));
        INFO("row.name := ", std::string(row.name));
        CAPTURE(base_known);
        const json base = with(base_job(), {{field, R"({"a":1})"}});
        const json local = local_from(base, {{field, row.local}});
        const json remote = remote_from(base, {{field, row.remote}});
        const auto out = three_way_merge(Model::ScoringJob, base_or_null(base_known, base), local, remote);
        CAPTURE(conflicts_text(out));
        CHECK(out.merged[field] == row.local);  // the local value, byte for byte
        CHECK(out.conflicts.size() == 1);
        check_conflict(out, field, base_known ? base[field] : json(nullptr), row.local, row.remote, row.local, "local");
      }
    }
  }
}

TEST_CASE("merge: metadata keys added on each side when the known base had no metadata are one-sided changes") {
  // The base is known and had no metadata (null): "a" was added only locally and
  // "b" only remotely, so each is a one-sided change of its key.
  for (const char* field : {"metadata", "errorDetails"}) {
    INFO("field := ", std::string(field));
    const json base = with(base_job(), {{field, nullptr}});
    const json local = local_from(base, {{field, R"({"a":1})"}});
    const json remote = remote_from(base, {{field, R"({"b":2})"}});
    const auto out = three_way_merge(Model::ScoringJob, base, local, remote);
    CAPTURE(out.merged[field].dump());
    CAPTURE(conflicts_text(out));
    CHECK(held(out.merged[field]) == json{{"a", 1}, {"b", 2}});
    CHECK(out.conflicts.empty());
  }
}

// ---------------------------------------------------------------------------
// Everything else

TEST_CASE("merge: any other field changed on both sides takes the local value") {
  struct Row {
    const char* field;
    json local;
    json remote;
  };
  const std::vector<Row> rows = {
      {"scoreId", "score-l", "score-r"},
      {"scoreId", nullptr, "score-r"},
      {"scoreId", "score-l", nullptr},
      {"errorMessage", "local error", "remote error"},
      {"errorMessage", nullptr, "remote error"},
      {"evaluationId", "eval-l", "eval-r"},
      {"itemId", "item-l", "item-r"},
      {"scorecardId", "card-l", "card-r"},
      {"accountId", "acct-l", "acct-r"},
      {"customField", 1, json{{"x", 2}}},
  };
  for (const bool base_known : {true, false}) {
    for (const auto& row : rows) {
      INFO("row.field := ", std::string(row.field));
      CAPTURE(row.local.dump());
      CAPTURE(base_known);
      const json base = with(base_job(), {{row.field, "base-value"}});
      const json local = local_from(base, {{row.field, row.local}});
      const json remote = remote_from(base, {{row.field, row.remote}});
      const auto out = three_way_merge(Model::ScoringJob, base_or_null(base_known, base), local, remote);
      CHECK(out.merged[row.field] == row.local);
      CHECK(out.conflicts.size() == 1);
      check_conflict(out, row.field, base_known ? json("base-value") : json(nullptr), row.local, row.remote, row.local,
                     "local");
      CHECK(out.merged == with(remote, {{row.field, row.local}}));
    }
  }
}

TEST_CASE("merge: with no known base every differing field is a conflict decided by its rule") {
  const json local = with(base_job(), {
                                          {"updatedAt", "2026-11-28T18:20:00.000Z"},
                                          {"status", "RUNNING"},
                                          {"startedAt", "2026-11-28T18:01:00.000Z"},
                                          {"completedAt", nullptr},
                                          {"scoreId", "score-l"},
                                          {"errorMessage", nullptr},
                                          {"metadata", R"({"a":1,"b":2})"},
                                          {"evaluationId", "same"},
                                      });
  const json remote = with(base_job(), {
                                           {"updatedAt", "2026-11-28T18:15:00.000Z"},
                                           {"status", "COMPLETED"},
                                           {"startedAt", "2026-11-28T18:03:00.000Z"},
                                           {"completedAt", "2026-11-28T18:14:00.000Z"},
                                           {"scoreId", "score-r"},
                                           {"errorMessage", "remote error"},
                                           {"metadata", R"({"a":1,"c":3})"},
                                           {"evaluationId", "same"},
                                       });
  const auto out = three_way_merge(Model::ScoringJob, nullptr, local, remote);
  CAPTURE(conflicts_text(out));
  CHECK(conflict_fields(out) == std::set<std::string>{"status", "startedAt", "completedAt", "scoreId", "errorMessage",
                                                      "metadata.b", "metadata.c"});
  check_conflict(out, "status", nullptr, "RUNNING", "COMPLETED", "COMPLETED", "remote");
  check_conflict(out, "startedAt", nullptr, "2026-11-28T18:01:00.000Z", "2026-11-28T18:03:00.000Z",
                 "2026-11-28T18:01:00.000Z", "local");
  check_conflict(out, "completedAt", nullptr, nullptr, "2026-11-28T18:14:00.000Z", "2026-11-28T18:14:00.000Z",
                 "remote");
  check_conflict(out, "scoreId", nullptr, "score-l", "score-r", "score-l", "local");
  check_conflict(out, "errorMessage", nullptr, nullptr, "remote error", nullptr, "local");
  // With no base, a key on one side only was changed on both: local wins it.
  check_conflict(out, "metadata.b", nullptr, 2, nullptr, 2, "local");
  check_conflict(out, "metadata.c", nullptr, nullptr, 3, nullptr, "local");

  CHECK(out.merged["status"] == "COMPLETED");
  CHECK(out.merged["startedAt"] == "2026-11-28T18:01:00.000Z");
  CHECK(out.merged["completedAt"] == "2026-11-28T18:14:00.000Z");
  CHECK(out.merged["scoreId"] == "score-l");
  CHECK(out.merged["errorMessage"].is_null());
  CHECK(held(out.merged["metadata"]) == json{{"a", 1}, {"b", 2}});
  CHECK(out.merged["evaluationId"] == "same");
  CHECK(out.merged["updatedAt"] == "2026-11-28T18:15:00.000Z");

  // Identical records but for updatedAt: nothing to decide.
  const auto same = three_way_merge(Model::ScoringJob, nullptr, local_from(base_job()), remote_from(base_job()));
  CHECK(same.conflicts.empty());
  CHECK(same.merged == remote_from(base_job()));
}

TEST_CASE("merge: id and createdAt never come from local and updatedAt is the remote's") {
  const json base = base_job();
  const json local = with(base, {{"id", "job-LOCAL"},
                                 {"createdAt", "2026-11-28T17:00:00.000Z"},
                                 {"updatedAt", "2026-11-28T23:00:00.000Z"},
                                 {"status", "COMPLETED"}});
  const json remote = with(base, {{"updatedAt", "2026-11-28T20:00:00.000+02:00"}, {"status", "FAILED"}});
  for (const bool base_known : {true, false}) {
    CAPTURE(base_known);
    const auto out = three_way_merge(Model::ScoringJob, base_or_null(base_known, base), local, remote);
    CAPTURE(conflicts_text(out));
    CHECK(out.merged["id"] == "job-1");
    CHECK(out.merged["createdAt"] == "2026-11-28T18:00:00.000Z");
    // Local's status won on the later updatedAt, yet updatedAt stays the remote's.
    CHECK(out.merged["status"] == "COMPLETED");
    CHECK(out.merged["updatedAt"] == "2026-11-28T20:00:00.000+02:00");
    CHECK(conflict_fields(out) == std::set<std::string>{"status"});
  }
  // Not even when the remote changed id or createdAt and local did not.
  const json remote2 = with(base, {{"createdAt", "2026-11-28T18:00:00Z"}, {"updatedAt", kRemoteUpdated}});
  const auto out2 = three_way_merge(Model::ScoringJob, base, local_from(base), remote2);
  CHECK(out2.merged["createdAt"] == "2026-11-28T18:00:00Z");
  CHECK(out2.conflicts.empty());
}

TEST_CASE("merge: conflicts list both-changed fields only, never one-sided changes") {
  const json base = with(base_job(), {{"errorMessage", "old"}, {"metadata", R"({"a":1,"b":1})"}});
  const json local = local_from(base, {{"status", "COMPLETED"},  // both
                                       {"scoreId", "score-l"},   // local only
                                       {"metadata", R"({"a":2,"b":1})"},
                                       {"evaluationId", "same"}});                   // both, same value
  const json remote = remote_from(base, {{"status", "FAILED"},                       // both
                                         {"errorMessage", nullptr},                  // remote only
                                         {"startedAt", "2026-11-28T18:06:00.000Z"},  // remote only
                                         {"metadata", R"({"a":1,"b":5})"},
                                         {"evaluationId", "same"}});
  const auto out = three_way_merge(Model::ScoringJob, base, local, remote);
  CAPTURE(conflicts_text(out));
  CHECK(conflict_fields(out) == std::set<std::string>{"status"});
  CHECK(out.merged["scoreId"] == "score-l");
  CHECK(out.merged["errorMessage"].is_null());
  CHECK(out.merged["startedAt"] == "2026-11-28T18:06:00.000Z");
  CHECK(out.merged["evaluationId"] == "same");
  CHECK(held(out.merged["metadata"]) == json{{"a", 2}, {"b", 5}});
  // Terminal tie: local's updatedAt (18:20) is later than remote's (18:15).
  CHECK(out.merged["status"] == "COMPLETED");
  check_conflict(out, "status", "RUNNING", "COMPLETED", "FAILED", "COMPLETED", "local");
}

// ---------------------------------------------------------------------------
// Properties

namespace {

struct Gen {
  std::mt19937 rng;
  explicit Gen(std::uint32_t seed) : rng(seed) {}

  template <class T>
  const T& pick(const std::vector<T>& values) {
    return values[rng() % values.size()];
  }
  bool chance(unsigned one_in) { return rng() % one_in == 0; }
};

const std::vector<json> kTimes = {nullptr,
                                  "2026-11-28T18:00:00Z",
                                  "2026-11-28T18:00:00.1Z",
                                  "2026-11-28T20:00:00.000+02:00",
                                  "2026-11-28T18:30:00Z",
                                  "2026-11-28T13:30:00-05:00",
                                  "2026-11-28T18:45:00.000Z"};
const std::vector<json> kUpdated = {"2026-11-28T18:00:00Z", "2026-11-28T20:00:00.000+02:00", "2026-11-28T18:30:00Z",
                                    "2026-11-28T13:30:00-05:00", "2026-11-28T18:45:00.000Z"};
const std::vector<json> kScores = {nullptr, "s1", "s2"};
const std::vector<json> kObjects = {nullptr, "{}", R"({"a":1})", R"({"a":2,"b":1})", R"({"b":1})", R"({"a":1,"b":2})",
                                    "[1]"};

std::vector<json> statuses_of(Model model) {
  std::vector<json> all;
  for (const auto& s : flatten(model == Model::ScoringJob ? kScoringJobLifecycle : kBatchJobLifecycle)) {
    all.push_back(s);
  }
  all.push_back("ARCHIVED");
  all.push_back(nullptr);
  return all;
}

json random_record(Gen& g, Model model) {
  return {
      {"id", g.chance(4) ? "job-other" : "job-1"},
      {"createdAt", g.pick(kUpdated)},
      {"updatedAt", g.pick(kUpdated)},
      {"status", g.pick(statuses_of(model))},
      {"startedAt", g.pick(kTimes)},
      {"completedAt", g.pick(kTimes)},
      {"scoreId", g.pick(kScores)},
      {"metadata", g.pick(kObjects)},
      {"errorDetails", g.pick(kObjects)},
  };
}

// A side: each field kept from the base half the time, so one-sided changes are common.
json random_side(Gen& g, Model model, const json& base) {
  json side = random_record(g, model);
  if (base.is_object()) {
    for (const auto& [key, value] : base.items()) {
      if (g.chance(2)) side[key] = value;
    }
  }
  return side;
}

struct Triple {
  Model model;
  json base, local, remote;
};

template <class F>
void for_random_triples(std::uint32_t seed, int count, F&& f) {
  Gen g(seed);
  for (int i = 0; i < count; ++i) {
    const Model model = g.chance(2) ? Model::ScoringJob : Model::BatchJob;
    const json base = g.chance(4) ? json(nullptr) : random_record(g, model);
    const json local = random_side(g, model, base);
    const json remote = random_side(g, model, base);
    f(Triple{model, base, local, remote});
  }
}

int rank_of(Model model, const json& status) {
  return status.is_string() ? status_rank(model, status.get<std::string>()) : -1;
}

std::string triple_text(const Triple& t, const MergeOutcome& out) {
  return std::string(model_name(t.model)) + "\nbase:   " + t.base.dump() + "\nlocal:  " + t.local.dump() +
         "\nremote: " + t.remote.dump() + "\nmerged: " + out.merged.dump();
}

}  // namespace

TEST_CASE("merge property: merge(base, x, x) == x with no conflicts") {
  int violations = 0, runs = 0;
  std::string first;
  for_random_triples(1128, 20000, [&](const Triple& t) {
    for (const json& x : {t.local, t.remote}) {
      const auto out = three_way_merge(t.model, t.base, x, x);
      ++runs;
      if (out.merged != x || !out.conflicts.empty()) {
        if (violations++ == 0)
          first = triple_text({t.model, t.base, x, x}, out) + "\nconflicts: " + conflicts_text(out);
      }
    }
  });
  INFO("first counterexample: ", first);
  CHECK(violations == 0);
  CHECK(runs == 40000);
}

TEST_CASE("merge property: status changed on both sides never ranks below either side") {
  // Both sides changed status (or no base is known): merged rank ≥ max(rank(local), rank(remote)).
  int violations = 0, checked = 0;
  std::string first;
  for_random_triples(2026, 20000, [&](const Triple& t) {
    const json& b = t.base.is_object() ? t.base["status"] : json(nullptr);
    const bool both_changed = !t.base.is_object() || (t.local["status"] != b && t.remote["status"] != b);
    const int rl = rank_of(t.model, t.local["status"]), rr = rank_of(t.model, t.remote["status"]);
    if (!both_changed || rl < 0 || rr < 0) return;
    const auto out = three_way_merge(t.model, t.base, t.local, t.remote);
    ++checked;
    if (rank_of(t.model, out.merged["status"]) < std::max(rl, rr)) {
      if (violations++ == 0) first = triple_text(t, out);
    }
  });
  INFO("first counterexample: ", first);
  CHECK(violations == 0);
  CHECK(checked > 1000);
}

TEST_CASE("merge property: merged status rank >= max(rank(local), rank(remote)) whenever both are known") {
  // The brief's invariant, unconditionally: it also covers a status moved
  // backwards on one side only (which the one-sided rule would take).
  int violations = 0, checked = 0;
  std::string first;
  for_random_triples(28, 20000, [&](const Triple& t) {
    const int rl = rank_of(t.model, t.local["status"]), rr = rank_of(t.model, t.remote["status"]);
    if (rl < 0 || rr < 0) return;
    const auto out = three_way_merge(t.model, t.base, t.local, t.remote);
    ++checked;
    if (rank_of(t.model, out.merged["status"]) < std::max(rl, rr)) {
      if (violations++ == 0) first = triple_text(t, out);
    }
  });
  INFO("violations: ", violations, " of ", checked);
  INFO("first counterexample: ", first);
  CHECK(violations == 0);
  CHECK(checked > 1000);
}

TEST_CASE(
    "merge property: id, createdAt and updatedAt are the remote's and one-sided changes are not conflicts, "
    "except completedAt beside a contested status") {
  int violations = 0;
  std::string first;
  for_random_triples(4242, 20000, [&](const Triple& t) {
    const auto out = three_way_merge(t.model, t.base, t.local, t.remote);
    std::string why;
    for (const char* key : {"id", "createdAt", "updatedAt"}) {
      if (out.merged[key] != t.remote[key]) why += std::string(key) + " not the remote's; ";
    }
    for (const auto& d : out.conflicts) {
      if (d.field == "id" || d.field == "createdAt" || d.field == "updatedAt") why += "conflict on " + d.field + "; ";
      if (d.rule.empty()) why += "empty rule for " + d.field + "; ";
      if (d.chosen != "local" && d.chosen != "remote" && d.chosen != "merged") why += "bad chosen; ";
    }
    if (t.base.is_object()) {
      for (const auto& [key, value] : t.local.items()) {
        if (key == "id" || key == "createdAt" || key == "updatedAt") continue;
        // status has its own rule: it never moves backwards, even for a one-sided change;
        // and completedAt goes with a contested status, whichever side changed it.
        if (key == "status") continue;
        if (key == "completedAt" && conflict_of(out, "status")) {
          const auto* d = conflict_of(out, key);
          if (t.local[key] != (t.remote.contains(key) ? t.remote[key] : json(nullptr)) &&
              (d == nullptr || d->chosen != conflict_of(out, "status")->chosen)) {
            why += "completedAt did not follow the contested status; ";
          }
          continue;
        }
        const json& b = t.base.contains(key) ? t.base[key] : json(nullptr);
        const json& l = t.local[key];
        const json& r = t.remote.contains(key) ? t.remote[key] : json(nullptr);
        if (l == r) {
          if (out.merged[key] != l) why += key + ": same on both sides but changed; ";
        } else if (l == b || r == b) {
          if (out.merged[key] != (l == b ? r : l)) why += key + ": one-sided change not taken; ";
          if (conflict_of(out, key)) why += key + ": one-sided change recorded as a conflict; ";
        }
      }
    }
    if (!why.empty() && violations++ == 0) first = why + "\n" + triple_text(t, out);
  });
  INFO("first counterexample: ", first);
  CHECK(violations == 0);
}
