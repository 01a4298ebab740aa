#include "corridor/risk/laea.h"

#include <fmt/core.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <limits>

namespace corridor::risk {

struct LaeaProjection::Impl {
  OGRSpatialReference wgs84;
  OGRSpatialReference plane;
  std::unique_ptr<OGRCoordinateTransformation> forward;
  std::unique_ptr<OGRCoordinateTransformation> inverse;
};

LaeaProjection::LaeaProjection(double lat0, double lon0, std::string proj,
                               std::unique_ptr<Impl> impl)
    : lat0_(lat0), lon0_(lon0), proj_(std::move(proj)), impl_(std::move(impl)) {}
LaeaProjection::LaeaProjection(LaeaProjection&&) noexcept = default;
LaeaProjection& LaeaProjection::operator=(LaeaProjection&&) noexcept = default;
LaeaProjection::~LaeaProjection() = default;

Result<LaeaProjection> LaeaProjection::Create(double lat0, double lon0) {
  if (!std::isfinite(lat0) || !std::isfinite(lon0) || std::abs(lat0) > 90 || std::abs(lon0) > 180) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("projection centre out of range: lat {}, lon {}", lat0, lon0));
  }
  auto impl = std::make_unique<Impl>();
  impl->wgs84.SetWellKnownGeogCS("WGS84");
  impl->wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);  // x = lon, y = lat
  std::string proj = fmt::format(
      "+proj=laea +lat_0={:.6f} +lon_0={:.6f} +x_0=0 +y_0=0 +ellps=WGS84 +units=km +no_defs", lat0,
      lon0);
  if (impl->plane.importFromProj4(proj.c_str()) != OGRERR_NONE) {
    return Fail(ErrorCode::kInternal, "PROJ rejected " + proj);
  }
  impl->plane.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  impl->forward.reset(OGRCreateCoordinateTransformation(&impl->wgs84, &impl->plane));
  impl->inverse.reset(OGRCreateCoordinateTransformation(&impl->plane, &impl->wgs84));
  if (!impl->forward || !impl->inverse) {
    return Fail(ErrorCode::kInternal, "no coordinate transformation for " + proj);
  }
  return LaeaProjection(lat0, lon0, std::move(proj), std::move(impl));
}

namespace {

// Transforms (a, b) pairs in place in blocks, so that no allocation is needed;
// pairs that fail (or are not finite) become NaN.
void TransformPairs(OGRCoordinateTransformation& t, std::span<const double> a_in,
                    std::span<const double> b_in, std::span<double> a_out,
                    std::span<double> b_out) {
  constexpr std::size_t kBlock = 1024;
  int ok[kBlock];
  double a[kBlock], b[kBlock];
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t start = 0; start < a_in.size(); start += kBlock) {
    const std::size_t n = std::min(kBlock, a_in.size() - start);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = a_in[start + i];
      b[i] = b_in[start + i];
      if (!std::isfinite(a[i]) || !std::isfinite(b[i])) a[i] = b[i] = 0;  // masked below
    }
    t.Transform(n, a, b, nullptr, ok);
    for (std::size_t i = 0; i < n; ++i) {
      const bool good = ok[i] && std::isfinite(a_in[start + i]) && std::isfinite(b_in[start + i]);
      a_out[start + i] = good ? a[i] : kNan;
      b_out[start + i] = good ? b[i] : kNan;
    }
  }
}

}  // namespace

void LaeaProjection::Forward(std::span<const double> lat, std::span<const double> lon,
                             std::span<double> x, std::span<double> y) const {
  TransformPairs(*impl_->forward, lon, lat, x, y);
}

void LaeaProjection::Inverse(std::span<const double> x, std::span<const double> y,
                             std::span<double> lat, std::span<double> lon) const {
  TransformPairs(*impl_->inverse, x, y, lon, lat);
}

namespace {

Result<std::unique_ptr<OGRGeometry>> ReadGeoJson(const std::string& geojson) {
  std::unique_ptr<OGRGeometry> g(OGRGeometryFactory::createFromGeoJson(geojson.c_str()));
  if (!g || g->IsEmpty()) {
    return Fail(ErrorCode::kInvalidArgument, "geometry: not a non-empty GeoJSON geometry");
  }
  return g;
}

}  // namespace

Result<std::pair<double, double>> LaeaProjection::ProjectedCentroid(
    const std::string& geojson) const {
  auto g = ReadGeoJson(geojson);
  if (!g) return Fail(g.error());
  (*g)->assignSpatialReference(&impl_->wgs84);
  if ((*g)->transform(impl_->forward.get()) != OGRERR_NONE) {
    return Fail(ErrorCode::kInvalidArgument, "geometry: cannot be projected");
  }
  OGRPoint c;
  if ((*g)->Centroid(&c) != OGRERR_NONE || c.IsEmpty()) {
    return Fail(ErrorCode::kInvalidArgument, "geometry: no centroid");
  }
  return std::pair<double, double>{c.getX(), c.getY()};
}

Result<PlaneBox> LaeaProjection::ProjectedBox(const std::string& geojson) const {
  auto g = ReadGeoJson(geojson);
  if (!g) return Fail(g.error());
  (*g)->segmentize(0.1);
  (*g)->assignSpatialReference(&impl_->wgs84);
  if ((*g)->transform(impl_->forward.get()) != OGRERR_NONE) {
    return Fail(ErrorCode::kInvalidArgument, "geometry: cannot be projected");
  }
  OGREnvelope e;
  (*g)->getEnvelope(&e);
  return PlaneBox{e.MinX, e.MinY, e.MaxX, e.MaxY};
}

}  // namespace corridor::risk
