#include "corridor/risk/knox.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <unordered_map>
#include <vector>

namespace corridor::risk {
namespace {

constexpr std::int64_t kMaxSpacePairs = 50'000'000;

std::uint64_t SplitMix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// xoshiro256** (Blackman & Vigna), seeded by SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : s_) s = SplitMix64(seed);
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, bound), unbiased (Lemire 2019).
  std::uint64_t Below(std::uint64_t bound) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
      const std::uint64_t threshold = -bound % bound;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * bound;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// The pairs (i < j) within `distance` km, found through a hash grid of cells
// `distance` wide. kInvalidArgument when there are too many.
Result<std::vector<std::pair<std::int32_t, std::int32_t>>> CloseInSpace(std::span<const double> x,
                                                                        std::span<const double> y,
                                                                        double distance) {
  const std::size_t n = x.size();
  auto key = [](std::int64_t cx, std::int64_t cy) {
    return (static_cast<std::uint64_t>(cx) << 32) ^ static_cast<std::uint32_t>(cy);
  };
  std::unordered_map<std::uint64_t, std::vector<std::int32_t>> cells;
  std::vector<std::int64_t> cx(n), cy(n);
  for (std::size_t i = 0; i < n; ++i) {
    cx[i] = static_cast<std::int64_t>(std::floor(x[i] / distance));
    cy[i] = static_cast<std::int64_t>(std::floor(y[i] / distance));
    cells[key(cx[i], cy[i])].push_back(static_cast<std::int32_t>(i));
  }
  const double d2 = distance * distance;
  std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::int64_t a = -1; a <= 1; ++a) {
      for (std::int64_t b = -1; b <= 1; ++b) {
        const auto it = cells.find(key(cx[i] + a, cy[i] + b));
        if (it == cells.end()) continue;
        for (const std::int32_t j : it->second) {
          if (static_cast<std::size_t>(j) <= i) continue;
          const double dx = x[j] - x[i], dy = y[j] - y[i];
          if (dx * dx + dy * dy <= d2) pairs.emplace_back(static_cast<std::int32_t>(i), j);
        }
      }
    }
    if (static_cast<std::int64_t>(pairs.size()) > kMaxSpacePairs) {
      return Fail(ErrorCode::kInvalidArgument,
                  "knox: more than 50 million pairs close in space; use a smaller distance or "
                  "a shorter window");
    }
  }
  return pairs;
}

std::int64_t CountClose(const std::vector<std::pair<std::int32_t, std::int32_t>>& pairs,
                        const std::vector<std::int32_t>& t, std::int64_t days) {
  std::int64_t count = 0;
  for (const auto& [i, j] : pairs) {
    const std::int64_t d = static_cast<std::int64_t>(t[i]) - t[j];
    count += (d <= days && d >= -days) ? 1 : 0;
  }
  return count;
}

}  // namespace

Result<KnoxResult> KnoxTest(std::span<const double> x, std::span<const double> y,
                            std::span<const std::int32_t> day, const KnoxOptions& options) {
  const std::size_t n = x.size();
  if (y.size() != n || day.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "knox: x, y and day sizes differ");
  }
  if (n < 2) return Fail(ErrorCode::kInvalidArgument, "knox: needs at least 2 events");
  if (n > 2'000'000'000ULL) return Fail(ErrorCode::kInvalidArgument, "knox: too many events");
  if (!(options.distance_km > 0) || !std::isfinite(options.distance_km)) {
    return Fail(ErrorCode::kInvalidArgument, "distance: must be > 0 km");
  }
  if (!(options.days >= 0) || !std::isfinite(options.days)) {
    return Fail(ErrorCode::kInvalidArgument, "days: must be >= 0");
  }
  if (options.permutations < 1 || options.permutations > 99'999) {
    return Fail(ErrorCode::kInvalidArgument, "permutations: must be from 1 to 99999");
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) {
      return Fail(ErrorCode::kInvalidArgument,
                  "knox: event " + std::to_string(i) + " has no finite location");
    }
  }
  auto pairs = CloseInSpace(x, y, options.distance_km);
  if (!pairs) return Fail(pairs.error());
  const auto days = static_cast<std::int64_t>(std::floor(options.days));

  KnoxResult r;
  r.n = static_cast<std::int64_t>(n);
  r.pairs = r.n * (r.n - 1) / 2;
  r.close_space = static_cast<std::int64_t>(pairs->size());
  {  // T: pairs close in time, by a sweep over the sorted days
    std::vector<std::int32_t> sorted(day.begin(), day.end());
    std::sort(sorted.begin(), sorted.end());
    std::size_t lo = 0;
    for (std::size_t hi = 0; hi < n; ++hi) {
      while (static_cast<std::int64_t>(sorted[hi]) - sorted[lo] > days) ++lo;
      r.close_time += static_cast<std::int64_t>(hi - lo);
    }
  }
  const std::vector<std::int32_t> t(day.begin(), day.end());
  r.observed = CountClose(*pairs, t, days);
  r.expected = static_cast<double>(r.close_space) * static_cast<double>(r.close_time) /
               static_cast<double>(r.pairs);
  r.ratio = r.expected > 0 ? static_cast<double>(r.observed) / r.expected : 0;
  r.permutations = options.permutations;
  r.seed = options.seed;

  const int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 8);
  std::vector<std::int64_t> extreme(static_cast<std::size_t>(threads), 0);
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w) {
    pool.emplace_back([&, w] {
      std::vector<std::int32_t> perm(t);
      for (int p = w; p < options.permutations && !stop; p += threads) {
        const auto ok = w == 0 ? Budget::Progress(options.budget,
                                                  static_cast<double>(p) / options.permutations)
                               : Budget::Check(options.budget);
        if (!ok) {
          stop = true;
          break;
        }
        std::uint64_t state = options.seed ^ (0x5851f42d4c957f2dULL * (p + 1ULL));
        Rng rng(SplitMix64(state));
        std::copy(t.begin(), t.end(), perm.begin());
        for (std::size_t i = n - 1; i > 0; --i) {
          std::swap(perm[i], perm[rng.Below(i + 1)]);
        }
        if (CountClose(*pairs, perm, days) >= r.observed) ++extreme[w];
      }
    });
  }
  for (auto& th : pool) th.join();
  if (auto ok = Budget::Check(options.budget); !ok) return Fail(ok.error());
  for (const auto e : extreme) r.as_extreme += e;
  r.p_value = static_cast<double>(1 + r.as_extreme) / (options.permutations + 1.0);
  return r;
}

}  // namespace corridor::risk
