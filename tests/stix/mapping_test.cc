#include "corridor/stix/mapping.h"

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>

#include "corridor/geo/area_index.h"
#include "corridor/ingest/ingest.h"
#include "corridor/stix/exchange.h"
#include "corridor/store/committee.h"
#include "corridor/store/judicial.h"
#include "corridor/store/store.h"
#include "testing/testing.h"

namespace corridor::stix {
namespace {

using nlohmann::json;

// What survives the trip: everything but account names (a marking's author
// and a distribution's users never leave the instance).
model::Incident Exported(model::Incident i) {
  i.marking.author.clear();
  i.marking.distribution.users.clear();
  return i;
}

// Maps to STIX, through JSON text (as on the wire), and back.
Result<model::Incident> RoundTrip(const model::Incident& incident, const ExportContext& context) {
  json objects = json::array();
  for (auto& o : IncidentToStix(incident, context)) objects.push_back(std::move(o));
  const json wire = json::parse(objects.dump());
  ObjectIndex index(wire);
  return IncidentFromStix(wire[0], index);
}

class RealIncidentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto store = store::OpenStore((*dir_ / "real.db").string());
    ASSERT_TRUE(store) << store.error().message;
    geo::AreaIndex no_areas;
    const std::pair<ingest::Format, std::string> files[] = {
        {ingest::Format::kUcdpGed, testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv")},
        {ingest::Format::kGtd, testing::TestPath("fixtures/gtd/gtd_codebook_fixture.csv")},
        {ingest::Format::kAcled, testing::TestPath("fixtures/acled/acled_format_fixture.csv")}};
    for (const auto& [format, path] : files) {
      ingest::IngestOptions options;
      options.format = format;
      options.rejects_path = (*dir_ / "rejects.csv").string();
      auto summary = ingest::IngestFile(**store, no_areas, path, options);
      ASSERT_TRUE(summary) << summary.error().message;
    }
    store_ = store->release();
  }
  static void TearDownTestSuite() {
    delete store_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static store::Store* store_;
};
testing::TempDir* RealIncidentsTest::dir_ = nullptr;
store::Store* RealIncidentsTest::store_ = nullptr;

TEST_F(RealIncidentsTest, EveryRealIncidentSurvivesTheRoundTrip) {
  std::int64_t checked = 0, with_point = 0;
  std::set<std::string> licences;
  auto ok = store_->ForEachIncident(store::SystemViewer(), {}, [&](const model::Incident& i) {
    auto back = RoundTrip(i, {.instance_org = "PK-NACTA"});
    EXPECT_TRUE(back) << i.id.str() << ": " << back.error().message;
    if (back) {
      EXPECT_EQ(*back, Exported(i)) << i.id.str();
    }
    ++checked;
    if (i.latitude) ++with_point;
    licences.insert(i.licence.id);
    return !::testing::Test::HasFailure();
  });
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_GE(checked, 5834);  // every UCDP GED row, plus the GTD and ACLED fixtures
  EXPECT_GT(with_point, 5000);
  // GTD and ACLED licences (not redistributable) travel with their records.
  EXPECT_TRUE(licences.count("GTD-terms") == 1 || licences.size() >= 3) << licences.size();
}

TEST_F(RealIncidentsTest, UcdpIncidentMapsToStandardObjects) {
  const Uuid id = RecordId("ucdp-ged", "51720");
  auto incident = store_->GetIncident(store::SystemViewer(), id);
  ASSERT_TRUE(incident) << incident.error().message;
  const auto objects = IncidentToStix(*incident, {.instance_org = "PK-NACTA"});
  ASSERT_EQ(objects.size(), 4u);
  const json& sdo = objects[0];
  EXPECT_EQ(sdo["type"], "incident");
  EXPECT_EQ(sdo["id"], "incident--" + id.str());
  EXPECT_EQ(sdo["spec_version"], "2.1");
  EXPECT_EQ(sdo["object_marking_refs"],
            json::array({"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"}));
  EXPECT_EQ(sdo["created_by_ref"], OrganisationIdentityId("PK-NACTA"));
  const json& ext = sdo["extensions"][std::string(kCorridorExtensionId)];
  EXPECT_EQ(ext["extension_type"], "property-extension");
  EXPECT_EQ(ext["provenance"]["dataset"], "ucdp-ged");
  EXPECT_EQ(ext["provenance"]["source_id"], "51720");
  EXPECT_EQ(ext["licence"]["id"], incident->licence.id);
  EXPECT_EQ(objects[1]["type"], "location");
  EXPECT_EQ(objects[1]["latitude"], *incident->latitude);
  EXPECT_EQ(objects[1]["country"], "PK");
  EXPECT_EQ(objects[2]["type"], "relationship");
  EXPECT_EQ(objects[2]["relationship_type"], "located-at");
  EXPECT_EQ(objects[2]["source_ref"], sdo["id"]);
  EXPECT_EQ(objects[2]["target_ref"], objects[1]["id"]);
  EXPECT_EQ(objects[3]["type"], "sighting");
  EXPECT_EQ(objects[3]["sighting_of_ref"], sdo["id"]);
  EXPECT_EQ(objects[3]["first_seen"], incident->date_start.iso() + "T00:00:00Z");
  // The same record gives the same ids on every instance.
  EXPECT_EQ(IncidentToStix(*incident, {.instance_org = "CN-MPS"})[1]["id"], objects[1]["id"]);
  const ObjectOrigin origin = OriginOf(sdo);
  EXPECT_EQ(origin.created_by_ref, OrganisationIdentityId("PK-NACTA"));
  EXPECT_TRUE(origin.has_licence);
  EXPECT_EQ(origin.licence, incident->licence);
  EXPECT_EQ(origin.tlp, model::Tlp::kClear);
}

model::Incident ManualIncident() {
  model::Incident i;
  i.id = Uuid::V4();
  i.provenance.dataset = "manual";
  i.date_start = *Date::ParseIso("2026-11-20");
  i.date_end = *Date::ParseIso("2026-11-21");
  i.date_precision = model::DatePrecision::kDays;
  i.latitude = 25.1216;
  i.longitude = 62.3254;
  i.location_precision = model::LocationPrecision::kExact;
  i.location = "Gwadar port access road";
  i.country = "PAK";
  i.admin1 = "PK2";
  i.admin2 = "PK205";
  i.admin_method = model::AssignMethod::kInside;
  i.category = model::Category::kBombing;
  i.target_types = {"transport", "business"};
  i.target_nationalities = {"CHN", "PAK"};
  i.parties = {"Government of Pakistan"};
  i.perpetrators = {"BLA"};
  i.killed = 2;
  i.wounded = 5;
  i.property_damage = 1;
  i.headline = "IED on the port road";
  i.description = "Convoy struck near km 12.\nNo claim yet; \"BLA\" suspected.";
  i.licence = {"corridor-manual", true, ""};
  i.marking.tlp = model::Tlp::kAmber;
  i.marking.author = "analyst1";
  i.marking.author_org = "PK-NACTA";
  i.marking.distribution.organisations = {"CN-MPS", "PK-CTD"};
  i.created = "2026-11-21T08:00:00.123Z";
  i.modified = "2026-11-22T09:30:00.456Z";
  i.version = 3;
  return i;
}

TEST(MappingTest, ManualIncidentKeepsMarkingDistributionAndOriginator) {
  const model::Incident amber = ManualIncident();
  auto back = RoundTrip(amber, {.instance_org = "PK-NACTA"});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, Exported(amber));
  EXPECT_EQ(back->marking.distribution.organisations, amber.marking.distribution.organisations);
  EXPECT_EQ(back->marking.author, "");  // the account name stays home

