#include "corridor/geo/area_index.h"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <algorithm>
#include <boost/geometry.hpp>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "corridor/geo/vector_io.h"
#include "testing/testing.h"

namespace corridor::geo {
namespace {

using corridor::testing::ReadFile;
using corridor::testing::SharedPath;
using model::AssignMethod;
using model::LocationPrecision;

std::string Ocha(int level) {
  return SharedPath("data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm" + std::to_string(level) +
                    "_wfp_20220909.shp")
      .string();
}

// Provinces and districts, read once for the whole suite.
const std::vector<model::Area>& Areas() {
  static const std::vector<model::Area> areas = [] {
    std::vector<model::Area> out;
    for (int level : {0, 1, 2}) {
      auto a = ReadAreas(Ocha(level), level);
      if (!a) throw std::runtime_error(a.error().message);
      out.insert(out.end(), a->begin(), a->end());
    }
    return out;
  }();
  return areas;
}

const AreaIndex& Index() {
  static const AreaIndex index = [] {
    auto built = AreaIndex::Build(Areas());
    if (!built) throw std::runtime_error(built.error().message);
    return std::move(*built);
  }();
  return index;
}

const model::Area& AreaByPcode(const std::string& pcode) {
  for (const auto& a : Areas()) {
    if (a.pcode == pcode) return a;
  }
  throw std::runtime_error("no area " + pcode);
}

std::unique_ptr<OGRGeometry> ParseGeoJson(const std::string& text) {
  return std::unique_ptr<OGRGeometry>(OGRGeometryFactory::createFromGeoJson(text.c_str()));
}

// Every vertex (lon, lat) of a polygonal GeoJSON geometry.
std::vector<std::pair<double, double>> Vertices(const std::string& geojson) {
  std::vector<std::pair<double, double>> out;
  auto g = ParseGeoJson(geojson);
  if (!g) return out;
  auto add_polygon = [&](const OGRPolygon& polygon) {
    for (const OGRLinearRing* ring : polygon) {
      for (int i = 0; i < ring->getNumPoints(); ++i) out.emplace_back(ring->getX(i), ring->getY(i));
    }
  };
  if (wkbFlatten(g->getGeometryType()) == wkbPolygon) add_polygon(*g->toPolygon());
  if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon) {
    for (const OGRPolygon* part : *g->toMultiPolygon()) add_polygon(*part);
  }
  return out;
}

// The point `distance_m` from (lat, lon) along `azimuth` (degrees).
std::pair<double, double> Move(double lat, double lon, double azimuth, double distance_m) {
  double lat2 = 0, lon2 = 0;
  GeographicLib::Geodesic::WGS84().Direct(lat, lon, azimuth, distance_m, lat2, lon2);
  return {lat2, lon2};
}

TEST(AreaIndexTest, BuildsBothLevels) {
  EXPECT_FALSE(Index().empty());
  EXPECT_EQ(Index().area_count(1), 7u);
  EXPECT_EQ(Index().area_count(2), 160u);
  EXPECT_EQ(Index().area_count(0), 0u);  // countries are ignored
}

TEST(AreaIndexTest, EmptyIndexAssignsNothing) {
  AreaIndex empty;
  EXPECT_TRUE(empty.empty());
  AreaHit hit = empty.Locate(2, 34.008, 71.578);
  EXPECT_EQ(hit.method, AssignMethod::kNone);
  EXPECT_EQ(hit.pcode, "");
}

TEST(AreaIndexTest, BuildRejectsBadGeometry) {
  model::Area point;
  point.level = 2;
  point.pcode = "PK999";
  point.geometry = R"({"type":"Point","coordinates":[70,30]})";
  auto r = AreaIndex::Build(std::vector<model::Area>{point});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("PK999"), std::string::npos);

  point.geometry = "not json";
  r = AreaIndex::Build(std::vector<model::Area>{point});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("PK999"), std::string::npos);

  const model::Area& peshawar = AreaByPcode("PK528");
  r = AreaIndex::Build(std::vector<model::Area>{peshawar, peshawar});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("PK528"), std::string::npos);
}

