// Project identity over the real AidData file (projects/identity.h).
#include "corridor/projects/identity.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "corridor/common/uuid.h"
#include "testing/testing.h"

namespace corridor::projects {
namespace {

const std::vector<AidDataRow>& RealRows() {
  static const auto kRows = [] {
    auto r = ParseAidData(testing::ReadFile(
        testing::SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson")));
    if (!r) throw std::runtime_error(r.error().message);
    return *r;
  }();
  return kRows;
}

const model::Project* ProjectWith(const Grouping& g, std::int64_t aiddata_id) {
  for (const auto& p : g.projects) {
    if (std::count(p.aiddata_ids.begin(), p.aiddata_ids.end(), aiddata_id)) return &p;
  }
  return nullptr;
}

TEST(ProjectIdentity, GwadarPortsFiveFinancingRowsBecomeOneProject) {
  const Grouping g = GroupProjects(RealRows());
  const auto* port = ProjectWith(g, 35124);
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(port->aiddata_ids, (std::vector<std::int64_t>{35124, 38995, 38996, 72688, 72689}));
  EXPECT_EQ(port->name, "Gwadar Port");
  EXPECT_EQ(port->sector, "Transport and Storage");
  EXPECT_EQ(port->status, model::ProjectStatus::kCompletion);
  EXPECT_EQ(port->financing.size(), 5u);
  // The id is UUIDv5 over the sorted ids, whatever the order they are given in.
  const std::int64_t shuffled[] = {72689, 35124, 38996, 72688, 38995};
  EXPECT_EQ(port->id, ProjectId(shuffled));
  EXPECT_EQ(port->id, RecordId("aiddata-project", "35124,38995,38996,72688,72689").str());
  EXPECT_EQ(Uuid::Parse(port->id)->version(), 5);
  // Every row of the project is also joined by footprint (the same OSM port).
  EXPECT_NEAR(
      port->TotalAmount(),
      67659419.5061888 + 48583828.3292826 + 131758650.924411 + 67659419.5061888 + 39286114.5519806,
      1e-3);
  // The free zone inside the port is another sector: kept apart, and reported.
  const auto* zone = ProjectWith(g, 53723);
  ASSERT_NE(zone, nullptr);
  EXPECT_NE(zone->id, port->id);
  // The coastal highway, the airport and the hospital are other projects.
  EXPECT_NE(ProjectWith(g, 35401)->id, port->id);
  EXPECT_NE(ProjectWith(g, 52424)->id, port->id);
  EXPECT_NE(ProjectWith(g, 52542)->id, port->id);
  EXPECT_EQ(ProjectWith(g, 52542)->id, ProjectWith(g, 72695)->id);  // hospital + its study
}

// Issue 17 item 3: the security side's site is the project, not a record.
TEST(ProjectIdentity, APortsSiteIsTheProjectWithItsRecordsAsProvenance) {
  const Grouping g = GroupProjects(RealRows());
  const auto* port = ProjectWith(g, 35124);
  ASSERT_NE(port, nullptr);
  const model::Provenance provenance{"aiddata-gcdf", "2.0", "", "aiddata.geojson", 0};
  const model::Licence licence{"CC-BY-4.0", true, "AidData"};
  const model::Site site = ProjectSite(*port, provenance, licence);
  EXPECT_EQ(site.id.str(), port->id);
  EXPECT_EQ(site.name, "Gwadar Port");
  EXPECT_EQ(site.sector, "Transport and Storage");
  EXPECT_EQ(site.status, "Completion");
  EXPECT_EQ(site.provenance.source_id, "35124,38995,38996,72688,72689");
  EXPECT_EQ(site.provenance.dataset, "aiddata-gcdf");
  EXPECT_EQ(site.licence, licence);
  ASSERT_TRUE(site.amount_usd.has_value());
  EXPECT_NEAR(*site.amount_usd, port->TotalAmount(), 1e-6);
  int earliest = 9999;
  for (const auto& f : port->financing) {
    if (f.commitment_year > 0) earliest = std::min(earliest, f.commitment_year);
  }
  EXPECT_EQ(site.commitment_year, earliest);
  EXPECT_EQ(site.geometry, port->footprint);
  EXPECT_EQ(site.latitude, port->lat);
  EXPECT_EQ(site.longitude, port->lon);
  // Every financier of the five records funds the site.
  for (const auto& f : port->Financiers()) {
    EXPECT_NE(std::find(site.funding_agencies.begin(), site.funding_agencies.end(), f),
              site.funding_agencies.end())
        << f;
  }
  // A project without any amount has none (not 0).
  model::Project bare = *port;
  for (auto& f : bare.financing) f.amount.reset();
  EXPECT_FALSE(ProjectSite(bare, provenance, licence).amount_usd.has_value());
}

TEST(ProjectIdentity, TheGroupingDoesNotDependOnRowOrder) {
  const Grouping a = GroupProjects(RealRows());
  auto rows = RealRows();
  std::mt19937 rng(7);
  std::shuffle(rows.begin(), rows.end(), rng);
  const Grouping b = GroupProjects(rows);
  ASSERT_EQ(a.projects.size(), b.projects.size());
  for (std::size_t i = 0; i < a.projects.size(); ++i) EXPECT_EQ(a.projects[i], b.projects[i]);
  EXPECT_EQ(ReviewReport(a), ReviewReport(b));
}

TEST(ProjectIdentity, TheReviewReportNamesEveryMergeAndItsEvidence) {
  const Grouping g = GroupProjects(RealRows());
  const auto report = ReviewReport(g);
  EXPECT_EQ(report["rows"], 100);
  EXPECT_EQ(report["projects"], g.projects.size());
  std::size_t rows_in_merged = 0;
  for (const auto& m : report["merges"]) {
    rows_in_merged += m["aiddata_ids"].size();
    EXPECT_FALSE(m["evidence"].empty()) << m.dump();
    for (const auto& e : m["evidence"]) {
      EXPECT_LT(e["a"].get<std::int64_t>(), e["b"].get<std::int64_t>());
      const auto reason = e["reason"].get<std::string>();
      EXPECT_TRUE(reason == "linked-ids" || reason == "footprint-overlap");
    }
  }
  // Every row is in exactly one project: merged rows + single-row projects = all rows.
  EXPECT_EQ(rows_in_merged + (g.projects.size() - report["merged_projects"].get<std::size_t>()),
            100u);
  // Links to rows outside this extract (e.g. #35904, a dam package) are listed, not guessed.
  bool found = false;
  for (const auto& l : report["links_outside_file"]) found = found || l["links_to"] == 35904;
  EXPECT_TRUE(found);
  // Cross-sector overlaps are listed as kept apart.
  EXPECT_FALSE(report["overlaps_kept_apart"].empty());
  std::cout << "AidData rows " << g.rows << " -> projects " << g.projects.size()
            << ", merged projects " << report["merged_projects"] << ", merge evidence "
            << g.merges.size() << ", overlaps kept apart " << g.kept_apart.size() << "\n";
}

TEST(ProjectIdentity, DistrictsFromTheOchaBoundaries) {
  Grouping g = GroupProjects(RealRows());
  auto n = AssignDistricts(g.projects, testing::ReadFile(testing::SharedPath(
                                           "data/ocha-cod-ab-pakistan-2022/"
                                           "pak_admbnda_adm2_wfp_20220909.derived.geojson")));
  ASSERT_TRUE(n.has_value()) << n.error().message;
  EXPECT_EQ(*n, g.projects.size());  // every footprint lies in Pakistan
  const auto* port = ProjectWith(g, 35124);
  EXPECT_EQ(port->district_name, "Gwadar");
  EXPECT_EQ(port->province_name, "Balochistan");
}

TEST(ProjectIdentity, BadInputIsNamed) {
  struct Case {
    const char* name;
    const char* geojson;
    const char* want;
  };
  const Case cases[] = {
      {"not json", "{", "FeatureCollection"},
      {"no id", R"j({"features":[{"properties":{},"geometry":null}]})j",
       "/features/0/properties/AidData TUFF Project ID"},
      {"bad date",
       R"j({"features":[{"properties":{"AidData TUFF Project ID":1,
          "Actual Completion Date (MM/DD/YYYY)":"05/10/2011"},"geometry":null}]})j",
       "/features/0/properties/Actual Completion Date"},
      {"point geometry",
       R"j({"features":[{"properties":{"AidData TUFF Project ID":1},
          "geometry":{"type":"Point","coordinates":[62,25]}}]})j",
       "/features/0/geometry: expected Polygon"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ParseAidData(c.geojson);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
  }
}

