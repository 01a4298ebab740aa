#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace corridor::cli {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)),
      enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_ - std::chrono::seconds(1)) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(std::int64_t done, std::int64_t total) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100) && done < total) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double mb = static_cast<double>(done) / 1e6;
  constexpr int kWidth = 30;
  if (total > 0) {
    const double frac = static_cast<double>(done) / static_cast<double>(total);
    const int filled = static_cast<int>(frac * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    const double eta = frac > 0.01 ? seconds * (1 - frac) / frac : 0;
    std::fprintf(stderr, "\r%s [%s] %3.0f%%  %.1f/%.1f MB  %.1fs  eta %.0fs \x1b[K", label_.c_str(),
                 bar.c_str(), frac * 100, mb, static_cast<double>(total) / 1e6, seconds, eta);
  } else {
    std::fprintf(stderr, "\r%s %.1f MB  %.1fs \x1b[K", label_.c_str(), mb, seconds);
  }
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\x1b[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace corridor::cli
