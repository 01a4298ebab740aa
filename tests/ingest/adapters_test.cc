// The three source adapters over the real UCDP file and the project's GTD and
// ACLED format fixtures, field by field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "corridor/common/uuid.h"
#include "corridor/datasets/catalog.h"
#include "corridor/ingest/csv_reader.h"
#include "corridor/ingest/ingest.h"
#include "testing/testing.h"

namespace corridor::ingest {
namespace {

using model::Category;
using model::DatePrecision;
using model::Incident;
using model::LocationPrecision;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Converted {
  std::map<std::string, Incident> by_source_id;
  std::vector<Reject> rejects;
  std::int64_t records = 0;
};

Converted ConvertFile(Format format, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  CsvReader reader(in, path);
  CsvRecord header;
  auto first = reader.Next(header);
  EXPECT_TRUE(first && *first);
  auto adapter = MakeAdapter(format, header.fields);
  EXPECT_TRUE(adapter) << (adapter ? "" : adapter.error().message);
  Converted out;
  if (!adapter) return out;
  CsvRecord record;
  while (true) {
    auto next = reader.Next(record);
    EXPECT_TRUE(next) << (next ? "" : next.error().message);
    if (!next || !*next) break;
    ++out.records;
    auto incident = (*adapter)->Convert(record);
    if (incident) {
      EXPECT_TRUE(out.by_source_id.emplace(incident->provenance.source_id, *incident).second);
    } else {
      out.rejects.push_back(incident.error());
    }
  }
  return out;
}

Date Ymd(int y, int m, int d) { return *Date::FromYmd(y, m, d); }

// ---------------------------------------------------------------- UCDP GED

class UcdpRealFileTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    converted_ = new Converted(ConvertFile(
        Format::kUcdpGed, corridor::testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv")));
  }
  static void TearDownTestSuite() { delete converted_; }
  static const Incident& Get(const std::string& id) { return converted_->by_source_id.at(id); }
  static Converted* converted_;
};
Converted* UcdpRealFileTest::converted_ = nullptr;

TEST_F(UcdpRealFileTest, AllRowsConvertWithoutRejects) {
  EXPECT_EQ(converted_->records, 5834);
  EXPECT_EQ(converted_->by_source_id.size(), 5834u);
  EXPECT_THAT(converted_->rejects, IsEmpty());
  std::map<Category, int> by_category;
  for (const auto& [id, inc] : converted_->by_source_id) {
    ++by_category[inc.category];
    EXPECT_EQ(inc.id, RecordId("ucdp-ged", id));
    EXPECT_EQ(inc.country, "PAK");
  }
  // type_of_violence 1: 4,826 + 2: 468 = 5,294 armed clashes; 3: 540 one-sided.
  EXPECT_EQ(by_category[Category::kArmedClash], 5294);
  EXPECT_EQ(by_category[Category::kViolenceAgainstCivilians], 540);
}

TEST_F(UcdpRealFileTest, FirstRow51720) {
  const Incident& inc = Get("51720");
  EXPECT_EQ(inc.id, RecordId("ucdp-ged", "51720"));
  EXPECT_EQ(inc.id.str(), RecordId("ucdp-ged", "51720").str());
  EXPECT_EQ(inc.provenance.dataset, "ucdp-ged");
  EXPECT_EQ(inc.provenance.dataset_version, "20.1");
  EXPECT_EQ(inc.provenance.line, 2);
  EXPECT_EQ(inc.date_start, Ymd(1990, 3, 27));
  EXPECT_EQ(inc.date_end, Ymd(1990, 3, 27));
  EXPECT_EQ(inc.date_precision, DatePrecision::kDay);
  EXPECT_DOUBLE_EQ(*inc.latitude, 25.379167);
  EXPECT_DOUBLE_EQ(*inc.longitude, 68.368333);
  EXPECT_EQ(inc.location_precision, LocationPrecision::kExact);
  EXPECT_EQ(inc.location, "Hyderabad Town");
  EXPECT_EQ(inc.source_admin1, "Sindh Province");
  EXPECT_EQ(inc.source_admin2, "Hyderabad District");
  EXPECT_EQ(inc.country, "PAK");
  EXPECT_EQ(inc.category, Category::kArmedClash);
  EXPECT_EQ(inc.source_type, "ucdp:type_of_violence=2");
  EXPECT_EQ(inc.violence_type, 2);
  EXPECT_THAT(inc.parties, ElementsAre("Mohajir", "Sindhi"));
  EXPECT_THAT(inc.perpetrators, IsEmpty());
  EXPECT_EQ(inc.killed, 1);
  EXPECT_EQ(inc.killed_low, 1);
  EXPECT_EQ(inc.killed_high, 1);
  EXPECT_EQ(inc.wounded, std::nullopt);
  EXPECT_EQ(inc.hostages, std::nullopt);
  EXPECT_EQ(inc.property_damage, std::nullopt);
  EXPECT_EQ(inc.headline, "");
  EXPECT_EQ(inc.description, "Hyderabad; Mohajir - Sindhi; source: Police");
  EXPECT_EQ(inc.licence, datasets::LicenceOf("ucdp-ged"));
  EXPECT_TRUE(inc.target_types.empty());
}

// The first record with a newline inside a quoted field (source_article):
// physical lines 30-33; its line is the first.
TEST_F(UcdpRealFileTest, MultiLineRow51810) {
  const Incident& inc = Get("51810");
  EXPECT_EQ(inc.provenance.line, 30);
  EXPECT_EQ(inc.date_start, Ymd(2010, 1, 27));
  EXPECT_DOUBLE_EQ(*inc.latitude, 34.744325);
  EXPECT_DOUBLE_EQ(*inc.longitude, 71.286576);
  EXPECT_EQ(inc.location_precision, LocationPrecision::kExact);
  EXPECT_EQ(inc.location, "Chinar Town");
  EXPECT_EQ(inc.source_admin1, "Federally Administered Tribal Areas");
  EXPECT_EQ(inc.source_admin2, "Bajaur Agency");
  EXPECT_EQ(inc.category, Category::kArmedClash);
  EXPECT_EQ(inc.violence_type, 1);
  EXPECT_THAT(inc.parties, ElementsAre("Government of Pakistan", "TTP"));
  EXPECT_THAT(inc.perpetrators, IsEmpty());
  EXPECT_EQ(inc.killed, 13);
  EXPECT_EQ(inc.description,
            "Chinnar village; Government of Pakistan - TTP; source: official of district "
            "administration");
}

// One-sided violence: the perpetrator is side_a; where_prec 3 -> district.
TEST_F(UcdpRealFileTest, OneSidedRow52327) {
  const Incident& inc = Get("52327");
  EXPECT_EQ(inc.provenance.line, 379);
  EXPECT_EQ(inc.date_start, Ymd(2010, 7, 31));
  EXPECT_EQ(inc.category, Category::kViolenceAgainstCivilians);
  EXPECT_EQ(inc.source_type, "ucdp:type_of_violence=3");
  EXPECT_EQ(inc.location_precision, LocationPrecision::kDistrict);
  EXPECT_THAT(inc.parties, ElementsAre("TTP", "Civilians"));
  EXPECT_THAT(inc.perpetrators, ElementsAre("TTP"));
  EXPECT_EQ(inc.killed, 2);
  EXPECT_EQ(inc.description, "North Waziristan; TTP - Civilians");
}

// The last row: where_prec 5 -> province, a headline, a multi-line where_description.
TEST_F(UcdpRealFileTest, LastRow323260) {
  const Incident& inc = Get("323260");
  EXPECT_EQ(inc.provenance.line, 9893);
  EXPECT_EQ(inc.date_start, Ymd(2019, 4, 18));
  EXPECT_EQ(inc.location_precision, LocationPrecision::kProvince);
  EXPECT_EQ(inc.location, "Makran Coastal Highway");
  EXPECT_EQ(inc.source_admin2, "Gwadar District");
  EXPECT_EQ(inc.killed, 14);
  EXPECT_EQ(inc.headline.rfind("Gunmen kill at least 14 bus passengers in Pakistan: official;", 0),
            0u);
  EXPECT_EQ(inc.description,
            "Ormara area\n\nMakran Coastal Highway in Balochistan's area; Government of "
            "Pakistan - BRAS; source: military pfficial");
}

TEST(UcdpAdapterTest, HeaderMissingColumnsNamed) {
  auto adapter = MakeAdapter(Format::kUcdpGed, {"id", "year", "latitude"});
  ASSERT_FALSE(adapter);
  EXPECT_EQ(adapter.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(adapter.error().message.find("type_of_violence"), std::string::npos);
  EXPECT_NE(adapter.error().message.find("best_est"), std::string::npos);
  EXPECT_EQ(adapter.error().message.find("latitude"), std::string::npos);
}

// ---------------------------------------------------------------- GTD

class GtdFixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    converted_ = ConvertFile(Format::kGtd,
                             corridor::testing::TestPath("fixtures/gtd/gtd_codebook_fixture.csv"));
  }
  const Incident& Get(const std::string& id) { return converted_.by_source_id.at(id); }
  Converted converted_;
};

TEST_F(GtdFixtureTest, AllRows) {
  EXPECT_EQ(converted_.records, 8);
  EXPECT_THAT(converted_.rejects, IsEmpty());
  for (const auto& [id, inc] : converted_.by_source_id) {
    EXPECT_EQ(inc.id, RecordId("gtd", id));
    EXPECT_EQ(inc.licence, datasets::LicenceOf("gtd"));
    EXPECT_FALSE(inc.licence.redistribution);
    EXPECT_EQ(inc.country, "PAK");
    EXPECT_EQ(inc.provenance.dataset, "gtd");
  }
}

TEST_F(GtdFixtureTest, SuicideBombingMinorDamage) {
  const Incident& inc = Get("201501019001");
  EXPECT_EQ(inc.provenance.line, 2);
  EXPECT_EQ(inc.date_start, Ymd(2015, 1, 1));
  EXPECT_EQ(inc.date_precision, DatePrecision::kDay);
  EXPECT_EQ(inc.category, Category::kSuicideBombing);
  EXPECT_EQ(inc.source_type, "gtd:attacktype1=3");
  EXPECT_DOUBLE_EQ(*inc.latitude, 30.183333);
  EXPECT_EQ(inc.location_precision, LocationPrecision::kNear);
  EXPECT_EQ(inc.location, "Quetta");
  EXPECT_EQ(inc.source_admin1, "Balochistan");
  EXPECT_THAT(inc.target_types, ElementsAre("Police"));
  EXPECT_THAT(inc.target_nationalities, ElementsAre("PAK"));
  EXPECT_THAT(inc.perpetrators, ElementsAre("Fixture Group Alpha"));
  EXPECT_EQ(inc.killed, 5);
  EXPECT_EQ(inc.wounded, 12);
  EXPECT_EQ(inc.hostages, std::nullopt);
  EXPECT_EQ(inc.property_damage, 1);  // propextent 3 (minor) -> band 1
  EXPECT_EQ(inc.headline, "Bombing/Explosion in Quetta, Balochistan");
  EXPECT_EQ(inc.description, "FIXTURE: invented row. A suicide bomber struck a police checkpost.");
}

TEST_F(GtdFixtureTest, KidnappingMonthPrecisionNationalities) {
  const Incident& inc = Get("201502009002");
  EXPECT_EQ(inc.date_start, Ymd(2015, 2, 1));
  EXPECT_EQ(inc.date_end, Ymd(2015, 2, 28));
  EXPECT_EQ(inc.date_precision, DatePrecision::kMonth);
  EXPECT_EQ(inc.category, Category::kKidnappingHostage);
  EXPECT_THAT(inc.target_types, ElementsAre("Business", "Private Citizens & Property"));
  EXPECT_THAT(inc.target_nationalities, ElementsAre("CHN", "PAK"));
  EXPECT_THAT(inc.perpetrators, IsEmpty());  // gname "Unknown"
  EXPECT_THAT(inc.parties, IsEmpty());
  EXPECT_EQ(inc.killed, 0);
  EXPECT_EQ(inc.hostages, 2);
  EXPECT_EQ(inc.property_damage, 0);  // property 0
}

TEST_F(GtdFixtureTest, YearPrecisionUnknownCounts) {
  const Incident& inc = Get("201500009003");
  EXPECT_EQ(inc.date_start, Ymd(2015, 1, 1));
  EXPECT_EQ(inc.date_end, Ymd(2015, 12, 31));
  EXPECT_EQ(inc.date_precision, DatePrecision::kYear);
  EXPECT_EQ(inc.category, Category::kArmedAssault);
  EXPECT_EQ(inc.location_precision, LocationPrecision::kDistrict);
  EXPECT_THAT(inc.perpetrators, ElementsAre("Fixture Group Beta", "Fixture Group Gamma"));
  EXPECT_EQ(inc.killed, std::nullopt);  // blank nkill
  EXPECT_EQ(inc.wounded, 3);
  EXPECT_EQ(inc.hostages, std::nullopt);         // nhostkid -99
  EXPECT_EQ(inc.property_damage, std::nullopt);  // property -9
}

TEST_F(GtdFixtureTest, PropextentReversed) {
  EXPECT_EQ(Get("201503049004").property_damage, 3);  // 1 catastrophic
  EXPECT_EQ(Get("201503049004").category, Category::kFacilityAttack);
  EXPECT_EQ(Get("201504059005").property_damage, 2);             // 2 major
  EXPECT_EQ(Get("201501019001").property_damage, 1);             // 3 minor
  EXPECT_EQ(Get("201506069006").property_damage, std::nullopt);  // 4 unknown
}

TEST_F(GtdFixtureTest, BombingNationalityOutsideTable) {
  const Incident& inc = Get("201504059005");
  EXPECT_EQ(inc.category, Category::kBombing);  // suicide 0
  EXPECT_THAT(inc.target_nationalities, ElementsAre("GBR", "Multinational"));
  EXPECT_EQ(inc.description,
            "FIXTURE: invented row. A bomb exploded near a hotel, damaging \"several\" vehicles, "
            "shops.");
}

TEST_F(GtdFixtureTest, NoCoordinates) {
  const Incident& inc = Get("201506069006");
  EXPECT_EQ(inc.category, Category::kAssassination);
  EXPECT_EQ(inc.latitude, std::nullopt);
  EXPECT_EQ(inc.longitude, std::nullopt);
  EXPECT_EQ(inc.location_precision, LocationPrecision::kNone);
  EXPECT_EQ(inc.headline, "Assassination");
}

TEST_F(GtdFixtureTest, ExtendedBarricadeMultiLine) {
  const Incident& inc = Get("201507079007");
  EXPECT_EQ(inc.provenance.line, 8);
  EXPECT_EQ(inc.date_start, Ymd(2015, 7, 7));
  EXPECT_EQ(inc.date_end, Ymd(2015, 7, 10));
  EXPECT_EQ(inc.date_precision, DatePrecision::kDays);
  EXPECT_EQ(inc.category, Category::kKidnappingHostage);
  EXPECT_EQ(inc.source_type, "gtd:attacktype1=5");
  EXPECT_THAT(inc.target_nationalities, ElementsAre("AFG", "IRN"));
  EXPECT_EQ(inc.hostages, 14);
  EXPECT_EQ(inc.killed, 2);
  EXPECT_EQ(inc.wounded, 4);
  EXPECT_EQ(inc.description,
            "FIXTURE: invented row. Assailants held staff of a port office\nfor three days.");
  EXPECT_EQ(Get("201508089008").provenance.line, 10);
  EXPECT_EQ(Get("201508089008").category, Category::kUnknown);
  EXPECT_EQ(Get("201508089008").location_precision, LocationPrecision::kProvince);
  EXPECT_THAT(Get("201508089008").target_nationalities, IsEmpty());
}

TEST(GtdAdapterTest, GenericGroupLabelsAreNeverPerpetrators) {
  const std::vector<std::string> header = {"eventid",     "iyear",       "imonth",      "iday",
                                           "country_txt", "provstate",   "city",        "latitude",
                                           "longitude",   "specificity", "attacktype1", "suicide",
                                           "gname",       "nkill",       "nwound"};
  auto adapter = MakeAdapter(Format::kGtd, header);
  ASSERT_TRUE(adapter) << adapter.error().message;
  struct Case { const char* gname; bool perpetrator; };
  const Case cases[] = {
      {"Tehrik-i-Taliban Pakistan (TTP)", true},
      {"Lashkar-e-Jhangvi", true},
      {"Baloch Liberation Army (BLA)", true},
      {"Muslim extremists", false},
      {"Baloch Separatists", false},
      {"Gunmen", false},
      {"Tribesmen", false},
      {"Other", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.gname);
    CsvRecord r;
    r.fields = {"201501019001", "2015", "1", "1", "Pakistan", "Sindh", "Karachi", "24.9",
                "67.1",         "1",    "3", "0", c.gname,    "2",     "3"};
    r.line = 2;
    auto inc = (*adapter)->Convert(r);
    ASSERT_TRUE(inc);
    EXPECT_THAT(inc->parties, ElementsAre(c.gname));
    if (c.perpetrator) {
      EXPECT_THAT(inc->perpetrators, ElementsAre(c.gname));
    } else {
      EXPECT_THAT(inc->perpetrators, IsEmpty());
    }
  }
}

TEST(GtdAdapterTest, BadValuesRejectedNamingColumn) {
  const std::vector<std::string> header = {"eventid",     "iyear",       "imonth",      "iday",
                                           "country_txt", "provstate",   "city",        "latitude",
                                           "longitude",   "specificity", "attacktype1", "suicide",
                                           "gname",       "nkill",       "nwound"};
  auto adapter = MakeAdapter(Format::kGtd, header);
  ASSERT_TRUE(adapter) << adapter.error().message;
  auto convert = [&](std::vector<std::string> fields) {
    CsvRecord r;
    r.fields = std::move(fields);
    r.line = 7;
    return (*adapter)->Convert(r);
  };
  const std::vector<std::string> good = {"201501019001", "2015", "1",    "1", "Pakistan", "Sindh",
                                         "Karachi",      "24.9", "67.1", "1", "3",        "0",
                                         "Unknown",      "2",    "3"};
  ASSERT_TRUE(convert(good));
  struct Bad {
    std::size_t index;
    std::string value;
    std::string column;
  };
  for (const Bad& bad : std::vector<Bad>{{0, "", "eventid"},
                                         {2, "13", "imonth"},
                                         {3, "30", "iday"},  // with imonth 2: 2015-02-30
                                         {7, "95.5", "latitude"},
                                         {8, "east", "longitude"},
                                         {10, "12", "attacktype1"},
                                         {13, "many", "nkill"},
                                         {14, "-1", "nwound"}}) {
    auto fields = good;
    fields[bad.index] = bad.value;
    if (bad.column == "iday") fields[2] = "2";  // 2015-02-30
    auto got = convert(fields);
    ASSERT_FALSE(got) << bad.column;
    EXPECT_EQ(got.error().field, bad.column);
    EXPECT_EQ(got.error().line, 7);
    EXPECT_FALSE(got.error().reason.empty());
  }
  auto short_row = good;
  short_row.pop_back();
  auto got = convert(short_row);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().field, "");
  EXPECT_EQ(got.error().reason, "expected 15 fields, got 14");
}

