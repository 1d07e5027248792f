#include "sync/push.hpp"

#include <algorithm>

#include "scoringjobs/log.hpp"
#include "scoringjobs/outbox.hpp"
#include "store/record_api.hpp"
#include "store/record_io.hpp"
#include "store/store_impl.hpp"
#include "store/sync_tables.hpp"
#include "store/write_transaction.hpp"
#include "sync/adopt.hpp"
#include "sync/backoff.hpp"
#include "sync/batch_counts.hpp"
#include "sync/merge.hpp"
#include "sync/remote_reads.hpp"

namespace scoringjobs::detail {
namespace {

using nlohmann::json;

constexpr int kTriesPerRun = 3;         // then the record waits for the next run
constexpr std::size_t kPageSize = 256;  // outbox entries read at a time
constexpr std::size_t kAliasOverhead = 256;

bool is_update(const OutboxEntry& entry) { return entry.operation == Operation::Update; }

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

void Pusher::run() {
  // No entry waits longer than the longest backoff or Retry-After, whatever
  // the clock did since it was put off.
  const auto longest = std::max<std::chrono::milliseconds>(ctx_.options.backoff_cap, ctx_.options.max_retry_after);
  clamp_next_attempts(ctx_.impl, Timestamp::from_unix_millis(Timestamp::now().unix_millis() + longest.count()));
  auto& pool = ctx_.pool();
  std::optional<RunEnded> ended;
  try {
    for (;;) {
      const bool more = dispatch(pool);
      if (pool.in_flight() > 0) {
        complete(pool.wait());
      } else if (more) {
        ctx_.sleep_until(window_.paused_until());  // paused, nothing in flight
      } else {
        break;
      }
    }
  } catch (const RunEnded& end) {
    ended = end;
  }
  // Nothing more is sent; what is in flight is answered and settled (or, once
  // a read-back cannot be made, left queued for the next run to read back).
  while (pool.in_flight() > 0) {
    try {
      complete(pool.wait());
    } catch (const RunEnded& end) {
      if (!ended) ended = end;
    }
  }
  if (ended) throw *ended;
  recount_batches(ctx_, recount_);
}

bool Pusher::dispatch(RequestPool& pool) {
  for (;;) {
    if (pool.in_flight() >= window_.size() || window_.paused(RequestWindow::Clock::now())) return true;
    Request request;
    if (!ready_.empty()) {
      request = std::move(ready_.front());
      ready_.pop_front();
    } else {
      auto ops = collect();
      if (ops.empty()) return false;
      request = fill(std::move(ops));
      if (request.ops.empty()) continue;  // none could be sent: dead-lettered, or waiting for room
      for (const auto& op : request.ops) busy_.insert({op.model, op.record_id});
    }
    ctx_.remote();  // no request after the deadline or a stop; the run's history row before the first
    for (const auto& op : request.ops) ++tries_[op.first_seq()];
    const auto id = next_request_++;
    in_flight_.emplace(id, Sent{std::move(request.ops), window_.epoch()});
    pool.submit(id, std::move(request.batch));
    ctx_.report.peak_in_flight = std::max(ctx_.report.peak_in_flight, static_cast<std::int64_t>(pool.in_flight()));
  }
}

void Pusher::complete(RequestPool::Done done) {
  auto sent = std::move(in_flight_.extract(done.id).mapped());
  for (const auto& op : sent.ops) busy_.erase({op.model, op.record_id});
  Request request{std::move(done.batch), std::move(sent.ops)};
  std::vector<MutationResult> results;
  if (done.error) {
    auto shared = failed(request, *done.error, sent.epoch);
    if (!shared) return;
    results = std::move(*shared);
  } else {
    results = std::move(done.results);
    const auto throttled = std::ranges::find_if(
        results, [](const MutationResult& r) { return r.error && r.error->code() == Errc::Throttled; });
    if (throttled == results.end()) {
      window_.succeeded(done.round_trip);
    } else {
      // Some of it was throttled: those entries are put off (apply), and the
      // rest of the queue goes slower, after the server's Retry-After.
      ++ctx_.report.throttled;
      window_.slowed_down(sent.epoch);
      if (const auto after = throttled->error->retry_after(); after && *after <= RequestWindow::kLongestPause) {
        window_.pause_until(RequestWindow::Clock::now() + *after);
      }
    }
  }
  apply(std::move(request.ops), std::move(results));
  report_progress();
}

void Pusher::report_progress() const {
  if (!ctx_.options.progress) return;
  // In outbox entries: entries folded into a mutation count too. The total
  // grows with what writers queue meanwhile, which this run sends as well.
  const auto& r = ctx_.report;
  const auto settled = r.pushed + r.coalesced + r.dead_lettered;
  ctx_.progress("push", settled, settled + outbox::pending_count(ctx_.store));
}

Pusher::Verdict Pusher::verdict(const OutboxEntry& entry, const Timestamp& now, const std::set<RecordKey>& included) {
  if (!ctx_.options.retry_now && entry.next_attempt_at && *entry.next_attempt_at > now) return Verdict::WaitsForRun;
  if (const auto tried = tries_.find(entry.seq); tried != tries_.end() && tried->second >= kTriesPerRun) {
    return Verdict::WaitsForRun;
  }
  if (has_dead_letter(ctx_.impl, entry.model, entry.record_id)) return Verdict::WaitsForRun;
  if (is_update(entry) && has_pending_create(ctx_.impl, entry.model, entry.record_id)) {
    return Verdict::WaitsForRun;  // its create waits earlier in the queue
  }
  if (entry.model != Model::BatchJobScoringJob || entry.operation != Operation::Create) return Verdict::Send;
  // A join row goes out only once both records it names exist remotely: it
  // waits a round for a parent sent in this window, a run for one that waits.
  Verdict verdict = Verdict::Send;
  for (const auto& [model, key] :
       {std::pair{Model::BatchJob, "batchJobId"}, std::pair{Model::ScoringJob, "scoringJobId"}}) {
    const auto id = entry.fields.value(key, std::string());
    if (has_dead_letter(ctx_.impl, model, id)) return Verdict::WaitsForRun;
    if (!has_pending_create(ctx_.impl, model, id)) continue;
    const RecordKey parent{model, id};
    if (waiting_.count(parent) && !included.count(parent)) return Verdict::WaitsForRun;
    verdict = Verdict::WaitsForRound;
  }
  return verdict;
}

std::vector<PendingOp> Pusher::collect() {
  const auto now = Timestamp::now();
  const std::size_t wanted = std::max<std::size_t>(ctx_.options.batch_size, 1);
  // Once enough records are in, read a little further so their later entries coalesce.
  Collection c{wanted, 4 * wanted, {}, {}};
  std::int64_t after = cursor_;
  for (;;) {
    ctx_.check_time_left();
    auto page = outbox::list(ctx_.store, kPageSize, after);
    if (page.empty()) break;
    for (auto& entry : page) {
      after = entry.seq;
      if (!consider(entry, c, now)) return coalesce(c.window);
    }
  }
  return coalesce(c.window);
}

bool Pusher::consider(OutboxEntry& entry, Collection& c, const Timestamp& now) {
  // The cursor moves past an entry only while every entry before it is resolved.
  const auto passed = [&] {
    if (c.resolved) cursor_ = entry.seq;
  };
  RecordKey key{entry.model, entry.record_id};
  if (c.full) {
    if (c.lookahead-- == 0) return false;
    if (!c.included.count(key)) {
      c.resolved = false;
      return true;
    }
  } else if (busy_.count(key)) {
    // Its request in flight is applied first: its later entries never overtake it.
    c.resolved = false;
    return true;
  } else if (waiting_.count(key)) {
    passed();
    return true;
  } else if (!c.included.count(key)) {
    switch (verdict(entry, now, c.included)) {
      case Verdict::WaitsForRun:
        waiting_.insert(std::move(key));
        passed();
        return true;
      case Verdict::WaitsForRound: c.resolved = false; return true;
      case Verdict::Send: break;
    }
    c.included.insert(std::move(key));
    c.full = c.included.size() >= c.wanted;
  }
  passed();
  c.window.push_back(std::move(entry));
  return true;
}

Pusher::Request Pusher::fill(std::vector<PendingOp> ops) {
  Request request;
  bool room = true;
  for (auto& op : ops) {
    if (!room) {
      revisit(op);  // the next round takes it
      continue;
    }
    try {
      const auto input = mutation_input(op);
      // Bounded by bytes as well as count: what does not fit waits for the next request.
      if (!request.batch.empty() &&
          request.batch.document_bytes() + input.dump().size() + kAliasOverhead > ctx_.options.max_request_bytes) {
        room = false;
        revisit(op);
        continue;
      }
      if (op.operation == Operation::Create) {
        request.batch.add_create(op.model, input, nullptr, Returning::Stamps);
      } else if (auto state = find_remote_state(ctx_.impl, op.model, op.record_id);
                 state && !state->updatedAt.empty()) {
        // Compare-and-set on what the remote confirmed; the rest of the record is known.
        request.batch.add_update(op.model, input, {{"updatedAt", {{"eq", state->updatedAt}}}}, Returning::Stamps);
      } else {
        request.batch.add_update(op.model, input, nullptr, Returning::Record);
      }
    } catch (const Error& e) {
      if (e.code() != Errc::InvalidArgument) throw;
      bury(op, Error(Errc::Rejected, e.what(), e.field()));
      continue;
    }
    request.ops.push_back(std::move(op));
  }
  return request;
}

std::optional<std::vector<MutationResult>> Pusher::failed(Request& request, const Error& error, std::uint64_t epoch) {
  const auto disposition = ctx_.dispose(error, Scope::MutationRequest);
  if (disposition.action == Action::Settle) {
    log(LogLevel::Info, std::string("outcome unknown; reading the records back: ") + error.what());
  } else if (disposition.action == Action::Shrink && request.ops.size() > 1) {
    // The API refused the request as a whole: send it by halves, down to the
    // mutation at fault, which then stands alone. The halves go before
    // anything new, and their records stay busy until they are answered.
    const auto middle = static_cast<std::ptrdiff_t>(request.ops.size() / 2);
    Request first = fill({request.ops.begin(), request.ops.begin() + middle});
    Request second = fill({request.ops.begin() + middle, request.ops.end()});
    for (auto* half : {&second, &first}) {
      if (half->ops.empty()) continue;
      for (const auto& op : half->ops) {
        --tries_[op.first_seq()];  // counted again when sent
        busy_.insert({op.model, op.record_id});
      }
      ready_.push_front(std::move(*half));
    }
    return std::nullopt;
  } else if (disposition.action == Action::SlowDown) {
    slow_down(request, error, disposition, epoch);
    return std::nullopt;
  } else if (disposition.action != Action::Shrink) {
    if (disposition.defer_entries) {
      for (const auto& op : request.ops) defer(op, error);
    }
    ctx_.end_run(disposition, error);
  }
  // Every mutation shares the request's fate: read them back, or (a lone
  // mutation the API refused) dead-letter it.
  std::vector<MutationResult> results;
  for (std::size_t i = 0; i < request.batch.size(); ++i) {
    results.push_back({request.batch.model(i), request.batch.kind(i), std::nullopt, nullptr, error});
  }
  return results;
}

void Pusher::slow_down(const Request& request, const Error& error, const Disposition& disposition,
                       std::uint64_t epoch) {
  if (error.code() == Errc::Throttled) ++ctx_.report.throttled;
  if (!window_.not_now(RequestWindow::why(error), epoch, capped_retry_after(ctx_, error), backoff_for(ctx_),
                       ctx_.deadline)) {
    // Not worth waiting for in this run: the entries are put off (backoff, or
    // the Retry-After) and the run ends, as with one request at a time.
    for (const auto& op : request.ops) defer(op, error);
    ctx_.end_run({Action::EndRun, disposition.outcome, true}, error);
  }
  for (const auto& op : request.ops) {
    --tries_[op.first_seq()];  // "not now" says nothing of the mutation itself
    revisit(op);
  }
}

void Pusher::apply(std::vector<PendingOp> ops, std::vector<MutationResult> results) {
  // Every confirmation of the request in one transaction: one commit (one
  // fsync with synchronous=FULL) per request, not per mutation.
  const auto count = std::min(results.size(), ops.size());
  {
    WriteTransaction tx(ctx_.impl);
    for (std::size_t i = 0; i < count; ++i) {
      if (results[i].ok()) record_confirmation(tx, ops[i], confirmed_record(ops[i], results[i]));
    }
    tx.commit();
  }
  std::vector<PendingOp> unsettled;
  for (std::size_t i = 0; i < count; ++i) {
    auto& op = ops[i];
    const auto& result = results[i];
    if (result.ok()) {
      count_confirmed(op);
      continue;
    }
    const auto disposition = ctx_.dispose(*result.error, Scope::Mutation);
    switch (disposition.action) {
      case Action::Settle: unsettled.push_back(std::move(op)); break;
      case Action::Retry: defer(op, *result.error); break;
      case Action::DeadLetter:
      case Action::Shrink: bury(op, *result.error); break;  // a lone mutation the API refused as a request
      default: ctx_.end_run(disposition, *result.error);
    }
  }
  if (!unsettled.empty()) settle(unsettled);
}

// The record as the remote now holds it. A mutation answered with stamps only:
// a create holds what it sent; an update holds the state it was conditioned on
// with the sent fields on top; both with the server's id and timestamps.
json Pusher::confirmed_record(const PendingOp& op, const MutationResult& result) {
  if (result.record) return std::visit([](const auto& r) { return r.to_dict(); }, *result.record);
  json remote;
  if (op.operation == Operation::Create) {
    remote = op.fields;
  } else if (const auto state = find_remote_state(ctx_.impl, op.model, op.record_id)) {
    remote = state->fields;
    const auto sent = mutation_input(op);
    for (const auto& [field, value] : sent.items()) remote[field] = value;
  }
  remote.erase("batchId");  // local-only, never sent
  remote["id"] = result.stamps.at("id");
  remote["updatedAt"] = result.stamps.at("updatedAt");
  if (!result.stamps.at("createdAt").is_null() || op.operation == Operation::Create) {
    remote["createdAt"] = result.stamps.at("createdAt");
  }
  return remote;
}

void Pusher::settle(const std::vector<PendingOp>& ops) {
  // Read every unsettled record back, a model at a time.
  for (const Model model : {Model::BatchJob, Model::ScoringJob, Model::BatchJobScoringJob}) {
    std::vector<const PendingOp*> of_model;
    std::vector<std::string> ids;
    std::vector<std::size_t> sizes;
    for (const auto& op : ops) {
      if (op.model != model) continue;
      of_model.push_back(&op);
      ids.push_back(op.record_id);
      sizes.push_back(op.fields.dump().size());
    }
    if (ids.empty()) continue;
    // A failed read ends the run: the entries stay queued, and the next run settles them.
    const auto reads = read_records(ctx_, model, ids, sizes);
    for (std::size_t i = 0; i < of_model.size(); ++i) settle_one(*of_model[i], reads[i]);
  }
}

void Pusher::settle_one(const PendingOp& op, const RemoteRead& read) {
  if (read.kind == RemoteRead::Kind::Unreadable) {
    WriteTransaction tx(ctx_.impl);
    take_unreadable(ctx_, tx, op.model, read.unreadable);
    tx.commit();
    defer(op, Error(Errc::Unreadable, "the record cannot be read back: " + read.unreadable.reason));
    return;
  }
  if (read.kind == RemoteRead::Kind::Absent) {
    if (op.operation == Operation::Create) {
      revisit(op);  // not applied (or not visible yet): sent again; a second create answers RemoteConflict
      return;
    }
    // The record was confirmed once: believe its absence only when confirmed.
    WriteTransaction tx(ctx_.impl);
    const bool gone = take_absent(ctx_, tx, op.model, op.record_id);
    if (gone) {
      dead_letter(tx, {op.model, op.record_id, op.operation, op.fields, op.seqs,
                       std::string(to_string(Errc::RemoteConflict)), "the record no longer exists remotely"});
      ++ctx_.report.dead_lettered;
    }
    tx.commit();
    if (!gone) defer(op, Error(Errc::Transient, "the record read back absent; confirming before giving it up"));
    return;
  }
  const json& remote = read.wire;
  if (holds(remote, mutation_input(op))) {
    confirm(op, remote);
    return;
  }
  if (op.operation == Operation::Create) {
    rebase(op, create_base(op, remote), remote);
    return;
  }
  const auto state = find_remote_state(ctx_.impl, op.model, op.record_id);
  if (state && !state->deleted_remotely && state->fields.is_object() && !is_newer(remote, *state, Timestamp::now())) {
    // The version the update was conditioned on, or an older one (a stale
    // read): the update was not applied, or not visible yet. Sent again: its
    // condition keeps it from applying twice.
    revisit(op);
    return;
  }
  rebase(op, state ? state->fields : json(nullptr), remote);
}

// A create of ours landed earlier (its answer lost) but the remote no longer
// holds what the create sends now. If the remote is exactly a version we sent
// (the create folded with a prefix of the later updates), that version is the
// base: every difference is a local change made since. Otherwise others changed
// the record too, and the record as first created is the base: a field only they
// changed comes down, a field both changed goes through the merge rules, each
// decision recorded. (op.fields cannot be the base: it folds in every update.)
// Each prefix is folded from the previous one, so this is linear in the entries.
json Pusher::create_base(const PendingOp& op, const json& remote) {
  const auto entries = pending_entries(ctx_.impl, op.model, op.record_id);
  if (entries.empty() || entries.front().operation != Operation::Create) return nullptr;
  PendingOp version{op.model, op.record_id, Operation::Create, entries.front().fields, {entries.front().seq}};
  const json first = mutation_input(version);
  bool matched = holds(remote, first);
  for (std::size_t i = 1; i < entries.size() && !matched; ++i) {
    if (i % 1024 == 0) ctx_.check_time_left();
    for (const auto& [field, value] : entries[i].fields.items()) version.fields[field] = value;
    matched = holds(remote, mutation_input(version));
  }
  return matched ? remote : first;
}

void Pusher::confirm(const PendingOp& op, const json& remote) {
  WriteTransaction tx(ctx_.impl);
  record_confirmation(tx, op, remote);
  tx.commit();
  count_confirmed(op);
}

void Pusher::record_confirmation(WriteTransaction& tx, const PendingOp& op, const json& remote) {
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
      if (expected && same_value(field, adopted[field], *expected)) adopted[field] = value;
    }
    if (adopted != *local) write_local(tx, op.model, adopted);
  }
  put_remote_state(tx, op.model, remote);
  delete_entries(tx, op.seqs);
}

