#include "corridor/matching/matching.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "corridor/geo/geodesic.h"

namespace corridor::matching {
namespace {

using model::LocationPrecision;

bool IsPoint(const Row& r) {
  return r.has_point &&
         (r.precision == LocationPrecision::kExact || r.precision == LocationPrecision::kNear);
}

double RadiusKm(const Row& r, const Options& o) {
  return r.precision == LocationPrecision::kExact ? o.exact_radius_km : o.near_radius_km;
}

// How well two places agree (0..1) and why; nullopt when they cannot be one.
struct Place {
  double score = 0;
  double distance_km = -1;
  std::string reason;
};

std::optional<Place> ComparePlaces(const Row& x, const Row& y, const Options& o) {
  auto vague = [](const Row& r) {
    return r.precision == LocationPrecision::kCountry || r.precision == LocationPrecision::kNone;
  };
  if (vague(x) || vague(y)) return std::nullopt;
  if (!x.country.empty() && !y.country.empty() && x.country != y.country) return std::nullopt;
  if (IsPoint(x) && IsPoint(y)) {
    const double d = geo::GeodesicDistanceM(x.lat, x.lon, y.lat, y.lon) / 1000;
    const double reach = RadiusKm(x, o) + RadiusKm(y, o);
    if (d > reach) return std::nullopt;
    return Place{1 - d / reach, d,
                 fmt::format("{:.1f} km apart ({}, {})", d, LocationPrecisionName(x.precision),
                             LocationPrecisionName(y.precision))};
  }
  const bool province =
      x.precision == LocationPrecision::kProvince || y.precision == LocationPrecision::kProvince;
  if (province) {
    if (x.admin1.empty() || x.admin1 != y.admin1) return std::nullopt;
    return Place{0.25, -1, "same province (" + x.admin1 + "), one placed only to it"};
  }
  if (x.admin2.empty() || x.admin2 != y.admin2) return std::nullopt;
  return Place{0.5, -1, "same district (" + x.admin2 + "), one placed only to it"};
}

}  // namespace

Row Row::Of(const model::Incident& i) {
  Row r;
  r.id = i.id.str();
  r.dataset = i.provenance.dataset;
  r.country = i.country;
  r.admin1 = i.admin1;
  r.admin2 = i.admin2;
  r.day_start = i.date_start.days();
  r.day_end = i.date_end.days();
  r.has_point = i.latitude.has_value() && i.longitude.has_value();
  r.lat = i.latitude.value_or(0);
  r.lon = i.longitude.value_or(0);
  r.precision = i.location_precision;
  r.killed = i.killed;
  r.revoked = i.revoked;
  return r;
}

std::optional<Candidate> Compare(const Row& x, const Row& y, const Options& o) {
  if (y.id < x.id) return Compare(y, x, o);  // reasons read in the pair's order (a, b)
  if (x.revoked || y.revoked || x.dataset == y.dataset || x.id == y.id) return std::nullopt;
  if (x.day_end - x.day_start > o.max_span_days || y.day_end - y.day_start > o.max_span_days) {
    return std::nullopt;
  }
  const int gap = std::max({0, x.day_start - y.day_end, y.day_start - x.day_end});
  if (gap > o.max_gap_days) return std::nullopt;

  double killed_score = 0.5;
  std::string killed_reason = "deaths not given by both";
  if (x.killed && y.killed) {
    const int lo = std::min(*x.killed, *y.killed), hi = std::max(*x.killed, *y.killed);
    if (hi - lo > 2 && lo < o.min_killed_ratio * hi) return std::nullopt;
    killed_score = (lo + 1.0) / (hi + 1.0);
    killed_reason = lo == hi ? fmt::format("killed {} in both", lo)
                             : fmt::format("killed {} and {}", *x.killed, *y.killed);
  }
  auto place = ComparePlaces(x, y, o);
  if (!place) return std::nullopt;

  const bool same_day = x.day_start == x.day_end && y.day_start == y.day_end && gap == 0;
  const double date_score = same_day ? 1.0 : gap == 0 ? 0.8 : 0.5;
  const std::string date_reason = same_day ? "same day"
                                  : gap == 0
                                      ? "dates overlap"
                                      : fmt::format("{} day{} apart", gap, gap == 1 ? "" : "s");
  const double score = 0.45 * place->score + 0.35 * date_score + 0.20 * killed_score;
  if (score < o.min_score) return std::nullopt;

  Candidate c;
  c.a = x.id;
  c.b = y.id;
  c.score = std::round(score * 1000) / 1000;
  c.distance_km = place->distance_km;
  c.gap_days = gap;
  c.reasons = {place->reason, date_reason, killed_reason};
  return c;
}

std::vector<Candidate> FindCandidates(const std::vector<Row>& rows, const Options& o) {
  std::vector<std::size_t> order;
  order.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (!r.revoked && r.day_end - r.day_start <= o.max_span_days) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return rows[a].day_start != rows[b].day_start ? rows[a].day_start < rows[b].day_start : a < b;
  });
  std::vector<Candidate> out;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Row& x = rows[order[k]];
    // A later row can meet x only if it starts by x's end plus the gap.
    for (std::size_t m = k + 1; m < order.size(); ++m) {
      const Row& y = rows[order[m]];
      if (y.day_start > x.day_end + o.max_gap_days) break;
      if (auto c = Compare(x, y, o)) out.push_back(std::move(*c));
    }
  }
  std::sort(out.begin(), out.end(), [](const Candidate& p, const Candidate& q) {
    if (p.score != q.score) return p.score > q.score;
    return p.a != q.a ? p.a < q.a : p.b < q.b;
  });
  return out;
}

}  // namespace corridor::matching
