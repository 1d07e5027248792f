#pragma once
// One line of the benchmark report: a measured value beside its baseline,
// measured in the same run, and the target it is checked against.

#include <optional>
#include <string>
#include <vector>

namespace scoringjobs::bench {

struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
  double baseline = 0;
  /// How the value compares with the baseline; what it means is stated per
  /// figure (a cost ratio ours/baseline, or a speedup baseline/ours).
  double ratio = 0;
  std::optional<double> target;  // none: reported only
  /// Which number the target bounds ("ratio" or "value") and how ("<=" or ">=").
  std::string target_of = "ratio";
  std::string target_op = "<=";
  std::string note;
  /// False when the figure could not be measured (e.g. the CLI has no `sync` yet).
  bool measured = true;

  /// nullopt when there is no target or nothing was measured.
  std::optional<bool> met() const;
};

/// Prints the figures as an aligned table on stdout.
void print_table(const std::vector<Figure>& figures);
/// Writes {"figures":[{"name","value","unit","baseline","ratio","target","met",...}]}
/// to `path`; throws std::runtime_error when the file cannot be written.
void write_json(const std::vector<Figure>& figures, const std::string& path, const std::string& mode,
                const std::string& machine);

}  // namespace scoringjobs::bench