  model::Incident green = ManualIncident();
  green.marking.tlp = model::Tlp::kGreen;
  green.marking.distribution = {{}, {}, "regional"};
  green.latitude.reset();
  green.longitude.reset();
  green.revoked = true;
  const auto objects = IncidentToStix(green);
  EXPECT_EQ(objects.size(), 1u);  // no point: no location, relationship or sighting
  EXPECT_EQ(objects[0]["revoked"], true);
  back = RoundTrip(green, {});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, Exported(green));
  EXPECT_EQ(back->marking.distribution.trust_group, "regional");

  model::Incident strict = ManualIncident();
  strict.marking.tlp = model::Tlp::kAmberStrict;
  back = RoundTrip(strict, {});
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->marking.tlp, model::Tlp::kAmberStrict);
}

TEST(MappingTest, MarkingsMapToTheTlp2Definitions) {
  const std::pair<model::Tlp, const char*> cases[] = {
      {model::Tlp::kClear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"},
      {model::Tlp::kGreen, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"},
      {model::Tlp::kAmber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"},
      {model::Tlp::kAmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"},
      {model::Tlp::kRed, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}};
  for (const auto& [tlp, id] : cases) {
    SCOPED_TRACE(id);
    EXPECT_EQ(TlpMarkingId(tlp), id);
    EXPECT_EQ(TlpFromMarkingId(id), tlp);
    const json def = TlpMarkingDefinition(tlp);
    EXPECT_EQ(def["id"], id);
    EXPECT_EQ(def["name"], model::TlpName(tlp));
    EXPECT_TRUE(IsFixedObject(def));
  }
  EXPECT_FALSE(TlpFromMarkingId("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"));
}

TEST(MappingTest, AssessmentRoundTrip) {
  model::Assessment a;
  a.id = Uuid::V4();
  a.title = "Rising IED risk on the Gwadar road";
  a.body = "# Summary\n\nThree incidents in **two weeks**.";
  a.incidents = {Uuid::V4(), RecordId("ucdp-ged", "51720")};
  a.areas = {"PK2", "PK205"};
  a.sites = {Uuid::V4()};
  a.marking.tlp = model::Tlp::kAmber;
  a.marking.author = "analyst1";
  a.marking.author_org = "PK-NACTA";
  a.marking.distribution.organisations = {"CN-MPS"};
  a.created = "2026-11-25T10:00:00.000Z";
  a.modified = "2026-11-26T10:00:00.000Z";
  a.version = 2;
  const auto objects = AssessmentToStix(a);
  ASSERT_EQ(objects.size(), 3u);  // the report and two area locations
  EXPECT_EQ(objects[0]["type"], "report");
  EXPECT_EQ(objects[0]["published"], a.created);
  EXPECT_EQ(objects[0]["object_refs"],
            json::array({"incident--" + a.incidents[0].str(), "incident--" + a.incidents[1].str(),
                         AreaLocationId("PK2"), AreaLocationId("PK205")}));
  EXPECT_EQ(objects[1]["administrative_area"], "PK2");
  auto back = AssessmentFromStix(json::parse(objects[0].dump()));
  ASSERT_TRUE(back) << back.error().message;
  model::Assessment want = a;
  want.marking.author.clear();
  EXPECT_EQ(*back, want);

  model::Assessment empty = a;
  empty.incidents.clear();
  empty.areas.clear();
  empty.sites.clear();
  empty.body.clear();
  const auto only = AssessmentToStix(empty);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0]["object_refs"], json::array({OrganisationIdentityId("PK-NACTA")}));
  back = AssessmentFromStix(only[0]);
  ASSERT_TRUE(back) << back.error().message;
  want = empty;
  want.marking.author.clear();
  EXPECT_EQ(*back, want);
}

TEST(MappingTest, OrganisationsAndSystemsOnly) {
  model::Organisation org{"CN-MPS", {"bilateral", "regional"}, false, "2026-01-01T00:00:00Z"};
  const json identity = OrganisationToStix(org);
  EXPECT_EQ(identity["identity_class"], "organization");
  EXPECT_EQ(identity["id"], OrganisationIdentityId("CN-MPS"));
  auto back = OrganisationFromStix(identity);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->name, org.name);
  EXPECT_EQ(back->trust_groups, org.trust_groups);
  EXPECT_EQ(back->created, org.created);

  const json system = SystemToStix("corridor.nacta.gov.pk", "PK-NACTA", "2026-01-01T00:00:00Z");
  EXPECT_EQ(system["identity_class"], "system");
  EXPECT_EQ(system["created_by_ref"], OrganisationIdentityId("PK-NACTA"));

  json person = identity;
  person["identity_class"] = "individual";
  auto refused = OrganisationFromStix(person);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("/identity_class"), std::string::npos);
}

