#include "support/scoped_env.hpp"

#include <cstdlib>

namespace scoringjobs::test {
namespace {

void set_or_remove(const std::string& name, const std::optional<std::string>& value) {
  if (value) {
    ::setenv(name.c_str(), value->c_str(), 1);
  } else {
    ::unsetenv(name.c_str());
  }
}

}  // namespace

ScopedEnv::ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
  if (const char* old = std::getenv(name_.c_str())) previous_ = old;
  set_or_remove(name_, value);
}

ScopedEnv::~ScopedEnv() { set_or_remove(name_, previous_); }

}  // namespace scoringjobs::test
