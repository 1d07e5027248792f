#include "remote/input_check.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "remote/document.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::remote {
namespace {

enum class Type { String, Int, DateTime, Json };

struct InputField {
  std::string_view name;
  Type type;
  bool required_on_create;  // `!` in Create<Model>Input (update inputs only require id)
};

// The fields of Create<Model>Input / Update<Model>Input from schema.graphql
// (both have the same field names; only which are required differs).
const std::vector<InputField>& input_fields(Model model) {
  using enum Type;
  static const std::vector<InputField> scoring_job = {
      {"id", String, false},           {"status", String, true},
      {"startedAt", DateTime, false},  {"completedAt", DateTime, false},
      {"errorMessage", String, false}, {"errorDetails", Json, false},
      {"metadata", Json, false},       {"itemId", String, true},
      {"accountId", String, true},     {"scorecardId", String, true},
      {"evaluationId", String, false}, {"scoreId", String, false},
      {"updatedAt", DateTime, false},  {"createdAt", DateTime, false},
  };
  static const std::vector<InputField> batch_job = {
      {"id", String, false},
      {"type", String, true},
      {"batchId", String, true},
      {"status", String, true},
      {"startedAt", DateTime, false},
      {"estimatedEndAt", DateTime, false},
      {"completedAt", DateTime, false},
      {"totalRequests", Int, false},
      {"completedRequests", Int, false},
      {"failedRequests", Int, false},
      {"errorMessage", String, false},
      {"errorDetails", Json, false},
      {"accountId", String, true},
      {"scorecardId", String, false},
      {"scoreId", String, false},
      {"scoringJobCountCache", Int, false},
      {"modelProvider", String, true},
      {"modelName", String, true},
  };
  static const std::vector<InputField> link = {
      {"id", String, false},
      {"batchJobId", String, true},
      {"scoringJobId", String, true},
  };
  switch (model) {
    case Model::ScoringJob: return scoring_job;
    case Model::BatchJob: return batch_job;
    case Model::BatchJobScoringJob: return link;
  }
  return link;
}

void check_value(const std::string& type_name, const std::string& key, Type type, const nlohmann::json& value) {
  const auto refuse = [&](std::string_view why) {
    throw Error(Errc::InvalidArgument, type_name + "." + key + " " + std::string(why), key);
  };
  switch (type) {
    case Type::String:
      if (!value.is_string()) refuse("must be a string");
      return;
    case Type::Int:
      // GraphQL Int is 32-bit; a float with no fraction would coerce, but the models never make one.
      if (!value.is_number_integer()) refuse("must be an integer");
      if (value.is_number_unsigned() ? value.get<std::uint64_t>() > std::numeric_limits<std::int32_t>::max()
                                     : (value.get<std::int64_t>() < std::numeric_limits<std::int32_t>::min() ||
                                        value.get<std::int64_t>() > std::numeric_limits<std::int32_t>::max())) {
        refuse("does not fit in a 32-bit GraphQL Int");
      }
      return;
    case Type::DateTime:
      if (!value.is_string() || !is_aws_datetime(value.get_ref<const std::string&>())) {
        refuse("must be AWSDateTime text such as 2026-11-28T18:54:57.663Z");
      }
      return;
    case Type::Json:
      // AWSJSON travels as a string holding JSON; an object here is a coercion error server-side.
      if (!value.is_string() || !nlohmann::json::accept(value.get_ref<const std::string&>())) {
        refuse("must be a string holding JSON (AWSJSON)");
      }
      return;
  }
}

}  // namespace

bool is_aws_datetime(std::string_view text) noexcept {
  // Timestamp accepts RFC 3339's lower-case and space separators; AppSync does not.
  if (text.size() < 20 || text[10] != 'T' || text.find('z') != std::string_view::npos) return false;
  return Timestamp::try_parse(text).has_value();
}

void check_mutation_input(Model model, MutationKind kind, const nlohmann::json& input) {
  const std::string type_name = input_type(model, kind);
  if (!input.is_object()) throw Error(Errc::InvalidArgument, type_name + " must be a JSON object", "input");
  const auto& fields = input_fields(model);
  for (const auto& [key, value] : input.items()) {
    const auto field = std::ranges::find(fields, std::string_view(key), &InputField::name);
    if (field == fields.end()) {
      throw Error(Errc::InvalidArgument, type_name + " has no field '" + excerpt(key, 64) + "'", key);
    }
    const bool required =
        field->name == "id" ? kind == MutationKind::Update : kind == MutationKind::Create && field->required_on_create;
    if (value.is_null()) {
      if (required)
        throw Error(Errc::InvalidArgument, std::string(type_name).append(".").append(key).append(" must not be null"),
                    key);
      continue;  // null is a valid value: on update it removes the field
    }
    check_value(type_name, key, field->type, value);
  }
  for (const auto& field : fields) {
    const bool required =
        field.name == "id" ? kind == MutationKind::Update : kind == MutationKind::Create && field.required_on_create;
    if (required && !input.contains(std::string(field.name))) {
      throw Error(Errc::InvalidArgument, type_name + "." + std::string(field.name) + " is required",
                  std::string(field.name));
    }
  }
}

void check_condition(const nlohmann::json& condition) {
  if (!condition.is_null() && !condition.is_object()) {
    throw Error(Errc::InvalidArgument, "a mutation condition must be a JSON object or null", "condition");
  }
}

}  // namespace scoringjobs::remote
