#pragma once
// GraphQL documents built from the models' selection sets (fields()), one
// place for every document the client sends. Documents are single-line and
// contain no characters that JSON escapes, so their size in a request body is
// their length (MutationBatch relies on that for document_bytes()).

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs::remote {

/// The model's selection set, e.g. "id accountId status …".
std::string_view selection(Model model) noexcept;
/// What a mutation asking for Returning::Stamps selects.
inline constexpr std::string_view kStampSelection = "id createdAt updatedAt";
/// "createScoringJob", "updateBatchJob", …
std::string mutation_field(Model model, MutationKind kind);
/// "CreateScoringJobInput", …
std::string input_type(Model model, MutationKind kind);
/// "ModelScoringJobConditionInput", …
std::string condition_type(Model model);
/// "GetScoringJob" from "getScoringJob": the operationName of a one-field document.
std::string operation_name(std::string_view field);

/// query GetScoringJob($id: ID!) { getScoringJob(id: $id) { … } }
std::string get_document(Model model);
/// query GetManyScoringJob($id0: ID!, …) { g0: getScoringJob(id: $id0) { … } … }; aliases g<i>.
std::string get_many_document(Model model, std::size_t count);
/// mutation CreateScoringJob($input: CreateScoringJobInput!, $condition: …) { createScoringJob(…) { … } }
std::string mutation_document(Model model, MutationKind kind);
/// The alias, declarations and selection of mutation number `index` of a batch.
struct AliasedMutation {
  std::string alias;          // "m3"
  std::string input_var;      // "input3"
  std::string condition_var;  // "condition3" (declared only when a condition is sent)
  std::string declarations;
  std::string selection;
};
AliasedMutation aliased_mutation(Model model, MutationKind kind, std::size_t index, bool with_condition,
                                 Returning returning = Returning::Record);

/// A list field of the schema: its model and its arguments (besides limit and
/// nextToken, which every list field takes).
struct ListField {
  std::string_view field;
  Model model;
  bool scan;                                                             // a table scan: filter only, no sortDirection
  std::vector<std::pair<std::string_view, std::string_view>> arguments;  // name, GraphQL type
};
/// Every list query of the schema's Query type, with its arguments in schema order.
const std::vector<ListField>& list_fields();
/// Throws Error{InvalidArgument} for a field that is not one of the schema's list queries.
const ListField& list_field(std::string_view field);
/// query ListScoringJobByItemId($itemId: String!, …, $limit: Int, $nextToken: String) { … { items { … } nextToken } }
/// `fields` replaces the model's selection and `name_suffix` is appended to the operation name when given.
std::string list_document(const ListField& list, std::string_view fields = {}, std::string_view name_suffix = {});
/// The BatchJob of a scoring job through its join rows, one page per request.
std::string batch_of_scoring_job_document();

/// True when the document's operation is a mutation: any top-level "mutation"
/// keyword outside strings and comments. Erring towards "mutation" only costs
/// a more careful error class (OutcomeUnknown instead of Transient).
bool is_mutation_document(std::string_view document) noexcept;

/// {"query":…,"variables":…,"operationName":…} as compact JSON. Throws
/// Error{InvalidArgument} for a value that is not valid UTF-8.
std::string request_body(std::string_view query, const nlohmann::json& variables, std::string_view operationName);
/// Compact JSON of one value, refusing invalid UTF-8 with Error{InvalidArgument} naming `field`.
std::string dump_json(const nlohmann::json& value, std::string_view field);

}  // namespace scoringjobs::remote
