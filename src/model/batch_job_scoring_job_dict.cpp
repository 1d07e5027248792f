// BatchJobScoringJob's wire shape: fields(), from_dict(), to_dict().

#include "model/wire.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"

namespace scoringjobs {

std::string_view BatchJobScoringJob::fields() noexcept { return "id batchJobId scoringJobId createdAt updatedAt"; }

BatchJobScoringJob BatchJobScoringJob::from_dict(const nlohmann::json& wire) {
  detail::WireReader in(wire, "BatchJobScoringJob");
  // Designated initializers: each member is built once, in declaration (and so
  // reading) order, never default-constructed first.
  BatchJobScoringJob link{
      .id = in.id("id"),
      .batchJobId = in.id("batchJobId"),
      .scoringJobId = in.id("scoringJobId"),
      .createdAt = in.required_timestamp("createdAt"),
      .updatedAt = in.required_timestamp("updatedAt"),
  };
  in.ignore("__typename");
  in.finish();
  return link;
}

nlohmann::json BatchJobScoringJob::to_dict() const {
  // Key by key into the object: the initializer-list form deep-copies every
  // element, a measurable share of each create and export.
  nlohmann::json out(nlohmann::json::value_t::object);
  auto& o = out.get_ref<nlohmann::json::object_t&>();
  o.emplace("id", id);
  o.emplace("batchJobId", batchJobId);
  o.emplace("scoringJobId", scoringJobId);
  o.emplace("createdAt", createdAt.wire());
  o.emplace("updatedAt", updatedAt.wire());
  return out;
}

}  // namespace scoringjobs
