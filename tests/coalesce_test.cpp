// detail::coalesce: many outbox entries of a record become one mutation.
//
// Explicit table cases, then an exhaustive sweep over every sequence of up to six
// entries over three records, checked against an independent reference.

#include "sync/coalesce.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "scoringjobs/error.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "support/json_with.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::detail::coalesce;
using scoringjobs::detail::PendingOp;

using scoringjobs::test::with;

namespace {

// ---------------------------------------------------------------------------
// Helpers

OutboxEntry entry(std::int64_t seq, Model model, std::string id, Operation op, json fields) {
  OutboxEntry e;
  e.seq = seq;
  e.model = model;
  e.record_id = std::move(id);
  e.operation = op;
  e.fields = std::move(fields);
  return e;
}

OutboxEntry create(std::int64_t seq, std::string id, json fields, Model model = Model::ScoringJob) {
  return entry(seq, model, std::move(id), Operation::Create, std::move(fields));
}

OutboxEntry update(std::int64_t seq, std::string id, json fields, Model model = Model::ScoringJob) {
  return entry(seq, model, std::move(id), Operation::Update, std::move(fields));
}

std::vector<PendingOp> run(const std::vector<OutboxEntry>& entries) {
  return coalesce(std::span<const OutboxEntry>(entries.data(), entries.size()));
}

struct Thrown {
  bool threw = false;
  bool scoringjobs_error = false;
  Errc code = Errc::InvalidArgument;
  std::string what;
};

Thrown thrown_by(const std::vector<OutboxEntry>& entries) {
  Thrown t;
  try {
    (void)run(entries);
  } catch (const Error& e) {
    t.threw = true;
    t.scoringjobs_error = true;
    t.code = e.code();
    t.what = e.what();
  } catch (const std::exception& e) {
    t.threw = true;
    t.what = e.what();
  }
  return t;
}

std::string seqs_text(const std::vector<std::int64_t>& seqs) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < seqs.size(); ++i) out << (i ? "," : "") << seqs[i];
  out << ']';
  return out.str();
}

std::string op_text(Operation op) { return op == Operation::Create ? "create" : "update"; }

std::string describe(const std::vector<OutboxEntry>& entries) {
  std::ostringstream out;
  for (const auto& e : entries) {
    out << "\n  #" << e.seq << ' ' << model_name(e.model) << '/' << e.record_id << ' ' << op_text(e.operation) << ' '
        << e.fields.dump();
  }
  return out.str();
}

std::string describe(const std::vector<PendingOp>& ops) {
  std::ostringstream out;
  for (const auto& op : ops) {
    out << "\n  " << model_name(op.model) << '/' << op.record_id << ' ' << op_text(op.operation) << ' '
        << seqs_text(op.seqs) << ' ' << op.fields.dump();
  }
  return out.str();
}

const json kFullJob = {
    {"id", "job-1"},
    {"accountId", "acct"},
    {"status", "PENDING"},
    {"createdAt", "2026-11-28T18:00:00.000Z"},
    {"updatedAt", "2026-11-28T18:00:00.000Z"},
    {"scorecardId", "card"},
    {"itemId", "item"},
    {"startedAt", nullptr},
    {"completedAt", nullptr},
    {"errorMessage", nullptr},
    {"errorDetails", nullptr},
    {"metadata", "{\"source\":\"x\"}"},
    {"evaluationId", nullptr},
    {"scoreId", nullptr},
};

// ---------------------------------------------------------------------------
// The independent reference.
//
// Written differently from the implementation on purpose: it groups entries per
// record first, then looks up every field's value as "the last entry of the
// record that mentions the field" instead of overlaying entries one by one.

using RecordKey = std::pair<Model, std::string>;

struct ExpectedOp {
  RecordKey record;
  Operation operation = Operation::Create;
  json fields;
  std::vector<std::int64_t> seqs;
};

struct Reference {
  bool must_throw = false;  // a create follows another entry of the same record
  std::vector<ExpectedOp> ops;
};

