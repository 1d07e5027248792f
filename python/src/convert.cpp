#include "convert.hpp"

#include <datetime.h>

#include <cmath>
#include <ctime>

#include "scoringjobs/error.hpp"
#include "scoringjobs/json_input.hpp"
#include "scoringjobs/limits.hpp"

namespace scoringjobs::python {
namespace {

// PyDateTimeAPI is a static of each translation unit that includes datetime.h.
void ensure_datetime_api() {
  if (PyDateTimeAPI == nullptr) {
    PyDateTime_IMPORT;
    if (PyDateTimeAPI == nullptr) throw py::error_already_set();
  }
}

std::string type_name(py::handle value) { return py::str(py::type::handle_of(value).attr("__name__")); }

nlohmann::json to_json_at(py::handle value, std::string_view field, std::size_t depth) {
  if (depth > limits::kMaxJsonDepth) {
    throw_invalid(field, "…", "is nested deeper than " + std::to_string(limits::kMaxJsonDepth) + " levels");
  }
  if (value.is_none()) return nullptr;
  if (PyBool_Check(value.ptr())) return value.cast<bool>();
  if (PyLong_Check(value.ptr())) {
    int overflow = 0;
    const long long signed_value = PyLong_AsLongLongAndOverflow(value.ptr(), &overflow);
    if (overflow == 0) return static_cast<std::int64_t>(signed_value);
    if (overflow > 0) {
      const unsigned long long unsigned_value = PyLong_AsUnsignedLongLong(value.ptr());
      if (!PyErr_Occurred()) return static_cast<std::uint64_t>(unsigned_value);
      PyErr_Clear();
    }
    throw_invalid(field, py::str(value).cast<std::string>(), "is an integer outside 64 bits (send it as a string)");
  }
  if (PyFloat_Check(value.ptr())) {
    const double number = value.cast<double>();
    if (!std::isfinite(number)) throw_invalid(field, py::str(value).cast<std::string>(), "is not a finite number");
    return number;
  }
  if (PyUnicode_Check(value.ptr())) return text(value, field);
  if (PyDict_Check(value.ptr())) {
    nlohmann::json out = nlohmann::json::object();
    for (auto [key, item] : py::reinterpret_borrow<py::dict>(value)) {
      if (!PyUnicode_Check(key.ptr())) {
        throw_invalid(field, py::repr(key).cast<std::string>(), "has a key that is not a str");
      }
      out[text(key, field)] = to_json_at(item, field, depth + 1);
    }
    return out;
  }
  if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
    nlohmann::json out = nlohmann::json::array();
    for (auto item : value) out.push_back(to_json_at(item, field, depth + 1));
    return out;
  }
  throw_invalid(field, type_name(value), "is not a JSON value (dict, list, str, int, float, bool or None)");
}

}  // namespace

std::string text(py::handle value, std::string_view field) {
  if (!PyUnicode_Check(value.ptr())) throw_invalid(field, type_name(value), "must be a str");
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) {
    PyErr_Clear();  // lone surrogates: no UTF-8 form
    throw_invalid(field, "…", "is not valid Unicode (it holds a lone surrogate)");
  }
  return std::string(data, static_cast<std::size_t>(size));
}

nlohmann::json to_json(py::handle value, std::string_view field) { return to_json_at(value, field, 0); }

py::object from_json(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return py::none();
    case nlohmann::json::value_t::boolean: return py::bool_(value.get<bool>());
    case nlohmann::json::value_t::number_integer: return py::int_(value.get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: return py::int_(value.get<std::uint64_t>());
    case nlohmann::json::value_t::number_float: return py::float_(value.get<double>());
    case nlohmann::json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      return py::reinterpret_steal<py::object>(
          PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), nullptr));
    }
    case nlohmann::json::value_t::array: {
      py::list out(value.size());
      std::size_t i = 0;
      for (const auto& item : value) out[i++] = from_json(item);
      return py::object(std::move(out));
    }
    case nlohmann::json::value_t::object: {
      py::dict out;
      for (const auto& [key, item] : value.items()) out[py::str(key)] = from_json(item);
      return py::object(std::move(out));
    }
    default: return py::none();  // binary and discarded values never come out of the library
  }
}

py::object to_datetime(const Timestamp& value) {
  ensure_datetime_api();
  const std::time_t seconds = static_cast<std::time_t>(value.unix_seconds());
  std::tm utc{};
  if (::gmtime_r(&seconds, &utc) == nullptr) {
    throw Error(Errc::InvalidArgument, "timestamp \"" + value.wire() + "\" has no datetime form");
  }
  PyObject* out = PyDateTimeAPI->DateTime_FromDateAndTime(utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                                                          utc.tm_min, utc.tm_sec, value.nanos() / 1000,
                                                          PyDateTime_TimeZone_UTC, PyDateTimeAPI->DateTimeType);
  if (out == nullptr) throw py::error_already_set();  // e.g. year 0, which datetime cannot hold
  return py::reinterpret_steal<py::object>(out);
}

py::object to_datetime(const std::optional<Timestamp>& value) {
  return value ? to_datetime(*value) : py::object(py::none());
}

std::string timestamp_text(py::handle value, std::string_view field) {
  ensure_datetime_api();
  if (PyUnicode_Check(value.ptr())) return text(value, field);
  if (!PyDateTime_Check(value.ptr())) {
    throw_invalid(field, type_name(value), "must be a timezone-aware datetime or an AWSDateTime str");
  }
  const py::object offset = value.attr("utcoffset")();
  if (offset.is_none()) {
    throw_invalid(field, py::str(value).cast<std::string>(),
                  "is a naive datetime: give it a tzinfo (e.g. timezone.utc), the instant is ambiguous without");
  }
  std::string iso = value.attr("isoformat")().cast<std::string>();
  if (iso.ends_with("+00:00")) iso.replace(iso.size() - 6, 6, "Z");
  return iso;
}

nlohmann::json awsjson_value(py::handle value, std::string_view field) {
  if (PyUnicode_Check(value.ptr())) return parse_json_input(field, text(value, field));
  return to_json(value, field);
}

}  // namespace scoringjobs::python
