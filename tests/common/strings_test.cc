#include "corridor/common/strings.h"

#include <gtest/gtest.h>

#include "corridor/common/json_get.h"

namespace corridor {
namespace {

TEST(StringsTest, Utf8Validation) {
  struct Case {
    const char* name;
    std::string bytes;
    bool valid;
  };
  const Case cases[] = {
      {"ascii", "abc", true},
      {"urdu", "\xd9\xbe\xd8\xa7\xda\xa9\xd8\xb3\xd8\xaa\xd8\xa7\xd9\x86", true},
      {"chinese", "\xe5\xb7\xb4\xe5\x9f\xba\xe6\x96\xaf\xe5\x9d\xa6", true},
      {"lone continuation", "\x80", false},
      {"truncated", "\xe5\xb7", false},
      {"overlong slash", "\xc0\xaf", false},
      {"surrogate", "\xed\xa0\x80", false},
      {"latin1 e-acute", "caf\xe9", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(IsValidUtf8(c.bytes), c.valid);
  }
}

TEST(StringsTest, Windows1252) {
  EXPECT_EQ(Windows1252ToUtf8("caf\xe9"), "caf\xc3\xa9");
  EXPECT_EQ(Windows1252ToUtf8("\x93quoted\x94"), "\xe2\x80\x9cquoted\xe2\x80\x9d");
  EXPECT_EQ(Windows1252ToUtf8("\x80"), "\xe2\x82\xac");
  EXPECT_TRUE(IsValidUtf8(Windows1252ToUtf8(std::string("\x81\x8d\xff", 3))));
}

TEST(StringsTest, SplitTrimSha) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Trim("  x y \t"), "x y");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Echoing untrusted text: a cut never splits a character, invalid bytes and
// control characters become U+FFFD, and the result is always valid UTF-8
// (nlohmann::json throws on anything else; found by fuzz_params).
TEST(StringsTest, ExcerptIsAlwaysValidUtf8) {
  EXPECT_EQ(Excerpt("quetta", 40), "quetta");
  // Urdu: 2-byte characters; 5 bytes fit two of them, then the ellipsis.
  EXPECT_EQ(Excerpt("\xDA\xA9\xD9\x88\xD8\xA6", 5), "\xDA\xA9\xD9\x88\xE2\x80\xA6");
  EXPECT_EQ(Excerpt("a\x01"
                    "b",
                    40),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Excerpt("a\xFF"
                    "b",
                    40),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Excerpt("\xC2\x85", 40), "\xEF\xBF\xBD");              // C1 control NEL
  EXPECT_EQ(Excerpt("\xE4\xBD", 40), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
  std::string every;
  for (int b = 0; b < 256; ++b) every += static_cast<char>(b);
  for (std::size_t max : {0u, 1u, 7u, 40u, 1000u}) {
    const std::string e = Excerpt(every + every, max);
    EXPECT_TRUE(IsValidUtf8(e)) << max;
    EXPECT_EQ(FindControlCharacter(e), std::string_view::npos) << max;
    EXPECT_LE(e.size(), max + 3) << max;  // plus the ellipsis
  }
}

}  // namespace
TEST(JsonGetTest, AMemberOfTheWrongTypeIsTheFallbackNeverAThrow) {
  const auto j = nlohmann::json::parse(R"({"s":"x","b":true,"a":[1],"o":{"k":1},"n":null})");
  EXPECT_EQ(StringOr(j, "s"), "x");
  EXPECT_TRUE(BoolOr(j, "b", false));
  EXPECT_EQ(ArrayOr(j, "a").size(), 1u);
  EXPECT_EQ(ObjectOr(j, "o").size(), 1u);
  for (const char* key : {"s", "b", "a", "o", "n", "missing"}) {
    EXPECT_EQ(StringOr(j, key, "fb"), std::string(key) == "s" ? "x" : "fb") << key;
    EXPECT_EQ(BoolOr(j, key, false), std::string(key) == "b") << key;
    EXPECT_EQ(ArrayOr(j, key).empty(), std::string(key) != "a") << key;
    EXPECT_EQ(ObjectOr(j, key).empty(), std::string(key) != "o") << key;
  }
  for (const auto& not_object : {nlohmann::json::array({1}), nlohmann::json(1), nlohmann::json()}) {
    EXPECT_EQ(MemberOf(not_object, "s"), nullptr);
    EXPECT_EQ(StringOr(not_object, "s", "fb"), "fb");
  }
}

}  // namespace corridor
