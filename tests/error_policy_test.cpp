// The one decision of what an error means for a sync run (sync/error_policy.hpp),
// and the exit codes that follow from it.

#include "sync/error_policy.hpp"

#include <doctest/doctest.h>

#include "scoringjobs/exit_code.hpp"

using namespace scoringjobs;
using scoringjobs::detail::Action;
using scoringjobs::detail::dispose;
using scoringjobs::detail::Scope;

namespace {

detail::Disposition of(Errc code, Scope scope, bool past_deadline = false) {
  return dispose(Error(code, "x"), scope, past_deadline);
}

}  // namespace

TEST_CASE("a whole request's failure ends the run with the outcome it means, or is recovered") {
  struct Row {
    Errc code;
    Action action;
    SyncOutcome outcome;
    bool defer;
  };
  const Row rows[] = {
      {Errc::Offline, Action::EndRun, SyncOutcome::Offline, false},
      {Errc::Untrusted, Action::EndRun, SyncOutcome::Untrusted, false},
      {Errc::Auth, Action::EndRun, SyncOutcome::AuthFailed, false},
      {Errc::Contract, Action::EndRun, SyncOutcome::Contract, false},  // nothing put off: fix, and it goes at once
      {Errc::Throttled, Action::EndRun, SyncOutcome::Throttled, true},
      {Errc::Transient, Action::EndRun, SyncOutcome::Transient, true},
      {Errc::OutcomeUnknown, Action::Settle, SyncOutcome::Done, false},
      {Errc::Rejected, Action::Shrink, SyncOutcome::Done, false},
      {Errc::Storage, Action::Fail, SyncOutcome::Done, false},
      {Errc::Busy, Action::Fail, SyncOutcome::Done, false},
      {Errc::InvalidArgument, Action::Fail, SyncOutcome::Done, false},
  };
  for (const auto& row : rows) {
    CAPTURE(to_string(row.code));
    const auto d = of(row.code, Scope::MutationRequest);
    CHECK(d.action == row.action);
    if (row.action == Action::EndRun) {
      CHECK(d.outcome == row.outcome);
      CHECK(d.defer_entries == row.defer);
    }
  }
  // For reads, a refused request is this client's document: the contract.
  CHECK(of(Errc::Rejected, Scope::ReadRequest).outcome == SyncOutcome::Contract);
  CHECK(of(Errc::TooLarge, Scope::ReadRequest).action == Action::Shrink);
  CHECK(of(Errc::OutcomeUnknown, Scope::ReadRequest).outcome == SyncOutcome::Transient);
}

TEST_CASE("past the deadline a transient failure is the run running out of time, with nothing put off") {
  const auto d = of(Errc::Transient, Scope::MutationRequest, /*past_deadline=*/true);
  CHECK(d.action == Action::EndRun);
  CHECK(d.outcome == SyncOutcome::Deadline);
  CHECK_FALSE(d.defer_entries);
  CHECK(of(Errc::Throttled, Scope::MutationRequest, true).outcome == SyncOutcome::Throttled);
}

TEST_CASE("only AppSync refusing one mutation dead-letters it, anything unsure is read back") {
  CHECK(of(Errc::Rejected, Scope::Mutation).action == Action::DeadLetter);
  for (const auto code : {Errc::RemoteConflict, Errc::OutcomeUnknown, Errc::Unreadable}) {
    CAPTURE(to_string(code));
    CHECK(of(code, Scope::Mutation).action == Action::Settle);
  }
  CHECK(of(Errc::Throttled, Scope::Mutation).action == Action::Retry);
  CHECK(of(Errc::Transient, Scope::Mutation).action == Action::Retry);
  CHECK(of(Errc::Auth, Scope::Mutation).outcome == SyncOutcome::AuthFailed);
}

TEST_CASE("a record that cannot be read is quarantined, a failing read of one record is retried") {
  CHECK(of(Errc::Unreadable, Scope::Read).action == Action::Quarantine);
  CHECK(of(Errc::Rejected, Scope::Read).action == Action::Quarantine);
  CHECK(of(Errc::Transient, Scope::Read).action == Action::Retry);
  CHECK(of(Errc::Offline, Scope::Read).outcome == SyncOutcome::Offline);
}

TEST_CASE("exit codes: 65 when a person should look, 75 try later, 77 the key, 1/2 for local failures") {
  SyncReport report;
  CHECK(report.exit_code() == 0);
  report.outcome = SyncOutcome::Waiting;
  CHECK(report.exit_code() == 75);
  report.quarantined = 1;
  CHECK(report.exit_code() == 65);
  report = {};
  report.outcome = SyncOutcome::Contract;
  CHECK(report.exit_code() == 65);
  report.outcome = SyncOutcome::Interrupted;
  CHECK(report.exit_code() == 75);
  report.outcome = SyncOutcome::Untrusted;
  CHECK(report.exit_code() == 75);
  report.outcome = SyncOutcome::AuthFailed;
  report.dead_lettered = 2;
  CHECK(report.exit_code() == 77);
  report = {};
  report.outcome = SyncOutcome::Failed;
  report.failure = Errc::Storage;
  CHECK(report.exit_code() == 1);
  report.failure = Errc::InvalidArgument;
  CHECK(report.exit_code() == 2);
  CHECK(exit_code_for(Errc::Contract) == ExitCode::NeedsAttention);
  CHECK(exit_code_for(Errc::Untrusted) == ExitCode::TryLater);
  CHECK(exit_code_for(Errc::NotFound) == ExitCode::NotFound);
}