// ---------------------------------------------------------------- ACLED

class AcledFixtureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    converted_ = ConvertFile(
        Format::kAcled, corridor::testing::TestPath("fixtures/acled/acled_format_fixture.csv"));
  }
  const Incident& Get(const std::string& id) { return converted_.by_source_id.at(id); }
  Converted converted_;
};

TEST_F(AcledFixtureTest, AllRows) {
  EXPECT_EQ(converted_.records, 8);
  EXPECT_THAT(converted_.rejects, IsEmpty());
  for (const auto& [id, inc] : converted_.by_source_id) {
    EXPECT_EQ(inc.id, RecordId("acled", id));
    EXPECT_EQ(inc.licence, datasets::LicenceOf("acled"));
    EXPECT_EQ(inc.country, "PAK");
  }
}

TEST_F(AcledFixtureTest, Categories) {
  EXPECT_EQ(Get("PAK90001").category, Category::kSuicideBombing);
  EXPECT_EQ(Get("PAK90002").category, Category::kArmedClash);
  EXPECT_EQ(Get("PAK90003").category, Category::kKidnappingHostage);
  EXPECT_EQ(Get("PAK90004").category, Category::kRemoteViolence);
  EXPECT_EQ(Get("PAK90005").category, Category::kBombing);
  EXPECT_EQ(Get("PAK90006").category, Category::kUnknown);
  EXPECT_EQ(Get("PAK90007").category, Category::kFacilityAttack);
  EXPECT_EQ(Get("PAK90008").category, Category::kViolenceAgainstCivilians);
  EXPECT_EQ(Get("PAK90004").source_type, "acled:Explosions/Remote violence/Air/drone strike");
}

