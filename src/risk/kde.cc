#include "corridor/risk/kde.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <kissfft/kissfft.hh>
#include <numbers>
#include <thread>

namespace corridor::risk {
namespace {

using Complex = std::complex<double>;

// Gaussian kernels are truncated at this many bandwidths: the mass left out
// is exp(−12.5) ≈ 3.7e−6 of each point's.
constexpr double kGaussianCutoff = 5.0;

// Runs fn(begin, end) over [0, n) split across the hardware threads.
template <typename Fn>
void ParallelFor(int n, Fn fn) {
  const int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8);
  if (threads == 1 || n < 64) {
    fn(0, n);
    return;
  }
  std::vector<std::thread> pool;
  const int step = (n + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    const int begin = t * step, end = std::min(n, begin + step);
    if (begin < end) pool.emplace_back([=] { fn(begin, end); });
  }
  for (auto& th : pool) th.join();
}

// The smallest m >= n whose only prime factors are 2, 3 and 5 (kissfft's fast radices).
int FastSize(int n) {
  for (int m = std::max(n, 1);; ++m) {
    int r = m;
    for (const int p : {2, 3, 5}) {
      while (r % p == 0) r /= p;
    }
    if (r == 1) return m;
  }
}

// In-place 2-D DFT of `a` (row-major, px columns × py rows) by rows then columns.
void Transform2d(std::vector<Complex>& a, int px, int py, bool inverse) {
  const kissfft<double> row_fft(static_cast<std::size_t>(px), inverse);
  const kissfft<double> col_fft(static_cast<std::size_t>(py), inverse);
  ParallelFor(py, [&](int begin, int end) {
    std::vector<Complex> out(static_cast<std::size_t>(px));
    for (int j = begin; j < end; ++j) {
      Complex* row = a.data() + static_cast<std::size_t>(j) * px;
      row_fft.transform(row, out.data());
      std::copy(out.begin(), out.end(), row);
    }
  });
  ParallelFor(px, [&](int begin, int end) {
    std::vector<Complex> in(static_cast<std::size_t>(py)), out(static_cast<std::size_t>(py));
    for (int i = begin; i < end; ++i) {
      for (int j = 0; j < py; ++j) in[j] = a[static_cast<std::size_t>(j) * px + i];
      col_fft.transform(in.data(), out.data());
      for (int j = 0; j < py; ++j) a[static_cast<std::size_t>(j) * px + i] = out[j];
    }
  });
}

}  // namespace

std::optional<Kernel> ParseKernel(std::string_view name) {
  if (name == "gaussian") return Kernel::kGaussian;
  if (name == "quartic") return Kernel::kQuartic;
  return std::nullopt;
}

std::string_view KernelName(Kernel kernel) {
  return kernel == Kernel::kGaussian ? "gaussian" : "quartic";
}

double KernelValue(Kernel kernel, double h, double r2) {
  const double h2 = h * h;
  if (kernel == Kernel::kGaussian) {
    return std::exp(-r2 / (2 * h2)) / (2 * std::numbers::pi * h2);
  }
  if (r2 >= h2) return 0;
  const double u = 1 - r2 / h2;
  return 3 / (std::numbers::pi * h2) * u * u;
}

double ScottBandwidthKm(std::span<const double> x, std::span<const double> y) {
  double n = 0, mx = 0, my = 0, sx = 0, sy = 0;  // Welford
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    n += 1;
    const double dx = x[i] - mx, dy = y[i] - my;
    mx += dx / n;
    my += dy / n;
    sx += dx * (x[i] - mx);
    sy += dy * (y[i] - my);
  }
  if (n < 2) return 0;
  const double s = std::sqrt((sx / (n - 1) + sy / (n - 1)) / 2);
  return s * std::pow(n, -1.0 / 6.0);
}

Result<std::vector<double>> KernelDensity(std::span<const double> x, std::span<const double> y,
                                          std::span<const double> weight, const Grid& grid,
                                          Kernel kernel, double h) {
  if (!(h > 0) || !std::isfinite(h)) {
    return Fail(ErrorCode::kInvalidArgument, "bandwidth: must be > 0 km");
  }
  if (grid.nx <= 0 || grid.ny <= 0 || !(grid.cell > 0)) {
    return Fail(ErrorCode::kInvalidArgument, "grid: empty");
  }
  if (x.size() != y.size() || (!weight.empty() && weight.size() != x.size())) {
    return Fail(ErrorCode::kInvalidArgument, "points: x, y and weight sizes differ");
  }
  const double support = kernel == Kernel::kGaussian ? kGaussianCutoff * h : h;
  const int lx = std::min(static_cast<int>(std::ceil(support / grid.cell)), 1 << 20);
  const int px = FastSize(grid.nx + lx), py = FastSize(grid.ny + lx);
  const std::size_t total = static_cast<std::size_t>(px) * static_cast<std::size_t>(py);

  // Linear binning onto the nodes (the padding beyond nx, ny stays zero).
  std::vector<Complex> data(total);
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double fx = (x[k] - grid.x0) / grid.cell, fy = (y[k] - grid.y0) / grid.cell;
    if (!(fx >= 0 && fy >= 0 && fx <= grid.nx - 1 && fy <= grid.ny - 1)) continue;  // also NaN
    const double w = weight.empty() ? 1.0 : weight[k];
    const int i = std::min(static_cast<int>(fx), grid.nx - 1);
    const int j = std::min(static_cast<int>(fy), grid.ny - 1);
    const double tx = fx - i, ty = fy - j;
    const std::size_t at = static_cast<std::size_t>(j) * px + i;
    data[at] += w * (1 - tx) * (1 - ty);
    if (tx > 0) data[at + 1] += w * tx * (1 - ty);
    if (ty > 0) data[at + px] += w * (1 - tx) * ty;
    if (tx > 0 && ty > 0) data[at + px + 1] += w * tx * ty;
  }

  // The kernel at node offsets, wrapped around the torus (it is even, so its
  // DFT is real).
  std::vector<Complex> k(total);
  for (int b = -lx; b <= lx; ++b) {
    for (int a = -lx; a <= lx; ++a) {
      const double dx = a * grid.cell, dy = b * grid.cell;
      const double r2 = dx * dx + dy * dy;
      if (kernel == Kernel::kGaussian && r2 > support * support) continue;
      const int i = (a + px) % px, j = (b + py) % py;
      k[static_cast<std::size_t>(j) * px + i] = KernelValue(kernel, h, r2);
    }
  }
  Transform2d(data, px, py, false);
  Transform2d(k, px, py, false);
  for (std::size_t t = 0; t < total; ++t) data[t] *= k[t].real();
  k = {};
  Transform2d(data, px, py, true);

  std::vector<double> out(grid.size());
  const double scale = 1.0 / static_cast<double>(total);
  for (int j = 0; j < grid.ny; ++j) {
    for (int i = 0; i < grid.nx; ++i) {
      const double v = data[static_cast<std::size_t>(j) * px + i].real() * scale;
      out[static_cast<std::size_t>(j) * grid.nx + i] = v > 0 ? v : 0;  // FFT round-off below 0
    }
  }
  return out;
}

double DirectDensity(std::span<const double> x, std::span<const double> y,
                     std::span<const double> weight, Kernel kernel, double h, double at_x,
                     double at_y) {
  double sum = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    if (!std::isfinite(x[k]) || !std::isfinite(y[k])) continue;
    const double dx = x[k] - at_x, dy = y[k] - at_y;
    sum += (weight.empty() ? 1.0 : weight[k]) * KernelValue(kernel, h, dx * dx + dy * dy);
  }
  return sum;
}

}  // namespace corridor::risk
