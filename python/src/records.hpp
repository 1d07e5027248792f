#pragma once
// A record as Python sees it: the library's value plus the store it came from
// (which update() writes to), and the registration of each record class.

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "convert.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "store_handle.hpp"

namespace scoringjobs::python {

template <class Record>
struct Bound {
  Record record;
  StoreRef store;
};

using PyScoringJob = Bound<ScoringJob>;
using PyBatchJob = Bound<BatchJob>;
using PyLink = Bound<BatchJobScoringJob>;

/// A wire-shape dict from Python (as the API returns records) as JSON: keys as
/// given, a datetime for an AWSDateTime field written as its text, a dict or
/// list for an AWSJSON field written as JSON text.
nlohmann::json wire_from_python(const pybind11::dict& data, std::string_view model);

/// create()'s keyword arguments as a create input in wire shape (None: not
/// given; datetimes as AWSDateTime text; AWSJSON fields as JSON text, a str
/// being that text already), for create_input.hpp.
nlohmann::json input_from_kwargs(const pybind11::kwargs& kwargs, std::string_view model);

/// update()'s keyword arguments as the library's changes: None clears,
/// datetimes become AWSDateTime text, AWSJSON fields take JSON text (str) or values.
nlohmann::json changes_from_kwargs(const pybind11::kwargs& kwargs, std::string_view model);

/// The methods every record class has, as the Plexus classes have them:
/// fields(), get_by_id(id, store), from_dict(data, store), to_dict(), ==.
template <class Record>
void add_record_methods(pybind11::class_<Bound<Record>>& cls, const char* model) {
  namespace py = pybind11;
  cls.def_static(
      "fields", [] { return std::string(Record::fields()); },
      "The GraphQL selection set of the model (its remote fields).");
  cls.def_static(
      "get_by_id",
      [](py::handle id, const StoreRef& store) {
        const auto key = text(id, "id");
        return Bound<Record>{store->run([&](Store& s) { return Record::get_by_id(key, s); }), store};
      },
      py::arg("id"), py::arg("store"), "The record with this id; raises scoringjobs.NotFound when there is none.");
  cls.def_static(
      "from_dict",
      [model](const py::dict& data, const StoreRef& store) {
        return Bound<Record>{Record::from_dict(wire_from_python(data, model)), store};
      },
      py::arg("data"), py::arg("store"),
      "A record from its wire shape (as the API returns it); writes nothing. Raises InvalidArgument naming the "
      "field for anything malformed, missing or unknown.");
  cls.def(
      "to_dict", [](const Bound<Record>& self) { return from_json(self.record.to_dict()); },
      "The wire shape: every remote field, None where unset, AWSJSON fields as JSON text.");
  cls.def("__eq__", [](const Bound<Record>& a, const Bound<Record>& b) { return a.record == b.record; });
  cls.attr("__hash__") = py::none();  // mutable through update(): not hashable
}

/// update(**kwargs) of the records that have one (ScoringJob, BatchJob).
template <class Record>
void add_update_method(pybind11::class_<Bound<Record>>& cls, const char* model) {
  namespace py = pybind11;
  cls.def(
      "update",
      [model](Bound<Record>& self, const py::kwargs& kwargs) -> Bound<Record>& {
        const auto changes = changes_from_kwargs(kwargs, model);
        // Updated as a copy while the GIL is released; this object changes only under the GIL.
        auto copy = self.record;
        self.record = self.store->run([&](Store& s) { return copy.update(s, changes); });
        return self;
      },
      py::return_value_policy::reference_internal,
      "Changes the given fields (None clears one, datetimes and dicts as in create), stamps updatedAt and queues "
      "the change; returns this record, holding the stored state. createdAt raises ValueError "
      "(scoringjobs.InvalidArgument), as in Plexus.");
}

void register_scoring_job(pybind11::module_& module);
void register_batch_job(pybind11::module_& module);
void register_link(pybind11::module_& module);

}  // namespace scoringjobs::python
