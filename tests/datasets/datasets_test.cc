#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "corridor/common/strings.h"
#include "corridor/datasets/catalog.h"
#include "corridor/datasets/fetch.h"
#include "net/loopback_server.h"
#include "testing/testing.h"

namespace corridor::datasets {
namespace {

namespace fs = std::filesystem;
using corridor::testing::LoopbackServer;
using corridor::testing::TempDir;

bool IsLowerHex(const std::string& s, size_t n) {
  return s.size() == n && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Every file (not directory) under the dataset folders of ../shared/data, as folder/name.
std::set<std::string> SharedDataFiles() {
  std::set<std::string> out;
  const fs::path data = testing::SharedDir() / "data";
  for (const auto& folder : fs::directory_iterator(data)) {
    if (!folder.is_directory()) continue;
    for (const auto& file : fs::directory_iterator(folder.path())) {
      out.insert(folder.path().filename().string() + "/" + file.path().filename().string());
    }
  }
  return out;
}

TEST(ManifestTest, EveryEntryMatchesSharedDataExactly) {
  ASSERT_FALSE(Manifest().empty());
  for (const SourceFile& f : Manifest()) {
    SCOPED_TRACE(f.folder + "/" + f.name);
    const fs::path path = testing::SharedPath("data/" + f.folder + "/" + f.name);
    const std::string bytes = testing::ReadFile(path);
    EXPECT_EQ(static_cast<std::int64_t>(bytes.size()), f.size);
    EXPECT_EQ(Sha256Hex(bytes), f.sha256);
  }
}

TEST(ManifestTest, EverySharedFileIsInManifestOrDerivedList) {
  std::set<std::string> known;
  for (const SourceFile& f : Manifest()) {
    EXPECT_TRUE(known.insert(f.folder + "/" + f.name).second) << "duplicate " << f.name;
  }
  std::set<std::string> derived;
  for (const DerivedFile& d : DerivedFiles()) derived.insert(d.folder + "/" + d.name);
  const std::set<std::string> shared = SharedDataFiles();
  for (const std::string& file : shared) {
    if (file.find(".derived.") != std::string::npos) {
      EXPECT_TRUE(derived.count(file)) << file << " is derived but not in DerivedFiles()";
    } else {
      EXPECT_TRUE(known.count(file)) << file << " is in ../shared/data but not in the manifest";
    }
  }
  for (const std::string& file : derived) {
    EXPECT_TRUE(shared.count(file)) << file << " listed as derived but not in ../shared/data";
  }
  EXPECT_EQ(Manifest().size(), 31u);
  EXPECT_EQ(DerivedFiles().size(), 6u);
}

TEST(ManifestTest, EntriesAreWellFormed) {
  for (const SourceFile& f : Manifest()) {
    SCOPED_TRACE(f.folder + "/" + f.name);
    EXPECT_TRUE(IsLowerHex(f.commit, 40));
    EXPECT_TRUE(IsLowerHex(f.sha256, 64));
    EXPECT_NE(f.repo.find('/'), std::string::npos);
    EXPECT_GT(f.size, 0);
    EXPECT_EQ(f.name.find(".derived."), std::string::npos);
    // The path ends with the file name (files keep their names from the origin).
    ASSERT_GE(f.path.size(), f.name.size());
    EXPECT_EQ(f.path.substr(f.path.size() - f.name.size()), f.name);
    EXPECT_NE(LicenceOf(f.dataset).id, "unknown") << f.dataset;
  }
  for (const DerivedFile& d : DerivedFiles()) {
    SCOPED_TRACE(d.name);
    EXPECT_NE(FindSourceFile(d.folder, d.derived_from), nullptr);
    EXPECT_FALSE(d.how.empty());
  }
}

TEST(ManifestTest, OriginsAsSourcesMdGivesThem) {
  struct Case {
    const char* folder;
    const char* name;
    const char* repo;
    const char* commit;
    const char* path;
    const char* dataset;
  };
  const Case cases[] = {
      {"ucdp-ged-pakistan", "pakistan.csv", "BatonVatrushka/afghan",
       "f902e00657968e5c99223537d40e4b422589f19c", "pakistan.csv", "ucdp-ged"},
      {"owid-gtd-country-year", "Global Terrorism Database.csv", "owid/notebooks",
       "832635d65296193f7cf37b54e5b6782584422718",
       "EdouardMathieu/global_terrorism_database/output/Global Terrorism Database.csv", "owid-gtd"},
      {"ocha-cod-ab-pakistan-2022", "pak_admbnda_adm2_wfp_20220909.shp",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adm_wfp_20220909_shp/pak_admbnda_adm2_wfp_20220909.shp",
       "ocha-cod-ab-pak-2022"},
      {"ocha-cod-ab-pakistan-2022", "pak_adminboundaries_tabulardata.xlsx",
       "szhaider/PakIndicatorsApp", "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/PAK_SHP_2022/pak_adminboundaries_tabulardata.xlsx",
       "ocha-cod-ab-pak-2022"},
      {"data4pakistan-district-indicators", "pakistan_indicators.csv", "szhaider/PakIndicatorsApp",
       "ea7a7333372c96e2848cd5879d9110dc98e4abbc",
       "data-raw/rawdata/raw_indicators/pakistan_indicators.csv", "data4pakistan"},
      {"geoboundaries-pak", "geoBoundaries-PAK-ADM1.geojson", "aiddata/china-osm-geodata",
       "33325833f68525dc1f9ac2461f13ac7f147d9dc0",
       "examples/pakistan_maps/geoBoundaries-PAK-ADM1.geojson", "geoboundaries-pak"},
      {"aiddata-gcdf-pakistan", "pakistan_development_combined.geojson",
       "aiddata/china-osm-geodata", "33325833f68525dc1f9ac2461f13ac7f147d9dc0",
       "examples/pakistan_maps/pakistan_development_combined.geojson", "aiddata-gcdf"},
      {"osm-islamabad", "islamabad.osm.pbf", "saifullah73/covid19-preprocess",
       "7d383e04b57f5b9a13e4b2ab1e6488650187d846", "OSM/islamabad.osm.pbf", "osm"},
      {"osm-islamabad", "i10.osm.pbf", "saifullah73/covid19-preprocess",
       "7d383e04b57f5b9a13e4b2ab1e6488650187d846", "OSM/i10.osm.pbf", "osm"},
      {"osm-islamabad", "i10.osm", "saifullah73/covid19-preprocess",
       "ab093aa20a2e3b09854a03b24546c3d6da2a8a2e", "OSM/i10.osm", "osm"},
      {"osm-islamabad", "Abbottabad_latest.osm.pbf", "saifullah73/covid19-preprocess",
       "7251a2e7f1ccf50d55033f8481ae2a57ef75a269", "OSM/Abbottabad_latest.osm.pbf", "osm"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const SourceFile* f = FindSourceFile(c.folder, c.name);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->repo, c.repo);
    EXPECT_EQ(f->commit, c.commit);
    EXPECT_EQ(f->path, c.path);
    EXPECT_EQ(f->dataset, c.dataset);
  }
  EXPECT_EQ(FindSourceFile("osm-islamabad", "nope"), nullptr);
}

TEST(ManifestTest, DownloadUrlEncodesThePath) {
  const SourceFile* owid = FindSourceFile("owid-gtd-country-year", "Global Terrorism Database.csv");
  ASSERT_NE(owid, nullptr);
  EXPECT_EQ(DownloadUrl(*owid),
            "https://raw.githubusercontent.com/owid/notebooks/"
            "832635d65296193f7cf37b54e5b6782584422718/EdouardMathieu/global_terrorism_database/"
            "output/Global%20Terrorism%20Database.csv");
  const SourceFile* ucdp = FindSourceFile("ucdp-ged-pakistan", "pakistan.csv");
  ASSERT_NE(ucdp, nullptr);
  EXPECT_EQ(DownloadUrl(*ucdp, "http://127.0.0.1:9/"),
            "http://127.0.0.1:9/BatonVatrushka/afghan/f902e00657968e5c99223537d40e4b422589f19c/"
            "pakistan.csv");
}

TEST(ManifestTest, PreferredPathFallsBackToOriginal) {
  TempDir tmp;
  const std::string dir = tmp.path().string();
  const std::string folder = "ocha-cod-ab-pakistan-2022";
  const std::string derived = "pak_admbnda_adm1_wfp_20220909.derived.geojson";
  const fs::path shp = tmp / folder / "pak_admbnda_adm1_wfp_20220909.shp";
  // Neither present: the wanted path, so the caller's error names it.
  EXPECT_EQ(PreferredPath(dir, folder, derived), (tmp / folder / derived).string());
  fs::create_directories(tmp / folder);
  testing::WriteFile(shp, "shp");
  EXPECT_EQ(PreferredPath(dir, folder, derived), shp.string());
  testing::WriteFile(tmp / folder / derived, "{}");
  EXPECT_EQ(PreferredPath(dir, folder, derived), (tmp / folder / derived).string());
}

TEST(VerifyTest, SharedDataMatchesManifest) {
  auto report = Verify((testing::SharedDir() / "data").string());
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_TRUE(report->ok());
  EXPECT_EQ(report->ok_count, static_cast<int>(Manifest().size()));
  EXPECT_EQ(report->derived_present.size(), DerivedFiles().size());
  std::set<std::string> datasets;
  for (const auto& l : report->licences) datasets.insert(l.dataset);
  EXPECT_EQ(datasets,
            (std::set<std::string>{"aiddata-gcdf", "data4pakistan", "geoboundaries-pak",
                                   "ocha-cod-ab-pak-2022", "osm", "owid-gtd", "ucdp-ged"}));
}

TEST(VerifyTest, ReportsMissingWrongSizeAndWrongSha) {
  TempDir tmp;
  const SourceFile* prj =
      FindSourceFile("ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.prj");
  const SourceFile* cpg =
      FindSourceFile("ocha-cod-ab-pakistan-2022", "pak_admbnda_adm0_wfp_20220909.cpg");
  ASSERT_NE(prj, nullptr);
  ASSERT_NE(cpg, nullptr);
  fs::create_directories(tmp / prj->folder);
  testing::WriteFile(tmp / prj->folder / prj->name, "short");
  testing::WriteFile(tmp / cpg->folder / cpg->name, std::string(cpg->size, 'x'));
  auto report = Verify(tmp.path().string());
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_FALSE(report->ok());
  EXPECT_EQ(report->mismatched, 2);
  EXPECT_EQ(report->missing, static_cast<int>(Manifest().size()) - 2);
  EXPECT_EQ(report->ok_count, 0);
  for (const auto& e : report->files) {
    if (e.file.name == prj->name) {
      EXPECT_EQ(e.status, VerifyStatus::kWrongSize);
      EXPECT_NE(e.detail.find("size 5 instead of 145"), std::string::npos) << e.detail;
    } else if (e.file.name == cpg->name) {
      EXPECT_EQ(e.status, VerifyStatus::kWrongSha256);
    } else {
      EXPECT_EQ(e.status, VerifyStatus::kMissing);
    }
  }
  auto none = Verify((tmp / "no-such-dir").string());
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

// A stand-in for raw.githubusercontent.com on loopback: serves the real bytes of the chosen
// manifest files under /<repo>/<commit>/<path>, and `bad_name` with wrong bytes of the same size.
class FakeOrigin {
 public:
  FakeOrigin(const std::set<std::string>& names, const std::string& bad_name) {
    for (const SourceFile& f : Manifest()) {
      if (!names.count(f.name)) continue;
      std::string bytes = testing::ReadFile(testing::SharedPath("data/" + f.folder + "/" + f.name));
      if (f.name == bad_name) {
        for (char& c : bytes) c = static_cast<char>(c ^ 0x5a);
      }
      files_["/" + f.repo + "/" + f.commit + "/" + f.path] = std::move(bytes);
    }
    loop_.server().Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        paths_.push_back(req.path);
      }
      auto it = files_.find(req.path);  // httplib decodes %20 in req.path
      if (it == files_.end()) {
        res.status = 404;
        res.set_content("404: Not Found", "text/plain");
        return;
      }
      res.set_content(it->second, "application/octet-stream");
    });
    loop_.Start();
  }
  std::string base_url() const { return loop_.base_url(); }
  int requests() const { return loop_.requests(); }
  std::vector<std::string> paths() {
    std::lock_guard<std::mutex> lock(mu_);
    return paths_;
  }

