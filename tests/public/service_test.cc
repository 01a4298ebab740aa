// The public side's use cases (public_side/service.h): the two-person rule for
// disclosure changes and the public audit chain, on a real public store.
#include "corridor/public_side/service.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(report->entries, 2);
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
    return store::NewDisclosureRequestStore()->List(tx, "");
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

}  // namespace
}  // namespace corridor::public_side
