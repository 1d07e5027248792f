// Every SQL statement of the library binds its values: no SQL text in src/ is
// built by concatenation or formatting. A source audit, next to the behavioural
// proof in hostile_input_test.cpp (SQL-looking values are stored as data).

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// The calls that take SQL text, and which argument holds it.
struct SqlCall {
  std::string name;
  std::size_t sql_argument;
};
const std::vector<SqlCall> kSqlCalls = {{"statements.get(", 0}, {".statement(", 0},   {"exec(", 0},
                                        {"execAndGet(", 0},     {"sqlite3_exec(", 1}, {"sqlite3_prepare", 1},
                                        {"exec_with_retry(", 1}};

// The one concatenation allowed: PRAGMA user_version cannot take a bound
// parameter, and the number comes from the migrations embedded at build time.
const std::string kAllowed = "+ std::to_string(migration.version)";

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The arguments of the call whose '(' is at `open`, split at top-level commas,
// each with its string literals removed.
std::vector<std::string> arguments_without_literals(const std::string& text, std::size_t open) {
  std::vector<std::string> args(1);
  int depth = 0;
  for (std::size_t i = open; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {  // skip a literal, escapes included
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      continue;
    }
    if (c == '(') {
      if (depth++ == 0) continue;
    } else if (c == ')') {
      if (--depth == 0) break;
    } else if (c == ',' && depth == 1) {
      args.emplace_back();
      continue;
    }
    args.back() += c;
  }
  return args;
}

bool builds_text(const std::string& argument) {
  for (const char* sign : {"+", "<<", "format(", "append(", "to_string(", "str()"}) {
    if (argument.find(sign) != std::string::npos) return true;
  }
  return false;
}

std::string trimmed(std::string s) {
  s.erase(0, s.find_first_not_of(" \n\t"));
  s.erase(s.find_last_not_of(" \n\t") + 1);
  return s;
}

}  // namespace

TEST_CASE("no SQL text in src is built from values") {
  std::size_t calls = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(SCORINGJOBS_SOURCE_DIR) / "src")) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") continue;
    const auto text = read(entry.path());
    for (const auto& call : kSqlCalls) {
      for (auto at = text.find(call.name); at != std::string::npos; at = text.find(call.name, at + 1)) {
        const auto open = text.find('(', at + call.name.size() - 1);
        const auto args = arguments_without_literals(text, open);
        if (args.size() <= call.sql_argument) continue;
        const auto sql = trimmed(args[call.sql_argument]);
        ++calls;
        CAPTURE(entry.path().string());
        CAPTURE(text.substr(at, 160));
        CHECK((!builds_text(sql) || sql == kAllowed));
      }
    }
  }
  CHECK(calls > 50);  // the audit found the statements (a renamed call would make it pass vacuously)
}
