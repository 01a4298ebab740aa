// The public portal and JSON API over real HTTP (loopback), on a public store
// holding the real AidData projects.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <set>
#include <thread>

#include "api/public_portal.h"
#include "corridor/api/public_api.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/html.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/consultations.h"
#include "corridor/public_side/grievances.h"
#include "corridor/public_side/service.h"
#include "corridor/public_side/working_days.h"
#include "corridor/server/server.h"
#include "corridor/store/public_store.h"
#include "testing/testing.h"

namespace corridor::api {
namespace {

using nlohmann::json;

class PortalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Attachments are cleaned by the cleaner process built beside corridor-public.
    ::setenv("CORRIDOR_CLEANER", (testing::BuildDir() / "corridor-clean").c_str(), 1);
    dir_ = new testing::TempDir();
    auto db = store::OpenPublicDatabase((*dir_ / "public.db").string());
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = db->release();
    auto keys = auth::LoadOrCreateInstanceKeys((*dir_ / "public.db.public-keys").string());
    ASSERT_TRUE(keys.has_value());
    keys_ = new auth::InstanceKeys(*keys);
    public_side::PublicAuditLog audit(*db_, *keys_);
    auto s = public_side::ImportProjects(
        *db_, audit, "test",
        testing::ReadFile(testing::SharedPath(
            "data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson")),
        testing::ReadFile(testing::SharedPath(
            "data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm2_wfp_20220909.derived.geojson")));
    ASSERT_TRUE(s.has_value()) << s.error().message;
    // Gwadar Port's exact location is withheld for workers' safety.
    auto all = public_side::AllProjects(*db_);
    for (const auto& p : *all) {
      if (p.name == "Gwadar Port") port_id_ = p.id;
    }
    ASSERT_FALSE(port_id_.empty());
    auto areas = public_side::LoadAreas(
        *db_, audit, public_side::PublicCaller::Operator("test"),
        testing::ReadFile(testing::SharedPath(
            "data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm2_wfp_20220909.derived.geojson")),
        2);
    ASSERT_TRUE(areas.has_value()) << areas.error().message;
    for (const char* editor : {"editor-1", "editor-2"}) {
      ASSERT_TRUE(public_side::AddAccount(*db_, audit, public_side::PublicCaller::Operator("test"),
                                          editor, {model::PublicRole::kDisclosureEditor}));
    }
    auto request = public_side::RequestDisclosure(
        *db_, audit, "editor-1", port_id_,
        {"location", model::Disclosure::kCoarsened, "exact location withheld for workers' safety"});
    ASSERT_TRUE(request.has_value()) << request.error().message;
    ASSERT_TRUE(public_side::DecideDisclosure(*db_, audit, "editor-2", request->id, true));
    // A project whose name carries markup: it must come out as text.
    auto hostile = (*all)[0];
    hostile.id = "00000000-0000-5000-8000-000000000001";
    hostile.name = "<script>alert(1)</script> & \"quotes\"";
    hostile.aiddata_ids = {1};
    hostile.financing.clear();
    ASSERT_TRUE(store::InWriteTransaction(*db_, [&](store::Transaction& tx) {
      return store::NewProjectStore()->Upsert(tx, hostile);
    }));
    public_side::Publication pub;
    pub.published = "2026-12-01T00:00:00Z";
    pub.today = "2026-12-01";
    audit_ = new public_side::PublicAuditLog(*db_, *keys_);
    // (Every test here is one client, 127.0.0.1: the per-client limits are
    // tested on a server of their own.)
    api_ = new PublicApi(*db_, pub, audit_, {1000, 1000, 1000, 1000, 1000, ""});
    server::ServerOptions options;
    options.port = 0;
    options.access_log = false;
    server_ = new server::Server(api_->routes(), options);
    ASSERT_TRUE(server_->Bind());
    thread_ = new std::thread([] { (void)server_->Run(); });
  }
  static void TearDownTestSuite() {
    server_->Stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete api_;
    delete audit_;
    delete keys_;
    delete db_;
    delete dir_;
  }

  static httplib::Result Get(const std::string& path, const std::string& accept_language = "") {
    httplib::Client c("127.0.0.1", server_->port());
    httplib::Headers h;
    if (!accept_language.empty()) h.emplace("Accept-Language", accept_language);
    return c.Get(path.c_str(), h);
  }

  static std::string Validate(const std::string& kind, const std::string& text) {
    testing::TempDir dir;
    const auto file = dir / "export";
    testing::WriteFile(file, text);
    auto r = testing::RunCommand(
        "python3 " + testing::TestPath("public/validate_exports.py").string() + " " + kind + " " +
        file.string() + " " + testing::SharedPath("standards").string() +
        (kind == "iati" ? " 2026-12-01" : "") + " 2>&1");
    return r.out;
  }

  static testing::TempDir* dir_;
  static store::Database* db_;
  static auth::InstanceKeys* keys_;
  static PublicApi* api_;
  static public_side::PublicAuditLog* audit_;
  static server::Server* server_;
  static std::thread* thread_;
  static std::string port_id_;
};
testing::TempDir* PortalTest::dir_ = nullptr;
store::Database* PortalTest::db_ = nullptr;
auth::InstanceKeys* PortalTest::keys_ = nullptr;
PublicApi* PortalTest::api_ = nullptr;
public_side::PublicAuditLog* PortalTest::audit_ = nullptr;
server::Server* PortalTest::server_ = nullptr;
std::thread* PortalTest::thread_ = nullptr;
std::string PortalTest::port_id_;

TEST(PickLanguage, AcceptLanguageWithQValues) {
  struct Case {
    const char* header;
    const char* want;
  };
  const Case cases[] = {{"", "en"},      {"ur-PK,ur;q=0.9,en;q=0.8", "ur"},
                        {"zh-CN", "zh"}, {"fr, en;q=0.3, zh;q=0.6", "zh"},
                        {"de", "en"},    {"UR", "ur"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.header);
    EXPECT_EQ(PickLanguage(c.header), c.want);
  }
}

TEST(PortalText, DatesAreLocalisedAndAnythingElseIsShownAsGiven) {
  EXPECT_EQ(portal::Date("en", "2007-03-20"), "20 March 2007");
  EXPECT_EQ(portal::Date("zh", "2007-03"), "2007年3月");
  EXPECT_EQ(portal::Date("ur", "2007-03-20"), "۲۰ مارچ ۲۰۰۷");
  // Malformed dates from an import never throw: they are shown escaped.
  for (const char* bad : {"", "2007", "abcd-ef", "2007-13", "2007-03-4x", "2007/03/20",
                          "2007-00-10", "<b>2007-03</b>", "2007-03-20T00:00"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(portal::Date("en", bad), HtmlEscape(bad));
  }
}

TEST_F(PortalTest, TheLanguageComesFromThePathThenAcceptLanguage) {
  auto r = Get("/", "ur-PK,en;q=0.5");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->get_header_value("Location"), "/ur/");
  r = Get("/projects", "zh-CN");
  EXPECT_EQ(r->get_header_value("Location"), "/zh/projects");
  r = Get("/about");
  EXPECT_EQ(r->get_header_value("Location"), "/en/about");
  for (const char* lang : {"ur", "en", "zh"}) {
    SCOPED_TRACE(lang);
    for (const std::string& page :
         std::vector<std::string>{"/", "/projects", "/about", "/projects/" + port_id_}) {
      auto p = Get("/" + std::string(lang) + page, "en");
      ASSERT_TRUE(p);
      EXPECT_EQ(p->status, 200) << page;
      EXPECT_NE(p->body.find("<html lang=\"" + std::string(lang) + "\" dir=\"" +
                             (std::string(lang) == "ur" ? "rtl" : "ltr") + "\">"),
                std::string::npos);
      EXPECT_EQ(p->body.find("<script"), std::string::npos) << page;  // no JavaScript needed
      EXPECT_NE(p->get_header_value("Content-Security-Policy").find("default-src 'none'"),
                std::string::npos);
    }
  }
  EXPECT_EQ(Get("/fr/")->status, 404);
}

