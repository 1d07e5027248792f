// The extension module scoringjobs._core; the package scoringjobs re-exports it.

#include <pybind11/pybind11.h>

#include "errors.hpp"
#include "records.hpp"
#include "scoringjobs/version.hpp"

namespace scoringjobs::python {
void register_store(pybind11::module_& module);
void register_sync(pybind11::module_& module);
void register_local_api(pybind11::module_& module);
void register_bench_support(pybind11::module_& module);
}  // namespace scoringjobs::python

PYBIND11_MODULE(_core, m) {
  using namespace scoringjobs::python;
  m.doc() = "The scoringjobs library (C++) for Python: see the package scoringjobs.";
  register_errors(m);
  register_store(m);
  register_scoring_job(m);
  register_batch_job(m);
  register_link(m);
  register_sync(m);
  register_local_api(m);
  register_bench_support(m);
  m.attr("__version__") = std::string(scoringjobs::version());
}
