#include "corridor/stix/signature.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "corridor/common/json_get.h"
#include "corridor/common/strings.h"
#include "corridor/stix/jcs.h"
#include "corridor/stix/mapping.h"

namespace corridor::stix {
namespace {

using nlohmann::json;

constexpr std::string_view kRingFormat = "corridor-signing-keys-1";
constexpr std::string_view kPublicFormat = "corridor-public-keys-1";

bool IsHex(std::string_view s, std::size_t length) {
  if (s.size() != length) return false;
  for (const char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

json KeyInfoToJson(const KeyInfo& k) {
  return {{"key_id", k.key_id},
          {"public_key", k.public_key},
          {"created", k.created},
          {"retired", k.retired},
          {"compromised_from", k.compromised_from},
          {"replaces", k.replaces},
          {"rotation_signature", k.rotation_signature}};
}

Result<KeyInfo> KeyInfoFromJson(const json& j, const std::string& pointer) {
  if (!j.is_object()) return Fail(ErrorCode::kInvalidArgument, pointer + ": expected an object");
  KeyInfo k;
  const std::pair<const char*, std::string*> fields[] = {
      {"key_id", &k.key_id},
      {"public_key", &k.public_key},
      {"created", &k.created},
      {"retired", &k.retired},
      {"compromised_from", &k.compromised_from},
      {"replaces", &k.replaces},
      {"rotation_signature", &k.rotation_signature}};
  for (const auto& [name, out] : fields) {
    const auto it = j.find(name);
    if (it == j.end()) continue;
    if (!it->is_string()) {
      return Fail(ErrorCode::kInvalidArgument, pointer + "/" + name + ": expected a string");
    }
    *out = it->get<std::string>();
  }
  if (!IsHex(k.public_key, 64)) {
    return Fail(ErrorCode::kInvalidArgument,
                pointer + "/public_key: expected 64 lower-case hex characters");
  }
  if (!k.compromised_from.empty() && !CompareTimestamps(k.compromised_from, k.compromised_from)) {
    return Fail(ErrorCode::kInvalidArgument,
                pointer + "/compromised_from: not an RFC 3339 UTC timestamp");
  }
  return k;
}

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// Writes `text` to `path` atomically with mode 0600 (temporary file, then rename).
Result<void> WritePrivateFile(const std::string& path, std::string text) {
  const std::string tmp = path + ".tmp-" + auth::RandomToken(9);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    sodium_memzero(text.data(), text.size());
    return Fail(ErrorCode::kUnavailable, Errno("cannot create key ring file", tmp));
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    done += static_cast<std::size_t>(n);
  }
  sodium_memzero(text.data(), text.size());
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    auto err = Errno("cannot write key ring file", path);
    ::unlink(tmp.c_str());
    return Fail(ErrorCode::kUnavailable, err);
  }
  return {};
}

std::string RingText(const KeyRing& ring) {
  json keys = json::array();
  for (const auto& k : ring.keys.keys()) keys.push_back(KeyInfoToJson(k));
  json j = {{"format", kRingFormat},
            {"current",
             {{"key_id", ring.current.key_id},
              {"public_key", ring.current.public_key},
              {"secret_key", auth::ToHex(ring.current.secret)}}},
            {"keys", keys}};
  return j.dump(2) + "\n";
}

Result<KeyRing> ParseRing(const std::string& path, const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, "key ring file " + path + ": " + why);
  };
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return bad("not a JSON object");
  if (StringOr(j, "format") != kRingFormat) {
    return bad("/format is not \"" + std::string(kRingFormat) + "\"");
  }
  KeyRing ring;
  const auto current = j.find("current");
  if (current == j.end() || !current->is_object()) return bad("/current: required object");
  ring.current.key_id = StringOr(*current, "key_id");
  ring.current.public_key = StringOr(*current, "public_key");
  auto secret = auth::FromHex(StringOr(*current, "secret_key"));
  if (!secret || secret->size() != crypto_sign_SECRETKEYBYTES) {
    return bad("/current/secret_key: expected " + std::to_string(2 * crypto_sign_SECRETKEYBYTES) +
               " hex characters");
  }
  ring.current.secret = std::move(*secret);
  std::string derived(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(derived.data()),
                               reinterpret_cast<const unsigned char*>(ring.current.secret.data()));
  if (auth::ToHex(derived) != ring.current.public_key) {
    return bad("/current/public_key does not belong to /current/secret_key");
  }
  if (KeyIdOf(ring.current.public_key) != ring.current.key_id) {
    return bad("/current/key_id does not match /current/public_key");
  }
  const auto keys = j.find("keys");
  if (keys == j.end() || !keys->is_array()) return bad("/keys: required array");
  for (std::size_t i = 0; i < keys->size(); ++i) {
    auto k = KeyInfoFromJson((*keys)[i], "/keys/" + std::to_string(i));
    if (!k) return bad(k.error().message);
    if (auto ok = ring.keys.Add(*k); !ok) return bad(ok.error().message);
  }
  if (ring.keys.Find(ring.current.key_id) == nullptr) return bad("/current is not in /keys");
  return ring;
}

