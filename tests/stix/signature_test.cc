#include "corridor/stix/signature.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "corridor/stix/jcs.h"
#include "corridor/stix/mapping.h"
#include "testing/testing.h"

namespace corridor::stix {
namespace {

using nlohmann::json;

json SampleObject(const std::string& modified) {
  model::Incident i;
  i.id = Uuid::V4();
  i.provenance.dataset = "manual";
  i.date_start = *Date::ParseIso("2026-11-20");
  i.date_end = i.date_start;
  i.latitude = 33.6844;
  i.longitude = 73.0479;
  i.headline = "Attack on a survey team (\u00e9t\u00e9 \u6e2f)";
  i.marking.tlp = model::Tlp::kAmber;
  i.marking.author_org = "PK-NACTA";
  i.created = "2026-11-20T00:00:00Z";
  i.modified = modified;
  return IncidentToStix(i)[0];
}

PublicKeys KnownOf(const SigningKey& key) {
  PublicKeys known;
  KeyInfo info;
  info.key_id = key.key_id;
  info.public_key = key.public_key;
  info.created = "2026-01-01T00:00:00Z";
  EXPECT_TRUE(known.Add(info));
  return known;
}

TEST(SignatureTest, SignedObjectVerifiesAndTheRuleIsJcsWithoutTheExtension) {
  const SigningKey key = NewSigningKey();
  EXPECT_EQ(key.key_id.size(), 32u);
  const json object = SampleObject("2026-11-21T00:00:00.000Z");
  auto signed_object = Sign(object, key);
  ASSERT_TRUE(signed_object) << signed_object.error().message;
  const json& sig = (*signed_object)["extensions"][std::string(kSignatureExtensionId)];
  EXPECT_EQ(sig["key_id"], key.key_id);
  EXPECT_EQ(sig["algorithm"], "ed25519");
  // The documented rule, re-done by hand: JCS of the object without the extension.
  auto message = Canonicalize(object);
  ASSERT_TRUE(message);
  auth::InstanceKeys k;
  k.sign_secret = key.secret;
  EXPECT_EQ(sig["signature"], auth::SignHex(k, *message));
  auto ok = Verify(*signed_object, KnownOf(key));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->key_id, key.key_id);
  // Member order and whitespace do not matter: the signature is over the canonical form.
  auto reparsed = Verify(json::parse(signed_object->dump(2)), KnownOf(key));
  EXPECT_TRUE(reparsed) << reparsed.error().message;
}

TEST(SignatureTest, TamperedObjectIsRejected) {
  const SigningKey key = NewSigningKey();
  auto signed_object = Sign(SampleObject("2026-11-21T00:00:00Z"), key);
  ASSERT_TRUE(signed_object);
  // One byte of one property changed.
  json tampered = *signed_object;
  std::string name = tampered["name"];
  name[0] = static_cast<char>(name[0] + 1);
  tampered["name"] = name;
  auto got = Verify(tampered, KnownOf(key));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(got.error().message.find("does not verify"), std::string::npos) << got.error().message;
  // A changed marking (loosening on the way) is tampering too.
  tampered = *signed_object;
  tampered["object_marking_refs"] = json::array({TlpMarkingId(model::Tlp::kClear)});
  EXPECT_FALSE(Verify(tampered, KnownOf(key)));
}

TEST(SignatureTest, BadSignatureUnknownKeyAndUnsignedAreRejected) {
  const SigningKey key = NewSigningKey();
  auto signed_object = Sign(SampleObject("2026-11-21T00:00:00Z"), key);
  ASSERT_TRUE(signed_object);
  const std::string ext = std::string(kSignatureExtensionId);
  json bad = *signed_object;
  std::string sig = bad["extensions"][ext]["signature"];
  sig[10] = sig[10] == '0' ? '1' : '0';
  bad["extensions"][ext]["signature"] = sig;
  auto got = Verify(bad, KnownOf(key));
  ASSERT_FALSE(got);
  EXPECT_NE(got.error().message.find("does not verify"), std::string::npos);

  // Signed by another key that claims to be the known one.
  const SigningKey other = NewSigningKey();
  SigningKey impostor = other;
  impostor.key_id = key.key_id;
  auto forged = Sign(SampleObject("2026-11-21T00:00:00Z"), impostor);
  ASSERT_TRUE(forged);
  EXPECT_FALSE(Verify(*forged, KnownOf(key)));

  got = Verify(*Sign(SampleObject("2026-11-21T00:00:00Z"), other), KnownOf(key));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message, "signed by unknown key " + other.key_id);

  got = Verify(SampleObject("2026-11-21T00:00:00Z"), KnownOf(key));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message, "/extensions/" + ext + ": missing: the object is not signed");
}

