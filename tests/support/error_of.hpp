#pragma once
// The scoringjobs::Error a call throws, so tests can assert on its code and field.
// Its message is checked for the canary API key on the way (support/canary.hpp).

#include <doctest/doctest.h>

#include "scoringjobs/error.hpp"
#include "support/canary.hpp"

namespace scoringjobs::test {

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    check_no_canary("an Error's message", e.what());
    return e;
  }
  FAIL("no scoringjobs::Error thrown");
  return Error(Errc::Internal, "unreachable");
}

}  // namespace scoringjobs::test
