// IngestFile end to end: real UCDP file into a fresh SQLite store.
#include "corridor/ingest/ingest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"
#include "corridor/geo/area_index.h"
#include "corridor/geo/vector_io.h"
#include "corridor/ingest/csv_reader.h"
#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor::ingest {
namespace {

using ::testing::HasSubstr;

std::string UcdpPath() {
  return corridor::testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv").string();
}

std::unique_ptr<store::Store> OpenFresh(const corridor::testing::TempDir& dir,
                                        const std::string& name = "corridor.db") {
  auto store = store::OpenStore((dir / name).string());
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

IngestOptions Options(Format format, const corridor::testing::TempDir& dir) {
  IngestOptions options;
  options.format = format;
  options.rejects_path = (dir / "rejects.csv").string();
  options.batch_size = 1000;  // several batches through the writer thread
  return options;
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in, "rejects.csv", Encoding::kUtf8);
  std::vector<std::vector<std::string>> rows;
  CsvRecord record;
  while (true) {
    auto next = reader.Next(record);
    EXPECT_TRUE(next) << next.error().message;
    if (!next || !*next) break;
    rows.push_back(record.fields);
  }
  return rows;
}

std::set<std::string> AllIds(const store::Store& store) {
  std::set<std::string> ids;
  auto r = store.ForEachIncident(store::SystemViewer(), {}, [&](const model::Incident& inc) {
    ids.insert(inc.id.str());
    EXPECT_EQ(inc.id, RecordId("ucdp-ged", inc.provenance.source_id));
    return true;
  });
  EXPECT_TRUE(r) << r.error().message;
  return ids;
}

TEST(IngestFileTest, RealUcdpFileThenIdempotentReimport) {
  corridor::testing::TempDir dir;
  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  geo::AreaIndex areas;
  auto options = Options(Format::kUcdpGed, dir);
  std::int64_t last_done = -1, last_total = -1;
  int calls = 0;
  options.progress = [&](std::int64_t done, std::int64_t total) {
    EXPECT_GE(done, last_done);
    last_done = done;
    last_total = total;
    ++calls;
  };

  auto first = IngestFile(*store, areas, UcdpPath(), options);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->rows, 5834);
  EXPECT_EQ(first->inserted, 5834);
  EXPECT_EQ(first->updated, 0);
  EXPECT_EQ(first->unchanged, 0);
  EXPECT_EQ(first->rejected, 0);
  EXPECT_EQ(first->rejects_path, "");
  EXPECT_FALSE(std::filesystem::exists(dir / "rejects.csv"));
  EXPECT_EQ(first->unassigned, 5834);  // empty AreaIndex
  EXPECT_EQ(first->format, "ucdp-ged");
  EXPECT_EQ(last_total, 2970138);
  EXPECT_EQ(last_done, 2970138);
  EXPECT_GE(calls, 5);
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), 5834);

  auto inc = store->GetIncident(store::SystemViewer(), RecordId("ucdp-ged", "51720"));
  ASSERT_TRUE(inc) << inc.error().message;
  EXPECT_EQ(inc->date_start, *Date::FromYmd(1990, 3, 27));
  EXPECT_DOUBLE_EQ(*inc->latitude, 25.379167);
  EXPECT_DOUBLE_EQ(*inc->longitude, 68.368333);
  EXPECT_EQ(inc->location_precision, model::LocationPrecision::kExact);
  EXPECT_EQ(inc->category, model::Category::kArmedClash);
  EXPECT_EQ(inc->killed, 1);
  EXPECT_THAT(inc->parties, ::testing::ElementsAre("Mohajir", "Sindhi"));
  EXPECT_EQ(inc->provenance.file, "pakistan.csv");
  EXPECT_EQ(inc->provenance.line, 2);
  EXPECT_EQ(inc->version, 1);
  EXPECT_EQ(inc->admin_method, model::AssignMethod::kNone);

  auto imports = store->ListImports();
  ASSERT_TRUE(imports);
  ASSERT_EQ(imports->size(), 1u);
  EXPECT_EQ((*imports)[0].dataset, "ucdp-ged");
  EXPECT_EQ((*imports)[0].file, UcdpPath());
  EXPECT_EQ((*imports)[0].sha256, Sha256Hex(corridor::testing::ReadFile(UcdpPath())));
  EXPECT_EQ((*imports)[0].rows, 5834);
  EXPECT_EQ((*imports)[0].inserted, 5834);

  last_done = -1;
  auto second = IngestFile(*store, areas, UcdpPath(), options);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->rows, 5834);
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 0);
  EXPECT_EQ(second->unchanged, 5834);
  EXPECT_EQ(second->rejected, 0);
  EXPECT_EQ(store->GetIncident(store::SystemViewer(), RecordId("ucdp-ged", "51720"))->version, 1);
  EXPECT_EQ(store->ListImports()->size(), 2u);
}

