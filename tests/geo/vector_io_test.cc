#include "corridor/geo/vector_io.h"

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <ogr_geometry.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "corridor/common/uuid.h"
#include "corridor/datasets/catalog.h"
#include "testing/testing.h"

namespace corridor::geo {
namespace {

using corridor::testing::SharedPath;
using corridor::testing::TempDir;
using corridor::testing::WriteFile;

constexpr const char* kOchaDir = "data/ocha-cod-ab-pakistan-2022/";

std::string Ocha(int level, const char* ext) {
  return SharedPath(std::string(kOchaDir) + "pak_admbnda_adm" + std::to_string(level) +
                    "_wfp_20220909" + ext)
      .string();
}

std::unique_ptr<OGRGeometry> ParseGeoJson(const std::string& text) {
  return std::unique_ptr<OGRGeometry>(OGRGeometryFactory::createFromGeoJson(text.c_str()));
}

std::vector<model::Area> MustReadAreas(const std::string& path, int level) {
  auto areas = ReadAreas(path, level);
  EXPECT_TRUE(areas.has_value()) << (areas ? "" : areas.error().message);
  return areas ? *areas : std::vector<model::Area>{};
}

std::map<std::string, model::Area> ByPcode(const std::vector<model::Area>& areas) {
  std::map<std::string, model::Area> out;
  for (const auto& a : areas) out[a.pcode] = a;
  return out;
}

TEST(ReadAreasTest, OchaShapefileCountsAndNames) {
  auto adm0 = MustReadAreas(Ocha(0, ".shp"), 0);
  auto adm1 = MustReadAreas(Ocha(1, ".shp"), 1);
  auto adm2 = MustReadAreas(Ocha(2, ".shp"), 2);
  ASSERT_EQ(adm0.size(), 1u);
  ASSERT_EQ(adm1.size(), 7u);
  ASSERT_EQ(adm2.size(), 160u);
  EXPECT_EQ(adm0[0].pcode, "PK");
  EXPECT_EQ(adm0[0].name, "Pakistan");
  EXPECT_EQ(adm0[0].parent_pcode, "");

  const std::map<std::string, std::string> provinces = {
      {"PK1", "Azad Kashmir"}, {"PK2", "Balochistan"},        {"PK3", "Gilgit Baltistan"},
      {"PK4", "Islamabad"},    {"PK5", "Khyber Pakhtunkhwa"}, {"PK6", "Punjab"},
      {"PK7", "Sindh"}};
  auto adm1_by = ByPcode(adm1);
  for (const auto& [pcode, name] : provinces) {
    SCOPED_TRACE(pcode);
    ASSERT_TRUE(adm1_by.count(pcode));
    EXPECT_EQ(adm1_by[pcode].name, name);
    EXPECT_EQ(adm1_by[pcode].parent_pcode, "PK");
    EXPECT_EQ(adm1_by[pcode].level, 1);
    EXPECT_TRUE(adm1_by[pcode].alt_names.empty());
  }

  struct Case {
    const char* pcode;
    const char* name;
    const char* parent;
  };
  const Case districts[] = {
      {"PK101", "Bagh", "PK1"},         {"PK226", "Quetta", "PK2"},
      {"PK235", "Chaman", "PK2"},       {"PK314", "Rondu", "PK3"},
      {"PK401", "Islamabad", "PK4"},    {"PK528", "Peshawar", "PK5"},
      {"PK509", "D. I. Khan", "PK5"},   {"PK604", "Bhakkar", "PK6"},
      {"PK617", "Lahore", "PK6"},       {"PK721", "South Karachi", "PK7"},
      {"PK729", "West Karachi", "PK7"},
  };
  auto adm2_by = ByPcode(adm2);
  EXPECT_EQ(adm2_by.size(), 160u) << "P-codes are unique";
  for (const Case& c : districts) {
    SCOPED_TRACE(c.pcode);
    ASSERT_TRUE(adm2_by.count(c.pcode));
    EXPECT_EQ(adm2_by[c.pcode].name, c.name);
    EXPECT_EQ(adm2_by[c.pcode].parent_pcode, c.parent);
  }
  // Every district's parent is a province, every province has districts.
  std::map<std::string, int> per_province;
  for (const auto& d : adm2) {
    EXPECT_TRUE(adm1_by.count(d.parent_pcode)) << d.pcode << " parent " << d.parent_pcode;
    EXPECT_EQ(d.pcode.rfind(d.parent_pcode, 0), 0u) << d.pcode;
    ++per_province[d.parent_pcode];
  }
  EXPECT_EQ(per_province.size(), 7u);
  EXPECT_EQ(per_province["PK2"], 35);
  EXPECT_EQ(per_province["PK4"], 1);
  EXPECT_EQ(per_province["PK6"], 36);

  for (const auto* level : {&adm0, &adm1, &adm2}) {
    for (const auto& a : *level) {
      SCOPED_TRACE(a.pcode);
      EXPECT_EQ(a.source, "ocha-cod-ab-pak-2022");
      EXPECT_EQ(a.licence, datasets::LicenceOf("ocha-cod-ab-pak-2022"));
      auto g = ParseGeoJson(a.geometry);
      ASSERT_NE(g, nullptr) << "geometry is GeoJSON";
      auto type = wkbFlatten(g->getGeometryType());
      EXPECT_TRUE(type == wkbPolygon || type == wkbMultiPolygon);
      EXPECT_TRUE(g->IsValid());
      OGREnvelope env;
      g->getEnvelope(&env);
      // Longitude first, within Pakistan's extent (60.88..77.83 E, 23.69..37.09 N).
      EXPECT_GE(env.MinX, 60.8);
      EXPECT_LE(env.MaxX, 77.9);
      EXPECT_GE(env.MinY, 23.6);
      EXPECT_LE(env.MaxY, 37.1);
    }
  }
}

TEST(ReadAreasTest, GeoJsonAndGeoPackageGiveTheSameAreas) {
  auto shp = MustReadAreas(Ocha(1, ".shp"), 1);
  auto geojson = MustReadAreas(Ocha(1, ".derived.geojson"), 1);
  ASSERT_EQ(shp.size(), 7u);
  ASSERT_EQ(geojson.size(), shp.size());

  TempDir dir;
  const std::string gpkg = (dir / "adm1.gpkg").string();
  {
    GDALAllRegister();
    GDALDatasetH src =
        GDALOpenEx(Ocha(1, ".shp").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    ASSERT_NE(src, nullptr);
    char* argv[] = {const_cast<char*>("-f"), const_cast<char*>("GPKG"), const_cast<char*>("-nlt"),
                    const_cast<char*>("PROMOTE_TO_MULTI"), nullptr};
    GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv, nullptr);
    int usage_error = 0;
    GDALDatasetH out = GDALVectorTranslate(gpkg.c_str(), nullptr, 1, &src, options, &usage_error);
    GDALVectorTranslateOptionsFree(options);
    ASSERT_NE(out, nullptr);
    GDALClose(out);
    GDALClose(src);
  }
  auto gp = MustReadAreas(gpkg, 1);
  ASSERT_EQ(gp.size(), shp.size());
  for (std::size_t i = 0; i < shp.size(); ++i) {
    SCOPED_TRACE(shp[i].pcode);
    EXPECT_EQ(geojson[i].pcode, shp[i].pcode);
    EXPECT_EQ(geojson[i].name, shp[i].name);
    EXPECT_EQ(geojson[i].parent_pcode, shp[i].parent_pcode);
    EXPECT_EQ(gp[i].pcode, shp[i].pcode);
    EXPECT_EQ(gp[i].name, shp[i].name);
    EXPECT_EQ(gp[i].parent_pcode, shp[i].parent_pcode);
    EXPECT_EQ(gp[i].source, "ocha-cod-ab-pak-2022");
    // The GeoPackage keeps the shapefile's coordinates; the GeoJSON rounds to
    // 6 decimals (~0.1 m), so its area agrees to a tiny relative error.
    auto g_shp = ParseGeoJson(shp[i].geometry);
    auto g_gp = ParseGeoJson(gp[i].geometry);
    auto g_js = ParseGeoJson(geojson[i].geometry);
    ASSERT_TRUE(g_shp && g_gp && g_js);
    double area_shp = OGR_G_Area(OGRGeometry::ToHandle(g_shp.get()));
    EXPECT_DOUBLE_EQ(OGR_G_Area(OGRGeometry::ToHandle(g_gp.get())), area_shp);
    EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(g_js.get())), area_shp, area_shp * 1e-6);
  }
  // Districts from the GeoJSON match the shapefile's too.
  auto d_shp = MustReadAreas(Ocha(2, ".shp"), 2);
  auto d_js = MustReadAreas(Ocha(2, ".derived.geojson"), 2);
  ASSERT_EQ(d_js.size(), 160u);
  for (std::size_t i = 0; i < d_shp.size(); ++i) {
    EXPECT_EQ(d_js[i].pcode, d_shp[i].pcode);
    EXPECT_EQ(d_js[i].parent_pcode, d_shp[i].parent_pcode);
  }
}

