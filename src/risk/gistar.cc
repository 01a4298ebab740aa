#include "corridor/risk/gistar.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace corridor::risk {

Result<std::vector<GiStarValue>> GetisOrdGiStar(std::span<const double> x,
                                                std::span<const double> y,
                                                std::span<const double> value,
                                                const SpatialWeights& weights,
                                                const Budget* budget) {
  const std::size_t n = x.size();
  if (y.size() != n || value.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "gistar: x, y and value sizes differ");
  }
  if (n < 3) return Fail(ErrorCode::kInvalidArgument, "gistar: needs at least 3 units");
  if (n > 50'000) {
    return Fail(ErrorCode::kInvalidArgument,
                "gistar: more than 50,000 units; use larger cells or districts");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]) || !std::isfinite(value[i])) {
      return Fail(ErrorCode::kInvalidArgument,
                  "gistar: unit " + std::to_string(i) + " has a non-finite coordinate or value");
    }
  }
  using Kind = SpatialWeights::Kind;
  if (weights.kind == Kind::kDistanceBand && !(weights.band_km > 0)) {
    return Fail(ErrorCode::kInvalidArgument, "band: must be > 0 km");
  }
  if (weights.kind == Kind::kKNearest &&
      (weights.k < 1 || static_cast<std::size_t>(weights.k) > n - 1)) {
    return Fail(ErrorCode::kInvalidArgument,
                "k: must be from 1 to " + std::to_string(n - 1) + " (units − 1)");
  }
  const double dn = static_cast<double>(n);
  double sum = 0, sum2 = 0;
  for (const double v : value) {
    sum += v;
    sum2 += v * v;
  }
  const double mean = sum / dn;
  const double s = std::sqrt(std::max(0.0, sum2 / dn - mean * mean));

  std::vector<GiStarValue> out(n);
  std::vector<std::pair<double, std::size_t>> order;  // kNN: (d², j)
  if (weights.kind == Kind::kKNearest) order.reserve(n);
  const double band2 = weights.band_km * weights.band_km;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 256 == 0) {
      if (auto ok = Budget::Progress(budget, static_cast<double>(i) / dn); !ok) {
        return Fail(ok.error());
      }
    }
    double lag = value[i];  // self included
    int others = 0;
    if (weights.kind == Kind::kDistanceBand) {
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double dx = x[j] - x[i], dy = y[j] - y[i];
        const double d2 = dx * dx + dy * dy;
        if (d2 > 0 && d2 <= band2) {
          lag += value[j];
          ++others;
        }
      }
    } else {
      order.clear();
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double dx = x[j] - x[i], dy = y[j] - y[i];
        order.emplace_back(dx * dx + dy * dy, j);
      }
      std::partial_sort(order.begin(), order.begin() + weights.k, order.end());
      for (int m = 0; m < weights.k; ++m) lag += value[order[m].second];
      others = weights.k;
    }
    const double w = others + 1.0;  // W_i = S1_i for binary weights
    const double var = (dn * w - w * w) / (dn - 1);
    GiStarValue& g = out[i];
    g.neighbours = others;
    if (s > 0 && var > 0) {
      g.z = (lag - mean * w) / (s * std::sqrt(var));
      g.p = std::erfc(std::abs(g.z) / std::sqrt(2.0));
    }
  }
  return out;
}

}  // namespace corridor::risk
