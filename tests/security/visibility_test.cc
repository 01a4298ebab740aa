// One policy: the store's visibility filter (SQL) and auth::MayRead (C++)
// agree on every combination of principal and marking, so a list, a count
// and a by-id read can never disagree with the decision function.
#include <gtest/gtest.h>

#include <set>

#include "corridor/auth/accounts.h"
#include "corridor/auth/policy.h"
#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor {
namespace {

using model::Marking;
using model::Tlp;

std::vector<Marking> AllMarkings() {
  std::vector<Marking> out;
  const std::vector<std::pair<std::string, std::string>> authors = {
      {"a1", "PK-A"}, {"b1", "PK-B"}, {"", ""}};  // "" = imported data
  const std::vector<model::Distribution> distributions = {
      {},
      {{"a2"}, {}, ""},
      {{"b1", "c1"}, {}, ""},
      {{}, {"PK-B"}, ""},
      {{}, {"PK-A", "PK-C"}, ""},
      {{}, {}, "bilateral"},
      {{}, {}, "regional"},
  };
  for (int t = 0; t < model::kTlpCount; ++t) {
    for (const auto& [author, org] : authors) {
      for (const auto& d : distributions) {
        Marking m;
        m.tlp = static_cast<Tlp>(t);
        m.author = author;
        m.author_org = org;
        m.distribution = d;
        out.push_back(m);
      }
    }
  }
  return out;
}

std::vector<auth::Principal> AllPrincipals() {
  std::vector<auth::Principal> out;
  const std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> people = {
      {"a1", "PK-A", {"bilateral"}},
      {"a2", "PK-A", {"bilateral"}},
      {"b1", "PK-B", {"bilateral", "regional"}},
      {"c1", "PK-C", {"regional"}},
  };
  for (const auto& [user, org, groups] : people) {
    for (int r = 0; r < model::kRoleCount; ++r) {
      for (int how = 0; how < 3; ++how) {  // session without / with TOTP, token
        auth::Principal p;
        p.username = user;
        p.org = org;
        p.trust_groups = groups;
        p.roles = {static_cast<model::Role>(r)};
        p.mfa = how == 1;
        p.via_token = how == 2;
        out.push_back(p);
      }
    }
  }
  return out;
}

TEST(VisibilityTest, StoreFilterAgreesWithMayReadEverywhere) {
  testing::TempDir dir;
  auto store = store::OpenStore((dir.path() / "v.db").string());
  ASSERT_TRUE(store);
  const auto markings = AllMarkings();
  std::vector<model::Incident> incidents;
  for (std::size_t i = 0; i < markings.size(); ++i) {
    model::Incident inc;
    inc.id = Uuid::V4();
    inc.provenance = {"manual", "", "", "test", static_cast<std::int64_t>(i)};
    inc.date_start = inc.date_end = *Date::FromYmd(2031, 1, 1 + static_cast<int>(i % 28));
    inc.latitude = 30.0;
    inc.longitude = 70.0;
    inc.headline = "probe word";
    inc.marking = markings[i];
    incidents.push_back(inc);
  }
  ASSERT_TRUE((*store)->UpsertIncidents(incidents));
  int checked = 0, visible_pairs = 0;
  for (const auto& p : AllPrincipals()) {
    const store::Viewer viewer = auth::ViewerFor(p);
    std::set<std::string> want;
    for (const auto& inc : incidents) {
      if (auth::MayRead(p, inc.marking)) want.insert(inc.id.str());
    }
    for (const bool text : {false, true}) {
      model::IncidentFilter f;
      if (text) f.text = "probe";
      auto page = (*store)->QueryIncidents(viewer, f, {.limit = 10'000, .cursor = ""});
      ASSERT_TRUE(page);
      std::set<std::string> got;
      for (const auto& i : page->items) got.insert(i.id.str());
      const std::string who = p.username + "/" + std::string(model::RoleName(p.roles[0])) +
                              (p.mfa ? "/mfa" : "") + (p.via_token ? "/token" : "");
      EXPECT_EQ(got, want) << who << (text ? " (text search)" : "");
      auto count = (*store)->CountIncidents(viewer, f);
      ASSERT_TRUE(count);
      EXPECT_EQ(*count, static_cast<std::int64_t>(want.size())) << who;
    }
    for (const auto& inc : incidents) {
      const bool may = want.count(inc.id.str()) > 0;
      auto got = (*store)->GetIncident(viewer, inc.id);
      EXPECT_EQ(got.has_value(), may) << p.username;
      if (!got) {
        EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
      }
      ++checked;
      visible_pairs += may;
    }
  }
  EXPECT_EQ(checked, 12 * model::kRoleCount * 105);  // 12 principals per role
  // Both outcomes occur often: the comparison is not between two empty sets.
  EXPECT_GT(visible_pairs, 500);
  EXPECT_LT(visible_pairs, checked - 500);
}

}  // namespace
}  // namespace corridor
