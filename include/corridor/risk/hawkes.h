// A grid Hawkes (self-exciting) model of event counts (docs/methods.md, "Early
// warning"). Events happen in cells c at times t (days). The intensity in cell
// c is
//
//   λ_c(t) = μ_c + θ Σ_{j: t−D ≤ t_j < t} g(c | c_j) · ω e^{−ω (t − t_j)}
//
// μ_c: the cell's background rate (events/day); θ: the branching ratio (the
// expected number of direct offspring of an event); ω: the decay (1/days) of
// the exponential kernel, truncated at the cut-off D (days); g(c | c'): the
// spatial trigger, the identity (offspring stay in their parent's cell) or a
// Gaussian of σ km between cell centres normalised over the cells of the
// domain (so Σ_c g(c | c') = 1 and θ stays the branching ratio).
//
// FitHawkes maximises the likelihood by EM (Veen & Schoenberg 2008; Mohler et
// al. 2011): the E-step gives each event the probability of each candidate
// parent within the cut-off and of the background, the M-step updates μ in
// closed form and (θ, ω) by a one-dimensional profile search. The candidate
// pairs are listed once (O(n·k), k the mean number of candidates) and each
// iteration is one pass over them, split across threads. Nothing here
// allocates per event inside an iteration.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/risk/budget.h"

namespace corridor::risk {

// Events sorted by time. `cell` indexes the domain's cells [0, cells).
struct HawkesEvents {
  std::vector<double> t;           // days, ascending
  std::vector<std::int32_t> cell;  // same size as t
  std::size_t size() const { return t.size(); }
};

// The spatial trigger over a fixed set of cells: for each parent cell, the
// offspring cells and their probabilities (summing to 1). Build with
// MakeSpatialTrigger; the identity when sigma_km == 0.
struct SpatialTrigger {
  double sigma_km = 0;
  std::vector<std::int32_t> offset;  // cells + 1 entries into target/weight
  std::vector<std::int32_t> target;
  std::vector<double> weight;
  std::size_t cells() const { return offset.empty() ? 0 : offset.size() - 1; }
};

// Cell centres in a plane (km). sigma_km == 0: identity. Otherwise a Gaussian
// of σ between centres, cut at 4σ, normalised over the given cells. REQUIRES:
// x.size() == y.size(), sigma_km >= 0.
SpatialTrigger MakeSpatialTrigger(std::span<const double> x_km, std::span<const double> y_km,
                                  double sigma_km);

struct HawkesParams {
  std::vector<double> mu;  // per cell, events per day
  double theta = 0.5;      // branching ratio
  double omega = 0.1;      // decay, 1/days (mean delay 1/ω days)
};

struct HawkesFitOptions {
  double cutoff_days = 365;  // D: only parents within D days are candidates
  int max_iterations = 500;
  double tolerance = 1e-7;              // stop when the log-likelihood gains less (relative)
  const HawkesParams* start = nullptr;  // warm start (e.g. the previous month's fit)
  int threads = 0;                      // 0: hardware concurrency (at most 8)
  const Budget* budget = nullptr;       // checked per EM iteration (null: unlimited)
};

struct HawkesFit {
  HawkesParams params;
  double log_likelihood = 0;  // at params, of the events in [t0, t1)
  int iterations = 0;
  bool converged = false;
  std::int64_t candidate_pairs = 0;  // (child, parent) pairs within the cut-off
  double background_share = 0;       // Σ_i P(i is background) / n
};

// Fits the model to the events in [t0, t1) on `trigger`'s cells. kInvalidArgument
// when an event lies outside [t0, t1) or its cell outside the trigger, t1 <= t0,
// or the cut-off is not positive; kNotFound when there is no event.
Result<HawkesFit> FitHawkes(const HawkesEvents& events, const SpatialTrigger& trigger, double t0,
                            double t1, const HawkesFitOptions& options);

// The log-likelihood of `params` for the events in [t0, t1) (same model and
// cut-off as FitHawkes).
double HawkesLogLikelihood(const HawkesEvents& events, const SpatialTrigger& trigger,
                           const HawkesParams& params, double t0, double t1, double cutoff_days);

// Expected number of events per cell in [t1, t1 + horizon), given the history
// `events` (all before t1): background, the decaying excitation of the history
// (within the cut-off) and the offspring of the events expected inside the
// horizon (all generations, integrated numerically in steps of at most 1/8 day).
std::vector<double> ForecastHawkes(const HawkesEvents& events, const SpatialTrigger& trigger,
                                   const HawkesParams& params, double t1, double horizon_days,
                                   double cutoff_days);

// Simulates the model by its branching structure on [t0, t1) (background
// events as Poisson processes per cell; each event's Poisson(θ) offspring at
// Exp(ω) delays, cells drawn from the trigger), seeded; events sorted. The
// kernel is not truncated (choose D ≫ 1/ω when fitting).
HawkesEvents SimulateHawkes(const SpatialTrigger& trigger, const HawkesParams& params, double t0,
                            double t1, std::uint64_t seed);

}  // namespace corridor::risk
