#include "corridor/stix/jcs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace corridor::stix {
namespace {

using nlohmann::json;

// RFC 8785 appendix B and section 3.2.2.3 examples.
TEST(JcsTest, NumbersAsEcmaScript) {
  struct Case {
    double value;
    const char* want;
  };
  const Case cases[] = {
      {0.0, "0"},
      {-0.0, "0"},
      {1.0, "1"},
      {-1.0, "-1"},
      {4.50, "4.5"},
      {2e-3, "0.002"},
      {0.000001, "0.000001"},
      {1e-7, "1e-7"},
      {1e-27, "1e-27"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {1e30, "1e+30"},
      {333333333.33333329, "333333333.3333333"},
      {9007199254740992.0, "9007199254740992"},
      {295147905179352830000.0, "295147905179352830000"},
      {33.71, "33.71"},
      {5e-324, "5e-324"},
      {-1.7976931348623157e308, "-1.7976931348623157e+308"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.want);
    EXPECT_EQ(CanonicalNumber(c.value), c.want);
  }
}

TEST(JcsTest, SortsMembersByUtf16CodeUnits) {
  // RFC 8785 section 3.2.3: the emoji (a surrogate pair, 0xD83D...) sorts
  // before U+FB33 although its UTF-8 bytes sort after.
  const json j = json::parse(
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"})");
  auto got = Canonicalize(j);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got,
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\",\"\xc3\xb6\":"
            "\"Latin Small Letter O With Diaeresis\",\"\xe2\x82\xac\":\"Euro Sign\","
            "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\",\"\xef\xac\xb3\":\"Hebrew Letter "
            "Dalet With Dagesh\"}");
}

TEST(JcsTest, RfcExampleStructure) {
  const json j = json::parse(R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })");
  auto got = Canonicalize(j);
  ASSERT_TRUE(got) << got.error().message;
  EXPECT_EQ(*got,
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST(JcsTest, RejectsWhatJsonCannotCarryNamingThePointer) {
  json j = {{"a", {{"b", std::numeric_limits<double>::quiet_NaN()}}}};
  auto got = Canonicalize(j);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message, "/a/b: NaN and infinity have no JSON form");
  json bad_utf8 = {{"x", json::array({std::string("ok"), std::string("\xff")})}};
  got = Canonicalize(bad_utf8);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message, "/x/1: string is not valid UTF-8");
}

// What Canonicalize writes, read back, canonicalizes to the same text: a double whose
// canonical form is an integer beyond 2^53 would come back as an integer JCS refuses, so
// it is refused going out as well (fuzz_stix, crash-jcs-float-reads-back-as-integer).
TEST(JcsTest, CanonicalFormReadsBackToItself) {
  for (const char* text : {"-777777777737e7", "9007199254740994.0", "1.8e19"}) {
    SCOPED_TRACE(text);
    auto got = Canonicalize(json::parse(text));
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().message,
              "/: number beyond 2^53 written as an integer has no exact JCS form");
  }
  for (const char* text :
       {"9007199254740992.0", "295147905179352830000", "-1e20", "1e21", "33.71"}) {
    SCOPED_TRACE(text);
    auto got = Canonicalize(json::parse(text));
    ASSERT_TRUE(got) << got.error().message;
    auto again = Canonicalize(json::parse(*got));
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, *got);
  }
}

}  // namespace
}  // namespace corridor::stix
