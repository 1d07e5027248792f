#pragma once
// Reading records back from the remote in batches, as wire-shape JSON.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs::detail {

/// The remote records with these ids, in order (nullopt where absent). Throws
/// Error with the remote class of a failed request.
std::vector<std::optional<nlohmann::json>> fetch_many(RemoteClient& client, Model model,
                                                      const std::vector<std::string>& ids);

}  // namespace scoringjobs::detail