TEST_F(AcledFixtureTest, PerpetratorsOnlyForOneSidedTypes) {
  EXPECT_THAT(Get("PAK90001").perpetrators, ElementsAre("Fixture Armed Group A"));
  EXPECT_THAT(Get("PAK90002").perpetrators, IsEmpty());  // Battles
  EXPECT_THAT(Get("PAK90003").perpetrators, ElementsAre("Fixture Armed Group A"));
  EXPECT_THAT(Get("PAK90006").perpetrators, IsEmpty());  // Protests
  EXPECT_THAT(Get("PAK90007").perpetrators, ElementsAre("Fixture Armed Group A"));
  EXPECT_THAT(
      Get("PAK90002").parties,
      ElementsAre("Fixture Military Forces", "Fixture Armed Group B", "Fixture Tribal Militia"));
  EXPECT_THAT(Get("PAK90006").parties,
              ElementsAre("Protesters (Pakistan)", "Fixture Traders Association"));
}

TEST_F(AcledFixtureTest, DatesAndPrecision) {
  const Incident& first = Get("PAK90001");
  EXPECT_EQ(first.date_start, Ymd(2019, 3, 15));
  EXPECT_EQ(first.date_precision, DatePrecision::kDay);
  EXPECT_EQ(first.provenance.line, 2);
  EXPECT_EQ(Get("PAK90002").date_start, Ymd(2019, 4, 2));
  EXPECT_EQ(Get("PAK90002").date_precision, DatePrecision::kWeek);
  EXPECT_EQ(Get("PAK90003").date_start, Ymd(2019, 5, 1));
  EXPECT_EQ(Get("PAK90003").date_end, Ymd(2019, 5, 31));
  EXPECT_EQ(Get("PAK90003").date_precision, DatePrecision::kMonth);
  EXPECT_EQ(Get("PAK90004").date_start, Ymd(2019, 6, 1));
  EXPECT_EQ(Get("PAK90005").date_start, Ymd(2019, 7, 10));
  EXPECT_EQ(Get("PAK90007").date_start, Ymd(2019, 9, 3));
}

