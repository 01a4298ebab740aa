#include "corridor/geo/vector_io.h"

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"
#include "corridor/datasets/catalog.h"

namespace corridor::geo {
namespace {

constexpr std::string_view kOchaSource = "ocha-cod-ab-pak-2022";
constexpr std::string_view kGeoBoundariesSource = "geoboundaries-pak";
constexpr std::string_view kAidDataDataset = "aiddata-gcdf";
constexpr std::string_view kAidDataVersion = "2.0";
constexpr std::string_view kAidDataIdField = "AidData TUFF Project ID";

void RegisterDriversOnce() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

struct CplFree {
  void operator()(char* p) const { CPLFree(p); }
};

std::string FeatureRef(const std::string& path, std::size_t index) {
  return path + ": feature " + std::to_string(index);
}

// Opens `path` read-only as a vector dataset and returns its first layer.
Result<DatasetPtr> OpenVector(const std::string& path) {
  RegisterDriversOnce();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Fail(ErrorCode::kNotFound, path + ": no such file");
  }
  // Quiet GDAL's own error printing; the error text is returned instead.
  CPLPushErrorHandler(CPLQuietErrorHandler);
  GDALDataset* ds = GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY);
  std::string gdal_msg = CPLGetLastErrorMsg();
  CPLPopErrorHandler();
  if (ds == nullptr) {
    return Fail(ErrorCode::kUnavailable,
                path + ": GDAL cannot open it as a vector file" +
                    (gdal_msg.empty() ? std::string() : " (" + gdal_msg + ")"));
  }
  DatasetPtr owned(ds);
  if (owned->GetLayerCount() < 1) {
    return Fail(ErrorCode::kUnavailable, path + ": no vector layer");
  }
  return owned;
}

// The transformation from the layer's SRS to WGS84 lon/lat, or nullptr when
// the layer is already geographic WGS84 (or has no SRS: assumed WGS84).
Result<std::unique_ptr<OGRCoordinateTransformation>> ToWgs84(const std::string& path,
                                                             OGRLayer* layer) {
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  if (srs == nullptr) return std::unique_ptr<OGRCoordinateTransformation>();
  OGRSpatialReference wgs84;
  wgs84.importFromEPSG(4326);
  wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  // Shapefile/GeoJSON/GeoPackage in EPSG:4326 or OGC:CRS84 keep longitude as x
  // in OGR geometries, so no transformation is needed for them.
  if (srs->IsGeographic() && srs->IsSameGeogCS(&wgs84)) {
    return std::unique_ptr<OGRCoordinateTransformation>();
  }
  OGRSpatialReference source(*srs);
  source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(
      OGRCreateCoordinateTransformation(&source, &wgs84));
  if (!ct) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": cannot transform the layer's coordinate system to WGS84");
  }
  return ct;
}

std::string ExportJson(const OGRGeometry& geometry) {
  std::unique_ptr<char, CplFree> json(geometry.exportToJson());
  return json ? std::string(json.get()) : std::string();
}

struct LayerReader {
  DatasetPtr dataset;
  OGRLayer* layer = nullptr;
  std::unique_ptr<OGRCoordinateTransformation> transform;

  bool HasField(const char* name) const { return layer->GetLayerDefn()->GetFieldIndex(name) >= 0; }
};

Result<LayerReader> OpenLayer(const std::string& path) {
  auto ds = OpenVector(path);
  if (!ds) return Fail(ds.error());
  LayerReader reader;
  reader.dataset = std::move(*ds);
  reader.layer = reader.dataset->GetLayer(0);
  auto ct = ToWgs84(path, reader.layer);
  if (!ct) return Fail(ct.error());
  reader.transform = std::move(*ct);
  reader.layer->ResetReading();
  return reader;
}

// Converts one OGR feature; the geometry is transformed in place.
Result<Feature> ConvertFeature(const std::string& path, std::size_t index, OGRFeature& f,
                               OGRCoordinateTransformation* transform) {
  Feature out;
  out.fid = static_cast<long>(f.GetFID());
  const int n = f.GetFieldCount();
  out.attributes.reserve(n);
  for (int i = 0; i < n; ++i) {
    if (!f.IsFieldSetAndNotNull(i)) continue;
    out.attributes.emplace_back(f.GetFieldDefnRef(i)->GetNameRef(), f.GetFieldAsString(i));
  }
  OGRGeometry* g = f.GetGeometryRef();
  if (g != nullptr && !g->IsEmpty()) {
    if (transform != nullptr && g->transform(transform) != OGRERR_NONE) {
      return Fail(ErrorCode::kInvalidArgument,
                  FeatureRef(path, index) + ": geometry cannot be transformed to WGS84");
    }
    out.geometry = ExportJson(*g);
  }
  return out;
}

