// Unit tests of the armed-organisation tables and tally (risk/organisations.h):
// every malformed row is refused naming its file and line, names are matched
// ignoring case and spacing per dataset, and an incident counts once per
// organisation with the right role. The real data is in risk_data_test.
#include "corridor/risk/organisations.h"

#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace corridor::risk {

void PrintTo(const Tally& t, std::ostream* os) {
  *os << "{" << t.key << ", " << t.incidents << ", " << t.deaths << "}";
}

namespace {

const std::string kOrgHeader = "id\ten\tur\tzh\tparent\taliases\n";
const std::string kNameHeader = "source\tname\tkind\torganisation\n";

const std::string kOrgs = kOrgHeader +
                          "# a comment\n"
                          "ttp\tTehrik-i-Taliban Pakistan\tتحریک طالبان "
                          "پاکستان\t巴基斯坦塔利班运动\t\tPakistani Taliban\n"
                          "ttp-km\tTTP-KM\t\t\tttp\t\n"
                          "bla\tBaloch Liberation Army\t\t俾路支解放军\t\t\n";
const std::string kNames = kNameHeader +
                           "ucdp-ged\tTTP\torganisation\tttp\n"
                           "gtd\tTehrik-i-Taliban Pakistan (TTP)\torganisation\tttp\n"
                           "ucdp-ged\tTTP-KM\torganisation\tttp-km\n"
                           "*\tBLA\torganisation\tbla\n"
                           "ucdp-ged\tGovernment of Pakistan\tstate\t\n"
                           "ucdp-ged\tCivilians\tcivilians\t\n"
                           "ucdp-ged\tMohajir\tethnic-or-communal\t\n";

ActorTable Table() {
  auto t = ActorTable::Parse(kOrgs, "orgs.tsv", kNames, "names.tsv");
  EXPECT_TRUE(t) << t.error().message;
  return std::move(*t);
}

TEST(ActorTableTest, RefusesEachMalformedRowNamingFileAndLine) {
  struct Case {
    std::string orgs, names, want;
  };
  const std::vector<Case> cases = {
      {kOrgHeader + "ttp\tTTP\t\t\t\n", kNameHeader, "orgs.tsv:2: expected 6 tab-separated"},
      {"ttp\tTTP\t\t\t\t\n", kNameHeader, "orgs.tsv:1: expected the header line first"},
      {kOrgHeader + "TTP\tTTP\t\t\t\t\n", kNameHeader, "orgs.tsv:2: id: lower-case"},
      {kOrgHeader + "ttp\tTTP\t\t\t\t\nttp\tAgain\t\t\t\t\n", kNameHeader,
       "orgs.tsv:3: id ttp appears twice"},
      {kOrgHeader + "ttp\t \t\t\t\t\n", kNameHeader, "orgs.tsv:2: en: required"},
      {kOrgHeader + "ttp\tTTP\tTTP\t\t\t\n", kNameHeader, "orgs.tsv:2: ur: not in Arabic script"},
      {kOrgHeader + "ttp\tTTP\t\t巴基斯坦塔利班運動\t\t\n", kNameHeader,
       "orgs.tsv:2: zh: not in simplified"},
      {kOrgHeader + "ttp\tTTP\t\t\tnone\t\n", kNameHeader, "parent none is not another listed"},
      {kOrgHeader + "ttp\tTTP\t\t\tttp\t\n", kNameHeader, "parent ttp is not another listed"},
      {kOrgs, kNameHeader + "ucdp\tTTP\torganisation\tttp\n", "names.tsv:2: source: one of"},
      {kOrgs, kNameHeader + "ucdp-ged\tTTP\tgroup\t\n", "names.tsv:2: kind: one of"},
      {kOrgs, kNameHeader + "ucdp-ged\tTTP\torganisation\tnope\n",
       "names.tsv:2: organisation: 'nope' is not listed in orgs.tsv"},
      {kOrgs, kNameHeader + "ucdp-ged\tMohajir\tethnic-or-communal\tttp\n",
       "names.tsv:2: organisation: only a name of kind organisation"},
      {kOrgs, kNameHeader + "ucdp-ged\tTTP\torganisation\tttp\nucdp-ged\t ttp \tstate\t\n",
       "names.tsv:3: ' ttp ' of ucdp-ged is classified twice"},
      {kOrgs, kNameHeader + "ucdp-ged\t\torganisation\tttp\n", "names.tsv:2: name: required"},
      {kOrgs, "", "names.tsv: no header line"},
  };
  for (const auto& c : cases) {
    auto t = ActorTable::Parse(c.orgs, "orgs.tsv", c.names, "names.tsv");
    ASSERT_FALSE(t) << c.want;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(t.error().message.find(c.want), std::string::npos)
        << "got: " << t.error().message << "\nwant: " << c.want;
  }
}

TEST(ActorTableTest, ClassifiesPerDatasetIgnoringCaseAndSpacing) {
  const ActorTable t = Table();
  auto c = t.Classify("ucdp-ged", " ttp ");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->kind, ActorKind::kOrganisation);
  ASSERT_NE(c->organisation, nullptr);
  EXPECT_EQ(c->organisation->id, "ttp");
  // A name listed for one dataset is not classified for another.
  EXPECT_FALSE(t.Classify("acled", "TTP"));
  EXPECT_EQ(t.Classify("gtd", "Tehrik-i-Taliban Pakistan (TTP)")->organisation->id, "ttp");
  // "*" rows apply to every dataset.
  EXPECT_EQ(t.Classify("acled", "bla")->organisation->id, "bla");
  auto state = t.Classify("ucdp-ged", "Government of Pakistan");
  ASSERT_TRUE(state);
  EXPECT_EQ(state->kind, ActorKind::kState);
  EXPECT_EQ(state->organisation, nullptr);
  EXPECT_FALSE(t.Classify("ucdp-ged", "Unknown side"));
  EXPECT_FALSE(t.Classify("ucdp-ged", "   "));
  // The organisation learns its source names and is found by any name.
  const ArmedOrganisation* ttp = t.Find("ttp");
  ASSERT_NE(ttp, nullptr);
  EXPECT_EQ(ttp->source_names,
            (std::vector<std::string>{"ucdp-ged: TTP", "gtd: Tehrik-i-Taliban Pakistan (TTP)"}));
  for (const char* q : {"", "taliban", "PAKISTANI", "طالبان", "塔利班", "Tehrik-i-Taliban"}) {
    EXPECT_TRUE(ActorTable::Matches(*ttp, q)) << q;
  }
  EXPECT_FALSE(ActorTable::Matches(*ttp, "Baloch"));
  EXPECT_EQ(t.Find("nope"), nullptr);
}

