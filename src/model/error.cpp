#include "scoringjobs/error.hpp"

#include <cstdio>

namespace scoringjobs {

std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::InvalidArgument: return "invalid_argument";
    case Errc::NotFound: return "not_found";
    case Errc::Conflict: return "conflict";
    case Errc::SchemaTooNew: return "schema_too_new";
    case Errc::Storage: return "storage";
    case Errc::Busy: return "busy";
    case Errc::Offline: return "offline";
    case Errc::Untrusted: return "untrusted";
    case Errc::Transient: return "transient";
    case Errc::Throttled: return "throttled";
    case Errc::Auth: return "auth";
    case Errc::Contract: return "contract";
    case Errc::RemoteConflict: return "remote_conflict";
    case Errc::Rejected: return "rejected";
    case Errc::OutcomeUnknown: return "outcome_unknown";
    case Errc::Unreadable: return "unreadable";
    case Errc::TooLarge: return "too_large";
    case Errc::InvalidToken: return "invalid_token";
    case Errc::Internal: return "internal";
  }
  return "internal";
}

Error::Error(Errc code, const std::string& message, std::string field, long native_code)
    : std::runtime_error(message), code_(code), field_(std::move(field)), native_code_(native_code) {}

std::string excerpt(std::string_view value, std::size_t max_chars) {
  std::string out;
  out.reserve(std::min(value.size(), max_chars) + 8);
  std::size_t shown = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (shown == max_chars) {
      out += "...(" + std::to_string(value.size()) + " bytes)";
      break;
    }
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte < 0x20 || byte == 0x7f || byte >= 0x80 || byte == '"' || byte == '\\') {
      // Escaping every non-ASCII byte keeps messages valid UTF-8 whatever came in.
      if (byte == '"' || byte == '\\') {
        out += '\\';
        out += static_cast<char>(byte);
      } else {
        char hex[5];
        std::snprintf(hex, sizeof hex, "\\x%02x", byte);
        out += hex;
      }
    } else {
      out += static_cast<char>(byte);
    }
    ++shown;
  }
  return out;
}

void throw_invalid(std::string_view field, std::string_view value, std::string_view why) {
  std::string message = "invalid ";
  message += field;
  message += " \"";
  message += excerpt(value);
  message += "\": ";
  message += why;
  throw Error(Errc::InvalidArgument, message, std::string(field));
}

}  // namespace scoringjobs
