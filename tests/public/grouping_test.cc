// An editor's split and merge of the projects (public_side/grouping.h, issue
// 13 §2) over the real AidData file, on a real public store: applied at once,
// again at every import, never publishing what was withheld, audited, and
// only by a disclosure-editor.
#include "corridor/public_side/grouping.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "corridor/api/public_api.h"
#include "corridor/projects/identity.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/service.h"
#include "corridor/server/server.h"
#include "testing/testing.h"

namespace corridor::public_side {
namespace {

const std::string& AidData() {
  static const std::string kText = testing::ReadFile(
      testing::SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson"));
  return kText;
}

class GroupingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::OpenPublicDatabase((dir_ / "public.db").string());
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = std::move(*db);
    auto keys = auth::LoadOrCreateInstanceKeys((dir_ / "public.db.public-keys").string());
    ASSERT_TRUE(keys.has_value());
    keys_ = *keys;
    audit_ = std::make_unique<PublicAuditLog>(*db_, keys_);
    const auto op = PublicCaller::Operator("cli:test");
    for (const char* editor : {"ayesha", "li"}) {
      ASSERT_TRUE(AddAccount(*db_, *audit_, op, editor, {model::PublicRole::kDisclosureEditor}));
    }
    ASSERT_TRUE(AddAccount(*db_, *audit_, op, "mod", {model::PublicRole::kModerator}));
  }
  void Import() {
    auto s = ImportProjects(*db_, *audit_, "cli:test", AidData(), "");
    ASSERT_TRUE(s) << s.error().message;
  }
  std::vector<model::Project> Projects() const { return AllProjects(*db_).value(); }
  // The stored project holding an AidData row.
  model::Project With(std::int64_t aiddata_id) const {
    for (const auto& p : Projects()) {
      if (std::count(p.aiddata_ids.begin(), p.aiddata_ids.end(), aiddata_id)) return p;
    }
    ADD_FAILURE() << "no project holds AidData " << aiddata_id;
    return {};
  }
  std::vector<model::AuditEntry> Audit(const std::string& action) const {
    auto all = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
      return store::NewPublicAuditStore()->List(tx, 1, 10000);
    });
    std::vector<model::AuditEntry> out;
    for (const auto& e : all.value()) {
      if (e.action == action) out.push_back(e);
    }
    return out;
  }
  void Disclose(const std::string& id, const model::FieldDisclosure& d) {
    auto r = RequestDisclosure(*db_, *audit_, "ayesha", id, d);
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(DecideDisclosure(*db_, *audit_, "li", r->id, true));
  }
  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  auth::InstanceKeys keys_;
  std::unique_ptr<PublicAuditLog> audit_;
};

