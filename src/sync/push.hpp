#pragma once
// Push: drains the outbox to the remote (see sync.hpp for the guarantees).
//
// One pass over the outbox per run: a cursor moves past entries that were sent
// or that wait for a later run (in backoff, behind a dead letter, tried enough),
// so the cost of a run grows with what it touches, never with the square of
// the backlog. Each request goes through:
//   collect  the next window of sendable records, coalesced (coalesce.hpp);
//   fill     as many of them as fit one request;
//   send     the request on a worker (request_pool.hpp), up to the window's
//            size at once (request_window.hpp);
//   complete its answer, recovering what the error policy allows, and
//   apply    each mutation's result: confirm, put off, dead-letter or read back.
// Everything but the HTTP exchange runs on the calling thread, SQLite included.
// A record is in at most one request in flight: its later entries are not
// collected until that request's answer is applied, so they never overtake it;
// a join row waits until the creates of both records it names are confirmed.

#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sync/coalesce.hpp"
#include "sync/request_pool.hpp"
#include "sync/request_window.hpp"
#include "sync/run_context.hpp"

namespace scoringjobs::detail {

class WriteTransaction;

class Pusher {
 public:
  explicit Pusher(RunContext& context) : ctx_(context), window_(context.window) {}

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
  struct Sent {
    std::vector<PendingOp> ops;
    std::uint64_t epoch;  // the window's when it was sent
  };

  /// What one collect() has gathered so far.
  struct Collection {
    std::size_t wanted;     // records to gather
    std::size_t lookahead;  // entries still read once that many are in
    std::set<RecordKey> included;
    std::vector<OutboxEntry> window;
    bool full = false;
    bool resolved = true;  // every entry read is in the window or waits for a later run
  };

  std::vector<PendingOp> collect();
  /// Takes `entry` into the collection, or passes it by; false once the lookahead is spent.
  bool consider(OutboxEntry& entry, Collection& c, const Timestamp& now);
  Verdict verdict(const OutboxEntry& entry, const Timestamp& now, const std::set<RecordKey>& included);
  Request fill(std::vector<PendingOp> ops);
  /// Sends requests while the window has room; false when nothing is left to send now.
  bool dispatch(RequestPool& pool);
  void complete(RequestPool::Done done);
  /// A request failed as a whole: the results its mutations share, or nullopt
  /// when they go again (slowed down, or halved).
  std::optional<std::vector<MutationResult>> failed(Request& request, const Error& error, std::uint64_t epoch);
  void slow_down(const Request& request, const Error& error, const Disposition& disposition, std::uint64_t epoch);
  void apply(std::vector<PendingOp> ops, std::vector<MutationResult> results);
  void settle(const std::vector<PendingOp>& ops);
  void settle_one(const PendingOp& op, const struct RemoteRead& read);

  void confirm(const PendingOp& op, const nlohmann::json& remote);
  /// What confirm() writes, inside the caller's transaction; count_confirmed() after its commit.
  void record_confirmation(WriteTransaction& tx, const PendingOp& op, const nlohmann::json& remote);
  void count_confirmed(const PendingOp& op);
  nlohmann::json confirmed_record(const PendingOp& op, const MutationResult& result);
  nlohmann::json create_base(const PendingOp& op, const nlohmann::json& remote);
  void rebase(const PendingOp& op, const nlohmann::json& base, const nlohmann::json& remote);
  void defer(const PendingOp& op, const Error& error);
  void bury(const PendingOp& op, const Error& error);
  /// The op stays queued and sendable in this run: the cursor goes back to it.
  void revisit(const PendingOp& op);
  void report_progress() const;

  RunContext& ctx_;
  RequestWindow& window_;                    // the run's: what the API said carries into pull
  std::map<std::uint64_t, Sent> in_flight_;  // by request id
  std::uint64_t next_request_ = 0;
  std::set<RecordKey> busy_;           // records with a request in flight or ready
  std::deque<Request> ready_;          // filled and sent before anything new (the halves of a refused request)
  std::map<std::int64_t, int> tries_;  // this run's attempts, by first seq
  std::int64_t cursor_ = 0;            // every entry up to here was sent, or waits for a later run
  std::set<RecordKey> waiting_;        // records whose entries wait for a later run
  std::set<std::string> recount_;      // batches whose join rows or counts this run confirmed
};

/// The input a mutation for `op` sends.
nlohmann::json mutation_input(const PendingOp& op);

}  // namespace scoringjobs::detail
