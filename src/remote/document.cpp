#include "remote/document.hpp"

#include <algorithm>
#include <cctype>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::remote {
namespace {

std::string kind_prefix(MutationKind kind) { return kind == MutationKind::Create ? "create" : "update"; }

}  // namespace

const std::vector<ListField>& list_fields() {
  static const std::vector<ListField> fields = [] {
    constexpr std::string_view kKey = "String!";
    constexpr std::string_view kKeyCondition = "ModelStringKeyConditionInput";
    constexpr std::string_view kSort = "ModelSortDirection";
    const auto scan = [](std::string_view field, Model model, std::string_view filter) {
      return ListField{field, model, true, {{"filter", filter}}};
    };
    const auto index = [&](std::string_view field, Model model, std::string_view filter,
                           std::vector<std::pair<std::string_view, std::string_view>> keys) {
      keys.emplace_back("sortDirection", kSort);
      keys.emplace_back("filter", filter);
      return ListField{field, model, false, std::move(keys)};
    };
    constexpr std::string_view kJobs = "ModelScoringJobFilterInput";
    constexpr std::string_view kBatches = "ModelBatchJobFilterInput";
    constexpr std::string_view kLinks = "ModelBatchJobScoringJobFilterInput";
    return std::vector<ListField>{
        scan("listScoringJobs", Model::ScoringJob, kJobs),
        index("listScoringJobByItemId", Model::ScoringJob, kJobs, {{"itemId", kKey}}),
        index("listScoringJobByItemIdAndScoreId", Model::ScoringJob, kJobs,
              {{"itemId", kKey}, {"scoreId", kKeyCondition}}),
        index("listScoringJobByAccountId", Model::ScoringJob, kJobs, {{"accountId", kKey}}),
        index("listScoringJobByAccountIdAndCreatedAt", Model::ScoringJob, kJobs,
              {{"accountId", kKey}, {"createdAt", kKeyCondition}}),
        index("listScoringJobByScoreId", Model::ScoringJob, kJobs, {{"scoreId", kKey}}),
        scan("listBatchJobs", Model::BatchJob, kBatches),
        index("listBatchJobByAccountId", Model::BatchJob, kBatches, {{"accountId", kKey}}),
        index("listBatchJobByScorecardId", Model::BatchJob, kBatches, {{"scorecardId", kKey}}),
        index("listBatchJobByScoreId", Model::BatchJob, kBatches, {{"scoreId", kKey}}),
        scan("listBatchJobScoringJobs", Model::BatchJobScoringJob, kLinks),
        index("listBatchJobScoringJobByBatchJobId", Model::BatchJobScoringJob, kLinks, {{"batchJobId", kKey}}),
    };
  }();
  return fields;
}

std::string_view selection(Model model) noexcept {
  switch (model) {
    case Model::ScoringJob: return ScoringJob::fields();
    case Model::BatchJob: return BatchJob::fields();
    case Model::BatchJobScoringJob: return BatchJobScoringJob::fields();
  }
  return {};
}

std::string mutation_field(Model model, MutationKind kind) {
  return kind_prefix(kind) + std::string(model_name(model));
}

std::string input_type(Model model, MutationKind kind) {
  std::string type = kind_prefix(kind) + std::string(model_name(model)) + "Input";
  type[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(type[0])));
  return type;
}

std::string condition_type(Model model) { return "Model" + std::string(model_name(model)) + "ConditionInput"; }

std::string operation_name(std::string_view field) {
  std::string name(field);
  if (!name.empty()) name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
  return name;
}

std::string get_document(Model model) {
  const std::string field = "get" + std::string(model_name(model));
  return "query " + operation_name(field) + "($id: ID!) { " + field + "(id: $id) { " + std::string(selection(model)) +
         " } }";
}

std::string get_many_document(Model model, std::size_t count) {
  const std::string field = "get" + std::string(model_name(model));
  std::string declarations;
  std::string selections;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    declarations.append(i ? ", $id" : "$id").append(n).append(": ID!");
    selections.append(" g").append(n).append(": ").append(field).append("(id: $id").append(n).append(") { ");
    selections.append(selection(model)).append(" }");
  }
  return "query GetMany" + std::string(model_name(model)) + "(" + declarations + ") {" + selections + " }";
}

