#pragma once
// One environment variable changed for the length of a scope.

#include <optional>
#include <string>

namespace scoringjobs::test {

/// Sets `name` to `value` (or removes it, given nullopt) and puts the previous
/// state back when destroyed. The environment is process-wide: use only where
/// no other thread reads it meanwhile.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> previous_;
};

}  // namespace scoringjobs::test
