// scoringjobs.sync(): one run of the sync engine, as `scoringjobs sync` runs it.

#include "scoringjobs/sync.hpp"

#include <pybind11/stl.h>

#include <cstdlib>

#include "convert.hpp"
#include "scoringjobs/remote.hpp"
#include "store_handle.hpp"

namespace scoringjobs::python {
namespace {

std::chrono::milliseconds seconds_option(py::handle value, std::string_view name) {
  if (!PyLong_Check(value.ptr()) && !PyFloat_Check(value.ptr()))
    throw_invalid(name, "…", "must be a number of seconds");
  const double seconds = value.cast<double>();
  if (!(seconds > 0) || seconds > 1e9) throw_invalid(name, py::str(value).cast<std::string>(), "must be > 0 seconds");
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

bool bool_option(py::handle value, std::string_view name) {
  if (!PyBool_Check(value.ptr())) throw_invalid(name, py::str(value).cast<std::string>(), "must be True or False");
  return value.cast<bool>();
}

std::size_t count_option(py::handle value, std::string_view name) {
  if (!PyLong_Check(value.ptr()) || PyBool_Check(value.ptr()) || value.cast<long long>() < 1) {
    throw_invalid(name, py::str(value).cast<std::string>(), "must be an int >= 1");
  }
  return value.cast<std::size_t>();
}

std::string setting(py::handle value, const char* variable, std::string_view name) {
  if (!value.is_none()) return text(value, name);
  const char* from_env = std::getenv(variable);
  return from_env != nullptr ? from_env : "";
}

}  // namespace

void register_sync(py::module_& m) {
  m.def(
      "sync",
      [](const StoreRef& store, py::handle api_url, py::handle api_key, const py::kwargs& kwargs) {
        RemoteConfig config;
        config.api_url = setting(api_url, "PLEXUS_API_URL", "api_url");
        config.api_key = setting(api_key, "PLEXUS_API_KEY", "api_key");
        if (config.api_url.empty()) {
          throw Error(Errc::InvalidArgument, "no API URL: pass api_url= or set PLEXUS_API_URL", "api_url");
        }
        SyncOptions options;
        for (auto [key, value] : kwargs) {
          const std::string name = text(key, "sync option");
          if (name == "push") {
            options.push = bool_option(value, name);
          } else if (name == "pull") {
            options.pull = bool_option(value, name);
          } else if (name == "accounts") {
            if (!PyList_Check(value.ptr()) && !PyTuple_Check(value.ptr())) throw_invalid(name, "…", "must be a list");
            for (auto account : value) options.accounts.push_back(text(account, name));
          } else if (name == "lookback") {
            options.account_pull_lookback =
                std::chrono::duration_cast<std::chrono::seconds>(seconds_option(value, name));
          } else if (name == "batch_size") {
            options.batch_size = count_option(value, name);
          } else if (name == "max_request_bytes") {
            options.max_request_bytes = count_option(value, name);
          } else if (name == "retry_now") {
            options.retry_now = bool_option(value, name);
          } else if (name == "deadline") {
            options.deadline = seconds_option(value, name);
          } else if (name == "backoff_base") {
            options.backoff_base = seconds_option(value, name);
          } else if (name == "backoff_cap") {
            options.backoff_cap = seconds_option(value, name);
          } else if (name == "ca_file") {
            config.ca_file = text(value, name);
          } else if (name == "allow_insecure_http") {
            config.allow_insecure_http = bool_option(value, name);
          } else if (name == "connect_timeout") {
            config.connect_timeout = seconds_option(value, name);
          } else if (name == "total_timeout") {
            config.total_timeout = seconds_option(value, name);
          } else {
            throw Error(Errc::InvalidArgument,
                        "sync: unknown option \"" + excerpt(name) +
                            "\" (accepted: push, pull, accounts, lookback, batch_size, max_request_bytes, retry_now, "
                            "deadline, backoff_base, backoff_cap, ca_file, allow_insecure_http, connect_timeout, "
                            "total_timeout)",
                        name);
          }
        }
        const auto report = store->run([&](Store& s) {
          RemoteClient client(std::move(config));
          return nlohmann::json(sync(s, client, options));
        });
        return from_json(report);
      },
      py::arg("store"), py::arg("api_url") = py::none(), py::arg("api_key") = py::none(),
      "Runs one sync (push, then pull) against the API and returns its report as `scoringjobs sync --json` prints "
      "it: {outcome, exitCode, error, startedAt, durationMs, requests, queuedAtStart, pushed, ...}. api_url and "
      "api_key default to PLEXUS_API_URL and PLEXUS_API_KEY. Network failures are reported in the dict (outcome "
      "'offline', exitCode 75, ...), not raised; storage errors raise. Options: push, pull, accounts, lookback "
      "(s), batch_size, max_request_bytes, retry_now, deadline (s), backoff_base (s), backoff_cap (s), ca_file, "
      "allow_insecure_http, connect_timeout (s), total_timeout (s).");
}

}  // namespace scoringjobs::python
