// The public side's aggregates (corridor/store/public_store.h), on every backend.
#include <gtest/gtest.h>

#include "corridor/store/public_store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

model::Project MakeProject(const std::string& id, const std::string& name,
                           const std::vector<std::int64_t>& aiddata, const std::string& financier,
                           const std::string& district = "PK204") {
  model::Project p;
  p.id = id;
  p.name = name;
  p.sector = "Transport and Storage";
  p.status = model::ProjectStatus::kCompletion;
  p.aiddata_ids = aiddata;
  p.footprint =
      R"({"type":"Polygon","coordinates":[[[62.3,25.1],[62.4,25.1],[62.4,25.2],[62.3,25.1]]]})";
  p.lat = 25.12;
  p.lon = 62.33;
  p.district_pcode = district;
  p.district_name = district == "PK204" ? "Gwadar" : "Lahore";
  p.province_name = "Balochistan";
  p.actual_start = "2002-03-22";
  p.actual_completion = "2007-03-20";
  p.parties = {{"org-china-eximbank", "China Eximbank", {"funder"}},
               {"org-government-of-pakistan", "Government of Pakistan", {"publicAuthority"}}};
  for (auto a : aiddata) {
    model::FinancingRecord f;
    f.aiddata_id = a;
    f.title = "record " + std::to_string(a);
    f.financiers = {financier};
    f.instrument = "Loan";
    f.flow_class = "OOF-like";
    f.amount = a == 2 ? std::optional<double>() : std::optional<double>(1000.5 * a);
    f.commitment_year = 2001;
    f.status = "Completion";
    p.financing.push_back(f);
  }
  return p;
}

ProjectFilter F(std::string district = "", std::string sector = "", std::string status = "",
                std::string financier = "", int limit = 100, int offset = 0) {
  ProjectFilter f;
  f.district = std::move(district);
  f.sector = std::move(sector);
  f.status = std::move(status);
  f.financier = std::move(financier);
  f.limit = limit;
  f.offset = offset;
  return f;
}

class PublicStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open(PublicModules(), StoreKind::kPublic, "public");
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<ProjectStore> projects_ = NewProjectStore();
  std::unique_ptr<PublicAuditStore> audit_ = NewPublicAuditStore();
};

TEST_P(PublicStoreConformance, ProjectsRoundTripWithTheirFinancing) {
  const auto port = MakeProject("p1", "Gwadar Port", {1, 2, 3}, "China Eximbank");
  auto created = Write([&](Transaction& tx) { return projects_->Upsert(tx, port); });
  ASSERT_TRUE(created.has_value()) << created.error().message;
  EXPECT_TRUE(*created);
  auto got = Read([&](Transaction& tx) { return projects_->Get(tx, "p1"); });
  ASSERT_TRUE(got.has_value() && got->has_value());
  EXPECT_EQ(**got, port);
  EXPECT_FALSE((**got).financing[1].amount.has_value());  // a null amount stays null
  EXPECT_FALSE(Read([&](Transaction& tx) { return projects_->Get(tx, "zz"); })->has_value());

  // Upsert again: not new; financing replaced.
  auto smaller = MakeProject("p1", "Gwadar Port", {1}, "China Eximbank");
  EXPECT_FALSE(*Write([&](Transaction& tx) { return projects_->Upsert(tx, smaller); }));
  EXPECT_EQ(Read([&](Transaction& tx) { return projects_->Get(tx, "p1"); })->value(), smaller);
}