// With the OCHA 2022 boundaries: every row with a usable precision gets areas.
TEST(IngestFileTest, RealUcdpAssignedToOchaAreas) {
  std::vector<model::Area> all;
  for (int level = 1; level <= 2; ++level) {
    const std::string name = "data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm" +
                             std::to_string(level) + "_wfp_20220909.shp";
    auto areas = geo::ReadAreas(corridor::testing::SharedPath(name).string(), level);
    ASSERT_TRUE(areas) << areas.error().message;
    all.insert(all.end(), areas->begin(), areas->end());
  }
  auto index = geo::AreaIndex::Build(all);
  ASSERT_TRUE(index) << index.error().message;
  corridor::testing::TempDir dir;
  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  auto summary = IngestFile(*store, *index, UcdpPath(), Options(Format::kUcdpGed, dir));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->rows, 5834);
  // where_prec 6 (country, 7 rows) gets no area; all others are inside or snapped.
  EXPECT_EQ(summary->unassigned, 7);
  EXPECT_EQ(summary->assigned_inside + summary->assigned_snapped, 5827);
  EXPECT_GT(summary->assigned_inside, 5000);

  auto hyderabad = store->GetIncident(store::SystemViewer(), RecordId("ucdp-ged", "51720"));
  ASSERT_TRUE(hyderabad);
  EXPECT_EQ(hyderabad->admin1, "PK7");    // Sindh
  EXPECT_EQ(hyderabad->admin2, "PK706");  // Hyderabad
  EXPECT_EQ(hyderabad->admin_method, model::AssignMethod::kInside);
  auto makran = store->GetIncident(store::SystemViewer(), RecordId("ucdp-ged", "323260"));  // where_prec 5: province
  ASSERT_TRUE(makran);
  EXPECT_EQ(makran->admin1, "PK2");  // Balochistan
  EXPECT_EQ(makran->admin2, "");
}

TEST(IngestFileTest, IdsStableAcrossFreshImports) {
  corridor::testing::TempDir dir;
  auto a = OpenFresh(dir, "a.db");
  auto b = OpenFresh(dir, "b.db");
  ASSERT_TRUE(a && b);
  geo::AreaIndex areas;
  ASSERT_TRUE(IngestFile(*a, areas, UcdpPath(), Options(Format::kUcdpGed, dir)));
  ASSERT_TRUE(IngestFile(*b, areas, UcdpPath(), Options(Format::kUcdpGed, dir)));
  const auto ids_a = AllIds(*a);
  EXPECT_EQ(ids_a.size(), 5834u);
  EXPECT_EQ(ids_a, AllIds(*b));
  EXPECT_TRUE(ids_a.count(RecordId("ucdp-ged", "323260").str()));
}

