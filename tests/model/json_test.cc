#include "corridor/model/json.h"

#include <gtest/gtest.h>

namespace corridor::model {
namespace {

Incident Sample() {
  Incident i;
  i.id = RecordId("ucdp-ged", "51720");
  i.provenance = {"ucdp-ged", "20.1", "51720", "pakistan.csv", 2};
  i.date_start = *Date::ParseIso("1990-03-27");
  i.date_end = i.date_start;
  i.date_precision = DatePrecision::kDay;
  i.latitude = 25.379167;
  i.longitude = 68.368333;
  i.location_precision = LocationPrecision::kExact;
  i.location = "Hyderabad Town";
  i.country = "PAK";
  i.admin1 = "PK6";
  i.admin2 = "PK611";
  i.admin_method = AssignMethod::kInside;
  i.category = Category::kArmedClash;
  i.source_type = "ucdp:type_of_violence=2";
  i.violence_type = 2;
  i.parties = {"Mohajir", "Sindhi"};
  i.killed = 1;
  i.killed_low = 1;
  i.killed_high = 1;
  i.licence = {"CC-BY-4.0", true, "UCDP GED"};
  i.version = 1;
  return i;
}

TEST(JsonTest, IncidentRoundTrip) {
  const Incident i = Sample();
  const auto back = IncidentFromJson(ToJson(i));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, i);
}

TEST(JsonTest, ErrorsNameTheJsonPointer) {
  struct Case {
    const char* name;
    nlohmann::json patch;
    const char* want;
  };
  const Case cases[] = {
      {"missing date", {{"date_start", nullptr}}, "/date_start: required"},
      {"bad date", {{"date_start", "27/03/1990"}}, "/date_start: not a YYYY-MM-DD date"},
      {"end before start", {{"date_end", "1990-03-26"}}, "/date_end: before date_start"},
      {"category", {{"category", "terror"}}, "/category: unknown value 'terror'"},
      {"latitude", {{"latitude", 91}}, "/latitude: outside [-90, 90]"},
      {"killed", {{"killed", -3}}, "/killed: must not be negative"},
      {"parties", {{"parties", {"a", 3}}}, "/parties/1: expected a string"},
      {"licence",
       {{"licence", {{"redistribution", "yes"}}}},
       "/licence/redistribution: expected true or false"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    nlohmann::json j = ToJson(Sample());
    j.merge_patch(c.patch);
    if (c.patch.contains("date_start") && c.patch["date_start"].is_null()) j.erase("date_start");
    const auto r = IncidentFromJson(j);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, c.want);
  }
}

TEST(JsonTest, DigestIgnoresBookkeepingOnly) {
  Incident a = Sample();
  Incident b = a;
  b.created = "2026-01-01T00:00:00.000Z";
  b.modified = "2026-01-02T00:00:00.000Z";
  b.version = 7;
  b.provenance.line = 99;
  EXPECT_EQ(ContentDigest(a), ContentDigest(b));
}

TEST(JsonTest, DigestSeesEveryContentField) {
  // One mutation per field: a digest that missed a field would make a changed
  // source row look unchanged on re-import.
  using Mutation = void (*)(Incident&);
  const std::pair<const char*, Mutation> mutations[] = {
      {"id", [](Incident& i) { i.id = RecordId("ucdp-ged", "1"); }},
      {"dataset", [](Incident& i) { i.provenance.dataset = "gtd"; }},
      {"dataset_version", [](Incident& i) { i.provenance.dataset_version = "21.1"; }},
      {"source_id", [](Incident& i) { i.provenance.source_id = "1"; }},
      {"date_start", [](Incident& i) { i.date_start = Date(i.date_start.days() - 1); }},
      {"date_end", [](Incident& i) { i.date_end = Date(i.date_end.days() + 1); }},
      {"date_precision", [](Incident& i) { i.date_precision = DatePrecision::kMonth; }},
      {"latitude", [](Incident& i) { i.latitude = 25.0; }},
      {"longitude unset", [](Incident& i) { i.longitude.reset(); }},
      {"location_precision", [](Incident& i) { i.location_precision = LocationPrecision::kNear; }},
      {"location", [](Incident& i) { i.location = "Hyderabad"; }},
      {"country", [](Incident& i) { i.country = "IND"; }},
      {"admin1", [](Incident& i) { i.admin1 = "PK5"; }},
      {"admin2", [](Incident& i) { i.admin2 = "PK612"; }},
      {"admin_method", [](Incident& i) { i.admin_method = AssignMethod::kSnapped; }},
      {"source_admin1", [](Incident& i) { i.source_admin1 = "Sindh"; }},
      {"source_admin2", [](Incident& i) { i.source_admin2 = "Hyderabad"; }},
      {"category", [](Incident& i) { i.category = Category::kBombing; }},
      {"source_type", [](Incident& i) { i.source_type = "x"; }},
      {"violence_type", [](Incident& i) { i.violence_type = 3; }},
      {"target_types", [](Incident& i) { i.target_types = {"Police"}; }},
      {"target_nationalities", [](Incident& i) { i.target_nationalities = {"CHN"}; }},
      {"parties", [](Incident& i) { i.parties = {"Mohajir"}; }},
      {"parties split", [](Incident& i) { i.parties = {"MohajirSindhi"}; }},
      {"perpetrators", [](Incident& i) { i.perpetrators = {"X"}; }},
      {"killed", [](Incident& i) { i.killed = 2; }},
      {"killed_low", [](Incident& i) { i.killed_low = 0; }},
      {"killed_high", [](Incident& i) { i.killed_high = 9; }},
      {"wounded", [](Incident& i) { i.wounded = 0; }},
      {"hostages", [](Incident& i) { i.hostages = 1; }},
      {"property_damage", [](Incident& i) { i.property_damage = 0; }},
      {"headline", [](Incident& i) { i.headline = "h"; }},
      {"description", [](Incident& i) { i.description = "d"; }},
      {"licence id", [](Incident& i) { i.licence.id = "other"; }},
      {"licence redistribution", [](Incident& i) { i.licence.redistribution = false; }},
      {"licence attribution", [](Incident& i) { i.licence.attribution = "x"; }},
      {"revoked", [](Incident& i) { i.revoked = true; }},
  };
  const std::string base = ContentDigest(Sample());
  EXPECT_EQ(base.size(), 64u);
  for (const auto& [name, mutate] : mutations) {
    SCOPED_TRACE(name);
    Incident changed = Sample();
    mutate(changed);
    EXPECT_NE(ContentDigest(changed), base);
  }
}

TEST(JsonTest, StringListsAreWhatTheJsonLibraryWrites) {
  // StringsToJson writes ASCII lists itself; the stored text must not change.
  const std::vector<std::vector<std::string>> cases = {
      {},
      {""},
      {"", ""},
      {"Government of Pakistan", "TTP"},
      {"quote \" backslash \\ slash /"},
      {"tab\tnewline\nreturn\rbell\bfeed\f", std::string("nul\0x", 5), "\x01\x1f\x7f"},
      {"Bal\u00fbchist\u0101n", "\u5361\u62c9\u5947"},
  };
  for (const auto& values : cases) {
    EXPECT_EQ(StringsToJson(values), nlohmann::json(values).dump());
    auto back = StringsFromJson(StringsToJson(values));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, values);
  }
}