Reference reference(const std::vector<OutboxEntry>& entries) {
  Reference ref;
  std::vector<RecordKey> order;  // records by first appearance
  std::map<RecordKey, std::vector<const OutboxEntry*>> of_record;
  for (const auto& e : entries) {
    const RecordKey key{e.model, e.record_id};
    if (!of_record.count(key)) order.push_back(key);
    of_record[key].push_back(&e);
  }
  for (const auto& key : order) {
    const auto& list = of_record[key];
    for (std::size_t i = 1; i < list.size(); ++i) {
      if (list[i]->operation == Operation::Create) ref.must_throw = true;
    }
    ExpectedOp op;
    op.record = key;
    op.operation = list.front()->operation;
    std::set<std::string> names;
    for (const auto* e : list) {
      for (const auto& item : e->fields.items()) names.insert(item.key());
    }
    op.fields = json::object();
    for (const auto& name : names) {
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        if ((*it)->fields.contains(name)) {
          op.fields[name] = (*it)->fields.at(name);
          break;
        }
      }
    }
    for (const auto* e : list) op.seqs.push_back(e->seq);
    ref.ops.push_back(std::move(op));
  }
  return ref;
}

// ---------------------------------------------------------------------------
// The exhaustive generator.

// Three records; two share an id but not a model, so the model must be part of a
// record's identity.
const std::vector<RecordKey> kRecords = {
    {Model::ScoringJob, "r1"},
    {Model::ScoringJob, "r2"},
    {Model::BatchJob, "r1"},
};

const std::vector<std::string> kMutable = {"status", "scoreId", "errorMessage", "metadata", "startedAt", "completedAt"};

std::string timestamp_at(std::int64_t minute) {
  char text[64];
  std::snprintf(text, sizeof text, "2026-11-28T%02d:%02d:00.000Z", static_cast<int>(18 + minute / 60),
                static_cast<int>(minute % 60));
  return text;
}

json full_record(const RecordKey& record, std::int64_t seq, std::mt19937& rng) {
  json fields = json::object();
  fields["id"] = record.second;
  fields["createdAt"] = timestamp_at(seq);
  fields["updatedAt"] = timestamp_at(seq);
  for (const auto& name : kMutable) {
    // A create carries every field; some start out null.
    if (rng() % 3 == 0) {
      fields[name] = nullptr;
    } else {
      fields[name] = "c" + std::to_string(seq) + "-" + name;
    }
  }
  if (record.first == Model::BatchJob) fields["type"] = "batch";
  return fields;
}

json changed_fields(std::int64_t seq, std::mt19937& rng) {
  json fields = json::object();
  // A non-empty random subset of the mutable fields; about a third are cleared.
  unsigned mask = 0;
  while (mask == 0) mask = rng() % (1u << kMutable.size());
  for (std::size_t i = 0; i < kMutable.size(); ++i) {
    if (!(mask & (1u << i))) continue;
    if (rng() % 3 == 0) {
      fields[kMutable[i]] = nullptr;
    } else {
      fields[kMutable[i]] = "u" + std::to_string(seq) + "-" + kMutable[i];
    }
  }
  fields["updatedAt"] = timestamp_at(seq);
  return fields;
}

// One generated case: `assignment[i]` is the record of entry i; bit r of
// `create_mask` makes record r's first entry a create.
std::vector<OutboxEntry> generate(const std::vector<int>& assignment, unsigned create_mask, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<OutboxEntry> entries;
  std::vector<bool> seen(kRecords.size(), false);
  std::int64_t seq = 0;
  for (const int r : assignment) {
    seq += 1 + static_cast<std::int64_t>(rng() % 4);  // gaps: seqs are not positions
    const auto& record = kRecords[static_cast<std::size_t>(r)];
    const bool is_create = !seen[static_cast<std::size_t>(r)] && (create_mask & (1u << r));
    seen[static_cast<std::size_t>(r)] = true;
    if (is_create) {
      entries.push_back(entry(seq, record.first, record.second, Operation::Create, full_record(record, seq, rng)));
    } else {
      entries.push_back(entry(seq, record.first, record.second, Operation::Update, changed_fields(seq, rng)));
    }
  }
  return entries;
}

// Every invariant the sweep checks, with how often it broke and the first input
// that broke it.
struct Violations {
  std::map<std::string, int> count;
  std::map<std::string, std::string> first;

