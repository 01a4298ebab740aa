#include "corridor/risk/exposure.h"

#include <algorithm>
#include <atomic>
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <chrono>
#include <cmath>
#include <thread>
#include <tuple>
#include <utility>

#include "corridor/model/incident.h"
#include "corridor/risk/report.h"

namespace corridor::risk {
namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using Pt = bg::model::point<double, 2, bg::cs::cartesian>;  // (lon, lat) degrees
using Box = bg::model::box<Pt>;
using Value = std::pair<Pt, std::uint32_t>;
using json = nlohmann::json;

double MillisSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

constexpr double kCellDeg = 0.5;
constexpr int kLattice = 10;

}  // namespace

double ForecastOverBuffer(const geo::Footprint& footprint, double radius_m,
                          std::span<const CellExpectation> cells) {
  const geo::LatLonBox reach = footprint.SearchBox(radius_m);
  double sum = 0;
  for (const CellExpectation& c : cells) {
    if (c.gid < 1 || !(c.expected > 0)) continue;
    const int row = (c.gid - 1) / 720, col = (c.gid - 1) % 720;
    const geo::LatLonBox cell{row * kCellDeg - 90, col * kCellDeg - 180, (row + 1) * kCellDeg - 90,
                              (col + 1) * kCellDeg - 180};
    if (!cell.Intersects(reach)) continue;
    int inside = 0;
    for (int i = 0; i < kLattice; ++i) {
      for (int j = 0; j < kLattice; ++j) {
        const double lat = cell.min_lat + (i + 0.5) * kCellDeg / kLattice;
        const double lon = cell.min_lon + (j + 0.5) * kCellDeg / kLattice;
        if (reach.Contains(lat, lon) && footprint.BoundsWithinM(lat, lon, radius_m)) ++inside;
      }
    }
    sum += c.expected * inside / (kLattice * kLattice);
  }
  return sum;
}

