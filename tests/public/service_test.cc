// The public side's use cases (public_side/service.h, accounts.h): the
// two-person rule for disclosure changes, staff accounts of the public role
// family and their tokens, and the public audit chain, on a real public store.
#include "corridor/public_side/service.h"

#include <gtest/gtest.h>

#include <map>

#include "corridor/common/date.h"
#include "corridor/public_side/accounts.h"
#include "testing/testing.h"

namespace corridor::public_side {
namespace {

class PublicServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::OpenPublicDatabase((dir_ / "public.db").string());
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = std::move(*db);
    auto keys = auth::LoadOrCreateInstanceKeys((dir_ / "public.db.public-keys").string());
    ASSERT_TRUE(keys.has_value());
    keys_ = *keys;
    audit_ = std::make_unique<PublicAuditLog>(*db_, keys_);
    model::Project p;
    p.id = "1a3898cd-a81b-5481-ae0a-b0e9e841a6f3";
    p.name = "Gwadar Port";
    p.sector = "Transport and Storage";
    p.aiddata_ids = {35124};
    p.footprint =
        R"({"type":"Polygon","coordinates":[[[62.3,25.1],[62.4,25.1],[62.4,25.2],[62.3,25.1]]]})";
    ASSERT_TRUE(store::InWriteTransaction(
        *db_, [&](store::Transaction& tx) { return store::NewProjectStore()->Upsert(tx, p); }));
    for (const char* editor : {"ayesha", "li", "wang", "a"}) {
      auto added =
          AddAccount(*db_, *audit_, kOperator, editor, {model::PublicRole::kDisclosureEditor});
      ASSERT_TRUE(added.has_value()) << added.error().message;
    }
  }
  // Entries the fixture's four accounts wrote on the chain.
  static constexpr int kSetUpEntries = 4;
  inline static const PublicCaller kOperator = PublicCaller::Operator("cli:test");
  PublicCaller As(const std::string& name) const {
    auto a = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
      return store::NewPublicAccountStore()->Get(tx, name);
    });
    return PublicCaller::Of(a.value().value());
  }
  model::FieldDisclosure Location() const {
    auto d = Project().DisclosureOf("location");
    return d;
  }
  model::Project Project() const {
    auto p = store::InReadTransaction(
        *db_, [&](store::Transaction& tx) { return store::NewProjectStore()->Get(tx, kId); });
    return p.value().value();
  }
  static constexpr const char* kId = "1a3898cd-a81b-5481-ae0a-b0e9e841a6f3";
  const model::FieldDisclosure coarse_{"location", model::Disclosure::kCoarsened,
                                       "exact location withheld for workers' safety"};
  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  auth::InstanceKeys keys_;
  std::unique_ptr<PublicAuditLog> audit_;
};

TEST_F(PublicServiceTest, ADisclosureChangeNeedsASecondEditor) {
  auto r = RequestDisclosure(*db_, *audit_, "ayesha", kId, coarse_);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->from.state, model::Disclosure::kPublished);
  EXPECT_EQ(Location().state, model::Disclosure::kPublished);  // nothing applied yet
  auto self = DecideDisclosure(*db_, *audit_, "ayesha", r->id, true);
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Location().state, model::Disclosure::kPublished);
  ASSERT_TRUE(DecideDisclosure(*db_, *audit_, "li", r->id, true));
  EXPECT_EQ(Location(), coarse_);
  auto twice = DecideDisclosure(*db_, *audit_, "wang", r->id, true);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, ErrorCode::kConflict);
  // request, approval: two entries on the public chain, intact and signed.
  ASSERT_TRUE(audit_->Checkpoint());
  auto report = audit_->Verify();
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, kSetUpEntries + 2);
}

