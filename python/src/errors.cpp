#include "errors.hpp"

#include <array>
#include <string>

#include "scoringjobs/error.hpp"

namespace scoringjobs::python {
namespace {

namespace py = pybind11;

struct ErrorClass {
  Errc code;
  const char* name;
  PyObject* extra_base;  // a builtin exception the class also derives from, or null
  const char* doc;
};

PyObject* base_error = nullptr;
std::array<PyObject*, static_cast<std::size_t>(Errc::Internal) + 1> classes{};

void raise(const Error& e) {
  PyObject* cls = classes.at(static_cast<std::size_t>(e.code()));
  if (cls == nullptr) cls = base_error;  // a code this table does not name yet: still a scoringjobs.Error
  py::object instance = py::reinterpret_borrow<py::object>(cls)(py::str(e.what()));
  instance.attr("code") = py::str(std::string(to_string(e.code())));
  instance.attr("field") = e.field().empty() ? py::object(py::none()) : py::object(py::str(e.field()));
  instance.attr("native_code") = py::int_(e.native_code());
  if (e.retry_after()) instance.attr("retry_after") = py::int_(e.retry_after()->count());
  PyErr_SetObject(cls, instance.ptr());
}

}  // namespace

void register_errors(py::module_& module) {
  base_error = PyErr_NewExceptionWithDoc(
      "scoringjobs.Error",
      "Every error of scoringjobs. Attributes: code (e.g. 'invalid_argument'), field (the wire name of the field at "
      "fault, or None), native_code (SQLite extended code, CURLcode or HTTP status; 0 when none).",
      PyExc_Exception, nullptr);
  if (base_error == nullptr) throw py::error_already_set();
  module.add_object("Error", py::handle(base_error));

  const ErrorClass table[] = {
      {Errc::InvalidArgument, "InvalidArgument", PyExc_ValueError, "Bad input, naming the field; nothing was written."},
      {Errc::NotFound, "NotFound", PyExc_LookupError, "The record does not exist."},
      {Errc::Conflict, "Conflict", nullptr, "A local invariant would be broken (a duplicate id, a failed condition)."},
      {Errc::SchemaTooNew, "SchemaTooNew", nullptr, "The database was written by a newer version."},
      {Errc::Storage, "Storage", nullptr, "SQLite failed (disk full, I/O error, corrupt file)."},
      {Errc::Busy, "Busy", nullptr, "The database stayed locked past the busy timeout."},
      {Errc::Offline, "Offline", nullptr, "The API could not be reached."},
      {Errc::Untrusted, "Untrusted", nullptr, "The API's TLS certificate did not verify; nothing was sent."},
      {Errc::Transient, "Transient", nullptr, "The API failed in a way worth retrying later."},
      {Errc::Throttled, "Throttled", nullptr, "The API asked to slow down (retry_after, when it said)."},
      {Errc::Auth, "Auth", nullptr, "The API refused the key."},
      {Errc::Contract, "Contract", nullptr, "The API refused the whole document: its schema and this client disagree."},
      {Errc::RemoteConflict, "RemoteConflict", nullptr, "A conditional mutation failed remotely."},
      {Errc::Rejected, "Rejected", nullptr, "The API refused a request for good."},
      {Errc::OutcomeUnknown, "OutcomeUnknown", nullptr, "A mutation went out and no answer came back."},
      {Errc::Unreadable, "Unreadable", nullptr, "The API holds a record the models cannot read."},
      {Errc::TooLarge, "TooLarge", nullptr, "The answer would exceed the response size limit: ask for less."},
      {Errc::InvalidToken, "InvalidToken", nullptr, "The API refused a pagination token: start the listing again."},
      {Errc::Internal, "Internal", nullptr, "Anything else."},
  };
  for (const auto& entry : table) {
    const std::string qualified = std::string("scoringjobs.") + entry.name;
    py::tuple bases = entry.extra_base ? py::make_tuple(py::handle(base_error), py::handle(entry.extra_base))
                                       : py::make_tuple(py::handle(base_error));
    PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), entry.doc, bases.ptr(), nullptr);
    if (cls == nullptr) throw py::error_already_set();
    classes.at(static_cast<std::size_t>(entry.code)) = cls;
    module.add_object(entry.name, py::handle(cls));
  }

  py::register_exception_translator([](std::exception_ptr thrown) {
    try {
      if (thrown) std::rethrow_exception(thrown);
    } catch (const Error& e) {
      raise(e);
    }
  });
}

}  // namespace scoringjobs::python
