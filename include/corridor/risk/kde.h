// Kernel density estimation on a regular grid in a projected plane (km), by
// linear binning and FFT convolution (docs/methods.md, "Hotspots").
//
//   density(g) = Σ_i w_i · K_h(g − p_i)       events per km² at grid node g
//
//   Gaussian  K_h(d) = exp(−|d|²/(2h²)) / (2π h²)            h = standard deviation
//   quartic   K_h(d) = 3/(π h²) · (1 − |d|²/h²)²,  |d| < h    h = support radius
//
// Each point's weight is first shared among the four nodes around it in
// proportion to the opposite sub-rectangle (linear binning, Wand 1994), then
// the node counts are convolved with the kernel sampled at node offsets
// (Gaussian truncated at 5h) by FFT (kissfft, double precision).
//
//   y ^  row ny-1  +---+---+---+
//     |            | . | . | . |    node (i, j) = centre of cell (i, j)
//     |   row 0    +---+---+---+      x = x0 + i·cell, y = y0 + j·cell
//     +------------------------> x
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::risk {

enum class Kernel { kGaussian, kQuartic };
std::optional<Kernel> ParseKernel(std::string_view name);  // "gaussian", "quartic"
std::string_view KernelName(Kernel kernel);

// The kernel at squared distance r2 (km²) for bandwidth h (km), per km².
double KernelValue(Kernel kernel, double h, double r2);

// A regular grid of square cells; node (i, j) is the centre of cell (i, j).
struct Grid {
  double x0 = 0, y0 = 0;  // centre of cell (0, 0), the south-west cell, km
  double cell = 1;        // cell side, km
  int nx = 0, ny = 0;     // columns (east), rows (north)
  double X(int i) const { return x0 + i * cell; }
  double Y(int j) const { return y0 + j * cell; }
  std::size_t size() const { return static_cast<std::size_t>(nx) * static_cast<std::size_t>(ny); }
};

// Scott's rule for two dimensions, isotropic:
//   h = n^(−1/6) · sqrt((s_x² + s_y²) / 2)
// with s the sample standard deviations (n − 1). Returns 0 for n < 2 or
// points that are all the same. Non-finite points are skipped.
double ScottBandwidthKm(std::span<const double> x, std::span<const double> y);

// The density surface at the nodes of `grid`, row-major (index j·nx + i),
// events per km². `weight` is empty (each point weighs 1) or has x's size.
// Points outside the grid (beyond the outer nodes) and non-finite points
// contribute nothing. kInvalidArgument when h <= 0, the grid is empty, or the
// sizes differ. Allocates O(grid) once; uses all hardware threads.
Result<std::vector<double>> KernelDensity(std::span<const double> x, std::span<const double> y,
                                          std::span<const double> weight, const Grid& grid,
                                          Kernel kernel, double h);

// The same density at one location by the direct sum over the points (no
// binning, no truncation): for tests and error measurement. O(n).
double DirectDensity(std::span<const double> x, std::span<const double> y,
                     std::span<const double> weight, Kernel kernel, double h, double at_x,
                     double at_y);

}  // namespace corridor::risk