TEST_P(PublicStoreConformance, AFinancingRecordBelongsToOneProject) {
  ASSERT_TRUE(Write(
      [&](Transaction& tx) { return projects_->Upsert(tx, MakeProject("p1", "A", {1}, "X")); }));
  auto clash = Write(
      [&](Transaction& tx) { return projects_->Upsert(tx, MakeProject("p2", "B", {1}, "X")); });
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(clash.error().message.find("AidData record 1"), std::string::npos);
  // The failed transaction left nothing behind.
  EXPECT_EQ(Read([&](Transaction& tx) { return projects_->Ids(tx); }).value(),
            std::vector<std::string>{"p1"});
  auto unnamed = Write(
      [&](Transaction& tx) { return projects_->Upsert(tx, MakeProject("p3", "", {9}, "X")); });
  ASSERT_FALSE(unnamed.has_value());
  EXPECT_EQ(unnamed.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(PublicStoreConformance, FiltersFacetsAndPages) {
  ASSERT_TRUE(Write([&](Transaction& tx) -> Result<void> {
    for (auto p : {MakeProject("a", "Gwadar Port", {1}, "China Eximbank"),
                   MakeProject("b", "Orange Line", {2, 3}, "ICBC", "PK601"),
                   MakeProject("c", "Coastal Highway", {4}, "China Eximbank")}) {
      if (auto r = projects_->Upsert(tx, p); !r) return Fail(r.error());
    }
    auto hospital = MakeProject("d", "Hospital", {5}, "Chinese Government");
    hospital.sector = "Health";
    hospital.status = model::ProjectStatus::kImplementation;
    if (auto r = projects_->Upsert(tx, hospital); !r) return Fail(r.error());
    return {};
  }));
  struct Case {
    const char* name;
    ProjectFilter filter;
    std::vector<std::string> want;  // names, in order
  };
  const Case cases[] = {
      {"all, by name", F(), {"Coastal Highway", "Gwadar Port", "Hospital", "Orange Line"}},
      {"district", F("PK601"), {"Orange Line"}},
      {"financier", F("", "", "", "China Eximbank"), {"Coastal Highway", "Gwadar Port"}},
      {"sector", F("", "Health"), {"Hospital"}},
      {"status", F("", "", "implementation"), {"Hospital"}},
      {"two filters", F("PK204", "", "", "ICBC"), {}},
      {"page", F("", "", "", "", 2, 1), {"Gwadar Port", "Hospital"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto list = Read([&](Transaction& tx) { return projects_->List(tx, c.filter); });
    ASSERT_TRUE(list.has_value()) << list.error().message;
    std::vector<std::string> names;
    for (const auto& p : *list) names.push_back(p.name);
    EXPECT_EQ(names, c.want);
    ProjectFilter unpaged = c.filter;
    unpaged.offset = 0;
    unpaged.limit = 1000;
    auto n = Read([&](Transaction& tx) { return projects_->Count(tx, unpaged); });
    if (c.filter.offset == 0) {
      EXPECT_EQ(n.value(), static_cast<std::int64_t>(c.want.size()));
    }
  }
  for (const auto& bad : {F("", "", "", "", 0), F("", "", "", "", 10, -1), F("", "", "built")}) {
    auto r = Read([&](Transaction& tx) { return projects_->List(tx, bad); });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  auto facets = Read([&](Transaction& tx) { return projects_->Facets(tx); });
  ASSERT_TRUE(facets.has_value());
  ASSERT_EQ(facets->districts.size(), 2u);
  EXPECT_EQ(facets->districts[0], (ProjectFacets::Value{"PK204", "Gwadar", 3}));
  ASSERT_EQ(facets->financiers.size(), 3u);
  EXPECT_EQ(facets->financiers[0], (ProjectFacets::Value{"China Eximbank", "China Eximbank", 2}));
  EXPECT_EQ(facets->statuses.size(), 2u);
}

TEST_P(PublicStoreConformance, DisclosureIsCheckedAndSurvivesReimport) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return projects_->Upsert(tx, MakeProject("p1", "Gwadar Port", {1}, "X"));
  }));
  const model::FieldDisclosure withheld{"location", model::Disclosure::kWithheld,
                                        "exact location withheld for workers' safety"};
  ASSERT_TRUE(Write([&](Transaction& tx) { return projects_->SetDisclosure(tx, "p1", withheld); }));
  // A re-import keeps the editor's decision.
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return projects_->Upsert(tx, MakeProject("p1", "Gwadar Port", {1}, "X"));
  }));
  auto got = Read([&](Transaction& tx) { return projects_->Get(tx, "p1"); });
  EXPECT_EQ((**got).DisclosureOf("location"), withheld);
  EXPECT_EQ((**got).DisclosureOf("dates").state, model::Disclosure::kPublished);

  struct Case {
    const char* name;
    std::string project;
    model::FieldDisclosure d;
    ErrorCode want;
  };
  const Case cases[] = {
      {"unknown field",
       "p1",
       {"name", model::Disclosure::kWithheld, "x"},
       ErrorCode::kInvalidArgument},
      {"no reason",
       "p1",
       {"dates", model::Disclosure::kCoarsened, ""},
       ErrorCode::kInvalidArgument},
      {"coarsen financing",
       "p1",
       {"financing", model::Disclosure::kCoarsened, "x"},
       ErrorCode::kInvalidArgument},
      {"unknown project", "p9", {"dates", model::Disclosure::kWithheld, "x"}, ErrorCode::kNotFound},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = Write([&](Transaction& tx) { return projects_->SetDisclosure(tx, c.project, c.d); });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, c.want);
  }
  // Publishing again removes the record.
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return projects_->SetDisclosure(tx, "p1", {"location", model::Disclosure::kPublished, ""});
  }));
  got = Read([&](Transaction& tx) { return projects_->Get(tx, "p1"); });
  EXPECT_TRUE((**got).disclosure.empty());
  EXPECT_TRUE(*Write([&](Transaction& tx) { return projects_->Remove(tx, "p1"); }));
  EXPECT_FALSE(*Write([&](Transaction& tx) { return projects_->Remove(tx, "p1"); }));
}