TEST(AreaIndexTest, CityCentres) {
  struct Case {
    const char* name;
    double lat, lon;
    const char* admin1;
    const char* admin2;
  };
  const Case cases[] = {
      {"Peshawar", 34.008, 71.578, "PK5", "PK528"},     {"Quetta", 30.18, 67.0, "PK2", "PK226"},
      {"Karachi Saddar", 24.86, 67.01, "PK7", "PK721"}, {"Islamabad", 33.69, 73.05, "PK4", "PK401"},
      {"Lahore", 31.55, 74.34, "PK6", "PK617"},         {"Shigar", 35.9, 75.0, "PK3", "PK310"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AreaHit p = Index().Locate(1, c.lat, c.lon);
    EXPECT_EQ(p.pcode, c.admin1);
    EXPECT_EQ(p.method, AssignMethod::kInside);
    EXPECT_EQ(p.distance_m, 0);
    AreaHit d = Index().Locate(2, c.lat, c.lon);
    EXPECT_EQ(d.pcode, c.admin2);
    EXPECT_EQ(d.method, AssignMethod::kInside);
    EXPECT_EQ(AreaByPcode(c.admin2).parent_pcode, c.admin1);
  }
  // Levels other than 1 and 2, and non-finite coordinates, are unassigned.
  EXPECT_EQ(Index().Locate(0, 34.008, 71.578).method, AssignMethod::kNone);
  EXPECT_EQ(Index().Locate(3, 34.008, 71.578).method, AssignMethod::kNone);
  EXPECT_EQ(Index().Locate(2, std::numeric_limits<double>::quiet_NaN(), 71.5).method,
            AssignMethod::kNone);
}

TEST(AreaIndexTest, SharedBoundaryVertexGoesToLowestPcode) {
  // A vertex of Peshawar (PK528) that is also a vertex of a neighbour; GEOS
  // finds it in both, the index must give the lower P-code, inside.
  const auto peshawar = Vertices(AreaByPcode("PK528").geometry);
  const std::set<std::pair<double, double>> own(peshawar.begin(), peshawar.end());
  int checked = 0;
  for (const auto& area : Areas()) {
    if (area.level != 2 || area.pcode == "PK528") continue;
    for (const auto& v : Vertices(area.geometry)) {
      if (!own.count(v)) continue;
      // Every district GEOS says covers the vertex.
      std::vector<std::string> covering;
      OGRPoint point(v.first, v.second);
      for (const auto& other : Areas()) {
        if (other.level != 2) continue;
        auto g = ParseGeoJson(other.geometry);
        if (g->Intersects(&point)) covering.push_back(other.pcode);
      }
      ASSERT_GE(covering.size(), 2u) << area.pcode;
      const std::string want = *std::min_element(covering.begin(), covering.end());
      AreaHit hit = Index().Locate(2, v.second, v.first);
      EXPECT_EQ(hit.pcode, want) << "vertex " << v.second << "," << v.first << " shared by "
                                 << area.pcode << " and PK528";
      EXPECT_EQ(hit.method, AssignMethod::kInside);
      ++checked;
      break;  // one vertex per neighbour
    }
  }
  // Peshawar borders Charsadda, Nowshera, Khyber, Kohat, Mohmand, ...
  EXPECT_GE(checked, 4);
  std::printf("[ shared-vertex ] %d neighbours of PK528 checked\n", checked);
}

TEST(AreaIndexTest, JustOutsideTheBorderSnaps) {
  const auto country = Vertices(AreaByPcode("PK").geometry);
  ASSERT_FALSE(country.empty());
  const auto west = *std::min_element(country.begin(), country.end());  // smallest longitude
  const auto south = *std::min_element(country.begin(), country.end(),
                                       [](auto& a, auto& b) { return a.second < b.second; });

  // The border vertex itself is covered (boundary included).
  EXPECT_EQ(Index().Locate(1, west.second, west.first).method, AssignMethod::kInside);
  EXPECT_EQ(Index().Locate(1, west.second, west.first).pcode, "PK2");

  struct Case {
    const char* name;
    std::pair<double, double> vertex;  // lon, lat
    double azimuth, distance_m;
    const char* admin1;  // "" -> unassigned
  };
  const Case cases[] = {
      {"3 km west of the westernmost vertex", west, 270, 3'000, "PK2"},
      {"5 km south of the southernmost vertex", south, 180, 5'000, "PK7"},
      {"9.9 km south of the southernmost vertex", south, 180, 9'900, "PK7"},
      {"12 km south of the southernmost vertex", south, 180, 12'000, ""},
      {"50 km west, in Iran", west, 270, 50'000, ""},
      {"55 km south, Arabian Sea", south, 180, 55'000, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto [lat, lon] = Move(c.vertex.second, c.vertex.first, c.azimuth, c.distance_m);
    for (int level : {1, 2}) {
      AreaHit hit = Index().Locate(level, lat, lon);
      if (*c.admin1 == '\0') {
        EXPECT_EQ(hit.method, AssignMethod::kNone) << level << " " << hit.pcode;
        EXPECT_EQ(hit.pcode, "");
        continue;
      }
      EXPECT_EQ(hit.method, AssignMethod::kSnapped);
      EXPECT_EQ(hit.pcode.rfind(c.admin1, 0), 0u) << hit.pcode;
      // Every boundary point is on the far side of the extreme vertex, so the
      // nearest one is (nearly) the vertex itself.
      EXPECT_GT(hit.distance_m, c.distance_m - 15) << level;
      EXPECT_LE(hit.distance_m, c.distance_m + 0.01) << level;
      EXPECT_LE(hit.distance_m, kSnapDistanceM);
    }
  }
  // An explicit sea point, far from the Makran coast.
  EXPECT_EQ(Index().Locate(2, 24.0, 64.0).method, AssignMethod::kNone);
}

TEST(AreaIndexTest, AssignFollowsPrecision) {
  struct Case {
    const char* name;
    LocationPrecision precision;
    bool has_coordinates;
    double lat, lon;
    const char* admin1;
    const char* admin2;
    AssignMethod method;
  };
  const Case cases[] = {
      {"exact", LocationPrecision::kExact, true, 34.008, 71.578, "PK5", "PK528",
       AssignMethod::kInside},
      {"near", LocationPrecision::kNear, true, 34.008, 71.578, "PK5", "PK528",
       AssignMethod::kInside},
      {"district", LocationPrecision::kDistrict, true, 34.008, 71.578, "PK5", "PK528",
       AssignMethod::kInside},
      {"province", LocationPrecision::kProvince, true, 34.008, 71.578, "PK5", "",
       AssignMethod::kInside},
      {"country", LocationPrecision::kCountry, true, 34.008, 71.578, "", "", AssignMethod::kNone},
      {"none", LocationPrecision::kNone, true, 34.008, 71.578, "", "", AssignMethod::kNone},
      {"no coordinates", LocationPrecision::kExact, false, 0, 0, "", "", AssignMethod::kNone},
      {"far at sea", LocationPrecision::kExact, true, 24.0, 64.0, "", "", AssignMethod::kNone},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    model::Incident incident;
    incident.admin1 = "stale";
    incident.admin2 = "stale";
    incident.admin_method = AssignMethod::kSourceNames;
    incident.location_precision = c.precision;
    if (c.has_coordinates) {
      incident.latitude = c.lat;
      incident.longitude = c.lon;
    }
    Index().Assign(incident);
    EXPECT_EQ(incident.admin1, c.admin1);
    EXPECT_EQ(incident.admin2, c.admin2);
    EXPECT_EQ(incident.admin_method, c.method);
  }
  // Snapped at either level -> kSnapped.
  const auto country = Vertices(AreaByPcode("PK").geometry);
  const auto w = *std::min_element(country.begin(), country.end());
  auto [lat, lon] = Move(w.second, w.first, 270, 3'000);
  model::Incident incident;
  incident.latitude = lat;
  incident.longitude = lon;
  incident.location_precision = LocationPrecision::kExact;
  Index().Assign(incident);
  EXPECT_EQ(incident.admin1, "PK2");
  EXPECT_EQ(incident.admin2.rfind("PK2", 0), 0u);
  EXPECT_EQ(incident.admin_method, AssignMethod::kSnapped);
}

TEST(GeodesicDistanceToSegmentTest, MatchesDenseSampling) {
  struct Case {
    const char* name;
    double lat, lon, lat_a, lon_a, lat_b, lon_b;
  };
  const Case cases[] = {
      {"beside a meridian segment", 30.5, 70.1, 30.0, 70.0, 31.0, 70.0},
      {"beside a diagonal", 33.7, 73.2, 33.5, 72.9, 33.9, 73.4},
      {"beyond the end", 25.0, 66.5, 24.0, 66.0, 24.8, 66.3},
      {"on the segment", 24.4, 66.15, 24.0, 66.0, 24.8, 66.3},
      {"long east-west edge", 36.0, 70.0, 35.9, 68.0, 35.9, 72.0},
  };
  const GeographicLib::Geodesic& geod = GeographicLib::Geodesic::WGS84();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const GeographicLib::GeodesicLine line = geod.InverseLine(c.lat_a, c.lon_a, c.lat_b, c.lon_b);
    // Dense sampling, then a fine pass around the best sample.
    const int n = 20'000;
    double best = std::numeric_limits<double>::infinity(), best_s = 0;
    auto probe = [&](double s) {
      double la = 0, lo = 0;
      line.Position(s, la, lo);
      const double d = GeodesicDistanceM(c.lat, c.lon, la, lo);
      if (d < best) best = d, best_s = s;
    };
    for (int i = 0; i <= n; ++i) probe(line.Distance() * i / n);
    const double step = line.Distance() / n;
    const double center = best_s;
    for (int i = -2000; i <= 2000; ++i) {
      probe(std::clamp(center + step * i / 1000.0, 0.0, line.Distance()));
    }
    const double got = GeodesicDistanceToSegmentM(c.lat, c.lon, c.lat_a, c.lon_a, c.lat_b, c.lon_b);
    EXPECT_NEAR(got, best, 0.002) << got << " vs " << best;
    EXPECT_LE(got, best + 1e-6);
  }
}

// --- Independent cross-check against GDAL/OGR (GEOS) on every UCDP point ------

// Minimal RFC 4180 reader: fields, quotes, doubled quotes, newlines in quotes.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field += ch;
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

struct LatLon {
  double lat, lon;
};

const std::vector<LatLon>& UcdpPoints() {
  static const std::vector<LatLon> points = [] {
    auto rows = ParseCsv(ReadFile(SharedPath("data/ucdp-ged-pakistan/pakistan.csv")));
    std::vector<LatLon> out;
    if (rows.empty()) return out;
    const auto& header = rows[0];
    auto col = [&](const char* name) {
      return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                      header.begin());
    };
    const std::size_t lat = col("latitude"), lon = col("longitude");
    for (std::size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() <= std::max(lat, lon)) continue;
      out.push_back({std::stod(rows[r][lat]), std::stod(rows[r][lon])});
    }
    return out;
  }();
  return points;
}

// The level's polygons read straight from the shapefile by OGR (not through
// ReadAreas), as prepared GEOS geometries.
struct OgrArea {
  std::string pcode;
  std::unique_ptr<OGRGeometry> geometry;
  OGRPreparedGeometryH prepared = nullptr;
  OGREnvelope envelope;
  ~OgrArea() {
    if (prepared) OGRDestroyPreparedGeometry(prepared);
  }
};

std::vector<std::unique_ptr<OgrArea>> ReadWithOgr(int level) {
  GDALAllRegister();
  std::vector<std::unique_ptr<OgrArea>> out;
  std::unique_ptr<GDALDataset> ds(
      GDALDataset::Open(Ocha(level).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
  if (!ds) return out;
  OGRLayer* layer = ds->GetLayer(0);
  const std::string field = "ADM" + std::to_string(level) + "_PCODE";
  for (auto& feature : *layer) {
    auto area = std::make_unique<OgrArea>();
    area->pcode = feature->GetFieldAsString(field.c_str());
    area->geometry.reset(feature->StealGeometry());
    area->geometry->getEnvelope(&area->envelope);
    area->prepared = OGRCreatePreparedGeometry(OGRGeometry::ToHandle(area->geometry.get()));
    out.push_back(std::move(area));
  }
  return out;
}

TEST(AreaIndexCrossCheck, UcdpPointsAgreeWithGeos) {
  const auto& points = UcdpPoints();
  ASSERT_EQ(points.size(), 5834u);
  for (int level : {1, 2}) {
    SCOPED_TRACE(level);
    const auto ogr = ReadWithOgr(level);
    ASSERT_EQ(ogr.size(), level == 1 ? 7u : 160u);
    int inside = 0, snapped = 0, unassigned = 0, geos_inside = 0, multi = 0, disagree = 0;
    double max_snap_m = 0;
    for (const LatLon& p : points) {
      OGRPoint point(p.lon, p.lat);
      std::string geos_pcode;
      int covering = 0;
      for (const auto& a : ogr) {
        if (p.lon < a->envelope.MinX || p.lon > a->envelope.MaxX || p.lat < a->envelope.MinY ||
            p.lat > a->envelope.MaxY) {
          continue;
        }
        if (OGRPreparedGeometryIntersects(a->prepared, OGRGeometry::ToHandle(&point))) {
          ++covering;
          if (geos_pcode.empty() || a->pcode < geos_pcode) geos_pcode = a->pcode;
        }
      }
      const AreaHit hit = Index().Locate(level, p.lat, p.lon);
      switch (hit.method) {
        case AssignMethod::kInside:
          ++inside;
          break;
        case AssignMethod::kSnapped:
          ++snapped;
          max_snap_m = std::max(max_snap_m, hit.distance_m);
          break;
        default:
          ++unassigned;
      }
      if (covering > 1) ++multi;
      if (!geos_pcode.empty()) {
        ++geos_inside;
        if (hit.method != AssignMethod::kInside || hit.pcode != geos_pcode) {
          ++disagree;
          ADD_FAILURE() << p.lat << "," << p.lon << ": GEOS " << geos_pcode << " (" << covering
                        << " covering), index " << hit.pcode;
        }
      } else if (hit.method == AssignMethod::kInside) {
        ++disagree;
        ADD_FAILURE() << p.lat << "," << p.lon << ": GEOS outside, index inside " << hit.pcode;
      }
    }
    EXPECT_EQ(disagree, 0);
    EXPECT_EQ(inside, geos_inside);
    EXPECT_EQ(inside + snapped + unassigned, 5834);
    EXPECT_LE(max_snap_m, kSnapDistanceM);
    // Nearly every UCDP point in Pakistan falls inside the OCHA polygons.
    EXPECT_GT(inside, 5700);
    std::printf(
        "[ ucdp level %d ] inside %d, snapped %d (max %.0f m), unassigned %d; GEOS inside %d, "
        "on shared boundaries %d, disagreements %d\n",
        level, inside, snapped, max_snap_m, unassigned, geos_inside, multi, disagree);
  }
}

// A third implementation: Boost.Geometry's covered_by on the same GeoJSON,
// each district tested after a bounding-box check (no R-tree, no slabs).
namespace bg = boost::geometry;
using BoostPoint = bg::model::d2::point_xy<double>;
struct BoostArea {
  std::string pcode;
  bg::model::multi_polygon<bg::model::polygon<BoostPoint>> shape;
  bg::model::box<BoostPoint> box;
};

const std::vector<BoostArea>& BoostDistricts() {
  static const std::vector<BoostArea> districts = [] {
    std::vector<BoostArea> out;
    for (const auto& a : Areas()) {
      if (a.level != 2) continue;
      BoostArea area{a.pcode, {}, {}};
      auto g = ParseGeoJson(a.geometry);
      auto add = [&](const OGRPolygon& polygon) {
        bg::model::polygon<BoostPoint> poly;
        bool outer = true;
        for (const OGRLinearRing* ring : polygon) {
          bg::model::ring<BoostPoint> r;
          for (int i = 0; i < ring->getNumPoints(); ++i)
            r.emplace_back(ring->getX(i), ring->getY(i));
          if (outer) {
            poly.outer() = std::move(r);
          } else {
            poly.inners().push_back(std::move(r));
          }
          outer = false;
        }
        area.shape.push_back(std::move(poly));
      };
      if (wkbFlatten(g->getGeometryType()) == wkbPolygon) add(*g->toPolygon());
      if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon) {
        for (const OGRPolygon* part : *g->toMultiPolygon()) add(*part);
      }
      bg::correct(area.shape);
      OGREnvelope env;
      g->getEnvelope(&env);
      area.box = bg::model::box<BoostPoint>(BoostPoint(env.MinX, env.MinY),
                                            BoostPoint(env.MaxX, env.MaxY));
      out.push_back(std::move(area));
    }
    return out;
  }();
  return districts;
}

// The lowest P-code of the districts covering the point, by Boost; "" if none.
std::string BoostLocate(double lat, double lon) {
  const BoostPoint point(lon, lat);
  std::string want;
  for (const auto& d : BoostDistricts()) {
    if (!bg::covered_by(point, d.box) || !bg::covered_by(point, d.shape)) continue;
    if (want.empty() || d.pcode < want) want = d.pcode;
  }
  return want;
}

TEST(AreaIndexCrossCheck, UcdpPointsAgreeWithBoostCoveredBy) {
  const auto& districts = BoostDistricts();
  ASSERT_EQ(districts.size(), 160u);
  int disagree = 0, inside = 0;
  for (const LatLon& p : UcdpPoints()) {
    const std::string want = BoostLocate(p.lat, p.lon);
    const AreaHit hit = Index().Locate(2, p.lat, p.lon);
    inside += !want.empty();
    if (want.empty() ? hit.method == AssignMethod::kInside
                     : (hit.method != AssignMethod::kInside || hit.pcode != want)) {
      ++disagree;
      ADD_FAILURE() << p.lat << "," << p.lon << ": boost " << want << ", index " << hit.pcode;
    }
  }
  EXPECT_EQ(disagree, 0);
  EXPECT_GT(inside, 5700);
}

TEST(AreaIndexCrossCheck, DistrictsLieInTheirProvince) {
  int snapped = 0, mismatched = 0;
  for (const LatLon& p : UcdpPoints()) {
    model::Incident incident;
    incident.latitude = p.lat;
    incident.longitude = p.lon;
    incident.location_precision = LocationPrecision::kExact;
    Index().Assign(incident);
    ASSERT_FALSE(incident.admin2.empty());
    snapped += incident.admin_method == AssignMethod::kSnapped;
    if (AreaByPcode(incident.admin2).parent_pcode != incident.admin1) {
      ++mismatched;
      ADD_FAILURE() << p.lat << "," << p.lon << ": " << incident.admin2 << " in "
                    << incident.admin1;
    }
  }
  EXPECT_EQ(mismatched, 0);
  std::printf("[ ucdp assign ] %d snapped, %d district/province mismatches\n", snapped, mismatched);
}

TEST(AreaIndexPerf, BuildAndLocateThroughput) {
  std::vector<model::Area> districts;
  for (const auto& a : Areas()) {
    if (a.level == 2) districts.push_back(a);
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto index = AreaIndex::Build(districts);
  const auto t1 = std::chrono::steady_clock::now();
  ASSERT_TRUE(index.has_value());
  const auto& points = UcdpPoints();
  ASSERT_FALSE(points.empty());
  std::size_t located = 0, assigned = 0;
  const auto t2 = std::chrono::steady_clock::now();
  auto t3 = t2;
  do {
    for (const LatLon& p : points) {
      assigned += index->Locate(2, p.lat, p.lon).method != AssignMethod::kNone;
    }
    located += points.size();
    t3 = std::chrono::steady_clock::now();
  } while (std::chrono::duration<double>(t3 - t2).count() < 0.5);
  const double build_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  const double per_s = located / std::chrono::duration<double>(t3 - t2).count();
  EXPECT_GT(assigned, 0u);
  // Peer: Boost covered_by per district after a box check (the same points).
  std::size_t peer_located = 0, peer_assigned = 0;
  BoostDistricts();
  const auto t4 = std::chrono::steady_clock::now();
  auto t5 = t4;
  do {
    for (const LatLon& p : points) peer_assigned += !BoostLocate(p.lat, p.lon).empty();
    peer_located += points.size();
    t5 = std::chrono::steady_clock::now();
  } while (std::chrono::duration<double>(t5 - t4).count() < 0.5);
  const double peer_per_s = peer_located / std::chrono::duration<double>(t5 - t4).count();
  EXPECT_GT(peer_assigned, 0u);
  std::printf(
      "[ perf ] build 160 districts: %.1f ms; Locate: %.0f points/s (%zu points); "
      "Boost covered_by peer: %.0f points/s; ratio %.1fx\n",
      build_ms, per_s, located, peer_per_s, per_s / peer_per_s);
}

}  // namespace
}  // namespace corridor::geo