// Issue 13 §2: an editor's split and merge, applied after the rule.
TEST(ProjectIdentity, AnEditorsMergeJoinsProjectsUnderTheIdOfAllTheirRows) {
  const Grouping base = GroupProjects(RealRows());
  const GroupingDecision merge{GroupingDecision::Kind::kMerge, {35124, 53723}, 1};
  const Grouping g = GroupProjects(RealRows(), std::vector{merge});
  ASSERT_EQ(g.decisions.size(), 1u);
  EXPECT_TRUE(g.decisions[0].applied) << g.decisions[0].why;
  EXPECT_EQ(g.decisions[0].seq, 1);
  const auto* port = ProjectWith(g, 35124);
  ASSERT_NE(port, nullptr);
  // The free zone's rows join the port's five: the id is still UUIDv5 over all of them.
  std::vector<std::int64_t> ids = ProjectWith(base, 35124)->aiddata_ids;
  const auto& zone = ProjectWith(base, 53723)->aiddata_ids;
  ids.insert(ids.end(), zone.begin(), zone.end());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(port->aiddata_ids, ids);
  EXPECT_EQ(port->id, ProjectId(ids));
  EXPECT_EQ(g.projects.size(), base.projects.size() - 1);
  // Every other project is as the rule made it.
  for (const auto& p : base.projects) {
    if (p.id == ProjectWith(base, 35124)->id || p.id == ProjectWith(base, 53723)->id) continue;
    const auto* same = ProjectWith(g, p.aiddata_ids.front());
    ASSERT_NE(same, nullptr);
    EXPECT_EQ(*same, p);
  }
  // The review names the decision as the evidence of the merged project.
  const auto report = ReviewReport(g);
  ASSERT_EQ(report["decisions"].size(), 1u);
  EXPECT_EQ(report["decisions"][0]["kind"], "merge");
  EXPECT_EQ(report["decisions"][0]["applied"], true);
  bool named = false;
  for (const auto& m : report["merges"]) {
    if (m["project_id"] != port->id) continue;
    for (const auto& e : m["evidence"]) named = named || e["reason"] == "editor-merge";
  }
  EXPECT_TRUE(named) << report["merges"].dump();
}