TEST(IngestFileTest, ChangedRowUpdatesThatIncident) {
  corridor::testing::TempDir dir;
  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  geo::AreaIndex areas;
  ASSERT_TRUE(IngestFile(*store, areas, UcdpPath(), Options(Format::kUcdpGed, dir)));
  const auto before = *store->GetIncident(store::SystemViewer(), RecordId("ucdp-ged", "51720"));

  // Row 51720 says best_est 1; the corrected copy says 3.
  std::string text = corridor::testing::ReadFile(UcdpPath());
  const std::string old_row_end = "03/27/1990 00:00:00,0,0,0,1,1,1,1,\n";
  const auto at = text.find(old_row_end);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, old_row_end.size(), "03/27/1990 00:00:00,0,0,0,1,3,3,1,\n");
  const std::string changed = (dir / "pakistan.csv").string();
  corridor::testing::WriteFile(changed, text);

  auto second = IngestFile(*store, areas, changed, Options(Format::kUcdpGed, dir));
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->updated, 1);
  EXPECT_EQ(second->unchanged, 5833);
  const auto after = *store->GetIncident(store::SystemViewer(), RecordId("ucdp-ged", "51720"));
  EXPECT_EQ(after.killed, 3);
  EXPECT_EQ(after.killed_high, 3);
  EXPECT_EQ(after.version, 2);
  EXPECT_EQ(after.created, before.created);
  EXPECT_GT(after.modified, before.modified);
  EXPECT_EQ(store->GetIncident(store::SystemViewer(), RecordId("ucdp-ged", "51721"))->version, 1);
}

// The first 50 UCDP records, five of them broken in different ways.
TEST(IngestFileTest, MalformedRowsRejectedOthersKept) {
  corridor::testing::TempDir dir;
  std::ifstream in(UcdpPath(), std::ios::binary);
  CsvReader reader(in, "pakistan.csv");
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  const std::vector<std::string> header = record.fields;
  auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  std::string out = CsvLine(header) + "\n";
  std::int64_t line = 2;
  struct Expected {
    std::int64_t line;
    std::string field;
    std::string reason_part;
  };
  std::vector<Expected> expected;
  for (int i = 1; i <= 50; ++i) {
    ASSERT_TRUE(*reader.Next(record));
    auto fields = record.fields;
    std::string text;
    if (i == 5) {
      fields[column("date_start")] = "13/45/1990 00:00:00";
      expected.push_back({line, "date_start", "not a date"});
    } else if (i == 10) {
      fields[column("latitude")] = "95.2";
      expected.push_back({line, "latitude", "outside"});
    } else if (i == 29) {  // a multi-line record: its first physical line is reported
      fields[column("best_est")] = "many";
      expected.push_back({line, "best_est", "not a whole number"});
    } else if (i == 33) {
      fields.pop_back();
      fields.pop_back();  // 46 fields
      expected.push_back({line, "", "expected 47 fields"});
    } else if (i == 39) {
      fields[column("where_description")] = "x\"y";
      text = CsvLine(fields);
      text.replace(text.find("\"x\"\"y\""), 6, "x\"y");  // a stray quote, unquoted
      expected.push_back({line, "", "quote inside an unquoted field"});
    }
    if (text.empty()) text = CsvLine(fields);
    out += text + "\n";
    line += 1 + std::count(text.begin(), text.end(), '\n');
  }
  const std::string path = (dir / "broken.csv").string();
  corridor::testing::WriteFile(path, out);

  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  auto summary = IngestFile(*store, geo::AreaIndex(), path, Options(Format::kUcdpGed, dir));
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->rows, 50);
  EXPECT_EQ(summary->inserted, 45);
  EXPECT_EQ(summary->rejected, 5);
  EXPECT_EQ(summary->rejects_path, (dir / "rejects.csv").string());
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), 45);

  const auto rows = ReadCsv(corridor::testing::ReadFile(dir / "rejects.csv"));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_THAT(rows[0], ::testing::ElementsAre("file", "line", "field", "reason", "raw"));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& row = rows[i + 1];
    ASSERT_EQ(row.size(), 5u);
    EXPECT_EQ(row[0], path);
    EXPECT_EQ(row[1], std::to_string(expected[i].line)) << "reject " << i;
    EXPECT_EQ(row[2], expected[i].field) << "reject " << i;
    EXPECT_THAT(row[3], HasSubstr(expected[i].reason_part)) << "reject " << i;
    EXPECT_FALSE(row[4].empty());
  }
  // The CSV-level error names file:line:column.
  EXPECT_THAT(rows[5][3], HasSubstr(path + ":" + std::to_string(expected[4].line) + ":"));
}