  void add(const std::string& invariant, const std::string& detail) {
    if (count[invariant]++ == 0) first[invariant] = detail;
  }
  int of(const std::string& invariant) const {
    const auto it = count.find(invariant);
    return it == count.end() ? 0 : it->second;
  }
  std::string example(const std::string& invariant) const {
    const auto it = first.find(invariant);
    return it == first.end() ? std::string() : it->second;
  }
};

const std::vector<std::string> kInvariants = {
    "throws exactly when a create follows another entry of its record",
    "the error for a create after another entry is Error{Internal}",
    "one op per record",
    "ops ordered by each record's first seq",
    "records in the order of their first entries",
    "model and recordId of each op",
    "operation is the first entry's",
    "seqs are exactly the record's seqs, ascending",
    "no entry lost or duplicated",
    "create carries every field of the create",
    "update carries exactly the union of changed fields",
    "every field has its latest value (null clears kept)",
    "updatedAt is the latest entry's",
};

using Coalescer = std::function<std::vector<PendingOp>(const std::vector<OutboxEntry>&)>;

void check_one(const std::vector<OutboxEntry>& entries, Violations& v, const Coalescer& under_test = run) {
  const auto ref = reference(entries);
  const std::string input = "input:" + describe(entries);

  std::vector<PendingOp> ops;
  bool threw = false;
  try {
    ops = under_test(entries);
  } catch (const Error& e) {
    threw = true;
    if (e.code() != Errc::Internal) {
      v.add("the error for a create after another entry is Error{Internal}",
            input + "\ncode: " + std::string(to_string(e.code())));
    }
  } catch (const std::exception& e) {
    threw = true;
    v.add("the error for a create after another entry is Error{Internal}", input + "\nthrew: " + e.what());
  }
  if (threw != ref.must_throw) {
    v.add("throws exactly when a create follows another entry of its record",
          input + (threw ? "\nthrew, expected a result" : "\nreturned, expected Error{Internal}:" + describe(ops)));
  }
  if (threw || ref.must_throw) return;

  const std::string io = input + "\noutput:" + describe(ops);

  std::set<RecordKey> distinct;
  for (const auto& op : ops) distinct.insert({op.model, op.record_id});
  if (ops.size() != ref.ops.size() || distinct.size() != ops.size()) v.add("one op per record", io);

  for (std::size_t i = 1; i < ops.size(); ++i) {
    if (ops[i - 1].seqs.empty() || ops[i].seqs.empty() || !(ops[i - 1].first_seq() < ops[i].first_seq())) {
      v.add("ops ordered by each record's first seq", io);
      break;
    }
  }

  std::vector<std::int64_t> all_in, all_out;
  for (const auto& e : entries) all_in.push_back(e.seq);
  for (const auto& op : ops) all_out.insert(all_out.end(), op.seqs.begin(), op.seqs.end());
  std::sort(all_in.begin(), all_in.end());
  std::sort(all_out.begin(), all_out.end());
  if (all_in != all_out) v.add("no entry lost or duplicated", io);

  const std::size_t n = std::min(ops.size(), ref.ops.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto& op = ops[i];
    const auto& want = ref.ops[i];
    const std::string at = io + "\nat op " + std::to_string(i) + ", expected " + model_name(want.record.first).data() +
                           "/" + want.record.second + " " + op_text(want.operation) + " " + seqs_text(want.seqs) + " " +
                           want.fields.dump();
    if (op.seqs != want.seqs) v.add("seqs are exactly the record's seqs, ascending", at);
    if (!op.seqs.empty() && !want.seqs.empty() && op.first_seq() != want.seqs.front()) {
      v.add("records in the order of their first entries", at);
    }
    if (RecordKey{op.model, op.record_id} != want.record) {
      v.add("records in the order of their first entries", at);
      v.add("model and recordId of each op", at);
    }
    if (op.operation != want.operation) v.add("operation is the first entry's", at);

    // Key sets.
    const json* first_fields = nullptr;
    for (const auto& e : entries) {
      if (RecordKey{e.model, e.record_id} == want.record) {
        first_fields = &e.fields;
        break;
      }
    }
    if (want.operation == Operation::Create && first_fields) {
      for (const auto& item : first_fields->items()) {
        if (!op.fields.contains(item.key())) {
          v.add("create carries every field of the create", at + "\nmissing: " + item.key());
          break;
        }
      }
    }
    if (want.operation == Operation::Update) {
      std::set<std::string> got_keys, want_keys;
      if (op.fields.is_object()) {
        for (const auto& item : op.fields.items()) got_keys.insert(item.key());
      }
      for (const auto& item : want.fields.items()) want_keys.insert(item.key());
      if (got_keys != want_keys) v.add("update carries exactly the union of changed fields", at);
    }

    // Values: every expected field has its latest value; a cleared field is present as null.
    for (const auto& item : want.fields.items()) {
      if (!op.fields.is_object() || !op.fields.contains(item.key()) || op.fields.at(item.key()) != item.value()) {
        v.add("every field has its latest value (null clears kept)", at + "\nfield: " + item.key());
        break;
      }
    }
    if (op.fields.is_object() && !(op.fields == want.fields)) {
      v.add("every field has its latest value (null clears kept)", at + "\n(whole fields differ)");
    }

    // updatedAt: the record's last entry's (every generated entry carries one).
    std::optional<json> last_updated;
    for (const auto& e : entries) {
      if (RecordKey{e.model, e.record_id} == want.record) last_updated = e.fields.at("updatedAt");
    }
    if (!op.fields.is_object() || !op.fields.contains("updatedAt") || op.fields.at("updatedAt") != *last_updated) {
      v.add("updatedAt is the latest entry's", at);
    }
  }
}

}  // namespace

