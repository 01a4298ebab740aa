// The one CSV form of an incident (model/incident_csv.h).
#include "corridor/model/incident_csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "corridor/common/strings.h"

namespace corridor::model {
namespace {

std::vector<std::string> Fields(const std::string& row) {
  // The rows below quote nothing that holds a comma except where noted.
  return Split(row, ',');
}

Incident Sample() {
  Incident i;
  i.id = Uuid::Parse("0f4d7a52-6a4e-5c2b-9d0e-3b5f0c1a2b3c").value();
  i.provenance.dataset = "manual";
  i.date_start = Date::ParseIso("2021-07-14").value();
  i.date_end = i.date_start;
  i.latitude = 35.5;
  i.longitude = 73.2;
  i.location_precision = LocationPrecision::kDistrict;
  i.category = Category::kBombing;
  i.killed = 13;
  i.parties = {"Government of Pakistan"};
  i.headline = "=HYPERLINK(\"http://example.invalid\")";
  i.description = "@SUM(1)";
  i.location = "-Dasu";
  i.marking.tlp = Tlp::kAmber;
  i.licence.id = "CC-BY-4.0";
  i.licence.attribution = "Example source";
  return i;
}

TEST(IncidentCsvTest, HeaderNamesPrecisionDescriptionPartiesMarkingAndAttribution) {
  const auto header = Split(std::string(IncidentCsvHeader()), ',');
  for (const char* column :
       {"date_precision", "location_precision", "description", "parties", "perpetrators",
        "killed_low", "killed_high", "marking", "licence", "attribution"}) {
    EXPECT_NE(std::find(header.begin(), header.end(), column), header.end()) << column;
  }
  EXPECT_EQ(header.back(), "attribution");
}

TEST(IncidentCsvTest, ARowHasAFieldPerColumnAndDefusesSpreadsheetFormulas) {
  const std::string row = IncidentCsvRow(Sample());
  // The headline is quoted (it holds quotes) and starts with an apostrophe.
  EXPECT_NE(row.find("\"'=HYPERLINK(\"\"http://example.invalid\"\")\""), std::string::npos) << row;
  EXPECT_NE(row.find(",'@SUM(1),"), std::string::npos) << row;
  EXPECT_NE(row.find(",'-Dasu,"), std::string::npos) << row;
  EXPECT_NE(row.find(",district,"), std::string::npos) << row;
  EXPECT_NE(row.find(",TLP:AMBER,CC-BY-4.0,Example source"), std::string::npos) << row;
  // Coordinates and numbers are not text: a negative latitude keeps its sign.
  Incident south = Sample();
  south.latitude = -12.5;
  south.headline = "plain";
  const auto fields = Fields(IncidentCsvRow(south));
  EXPECT_EQ(fields.size(), Split(std::string(IncidentCsvHeader()), ',').size());
  EXPECT_EQ(fields[6], "-12.500000");
}

}  // namespace
}  // namespace corridor::model
