// A small dense two-phase simplex (Bland's rule) for the release's attack
// bounds: the tables are small (one kind × district × month at a time, or two
// releases of them), so clarity beats speed.
#include <cmath>
#include <limits>
#include <vector>

#include "corridor/release/release.h"

namespace corridor::release {
namespace {

constexpr double kEps = 1e-9;

struct Tableau {
  int m = 0, n = 0;                    // rows, columns (without the right-hand side)
  std::vector<std::vector<double>> t;  // m+1 rows (last = objective), n+1 columns (last = rhs)
  std::vector<int> basis;              // per row

  void Pivot(int r, int c) {
    const double p = t[r][c];
    for (double& v : t[r]) v /= p;
    for (int i = 0; i <= m; ++i) {
      if (i == r) continue;
      const double f = t[i][c];
      if (std::fabs(f) < kEps) continue;
      for (int j = 0; j <= n; ++j) t[i][j] -= f * t[r][j];
    }
    basis[r] = c;
  }

  // Minimises the objective row over columns with allowed[j]. False when unbounded.
  bool Run(const std::vector<bool>& allowed) {
    for (;;) {
      int c = -1;
      for (int j = 0; j < n; ++j) {
        if (allowed[j] && t[m][j] < -kEps) {
          c = j;
          break;  // Bland: lowest index
        }
      }
      if (c < 0) return true;
      int r = -1;
      double best = 0;
      for (int i = 0; i < m; ++i) {
        if (t[i][c] > kEps) {
          const double ratio = t[i][n] / t[i][c];
          if (r < 0 || ratio < best - kEps ||
              (std::fabs(ratio - best) <= kEps && basis[i] < basis[r])) {
            r = i;
            best = ratio;
          }
        }
      }
      if (r < 0) return false;
      Pivot(r, c);
    }
  }
};

}  // namespace

Result<double> Minimise(const std::vector<std::vector<double>>& a, const std::vector<double>& b,
                        const std::vector<double>& c) {
  const int m = static_cast<int>(a.size());
  const int nv = static_cast<int>(c.size());
  Tableau tab;
  tab.m = m;
  tab.n = nv + m;  // variables then one artificial per row
  tab.t.assign(m + 1, std::vector<double>(tab.n + 1, 0.0));
  tab.basis.assign(m, 0);
  for (int i = 0; i < m; ++i) {
    const double sign = b[i] < 0 ? -1.0 : 1.0;
    for (int j = 0; j < nv; ++j) tab.t[i][j] = sign * a[i][j];
    tab.t[i][nv + i] = 1.0;
    tab.t[i][tab.n] = sign * b[i];
    tab.basis[i] = nv + i;
  }
  // Phase I: minimise the sum of the artificials (objective row = -sum of rows).
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j <= tab.n; ++j) {
      if (j >= nv && j < tab.n) continue;
      tab.t[m][j] -= tab.t[i][j];
    }
  }
  std::vector<bool> all(tab.n, true);
  tab.Run(all);
  if (-tab.t[m][tab.n] > 1e-7) return Fail(ErrorCode::kInvalidArgument, "infeasible");
  // Drive artificials out of the basis where possible (a row left with one is redundant).
  for (int i = 0; i < m; ++i) {
    if (tab.basis[i] < nv) continue;
    for (int j = 0; j < nv; ++j) {
      if (std::fabs(tab.t[i][j]) > kEps) {
        tab.Pivot(i, j);
        break;
      }
    }
  }
  // Phase II objective: c, expressed in the non-basic columns.
  std::fill(tab.t[m].begin(), tab.t[m].end(), 0.0);
  for (int j = 0; j < nv; ++j) tab.t[m][j] = c[j];
  for (int i = 0; i < m; ++i) {
    const int bj = tab.basis[i];
    if (bj < nv && std::fabs(tab.t[m][bj]) > 0) {
      const double f = tab.t[m][bj];
      for (int j = 0; j <= tab.n; ++j) tab.t[m][j] -= f * tab.t[i][j];
    }
  }
  std::vector<bool> real(tab.n, false);
  for (int j = 0; j < nv; ++j) real[j] = true;
  if (!tab.Run(real)) return -std::numeric_limits<double>::infinity();
  return -tab.t[m][tab.n];
}

}  // namespace corridor::release