// ---------------------------------------------------------------------------
// Table cases

TEST_CASE("coalesce: empty input gives no ops") {
  const std::vector<OutboxEntry> none;
  CHECK(run(none).empty());
}

TEST_CASE("coalesce: a single entry passes through unchanged") {
  struct Case {
    const char* name;
    OutboxEntry in;
  };
  const std::vector<Case> cases = {
      {"create", create(7, "job-1", kFullJob)},
      {"update", update(9, "job-1", {{"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:01:00.000Z"}})},
      {"update clearing a field", update(11, "job-1", {{"scoreId", nullptr}, {"updatedAt", "2026-11-28T18:02:00Z"}})},
      {"batch job create", create(3, "b-1", {{"id", "b-1"}, {"status", "OPEN"}}, Model::BatchJob)},
      {"link create", create(4, "l-1", {{"id", "l-1"}, {"batchId", "b-1"}}, Model::BatchJobScoringJob)},
  };
  for (const auto& c : cases) {
    INFO("c.name := ", std::string(c.name));
    const auto ops = run({c.in});
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].model == c.in.model);
    CHECK(ops[0].record_id == c.in.record_id);
    CHECK(ops[0].operation == c.in.operation);
    CHECK(ops[0].fields == c.in.fields);
    CHECK(ops[0].seqs == std::vector<std::int64_t>{c.in.seq});
    CHECK(ops[0].first_seq() == c.in.seq);
  }
}

TEST_CASE("coalesce: create followed by updates becomes one create with the final values") {
  const auto created = with(kFullJob, {{"scoreId", "s0"}, {"errorMessage", "boom"}});
  const std::vector<OutboxEntry> in = {
      create(1, "job-1", created),
      update(2, "job-1",
             {{"status", "RUNNING"},
              {"startedAt", "2026-11-28T18:01:00.000Z"},
              {"updatedAt", "2026-11-28T18:01:00.000Z"}}),
      update(5, "job-1", {{"scoreId", nullptr}, {"updatedAt", "2026-11-28T18:02:00.000Z"}}),
      update(6, "job-1",
             {{"status", "COMPLETED"},
              {"errorMessage", nullptr},
              {"completedAt", "2026-11-28T18:03:00.000Z"},
              {"updatedAt", "2026-11-28T18:03:00.000Z"}}),
  };
  const auto ops = run(in);
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].operation == Operation::Create);
  CHECK(ops[0].seqs == std::vector<std::int64_t>{1, 2, 5, 6});
  const json expected = with(created, {
                                          {"status", "COMPLETED"},
                                          {"startedAt", "2026-11-28T18:01:00.000Z"},
                                          {"completedAt", "2026-11-28T18:03:00.000Z"},
                                          {"scoreId", nullptr},       // cleared, kept as null
                                          {"errorMessage", nullptr},  // cleared, kept as null
                                          {"updatedAt", "2026-11-28T18:03:00.000Z"},
                                      });
  CHECK(ops[0].fields == expected);
  // Clears are explicit nulls, not missing keys: a create must carry every field.
  REQUIRE(ops[0].fields.contains("scoreId"));
  CHECK(ops[0].fields["scoreId"].is_null());
  CHECK(ops[0].fields["id"] == "job-1");
  CHECK(ops[0].fields["createdAt"] == kFullJob["createdAt"]);
}

