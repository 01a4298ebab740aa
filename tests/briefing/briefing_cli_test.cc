// `corridor briefing` on the real data (issue 15 §4, "done means"): a
// briefing for Balochistan in Urdu renders to HTML and PDF with the map and
// the charts; its numbers are the store's; the PDF's first page is kept as
// PNG under build/briefing/.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/real_store.h"
#include "testing/testing.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class BriefingCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto loaded = testing::LoadRealStore((*dir_ / "briefing.db").string(), {.sites = true});
    ASSERT_TRUE(loaded) << loaded.error().message;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static testing::CommandResult Corridor(const std::string& args) {
    return testing::RunCommand((testing::BuildDir() / "corridor").string() + " --db '" +
                               (*dir_ / "briefing.db").string() + "' " + args);
  }
  static testing::TempDir* dir_;
};
testing::TempDir* BriefingCliTest::dir_ = nullptr;

TEST_F(BriefingCliTest, BalochistanInUrduAsHtmlAndPdf) {
  const fs::path out = testing::BuildDir().parent_path() / "briefing";
  fs::create_directories(out);
  const fs::path html = out / "balochistan-2013-06-ur.html",
                 pdf = out / "balochistan-2013-06-ur.pdf";
  fs::remove(html);
  auto made = Corridor(
      "--json briefing --period 2013-06 --area PK2 --lang ur --issued 2013-07-02 "
      "--output '" +
      html.string() + "'");
  ASSERT_EQ(made.status, 0) << made.err;
  const auto summary = nlohmann::json::parse(made.out);
  // The operator (no token) reads TLP:CLEAR only: the document is CLEAR.
  EXPECT_EQ(summary["marking"], "TLP:CLEAR");
  // Its count is the store's count of the same filter.
  auto count = Corridor("query --area PK2 --from 2013-06-01 --to 2013-06-30 --count");
  ASSERT_EQ(count.status, 0) << count.err;
  const std::int64_t expected = std::stoll(count.out);
  EXPECT_GT(expected, 0);
  EXPECT_EQ(summary["incidents"], expected);

  const std::string doc = testing::ReadFile(html);
  EXPECT_NE(doc.find("<html lang=\"ur\" dir=\"rtl\">"), std::string::npos);
  EXPECT_NE(doc.find("<b><bdi>" + std::to_string(expected) + "</bdi></b>"), std::string::npos);
  // The map draws Balochistan's districts and the month's placed incidents;
  // the trend has its 24 bars, the period's marked.
  EXPECT_GE(std::count(doc.begin(), doc.end(), '\n'), 10);
  EXPECT_GT(Count(doc, "class=\"district\""), 20);  // Balochistan has 30+
  EXPECT_GT(Count(doc, "class=\"incident\""), 0);
  EXPECT_EQ(Count(doc, "<rect class=\"bar"), 24);
  EXPECT_NE(doc.find("class=\"bar this\""), std::string::npos);
  EXPECT_NE(doc.find("Quetta"), std::string::npos);
  // The corridor's projects in Balochistan (sites are projects), and the sources.
  EXPECT_NE(doc.find("Gwadar Port"), std::string::npos);
  EXPECT_NE(doc.find("ucdp-ged"), std::string::npos);

  auto printed = Corridor(
      "briefing --period 2013-06 --area PK2 --lang ur --issued 2013-07-02 "
      "--format pdf --output '" +
      pdf.string() + "'");
  ASSERT_EQ(printed.status, 0) << printed.err;
  EXPECT_EQ(testing::ReadFile(pdf).rfind("%PDF", 0), 0u);
  fs::remove(out / "balochistan-2013-06-ur-1.png");
  const auto png = testing::RunCommand("pdftoppm -png -r 70 -f 1 -l 1 '" + pdf.string() + "' '" +
                                       (out / "balochistan-2013-06-ur").string() + "'");
  EXPECT_EQ(png.status, 0) << png.err;
  EXPECT_TRUE(fs::exists(out / "balochistan-2013-06-ur-1.png"));
}

