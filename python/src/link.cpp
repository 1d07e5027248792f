// scoringjobs.BatchJobScoringJob: the join row that puts a job in a batch.

#include <pybind11/stl.h>

#include "convert.hpp"
#include "records.hpp"

namespace scoringjobs::python {

void register_link(py::module_& m) {
  py::class_<PyLink> cls(m, "BatchJobScoringJob", "The join row that makes a scoring job a member of a batch.");
  cls.def_property_readonly("id", [](const PyLink& self) { return self.record.id; });
  cls.def_property_readonly("batchJobId", [](const PyLink& self) { return self.record.batchJobId; });
  cls.def_property_readonly("scoringJobId", [](const PyLink& self) { return self.record.scoringJobId; });
  cls.def_property_readonly("createdAt", [](const PyLink& self) { return to_datetime(self.record.createdAt); });
  cls.def_property_readonly("updatedAt", [](const PyLink& self) { return to_datetime(self.record.updatedAt); });
  cls.def_static("fields", [] { return std::string(BatchJobScoringJob::fields()); });
  cls.def_static(
      "create",
      [](const StoreRef& store, py::handle batchJobId, py::handle scoringJobId) {
        const auto batch = text(batchJobId, "batchJobId");
        const auto job = text(scoringJobId, "scoringJobId");
        return PyLink{store->run([&](Store& s) { return BatchJobScoringJob::link(s, batch, job); }), store};
      },
      py::arg("store"), py::arg("batchJobId"), py::arg("scoringJobId"),
      "Links a job to a batch (both must exist) and queues the row. Linking it to the same batch again returns "
      "the existing row; a job already in another batch raises scoringjobs.Conflict.");
  cls.def_static(
      "get_by_id",
      [](py::handle id, const StoreRef& store) {
        const auto key = text(id, "id");
        return PyLink{store->run([&](Store& s) { return BatchJobScoringJob::get_by_id(key, s); }), store};
      },
      py::arg("id"), py::arg("store"));
  cls.def_static(
      "from_dict",
      [](const py::dict& data, const StoreRef& store) {
        return PyLink{BatchJobScoringJob::from_dict(wire_from_python(data, "BatchJobScoringJob")), store};
      },
      py::arg("data"), py::arg("store"));
  cls.def("to_dict", [](const PyLink& self) { return from_json(self.record.to_dict()); });
  cls.def("__eq__", [](const PyLink& a, const PyLink& b) { return a.record == b.record; });
  cls.def("__repr__", [](const PyLink& self) {
    return "BatchJobScoringJob(batchJobId='" + self.record.batchJobId + "', scoringJobId='" + self.record.scoringJobId +
           "')";
  });
  cls.attr("__hash__") = py::none();
}

}  // namespace scoringjobs::python