TEST_CASE("coalesce: updates only become one update with the union of fields and latest values") {
  struct Case {
    const char* name;
    std::vector<OutboxEntry> in;
    json expected;
  };
  const std::vector<Case> cases = {
      {"disjoint fields",
       {update(1, "j", {{"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:01:00Z"}}),
        update(2, "j", {{"scoreId", "s"}, {"updatedAt", "2026-11-28T18:02:00Z"}})},
       {{"status", "RUNNING"}, {"scoreId", "s"}, {"updatedAt", "2026-11-28T18:02:00Z"}}},
      {"same field twice: latest value",
       {update(1, "j", {{"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:01:00Z"}}),
        update(2, "j", {{"status", "COMPLETED"}, {"updatedAt", "2026-11-28T18:02:00Z"}})},
       {{"status", "COMPLETED"}, {"updatedAt", "2026-11-28T18:02:00Z"}}},
      {"set then clear: null kept",
       {update(1, "j", {{"scoreId", "s"}, {"updatedAt", "2026-11-28T18:01:00Z"}}),
        update(2, "j", {{"scoreId", nullptr}, {"updatedAt", "2026-11-28T18:02:00Z"}})},
       {{"scoreId", nullptr}, {"updatedAt", "2026-11-28T18:02:00Z"}}},
      {"clear then set: value",
       {update(1, "j", {{"scoreId", nullptr}, {"updatedAt", "2026-11-28T18:01:00Z"}}),
        update(2, "j", {{"scoreId", "s2"}, {"updatedAt", "2026-11-28T18:02:00Z"}})},
       {{"scoreId", "s2"}, {"updatedAt", "2026-11-28T18:02:00Z"}}},
      {"earlier field untouched later keeps its value",
       {update(1, "j", {{"errorMessage", "e1"}, {"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:01:00Z"}}),
        update(2, "j", {{"status", "FAILED"}, {"updatedAt", "2026-11-28T18:02:00Z"}}),
        update(3, "j", {{"metadata", "{\"a\":1}"}, {"updatedAt", "2026-11-28T18:03:00Z"}})},
       {{"errorMessage", "e1"},
        {"status", "FAILED"},
        {"metadata", "{\"a\":1}"},
        {"updatedAt", "2026-11-28T18:03:00Z"}}},
      {"AWSJSON values are replaced whole, not merged",
       {update(1, "j", {{"metadata", "{\"a\":1}"}, {"updatedAt", "2026-11-28T18:01:00Z"}}),
        update(2, "j", {{"metadata", "{\"b\":2}"}, {"updatedAt", "2026-11-28T18:02:00Z"}})},
       {{"metadata", "{\"b\":2}"}, {"updatedAt", "2026-11-28T18:02:00Z"}}},
  };
  for (const auto& c : cases) {
    INFO("c.name := ", std::string(c.name));
    const auto ops = run(c.in);
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].operation == Operation::Update);
    CHECK(ops[0].record_id == "j");
    CHECK(ops[0].fields == c.expected);
    std::vector<std::int64_t> seqs;
    for (const auto& e : c.in) seqs.push_back(e.seq);
    CHECK(ops[0].seqs == seqs);
  }
}

