// Commands on scoring jobs themselves: init, create, update, get, find-by-item, list.

#include <array>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "app.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::cli {
namespace {

void add_init(CLI::App& app, Context& context) {
  add_command(app, context, "init", "Create the database, or migrate it to the current schema", [&context] {
    auto& store = context.store();
    print_json({{"db", std::filesystem::absolute(store.path()).string()}, {"schemaVersion", store.schema_version()}});
  });
}

struct CreateArgs {
  std::string account, scorecard, item, status = "PENDING", score, evaluation, metadata, parameters, id;
  bool allow_new_status = false;
  CLI::Option *score_option = nullptr, *evaluation_option = nullptr, *metadata_option = nullptr,
              *parameters_option = nullptr, *id_option = nullptr;
};

void add_create(CLI::App& app, Context& context) {
  auto args = std::make_shared<CreateArgs>();
  auto* cmd = add_command(app, context, "create", "Create a scoring job and print it", [&context, args] {
    check_status_option(Model::ScoringJob, args->status, args->allow_new_status);
    ScoringJobCreateOptions options;
    options.status = args->status;
    options.id = given(args->id_option, args->id);
    options.scoreId = given(args->score_option, args->score);
    options.evaluationId = given(args->evaluation_option, args->evaluation);
    if (auto text = given(args->metadata_option, args->metadata))
      options.metadata = parse_json_option("--metadata", *text);
    nlohmann::json parameters = nullptr;
    if (auto text = given(args->parameters_option, args->parameters))
      parameters = parse_json_option("--parameters", *text);
    auto job = ScoringJob::create(context.store(), args->account, args->scorecard, args->item, parameters, options);
    print_json(job.to_json());
  });
  cmd->add_option("--account", args->account, "Account id")->required();
  cmd->add_option("--scorecard", args->scorecard, "Scorecard id")->required();
  cmd->add_option("--item", args->item, "Item id")->required();
  args->score_option = cmd->add_option("--score", args->score, "Score id");
  args->evaluation_option = cmd->add_option("--evaluation", args->evaluation, "Evaluation id");
  cmd->add_option("--status", args->status, "Status: " + status_help(Model::ScoringJob))->capture_default_str();
  add_allow_new_status_flag(*cmd, args->allow_new_status);
  args->metadata_option = cmd->add_option("--metadata", args->metadata, "Metadata, a JSON value");
  args->parameters_option =
      cmd->add_option("--parameters", args->parameters, "Parameters, a JSON object (kept in metadata.parameters)");
  args->id_option = cmd->add_option("--id", args->id, "Record id (default: a new UUID)");
}

// The fields `update` can set: option, wire field, whether the value is JSON,
// whether --clear may null it, help text.
struct UpdateField {
  const char* option;
  const char* field;
  bool json;
  bool clearable;
  const char* help;
};

constexpr std::array kUpdateFields{
    UpdateField{"--status", "status", false, false, "New status (see below)"},
    UpdateField{"--started-at", "startedAt", false, true, "Start time, RFC 3339"},
    UpdateField{"--completed-at", "completedAt", false, true, "Completion time, RFC 3339"},
    UpdateField{"--error-message", "errorMessage", false, true, "Error message"},
    UpdateField{"--error-details", "errorDetails", true, true, "Error details, a JSON value"},
    UpdateField{"--metadata", "metadata", true, true, "Metadata, a JSON value (replaces the old one)"},
    UpdateField{"--score", "scoreId", false, true, "Score id"},
    UpdateField{"--evaluation", "evaluationId", false, true, "Evaluation id"},
    // Offered only to be refused by the library with a clear message (exit 2).
    UpdateField{"--created-at", "createdAt", false, false, "Refused: createdAt cannot be modified"},
};

struct UpdateArgs {
  std::string id;
  std::array<std::string, kUpdateFields.size()> values;
  std::array<CLI::Option*, kUpdateFields.size()> options{};
  std::vector<std::string> clear;
  bool allow_new_status = false;
};

// The option name without its dashes, as --clear takes it.
std::string clear_name(const UpdateField& field) { return std::string(field.option).substr(2); }

nlohmann::json update_changes(const UpdateArgs& args) {
  auto changes = nlohmann::json::object();
  for (std::size_t i = 0; i < kUpdateFields.size(); ++i) {
    const auto value = given(args.options[i], args.values[i]);
    if (!value) continue;
    const auto& field = kUpdateFields[i];
    changes[field.field] = field.json ? parse_json_option(field.option, *value) : nlohmann::json(*value);
  }
  for (const auto& name : args.clear) {
    for (const auto& field : kUpdateFields) {
      if (clear_name(field) != name) continue;
      if (changes.contains(field.field)) {
        throw CliError(ExitCode::Usage, "--clear " + name + " conflicts with " + field.option);
      }
      changes[field.field] = nullptr;
    }
  }
  return changes;
}

void add_update(CLI::App& app, Context& context) {
  auto args = std::make_shared<UpdateArgs>();
  auto* cmd = add_command(app, context, "update", "Change fields of a scoring job and print it", [&context, args] {
    const auto changes = update_changes(*args);
    auto job = ScoringJob::get_by_id(args->id, context.store());
    if (changes.contains("status") && changes["status"].is_string()) {
      check_status_option(Model::ScoringJob, changes["status"].get<std::string>(), args->allow_new_status);
    }
    job.update(context.store(), changes);
    print_json(job.to_json());
  });
  cmd->add_option("JOB_ID", args->id, "Scoring job id")->required();
  std::vector<std::string> clearable;
  for (std::size_t i = 0; i < kUpdateFields.size(); ++i) {
    const auto& field = kUpdateFields[i];
    args->options[i] = cmd->add_option(field.option, args->values[i], field.help);
    if (field.clearable) clearable.push_back(clear_name(field));
  }
  add_allow_new_status_flag(*cmd, args->allow_new_status);
  cmd->add_option("--clear", args->clear, "Set a field to null (repeatable)")
      ->type_name("FIELD")
      ->check(CLI::IsMember(clearable));
  cmd->footer("An option given an empty value is refused; use --clear to remove a field.\n--status: " +
              status_help(Model::ScoringJob) + ".");
}

void add_get(CLI::App& app, Context& context) {
  auto id = std::make_shared<std::string>();
  auto* cmd = add_command(app, context, "get", "Print a scoring job (exit 3 when absent)", [&context, id] {
    print_json(ScoringJob::get_by_id(*id, context.existing_store()).to_json());
  });
  cmd->add_option("JOB_ID", *id, "Scoring job id")->required();
}

void add_find_by_item(CLI::App& app, Context& context) {
  auto item = std::make_shared<std::string>();
  auto* cmd = add_command(
      app, context, "find-by-item", "Print the newest scoring job of an item (exit 3 when none)", [&context, item] {
        auto job = ScoringJob::find_by_item_id(*item, context.existing_store());
        if (!job) {
          throw CliError(ExitCode::NotFound, "no ScoringJob with itemId \"" + excerpt(*item) + "\"");
        }
        print_json(job->to_json());
      });
  cmd->add_option("ITEM_ID", *item, "Item id")->required();
}

struct ListArgs {
  ScoringJobListOptions options;
  std::string account, updated_since;
  CLI::Option *account_option = nullptr, *updated_since_option = nullptr;
  bool json = false;
};

void add_list(CLI::App& app, Context& context) {
  auto args = std::make_shared<ListArgs>();
  auto* cmd = add_command(app, context, "list", "List scoring jobs of the local store, newest first", [&context, args] {
    auto options = args->options;
    options.accountId = given(args->account_option, args->account);
    if (auto text = given(args->updated_since_option, args->updated_since)) {
      options.updated_since = Timestamp::try_parse(*text);
      if (!options.updated_since) {
        throw CliError(ExitCode::Usage, "--updated-since is not an RFC 3339 timestamp: \"" + excerpt(*text) + "\"");
      }
    }
    for (const auto& status : options.statuses) require_non_empty("--status", status);
    const auto jobs = ScoringJob::list(context.existing_store(), options);
    for (const auto& job : jobs) {
      if (args->json) {
        print_json(job.to_json());
      } else {
        std::cout << job.id << '\t' << job.status << '\t' << job.accountId << '\t' << job.itemId << '\t'
                  << job.createdAt.wire() << '\t' << job.updatedAt.wire() << '\n';
      }
    }
    std::cout << std::flush;
    if (!std::cout) throw std::runtime_error("cannot write to stdout");
  });
  args->account_option = cmd->add_option("--account", args->account, "Only this account's jobs")->type_name("ID");
  cmd->add_option("--status", args->options.statuses, "Only jobs with this status (repeatable: any of them)")
      ->type_name("S");
  args->updated_since_option = cmd->add_option("--updated-since", args->updated_since,
                                               "Only jobs whose updatedAt is at or after this RFC 3339 time")
                                   ->type_name("T");
  cmd->add_option("--limit", args->options.limit, "Jobs to list at most")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000'000}))
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "One JSON object per line (as get prints it) instead of tab-separated columns");
  cmd->footer(
      "Newest createdAt first. Columns: id, status, accountId, itemId, createdAt, updatedAt.\n"
      "Nothing is printed when no job matches (exit 0).");
}

}  // namespace

void add_record_commands(CLI::App& app, Context& context) {
  add_init(app, context);
  add_create(app, context);
  add_update(app, context);
  add_get(app, context);
  add_find_by_item(app, context);
  add_list(app, context);
}

}  // namespace scoringjobs::cli