Result<std::optional<KeyRing>> ReadRing(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::optional<KeyRing>();
    return Fail(ErrorCode::kUnavailable, Errno("cannot stat key ring file", path));
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(ErrorCode::kInvalidArgument, "key ring file " + path + " is not a regular file");
  }
  if (st.st_uid != ::geteuid()) {
    return Fail(ErrorCode::kInvalidArgument,
                "key ring file " + path + " is not owned by this process's user");
  }
  if ((st.st_mode & 077) != 0) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "key ring file " + path + " must be readable by its owner only (chmod 600 " + path + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, Errno("cannot open key ring file", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  auto ring = ParseRing(path, text);
  sodium_memzero(text.data(), text.size());
  if (!ring) return Fail(ring.error());
  return std::optional<KeyRing>(std::move(*ring));
}

// Fixed-width form for comparison: "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ".
std::optional<std::string> NormaliseTimestamp(std::string_view t) {
  if (t.size() < 20 || t.back() != 'Z' || t[4] != '-' || t[7] != '-' || t[10] != 'T' ||
      t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
  }
  std::string fraction;
  if (t.size() > 20) {
    if (t[19] != '.' || t.size() == 21) return std::nullopt;
    fraction = std::string(t.substr(20, t.size() - 21));
    for (const char c : fraction) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  if (fraction.size() > 9) fraction.resize(9);
  fraction.append(9 - fraction.size(), '0');
  return std::string(t.substr(0, 19)) + "." + fraction + "Z";
}

}  // namespace

std::string KeyIdOf(std::string_view public_key_hex) {
  auto raw = auth::FromHex(public_key_hex);
  return Sha256Hex(raw ? *raw : std::string(public_key_hex)).substr(0, 32);
}

std::string RotationMessage(const KeyInfo& k) {
  const json statement = {{"type", "corridor-key-rotation"},
                          {"old_key_id", k.replaces},
                          {"new_key_id", k.key_id},
                          {"new_public_key", k.public_key},
                          {"time", k.created}};
  return Canonicalize(statement).value_or("");
}

Result<void> PublicKeys::Add(const KeyInfo& key) {
  if (!IsHex(key.public_key, 64) || KeyIdOf(key.public_key) != key.key_id) {
    return Fail(ErrorCode::kInvalidArgument,
                "key " + key.key_id + ": key_id does not match its public key");
  }
  if (!key.replaces.empty()) {
    const KeyInfo* old = Find(key.replaces);
    if (old == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "key " + key.key_id + " replaces " + key.replaces + ", which is not known");
    }
    if (!auth::VerifySignatureHex(old->public_key, RotationMessage(key), key.rotation_signature)) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "key " + key.key_id + ": its rotation statement is not signed by key " + key.replaces);
    }
  }
  for (auto& k : keys_) {
    if (k.key_id != key.key_id) continue;
    if (k.public_key != key.public_key) {
      return Fail(ErrorCode::kConflict, "key " + key.key_id + " is known with another public key");
    }
    if (!key.retired.empty()) k.retired = key.retired;
    // An earlier compromise time wins: it invalidates more.
    if (!key.compromised_from.empty() &&
        (k.compromised_from.empty() ||
         CompareTimestamps(key.compromised_from, k.compromised_from).value_or(0) < 0)) {
      k.compromised_from = key.compromised_from;
    }
    return {};
  }
  keys_.push_back(key);
  return {};
}

Result<void> PublicKeys::Add(const KeyInfo& key, std::string_view owner) {
  if (!owner.empty()) {
    const auto it = owners_.find(key.key_id);
    if (it != owners_.end() && !it->second.empty() && it->second != owner) {
      return Fail(ErrorCode::kConflict, "key " + key.key_id + " belongs to " + it->second +
                                            ", not to " + std::string(owner));
    }
  }
  if (auto ok = Add(key); !ok) return ok;
  if (!owner.empty()) owners_[key.key_id] = std::string(owner);
  return {};
}