TEST_CASE("coalesce: interleaved records keep the order of their first entries") {
  // A1 B2 A3 C4 B5 A6  →  A[1,3,6]  B[2,5]  C[4]
  const std::vector<OutboxEntry> in = {
      update(1, "A", {{"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:01:00Z"}}),
      create(2, "B", with(kFullJob, {{"id", "B"}})),
      update(3, "A", {{"scoreId", "sa"}, {"updatedAt", "2026-11-28T18:03:00Z"}}),
      update(4, "C", {{"status", "FAILED"}, {"updatedAt", "2026-11-28T18:04:00Z"}}),
      update(5, "B", {{"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:05:00Z"}}),
      update(6, "A", {{"status", "COMPLETED"}, {"updatedAt", "2026-11-28T18:06:00Z"}}),
  };
  const auto ops = run(in);
  CAPTURE(describe(ops));
  REQUIRE(ops.size() == 3);
  CHECK(ops[0].record_id == "A");
  CHECK(ops[0].seqs == std::vector<std::int64_t>{1, 3, 6});
  CHECK(ops[0].operation == Operation::Update);
  CHECK(ops[0].fields == json{{"status", "COMPLETED"}, {"scoreId", "sa"}, {"updatedAt", "2026-11-28T18:06:00Z"}});
  CHECK(ops[1].record_id == "B");
  CHECK(ops[1].seqs == std::vector<std::int64_t>{2, 5});
  CHECK(ops[1].operation == Operation::Create);
  CHECK(ops[1].fields == with(kFullJob, {{"id", "B"}, {"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:05:00Z"}}));
  CHECK(ops[2].record_id == "C");
  CHECK(ops[2].seqs == std::vector<std::int64_t>{4});
}

TEST_CASE("coalesce: the same id under different models is two records") {
  const std::vector<OutboxEntry> in = {
      update(1, "x", {{"status", "RUNNING"}, {"updatedAt", "2026-11-28T18:01:00Z"}}, Model::ScoringJob),
      update(2, "x", {{"status", "CLOSED"}, {"updatedAt", "2026-11-28T18:02:00Z"}}, Model::BatchJob),
      update(3, "x", {{"status", "COMPLETED"}, {"updatedAt", "2026-11-28T18:03:00Z"}}, Model::ScoringJob),
  };
  const auto ops = run(in);
  CAPTURE(describe(ops));
  REQUIRE(ops.size() == 2);
  CHECK(ops[0].model == Model::ScoringJob);
  CHECK(ops[0].seqs == std::vector<std::int64_t>{1, 3});
  CHECK(ops[0].fields["status"] == "COMPLETED");
  CHECK(ops[1].model == Model::BatchJob);
  CHECK(ops[1].seqs == std::vector<std::int64_t>{2});
  CHECK(ops[1].fields["status"] == "CLOSED");
}

TEST_CASE("coalesce: a create after another entry of the same record is Error{Internal}") {
  struct Case {
    const char* name;
    std::vector<OutboxEntry> in;
  };
  const std::vector<Case> cases = {
      {"create, create", {create(1, "j", kFullJob), create(2, "j", kFullJob)}},
      {"update, create", {update(1, "j", {{"status", "RUNNING"}}), create(2, "j", kFullJob)}},
      {"create, update, create",
       {create(1, "j", kFullJob), update(2, "j", {{"status", "RUNNING"}}), create(3, "j", kFullJob)}},
      {"interleaved: other record between",
       {update(1, "j", {{"status", "RUNNING"}}), create(2, "k", kFullJob), create(3, "j", kFullJob)}},
      {"batch job: create, create",
       {create(1, "b", {{"id", "b"}}, Model::BatchJob), create(2, "b", {{"id", "b"}}, Model::BatchJob)}},
  };
  for (const auto& c : cases) {
    INFO("c.name := ", std::string(c.name));
    const auto t = thrown_by(c.in);
    CHECK(t.threw);
    CHECK(t.scoringjobs_error);
    CHECK(t.code == Errc::Internal);
  }

  // Not an error: a create of one record after entries of other records, or a
  // create of the same id under another model.
  const std::vector<Case> fine = {
      {"create of another record", {update(1, "j", {{"status", "RUNNING"}}), create(2, "k", kFullJob)}},
      {"create of the same id under another model",
       {create(1, "j", kFullJob), create(2, "j", {{"id", "j"}}, Model::BatchJob)}},
  };
  for (const auto& c : fine) {
    INFO("c.name := ", std::string(c.name));
    CHECK_FALSE(thrown_by(c.in).threw);
  }
}