TEST(ProjectIdentity, AnEditorsSplitTakesRowsOutAsAProjectOfTheirOwn) {
  const Grouping base = GroupProjects(RealRows());
  const GroupingDecision split{GroupingDecision::Kind::kSplit, {72695}, 4};
  const Grouping g = GroupProjects(RealRows(), std::vector{split});
  ASSERT_EQ(g.decisions.size(), 1u);
  EXPECT_TRUE(g.decisions[0].applied) << g.decisions[0].why;
  ASSERT_NE(ProjectWith(g, 72695), nullptr);
  EXPECT_EQ(ProjectWith(g, 72695)->aiddata_ids, std::vector<std::int64_t>{72695});
  EXPECT_EQ(ProjectWith(g, 72695)->id, ProjectId(std::vector<std::int64_t>{72695}));
  EXPECT_EQ(ProjectWith(g, 52542)->aiddata_ids, std::vector<std::int64_t>{52542});
  EXPECT_EQ(g.projects.size(), base.projects.size() + 1);
  // Decisions apply in order: merging the study back restores the rule's grouping.
  const GroupingDecision back{GroupingDecision::Kind::kMerge, {52542, 72695}, 5};
  const Grouping again = GroupProjects(RealRows(), std::vector{split, back});
  ASSERT_EQ(again.projects.size(), base.projects.size());
  for (std::size_t i = 0; i < base.projects.size(); ++i) {
    EXPECT_EQ(again.projects[i], base.projects[i]);
  }
  // Still independent of the rows' order.
  auto rows = RealRows();
  std::mt19937 rng(11);
  std::shuffle(rows.begin(), rows.end(), rng);
  const Grouping shuffled = GroupProjects(rows, std::vector{split});
  ASSERT_EQ(shuffled.projects.size(), g.projects.size());
  for (std::size_t i = 0; i < g.projects.size(); ++i)
    EXPECT_EQ(shuffled.projects[i], g.projects[i]);
}

TEST(ProjectIdentity, ADecisionThatNoLongerFitsIsReportedAndChangesNothing) {
  const Grouping base = GroupProjects(RealRows());
  using K = GroupingDecision::Kind;
  const std::vector<GroupingDecision> stale = {
      {K::kMerge, {35124, 99999999}, 1},  // a row no longer in the file
      {K::kMerge, {35124, 38995}, 2},     // already one project
      {K::kSplit, {35124, 53723}, 3},     // rows of two projects
      {K::kSplit, {52542, 72695}, 4},     // the whole project
      {K::kMerge, {35124}, 5},            // one row
  };
  const Grouping g = GroupProjects(RealRows(), stale);
  ASSERT_EQ(g.decisions.size(), stale.size());
  const char* why[] = {"99999999 is not in the file", "already one project", "different projects",
                       "already a project of their own", "two or more rows"};
  for (std::size_t i = 0; i < stale.size(); ++i) {
    EXPECT_FALSE(g.decisions[i].applied) << i;
    EXPECT_EQ(g.decisions[i].seq, stale[i].seq);
    EXPECT_NE(g.decisions[i].why.find(why[i]), std::string::npos)
        << i << ": " << g.decisions[i].why;
  }
  ASSERT_EQ(g.projects.size(), base.projects.size());
  for (std::size_t i = 0; i < base.projects.size(); ++i) EXPECT_EQ(g.projects[i], base.projects[i]);
}

}  // namespace
}  // namespace corridor::projects