TEST_P(PublicStoreConformance, DisclosureRequestsAreDecidedOnce) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return projects_->Upsert(tx, MakeProject("p1", "Gwadar Port", {1}, "X"));
  }));
  auto requests = NewDisclosureRequestStore();
  DisclosureRequest r;
  r.id = "r1";
  r.project_id = "p1";
  r.from = {"location", model::Disclosure::kPublished, ""};
  r.to = {"location", model::Disclosure::kCoarsened, "workers' safety"};
  r.requested_by = "ayesha";
  r.requested_at = "2026-12-03T07:00:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return requests->Add(tx, r); }));
  auto dup = Write([&](Transaction& tx) { return requests->Add(tx, r); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Read([&](Transaction& tx) { return requests->Get(tx, "r1"); })->value(), r);
  EXPECT_TRUE(*Write([&](Transaction& tx) {
    return requests->Decide(tx, "r1", "approved", "li", "2026-12-03T07:01:00.000Z");
  }));
  EXPECT_FALSE(*Write([&](Transaction& tx) {
    return requests->Decide(tx, "r1", "rejected", "wang", "2026-12-03T07:02:00.000Z");
  }));
  auto got = Read([&](Transaction& tx) { return requests->Get(tx, "r1"); })->value();
  EXPECT_EQ(got.state, "approved");
  EXPECT_EQ(got.decided_by, "li");
  EXPECT_EQ(Read([&](Transaction& tx) { return requests->List(tx, "pending", 100, 0); })->size(),
            0u);
  EXPECT_EQ(Read([&](Transaction& tx) { return requests->List(tx, "", 100, 0); })->size(), 1u);
  // Pages: a second request, one per page, oldest first; bounds refused.
  auto r2 = r;
  r2.id = "r2";
  r2.requested_at = "2026-12-03T08:00:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return requests->Add(tx, r2); }));
  EXPECT_EQ(Read([&](Transaction& tx) { return requests->List(tx, "", 1, 0); })->at(0).id, "r1");
  EXPECT_EQ(Read([&](Transaction& tx) { return requests->List(tx, "", 1, 1); })->at(0).id, "r2");
  EXPECT_TRUE(Read([&](Transaction& tx) { return requests->List(tx, "", 1, 2); })->empty());
  for (const auto& [limit, offset] : {std::pair{0, 0}, std::pair{1001, 0}, std::pair{10, -1}}) {
    EXPECT_FALSE(Read([&](Transaction& tx) { return requests->List(tx, "", limit, offset); }));
  }
  EXPECT_FALSE(
      Write([&](Transaction& tx) { return requests->Decide(tx, "r1", "maybe", "x", "t"); }));
  // Removing the project removes its requests.
  EXPECT_TRUE(*Write([&](Transaction& tx) { return projects_->Remove(tx, "p1"); }));
  EXPECT_FALSE(Read([&](Transaction& tx) { return requests->Get(tx, "r1"); })->has_value());
}