TEST_F(GroupingTest, AMergeIsAppliedAtOnceAndAgainAtEveryImport) {
  Import();
  const std::size_t before = Projects().size();
  const auto port = With(35124), zone = With(53723);
  ASSERT_NE(port.id, zone.id);
  auto s = MergeProjects(*db_, *audit_, "ayesha", {port.id, zone.id},
                         "the free zone is fenced inside the port and built by the same contract");
  ASSERT_TRUE(s) << s.error().message;
  std::vector<std::int64_t> ids = port.aiddata_ids;
  ids.insert(ids.end(), zone.aiddata_ids.begin(), zone.aiddata_ids.end());
  std::sort(ids.begin(), ids.end());
  const auto merged = With(35124);
  EXPECT_EQ(merged.aiddata_ids, ids);
  EXPECT_EQ(merged.id, projects::ProjectId(ids));  // the id is still a function of the rows
  EXPECT_EQ(With(53723).id, merged.id);
  EXPECT_EQ(Projects().size(), before - 1);
  EXPECT_EQ(s->created_ids, std::vector<std::string>{merged.id});
  auto removed = s->removed_ids;
  std::sort(removed.begin(), removed.end());
  auto want_removed = std::vector<std::string>{port.id, zone.id};
  std::sort(want_removed.begin(), want_removed.end());
  EXPECT_EQ(removed, want_removed);
  // Audited under the editor, with the rows and the reason.
  const auto entries = Audit("projects-merge");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, "ayesha");
  const auto detail = nlohmann::json::parse(entries[0].detail);
  EXPECT_EQ(detail["aiddata_ids"], ids);
  EXPECT_NE(detail["reason"].get<std::string>().find("fenced inside the port"), std::string::npos);
  // A re-import of the same file keeps the merge: nothing new, nothing removed.
  auto again = ImportProjects(*db_, *audit_, "cli:test", AidData(), "");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->created, 0u);
  EXPECT_EQ(again->removed, 0u);
  EXPECT_EQ(again->decisions_applied, 1u);
  EXPECT_EQ(With(53723).id, merged.id);
  // The review names the decision with its reason and editor.
  ASSERT_EQ(again->review["decisions"].size(), 1u);
  EXPECT_EQ(again->review["decisions"][0]["decided_by"], "ayesha");
  EXPECT_EQ(again->review["decisions"][0]["applied"], true);
  // The security side groups by the rule alone: each of its sites (one per
  // part, projects::ProjectSite) names its AidData ids in its provenance, and
  // finds the merged project by any of them.
  for (const auto& part : {port, zone}) {
    const model::Site site = projects::ProjectSite(part, {}, {});
    std::istringstream listed(site.provenance.source_id);
    std::size_t named = 0;
    for (std::string a; std::getline(listed, a, ',');) {
      ++named;
      EXPECT_TRUE(
          std::binary_search(merged.aiddata_ids.begin(), merged.aiddata_ids.end(), std::stoll(a)))
          << a << " of site " << site.id.str();
    }
    EXPECT_EQ(named, part.aiddata_ids.size()) << site.provenance.source_id;
  }
  auto decisions = GroupingDecisions(*db_);
  ASSERT_TRUE(decisions);
  ASSERT_EQ(decisions->size(), 1u);
  EXPECT_EQ((*decisions)[0].kind, "merge");
  // The public chain is intact.
  auto report = audit_->Verify();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST_F(GroupingTest, ARegroupingNeverPublishesWhatWasWithheld) {
  Import();
  const model::FieldDisclosure withheld{"location", model::Disclosure::kWithheld,
                                        "exact location withheld for workers' safety"};
  const model::FieldDisclosure coarse{"dates", model::Disclosure::kCoarsened, "tender under way"};
  Disclose(With(35124).id, withheld);
  Disclose(With(53723).id, coarse);
  ASSERT_TRUE(MergeProjects(*db_, *audit_, "li", {With(35124).id, With(53723).id}, "one port"));
  const auto merged = With(35124);
  EXPECT_EQ(merged.DisclosureOf("location"), withheld);
  EXPECT_EQ(merged.DisclosureOf("dates"), coarse);
  EXPECT_EQ(merged.DisclosureOf("financing").state, model::Disclosure::kPublished);
  // Split one row back out: both parts keep the merged project's disclosure.
  auto s = SplitProject(*db_, *audit_, "ayesha", merged.id, {53723}, "a separate free zone");
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->disclosure_carried, 2u);
  EXPECT_EQ(With(53723).aiddata_ids, std::vector<std::int64_t>{53723});
  for (std::int64_t a : {35124, 53723}) {
    EXPECT_EQ(With(a).DisclosureOf("location"), withheld) << a;
    EXPECT_EQ(With(a).DisclosureOf("dates"), coarse) << a;
  }
  EXPECT_EQ(Audit("projects-split").size(), 1u);
}

TEST_F(GroupingTest, OnlyADisclosureEditorSplitsOrMerges) {
  Import();
  const auto port = With(35124), zone = With(53723);
  for (const char* who : {"mod", "nobody"}) {
    auto m = MergeProjects(*db_, *audit_, who, {port.id, zone.id}, "one port");
    ASSERT_FALSE(m) << who;
    EXPECT_TRUE(m.error().code == ErrorCode::kPermissionDenied ||
                m.error().code == ErrorCode::kNotFound ||
                m.error().code == ErrorCode::kUnauthenticated)
        << m.error().message;
    EXPECT_FALSE(SplitProject(*db_, *audit_, who, port.id, {35124}, "apart")) << who;
  }
  EXPECT_TRUE(GroupingDecisions(*db_)->empty());
  EXPECT_EQ(With(35124).id, port.id);
}