TEST_F(PortalTest, TheHomePageMapLinksEachDistrictWithProjectsToItsList) {
  for (const char* lang : {"ur", "en", "zh"}) {
    SCOPED_TRACE(lang);
    auto r = Get("/" + std::string(lang) + "/");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
    const std::string& html = r->body;
    // All 160 districts are drawn; the 32 with projects (and the hostile
    // test project's district) are links, the others are not tab stops.
    const auto count = [&](const std::string& what) {
      std::size_t n = 0;
      for (auto at = html.find(what); at != std::string::npos; at = html.find(what, at + 1)) ++n;
      return n;
    };
    const std::size_t links = count("<a href=\"/" + std::string(lang) + "/projects?district=PK");
    const std::size_t hidden = count("<path aria-hidden=\"true\"");
    EXPECT_EQ(links + hidden, 160u);
    EXPECT_GE(links, 32u);
    EXPECT_LE(links, 33u);
    EXPECT_NE(html.find("<a href=\"/" + std::string(lang) + "/projects?district=PK205\""),
              std::string::npos);
    EXPECT_NE(html.find("role=\"group\" aria-labelledby=\"map-caption\""), std::string::npos);
    // The list stays beside the map, and the page stays small for a phone.
    EXPECT_NE(html.find("<select id=\"home-district\""), std::string::npos);
    EXPECT_LT(html.size(), 100'000u);
    // Where the boundaries are drawn, their source and that some are disputed.
    EXPECT_NE(html.find("<p class=\"note\">" +
                        std::string(lang == std::string("en")   ? "District boundaries: OCHA"
                                    : lang == std::string("ur") ? "اضلاع کی حدود"
                                                                : "地区边界")),
              std::string::npos);
  }
  // Gwadar's link is named in Urdu with the count in Urdu digits, the Latin
  // name isolated (U+2068 ... U+2069) inside the attribute.
  auto ur = Get("/ur/");
  EXPECT_NE(ur->body.find("aria-label=\"\u2068Gwadar\u2069: ۷ منصوبے\""), std::string::npos);
  EXPECT_NE(Get("/en/")->body.find("aria-label=\"Gwadar: 7 projects\""), std::string::npos);
}

TEST_F(PortalTest, UrduPagesHaveNoEnglishInterfaceTextAndIsolateLatinNames) {
  auto r = Get("/ur/projects?district=PK205");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const std::string& html = r->body;
  EXPECT_NE(html.find("<bdi>Gwadar Port</bdi>"), std::string::npos);
  // Seven projects in Gwadar district, counted in Urdu digits.
  EXPECT_NE(html.find("منصوبوں کی تعداد: ۷"), std::string::npos);
  // Text outside tags and <bdi> has no Latin letters (interface, sectors, statuses, numbers).
  std::string visible = std::regex_replace(html, std::regex("<bdi[^>]*>[^<]*</bdi>"), "");
  visible = std::regex_replace(visible, std::regex("<(style|title)[^>]*>[^<]*</\\1>"), "");
  visible = std::regex_replace(visible, std::regex("<[^>]*>"), "");
  std::smatch latin;
  const std::regex latin_word("[A-Za-z]{2,}");
  EXPECT_FALSE(std::regex_search(visible, latin, latin_word))
      << "English left in the Urdu page: '" << latin.str() << "'";
  EXPECT_NE(html.find("مکمل"), std::string::npos);  // "Completed" in Urdu
}

TEST_F(PortalTest, GwadarPortIsOneProjectWithItsFinancingStatusAndAWithheldLocation) {
  auto r = Get("/ur/projects/" + port_id_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const std::string& html = r->body;
  EXPECT_NE(html.find("<h1><bdi>Gwadar Port</bdi></h1>"), std::string::npos);
  // Its five financing records, each with its AidData id, in one financing table.
  // Identifiers and years are written without grouping (35124, not 35,124).
  for (const char* id : {"۳۵۱۲۴", "۳۸۹۹۵", "۳۸۹۹۶", "۷۲۶۸۸", "۷۲۶۸۹"}) {
    EXPECT_NE(html.find(std::string("<bdi>") + id + "</bdi>"), std::string::npos) << id;
  }
  EXPECT_NE(html.find("<td>۲۰۰۱</td>"), std::string::npos);
  EXPECT_EQ(html.find("۲٬۰۰"), std::string::npos);
  EXPECT_NE(html.find("<strong>عمومی شکل میں۔</strong>"), std::string::npos);  // Urdu full stop
  EXPECT_NE(html.find("مکمل"), std::string::npos);                             // status: completed
  EXPECT_NE(html.find("<td>عطیہ</td>"), std::string::npos);  // instruments in Urdu: grant
  EXPECT_NE(html.find("<td>قرض</td>"), std::string::npos);   // loan
  // The withheld location: the reason is shown, the district stays, no coordinates.
  // A standard reason, shown in Urdu.
  EXPECT_NE(html.find("کارکنوں کی حفاظت کے لیے درست مقام ظاہر نہیں کیا گیا"), std::string::npos);
  EXPECT_NE(html.find("<bdi>Gwadar</bdi>"), std::string::npos);
  EXPECT_EQ(html.find("نقاط"), std::string::npos);  // "Coordinates"
  // In English and Chinese too.
  auto en = Get("/en/projects/" + port_id_);
  EXPECT_NE(en->body.find("Given approximately"), std::string::npos);
  EXPECT_NE(en->body.find("exact location withheld for workers&#39; safety"), std::string::npos);
  EXPECT_NE(en->body.find("US$354.9 million"), std::string::npos);
  EXPECT_NE(en->body.find("<td>2001</td>"), std::string::npos);
  EXPECT_EQ(en->body.find("2,00"), std::string::npos);
  EXPECT_NE(en->body.find("<bdi>35124</bdi>"), std::string::npos);
  auto zh = Get("/zh/projects/" + port_id_);
  EXPECT_NE(zh->body.find("已完工"), std::string::npos);
  EXPECT_NE(zh->body.find("为保障工人安全，未公开确切位置"), std::string::npos);
  // The same page in Urdu, with the whole project page free of English interface text.
  std::string visible = std::regex_replace(html, std::regex("<bdi[^>]*>[^<]*</bdi>"), "");
  visible = std::regex_replace(visible, std::regex("<(style|title)[^>]*>[^<]*</\\1>"), "");
  visible = std::regex_replace(visible, std::regex("<[^>]*>"), "");
  std::smatch latin;
  EXPECT_FALSE(std::regex_search(visible, latin, std::regex("[A-Za-z]{2,}")))
      << "English left in the Urdu project page: '" << latin.str() << "'";
  EXPECT_NE(zh->body.find("万美元"), std::string::npos);
  // Searching the list for Gwadar Port finds one project, not five.
  auto api = Get("/public/api/v1/projects?district=PK205&limit=1000");
  int ports = 0;
  const json listed = json::parse(api->body);
  for (const auto& p : listed["projects"]) ports += p["name"] == "Gwadar Port";
  EXPECT_EQ(ports, 1);
}

TEST_F(PortalTest, FiltersNarrowTheListAndBadFiltersAreNamed) {
  struct Case {
    std::string query;
    std::int64_t want;
  };
  const Case cases[] = {{"", 63},
                        {"district=PK205", 7},
                        {"sector=Energy", 0},
                        {"status=cancelled", 1},
                        {"financier=Export-Import%20Bank%20of%20China&sector=Energy", 0}};
  std::int64_t energy = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    auto r = Get("/public/api/v1/projects?" + c.query);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "public, max-age=300");
    const auto body = json::parse(r->body);
    if (c.query == "sector=Energy") {
      energy = body["total"].get<std::int64_t>();
      EXPECT_GT(energy, 10);
      continue;
    }
    if (c.query.rfind("financier", 0) == 0) {
      EXPECT_GT(body["total"].get<std::int64_t>(), 0);
      EXPECT_LT(body["total"].get<std::int64_t>(), energy);
      continue;
    }
    EXPECT_EQ(body["total"], c.want);
  }
  auto bad = Get("/public/api/v1/projects?status=built");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("status"), std::string::npos);
  EXPECT_EQ(Get("/public/api/v1/projects?limit=0")->status, 400);
  EXPECT_EQ(Get("/public/api/v1/projects/not-a-uuid")->status, 400);
  EXPECT_EQ(Get("/public/api/v1/projects/11111111-1111-5111-8111-111111111111")->status, 404);
  // The portal answers its errors as pages in the page's language.
  auto bad_page = Get("/ur/projects?status=built");
  EXPECT_EQ(bad_page->status, 400);
  EXPECT_NE(bad_page->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(bad_page->body.find("یہ درخواست درست نہیں۔"), std::string::npos);
  auto missing = Get("/zh/projects/11111111-1111-5111-8111-111111111111");
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("未找到页面。"), std::string::npos);
  // The portal's list page filters the same way.
  auto page = Get("/en/projects?status=cancelled");
  EXPECT_NE(page->body.find("Number of projects: 1"), std::string::npos);
}

TEST_F(PortalTest, WithheldFieldsAreAbsentFromTheJsonApi) {
  auto r = Get("/public/api/v1/projects/" + port_id_);
  ASSERT_EQ(r->status, 200);
  const auto p = json::parse(r->body);
  EXPECT_FALSE(p.contains("point"));
  EXPECT_FALSE(p.contains("footprint"));
  EXPECT_EQ(p["district"]["name"], "Gwadar");
  EXPECT_EQ(p["disclosure"][0]["reason"], "exact location withheld for workers' safety");
  EXPECT_EQ(p["financing"].size(), 5u);
  for (const auto& f : p["financing"]) EXPECT_EQ(f["amount"]["currency"], "USD");
}

TEST_F(PortalTest, AllTextIsEscaped) {
  for (const std::string path :
       {"/en/projects", "/ur/projects/00000000-0000-5000-8000-000000000001"}) {
    auto r = Get(path);
    ASSERT_EQ(r->status, 200);
    EXPECT_EQ(r->body.find("<script>"), std::string::npos) << path;
    EXPECT_NE(r->body.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"),
              std::string::npos)
        << path;
  }
  // A hostile query string is escaped in the language links too.
  auto r = Get("/en/projects?sector=%22%3E%3Cscript%3E");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.find("\"><script>"), std::string::npos);
}

TEST_F(PortalTest, ExportsServedOverHttpValidateAndOpenApiListsEveryRoute) {
  auto oc4ids = Get("/public/api/v1/projects.oc4ids.json");
  ASSERT_EQ(oc4ids->status, 200);
  EXPECT_EQ(Validate("oc4ids", oc4ids->body), "ok oc4ids 63\n");
  auto iati = Get("/public/api/v1/activities.iati.xml");
  ASSERT_EQ(iati->status, 200);
  EXPECT_NE(iati->get_header_value("Content-Type").find("application/xml"), std::string::npos);
  EXPECT_EQ(Validate("iati", iati->body).substr(0, 8), "ok iati ");
  auto openapi = Get("/public/api/v1/openapi.json");
  ASSERT_EQ(openapi->status, 200);
  const auto doc = json::parse(openapi->body);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const char* path : {"/public/api/v1/projects", "/public/api/v1/projects/{id}",
                           "/public/api/v1/projects.oc4ids.json",
                           "/public/api/v1/activities.iati.xml", "/public/api/v1/openapi.json"}) {
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  }
  std::set<std::string> params;
  for (const auto& p : doc["paths"]["/public/api/v1/projects"]["get"]["parameters"]) {
    params.insert(p["name"].get<std::string>());
  }
  EXPECT_EQ(params, (std::set<std::string>{"district", "sector", "status", "financier", "limit",
                                           "offset"}));
}

