#pragma once
// Writing a whole file so that readers (a person, cron, node_exporter's textfile
// collector) only ever see the old content or the new, never half of it.

#include <filesystem>
#include <optional>
#include <string>

namespace scoringjobs::cli {

/// Writes `text` to a temporary file in the same directory as `path`, then
/// renames it over `path`. The file gets `mode` when given, else 0666 less the umask. On failure, removes the
/// temporary file, leaves `path` as it was and throws CliError{Failure} whose
/// message names `path` (not the temporary name) and the reason.
void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           std::optional<std::filesystem::perms> mode = std::nullopt);

}  // namespace scoringjobs::cli