TEST_P(PublicStoreConformance, AuditEntriesAreAppendedInSequence) {
  model::AuditEntry e{1,
                      "2026-12-03T07:00:00.000Z",
                      "editor",
                      "import",
                      {"p1"},
                      "{}",
                      std::string(64, '0'),
                      std::string(64, 'a')};
  ASSERT_TRUE(Write([&](Transaction& tx) { return audit_->Append(tx, e); }));
  auto gap = Write([&](Transaction& tx) {
    auto g = e;
    g.seq = 3;
    return audit_->Append(tx, g);
  });
  ASSERT_FALSE(gap.has_value());
  EXPECT_EQ(gap.error().code, ErrorCode::kConflict);
  auto last = Read([&](Transaction& tx) { return audit_->Last(tx); });
  ASSERT_TRUE(last.has_value() && last->has_value());
  EXPECT_EQ(**last, e);
  EXPECT_EQ(Read([&](Transaction& tx) { return audit_->List(tx, 1, 10); })->size(), 1u);
  const model::AuditCheckpoint c{1, std::string(64, 'a'), "t", "pk", "sig"};
  ASSERT_TRUE(Write([&](Transaction& tx) { return audit_->AddCheckpoint(tx, c); }));
  EXPECT_EQ(Read([&](Transaction& tx) { return audit_->Checkpoints(tx); }).value(),
            std::vector<model::AuditCheckpoint>{c});
}

TEST_P(PublicStoreConformance, AccountsChangeOnlyByCompareAndSet) {
  auto accounts = NewPublicAccountStore();
  model::PublicAccount a;
  a.name = "ayesha";
  a.roles = {model::PublicRole::kPublicAdmin, model::PublicRole::kDisclosureEditor,
             model::PublicRole::kDisclosureEditor};
  a.created_at = "2026-12-06T21:00:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->Add(tx, a); }));
  auto got = Read([&](Transaction& tx) { return accounts->Get(tx, "ayesha"); })->value();
  // Roles come back sorted and once each, at version 1.
  EXPECT_EQ(got.roles, (std::vector<model::PublicRole>{model::PublicRole::kDisclosureEditor,
                                                       model::PublicRole::kPublicAdmin}));
  EXPECT_EQ(got.version, 1);
  EXPECT_FALSE(got.disabled);
  auto dup = Write([&](Transaction& tx) { return accounts->Add(tx, a); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  for (const auto& bad : {std::string(""), std::string("Ayesha"), std::string("-x"),
                          std::string(65, 'a'), std::string("a b")}) {
    auto b = a;
    b.name = bad;
    auto r = Write([&](Transaction& tx) { return accounts->Add(tx, b); });
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
  }
  auto no_role = a;
  no_role.name = "li";
  no_role.roles.clear();
  EXPECT_FALSE(Write([&](Transaction& tx) { return accounts->Add(tx, no_role); }));

  // A change made on a current read is written; one made on a stale read is not.
  auto next = got;
  next.roles = {model::PublicRole::kModerator};
  EXPECT_TRUE(*Write([&](Transaction& tx) { return accounts->Update(tx, got, next); }));
  auto disabled = got;  // still version 1: stale
  disabled.disabled = true;
  EXPECT_FALSE(*Write([&](Transaction& tx) { return accounts->Update(tx, got, disabled); }));
  auto now = Read([&](Transaction& tx) { return accounts->Get(tx, "ayesha"); })->value();
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.roles, std::vector<model::PublicRole>{model::PublicRole::kModerator});
  EXPECT_FALSE(now.disabled);
  auto ghost = got;
  ghost.name = "nobody";
  auto missing = Write([&](Transaction& tx) { return accounts->Update(tx, ghost, ghost); });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->List(tx); })->size(), 1u);
  // Listed by the bytes of the name on every backend ('-' < '.' < '_' < letters).
  for (const char* name : {"a_b", "ab", "a.b", "a-b"}) {
    auto b = a;
    b.name = name;
    ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->Add(tx, b); }));
  }
  std::vector<std::string> names;
  const auto listed = Read([&](Transaction& tx) { return accounts->List(tx); });
  ASSERT_TRUE(listed.has_value());
  for (const auto& x : *listed) names.push_back(x.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a-b", "a.b", "a_b", "ab", "ayesha"}));
}