TEST_F(PublicServiceTest, AStaleApprovalIsNeverApplied) {
  auto first = RequestDisclosure(*db_, *audit_, "ayesha", kId, coarse_);
  auto second = RequestDisclosure(*db_, *audit_, "li", kId,
                                  {"location", model::Disclosure::kWithheld, "under review"});
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(DecideDisclosure(*db_, *audit_, "li", first->id, true));
  // The second was made against "published"; the field is now "coarsened".
  auto stale = DecideDisclosure(*db_, *audit_, "ayesha", second->id, true);
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Location(), coarse_);
  // It can still be rejected.
  ASSERT_TRUE(DecideDisclosure(*db_, *audit_, "ayesha", second->id, false));
  auto list = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
    return store::NewDisclosureRequestStore()->List(tx, "", 1000, 0);
  });
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].state == "approved" ? (*list)[1].state : (*list)[0].state, "rejected");
}

TEST_F(PublicServiceTest, BadRequestsAreNamed) {
  struct Case {
    const char* name;
    std::string project;
    model::FieldDisclosure d;
    std::string editor;
    ErrorCode want;
  };
  const Case cases[] = {
      {"no reason",
       kId,
       {"location", model::Disclosure::kWithheld, ""},
       "a",
       ErrorCode::kInvalidArgument},
      {"unknown field",
       kId,
       {"name", model::Disclosure::kWithheld, "x"},
       "a",
       ErrorCode::kInvalidArgument},
      {"coarsen parties",
       kId,
       {"parties", model::Disclosure::kCoarsened, "x"},
       "a",
       ErrorCode::kInvalidArgument},
      {"no editor", kId, coarse_, "", ErrorCode::kInvalidArgument},
      {"unknown project", "00000000-0000-5000-8000-000000000009", coarse_, "a",
       ErrorCode::kNotFound},
      {"no such account", kId, coarse_, "nobody", ErrorCode::kPermissionDenied},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = RequestDisclosure(*db_, *audit_, c.editor, c.project, c.d);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, c.want);
  }
  auto none = DecideDisclosure(*db_, *audit_, "li", "nope", true);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST_F(PublicServiceTest, TheKeyFileIsThePublicSidesOwn) {
  unsetenv("CORRIDOR_PUBLIC_KEYS");
  EXPECT_EQ(PublicKeysPath("/x/public.db", "").value(), "/x/public.db.public-keys");
  EXPECT_EQ(PublicKeysPath("/x/public.db", "/k").value(), "/k");
  // A server's database has no file beside it: the key file must be named.
  auto url = PublicKeysPath("postgresql://u:secret@db.example/corridor", "");
  ASSERT_FALSE(url.has_value());
  EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(url.error().message.find("secret"), std::string::npos);
  EXPECT_EQ(PublicKeysPath("postgresql://db.example/corridor", "/k").value(), "/k");
  setenv("CORRIDOR_PUBLIC_KEYS", "/env-keys", 1);
  EXPECT_EQ(PublicKeysPath("/x/public.db", "").value(), "/env-keys");
  unsetenv("CORRIDOR_PUBLIC_KEYS");
}

TEST_F(PublicServiceTest, OnlyAnAdministratorOrTheOperatorManagesAccounts) {
  auto admin =
      AddAccount(*db_, *audit_, kOperator, "root.admin", {model::PublicRole::kPublicAdmin});
  ASSERT_TRUE(admin.has_value()) << admin.error().message;
  auto mod = AddAccount(*db_, *audit_, As("root.admin"), "mo", {model::PublicRole::kModerator});
  ASSERT_TRUE(mod.has_value()) << mod.error().message;
  // An editor is not an administrator, not even of itself.
  auto self = SetAccountRoles(*db_, *audit_, As("li"), "li", {model::PublicRole::kPublicAdmin});
  ASSERT_FALSE(self.has_value());
  EXPECT_EQ(self.error().code, ErrorCode::kPermissionDenied);
  auto list = ListAccounts(*db_, As("mo"));
  ASSERT_FALSE(list.has_value());
  EXPECT_EQ(list.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(ListAccounts(*db_, As("root.admin"))->size(), 6u);
  // A security-side role has no place here.
  auto security = model::ParsePublicRole("analyst");
  ASSERT_FALSE(security.has_value());
  EXPECT_NE(security.error().message.find("security side"), std::string::npos);
  auto taken = AddAccount(*db_, *audit_, kOperator, "mo", {model::PublicRole::kModerator});
  ASSERT_FALSE(taken.has_value());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  auto bad = AddAccount(*db_, *audit_, kOperator, "Mo Khan", {model::PublicRole::kModerator});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  // An administrator whose role was taken away meanwhile is refused at the
  // point of use, though it still holds the account it signed in with.
  const PublicCaller stale = As("root.admin");
  ASSERT_TRUE(
      SetAccountRoles(*db_, *audit_, kOperator, "root.admin", {model::PublicRole::kModerator}));
  auto late = AddAccount(*db_, *audit_, stale, "late", {model::PublicRole::kModerator});
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::kPermissionDenied);
  auto report = audit_->Verify();
  ASSERT_TRUE(report.has_value());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->entries, kSetUpEntries + 3);  // root.admin, mo, the role change
}

