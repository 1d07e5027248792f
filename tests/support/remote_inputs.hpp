#pragma once
// Inputs of the API's create mutations, for tests that talk to the remote client.

#include <nlohmann/json.hpp>
#include <string>

namespace scoringjobs::test {

/// A CreateScoringJobInput with the fields the schema requires, status PENDING.
inline nlohmann::json job_input(const std::string& id, const std::string& account = "acct",
                                const std::string& item = "item") {
  return {{"id", id}, {"accountId", account}, {"scorecardId", "card"}, {"itemId", item}, {"status", "PENDING"}};
}

}  // namespace scoringjobs::test
