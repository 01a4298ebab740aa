#include "corridor/projects/areas.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace corridor::projects {
namespace {

namespace bg = boost::geometry;
using Point = bg::model::d2::point_xy<double>;  // (lon, lat) degrees
using Ring = bg::model::ring<Point>;
using json = nlohmann::json;

constexpr double kRound = 1000.0;  // 1e-3 degrees: about 100 m, far below a map pixel

std::string Text(const json& props, const char* key) {
  auto it = props.find(key);
  return it != props.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// One ring simplified and rounded; empty when it collapses below a triangle.
model::AreaOutline::Ring Simplify(const json& coordinates, double tolerance) {
  Ring ring;
  for (const auto& c : coordinates) {
    const double lon = c.at(0).get<double>(), lat = c.at(1).get<double>();
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
      throw std::out_of_range("a position outside [-180, 180] x [-90, 90]");
    }
    ring.push_back(Point(lon, lat));
  }
  Ring simple;
  bg::simplify(ring, simple, tolerance);
  model::AreaOutline::Ring out;
  for (const auto& p : simple) {
    const std::array<double, 2> q{std::round(p.x() * kRound) / kRound,
                                  std::round(p.y() * kRound) / kRound};
    if (out.empty() || out.back() != q) out.push_back(q);
  }
  if (out.size() < 4) return {};  // a closed ring needs three corners and the closing point
  return out;
}

double Area(const model::AreaOutline::Ring& ring) {
  double twice = 0;
  for (std::size_t i = 1; i < ring.size(); ++i) {
    twice += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
  }
  return std::abs(twice) / 2;
}

}  // namespace

Result<std::vector<model::AreaOutline>> ReadAreaOutlines(std::string_view geojson, int level,
                                                         double tolerance) {
  if (level != 1 && level != 2) {
    return Fail(ErrorCode::kInvalidArgument, "level: expected 1 (provinces) or 2 (districts)");
  }
  if (!(tolerance >= 0) || tolerance > 1) {
    return Fail(ErrorCode::kInvalidArgument, "tolerance: expected 0 to 1 degree");
  }
  const json doc = json::parse(geojson, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("features") ||
      !doc["features"].is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "not a GeoJSON FeatureCollection");
  }
  const std::string pcode_key = "ADM" + std::to_string(level) + "_PCODE";
  const std::string name_key = "ADM" + std::to_string(level) + "_EN";
  std::vector<model::AreaOutline> out;
  std::size_t index = 0;
  for (const auto& f : doc["features"]) {
    const std::string where = "/features/" + std::to_string(index++);
    const json props = f.is_object() && f.contains("properties") && f["properties"].is_object()
                           ? f["properties"]
                           : json::object();
    model::AreaOutline a;
    a.level = level;
    a.pcode = Text(props, pcode_key.c_str());
    a.name = Text(props, name_key.c_str());
    if (level == 2) a.parent = Text(props, "ADM1_PCODE");
    if (a.pcode.empty()) {
      return Fail(ErrorCode::kInvalidArgument, where + "/properties/" + pcode_key +
                                                   ": missing (is this a level " +
                                                   std::to_string(level) + " file?)");
    }
    // P-codes go into the portal's links: letters and digits only.
    if (a.pcode.size() > 16 || !std::all_of(a.pcode.begin(), a.pcode.end(), [](char c) {
          return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        })) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "/properties/" + pcode_key + ": expected 1 to 16 of A-Z and 0-9");
    }
    const json* geometry = f.is_object() && f.contains("geometry") ? &f["geometry"] : nullptr;
    if (geometry == nullptr || !geometry->is_object() || !geometry->contains("coordinates")) {
      return Fail(ErrorCode::kInvalidArgument, where + "/geometry: missing");
    }
    const auto type_it = geometry->find("type");
    const std::string type =
        type_it != geometry->end() && type_it->is_string() ? type_it->get<std::string>() : "";
    try {
      std::vector<json> polygons;
      if (type == "Polygon") {
        polygons.push_back((*geometry)["coordinates"]);
      } else if (type == "MultiPolygon") {
        for (const auto& p : (*geometry)["coordinates"]) polygons.push_back(p);
      } else {
        return Fail(ErrorCode::kInvalidArgument,
                    where + "/geometry/type: expected Polygon or MultiPolygon, got '" + type + "'");
      }
      std::vector<model::AreaOutline::Ring> largest;
      double largest_area = -1;
      for (const auto& rings : polygons) {
        std::vector<model::AreaOutline::Ring> kept;
        for (const auto& ring : rings) {
          auto simple = Simplify(ring, tolerance);
          if (simple.empty()) {
            if (kept.empty()) break;  // the outer ring collapsed: so does the polygon
            continue;
          }
          kept.push_back(std::move(simple));
        }
        if (!kept.empty()) {
          a.polygons.push_back(std::move(kept));
          continue;
        }
        // Remember the largest polygon unsimplified, in case every one collapses.
        auto whole = Simplify(rings.at(0), 0);
        if (const double area = Area(whole); area > largest_area) {
          largest_area = area;
          largest = {std::move(whole)};
        }
      }
      if (a.polygons.empty() && !largest.empty()) a.polygons.push_back(std::move(largest));
    } catch (const json::exception& e) {
      return Fail(ErrorCode::kInvalidArgument, where + "/geometry/coordinates: " + e.what());
    } catch (const std::out_of_range& e) {
      return Fail(ErrorCode::kInvalidArgument, where + "/geometry/coordinates: " + e.what());
    }
    if (a.polygons.empty()) {
      return Fail(ErrorCode::kInvalidArgument, where + "/geometry: no ring with three corners");
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace corridor::projects