std::string PublicKeys::OwnerOf(std::string_view key_id) const {
  const auto it = owners_.find(key_id);
  return it == owners_.end() ? std::string() : it->second;
}

void PublicKeys::SetOwner(std::string_view owner) {
  for (const auto& k : keys_) owners_[k.key_id] = std::string(owner);
}

const KeyInfo* PublicKeys::Find(std::string_view key_id) const {
  for (const auto& k : keys_) {
    if (k.key_id == key_id) return &k;
  }
  return nullptr;
}

json PublicKeys::ToJson(std::string_view organisation) const {
  json keys = json::array();
  for (const auto& k : keys_) keys.push_back(KeyInfoToJson(k));
  return {{"format", kPublicFormat}, {"organisation", std::string(organisation)}, {"keys", keys}};
}

Result<PublicKeys> PublicKeys::FromJson(const json& j, const std::string& label) {
  const auto bad = [&](const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, label + ": " + why);
  };
  if (!j.is_object()) return bad("/: expected a JSON object");
  if (StringOr(j, "format") != kPublicFormat) {
    return bad("/format: expected \"" + std::string(kPublicFormat) + "\"");
  }
  const auto keys = j.find("keys");
  if (keys == j.end() || !keys->is_array()) return bad("/keys: required array");
  PublicKeys out;
  const auto org_it = j.find("organisation");
  const std::string owner =
      org_it != j.end() && org_it->is_string() ? org_it->get<std::string>() : std::string();
  for (std::size_t i = 0; i < keys->size(); ++i) {
    auto k = KeyInfoFromJson((*keys)[i], "/keys/" + std::to_string(i));
    if (!k) return bad(k.error().message);
    if (auto ok = out.Add(*k, owner); !ok)
      return bad("/keys/" + std::to_string(i) + ": " + ok.error().message);
  }
  return out;
}

