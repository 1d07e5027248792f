// Fixtures: exporting every record as one document and importing one, checked
// whole and written in one transaction (see include/scoringjobs/fixtures.hpp).

#include "scoringjobs/fixtures.hpp"

#include <array>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/statuses.hpp"
#include "model/wire_text.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"
#include "store/local_changes.hpp"
#include "store/read_snapshot.hpp"
#include "store/record_io.hpp"
#include "store/rows.hpp"
#include "store/sqlite_error.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::fixtures {
namespace {

using detail::StoreImpl;
using detail::WriteTransaction;
using nlohmann::json;

constexpr std::array kModels{Model::ScoringJob, Model::BatchJob, Model::BatchJobScoringJob};

// A read transaction, so an export is one consistent snapshot even while a
// sync writes (WAL readers never block writers). Read-only: ending it by
// rollback loses nothing.
std::vector<std::string> all_ids(StoreImpl& store, Model model) {
  // TEXT compares bytewise (BINARY collation), as std::string does.
  auto s = model == Model::ScoringJob ? store.statements.get("SELECT id FROM scoring_job ORDER BY id")
           : model == Model::BatchJob ? store.statements.get("SELECT id FROM batch_job ORDER BY id")
                                      : store.statements.get("SELECT id FROM batch_job_scoring_job ORDER BY id");
  std::vector<std::string> ids;
  while (s->executeStep()) ids.push_back(s->getColumn(0).getString());
  return ids;
}

[[noreturn]] void refuse(const std::string& position, const std::string& why) {
  throw Error(Errc::InvalidArgument, position + ": " + why, position);
}

std::string position(Model model, std::size_t index) {
  return std::string(model_name(model)) + "[" + std::to_string(index) + "]";
}

std::string quote_id(std::string_view id) { return "\"" + excerpt(id) + "\""; }

// One record of the document, read and checked on its own.
template <class Record>
struct Entry {
  Record record;
  std::string wire;          // record.to_dict().dump(), written without the DOM: the form stored and compared
  detail::AwsJsonText json;  // its AWSJSON fields, dumped once for the wire text and the row
  Model model;
  std::size_t index;  // in its list

  // Its position, e.g. "ScoringJob[3]": made only for an error message.
  std::string at() const { return position(model, index); }
};

template <class Record>
std::vector<Entry<Record>> parse_list(const json& document, Model model) {
  std::vector<Entry<Record>> entries;
  const auto name = std::string(model_name(model));
  const auto list = document.find(name);
  if (list == document.end()) return entries;
  if (!list->is_array()) refuse(name, std::string("must be a list of records, not ") + list->type_name());
  // Reserved whole, so the entries never move: `seen` keeps views of their ids.
  entries.reserve(list->size());
  std::unordered_map<std::string_view, std::size_t> seen;
  seen.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& wire = (*list)[i];
    auto& entry = entries.emplace_back(Entry<Record>{Record{}, std::string(), {}, model, i});
    if (!wire.is_object()) refuse(entry.at(), std::string("must be a record (an object), not ") + wire.type_name());
    if (model == Model::ScoringJob && wire.contains("batchId")) {
      refuse(entry.at() + ".batchId", "is local-only; batch membership is given by BatchJobScoringJob records");
    }
    try {
      entry.record = Record::from_dict(wire);
    } catch (const Error& e) {
      refuse(e.field().empty() ? entry.at() : entry.at() + "." + e.field(), e.what());
    } catch (const json::exception& e) {
      refuse(entry.at(), e.what());
    }
    if (const auto [first, fresh] = seen.emplace(entry.record.id, i); !fresh) {
      refuse(entry.at() + ".id",
             "duplicate id " + quote_id(entry.record.id) + " (also " + position(model, first->second) + ")");
    }
    if constexpr (std::is_same_v<Record, BatchJobScoringJob>) {
      entry.wire = detail::wire_text(entry.record);  // no AWSJSON field
    } else {
      entry.json = detail::AwsJsonText(entry.record);
      entry.wire = detail::wire_text(entry.record, entry.json);
    }
  }
  return entries;
}