Result<ExposureResult> ComputeExposure(const IncidentColumns& columns,
                                       std::span<const model::Site> sites,
                                       const ExposureOptions& options) {
  if (!(options.radius_km > 0 && options.radius_km <= 500)) {
    return Fail(ErrorCode::kInvalidArgument, "radius-km: expected a number in (0, 500]");
  }
  if (!(options.decay_km > 0) || !std::isfinite(options.decay_km)) {
    return Fail(ErrorCode::kInvalidArgument, "decay-km: expected a number > 0");
  }
  if (options.days < 1) return Fail(ErrorCode::kInvalidArgument, "days: expected >= 1");
  const bool ucdp = columns.dataset == "ucdp-ged";
  bool type_on[4] = {false, false, false, false};
  for (const int t : options.violence_types) {
    if (t < 1 || t > 3) {
      return Fail(ErrorCode::kInvalidArgument,
                  "violence-types: " + std::to_string(t) + " is not 1, 2 or 3");
    }
    type_on[t] = true;
  }
  ExposureResult result;
  result.dataset = columns.dataset;
  result.radius_km = options.radius_km;
  result.decay_km = options.decay_km;
  result.weights = options.weights;
  if (ucdp) result.violence_types = options.violence_types;
  const std::optional<Date> as_of = options.as_of ? options.as_of : columns.latest;
  if (!as_of && !options.to) {
    return Fail(ErrorCode::kInvalidArgument, "no incidents and no --as-of or --to date");
  }
  result.data_through = as_of ? *as_of : *options.to;
  result.to = options.to ? *options.to : result.data_through;
  result.from = options.from ? *options.from : Date(result.to.days() - options.days + 1);
  if (result.from > result.to) {
    return Fail(ErrorCode::kInvalidArgument,
                "window: from " + result.from.iso() + " is after to " + result.to.iso());
  }

  // The incidents of the window, packed into an R-tree (bulk loading).
  const auto t_index = std::chrono::steady_clock::now();
  std::vector<Value> values;
  std::vector<float> weight;
  std::vector<std::uint32_t> row_of;
  const std::int32_t from = result.from.days(), to = result.to.days();
  // District-precise incidents per district code: (count, killed).
  std::vector<std::pair<std::int64_t, double>> by_district(columns.district_codes.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns.day[i] < from || columns.day[i] > to) continue;
    if (ucdp && !type_on[std::clamp<int>(columns.violence_type[i], 0, 3)]) continue;
    if (!std::isfinite(columns.lat[i]) || !std::isfinite(columns.lon[i])) {
      ++result.incidents_without_point;
      continue;
    }
    const auto precision = static_cast<model::LocationPrecision>(columns.location_precision[i]);
    if (precision == model::LocationPrecision::kDistrict && columns.district[i] != kNoArea) {
      ++result.incidents_district_precise;
      auto& d = by_district[static_cast<std::size_t>(columns.district[i])];
      ++d.first;
      d.second += columns.killed[i];
      continue;
    }
    if (precision != model::LocationPrecision::kExact &&
        precision != model::LocationPrecision::kNear) {
      ++result.incidents_too_coarse;
      continue;
    }
    values.emplace_back(Pt(columns.lon[i], columns.lat[i]),
                        static_cast<std::uint32_t>(values.size()));
    weight.push_back(
        static_cast<float>(IncidentWeight(options.weights, columns.killed[i], columns.wounded[i],
                                          columns.hostages[i], columns.property_band[i])));
    row_of.push_back(static_cast<std::uint32_t>(i));
  }
  result.incidents_in_window = static_cast<std::int64_t>(values.size());
  const bgi::rtree<Value, bgi::rstar<16>> tree(values.begin(), values.end());
  result.index_ms = MillisSince(t_index);

  // Sites, handed to threads one at a time (each writes only its own rows):
  // footprints differ by three orders of magnitude in edges and in incidents
  // nearby, so a fixed split leaves one thread with most of the work.
  const auto t_match = std::chrono::steady_clock::now();
  result.rows.resize(sites.size());
  const double radius_m = options.radius_km * 1000, decay_m = options.decay_km * 1000;
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const unsigned threads =
      std::clamp<unsigned>(options.threads > 0 ? static_cast<unsigned>(options.threads) : hw, 1,
                           static_cast<unsigned>(std::max<std::size_t>(1, sites.size())));
  result.threads = static_cast<int>(threads);
  std::atomic<std::size_t> next_site{0};
  auto work = [&](unsigned) {
    std::vector<Value> hits;
    for (std::size_t s = next_site++; s < sites.size(); s = next_site++) {
      if (!Budget::Progress(options.budget, static_cast<double>(s) / sites.size())) {
        next_site = sites.size();  // the others stop too
        return;
      }
      const model::Site& site = sites[s];
      SiteExposure& row = result.rows[s];
      row.id = site.id;
      row.name = site.name;
      row.sector = site.sector;
      row.status = site.status;
      row.admin1 = site.admin1;
      row.admin2 = site.admin2;
      if (const auto k =
              std::find(columns.district_codes.begin(), columns.district_codes.end(), site.admin2);
          !site.admin2.empty() && k != columns.district_codes.end()) {
        const auto& d = by_district[static_cast<std::size_t>(k - columns.district_codes.begin())];
        row.in_district = d.first;
        row.in_district_killed = d.second;
      }
      auto parsed = geo::Footprint::FromGeoJson(site.geometry);
      geo::Footprint footprint;
      if (parsed) {
        footprint = std::move(*parsed);
      } else {
        footprint = geo::Footprint::FromPoint(site.latitude, site.longitude);
        row.footprint_is_point = true;
      }
      const geo::LatLonBox b = footprint.SearchBox(radius_m);
      hits.clear();
      tree.query(bgi::covered_by(Box(Pt(b.min_lon, b.min_lat), Pt(b.max_lon, b.max_lat))),
                 std::back_inserter(hits));
      double nearest = std::numeric_limits<double>::infinity();
      std::int32_t latest = std::numeric_limits<std::int32_t>::min();
      const bool list = options.list_counted_of && *options.list_counted_of == site.id;
      row.lists_counted = list;
      for (const Value& v : hits) {
        // Membership is decided exactly; the decay weight uses the distance
        // estimate; the nearest distance is measured geodesically for the
        // few incidents that can be the nearest.
        const double lat = bg::get<1>(v.first), lon = bg::get<0>(v.first);
        const auto d = footprint.BoundsWithinM(lat, lon, radius_m);
        if (!d) continue;
        const std::uint32_t i = row_of[v.second];
        ++row.incidents;
        row.killed += columns.killed[i];
        row.impact += weight[v.second];
        row.exposure += weight[v.second] * std::exp(-d->estimate_m / decay_m);
        if (d->lower_m < nearest) {
          nearest =
              std::min(nearest, footprint.DistanceWithinM(lat, lon, radius_m).value_or(nearest));
        }
        latest = std::max(latest, columns.day[i]);
        if (list) {
          // The distance is measured once the list is cut to its newest.
          row.counted.push_back({lat, lon, Date(columns.day[i]), columns.killed[i], d->estimate_m});
        }
      }
      std::sort(row.counted.begin(), row.counted.end(),
                [](const CountedIncident& a, const CountedIncident& b) {
                  return std::tie(a.date, a.latitude, a.longitude) <
                         std::tie(b.date, b.latitude, b.longitude);
                });
      if (row.counted.size() > kMaxCountedListed) {
        const std::size_t omitted = row.counted.size() - kMaxCountedListed;
        row.counted.erase(row.counted.begin(),
                          row.counted.begin() + static_cast<std::ptrdiff_t>(omitted));
        row.counted_omitted = static_cast<std::int64_t>(omitted);
      }
      for (auto& c : row.counted) {
        c.distance_km =
            footprint.DistanceWithinM(c.latitude, c.longitude, radius_m).value_or(c.distance_km) /
            1000;
      }
      if (row.incidents > 0) {
        row.nearest_km = nearest / 1000;
        row.latest = Date(latest);
      }
      if (options.forecast) {
        row.forecast_expected = ForecastOverBuffer(footprint, radius_m, *options.forecast);
      }
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work, t);
  }
  result.match_ms = MillisSince(t_match);
  if (auto ok = Budget::Check(options.budget); !ok) return Fail(ok.error());

  std::sort(result.rows.begin(), result.rows.end(),
            [](const SiteExposure& a, const SiteExposure& b) {
              if (a.exposure != b.exposure) return a.exposure > b.exposure;
              if (a.incidents != b.incidents) return a.incidents > b.incidents;
              if (a.name != b.name) return a.name < b.name;
              return a.id.str() < b.id.str();
            });
  for (std::size_t i = 0; i < result.rows.size(); ++i) {
    result.rows[i].rank = i > 0 && result.rows[i].exposure == result.rows[i - 1].exposure
                              ? result.rows[i - 1].rank
                              : static_cast<int>(i) + 1;
  }
  return result;
}

