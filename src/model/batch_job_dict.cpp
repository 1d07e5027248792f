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
  // Designated initializers: each member is built once, in declaration (and so
  // reading) order, never default-constructed first.
  BatchJob batch{
      .id = in.id("id"),
      .accountId = in.id("accountId"),
      .status = in.id("status"),
      .type = in.id("type"),
      .batchId = in.id("batchId"),
      .modelProvider = in.id("modelProvider"),
      .modelName = in.id("modelName"),
      .scoringJobCountCache = in.optional_int("scoringJobCountCache"),
      .startedAt = in.optional_timestamp("startedAt"),
      .estimatedEndAt = in.optional_timestamp("estimatedEndAt"),
      .completedAt = in.optional_timestamp("completedAt"),
      .totalRequests = in.optional_int("totalRequests"),
      .completedRequests = in.optional_int("completedRequests"),
      .failedRequests = in.optional_int("failedRequests"),
      .errorMessage = in.optional_string("errorMessage", limits::kMaxTextBytes),
      .errorDetails = in.optional_awsjson("errorDetails"),
      .scorecardId = in.optional_id("scorecardId"),
      .scoreId = in.optional_id("scoreId"),
      .createdAt = in.required_timestamp("createdAt"),
      .updatedAt = in.required_timestamp("updatedAt"),
  };
  in.ignore("__typename");
  in.finish();
  return batch;
}

nlohmann::json BatchJob::to_dict() const {
  using detail::awsjson_or_null;
  using detail::or_null;
  // Key by key into the object: the initializer-list form deep-copies every
  // element, a measurable share of each create and export.
  nlohmann::json out(nlohmann::json::value_t::object);
  auto& o = out.get_ref<nlohmann::json::object_t&>();
  o.emplace("id", id);
  o.emplace("accountId", accountId);
  o.emplace("status", status);
  o.emplace("type", type);
  o.emplace("batchId", batchId);
  o.emplace("modelProvider", modelProvider);
  o.emplace("modelName", modelName);
  o.emplace("scoringJobCountCache", or_null(scoringJobCountCache));
  o.emplace("startedAt", or_null(startedAt));
  o.emplace("estimatedEndAt", or_null(estimatedEndAt));
  o.emplace("completedAt", or_null(completedAt));
  o.emplace("totalRequests", or_null(totalRequests));
  o.emplace("completedRequests", or_null(completedRequests));
  o.emplace("failedRequests", or_null(failedRequests));
  o.emplace("errorMessage", or_null(errorMessage));
  o.emplace("errorDetails", awsjson_or_null(errorDetails));
  o.emplace("scorecardId", or_null(scorecardId));
  o.emplace("scoreId", or_null(scoreId));
  o.emplace("createdAt", createdAt.wire());
  o.emplace("updatedAt", updatedAt.wire());
  return out;
}

nlohmann::json BatchJob::to_json() const {
  auto out = to_dict();
  out["errorDetails"] = errorDetails ? *errorDetails : nlohmann::json(nullptr);
  return out;
}

}  // namespace scoringjobs
