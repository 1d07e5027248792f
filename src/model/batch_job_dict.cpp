// BatchJob's wire shape: fields(), from_dict(), to_dict(), to_json().

#include "model/wire.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/limits.hpp"

namespace scoringjobs {

std::string_view BatchJob::fields() noexcept {
  return "id accountId status type batchId modelProvider modelName scoringJobCountCache startedAt "
         "estimatedEndAt completedAt totalRequests completedRequests failedRequests errorMessage "
         "errorDetails scorecardId scoreId createdAt updatedAt";
}

BatchJob BatchJob::from_dict(const nlohmann::json& wire) {
  detail::WireReader in(wire, "BatchJob");
  BatchJob batch;
  batch.id = in.id("id");
  batch.accountId = in.id("accountId");
  batch.status = in.id("status");
  batch.type = in.id("type");
  batch.batchId = in.id("batchId");
  batch.modelProvider = in.id("modelProvider");
  batch.modelName = in.id("modelName");
  batch.scoringJobCountCache = in.optional_int("scoringJobCountCache");
  batch.startedAt = in.optional_timestamp("startedAt");
  batch.estimatedEndAt = in.optional_timestamp("estimatedEndAt");
  batch.completedAt = in.optional_timestamp("completedAt");
  batch.totalRequests = in.optional_int("totalRequests");
  batch.completedRequests = in.optional_int("completedRequests");
  batch.failedRequests = in.optional_int("failedRequests");
  batch.errorMessage = in.optional_string("errorMessage", limits::kMaxTextBytes);
  batch.errorDetails = in.optional_awsjson("errorDetails");
  batch.scorecardId = in.optional_id("scorecardId");
  batch.scoreId = in.optional_id("scoreId");
  batch.createdAt = in.required_timestamp("createdAt");
  batch.updatedAt = in.required_timestamp("updatedAt");
  in.ignore("__typename");
  in.finish();
  return batch;
}

nlohmann::json BatchJob::to_dict() const {
  using detail::awsjson_or_null;
  using detail::or_null;
  return {
      {"id", id},
      {"accountId", accountId},
      {"status", status},
      {"type", type},
      {"batchId", batchId},
      {"modelProvider", modelProvider},
      {"modelName", modelName},
      {"scoringJobCountCache", or_null(scoringJobCountCache)},
      {"startedAt", or_null(startedAt)},
      {"estimatedEndAt", or_null(estimatedEndAt)},
      {"completedAt", or_null(completedAt)},
      {"totalRequests", or_null(totalRequests)},
      {"completedRequests", or_null(completedRequests)},
      {"failedRequests", or_null(failedRequests)},
      {"errorMessage", or_null(errorMessage)},
      {"errorDetails", awsjson_or_null(errorDetails)},
      {"scorecardId", or_null(scorecardId)},
      {"scoreId", or_null(scoreId)},
      {"createdAt", createdAt.wire()},
      {"updatedAt", updatedAt.wire()},
  };
}

nlohmann::json BatchJob::to_json() const {
  auto out = to_dict();
  out["errorDetails"] = errorDetails ? *errorDetails : nlohmann::json(nullptr);
  return out;
}

}  // namespace scoringjobs
