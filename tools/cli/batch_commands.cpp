// Commands on batches: assign, batch create|get|jobs, link, batch-of.

#include <memory>

#include "app.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::cli {
namespace {

struct AssignArgs {
  BatchScoringJobRequest request;
  std::string score, metadata, parameters;
  CLI::Option *score_option = nullptr, *metadata_option = nullptr, *parameters_option = nullptr;
};

void add_assign(CLI::App& app, Context& context) {
  auto args = std::make_shared<AssignArgs>();
  auto* cmd = add_command(
      app, context, "assign", "Find or create the scoring job of an item and put it in an open batch for its model",
      [&context, args] {
        auto request = args->request;
        request.scoreId = given(args->score_option, args->score);
        if (auto text = given(args->metadata_option, args->metadata)) {
          request.metadata = parse_json_option("--metadata", *text);
        }
        if (auto text = given(args->parameters_option, args->parameters)) {
          request.parameters = parse_json_option("--parameters", *text);
        }
        const auto result = batch_scoring_job(context.store(), request);
        print_json({{"scoringJob", result.scoring_job.to_json()},
                    {"batchJob", result.batch_job ? result.batch_job->to_json() : nlohmann::json(nullptr)},
                    {"created", result.created}});
      });
  auto& r = args->request;
  cmd->add_option("--account", r.accountId, "Account id")->required();
  cmd->add_option("--scorecard", r.scorecardId, "Scorecard id")->required();
  cmd->add_option("--item", r.itemId, "Item id")->required();
  cmd->add_option("--model-provider", r.modelProvider, "Model provider")->required();
  cmd->add_option("--model-name", r.modelName, "Model name")->required();
  args->score_option = cmd->add_option("--score", args->score, "Score id");
  args->metadata_option = cmd->add_option("--metadata", args->metadata, "Metadata of a new job, a JSON value");
  args->parameters_option = cmd->add_option("--parameters", args->parameters,
                                            "Parameters of a new job, a JSON object (kept in metadata.parameters)");
  cmd->add_option("--max-batch-size", r.max_batch_size, "Jobs per batch; a full batch is CLOSED")
      ->capture_default_str();
  cmd->footer("Prints {\"scoringJob\":{...},\"batchJob\":{...}|null,\"created\":true|false}.");
}

struct BatchCreateArgs {
  std::string account, type, modelProvider, modelName, scorecard, score, id;
  BatchJobCreateOptions options;
  bool allow_new_status = false;
  CLI::Option *scorecard_option = nullptr, *score_option = nullptr, *id_option = nullptr;
};

void add_batch_create(CLI::App& batch, Context& context) {
  auto args = std::make_shared<BatchCreateArgs>();
  auto* cmd = add_command(batch, context, "create", "Create a batch job and print it", [&context, args] {
    check_status_option(Model::BatchJob, args->options.status, args->allow_new_status);
    auto options = args->options;
    options.scorecardId = given(args->scorecard_option, args->scorecard);
    options.scoreId = given(args->score_option, args->score);
    options.id = given(args->id_option, args->id);
    auto created = BatchJob::create(context.store(), args->account, args->type, args->modelProvider, args->modelName,
                                    nullptr, options);
    print_json(created.to_json());
  });
  cmd->add_option("--account", args->account, "Account id")->required();
  cmd->add_option("--type", args->type, "Batch type, e.g. MultiStepScore")->required();
  cmd->add_option("--model-provider", args->modelProvider, "Model provider")->required();
  cmd->add_option("--model-name", args->modelName, "Model name")->required();
  args->scorecard_option = cmd->add_option("--scorecard", args->scorecard, "Scorecard id");
  args->score_option = cmd->add_option("--score", args->score, "Score id");
  cmd->add_option("--status", args->options.status, "Status: " + status_help(Model::BatchJob))->capture_default_str();
  add_allow_new_status_flag(*cmd, args->allow_new_status);
  args->id_option = cmd->add_option("--id", args->id, "Record id (default: a new UUID)");
}

void add_batch_get(CLI::App& batch, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = add_command(batch, context, "get", "Print a batch job (exit 3 when absent)",
                          [&context, id] { print_json(BatchJob::get_by_id(*id, context.existing_store()).to_json()); });
  cmd->add_option("BATCH_ID", *id, "Batch job id")->required();
}

void add_batch_jobs(CLI::App& batch, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = add_command(batch, context, "jobs", "List the scoring jobs of a batch, in the order they were linked",
                          [&context, id] {
                            // Read the batch first so a wrong id is "not found", not an empty list.
                            const auto found = BatchJob::get_by_id(*id, context.existing_store());
                            auto jobs = nlohmann::json::array();
                            for (const auto& job : BatchJob::list_scoring_jobs(found.id, context.existing_store())) {
                              jobs.push_back(job.to_json());
                            }
                            print_json({{"batchJobId", found.id}, {"scoringJobs", std::move(jobs)}});
                          });
  cmd->add_option("BATCH_ID", *id, "Batch job id")->required();
  cmd->footer("Prints {\"batchJobId\":\"...\",\"scoringJobs\":[...]}.");
}

void add_link(CLI::App& app, Context& context) {
  struct Args {
    std::string batch, job;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = add_command(
      app, context, "link", "Put a scoring job in a batch and print the link (exit 1 when it is in another batch)",
      [&context, args] { print_json(BatchJobScoringJob::link(context.store(), args->batch, args->job).to_json()); });
  cmd->add_option("BATCH_ID", args->batch, "Batch job id")->required();
  cmd->add_option("JOB_ID", args->job, "Scoring job id")->required();
}

void add_batch_of(CLI::App& app, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = add_command(
      app, context, "batch-of", "Print the batch of a scoring job (exit 3 when it has none)", [&context, id] {
        const auto job = ScoringJob::get_by_id(*id, context.existing_store());
        auto batch = ScoringJob::get_batch_job(job.id, context.existing_store());
        if (!batch) {
          throw CliError(ExitCode::NotFound, "ScoringJob \"" + excerpt(job.id) + "\" is not in a batch");
        }
        print_json(batch->to_json());
      });
  cmd->add_option("JOB_ID", *id, "Scoring job id")->required();
}

}  // namespace

void add_batch_commands(CLI::App& app, Context& context) {
  add_assign(app, context);
  auto* batch = app.add_subcommand("batch", "Create, read and list batch jobs");
  batch->require_subcommand(1);
  add_batch_create(*batch, context);
  add_batch_get(*batch, context);
  add_batch_jobs(*batch, context);
  add_link(app, context);
  add_batch_of(app, context);
}

}  // namespace scoringjobs::cli
