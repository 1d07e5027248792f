// scoringjobs.ScoringJob: the Plexus ScoringJob class over the local store.

#include <pybind11/stl.h>

#include "convert.hpp"
#include "create_input.hpp"
#include "records.hpp"
#include "scoringjobs/error.hpp"

namespace scoringjobs::python {

void register_scoring_job(py::module_& m) {
  py::class_<PyScoringJob> cls(m, "ScoringJob", R"doc(
One scoring operation on one item, as plexus.dashboard.api.models.scoring_job.ScoringJob, kept in
the local store. Attributes have the Plexus names and types: str; datetime (UTC, tz-aware) for the
timestamps; dict/list for metadata and errorDetails; None when unset. batchId is local only.
Records are values: read them from any thread; update() writes through the store they came from.)doc");

#define SCORINGJOBS_FIELD(name, convert) \
  cls.def_property_readonly(#name, [=](const PyScoringJob& self) { return convert(self.record.name); })
  auto plain = [](const auto& v) { return py::cast(v); };
  auto json_or_none = [](const std::optional<nlohmann::json>& v) { return v ? from_json(*v) : py::object(py::none()); };
  auto datetime = [](const auto& v) { return to_datetime(v); };
  SCORINGJOBS_FIELD(id, plain);
  SCORINGJOBS_FIELD(accountId, plain);
  SCORINGJOBS_FIELD(status, plain);
  SCORINGJOBS_FIELD(createdAt, datetime);
  SCORINGJOBS_FIELD(updatedAt, datetime);
  SCORINGJOBS_FIELD(scorecardId, plain);
  SCORINGJOBS_FIELD(itemId, plain);
  SCORINGJOBS_FIELD(startedAt, datetime);
  SCORINGJOBS_FIELD(completedAt, datetime);
  SCORINGJOBS_FIELD(errorMessage, plain);
  SCORINGJOBS_FIELD(errorDetails, json_or_none);
  SCORINGJOBS_FIELD(metadata, json_or_none);
  SCORINGJOBS_FIELD(evaluationId, plain);
  SCORINGJOBS_FIELD(scoreId, plain);
  SCORINGJOBS_FIELD(batchId, plain);
#undef SCORINGJOBS_FIELD

  cls.def_static(
      "create",
      [](const StoreRef& store, py::handle accountId, py::handle scorecardId, py::handle itemId, py::handle parameters,
         const py::kwargs& kwargs) {
        auto input = input_from_kwargs(kwargs, "ScoringJob");
        input["accountId"] = text(accountId, "accountId");
        input["scorecardId"] = text(scorecardId, "scorecardId");
        input["itemId"] = text(itemId, "itemId");
        const auto params = to_json(parameters, "parameters");
        return PyScoringJob{store->run([&](Store& s) { return create_scoring_job(s, input, params); }), store};
      },
      py::arg("store"), py::arg("accountId"), py::arg("scorecardId"), py::arg("itemId"),
      py::arg("parameters") = py::none(),
      "Creates a job (client-made UUID v4 unless id= is given; status PENDING unless given). Keyword arguments: "
      "id, status, scoreId, evaluationId, errorMessage, errorDetails, metadata, startedAt, completedAt. A non-empty "
      "parameters dict is kept in metadata['parameters']. Durable on return and queued for sync.");
  cls.def_static(
      "find_by_item_id",
      [](py::handle item_id, const StoreRef& store) -> std::optional<PyScoringJob> {
        const auto key = text(item_id, "itemId");
        auto job = store->run([&](Store& s) { return ScoringJob::find_by_item_id(key, s); });
        if (!job) return std::nullopt;
        return PyScoringJob{std::move(*job), store};
      },
      py::arg("item_id"), py::arg("store"),
      "The item's job with the newest createdAt (then the greatest id), or None.");
  cls.def_static(
      "get_batch_job",
      [](py::handle scoring_job_id, const StoreRef& store) -> std::optional<PyBatchJob> {
        const auto key = text(scoring_job_id, "scoringJobId");
        auto batch = store->run([&](Store& s) { return ScoringJob::get_batch_job(key, s); });
        if (!batch) return std::nullopt;
        return PyBatchJob{std::move(*batch), store};
      },
      py::arg("scoring_job_id"), py::arg("store"), "The BatchJob the job is linked to, or None.");
  add_record_methods(cls, "ScoringJob");
  add_update_method(cls, "ScoringJob");
  cls.def("__repr__", [](const PyScoringJob& self) {
    return "ScoringJob(id='" + self.record.id + "', itemId='" + self.record.itemId + "', status='" +
           self.record.status + "')";
  });
}

}  // namespace scoringjobs::python
