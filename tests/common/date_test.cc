#include "corridor/common/date.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <regex>
#include <string>

namespace corridor {
namespace {

TEST(DateTest, ParseIso) {
  struct Case {
    const char* text;
    bool ok;
    int days;
  };
  const Case cases[] = {
      {"1970-01-01", true, 0},     {"1970-01-02", true, 1},     {"1969-12-31", true, -1},
      {"2000-02-29", true, 11016}, {"1900-02-29", false, 0},    {"2019-13-01", false, 0},
      {"2019-1-01", false, 0},     {"2019-01-01T00", false, 0}, {"abcd-ef-gh", false, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const auto d = Date::ParseIso(c.text);
    ASSERT_EQ(d.has_value(), c.ok);
    if (c.ok) {
      EXPECT_EQ(d->days(), c.days);
      EXPECT_EQ(d->iso(), c.text);
    }
  }
}

TEST(DateTest, IsoIsWhatPrintfWrites) {
  const auto printf_iso = [](const Date& d) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
    return std::string(buf);
  };
  for (std::int32_t days = -62'000; days < 120'000; ++days) {  // 1800 to 2298, every day
    ASSERT_EQ(Date(days).iso(), printf_iso(Date(days))) << days;
  }
  for (const int year : {0, 1, 999, 9999, 10000, -1, -44}) {
    const auto d = Date::FromYmd(year, 7, 4);
    if (!d) continue;
    EXPECT_EQ(d->iso(), printf_iso(*d)) << year;
  }
}

TEST(DateTest, Fields) {
  const Date d = *Date::FromYmd(2019, 12, 31);
  EXPECT_EQ(d.year(), 2019);
  EXPECT_EQ(d.month(), 12);
  EXPECT_EQ(d.day(), 31);
  EXPECT_LT(*Date::FromYmd(1989, 1, 1), d);
}

TEST(DateTest, NowTimestampIsRfc3339Utc) {
  EXPECT_TRUE(
      std::regex_match(NowTimestamp(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
}

}  // namespace
}  // namespace corridor
