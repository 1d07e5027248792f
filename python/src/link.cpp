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
  add_record_methods(cls, "BatchJobScoringJob");
  cls.def("__repr__", [](const PyLink& self) {
    return "BatchJobScoringJob(batchJobId='" + self.record.batchJobId + "', scoringJobId='" + self.record.scoringJobId +
           "')";
  });
}

}  // namespace scoringjobs::python