struct Document {
  std::vector<Entry<BatchJob>> batches;
  std::vector<Entry<ScoringJob>> jobs;
  std::vector<Entry<BatchJobScoringJob>> links;
};

// Everything that can be checked without the store.
Document parse_document(const json& document) {
  if (!document.is_object()) {
    refuse("document", std::string("must be an object {\"ScoringJob\": [...], \"BatchJob\": [...], "
                                   "\"BatchJobScoringJob\": [...]}, not ") +
                           document.type_name());
  }
  for (const auto& [key, value] : document.items()) {
    if (!model_from_name(key)) {
      refuse(excerpt(key), "unknown model; expected ScoringJob, BatchJob or BatchJobScoringJob");
    }
  }
  Document parsed;
  // Positions are reported in this order: ScoringJob, BatchJob, then BatchJobScoringJob.
  parsed.jobs = parse_list<ScoringJob>(document, Model::ScoringJob);
  parsed.batches = parse_list<BatchJob>(document, Model::BatchJob);
  parsed.links = parse_list<BatchJobScoringJob>(document, Model::BatchJobScoringJob);
  return parsed;
}

// Which tables hold anything, probed once inside the import's transaction: an
// import into an empty store (the usual case) then skips every per-record
// lookup, which answer "absent" anyway.
struct StoreHolds {
  bool scoring_jobs, batch_jobs, links, pending, dead_letters;

  explicit StoreHolds(StoreImpl& store)
      : scoring_jobs(detail::rows::any_scoring_job(store)),
        batch_jobs(detail::rows::any_batch_job(store)),
        links(detail::rows::any_link(store)),
        pending(detail::any_pending_entry(store)),
        dead_letters(detail::any_dead_letter(store)) {}

  bool records(Model model) const {
    switch (model) {
      case Model::ScoringJob: return scoring_jobs;
      case Model::BatchJob: return batch_jobs;
      case Model::BatchJobScoringJob: return links;
    }
    return true;
  }
};

// Join rows must name records the store will hold, and keep a job in one batch.
void check_links(StoreImpl& store, const StoreHolds& holds, const Document& doc) {
  std::unordered_set<std::string_view> batch_ids, job_ids;
  batch_ids.reserve(doc.batches.size());
  job_ids.reserve(doc.jobs.size());
  for (const auto& e : doc.batches) batch_ids.insert(e.record.id);
  for (const auto& e : doc.jobs) job_ids.insert(e.record.id);
  std::unordered_map<std::string_view, std::size_t> link_of_job;  // scoringJobId -> the join row's index
  link_of_job.reserve(doc.links.size());
  for (const auto& e : doc.links) {
    const auto& link = e.record;
    if (!batch_ids.count(link.batchJobId) &&
        (!holds.batch_jobs || !detail::rows::find_batch_job(store, link.batchJobId))) {
      refuse(e.at() + ".batchJobId", "no BatchJob " + quote_id(link.batchJobId) + " in the file or the store");
    }
    if (!job_ids.count(link.scoringJobId) &&
        (!holds.scoring_jobs || !detail::rows::find_scoring_job(store, link.scoringJobId))) {
      refuse(e.at() + ".scoringJobId", "no ScoringJob " + quote_id(link.scoringJobId) + " in the file or the store");
    }
    if (const auto [first, fresh] = link_of_job.emplace(link.scoringJobId, e.index); !fresh) {
      refuse(e.at() + ".scoringJobId", "ScoringJob " + quote_id(link.scoringJobId) + " is already linked by " +
                                           position(Model::BatchJobScoringJob, first->second) +
                                           "; a ScoringJob belongs to one batch");
    }
    if (!holds.links) continue;
    if (const auto stored = detail::rows::link_of_scoring_job(store, link.scoringJobId);
        stored && stored->id != link.id) {
      refuse(e.at() + ".scoringJobId", "ScoringJob " + quote_id(link.scoringJobId) + " is already in BatchJob " +
                                           quote_id(stored->batchJobId) + " in the store (BatchJobScoringJob " +
                                           quote_id(stored->id) + ")");
    }
    if (const auto stored = detail::rows::find_link(store, link.id);
        stored && (stored->batchJobId != link.batchJobId || stored->scoringJobId != link.scoringJobId)) {
      refuse(e.at(), "BatchJobScoringJob " + quote_id(link.id) + " links other records in the store");
    }
  }
}