Result<ExposureResult> ComputeExposureFromStore(const store::Store& store,
                                                const std::string& dataset,
                                                const ExposureOptions& options) {
  auto columns = LoadIncidentColumns(store, dataset);
  if (!columns) return Fail(columns.error());
  if (columns->size() == 0 && !options.as_of && !options.to) {
    return Fail(ErrorCode::kNotFound, "the store holds no incident of dataset " + dataset +
                                          " (corridor ingest --format " + dataset + " FILE)");
  }
  auto sites = store.ListSites();
  if (!sites) return Fail(sites.error());
  return ComputeExposure(*columns, *sites, options);
}

json ToJson(const SiteExposure& r) {
  json j = {{"rank", r.rank},
            {"site", r.id.str()},
            {"name", r.name},
            {"sector", r.sector},
            {"status", r.status},
            {"admin1", r.admin1},
            {"admin2", r.admin2},
            {"incidents", r.incidents},
            {"killed", r.killed},
            {"impact", r.impact},
            {"exposure", r.exposure},
            {"nearest_km", r.nearest_km ? json(*r.nearest_km) : json(nullptr)},
            {"latest", r.latest ? json(r.latest->iso()) : json(nullptr)},
            {"forecast_expected", r.forecast_expected ? json(*r.forecast_expected) : json(nullptr)},
            {"in_district", {{"incidents", r.in_district}, {"killed", r.in_district_killed}}}};
  if (r.footprint_is_point) j["footprint"] = "point (geometry unusable)";
  if (r.lists_counted) {
    json counted = json::array();
    for (const auto& c : r.counted) {
      counted.push_back({{"latitude", c.latitude},
                         {"longitude", c.longitude},
                         {"date", c.date.iso()},
                         {"killed", c.killed},
                         {"distance_km", c.distance_km}});
    }
    j["counted"] = std::move(counted);
    j["counted_omitted"] = r.counted_omitted;
  }
  return j;
}

json ToJson(const ExposureResult& r) {
  json rows = json::array();
  for (const auto& row : r.rows) rows.push_back(ToJson(row));
  json out = {{"analysis", "site exposure"},
              {"dataset", r.dataset},
              {"data_through", r.data_through.iso()},
              {"window", {{"from", r.from.iso()}, {"to", r.to.iso()}}},
              {"radius_km", r.radius_km},
              {"decay", {{"kernel", "exponential"}, {"length_km", r.decay_km}}},
              {"weights", WeightsJson(r.weights)},
              {"incidents_in_window", r.incidents_in_window},
              {"incidents_without_point", r.incidents_without_point},
              {"incidents_district_precise", r.incidents_district_precise},
              {"incidents_too_coarse", r.incidents_too_coarse},
              {"timing_ms", {{"index", r.index_ms}, {"match", r.match_ms}, {"threads", r.threads}}},
              {"rows", std::move(rows)}};
  out["violence_types"] = r.violence_types.empty() ? json(nullptr) : json(r.violence_types);
  return out;
}

}  // namespace corridor::risk