TEST(ReadAreasTest, GeoBoundaries) {
  auto areas = MustReadAreas(
      SharedPath("data/geoboundaries-pak/geoBoundaries-PAK-ADM1.geojson").string(), 1);
  ASSERT_EQ(areas.size(), 8u);
  auto by = ByPcode(areas);
  EXPECT_EQ(by["PK-BA"].name, "Balochistan");
  EXPECT_EQ(by["PK-TA"].name, "Federally Administered Tribal Areas");
  EXPECT_EQ(by["PK-IS"].name, "Islamabad Capital Territory");
  for (const auto& a : areas) {
    EXPECT_EQ(a.source, "geoboundaries-pak");
    EXPECT_EQ(a.licence, datasets::LicenceOf("geoboundaries-pak"));
    EXPECT_EQ(a.parent_pcode, "");
    EXPECT_EQ(a.level, 1);
    EXPECT_NE(ParseGeoJson(a.geometry), nullptr);
  }
}

TEST(ReadAreasTest, ErrorsNameTheFile) {
  TempDir dir;
  const std::string missing = (dir / "nope.shp").string();
  auto r = ReadAreas(missing, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find(missing), std::string::npos) << r.error().message;

  const std::string garbage = (dir / "garbage.geojson").string();
  WriteFile(garbage, "this is { not a vector file");
  r = ReadAreas(garbage, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find(garbage), std::string::npos) << r.error().message;

  // The province file has no ADM2_PCODE.
  r = ReadAreas(Ocha(1, ".shp"), 2);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("ADM2_PCODE"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("pak_admbnda_adm1"), std::string::npos) << r.error().message;

  r = ReadAreas(Ocha(1, ".shp"), 3);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);

  // A point layer is not an area layer: the feature is named.
  const std::string points = (dir / "points.geojson").string();
  WriteFile(points, R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"ADM1_PCODE":"PK9","ADM1_EN":"X","ADM0_PCODE":"PK"},
     "geometry":{"type":"Point","coordinates":[70,30]}}]})");
  r = ReadAreas(points, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("feature 0"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("PK9"), std::string::npos) << r.error().message;
}

