// The aggregate release (release/release.h): suppression, the LP attack over
// the published margins, the differencing attack across two releases, the
// ingest check and the detached signature.
#include "corridor/release/release.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <map>
#include <random>

namespace corridor::release {
namespace {

using nlohmann::json;

// True values of every entry (cells and the margins), keyed as KeyOf names them.
std::map<std::string, std::int64_t> Truth(const std::vector<Count>& counts) {
  std::map<std::string, std::int64_t> t;
  for (const auto& c : counts) {
    for (bool any_topic : {false, true}) {
      for (bool any_channel : {false, true}) {
        json row = {{"kind", c.kind}, {"district", c.district}, {"month", c.month}};
        if (!any_topic) row["topic"] = c.topic;
        if (!any_channel) row["channel"] = c.channel;
        t[KeyOf(row)] += c.count;
      }
    }
  }
  return t;
}

std::int64_t TrueOf(const std::map<std::string, std::int64_t>& t, const std::string& key) {
  auto it = t.find(key);
  return it == t.end() ? 0 : it->second;
}

// Every suppressed entry's LP interval holds its true value strictly inside.
int ExpectProtected(const std::vector<json>& releases,
                    const std::vector<std::map<std::string, std::int64_t>>& truth) {
  auto bounds = AttackBounds(releases);
  EXPECT_TRUE(bounds.has_value()) << (bounds ? "" : bounds.error().message);
  if (!bounds) return 0;
  for (const auto& b : *bounds) {
    const double v = static_cast<double>(TrueOf(truth[b.release], b.key));
    EXPECT_LE(b.min, v + 1e-6) << b.key;
    EXPECT_GE(b.max, v - 1e-6) << b.key;
    EXPECT_LT(b.min, v - 0.5) << "release " << b.release << " " << b.key
                              << " lower bound is its value";
    EXPECT_GT(b.max, v + 0.5) << "release " << b.release << " " << b.key
                              << " upper bound is its value";
  }
  return static_cast<int>(bounds->size());
}

Count C(std::string topic, std::string channel, std::int64_t n, std::string month = "2026-10",
        std::string district = "PK101", std::string kind = "grievance") {
  return Count{std::move(kind),  std::move(district), std::move(month),
               std::move(topic), std::move(channel),  n};
}

TEST(Release, SuppressesSmallCellsAndComplements) {
  const std::vector<Count> counts = {
      C("land-compensation", "web", 4), C("land-compensation", "phone", 15),
      C("labour-wages", "web", 20),     C("labour-wages", "phone", 30),
      C("environment", "letter", 12),   C("environment", "web", 11)};
  auto r = MakeRelease(counts, {.generated_at = "2026-11-01T00:00:00Z"});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(CheckRelease(r->document)) << CheckRelease(r->document).error().message;
  std::map<std::string, json> by_key;
  for (const auto& c : r->document["cells"]) by_key[KeyOf(c)] = c;
  EXPECT_EQ(by_key["grievance|PK101|2026-10|land-compensation|web"]["reason"], "small");
  EXPECT_EQ(by_key["grievance|PK101|2026-10|land-compensation|phone"]["reason"], "complementary");
  EXPECT_EQ(by_key["grievance|PK101|2026-10|corruption|sms"]["count"], 0);
  EXPECT_EQ(r->summary.cells, 40);
  EXPECT_GT(r->summary.suppressed, 0);
  EXPECT_LT(r->summary.share, 0.5);
  EXPECT_EQ(ExpectProtected({r->document}, {Truth(counts)}),
            r->summary.suppressed + r->summary.totals_suppressed);
  auto p = CheckProtection(*r);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->checked, r->summary.suppressed + r->summary.totals_suppressed);
  EXPECT_TRUE(p->pinned.empty());
}

TEST(Release, ProtectionCheckCatchesAPinnedCell) {
  // Publish a small cell's complement by hand: the margins pin the small cell.
  auto r = MakeRelease({C("land-compensation", "web", 4), C("land-compensation", "phone", 15),
                        C("labour-wages", "web", 20), C("labour-wages", "phone", 30)},
                       {.generated_at = "2026-11-01T00:00:00Z"});
  ASSERT_TRUE(r);
  for (auto& c : r->document["cells"]) {
    if (c["topic"] == "land-compensation" && c["channel"] == "phone") {
      c["count"] = 15;
      c.erase("reason");
    }
  }
  auto p = CheckProtection(*r);
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->pinned.empty());
}