TEST_F(PublicServiceTest, ATokenNamesItsAccountUntilItExpiresOrTheAccountIsDisabled) {
  auto t = IssueToken(*db_, *audit_, kOperator, "li", 30);
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->stored.digest, auth::TokenDigest(t->token));
  EXPECT_EQ(t->token.find(t->stored.digest), std::string::npos);
  auto who = Authenticate(*db_, t->token, NowTimestamp());
  ASSERT_TRUE(who.has_value()) << who.error().message;
  EXPECT_EQ(who->name, "li");
  // Past its expiry, or any other string: the same refusal.
  for (const auto& [token, now] : {std::pair{t->token, std::string("2999-01-01T00:00:00.000Z")},
                                   std::pair{std::string("not a token"), NowTimestamp()},
                                   std::pair{std::string(), NowTimestamp()},
                                   std::pair{std::string(300, 'x'), NowTimestamp()}}) {
    auto refused = Authenticate(*db_, token, now);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(refused.error().message, "invalid, expired or revoked token");
  }
  EXPECT_FALSE(IssueToken(*db_, *audit_, kOperator, "li", 0).has_value());
  EXPECT_FALSE(IssueToken(*db_, *audit_, kOperator, "li", 366).has_value());
  // Another editor may not issue tokens for li; li may for itself.
  auto other = IssueToken(*db_, *audit_, As("wang"), "li", 30);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(IssueToken(*db_, *audit_, As("li"), "li", 30));

  // li asks; disabling li revokes its tokens at once, and what li asked for
  // can still be decided by another editor, but li can no longer decide anything.
  auto r = RequestDisclosure(*db_, *audit_, "wang", kId, coarse_);
  ASSERT_TRUE(r.has_value());
  const PublicCaller li = As("li");
  auto disabled = DisableAccount(*db_, *audit_, kOperator, "li");
  ASSERT_TRUE(disabled.has_value()) << disabled.error().message;
  EXPECT_TRUE(disabled->disabled);
  EXPECT_FALSE(Authenticate(*db_, t->token, NowTimestamp()).has_value());
  auto gone = DecideDisclosure(*db_, *audit_, li.actor, r->id, true);
  ASSERT_FALSE(gone.has_value());
  EXPECT_EQ(gone.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(Location().state, model::Disclosure::kPublished);
  auto reissue = IssueToken(*db_, *audit_, kOperator, "li", 30);
  ASSERT_FALSE(reissue.has_value());
  EXPECT_EQ(reissue.error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(DecideDisclosure(*db_, *audit_, "ayesha", r->id, true));
  EXPECT_EQ(Location(), coarse_);
  // A moderator is no disclosure editor.
  ASSERT_TRUE(AddAccount(*db_, *audit_, kOperator, "mo", {model::PublicRole::kModerator}));
  auto mod = RequestDisclosure(*db_, *audit_, "mo", kId, coarse_);
  ASSERT_FALSE(mod.has_value());
  EXPECT_EQ(mod.error().code, ErrorCode::kPermissionDenied);
}

TEST_F(PublicServiceTest, OneTokenIsRevokedByItsDigestPrefixWithoutDisablingTheAccount) {
  auto first = IssueToken(*db_, *audit_, kOperator, "li", 30);
  auto second = IssueToken(*db_, *audit_, kOperator, "li", 30);
  ASSERT_TRUE(first && second);
  auto listed = ListTokens(*db_, As("li"), "li");
  ASSERT_TRUE(listed.has_value()) << listed.error().message;
  EXPECT_EQ(listed->size(), 2u);
  EXPECT_FALSE(ListTokens(*db_, As("wang"), "li").has_value());  // not wang's to see
  const std::string prefix = first->stored.digest.substr(0, 10);
  for (const char* bad : {"abc", "not-hex-at-all", ""}) {
    auto r = RevokeToken(*db_, *audit_, kOperator, "li", bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  auto by_other = RevokeToken(*db_, *audit_, As("wang"), "li", prefix);
  ASSERT_FALSE(by_other.has_value());
  EXPECT_EQ(by_other.error().code, ErrorCode::kPermissionDenied);
  ASSERT_TRUE(RevokeToken(*db_, *audit_, As("li"), "li", prefix));
  EXPECT_FALSE(Authenticate(*db_, first->token, NowTimestamp()).has_value());
  EXPECT_TRUE(Authenticate(*db_, second->token, NowTimestamp()).has_value());
  auto again = RevokeToken(*db_, *audit_, kOperator, "li", prefix);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_F(PublicServiceTest, StaffSignInWithAPasswordGivesADaysSessionThatSignsOut) {
  const std::string password = "correct horse battery staple";
  // No password yet: refused like a wrong one.
  auto none = SignIn(*db_, *audit_, "li", password);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, ErrorCode::kUnauthenticated);
  // The policy (12 characters), the caller (the account itself, an admin or the operator).
  auto short_one = SetPassword(*db_, *audit_, kOperator, "li", "too short");
  ASSERT_FALSE(short_one.has_value());
  EXPECT_EQ(short_one.error().code, ErrorCode::kInvalidArgument);
  auto other = SetPassword(*db_, *audit_, As("wang"), "li", password);
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code, ErrorCode::kPermissionDenied);
  auto unknown = SetPassword(*db_, *audit_, kOperator, "nobody", password);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(SetPassword(*db_, *audit_, As("li"), "li", password));

  auto session = SignIn(*db_, *audit_, "li", password);
  ASSERT_TRUE(session.has_value()) << session.error().message;
  EXPECT_EQ(session->account.name, "li");
  // The session names its account until it ends, as a session only: it is no API
  // token, and an API token is no session.
  auto who = Authenticate(*db_, session->token, NowTimestamp(), "session");
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->name, "li");
  EXPECT_FALSE(Authenticate(*db_, session->token, NowTimestamp()).has_value());
  auto api = IssueToken(*db_, *audit_, As("li"), "li", 30);
  ASSERT_TRUE(api.has_value());
  EXPECT_FALSE(Authenticate(*db_, api->token, NowTimestamp(), "session").has_value());
  const auto issued = ParseUnixTimestamp(NowTimestamp()).value();
  const auto ends = ParseUnixTimestamp(session->expires_at).value();
  EXPECT_NEAR(static_cast<double>(ends - issued), static_cast<double>(kStaffSessionSeconds), 5);
  // Every failure answers alike.
  for (const auto& [name, tried] :
       {std::pair{"li", "correct horse battery stapler"}, std::pair{"nobody", password.c_str()},
        std::pair{"wang", password.c_str()}}) {
    auto refused = SignIn(*db_, *audit_, name, tried);
    ASSERT_FALSE(refused.has_value()) << name;
    EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(refused.error().message, "sign-in failed: check the name and password");
  }
  // Signing out ends this session only; twice is harmless.
  auto second = SignIn(*db_, *audit_, "li", password);
  ASSERT_TRUE(second.has_value());
  ASSERT_TRUE(SignOut(*db_, *audit_, As("li"), session->token));
  ASSERT_TRUE(SignOut(*db_, *audit_, As("li"), session->token));
  EXPECT_FALSE(Authenticate(*db_, session->token, NowTimestamp(), "session").has_value());
  EXPECT_TRUE(Authenticate(*db_, second->token, NowTimestamp(), "session").has_value());
  // A new password ends every session the old one opened; API tokens stay.
  ASSERT_TRUE(SetPassword(*db_, *audit_, As("li"), "li", password + " again"));
  EXPECT_FALSE(Authenticate(*db_, second->token, NowTimestamp(), "session").has_value());
  EXPECT_TRUE(Authenticate(*db_, api->token, NowTimestamp()).has_value());
  auto third = SignIn(*db_, *audit_, "li", password + " again");
  ASSERT_TRUE(third.has_value());
  // A disabled account cannot sign in, even with the right password.
  ASSERT_TRUE(DisableAccount(*db_, *audit_, kOperator, "li"));
  EXPECT_FALSE(SignIn(*db_, *audit_, "li", password + " again").has_value());
  EXPECT_FALSE(Authenticate(*db_, third->token, NowTimestamp(), "session").has_value());

  // On the chain: the password set (never the password), two sign-ins, four
  // failures with their cause, one sign-out, the disabling.
  auto entries = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
    return store::NewPublicAuditStore()->List(tx, 0, 1000);
  });
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  std::map<std::string, int> actions;
  std::string causes;
  for (const auto& e : *entries) {
    ++actions[e.action];
    EXPECT_EQ(e.detail.find(password), std::string::npos);
    if (e.action != "sign-in-failed") continue;
    causes += e.detail;
    // Never what was typed for an account that does not exist.
    EXPECT_NE(e.actor, "nobody");
  }
  EXPECT_EQ(actions["password-set"], 2);
  EXPECT_EQ(actions["sign-in"], 3);
  EXPECT_EQ(actions["sign-in-failed"], 5);
  EXPECT_EQ(actions["sign-out"], 1);
  for (const char* cause :
       {"no password set", "wrong password", "unknown account", "account disabled"}) {
    EXPECT_NE(causes.find(cause), std::string::npos) << cause;
  }
}