// ---------------------------------------------------------------------------
// The exhaustive sweep

TEST_CASE("coalesce: every sequence of up to 6 entries over 3 records matches the reference") {
  Violations v;
  long valid_cases = 0, invalid_cases = 0, null_clears = 0, creates_then_updates = 0;
  std::uint32_t seed = 20261128;

  for (std::size_t length = 0; length <= 6; ++length) {
    std::vector<int> assignment(length, 0);
    while (true) {
      std::set<int> present(assignment.begin(), assignment.end());
      for (unsigned mask = 0; mask < (1u << kRecords.size()); ++mask) {
        // Bits for absent records would repeat a case already generated.
        bool redundant = false;
        for (int r = 0; r < static_cast<int>(kRecords.size()); ++r) {
          if ((mask & (1u << r)) && !present.count(r)) redundant = true;
        }
        if (redundant) continue;

        const auto entries = generate(assignment, mask, seed++);
        for (const auto& e : entries) {
          if (e.operation == Operation::Update) {
            for (const auto& item : e.fields.items()) null_clears += item.value().is_null() ? 1 : 0;
          }
        }
        for (const auto& key : kRecords) {
          int creates = 0, updates_after = 0;
          for (const auto& e : entries) {
            if (RecordKey{e.model, e.record_id} != key) continue;
            if (e.operation == Operation::Create)
              ++creates;
            else if (creates)
              ++updates_after;
          }
          if (creates && updates_after) ++creates_then_updates;
        }
        check_one(entries, v);
        ++valid_cases;

        // Every invalid variant: one non-first entry of a record turned into a create.
        std::set<RecordKey> seen;
        for (std::size_t i = 0; i < entries.size(); ++i) {
          const RecordKey key{entries[i].model, entries[i].record_id};
          if (seen.insert(key).second) continue;  // the record's first entry
          auto bad = entries;
          bad[i].operation = Operation::Create;
          check_one(bad, v);
          ++invalid_cases;
        }
      }
      // Next assignment in base 3.
      std::size_t pos = 0;
      while (pos < length && assignment[pos] == static_cast<int>(kRecords.size()) - 1) assignment[pos++] = 0;
      if (pos == length) break;
      ++assignment[pos];
    }
  }

  for (const auto& invariant : kInvariants) {
    INFO(invariant);
    INFO("violations: ", v.of(invariant));
    INFO("first counterexample: ", v.example(invariant));
    CHECK(v.of(invariant) == 0);
  }

  // The sweep really covered what it claims: Σ over every assignment of length
  // 0..6 over 3 records of 2^(records present) create choices.
  CHECK(valid_cases == 7261);
  // One invalid variant per non-first entry: Σ (length − records present) · 2^present.
  CHECK(invalid_cases == 20202);
  CHECK(null_clears > 1000);
  CHECK(creates_then_updates > 1000);
}

