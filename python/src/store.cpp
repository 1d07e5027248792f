// scoringjobs.Store, and the functions on a whole store: batch_scoring_job,
// status, fixtures.

#include <pybind11/stl.h>

#include <fstream>
#include <iterator>

#include "convert.hpp"
#include "records.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/json_input.hpp"
#include "scoringjobs/status.hpp"

namespace scoringjobs::python {
namespace {

StoreRef open_store(const std::string& path, const std::string& durability, double busy_timeout) {
  StoreOptions options;
  if (durability == "full") {
    options.durability = StoreOptions::Durability::Full;
  } else if (durability == "normal") {
    options.durability = StoreOptions::Durability::Normal;
  } else {
    throw_invalid("durability", durability, "must be \"full\" or \"normal\"");
  }
  if (!(busy_timeout >= 0)) throw_invalid("busy_timeout", std::to_string(busy_timeout), "must be >= 0 seconds");
  options.busy_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(busy_timeout * 1000));
  py::gil_scoped_release release;
  return std::make_shared<StoreHandle>(Store::open(path, options));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Errc::InvalidArgument, "cannot read the fixture file " + path, "path");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

fixtures::ImportOptions import_options(bool as_local_changes, bool keep_local_changes) {
  return {.as = as_local_changes ? fixtures::ImportAs::LocalChanges : fixtures::ImportAs::RemoteState,
          .keep_local_changes = keep_local_changes};
}

}  // namespace

void register_store(py::module_& m) {
  py::class_<StoreHandle, StoreRef> cls(m, "Store", R"doc(
The local store: one SQLite database file (created with mode 0600, or migrated, when opened).
Usable as a context manager (closed on exit). A Store may be shared by threads: its calls are
serialized by a lock it holds, with the GIL released while they wait and while SQLite works; for
writes from several threads in parallel, open one Store per thread on the same file.)doc");
  cls.def(py::init(&open_store), py::arg("path"), py::arg("durability") = "full", py::arg("busy_timeout") = 30.0,
          "durability: \"full\" (a returned write survives power loss) or \"normal\"; busy_timeout: seconds a "
          "writer waits for another process's write lock.");
  cls.def_property_readonly("path", [](const StoreHandle& self) { return self.path().string(); });
  cls.def_property_readonly("closed", &StoreHandle::closed);
  cls.def_property_readonly("schema_version",
                            [](StoreHandle& self) { return self.run([](Store& s) { return s.schema_version(); }); });
  cls.def("close", &StoreHandle::close, "Closes the database; later calls raise InvalidArgument.");
  cls.def("__enter__", [](const StoreRef& self) { return self; });
  cls.def("__exit__", [](StoreHandle& self, py::args) {
    self.close();
    return false;
  });
  cls.def("__repr__", [](const StoreHandle& self) {
    return "Store('" + self.path().string() + "'" + (self.closed() ? ", closed)" : ")");
  });

  m.def(
      "batch_scoring_job",
      [](const StoreRef& store, py::handle itemId, py::handle scorecardId, py::handle accountId,
         py::handle model_provider, py::handle model_name, py::handle scoreId, py::handle parameters,
         py::handle metadata, int max_batch_size) {
        BatchScoringJobRequest request;
        request.itemId = text(itemId, "itemId");
        request.scorecardId = text(scorecardId, "scorecardId");
        request.accountId = text(accountId, "accountId");
        request.modelProvider = text(model_provider, "modelProvider");
        request.modelName = text(model_name, "modelName");
        if (!scoreId.is_none()) request.scoreId = text(scoreId, "scoreId");
        request.parameters = to_json(parameters, "parameters");
        if (!metadata.is_none()) request.metadata = awsjson_value(metadata, "metadata");
        request.max_batch_size = max_batch_size;
        auto result = store->run([&](Store& s) { return batch_scoring_job(s, request); });
        std::optional<PyBatchJob> batch;
        if (result.batch_job) batch = PyBatchJob{std::move(*result.batch_job), store};
        return py::make_tuple(PyScoringJob{std::move(result.scoring_job), store}, batch);
      },
      py::arg("store"), py::arg("itemId"), py::arg("scorecardId"), py::arg("accountId"), py::arg("model_provider"),
      py::arg("model_name"), py::arg("scoreId") = py::none(), py::arg("parameters") = py::none(),
      py::arg("metadata") = py::none(), py::arg("max_batch_size") = 20,
      "The Plexus batch_scoring_job flow in one transaction: the item's existing job and its batch, or a new job "
      "put in an OPEN batch of the same account, scorecard and model (created when none has room; CLOSED when "
      "full). Returns (ScoringJob, BatchJob or None).");

  m.def(
      "status",
      [](const StoreRef& store, std::size_t runs) {
        auto status = store->run([&](Store& s) { return nlohmann::json(store_status(s, runs)); });
        return from_json(status);
      },
      py::arg("store"), py::arg("runs") = 5,
      "What `scoringjobs status --json` prints: {queued, byKind, oldestQueuedAgeMs, nextRetryAt, deadLetters, "
      "conflicts, lastRuns}.");

  m.def(
      "export_records", [](const StoreRef& store) { return from_json(store->run(fixtures::export_records)); },
      py::arg("store"), "Every record, {\"ScoringJob\": [...], \"BatchJob\": [...], \"BatchJobScoringJob\": [...]}.");
  m.def(
      "export_file",
      [](const StoreRef& store, const std::string& path) {
        store->run([&](Store& s) {
          const auto text = fixtures::export_records(s).dump(2) + "\n";
          std::ofstream out(path, std::ios::binary | std::ios::trunc);
          out << text;
          out.close();
          if (!out) throw Error(Errc::Storage, "cannot write the fixture file " + path, "path");
        });
      },
      py::arg("store"), py::arg("path"), "Writes export_records() to a JSON file (what `scoringjobs export` writes).");
  m.def(
      "import_records",
      [](const StoreRef& store, const py::dict& records, bool as_local_changes, bool keep_local_changes) {
        const auto document = to_json(records, "records");
        const auto options = import_options(as_local_changes, keep_local_changes);
        return from_json(
            store->run([&](Store& s) { return nlohmann::json(fixtures::import_records(s, document, options)); }));
      },
      py::arg("store"), py::arg("records"), py::arg("as_local_changes") = false, py::arg("keep_local_changes") = false,
      "Imports a document in the export shape, all or nothing; returns the counts per model.");
  m.def(
      "import_file",
      [](const StoreRef& store, const std::string& path, bool as_local_changes, bool keep_local_changes) {
        const auto options = import_options(as_local_changes, keep_local_changes);
        return from_json(store->run([&](Store& s) {
          const auto document = parse_json_input("fixture", read_file(path));
          return nlohmann::json(fixtures::import_records(s, document, options));
        }));
      },
      py::arg("store"), py::arg("path"), py::arg("as_local_changes") = false, py::arg("keep_local_changes") = false,
      "import_records() of a JSON file (what `scoringjobs import` reads).");
}

}  // namespace scoringjobs::python
