// scoringjobs._core._bench: the C++ side of tools/bench/python_bench.py's pairs.
// The same calls the Python API makes, looped in C++ on the same store and in
// the same process, so a Python call is compared with its C++ call, not with a
// different process on a loaded machine.

#include <pybind11/stl.h>

#include <chrono>
#include <string>
#include <vector>

#include "convert.hpp"
#include "records.hpp"
#include "scoringjobs/error.hpp"

namespace scoringjobs::python {

void register_bench_support(py::module_& parent) {
  auto m = parent.def_submodule("_bench", "C++ loops for tools/bench/python_bench.py (not an API).");
  m.def(
      "get_by_id",
      [](const StoreRef& store, const std::vector<std::string>& ids) {
        // One lock and GIL release for the loop: the C++ caller's cost, without the binding's.
        return store->run([&](Store& s) {
          const auto start = std::chrono::steady_clock::now();
          std::size_t found = 0;
          for (const auto& id : ids) found += ScoringJob::get_by_id(id, s).id.size() != 0;
          const auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
          if (found != ids.size()) throw Error(Errc::Internal, "a key was not found");
          return ns;
        });
      },
      py::arg("store"), py::arg("ids"), "Nanoseconds for ScoringJob::get_by_id of each id, in C++.");
  m.def(
      "create",
      [](const StoreRef& store, std::size_t count) {
        return store->run([&](Store& s) {
          const auto start = std::chrono::steady_clock::now();
          for (std::size_t i = 0; i < count; ++i) ScoringJob::create(s, "acct", "card", "item-" + std::to_string(i));
          return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
        });
      },
      py::arg("store"), py::arg("count"), "Nanoseconds for `count` ScoringJob::create calls, in C++.");
}

}  // namespace scoringjobs::python
