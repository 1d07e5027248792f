#include "figure.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace scoringjobs::bench {
namespace {

std::string number(double v) {
  char text[32];
  const double magnitude = std::fabs(v);
  if (magnitude != 0 && (magnitude < 0.01 || magnitude >= 1e6)) {
    std::snprintf(text, sizeof text, "%.3g", v);
  } else if (magnitude < 10) {
    std::snprintf(text, sizeof text, "%.3f", v);
  } else {
    std::snprintf(text, sizeof text, "%.1f", v);
  }
  return text;
}

nlohmann::json json_number(double v) {
  if (!std::isfinite(v)) return nullptr;
  return std::round(v * 1e6) / 1e6;
}

}  // namespace

std::optional<bool> Figure::met() const {
  if (!target || !measured) return std::nullopt;
  const double checked = target_of == "value" ? value : ratio;
  return target_op == ">=" ? checked >= *target : checked <= *target;
}

void print_table(const std::vector<Figure>& figures) {
  std::size_t name_width = 6;
  for (const auto& f : figures) name_width = std::max(name_width, f.name.size());
  std::printf("%-*s  %12s  %-9s  %12s  %9s  %-14s  %s\n", static_cast<int>(name_width), "figure", "value", "unit",
              "baseline", "ratio", "target", "met");
  std::printf("%s\n", std::string(name_width + 2 + 12 + 2 + 9 + 2 + 12 + 2 + 9 + 2 + 14 + 2 + 4, '-').c_str());
  for (const auto& f : figures) {
    if (!f.measured) {
      std::printf("%-*s  %12s  %-9s  %12s  %9s  %-14s  %s\n", static_cast<int>(name_width), f.name.c_str(), "-",
                  f.unit.c_str(), "-", "-", "-", "not measured");
      continue;
    }
    std::string target = "-";
    if (f.target) target = f.target_of + " " + f.target_op + " " + number(*f.target);
    const auto met = f.met();
    std::printf("%-*s  %12s  %-9s  %12s  %9s  %-14s  %s\n", static_cast<int>(name_width), f.name.c_str(),
                number(f.value).c_str(), f.unit.c_str(), number(f.baseline).c_str(), number(f.ratio).c_str(),
                target.c_str(), met ? (*met ? "yes" : "NO") : "-");
  }
  std::vector<const Figure*> noted;
  for (const auto& f : figures) {
    if (!f.note.empty()) noted.push_back(&f);
  }
  if (!noted.empty()) std::printf("\nNotes:\n");
  for (const auto* f : noted) std::printf("- %s: %s\n", f->name.c_str(), f->note.c_str());
  std::fflush(stdout);
}

void write_json(const std::vector<Figure>& figures, const std::string& path, const std::string& mode,
                const std::string& machine) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& f : figures) {
    nlohmann::json item = {{"name", f.name},
                           {"value", f.measured ? json_number(f.value) : nlohmann::json(nullptr)},
                           {"unit", f.unit},
                           {"baseline", f.measured ? json_number(f.baseline) : nlohmann::json(nullptr)},
                           {"ratio", f.measured ? json_number(f.ratio) : nlohmann::json(nullptr)},
                           {"target", f.target ? nlohmann::json(*f.target) : nlohmann::json(nullptr)},
                           {"met", nullptr}};
    if (const auto met = f.met()) item["met"] = *met;
    item["target_of"] = f.target_of;
    item["target_op"] = f.target_op;
    item["measured"] = f.measured;
    if (!f.note.empty()) item["note"] = f.note;
    list.push_back(std::move(item));
  }
  const nlohmann::json doc = {{"mode", mode}, {"machine", machine}, {"figures", std::move(list)}};
  std::ofstream out(path);
  out << doc.dump(2) << '\n';
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace scoringjobs::bench