 private:
  std::map<std::string, std::string> files_;
  std::mutex mu_;
  std::vector<std::string> paths_;
  LoopbackServer loop_;
};

const std::set<std::string>& SmallFiles() {
  static const std::set<std::string> kNames{
      "pak_admbnda_adm0_wfp_20220909.cpg", "pak_admbnda_adm0_wfp_20220909.prj",
      "pak_admbnda_adm0_wfp_20220909.dbf", "pak_admbnda_adm0_wfp_20220909.shx",
      "pak_admbnda_adm1_wfp_20220909.cpg", "pak_admbnda_adm1_wfp_20220909.prj",
      "pak_admbnda_adm1_wfp_20220909.dbf", "pak_admbnda_adm1_wfp_20220909.shx",
      "pak_admbnda_adm2_wfp_20220909.shx", "Global Terrorism Database.csv"};
  return kNames;
}

TEST(FetchTest, FetchesVerifiesRejectsBadBytesAndSkipsPresentFiles) {
  const std::string bad = "pak_admbnda_adm1_wfp_20220909.dbf";
  FakeOrigin origin(SmallFiles(), bad);
  TempDir tmp;
  const std::string dir = (tmp / "data").string();
  FetchOptions options;
  options.base_url = origin.base_url();
  options.select = [](const SourceFile& f) { return SmallFiles().count(f.name) > 0; };
  std::vector<std::string> reported;
  options.on_file = [&](const FileOutcome& o) { reported.push_back(o.file.name); };
  std::map<std::string, std::uint64_t> progress_bytes;
  options.progress = [&](const SourceFile& f, std::uint64_t bytes, std::uint64_t) {
    progress_bytes[f.name] = bytes;
    return true;
  };

  auto report = Fetch(dir, options);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  const int n = static_cast<int>(SmallFiles().size());
  EXPECT_EQ(static_cast<int>(report->files.size()), n);
  EXPECT_EQ(report->fetched, n - 1);
  EXPECT_EQ(report->failed, 1);
  EXPECT_EQ(report->already_present, 0);
  EXPECT_FALSE(report->ok());
  EXPECT_EQ(static_cast<int>(reported.size()), n);
  EXPECT_EQ(origin.requests(), n);
  for (const FileOutcome& o : report->files) {
    SCOPED_TRACE(o.file.name);
    const fs::path path = fs::path(dir) / o.file.folder / o.file.name;
    EXPECT_EQ(o.path, path.string());
    EXPECT_FALSE(fs::exists(path.string() + ".part"));
    EXPECT_FALSE(fs::exists(path.string() + ".fetch"));
    EXPECT_FALSE(fs::exists(path.string() + ".fetch.part"));
    if (o.file.name == bad) {
      EXPECT_EQ(o.status, FetchStatus::kFailed);
      EXPECT_NE(o.reason.find("sha256"), std::string::npos) << o.reason;
      EXPECT_FALSE(fs::exists(path));
    } else {
      EXPECT_EQ(o.status, FetchStatus::kFetched) << o.reason;
      ASSERT_TRUE(fs::exists(path));
      EXPECT_EQ(Sha256Hex(testing::ReadFile(path)), o.file.sha256);
      EXPECT_EQ(progress_bytes[o.file.name], static_cast<std::uint64_t>(o.file.size));
    }
  }
  // The OWID name has spaces: requested percent-encoded, decoded by the server to the raw path.
  const auto paths = origin.paths();
  EXPECT_NE(std::find(paths.begin(), paths.end(),
                      "/owid/notebooks/832635d65296193f7cf37b54e5b6782584422718/EdouardMathieu/"
                      "global_terrorism_database/output/Global Terrorism Database.csv"),
            paths.end());
  // Licences of the datasets touched, with their attribution text.
  ASSERT_EQ(report->licences.size(), 2u);
  for (const DatasetLicence& l : report->licences) {
    EXPECT_EQ(l.licence, LicenceOf(l.dataset));
    EXPECT_FALSE(l.licence.attribution.empty());
  }
  EXPECT_EQ(report->licences[0].dataset, "ocha-cod-ab-pak-2022");
  EXPECT_EQ(report->licences[0].licence.id, "CC-BY-IGO");
  EXPECT_EQ(report->licences[1].dataset, "owid-gtd");
  EXPECT_EQ(report->derived.size(), 6u);  // the OCHA folder's derived files, not fetched

  // Second run: the good files are already present and not requested again; only the bad
  // one is asked for (and fails again).
  const int before = origin.requests();
  auto again = Fetch(dir, options);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->already_present, n - 1);
  EXPECT_EQ(again->fetched, 0);
  EXPECT_EQ(again->failed, 1);
  EXPECT_EQ(origin.requests() - before, 1);