TEST(SignatureTest, RotationKeepsOldKeysAndCompromiseInvalidatesLaterObjects) {
  testing::TempDir dir;
  const std::string path = (dir / "test.db.signing-keys").string();
  auto instance = auth::LoadOrCreateInstanceKeys((dir / "test.db.keys").string());
  ASSERT_TRUE(instance) << instance.error().message;

  auto ring = LoadOrCreateKeyRing(path, *instance, "2026-01-01T00:00:00Z");
  ASSERT_TRUE(ring) << ring.error().message;
  // The first signing key is the instance key.
  EXPECT_EQ(ring->current.public_key, instance->PublicKeyHex());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const SigningKey first = ring->current;
  auto old_object = Sign(SampleObject("2026-06-01T00:00:00Z"), first);
  auto late_object = Sign(SampleObject("2026-09-01T00:00:00.5Z"), first);
  ASSERT_TRUE(old_object && late_object);

  auto rotated = RotateKeyRing(path, *instance, "2026-07-01T00:00:00Z");
  ASSERT_TRUE(rotated) << rotated.error().message;
  EXPECT_NE(rotated->current.key_id, first.key_id);
  ASSERT_EQ(rotated->keys.keys().size(), 2u);
  EXPECT_EQ(rotated->keys.Find(first.key_id)->retired, "2026-07-01T00:00:00Z");
  EXPECT_EQ(rotated->keys.Find(rotated->current.key_id)->replaces, first.key_id);
  // Reloaded from the file: the same ring.
  auto reloaded = LoadOrCreateKeyRing(path, *instance, "2030-01-01T00:00:00Z");
  ASSERT_TRUE(reloaded) << reloaded.error().message;
  EXPECT_EQ(reloaded->current.key_id, rotated->current.key_id);

  // What a partner gets (`corridor keys show --json`) verifies the chain.
  const json published = rotated->keys.ToJson("PK-NACTA");
  auto partner_view = PublicKeys::FromJson(json::parse(published.dump()), "keys.json");
  ASSERT_TRUE(partner_view) << partner_view.error().message;
  EXPECT_TRUE(Verify(*old_object, *partner_view));
  auto new_object = Sign(SampleObject("2026-08-01T00:00:00Z"), rotated->current);
  ASSERT_TRUE(new_object);
  EXPECT_TRUE(Verify(*new_object, *partner_view));

  // A rotation statement not signed by the old key is refused.
  json forged = published;
  forged["keys"][1]["rotation_signature"] = std::string(128, 'a');
  auto refused = PublicKeys::FromJson(forged, "keys.json");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("rotation statement is not signed"), std::string::npos)
      << refused.error().message;

  // The first key is compromised from August: what it signed before stays valid.
  auto compromised = MarkKeyCompromised(path, *instance, first.key_id, "2026-08-01T00:00:00Z");
  ASSERT_TRUE(compromised) << compromised.error().message;
  auto after = PublicKeys::FromJson(compromised->keys.ToJson("PK-NACTA"), "keys.json");
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_TRUE(Verify(*old_object, *after));
  auto late = Verify(*late_object, *after);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "signed by key " + first.key_id +
                                      ", compromised from 2026-08-01T00:00:00Z; the object was "
                                      "modified at 2026-09-01T00:00:00.5Z");
  EXPECT_TRUE(Verify(*new_object, *after));  // the new key is not affected
  EXPECT_FALSE(MarkKeyCompromised(path, *instance, "0123", "2026-08-01T00:00:00Z"));
  EXPECT_FALSE(MarkKeyCompromised(path, *instance, first.key_id, "yesterday"));
}

TEST(SignatureTest, TimestampsCompareAcrossFractionLengths) {
  EXPECT_EQ(CompareTimestamps("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(CompareTimestamps("2026-01-01T00:00:00.1Z", "2026-01-01T00:00:00.09Z"), 1);
  EXPECT_EQ(CompareTimestamps("2025-12-31T23:59:59.999Z", "2026-01-01T00:00:00Z"), -1);
  EXPECT_FALSE(CompareTimestamps("2026-01-01", "2026-01-01T00:00:00Z"));
}

// Found by fuzz_taxii_envelope (tests/fuzz_seeds/taxii_envelope/crash-extensions-not-object):
// signing an object whose `extensions` is not an object threw out of Sign.
TEST(SignatureTest, ExtensionsThatAreNotAnObjectAreAnErrorNotAThrow) {
  const SigningKey key = NewSigningKey();
  for (const json& extensions : {json("x"), json::array({1}), json(3), json(nullptr)}) {
    json object = SampleObject("2026-11-21T00:00:00.000Z");
    object["extensions"] = extensions;
    auto s = Sign(object, key);
    ASSERT_FALSE(s) << extensions.dump();
    EXPECT_EQ(s.error().message, "/extensions: expected an object");
    EXPECT_FALSE(Verify(object, KnownOf(key)));
  }
}

}  // namespace
}  // namespace corridor::stix
