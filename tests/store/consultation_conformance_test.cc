// The consultation aggregate (corridor/store/consultation_store.h), on every backend.
#include <gtest/gtest.h>

#include <tuple>

#include "corridor/store/consultation_store.h"
#include "corridor/store/public_store.h"
#include "store/database_backends.h"

namespace corridor::store::conformance {
namespace {

Consultation Sample(const std::string& id, const std::string& district = "PK205",
                    std::int64_t threshold = 2) {
  Consultation c;
  c.id = id;
  c.district = district;
  c.title = "Port road: crossings near the school";
  c.body = "Where should the crossings go?";
  c.threshold = threshold;
  c.opened_by = "moderator.a";
  c.opened_at = "2026-03-01T09:00:00Z";
  return c;
}

Proposal Idea(const std::string& id, const std::string& consultation_id,
              const std::string& at = "2026-03-02T10:00:00Z") {
  Proposal p;
  p.id = id;
  p.consultation_id = consultation_id;
  p.title = "A zebra crossing at the school gate";
  p.body = "بچے سڑک پار کرتے ہیں";
  p.lang = "ur";
  p.created_at = at;
  return p;
}

class ConsultationStoreConformance : public DatabaseTest {
 protected:
  void SetUp() override {
    db_ = Open(PublicModules(), StoreKind::kPublic, "public");
    ASSERT_TRUE(db_);
  }
  std::unique_ptr<ConsultationStore> store_ = NewConsultationStore();
};

TEST_P(ConsultationStoreConformance, ConsultationsAndProposalsRoundTrip) {
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, Sample("c1")); }));
  auto later = Sample("c2", "PK201");
  later.opened_at = "2026-04-01T09:00:00Z";
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, later); }));
  auto again = Write([&](Transaction& tx) { return store_->AddConsultation(tx, Sample("c1")); });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto got = Read([&](Transaction& tx) { return store_->GetConsultation(tx, "c1"); });
  ASSERT_TRUE(got && *got);
  EXPECT_EQ(**got, Sample("c1"));
  auto all = Read([&](Transaction& tx) { return store_->ListConsultations(tx, ""); });
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].id, "c2");  // newest first
  auto gwadar = Read([&](Transaction& tx) { return store_->ListConsultations(tx, "PK205"); });
  ASSERT_TRUE(gwadar);
  ASSERT_EQ(gwadar->size(), 1U);

  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->AddProposal(tx, Idea("p2", "c1", "2026-03-03T00:00:00Z"));
  }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p1", "c1")); }));
  auto orphan = Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p3", "nope")); });
  ASSERT_FALSE(orphan.has_value());
  EXPECT_EQ(orphan.error().code, ErrorCode::kNotFound);
  auto list = Read([&](Transaction& tx) { return store_->ListProposals(tx, "c1"); });
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[0], Idea("p1", "c1"));  // oldest first
}

TEST_P(ConsultationStoreConformance, CodesAreHeldOnceAndKnowTheirDistrict) {
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->AddCodes(tx, "b1", "PK205", {"h1", "h2"}, "2026-03-01T00:00:00Z");
  }));
  auto clash = Write([&](Transaction& tx) {
    return store_->AddCodes(tx, "b2", "PK201", {"h3", "h2"}, "2026-03-01T00:00:00Z");
  });
  ASSERT_FALSE(clash.has_value());
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
  // The failed batch recorded nothing (the transaction rolled back).
  EXPECT_FALSE(Read([&](Transaction& tx) { return store_->CodeDistrict(tx, "h3"); })->has_value());
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->CodeDistrict(tx, "h2"); }).value(),
            std::optional<std::string>("PK205"));
}

TEST_P(ConsultationStoreConformance, ASupportCountsOnceAndTheThresholdObligesAResponse) {
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, Sample("c1")); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p1", "c1")); }));
  const auto support = [&](const std::string& digest, const std::string& at) {
    return Write([&](Transaction& tx) { return store_->Support(tx, "p1", digest, at); });
  };
  EXPECT_EQ(support("s1", "2026-03-04T00:00:00Z").value(), std::optional<std::int64_t>(1));
  EXPECT_FALSE(support("s1", "2026-03-04T00:00:01Z").value().has_value());  // once
  auto p = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->supports, 1);
  EXPECT_EQ((*p)->state, "open");
  EXPECT_EQ(support("s2", "2026-03-05T00:00:00Z").value(), std::optional<std::int64_t>(2));
  p = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  EXPECT_EQ((*p)->state, "response-due");
  EXPECT_EQ((*p)->threshold_at, "2026-03-05T00:00:00Z");
  EXPECT_EQ(support("s3", "2026-03-06T00:00:00Z").value(), std::optional<std::int64_t>(3));
  p = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  EXPECT_EQ((*p)->threshold_at, "2026-03-05T00:00:00Z");  // reached once
  auto missing = Write([&](Transaction& tx) { return store_->Support(tx, "nope", "s1", ""); });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  // The response: compare-and-set on the version.
  Proposal next = **p;
  next.state = "answered";
  next.response = "Two crossings are in the revised design.";
  next.responded_by = "moderator.a";
  next.responded_at = "2026-03-10T00:00:00Z";
  EXPECT_TRUE(
      Write([&](Transaction& tx) { return store_->UpdateProposal(tx, **p, next); }).value());
  EXPECT_FALSE(
      Write([&](Transaction& tx) { return store_->UpdateProposal(tx, **p, next); }).value());
  auto answered = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  EXPECT_EQ((*answered)->state, "answered");
  EXPECT_EQ((*answered)->response, next.response);
  EXPECT_EQ((*answered)->version, (*p)->version + 1);
}

