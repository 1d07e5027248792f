// `export` and `import`: every record of the store as one JSON file and back,
// for fixtures and for moving a store between machines.

#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "app.hpp"
#include "files.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/json_input.hpp"

namespace scoringjobs::cli {
namespace {

using nlohmann::json;

// The models in the order the file lists them.
constexpr std::array kModelKeys{"ScoringJob", "BatchJob", "BatchJobScoringJob"};

// The document as text: valid JSON with one record per line, so a fixture
// under version control diffs record by record. Deterministic: records are
// sorted by id and their keys by name.
std::string format_document(const json& document) {
  std::string text = "{\n";
  for (std::size_t m = 0; m < kModelKeys.size(); ++m) {
    const auto& list = document.at(kModelKeys[m]);
    text += "  \"" + std::string(kModelKeys[m]) + "\": [";
    for (std::size_t i = 0; i < list.size(); ++i) {
      text += i == 0 ? "\n    " : ",\n    ";
      text += list[i].dump();
    }
    text += list.empty() ? "]" : "\n  ]";
    text += m + 1 < kModelKeys.size() ? ",\n" : "\n";
  }
  text += "}\n";
  return text;
}

json counts(const json& document) {
  json out = json::object();
  for (const auto* key : kModelKeys) out[key] = document.at(key).size();
  return out;
}

void add_export(CLI::App& app, Context& context) {
  auto out = std::make_shared<std::string>();
  auto* cmd =
      add_command(app, context, "export", "Write every record as one JSON file (remote wire shape)", [&context, out] {
        const auto document = fixtures::export_records(context.existing_store());
        const auto text = format_document(document);
        if (out->empty()) {
          std::cout << text << std::flush;
          if (!std::cout) throw std::runtime_error("cannot write to stdout");
          return;
        }
        write_file_atomically(*out, text);
        print_json({{"file", std::filesystem::absolute(*out).string()}, {"records", counts(document)}});
      });
  cmd->add_option("--out", *out,
                  "Write to this file (replaced atomically) instead of stdout; then print "
                  "{file, records} on stdout");
  cmd->footer(
      "The file is one JSON object {\"ScoringJob\": [...], \"BatchJob\": [...], \"BatchJobScoringJob\": [...]},\n"
      "each record as the API returns it, sorted by id: the same records always give the same bytes.");
}

json read_document(const std::string& file) {
  std::string text;
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::error_code error;
    if (std::filesystem::is_directory(file, error)) {
      throw CliError(ExitCode::Usage, "cannot read " + excerpt(file, 200) + ": it is a directory, not an export file");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw CliError(ExitCode::Usage, "cannot read " + excerpt(file, 200) + ": " + std::strerror(errno));
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (in.bad()) throw CliError(ExitCode::Usage, "cannot read " + excerpt(file, 200));
  }
  try {
    return parse_json_input(excerpt(file, 200), text);
  } catch (const Error& e) {
    throw CliError(ExitCode::Usage, std::string(e.what()) + " (nothing was imported)");
  }
}

struct ImportArgs {
  std::string file;
  bool as_local_changes = false;
};

void add_import(CLI::App& app, Context& context) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = add_command(app, context, "import", "Load records from an export file, all or nothing", [&context, args] {
    const auto document = read_document(args->file);
    fixtures::ImportOptions options;
    options.as = args->as_local_changes ? fixtures::ImportAs::LocalChanges : fixtures::ImportAs::RemoteState;
    fixtures::ImportReport report;
    try {
      report = fixtures::import_records(context.store(), document, options);
    } catch (const Error& e) {
      if (e.code() != Errc::InvalidArgument) throw;
      throw CliError(ExitCode::Usage, excerpt(args->file, 200) + ": " + e.what() + " (nothing was imported)");
    }
    print_json({{"as", args->as_local_changes ? "local-changes" : "remote-state"}, {"imported", report}});
  });
  cmd->add_option("FILE", args->file, "An export file, or - for stdin")->required();
  cmd->add_flag("--as-local-changes", args->as_local_changes,
                "Queue every new record as a local create for the next sync (default: record them as already "
                "on the remote, queueing nothing)");
  cmd->footer(
      "The whole file is checked before anything is written; an invalid file is refused with the\n"
      "position of its first problem (e.g. ScoringJob[3].startedAt) and the store is left unchanged.\n"
      "Records already stored exactly so are left alone: importing a file twice changes nothing.\n"
      "Prints {as, imported: {<model>: {written, unchanged, kept}}}.");
}

}  // namespace

void add_fixture_commands(CLI::App& app, Context& context) {
  add_export(app, context);
  add_import(app, context);
}

}  // namespace scoringjobs::cli
