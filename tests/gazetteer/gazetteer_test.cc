// The gazetteer on the real GeoNames cities1000 (scripts/geonames.sh) and
// config/places.tsv: reading, names by script, search in three languages.
#include "corridor/gazetteer/gazetteer.h"

#include <gtest/gtest.h>

#include "corridor/common/search_key.h"
#include "testing/testing.h"

namespace corridor::gazetteer {
namespace {

using corridor::testing::GeoNamesPath;
using corridor::testing::SourcePath;
using corridor::testing::TempDir;
using corridor::testing::WriteFile;

TEST(SearchKeyTest, FoldsScriptsVariantsMarksAndSeparators) {
  EXPECT_EQ(SearchKey("Islāmābād"), "islamabad");
  EXPECT_EQ(SearchKey("İSLAMABAD"), "islamabad");
  EXPECT_EQ(SearchKey("Dera Ismā‘īl Khān"), "deraismailkhan");
  EXPECT_EQ(SearchKey("奎達"), SearchKey("奎达"));  // traditional = simplified
  EXPECT_EQ(SearchKey("拉合爾"), "拉合尔");
  EXPECT_EQ(SearchKey("اسلام آباد"),
            SearchKey("اسلام‌آباد"));      // space = ZWNJ, madda gone
  EXPECT_EQ(SearchKey("كويته"), SearchKey("کویتہ"));  // Arabic kaf/yeh/heh = Urdu letters
  EXPECT_EQ(SearchKey("کوئٹہ"), SearchKey("كوئٹه"));
  EXPECT_EQ(SearchKey("سیکٹر ۱۰"), SearchKey("سیکٹر 10"));  // Urdu digits
  EXPECT_EQ(SearchKey("قطاع ١٠"), "قطاع10");                // Arabic-Indic digits
  EXPECT_EQ(SearchKey(" -'. "), "");
  EXPECT_EQ(SearchKey(std::string("Quet\xff"
                                  "ta")),
            SearchKey("Quet\xef\xbf\xbdta"));
}

TEST(SearchKeyTest, TellsScriptsApartAndFindsUrduOnlyLetters) {
  EXPECT_EQ(ScriptOf("Quetta"), NameScript::kLatin);
  EXPECT_EQ(ScriptOf("کوئٹہ"), NameScript::kArabic);
  EXPECT_EQ(ScriptOf("奎達"), NameScript::kHan);
  EXPECT_EQ(ScriptOf("クエッタ"), NameScript::kOther);  // katakana: Japanese, not Chinese
  EXPECT_EQ(ScriptOf("Karachi - كراچى"), NameScript::kMixed);
  EXPECT_EQ(ScriptOf("123 -"), NameScript::kOther);
  EXPECT_TRUE(HasUrduOnlyLetter("کوئٹہ"));
  EXPECT_FALSE(HasUrduOnlyLetter("کویته"));  // Persian spelling
  EXPECT_FALSE(HasUrduOnlyLetter("كويته"));  // Arabic spelling
}

class RealGazetteerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ReadReport report;
    auto places = ReadGeoNames(GeoNamesPath().string(), {"PK"}, &report);
    ASSERT_TRUE(places.has_value()) << places.error().message;
    report_ = new ReadReport(report);
    auto curated = ReadCuratedNames(SourcePath("config/places.tsv").string());
    ASSERT_TRUE(curated.has_value()) << curated.error().message;
    curated_count_ = curated->size();
    ChooseNames(*places, *curated);
    index_ = new PlaceIndex(std::move(*places));
  }
  static void TearDownTestSuite() {
    delete index_;
    delete report_;
  }
  static const Place& Top(std::string_view q) {
    static const Place kNone;
    auto m = index_->Search(q, 5);
    return m.empty() ? kNone : *m.front().place;
  }
  static PlaceIndex* index_;
  static ReadReport* report_;
  static std::size_t curated_count_;
};
PlaceIndex* RealGazetteerTest::index_ = nullptr;
ReadReport* RealGazetteerTest::report_ = nullptr;
std::size_t RealGazetteerTest::curated_count_ = 0;

TEST_F(RealGazetteerTest, ReadsEveryPakistaniPlaceOfTheFileAndRejectsNone) {
  EXPECT_EQ(report_->kept, 434);  // cities1000 of 2013, country PK
  EXPECT_EQ(report_->rejected_count, 0);
  EXPECT_EQ(report_->lines, report_->kept + report_->other_countries);
  EXPECT_GT(report_->other_countries, 100000);
  EXPECT_EQ(curated_count_, 35U);
}

TEST_F(RealGazetteerTest, FindsQuettaByItsEnglishUrduAndChineseNamesInBothCharacterSets) {
  for (const char* q : {"Quetta", "quetta", "کوئٹہ", "كويته", "奎达", "奎達", "Shalkot", "Kweta"}) {
    EXPECT_EQ(Top(q).name, "Quetta") << q;
  }
  const Place& quetta = Top("کوئٹہ");
  EXPECT_EQ(quetta.name_ur, "کوئٹہ");
  EXPECT_EQ(quetta.name_zh, "奎达");
  EXPECT_EQ(quetta.names_source, "curated");
  EXPECT_NEAR(quetta.lat, 30.199, 0.001);
  EXPECT_NEAR(quetta.lon, 67.0097, 0.001);
}