// The API writes pages by concatenation (issue 18 §2): the text must be what
// the tree it replaced wrote, for every field, value and byte.
TEST(JsonTest, WrittenIncidentIsWhatTheTreeWrites) {
  const auto tree = [](const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::vector<std::pair<std::string, Incident>> cases;
  cases.emplace_back("sample", Sample());
  Incident bare;
  bare.id = RecordId("manual", "bare");
  bare.date_start = *Date::ParseIso("2024-05-01");
  bare.date_end = bare.date_start;
  cases.emplace_back("every optional empty", bare);
  Incident full = Sample();
  full.latitude = 34.0;  // an integral double keeps its ".0"
  full.longitude = -0.000001;
  full.wounded = 0;
  full.hostages = 2147483647;
  full.property_damage = 3;
  full.killed_high = 40;
  full.provenance.line = 9007199254740993;
  full.headline = "quote \" backslash \\ slash / tab\tnewline\nreturn\rbell\bfeed\f";
  full.description = std::string("nul\0x\x01\x1f\x7f", 8) + " کوئٹہ 奎达 😀";
  full.location = "Bal\u00fbchist\u0101n";
  full.target_types = {"", "government", "\u5361"};
  full.perpetrators = {"TTP"};
  full.marking.tlp = Tlp::kAmberStrict;
  full.marking.author = "analyst";
  full.marking.author_org = "PK-A";
  full.marking.distribution = {{"u1", "u2"}, {"CN-B"}, "bilateral"};
  full.created = "2026-12-06T10:00:00.000Z";
  full.modified = "2026-12-06T10:00:01.000Z";
  full.revoked = true;
  full.version = 7;
  cases.emplace_back("every field", full);
  Incident bad = Sample();
  bad.headline = "truncated \xE5\x8D";                           // a cut sequence
  bad.description = "overlong \xC0\xAF surrogate \xED\xA0\x80";  // forms UTF-8 forbids
  bad.parties = {"\xFF", "ok"};
  cases.emplace_back("not UTF-8", bad);
  for (const auto& [name, incident] : cases) {
    SCOPED_TRACE(name);
    std::string written;
    AppendJson(written, incident);
    EXPECT_EQ(written, tree(ToJson(incident)));
    std::string feature;
    AppendGeoJsonFeature(feature, incident);
    EXPECT_EQ(feature, tree(ToGeoJsonFeature(incident)));
  }
  // Random bytes in every text field: valid and broken UTF-8 alike.
  std::uint64_t state = 42;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned char>(state >> 56);
  };
  for (int round = 0; round < 2000; ++round) {
    Incident i = Sample();
    std::string text;
    const int n = next() % 12;
    for (int k = 0; k < n; ++k) text += static_cast<char>(next());
    i.headline = text;
    i.parties = {text, text + "x"};
    i.marking.distribution.trust_group = text;
    std::string written;
    AppendJson(written, i);
    ASSERT_EQ(written, tree(ToJson(i))) << "round " << round;
  }
}