TEST_P(ConsultationStoreConformance, ReportsHoldAProposalAtTheThresholdAndTheLogSaysWhy) {
  auto c = Sample("c1");
  c.report_threshold = 2;
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, c); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p1", "c1")); }));
  const auto report = [&](const std::string& digest) {
    return Write(
        [&](Transaction& tx) { return store_->Report(tx, "p1", digest, "2026-03-04T00:00:00Z"); });
  };
  EXPECT_EQ(report("r1").value(), std::optional<std::int64_t>(1));
  EXPECT_FALSE(report("r1").value().has_value());  // one code, one report
  auto p = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  EXPECT_EQ((*p)->moderation, "");
  EXPECT_EQ(report("r2").value(), std::optional<std::int64_t>(2));
  p = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  EXPECT_EQ((*p)->moderation, "held");
  EXPECT_EQ((*p)->reports, 2);
  EXPECT_EQ(report("r3").value(), std::optional<std::int64_t>(3));  // counted, held once
  auto log = Read([&](Transaction& tx) { return store_->ModerationLog(tx, 10); });
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1U);
  EXPECT_EQ((*log)[0], (ModerationEntry{1, "2026-03-04T00:00:00Z", "p1", "held", "reports", ""}));

  // A moderator edits out personal data: title and body change, shown again.
  p = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  Proposal next = **p;
  next.body = "[removed by a moderator: personal data]";
  next.moderation = "";
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return store_->UpdateProposal(tx, **p, next); }).value());
  ASSERT_TRUE(Write([&](Transaction& tx) {
    return store_->Log(tx, {0, "2026-03-05T00:00:00Z", "p1", "edited", "personal-data", ""});
  }));
  auto edited = Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); });
  EXPECT_EQ((*edited)->body, next.body);
  EXPECT_EQ((*edited)->moderation, "");
  log = Read([&](Transaction& tx) { return store_->ModerationLog(tx, 1); });
  ASSERT_EQ(log->size(), 1U);
  EXPECT_EQ((*log)[0].seq, 2);  // newest first
  EXPECT_EQ((*log)[0].decision, "edited");
  EXPECT_FALSE(Read([&](Transaction& tx) { return store_->ModerationLog(tx, 0); }).has_value());
}

TEST_P(ConsultationStoreConformance, ProposalsAreCountedByDistrictTopicAndKarachiMonth) {
  auto roads = Sample("c1");
  roads.topic = "access-roads";
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, roads); }));
  ASSERT_TRUE(
      Write([&](Transaction& tx) { return store_->AddConsultation(tx, Sample("c2", "PK201")); }));
  // 19:30 UTC on 31 March is 1 April in Karachi.
  for (const auto& [id, c, at] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"p1", "c1", "2026-03-31T18:59:00Z"},
           {"p2", "c1", "2026-03-31T19:30:00Z"},
           {"p3", "c1", "2026-04-02T10:00:00Z"},
           {"p4", "c2", "2026-04-02T10:00:00Z"}}) {
    ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea(id, c, at)); }));
  }
  auto counts = Read([&](Transaction& tx) { return store_->Counts(tx); });
  ASSERT_TRUE(counts) << counts.error().message;
  EXPECT_EQ(*counts, (std::vector<ProposalCount>{{"PK201", "other", "2026-04", 1},
                                                 {"PK205", "access-roads", "2026-03", 1},
                                                 {"PK205", "access-roads", "2026-04", 2}}));
}

Comment Remark(const std::string& id, const std::string& proposal_id,
               const std::string& parent = "", const std::string& at = "2026-03-03T10:00:00Z") {
  Comment c;
  c.id = id;
  c.proposal_id = proposal_id;
  c.parent_id = parent;
  c.depth = 7;  // ignored: the store derives it from the parent
  c.body = "And a speed bump before it";
  c.lang = "en";
  c.created_at = at;
  return c;
}