TEST(Release, NoHiddenCellDerivableOverManyTables) {
  // Seeded tables of a realistic shape: mostly zeros and small counts.
  std::mt19937 rng(20261203);
  std::int64_t cells = 0, suppressed = 0;
  int checked = 0;
  for (int round = 0; round < 12; ++round) {
    std::vector<Count> counts;
    for (const auto& kind : Kinds()) {
      for (const auto& district : {"PK101", "PK102"}) {
        for (const auto& topic : Topics()) {
          for (const auto& channel : Channels()) {
            const int roll = static_cast<int>(rng() % 100);
            const std::int64_t n = roll < 45 ? 0 : roll < 75 ? 1 + rng() % 9 : 10 + rng() % 60;
            if (n)
              counts.push_back(
                  C(topic, channel, n, "2026-0" + std::to_string(1 + round % 9), district, kind));
          }
        }
      }
    }
    auto r = MakeRelease(counts, {.generated_at = "2026-11-01T00:00:00Z"});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_TRUE(CheckRelease(r->document));
    cells += r->summary.cells;
    suppressed += r->summary.suppressed;
    checked += ExpectProtected({r->document}, {Truth(counts)});
  }
  const double share = static_cast<double>(suppressed) / static_cast<double>(cells);
  std::cout << "[release] " << suppressed << " of " << cells << " cells suppressed (share " << share
            << "); LP bounds checked for " << checked << " hidden entries\n";
  EXPECT_LT(share, 0.9);  // not everything
  EXPECT_GT(checked, 100);
}

TEST(Release, DifferencingAcrossReleasesNeedsThePreviousRelease) {
  const std::vector<Count> first = {C("land-compensation", "web", 4),
                                    C("land-compensation", "phone", 15),
                                    C("labour-wages", "web", 20), C("labour-wages", "phone", 30)};
  std::vector<Count> second = first;
  second[0].count = 10;  // six late filings make the small cell publishable
  auto r1 = MakeRelease(first, {.generated_at = "2026-11-01T00:00:00Z"});
  ASSERT_TRUE(r1);
  // Without the previous release, the second publishes everything, and an
  // attacker who knows counts only grow pins the hidden 4 from below.
  auto naive = MakeRelease(second, {.generated_at = "2026-12-01T00:00:00Z"});
  ASSERT_TRUE(naive);
  EXPECT_EQ(naive->summary.suppressed, 0);
  auto leak = AttackBounds({r1->document, naive->document});
  ASSERT_TRUE(leak);
  bool pinned = false;
  for (const auto& b : *leak) {
    if (b.key == "grievance|PK101|2026-10|land-compensation|web") pinned = b.min > 4 - 0.5;
  }
  EXPECT_TRUE(pinned) << "the differencing attack should work on the naive release";
  // With it, what was hidden stays hidden, and both releases together leak nothing.
  auto r2 =
      MakeRelease(second, {.generated_at = "2026-12-01T00:00:00Z", .previous = &r1->document});
  ASSERT_TRUE(r2) << r2.error().message;
  EXPECT_GE(r2->summary.kept_from_previous, 4);
  std::map<std::string, json> by_key;
  for (const auto& c : r2->document["cells"]) by_key[KeyOf(c)] = c;
  EXPECT_EQ(by_key["grievance|PK101|2026-10|land-compensation|web"]["reason"], "complementary");
  ExpectProtected({r1->document, r2->document}, {Truth(first), Truth(second)});
}

