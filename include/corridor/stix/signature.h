// Proof of origin for STIX objects (issue 6, point 6; docs/stix.md "Signatures").
//
// The rule: an object's signature is the Ed25519 detached signature, by its
// originator's key, of the RFC 8785 canonical JSON (jcs.h) of the object with
// the signature extension (kSignatureExtensionId) removed — and with
// "extensions" removed too when that leaves it empty. The signature extension
// holds {"extension_type":"property-extension","algorithm":"ed25519",
// "key_id":KEYID,"signature":128 lower-case hex}. KEYID is the first 16 bytes
// of SHA-256 over the raw 32-byte public key, as 32 lower-case hex characters.
//
// Keys: the instance's first signing key is its instance key (auth/crypto.h);
// `corridor keys rotate` adds a new key whose rotation statement
// (RotationMessage) is signed by the key it replaces; old public keys are kept
// for verification. A key marked compromised from time T makes every object it
// signed whose `modified` is at or after T invalid.
//
// Thread-safe: pure functions, except the key ring files (one writer at a time).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"

namespace corridor::stix {

// 32 lower-case hex characters; `public_key_hex` is 64 hex characters.
std::string KeyIdOf(std::string_view public_key_hex);

// One public signing key as others know it.
struct KeyInfo {
  std::string key_id;
  std::string public_key;          // 64 hex
  std::string created;             // RFC 3339
  std::string retired;             // RFC 3339 when a newer key replaced it, else ""
  std::string compromised_from;    // RFC 3339: objects modified from then on are invalid
  std::string replaces;            // key id of the previous key ("" for the first)
  std::string rotation_signature;  // by `replaces`'s key over RotationMessage (hex)
  friend bool operator==(const KeyInfo&, const KeyInfo&) = default;
};

// The statement a rotation signs: JCS of {"type":"corridor-key-rotation",
// "old_key_id","new_key_id","new_public_key","time"}.
std::string RotationMessage(const KeyInfo& new_key);

// A set of known public keys: an instance's own history, or a partner's.
class PublicKeys {
 public:
  // Adds `key`. kInvalidArgument when it replaces a key in this set but its
  // rotation signature does not verify under that key, or its id does not
  // match its public key; a key already present is updated (retired,
  // compromised_from) but never changes its public key (kConflict).
  Result<void> Add(const KeyInfo& key);
  // The same, recording `owner` as the organisation that holds the key (the
  // originator of whatever it signs: stix/ingress.h). A key already owned by
  // another organisation is kConflict.
  Result<void> Add(const KeyInfo& key, std::string_view owner);
  const KeyInfo* Find(std::string_view key_id) const;
  // The organisation that owns `key_id` ("" when unknown or unowned).
  std::string OwnerOf(std::string_view key_id) const;
  // Records `owner` for every key of this set (an instance's own ring).
  void SetOwner(std::string_view owner);
  const std::vector<KeyInfo>& keys() const { return keys_; }
  // {"format":"corridor-public-keys-1","organisation":ORG,"keys":[...]}
  nlohmann::json ToJson(std::string_view organisation) const;
  // Reads ToJson's form (every key owned by its "organisation"); errors name
  // `label` and the JSON pointer.
  static Result<PublicKeys> FromJson(const nlohmann::json& json, const std::string& label);

 private:
  std::vector<KeyInfo> keys_;
  std::map<std::string, std::string, std::less<>> owners_;  // key id -> organisation
};

// The key that signs now (raw secret: never log it).
struct SigningKey {
  std::string key_id;
  std::string public_key;  // 64 hex
  std::string secret;      // 64 raw bytes (libsodium seed || public)
};

// Ed25519 key pair from libsodium, as a SigningKey.
SigningKey NewSigningKey();
SigningKey SigningKeyFrom(const auth::InstanceKeys& keys);

// The bytes that are signed: JCS of `object` without the signature extension.
Result<std::string> SigningMessage(const nlohmann::json& object);
// `object` with its signature extension set by `key` (a previous one replaced).
// kInvalidArgument when the object has no JCS form (naming the pointer).
Result<nlohmann::json> Sign(nlohmann::json object, const SigningKey& key);

struct VerifiedSignature {
  std::string key_id;
};
// Checks the signature extension of `object` against `known`. Errors
// (kPermissionDenied, message names the reason): no signature, a malformed
// extension (with its JSON pointer), an unknown key id, a signature that does
// not verify (the object changed after signing, or another key signed it), a
// key compromised from T with the object's `modified` at or after T.
Result<VerifiedSignature> Verify(const nlohmann::json& object, const PublicKeys& known);

// Compares RFC 3339 UTC timestamps of any fraction length ("…:00Z" equals
// "…:00.000Z"): negative, zero or positive. nullopt when either is malformed.
std::optional<int> CompareTimestamps(std::string_view a, std::string_view b);

// --- The instance's key ring file ------------------------------------------------
//
// `<db>.signing-keys` (0600, JSON): {"format":"corridor-signing-keys-1",
// "current":{"key_id","public_key","secret_key"},"keys":[KeyInfo...]}.

struct KeyRing {
  SigningKey current;
  PublicKeys keys;  // every key this instance has had, current included
};

// Loads the ring at `path`, or creates it with `instance_keys`'s signing key
// as the first key (created `now`). Errors name the path (bad mode, owner,
// JSON, keys that do not belong together).
Result<KeyRing> LoadOrCreateKeyRing(const std::string& path, const auth::InstanceKeys& instance_keys,
                                    const std::string& now);
// Adds a new current key, retiring the old one, with a rotation statement
// signed by the old key; rewrites the file atomically. Returns the new ring.
Result<KeyRing> RotateKeyRing(const std::string& path, const auth::InstanceKeys& instance_keys,
                              const std::string& now);
// Marks `key_id` compromised from `from` (RFC 3339) in the ring file.
// kNotFound for an unknown key; kInvalidArgument for a malformed time.
Result<KeyRing> MarkKeyCompromised(const std::string& path, const auth::InstanceKeys& instance_keys,
                                   const std::string& key_id, const std::string& from);

}  // namespace corridor::stix