TEST(MappingTest, BadObjectsNameTheJsonPointer) {
  json sdo = IncidentToStix(ManualIncident())[0];
  const std::string ext = "/extensions/" + std::string(kCorridorExtensionId);
  ObjectIndex none;
  struct Case {
    const char* name;
    std::function<void(json&)> change;
    std::string want;
  };
  const Case cases[] = {
      {"category",
       [&](json& o) {
         o["extensions"][std::string(kCorridorExtensionId)]["incident"]["category"] = "riot";
       },
       ext + "/incident/category: unknown value 'riot'"},
      {"date",
       [&](json& o) {
         o["extensions"][std::string(kCorridorExtensionId)]["incident"]["date_start"] =
             "2026-13-01";
       },
       ext + "/incident/date_start: not a YYYY-MM-DD date"},
      {"no marking", [](json& o) { o.erase("object_marking_refs"); },
       "/object_marking_refs: required (a TLP 2.0 marking-definition id)"},
      {"no extension", [](json& o) { o.erase("extensions"); },
       ext + ": required (a Corridor incident carries its fields there)"},
      {"id", [](json& o) { o["id"] = "incident--nope"; }, "/id: not incident--<uuid>"},
      {"modified", [](json& o) { o["modified"] = 3; }, "/modified: expected a string"},
      // fuzz_stix: an empty `modified` was stored and came back as `created`.
      {"empty modified", [](json& o) { o["modified"] = ""; },
       "/modified: not an RFC 3339 UTC timestamp"},
      {"local time", [](json& o) { o["created"] = "2026-11-21T08:00:00+05:00"; },
       "/created: not an RFC 3339 UTC timestamp"},
      {"modified first",
       [](json& o) {
         o["created"] = "2026-11-21T08:00:00Z";
         o["modified"] = "2026-11-20T08:00:00Z";
       },
       "/modified: earlier than created"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    json o = sdo;
    c.change(o);
    auto got = IncidentFromStix(o, none);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message, c.want);
  }
}

// Issue 15 §1: a committee's objects survive the round trip but for what never
// travels (account names); a partner's object gets no more room than a local one.
TEST(CommitteeMappingTest, RoundTripsAndBoundsEveryList) {
  model::Marking marking;
  marking.tlp = model::Tlp::kAmber;
  marking.author = "nacta-secretary";
  marking.author_org = "PK-NACTA";
  marking.distribution.organisations = {"CN-MPS"};
  store::Committee c{"4a3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                     "PK-CN JWG",
                     store::CommitteeKind::kBilateral,
                     {"CN-MPS", "PK-NACTA"},
                     marking,
                     "2026-11-30T09:00:00.000Z"};
  store::Meeting m{"5b3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                   c.id,
                   "2026-11-30",
                   "Islamabad",
                   false,
                   {"convoy security"},
                   {"CN-MPS", "PK-NACTA"},
                   "Two decisions.",
                   marking,
                   "2026-11-30T10:00:00.000Z"};
  store::Decision d{"6c3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                    c.id,
                    m.id,
                    "Escort convoys",
                    {"7d3e57a0-9b06-4f01-a8b5-b64bb26fdc58"},
                    {},
                    {"PK201"},
                    marking,
                    "2026-11-30T10:05:00.000Z"};
  store::ActionItem a{"8e3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                      c.id,
                      d.id,
                      "Share the survey",
                      "CN-MPS",
                      "mps-committee",
                      "2026-12-01",
                      store::ActionStatus::kInProgress,
                      {"https://example.org/survey"},
                      marking,
                      "2026-11-30T10:06:00.000Z",
                      "2026-12-02T08:00:00.000Z"};
  model::Marking travelled = marking;
  travelled.author = "";  // account names never leave
  auto back_c = CommitteeObjectFromStix(CommitteeToStix(c));
  ASSERT_TRUE(back_c) << back_c.error().message;
  store::Committee want_c = c;
  want_c.marking = travelled;
  EXPECT_EQ(std::get<store::Committee>(back_c->value), want_c);
  auto back_m = CommitteeObjectFromStix(MeetingToStix(m));
  ASSERT_TRUE(back_m) << back_m.error().message;
  store::Meeting want_m = m;
  want_m.marking = travelled;
  EXPECT_EQ(std::get<store::Meeting>(back_m->value), want_m);
  auto back_d = CommitteeObjectFromStix(DecisionToStix(d));
  ASSERT_TRUE(back_d) << back_d.error().message;
  store::Decision want_d = d;
  want_d.marking = travelled;
  EXPECT_EQ(std::get<store::Decision>(back_d->value), want_d);
  const json action = ActionToStix(a);
  EXPECT_EQ(action.dump().find("mps-committee"), std::string::npos);
  auto back_a = CommitteeObjectFromStix(action);
  ASSERT_TRUE(back_a) << back_a.error().message;
  store::ActionItem want_a = a;
  want_a.marking = travelled;
  want_a.owner_account = "";
  EXPECT_EQ(std::get<store::ActionItem>(back_a->value), want_a);
  EXPECT_EQ(back_a->modified, a.updated);

  const std::string ext = "/extensions/" + std::string(kCorridorExtensionId) + "/committee";
  json too_many = CommitteeToStix(c);
  auto& members = too_many["extensions"][std::string(kCorridorExtensionId)]["committee"]["members"];
  for (int i = 0; i < 100; ++i) members.push_back("ORG-" + std::to_string(i));
  auto refused = CommitteeObjectFromStix(too_many);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, ext + "/members: at most 100 items");
  json long_title = ActionToStix(a);
  long_title["content"] = std::string(501, 'x');
  refused = CommitteeObjectFromStix(long_title);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "/content: longer than 500 bytes");
  json wrong_kind = MeetingToStix(m);
  wrong_kind["type"] = "grouping";
  wrong_kind["id"] = "grouping--" + m.id;
  refused = CommitteeObjectFromStix(wrong_kind);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(ext + "/object"), std::string::npos);
}

