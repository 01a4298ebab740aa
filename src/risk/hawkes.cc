#include "corridor/risk/hawkes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <thread>

namespace corridor::risk {
namespace {

int ThreadCount(int wanted, std::size_t n) {
  int threads = wanted > 0 ? wanted : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::clamp(threads, 1, 8);
  if (n < 2048) threads = 1;
  return threads;
}

// For each cell, the cells whose events may trigger it and g(cell | parent cell).
struct ReverseTrigger {
  std::vector<std::int32_t> offset, source;
  std::vector<double> weight;
};

ReverseTrigger Reverse(const SpatialTrigger& tr) {
  const std::size_t cells = tr.cells();
  ReverseTrigger r;
  r.offset.assign(cells + 1, 0);
  for (const std::int32_t c : tr.target) ++r.offset[static_cast<std::size_t>(c) + 1];
  std::partial_sum(r.offset.begin(), r.offset.end(), r.offset.begin());
  r.source.resize(tr.target.size());
  r.weight.resize(tr.target.size());
  std::vector<std::int32_t> fill(r.offset.begin(), r.offset.end() - 1);
  for (std::size_t p = 0; p < cells; ++p) {
    for (std::int32_t k = tr.offset[p]; k < tr.offset[p + 1]; ++k) {
      const auto c = static_cast<std::size_t>(tr.target[static_cast<std::size_t>(k)]);
      const auto at = static_cast<std::size_t>(fill[c]++);
      r.source[at] = static_cast<std::int32_t>(p);
      r.weight[at] = tr.weight[static_cast<std::size_t>(k)];
    }
  }
  return r;
}

// The (child, parent) candidate pairs within the cut-off, as CSR over children.
struct Pairs {
  std::vector<std::int64_t> offset;  // n + 1
  std::vector<std::int32_t> parent;
  std::vector<double> dt;
  std::vector<double> g;
};

Pairs ListPairs(const HawkesEvents& ev, const SpatialTrigger& tr, double cutoff) {
  const std::size_t n = ev.size(), cells = tr.cells();
  // Events of each cell in time order (CSR).
  std::vector<std::int32_t> cell_offset(cells + 1, 0), cell_events(n);
  for (const std::int32_t c : ev.cell) ++cell_offset[static_cast<std::size_t>(c) + 1];
  std::partial_sum(cell_offset.begin(), cell_offset.end(), cell_offset.begin());
  {
    std::vector<std::int32_t> fill(cell_offset.begin(), cell_offset.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      cell_events[static_cast<std::size_t>(fill[static_cast<std::size_t>(ev.cell[i])]++)] =
          static_cast<std::int32_t>(i);
    }
  }
  const ReverseTrigger rev = Reverse(tr);
  Pairs p;
  p.offset.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double ti = ev.t[i];
    const auto ci = static_cast<std::size_t>(ev.cell[i]);
    for (std::int32_t k = rev.offset[ci]; k < rev.offset[ci + 1]; ++k) {
      const auto src = static_cast<std::size_t>(rev.source[static_cast<std::size_t>(k)]);
      const double g = rev.weight[static_cast<std::size_t>(k)];
      const auto* first = cell_events.data() + cell_offset[src];
      const auto* last = cell_events.data() + cell_offset[src + 1];
      const auto* it = std::lower_bound(first, last, ti - cutoff, [&](std::int32_t j, double v) {
        return ev.t[static_cast<std::size_t>(j)] < v;
      });
      for (; it != last; ++it) {
        const double tj = ev.t[static_cast<std::size_t>(*it)];
        if (tj >= ti) break;
        p.parent.push_back(*it);
        p.dt.push_back(ti - tj);
        p.g.push_back(g);
      }
    }
    p.offset[i + 1] = static_cast<std::int64_t>(p.parent.size());
  }
  return p;
}

// Sufficient statistics of one E-step.
struct EStep {
  std::vector<double> background;  // Σ P(background) per cell
  double offspring = 0;            // S = Σ p_ij
  double offspring_dt = 0;         // A = Σ p_ij Δt_ij
  double log_intensity = 0;        // Σ log λ(t_i)
  void Reset(std::size_t cells) {
    background.assign(cells, 0.0);
    offspring = offspring_dt = log_intensity = 0;
  }
};

void RunEStep(const HawkesEvents& ev, const Pairs& pairs, const HawkesParams& p, std::size_t begin,
              std::size_t end, EStep& out) {
  const double tw = p.theta * p.omega;
  for (std::size_t i = begin; i < end; ++i) {
    double sum = 0, sum_dt = 0;
    for (auto k = static_cast<std::size_t>(pairs.offset[i]);
         k < static_cast<std::size_t>(pairs.offset[i + 1]); ++k) {
      const double e = pairs.g[k] * std::exp(-p.omega * pairs.dt[k]);
      sum += e;
      sum_dt += e * pairs.dt[k];
    }
    const auto c = static_cast<std::size_t>(ev.cell[i]);
    const double bg = p.mu[c];
    const double den = bg + tw * sum;
    if (!(den > 0)) {  // no background and no parent: impossible under p
      out.log_intensity += -745.0;
      continue;
    }
    out.log_intensity += std::log(den);
    out.background[c] += bg / den;
    out.offspring += tw * sum / den;
    out.offspring_dt += tw * sum_dt / den;
  }
}

// One E-step over all events, split across threads; `parts` are reused.
void EStepAll(const HawkesEvents& ev, const Pairs& pairs, const HawkesParams& p,
              std::vector<EStep>& parts, EStep& total) {
  const std::size_t n = ev.size(), cells = p.mu.size();
  const std::size_t threads = parts.size();
  for (auto& part : parts) part.Reset(cells);
  if (threads == 1) {
    RunEStep(ev, pairs, p, 0, n, parts[0]);
  } else {
    // Split by pairs, not events, so that busy stretches are shared.
    const auto total_pairs = static_cast<std::size_t>(pairs.offset[n]) + n;
    std::vector<std::thread> pool;
    std::size_t begin = 0;
    for (std::size_t t = 0; t < threads; ++t) {
      const std::size_t goal = total_pairs * (t + 1) / threads;
      std::size_t end = begin;
      while (end < n && static_cast<std::size_t>(pairs.offset[end]) + end < goal) ++end;
      if (t + 1 == threads) end = n;
      pool.emplace_back([&, begin, end, t] { RunEStep(ev, pairs, p, begin, end, parts[t]); });
      begin = end;
    }
    for (auto& th : pool) th.join();
  }
  total.Reset(cells);
  for (const auto& part : parts) {
    for (std::size_t c = 0; c < cells; ++c) total.background[c] += part.background[c];
    total.offspring += part.offspring;
    total.offspring_dt += part.offspring_dt;
    total.log_intensity += part.log_intensity;
  }
}

// Σ_j (1 − e^{−ω m_j}), m_j = min(t1 − t_j, D): the expected offspring of each
// parent inside the window, per unit θ.
double Exposure(const std::vector<double>& m, double omega, double* dm = nullptr) {
  double s = 0, d = 0;
  for (const double mj : m) {
    const double e = std::exp(-omega * mj);
    s += 1 - e;
    d += mj * e;
  }
  if (dm) *dm = d;
  return s;
}

double Compensator(const HawkesParams& p, const std::vector<double>& m, double t0, double t1) {
  return std::accumulate(p.mu.begin(), p.mu.end(), 0.0) * (t1 - t0) +
         p.theta * Exposure(m, p.omega);
}

std::vector<double> Remaining(const HawkesEvents& ev, double t1, double cutoff) {
  std::vector<double> m(ev.size());
  for (std::size_t j = 0; j < ev.size(); ++j) m[j] = std::min(t1 - ev.t[j], cutoff);
  return m;
}

Result<void> CheckInput(const HawkesEvents& ev, const SpatialTrigger& tr, double t0, double t1,
                        double cutoff) {
  if (!(t1 > t0)) return Fail(ErrorCode::kInvalidArgument, "hawkes: the window is empty");
  if (!(cutoff > 0)) return Fail(ErrorCode::kInvalidArgument, "hawkes: cut-off must be > 0 days");
  if (ev.cell.size() != ev.t.size()) {
    return Fail(ErrorCode::kInvalidArgument, "hawkes: times and cells differ in length");
  }
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (ev.t[i] < t0 || ev.t[i] >= t1 || (i > 0 && ev.t[i] < ev.t[i - 1])) {
      return Fail(ErrorCode::kInvalidArgument,
                  "hawkes: event " + std::to_string(i) + " is outside the window or out of order");
    }
    if (ev.cell[i] < 0 || static_cast<std::size_t>(ev.cell[i]) >= tr.cells()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "hawkes: event " + std::to_string(i) + " is in no cell of the domain");
    }
  }
  return {};
}

}  // namespace

