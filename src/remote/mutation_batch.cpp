// MutationBatch: many creates/updates in one aliased mutation document.

#include "remote/document.hpp"
#include "remote/input_check.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs {
namespace {

constexpr std::string_view kOperation = "MutationBatch";

// Writes the request body piece by piece into `out`, which is either a
// std::string or a byte counter: body() and document_bytes() cannot disagree.
template <class Out, class Entries>
void assemble(Out& out, const Entries& entries) {
  out += R"({"query":"mutation )";
  out += kOperation;
  out += "(";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ", ";
    out += entries[i].declarations;
  }
  out += ") {";
  for (const auto& entry : entries) {
    out += " ";
    out += entry.selection;
  }
  out += R"( }","variables":{)";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ",";
    out += entries[i].variables;
  }
  out += R"(},"operationName":")";
  out += kOperation;
  out += R"("})";
}

struct ByteCounter {
  std::size_t bytes = 0;
  ByteCounter& operator+=(std::string_view text) noexcept {
    bytes += text.size();
    return *this;
  }
};

}  // namespace

std::size_t MutationBatch::add_create(Model model, const nlohmann::json& input, const nlohmann::json& condition,
                                      Returning returning) {
  return add(model, MutationKind::Create, input, condition, returning);
}

std::size_t MutationBatch::add_update(Model model, const nlohmann::json& input, const nlohmann::json& condition,
                                      Returning returning) {
  return add(model, MutationKind::Update, input, condition, returning);
}

std::size_t MutationBatch::add(Model model, MutationKind kind, const nlohmann::json& input,
                               const nlohmann::json& condition, Returning returning) {
  remote::check_mutation_input(model, kind, input);
  remote::check_condition(condition);
  const std::size_t index = entries_.size();
  const bool with_condition = !condition.is_null();
  auto aliased = remote::aliased_mutation(model, kind, index, with_condition, returning);
  std::string variables = "\"" + aliased.input_var + "\":" + remote::dump_json(input, "input");
  if (with_condition) variables += ",\"" + aliased.condition_var + "\":" + remote::dump_json(condition, "condition");
  entries_.push_back(Entry{model, kind, returning, std::move(aliased.declarations), std::move(aliased.selection),
                           std::move(variables)});
  return index;
}

std::size_t MutationBatch::document_bytes() const noexcept {
  ByteCounter counter;
  assemble(counter, entries_);
  return counter.bytes;
}

std::string MutationBatch::body() const {
  std::string out;
  out.reserve(document_bytes());
  assemble(out, entries_);
  return out;
}

}  // namespace scoringjobs
