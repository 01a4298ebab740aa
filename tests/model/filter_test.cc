#include "corridor/model/filter.h"

#include <gtest/gtest.h>

namespace corridor::model {
namespace {

TEST(FilterTest, ParsesEveryField) {
  IncidentFilter f;
  ASSERT_TRUE(ParseFilterField(f, "from", "2010-01-01"));
  ASSERT_TRUE(ParseFilterField(f, "to", "2019-12-31"));
  ASSERT_TRUE(ParseFilterField(f, "area", "PK604"));
  ASSERT_TRUE(ParseFilterField(f, "bbox", "60.8,23.6,77.9,37.1"));
  ASSERT_TRUE(ParseFilterField(f, "near", "33.69,73.05,25"));
  ASSERT_TRUE(ParseFilterField(f, "category", "bombing,armed-clash"));
  ASSERT_TRUE(ParseFilterField(f, "text", "Peshawar"));
  ASSERT_TRUE(ParseFilterField(f, "dataset", "ucdp-ged"));
  EXPECT_EQ(f.from->iso(), "2010-01-01");
  EXPECT_EQ(f.to->iso(), "2019-12-31");
  EXPECT_EQ(*f.area, "PK604");
  EXPECT_EQ(*f.bbox, (BoundingBox{60.8, 23.6, 77.9, 37.1}));
  EXPECT_EQ(*f.near, (NearFilter{33.69, 73.05, 25}));
  EXPECT_EQ(f.categories, (std::vector<Category>{Category::kBombing, Category::kArmedClash}));
  EXPECT_EQ(*f.text, "Peshawar");
  EXPECT_TRUE(ValidateFilter(f));
  ASSERT_TRUE(ParseFilterField(f, "area", "pk604"));
  EXPECT_EQ(*f.area, "PK604");
}

TEST(FilterTest, RejectsWithTheFieldNamed) {
  struct Case {
    const char* name;
    const char* value;
    const char* want_prefix;
  };
  const Case cases[] = {
      {"from", "2019-02-30", "from:"},
      {"to", "yesterday", "to:"},
      {"area", "PK 6", "area:"},
      {"bbox", "1,2,3", "bbox:"},
      {"bbox", "70,30,60,35", "bbox:"},
      {"bbox", "70,95,71,96", "bbox:"},
      {"near", "33,73", "near:"},
      {"near", "33,73,-1", "near:"},
      {"near", "33,73,abc", "near:"},
      {"category", "terrorism", "category:"},
      {"text", "   ", "text:"},
      // Personal identifiers: nothing holds one, and the search would be audited with them.
      {"text", "0300 1234567", "text: looks like personal data (phone)"},
      {"text", "Quetta +92 300 1234567", "text: looks like personal data (phone)"},
      {"text", "35202-1234567-1", "text: looks like personal data (cnic)"},
      {"text", "\u06F0\u06F3\u06F0\u06F0\u06F1\u06F2\u06F3\u06F4\u06F5\u06F6\u06F7",
       "text: looks like personal data (phone)"},
      {"text", "someone@example.org", "text: looks like personal data (email)"},
      {"dataset", "gdelt", "dataset:"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.name) + "=" + c.value);
    IncidentFilter f;
    const auto r = ParseFilterField(f, c.name, c.value);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message.rfind(c.want_prefix, 0), 0u) << r.error().message;
  }
  IncidentFilter f;
  EXPECT_EQ(ParseFilterField(f, "colour", "red").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(ParseFilterField(f, "from", "2019-01-02"));
  ASSERT_TRUE(ParseFilterField(f, "to", "2019-01-01"));
  EXPECT_FALSE(ValidateFilter(f));
  // A filter made in code is checked as well.
  IncidentFilter made;
  made.text = "call 03001234567";
  ASSERT_FALSE(ValidateFilter(made));
  EXPECT_EQ(ValidateFilter(made).error().message.rfind("text: looks like personal data (phone)", 0),
            0u);
  made.text = "Quetta 2019";
  EXPECT_TRUE(ValidateFilter(made));
}

}  // namespace
}  // namespace corridor::model
