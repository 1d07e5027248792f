#include "model/wire_text.hpp"

#include <optional>
#include <string_view>

namespace scoringjobs::detail {
namespace {

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
  // AWSJSON travels as a string holding the JSON text.
  void awsjson(std::string_view key, const std::optional<nlohmann::json>& value) {
    if (value) return text(key, value->dump());
    null(key);
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
  void key(std::string_view key) {
    if (out_.size() > 1) out_ += ',';
    string(key);
    out_ += ':';
  }
  // nlohmann's escaping (ensure_ascii off): the two JSON specials, the short
  // forms, and \u00xx in lower-case hex for the other control characters.
  void string(std::string_view value) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    out_ += '"';
    for (const char c : value) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            out_ += "\\u00";
            out_ += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
            out_ += kHex[static_cast<unsigned char>(c) & 0xF];
          } else {
            out_ += c;
          }
      }
    }
    out_ += '"';
  }

  std::string out_;
};

}  // namespace

std::string wire_text(const ScoringJob& job) {
  Members m(512);
  m.text("accountId", job.accountId);
  m.time("completedAt", job.completedAt);
  m.time("createdAt", job.createdAt);
  m.awsjson("errorDetails", job.errorDetails);
  m.text("errorMessage", job.errorMessage);
  m.text("evaluationId", job.evaluationId);
  m.text("id", job.id);
  m.text("itemId", job.itemId);
  m.awsjson("metadata", job.metadata);
  m.text("scoreId", job.scoreId);
  m.text("scorecardId", job.scorecardId);
  m.time("startedAt", job.startedAt);
  m.text("status", job.status);
  m.time("updatedAt", job.updatedAt);
  return std::move(m).finish();
}

std::string wire_text(const BatchJob& batch) {
  Members m(640);
  m.text("accountId", batch.accountId);
  m.text("batchId", batch.batchId);
  m.time("completedAt", batch.completedAt);
  m.number("completedRequests", batch.completedRequests);
  m.time("createdAt", batch.createdAt);
  m.awsjson("errorDetails", batch.errorDetails);
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
