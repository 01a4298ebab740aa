// The OC4IDS and IATI exports (public_side/exports.h) over real AidData
// projects: golden files for a small fixture, and the whole real export
// validated against the official schemas in ../shared/standards by
// independent tools (tests/public/validate_exports.py: python3-jsonschema,
// xmllint).
#include "corridor/public_side/exports.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "corridor/projects/identity.h"
#include "corridor/public_side/disclosure.h"
#include "testing/testing.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

const std::vector<model::Project>& RealProjects() {
  static const auto projects = [] {
    auto rows = projects::ParseAidData(testing::ReadFile(
        testing::SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson")));
    if (!rows) throw std::runtime_error(rows.error().message);
    auto g = projects::GroupProjects(std::move(*rows));
    auto n = projects::AssignDistricts(
        g.projects,
        testing::ReadFile(testing::SharedPath("data/ocha-cod-ab-pakistan-2022/"
                                              "pak_admbnda_adm2_wfp_20220909.derived.geojson")));
    if (!n) throw std::runtime_error(n.error().message);
    return g.projects;
  }();
  return projects;
}

model::Project With(std::int64_t aiddata_id) {
  for (const auto& p : RealProjects()) {
    if (std::count(p.aiddata_ids.begin(), p.aiddata_ids.end(), aiddata_id)) return p;
  }
  throw std::runtime_error("no project with AidData id " + std::to_string(aiddata_id));
}

Publication TestPublication() {
  Publication pub;
  pub.published = "2026-12-01T00:00:00Z";
  pub.today = "2026-12-01";
  return pub;
}

// The fixture: Gwadar Port (five financing rows; exact location withheld to
// its district for workers' safety), the Gwadar hospital (all published) and
// the Sachal wind farm (dates coarsened to month, financing withheld).
std::vector<model::Project> Fixture() {
  auto port = With(35124);
  port.disclosure = {
      {"location", model::Disclosure::kCoarsened, "exact location withheld for workers' safety"}};
  auto hospital = With(52542);
  auto wind = With(52660);
  wind.disclosure = {{"dates", model::Disclosure::kCoarsened, "dates given to the month"},
                     {"financing", model::Disclosure::kWithheld,
                      "financing terms withheld pending the lender's consent"}};
  return {port, hospital, wind};
}

std::string Validate(const std::string& kind, const std::string& text) {
  testing::TempDir dir;
  const auto file = dir / (kind == "oc4ids" ? "export.json" : "export.xml");
  testing::WriteFile(file, text);
  const auto script = testing::TestPath("public/validate_exports.py");
  auto r = testing::RunCommand("python3 " + script.string() + " " + kind + " " + file.string() +
                               " " + testing::SharedPath("standards").string() +
                               (kind == "iati" ? " 2026-12-01" : "") + " 2>&1");
  return (r.status == 0 ? "" : "FAILED ") + r.out;
}

TEST(PublicExports, Oc4idsGoldenAndValid) {
  const json package = ExportOc4ids(Fixture(), TestPublication());
  testing::ExpectGolden("public/projects.oc4ids.golden.json", package.dump(2) + "\n");
  EXPECT_EQ(Validate("oc4ids", package.dump()), "ok oc4ids 3\n");

  const auto& port = package["projects"][0];
  EXPECT_EQ(port["id"], "oc4ids-crdr00-" + With(35124).id);
  EXPECT_EQ(port["title"], "Gwadar Port");
  EXPECT_EQ(port["budget"]["finance"].size(), 5u);
  for (const auto& f : port["budget"]["finance"]) EXPECT_EQ(f["value"]["currency"], "USD");
  // Coarsened location: the district, no geometry.
  ASSERT_EQ(port["locations"].size(), 1u);
  EXPECT_FALSE(port["locations"][0].contains("geometry"));
  EXPECT_EQ(port["locations"][0]["address"]["locality"], "Gwadar");
  EXPECT_NE(port["description"].get<std::string>().find("workers' safety"), std::string::npos);
  // The hospital keeps its footprint.
  EXPECT_EQ(package["projects"][1]["locations"][0]["geometry"]["type"], "MultiPolygon");
  // Withheld financing is absent, not blank.
  EXPECT_FALSE(package["projects"][2].contains("budget"));
  EXPECT_EQ(
      package["projects"][2]["implementationPeriod"]["startDate"].get<std::string>().substr(8),
      "01T00:00:00Z");
}

TEST(PublicExports, IatiGoldenAndValid) {
  const IatiExport out = ExportIati(Fixture(), TestPublication());
  EXPECT_TRUE(out.skipped.empty());
  testing::ExpectGolden("public/activities.iati.golden.xml", out.xml);
  EXPECT_EQ(Validate("iati", out.xml), "ok iati 3\n");
  // The port's exact point is absent (coarsened); the hospital's is there.
  const auto port_at = out.xml.find("Gwadar Port</narrative></title>");
  const auto hospital_at = out.xml.find("<iati-identifier>", port_at);
  ASSERT_NE(port_at, std::string::npos);
  EXPECT_EQ(out.xml.substr(port_at, hospital_at - port_at).find("<point"), std::string::npos);
  EXPECT_NE(out.xml.find("<point", hospital_at), std::string::npos);
}

TEST(PublicExports, TheWholeRealPortfolioValidatesInBothStandards) {
  const auto& all = RealProjects();
  const json package = ExportOc4ids(all, TestPublication());
  EXPECT_EQ(Validate("oc4ids", package.dump()), "ok oc4ids " + std::to_string(all.size()) + "\n");
  const IatiExport iati = ExportIati(all, TestPublication());
  EXPECT_EQ(Validate("iati", iati.xml),
            "ok iati " + std::to_string(all.size() - iati.skipped.size()) + "\n");
  // IATI requires an activity date: AidData gives none for some projects, and
  // those (only those) are left out, each with its reason.
  std::size_t undated = 0;
  for (const auto& p : all) {
    undated += p.planned_start.empty() && p.actual_start.empty() && p.planned_completion.empty() &&
               p.actual_completion.empty();
  }
  EXPECT_EQ(iati.skipped.size(), undated);
  for (const auto& [id, why] : iati.skipped) EXPECT_EQ(why, "no publishable activity date");
  std::cout << "IATI activities " << all.size() - iati.skipped.size() << " of " << all.size()
            << " projects (" << undated << " without any date in AidData)\n";
}

TEST(PublicExports, WithholdingEverythingLeavesNoBlankAndSkipsWhatIatiCannotCarry) {
  auto p = With(35124);
  for (auto field : model::kDisclosableFields) {
    p.disclosure.push_back({std::string(field), model::Disclosure::kWithheld, "test"});
  }
  const json package = ExportOc4ids({p, With(52542)}, TestPublication());
  EXPECT_EQ(Validate("oc4ids", package.dump()), "ok oc4ids 2\n");
  for (const char* key :
       {"locations", "budget", "parties", "implementationPeriod", "publicAuthority"}) {
    EXPECT_FALSE(package["projects"][0].contains(key)) << key;
  }
  const IatiExport iati = ExportIati({p, With(52542)}, TestPublication());
  ASSERT_EQ(iati.skipped.size(), 1u);
  EXPECT_EQ(iati.skipped[0].first, p.id);
  EXPECT_EQ(Validate("iati", iati.xml), "ok iati 1\n");
}

TEST(PublicExports, ActualDatesAfterTodayAreNotExported) {
  auto p = With(52542);
  p.planned_start = "2016-01-01";  // keeps the activity dated
  p.actual_completion = "2030-01-01";
  auto pub = TestPublication();
  const IatiExport iati = ExportIati({p}, pub);
  EXPECT_EQ(iati.xml.find("2030-01-01"), std::string::npos);
  EXPECT_EQ(Validate("iati", iati.xml), "ok iati 1\n");
}

}  // namespace
}  // namespace corridor::public_side