SpatialTrigger MakeSpatialTrigger(std::span<const double> x, std::span<const double> y,
                                  double sigma_km) {
  SpatialTrigger tr;
  tr.sigma_km = sigma_km;
  const std::size_t cells = x.size();
  tr.offset.assign(cells + 1, 0);
  for (std::size_t p = 0; p < cells; ++p) {
    if (sigma_km <= 0) {
      tr.target.push_back(static_cast<std::int32_t>(p));
      tr.weight.push_back(1.0);
    } else {
      const std::size_t first = tr.target.size();
      double total = 0;
      const double reach2 = 16 * sigma_km * sigma_km;
      for (std::size_t c = 0; c < cells; ++c) {
        const double dx = x[c] - x[p], dy = y[c] - y[p];
        const double d2 = dx * dx + dy * dy;
        if (d2 > reach2) continue;
        const double w = std::exp(-d2 / (2 * sigma_km * sigma_km));
        tr.target.push_back(static_cast<std::int32_t>(c));
        tr.weight.push_back(w);
        total += w;
      }
      for (std::size_t k = first; k < tr.weight.size(); ++k) tr.weight[k] /= total;
    }
    tr.offset[p + 1] = static_cast<std::int32_t>(tr.target.size());
  }
  return tr;
}

Result<HawkesFit> FitHawkes(const HawkesEvents& ev, const SpatialTrigger& tr, double t0, double t1,
                            const HawkesFitOptions& o) {
  if (auto ok = CheckInput(ev, tr, t0, t1, o.cutoff_days); !ok) return Fail(ok.error());
  if (ev.size() == 0) return Fail(ErrorCode::kNotFound, "hawkes: no event to fit");
  const std::size_t n = ev.size(), cells = tr.cells();
  const double length = t1 - t0;
  const Pairs pairs = ListPairs(ev, tr, o.cutoff_days);
  const std::vector<double> m = Remaining(ev, t1, o.cutoff_days);

  HawkesFit fit;
  fit.candidate_pairs = static_cast<std::int64_t>(pairs.parent.size());
  HawkesParams& p = fit.params;
  if (o.start && o.start->mu.size() == cells && o.start->theta > 0 && o.start->omega > 0) {
    p = *o.start;
    // A cell that had no event before may have one now: give it a start.
    for (std::size_t i = 0; i < n; ++i) {
      auto& mu = p.mu[static_cast<std::size_t>(ev.cell[i])];
      if (!(mu > 0)) mu = 0.5 / length;
    }
  } else {
    p.mu.assign(cells, 0.0);
    for (const std::int32_t c : ev.cell) p.mu[static_cast<std::size_t>(c)] += 0.5 / length;
    p.theta = 0.5;
    p.omega = std::max(10.0 / o.cutoff_days, 0.05);
  }
  std::vector<EStep> parts(static_cast<std::size_t>(ThreadCount(o.threads, n)));
  EStep s;
  double previous = -std::numeric_limits<double>::infinity();
  for (fit.iterations = 0; fit.iterations < o.max_iterations; ++fit.iterations) {
    if (auto ok = Budget::Check(o.budget); !ok) return Fail(ok.error());
    EStepAll(ev, pairs, p, parts, s);
    const double ll = s.log_intensity - Compensator(p, m, t0, t1);
    fit.log_likelihood = ll;
    fit.background_share =
        std::accumulate(s.background.begin(), s.background.end(), 0.0) / static_cast<double>(n);
    if (std::abs(ll - previous) <= o.tolerance * std::max(1.0, std::abs(ll))) {
      fit.converged = true;
      break;
    }
    previous = ll;
    // M-step. μ in closed form; then θ given ω and ω given θ (ECM), ω by a
    // few fixed-point steps of S/ω − A − θ Σ m_j e^{−ω m_j} = 0.
    for (std::size_t c = 0; c < cells; ++c) p.mu[c] = s.background[c] / length;
    if (s.offspring <= 0) {
      p.theta = 0;
      continue;
    }
    p.theta = s.offspring / Exposure(m, p.omega);
    for (int k = 0; k < 20; ++k) {
      double dm = 0;
      Exposure(m, p.omega, &dm);
      const double next = s.offspring / (s.offspring_dt + p.theta * dm);
      const bool done = std::abs(next - p.omega) <= 1e-10 * p.omega;
      p.omega = next;
      if (done) break;
    }
    p.theta = s.offspring / Exposure(m, p.omega);
  }
  return fit;
}

