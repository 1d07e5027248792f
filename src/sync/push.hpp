#pragma once
// Push: drains the outbox to the remote (see sync.hpp for the guarantees).

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
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
  std::vector<PendingOp> collect();
  bool sendable(const OutboxEntry& entry, const Timestamp& now);
  void add_to(MutationBatch& batch, const PendingOp& op);
  void send(std::vector<PendingOp> ops);
  void settle(std::vector<PendingOp> ops);

  void confirm(const PendingOp& op, const nlohmann::json& remote);
  nlohmann::json create_base(const PendingOp& op, const nlohmann::json& remote);
  void rebase(const PendingOp& op, const nlohmann::json& base, const nlohmann::json& remote);
  void defer(const PendingOp& op, const Error& error);
  void bury(const PendingOp& op, const Error& error);

  RunContext& ctx_;
  std::map<std::int64_t, int> tries_;  // this run's attempts, by first seq
};

/// The input a mutation for `op` sends (without "id" for the comparison it is used in).
nlohmann::json mutation_input(const PendingOp& op);

}  // namespace scoringjobs::detail