SigningKey NewSigningKey() {
  if (auto ok = auth::InitCrypto(); !ok) throw std::runtime_error(ok.error().message);
  std::string pk(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string sk(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(pk.data()),
                      reinterpret_cast<unsigned char*>(sk.data()));
  SigningKey key;
  key.public_key = auth::ToHex(pk);
  key.key_id = KeyIdOf(key.public_key);
  key.secret = std::move(sk);
  return key;
}

SigningKey SigningKeyFrom(const auth::InstanceKeys& keys) {
  SigningKey key;
  key.public_key = keys.PublicKeyHex();
  key.key_id = KeyIdOf(key.public_key);
  key.secret = keys.sign_secret;
  return key;
}

Result<std::string> SigningMessage(const json& object) {
  if (!object.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected an object");
  return CanonicalizeWithoutExtension(object, kSignatureExtensionId);
}

Result<json> Sign(json object, const SigningKey& key) {
  auto message = SigningMessage(object);
  if (!message) return Fail(message.error());
  if (object.contains("extensions") && !object["extensions"].is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "/extensions: expected an object");
  }
  auth::InstanceKeys signer;
  signer.sign_public = auth::FromHex(key.public_key).value_or("");
  signer.sign_secret = key.secret;
  const std::string signature = auth::SignHex(signer, *message);
  object["extensions"][std::string(kSignatureExtensionId)] = {
      {"extension_type", "property-extension"},
      {"algorithm", "ed25519"},
      {"key_id", key.key_id},
      {"signature", signature}};
  return object;
}

Result<VerifiedSignature> Verify(const json& object, const PublicKeys& known) {
  const std::string pointer = "/extensions/" + std::string(kSignatureExtensionId);
  const auto denied = [](std::string why) {
    return Fail(ErrorCode::kPermissionDenied, std::move(why));
  };
  if (!object.is_object()) return denied("/: expected an object");
  const auto ext = object.find("extensions");
  const json* sig = nullptr;
  if (ext != object.end() && ext->is_object()) {
    const auto it = ext->find(std::string(kSignatureExtensionId));
    if (it != ext->end()) sig = &*it;
  }
  if (sig == nullptr) return denied(pointer + ": missing: the object is not signed");
  if (!sig->is_object()) return denied(pointer + ": expected an object");
  if (StringOr(*sig, "algorithm") != "ed25519")
    return denied(pointer + "/algorithm: expected \"ed25519\"");
  const auto key_id = sig->find("key_id");
  const auto signature = sig->find("signature");
  if (key_id == sig->end() || !key_id->is_string())
    return denied(pointer + "/key_id: required string");
  if (signature == sig->end() || !signature->is_string() ||
      !IsHex(signature->get<std::string>(), 128)) {
    return denied(pointer + "/signature: expected 128 lower-case hex characters");
  }
  const KeyInfo* key = known.Find(key_id->get<std::string>());
  if (key == nullptr) {
    return denied("signed by unknown key " + key_id->get<std::string>());
  }
  auto message = SigningMessage(object);
  if (!message) return denied(message.error().message);
  if (!auth::VerifySignatureHex(key->public_key, *message, signature->get<std::string>())) {
    return denied("signature by key " + key->key_id +
                  " does not verify: the object was changed after signing, or another key "
                  "signed it");
  }
  if (!key->compromised_from.empty()) {
    const std::string modified = StringOr(object, "modified", StringOr(object, "created"));
    const auto cmp = CompareTimestamps(modified, key->compromised_from);
    if (!cmp || *cmp >= 0) {
      return denied("signed by key " + key->key_id + ", compromised from " + key->compromised_from +
                    "; the object was modified at " +
                    (modified.empty() ? std::string("an unknown time") : modified));
    }
  }
  return VerifiedSignature{key->key_id};
}

std::optional<int> CompareTimestamps(std::string_view a, std::string_view b) {
  const auto na = NormaliseTimestamp(a);
  const auto nb = NormaliseTimestamp(b);
  if (!na || !nb) return std::nullopt;
  return na->compare(*nb) < 0 ? -1 : (*na == *nb ? 0 : 1);
}

Result<KeyRing> LoadOrCreateKeyRing(const std::string& path,
                                    const auth::InstanceKeys& instance_keys,
                                    const std::string& now) {
  auto existing = ReadRing(path);
  if (!existing) return Fail(existing.error());
  if (*existing) return std::move(**existing);
  KeyRing ring;
  ring.current = SigningKeyFrom(instance_keys);
  KeyInfo first;
  first.key_id = ring.current.key_id;
  first.public_key = ring.current.public_key;
  first.created = now;
  if (auto ok = ring.keys.Add(first); !ok) return Fail(ok.error());
  if (auto ok = WritePrivateFile(path, RingText(ring)); !ok) return Fail(ok.error());
  return ring;
}

Result<KeyRing> RotateKeyRing(const std::string& path, const auth::InstanceKeys& instance_keys,
                              const std::string& now) {
  auto ring = LoadOrCreateKeyRing(path, instance_keys, now);
  if (!ring) return ring;
  SigningKey next = NewSigningKey();
  KeyInfo info;
  info.key_id = next.key_id;
  info.public_key = next.public_key;
  info.created = now;
  info.replaces = ring->current.key_id;
  auth::InstanceKeys old;
  old.sign_secret = ring->current.secret;
  info.rotation_signature = auth::SignHex(old, RotationMessage(info));
  KeyInfo retired = *ring->keys.Find(ring->current.key_id);
  retired.retired = now;
  if (auto ok = ring->keys.Add(retired); !ok) return Fail(ok.error());
  if (auto ok = ring->keys.Add(info); !ok) return Fail(ok.error());
  ring->current = std::move(next);
  if (auto ok = WritePrivateFile(path, RingText(*ring)); !ok) return Fail(ok.error());
  return ring;
}

Result<KeyRing> MarkKeyCompromised(const std::string& path, const auth::InstanceKeys& instance_keys,
                                   const std::string& key_id, const std::string& from) {
  if (!CompareTimestamps(from, from)) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "--from: expected an RFC 3339 UTC timestamp (2026-12-01T00:00:00Z), got '" + from + "'");
  }
  auto ring = LoadOrCreateKeyRing(path, instance_keys, from);
  if (!ring) return ring;
  const KeyInfo* found = ring->keys.Find(key_id);
  if (found == nullptr) return Fail(ErrorCode::kNotFound, "no signing key " + key_id);
  KeyInfo changed = *found;
  changed.compromised_from = from;
  if (auto ok = ring->keys.Add(changed); !ok) return Fail(ok.error());
  if (auto ok = WritePrivateFile(path, RingText(*ring)); !ok) return Fail(ok.error());
  return ring;
}

}  // namespace corridor::stix
