// The KDE of bench/kde.sh: reads points (x_km,y_km CSV), computes the surface on
// the grid given on the command line, prints the best wall time of `repeats`
// runs (seconds) and writes the surface as raw doubles, row-major from the
// south-west node (the layout the R peers write).
//
//   kde_bench POINTS.csv X0 Y0 CELL NX NY H REPEATS OUT.bin
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "corridor/risk/kde.h"

int main(int argc, char** argv) {
  if (argc != 10) {
    std::cerr << "usage: kde_bench POINTS.csv X0 Y0 CELL NX NY H REPEATS OUT.bin\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::string line;
  std::getline(in, line);  // header
  std::vector<double> x, y;
  double a = 0, b = 0;
  while (std::getline(in, line)) {
    if (std::sscanf(line.c_str(), "%lf,%lf", &a, &b) == 2) {
      x.push_back(a);
      y.push_back(b);
    }
  }
  corridor::risk::Grid g{std::stod(argv[2]), std::stod(argv[3]), std::stod(argv[4]),
                         std::stoi(argv[5]), std::stoi(argv[6])};
  const double h = std::stod(argv[7]);
  const int repeats = std::stoi(argv[8]);
  double best = 1e300;
  std::vector<double> surface;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto d = corridor::risk::KernelDensity(x, y, {}, g, corridor::risk::Kernel::kGaussian, h);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!d) {
      std::cerr << d.error().message << "\n";
      return 1;
    }
    best = std::min(best, s);
    surface = std::move(*d);
  }
  std::ofstream out(argv[9], std::ios::binary);
  out.write(reinterpret_cast<const char*>(surface.data()),
            static_cast<std::streamsize>(surface.size() * sizeof(double)));
  std::cout << best << "\n";
  return 0;
}
