#include "corridor/common/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace corridor {
namespace {

TEST(UuidTest, V5KnownValues) {
  // Expected values computed independently with Python's uuid.uuid5.
  struct Case { const char* dataset; const char* id; const char* want; };
  const Case cases[] = {
      {"ucdp-ged", "51720", "31e95a71-2e37-5cef-bc47-b2933511fd09"},
      {"gtd", "201401010001", "38298c75-169f-5e04-acaa-7b034af60b0f"},
      {"acled", "PAK1234", "a363ee56-7a9b-5136-9635-442b55033b66"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.id);
    const Uuid u = RecordId(c.dataset, c.id);
    EXPECT_EQ(u.str(), c.want);
    EXPECT_EQ(u.version(), 5);
  }
  const Uuid dns = *Uuid::Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  EXPECT_EQ(Uuid::V5(dns, "python.org").str(), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(UuidTest, V4IsRandomVersion4Variant1) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const Uuid u = Uuid::V4();
    EXPECT_EQ(u.version(), 4);
    EXPECT_EQ(u.bytes()[8] & 0xC0, 0x80);
    seen.insert(u.str());
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidTest, ParseRoundTripAndRejects) {
  const auto u = Uuid::Parse("DF6F8122-7505-4D08-A054-498BE83C5FCB");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->str(), "df6f8122-7505-4d08-a054-498be83c5fcb");
  for (const char* bad : {"", "df6f812275054d08a054498be83c5fcb", "df6f8122-7505-4d08-a054-498be83c5fc",
                          "df6f8122-7505-4d08-a054-498be83c5fcg", "df6f8122+7505-4d08-a054-498be83c5fcb"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(Uuid::Parse(bad).has_value());
  }
  EXPECT_TRUE(Uuid().is_nil());
}

}  // namespace
}  // namespace corridor