// The risk section is what the analytics say on the same day: the hot spots
// are Gi*'s, the first row is the forecast's likeliest district of the area,
// and the backtest sentence carries the backtest's figures.
TEST_F(BriefingCliTest, TheRiskSectionIsTheAnalyticsOfTheSameDay) {
  testing::TempDir tmp;
  const fs::path html = tmp / "kp.html";
  auto made = Corridor(
      "briefing --period 2013-06 --area PK5 --lang en --issued 2013-07-02 "
      "--output '" +
      html.string() + "'");
  ASSERT_EQ(made.status, 0) << made.err;
  const std::string doc = testing::ReadFile(html);
  const auto at = doc.find("<section id=\"risk\">");
  ASSERT_NE(at, std::string::npos);
  const std::string risk = doc.substr(at, doc.find("</section>", at) - at);
  EXPECT_NE(risk.find("as of <bdi>2013-06-30</bdi>"), std::string::npos) << risk.substr(0, 600);

  auto gi =
      Corridor("risk gistar --as-of 2013-06-30 --from 2012-07-01 --to 2013-06-30 --format json");
  ASSERT_EQ(gi.status, 0) << gi.err;
  const auto gistar = nlohmann::json::parse(gi.out);
  int hot = 0;
  for (const auto& row : gistar["rows"]) {
    const std::string id = row["id"];
    if (id.rfind("PK5", 0) == 0 && row["z"].get<double>() > 0 && row["p"].get<double>() < 0.05) {
      ++hot;
    }
  }
  EXPECT_GT(hot, 5);  // the tribal districts and Peshawar's surroundings in 2012-13
  EXPECT_EQ(Count(risk, "class=\"district hot\""), static_cast<std::size_t>(hot));

  auto fc = Corridor("risk forecast --as-of 2013-06-30 --format json");
  ASSERT_EQ(fc.status, 0) << fc.err;
  const auto forecast = nlohmann::json::parse(fc.out);
  std::string name;
  double most = -1;
  for (const auto& row : forecast["districts"]) {
    const std::string pcode = row["pcode"];
    if (pcode.rfind("PK5", 0) == 0 && row["expected"].get<double>() > most) {
      most = row["expected"];
      name = row["name"];
    }
  }
  char expected[32];
  std::snprintf(expected, sizeof expected, "%.2f", most);
  const auto first = risk.find("<tbody><tr><td><bdi>");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(risk.substr(first + 20, name.size()), name);
  EXPECT_NE(risk.find("<td class=\"n\"><bdi>" + std::string(expected) + "</bdi></td>", first),
            std::string::npos)
      << name << " " << expected;

  auto bt = Corridor("risk backtest --as-of 2013-06-30 --format json");
  ASSERT_EQ(bt.status, 0) << bt.err;
  const auto backtest = nlohmann::json::parse(bt.out);
  const std::string kind = forecast["model"]["kind"];
  char held[32];
  std::snprintf(held, sizeof held, "%.0f%%", backtest[kind]["hit_rate_5"].get<double>() * 100);
  EXPECT_NE(risk.find("(<bdi>" + std::to_string(backtest["months"].get<int>()) + "</bdi> months"),
            std::string::npos);
  EXPECT_NE(risk.find("cells held <bdi>" + std::string(held) + "</bdi>"), std::string::npos)
      << held;
}

TEST_F(BriefingCliTest, BadInputIsNamedAndWritesNothing) {
  testing::TempDir tmp;
  const fs::path file = tmp / "b.html";
  for (const auto& [args, says] : std::vector<std::pair<std::string, std::string>>{
           {"--period 2013-13 --area PK2", "period: expected YYYY-MM"},
           {"--period 2013-06 --area PK99", "area: no area 'PK99'"},
           {"--period 2013-06 --area PK", "area: expected a province or district"},
           {"--period 2013-06 --area PK2 --issued 2013-02-30", "issued: expected YYYY-MM-DD"}}) {
    auto r = Corridor("briefing " + args + " --output '" + file.string() + "'");
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(file));
  }
}

}  // namespace
}  // namespace corridor