double HawkesLogLikelihood(const HawkesEvents& ev, const SpatialTrigger& tr,
                           const HawkesParams& params, double t0, double t1, double cutoff_days) {
  const Pairs pairs = ListPairs(ev, tr, cutoff_days);
  std::vector<EStep> parts(1);
  EStep s;
  EStepAll(ev, pairs, params, parts, s);
  return s.log_intensity - Compensator(params, Remaining(ev, t1, cutoff_days), t0, t1);
}

std::vector<double> ForecastHawkes(const HawkesEvents& ev, const SpatialTrigger& tr,
                                   const HawkesParams& p, double t1, double horizon,
                                   double cutoff_days) {
  const std::size_t cells = tr.cells();
  // H_c(t1): the excitation of the history at t1 (parents within the cut-off).
  std::vector<double> h(cells, 0.0);
  for (std::size_t j = 0; j < ev.size(); ++j) {
    const double dt = t1 - ev.t[j];
    if (dt < 0 || dt > cutoff_days) continue;
    const auto src = static_cast<std::size_t>(ev.cell[j]);
    const double e = p.theta * p.omega * std::exp(-p.omega * dt);
    for (std::int32_t k = tr.offset[src]; k < tr.offset[src + 1]; ++k) {
      h[static_cast<std::size_t>(tr.target[static_cast<std::size_t>(k)])] +=
          e * tr.weight[static_cast<std::size_t>(k)];
    }
  }
  // Λ = μ + H e^{−ω(t−t1)} + F,  dF/dt = −ωF + θω G Λ,  N = ∫Λ. RK4.
  const int steps =
      std::max(1, static_cast<int>(std::ceil(horizon * std::max(8.0, p.omega / 0.1))));
  const double dt = horizon / steps;
  std::vector<double> f(cells, 0.0), n(cells, 0.0), lam(cells), gl(cells);
  std::vector<double> kf[4], kn[4], fs(cells);
  for (int r = 0; r < 4; ++r) {
    kf[r].assign(cells, 0.0);
    kn[r].assign(cells, 0.0);
  }
  auto deriv = [&](double tau, const std::vector<double>& fv, std::vector<double>& df,
                   std::vector<double>& dn) {
    const double decay = std::exp(-p.omega * tau);
    for (std::size_t c = 0; c < cells; ++c) lam[c] = p.mu[c] + h[c] * decay + fv[c];
    std::fill(gl.begin(), gl.end(), 0.0);
    for (std::size_t src = 0; src < cells; ++src) {
      for (std::int32_t k = tr.offset[src]; k < tr.offset[src + 1]; ++k) {
        gl[static_cast<std::size_t>(tr.target[static_cast<std::size_t>(k)])] +=
            tr.weight[static_cast<std::size_t>(k)] * lam[src];
      }
    }
    for (std::size_t c = 0; c < cells; ++c) {
      df[c] = -p.omega * fv[c] + p.theta * p.omega * gl[c];
      dn[c] = lam[c];
    }
  };
  for (int s = 0; s < steps; ++s) {
    const double tau = s * dt;
    deriv(tau, f, kf[0], kn[0]);
    for (std::size_t c = 0; c < cells; ++c) fs[c] = f[c] + 0.5 * dt * kf[0][c];
    deriv(tau + 0.5 * dt, fs, kf[1], kn[1]);
    for (std::size_t c = 0; c < cells; ++c) fs[c] = f[c] + 0.5 * dt * kf[1][c];
    deriv(tau + 0.5 * dt, fs, kf[2], kn[2]);
    for (std::size_t c = 0; c < cells; ++c) fs[c] = f[c] + dt * kf[2][c];
    deriv(tau + dt, fs, kf[3], kn[3]);
    for (std::size_t c = 0; c < cells; ++c) {
      f[c] += dt / 6 * (kf[0][c] + 2 * kf[1][c] + 2 * kf[2][c] + kf[3][c]);
      n[c] += dt / 6 * (kn[0][c] + 2 * kn[1][c] + 2 * kn[2][c] + kn[3][c]);
    }
  }
  return n;
}