enum class Action {
  Write,
  // A join row written whose ScoringJob is written in the same import, already
  // holding the batchId (join_written_jobs): the job's row is not written twice.
  WriteJoined,
  Unchanged,
  Keep,
};

template <class Record>
std::vector<Action> plan(StoreImpl& store, const StoreHolds& holds, Model model,
                         const std::vector<Entry<Record>>& entries, const ImportOptions& options) {
  std::vector<Action> actions;
  actions.reserve(entries.size());
  for (const auto& e : entries) {
    const auto& id = e.record.id;
    const auto local = holds.records(model) ? detail::read_local(store, model, id) : std::nullopt;
    if (options.as == ImportAs::LocalChanges) {
      if (!local) {
        actions.push_back(Action::Write);
      } else if (local->dump() == e.wire) {
        actions.push_back(Action::Unchanged);
      } else {
        refuse(e.at(), std::string(model_name(model)) + " " + quote_id(id) +
                           " is already in the store with other values; --as-local-changes only creates records");
      }
      continue;
    }
    if ((holds.pending && detail::has_pending_entries(store, model, id)) ||
        (holds.dead_letters && detail::has_dead_letter(store, model, id))) {
      if (options.keep_local_changes) {
        actions.push_back(Action::Keep);
        continue;
      }
      refuse(e.at(), std::string(model_name(model)) + " " + quote_id(id) +
                         " has local changes not yet synced; sync (or resolve its dead letter) first");
    }
    if (!local || local->dump() != e.wire) {
      actions.push_back(Action::Write);
      continue;
    }
    const auto remote = detail::find_remote_state(store, model, id);
    const bool same = remote && !remote->deleted_remotely && remote->fields.dump() == e.wire;
    actions.push_back(same ? Action::Unchanged : Action::Write);
  }
  return actions;
}

// Each ScoringJob written together with its join row takes the join row's
// batchId into its own row write, so the join row need not write the job's
// row a second time (set_batch_id); the rows end as they would otherwise.
// Batches are written before jobs, so the batchId names a stored row.
void join_written_jobs(Document& doc, const std::vector<Action>& job_actions, std::vector<Action>& link_actions) {
  std::unordered_map<std::string_view, std::size_t> written_jobs;
  written_jobs.reserve(doc.jobs.size());
  for (std::size_t i = 0; i < doc.jobs.size(); ++i) {
    if (job_actions[i] == Action::Write) written_jobs.emplace(doc.jobs[i].record.id, i);
  }
  for (std::size_t i = 0; i < doc.links.size(); ++i) {
    if (link_actions[i] != Action::Write) continue;
    const auto& link = doc.links[i].record;
    const auto job = written_jobs.find(link.scoringJobId);
    if (job == written_jobs.end()) continue;
    doc.jobs[job->second].record.batchId = link.batchJobId;
    link_actions[i] = Action::WriteJoined;
  }
}

// Whether sync stops reading the record back (put_remote_state).
bool is_final(const ScoringJob& job) { return detail::is_terminal_status(Model::ScoringJob, job.status); }
bool is_final(const BatchJob& batch) { return detail::is_terminal_status(Model::BatchJob, batch.status); }
bool is_final(const BatchJobScoringJob&) { return true; }

// A ScoringJob's batchId is set only by join_written_jobs (the document refuses
// one): else its join row, written below or already stored, sets it.
void create_local(WriteTransaction& tx, const BatchJob& batch, Action) { detail::create_locally(tx, batch); }
void create_local(WriteTransaction& tx, const ScoringJob& job, Action) { detail::create_locally(tx, job); }
void create_local(WriteTransaction& tx, const BatchJobScoringJob& link, Action action) {
  detail::create_locally(tx, link);
  if (action != Action::WriteJoined) detail::rows::set_batch_id(tx, link.scoringJobId, link.batchJobId);
}

