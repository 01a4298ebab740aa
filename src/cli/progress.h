// A progress bar for long work on a terminal; silent when stderr is not one.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace corridor::cli {

class ProgressBar {
 public:
  // `label` is printed before the bar. Enabled only when stderr is a terminal.
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  // Redraws at most ten times a second. `total` 0 means unknown.
  void Update(std::int64_t done, std::int64_t total);
  // Clears the bar line.
  void Finish();
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  bool enabled_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace corridor::cli
