// Briefings (issue 15 §4): the HTML pinned by golden files in two languages,
// everything escaped under a strict CSP, and the PDF printed by Debian's
// Chromium with no network: nothing it is given can reach a server.
#include "corridor/briefing/briefing.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "testing/testing.h"

namespace corridor::briefing {
namespace {

// A small, hand-made document: two square districts, three incidents, a
// trend, a hostile partner's text, an overdue action.
Document Fixture(const std::string& lang) {
  Document d;
  d.lang = lang;
  d.period = "2013-06";
  d.area_pcode = "PK2";
  d.area_name = "Balochistan";
  d.issued = "2013-07-02";
  d.data_through = "2013-06-30";
  d.issued_by = "PK-NACTA";
  d.marking = model::Tlp::kAmber;
  d.area_geometry =
      R"({"type":"Polygon","coordinates":[[[66,29],[68,29],[68,30],[66,30],[66,29]]]})";
  d.districts = {
      {"PK201", "Quetta", 2, 31,
       R"({"type":"Polygon","coordinates":[[[66,29],[67,29],[67,30],[66,30],[66,29]]]})"},
      {"PK202", "Kalat <b>", 1, 0,
       R"({"type":"Polygon","coordinates":[[[67,29],[68,29],[68,30],[67,30],[67,29]]]})"}};
  d.points = {{29.5, 66.5, 25}, {29.4, 66.6, 6}};
  d.not_drawn = 1;
  d.incidents = 3;
  d.killed = 31;
  d.previous_month = 4;
  d.same_month_last_year = 2;
  for (int i = 0; i < 24; ++i) {
    const int m = (5 + i) % 12 + 1, y = 2011 + (5 + i) / 12;
    char key[8];
    std::snprintf(key, sizeof key, "%04d-%02d", y, m);
    d.trend.push_back({key, (i * 7) % 5});
  }
  d.trend.back().incidents = 3;
  d.deadliest = {
      {"2013-06-15", "Quetta", "bombing", 25, "Bus bombing", "ucdp-ged", model::Tlp::kClear},
      {"2013-06-20", "Quetta", "armed-assault", 6,
       "<img src=\"file:///etc/passwd\"><script>alert(1)</script>", "stix", model::Tlp::kAmber},
      {"2013-06-02", "Kalat <b>", "unknown", std::nullopt, "", "manual", model::Tlp::kAmber}};
  d.risk_included = true;
  d.risk.dataset = "ucdp-ged";
  d.risk.label = "organised violence (UCDP GED)";
  d.risk.as_of = "2013-06-30";
  d.risk.hot_from = "2012-07-01";
  d.risk.hot_to = "2013-06-30";
  d.risk.forecast_from = "2013-07-01";
  d.risk.forecast_to = "2013-07-30";
  d.risk.districts_ranked = 160;
  d.risk.vulnerability_year = 2014;
  d.risk.model = "ensemble";
  {
    DistrictRisk quetta;
    quetta.pcode = "PK201";
    quetta.name = "Quetta";
    quetta.geometry = d.districts[0].geometry;
    quetta.impact = 8.56;
    quetta.impact_rank = 6;
    quetta.vulnerability = 4.1;
    quetta.gi_z = 2.4;
    quetta.gi_p = 0.016;
    quetta.hot = true;
    quetta.expected = 0.8;
    quetta.p_any = 0.55;
    DistrictRisk kalat;
    kalat.pcode = "PK202";
    kalat.name = "Kalat <b>";
    kalat.geometry = d.districts[1].geometry;
    kalat.gi_z = -0.3;
    kalat.gi_p = 0.76;
    kalat.expected = 0.03;
    kalat.p_any = 0.03;
    d.risk.districts = {quetta, kalat};
  }
  d.risk.skill = ForecastSkill{"2010-01", "2013-06", 42, 0.87, 0.78, 0.86, 0.021, 0.030};
  d.sites_included = true;
  d.sites = {{3, "Gwadar Port", 4, 12, 7.25}};
  d.sites_from = "2012-07-01";
  d.sites_to = "2013-06-30";
  d.actions_included = true;
  d.actions = {
      {"Share the convoy schedule", "CN-MPS", "2013-07-01", "open", true, model::Tlp::kAmber},
      {"Review checkpoints", "PK-NACTA", "2013-08-01", "in_progress", false, model::Tlp::kGreen}};
  d.sources = {{"ucdp-ged", "UCDP GED (CC BY 4.0)"}, {"ocha-cod-ab-pak-2022", "OCHA COD-AB"}};
  return d;
}

TEST(Briefing, TheDocumentIsPinnedInEnglishAndUrdu) {
  testing::ExpectGolden("briefing/balochistan-2013-06-en.html", RenderHtml(Fixture("en")));
  testing::ExpectGolden("briefing/balochistan-2013-06-ur.html", RenderHtml(Fixture("ur")));
  // Chinese shares the layout; its labels are its own.
  const std::string zh = RenderHtml(Fixture("zh"));
  EXPECT_NE(zh.find("安全简报"), std::string::npos);
  EXPECT_NE(zh.find("爆炸"), std::string::npos);  // the bombing's category
}

// The risk section lists the districts as the analytics gave them, outlines
// the hot spots on its map and says when the data end before the period.
TEST(Briefing, TheRiskSectionMarksHotSpotsAndSaysWhenTheDataEndEarly) {
  Document d = Fixture("en");
  std::string html = RenderHtml(d);
  const auto at = html.find("<section id=\"risk\">");
  ASSERT_NE(at, std::string::npos);
  const std::string risk = html.substr(at, html.find("</section>", at) - at);
  EXPECT_EQ(risk.find("class=\"district hot\""), risk.rfind("class=\"district hot\""));
  EXPECT_NE(risk.find("<bdi>Quetta</bdi> <span class=\"hot\">hot spot</span>"), std::string::npos);
  EXPECT_NE(risk.find("<td class=\"n\"><bdi>8.56 (6)</bdi></td>"), std::string::npos);
  EXPECT_NE(risk.find("<bdi>Kalat &lt;b&gt;</bdi></td>"), std::string::npos);
  EXPECT_NE(risk.find("cells held <bdi>87%</bdi> of the incidents, against <bdi>78%</bdi>"),
            std::string::npos);
  EXPECT_EQ(risk.find("before the period does"), std::string::npos);
  d.risk.ends_early = true;
  d.risk.as_of = "2019-12-19";
  html = RenderHtml(d);
  EXPECT_NE(html.find("The dataset ends on <bdi>2019-12-19</bdi>, before the period does"),
            std::string::npos);
}

TEST(Briefing, UrduIsRightToLeftWithLatinTextIsolated) {
  const std::string ur = RenderHtml(Fixture("ur"));
  EXPECT_NE(ur.find("<html lang=\"ur\" dir=\"rtl\">"), std::string::npos);
  EXPECT_NE(ur.find("سیکیورٹی بریفنگ"), std::string::npos);
  EXPECT_NE(ur.find("<bdi>Balochistan</bdi>"), std::string::npos);
  // The charts read left to right in every language.
  EXPECT_NE(ur.find("<svg class=\"trend\" dir=\"ltr\""), std::string::npos);
}

TEST(Briefing, EveryTextIsEscapedAndOnlyItsOwnStyleMayApply) {
  const std::string html = RenderHtml(Fixture("en"));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("Kalat <b>"), std::string::npos);
  EXPECT_NE(html.find("Kalat &lt;b&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=&quot;file:///etc/passwd&quot;&gt;"), std::string::npos);
  // The CSP allows nothing but the one style element, by its hash.
  const std::regex csp("default-src 'none'; style-src 'sha256-([A-Za-z0-9+/=]+)'");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(html, m, csp));
  const auto open = html.find("<style>") + 7, close = html.find("</style>");
  const std::string style = html.substr(open, close - open);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(style.data()), style.size(), digest);
  unsigned char b64[64];
  const int n = EVP_EncodeBlock(b64, digest, SHA256_DIGEST_LENGTH);
  EXPECT_EQ(m[1].str(), std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n)));
  // The marking heads and ends the document.
  EXPECT_EQ(html.find("<div class=\"banner amber\">TLP:AMBER</div>"),
            html.find("<div class=\"banner"));
  EXPECT_NE(html.rfind("<div class=\"banner amber\">TLP:AMBER</div>"),
            html.find("<div class=\"banner amber\">TLP:AMBER</div>"));
  // A section the caller may not read says so.
  Document d = Fixture("en");
  d.sites_included = false;
  d.actions_included = false;
  d.risk_included = false;
  d.risk_unavailable = "the store holds no <ucdp-ged> incidents";
  const std::string partial = RenderHtml(d);
  EXPECT_NE(partial.find("The risk analytics could not run: <bdi>the store holds no "
                         "&lt;ucdp-ged&gt; incidents</bdi>"),
            std::string::npos);
  EXPECT_EQ(partial.find("Gwadar Port"), std::string::npos);
  EXPECT_NE(partial.find("Not included: your role may not read it."), std::string::npos);
}