TEST(JsonTest, StoredListsReadWithoutATreeAgreeWithTheLibrary) {
  // Lists without escapes are read directly; the rest, and anything malformed,
  // by the library: the answers must be the library's either way.
  for (const std::string& text :
       std::vector<std::string>{"[]", "[\"\"]", "[\"a\",\"b\"]", "[\"\u5361 \\\"q\\\" \\\\ \\n\"]",
                                "[\"a\",]", "[,\"a\"]", "[\"a\"\"b\"]", "[\"a\"", "\"a\"]", "[\"a]",
                                "[1]", std::string("[\"a\x01\"]"), "[\"a\", \"b\"]", "{}"}) {
    SCOPED_TRACE(text);
    const auto got = StringsFromJson(text);
    const auto j = nlohmann::json::parse(text, nullptr, false);
    bool library_ok = j.is_array();
    for (const auto& v : library_ok ? j : nlohmann::json::array()) {
      library_ok = library_ok && v.is_string();
    }
    ASSERT_EQ(got.has_value(), library_ok);
    if (library_ok) {
      EXPECT_EQ(*got, j.get<std::vector<std::string>>());
    }
  }
}

TEST(JsonTest, GeoJsonFeatureUsesLonLatOrder) {
  const auto f = ToGeoJsonFeature(Sample());
  EXPECT_EQ(f["geometry"]["coordinates"][0], 68.368333);
  EXPECT_EQ(f["geometry"]["coordinates"][1], 25.379167);
  EXPECT_EQ(f["properties"]["category"], "armed-clash");
}

}  // namespace
}  // namespace corridor::model