  // Without the bad file: nothing at all is requested.
  options.select = [&](const SourceFile& f) { return SmallFiles().count(f.name) && f.name != bad; };
  const int before_third = origin.requests();
  auto third = Fetch(dir, options);
  ASSERT_TRUE(third.has_value());
  EXPECT_TRUE(third->ok());
  EXPECT_EQ(third->already_present, n - 1);
  EXPECT_EQ(origin.requests(), before_third);
}

TEST(FetchTest, ReplacesAWrongExistingFileOnlyWithVerifiedBytes) {
  const std::string good = "pak_admbnda_adm0_wfp_20220909.prj";
  const std::string bad = "pak_admbnda_adm1_wfp_20220909.prj";
  FakeOrigin origin({good, bad}, bad);
  TempDir tmp;
  const fs::path folder = tmp / "ocha-cod-ab-pakistan-2022";
  fs::create_directories(folder);
  testing::WriteFile(folder / good, "edited by hand");
  testing::WriteFile(folder / bad, "edited by hand");
  FetchOptions options;
  options.base_url = origin.base_url();
  options.select = [&](const SourceFile& f) { return f.name == good || f.name == bad; };
  auto report = Fetch(tmp.path().string(), options);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->fetched, 1);
  EXPECT_EQ(report->failed, 1);
  EXPECT_EQ(Sha256Hex(testing::ReadFile(folder / good)),
            FindSourceFile(folder.filename().string(), good)->sha256);
  // The bad download did not replace it; the report says the existing file does not match.
  EXPECT_EQ(testing::ReadFile(folder / bad), "edited by hand");
  for (const auto& o : report->files) {
    if (o.file.name == bad) {
      EXPECT_NE(o.reason.find("existing file does not match"), std::string::npos) << o.reason;
    }
  }
}

