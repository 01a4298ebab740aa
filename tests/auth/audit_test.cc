#include "corridor/auth/audit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <span>

#include "testing/testing.h"

namespace corridor::auth {
namespace {

using model::AuditCheckpoint;
using model::AuditEntry;

TEST(AuditFormatTest, CanonicalFormIsLengthPrefixed) {
  AuditEntry e;
  e.seq = 1;
  e.time = "2024-05-01T10:00:00Z";
  e.actor = "ali";
  e.action = "read";
  e.objects = {"a1", "b\n2"};
  e.detail = R"({"n":2})";
  e.prev_hash = std::string(kGenesisHash);
  e.hash = "ignored";
  EXPECT_EQ(CanonicalForm(e),
            "corridor-audit-entry-1\nseq=1\ntime=20:2024-05-01T10:00:00Z\nactor=3:ali\n"
            "action=4:read\nobjects=2\nobject=2:a1\nobject=3:b\n2\ndetail=7:{\"n\":2}\n"
            "prev_hash=64:" +
                std::string(kGenesisHash) + "\n");
  // The value docs/security.md's Python recomputation gives for this entry.
  EXPECT_EQ(EntryHash(e), "e0b884bad3341cbdc4681ee830e55dc96a8e31bb772c891b7398340390bd7b94");
}

TEST(AuditFormatTest, CheckpointMessage) {
  AuditCheckpoint c;
  c.count = 12;
  c.head_hash = std::string(64, 'a');
  c.time = "2024-05-01T10:00:00Z";
  EXPECT_EQ(CheckpointMessage(c),
            "corridor-audit-checkpoint\n12\n" + std::string(64, 'a') + "\n2024-05-01T10:00:00Z");
}

class AuditChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = *LoadOrCreateInstanceKeys((dir_ / "instance.key").string());
    other_keys_ = *LoadOrCreateInstanceKeys((dir_ / "other.key").string());
    for (int i = 0; i < 10; ++i) Append("read", {"incident-" + std::to_string(i + 1)});
  }

  void Append(std::string action, std::vector<std::string> objects) {
    AuditEntry e;
    e.time = "2024-05-01T10:00:" + std::to_string(10 + entries_.size()) + "Z";
    e.actor = "ali";
    e.action = std::move(action);
    e.objects = std::move(objects);
    e.detail = "{}";
    SealEntry(e, entries_.empty() ? nullptr : &entries_.back());
    entries_.push_back(std::move(e));
  }

  AuditCheckpoint Checkpoint(std::int64_t count, const InstanceKeys* keys = nullptr) const {
    const std::string head =
        count == 0 ? std::string(kGenesisHash) : entries_[static_cast<std::size_t>(count - 1)].hash;
    return MakeCheckpoint(keys ? *keys : keys_, count, head, "T" + std::to_string(count));
  }

  // VerifyChain's report; every case also checks that ChainVerifier, fed the
  // same log in batches of 1, 2, 3 and 7 entries (as AuditLog::Verify reads
  // a long log), reports exactly the same.
  ChainReport Verify(const std::vector<AuditCheckpoint>& checkpoints = {},
                     const std::optional<AuditCheckpoint>& anchor = std::nullopt) const {
    ChainReport whole = VerifyChain(entries_, checkpoints, anchor, keys_.PublicKeyHex());
    for (std::size_t batch : {1, 2, 3, 7}) {
      ChainVerifier v(checkpoints, anchor, keys_.PublicKeyHex());
      for (std::size_t i = 0; i < entries_.size(); i += batch) {
        v.Add(
            std::span<const AuditEntry>(entries_).subspan(i, std::min(batch, entries_.size() - i)));
      }
      const ChainReport r = v.Finish();
      EXPECT_EQ(r.ok, whole.ok) << "batches of " << batch;
      EXPECT_EQ(r.entries, whole.entries) << "batches of " << batch;
      EXPECT_EQ(r.first_bad_seq, whole.first_bad_seq) << "batches of " << batch;
      EXPECT_EQ(r.problem, whole.problem) << "batches of " << batch;
    }
    return whole;
  }

