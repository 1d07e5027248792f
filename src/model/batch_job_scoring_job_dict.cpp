// BatchJobScoringJob's wire shape: fields(), from_dict(), to_dict().

#include "model/wire.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"

namespace scoringjobs {

std::string_view BatchJobScoringJob::fields() noexcept {
  return "id batchJobId scoringJobId createdAt updatedAt";
}

BatchJobScoringJob BatchJobScoringJob::from_dict(const nlohmann::json& wire) {
  detail::WireReader in(wire, "BatchJobScoringJob");
  BatchJobScoringJob link;
  link.id = in.id("id");
  link.batchJobId = in.id("batchJobId");
  link.scoringJobId = in.id("scoringJobId");
  link.createdAt = in.required_timestamp("createdAt");
  link.updatedAt = in.required_timestamp("updatedAt");
  in.ignore("__typename");
  in.finish();
  return link;
}

nlohmann::json BatchJobScoringJob::to_dict() const {
  return {
      {"id", id},
      {"batchJobId", batchJobId},
      {"scoringJobId", scoringJobId},
      {"createdAt", createdAt.wire()},
      {"updatedAt", updatedAt.wire()},
  };
}

}  // namespace scoringjobs
