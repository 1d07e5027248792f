#include "scoringjobs/model.hpp"

namespace scoringjobs {

std::string_view model_name(Model model) noexcept {
  switch (model) {
    case Model::ScoringJob: return "ScoringJob";
    case Model::BatchJob: return "BatchJob";
    case Model::BatchJobScoringJob: return "BatchJobScoringJob";
  }
  return "ScoringJob";
}

std::optional<Model> model_from_name(std::string_view name) noexcept {
  for (auto model : {Model::ScoringJob, Model::BatchJob, Model::BatchJobScoringJob}) {
    if (model_name(model) == name) return model;
  }
  return std::nullopt;
}

}  // namespace scoringjobs
