// The pinned origins of ../shared/data (SOURCES.md), with the size and sha256 of the exact
// bytes, computed with sha256sum from the shared folder when this table was written. The
// datasets test checks this table against the folder both ways, so it cannot rot silently.
#include <filesystem>

#include "corridor/datasets/catalog.h"
#include "corridor/net/http_client.h"

namespace corridor::datasets {

const std::vector<SourceFile>& Manifest() {
  static const std::vector<SourceFile> kFiles{
      {"aiddata-gcdf-pakistan", "pakistan_development_combined.geojson",
       "aiddata/china-osm-geodata", "33325833f68525dc1f9ac2461f13ac7f147d9dc0",
       "examples/pakistan_maps/pakistan_development_combined.geojson",
       "a129d4ae0c4d561be9b809d15361ea9e61283731aa9da6912f07ad6000a3d3cf", 3308866, "aiddata-gcdf"},
      {"data4pakistan-district-indicators", "2019PSLM_indicators_long2.xlsx",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/raw_indicators/2019PSLM_indicators_long2.xlsx",
       "f6b1b163668a970b18e03f96d7f908f25e4a8847ca4257a9b08f909fdec8df2f", 595852, "data4pakistan"},
      {"data4pakistan-district-indicators", "Povertyheadcount.xlsx", "szhaider/PakIndicatorsApp",
       "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/raw_indicators/Povertyheadcount.xlsx",
       "81579a95569cea5b6c9ecafc70f9a65c564bd7605dfbf5b673ad4161e35621a1", 21300, "data4pakistan"},
      {"data4pakistan-district-indicators", "domain_source_pak_indicators.csv",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/raw_indicators/domain_source_pak_indicators.csv",
       "a9ca54ff2bbcd661c72c6a55d2dd56a97c57a70d2adddff930dd9df068418f16", 39126, "data4pakistan"},
      {"data4pakistan-district-indicators", "pakistan_indicators.csv", "szhaider/PakIndicatorsApp",
       "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/raw_indicators/pakistan_indicators.csv",
       "ee0eefc70bfc55f63d1f4efd27fd889e3ee840ac69289da6390d587d5a87689e", 587488, "data4pakistan"},
      {"geoboundaries-pak", "geoBoundaries-PAK-ADM1.geojson", "aiddata/china-osm-geodata",
       "33325833f68525dc1f9ac2461f13ac7f147d9dc0",
       "examples/pakistan_maps/geoBoundaries-PAK-ADM1.geojson",
       "8ad556ba55ef6c2d837dd5b94219e4815d32747a7f17c36c65c924158f9b01f4", 2094151,
       "geoboundaries-pak"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.cpg",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm0_wfp_20220909.cpg",
       "3ad3031f5503a4404af825262ee8232cc04d4ea6683d42c5dd0a2f2a27ac9824", 5,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.dbf",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm0_wfp_20220909.dbf",
       "08a63f3190660ca7a3c986da11003990cfe9e0049ac0ce628c2d1df01924feba", 667,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.prj",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm0_wfp_20220909.prj",
       "a02a27b1d1982c8516d83398e85a3c8b1aef1713c13ef4d84d7bde17430c07c4", 145,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.shp",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm0_wfp_20220909.shp",
       "41d3059634ac97ff5cc78fe08e8061adb45898edb3861967c74fbe1f003e0c0d", 117552,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.shp.xml",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/"
       "pak_admbnda_adm0_wfp_20220909.shp.xml",
       "742c89104254cc971a7aa5c6dfe307059d0d051232e459ad29b51b1de805786a", 225409,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.shx",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm0_wfp_20220909.shx",
       "46eaeab9161fbdedffa8b9de772b316922eb410a4e5789f3f4a78574f9741fcc", 108,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm1_wfp_20220909.cpg",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm1_wfp_20220909.cpg",
       "3ad3031f5503a4404af825262ee8232cc04d4ea6683d42c5dd0a2f2a27ac9824", 5,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm1_wfp_20220909.dbf",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm1_wfp_20220909.dbf",
       "824f6564538357c3cfb9dc54a8503ee85fe78c28fbd2acac5e385cf8c11f5f11", 3309,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm1_wfp_20220909.prj",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm1_wfp_20220909.prj",
       "a02a27b1d1982c8516d83398e85a3c8b1aef1713c13ef4d84d7bde17430c07c4", 145,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm1_wfp_20220909.shp",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm1_wfp_20220909.shp",
       "ee50549bd952f6a2a7abe38975a3fbfd32c10296dd15be82236bcc09dbed84f9", 314224,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm1_wfp_20220909.shp.xml",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/"
       "pak_admbnda_adm1_wfp_20220909.shp.xml",
       "ca65a676439a47cf4a9f1a862106c6dad2c090a14f0489f79bccf30ff07931ad", 252156,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm1_wfp_20220909.shx",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm1_wfp_20220909.shx",
       "a26822b647442fcb6a38de753fb5a7a21cd79d3ec6f80f8d268084c2fb9e4098", 156,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm2_wfp_20220909.cpg",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm2_wfp_20220909.cpg",
       "3ad3031f5503a4404af825262ee8232cc04d4ea6683d42c5dd0a2f2a27ac9824", 5,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm2_wfp_20220909.dbf",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm2_wfp_20220909.dbf",
       "70ac94585e3719d6bf3d3762c1bfbfeaf35080e13c2d679da9a2081fdcfb3dea", 82562,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm2_wfp_20220909.prj",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm2_wfp_20220909.prj",
       "a02a27b1d1982c8516d83398e85a3c8b1aef1713c13ef4d84d7bde17430c07c4", 145,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm2_wfp_20220909.shp",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm2_wfp_20220909.shp",
       "5c2a973dcbc6e7f8ee12e2ce6f8c5fae3d4bb51695535ed8a3f32e7d1a5841d8", 4090564,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm2_wfp_20220909.shp.xml",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/"
       "pak_admbnda_adm2_wfp_20220909.shp.xml",
       "30f5834af55f3c7e485d7f821a51baa7a98a04d9412d81aea9a325dd4441c130", 460863,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm2_wfp_20220909.shx",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm2_wfp_20220909.shx",
       "d313069fe83254cbd406b365c9df7d77dc61d2cf9cd1f0ecb8aedda1b1da191b", 1380,
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_adminboundaries_tabulardata.xlsx",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adminboundaries_tabulardata.xlsx",
       "e133360fc645024e286b4f5567392aa71fe2fd27a775036f1d54f745373538a3", 159952,
       "ocha-cod-ab-pak-2022"},
      {"osm-islamabad", "Abbottabad_latest.osm.pbf", "saifullah73/covid19-preprocess",
       "7251a2e7f1ccf50d55033f8481ae2a57ef75a269", "OSM/Abbottabad_latest.osm.pbf",
       "39d768328d83295ac2eebadb18139a4248acae5d67ecd3283ee10459a21634b3", 147523, "osm"},
      {"osm-islamabad", "i10.osm", "saifullah73/covid19-preprocess",
       "ab093aa20a2e3b09854a03b24546c3d6da2a8a2e", "OSM/i10.osm",
       "6894c5fa7e9d3d4f2ed9a77fcd45f2df6c19c5aaa3492c285f087cdeb487d72f", 298808, "osm"},
      {"osm-islamabad", "i10.osm.pbf", "saifullah73/covid19-preprocess",
       "7d383e04b57f5b9a13e4b2ab1e6488650187d846", "OSM/i10.osm.pbf",
       "93dafcb42353df9bdd69f20103d8a37f6c5037ffcba8d799bc2a782774ff87fe", 22534, "osm"},
      {"osm-islamabad", "islamabad.osm.pbf", "saifullah73/covid19-preprocess",
       "7d383e04b57f5b9a13e4b2ab1e6488650187d846", "OSM/islamabad.osm.pbf",
       "a1bb0452147474f8e416022df3cc2a8caeef7c2c899380f33ebde4ff03af6037", 1670944, "osm"},
      {"owid-gtd-country-year", "Global Terrorism Database.csv", "owid/notebooks",
       "832635d65296193f7cf37b54e5b6782584422718",
       "EdouardMathieu/global_terrorism_database/output/Global Terrorism Database.csv",
       "f876c1b0edf506d3fba79b43cb84f7191651ca674f2217a2fd8d76248d0ccedd", 107958, "owid-gtd"},
      {"ucdp-ged-pakistan", "pakistan.csv", "BatonVatrushka/afghan",
       "f902e00657968e5c99223537d40e4b422589f19c", "pakistan.csv",
       "e0d201d8ff45918106f06218b42d26afea91aa37a191c91a05267d33a23bad9b", 2970138, "ucdp-ged"},
  };
  return kFiles;
}

const std::vector<DerivedFile>& DerivedFiles() {
  static constexpr char kOcha[] = "ocha-cod-ab-pakistan-2022";
  static constexpr char kGeoJson[] =
      "RFC 7946 GeoJSON converted from the shapefile with pyshp, all attributes kept, "
      "coordinates rounded to 6 decimals (~0.1 m)";
  static constexpr char kXlsx[] = "pak_adminboundaries_tabulardata.xlsx";
  static const std::vector<DerivedFile> kFiles{
      {kOcha, "pak_admbnda_adm0_wfp_20220909.derived.geojson", "pak_admbnda_adm0_wfp_20220909.shp",
       kGeoJson},
      {kOcha, "pak_admbnda_adm1_wfp_20220909.derived.geojson", "pak_admbnda_adm1_wfp_20220909.shp",
       kGeoJson},
      {kOcha, "pak_admbnda_adm2_wfp_20220909.derived.geojson", "pak_admbnda_adm2_wfp_20220909.shp",
       kGeoJson},
      {kOcha, "pak_adminboundaries_tabulardata_Admin1.derived.csv", kXlsx,
       "CSV sheet export of sheet Admin1 of the xlsx"},
      {kOcha, "pak_adminboundaries_tabulardata_Admin2.derived.csv", kXlsx,
       "CSV sheet export of sheet Admin2 of the xlsx"},
      {kOcha, "pak_adminboundaries_tabulardata_Admin3.derived.csv", kXlsx,
       "CSV sheet export of sheet Admin3 of the xlsx"},
  };
  return kFiles;
}

std::string DownloadUrl(const SourceFile& file, std::string_view base_url) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + file.repo + "/" + file.commit + "/" + net::EncodePath(file.path);
}

const SourceFile* FindSourceFile(std::string_view folder, std::string_view name) {
  for (const auto& f : Manifest()) {
    if (f.folder == folder && f.name == name) return &f;
  }
  return nullptr;
}

std::string PreferredPath(const std::string& dir, std::string_view folder, std::string_view name) {
  namespace fs = std::filesystem;
  const fs::path wanted = fs::path(dir) / folder / name;
  std::error_code ec;
  if (fs::exists(wanted, ec)) return wanted.string();
  for (const auto& d : DerivedFiles()) {
    if (d.folder != folder || d.name != name) continue;
    const fs::path original = fs::path(dir) / folder / d.derived_from;
    if (fs::exists(original, ec)) return original.string();
  }
  return wanted.string();
}

}  // namespace corridor::datasets
