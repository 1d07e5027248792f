#pragma once
// The exception hierarchy: scoringjobs.Error and one subclass per Errc, raised
// for every scoringjobs::Error the library throws.

#include <pybind11/pybind11.h>

namespace scoringjobs::python {

/// Creates the classes in `module` and registers the translator. Each instance
/// carries `code` (e.g. "invalid_argument"), `field` (the wire name at fault,
/// or None) and `native_code` (SQLite extended code, CURLcode or HTTP status;
/// 0 when none).
void register_errors(pybind11::module_& module);

}  // namespace scoringjobs::python