HawkesEvents SimulateHawkes(const SpatialTrigger& tr, const HawkesParams& p, double t0, double t1,
                            std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::pair<double, std::int32_t>> all;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (std::size_t c = 0; c < tr.cells(); ++c) {
    std::poisson_distribution<long> count(p.mu[c] * (t1 - t0));
    const long k = count(rng);
    for (long i = 0; i < k; ++i) {
      all.emplace_back(t0 + (t1 - t0) * uniform(rng), static_cast<std::int32_t>(c));
    }
  }
  std::poisson_distribution<int> offspring(p.theta);
  std::exponential_distribution<double> delay(p.omega);
  for (std::size_t next = 0; next < all.size(); ++next) {
    const auto [t, c] = all[next];
    const int k = offspring(rng);
    for (int i = 0; i < k; ++i) {
      const double tc = t + delay(rng);
      if (tc >= t1) continue;
      double u = uniform(rng);
      const auto src = static_cast<std::size_t>(c);
      std::int32_t cell = tr.target[static_cast<std::size_t>(tr.offset[src + 1] - 1)];
      for (std::int32_t q = tr.offset[src]; q < tr.offset[src + 1]; ++q) {
        u -= tr.weight[static_cast<std::size_t>(q)];
        if (u <= 0) {
          cell = tr.target[static_cast<std::size_t>(q)];
          break;
        }
      }
      all.emplace_back(tc, cell);
    }
  }
  std::sort(all.begin(), all.end());
  HawkesEvents ev;
  ev.t.reserve(all.size());
  ev.cell.reserve(all.size());
  for (const auto& [t, c] : all) {
    ev.t.push_back(t);
    ev.cell.push_back(c);
  }
  return ev;
}

}  // namespace corridor::risk
