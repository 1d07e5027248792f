#pragma once
// A record as Python sees it: the library's value plus the store it came from
// (which update() writes to), and the registration of each record class.

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <string_view>

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

/// update()'s keyword arguments as the library's changes: None clears,
/// datetimes become AWSDateTime text, AWSJSON fields take JSON text (str) or values.
nlohmann::json changes_from_kwargs(const pybind11::kwargs& kwargs, std::string_view model);

void register_scoring_job(pybind11::module_& module);
void register_batch_job(pybind11::module_& module);
void register_link(pybind11::module_& module);

}  // namespace scoringjobs::python