TEST_P(ConsultationStoreConformance, CommentsAreThreadedWithinOneProposal) {
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, Sample("c1")); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, Sample("c2")); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p1", "c1")); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p2", "c1")); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p3", "c2")); }));
  auto add = [&](const Comment& c) {
    return Write([&](Transaction& tx) { return store_->AddComment(tx, c); });
  };
  auto top = add(Remark("m1", "p1"));
  ASSERT_TRUE(top) << top.error().message;
  EXPECT_EQ(top->depth, 0);
  auto verified = Remark("m2", "p1", "m1", "2026-03-03T11:00:00Z");
  verified.verified = true;
  auto reply = add(verified);
  ASSERT_TRUE(reply) << reply.error().message;
  EXPECT_EQ(reply->depth, 1);
  EXPECT_EQ(add(Remark("m3", "p1", "m2", "2026-03-03T12:00:00Z"))->depth, 2);
  ASSERT_TRUE(add(Remark("m4", "p3", "", "2026-03-03T09:00:00Z")));  // another consultation's

  // A reply's parent must be a comment of the same proposal.
  EXPECT_EQ(add(Remark("m5", "p2", "m1")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(add(Remark("m5", "p1", "nope")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(add(Remark("m5", "nope")).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(add(Remark("m1", "p1")).error().code, ErrorCode::kConflict);

  auto all = Read([&](Transaction& tx) { return store_->ListComments(tx, "c1"); });
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3U);  // oldest first; c2's comment is not among them
  EXPECT_EQ((*all)[0].id, "m1");
  EXPECT_EQ((*all)[1], *reply);
  EXPECT_TRUE((*all)[1].verified);
  EXPECT_EQ((*all)[2].parent_id, "m2");
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->CountComments(tx, "p1"); }).value(), 3);
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->CountComments(tx, "p2"); }).value(), 0);
  auto held = Remark("m6", "p2");
  held.moderation = "held";
  ASSERT_TRUE(add(held));
  EXPECT_EQ(Read([&](Transaction& tx) { return store_->CountComments(tx, "p2"); }).value(),
            0);  // held comments do not count
}

TEST_P(ConsultationStoreConformance, ReportedCommentsAreHeldAndLoggedByComment) {
  auto c = Sample("c1");
  c.report_threshold = 2;
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddConsultation(tx, c); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddProposal(tx, Idea("p1", "c1")); }));
  ASSERT_TRUE(Write([&](Transaction& tx) { return store_->AddComment(tx, Remark("m1", "p1")); }));
  auto report = [&](const std::string& digest) {
    return Write([&](Transaction& tx) {
      return store_->ReportComment(tx, "m1", digest, "2026-03-04T00:00:00Z");
    });
  };
  EXPECT_EQ(report("r1").value(), std::optional<std::int64_t>(1));
  EXPECT_FALSE(report("r1").value().has_value());  // one code, one report
  EXPECT_EQ(report("r2").value(), std::optional<std::int64_t>(2));
  EXPECT_EQ(report("r3").value(), std::optional<std::int64_t>(3));  // counted, held once
  EXPECT_EQ(Write([&](Transaction& tx) {
              return store_->ReportComment(tx, "nope", "r1", "2026-03-04T00:00:00Z");
            })
                .error()
                .code,
            ErrorCode::kNotFound);
  auto held = Read([&](Transaction& tx) { return store_->HeldComments(tx); });
  ASSERT_TRUE(held) << held.error().message;
  ASSERT_EQ(held->size(), 1U);
  EXPECT_EQ((*held)[0].moderation, "held");
  EXPECT_EQ((*held)[0].reports, 3);
  // The proposal itself is untouched.
  EXPECT_EQ(
      Read([&](Transaction& tx) { return store_->GetProposal(tx, "p1"); }).value()->moderation, "");
  auto log = Read([&](Transaction& tx) { return store_->ModerationLog(tx, 10); });
  ASSERT_EQ(log->size(), 1U);
  EXPECT_EQ((*log)[0], (ModerationEntry{1, "2026-03-04T00:00:00Z", "p1", "held", "reports", "m1"}));

  // A moderator restores it (compare-and-set on the version read).
  Comment before = (*held)[0];
  Comment next = before;
  next.moderation = "";
  next.body = "[edited]";
  EXPECT_TRUE(
      Write([&](Transaction& tx) { return store_->UpdateComment(tx, before, next); }).value());
  EXPECT_FALSE(Write([&](Transaction& tx) {
                 return store_->UpdateComment(tx, before, next);
               }).value());  // stale version
  auto now = Read([&](Transaction& tx) { return store_->GetComment(tx, "m1"); });
  EXPECT_EQ((*now)->body, "[edited]");
  EXPECT_EQ((*now)->version, before.version + 1);
  EXPECT_TRUE(Read([&](Transaction& tx) { return store_->HeldComments(tx); })->empty());
  Comment ghost = before;
  ghost.id = "nope";
  EXPECT_EQ(
      Write([&](Transaction& tx) { return store_->UpdateComment(tx, ghost, next); }).error().code,
      ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsultationStoreConformance,
                         ::testing::ValuesIn(DatabaseBackends()), BackendName);

}  // namespace
}  // namespace corridor::store::conformance