TEST(ReadFeaturesTest, ReprojectsToWgs84LonLat) {
  // A UTM 42N (EPSG:32642) point near Quetta comes back as lon/lat.
  TempDir dir;
  const std::string utm = (dir / "utm.geojson").string();
  WriteFile(utm, R"({"type":"FeatureCollection",
    "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32642"}},
    "features":[{"type":"Feature","properties":{"name":"p","n":3},
      "geometry":{"type":"Point","coordinates":[500000,3340000]}}]})");
  auto features = ReadFeatures(utm);
  ASSERT_TRUE(features.has_value()) << features.error().message;
  ASSERT_EQ(features->size(), 1u);
  const Feature& f = (*features)[0];
  ASSERT_NE(f.Get("name"), nullptr);
  EXPECT_EQ(*f.Get("name"), "p");
  EXPECT_EQ(*f.Get("n"), "3");
  EXPECT_EQ(f.Get("absent"), nullptr);
  auto g = ParseGeoJson(f.geometry);
  ASSERT_NE(g, nullptr);
  const OGRPoint* p = g->toPoint();
  EXPECT_NEAR(p->getX(), 69.0, 1e-9);           // central meridian of zone 42
  EXPECT_NEAR(p->getY(), 30.1914511483, 1e-9);  // gdaltransform -s_srs EPSG:32642 -t_srs EPSG:4326
}

