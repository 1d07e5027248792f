#include "model/wire_text.hpp"

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace scoringjobs::detail {
namespace {

bool is_escaped(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Whether any of the eight bytes of `word` is_escaped(), all at once (the
// exact tests of "Bit Twiddling Hacks": a byte below n, a zero byte).
bool any_escaped(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  const auto below = [&](std::uint64_t v, std::uint64_t n) { return (v - kOnes * n) & ~v & kHighs; };
  return (below(word, 0x20) | below(word ^ (kOnes * '"'), 1) | below(word ^ (kOnes * '\\'), 1)) != 0;
}

// The offset of the first byte at or after `from` to escape, or npos. Eight
// bytes at a time: canonical texts are long runs with nothing to escape.
std::size_t next_escaped(std::string_view text, std::size_t from) {
  std::size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    if (any_escaped(word)) break;
  }
  for (; i < text.size(); ++i) {
    if (is_escaped(static_cast<unsigned char>(text[i]))) return i;
  }
  return std::string_view::npos;
}

// Appends JSON members in the order they are given, which must be nlohmann's
// (keys sorted bytewise): each model below lists its keys so, and the tests
// compare every model's text with to_dict().dump().
class Members {
 public:
  explicit Members(std::size_t reserve) {
    out_.reserve(reserve);
    out_ += '{';
  }

  void text(std::string_view key, const std::string& value) {
    this->key(key);
    string(value);
  }
  void text(std::string_view key, const std::optional<std::string>& value) {
    if (value) return text(key, *value);
    null(key);
  }
  void time(std::string_view key, const Timestamp& value) { text(key, value.wire()); }
  void time(std::string_view key, const std::optional<Timestamp>& value) {
    if (value) return time(key, *value);
    null(key);
  }
  void number(std::string_view key, const std::optional<int>& value) {
    this->key(key);
    if (value) {
      out_ += std::to_string(*value);
    } else {
      out_ += "null";
    }
  }

  std::string finish() && {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void null(std::string_view key) {
    this->key(key);
    out_ += "null";
  }
  // Keys are the models' own field names: nothing in them to escape.
  void key(std::string_view key) {
    if (out_.size() > 1) out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  // nlohmann's escaping (ensure_ascii off): the two JSON specials, the short
  // forms, and \u00xx in lower-case hex for the other control characters.
  // Runs of characters kept as they are (nearly all) are appended whole.
  void string(std::string_view value) {
    out_ += '"';
    std::size_t kept = 0;  // where the run not yet appended starts
    for (auto at = next_escaped(value, 0); at != std::string_view::npos; at = next_escaped(value, kept)) {
      out_.append(value.data() + kept, at - kept);
      escape(static_cast<unsigned char>(value[at]));
      kept = at + 1;
    }
    out_.append(value.data() + kept, value.size() - kept);
    out_ += '"';
  }
  void escape(unsigned char c) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\f': out_ += "\\f"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 0xF];
    }
  }

  std::string out_;
};

std::optional<std::string> dump_or_null(const std::optional<nlohmann::json>& value) {
  if (value) return value->dump();
  return std::nullopt;
}

}  // namespace

AwsJsonText::AwsJsonText(const ScoringJob& job)
    : errorDetails(dump_or_null(job.errorDetails)), metadata(dump_or_null(job.metadata)) {}

AwsJsonText::AwsJsonText(const BatchJob& batch) : errorDetails(dump_or_null(batch.errorDetails)) {}

std::string wire_text(const ScoringJob& job) { return wire_text(job, AwsJsonText(job)); }

std::string wire_text(const BatchJob& batch) { return wire_text(batch, AwsJsonText(batch)); }

std::string wire_text(const ScoringJob& job, const AwsJsonText& json) {
  Members m(512);
  m.text("accountId", job.accountId);
  m.time("completedAt", job.completedAt);
  m.time("createdAt", job.createdAt);
  m.text("errorDetails", json.errorDetails);  // AWSJSON: a string holding the JSON text
  m.text("errorMessage", job.errorMessage);
  m.text("evaluationId", job.evaluationId);
  m.text("id", job.id);
  m.text("itemId", job.itemId);
  m.text("metadata", json.metadata);
  m.text("scoreId", job.scoreId);
  m.text("scorecardId", job.scorecardId);
  m.time("startedAt", job.startedAt);
  m.text("status", job.status);
  m.time("updatedAt", job.updatedAt);
  return std::move(m).finish();
}

std::string wire_text(const BatchJob& batch, const AwsJsonText& json) {
  Members m(640);
  m.text("accountId", batch.accountId);
  m.text("batchId", batch.batchId);
  m.time("completedAt", batch.completedAt);
  m.number("completedRequests", batch.completedRequests);
  m.time("createdAt", batch.createdAt);
  m.text("errorDetails", json.errorDetails);  // AWSJSON: a string holding the JSON text
  m.text("errorMessage", batch.errorMessage);
  m.time("estimatedEndAt", batch.estimatedEndAt);
  m.number("failedRequests", batch.failedRequests);
  m.text("id", batch.id);
  m.text("modelName", batch.modelName);
  m.text("modelProvider", batch.modelProvider);
  m.text("scoreId", batch.scoreId);
  m.text("scorecardId", batch.scorecardId);
  m.number("scoringJobCountCache", batch.scoringJobCountCache);
  m.time("startedAt", batch.startedAt);
  m.text("status", batch.status);
  m.number("totalRequests", batch.totalRequests);
  m.text("type", batch.type);
  m.time("updatedAt", batch.updatedAt);
  return std::move(m).finish();
}

std::string wire_text(const BatchJobScoringJob& link) {
  Members m(256);
  m.text("batchJobId", link.batchJobId);
  m.time("createdAt", link.createdAt);
  m.text("id", link.id);
  m.text("scoringJobId", link.scoringJobId);
  m.time("updatedAt", link.updatedAt);
  return std::move(m).finish();
}

}  // namespace scoringjobs::detail
