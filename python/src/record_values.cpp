// What the record classes share: reading wire dicts and update() arguments.

#include <set>
#include <string>

#include "convert.hpp"
#include "records.hpp"
#include "scoringjobs/error.hpp"

// After Python.h (through pybind11): datetime.h needs its definitions.
#include <datetime.h>

namespace scoringjobs::python {
namespace {

bool is_timestamp_field(std::string_view name) {
  static const std::set<std::string_view> names = {"createdAt", "updatedAt", "startedAt", "completedAt",
                                                   "estimatedEndAt"};
  return names.count(name) != 0;
}

bool is_awsjson_field(std::string_view name) { return name == "metadata" || name == "errorDetails"; }

}  // namespace

nlohmann::json wire_from_python(const py::dict& data, std::string_view model) {
  if (PyDateTimeAPI == nullptr) PyDateTime_IMPORT;
  nlohmann::json wire = nlohmann::json::object();
  for (auto [key, value] : data) {
    const std::string name = text(key, std::string(model) + " field name");
    if (is_timestamp_field(name) && PyDateTime_Check(value.ptr())) {
      wire[name] = timestamp_text(value, name);
    } else if (is_awsjson_field(name) && (PyDict_Check(value.ptr()) || PyList_Check(value.ptr()))) {
      wire[name] = to_json(value, name).dump();
    } else {
      wire[name] = to_json(value, name);
    }
  }
  return wire;
}

nlohmann::json input_from_kwargs(const py::kwargs& kwargs, std::string_view model) {
  nlohmann::json input = nlohmann::json::object();
  for (auto [key, value] : kwargs) {
    const std::string name = text(key, std::string(model) + " field name");
    if (value.is_none()) continue;  // as if not given, as the Plexus classes skip it
    if (is_timestamp_field(name)) {
      input[name] = timestamp_text(value, name);
    } else if (is_awsjson_field(name)) {
      input[name] = PyUnicode_Check(value.ptr()) ? text(value, name) : to_json(value, name).dump();
    } else {
      input[name] = to_json(value, name);
    }
  }
  return input;
}

nlohmann::json changes_from_kwargs(const py::kwargs& kwargs, std::string_view model) {
  nlohmann::json changes = nlohmann::json::object();
  for (auto [key, value] : kwargs) {
    const std::string name = text(key, std::string(model) + " field name");
    // Checked first, as the Plexus client does, whatever the value.
    if (name == "createdAt") throw Error(Errc::InvalidArgument, "createdAt cannot be modified after creation", name);
    if (value.is_none()) {
      changes[name] = nullptr;
    } else if (is_timestamp_field(name)) {
      changes[name] = timestamp_text(value, name);
    } else if (is_awsjson_field(name)) {
      changes[name] = awsjson_value(value, name);
    } else {
      changes[name] = to_json(value, name);
    }
  }
  return changes;
}

}  // namespace scoringjobs::python