TEST(FetchTest, HttpErrorsAndConnectionRefusedAreReportedPerFile) {
  FakeOrigin origin({}, "");  // serves nothing: every file is a 404
  TempDir tmp;
  FetchOptions options;
  options.base_url = origin.base_url();
  options.folders = {"osm-islamabad"};
  auto report = Fetch(tmp.path().string(), options);
  ASSERT_TRUE(report.has_value()) << report.error().message;
  EXPECT_EQ(report->failed, 4);
  EXPECT_TRUE(report->derived.empty());
  for (const auto& o : report->files) {
    EXPECT_EQ(o.file.folder, "osm-islamabad");
    EXPECT_NE(o.reason.find("HTTP status 404"), std::string::npos) << o.reason;
    EXPECT_NE(o.reason.find(o.url), std::string::npos) << o.reason;
    EXPECT_FALSE(fs::exists(o.path));
  }
  ASSERT_EQ(report->licences.size(), 1u);
  EXPECT_EQ(report->licences[0].licence.id, "ODbL-1.0");

  options.base_url = "http://127.0.0.1:" + std::to_string(testing::UnusedLoopbackPort());
  options.folders = {"ucdp-ged-pakistan"};
  auto refused = Fetch(tmp.path().string(), options);
  ASSERT_TRUE(refused.has_value()) << refused.error().message;
  ASSERT_EQ(refused->files.size(), 1u);
  const FileOutcome& o = refused->files[0];
  EXPECT_EQ(o.status, FetchStatus::kFailed);
  EXPECT_NE(o.reason.find(o.url), std::string::npos) << o.reason;
  EXPECT_NE(o.reason.find("could not connect"), std::string::npos) << o.reason;
  EXPECT_FALSE(fs::exists(o.path));
  EXPECT_FALSE(fs::exists(o.path + ".fetch.part"));
}

TEST(FetchTest, RejectsBadArguments) {
  auto empty = Fetch("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, ErrorCode::kInvalidArgument);
  TempDir tmp;
  FetchOptions options;
  options.base_url = "ftp://example.org";
  auto bad_url = Fetch(tmp.path().string(), options);
  ASSERT_FALSE(bad_url.has_value());
  EXPECT_EQ(bad_url.error().code, ErrorCode::kInvalidArgument);
  testing::WriteFile(tmp / "file", "x");
  auto not_dir = Fetch((tmp / "file").string(), FetchOptions{});
  ASSERT_FALSE(not_dir.has_value());
  EXPECT_EQ(not_dir.error().code, ErrorCode::kUnavailable);
}

TEST(FetchTest, StatusNames) {
  EXPECT_EQ(FetchStatusName(FetchStatus::kFetched), "fetched");
  EXPECT_EQ(FetchStatusName(FetchStatus::kAlreadyPresent), "already present");
  EXPECT_EQ(FetchStatusName(FetchStatus::kFailed), "failed");
  EXPECT_EQ(VerifyStatusName(VerifyStatus::kWrongSha256), "wrong sha256");
}

}  // namespace
}  // namespace corridor::datasets
