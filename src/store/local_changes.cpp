#include "store/local_changes.hpp"

#include "store/outbox_writer.hpp"
#include "store/rows.hpp"

namespace scoringjobs::detail {

void create_locally(WriteTransaction& tx, const ScoringJob& job) { create_locally(tx, job, job.to_dict()); }

void create_locally(WriteTransaction& tx, const ScoringJob& job, const nlohmann::json& wire) {
  rows::insert(tx, job);
  enqueue(tx, Model::ScoringJob, job.id, Operation::Create, wire);
}

void create_locally(WriteTransaction& tx, const BatchJob& batch) {
  rows::insert(tx, batch);
  enqueue(tx, Model::BatchJob, batch.id, Operation::Create, batch.to_dict());
}

void create_locally(WriteTransaction& tx, const BatchJobScoringJob& link) {
  rows::insert(tx, link);
  enqueue(tx, Model::BatchJobScoringJob, link.id, Operation::Create, link.to_dict());
}

void update_locally(WriteTransaction& tx, const ScoringJob& after, const nlohmann::json& changed) {
  rows::upsert(tx, after);
  enqueue(tx, Model::ScoringJob, after.id, Operation::Update, changed);
}

void update_locally(WriteTransaction& tx, const BatchJob& after, const nlohmann::json& changed) {
  rows::upsert(tx, after);
  enqueue(tx, Model::BatchJob, after.id, Operation::Update, changed);
}

}  // namespace scoringjobs::detail
