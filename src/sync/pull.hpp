#pragma once
// Pull: refreshes local records that are not finished from the remote, and
// fetches each configured account's remote jobs page by page, resumably.

#include "sync/run_context.hpp"

namespace scoringjobs::detail {

class Puller {
 public:
  explicit Puller(RunContext& context) : ctx_(context) {}
  /// Throws RunEnded when the network, the API or the deadline ends the run.
  void run();

 private:
  void refresh(Model model);
  void pull_account(const std::string& accountId);
  void adopt(Model model, const std::string& id, const std::optional<nlohmann::json>& remote);

  RunContext& ctx_;
};

}  // namespace scoringjobs::detail