TEST(ActorTableTest, TheBuiltInTablesParse) {
  auto t = ActorTable::Builtin();
  ASSERT_TRUE(t) << t.error().message;
  EXPECT_GE((*t)->organisations().size(), 20u);
  // Every organisation is named by at least one source name; no state, group
  // or person is an organisation.
  for (const auto& o : (*t)->organisations()) {
    EXPECT_FALSE(o.source_names.empty()) << o.id;
  }
  for (const char* name : {"Government of Pakistan", "Mohajir", "Pashtun", "Turi", "MQM",
                           "Forces of Shah Sahib", "Civilians", "Kashmir insurgents"}) {
    auto c = (*t)->Classify("ucdp-ged", name);
    ASSERT_TRUE(c) << name;
    EXPECT_NE(c->kind, ActorKind::kOrganisation) << name;
  }
}

model::Incident Event(int year, std::vector<std::string> parties,
                      std::vector<std::string> perpetrators, std::optional<int> killed) {
  model::Incident i;
  i.id = Uuid::V4();
  i.provenance.dataset = "ucdp-ged";
  i.date_start = *Date::FromYmd(year, 6, 1);
  i.date_end = i.date_start;
  i.admin1 = "PK2";
  i.admin2 = year == 2010 ? "PK226" : "";
  i.parties = std::move(parties);
  i.perpetrators = std::move(perpetrators);
  i.killed = killed;
  if (killed) {
    i.killed_low = *killed - 1;
    i.killed_high = *killed + 2;
  }
  return i;
}