// From the record parsed once above; its wire shape is what the remote holds.
// A table the store held nothing of when the import began cannot hold a row
// with the record's id (ids are unique in the document): a plain INSERT, which
// costs less than an upsert, writes the same row.
void write_remote(WriteTransaction& tx, const StoreHolds& holds, const Entry<BatchJob>& e, Action) {
  if (holds.batch_jobs) {
    detail::rows::upsert(tx, e.record, e.json);
  } else {
    detail::rows::insert(tx, e.record, e.json);
  }
}
void write_remote(WriteTransaction& tx, const StoreHolds& holds, const Entry<ScoringJob>& e, Action) {
  if (!holds.scoring_jobs) {
    detail::rows::insert(tx, e.record, e.json);  // nor a local batchId to keep
  } else if (e.record.batchId) {
    detail::rows::upsert(tx, e.record, e.json);  // given by join_written_jobs: the stored one is replaced anyway
  } else {
    detail::write_local(tx, e.record);  // keeps the stored batchId
  }
}
void write_remote(WriteTransaction& tx, const StoreHolds& holds, const Entry<BatchJobScoringJob>& e, Action action) {
  if (holds.links) {
    detail::rows::upsert(tx, e.record);
  } else {
    detail::rows::insert(tx, e.record);
  }
  if (action != Action::WriteJoined) detail::rows::set_batch_id(tx, e.record.scoringJobId, e.record.batchJobId);
}

template <class Record>
void apply(WriteTransaction& tx, const StoreHolds& holds, Model model, const std::vector<Entry<Record>>& entries,
           const std::vector<Action>& actions, const ImportOptions& options, ImportCounts& counts) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    switch (actions[i]) {
      case Action::Unchanged: ++counts.unchanged; continue;
      case Action::Keep: ++counts.kept; continue;
      case Action::Write:
      case Action::WriteJoined: break;
    }
    const auto& record = entries[i].record;
    if (options.as == ImportAs::LocalChanges) {
      create_local(tx, record, actions[i]);
    } else {
      write_remote(tx, holds, entries[i], actions[i]);
      detail::put_remote_state(tx, model, record.id, record.updatedAt.wire(), is_final(record), entries[i].wire);
    }
    ++counts.written;
  }
}

json counts_json(const ImportCounts& c) {
  return {{"written", c.written}, {"unchanged", c.unchanged}, {"kept", c.kept}};
}

}  // namespace

void to_json(json& out, const ImportReport& report) {
  out = {{"ScoringJob", counts_json(report.scoring_jobs)},
         {"BatchJob", counts_json(report.batch_jobs)},
         {"BatchJobScoringJob", counts_json(report.links)}};
}

json export_records(Store& store) {
  return detail::guard_sqlite("exporting records", [&] {
    auto& impl = detail::impl_of(store);
    detail::ReadSnapshot snapshot(impl);
    json document = json::object();
    for (const auto model : kModels) {
      auto& list = document[std::string(model_name(model))] = json::array();
      for (const auto& id : all_ids(impl, model)) {
        if (auto wire = detail::read_local(impl, model, id)) list.push_back(std::move(*wire));
      }
    }
    return document;
  });
}

ImportReport import_records(Store& store, const json& records, const ImportOptions& options) {
  auto doc = parse_document(records);
  return detail::guard_sqlite("importing records", [&] {
    auto& impl = detail::impl_of(store);
    // Checked inside the write transaction so no other writer can slip in
    // between the checks and the writes.
    WriteTransaction tx(impl);
    const StoreHolds holds(impl);
    check_links(impl, holds, doc);
    const auto batch_actions = plan(impl, holds, Model::BatchJob, doc.batches, options);
    const auto job_actions = plan(impl, holds, Model::ScoringJob, doc.jobs, options);
    auto link_actions = plan(impl, holds, Model::BatchJobScoringJob, doc.links, options);
    join_written_jobs(doc, job_actions, link_actions);
    ImportReport report;
    // Parents before the rows that reference them.
    apply(tx, holds, Model::BatchJob, doc.batches, batch_actions, options, report.batch_jobs);
    apply(tx, holds, Model::ScoringJob, doc.jobs, job_actions, options, report.scoring_jobs);
    apply(tx, holds, Model::BatchJobScoringJob, doc.links, link_actions, options, report.links);
    tx.commit();
    return report;
  });
}

}  // namespace scoringjobs::fixtures
