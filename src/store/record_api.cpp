#include "store/record_api.hpp"

namespace scoringjobs::detail {

Timestamp next_updated_at(const Timestamp& previous) {
  auto now = Timestamp::now();
  if (now.unix_millis() <= previous.unix_millis()) now = Timestamp::from_unix_millis(previous.unix_millis() + 1);
  return now;
}

void throw_not_found(std::string_view model, std::string_view field, std::string_view id) {
  throw Error(Errc::NotFound, std::string(model) + " \"" + excerpt(id) + "\" not found", std::string(field));
}

void throw_condition_failed(std::string_view model, std::string_view id) {
  throw Error(Errc::Conflict, std::string(model) + " \"" + excerpt(id) + "\": the update's condition did not hold",
              "condition");
}

void keep_parameters(std::optional<nlohmann::json>& metadata, const nlohmann::json& parameters) {
  if (parameters.is_null() || (parameters.is_object() && parameters.empty())) return;
  check_json_value("parameters", parameters);
  if (!parameters.is_object()) throw_invalid("parameters", json_for_message(parameters), "must be a JSON object");
  if (!metadata) metadata = nlohmann::json::object();
  if (!metadata->is_object()) {
    throw_invalid("metadata", json_for_message(*metadata), "must be a JSON object to keep parameters in it");
  }
  if (metadata->contains("parameters")) {
    throw_invalid("parameters", json_for_message(parameters), "metadata already has a \"parameters\" key");
  }
  (*metadata)["parameters"] = parameters;
}

}  // namespace scoringjobs::detail
