// The Hawkes fit timed alone (bench/hawkes.sh puts R surveillance twinstim beside it).
//
//   hawkes_bench EVENTS SEED OUT_CSV
//
// Simulates about EVENTS events from known parameters on 10 × 10 cells of 50 km
// over 3,650 days (θ 0.5, ω 0.2/day, no spatial trigger), writes them (t, cell,
// x_km, y_km uniform inside the cell) for the peer, fits them by EM (cut-off
// 100 days, best of 3) and prints one JSON line: seconds, estimates and the
// log-likelihood, also on the continuous scale of twinstim (− n·log(cell area)).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include "corridor/risk/hawkes.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: hawkes_bench EVENTS SEED OUT_CSV\n");
    return 2;
  }
  const double want = std::atof(argv[1]);
  const auto seed = static_cast<std::uint64_t>(std::atoll(argv[2]));
  const double t1 = 3650, cell_km = 50;
  std::vector<double> x, y;
  corridor::risk::HawkesParams truth;
  truth.theta = 0.5;
  truth.omega = 0.2;
  for (int r = 0; r < 10; ++r) {
    for (int c = 0; c < 10; ++c) {
      x.push_back(cell_km * (c + 0.5));
      y.push_back(cell_km * (r + 0.5));
      truth.mu.push_back(1.0 + ((r * 10 + c) * 37 % 100) / 50.0);  // relative, 1..3
    }
  }
  double sum = 0;
  for (double m : truth.mu) sum += m;
  for (double& m : truth.mu) m *= want * (1 - truth.theta) / t1 / sum;
  const auto tr = corridor::risk::MakeSpatialTrigger(x, y, 0);
  const auto ev = corridor::risk::SimulateHawkes(tr, truth, 0, t1, seed);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<double> u(-0.5, 0.5);
  std::ofstream out(argv[3]);
  out << "t,cell,x,y\n";
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const auto c = static_cast<std::size_t>(ev.cell[i]);
    out << ev.t[i] << "," << c << "," << x[c] + cell_km * u(rng) << "," << y[c] + cell_km * u(rng)
        << "\n";
  }
  out.close();
  double best = 1e300;
  corridor::risk::HawkesFit fit;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    auto f = corridor::risk::FitHawkes(ev, tr, 0, t1, {.cutoff_days = 100});
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!f) {
      std::fprintf(stderr, "%s\n", f.error().message.c_str());
      return 1;
    }
    best = std::min(best, s);
    fit = *f;
  }
  const double n = static_cast<double>(ev.size());
  std::printf(
      "{\"events\":%zu,\"seconds\":%.4f,\"theta\":%.4f,\"omega\":%.4f,\"iterations\":%d,"
      "\"loglik\":%.3f,\"loglik_per_km2\":%.3f}\n",
      ev.size(), best, fit.params.theta, fit.params.omega, fit.iterations, fit.log_likelihood,
      fit.log_likelihood - n * std::log(cell_km * cell_km));
  return 0;
}