// A loopback server that counts the connections it accepts.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    socklen_t len = sizeof a;
    bound_ = bound_ && ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    port_ = ntohs(a.sin_port);
    bound_ = bound_ && ::listen(fd_, 8) == 0;
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) > 0) {
          const int c = ::accept(fd_, nullptr, nullptr);
          if (c >= 0) {
            ++accepted_;
            ::close(c);
          }
        }
      }
    });
  }
  ~Listener() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  int port() const { return port_; }
  bool bound() const { return bound_; }
  int accepted() const { return accepted_; }

 private:
  int fd_ = -1, port_ = 0;
  bool bound_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

std::string Shell(const std::string& command) { return testing::RunCommand(command).out; }

TEST(BriefingPdf, PrintsWithEmbeddedFontsAndReachesNoServer) {
  Listener server;
  ASSERT_TRUE(server.bound());
  // Even a document without the CSP, asking for an image from a server on
  // this machine, reaches nothing: Chromium prints in a network namespace
  // of its own.
  std::string html = RenderHtml(Fixture("ur"));
  const auto csp = html.find("<meta http-equiv");
  html.erase(csp, html.find('>', csp) - csp + 1);
  html.insert(html.find("</body>"),
              "<img src=\"http://127.0.0.1:" + std::to_string(server.port()) + "/leak.png\">");
  auto pdf = RenderPdf(html);
  ASSERT_TRUE(pdf) << pdf.error().message;
  EXPECT_EQ(pdf->rfind("%PDF", 0), 0u);
  EXPECT_EQ(server.accepted(), 0);

  // The real document, kept under build/ with its first page as PNG.
  auto real = RenderPdf(RenderHtml(Fixture("ur")));
  ASSERT_TRUE(real) << real.error().message;
  const auto out = testing::BuildDir().parent_path() / "briefing";
  std::filesystem::create_directories(out);
  const auto file = out / "fixture-ur.pdf";
  std::ofstream(file, std::ios::binary) << *real;
  // Every font is embedded (a subset), and Urdu is set in an Arabic-script font.
  const std::string fonts = Shell("pdffonts '" + file.string() + "'");
  ASSERT_NE(fonts.find("emb"), std::string::npos) << fonts;
  std::istringstream lines(fonts);
  std::string line;
  int listed = 0;
  bool arabic = false;
  while (std::getline(lines, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
    ++listed;
    EXPECT_NE(line.find(" yes "), std::string::npos) << "not embedded: " << line;
    if (line.find("Arabic") != std::string::npos || line.find("Naskh") != std::string::npos) {
      arabic = true;
    }
  }
  EXPECT_GT(listed, 0) << fonts;
  EXPECT_TRUE(arabic) << fonts;
  // The Urdu title is in the text layer, shaped from the same letters.
  const std::string text = Shell("pdftotext -l 1 '" + file.string() + "' -");
  EXPECT_NE(text.find("Balochistan"), std::string::npos) << text.substr(0, 400);
  Shell("pdftoppm -png -r 60 -f 1 -l 1 '" + file.string() + "' '" + (out / "fixture-ur").string() +
        "'");
  EXPECT_TRUE(std::filesystem::exists(out / "fixture-ur-1.png"));
}

TEST(BriefingPdf, AMissingChromiumIsNamed) {
  auto pdf = RenderPdf("<p>x</p>", {"/nonexistent/chromium", 30});
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(pdf.error().message.find("/nonexistent/chromium"), std::string::npos)
      << pdf.error().message;
}

}  // namespace
}  // namespace corridor::briefing
