#include "support/request_log.hpp"

namespace scoringjobs::test {

using nlohmann::json;

std::vector<LoggedRequest> read_request_log(AppSyncServer& server) {
  std::vector<LoggedRequest> requests;
  for (const auto& request : server.request_log()) {
    LoggedRequest logged;
    logged.arrived = request.value("arrivedMs", 0.0);
    logged.answered = request["answeredMs"].is_number() ? request["answeredMs"].get<double>() : -1;
    logged.status = request["status"].is_number() ? request["status"].get<int>() : 0;
    for (const auto& field : request.value("fields", json::array())) {
      const auto name = field.value("field", "");
      logged.fields.push_back(name);
      if (field.value("outcome", "") != "ok" || !field["id"].is_string()) continue;
      if (name.rfind("create", 0) == 0 || name.rfind("update", 0) == 0) logged.applied.emplace_back(name, field["id"]);
    }
    requests.push_back(std::move(logged));
  }
  return requests;
}

bool overlap(const LoggedRequest& a, const LoggedRequest& b) {
  return a.answered >= 0 && b.answered >= 0 && a.arrived < b.answered && b.arrived < a.answered;
}

bool any_overlap(const std::vector<LoggedRequest>& requests, std::size_t from) {
  for (std::size_t i = from; i < requests.size(); ++i) {
    for (std::size_t j = i + 1; j < requests.size(); ++j) {
      if (overlap(requests[i], requests[j])) return true;
    }
  }
  return false;
}

}  // namespace scoringjobs::test