constexpr const char* kJwg = "4a3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
constexpr const char* kJwgAction = "8e3e57a0-9b06-4f01-a8b5-b64bb26fdc58";

// Committee JWG (CN-MPS, PK-FC, PK-NACTA) under `marking`, and one open
// action of it owned by `owner`, due 2026-12-10, under `action_marking`.
Result<void> AddJwgWithAction(store::Store& st, const model::Marking& marking,
                              const model::Marking& action_marking, const std::string& title,
                              const std::string& owner, std::vector<std::string> evidence = {}) {
  auto committees = store::NewCommitteeStore();
  return store::InWriteTransaction(st.database(), [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = committees->AddCommittee(tx, {kJwg,
                                                "JWG",
                                                store::CommitteeKind::kBilateral,
                                                {"CN-MPS", "PK-FC", "PK-NACTA"},
                                                marking,
                                                "2026-11-30T09:00:00.000Z"});
        !ok) {
      return ok;
    }
    return committees->AddAction(
        tx, {kJwgAction, kJwg, "", title, owner, "", "2026-12-10", store::ActionStatus::kOpen,
             std::move(evidence), action_marking, "2026-11-30T10:00:00.000Z",
             "2026-11-30T10:00:00.000Z"});
  });
}

// Issue 15 §2: exercises (with their report and lessons) and joint teams
// travel too; what arrives gets no more room than what a local user writes,
// and a team's area is a well-formed polygon.
TEST(CommitteeMappingTest, ExercisesAndTeamsRoundTripAndTheirFieldsAreChecked) {
  model::Marking marking;
  marking.tlp = model::Tlp::kAmber;
  marking.author_org = "PK-NACTA";
  marking.distribution.organisations = {"CN-MPS"};
  const std::string committee = "4a3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  SharedExercise x;
  x.exercise = {"9f3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                committee,
                store::ExerciseKind::kExercise,
                "Convoy ambush drill",
                "An IED on the N-85 at km 212",
                "2026-10-05",
                "2026-10-07",
                {"CN-MPS", "PK-NACTA"},
                {"Casualty evacuation within 60 minutes", "Radio net holds"},
                {"PK205"},
                {},
                "The radio net failed after 40 minutes.",
                "2026-10-09T08:00:00.000Z",
                marking,
                "2026-10-01T08:00:00.000Z"};
  x.lessons = {{x.exercise.id, 1, "Spare radios for every vehicle",
                "8e3e57a0-9b06-4f01-a8b5-b64bb26fdc58", "2026-10-10T08:00:00.000Z"}};
  const json exercise = ExerciseToStix(x);
  EXPECT_EQ(exercise["modified"], "2026-10-10T08:00:00.000Z");  // the last lesson's
  EXPECT_EQ(exercise["object_refs"][1], "note--8e3e57a0-9b06-4f01-a8b5-b64bb26fdc58");
  auto back = CommitteeObjectFromStix(exercise);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->modified, "2026-10-10T08:00:00.000Z");
  EXPECT_EQ(std::get<SharedExercise>(back->value), x);

  store::JointTeam t{
      "af3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
      committee,
      "Port perimeter",
      "Guard the gate",
      {"CN-MPS"},
      {},
      R"({"type":"Polygon","coordinates":[[[62.3,25.1],[62.4,25.1],[62.4,25.2],[62.3,25.1]]]})",
      {},
      "2026-06-01",
      "",
      marking,
      "2026-05-30T08:00:00.000Z"};
  t.area = json::parse(t.area).dump();  // as the store keeps it: compact, keys sorted
  const json team = TeamToStix(t);
  auto back_t = CommitteeObjectFromStix(team);
  ASSERT_TRUE(back_t) << back_t.error().message;
  EXPECT_EQ(std::get<store::JointTeam>(back_t->value), t);

  const std::string ext = "/extensions/" + std::string(kCorridorExtensionId) + "/committee";
  const auto section = [](json& o) -> json& {
    return o["extensions"][std::string(kCorridorExtensionId)]["committee"];
  };
  const auto refused = [](const json& o) {
    auto r = CommitteeObjectFromStix(o);
    return r ? std::string("accepted") : r.error().message;
  };
  json open_ring = team;
  section(open_ring)["area"]["coordinates"][0][3] = json::array({62.35, 25.1});
  EXPECT_EQ(refused(open_ring), ext + "/area/coordinates/0: a ring ends where it starts");
  json off_earth = team;
  section(off_earth)["area"]["coordinates"][0][1] = json::array({262.4, 25.1});
  EXPECT_EQ(refused(off_earth), ext +
                                    "/area/coordinates/0/1: expected [longitude, latitude] within "
                                    "[-180, 180] and [-90, 90]");
  json point = team;
  section(point)["area"] = {{"type", "Point"}, {"coordinates", {62.3, 25.1}}};
  EXPECT_EQ(refused(point), ext + "/area: expected a GeoJSON Polygon or MultiPolygon geometry");
  json huge = team;
  json ring = json::array();
  for (int i = 0; i < 10001; ++i) ring.push_back({62.0 + i * 1e-5, 25.0});
  ring.push_back(ring[0]);
  section(huge)["area"]["coordinates"] = json::array({ring});
  EXPECT_EQ(refused(huge), ext + "/area: at most 10000 positions");
  json nowhere = team;
  section(nowhere)["area"] = nullptr;
  EXPECT_EQ(refused(nowhere), ext + "/districts: a team covers districts, an area, or both");
  json no_members = team;
  section(no_members)["members"] = json::array();
  EXPECT_EQ(refused(no_members), ext + "/members: at least one member organisation");

  json unreported = exercise;
  section(unreported)["findings"] = "";
  EXPECT_EQ(refused(unreported), ext + "/reported: given exactly when there are findings");
  section(unreported)["reported"] = "";
  EXPECT_EQ(refused(unreported), ext + "/lessons: lessons come with findings");
  json long_lesson = exercise;
  section(long_lesson)["lessons"][0]["text"] = std::string(501, 'x');
  EXPECT_EQ(refused(long_lesson), ext + "/lessons/0/text: longer than 500 bytes");
  json backwards = exercise;
  section(backwards)["end"] = "2026-10-01";
  EXPECT_EQ(refused(backwards), ext + "/end: before /start");
  json drill = exercise;
  section(drill)["kind"] = "bilateral";
  EXPECT_EQ(refused(drill), ext + "/kind: expected training or exercise");
}

