// ScoringJob's wire shape: fields(), from_dict(), to_dict(), to_json().

#include "model/wire.hpp"
#include "scoringjobs/limits.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs {

std::string_view ScoringJob::fields() noexcept {
  return "id accountId status createdAt updatedAt scorecardId itemId startedAt completedAt "
         "errorMessage errorDetails metadata evaluationId scoreId";
}

ScoringJob ScoringJob::from_dict(const nlohmann::json& wire) {
  detail::WireReader in(wire, "ScoringJob");
  // Designated initializers: each member is built once, in declaration (and so
  // reading) order, never default-constructed first.
  ScoringJob job{
      .id = in.id("id"),
      .accountId = in.id("accountId"),
      .status = in.id("status"),
      .createdAt = in.required_timestamp("createdAt"),
      .updatedAt = in.required_timestamp("updatedAt"),
      .scorecardId = in.id("scorecardId"),
      .itemId = in.id("itemId"),
      .startedAt = in.optional_timestamp("startedAt"),
      .completedAt = in.optional_timestamp("completedAt"),
      .errorMessage = in.optional_string("errorMessage", limits::kMaxTextBytes),
      .errorDetails = in.optional_awsjson("errorDetails"),
      .metadata = in.optional_awsjson("metadata"),
      .evaluationId = in.optional_id("evaluationId"),
      .scoreId = in.optional_id("scoreId"),
      .batchId = in.optional_id("batchId"),
  };
  in.ignore("__typename");
  in.finish();
  return job;
}

nlohmann::json ScoringJob::to_dict() const {
  using detail::awsjson_or_null;
  using detail::or_null;
  // Key by key into the object: the initializer-list form deep-copies every
  // element, a measurable share of each create and export.
  nlohmann::json out(nlohmann::json::value_t::object);
  auto& o = out.get_ref<nlohmann::json::object_t&>();
  o.emplace("id", id);
  o.emplace("accountId", accountId);
  o.emplace("status", status);
  o.emplace("createdAt", createdAt.wire());
  o.emplace("updatedAt", updatedAt.wire());
  o.emplace("scorecardId", scorecardId);
  o.emplace("itemId", itemId);
  o.emplace("startedAt", or_null(startedAt));
  o.emplace("completedAt", or_null(completedAt));
  o.emplace("errorMessage", or_null(errorMessage));
  o.emplace("errorDetails", awsjson_or_null(errorDetails));
  o.emplace("metadata", awsjson_or_null(metadata));
  o.emplace("evaluationId", or_null(evaluationId));
  o.emplace("scoreId", or_null(scoreId));
  return out;
}

nlohmann::json ScoringJob::to_json() const {
  auto out = to_dict();
  out["errorDetails"] = errorDetails ? *errorDetails : nlohmann::json(nullptr);
  out["metadata"] = metadata ? *metadata : nlohmann::json(nullptr);
  out["batchId"] = detail::or_null(batchId);
  return out;
}

}  // namespace scoringjobs