TEST(IngestFileTest, EmptyFileWritesNothing) {
  corridor::testing::TempDir dir;
  const std::string path = (dir / "empty.csv").string();
  corridor::testing::WriteFile(path, "");
  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  auto summary = IngestFile(*store, geo::AreaIndex(), path, Options(Format::kUcdpGed, dir));
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(summary.error().message, HasSubstr(path));
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), 0);
  EXPECT_TRUE(store->ListImports()->empty());
}

TEST(IngestFileTest, WrongHeaderNamesMissingColumns) {
  corridor::testing::TempDir dir;
  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  const std::string gtd =
      corridor::testing::TestPath("fixtures/gtd/gtd_codebook_fixture.csv").string();
  auto summary = IngestFile(*store, geo::AreaIndex(), gtd, Options(Format::kUcdpGed, dir));
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(summary.error().message, HasSubstr(gtd));
  EXPECT_THAT(summary.error().message, HasSubstr("type_of_violence"));
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), 0);
  EXPECT_TRUE(store->ListImports()->empty());
  EXPECT_FALSE(std::filesystem::exists(dir / "rejects.csv"));
}

TEST(IngestFileTest, MissingFileUnavailable) {
  corridor::testing::TempDir dir;
  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  const std::string path = (dir / "nope.csv").string();
  auto summary = IngestFile(*store, geo::AreaIndex(), path, Options(Format::kAcled, dir));
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(summary.error().message, HasSubstr(path));
}

TEST(IngestFileTest, GtdAndAcledFixturesRoundTrip) {
  corridor::testing::TempDir dir;
  auto store = OpenFresh(dir);
  ASSERT_TRUE(store);
  auto gtd = IngestFile(*store, geo::AreaIndex(),
                        corridor::testing::TestPath("fixtures/gtd/gtd_codebook_fixture.csv"),
                        Options(Format::kGtd, dir));
  ASSERT_TRUE(gtd) << gtd.error().message;
  EXPECT_EQ(gtd->inserted, 8);
  auto acled = IngestFile(*store, geo::AreaIndex(),
                          corridor::testing::TestPath("fixtures/acled/acled_format_fixture.csv"),
                          Options(Format::kAcled, dir));
  ASSERT_TRUE(acled) << acled.error().message;
  EXPECT_EQ(acled->inserted, 8);
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), 16);

  auto hostage = store->GetIncident(store::SystemViewer(), RecordId("gtd", "201507079007"));
  ASSERT_TRUE(hostage) << hostage.error().message;
  EXPECT_EQ(hostage->hostages, 14);
  EXPECT_EQ(hostage->date_end, *Date::FromYmd(2015, 7, 10));
  EXPECT_THAT(hostage->target_nationalities, ::testing::ElementsAre("AFG", "IRN"));
  EXPECT_FALSE(hostage->licence.redistribution);
  EXPECT_EQ(store->GetIncident(store::SystemViewer(), RecordId("gtd", "201503049004"))->property_damage, 3);
  auto strike = store->GetIncident(store::SystemViewer(), RecordId("acled", "PAK90004"));
  ASSERT_TRUE(strike);
  EXPECT_EQ(strike->category, model::Category::kRemoteViolence);
  EXPECT_THAT(strike->perpetrators, ::testing::ElementsAre("Fixture Air Force"));
}

}  // namespace
}  // namespace corridor::ingest