// The receiving rule for exercises and teams: members only, the originator
// alone changes what it sent, an exercise's report is taken once and its
// lessons only with an action held here.
TEST(CommitteeMappingTest, ExercisesAndTeamsApplyUnderTheOriginatorRule) {
  testing::TempDir dir;
  auto opened = store::OpenStore((dir / "nacta.db").string());
  ASSERT_TRUE(opened) << opened.error().message;
  store::Store& st = **opened;
  auto committees = store::NewCommitteeStore();
  model::Marking marking;
  marking.tlp = model::Tlp::kAmber;
  marking.author_org = "PK-NACTA";
  marking.distribution.organisations = {"CN-MPS", "PK-NACTA"};
  const std::string committee = "4a3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  const std::string action = "8e3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  model::Marking mps = marking;
  mps.author_org = "CN-MPS";
  // The action CN-MPS's exercise's lesson became (its evidence names the exercise).
  ASSERT_TRUE(AddJwgWithAction(st, marking, mps, "Spare radios", "PK-NACTA",
                               {"exercise:9f3e57a0-9b06-4f01-a8b5-b64bb26fdc58"}));
  model::Marking sent = marking;
  sent.author_org = "CN-MPS";
  SharedExercise x;
  x.exercise = {"9f3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                committee,
                store::ExerciseKind::kTraining,
                "Post-blast investigation course",
                "",
                "2026-11-02",
                "2026-11-04",
                {"CN-MPS", "PK-NACTA"},
                {},
                {},
                {},
                "",
                "",
                sent,
                "2026-11-01T08:00:00.000Z"};
  const auto apply = [&](const json& object, const std::string& originator) {
    auto r = ApplyCommitteeObject(st, object, originator, "PK-NACTA");
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : CommitteeApplied{};
  };
  using Held = std::pair<store::Exercise, std::vector<store::ExerciseLesson>>;
  const auto held = [&]() -> Held {
    auto got = store::InReadTransaction(st.database(), [&](store::Transaction& tx) -> Result<Held> {
      auto e = committees->GetExercise(tx, x.exercise.id);
      if (!e) return Fail(e.error());
      auto l = committees->ListLessons(tx, x.exercise.id);
      if (!l) return Fail(l.error());
      return Held{e->value_or(store::Exercise{}), std::move(*l)};
    });
    EXPECT_TRUE(got) << got.error().message;
    return got ? *got : Held{};
  };
  SharedExercise outsider = x;
  outsider.exercise.participants.push_back("PK-FIA");
  auto r = apply(ExerciseToStix(outsider), "CN-MPS");
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->kind, "invalid");
  EXPECT_NE(r.refusal->reason.find("PK-FIA is not a member of committee JWG"), std::string::npos);
  r = apply(ExerciseToStix(x), "CN-MPS");
  EXPECT_FALSE(r.refusal) << r.refusal->reason;
  EXPECT_TRUE(r.inserted);
  EXPECT_EQ(held().first.marking.author_org, "CN-MPS");
  EXPECT_TRUE(held().first.findings.empty());
  // The report, with one lesson whose action is held and one whose is not.
  SharedExercise reported = x;
  reported.exercise.findings = "Samples were mislabelled.";
  reported.exercise.reported = "2026-11-05T08:00:00.000Z";
  reported.lessons = {{x.exercise.id, 1, "Spare radios", action, "2026-11-05T08:00:00.000Z"},
                      {x.exercise.id, 2, "Label kits", "bf3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                       "2026-11-05T08:00:00.000Z"}};
  // A lesson may not claim an action it did not become (here: under another title);
  // nothing of that version is written.
  SharedExercise relabelled = reported;
  relabelled.lessons[0].text = "Spare radios and a new budget line";
  r = apply(ExerciseToStix(relabelled), "CN-MPS");
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->kind, "conflict");
  EXPECT_NE(r.refusal->reason.find("is not the action this exercise's lesson became"),
            std::string::npos)
      << r.refusal->reason;
  EXPECT_TRUE(held().first.findings.empty());
  // Another member may not change CN-MPS's exercise.
  r = apply(ExerciseToStix(reported), "PK-FC");
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->kind, "conflict");
  r = apply(ExerciseToStix(reported), "CN-MPS");
  EXPECT_FALSE(r.refusal) << r.refusal->reason;
  EXPECT_TRUE(r.updated);
  EXPECT_TRUE(r.incomplete);  // the second lesson's action has not arrived
  auto [e, lessons] = held();
  EXPECT_EQ(e.findings, "Samples were mislabelled.");
  EXPECT_EQ(e.reported, "2026-11-05T08:00:00.000Z");
  ASSERT_EQ(lessons.size(), 1u);
  EXPECT_EQ(lessons[0].action_id, action);
  // Again: nothing; other findings later never rewrite the report.
  r = apply(ExerciseToStix(reported), "CN-MPS");
  EXPECT_FALSE(r.refusal || r.inserted || r.updated);
  reported.exercise.findings = "Everything went well.";
  r = apply(ExerciseToStix(reported), "CN-MPS");
  EXPECT_FALSE(r.updated);
  EXPECT_EQ(held().first.findings, "Samples were mislabelled.");

  store::JointTeam t{"af3e57a0-9b06-4f01-a8b5-b64bb26fdc58",
                     committee,
                     "Port perimeter",
                     "Guard the gate",
                     {"CN-MPS", "PK-NACTA"},
                     {"PK205"},
                     "",
                     {},
                     "2026-06-01",
                     "2026-06-30",
                     sent,
                     "2026-05-30T08:00:00.000Z"};
  store::JointTeam stranger = t;
  stranger.members = {"US-FBI"};
  r = apply(TeamToStix(stranger), "CN-MPS");
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->kind, "invalid");
  r = apply(TeamToStix(t), "CN-MPS");
  EXPECT_FALSE(r.refusal) << r.refusal->reason;
  EXPECT_TRUE(r.inserted);
  r = apply(TeamToStix(t), "CN-MPS");
  EXPECT_FALSE(r.refusal || r.inserted || r.updated);
  r = apply(TeamToStix(t), "PK-FC");
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->kind, "conflict");
  // One id space: a team under the exercise's id is refused.
  store::JointTeam squat = t;
  squat.id = x.exercise.id;
  squat.name = "Another";
  r = apply(TeamToStix(squat), "CN-MPS");
  ASSERT_TRUE(r.refusal);
  EXPECT_EQ(r.refusal->kind, "conflict");
  EXPECT_NE(r.refusal->reason.find("another committee object's id"), std::string::npos);
}