TEST_P(PublicStoreConformance, TokensAreKeptByDigestAndRevokedPerAccount) {
  auto accounts = NewPublicAccountStore();
  model::PublicAccount a;
  a.name = "li";
  a.roles = {model::PublicRole::kDisclosureEditor};
  a.created_at = "2026-12-06T21:00:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->Add(tx, a); }));
  const model::PublicToken t1{std::string(64, '1'), "li", "2026-12-06T21:00:00.000Z",
                              "2027-03-06T21:00:00.000Z", false};
  auto t2 = t1;
  t2.digest = std::string(64, '2');
  t2.created_at = "2026-12-06T21:05:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->AddToken(tx, t1); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->AddToken(tx, t2); }));
  auto again = Write([&](Transaction& tx) { return accounts->AddToken(tx, t1); });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto orphan = t1;
  orphan.digest = std::string(64, '3');
  orphan.account = "nobody";
  auto no_account = Write([&](Transaction& tx) { return accounts->AddToken(tx, orphan); });
  ASSERT_FALSE(no_account.has_value());
  EXPECT_EQ(no_account.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->FindToken(tx, t1.digest); })->value(), t1);
  EXPECT_FALSE(Read([&](Transaction& tx) {
                 return accounts->FindToken(tx, std::string(64, '9'));
               })->has_value());
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->Tokens(tx, "li"); }).value(),
            (std::vector<model::PublicToken>{t2, t1}));
  EXPECT_EQ(*Write([&](Transaction& tx) { return accounts->RevokeTokens(tx, "li"); }), 2);
  EXPECT_EQ(*Write([&](Transaction& tx) { return accounts->RevokeTokens(tx, "li"); }), 0);
  EXPECT_TRUE(
      Read([&](Transaction& tx) { return accounts->FindToken(tx, t2.digest); })->value().revoked);
  // One token at a time (a sign-out): only a live one counts.
  auto t4 = t1;
  t4.digest = std::string(64, '4');
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->AddToken(tx, t4); }));
  EXPECT_TRUE(*Write([&](Transaction& tx) { return accounts->RevokeToken(tx, t4.digest); }));
  EXPECT_FALSE(*Write([&](Transaction& tx) { return accounts->RevokeToken(tx, t4.digest); }));
  EXPECT_FALSE(
      *Write([&](Transaction& tx) { return accounts->RevokeToken(tx, std::string(64, '9')); }));
  EXPECT_TRUE(
      Read([&](Transaction& tx) { return accounts->FindToken(tx, t4.digest); })->value().revoked);
  // Expired tokens go, live or revoked, of that account only.
  auto old_session = t1;
  old_session.digest = std::string(64, '5');
  old_session.kind = "session";
  old_session.expires_at = "2026-11-01T09:00:00.000Z";
  auto old_revoked = old_session;
  old_revoked.digest = std::string(64, '6');
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->AddToken(tx, old_session); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->AddToken(tx, old_revoked); }));
  ASSERT_TRUE(
      *Write([&](Transaction& tx) { return accounts->RevokeToken(tx, old_revoked.digest); }));
  EXPECT_EQ(*Write([&](Transaction& tx) {
    return accounts->DeleteExpiredTokens(tx, "nobody", "2027-01-01T00:00:00.000Z");
  }),
            0);
  EXPECT_EQ(*Write([&](Transaction& tx) {
    return accounts->DeleteExpiredTokens(tx, "li", "2026-11-01T09:00:00.000Z");
  }),
            0);  // expired at the cutoff is not before it
  EXPECT_EQ(*Write([&](Transaction& tx) {
    return accounts->DeleteExpiredTokens(tx, "li", "2026-12-01T00:00:00.000Z");
  }),
            2);
  EXPECT_FALSE(Read([&](Transaction& tx) {
                 return accounts->FindToken(tx, old_session.digest);
               })->has_value());
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->Tokens(tx, "li"); })->size(), 3u);
}

TEST_P(PublicStoreConformance, PasswordHashesAreKeptApartFromTheAccount) {
  auto accounts = NewPublicAccountStore();
  model::PublicAccount a;
  a.name = "amina";
  a.roles = {model::PublicRole::kGrievanceOfficer};
  a.created_at = "2026-12-07T09:00:00.000Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return accounts->Add(tx, a); }));
  // None at first: the account cannot sign in until one is set.
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->PasswordHash(tx, "amina"); })->value(),
            "");
  EXPECT_FALSE(
      Read([&](Transaction& tx) { return accounts->PasswordHash(tx, "nobody"); })->has_value());
  const std::string hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  EXPECT_TRUE(
      *Write([&](Transaction& tx) { return accounts->SetPasswordHash(tx, "amina", hash); }));
  EXPECT_FALSE(
      *Write([&](Transaction& tx) { return accounts->SetPasswordHash(tx, "nobody", hash); }));
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->PasswordHash(tx, "amina"); })->value(),
            hash);
  // The account itself is unchanged: same version, same fields.
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->Get(tx, "amina"); })->value(), a);
  EXPECT_TRUE(*Write([&](Transaction& tx) { return accounts->SetPasswordHash(tx, "amina", ""); }));
  EXPECT_EQ(Read([&](Transaction& tx) { return accounts->PasswordHash(tx, "amina"); })->value(),
            "");
}

