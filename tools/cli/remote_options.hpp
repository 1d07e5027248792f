#pragma once
// The options every command that talks to the API shares (--api-url,
// --api-key-file, --ca-file, --insecure-http), and turning them into a RemoteConfig.
// None of them turns TLS certificate verification off.
//
// The key never reaches argv (other users can read /proc/PID/cmdline): it
// comes from a file only its owner can read, or from $PLEXUS_API_KEY. Nothing
// here prints it; error messages name the file or the variable instead.

#include <CLI/CLI.hpp>
#include <string>

#include "scoringjobs/remote.hpp"

namespace scoringjobs::cli {

struct RemoteArgs {
  std::string api_url;
  std::string api_key_file;
  std::string ca_file;
  bool insecure_http = false;
};

/// Registers --api-url, --api-key-file, --ca-file and --insecure-http on `command`.
void add_remote_options(CLI::App& command, RemoteArgs& args);

/// The config for these options: URL from --api-url else $PLEXUS_API_URL; key
/// from --api-key-file else $PLEXUS_API_KEY (empty values count as unset); the
/// CA bundle from --ca-file (else the system's).
/// Throws CliError{Usage} naming whatever is missing, and for a key file that
/// cannot be read, is empty, or is accessible by group or others (mode & 077).
RemoteConfig remote_config(const RemoteArgs& args);

/// A client for remote_config(args). The library checks the config and names
/// its own fields (api_url, ca_file, allow_insecure_http); this says it in the
/// options' terms instead: CliError{Usage} naming --api-url (or $PLEXUS_API_URL)
/// with the URL, --ca-file with the file, and --insecure-http where it applies.
RemoteClient remote_client(const RemoteArgs& args);

}  // namespace scoringjobs::cli