TEST_F(GroupingTest, BadSplitsAndMergesAreNamedAndWriteNothing) {
  // Before any import there is no source to regroup.
  auto early = SplitProject(*db_, *audit_, "ayesha", "x", {1}, "too early");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kConflict);
  EXPECT_NE(early.error().message.find("projects import"), std::string::npos);
  Import();
  const auto port = With(35124), zone = With(53723), hospital = With(52542);
  ASSERT_EQ(hospital.aiddata_ids.size(), 2u);
  struct Case {
    Result<ImportSummary> got;
    ErrorCode code;
    std::string says;
  };
  const std::vector<Case> cases = {
      {MergeProjects(*db_, *audit_, "ayesha", {port.id}, "one"), ErrorCode::kInvalidArgument,
       "two or more"},
      {MergeProjects(*db_, *audit_, "ayesha", {port.id, port.id}, "one"),
       ErrorCode::kInvalidArgument, "two or more"},
      {MergeProjects(*db_, *audit_, "ayesha", {port.id, "no-such-project"}, "one"),
       ErrorCode::kNotFound, "no-such-project"},
      {MergeProjects(*db_, *audit_, "ayesha", {port.id, zone.id}, ""), ErrorCode::kInvalidArgument,
       "reason"},
      {MergeProjects(*db_, *audit_, "ayesha", {port.id, zone.id}, "one\x01"),
       ErrorCode::kInvalidArgument, "reason"},
      {MergeProjects(*db_, *audit_, "ayesha", {port.id, zone.id}, std::string(501, 'x')),
       ErrorCode::kInvalidArgument, "reason"},
      {SplitProject(*db_, *audit_, "ayesha", hospital.id, {35124}, "apart"),
       ErrorCode::kInvalidArgument, "35124 is not a row of"},
      {SplitProject(*db_, *audit_, "ayesha", hospital.id, hospital.aiddata_ids, "apart"),
       ErrorCode::kInvalidArgument, "all of"},
      {SplitProject(*db_, *audit_, "ayesha", hospital.id, {}, "apart"), ErrorCode::kInvalidArgument,
       "rows"},
  };
  for (const auto& c : cases) {
    ASSERT_FALSE(c.got) << c.says;
    EXPECT_EQ(c.got.error().code, c.code) << c.got.error().message;
    EXPECT_NE(c.got.error().message.find(c.says), std::string::npos) << c.got.error().message;
  }
  EXPECT_TRUE(GroupingDecisions(*db_)->empty());
  EXPECT_TRUE(Audit("projects-merge").empty());
  EXPECT_TRUE(Audit("projects-split").empty());
  EXPECT_EQ(With(35124).id, port.id);
}