TEST(Release, DifferencingOverManySeededReleasePairs) {
  // Release 1, then late filings (counts only grow) and release 2 with
  // --previous. The attacker solves both together with x1 <= x2 per entry:
  // no entry hidden in release 1 may be pinned.
  std::mt19937 rng(14);
  int checked = 0, later_pinned = 0, later_hidden = 0;
  for (int round = 0; round < 8; ++round) {
    std::vector<Count> first;
    for (const auto& topic : Topics()) {
      for (const auto& channel : Channels()) {
        const int roll = static_cast<int>(rng() % 100);
        const std::int64_t n = roll < 45 ? 0 : roll < 75 ? 1 + rng() % 9 : 10 + rng() % 60;
        if (n) first.push_back(C(topic, channel, n));
      }
    }
    std::vector<Count> second = first;
    for (auto& c : second) {
      if (rng() % 3 == 0) c.count += 1 + rng() % 6;
    }
    second.push_back(
        C(Topics()[rng() % Topics().size()], Channels()[rng() % Channels().size()], 1 + rng() % 4));
    auto r1 = MakeRelease(first, {.generated_at = "2026-11-01T00:00:00Z"});
    ASSERT_TRUE(r1);
    auto r2 =
        MakeRelease(second, {.generated_at = "2026-12-01T00:00:00Z", .previous = &r1->document});
    ASSERT_TRUE(r2);
    auto bounds = AttackBounds({r1->document, r2->document});
    ASSERT_TRUE(bounds) << bounds.error().message;
    const auto t1 = Truth(first), t2 = Truth(second);
    for (const auto& b : *bounds) {
      const double v = static_cast<double>(TrueOf(b.release == 0 ? t1 : t2, b.key));
      if (b.release == 0) {
        ++checked;
        EXPECT_LT(b.min, v - 0.5) << "round " << round << " " << b.key;
        EXPECT_GT(b.max, v + 0.5) << "round " << round << " " << b.key;
      } else {
        // An entry release 1 published may be known from below by that
        // value (counts only grow): that tells nothing release 1 did not. An
        // entry small now, or hidden in both, must be strictly inside.
        const bool small_now = v > 0.5 && v < kThreshold - 0.5;
        bool hidden_before = false;
        for (const auto& o : *bounds) hidden_before |= o.release == 0 && o.key == b.key;
        if (!small_now && !hidden_before) continue;
        ++later_hidden;
        if (!(b.min < v - 0.5 && b.max > v + 0.5)) {
          ++later_pinned;
          ADD_FAILURE() << "round " << round << " release 2 " << b.key << " [" << b.min << ", "
                        << b.max << "] value " << v;
        }
      }
    }
  }
  std::cout << "[release] differencing: " << checked << " entries hidden in release 1 checked; "
            << later_pinned << " of " << later_hidden
            << " entries of release 2 hidden in both or small now have an interval touching their "
               "value\n";
  EXPECT_GT(checked, 50);
}

TEST(Release, IngestCheckRefusesSmallCountsAndUnknownDimensions) {
  auto r =
      MakeRelease({C("land-compensation", "web", 14)}, {.generated_at = "2026-11-01T00:00:00Z"});
  ASSERT_TRUE(r);
  ASSERT_TRUE(CheckRelease(r->document));
  auto small = r->document;
  small["cells"][0]["count"] = 3;
  EXPECT_FALSE(CheckRelease(small));
  auto extra = r->document;
  extra["cells"][0]["description"] = "a resident's text";
  EXPECT_FALSE(CheckRelease(extra));
  auto top = r->document;
  top["receipts"] = json::array();
  EXPECT_FALSE(CheckRelease(top));
  auto topic = r->document;
  topic["cells"][0]["topic"] = "someone-named";
  EXPECT_FALSE(CheckRelease(topic));
  auto reason = r->document;
  reason["cells"][0]["count"] = "suppressed";
  EXPECT_FALSE(CheckRelease(reason));
  EXPECT_FALSE(MakeRelease({C("not-a-topic", "web", 14)}, {}));
  EXPECT_FALSE(MakeRelease({C("land-compensation", "web", 14, "2026-13")}, {}));
}

