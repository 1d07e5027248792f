#include "app.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

#include "check.hpp"
#include "scoringjobs/json_input.hpp"
#include "scoringjobs/log.hpp"
#include "scoringjobs/statuses.hpp"
#include "scoringjobs/version.hpp"

namespace scoringjobs::cli {

nlohmann::json parse_json_option(std::string_view option, const std::string& text) {
  try {
    return parse_json_input(option, text);
  } catch (const Error& e) {
    throw CliError(ExitCode::Usage, e.what());
  }
}

void require_non_empty(std::string_view option, const std::string& value) {
  if (value.empty()) {
    throw CliError(ExitCode::Usage, std::string(option) + " needs a non-empty value (to clear a field use --clear)");
  }
}

std::optional<std::string> given(const CLI::Option* option, const std::string& value) {
  if (option->count() == 0) return std::nullopt;
  require_non_empty(option->get_name(), value);
  return value;
}

namespace {

std::string known_status_list(Model model) {
  std::string known;
  for (const auto name : known_statuses(model)) known += (known.empty() ? "" : ", ") + std::string(name);
  return known;
}

}  // namespace

void check_status_option(Model model, const std::string& status, bool allow_new) {
  if (allow_new || is_known_status(model, status)) return;
  throw CliError(ExitCode::Usage, "--status \"" + excerpt(status) + "\" is not a known " +
                                      std::string(model_name(model)) + " status (" + known_status_list(model) +
                                      "); to store a status Plexus added since, pass --allow-new-status");
}

std::string status_help(Model model) { return known_status_list(model) + " (another needs --allow-new-status)"; }

CLI::Option* add_allow_new_status_flag(CLI::App& command, bool& allow_new) {
  return command.add_flag("--allow-new-status", allow_new,
                          "Accept a --status outside the known ones (one Plexus added since); the merge cannot "
                          "order it, so a change of it on both sides keeps the local one");
}

void print_json(const nlohmann::json& value) {
  // Replace rather than throw on invalid UTF-8: the record was stored, and
  // failing to show it would misreport the outcome.
  std::cout << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
  if (!std::cout) throw std::runtime_error("cannot write to stdout");
}

Context::Context(CLI::App& app) {
  app.add_option("--db", db_, "Database file (default: $SCORINGJOBS_DB, else ./scoringjobs.db)");
  app.add_flag_function(
      "-v,--verbose", [this](std::int64_t count) { verbosity_ = static_cast<int>(count); },
      "Log progress to stderr (-vv: debug)");
}

std::string Context::db_path() const {
  if (!db_.empty()) return db_;
  if (const char* env = std::getenv("SCORINGJOBS_DB"); env && *env) return env;
  return "scoringjobs.db";
}

namespace {

// The user owning `path`, or nullopt when it is root's or cannot be read.
std::optional<std::pair<uid_t, std::string>> foreign_owner(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || info.st_uid == 0) return std::nullopt;
  const passwd* user = ::getpwuid(info.st_uid);
  return std::pair{info.st_uid, user ? std::string(user->pw_name) : std::to_string(info.st_uid)};
}

// Root opening another user's store would leave root-owned files beside it (the
// -wal and -shm journals SQLite makes, the sync lock) that lock that user's cron
// job out; a store created by root in their directory would not be theirs.
// Refused before anything is created.
void refuse_foreign_store_as_root(const std::string& db) {
  if (::geteuid() != 0) return;
  std::error_code ignored;
  const std::filesystem::path path(db);
  const bool exists = std::filesystem::exists(path, ignored);
  const auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const auto owner = exists ? foreign_owner(path) : foreign_owner(parent);
  if (!owner) return;
  const auto shown = excerpt(db, 200);
  throw CliError(ExitCode::Usage, "refusing to open " + shown + " as root: " + (exists ? "it" : "its directory") +
                                      " belongs to " + owner->second + ", and files root leaves beside it (SQLite's " +
                                      "-wal and -shm journals, the sync lock) would lock " + owner->second +
                                      " out; run the command as that user, e.g. sudo -u " + owner->second +
                                      " scoringjobs --db " + shown + " ...");
}

}  // namespace

Store& Context::store() {
  if (store_) return *store_;
  refuse_foreign_store_as_root(db_path());
  try {
    store_.emplace(Store::open(db_path()));
  } catch (const Error& e) {
    // The library names its parameter; the user gave an option or a variable.
    if (e.code() != Errc::InvalidArgument || e.field() != "path") throw;
    throw CliError(ExitCode::Usage, std::string(db_.empty() ? "$SCORINGJOBS_DB" : "--db") + ": " + e.what());
  }
  return *store_;
}