TEST_CASE("coalesce: the sweep's reference and checks catch wrong coalescers") {
  // Guards the sweep: a reference or a check that agrees with everything would
  // prove nothing. First the reference against a hand-computed result…
  const std::vector<OutboxEntry> in = {
      update(3, "A", {{"a", 1}, {"b", 1}}),
      update(4, "B", {{"a", 9}}),
      update(8, "A", {{"a", nullptr}, {"c", 3}}),
  };
  const auto ref = reference(in);
  CHECK_FALSE(ref.must_throw);
  REQUIRE(ref.ops.size() == 2);
  CHECK(ref.ops[0].record.second == "A");
  CHECK(ref.ops[0].seqs == std::vector<std::int64_t>{3, 8});
  CHECK(ref.ops[0].fields == json{{"a", nullptr}, {"b", 1}, {"c", 3}});
  CHECK(ref.ops[1].record.second == "B");
  CHECK(ref.ops[1].fields == json{{"a", 9}});
  CHECK(reference({update(1, "A", {}), create(2, "A", {})}).must_throw);

  // …then deliberately wrong coalescers, each of which the checks must flag.
  const auto sweep = [](const Coalescer& mutant) {
    Violations v;
    std::uint32_t seed = 7;
    for (unsigned mask = 0; mask < 8; ++mask) {
      for (const auto& assignment : std::vector<std::vector<int>>{{0, 1, 0, 2, 1, 0}, {2, 2, 0, 1, 2, 0}}) {
        const auto entries = generate(assignment, mask, seed++);
        check_one(entries, v, mutant);
        auto bad = entries;
        bad[2].operation = Operation::Create;  // entry 2 is never a record's first
        check_one(bad, v, mutant);
      }
    }
    return v;
  };
  struct Mutant {
    const char* name;
    Coalescer fn;
    const char* caught_by;
  };
  const std::vector<Mutant> mutants = {
      {"drops null clears",
       [](const std::vector<OutboxEntry>& e) {
         auto ops = run(e);
         for (auto& op : ops) {
           for (auto it = op.fields.begin(); it != op.fields.end();) {
             it = it->is_null() ? op.fields.erase(it) : std::next(it);
           }
         }
         return ops;
       },
       "every field has its latest value (null clears kept)"},
      {"earliest value wins",
       [](const std::vector<OutboxEntry>& e) {
         auto reversed = e;
         std::reverse(reversed.begin(), reversed.end());
         auto ops = run(e);
         for (auto& op : ops) {
           for (const auto& entry : reversed) {
             if (entry.model == op.model && entry.record_id == op.record_id) {
               for (const auto& [k, val] : entry.fields.items()) op.fields[k] = val;
             }
           }
         }
         return ops;
       },
       "updatedAt is the latest entry's"},
      {"ops in reverse order",
       [](const std::vector<OutboxEntry>& e) {
         auto ops = run(e);
         std::reverse(ops.begin(), ops.end());
         return ops;
       },
       "ops ordered by each record's first seq"},
      {"ops ordered by last seq",
       [](const std::vector<OutboxEntry>& e) {
         auto ops = run(e);
         std::stable_sort(ops.begin(), ops.end(),
                          [](const PendingOp& a, const PendingOp& b) { return a.seqs.back() < b.seqs.back(); });
         return ops;
       },
       "records in the order of their first entries"},
      {"one op per entry",
       [](const std::vector<OutboxEntry>& e) {
         std::vector<PendingOp> ops;
         for (const auto& entry : e) {
           ops.push_back(PendingOp{entry.model, entry.record_id, entry.operation, entry.fields, {entry.seq}});
         }
         return ops;
       },
       "one op per record"},
      {"loses the last seq",
       [](const std::vector<OutboxEntry>& e) {
         auto ops = run(e);
         if (ops.front().seqs.size() > 1) ops.front().seqs.pop_back();
         return ops;
       },
       "no entry lost or duplicated"},
      {"ignores the model",
       [](const std::vector<OutboxEntry>& e) {
         auto same_model = e;
         for (auto& entry : same_model) entry.model = Model::ScoringJob;
         return run(same_model);
       },
       "one op per record"},
      {"never throws",
       [](const std::vector<OutboxEntry>& e) {
         auto updates = e;
         for (std::size_t i = 1; i < updates.size(); ++i) updates[i].operation = Operation::Update;
         return run(updates);
       },
       "throws exactly when a create follows another entry of its record"},
      {"throws the wrong code",
       [](const std::vector<OutboxEntry>& e) {
         try {
           return run(e);
         } catch (const Error&) {
           throw Error(Errc::Conflict, "wrong code");
         }
       },
       "the error for a create after another entry is Error{Internal}"},
      {"a create turned into an update",
       [](const std::vector<OutboxEntry>& e) {
         auto ops = run(e);
         for (auto& op : ops) op.operation = Operation::Update;
         return ops;
       },
       "operation is the first entry's"},
  };
  for (const auto& m : mutants) {
    INFO("m.name := ", std::string(m.name));
    INFO("m.caught_by := ", std::string(m.caught_by));
    const auto v = sweep(m.fn);
    CHECK(v.of(m.caught_by) > 0);
  }
  // And the real one passes the same mini-sweep.
  const auto clean = sweep(run);
  for (const auto& invariant : kInvariants) {
    CAPTURE(invariant);
    CHECK(clean.of(invariant) == 0);
  }
}