// Issue 15 §3 across two instances: a party's part of a judicial request is
// bound to it by id, carries only its own state's moves, and is applied by
// compare-and-set, once.
TEST(CommitteeMappingTest, AJudicialPartCarriesOnlyItsOwnStatesMoves) {
  testing::TempDir dir;
  auto opened = store::OpenStore((dir / "nacta.db").string());
  ASSERT_TRUE(opened) << opened.error().message;
  store::Store& st = **opened;
  JudicialPart part;
  store::JudicialRequest& r = part.request;
  r.id = "1b4e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  r.reference = "CN-2026-201";
  r.type = "mla";
  r.requesting_org = "CN-MPS";
  r.requested_org = "PK-NACTA";
  r.legal_basis = "sco-convention";
  r.offence = "terrorist-bombing";
  r.urgency = "urgent";
  r.state = "sent";
  r.marking.tlp = model::Tlp::kAmber;
  r.marking.author_org = "CN-MPS";
  r.marking.distribution.organisations = {"CN-MPS", "PK-NACTA"};
  r.created = "2026-11-30T09:00:00.000Z";
  r.updated = "2026-11-30T10:00:00.000Z";
  part.id = store::JudicialPartId(r.id, "CN-MPS");
  part.moves = {{r.id, "2026-11-30T10:00:00.000Z", "", "draft", "sent", "by diplomatic note"}};
  auto back = CommitteeObjectFromStix(JudicialToStix(part));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(std::get<JudicialPart>(back->value), part);

  const auto apply = [&](const JudicialPart& p, const std::string& originator) {
    auto applied = ApplyCommitteeObject(st, JudicialToStix(p), originator, "PK-NACTA");
    EXPECT_TRUE(applied) << applied.error().message;
    return applied ? *applied : CommitteeApplied{};
  };
  const auto state = [&] {
    auto s = store::NewJudicialStore();
    auto got = store::InReadTransaction(st.database(),
                                        [&](store::Transaction& tx) { return s->Get(tx, r.id); });
    return got && *got ? (*got)->state : std::string("absent");
  };
  // Neither party: refused.
  auto third = apply(part, "PK-FC");
  ASSERT_TRUE(third.refusal);
  EXPECT_EQ(third.refusal->kind, "not-member");
  // A part under another party's id, or with a move the sender's state does not make.
  JudicialPart squatted = part;
  squatted.id = store::JudicialPartId(r.id, "PK-NACTA");
  auto wrong_id = apply(squatted, "CN-MPS");
  ASSERT_TRUE(wrong_id.refusal);
  EXPECT_EQ(wrong_id.refusal->kind, "conflict");
  JudicialPart overreach = part;
  overreach.moves.push_back(
      {r.id, "2026-11-30T11:00:00.000Z", "", "sent", "acknowledged", "we acknowledge for them"});
  auto over = apply(overreach, "CN-MPS");
  ASSERT_TRUE(over.refusal);
  EXPECT_EQ(over.refusal->kind, "conflict");
  EXPECT_NE(over.refusal->reason.find("may not make a request acknowledged"), std::string::npos);
  JudicialPart future = part;
  future.moves[0].at = "2126-11-30T10:00:00.000Z";
  auto late = apply(future, "CN-MPS");
  ASSERT_TRUE(late.refusal);
  EXPECT_EQ(late.refusal->kind, "invalid");
  EXPECT_NE(late.refusal->reason.find("in the future"), std::string::npos);
  EXPECT_EQ(state(), "absent");
  // The requesting state's part: created, then moved; once.
  auto first = apply(part, "CN-MPS");
  EXPECT_FALSE(first.refusal) << first.refusal->reason;
  EXPECT_TRUE(first.inserted);
  EXPECT_EQ(state(), "sent");
  auto again = apply(part, "CN-MPS");
  EXPECT_FALSE(again.refusal || again.inserted || again.updated);
  // PK-NACTA acknowledges here while CN-MPS withdraws there: the withdrawal, by the
  // requesting state, still withdraws it from the state held (the two sides agree).
  ASSERT_TRUE(store::InWriteTransaction(st.database(), [&](store::Transaction& tx) {
    return store::NewJudicialStore()->SetState(
        tx, {r.id, "2026-12-01T08:00:00.000Z", "nacta-secretary", "sent", "acknowledged", ""});
  }));
  EXPECT_EQ(state(), "acknowledged");
  JudicialPart withdrawn = part;
  withdrawn.moves.push_back(
      {r.id, "2026-12-01T09:00:00.000Z", "", "sent", "withdrawn", "the case was closed"});
  auto w = apply(withdrawn, "CN-MPS");
  EXPECT_FALSE(w.refusal) << w.refusal->reason;
  EXPECT_TRUE(w.updated);
  EXPECT_EQ(state(), "withdrawn");
  // A step that is not in the workflow is refused as it is read.
  json skip = JudicialToStix(part);
  skip["extensions"][std::string(kCorridorExtensionId)]["committee"]["moves"][0]["from"] =
      "executed";
  auto refused = CommitteeObjectFromStix(skip);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("/moves/0: executed → sent is not a step"),
            std::string::npos)
      << refused.error().message;
}