  void ExpectBad(const ChainReport& r, std::int64_t seq, const std::string& problem) const {
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, seq);
    EXPECT_EQ(r.problem, problem);
  }

  testing::TempDir dir_;
  InstanceKeys keys_;
  InstanceKeys other_keys_;
  std::vector<AuditEntry> entries_;
};

TEST_F(AuditChainTest, IntactChainVerifies) {
  EXPECT_EQ(entries_[0].prev_hash, kGenesisHash);
  EXPECT_EQ(entries_[9].seq, 10);
  EXPECT_EQ(entries_[9].prev_hash, entries_[8].hash);
  const ChainReport r = Verify({Checkpoint(0), Checkpoint(4), Checkpoint(8)}, Checkpoint(10));
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 10);
  EXPECT_EQ(r.first_bad_seq, 0);
  EXPECT_EQ(r.problem, "");
}

TEST_F(AuditChainTest, EmptyLogVerifies) {
  AuditCheckpoint genesis = Checkpoint(0);
  entries_.clear();
  EXPECT_TRUE(Verify({genesis}).ok);
}

TEST_F(AuditChainTest, EditedEntry) {
  entries_[4].actor = "mallory";
  ExpectBad(Verify(), 5, "entry 5: stored hash does not match its content (edited)");
}

TEST_F(AuditChainTest, EditedAndRehashedEntry) {
  entries_[4].objects = {"something-else"};
  entries_[4].hash = EntryHash(entries_[4]);
  ExpectBad(Verify(), 5,
            "entry 5: its hash is not the prev_hash entry 6 records (entry 5 rewritten and "
            "rehashed, or an entry removed or inserted)");
}

TEST_F(AuditChainTest, DeletedEntry) {
  entries_.erase(entries_.begin() + 4);
  ExpectBad(Verify(), 5,
            "entry 5 is missing: after seq 4 comes seq 6 (removed, or entries reordered)");
}

TEST_F(AuditChainTest, DeletedFirstEntry) {
  entries_.erase(entries_.begin());
  ExpectBad(Verify(), 1,
            "entry 1 is missing: the log starts at seq 2 (removed, or entries reordered)");
}

TEST_F(AuditChainTest, DeletedEntryWithRenumbering) {
  entries_.erase(entries_.begin() + 4);
  for (std::size_t i = 4; i < entries_.size(); ++i)
    entries_[i].seq = static_cast<std::int64_t>(i) + 1;
  ExpectBad(Verify(), 5, "entry 5: stored hash does not match its content (edited)");
}

TEST_F(AuditChainTest, InsertedEntry) {
  AuditEntry forged;
  forged.time = "2024-05-01T10:00:13Z";
  forged.actor = "ali";
  forged.action = "read";
  forged.detail = "{}";
  SealEntry(forged, &entries_[3]);  // seq 5, chained to entry 4
  entries_.insert(entries_.begin() + 4, forged);
  ExpectBad(Verify(), 5, "seq 5 appears twice (an entry was inserted)");
}

TEST_F(AuditChainTest, SwappedEntries) {
  std::swap(entries_[4], entries_[5]);
  ExpectBad(Verify(), 5,
            "entry 5 is missing: after seq 4 comes seq 6 (removed, or entries reordered)");
}

TEST_F(AuditChainTest, SwappedContentKeepingSeqOrder) {
  std::swap(entries_[4], entries_[5]);
  std::swap(entries_[4].seq, entries_[5].seq);
  ExpectBad(Verify(), 5, "entry 5: stored hash does not match its content (edited)");
}

TEST_F(AuditChainTest, CutTailBelowCheckpoint) {
  const AuditCheckpoint at8 = Checkpoint(8);
  entries_.resize(6);
  ExpectBad(Verify({Checkpoint(4), at8}), 7,
            "the log ends at entry 6 but the checkpoint at count 8 (T8) vouches for 8 entries (the "
            "tail was cut)");
}

TEST_F(AuditChainTest, CutTailBelowAnchor) {
  const AuditCheckpoint anchor = Checkpoint(10);
  const AuditCheckpoint at8 = Checkpoint(8);
  entries_.resize(9);
  ExpectBad(Verify({at8}, anchor), 10,
            "the log ends at entry 9 but the anchor at count 10 (T10) vouches for 10 entries (the "
            "tail was cut)");
}