TEST(Release, DetachedSignature) {
  ASSERT_GE(sodium_init(), 0);
  auth::InstanceKeys keys;
  keys.sign_public.resize(crypto_sign_PUBLICKEYBYTES);
  keys.sign_secret.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(keys.sign_public.data()),
                      reinterpret_cast<unsigned char*>(keys.sign_secret.data()));
  const std::string bytes = "{\"cells\":[]}";
  const json sig = SignDetached(keys, bytes);
  auto trusted = TrustedKeysFromJson(PublicKeyFile(keys, "public"));
  ASSERT_TRUE(trusted);
  EXPECT_TRUE(VerifyDetached(bytes, sig, *trusted));
  EXPECT_FALSE(VerifyDetached(bytes + " ", sig, *trusted));
  EXPECT_FALSE(VerifyDetached(bytes, sig, {}));
}

TEST(Release, SimplexBounds) {
  // x + y = 5, x - z = 1 (z >= 0): x in [1, 5].
  std::vector<std::vector<double>> a = {{1, 1, 0}, {1, 0, -1}};
  auto lo = Minimise(a, {5, 1}, {1, 0, 0});
  auto hi = Minimise(a, {5, 1}, {-1, 0, 0});
  ASSERT_TRUE(lo && hi);
  EXPECT_NEAR(*lo, 1, 1e-9);
  EXPECT_NEAR(-*hi, 5, 1e-9);
  EXPECT_FALSE(Minimise({{1, 1}}, {-1}, {1, 0}));
}

// fuzz_bodies (tests/fuzz_seeds/bodies/crash-format-not-a-string): a key file whose
// "format" was an array threw out of TrustedKeysFromJson. Any member of a key
// file, a release or a signature with any other JSON type is an error, not a throw.
TEST(Release, MembersOfTheWrongTypeAreErrorsNeverThrows) {
  ASSERT_GE(sodium_init(), 0);
  auth::InstanceKeys keys;
  keys.sign_public.resize(crypto_sign_PUBLICKEYBYTES);
  keys.sign_secret.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(keys.sign_public.data()),
                      reinterpret_cast<unsigned char*>(keys.sign_secret.data()));
  const std::string bytes = "{\"cells\":[]}";
  const json good_keys = PublicKeyFile(keys, "public");
  const json good_sig = SignDetached(keys, bytes);
  const std::vector<json> wrong = {json::array({"x"}), json::object(), json(1),
                                   json(nullptr),      json(true),     json("x")};
  int tried = 0;
  for (const auto& value : wrong) {
    for (const std::string key : {"format", "keys"}) {  // "organisation" is informative
      json k = good_keys;
      k[key] = value;
      if (key == "keys") k[key] = json::array({value});  // and a key entry of the wrong type
      EXPECT_NO_THROW(EXPECT_FALSE(TrustedKeysFromJson(k)) << key << "=" << value.dump());
      ++tried;
    }
    for (const auto& [key, _] : good_sig.items()) {
      json sig = good_sig;
      sig[key] = value;
      EXPECT_NO_THROW(EXPECT_FALSE(VerifyDetached(bytes, sig, {keys.PublicKeyHex()})))
          << key << "=" << value.dump();
      ++tried;
    }
    json release = {{"format", value}, {"cells", json::array()}};
    EXPECT_NO_THROW(EXPECT_FALSE(CheckRelease(release)) << value.dump());
  }
  EXPECT_EQ(tried, 6 * 6);
}

}  // namespace
}  // namespace corridor::release
