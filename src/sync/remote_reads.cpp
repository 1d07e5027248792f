#include "sync/remote_reads.hpp"

namespace scoringjobs::detail {
namespace {

template <class Record>
std::vector<std::optional<nlohmann::json>> fetch(RemoteClient& client, const std::vector<std::string>& ids) {
  std::vector<std::optional<nlohmann::json>> out;
  for (auto& record : client.get_many<Record>(ids)) {
    out.push_back(record ? std::optional<nlohmann::json>(record->to_dict()) : std::nullopt);
  }
  return out;
}

}  // namespace

std::vector<std::optional<nlohmann::json>> fetch_many(RemoteClient& client, Model model,
                                                      const std::vector<std::string>& ids) {
  switch (model) {
    case Model::ScoringJob: return fetch<ScoringJob>(client, ids);
    case Model::BatchJob: return fetch<BatchJob>(client, ids);
    case Model::BatchJobScoringJob: return fetch<BatchJobScoringJob>(client, ids);
  }
  return {};
}

}  // namespace scoringjobs::detail
