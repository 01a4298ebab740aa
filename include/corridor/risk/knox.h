// The Knox space–time interaction test (Knox 1964), with a Monte-Carlo
// p-value (Besag & Diggle 1977; Johnson 2010 for crime):
//
//   X = #{ pairs i < j : d_ij <= δ and |t_i − t_j| <= τ }
//
// Under no space–time interaction the event times are exchangeable among the
// locations: R permutations of the times over the fixed locations give X_1..X_R,
//
//   p = (1 + #{ r : X_r >= X }) / (R + 1)
//
// and E[X] = S·T / N with S the pairs close in space, T those close in time and
// N = n(n−1)/2. Deterministic for a given seed whatever the thread count:
// permutation r draws from its own generator (SplitMix64 of seed and r) and a
// Fisher–Yates shuffle with unbiased bounded integers (no std distribution).
#pragma once

#include <cstdint>
#include <span>

#include "corridor/common/result.h"
#include "corridor/risk/budget.h"

namespace corridor::risk {

struct KnoxOptions {
  double distance_km = 0;  // δ, > 0
  double days = 0;         // τ, >= 0
  int permutations = 999;  // R, 1..99,999
  std::uint64_t seed = 20'240'501;
  const Budget* budget = nullptr;  // checked per permutation (null: unlimited)
};

struct KnoxResult {
  std::int64_t n = 0;
  std::int64_t pairs = 0;        // N
  std::int64_t close_space = 0;  // S
  std::int64_t close_time = 0;   // T
  std::int64_t observed = 0;     // X
  double expected = 0;           // S·T/N
  double ratio = 0;              // X / E[X] (0 when E[X] = 0)
  std::int64_t as_extreme = 0;   // #{X_r >= X}
  int permutations = 0;
  double p_value = 1;
  std::uint64_t seed = 0;
};

// x, y in km (a projected plane), day as integers (days); equal sizes, finite.
// kInvalidArgument for bad options or sizes, fewer than 2 events, or more than
// 50 million pairs close in space (choose a smaller δ or window).
Result<KnoxResult> KnoxTest(std::span<const double> x, std::span<const double> y,
                            std::span<const std::int32_t> day, const KnoxOptions& options);

}  // namespace corridor::risk