TEST_F(AcledFixtureTest, PlaceAndCounts) {
  const Incident& inc = Get("PAK90001");
  EXPECT_DOUBLE_EQ(*inc.latitude, 30.1841);
  EXPECT_DOUBLE_EQ(*inc.longitude, 67.0014);
  EXPECT_EQ(inc.location_precision, LocationPrecision::kExact);
  EXPECT_EQ(inc.location, "Quetta");
  EXPECT_EQ(inc.source_admin1, "Balochistan");
  EXPECT_EQ(inc.source_admin2, "Quetta");
  EXPECT_EQ(inc.killed, 4);
  EXPECT_EQ(inc.wounded, std::nullopt);
  EXPECT_EQ(inc.headline, "Suicide bomb in Quetta");
  EXPECT_EQ(inc.description,
            "FIXTURE: invented row. A suicide bomber attacked a checkpoint, killing 4.");
  EXPECT_EQ(Get("PAK90002").location_precision, LocationPrecision::kNear);
  EXPECT_EQ(Get("PAK90004").location_precision, LocationPrecision::kProvince);
  EXPECT_THAT(Get("PAK90003").target_types, ElementsAre("Civilians"));
  EXPECT_THAT(Get("PAK90001").target_types, IsEmpty());
  EXPECT_EQ(Get("PAK90008").killed, 2);
}

TEST(AcledAdapterTest, WrongHeader) {
  auto adapter = MakeAdapter(Format::kAcled, {"event_id_cnty", "event_date", "notes"});
  ASSERT_FALSE(adapter);
  EXPECT_EQ(adapter.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(adapter.error().message.find("sub_event_type"), std::string::npos);
  EXPECT_NE(adapter.error().message.find("fatalities"), std::string::npos);
}

TEST(FormatTest, Names) {
  EXPECT_EQ(ParseFormat("ucdp-ged"), Format::kUcdpGed);
  EXPECT_EQ(ParseFormat("gtd"), Format::kGtd);
  EXPECT_EQ(ParseFormat("acled"), Format::kAcled);
  EXPECT_EQ(ParseFormat("stix"), std::nullopt);
  EXPECT_EQ(FormatName(Format::kAcled), "acled");
}

}  // namespace
}  // namespace corridor::ingest