std::string mutation_document(Model model, MutationKind kind) {
  const std::string field = mutation_field(model, kind);
  return "mutation " + operation_name(field) + "($input: " + input_type(model, kind) +
         "!, $condition: " + condition_type(model) + ") { " + field + "(input: $input, condition: $condition) { " +
         std::string(selection(model)) + " } }";
}

AliasedMutation aliased_mutation(Model model, MutationKind kind, std::size_t index, bool with_condition,
                                 Returning returning) {
  const std::string n = std::to_string(index);
  AliasedMutation out{"m" + n, "input" + n, "condition" + n, {}, {}};
  out.declarations = "$" + out.input_var + ": " + input_type(model, kind) + "!";
  std::string arguments = "input: $" + out.input_var;
  if (with_condition) {
    out.declarations += ", $" + out.condition_var + ": " + condition_type(model);
    arguments += ", condition: $" + out.condition_var;
  }
  out.selection = out.alias + ": " + mutation_field(model, kind) + "(" + arguments + ") { " +
                  std::string(returning == Returning::Stamps ? kStampSelection : selection(model)) + " }";
  return out;
}

const ListField& list_field(std::string_view field) {
  const auto& fields = list_fields();
  const auto found = std::ranges::find(fields, field, &ListField::field);
  if (found == fields.end()) throw_invalid("field", field, "is not a list query of the schema");
  return *found;
}

std::string list_document(const ListField& list, std::string_view fields, std::string_view name_suffix) {
  std::string declarations;
  std::string arguments;
  for (const auto& [name, type] : list.arguments) {
    declarations += "$" + std::string(name) + ": " + std::string(type) + ", ";
    arguments += std::string(name) + ": $" + std::string(name) + ", ";
  }
  declarations += "$limit: Int, $nextToken: String";
  arguments += "limit: $limit, nextToken: $nextToken";
  return "query " + operation_name(list.field) + std::string(name_suffix) + "(" + declarations + ") { " +
         std::string(list.field) + "(" + arguments + ") { items { " +
         std::string(fields.empty() ? selection(list.model) : fields) + " } nextToken } }";
}

std::string batch_of_scoring_job_document() {
  return "query GetBatchJobOfScoringJob($scoringJobId: String!, $limit: Int, $nextToken: String) { "
         "listBatchJobScoringJobs(filter: {scoringJobId: {eq: $scoringJobId}}, limit: $limit, nextToken: $nextToken) "
         "{ items { batchJob { " +
         std::string(BatchJob::fields()) + " } } nextToken } }";
}

std::string dump_json(const nlohmann::json& value, std::string_view field) {
  try {
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
  } catch (const nlohmann::json::type_error&) {
    throw Error(Errc::InvalidArgument, std::string(field) + " holds a string that is not valid UTF-8",
                std::string(field));
  }
}

std::string request_body(std::string_view query, const nlohmann::json& variables, std::string_view operationName) {
  nlohmann::json body = {{"query", query}, {"variables", variables}};
  if (!operationName.empty()) body["operationName"] = operationName;
  return dump_json(body, "variables");
}

bool is_mutation_document(std::string_view document) noexcept {
  int depth = 0;
  for (std::size_t i = 0; i < document.size(); ++i) {
    const char c = document[i];
    if (c == '#') {
      i = document.find('\n', i);
      if (i == std::string_view::npos) break;
    } else if (c == '"') {
      for (++i; i < document.size() && document[i] != '"'; ++i) {
        if (document[i] == '\\') ++i;
      }
    } else if (c == '{' || c == '(') {
      ++depth;
    } else if (c == '}' || c == ')') {
      --depth;
    } else if (depth == 0 && document.substr(i, 8) == "mutation" &&
               (i == 0 || !std::isalnum(static_cast<unsigned char>(document[i - 1]))) &&
               (i + 8 == document.size() || !std::isalnum(static_cast<unsigned char>(document[i + 8])))) {
      return true;
    }
  }
  return false;
}

}  // namespace scoringjobs::remote
