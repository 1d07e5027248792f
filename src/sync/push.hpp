#pragma once
// Push: drains the outbox to the remote (see sync.hpp for the guarantees).
//
// One pass over the outbox per run: a cursor moves past entries that were sent
// or that wait for a later run (in backoff, behind a dead letter, tried enough),
// so the cost of a run grows with what it touches, never with the square of
// the backlog. Each round sends one request:
//   collect  the next window of sendable records, coalesced (coalesce.hpp);
//   fill     as many of them as fit one request;
//   send     the request, recovering what the error policy allows;
//   apply    each mutation's result: confirm, put off, dead-letter or read back.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sync/coalesce.hpp"
#include "sync/run_context.hpp"

namespace scoringjobs::detail {

class Pusher {
 public:
  explicit Pusher(RunContext& context) : ctx_(context) {}

  /// Sends until nothing sendable is left; throws RunEnded when the network,
  /// the API or the deadline ends the run.
  void run();

 private:
  using RecordKey = std::pair<Model, std::string>;
  enum class Verdict { Send, WaitsForRun, WaitsForRound };

  struct Request {
    MutationBatch batch;
    std::vector<PendingOp> ops;  // ops[i] is alias m<i>
  };

  std::vector<PendingOp> collect();
  Verdict verdict(const OutboxEntry& entry, const Timestamp& now, const std::set<RecordKey>& included);
  Request fill(std::vector<PendingOp> ops);
  std::vector<MutationResult> send(Request& request);
  void apply(std::vector<PendingOp> ops, std::vector<MutationResult> results);
  void settle(std::vector<PendingOp> ops);
  void settle_one(const PendingOp& op, const struct RemoteRead& read);

  void confirm(const PendingOp& op, const nlohmann::json& remote);
  nlohmann::json confirmed_record(const PendingOp& op, const MutationResult& result);
  nlohmann::json create_base(const PendingOp& op, const nlohmann::json& remote);
  void rebase(const PendingOp& op, const nlohmann::json& base, const nlohmann::json& remote);
  void defer(const PendingOp& op, const Error& error);
  void bury(const PendingOp& op, const Error& error);
  /// The op stays queued and sendable in this run: the cursor goes back to it.
  void revisit(const PendingOp& op);
  void report_progress() const;

  RunContext& ctx_;
  std::map<std::int64_t, int> tries_;  // this run's attempts, by first seq
  std::int64_t cursor_ = 0;            // every entry up to here was sent, or waits for a later run
  std::set<RecordKey> waiting_;        // records whose entries wait for a later run
  std::set<std::string> recount_;      // batches whose join rows or counts this run confirmed
};

/// The input a mutation for `op` sends.
nlohmann::json mutation_input(const PendingOp& op);

}  // namespace scoringjobs::detail