TEST(OrganisationTallyTest, CountsAnIncidentOncePerOrganisationWithItsRole) {
  const ActorTable t = Table();
  OrganisationTally tally(t);
  tally.Add(Event(2010, {"Government of Pakistan", "TTP"}, {}, 5));
  // Named twice (as a side and as the perpetrator): counts once, as perpetrator.
  tally.Add(Event(2012, {"TTP", "Civilians"}, {"TTP"}, 3));
  // Two organisations: one incident for each, each the other's counterpart.
  tally.Add(Event(2012, {"TTP-KM", "BLA", "Mohajir", "Somebody"}, {}, std::nullopt));
  tally.Add(Event(2013, {"Government of Pakistan", "Civilians"}, {}, 1));

  const auto profiles = tally.Profiles();
  ASSERT_EQ(profiles.size(), 3u);
  const OrganisationProfile& ttp = profiles[0];
  EXPECT_EQ(ttp.organisation->id, "ttp");
  EXPECT_EQ(ttp.incidents, 2);
  EXPECT_EQ(ttp.as_perpetrator, 1);
  EXPECT_EQ(ttp.as_party, 1);
  EXPECT_EQ(ttp.deaths_best, 8);
  EXPECT_EQ(ttp.deaths_low, 6);
  EXPECT_EQ(ttp.deaths_high, 12);
  EXPECT_EQ(ttp.without_deaths, 0);
  EXPECT_EQ(ttp.first, Date::FromYmd(2010, 6, 1));
  EXPECT_EQ(ttp.last, Date::FromYmd(2012, 6, 1));
  // Every year between the first and the last, with none as zero.
  EXPECT_EQ(ttp.by_year, (std::vector<Tally>{{"2010", 1, 5}, {"2011", 0, 0}, {"2012", 1, 3}}));
  EXPECT_EQ(ttp.districts, (std::vector<Tally>{{"PK226", 1, 5}, {"", 1, 3}}));
  EXPECT_EQ(ttp.counterpart_kinds, (std::vector<Tally>{{"state", 1, 5}, {"civilians", 1, 3}}));
  EXPECT_TRUE(ttp.counterparts.empty());
  EXPECT_EQ(ttp.incident_ids.size(), 2u);

  const auto bla = tally.Profile(*t.Find("bla"));
  EXPECT_EQ(bla.incidents, 1);
  EXPECT_EQ(bla.without_deaths, 1);
  EXPECT_EQ(bla.counterparts, (std::vector<Tally>{{"ttp-km", 1, 0}}));
  EXPECT_EQ(bla.counterpart_kinds, (std::vector<Tally>{{"ethnic-or-communal", 1, 0}}));
  // An organisation without incidents has a zero profile.
  OrganisationTally empty(t);
  EXPECT_EQ(empty.Profile(*t.Find("ttp")).incidents, 0);
  EXPECT_TRUE(empty.Profiles().empty());

  EXPECT_EQ(tally.added(), 4);
  EXPECT_EQ(tally.unclassified(), (std::set<std::string>{"Somebody"}));
  EXPECT_EQ(tally.kinds().at(ActorKind::kOrganisation), 3);
  EXPECT_EQ(tally.kinds().at(ActorKind::kState), 2);
  EXPECT_EQ(tally.kinds().at(ActorKind::kEthnicOrCommunal), 1);
}

}  // namespace
}  // namespace corridor::risk
