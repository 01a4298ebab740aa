// The security model's data types (issue 3, docs/security.md): markings,
// distributions, organisations, users, tokens, sessions and audit entries.
// The rules over them live in corridor/auth/policy.h; the store persists them.
// Users are accounts of agency staff acting in a role: no attribute here
// describes a person beyond the username and the organisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corridor::model {

// TLP 2.0, least to most restrictive (the order Strictness() compares).
enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };
inline constexpr int kTlpCount = 5;
std::string_view TlpName(Tlp t);                   // "TLP:CLEAR", ..., "TLP:AMBER+STRICT", "TLP:RED"
std::optional<Tlp> ParseTlp(std::string_view name);  // exactly those spellings
inline int Strictness(Tlp t) { return static_cast<int>(t); }

// Who, beyond the defaults of the marking, may see an object: named users
// (RED), named organisations (AMBER, AMBER+STRICT) or one trust group (GREEN).
// Identified by name (usernames, organisation names, trust group names),
// which are unique and never reused on an instance.
struct Distribution {
  std::vector<std::string> users;
  std::vector<std::string> organisations;
  std::string trust_group;
  friend bool operator==(const Distribution&, const Distribution&) = default;
};

// The marking of one security-side object and whose it is.
struct Marking {
  Tlp tlp = Tlp::kAmber;
  Distribution distribution;
  std::string author;        // username ("" for imported public data)
  std::string author_org;    // organisation name ("" for imported public data)
  friend bool operator==(const Marking&, const Marking&) = default;
};

// kPartner is the account a partner instance's sync client signs in with: it
// reads (up to AMBER+STRICT, never RED) and exports, over TAXII and /api/v1 alike.
enum class Role { kAdmin, kAnalyst, kCommittee, kSiteSecurity, kPartner };
inline constexpr int kRoleCount = 5;
std::string_view RoleName(Role r);  // "admin", "analyst", "committee", "site-security", "partner"
std::optional<Role> ParseRole(std::string_view name);

struct Organisation {
  std::string name;                       // unique, e.g. "PK-NACTA"
  std::vector<std::string> trust_groups;  // e.g. {"bilateral", "regional"}
  bool own = false;                       // the instance's own agency
  std::string created;
  friend bool operator==(const Organisation&, const Organisation&) = default;
};

struct User {
  std::string username;  // unique; an account name, not a person's details
  std::string org;
  std::vector<Role> roles;
  std::string password_hash;  // Argon2id (crypto_pwhash_str), never the password
  std::string totp_sealed;    // the TOTP seed sealed with the instance key ("" = none)
  std::int64_t totp_last_step = 0;  // the last accepted time step (no code is used twice)
  bool disabled = false;
  std::string created;
  friend bool operator==(const User&, const User&) = default;
};

// A bearer token for scripts and partner instances; only its digest is stored.
struct ApiToken {
  std::string id;        // short public id, shown in lists and used to revoke
  std::string username;
  std::string digest;    // SHA-256 hex of the token
  std::string label;
  std::string created;
  std::string revoked;   // RFC 3339, "" while valid
};

// A browser session; only the digest of the cookie value is stored.
struct Session {
  std::string digest;     // SHA-256 hex of the cookie value
  std::string username;
  std::string csrf_token;
  bool mfa = false;       // signed in with the second factor
  std::string created;    // absolute expiry counts from here
  std::string last_seen;  // idle expiry counts from here
};

// One entry of the hash-chained audit log (docs/security.md).
struct AuditEntry {
  std::int64_t seq = 0;          // 1, 2, 3, ... with no gaps
  std::string time;              // RFC 3339 UTC
  std::string actor;             // username, "" for the system, "anonymous" on failed sign-in
  std::string action;            // "sign-in", "sign-in-failed", "read", "write", "marking",
                                 // "approve", "search", "export", "admin", ...
  std::vector<std::string> objects;  // ids of the objects concerned
  std::string detail;            // JSON object text with action-specific fields
  std::string prev_hash;         // hash of entry seq-1 (64 zeros for the first)
  std::string hash;              // SHA-256 hex over the canonical form (auth/audit.h)
  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// A signed statement of the log's head: "entries 1..count end in head_hash".
struct AuditCheckpoint {
  std::int64_t count = 0;
  std::string head_hash;
  std::string time;
  std::string public_key;  // Ed25519, hex
  std::string signature;   // Ed25519 over CheckpointMessage(), hex
  friend bool operator==(const AuditCheckpoint&, const AuditCheckpoint&) = default;
};

}  // namespace corridor::model