TEST_F(PortalTest, StaffRoutesNeedABearerTokenAndKeepTheTwoPersonRule) {
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  ASSERT_TRUE(public_side::AddAccount(*db_, *audit_, op, "mod-1", {model::PublicRole::kModerator}));
  auto token = [&](const std::string& name) {
    return public_side::IssueToken(*db_, *audit_, op, name, 1).value().token;
  };
  const std::string editor1 = token("editor-1"), editor2 = token("editor-2"),
                    moderator = token("mod-1");
  httplib::Client c("127.0.0.1", server_->port());
  const auto bearer = [](const std::string& t) {
    return httplib::Headers{{"Authorization", "Bearer " + t}};
  };
  const std::string list = "/public/api/v1/disclosure-requests";
  // No token, a forged one: 401 with the scheme, never cached.
  for (const auto& h :
       {httplib::Headers{}, bearer("forged"), httplib::Headers{{"Authorization", "Basic eDp5"}}}) {
    auto r = c.Get(list.c_str(), h);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer realm=\"corridor-public\"");
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
    EXPECT_EQ(r->get_header_value("Access-Control-Allow-Origin"), "");
  }
  // The token is checked before the parameters: no 400 for a stranger.
  auto probe = c.Get((list + "?state=bogus").c_str());
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->status, 401);
  // A moderator is no disclosure editor.
  EXPECT_EQ(c.Get(list.c_str(), bearer(moderator))->status, 403);
  const std::string hostile = "00000000-0000-5000-8000-000000000001";
  const std::string body =
      R"({"project":")" + hostile + R"(","field":"parties","state":"withheld","reason":"x"})";
  EXPECT_EQ(c.Post(list.c_str(), bearer(moderator), body, "application/json")->status, 403);
  // Bad bodies are named by JSON pointer.
  for (const auto& [bad, want] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "JSON object"},
           {R"({"project":"p","field":"dates"})", "/state: missing"},
           {R"({"project":"p","field":"dates","state":"coarsened","x":"1"})", "/x: unknown"},
           {R"({"project":1,"field":"dates","state":"coarsened"})", "/project: expected a string"},
           {R"({"project":"p","field":"dates","state":"coarsened","reason":"a\u0007"})",
            "/reason: control"},
           {R"({"project":"p","field":"dates","state":"hidden"})", "/state: expected"}}) {
    auto r = c.Post(list.c_str(), bearer(editor1), bad, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_NE(r->body.find(want), std::string::npos) << r->body;
  }
  // One editor asks, the same editor cannot decide, another does, once.
  auto created = c.Post(list.c_str(), bearer(editor1), body, "application/json");
  ASSERT_EQ(created->status, 201) << created->body;
  const json request = json::parse(created->body);
  EXPECT_EQ(request["state"], "pending");
  EXPECT_EQ(request["requested_by"], "editor-1");
  const std::string approve = list + "/" + request["id"].get<std::string>() + "/approve";
  EXPECT_EQ(c.Post(approve.c_str(), bearer(editor1), "", "application/json")->status, 403);
  auto approved = c.Post(approve.c_str(), bearer(editor2), "", "application/json");
  ASSERT_TRUE(approved);
  ASSERT_EQ(approved->status, 200) << approved->body;
  EXPECT_EQ(approved->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(c.Post(approve.c_str(), bearer(editor2), "", "application/json")->status, 409);
  EXPECT_EQ(c.Post((list + "/not-a-uuid/approve").c_str(), bearer(editor2), "", "application/json")
                ->status,
            400);
  // The decision reached the public view: the parties are withheld with the reason.
  auto project = json::parse(Get("/public/api/v1/projects/" + hostile)->body);
  EXPECT_FALSE(project.contains("parties"));
  auto listed = c.Get((list + "?state=approved").c_str(), bearer(editor1));
  ASSERT_EQ(listed->status, 200);
  bool found = false;
  const json requests = json::parse(listed->body);
  for (const auto& q : requests["requests"]) found |= q["id"] == request["id"];
  EXPECT_TRUE(found);
  // The OpenAPI document declares the staff routes with their bearer scheme.
  const json api = json::parse(Get("/public/api/v1/openapi.json")->body);
  EXPECT_EQ(api["paths"][list]["post"]["security"][0].count("bearer"), 1u);
  EXPECT_TRUE(api["paths"][list]["post"]["responses"].contains("201"));
  EXPECT_TRUE(api["paths"][list]["post"].contains("requestBody"));
  EXPECT_EQ(api["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
  EXPECT_EQ(api["paths"]["/public/api/v1/projects"]["get"]["security"], json::array());
}

// Percent-encodes UTF-8 for a header value or a form field.
std::string Encode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

TEST_F(PortalTest, AResidentFilesAGrievanceAndFollowsItWithReceiptAndPassphraseAlone) {
  httplib::Client c("127.0.0.1", server_->port());
  const std::string url = "/public/api/v1/grievances";
  auto filed = c.Post(url.c_str(),
                      R"({"district":"PK205","topic":"land-compensation","lang":"ur",)"
                      R"("description":"ہماری زمین کا معاوضہ نہیں ملا","contact":"0300-7654321"})",
                      "application/json");
  ASSERT_TRUE(filed);
  ASSERT_EQ(filed->status, 201) << filed->body;
  EXPECT_EQ(filed->get_header_value("Cache-Control"), "no-store");
  const json receipt = json::parse(filed->body);
  const std::string code = receipt["receipt"], phrase = receipt["passphrase"];
  EXPECT_EQ(code.rfind("GRV-", 0), 0u);
  const auto follow = [&](const std::string& r, const std::string& p) {
    return c.Get((url + "/" + r).c_str(), httplib::Headers{{"X-Passphrase", Encode(p)}});
  };
  auto seen = follow(code, phrase);
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->status, 200) << seen->body;
  EXPECT_EQ(seen->get_header_value("Cache-Control"), "no-store");
  const json view = json::parse(seen->body);
  EXPECT_EQ(view["state"], "received");
  EXPECT_EQ(view["overdue"], false);
  EXPECT_EQ(view["milestones"].size(), 4u);
  EXPECT_EQ(view["history"][0]["action"], "file");
  EXPECT_EQ(view.dump().find("0300"), std::string::npos);  // the contact is not the resident's view
  // A wrong passphrase answers exactly as an unknown receipt.
  auto wrong = follow(code, "غلط الفاظ یہاں ہیں");
  auto unknown = follow("GRV-0000-0000-0000", phrase);
  ASSERT_TRUE(wrong && unknown);
  EXPECT_EQ(wrong->status, 404);
  EXPECT_EQ(wrong->body, unknown->body);
  EXPECT_EQ(c.Get((url + "/" + code).c_str())->status, 401);  // no X-Passphrase
  // Bad filings are named by JSON pointer.
  for (
      const auto& [bad, want] : std::vector<std::pair<std::string, std::string>>{
          {R"({"district":"PK205","topic":"weather","lang":"en","description":"x"})", "topic:"},
          {R"({"district":"PK205","topic":"other","lang":"en"})", "description: empty"},
          {R"({"district":"PK205","topic":"other","lang":"en","description":"x","channel":"phone"})",
           "/channel: unknown member"},
          {R"({"district":"PK205","topic":"other","description":"x"})", "/lang: missing"},
          {R"({"district":"PK205","topic":"other","lang":"en","description":"x","reprisal_fear":"yes"})",
           "/reprisal_fear: expected true or false"}}) {
    auto r = c.Post(url.c_str(), bad, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_NE(r->body.find(want), std::string::npos) << r->body;
  }

  // An officer acknowledges and asks; the resident answers; the history shows it all.
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  ASSERT_TRUE(public_side::AddAccount(*db_, *audit_, op, "officer-1",
                                      {model::PublicRole::kGrievanceOfficer}));
  const std::string officer =
      public_side::IssueToken(*db_, *audit_, op, "officer-1", 1).value().token;
  const httplib::Headers bearer{{"Authorization", "Bearer " + officer}};
  auto cases = c.Get("/public/api/v1/cases?state=received", bearer);
  ASSERT_EQ(cases->status, 200) << cases->body;
  std::string id;
  const json listed_cases = json::parse(cases->body);
  for (const auto& k : listed_cases["cases"]) {
    if (k["description"] == "ہماری زمین کا معاوضہ نہیں ملا") id = k["id"];
  }
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(c.Get("/public/api/v1/cases")->status, 401);
  auto ack = c.Post(("/public/api/v1/cases/" + id + "/acknowledge").c_str(), bearer, "",
                    "application/json");
  ASSERT_EQ(ack->status, 200) << ack->body;
  EXPECT_EQ(json::parse(ack->body)["officer"], "officer-1");
  auto again = c.Post(("/public/api/v1/cases/" + id + "/acknowledge").c_str(), bearer, "",
                      "application/json");
  EXPECT_EQ(again->status, 409);
  auto ask = c.Post(("/public/api/v1/cases/" + id + "/ask").c_str(), bearer,
                    R"({"text":"Which village?"})", "application/json");
  ASSERT_EQ(ask->status, 200) << ask->body;
  // The assigned officer sees the contact.
  auto show = c.Get(("/public/api/v1/cases/" + id).c_str(), bearer);
  EXPECT_EQ(json::parse(show->body)["contact"], "0300-7654321");
  auto answer = c.Post((url + "/" + code + "/answer").c_str(),
                       httplib::Headers{{"X-Passphrase", Encode(phrase)}},
                       R"({"text":"گاؤں شادی کور"})", "application/json");
  ASSERT_EQ(answer->status, 200) << answer->body;
  const json after = json::parse(answer->body);
  ASSERT_EQ(after["history"].size(), 4u);
  EXPECT_EQ(after["history"][2]["text"], "Which village?");
  EXPECT_EQ(after["history"][2]["by"], "officer");
  EXPECT_EQ(after["history"][3]["by"], "resident");
  auto accept = c.Post((url + "/" + code + "/accept").c_str(),
                       httplib::Headers{{"X-Passphrase", Encode(phrase)}}, "", "application/json");
  EXPECT_EQ(accept->status, 409);  // nothing proposed yet

  // The OpenAPI document lets a script walk the whole flow.
  const json api = json::parse(Get("/public/api/v1/openapi.json")->body);
  for (const auto& [path, method] : std::vector<std::pair<std::string, std::string>>{
           {url, "post"},
           {url + "/{receipt}", "get"},
           {url + "/{receipt}/answer", "post"},
           {url + "/{receipt}/appeal", "post"},
           {"/public/api/v1/cases", "get"},
           {"/public/api/v1/cases/{id}/propose", "post"},
           {"/public/api/v1/grievance-statistics", "get"}}) {
    EXPECT_TRUE(api["paths"].contains(path) && api["paths"][path].contains(method))
        << method << " " << path;
  }
  auto stats = Get("/public/api/v1/grievance-statistics");
  ASSERT_EQ(stats->status, 200);
  const json s = json::parse(stats->body);
  ASSERT_FALSE(s["districts"].empty());
  EXPECT_EQ(s["districts"][0]["received"], "<10");
}

// A portal server of its own with `limits` (the fixture's allows 1,000 of
// everything), stopped when it goes out of scope.
class OwnServer {
 public:
  OwnServer(store::Database& db, public_side::PublicAuditLog* audit,
            public_side::ClientLimits limits)
      : api_(db, public_side::Publication{}, audit, std::move(limits)),
        server_(api_.routes(), Options()) {
    bound_ = server_.Bind().has_value();
    if (bound_) thread_ = std::thread([this] { (void)server_.Run(); });
  }
  OwnServer(const OwnServer&) = delete;
  OwnServer& operator=(const OwnServer&) = delete;
  ~OwnServer() {
    if (!bound_) return;
    server_.Stop();
    thread_.join();
  }
  bool bound() const { return bound_; }
  httplib::Client Client() { return httplib::Client("127.0.0.1", server_.port()); }

 private:
  static server::ServerOptions Options() {
    server::ServerOptions options;
    options.port = 0;
    options.access_log = false;
    return options;
  }
  PublicApi api_;
  server::Server server_;
  bool bound_ = false;
  std::thread thread_;
};

// Per-client limits (public_side/client_limits.h) on a server of their own:
// two filings and three passphrase checks an hour. A client behind the
// trusted proxy (127.0.0.1 here) is the last X-Forwarded-For entry.
TEST_F(PortalTest, ResidentsRoutesAreLimitedPerClientWithoutKeepingAddresses) {
  auto server = std::make_unique<OwnServer>(
      *db_, audit_, public_side::ClientLimits{2, 3, 2, 10, 10, "127.0.0.1"});
  ASSERT_TRUE(server->bound());
  httplib::Client c = server->Client();
  const std::string body =
      R"({"district":"PK205","topic":"other","lang":"en","description":"Dust from the road works"})";
  const auto file = [&](const std::string& client) {
    httplib::Headers h;
    if (!client.empty()) h.emplace("X-Forwarded-For", "10.0.0.1, " + client);
    return c.Post("/public/api/v1/grievances", h, body, "application/json");
  };
  std::string receipt;
  for (int i = 0; i < 2; ++i) {
    auto r = file("203.0.113.7");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    receipt = json::parse(r->body)["receipt"];
  }
  auto refused = file("203.0.113.7");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429) << refused->body;
  const int retry = std::stoi(refused->get_header_value("Retry-After"));
  EXPECT_GT(retry, 3000);
  EXPECT_LE(retry, 3600);
  EXPECT_EQ(refused->get_header_value("Cache-Control"), "no-store");
  // Another client, and the proxy itself, each have their own allowance;
  // a bad filing counts like a good one.
  EXPECT_EQ(file("198.51.100.4")->status, 201);
  EXPECT_EQ(c.Post("/public/api/v1/grievances", "{}", "application/json")->status, 400);
  EXPECT_EQ(file("")->status, 201);
  EXPECT_EQ(file("")->status, 429);
  // The portal's form past the limit: a page in the form's language, not an error body.
  auto form = c.Post(
      "/public/api/v1/grievances", httplib::Headers{{"X-Forwarded-For", "203.0.113.7"}},
      "district=PK205&topic=other&lang=ur&description=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 429);
  EXPECT_NE(form->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(form->body.find("lang=\"ur\""), std::string::npos);
  EXPECT_NE(form->body.find("کوشش"), std::string::npos);
  // Passphrase checks: three an hour, whichever route makes them.
  const httplib::Headers client = {{"X-Forwarded-For", "192.0.2.9"}, {"X-Passphrase", "a b c d"}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(c.Get(("/public/api/v1/grievances/" + receipt).c_str(), client)->status, 404);
  }
  EXPECT_EQ(c.Get(("/public/api/v1/grievances/" + receipt).c_str(), client)->status, 429);
  auto portal =
      c.Post("/en/grievances/follow", httplib::Headers{{"X-Forwarded-For", "192.0.2.9"}},
             "receipt=" + receipt + "&passphrase=a+b+c+d", "application/x-www-form-urlencoded");
  ASSERT_TRUE(portal);
  EXPECT_EQ(portal->status, 429);
  EXPECT_NE(portal->body.find("Too many tries"), std::string::npos);
  server.reset();

  // Without a trusted proxy the header is never read: every request from
  // 127.0.0.1 is one client, whatever it claims.
  OwnServer plain(*db_, audit_, {1, 1, 1, 1, 1, ""});
  ASSERT_TRUE(plain.bound());
  httplib::Client c2 = plain.Client();
  const auto file2 = [&](const std::string& claimed) {
    return c2.Post("/public/api/v1/grievances", httplib::Headers{{"X-Forwarded-For", claimed}},
                   body, "application/json");
  };
  EXPECT_EQ(file2("203.0.113.1")->status, 201);
  EXPECT_EQ(file2("203.0.113.2")->status, 429);
}

// Consultations over HTTP (issue 14 §2): a moderator opens one; a resident
// proposes and supports with participation codes; a code supports once.
TEST_F(PortalTest, AParticipationCodeSupportsAProposalOnceOverHttp) {
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  ASSERT_TRUE(
      public_side::AddAccount(*db_, *audit_, op, "mod-consult", {model::PublicRole::kModerator}));
  const std::string token =
      public_side::IssueToken(*db_, *audit_, op, "mod-consult", 1).value().token;
  const httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  httplib::Client c("127.0.0.1", server_->port());
  EXPECT_EQ(c.Post("/public/api/v1/consultations", R"({"district":"PK205","title":"T"})",
                   "application/json")
                ->status,
            401);
  auto opened = c.Post("/public/api/v1/consultations", bearer,
                       R"({"district":"PK205","title":"Port road: where should the crossings go?",)"
                       R"("threshold":2})",
                       "application/json");
  ASSERT_TRUE(opened);
  ASSERT_EQ(opened->status, 201) << opened->body;
  const std::string id = json::parse(opened->body)["id"];
  auto bad = c.Post("/public/api/v1/consultations", bearer,
                    R"({"district":"PK205","title":"T","owner":"x"})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("/owner"), std::string::npos);

  auto codes = public_side::IssueCodes(*db_, *audit_, op, "PK205", 2, "2026-12-01T00:00:00Z");
  ASSERT_TRUE(codes.has_value());
  const auto post = [&](const std::string& path, const json& body) {
    return c.Post(path.c_str(), body.dump(), "application/json");
  };
  auto proposed = post("/public/api/v1/consultations/" + id + "/proposals",
                       {{"code", codes->codes[0]}, {"title", "A crossing at the school gate"}});
  ASSERT_TRUE(proposed);
  ASSERT_EQ(proposed->status, 201) << proposed->body;
  EXPECT_EQ(proposed->get_header_value("Cache-Control"), "no-store");
  const std::string proposal = json::parse(proposed->body)["id"];
  const std::string support = "/public/api/v1/proposals/" + proposal + "/support";
  EXPECT_EQ(post(support, {{"code", "PC-0000-0000-0000"}})->status, 403);
  auto first = post(support, {{"code", codes->codes[1]}});
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(json::parse(first->body)["supports"], 1);
  EXPECT_EQ(post(support, {{"code", codes->codes[1]}})->status, 409);
  auto second = post(support, {{"code", codes->codes[0]}});
  EXPECT_EQ(json::parse(second->body)["state"], "response-due");

  auto answered =
      c.Post(("/public/api/v1/proposals/" + proposal + "/response").c_str(), bearer,
             R"({"text":"Two crossings are in the revised design."})", "application/json");
  ASSERT_EQ(answered->status, 200) << answered->body;
  auto shown = c.Get(("/public/api/v1/consultations/" + id).c_str());
  ASSERT_EQ(shown->status, 200);
  const json view = json::parse(shown->body);
  EXPECT_EQ(view["proposals"][0]["supports"], 2);
  EXPECT_EQ(view["proposals"][0]["state"], "answered");
  EXPECT_EQ(shown->body.find("PC-"), std::string::npos);  // no code is ever shown back
  auto list = c.Get("/public/api/v1/consultations?district=PK205");
  EXPECT_NE(list->body.find("\"id\":\"" + id + "\""), std::string::npos) << list->body;
  EXPECT_EQ(c.Get("/public/api/v1/consultations?district=PK201")->body.find(id), std::string::npos);

  // Three reports hold it for a moderator; the public log says so, naming nobody.
  auto more = public_side::IssueCodes(*db_, *audit_, op, "PK205", 3, "2026-12-01T00:00:00Z");
  ASSERT_TRUE(more.has_value());
  const std::string report = "/public/api/v1/proposals/" + proposal + "/report";
  for (int i = 0; i < 3; ++i) {
    auto r = post(report, {{"code", more->codes[static_cast<std::size_t>(i)]}});
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(json::parse(r->body)["reports"], i + 1);
  }
  EXPECT_EQ(post(report, {{"code", more->codes[0]}})->status, 409);
  const json held = json::parse(c.Get(("/public/api/v1/consultations/" + id).c_str())->body);
  EXPECT_EQ(held["proposals"][0]["moderation"], "held");
  EXPECT_FALSE(held["proposals"][0].contains("title"));
  auto log = c.Get("/public/api/v1/moderation-log");
  ASSERT_EQ(log->status, 200);
  const json entries = json::parse(log->body)["items"];
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries[0]["proposal"], proposal);
  EXPECT_EQ(entries[0]["rule"], "reports");
  EXPECT_EQ(log->body.find("mod-consult"), std::string::npos);
  auto page = c.Get("/en/moderation");
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("Reports reached the threshold"), std::string::npos);
  EXPECT_EQ(c.Get("/public/api/v1/moderation/queue")->status, 401);
  auto queue = c.Get("/public/api/v1/moderation/queue", bearer);
  ASSERT_EQ(queue->status, 200) << queue->body;
  auto restored = c.Post(("/public/api/v1/proposals/" + proposal + "/moderation").c_str(), bearer,
                         R"({"decision":"restore","rule":"no-breach"})", "application/json");
  ASSERT_EQ(restored->status, 200) << restored->body;
  EXPECT_EQ(
      json::parse(
          c.Get(("/public/api/v1/consultations/" + id).c_str())->body)["proposals"][0]["title"],
      "A crossing at the school gate");
}

// Comments (issue 14 §2): anyone comments and replies, without a code but
// limited per client; a code of the district marks a comment verified; the
// portal's forms work without JavaScript; three reports hold a comment.
TEST_F(PortalTest, ResidentsCommentWithoutACodeRateLimitedAndReportedCommentsAreHeld) {
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  auto consultation = public_side::OpenConsultation(
      *db_, *audit_, op, {"PK205", "", "Water points near the port", "", 10},
      "2026-12-01T00:00:00Z");
  ASSERT_TRUE(consultation.has_value());
  auto codes = public_side::IssueCodes(*db_, *audit_, op, "PK205", 4, "2026-12-01T00:00:00Z");
  ASSERT_TRUE(codes.has_value());
  auto proposal = public_side::Propose(
      *db_, *audit_, {consultation->id, codes->codes[0], "A tap at the school", "", "en"},
      "2026-12-01T00:00:00Z");
  ASSERT_TRUE(proposal.has_value());

  OwnServer server(*db_, audit_, {10, 60, 3, 10, 10, "127.0.0.1"});
  ASSERT_TRUE(server.bound());
  httplib::Client c = server.Client();
  const httplib::Headers resident = {{"X-Forwarded-For", "203.0.113.50"}};
  const std::string comments = "/public/api/v1/proposals/" + proposal->id + "/comments";
  auto plain = c.Post(comments.c_str(), resident, R"({"body":"And one at the clinic","lang":"en"})",
                      "application/json");
  ASSERT_TRUE(plain);
  ASSERT_EQ(plain->status, 201) << plain->body;
  EXPECT_EQ(plain->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(json::parse(plain->body)["verified"], false);
  const std::string first = json::parse(plain->body)["id"];
  // A reply with a code, by the portal's form: the page again, threaded, marked verified.
  auto reply =
      c.Post(("/ur/proposals/" + proposal->id + "/comment").c_str(), resident,
             "parent=" + first + "&body=%D8%AC%DB%8C+%DB%81%D8%A7%DA%BA&code=" + codes->codes[1],
             "application/x-www-form-urlencoded");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 201) << reply->body;
  EXPECT_NE(reply->body.find("آپ کا تبصرہ شامل ہو گیا"), std::string::npos);
  EXPECT_NE(reply->body.find("<ol class=\"thread\"><li data-comment="), std::string::npos);
  EXPECT_NE(reply->body.find("ضلع کا رہائشی"), std::string::npos);
  EXPECT_EQ(reply->body.find(codes->codes[1]), std::string::npos);
  // The third comment from this client in the hour is the last; the fourth is refused.
  EXPECT_EQ(
      c.Post(comments.c_str(), resident, R"({"body":"x","parent":"nope"})", "application/json")
          ->status,
      404);
  auto limited = c.Post(comments.c_str(), resident, R"({"body":"Another"})", "application/json");
  EXPECT_EQ(limited->status, 429);
  EXPECT_FALSE(limited->get_header_value("Retry-After").empty());
  // Another client is not limited by it; a wrong code is refused like any.
  const httplib::Headers other = {{"X-Forwarded-For", "198.51.100.9"}};
  EXPECT_EQ(c.Post(comments.c_str(), other, R"({"body":"x","code":"PC-0000-0000-0000"})",
                   "application/json")
                ->status,
            403);

  // Three codes report the first comment: held, and on the public log as a comment.
  const std::string report = "/public/api/v1/comments/" + first + "/report";
  for (int i = 1; i <= 3; ++i) {
    auto r = c.Post(report.c_str(), other,
                    json{{"code", codes->codes[static_cast<std::size_t>(i)]}}.dump(),
                    "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
  }
  const json shown =
      json::parse(c.Get(("/public/api/v1/consultations/" + consultation->id).c_str())->body);
  EXPECT_EQ(shown["proposals"][0]["comments"][0]["moderation"], "held");
  EXPECT_FALSE(shown["proposals"][0]["comments"][0].contains("body"));
  auto page = c.Get(("/en/consultations/" + consultation->id).c_str());
  EXPECT_NE(page->body.find("This comment is held until a moderator decides."), std::string::npos);
  EXPECT_EQ(page->body.find("And one at the clinic"), std::string::npos);
  const json log = json::parse(c.Get("/public/api/v1/moderation-log")->body);
  EXPECT_EQ(log["items"][0]["comment"], first);
  EXPECT_NE(c.Get("/en/moderation")->body.find(">Comment "), std::string::npos);

  // A moderator restores it; without a token nobody can.
  const std::string moderate = "/public/api/v1/comments/" + first + "/moderation";
  EXPECT_EQ(
      c.Post(moderate.c_str(), R"({"decision":"restore","rule":"no-breach"})", "application/json")
          ->status,
      401);
  ASSERT_TRUE(
      public_side::AddAccount(*db_, *audit_, op, "mod-comments", {model::PublicRole::kModerator}));
  const std::string token =
      public_side::IssueToken(*db_, *audit_, op, "mod-comments", 1).value().token;
  auto restored = c.Post(moderate.c_str(), {{"Authorization", "Bearer " + token}},
                         R"({"decision":"restore","rule":"no-breach"})", "application/json");
  ASSERT_EQ(restored->status, 200) << restored->body;
  EXPECT_NE(
      c.Get(("/en/consultations/" + consultation->id).c_str())->body.find("And one at the clinic"),
      std::string::npos);
}

// Meetings and the public calendar (issue 14 §2): a moderator schedules by
// the API; anyone reads it as JSON, as iCalendar and on the portal.
TEST_F(PortalTest, AMeetingIsScheduledByAModeratorAndOnThePublicCalendar) {
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  ASSERT_TRUE(
      public_side::AddAccount(*db_, *audit_, op, "mod-meetings", {model::PublicRole::kModerator}));
  const std::string token =
      public_side::IssueToken(*db_, *audit_, op, "mod-meetings", 1).value().token;
  const httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  httplib::Client c("127.0.0.1", server_->port());
  const std::string body =
      R"({"district":"PK205","title":"Forum: water points","place":"Town hall, Gwadar",)"
      R"("starts_at":"2031-01-15T10:00","ends_at":"2031-01-15T12:00",)"
      R"("organisations":["Gwadar Fishermen's Alliance"],"agenda":"Where the taps go"})";
  EXPECT_EQ(c.Post("/public/api/v1/meetings", body, "application/json")->status, 401);
  auto bad =
      c.Post("/public/api/v1/meetings", bearer,
             R"({"district":"PK205","title":"T","organisations":"one"})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("/organisations"), std::string::npos) << bad->body;
  auto made = c.Post("/public/api/v1/meetings", bearer, body, "application/json");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string id = json::parse(made->body)["id"];
  EXPECT_EQ(json::parse(made->body)["starts_at"], "2031-01-15T05:00:00.000Z");

  const json one = json::parse(c.Get(("/public/api/v1/meetings/" + id).c_str())->body);
  EXPECT_EQ(one["organisations"][0], "Gwadar Fishermen's Alliance");
  EXPECT_EQ(one.dump().find("mod-meetings"), std::string::npos);
  const json listed = json::parse(c.Get("/public/api/v1/meetings?district=PK205")->body);
  EXPECT_TRUE(std::any_of(listed["items"].begin(), listed["items"].end(), [&](const json& m) {
    return m["id"] == id;
  })) << listed.dump();
  const json elsewhere = json::parse(c.Get("/public/api/v1/meetings?district=PK201")->body);
  EXPECT_EQ(elsewhere.dump().find(id), std::string::npos);
  EXPECT_EQ(c.Get("/public/api/v1/meetings?from=tomorrow")->status, 400);
  auto ics = c.Get("/public/api/v1/meetings.ics?district=PK205");
  ASSERT_EQ(ics->status, 200);
  EXPECT_EQ(ics->get_header_value("Content-Type"), "text/calendar; charset=utf-8");
  EXPECT_NE(ics->body.find("UID:" + id + "@"), std::string::npos);
  EXPECT_NE(ics->body.find("DTSTART:20310115T050000Z\r\n"), std::string::npos);
  auto event = c.Get(("/public/api/v1/meetings/" + id + "/event.ics").c_str());
  ASSERT_EQ(event->status, 200);
  EXPECT_EQ(event->body.find("BEGIN:VEVENT"), event->body.rfind("BEGIN:VEVENT"));  // one event
  EXPECT_EQ(c.Get("/public/api/v1/meetings/nope/event.ics")->status, 404);

  auto page = c.Get(("/ur/meetings/" + id).c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("۱۵ جنوری ۲۰۳۱"), std::string::npos);
  EXPECT_NE(page->body.find("۱۰:۰۰–۱۲:۰۰"), std::string::npos);
  auto list = c.Get("/en/meetings");
  EXPECT_NE(list->body.find("Forum: water points"), std::string::npos);
  EXPECT_NE(list->body.find("href=\"/en/meetings\""), std::string::npos);  // in the menu

  // Minutes only after it began; a cancellation says why and bumps the sequence.
  auto early = c.Post(("/public/api/v1/meetings/" + id + "/minutes").c_str(), bearer,
                      R"({"minutes":"Agreed"})", "application/json");
  EXPECT_EQ(early->status, 409);
  auto cancelled = c.Post(("/public/api/v1/meetings/" + id + "/cancel").c_str(), bearer,
                          R"({"reason":"The hall is flooded"})", "application/json");
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(json::parse(cancelled->body)["sequence"], 1);
  auto after = c.Get(("/public/api/v1/meetings/" + id + "/event.ics").c_str());
  EXPECT_NE(after->body.find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_NE(after->body.find("SEQUENCE:1"), std::string::npos);
}

// Results tracking (issue 14 §2): a moderator records what a consultation led
// to and reports progress; anyone reads it, on the consultation's page too.
TEST_F(PortalTest, AResultOfAConsultationIsTrackedOverHttp) {
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  ASSERT_TRUE(
      public_side::AddAccount(*db_, *audit_, op, "mod-results", {model::PublicRole::kModerator}));
  const std::string token =
      public_side::IssueToken(*db_, *audit_, op, "mod-results", 1).value().token;
  const httplib::Headers bearer = {{"Authorization", "Bearer " + token}};
  auto consultation = public_side::OpenConsultation(
      *db_, *audit_, op, {"PK205", "", "Street lights", "", 10}, "2026-12-01T00:00:00Z");
  ASSERT_TRUE(consultation.has_value());
  auto codes = public_side::IssueCodes(*db_, *audit_, op, "PK205", 1, "2026-12-01T00:00:00Z");
  auto proposal = public_side::Propose(
      *db_, *audit_, {consultation->id, codes->codes[0], "Lights by the market", "", "en"},
      "2026-12-01T00:00:00Z");
  ASSERT_TRUE(proposal.has_value());
  httplib::Client c("127.0.0.1", server_->port());
  const std::string path = "/public/api/v1/consultations/" + consultation->id + "/results";
  const json body = {{"title", "Twelve lights on the market road"},
                     {"proposals", {proposal->id}},
                     {"decision", "The district council funds twelve lights"},
                     {"decided_on", "2026-12-01"}};
  EXPECT_EQ(c.Post(path.c_str(), body.dump(), "application/json")->status, 401);
  auto bad = c.Post(path.c_str(), bearer, R"({"title":"T","proposals":"one"})", "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("/proposals"), std::string::npos) << bad->body;
  auto made = c.Post(path.c_str(), bearer, body.dump(), "application/json");
  ASSERT_EQ(made->status, 201) << made->body;
  const std::string id = json::parse(made->body)["id"];
  const std::string progress = "/public/api/v1/results/" + id + "/progress";
  auto moved =
      c.Post(progress.c_str(), bearer,
             R"({"status":"in-progress","progress":50,"note":"Six poles up"})", "application/json");
  ASSERT_EQ(moved->status, 200) << moved->body;
  EXPECT_EQ(json::parse(moved->body)["progress"], 50);
  EXPECT_EQ(c.Post(progress.c_str(), bearer, R"({"status":"in-progress","progress":"half"})",
                   "application/json")
                ->status,
            400);
  const json shown = json::parse(c.Get(("/public/api/v1/results/" + id).c_str())->body);
  EXPECT_EQ(shown["updates"][0]["note"], "Six poles up");
  EXPECT_EQ(shown.dump().find("mod-results"), std::string::npos);
  auto page = c.Get(("/en/consultations/" + consultation->id).c_str());
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<progress id=\"result-1-p\" max=\"100\" value=\"50\">"),
            std::string::npos);
  EXPECT_NE(page->body.find("Six poles up"), std::string::npos);
  EXPECT_NE(page->body.find("href=\"#result-1\""), std::string::npos);  // from the proposal
  EXPECT_EQ(c.Post(progress.c_str(), bearer, R"({"status":"completed","note":"All lit"})",
                   "application/json")
                ->status,
            200);
  EXPECT_EQ(c.Post(progress.c_str(), bearer, R"({"status":"in-progress","note":"again"})",
                   "application/json")
                ->status,
            409);
}

// Attachments (issue 14 §1): a resident uploads with receipt and passphrase;
// the file is kept without its author; an officer lists and downloads it as
// a sandboxed attachment.
TEST_F(PortalTest, AResidentAttachesAPdfAndAnOfficerDownloadsItWithoutItsAuthor) {
  httplib::Client c("127.0.0.1", server_->port());
  auto filed = c.Post("/public/api/v1/grievances",
                      R"({"district":"PK205","topic":"other","lang":"en",)"
                      R"("description":"A letter from the contractor about our land"})",
                      "application/json");
  ASSERT_EQ(filed->status, 201) << filed->body;
  const json receipt = json::parse(filed->body);
  const std::string path =
      "/public/api/v1/grievances/" + receipt["receipt"].get<std::string>() + "/attachments";
  // No xref table: qpdf rebuilds it, as it would for a phone scanner's sloppy PDF.
  const std::string pdf =
      "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
      "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
      "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 10 10]>> endobj\n"
      "4 0 obj <</Author (Rashid Khan)>> endobj\n"
      "trailer <</Root 1 0 R /Info 4 0 R>>\n%%EOF\n";
  EXPECT_EQ(c.Post(path.c_str(), pdf, "application/pdf")->status, 401);  // no passphrase
  httplib::Headers phrase = {{"X-Passphrase", Encode(receipt["passphrase"].get<std::string>())}};
  auto refused = c.Post(path.c_str(), phrase, "plain text", "text/plain");
  EXPECT_EQ(refused->status, 400);
  EXPECT_NE(refused->body.find("not a JPEG, PNG or PDF"), std::string::npos) << refused->body;
  auto up = c.Post(path.c_str(), phrase, pdf, "application/pdf");
  ASSERT_EQ(up->status, 201) << up->body;
  EXPECT_EQ(up->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(json::parse(up->body)["media_type"], "application/pdf");

  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  ASSERT_TRUE(public_side::AddAccount(*db_, *audit_, op, "officer-files",
                                      {model::PublicRole::kGrievanceOfficer}));
  const httplib::Headers bearer = {
      {"Authorization",
       "Bearer " + public_side::IssueToken(*db_, *audit_, op, "officer-files", 1).value().token}};
  auto followed = public_side::FollowGrievance(*db_, receipt["receipt"].get<std::string>(),
                                               receipt["passphrase"].get<std::string>(),
                                               public_side::GrievanceNow().value());
  ASSERT_TRUE(followed.has_value()) << followed.error().message;
  const std::string id = followed->grievance.id;
  const std::string list = "/public/api/v1/cases/" + id + "/attachments";
  EXPECT_EQ(c.Get(list.c_str())->status, 401);
  const json items = json::parse(c.Get(list.c_str(), bearer)->body)["items"];
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0]["by"], "resident");
  auto file = c.Get((list + "/1").c_str(), bearer);
  ASSERT_EQ(file->status, 200) << file->body;
  EXPECT_EQ(file->get_header_value("Content-Type"), "application/pdf");
  EXPECT_NE(file->get_header_value("Content-Disposition").find("attachment;"), std::string::npos);
  EXPECT_EQ(file->get_header_value("Content-Security-Policy"), "sandbox; default-src 'none'");
  EXPECT_EQ(file->body.rfind("%PDF", 0), 0U);
  EXPECT_EQ(file->body.find("Rashid"), std::string::npos);
  // The portal's form, multipart, without JavaScript: the status page again with a notice.
  const httplib::MultipartFormDataItems form = {
      {"receipt", receipt["receipt"].get<std::string>(), "", ""},
      {"passphrase", receipt["passphrase"].get<std::string>(), "", ""},
      {"file", pdf, "scan.pdf", "application/pdf"}};
  auto posted = c.Post("/en/grievances/attach", form);
  ASSERT_EQ(posted->status, 201) << posted->body;
  EXPECT_NE(posted->body.find("The file is added"), std::string::npos);
  EXPECT_NE(posted->body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_EQ(posted->get_header_value("Cache-Control"), "no-store");
  const httplib::MultipartFormDataItems junk = {
      {"receipt", receipt["receipt"].get<std::string>(), "", ""},
      {"passphrase", receipt["passphrase"].get<std::string>(), "", ""},
      {"file", "#!/bin/sh\nrm -rf /\n", "x.sh", "application/pdf"}};
  auto refused_form = c.Post("/ur/grievances/attach", junk);
  EXPECT_EQ(refused_form->status, 400);
  EXPECT_NE(refused_form->body.find("یہ فائل قبول نہیں ہوئی"), std::string::npos);
  const httplib::MultipartFormDataItems wrong = {
      {"receipt", receipt["receipt"].get<std::string>(), "", ""},
      {"passphrase", "not the words", "", ""},
      {"file", pdf, "scan.pdf", "application/pdf"}};
  EXPECT_EQ(c.Post("/en/grievances/attach", wrong)->status, 404);
  EXPECT_EQ(json::parse(c.Get(list.c_str(), bearer)->body)["count"], 2);

  // The public server's body limits (api::PublicBodyLimit, as `corridor
  // public serve` sets them): 64 KiB on a JSON route, refused before the body
  // is read; 200 KiB on the upload route is taken.
  server::ServerOptions options;
  options.port = 0;
  options.access_log = false;
  options.max_body_bytes = api::PublicBodyLimit("/x/attachments");
  options.body_limit = api::PublicBodyLimit;
  server::Server limited(api_->routes(), options);
  ASSERT_TRUE(limited.Bind());
  std::thread serving([&] { (void)limited.Run(); });
  httplib::Client l("127.0.0.1", limited.port());
  const std::string big_json = R"({"district":"PK205","topic":"other","description":")" +
                               std::string(100 << 10, 'x') + R"("})";
  auto too_big = l.Post("/public/api/v1/grievances", big_json, "application/json");
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
  std::string padded = pdf;
  padded.insert(padded.find("%%EOF"), "%" + std::string(200 << 10, 'p') + "\n");
  auto big_upload = l.Post(path.c_str(), phrase, padded, "application/pdf");
  ASSERT_TRUE(big_upload);
  EXPECT_EQ(big_upload->status, 201) << big_upload->body;
  limited.Stop();
  serving.join();
  EXPECT_EQ(c.Get((list + "/4").c_str(), bearer)->status, 404);
  EXPECT_EQ(c.Get((list + "/9").c_str(), bearer)->status, 400);  // beyond five
}

TEST_F(PortalTest, TheGrievanceFormsWorkWithoutJavaScriptInEveryLanguage) {
  httplib::Client c("127.0.0.1", server_->port());
  for (const std::string lang : {"ur", "en", "zh"}) {
    auto form = Get("/" + lang + "/grievances/new");
    ASSERT_EQ(form->status, 200);
    EXPECT_NE(
        form->body.find("action=\"/" + lang + "/grievances/new\" enctype=\"multipart/form-data\""),
        std::string::npos);
    EXPECT_NE(form->body.find("type=\"file\" id=\"g-file\" name=\"file\""), std::string::npos);
    EXPECT_NE(form->body.find("<option value=\"PK205\""), std::string::npos);  // Gwadar, by name
    EXPECT_EQ(form->body.find("<script"), std::string::npos);
    // Filed as a browser posts the form: multipart, a file chosen or the file field empty.
    const std::string pdf =
        "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        "2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
        "3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 10 10]>> endobj\n"
        "4 0 obj <</Author (Rashid Khan)>> endobj\n"
        "trailer <</Root 1 0 R /Info 4 0 R>>\n%%EOF\n";
    const httplib::MultipartFormDataItems items = {
        {"lang", lang, "", ""},
        {"district", "PK205", "", ""},
        {"topic", "access-roads", "", ""},
        {"description", "The road to the school is closed by the works", "", ""},
        {"contact", "", "", ""},
        {"reprisal_fear", lang == "zh" ? "yes" : "", "", ""},
        {"file", lang == "en" ? pdf : std::string(), lang == "en" ? "letter.pdf" : "",
         lang == "en" ? "application/pdf" : "application/octet-stream"}};
    auto filed = c.Post(("/" + lang + "/grievances/new").c_str(), items);
    ASSERT_TRUE(filed);
    ASSERT_EQ(filed->status, 201) << filed->body;
    EXPECT_EQ(filed->body.find("role=\"status\"") != std::string::npos, lang == "en");
    if (lang == "en") {
      EXPECT_NE(filed->body.find("The file is added"), std::string::npos);
    }
    EXPECT_EQ(filed->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(filed->get_header_value("Cache-Control"), "no-store");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(filed->body, m, std::regex("id=\"receipt\">([A-Z0-9-]+)</bdi>")));
    const std::string receipt = m[1];
    ASSERT_TRUE(
        std::regex_search(filed->body, m, std::regex("id=\"passphrase\" dir=\"auto\">([^<]+)<")));
    const std::string phrase = m[1];
    auto page = c.Post(("/" + lang + "/grievances/follow").c_str(),
                       "receipt=" + Encode(receipt) + "&passphrase=" + Encode(phrase),
                       "application/x-www-form-urlencoded");
    ASSERT_EQ(page->status, 200) << page->body;
    EXPECT_NE(page->body.find("id=\"state\""), std::string::npos);
    EXPECT_NE(page->body.find("name=\"action\" value=\"answer\""), std::string::npos);
    EXPECT_NE(page->body.find("lang=\"" + lang + "\""), std::string::npos);
    auto answered = c.Post(("/" + lang + "/grievances/act").c_str(),
                           "receipt=" + Encode(receipt) + "&passphrase=" + Encode(phrase) +
                               "&action=answer&text=" + Encode("near the river"),
                           "application/x-www-form-urlencoded");
    ASSERT_EQ(answered->status, 200) << answered->body;
    EXPECT_NE(answered->body.find("near the river"), std::string::npos);
    auto wrong = c.Post(("/" + lang + "/grievances/follow").c_str(),
                        "receipt=" + Encode(receipt) + "&passphrase=nope",
                        "application/x-www-form-urlencoded");
    EXPECT_EQ(wrong->status, 404);
    EXPECT_NE(wrong->body.find("role=\"alert\""), std::string::npos);
  }
  // Under its upload limit the portal's route reads only the form's own shape.
  EXPECT_EQ(c.Post("/en/grievances/new", "lang=en&district=PK205&topic=other&description=x",
                   "application/x-www-form-urlencoded")
                ->status,
            400);
  EXPECT_EQ(c.Post("/en/grievances/new", R"({"lang":"en"})", "application/json")->status, 400);
  EXPECT_EQ(c.Post("/en/grievances/new",
                   httplib::MultipartFormDataItems{{"lang", "en", "", ""},
                                                   {"file", "a", "a.pdf", "application/pdf"},
                                                   {"file", "b", "b.pdf", "application/pdf"}})
                ->status,
            400);
  // The form as an older page posted it (urlencoded, to the API) still files.
  auto urlencoded = c.Post("/public/api/v1/grievances",
                           "lang=en&district=PK205&topic=other&description=" + Encode("Dust"),
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(urlencoded->status, 201) << urlencoded->body;
  // A form with a field missing comes back with what was typed and the field named.
  auto missing = c.Post("/en/grievances/new", httplib::MultipartFormDataItems{
                                                  {"lang", "en", "", ""},
                                                  {"district", "", "", ""},
                                                  {"topic", "other", "", ""},
                                                  {"description", "<kept & escaped>", "", ""}});
  ASSERT_EQ(missing->status, 400);
  EXPECT_NE(missing->body.find("role=\"alert\""), std::string::npos);
  EXPECT_NE(missing->body.find("&lt;kept &amp; escaped&gt;"), std::string::npos);
  auto stats = Get("/ur/grievances/statistics");
  ASSERT_EQ(stats->status, 200);
  EXPECT_NE(stats->body.find("۱۰ سے کم"), std::string::npos);
}

// The staff pages (issue 14): an officer and a moderator sign in with a
// password and work a case and the moderation queue in the browser's forms.
TEST_F(PortalTest, OfficersAndModeratorsWorkInTheStaffPagesWithAPasswordSession) {
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  const std::string password = "a long enough staff password";
  for (const auto& [name, role] : {std::pair{"officer-pages", model::PublicRole::kGrievanceOfficer},
                                   std::pair{"moderator-pages", model::PublicRole::kModerator}}) {
    ASSERT_TRUE(public_side::AddAccount(*db_, *audit_, op, name, {role}));
    ASSERT_TRUE(public_side::SetPassword(*db_, *audit_, op, name, password));
  }
  httplib::Client c("127.0.0.1", server_->port());
  const std::string form = "application/x-www-form-urlencoded";
  // Signed out: every staff page sends to the sign-in form.
  auto out = c.Get("/en/staff");
  ASSERT_EQ(out->status, 303);
  EXPECT_EQ(out->get_header_value("Location"), "/en/staff/sign-in");
  auto sign_in_page = c.Get("/ur/staff/sign-in");
  ASSERT_EQ(sign_in_page->status, 200);
  EXPECT_NE(sign_in_page->body.find("autocomplete=\"current-password\""), std::string::npos);
  EXPECT_EQ(sign_in_page->get_header_value("Cache-Control"), "no-store");
  // Its form's post names this origin (a no-referrer page's post would say "null").
  EXPECT_EQ(sign_in_page->get_header_value("Referrer-Policy"), "same-origin");
  // A wrong password: the form again, one message for every cause.
  auto wrong = c.Post("/en/staff/sign-in", "name=officer-pages&password=wrong+one+entirely", form);
  ASSERT_EQ(wrong->status, 401);
  EXPECT_NE(wrong->body.find("Sign-in failed: check the name and password."), std::string::npos);
  EXPECT_NE(wrong->body.find("value=\"officer-pages\""), std::string::npos);
  EXPECT_TRUE(wrong->get_header_value("Set-Cookie").empty());
  // Another site's form may not sign a browser in (login CSRF).
  const std::string right = "name=officer-pages&password=" + Encode(password);
  for (const char* origin : {"https://evil.example", "null"}) {
    auto cross = c.Post("/en/staff/sign-in", {{"Origin", origin}}, right, form);
    EXPECT_EQ(cross->status, 403) << origin;
    EXPECT_TRUE(cross->get_header_value("Set-Cookie").empty());
  }
  // The right password: a session cookie the page's scripts cannot read.
  const auto sign_in = [&](const std::string& body) {
    auto r = c.Post("/en/staff/sign-in", body, form);
    EXPECT_EQ(r->status, 303) << r->body;
    const std::string cookie = r->get_header_value("Set-Cookie");
    EXPECT_EQ(cookie.rfind("__Host-corridor_public_staff=", 0), 0U) << cookie;
    EXPECT_NE(cookie.find("; Secure"), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Max-Age=43200"), std::string::npos);
    return httplib::Headers{{"Cookie", cookie.substr(0, cookie.find(';'))}};
  };
  const httplib::Headers officer = sign_in(right);
  // The session is no bearer token: the JSON API refuses it.
  const std::string session = officer.begin()->second.substr(officer.begin()->second.find('=') + 1);
  EXPECT_EQ(c.Get("/public/api/v1/cases", {{"Authorization", "Bearer " + session}})->status, 401);
  const auto csrf_of = [](const std::string& html) {
    std::smatch m;
    EXPECT_TRUE(std::regex_search(html, m, std::regex("name=\"csrf\" value=\"([0-9a-f]{64})\"")));
    return m.size() > 1 ? m[1].str() : std::string();
  };

  // A resident files, with a contact; the officer finds it in the list.
  auto filed = c.Post("/public/api/v1/grievances",
                      R"({"district":"PK205","topic":"access-roads","lang":"ur",)"
                      R"("description":"The works closed the road to the clinic",)"
                      R"("contact":"0300-7654321"})",
                      "application/json");
  ASSERT_EQ(filed->status, 201) << filed->body;
  const json receipt = json::parse(filed->body);
  const auto followed = [&] {
    return public_side::FollowGrievance(*db_, receipt["receipt"].get<std::string>(),
                                        receipt["passphrase"].get<std::string>(),
                                        public_side::GrievanceNow().value());
  };
  const std::string id = followed().value().grievance.id;
  // A case filed in January and never acknowledged is overdue: flagged first, and counted.
  public_side::GrievanceInput old_case;
  old_case.district = "PK205";
  old_case.topic = "environment";
  old_case.description = "Dust from the crusher every night";
  old_case.lang = "en";
  auto old_filed = public_side::FileGrievance(*db_, *audit_, *keys_, std::nullopt, old_case,
                                              "2026-01-05T10:00:00+05:00");
  ASSERT_TRUE(old_filed.has_value()) << old_filed.error().message;
  auto list = c.Get("/en/staff", officer);
  ASSERT_EQ(list->status, 200) << list->body;
  EXPECT_NE(list->body.find("cases are behind their deadlines"), std::string::npos);
  const auto first_row = list->body.find("<tr class=\"late-row\"><td><a href=\"/en/staff/cases/");
  EXPECT_NE(first_row, std::string::npos);
  EXPECT_LT(first_row, list->body.find("/en/staff/cases/" + id));
  auto overdue_only = c.Get("/en/staff?overdue=true", officer);
  EXPECT_NE(overdue_only->body.find(old_filed->stored.id), std::string::npos);
  EXPECT_EQ(overdue_only->body.find("/en/staff/cases/" + id), std::string::npos);
  EXPECT_NE(list->body.find("/en/staff/cases/" + id), std::string::npos);
  EXPECT_NE(list->body.find("Signed in as <bdi>officer-pages</bdi>"), std::string::npos);
  const std::string case_path = "/en/staff/cases/" + id;
  auto page = c.Get(case_path.c_str(), officer);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->body.find("The works closed the road to the clinic"), std::string::npos);
  // Not yet this officer's case: the contact stays sealed.
  EXPECT_EQ(page->body.find("0300-7654321"), std::string::npos);
  EXPECT_NE(page->body.find("only the case&#39;s officer sees it"), std::string::npos);
  EXPECT_NE(page->body.find("value=\"acknowledge\""), std::string::npos);
  EXPECT_EQ(page->body.find("value=\"propose\""), std::string::npos);  // not in this state
  const std::string csrf = csrf_of(page->body);

  // A form without the session's token, or from another origin, changes nothing.
  EXPECT_EQ(c.Post(case_path.c_str(), officer, "action=acknowledge", form)->status, 403);
  EXPECT_EQ(c.Post(case_path.c_str(),
                   {{"Cookie", officer.begin()->second}, {"Origin", "https://evil.example"}},
                   "action=acknowledge&csrf=" + csrf, form)
                ->status,
            403);
  EXPECT_EQ(followed()->grievance.state, model::GrievanceState::kReceived);
  // Acknowledged: post, redirect, get; now the officer's case, with its contact (audited).
  auto ack = c.Post(case_path.c_str(), officer, "action=acknowledge&csrf=" + csrf, form);
  ASSERT_EQ(ack->status, 303) << ack->body;
  EXPECT_EQ(ack->get_header_value("Location"), case_path + "?saved=true");
  auto after = c.Get((case_path + "?saved=true").c_str(), officer);
  EXPECT_NE(after->body.find("role=\"status\">Saved."), std::string::npos);
  EXPECT_NE(after->body.find("<bdi>0300-7654321</bdi>"), std::string::npos);
  EXPECT_NE(after->body.find("value=\"eligible\""), std::string::npos);
  // A question the resident then reads; a resident's action is refused by name.
  auto asked =
      c.Post(case_path.c_str(), officer,
             "action=ask&csrf=" + csrf + "&text=" + Encode("Which part of the road?"), form);
  EXPECT_EQ(asked->status, 303);
  const auto history = public_side::ResidentJson(followed().value())["history"];
  EXPECT_EQ(history.back()["action"], "ask");
  EXPECT_EQ(history.back()["text"], "Which part of the road?");
  auto answer = c.Post(case_path.c_str(), officer, "action=answer&csrf=" + csrf + "&text=x", form);
  EXPECT_EQ(answer->status, 400);
  EXPECT_NE(answer->body.find("not an officer&#39;s action"), std::string::npos);
  auto too_early = c.Post(case_path.c_str(), officer,
                          "action=propose&csrf=" + csrf + "&text=" + Encode("A new road"), form);
  EXPECT_EQ(too_early->status, 409);
  EXPECT_NE(too_early->body.find("it must be eligible"), std::string::npos);
  // The Urdu case page: every interface text in Urdu, Latin text isolated.
  auto ur = c.Get(("/ur/staff/cases/" + id).c_str(), officer);
  ASSERT_EQ(ur->status, 200);
  std::string visible = std::regex_replace(ur->body, std::regex("<bdi[^>]*>[^<]*</bdi>"), "");
  visible = std::regex_replace(visible,
                               std::regex("<(style|title|p dir=\"auto\" class=\"said\")"
                                          "[^>]*>[^<]*</(style|title|p)>"),
                               "");
  visible = std::regex_replace(visible, std::regex("<[^>]*>"), "");
  std::smatch latin;
  EXPECT_FALSE(std::regex_search(visible, latin, std::regex("[A-Za-z]{2,}")))
      << "English left in the Urdu staff page: '" << latin.str() << "'";

  // The moderator: sent to the queue; a held comment is hidden with a rule.
  const httplib::Headers moderator = sign_in("name=moderator-pages&password=" + Encode(password));
  auto home = c.Get("/en/staff", moderator);
  EXPECT_EQ(home->status, 303);
  EXPECT_EQ(home->get_header_value("Location"), "/en/staff/moderation");
  EXPECT_EQ(c.Get(case_path.c_str(), moderator)->status, 403);  // no officer
  auto consultation = public_side::OpenConsultation(
      *db_, *audit_, op, {"PK205", "", "Bus stops on the new road", "", 10},
      "2026-12-01T00:00:00Z");
  ASSERT_TRUE(consultation.has_value());
  auto codes = public_side::IssueCodes(*db_, *audit_, op, "PK205", 1, "2026-12-01T00:00:00Z");
  auto proposal = public_side::Propose(
      *db_, *audit_, {consultation->id, codes->codes[0], "A stop at the market", "", "en"},
      "2026-12-01T00:00:00Z");
  ASSERT_TRUE(proposal.has_value());
  auto held = public_side::AddComment(
      *db_, *audit_, {proposal->id, "", "Call my brother on 0300-1112223 about it", "en", ""},
      "2026-12-02T00:00:00Z");
  ASSERT_TRUE(held.has_value());
  ASSERT_EQ(held->moderation, "held");
  auto queue = c.Get("/en/staff/moderation", moderator);
  ASSERT_EQ(queue->status, 200);
  EXPECT_NE(queue->body.find("0300-1112223"), std::string::npos);
  const std::string decide = "kind=comment&id=" + held->id + "&decision=hide&rule=personal-data";
  EXPECT_EQ(c.Post("/en/staff/moderation", moderator, decide, form)->status, 403);  // no token
  auto decided =
      c.Post("/en/staff/moderation", moderator, decide + "&csrf=" + csrf_of(queue->body), form);
  ASSERT_EQ(decided->status, 303) << decided->body;
  auto logged = c.Get("/public/api/v1/moderation-log");
  EXPECT_NE(logged->body.find(held->id), std::string::npos);
  EXPECT_EQ(logged->body.find("moderator-pages"), std::string::npos);
  // The officer's token does not carry over to another session's form.
  EXPECT_EQ(c.Post("/en/staff/moderation", moderator, decide + "&csrf=" + csrf, form)->status, 403);

  // Signing out ends the session; its cookie no longer opens a page.
  auto signed_out = c.Post("/en/staff/sign-out", officer, "csrf=" + csrf, form);
  EXPECT_EQ(signed_out->status, 303);
  EXPECT_NE(signed_out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(c.Get("/en/staff", officer)->status, 303);
}

// Guessing a staff password is limited per client like the residents' routes:
// past the allowance every try answers 429, right password or not.
TEST_F(PortalTest, StaffSignInIsLimitedPerClient) {
  const public_side::PublicCaller op = public_side::PublicCaller::Operator("test");
  ASSERT_TRUE(public_side::AddAccount(*db_, *audit_, op, "officer-limited",
                                      {model::PublicRole::kGrievanceOfficer}));
  ASSERT_TRUE(
      public_side::SetPassword(*db_, *audit_, op, "officer-limited", "the right password here"));
  public_side::ClientLimits limits;
  limits.sign_ins_per_hour = 2;
  OwnServer server(*db_, audit_, limits);
  ASSERT_TRUE(server.bound());
  httplib::Client c = server.Client();
  const std::string form = "application/x-www-form-urlencoded";
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(c.Post("/en/staff/sign-in",
                     "name=officer-limited&password=guess" + std::to_string(i) + "xxxxxxxx", form)
                  ->status,
              401);
  }
  auto limited =
      c.Post("/en/staff/sign-in", "name=officer-limited&password=the+right+password+here", form);
  EXPECT_EQ(limited->status, 429);
  EXPECT_FALSE(limited->get_header_value("Retry-After").empty());
  EXPECT_TRUE(limited->get_header_value("Set-Cookie").empty());
}

}  // namespace
}  // namespace corridor::api