void Pusher::count_confirmed(const PendingOp& op) {
  ++ctx_.report.pushed;
  ctx_.report.coalesced += static_cast<std::int64_t>(op.seqs.size()) - 1;
  // A batch's count is checked against its join rows once the run has pushed them.
  if (op.model == Model::BatchJobScoringJob) recount_.insert(op.fields.value("batchJobId", std::string()));
  if (op.model == Model::BatchJob && op.fields.contains("scoringJobCountCache")) recount_.insert(op.record_id);
}

void Pusher::rebase(const PendingOp& op, const json& base, const json& remote) {
  WriteTransaction tx(ctx_.impl);
  const auto local = read_local(ctx_.impl, op.model, op.record_id);
  const auto outcome = three_way_merge(op.model, base, local ? *local : remote, remote);
  json merged = outcome.merged;
  json diff = json::object();
  for (const auto& [field, value] : merged.items()) {
    if (field == "id" || field == "createdAt" || field == "updatedAt") continue;
    if (!same_value(field, field_or_null(remote, field), value)) diff[field] = value;
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
  if (diff.empty()) {
    ++ctx_.report.pushed;
  } else {
    revisit(op);  // the merge goes out as an update in this run
  }
}

void Pusher::defer(const PendingOp& op, const Error& error) {
  const int attempts = entry_attempts(ctx_.impl, op.first_seq());
  auto retry_after = error.retry_after();
  if (retry_after) retry_after = std::min(*retry_after, ctx_.options.max_retry_after);
  const auto delay =
      backoff_delay(attempts, ctx_.options.backoff_base, ctx_.options.backoff_cap, retry_after, ctx_.random);
  WriteTransaction tx(ctx_.impl);
  defer_entries(tx, op.seqs, Timestamp::from_unix_millis(Timestamp::now().unix_millis() + delay.count()),
                std::string(to_string(error.code())) + ": " + error.what());
  tx.commit();
  ++ctx_.report.retried;
  waiting_.insert({op.model, op.record_id});
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

void Pusher::revisit(const PendingOp& op) {
  cursor_ = std::min(cursor_, op.first_seq() - 1);
  waiting_.erase({op.model, op.record_id});
}

}  // namespace scoringjobs::detail