// The same calls over the public API, as an editor's script would make them.
TEST_F(GroupingTest, TheApiSplitsAndMergesWithAnEditorsTokenAndNamesBadBodies) {
  Import();
  const auto op = PublicCaller::Operator("cli:test");
  const std::string editor = IssueToken(*db_, *audit_, op, "ayesha", 1).value().token;
  const std::string moderator = IssueToken(*db_, *audit_, op, "mod", 1).value().token;
  api::PublicApi api(*db_, {}, audit_.get(), {1000, 1000, 1000, 1000, 1000, ""});
  server::ServerOptions options;
  options.port = 0;
  options.access_log = false;
  server::Server server(api.routes(), options);
  ASSERT_TRUE(server.Bind());
  std::thread thread([&] { (void)server.Run(); });
  httplib::Client c("127.0.0.1", server.port());
  // A merge regroups every project (seconds in the sanitizer build); this test
  // is about what the API answers, not how fast (bench/ measures speed).
  c.set_read_timeout(120);
  const auto bearer = [](const std::string& t) {
    return httplib::Headers{{"Authorization", "Bearer " + t}};
  };
  const auto port = With(35124), zone = With(53723);
  const std::string merge = "/public/api/v1/projects/merge";
  const std::string body =
      R"({"projects":[")" + port.id + R"(",")" + zone.id + R"("],"reason":"one port"})";
  EXPECT_EQ(c.Post(merge.c_str(), body, "application/json")->status, 401);
  EXPECT_EQ(c.Post(merge.c_str(), bearer(moderator), body, "application/json")->status, 403);
  for (const auto& [bad, want] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "JSON object"},
           {R"({"projects":"x","reason":"r"})", "/projects: expected an array"},
           {R"({"projects":["a","b"]})", "/reason: expected a string"},
           {R"({"projects":["a","b"],"reason":"r","x":1})", "/x: unknown member"},
           {R"({"projects":["a",2],"reason":"r"})", "/projects/1"},
           {R"({"projects":["a","b"],"reason":"r\u0007"})", "reason"}}) {
    auto r = c.Post(merge.c_str(), bearer(editor), bad, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_NE(r->body.find(want), std::string::npos) << r->body;
  }
  EXPECT_TRUE(GroupingDecisions(*db_)->empty());
  auto merged = c.Post(merge.c_str(), bearer(editor), body, "application/json");
  ASSERT_TRUE(merged);
  ASSERT_EQ(merged->status, 200) << merged->body;
  EXPECT_EQ(merged->get_header_value("Cache-Control"), "no-store");
  const auto answer = nlohmann::json::parse(merged->body);
  ASSERT_EQ(answer["created_ids"].size(), 1u);
  const std::string both = answer["created_ids"][0];
  EXPECT_EQ(With(53723).id, both);
  const std::string split = "/public/api/v1/projects/" + both + "/split";
  auto bad_row = c.Post(split.c_str(), bearer(editor), R"({"rows":["53723"],"reason":"apart"})",
                        "application/json");
  EXPECT_EQ(bad_row->status, 400);
  EXPECT_NE(bad_row->body.find("/rows/0"), std::string::npos) << bad_row->body;
  auto apart = c.Post(split.c_str(), bearer(editor), R"({"rows":[53723],"reason":"apart"})",
                      "application/json");
  ASSERT_EQ(apart->status, 200) << apart->body;
  EXPECT_EQ(With(35124).id, port.id);  // the rule's port again, under its rule id
  EXPECT_EQ(GroupingDecisions(*db_)->size(), 2u);
  // A project that no longer exists after the split.
  EXPECT_EQ(c.Post(split.c_str(), bearer(editor), R"({"rows":[53723],"reason":"again"})",
                   "application/json")
                ->status,
            404);
  server.Stop();
  thread.join();
}

// A regrouping must not drop a colleague's pending withholding, nor name a
// new project from a record whose financing is withheld.
TEST_F(GroupingTest, PendingRequestsBlockARegroupAndWithheldTitlesStayHidden) {
  Import();
  const auto port = With(35124), zone = With(53723), hospital = With(52542);
  auto pending = RequestDisclosure(
      *db_, *audit_, "li", zone.id,
      {"location", model::Disclosure::kWithheld, "exact location withheld for workers' safety"});
  ASSERT_TRUE(pending) << pending.error().message;
  auto blocked = MergeProjects(*db_, *audit_, "ayesha", {port.id, zone.id}, "one port");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::kConflict);
  EXPECT_NE(blocked.error().message.find(pending->id), std::string::npos)
      << blocked.error().message;
  EXPECT_TRUE(GroupingDecisions(*db_)->empty());
  // Decided, the merge goes ahead and keeps the withholding.
  ASSERT_TRUE(DecideDisclosure(*db_, *audit_, "ayesha", pending->id, true));
  ASSERT_TRUE(MergeProjects(*db_, *audit_, "ayesha", {port.id, zone.id}, "one port"));
  EXPECT_EQ(With(35124).DisclosureOf("location").state, model::Disclosure::kWithheld);
  // The hospital's financing is withheld: the study split out of it keeps
  // the hospital's public name, not one made from the study's record title.
  Disclose(hospital.id, {"financing", model::Disclosure::kWithheld, "loan terms under review"});
  ASSERT_TRUE(SplitProject(*db_, *audit_, "li", hospital.id, {72695}, "a separate study"));
  EXPECT_EQ(With(72695).name, hospital.name);
  EXPECT_EQ(With(72695).DisclosureOf("financing").state, model::Disclosure::kWithheld);
}

}  // namespace
}  // namespace corridor::public_side