TEST_F(PublicServiceTest, ASignInDeletesTheAccountsLongExpiredTokensOnly) {
  const std::string password = "correct horse battery staple";
  ASSERT_TRUE(SetPassword(*db_, *audit_, kOperator, "li", password));
  const auto now = ParseUnixTimestamp(NowTimestamp()).value();
  auto accounts = store::NewPublicAccountStore();
  // Expired 31 days ago (goes), 29 days ago (kept a while), and wang's (not li's).
  const std::vector<std::pair<std::string, std::int64_t>> rows = {{std::string(64, 'a'), 31},
                                                                  {std::string(64, 'b'), 29}};
  for (const auto& [digest, days_ago] : rows) {
    model::PublicToken t{digest,
                         "li",
                         FormatUnixTimestamp(now - std::int64_t{40} * 86400),
                         FormatUnixTimestamp(now - days_ago * 86400),
                         false,
                         "session"};
    ASSERT_TRUE(store::InWriteTransaction(
        *db_, [&](store::Transaction& tx) { return accounts->AddToken(tx, t); }));
  }
  model::PublicToken other{std::string(64, 'c'),
                           "wang",
                           FormatUnixTimestamp(now - std::int64_t{40} * 86400),
                           FormatUnixTimestamp(now - std::int64_t{31} * 86400),
                           false,
                           "session"};
  ASSERT_TRUE(store::InWriteTransaction(
      *db_, [&](store::Transaction& tx) { return accounts->AddToken(tx, other); }));
  ASSERT_TRUE(SignIn(*db_, *audit_, "li", password));
  auto find = [&](const std::string& digest) {
    return store::InReadTransaction(
               *db_, [&](store::Transaction& tx) { return accounts->FindToken(tx, digest); })
        .value()
        .has_value();
  };
  EXPECT_FALSE(find(std::string(64, 'a')));
  EXPECT_TRUE(find(std::string(64, 'b')));
  EXPECT_TRUE(find(std::string(64, 'c')));
}

}  // namespace
}  // namespace corridor::public_side
