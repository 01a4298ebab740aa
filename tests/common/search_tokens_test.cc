// SearchTokens (common/search_key.h): the words of the incident text index,
// in the corridor's three languages.
#include <gtest/gtest.h>

#include "corridor/common/search_key.h"

namespace corridor {
namespace {

std::vector<std::string> Keys(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : SearchTokens(text)) out.push_back(t.key);
  return out;
}

TEST(SearchTokens, LatinWordsAreFoldedAndSplitOnEverythingElse) {
  EXPECT_EQ(Keys("IED blast near Islāmābād, 3 KILLED (D.I. Khan)"),
            (std::vector<std::string>{"ied", "blast", "near", "islamabad", "3", "killed", "d", "i",
                                      "khan"}));
  const auto tokens = SearchTokens("  Quetta bomb");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].begin, 2u);
  EXPECT_EQ(tokens[0].end, 8u);
  EXPECT_EQ(tokens[1].begin, 9u);
}

TEST(SearchTokens, ArabicAndPersianLettersReadAsUrdu) {
  // کوئٹہ as Urdu writes it, and as an Arabic keyboard gives it (ك ي ه).
  EXPECT_EQ(Keys("کوئٹہ میں دھماکہ"), Keys("كوئٹه ميں دھماكه"));
  // ZWNJ separates like a space; Urdu digits are digits.
  EXPECT_EQ(Keys("اسلام‌آباد ۲۰۱۳"), Keys("اسلام آباد 2013"));
  EXPECT_EQ(Keys("اسلام آباد").size(), 2u);
}

TEST(SearchTokens, ChineseRunsBecomeBigramsInSimplifiedCharacters) {
  EXPECT_EQ(Keys("奎達發生爆炸"),
            (std::vector<std::string>{"奎达", "达发", "发生", "生爆", "爆炸"}));
  // A run inside other text, and a lone character.
  EXPECT_EQ(Keys("CPEC项目 瓜 port"), (std::vector<std::string>{"cpec", "项目", "瓜", "port"}));
  const auto tokens = SearchTokens("a奎达");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[1].begin, 1u);
  EXPECT_EQ(tokens[1].end, 7u);  // two 3-byte characters
}

TEST(SearchTokens, InvalidUtf8SeparatesWordsAndNothingIsLost) {
  EXPECT_EQ(Keys("bomb\xff\xfe"
                 "blast"),
            (std::vector<std::string>{"bomb", "blast"}));
  EXPECT_TRUE(Keys("").empty());
  EXPECT_TRUE(Keys(" ,.;- ").empty());
}

}  // namespace
}  // namespace corridor
