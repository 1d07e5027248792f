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
  ScoringJob job;
  job.id = in.id("id");
  job.accountId = in.id("accountId");
  job.status = in.id("status");
  job.createdAt = in.required_timestamp("createdAt");
  job.updatedAt = in.required_timestamp("updatedAt");
  job.scorecardId = in.id("scorecardId");
  job.itemId = in.id("itemId");
  job.startedAt = in.optional_timestamp("startedAt");
  job.completedAt = in.optional_timestamp("completedAt");
  job.errorMessage = in.optional_string("errorMessage", limits::kMaxTextBytes);
  job.errorDetails = in.optional_awsjson("errorDetails");
  job.metadata = in.optional_awsjson("metadata");
  job.evaluationId = in.optional_id("evaluationId");
  job.scoreId = in.optional_id("scoreId");
  job.batchId = in.optional_id("batchId");
  in.ignore("__typename");
  in.finish();
  return job;
}

nlohmann::json ScoringJob::to_dict() const {
  using detail::awsjson_or_null;
  using detail::or_null;
  return {
      {"id", id},
      {"accountId", accountId},
      {"status", status},
      {"createdAt", createdAt.wire()},
      {"updatedAt", updatedAt.wire()},
      {"scorecardId", scorecardId},
      {"itemId", itemId},
      {"startedAt", or_null(startedAt)},
      {"completedAt", or_null(completedAt)},
      {"errorMessage", or_null(errorMessage)},
      {"errorDetails", awsjson_or_null(errorDetails)},
      {"metadata", awsjson_or_null(metadata)},
      {"evaluationId", or_null(evaluationId)},
      {"scoreId", or_null(scoreId)},
  };
}

nlohmann::json ScoringJob::to_json() const {
  auto out = to_dict();
  out["errorDetails"] = errorDetails ? *errorDetails : nlohmann::json(nullptr);
  out["metadata"] = metadata ? *metadata : nlohmann::json(nullptr);
  out["batchId"] = detail::or_null(batchId);
  return out;
}

}  // namespace scoringjobs
