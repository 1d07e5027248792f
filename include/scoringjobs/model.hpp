#pragma once
// The three record kinds the store keeps and syncs.

#include <optional>
#include <string_view>

namespace scoringjobs {

enum class Model { ScoringJob, BatchJob, BatchJobScoringJob };

/// The GraphQL type name, e.g. "ScoringJob".
std::string_view model_name(Model model) noexcept;
std::optional<Model> model_from_name(std::string_view name) noexcept;

}  // namespace scoringjobs
