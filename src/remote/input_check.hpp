#pragma once
// Checks a mutation input against the schema's Create/Update<Model>Input
// before it is sent. AppSync coerces all variables before running anything,
// so one input that fails coercion fails the whole request; catching it here
// keeps one bad record from sinking a batch of good ones.

#include <nlohmann/json.hpp>

#include "scoringjobs/model.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs::remote {

/// Throws Error{InvalidArgument} naming the field for: a non-object input, a
/// key the input type does not have, a value of the wrong type (String, Int
/// within 32 bits, AWSDateTime text, AWSJSON as a string holding valid JSON),
/// a missing or null required field, and an update without an id.
void check_mutation_input(Model model, MutationKind kind, const nlohmann::json& input);

/// Throws Error{InvalidArgument} unless `condition` is null or an object.
void check_condition(const nlohmann::json& condition);

/// True when `text` is an AWSDateTime as AppSync accepts it (RFC 3339 with an
/// upper-case T and Z or a numeric offset).
bool is_aws_datetime(std::string_view text) noexcept;

}  // namespace scoringjobs::remote
