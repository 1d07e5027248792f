#include "sync/push.hpp"

#include <set>

#include "scoringjobs/log.hpp"
#include "store/record_api.hpp"
#include "store/record_io.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"
#include "sync/backoff.hpp"
#include "sync/merge.hpp"
#include "sync/remote_reads.hpp"

namespace scoringjobs::detail {
namespace {

using nlohmann::json;

constexpr int kTriesPerRun = 3;         // then the record waits for the next run
constexpr std::size_t kPageSize = 256;  // outbox entries read at a time

const json kNull = nullptr;

const json& field_or_null(const json& record, const std::string& key) {
  const auto it = record.find(key);
  return it == record.end() ? kNull : *it;
}

// True when the remote record already holds every value the mutation sent.
bool holds(const json& remote, const json& sent) {
  for (const auto& [field, value] : sent.items()) {
    if (field == "id") continue;
    if (field_or_null(remote, field) != value) return false;
  }
  return true;
}

}  // namespace

json mutation_input(const PendingOp& op) {
  if (op.operation == Operation::Create) {
    switch (op.model) {
      case Model::ScoringJob: return create_input(ScoringJob::from_dict(op.fields));
      case Model::BatchJob: return create_input(BatchJob::from_dict(op.fields));
      case Model::BatchJobScoringJob: return create_input(BatchJobScoringJob::from_dict(op.fields));
    }
  }
  json input = op.fields;
  input.erase("createdAt");
  // Only UpdateScoringJobInput has updatedAt; the others get the server's time.
  if (op.model != Model::ScoringJob) input.erase("updatedAt");
  input["id"] = op.record_id;
  return input;
}

void Pusher::add_to(MutationBatch& batch, const PendingOp& op) {
  const auto input = mutation_input(op);
  if (op.operation == Operation::Create) {
    batch.add_create(op.model, input);
    return;
  }
  json condition = nullptr;
  if (auto state = find_remote_state(ctx_.impl, op.model, op.record_id); state && !state->updatedAt.empty()) {
    condition = {{"updatedAt", {{"eq", state->updatedAt}}}};  // compare-and-set on what the remote confirmed
  }
  batch.add_update(op.model, input, condition);
}

void Pusher::run() {
  for (;;) {
    auto ops = collect();
    if (ops.empty()) return;
    send(std::move(ops));
    if (ctx_.options.progress) {
      // In outbox entries, as queued_at_start is: entries folded into a mutation count too.
      const auto& r = ctx_.report;
      ctx_.options.progress(r.pushed + r.coalesced + r.dead_lettered, r.queued_at_start);
    }
  }
}

bool Pusher::sendable(const OutboxEntry& entry, const Timestamp& now) {
  if (!ctx_.options.retry_now && entry.next_attempt_at && entry.next_attempt_at->unix_millis() > now.unix_millis()) {
    return false;
  }
  if (const auto tried = tries_.find(entry.seq); tried != tries_.end() && tried->second >= kTriesPerRun) return false;
  if (has_dead_letter(ctx_.impl, entry.model, entry.record_id)) return false;
  if (entry.operation == Operation::Update && has_pending_create(ctx_.impl, entry.model, entry.record_id)) {
    return false;  // its create waits earlier in the queue
  }
  if (entry.model == Model::BatchJobScoringJob && entry.operation == Operation::Create) {
    // A join row goes out only once both records it names exist remotely.
    const auto parent_ready = [&](Model model, const char* key) {
      const auto id = entry.fields.value(key, std::string());
      return !has_pending_create(ctx_.impl, model, id) && !has_dead_letter(ctx_.impl, model, id);
    };
    if (!parent_ready(Model::BatchJob, "batchJobId") || !parent_ready(Model::ScoringJob, "scoringJobId")) {
      return false;
    }
  }
  return true;
}

std::vector<PendingOp> Pusher::collect() {
  const auto now = Timestamp::now();
  const std::size_t wanted = std::max<std::size_t>(ctx_.options.batch_size, 1);
  std::set<std::pair<Model, std::string>> included, blocked;
  std::vector<OutboxEntry> window;
  // Once enough records are in, read a little further so their later entries coalesce.
  std::size_t lookahead = 4 * wanted;
  std::int64_t after = 0;
  bool full = false;
  for (;;) {
    auto page = outbox::list(ctx_.store, kPageSize, after);
    if (page.empty()) break;
    for (auto& entry : page) {
      after = entry.seq;
      const auto key = std::make_pair(entry.model, entry.record_id);
      if (full) {
        if (lookahead-- == 0) return coalesce(window);
        if (included.count(key)) window.push_back(std::move(entry));
        continue;
      }
      if (blocked.count(key)) continue;
      if (!included.count(key)) {
        if (!sendable(entry, now)) {
          blocked.insert(key);  // and every later entry of the record waits behind it
          continue;
        }
        included.insert(key);
      }
      window.push_back(std::move(entry));
      full = included.size() >= wanted;
    }
  }
  return coalesce(window);
}

void Pusher::send(std::vector<PendingOp> ops) {
  MutationBatch batch;
  std::vector<PendingOp> sent;
  for (auto& op : ops) {
    try {
      // Bounded by bytes as well as count: what does not fit waits for the next request.
      constexpr std::size_t kAliasOverhead = 256;
      if (!batch.empty() &&
          batch.document_bytes() + mutation_input(op).dump().size() + kAliasOverhead > ctx_.options.max_request_bytes) {
        break;
      }
      add_to(batch, op);
    } catch (const Error& e) {
      if (e.code() != Errc::InvalidArgument) throw;
      bury(op, Error(Errc::Rejected, e.what(), e.field()));
      continue;
    }
    sent.push_back(std::move(op));
  }
  if (sent.empty()) return;
  for (const auto& op : sent) ++tries_[op.first_seq()];

  std::vector<MutationResult> results;
  try {
    results = ctx_.remote().run(batch);
  } catch (const Error& e) {
    switch (e.code()) {
      case Errc::OutcomeUnknown:
        log(LogLevel::Info, std::string("outcome unknown; reading the records back: ") + e.what());
        settle(std::move(sent));
        return;
      case Errc::Rejected:
        if (sent.size() > 1) {
          // The whole document was refused: find the culprit by halves.
          const auto middle = sent.begin() + static_cast<std::ptrdiff_t>(sent.size() / 2);
          std::vector<PendingOp> first(std::make_move_iterator(sent.begin()), std::make_move_iterator(middle));
          std::vector<PendingOp> second(std::make_move_iterator(middle), std::make_move_iterator(sent.end()));
          for (const auto& op : first) --tries_[op.first_seq()];
          for (const auto& op : second) --tries_[op.first_seq()];
          send(std::move(first));
          send(std::move(second));
        } else {
          bury(sent.front(), e);
        }
        return;
      case Errc::Transient:
      case Errc::Throttled:
        // Past the deadline a transient failure is a request cut short for want of time.
        if (e.code() == Errc::Throttled || !ctx_.past_deadline()) {
          for (const auto& op : sent) defer(op, e);
        }
        ctx_.end_run_for(e);
      default: ctx_.end_run_for(e);
    }
  }

  std::vector<PendingOp> unsettled;
  for (std::size_t i = 0; i < results.size() && i < sent.size(); ++i) {
    auto& result = results[i];
    auto& op = sent[i];
    if (result.ok()) {
      confirm(op, wire_of(*result.record));
      continue;
    }
    const Error& error = *result.error;
    switch (error.code()) {
      case Errc::RemoteConflict:
      case Errc::OutcomeUnknown: unsettled.push_back(std::move(op)); break;
      case Errc::Transient:
      case Errc::Throttled: defer(op, error); break;
      case Errc::Auth: ctx_.end_run_for(error);
      default: bury(op, error);
    }
  }
  if (!unsettled.empty()) settle(std::move(unsettled));
}

void Pusher::settle(std::vector<PendingOp> ops) {
  // Read every unsettled record back, a model at a time.
  for (const Model model : {Model::BatchJob, Model::ScoringJob, Model::BatchJobScoringJob}) {
    std::vector<const PendingOp*> of_model;
    std::vector<std::string> ids;
    for (const auto& op : ops) {
      if (op.model != model) continue;
      of_model.push_back(&op);
      ids.push_back(op.record_id);
    }
    if (ids.empty()) continue;
    std::vector<std::optional<json>> remotes;
    try {
      remotes = fetch_many(ctx_.remote(), model, ids);
    } catch (const Error& e) {
      ctx_.end_run_for(e);  // the entries stay queued; the next run settles them
    }
    for (std::size_t i = 0; i < of_model.size(); ++i) {
      const PendingOp& op = *of_model[i];
      const auto& remote = remotes[i];
      const auto sent = mutation_input(op);
      if (!remote) {
        if (op.operation == Operation::Create) continue;  // not applied: sent again next round
        WriteTransaction tx(ctx_.impl);
        flag_deleted_remotely(tx, op.model, op.record_id);
        dead_letter(tx, {op.model, op.record_id, op.operation, op.fields, op.seqs,
                         std::string(to_string(Errc::RemoteConflict)), "the record no longer exists remotely"});
        tx.commit();
        ++ctx_.report.deleted_remotely;
        ++ctx_.report.dead_lettered;
        continue;
      }
      if (holds(*remote, sent)) {
        confirm(op, *remote);
        continue;
      }
      json base;
      if (op.operation == Operation::Create) {
        base = create_base(op, *remote);
      } else {
        const auto state = find_remote_state(ctx_.impl, op.model, op.record_id);
        if (state && field_or_null(*remote, "updatedAt") == state->updatedAt) continue;  // not applied; resend
        base = state ? state->fields : json(nullptr);
      }
      rebase(op, base, *remote);
    }
  }
}

// A create of ours landed earlier (its answer lost) but the remote no longer
// holds what the create sends now. If the remote is exactly a version we sent
// (the create folded with a prefix of the later updates), that version is the
// base: every difference is a local change made since. Otherwise others changed
// the record too, and the record as first created is the base: a field only they
// changed comes down, a field both changed goes through the merge rules, each
// decision recorded. (op.fields cannot be the base: it folds in every update.)
json Pusher::create_base(const PendingOp& op, const json& remote) {
  const auto entries = pending_entries(ctx_.impl, op.model, op.record_id);
  if (entries.empty() || entries.front().operation != Operation::Create) return nullptr;
  for (std::size_t n = entries.size(); n >= 1; --n) {
    const auto versions = coalesce(std::span(entries).first(n));
    if (versions.size() == 1 && holds(remote, mutation_input(versions.front()))) return remote;
  }
  return mutation_input(coalesce(std::span(entries).first(1)).front());
}

void Pusher::confirm(const PendingOp& op, const json& remote) {
  WriteTransaction tx(ctx_.impl);
  const auto state = find_remote_state(ctx_.impl, op.model, op.record_id);
  if (auto local = read_local(ctx_.impl, op.model, op.record_id)) {
    // Take the remote's values (e.g. server-set timestamps) for every field the
    // local record has not changed since this mutation was queued.
    json adopted = *local;
    for (const auto& [field, value] : remote.items()) {
      if (field == "id" || !adopted.contains(field)) continue;
      const json* expected = nullptr;
      if (op.fields.contains(field)) {
        expected = &op.fields[field];
      } else if (state) {
        expected = &field_or_null(state->fields, field);
      }
      if (expected && adopted[field] == *expected) adopted[field] = value;
    }
    if (adopted != *local) write_local(tx, op.model, adopted);
  }
  put_remote_state(tx, op.model, remote);
  delete_entries(tx, op.seqs);
  tx.commit();
  ++ctx_.report.pushed;
  ctx_.report.coalesced += static_cast<std::int64_t>(op.seqs.size()) - 1;
}

void Pusher::rebase(const PendingOp& op, const json& base, const json& remote) {
  WriteTransaction tx(ctx_.impl);
  const auto local = read_local(ctx_.impl, op.model, op.record_id);
  const auto outcome = three_way_merge(op.model, base, local ? *local : remote, remote);
  json merged = outcome.merged;
  json diff = json::object();
  for (const auto& [field, value] : merged.items()) {
    if (field == "id" || field == "createdAt" || field == "updatedAt") continue;
    if (field_or_null(remote, field) != value) diff[field] = value;
  }
  if (!diff.empty()) {
    auto latest = Timestamp::parse(remote.value("updatedAt", std::string()), "updatedAt");
    if (local) {
      const auto local_updated = Timestamp::parse(local->value("updatedAt", std::string()), "updatedAt");
      if (local_updated > latest) latest = local_updated;
    }
    const auto stamp = next_updated_at(latest).wire();
    merged["updatedAt"] = stamp;
    diff["updatedAt"] = stamp;
  }
  write_local(tx, op.model, merged);
  put_remote_state(tx, op.model, remote);
  for (const auto& c : outcome.conflicts) {
    record_conflict(tx, {op.model, op.record_id, c.field, c.base, c.local, c.remote, c.result, c.chosen, c.rule});
  }
  if (diff.empty()) {
    const auto seqs = pending_seqs(ctx_.impl, op.model, op.record_id);
    delete_entries(tx, seqs);
  } else {
    rewrite_pending_as_update(tx, op.model, op.record_id, diff);
  }
  tx.commit();
  ctx_.report.conflicts += static_cast<std::int64_t>(outcome.conflicts.size());
  if (diff.empty()) ++ctx_.report.pushed;
}

void Pusher::defer(const PendingOp& op, const Error& error) {
  const int attempts = entry_attempts(ctx_.impl, op.first_seq());
  const auto delay =
      backoff_delay(attempts, ctx_.options.backoff_base, ctx_.options.backoff_cap, error.retry_after(), ctx_.random);
  WriteTransaction tx(ctx_.impl);
  defer_entries(tx, op.seqs, Timestamp::from_unix_millis(Timestamp::now().unix_millis() + delay.count()),
                std::string(to_string(error.code())) + ": " + error.what());
  tx.commit();
  ++ctx_.report.retried;
}

void Pusher::bury(const PendingOp& op, const Error& error) {
  log(LogLevel::Warn,
      std::string("dead-lettered ") + std::string(model_name(op.model)) + " " + op.record_id + ": " + error.what());
  WriteTransaction tx(ctx_.impl);
  dead_letter(tx, {op.model, op.record_id, op.operation, op.fields, op.seqs, std::string(to_string(error.code())),
                   error.what()});
  tx.commit();
  ++ctx_.report.dead_lettered;
}

}  // namespace scoringjobs::detail
