// scoringjobs.BatchJob: the Plexus BatchJob class over the local store.

#include <pybind11/stl.h>

#include "convert.hpp"
#include "create_input.hpp"
#include "records.hpp"
#include "scoringjobs/error.hpp"

namespace scoringjobs::python {

void register_batch_job(py::module_& m) {
  py::class_<PyBatchJob> cls(m, "BatchJob", R"doc(
A batch of scoring jobs sent to one model together, as plexus.dashboard.api.models.batch_job.BatchJob,
kept in the local store. Attributes as in Plexus (int counters; datetimes in UTC; errorDetails a dict).)doc");

#define SCORINGJOBS_FIELD(name, convert) \
  cls.def_property_readonly(#name, [=](const PyBatchJob& self) { return convert(self.record.name); })
  auto plain = [](const auto& v) { return py::cast(v); };
  auto json_or_none = [](const std::optional<nlohmann::json>& v) { return v ? from_json(*v) : py::object(py::none()); };
  auto datetime = [](const auto& v) { return to_datetime(v); };
  SCORINGJOBS_FIELD(id, plain);
  SCORINGJOBS_FIELD(accountId, plain);
  SCORINGJOBS_FIELD(status, plain);
  SCORINGJOBS_FIELD(type, plain);
  SCORINGJOBS_FIELD(batchId, plain);
  SCORINGJOBS_FIELD(modelProvider, plain);
  SCORINGJOBS_FIELD(modelName, plain);
  SCORINGJOBS_FIELD(scoringJobCountCache, plain);
  SCORINGJOBS_FIELD(startedAt, datetime);
  SCORINGJOBS_FIELD(estimatedEndAt, datetime);
  SCORINGJOBS_FIELD(completedAt, datetime);
  SCORINGJOBS_FIELD(totalRequests, plain);
  SCORINGJOBS_FIELD(completedRequests, plain);
  SCORINGJOBS_FIELD(failedRequests, plain);
  SCORINGJOBS_FIELD(errorMessage, plain);
  SCORINGJOBS_FIELD(errorDetails, json_or_none);
  SCORINGJOBS_FIELD(scorecardId, plain);
  SCORINGJOBS_FIELD(scoreId, plain);
  SCORINGJOBS_FIELD(createdAt, datetime);
  SCORINGJOBS_FIELD(updatedAt, datetime);
#undef SCORINGJOBS_FIELD

  cls.def_static(
      "create",
      [](const StoreRef& store, py::handle accountId, py::handle type, py::handle modelProvider, py::handle modelName,
         py::handle parameters, const py::kwargs& kwargs) {
        auto input = input_from_kwargs(kwargs, "BatchJob");
        input["accountId"] = text(accountId, "accountId");
        input["type"] = text(type, "type");
        input["modelProvider"] = text(modelProvider, "modelProvider");
        input["modelName"] = text(modelName, "modelName");
        const auto params = to_json(parameters, "parameters");
        return PyBatchJob{store->run([&](Store& s) { return create_batch_job(s, input, params); }), store};
      },
      py::arg("store"), py::arg("accountId"), py::arg("type"), py::arg("modelProvider"), py::arg("modelName"),
      py::arg("parameters") = py::none(),
      "Creates a batch (status PENDING and a new batchId unless given). A non-empty parameters dict is refused: "
      "a batch has no field to keep it in.");
  cls.def_static(
      "list_scoring_jobs",
      [](py::handle batch_job_id, const StoreRef& store) {
        const auto key = text(batch_job_id, "batchJobId");
        auto jobs = store->run([&](Store& s) { return BatchJob::list_scoring_jobs(key, s); });
        std::vector<PyScoringJob> out;
        out.reserve(jobs.size());
        for (auto& job : jobs) out.push_back({std::move(job), store});
        return out;
      },
      py::arg("batch_job_id"), py::arg("store"), "The batch's scoring jobs, in the order they were linked.");
  add_record_methods(cls, "BatchJob");
  add_update_method(cls, "BatchJob");
  cls.def("__repr__", [](const PyBatchJob& self) {
    return "BatchJob(id='" + self.record.id + "', status='" + self.record.status + "')";
  });
}

}  // namespace scoringjobs::python