// WAVE2 "Shared actions": the owner reports progress as its own object that
// references the action; the receiving rule takes it from the owner (or the
// one that assigned it) only, once, never looser than the action, and moves
// the status only when newer.
TEST(CommitteeProgressTest, TheOwnersNoteMovesTheActionOnceAndNobodyElses) {
  testing::TempDir dir;
  auto opened = store::OpenStore((dir / "nacta.db").string());
  ASSERT_TRUE(opened) << opened.error().message;
  store::Store& st = **opened;
  auto committees = store::NewCommitteeStore();
  model::Marking marking;
  marking.tlp = model::Tlp::kAmber;
  marking.author_org = "PK-NACTA";
  marking.distribution.organisations = {"CN-MPS"};
  const std::string committee = "4a3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  const std::string action = "8e3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  ASSERT_TRUE(AddJwgWithAction(st, marking, marking, "Staff the desk", "CN-MPS"));
  model::Marking sent = marking;
  sent.author_org = "CN-MPS";
  sent.distribution.organisations = {"CN-MPS", "PK-NACTA"};
  // A note of CN-MPS under its bound id, or under `id` when one is given.
  const auto note = [&](const std::string& id, const std::string& at, const std::string& status) {
    store::ActionNote n{action, at, "mps-committee", "Two officers named", id, "CN-MPS", status};
    if (n.id.empty()) n.id = store::BoundNoteId(n);
    return ProgressToStix({committee, n, sent});
  };
  const json first = note("", "2026-12-01T08:00:00.000Z", "in_progress");
  EXPECT_EQ(first.dump().find("mps-committee"), std::string::npos);
  auto back = CommitteeObjectFromStix(first);
  ASSERT_TRUE(back) << back.error().message;
  const auto& p = std::get<ActionProgress>(back->value);
  EXPECT_EQ(p.note.status, "in_progress");
  EXPECT_EQ(p.note.author, "");
  EXPECT_EQ(p.note.at, "2026-12-01T08:00:00.000Z");

  const auto apply = [&](const json& object, const std::string& originator) {
    auto r = ApplyCommitteeObject(st, object, originator, "PK-NACTA");
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : CommitteeApplied{};
  };
  const auto status = [&] {
    auto a = store::InReadTransaction(
        st.database(), [&](store::Transaction& tx) { return committees->GetAction(tx, action); });
    return a && *a ? std::string(store::ActionStatusName((*a)->status)) : std::string("?");
  };
  // Another member that neither owns nor assigned it: refused, nothing kept.
  auto other = apply(first, "PK-FC");
  ASSERT_TRUE(other.refusal);
  EXPECT_EQ(other.refusal->kind, "conflict");
  EXPECT_EQ(status(), "open");
  // Stricter than the action here: it would be shown under a looser marking.
  json red = note("", "2026-12-01T09:00:00.000Z", "done");
  red["object_marking_refs"] = json::array({TlpMarkingDefinition(model::Tlp::kRed)["id"]});
  auto stricter = apply(red, "CN-MPS");
  ASSERT_TRUE(stricter.refusal);
  EXPECT_EQ(stricter.refusal->kind, "marking") << stricter.refusal->reason;
  // The owner: kept, with the verified organisation and no author; the status moves.
  auto applied = apply(first, "CN-MPS");
  EXPECT_FALSE(applied.refusal);
  EXPECT_TRUE(applied.inserted);
  EXPECT_TRUE(applied.updated);
  EXPECT_EQ(status(), "in_progress");
  auto again = apply(first, "CN-MPS");
  EXPECT_FALSE(again.refusal);
  EXPECT_FALSE(again.inserted || again.updated);
  // An older note is kept as history but does not move the status back.
  auto older = apply(note("", "2026-11-30T11:00:00.000Z", "open"), "CN-MPS");
  EXPECT_TRUE(older.inserted);
  EXPECT_FALSE(older.updated);
  EXPECT_EQ(status(), "in_progress");
  // A bound id (store::BoundNoteId) is recomputed with the signing key's organisation: the
  // assigner cannot send a note under the id of the owner's, nor the owner under an id made
  // for other content; the owner's note as written is kept.
  store::ActionNote owners{
      action, "2026-12-01T12:00:00.000Z", "", "Two officers named", "", "CN-MPS", ""};
  owners.id = store::BoundNoteId(owners);
  const json bound = ProgressToStix({committee, owners, sent});
  auto squatted = apply(bound, "PK-NACTA");
  ASSERT_TRUE(squatted.refusal);
  EXPECT_EQ(squatted.refusal->kind, "conflict");
  EXPECT_NE(squatted.refusal->reason.find("is not the id of this note from PK-NACTA"),
            std::string::npos)
      << squatted.refusal->reason;
  json altered = bound;
  altered["content"] = "Three officers named";
  altered["extensions"][std::string(kCorridorExtensionId)]["committee"]["text"] =
      "Three officers named";
  auto edited = apply(altered, "CN-MPS");
  ASSERT_TRUE(edited.refusal);
  EXPECT_EQ(edited.refusal->kind, "conflict") << edited.refusal->reason;
  // No id is exempt from the binding: a random one (a UUIDv4, as notes had
  // before ids were bound) could be any note's.
  json random = note("bf3e57a0-9b06-4f01-a8b5-b64bb26fdc58", "2026-12-01T12:30:00.000Z", "");
  auto unbound = apply(random, "CN-MPS");
  ASSERT_TRUE(unbound.refusal);
  EXPECT_EQ(unbound.refusal->kind, "conflict") << unbound.refusal->reason;
  auto kept = apply(bound, "CN-MPS");
  EXPECT_FALSE(kept.refusal) << kept.refusal->reason;
  EXPECT_TRUE(kept.inserted);
  // Nor does an object of another kind take a held note's id (one id space): a meeting
  // sent under it is refused.
  store::Meeting squat;
  squat.id = owners.id;
  squat.committee_id = committee;
  squat.date = "2026-12-05";
  squat.is_virtual = true;
  squat.marking = sent;
  squat.created = "2026-12-05T08:00:00.000Z";
  auto pre_empted = apply(MeetingToStix(squat), "CN-MPS");
  ASSERT_TRUE(pre_empted.refusal);
  EXPECT_EQ(pre_empted.refusal->kind, "conflict") << pre_empted.refusal->reason;
  // A note on an action not held here.
  json elsewhere = first;
  elsewhere["extensions"][std::string(kCorridorExtensionId)]["committee"]["action"] =
      "cf3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  elsewhere["id"] = "note--df3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  auto missing = apply(elsewhere, "CN-MPS");
  ASSERT_TRUE(missing.refusal);
  EXPECT_EQ(missing.refusal->kind, "invalid");
  // A note may not take the id of a committee object held here (its action's, say).
  json taken = note(action, "2026-12-02T08:00:00.000Z", "done");
  auto clash = apply(taken, "CN-MPS");
  ASSERT_TRUE(clash.refusal);
  EXPECT_EQ(clash.refusal->kind, "conflict") << clash.refusal->reason;
  EXPECT_EQ(status(), "in_progress");
  // An action PK-FC also reads here: a note that does not name PK-FC is not shown to it.
  const std::string wider = "ef3e57a0-9b06-4f01-a8b5-b64bb26fdc58";
  model::Marking with_fc = marking;
  with_fc.distribution.organisations = {"CN-MPS", "PK-FC"};
  ASSERT_TRUE(store::InWriteTransaction(st.database(), [&](store::Transaction& tx) {
    return committees->AddAction(tx, {wider,
                                      committee,
                                      "",
                                      "Escort plan",
                                      "CN-MPS",
                                      "",
                                      "2026-12-10",
                                      store::ActionStatus::kOpen,
                                      {},
                                      with_fc,
                                      "2026-11-30T10:00:00.000Z",
                                      "2026-11-30T10:00:00.000Z"});
  }));
  json narrow = ProgressToStix({committee,
                                {wider, "2026-12-01T08:00:00.000Z", "", "for NACTA only",
                                 "0a4e57a0-9b06-4f01-a8b5-b64bb26fdc58", "CN-MPS", ""},
                                sent});
  auto unnamed = apply(narrow, "CN-MPS");
  ASSERT_TRUE(unnamed.refusal);
  EXPECT_EQ(unnamed.refusal->kind, "marking");
  EXPECT_NE(unnamed.refusal->reason.find("does not name PK-FC"), std::string::npos)
      << unnamed.refusal->reason;
  model::Marking naming_fc = sent;
  naming_fc.distribution.organisations.push_back("PK-FC");
  store::ActionNote for_all{wider, "2026-12-01T08:00:00.000Z", "", "for all three", "", "CN-MPS",
                            ""};
  for_all.id = store::BoundNoteId(for_all);
  auto named = apply(ProgressToStix({committee, for_all, naming_fc}), "CN-MPS");
  EXPECT_FALSE(named.refusal) << named.refusal->reason;
  EXPECT_TRUE(named.inserted);
  auto notes = store::InReadTransaction(st.database(), [&](store::Transaction& tx) {
    return committees->ListActionNotes(tx, action);
  });
  ASSERT_TRUE(notes);
  ASSERT_EQ(notes->size(), 3u);  // the older, the first, the owner's bound one
  EXPECT_EQ((*notes)[1].org, "CN-MPS");
  EXPECT_EQ((*notes)[1].author, "");
  EXPECT_EQ((*notes)[2].id, owners.id);
  EXPECT_EQ((*notes)[2].org, "CN-MPS");
}

}  // namespace
}  // namespace corridor::stix