TEST_F(RealGazetteerTest, NamesChosenByScriptWhereNothingIsCurated) {
  // Not curated; GeoNames has Arabic-script and Han alternates for some
  // places. Whatever is chosen is in the right script and, for Chinese, in
  // simplified characters.
  int ur = 0, zh = 0;
  for (const Place& p : index_->places()) {
    if (p.names_source != "geonames") continue;
    if (!p.name_ur.empty()) {
      ++ur;
      EXPECT_EQ(ScriptOf(p.name_ur), NameScript::kArabic) << p.name;
      EXPECT_TRUE(HasUrduOnlyLetter(p.name_ur)) << p.name;
    }
    if (!p.name_zh.empty()) {
      ++zh;
      EXPECT_EQ(ScriptOf(p.name_zh), NameScript::kHan) << p.name;
      EXPECT_EQ(ToSimplifiedChinese(p.name_zh), p.name_zh) << p.name;
    }
  }
  EXPECT_GT(ur, 0);
  EXPECT_GT(zh, 0);
}

TEST_F(RealGazetteerTest, RanksExactBeforePrefixBeforePartThenByPopulation) {
  auto m = index_->Search("Hyderabad", 10);
  ASSERT_FALSE(m.empty());
  EXPECT_EQ(m[0].place->name, "Hyderābād");
  EXPECT_EQ(m[0].score, 3);
  m = index_->Search("abad", 50);  // a part of many names
  ASSERT_GE(m.size(), 10U);
  for (std::size_t i = 1; i < m.size(); ++i) {
    EXPECT_TRUE(
        m[i - 1].score > m[i].score ||
        (m[i - 1].score == m[i].score && m[i - 1].place->population >= m[i].place->population))
        << i;
  }
  EXPECT_EQ(Top("Lahor").name, "Lahore");  // prefix
  EXPECT_EQ(Top("伊斯兰").name, "Islamabad");
  EXPECT_EQ(Top("اسلام آباد").name, "Islamabad");
  EXPECT_TRUE(index_->Search("   ", 5).empty());
  EXPECT_TRUE(index_->Search("zzzzqqq", 5).empty());
  EXPECT_EQ(index_->Search("a", 3).size(), 3U);  // prefix only, bounded
}

TEST(GeoNamesReaderTest, RejectsBadLinesByLineAndKeepsTheRest) {
  TempDir dir;
  const std::string good =
      "1167528\tQuetta\tQuetta\tShalkot,奎達\t30.18414\t67."
      "00141\tP\tPPLA\tPK\t\t02\t\t\t\t733675\t\t"
      "1680\tAsia/Karachi\t2013-01-01\n";
  WriteFile(dir / "c.txt", good + "12\tShort\n" +
                               "x\tBadId\tB\t\t30\t67\tP\tPPL\tPK\t\t02\t\t\t\t1\t\t1\tA\t2013\n" +
                               "13\tFar\tF\t\t95\t67\tP\tPPL\tPK\t\t02\t\t\t\t1\t\t1\tA\t2013\n" +
                               "14\tParis\tP\t\t48\t2\tP\tPPL\tFR\t\t11\t\t\t\t1\t\t1\tA\t2013\n");
  ReadReport r;
  auto places = ReadGeoNames((dir / "c.txt").string(), {"PK"}, &r);
  ASSERT_TRUE(places.has_value()) << places.error().message;
  ASSERT_EQ(places->size(), 1U);
  EXPECT_EQ((*places)[0].alternates, (std::vector<std::string>{"Shalkot", "奎達"}));
  EXPECT_EQ(r.rejected_count, 3);
  EXPECT_EQ(r.other_countries, 1);
  ASSERT_EQ(r.rejected.size(), 3U);
  EXPECT_NE(r.rejected[0].find("c.txt:2: 2 fields"), std::string::npos) << r.rejected[0];
  EXPECT_NE(r.rejected[1].find(":3: geonameid"), std::string::npos) << r.rejected[1];
  EXPECT_NE(r.rejected[2].find(":4: latitude"), std::string::npos) << r.rejected[2];

  WriteFile(dir / "bad.txt", "12\tShort\n");
  auto none = ReadGeoNames((dir / "bad.txt").string(), {}, nullptr);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("bad.txt: no line could be read"), std::string::npos);
  EXPECT_FALSE(ReadGeoNames((dir / "missing.txt").string(), {}, nullptr));
}

TEST(CuratedNamesTest, RefusesAWrongScriptTraditionalCharactersAndDuplicatesByLine) {
  TempDir dir;
  const std::string header = "geonameid\tname\tur\tzh\tsource\n";
  WriteFile(dir / "a.tsv", header + "1\tQuetta\tQuetta\t奎达\tx\n");
  auto r = ReadCuratedNames((dir / "a.tsv").string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("a.tsv:2: ur: not in Arabic script"), std::string::npos);
  WriteFile(dir / "b.tsv", header + "1\tQuetta\tکوئٹہ\t奎達\tx\n");
  r = ReadCuratedNames((dir / "b.tsv").string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("b.tsv:2: zh: not in simplified"), std::string::npos);
  WriteFile(dir / "c.tsv", header + "1\tQ\t\t\tx\n1\tQ\t\t\tx\n");
  r = ReadCuratedNames((dir / "c.tsv").string());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("c.tsv:3: geonameid 1 appears twice"), std::string::npos);
}

}  // namespace
}  // namespace corridor::gazetteer
