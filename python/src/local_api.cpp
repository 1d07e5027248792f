// scoringjobs._core.local: the store as the LocalClient's resolvers use it.
// Records go in and come out in their wire shape (AWSJSON as JSON text,
// timestamps as their stored text), as AppSync's resolvers see them; every
// write goes through the library's create/update/link, so it is validated,
// durable and queued exactly as any other local write.

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include <algorithm>

#include "convert.hpp"
#include "create_input.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/index_page.hpp"
#include "scoringjobs/json_input.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "store_handle.hpp"

namespace scoringjobs::python {
namespace {

using nlohmann::json;

Model model_of(const std::string& name) {
  if (auto model = model_from_name(name)) return *model;
  throw_invalid("model", name, "is not ScoringJob, BatchJob or BatchJobScoringJob");
}

/// An update input (wire shape, with "id") as the library's changes: AWSJSON
/// text parsed into values, everything else as it is.
json changes_of(const json& input, std::initializer_list<const char*> awsjson_fields) {
  json changes = input;
  changes.erase("id");
  for (const char* name : awsjson_fields) {
    if (changes.contains(name) && changes[name].is_string()) {
      changes[name] = parse_json_input(name, changes[name].get<std::string>());
    }
  }
  return changes;
}

template <class Record>
json update_record(Store& store, const json& input, const UpdateCondition& condition,
                   std::initializer_list<const char*> awsjson_fields) {
  Record record;
  if (!input.contains("id") || !input["id"].is_string()) {
    throw Error(Errc::InvalidArgument, "input.id is required (a string)", "id");
  }
  record.id = input["id"].get<std::string>();
  record.update(store, changes_of(input, awsjson_fields), condition);
  return record.to_dict();
}

template <class Record>
py::list page_of(std::vector<Record> records) {
  py::list out(records.size());
  std::size_t i = 0;
  for (const auto& record : records) out[i++] = from_json(record.to_dict());
  return out;
}

}  // namespace

void register_local_api(py::module_& parent) {
  auto m = parent.def_submodule("local", "The store as scoringjobs.plexus.LocalClient's resolvers use it.");

  m.def(
      "get",
      [](const std::string& model, const StoreRef& store, const std::string& id) -> py::object {
        const auto kind = model_of(model);
        auto wire = store->run([&](Store& s) -> std::optional<json> {
          try {
            switch (kind) {
              case Model::ScoringJob: return ScoringJob::get_by_id(id, s).to_dict();
              case Model::BatchJob: return BatchJob::get_by_id(id, s).to_dict();
              case Model::BatchJobScoringJob: return BatchJobScoringJob::get_by_id(id, s).to_dict();
            }
          } catch (const Error& e) {
            if (e.code() != Errc::NotFound) throw;
          }
          return std::nullopt;
        });
        return wire ? from_json(*wire) : py::object(py::none());
      },
      py::arg("model"), py::arg("store"), py::arg("id"), "The record's wire shape, or None.");

  m.def(
      "page",
      [](const std::string& model, const StoreRef& store, const IndexQuery& query) -> py::list {
        switch (model_of(model)) {
          case Model::ScoringJob:
            return page_of(store->run([&](Store& s) { return read_index_page<ScoringJob>(s, query); }));
          case Model::BatchJob:
            return page_of(store->run([&](Store& s) { return read_index_page<BatchJob>(s, query); }));
          case Model::BatchJobScoringJob:
            return page_of(store->run([&](Store& s) { return read_index_page<BatchJobScoringJob>(s, query); }));
        }
        return py::list();
      },
      py::arg("model"), py::arg("store"), py::arg("query"), "One page of an index, as wire shapes.");

  py::class_<IndexQuery>(m, "IndexQuery", "See include/scoringjobs/index_page.hpp.")
      .def(py::init<>())
      .def_readwrite("partition", &IndexQuery::partition)
      .def_readwrite("partition_value", &IndexQuery::partition_value)
      .def_readwrite("sort", &IndexQuery::sort)
      .def_readwrite("descending", &IndexQuery::descending)
      .def_readwrite("lower", &IndexQuery::lower)
      .def_readwrite("lower_inclusive", &IndexQuery::lower_inclusive)
      .def_readwrite("upper", &IndexQuery::upper)
      .def_readwrite("upper_inclusive", &IndexQuery::upper_inclusive)
      .def_readwrite("after_sort", &IndexQuery::after_sort)
      .def_readwrite("after_id", &IndexQuery::after_id)
      .def_readwrite("limit", &IndexQuery::limit);

  m.def(
      "create",
      [](const std::string& model, const StoreRef& store, const py::dict& input) {
        const auto kind = model_of(model);
        const auto wire = to_json(input, "input");
        return from_json(store->run([&](Store& s) {
          switch (kind) {
            case Model::ScoringJob: return create_scoring_job(s, wire).to_dict();
            case Model::BatchJob: return create_batch_job(s, wire).to_dict();
            case Model::BatchJobScoringJob: return create_link(s, wire).to_dict();
          }
          return json();
        }));
      },
      py::arg("model"), py::arg("store"), py::arg("input"),
      "Creates a record from a create<Model> input (wire shape); returns the stored record's wire shape.");

  m.def(
      "update",
      [](const std::string& model, const StoreRef& store, const py::dict& input,
         const std::optional<py::function>& condition) {
        const auto kind = model_of(model);
        const auto wire = to_json(input, "input");
        UpdateCondition test;
        if (condition) {
          // Runs inside the store's write transaction, on this thread, which
          // holds the store's lock: it takes the GIL back for the call.
          test = [&condition](const json& stored) {
            py::gil_scoped_acquire gil;
            return (*condition)(from_json(stored)).cast<bool>();
          };
        }
        return from_json(store->run([&](Store& s) {
          switch (kind) {
            case Model::ScoringJob: return update_record<ScoringJob>(s, wire, test, {"errorDetails", "metadata"});
            case Model::BatchJob: return update_record<BatchJob>(s, wire, test, {"errorDetails"});
            case Model::BatchJobScoringJob:
              throw Error(Errc::InvalidArgument,
                          "updateBatchJobScoringJob: the local store keeps join rows as created (it moves no job "
                          "between batches)",
                          "input");
          }
          return json();
        }));
      },
      py::arg("model"), py::arg("store"), py::arg("input"), py::arg("condition") = py::none(),
      "Applies an update<Model> input (wire shape with id) if condition(stored wire shape) holds; returns the "
      "stored record. Raises NotFound for a missing id and Conflict (field 'condition') when the condition fails.");
}

}  // namespace scoringjobs::python
