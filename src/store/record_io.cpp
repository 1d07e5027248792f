#include "store/record_io.hpp"

#include "store/rows.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail {

std::optional<nlohmann::json> read_local(StoreImpl& store, Model model, std::string_view id) {
  switch (model) {
    case Model::ScoringJob:
      if (auto job = rows::find_scoring_job(store, id)) return job->to_dict();
      break;
    case Model::BatchJob:
      if (auto batch = rows::find_batch_job(store, id)) return batch->to_dict();
      break;
    case Model::BatchJobScoringJob:
      if (auto link = rows::find_link(store, id)) return link->to_dict();
      break;
  }
  return std::nullopt;
}

void write_local(WriteTransaction& tx, Model model, const nlohmann::json& wire) {
  switch (model) {
    case Model::ScoringJob: write_local(tx, ScoringJob::from_dict(wire)); break;
    case Model::BatchJob: write_local(tx, BatchJob::from_dict(wire)); break;
    case Model::BatchJobScoringJob: write_local(tx, BatchJobScoringJob::from_dict(wire)); break;
  }
}

void write_local(WriteTransaction& tx, ScoringJob job) {
  // batchId is local-only (the remote never sends it): a stored row keeps its own.
  rows::read_batch_id(tx.store(), job.id, job.batchId);
  rows::upsert(tx, job);
}

void write_local(WriteTransaction& tx, const BatchJob& batch) { rows::upsert(tx, batch); }

void write_local(WriteTransaction& tx, const BatchJobScoringJob& link) {
  rows::upsert(tx, link);
  rows::set_batch_id(tx, link.scoringJobId, link.batchJobId);
}

}  // namespace scoringjobs::detail
