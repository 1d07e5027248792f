// JSON from outside and from callers, checked so that what is accepted can be
// stored, compared and printed safely and comes back as the same value.

#include "scoringjobs/json_input.hpp"

#include <cmath>
#include <optional>
#include <string>

#include "model/wire.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/limits.hpp"

namespace scoringjobs {
namespace {

using nlohmann::json;

const std::string kTooDeep = "nested deeper than " + std::to_string(limits::kMaxJsonDepth) + " levels";

// The DOM builder json::parse uses, with the checks added. Parsing itself is
// iterative in nlohmann::json, so a hostile depth is stopped here, before any
// recursive walk of the result could overflow the stack.
class CheckedBuilder : public nlohmann::detail::json_sax_dom_parser<json> {
  using Base = nlohmann::detail::json_sax_dom_parser<json>;

 public:
  struct Problem {
    std::string value;  // the offending token, or the text near it
    std::string why;
  };

  explicit CheckedBuilder(json& result) : Base(result, /*allow_exceptions=*/false) {}

  bool start_object(std::size_t size) { return deeper() && Base::start_object(size); }
  bool end_object() {
    --depth_;
    return Base::end_object();
  }
  bool start_array(std::size_t size) { return deeper() && Base::start_array(size); }
  bool end_array() {
    --depth_;
    return Base::end_array();
  }

  bool number_float(json::number_float_t value, const std::string& token) {
    // nlohmann reports most overflows (1e400) as a parse error itself; this
    // catches any it lets through.
    if (!std::isfinite(value)) return refuse(token, "a number outside the range of a double");
    // The parser turns an integer too large for 64 bits into an approximate
    // double; accepting it would store a different number than was given.
    if (token.find_first_of(".eE") == std::string::npos) {
      return refuse(token, "an integer outside 64 bits (write it as a string to keep every digit)");
    }
    return Base::number_float(value, token);
  }

  bool key(std::string& name) {
    last_key_ = name;  // to say where a bad number sits in a large document
    return Base::key(name);
  }

  template <class Exception>
  bool parse_error(std::size_t position, const std::string& /*last_token*/, const Exception& error) {
    // nlohmann's message ends with the whole last token, which may be megabytes
    // of raw bytes; keep only its reason.
    std::string why = error.what();
    if (const auto at = why.find("; last read:"); at != std::string::npos) why.resize(at);
    if (const auto at = why.find("] "); why.starts_with("[json.exception.") && at != std::string::npos) {
      why.erase(0, at + 2);
    }
    problem_ = Problem{{}, "not valid JSON (" + excerpt(why, 160) + ")"};
    position_ = position;
    return false;
  }

  const std::optional<Problem>& problem() const noexcept { return problem_; }
  /// Byte offset of a syntax error (1-based, as nlohmann counts), 0 for other problems.
  std::size_t position() const noexcept { return position_; }

 private:
  bool deeper() { return ++depth_ <= limits::kMaxJsonDepth || refuse({}, kTooDeep); }
  bool refuse(std::string value, std::string why) {
    if (!last_key_.empty()) why += " (under key \"" + excerpt(last_key_, 40) + "\")";
    problem_ = Problem{std::move(value), std::move(why)};
    return false;
  }

  std::string last_key_;
  std::size_t depth_ = 0;
  std::size_t position_ = 0;
  std::optional<Problem> problem_;
};

// The text around a syntax error, for the message.
std::string_view near(std::string_view text, std::size_t position) {
  const std::size_t at = position > 0 ? position - 1 : 0;
  const std::size_t begin = at > 30 ? at - 30 : 0;
  return text.substr(std::min(begin, text.size()), 60);
}

void check_value(std::string_view field, const json& value, std::size_t depth) {
  switch (value.type()) {
    case json::value_t::object:
    case json::value_t::array:
      if (depth > limits::kMaxJsonDepth) throw_invalid(field, "<json>", kTooDeep);
      for (const auto& [key, child] : value.items()) {
        if (value.is_object() && detail::invalid_utf8_at(key) != std::string_view::npos) {
          throw_invalid(field, key, "holds a key that is not valid UTF-8");
        }
        check_value(field, child, depth + 1);
      }
      return;
    case json::value_t::string:
      if (const auto& text = value.get_ref<const std::string&>();
          detail::invalid_utf8_at(text) != std::string_view::npos) {
        throw_invalid(field, text, "holds a string that is not valid UTF-8");
      }
      return;
    case json::value_t::number_float:
      if (!std::isfinite(value.get<double>())) {
        throw_invalid(field, std::to_string(value.get<double>()), "holds a number JSON cannot represent");
      }
      return;
    case json::value_t::binary: throw_invalid(field, "<binary>", "holds binary data, which has no JSON form");
    default: return;
  }
}

bool nested_deeper_than(const json& value, std::size_t levels) {
  if (!value.is_structured()) return false;
  if (levels == 0) return true;
  for (const auto& child : value) {
    if (nested_deeper_than(child, levels - 1)) return true;
  }
  return false;
}

}  // namespace

json parse_json_input(std::string_view what, std::string_view text) {
  // nlohmann stops at a NUL byte as if the text ended there, so "{}\0junk"
  // would pass; JSON text never holds one raw (strings escape it as \u0000).
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    throw_invalid(what, near(text, nul + 1), "not valid JSON (a NUL byte at byte " + std::to_string(nul + 1) + ")");
  }
  json result;
  CheckedBuilder builder(result);
  const bool parsed = json::sax_parse(text.begin(), text.end(), &builder);
  if (parsed && !builder.problem()) return result;
  if (!builder.problem()) throw_invalid(what, text, "not valid JSON");
  const auto& problem = *builder.problem();
  if (builder.position() > 0) {
    throw_invalid(what, near(text, builder.position()),
                  problem.why + " near byte " + std::to_string(builder.position()));
  }
  throw_invalid(what, problem.value.empty() ? text : std::string_view(problem.value), problem.why);
}

namespace detail {

void check_json_value(std::string_view field, const nlohmann::json& value) { check_value(field, value, 1); }

std::string json_for_message(const nlohmann::json& value) {
  if (nested_deeper_than(value, limits::kMaxJsonDepth)) {
    return std::string("<") + value.type_name() + " " + kTooDeep + ">";
  }
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace detail
}  // namespace scoringjobs
