#pragma once
// Values between Python and the library: JSON values, AWSDateTime text and
// timezone-aware datetimes. Called with the GIL held.

#include <pybind11/pybind11.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::python {

namespace py = pybind11;

/// A Python value made of dict (str keys), list/tuple, str, int, float, bool and
/// None as JSON. Anything else (a set, a float NaN, an int outside 64 bits,
/// nesting past limits::kMaxJsonDepth) is Error{InvalidArgument} naming `field`.
nlohmann::json to_json(py::handle value, std::string_view field);
/// JSON as plain Python values (dict, list, str, int, float, bool, None).
py::object from_json(const nlohmann::json& value);

/// The instant as a datetime in UTC (tzinfo=timezone.utc), to the microsecond
/// (finer digits of the stored text are cut).
py::object to_datetime(const Timestamp& value);
py::object to_datetime(const std::optional<Timestamp>& value);

/// An AWSDateTime given from Python: a str (kept as written) or a
/// timezone-aware datetime (its isoformat(), "+00:00" written "Z"). A naive
/// datetime or another type is Error{InvalidArgument} naming `field`.
std::string timestamp_text(py::handle value, std::string_view field);

/// An AWSJSON field given from Python: a str is JSON text (as the Plexus client
/// passes it on to the API), parsed by parse_json_input; anything else is the
/// value itself (to_json).
nlohmann::json awsjson_value(py::handle value, std::string_view field);

/// A str argument, or Error{InvalidArgument} naming `field`.
std::string text(py::handle value, std::string_view field);

}  // namespace scoringjobs::python