std::optional<double> ParseDouble(const std::string* s) {
  if (s == nullptr) return std::nullopt;
  std::string_view t = Trim(*s);
  if (t.empty()) return std::nullopt;
  std::string copy(t);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end == copy.c_str() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int> ParseYear(const std::string* s) {
  auto v = ParseDouble(s);
  if (!v) return std::nullopt;
  return static_cast<int>(std::lround(*v));
}

std::vector<std::string> SplitAgencies(const std::string* s) {
  std::vector<std::string> out;
  if (s == nullptr) return out;
  for (const std::string& part : Split(*s, '|')) {
    std::string_view t = Trim(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

std::string StringOr(const std::string* s) { return s ? std::string(Trim(*s)) : std::string(); }

}  // namespace

const std::string* Feature::Get(std::string_view name) const {
  for (const auto& [key, value] : attributes) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string TitleCase(std::string_view upper) {
  static constexpr std::string_view kMinor[] = {"and", "or", "of", "the", "for", "in",  "on",
                                                "to",  "a",  "an", "at",  "by",  "with"};
  std::string out;
  out.reserve(upper.size());
  std::size_t i = 0;
  bool first_word = true;
  while (i < upper.size()) {
    if (!std::isalpha(static_cast<unsigned char>(upper[i]))) {
      out.push_back(upper[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < upper.size() && std::isalpha(static_cast<unsigned char>(upper[j]))) ++j;
    std::string word = ToLower(upper.substr(i, j - i));
    bool minor = false;
    for (std::string_view m : kMinor) minor = minor || word == m;
    if (first_word || !minor) word[0] = static_cast<char>(std::toupper(word[0]));
    out += word;
    first_word = false;
    i = j;
  }
  return out;
}

Result<std::vector<Feature>> ReadFeatures(const std::string& path) {
  auto reader = OpenLayer(path);
  if (!reader) return Fail(reader.error());
  std::vector<Feature> out;
  std::size_t index = 0;
  while (std::unique_ptr<OGRFeature> f{reader->layer->GetNextFeature()}) {
    auto feature = ConvertFeature(path, index, *f, reader->transform.get());
    if (!feature) return Fail(feature.error());
    out.push_back(std::move(*feature));
    ++index;
  }
  return out;
}

Result<std::vector<model::Area>> ReadAreas(const std::string& path, int level) {
  if (level < 0 || level > 2) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": admin level " + std::to_string(level) + " is not 0, 1 or 2");
  }
  auto reader = OpenLayer(path);
  if (!reader) return Fail(reader.error());
  const std::string adm = "ADM" + std::to_string(level);
  const std::string pcode_field = adm + "_PCODE";
  const std::string parent_field = level > 0 ? "ADM" + std::to_string(level - 1) + "_PCODE" : "";
  bool ocha = reader->HasField(pcode_field.c_str());
  bool geoboundaries = !ocha && reader->HasField("shapeName");
  if (!ocha && !geoboundaries) {
    return Fail(ErrorCode::kInvalidArgument, path + ": layer has no " + pcode_field +
                                                 " attribute (OCHA COD-AB) nor shapeName "
                                                 "(geoBoundaries)");
  }
  const std::string_view source = ocha ? kOchaSource : kGeoBoundariesSource;
  const model::Licence licence = datasets::LicenceOf(source);

  std::vector<model::Area> out;
  std::size_t index = 0;
  while (std::unique_ptr<OGRFeature> f{reader->layer->GetNextFeature()}) {
    auto feature = ConvertFeature(path, index, *f, reader->transform.get());
    if (!feature) return Fail(feature.error());
    model::Area area;
    area.level = level;
    area.source = std::string(source);
    area.licence = licence;
    if (ocha) {
      area.pcode = StringOr(feature->Get(pcode_field));
      area.name = StringOr(feature->Get(adm + "_EN"));
      for (const char* alt : {"ALT1EN", "ALT2EN"}) {
        std::string v = StringOr(feature->Get(adm + alt));
        if (!v.empty()) area.alt_names.push_back(std::move(v));
      }
      if (level > 0) {
        area.parent_pcode = StringOr(feature->Get(parent_field));
        if (area.parent_pcode.empty()) {
          return Fail(ErrorCode::kInvalidArgument,
                      FeatureRef(path, index) + ": missing " + parent_field);
        }
      }
    } else {
      area.pcode = StringOr(feature->Get("shapeISO"));
      if (area.pcode.empty()) area.pcode = StringOr(feature->Get("shapeID"));
      area.name = StringOr(feature->Get("shapeName"));
    }
    if (area.pcode.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  FeatureRef(path, index) + ": missing " +
                      (ocha ? pcode_field : std::string("shapeISO/shapeID")));
    }
    const OGRGeometry* g = f->GetGeometryRef();
    const auto type = g ? wkbFlatten(g->getGeometryType()) : wkbUnknown;
    if (type != wkbPolygon && type != wkbMultiPolygon) {
      return Fail(ErrorCode::kInvalidArgument, FeatureRef(path, index) + " (" + area.pcode +
                                                   "): geometry is not a Polygon/MultiPolygon");
    }
    area.geometry = std::move(feature->geometry);
    out.push_back(std::move(area));
    ++index;
  }
  return out;
}

Result<std::vector<model::Site>> ReadSites(const std::string& path) {
  auto reader = OpenLayer(path);
  if (!reader) return Fail(reader.error());
  const bool aiddata = reader->HasField(std::string(kAidDataIdField).c_str());
  const std::string file = std::filesystem::path(path).filename().string();
  const std::string stem = std::filesystem::path(path).stem().string();
  const model::Licence licence = datasets::LicenceOf(aiddata ? kAidDataDataset : "manual");

  std::vector<model::Site> out;
  std::size_t index = 0;
  while (std::unique_ptr<OGRFeature> f{reader->layer->GetNextFeature()}) {
    auto feature = ConvertFeature(path, index, *f, reader->transform.get());
    if (!feature) return Fail(feature.error());
    auto missing = [&](std::string_view attribute) {
      return Fail(ErrorCode::kInvalidArgument, FeatureRef(path, index) + ": missing attribute \"" +
                                                   std::string(attribute) + "\"");
    };
    model::Site site;
    site.licence = licence;
    site.provenance.file = file;
    site.provenance.line = 0;
    if (aiddata) {
      std::string id = StringOr(feature->Get(kAidDataIdField));
      if (id.empty()) return missing(kAidDataIdField);
      site.name = StringOr(feature->Get("Title"));
      if (site.name.empty()) return missing("Title");
      site.id = RecordId(kAidDataDataset, id);
      site.sector = TitleCase(StringOr(feature->Get("AidData Sector Name")));
      site.status = StringOr(feature->Get("Status"));
      site.amount_usd = ParseDouble(feature->Get("Amount (Constant USD2017)"));
      site.commitment_year = ParseYear(feature->Get("Commitment Year"));
      site.start_year = ParseYear(feature->Get("Implementation Start Year"));
      site.completion_year = ParseYear(feature->Get("Completion Year"));
      site.funding_agencies = SplitAgencies(feature->Get("Funding Agencies"));
      site.receiving_agencies = SplitAgencies(feature->Get("Receiving Agencies"));
      site.implementing_agencies = SplitAgencies(feature->Get("Implementing Agencies"));
      site.provenance.dataset = std::string(kAidDataDataset);
      site.provenance.dataset_version = std::string(kAidDataVersion);
      site.provenance.source_id = id;
    } else {
      site.name = StringOr(feature->Get("name"));
      if (site.name.empty()) return missing("name");
      std::string id = StringOr(feature->Get("id"));
      if (id.empty()) id = std::to_string(feature->fid);
      site.id = RecordId(stem, id);
      site.sector = StringOr(feature->Get("sector"));
      site.status = StringOr(feature->Get("status"));
      site.provenance.dataset = stem;
      site.provenance.source_id = id;
    }
    const OGRGeometry* g = f->GetGeometryRef();  // already transformed to WGS84
    if (g == nullptr || g->IsEmpty()) return missing("geometry");
    // PointOnSurface (GEOS) for areas and lines; a point is its own.
    std::unique_ptr<OGRGeometry> surface_point(OGRGeometry::FromHandle(
        OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)))));
    if (!surface_point || surface_point->IsEmpty() ||
        wkbFlatten(surface_point->getGeometryType()) != wkbPoint) {
      return Fail(ErrorCode::kInvalidArgument,
                  FeatureRef(path, index) + ": no representative point for the geometry");
    }
    const OGRPoint point = *surface_point->toPoint();
    site.longitude = point.getX();
    site.latitude = point.getY();
    site.geometry = std::move(feature->geometry);
    out.push_back(std::move(site));
    ++index;
  }
  return out;
}

}  // namespace corridor::geo