// --- Sites -------------------------------------------------------------------

std::string AidData() {
  return SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson").string();
}

TEST(ReadSitesTest, AidDataProjects) {
  auto sites = ReadSites(AidData());
  ASSERT_TRUE(sites.has_value()) << sites.error().message;
  ASSERT_EQ(sites->size(), 100u);

  std::map<std::string, int> sectors, statuses;
  std::set<Uuid> ids;
  int null_amounts = 0;
  for (const auto& s : *sites) {
    SCOPED_TRACE(s.provenance.source_id);
    ++sectors[s.sector];
    ++statuses[s.status];
    ids.insert(s.id);
    if (!s.amount_usd) ++null_amounts;
    EXPECT_EQ(s.id, RecordId("aiddata-gcdf", s.provenance.source_id));
    EXPECT_EQ(s.provenance.dataset, "aiddata-gcdf");
    EXPECT_EQ(s.provenance.dataset_version, "2.0");
    EXPECT_EQ(s.provenance.file, "pakistan_development_combined.geojson");
    EXPECT_EQ(s.provenance.line, 0);
    EXPECT_EQ(s.licence, datasets::LicenceOf("aiddata-gcdf"));
    EXPECT_FALSE(s.name.empty());
    ASSERT_TRUE(s.commitment_year.has_value());
    EXPECT_GE(*s.commitment_year, 2000);
    EXPECT_LE(*s.commitment_year, 2017);
    for (const auto* list :
         {&s.funding_agencies, &s.receiving_agencies, &s.implementing_agencies}) {
      for (const auto& agency : *list) {
        EXPECT_FALSE(agency.empty());
        EXPECT_NE(agency.front(), ' ');
        EXPECT_NE(agency.back(), ' ');
        EXPECT_EQ(agency.find('|'), std::string::npos);
      }
    }
    // The representative point lies on the footprint.
    auto g = ParseGeoJson(s.geometry);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(wkbFlatten(g->getGeometryType()), wkbMultiPolygon);
    OGRPoint p(s.longitude, s.latitude);
    EXPECT_TRUE(g->Intersects(&p)) << s.latitude << "," << s.longitude;
  }
  EXPECT_EQ(ids.size(), 100u);
  // SOURCES.md: Energy 44, Transport & Storage 27, Education 9, Industry/Mining/
  // Construction 7; the file spells them "ENERGY", "TRANSPORT AND STORAGE", ...
  EXPECT_EQ(sectors["Energy"], 44);
  EXPECT_EQ(sectors["Transport and Storage"], 27);
  EXPECT_EQ(sectors["Education"], 9);
  EXPECT_EQ(sectors["Industry, Mining, Construction"], 7);
  EXPECT_EQ(sectors["Health"], 3);
  EXPECT_EQ(sectors["Other Social Infrastructure and Services"], 3);
  EXPECT_EQ(sectors.size(), 9u);
  EXPECT_EQ(statuses["Completion"], 78);
  EXPECT_EQ(statuses["Implementation"], 13);
  EXPECT_EQ(statuses["Pipeline: Pledge"], 7);
  EXPECT_EQ(statuses["Pipeline: Commitment"], 1);
  EXPECT_EQ(statuses["Cancelled"], 1);
  EXPECT_EQ(null_amounts, 12);

  const model::Site* chashma = nullptr;
  const model::Site* museum = nullptr;
  for (const auto& s : *sites) {
    if (s.provenance.source_id == "35108") chashma = &s;
    if (s.provenance.source_id == "35737") museum = &s;
  }
  ASSERT_NE(chashma, nullptr);
  EXPECT_EQ(chashma->name,
            "China Eximbank provides $150 million preferential buyer\u2019s credit loan for Unit 2 "
            "of the Chashma Nuclear Power Plant Project (linked to #35262)");
  EXPECT_EQ(chashma->sector, "Energy");
  EXPECT_EQ(chashma->status, "Completion");
  ASSERT_TRUE(chashma->amount_usd.has_value());
  EXPECT_NEAR(*chashma->amount_usd, 282531815.060098, 1e-3);
  EXPECT_EQ(chashma->commitment_year, 2005);
  EXPECT_EQ(chashma->start_year, 2005);
  EXPECT_EQ(chashma->completion_year, 2011);
  EXPECT_EQ(chashma->funding_agencies, std::vector<std::string>{"Export-Import Bank of China"});
  EXPECT_EQ(chashma->receiving_agencies, std::vector<std::string>{"Government of Pakistan"});
  EXPECT_EQ(chashma->implementing_agencies,
            (std::vector<std::string>{"China Zhongyuan International Engineering Co., Ltd.",
                                      "Government of Pakistan"}));
  EXPECT_EQ(chashma->id, RecordId("aiddata-gcdf", "35108"));
  EXPECT_EQ(chashma->admin1, "");  // assignment is the caller's job (AreaIndex)
  // Chashma nuclear plant, Mianwali district: 32.39 N, 71.46 E.
  EXPECT_NEAR(chashma->latitude, 32.39, 0.1);
  EXPECT_NEAR(chashma->longitude, 71.46, 0.1);

  ASSERT_NE(museum, nullptr);
  EXPECT_FALSE(museum->amount_usd.has_value());
  EXPECT_EQ(museum->name,
            "Chinese Embassy to Pakistan donates materials to Lok Virsa Museum of Islamabad "
            "Pakistan");
}