Store& Context::existing_store() {
  if (!store_) {
    const auto path = db_path();
    std::error_code error;
    // An error (e.g. a directory we may not search) is left to Store::open to report.
    if (!std::filesystem::exists(path, error) && !error) {
      const auto shown = excerpt(path, 200);
      throw CliError(ExitCode::Usage,
                     "no store at " + shown + " (create one with: scoringjobs --db " + shown + " init)");
    }
  }
  return store();
}

void Context::run_action() {
  // Reads $SCORINGJOBS_LOG now, so a value it does not know is reported whatever the command.
  (void)log_level();
  if (verbosity_ >= 2) {
    set_log_level(LogLevel::Debug);
  } else if (verbosity_ == 1) {
    set_log_level(LogLevel::Info);
  }
  if (action_) action_();
}

CLI::App* add_command(CLI::App& parent, Context& context, std::string name, std::string description,
                      std::function<void()> action) {
  auto* command = parent.add_subcommand(std::move(name), std::move(description));
  command->callback([&context, action = std::move(action)] { context.set_action(action); });
  return command;
}

namespace {

void report(std::string_view message) { std::cerr << "scoringjobs: error: " << message << '\n' << std::flush; }

// CLI11 would list unexpected arguments with their values, and such a value may
// be a secret typed where it does not belong (`sync --api-key KEY`). Name the
// options (up to an '='), only count the rest.
std::string unexpected_arguments(const std::vector<std::string>& extras) {
  std::vector<std::string> names;
  std::size_t hidden = 0;
  for (const auto& arg : extras) {
    if (arg.size() > 1 && arg.front() == '-') {
      const auto equals = arg.find('=');
      names.push_back(excerpt(std::string_view(arg).substr(0, equals), 60));
      if (equals != std::string::npos) ++hidden;
    } else {
      ++hidden;
    }
  }
  const auto arguments = names.empty() ? hidden : names.size();
  std::string message = arguments == 1 ? "unexpected argument" : "unexpected arguments";
  for (const auto& name : names) message += " " + name;
  if (hidden == 1 && names.size() <= 1) {
    message += names.empty() ? " (it is not shown)" : " (its value is not shown)";
  } else if (hidden > 0) {
    message += " (" + std::to_string(hidden) + (hidden == 1 ? " value" : " values") + " not shown)";
  }
  return message;
}

}  // namespace

int run(int argc, char** argv) {
  try {
    CLI::App app{"Keeps Plexus scoring jobs in a local store and queues every change for sync.", "scoringjobs"};
    app.set_version_flag("--version", std::string(version()));
    app.require_subcommand(1);
    // Global options may follow the command too: `scoringjobs get ID --db x`.
    app.fallthrough();
    app.footer(std::string(exit_code_help()));
    Context context(app);
    add_record_commands(app, context);
    add_batch_commands(app, context);
    add_outbox_commands(app, context);
    add_sync_commands(app, context);
    add_status_commands(app, context);
    add_fixture_commands(app, context);

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);  // --help, --version
      // CLI11 reports a mistyped command as "a subcommand is required"; name it instead.
      const auto extras = app.remaining(/*recurse=*/true);
      std::string message = e.what();
      if (app.get_subcommands().empty() && !extras.empty()) {
        message = "unknown command \"" + excerpt(extras.front()) + "\"";
      } else if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
        message = unexpected_arguments(extras);
      }
      // A monitoring plugin reports a bad command line as UNKNOWN, on stdout.
      for (const auto* command : app.get_subcommands()) {
        if (command->get_name() == "status" && command->count("--check") > 0) {
          const auto result = unknown_result(message);
          std::cout << result.line << '\n' << std::flush;
          return result.exit_code;
        }
      }
      report(message);
      std::cerr << "Run with --help for more information.\n";
      return static_cast<int>(ExitCode::Usage);
    }
    context.run_action();
    return static_cast<int>(context.exit_code());
  } catch (const CliError& e) {
    report(e.what());
    return static_cast<int>(e.code());
  } catch (const Error& e) {
    report(e.what());
    return static_cast<int>(exit_code_for(e));
  } catch (const std::exception& e) {
    report(e.what());
    return static_cast<int>(ExitCode::Failure);
  }
}

}  // namespace scoringjobs::cli
