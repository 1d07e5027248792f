// The fixture importer: a fuzzed document is imported into a fresh store that
// already holds a few records (one of them with a queued local change). Either
// import_records refuses it with Error{InvalidArgument} and the store is
// byte-for-byte unchanged (every row of every table), or it succeeds, every
// record of the document reads back as its canonical wire form, every other
// record is untouched, and importing the same document again writes nothing.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"
#include "store/store_impl.hpp"
#include "support/store_snapshot.hpp"

namespace {

using nlohmann::json;
using scoringjobs::Store;
namespace fixtures = scoringjobs::fixtures;

// What the store holds before the fuzzed import: records on the "remote" and
// one local create still queued, so refusals and overwrites both have
// something to refuse or overwrite.
const json& base_document() {
  static const json document = json::parse(R"({
    "BatchJob": [{"id": "batch-1", "accountId": "acct", "status": "OPEN", "type": "MultiStepScore",
                  "batchId": "b-1", "modelProvider": "openai", "modelName": "gpt-4o",
                  "createdAt": "2026-11-28T10:00:00.000Z", "updatedAt": "2026-11-28T10:00:00.000Z",
                  "scoringJobCountCache": 1}],
    "ScoringJob": [{"id": "job-1", "accountId": "acct", "status": "PENDING", "scorecardId": "card",
                    "itemId": "item-1", "createdAt": "2026-11-28T10:00:00.000Z",
                    "updatedAt": "2026-11-28T10:00:00.000Z", "metadata": "{\"a\":1}"}],
    "BatchJobScoringJob": [{"id": "link-1", "batchJobId": "batch-1", "scoringJobId": "job-1",
                            "createdAt": "2026-11-28T10:00:00.000Z", "updatedAt": "2026-11-28T10:00:00.000Z"}]
  })");
  return document;
}

// Every row of every table: the whole observable state.
std::string table_dump(Store& store) {
  return scoringjobs::test::store_snapshot(scoringjobs::detail::impl_of(store).db);
}

// A store in a fresh file under /dev/shm (tmpfs: fast), removed afterwards.
class ScratchStore {
 public:
  ScratchStore() {
    const auto base = std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm")
                                                          : std::filesystem::temp_directory_path();
    dir_ = base / ("fuzz_import-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    scoringjobs::StoreOptions options;
    options.durability = scoringjobs::StoreOptions::Durability::Normal;  // nothing here must survive a power cut
    store_.emplace(Store::open(dir_ / "jobs.db", options));
  }
  ~ScratchStore() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  ScratchStore(const ScratchStore&) = delete;
  ScratchStore& operator=(const ScratchStore&) = delete;
  Store& operator*() { return *store_; }

 private:
  std::filesystem::path dir_;
  std::optional<Store> store_;
};

template <class Record>
json canonical(const json& wire) {
  return Record::from_dict(wire).to_dict();
}

// The export expected after importing `document` over `before`: each imported
// record replaces (or adds) the record of its id.
json expected_export(const json& before, const json& document) {
  json expected = json::object();
  for (const auto* model : {"ScoringJob", "BatchJob", "BatchJobScoringJob"}) {
    std::map<std::string, json> by_id;
    for (const auto& record : before.at(model)) by_id[record.at("id").get<std::string>()] = record;
    if (const auto list = document.find(model); list != document.end()) {
      for (const auto& wire : *list) {
        const auto record = std::string(model) == "ScoringJob" ? canonical<scoringjobs::ScoringJob>(wire)
                            : std::string(model) == "BatchJob" ? canonical<scoringjobs::BatchJob>(wire)
                                                               : canonical<scoringjobs::BatchJobScoringJob>(wire);
        by_id[record.at("id").get<std::string>()] = record;
      }
    }
    auto& out = expected[model] = json::array();
    for (auto& [id, record] : by_id) out.push_back(std::move(record));
  }
  return expected;
}

bool wrote_nothing(const fixtures::ImportReport& report) {
  return report.scoring_jobs.written == 0 && report.batch_jobs.written == 0 && report.links.written == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto document = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return 0;
  // Both ways in, chosen by the input so a crash replays the same way.
  fixtures::ImportOptions options;
  options.as = size % 2 ? fixtures::ImportAs::LocalChanges : fixtures::ImportAs::RemoteState;

  ScratchStore store;
  fixtures::import_records(*store, base_document());
  scoringjobs::ScoringJobCreateOptions local;
  local.id = "job-local";
  scoringjobs::ScoringJob::create(*store, "acct", "card", "item-local", nullptr, local);
  const auto export_before = fixtures::export_records(*store);
  const auto rows_before = table_dump(*store);

  try {
    fixtures::import_records(*store, document, options);
  } catch (const scoringjobs::Error& e) {
    if (e.code() != scoringjobs::Errc::InvalidArgument) std::abort();
    if (table_dump(*store) != rows_before) std::abort();  // refused: nothing may have changed
    return 0;
  }
  const auto export_after = fixtures::export_records(*store);
  if (export_after != expected_export(export_before, document)) std::abort();
  const auto rows_after = table_dump(*store);
  // The second import of the same document finds everything in place.
  const auto again = fixtures::import_records(*store, document, options);
  if (!wrote_nothing(again) || table_dump(*store) != rows_after) std::abort();
  return 0;
}