TEST(ReadSitesTest, GenericFileAndErrors) {
  TempDir dir;
  const std::string good = (dir / "my_sites.geojson").string();
  WriteFile(good, R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"Gwadar port","sector":"Transport","status":"open",
      "id":"gw-1"},
     "geometry":{"type":"Polygon","coordinates":[[[62.3,25.1],[62.4,25.1],[62.4,25.2],[62.3,25.1]]]}},
    {"type":"Feature","properties":{"name":"Mast"},
     "geometry":{"type":"Point","coordinates":[73.05,33.69]}}]})");
  auto sites = ReadSites(good);
  ASSERT_TRUE(sites.has_value()) << sites.error().message;
  ASSERT_EQ(sites->size(), 2u);
  EXPECT_EQ((*sites)[0].name, "Gwadar port");
  EXPECT_EQ((*sites)[0].sector, "Transport");
  EXPECT_EQ((*sites)[0].status, "open");
  EXPECT_EQ((*sites)[0].provenance.source_id, "gw-1");
  EXPECT_EQ((*sites)[0].id, RecordId("my_sites", "gw-1"));
  EXPECT_EQ((*sites)[0].provenance.dataset, "my_sites");
  EXPECT_EQ((*sites)[1].latitude, 33.69);
  EXPECT_EQ((*sites)[1].longitude, 73.05);
  EXPECT_FALSE((*sites)[1].id.is_nil());
  EXPECT_NE((*sites)[1].id, (*sites)[0].id);

  const std::string bad = (dir / "bad_sites.geojson").string();
  WriteFile(bad, R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"ok"},"geometry":{"type":"Point","coordinates":[70,30]}},
    {"type":"Feature","properties":{"title":"no name"},
     "geometry":{"type":"Point","coordinates":[70,30]}}]})");
  auto r = ReadSites(bad);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("feature 1"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("\"name\""), std::string::npos) << r.error().message;

  // The district shapefile has no "name": feature 0 is named.
  r = ReadSites(Ocha(1, ".shp"));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("feature 0"), std::string::npos) << r.error().message;

  r = ReadSites((dir / "missing.gpkg").string());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST(TitleCaseTest, Sectors) {
  struct Case {
    const char* in;
    const char* want;
  };
  const Case cases[] = {
      {"ENERGY", "Energy"},
      {"TRANSPORT AND STORAGE", "Transport and Storage"},
      {"INDUSTRY, MINING, CONSTRUCTION", "Industry, Mining, Construction"},
      {"OTHER SOCIAL INFRASTRUCTURE AND SERVICES", "Other Social Infrastructure and Services"},
      {"AND THEN", "And Then"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(TitleCase(c.in), c.want) << c.in;
}

}  // namespace
}  // namespace corridor::geo
