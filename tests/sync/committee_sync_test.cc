// A committee's objects over TAXII (issue 15 "done means"): PK-NACTA's
// secretary records a meeting with CN-MPS, two decisions and three actions
// (one for CN-MPS, due yesterday) and pushes them to CN-MPS's instance, a real
// `corridor serve` on loopback; its committee user then sees the overdue action.
#include <gtest/gtest.h>

#include <algorithm>

#include "corridor/common/date.h"
#include "sync_harness.h"

namespace corridor {
namespace {

using sync_testing::Instance;
using sync_testing::json;
using sync_testing::Q;

std::string Day(int from_today) {
  auto today = Date::ParseIso(NowTimestamp().substr(0, 10));
  return Date(today->days() + from_today).iso();
}

std::string IdOf(const testing::CommandResult& r) {
  EXPECT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out, nullptr, false);
  return j.is_object() ? j.value("id", "") : "";
}

TEST(CommitteeSyncTest, CnMpsInstanceReceivesTheCommitteeOverTaxii) {
  testing::TempDir dir;
  Instance nacta(dir.path(), "nacta");
  Instance mps(dir.path(), "mps");
  nacta.MustRun("orgs add PK-NACTA --own --trust-group bilateral");
  nacta.MustRun("orgs add CN-MPS --trust-group bilateral");
  nacta.MustRun("orgs add PK-FC --trust-group bilateral");
  mps.MustRun("orgs add CN-MPS --own --trust-group bilateral");
  mps.MustRun("orgs add PK-NACTA --trust-group bilateral");
  const std::string secretary = nacta.TokenFor("nacta-secretary", "PK-NACTA", "committee");
  const std::string mps_committee = mps.TokenFor("mps-committee", "CN-MPS", "committee");
  // CN-MPS issues PK-NACTA's instance a partner token; each pins the other's key.
  const std::string push_token = mps.TokenFor("sync-nacta", "PK-NACTA");
  mps.Start();
  nacta.MustRun("sync add-partner --name mps --org CN-MPS --url " + mps.url() +
                    " --api-root bilateral --public-key " + mps.PublicKey(),
                push_token);
  mps.MustRun(
      "sync add-partner --name nacta --org PK-NACTA --url http://127.0.0.1:9 --api-root "
      "bilateral --public-key " +
          nacta.PublicKey(),
      "unused-token");

  const std::string as_secretary = "CORRIDOR_TOKEN=" + Q(secretary);
  const std::string jwg = "'PK-CN Joint Working Group'";
  ASSERT_FALSE(
      IdOf(nacta.Run("--json committees add " + jwg + " --org CN-MPS", "", as_secretary)).empty());
  const std::string meeting =
      IdOf(nacta.Run("--json meetings add --committee " + jwg + " --date " + Day(-2) +
                         " --place Islamabad --present CN-MPS --present PK-NACTA",
                     "", as_secretary));
  const std::string d1 = IdOf(nacta.Run("--json decisions add --committee " + jwg + " --meeting " +
                                            meeting + " --text 'Escort convoys'",
                                        "", as_secretary));
  IdOf(nacta.Run("--json decisions add --committee " + jwg + " --text 'Open a liaison desk'", "",
                 as_secretary));
  const std::string late = IdOf(nacta.Run("--json actions add --committee " + jwg +
                                              " --title 'Share the route survey' --owner-org "
                                              "CN-MPS --due " +
                                              Day(-1) + " --decision " + d1,
                                          "", as_secretary));
  IdOf(nacta.Run("--json actions add --committee " + jwg +
                     " --title 'Staff the desk' --owner-org CN-MPS --due " + Day(14),
                 "", as_secretary));
  IdOf(nacta.Run("--json actions add --committee " + jwg +
                     " --title 'Escort plan' --owner-org PK-NACTA --due " + Day(-1),
                 "", as_secretary));

  auto r = nacta.Run("--json committees share " + jwg + " --to CN-MPS --push", "", as_secretary);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const json pushed = json::parse(r.out);
  EXPECT_EQ(pushed["objects"], 7) << r.out;
  ASSERT_EQ(pushed["pushed"].size(), 1u) << r.out;
  EXPECT_EQ(pushed["pushed"][0]["partner"], "mps");
  EXPECT_EQ(pushed["pushed"][0]["failures"], 0) << r.out;
  EXPECT_GE(pushed["pushed"][0]["successes"].get<int>(), 7) << r.out;

  r = mps.Run("--json actions list --overdue --org CN-MPS", "",
              "CORRIDOR_TOKEN=" + Q(mps_committee));
  ASSERT_EQ(r.status, 0) << r.err;
  const json listed = json::parse(r.out);
  ASSERT_EQ(listed["actions"].size(), 1u) << r.out;
  EXPECT_EQ(listed["actions"][0]["id"], late);
  EXPECT_EQ(listed["actions"][0]["author_org"], "PK-NACTA");
  r = mps.Run("--json actions list", "", "CORRIDOR_TOKEN=" + Q(mps_committee));
  EXPECT_EQ(json::parse(r.out)["actions"].size(), 3u) << r.out;

  // Pushed again: nothing changes. Both sides audited the crossing.
  r = nacta.Run("--json committees share " + jwg + " --to CN-MPS --push", "", as_secretary);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_EQ(json::parse(r.out)["pushed"][0]["failures"], 0) << r.out;
  r = mps.Run("--json actions list", "", "CORRIDOR_TOKEN=" + Q(mps_committee));
  EXPECT_EQ(json::parse(r.out)["actions"].size(), 3u) << r.out;

  // A judicial request travels the same way: PK-NACTA's part, pushed, is tracked at CN-MPS.
  const std::string request = IdOf(
      nacta.Run("--json judicial add --type mla --requesting PK-NACTA --requested CN-MPS --offence "
                "terrorist-bombing --reference NACTA/2026/77",
                "", as_secretary));
  ASSERT_EQ(nacta.Run("judicial send " + request, "", as_secretary).status, 0);
  r = nacta.Run("--json judicial share " + request + " --to CN-MPS --push", "", as_secretary);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_EQ(json::parse(r.out)["pushed"][0]["failures"], 0) << r.out;
  r = mps.Run("--json judicial show " + request, "", "CORRIDOR_TOKEN=" + Q(mps_committee));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["state"], "sent") << r.out;
  EXPECT_EQ(json::parse(r.out)["author_org"], "PK-NACTA") << r.out;
  mps.Stop();
  for (const auto& [instance, action] :
       {std::pair{&nacta, "sync-push"}, std::pair{&mps, "sync-receive"}}) {
    auto store = instance->OpenStore();
    ASSERT_TRUE(store);
    store::AuditQuery q;
    q.action = action;
    auto entries = store->ListAudit(q);
    ASSERT_TRUE(entries) << entries.error().message;
    bool names_late = false;
    for (const auto& e : *entries) {
      names_late =
          names_late || std::find(e.objects.begin(), e.objects.end(), late) != e.objects.end();
    }
    EXPECT_TRUE(names_late) << action;
  }

  // No partner instance of PK-FC is configured: said so, nothing sent.
  IdOf(nacta.Run("--json committees add 'PK internal' --org PK-FC", "", as_secretary));
  r = nacta.Run("committees share 'PK internal' --to PK-FC --push", "", as_secretary);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.err.find("no partner instance of PK-FC"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace corridor
