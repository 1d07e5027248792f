#pragma once
// What every `scoringjobs` command shares: the exit codes, the global options,
// the store they open, how records are printed and how errors become exit codes.
//
// A command is registered by a command-group file (record_commands.cpp, ...) as
// a CLI11 subcommand whose callback hands an action to the Context; the action
// runs after the whole command line parsed, so a usage error never leaves a
// half-done write behind.

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "scoringjobs/error.hpp"
#include "scoringjobs/exit_code.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/store.hpp"

namespace scoringjobs::cli {

using scoringjobs::ExitCode;  // every exit status the tool uses (scoringjobs/exit_code.hpp)

/// Thrown by commands for failures the library does not report itself (e.g.
/// "no job for this item", "not valid JSON"). Its message is printed as is.
class CliError : public std::runtime_error {
 public:
  CliError(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

 private:
  ExitCode code_;
};

/// Parses the text given to a JSON option; throws CliError{Usage} naming the option.
nlohmann::json parse_json_option(std::string_view option, const std::string& text);

/// Refuses an empty value given to an option (a field is cleared with --clear instead).
void require_non_empty(std::string_view option, const std::string& value);

/// The value of an optional option: nullopt when it was not given; refuses an empty one.
std::optional<std::string> given(const CLI::Option* option, const std::string& value);

/// Refuses (CliError{Usage}) a --status that is not one of known_statuses(model),
/// naming them, unless `allow_new` (--allow-new-status: a status Plexus added later).
void check_status_option(Model model, const std::string& status, bool allow_new);
/// "PENDING, RUNNING, ... (another needs --allow-new-status)": the known statuses of `model`, for help texts.
std::string status_help(Model model);
/// The --allow-new-status flag, with the help that says what it is for.
CLI::Option* add_allow_new_status_flag(CLI::App& command, bool& allow_new);

/// Prints one JSON value on one line of stdout; throws when stdout cannot be written.
void print_json(const nlohmann::json& value);

/// The global options and the store of one run. Not thread-safe; one per process.
class Context {
 public:
  /// Registers --db and -v/--verbose on the top-level app.
  explicit Context(CLI::App& app);

  /// The database path: --db, else $SCORINGJOBS_DB when set and non-empty, else ./scoringjobs.db.
  std::string db_path() const;
  /// Opens (creating and migrating) the store on first use; the same Store afterwards.
  /// For the commands that write records.
  Store& store();
  /// The same, for commands that only read or sync: refuses (CliError{Usage})
  /// a path where no database exists, so a mistyped --db never leaves a new
  /// empty store behind (a sync on it would just report nothing to do).
  Store& existing_store();

  /// Called from a subcommand callback: what to run once parsing succeeded.
  void set_action(std::function<void()> action) { action_ = std::move(action); }
  /// Applies --verbose and runs the action chosen on the command line.
  void run_action();

  /// For an action that finished without throwing but still must not exit 0
  /// (e.g. a sync that ends "try later"); Ok unless set.
  void set_exit_code(ExitCode code) noexcept { exit_code_ = code; }
  ExitCode exit_code() const noexcept { return exit_code_; }

 private:
  std::string db_;
  int verbosity_ = 0;
  std::optional<Store> store_;
  std::function<void()> action_;
  ExitCode exit_code_ = ExitCode::Ok;
};

/// Adds a subcommand whose callback sets `action` as the Context's action.
CLI::App* add_command(CLI::App& parent, Context& context, std::string name, std::string description,
                      std::function<void()> action);

// The command groups; each registers its subcommands on `app`.
void add_record_commands(CLI::App& app, Context& context);
void add_batch_commands(CLI::App& app, Context& context);
void add_outbox_commands(CLI::App& app, Context& context);
void add_sync_commands(CLI::App& app, Context& context);     // sync, pull
void add_status_commands(CLI::App& app, Context& context);   // status, dead-letters, conflicts
void add_fixture_commands(CLI::App& app, Context& context);  // export, import

/// Parses argv, runs the command and returns the process exit status. Never throws.
int run(int argc, char** argv);

}  // namespace scoringjobs::cli