TEST_F(AuditChainTest, TailRewrittenConsistently) {
  const AuditCheckpoint at8 = Checkpoint(8);
  entries_.resize(6);  // drop 7..10, then write a new, self-consistent tail
  for (int i = 0; i < 4; ++i) Append("search", {});
  ASSERT_TRUE(Verify().ok);  // the chain alone cannot tell
  ExpectBad(Verify({at8}), 8,
            "entry 8: hash differs from the head hash of the checkpoint at count 8 (T8)");
}

TEST_F(AuditChainTest, CheckpointWithBadSignature) {
  AuditCheckpoint at8 = Checkpoint(8);
  at8.count = 9;
  at8.head_hash = entries_[8].hash;
  ExpectBad(Verify({at8}), 9, "checkpoint at count 9 (T8): signature does not verify");
  EXPECT_FALSE(VerifyCheckpoint(at8));
}

TEST_F(AuditChainTest, CheckpointByAnotherKey) {
  const AuditCheckpoint foreign = Checkpoint(8, &other_keys_);
  EXPECT_TRUE(VerifyCheckpoint(foreign));  // valid, but not ours
  ExpectBad(Verify({foreign}), 8,
            "checkpoint at count 8 (T8) is signed by another key (" + other_keys_.PublicKeyHex() +
                "), not this instance's");
  ExpectBad(Verify({}, foreign), 8,
            "anchor at count 8 (T8) is signed by another key (" + other_keys_.PublicKeyHex() +
                "), not this instance's");
}

TEST_F(AuditChainTest, ReportsTheEarliestProblem) {
  const AuditCheckpoint at8 = Checkpoint(8);
  entries_[2].detail = R"({"edited":true})";
  entries_.resize(5);
  ExpectBad(Verify({at8}), 3, "entry 3: stored hash does not match its content (edited)");
}

TEST_F(AuditChainTest, CheckpointJsonRoundTrip) {
  const AuditCheckpoint c = Checkpoint(10);
  const std::string json = CheckpointJson(c);
  EXPECT_EQ(json, R"({"count":10,"head_hash":")" + c.head_hash +
                      R"(","time":"T10","public_key":")" + c.public_key + R"(","signature":")" +
                      c.signature + R"("})");
  auto back = ParseCheckpointJson(json);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, c);
  EXPECT_TRUE(VerifyCheckpoint(*back));
}

TEST_F(AuditChainTest, CheckpointJsonErrors) {
  const AuditCheckpoint c = Checkpoint(10);
  const std::string tail =
      R"(,"time":"T","public_key":")" + c.public_key + R"(","signature":")" + c.signature + R"("})";
  const std::string head = R"({"count":10,"head_hash":")" + c.head_hash + R"(")";
  struct Case {
    const char* name;
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"not an object", "[]", "checkpoint JSON: not a JSON object"},
      {"unknown key", head + R"(,"extra":1)" + tail, "checkpoint JSON: unknown key /extra"},
      {"negative count", R"({"count":-1,"head_hash":")" + c.head_hash + "\"" + tail,
       "checkpoint JSON: /count must be a whole number >= 0"},
      {"count as text", R"({"count":"10","head_hash":")" + c.head_hash + "\"" + tail,
       "checkpoint JSON: /count must be a whole number >= 0"},
      {"short hash", R"({"count":10,"head_hash":"abc")" + tail,
       "checkpoint JSON: /head_hash must be 64 lower-case hex characters"},
      {"no signature", head + R"(,"time":"T","public_key":")" + c.public_key + "\"}",
       "checkpoint JSON: /signature must be a non-empty string"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    auto r = ParseCheckpointJson(k.text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, k.error);
  }
  auto syntax = ParseCheckpointJson("{\"count\":");
  ASSERT_FALSE(syntax);
  EXPECT_NE(syntax.error().message.find("line 1, column 10"), std::string::npos)
      << syntax.error().message;
}

}  // namespace
}  // namespace corridor::auth
