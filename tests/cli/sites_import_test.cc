// `corridor assets import` of AidData (issue 17 item 3): the sites are the
// physical projects, and a store that an earlier release filled with one site
// per financing record is upgraded in place, its subscriptions moved.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "cli/jobs.h"
#include "corridor/common/uuid.h"
#include "corridor/geo/vector_io.h"
#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor::cli {
namespace {

const char kGwadarPort[] = "1a3898cd-a81b-5481-ae0a-b0e9e841a6f3";  // records 35124, ... 72689

std::string AidData() {
  return testing::SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson")
      .string();
}

TEST(SitesImport, AnOlderStoresFinancingRecordsBecomeTheirProjects) {
  testing::TempDir dir;
  auto opened = store::OpenStore((dir / "sites.db").string());
  ASSERT_TRUE(opened) << opened.error().message;
  store::Store& store = **opened;
  // What an earlier release stored: one site per AidData row.
  auto records = geo::ReadSites(AidData());
  ASSERT_TRUE(records) << records.error().message;
  ASSERT_EQ(records->size(), 100u);
  ASSERT_TRUE(store.UpsertSites(*records));
  ASSERT_TRUE(store.AddOrganisation({"PK-A", {}, true, "2024-01-01T00:00:00Z"}));
  model::User guard;
  guard.username = "guard";
  guard.org = "PK-A";
  guard.roles = {model::Role::kSiteSecurity};
  guard.password_hash = "x";
  guard.created = "2024-01-01T00:00:00Z";
  ASSERT_TRUE(store.AddUser(guard));
  // The guard follows two of the port's five records, and a record of the
  // Lahore metro.
  const Uuid port_loan = RecordId("aiddata-gcdf", "35124");
  const Uuid port_grant = RecordId("aiddata-gcdf", "72688");
  const Uuid metro = RecordId("aiddata-gcdf", "37280");
  for (const Uuid& site : {port_loan, port_grant, metro}) {
    ASSERT_TRUE(store.PutSubscription({"guard", site, 20'000, "2024-02-01T00:00:00Z", ""}));
  }

  auto summary = ImportSites(store, AidData());
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_EQ(summary->records, 100);
  EXPECT_EQ(summary->sites, 62);
  EXPECT_EQ(summary->projects.size(), 62u);
  EXPECT_EQ(summary->inserted, 62);
  EXPECT_EQ(summary->retired, 100);
  EXPECT_EQ(summary->superseded, 100);         // every record belongs to a project
  EXPECT_EQ(summary->subscriptions_moved, 3);  // the port's two merge into one

  auto sites = store.ListSites();
  ASSERT_TRUE(sites);
  ASSERT_EQ(sites->size(), 62u);
  int ports = 0;
  for (const auto& s : *sites) ports += s.name == "Gwadar Port";
  EXPECT_EQ(ports, 1);  // not four rows of Gwadar Port
  const Uuid port = *Uuid::Parse(kGwadarPort);
  auto site = store.GetSite(port);
  ASSERT_TRUE(site) << site.error().message;
  EXPECT_EQ(site->provenance.source_id, "35124,38995,38996,72688,72689");
  // The old record still answers (an assessment may link it) and names its project.
  ASSERT_TRUE(store.GetSite(port_loan));
  EXPECT_EQ(*store.SiteSuccessor(port_loan), port);

  auto subs = store.ListSubscriptions("guard");
  ASSERT_TRUE(subs);
  ASSERT_EQ(subs->size(), 2u);
  std::vector<std::string> followed;
  for (const auto& s : *subs) followed.push_back(s.site_name);
  std::sort(followed.begin(), followed.end());
  EXPECT_EQ(followed,
            (std::vector<std::string>{"Gwadar Port", "Lahore Orange Line Metro Train Project"}));

  // Importing the same file again changes nothing.
  auto again = ImportSites(store, AidData());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->unchanged, 62);
  EXPECT_EQ(again->retired, 0);
}

}  // namespace
}  // namespace corridor::cli
