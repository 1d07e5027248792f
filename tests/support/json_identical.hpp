#pragma once
// Whether two JSON values are the same value of the same types all the way down:
// nlohmann's == calls 1 (unsigned) equal to 1 (signed) and 1.0, and 0.0 equal to -0.0.

#include <cmath>
#include <nlohmann/json.hpp>

namespace scoringjobs::test {

inline bool json_identical(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.type() != b.type() || a.size() != b.size()) return false;
  if (a.is_object()) {
    for (auto left = a.begin(), right = b.begin(); left != a.end(); ++left, ++right) {
      if (left.key() != right.key() || !json_identical(left.value(), right.value())) return false;
    }
    return true;
  }
  if (a.is_array()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!json_identical(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_number_float()) {
    const auto x = a.get<double>(), y = b.get<double>();
    return (x == y && std::signbit(x) == std::signbit(y)) || (std::isnan(x) && std::isnan(y));
  }
  return a == b;
}

}  // namespace scoringjobs::test
