// Getis–Ord Gi* local statistic (Getis & Ord 1992; Ord & Getis 1995), the
// form R spdep's localG computes with include.self() and binary weights:
//
//   G*_i = (Σ_j w_ij x_j − x̄ W_i) / ( s · sqrt((n S1_i − W_i²) / (n − 1)) )
//
//   x̄ = Σ x_j / n,  s = sqrt(Σ x_j² / n − x̄²),  W_i = Σ_j w_ij,  S1_i = Σ_j w_ij²
//
// with j over all n units, the unit itself included (w_ii = 1). G*_i is a
// z-score; p is two-sided from the standard normal, uncorrected for the many
// overlapping tests (docs/methods.md).
#pragma once

#include <span>
#include <vector>

#include "corridor/risk/budget.h"
#include "corridor/common/result.h"

namespace corridor::risk {

// Binary weights: w_ij = 1 when j is i itself or a neighbour of i.
struct SpatialWeights {
  enum class Kind { kDistanceBand, kKNearest };
  Kind kind = Kind::kDistanceBand;
  double band_km = 0;  // kDistanceBand: neighbours at 0 < d <= band_km
  int k = 0;           // kKNearest: the k nearest other units (ties by lower index)
};

struct GiStarValue {
  double z = 0;        // G*_i; 0 when the statistic is undefined (see below)
  double p = 1;        // two-sided normal p-value
  int neighbours = 0;  // other units with w_ij = 1 (self not counted)
};

// One value per unit. Coordinates in km (a projected plane), x/y/value of
// equal sizes. kInvalidArgument when sizes differ, n < 3, band_km <= 0 or k
// not in [1, n−1], a coordinate or value is not finite, or n > 50,000 (the
// neighbour search is O(n²)). When every value is equal (s = 0), every z is
// 0 and p is 1.
Result<std::vector<GiStarValue>> GetisOrdGiStar(std::span<const double> x,
                                                std::span<const double> y,
                                                std::span<const double> value,
                                                const SpatialWeights& weights,
                                                const Budget* budget = nullptr);

}  // namespace corridor::risk