TEST_P(PublicStoreConformance, AreasAreReplacedAWholeLevelAtATime) {
  auto areas = NewAreaStore();
  const model::AreaOutline::Ring square{{62.3, 25.1}, {62.4, 25.1}, {62.4, 25.2}, {62.3, 25.1}};
  const model::AreaOutline gwadar{"PK205", "Gwadar", "PK2", 2, {{square}, {square, square}}};
  const model::AreaOutline lahore{"PK617", "Lahore", "PK6", 2, {{square}}};
  const model::AreaOutline balochistan{"PK2", "Balochistan", "", 1, {{square}}};
  ASSERT_TRUE(Write([&](Transaction& tx) { return areas->Replace(tx, 2, {lahore, gwadar}); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return areas->Replace(tx, 1, {balochistan}); }));
  EXPECT_EQ(Read([&](Transaction& tx) { return areas->List(tx, 2); }).value(),
            (std::vector<model::AreaOutline>{gwadar, lahore}));  // by P-code, exact coordinates
  // A new load of a level replaces it whole and leaves the other level alone.
  ASSERT_TRUE(Write([&](Transaction& tx) { return areas->Replace(tx, 2, {gwadar}); }));
  EXPECT_EQ(Read([&](Transaction& tx) { return areas->List(tx, 2); })->size(), 1u);
  EXPECT_EQ(Read([&](Transaction& tx) { return areas->List(tx, 1); })->size(), 1u);
  // Refused, and nothing of the refused load is kept.
  auto empty = gwadar;
  empty.polygons = {{}};
  auto degenerate = gwadar;
  degenerate.polygons = {{{{62.3, 25.1}, {62.4, 25.1}, {62.3, 25.1}}}};
  for (const auto& [level, list] :
       {std::pair{3, std::vector<model::AreaOutline>{}}, std::pair{2, std::vector{gwadar, gwadar}},
        std::pair{2, std::vector{balochistan}}, std::pair{2, std::vector{empty}},
        std::pair{2, std::vector{degenerate}}}) {
    auto r = Write([&](Transaction& tx) { return areas->Replace(tx, level, list); });
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << r.error().message;
  }
  EXPECT_EQ(Read([&](Transaction& tx) { return areas->List(tx, 2); }).value(),
            std::vector<model::AreaOutline>{gwadar});
}

TEST_P(PublicStoreConformance, ThePublicStoreIsNeverOpenedAsTheSecurityStore) {
  db_.reset();
  auto as_security = GetParam().open(dir_.path().string(), "public", StoreKind::kSecurity, {});
  ASSERT_FALSE(as_security.has_value());
  EXPECT_NE(as_security.error().message.find("public-side store"), std::string::npos)
      << as_security.error().message;
  auto security = GetParam().open(dir_.path().string(), "security", StoreKind::kSecurity, {});
  ASSERT_TRUE(security.has_value());
  security->reset();
  auto as_public = OpenPublicDatabase(dir_.path().string() + "/security.db");
  if (GetParam().name == "sqlite") {
    ASSERT_FALSE(as_public.has_value());
    EXPECT_NE(as_public.error().message.find("security-side store"), std::string::npos);
  }
  // Its modules are recorded under their own names.
  auto db = OpenPublicDatabase(dir_.path().string() + "/public.db");
  ASSERT_TRUE(db.has_value());
  EXPECT_EQ((*db)->ModuleVersion("public.projects").value_or(0), 2);
  EXPECT_EQ((*db)->ModuleVersion("public.audit").value_or(0), 1);
  EXPECT_EQ((*db)->ModuleVersion("public.accounts").value_or(0), 3);
  EXPECT_EQ((*db)->ModuleVersion("public.areas").value_or(0), 1);
  EXPECT_EQ((*db)->kind(), StoreKind::kPublic);
}

INSTANTIATE_TEST_SUITE_P(Backends, PublicStoreConformance, ::testing::ValuesIn(DatabaseBackends()),
                         BackendName);

}  // namespace
}  // namespace corridor::store::conformance
