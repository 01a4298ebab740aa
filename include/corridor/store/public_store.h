// The public side's store (issue 13 §1): a separate database of kind
// "public" (its own SQLite file, application id "CorP"), with its own module
// sequence and its own audit chain. It shares only the typed SQL layer
// (corridor_store_sql) with the security store and never links it: the
// security side's store::Store has no method here, and this library is not
// linked into the security server (tests/public/link_graph_test.cc).
//
// Aggregates, each a small interface whose methods run in the caller's
// Transaction (corridor/store/database.h):
//   ProjectStore      projects with their financing records and disclosure
//   PublicAuditStore  the public side's hash-chained audit entries and checkpoints
//   PublicAccountStore  staff accounts of the public role family, and their API tokens
//   AreaStore         outlines of provinces and districts for the portal's map
//   GrievanceStore    residents' grievances and their history (store/grievance_store.h)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/area_outline.h"
#include "corridor/model/project.h"
#include "corridor/model/public_account.h"
#include "corridor/model/security.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct ProjectFilter {
  std::string district;   // ADM2 P-code ("" = any)
  std::string sector;     // as stored, e.g. "Energy"
  std::string status;     // "pipeline", "implementation", "completion", "cancelled"
  std::string financier;  // one funding agency's exact name
  int limit = 100;        // 1..1000
  int offset = 0;         // >= 0
};

// The values each filter can take, with the number of projects for each.
struct ProjectFacets {
  struct Value {
    std::string value, label;  // label: the district's name; else the value
    std::int64_t count = 0;
    friend bool operator==(const Value&, const Value&) = default;
  };
  std::vector<Value> districts, sectors, statuses, financiers;  // by value
};

class ProjectStore {
 public:
  virtual ~ProjectStore() = default;
  // Writes a project and replaces its financing records; keeps the
  // disclosure already recorded for it (editors' decisions survive a
  // re-import). Returns true when it was new. kInvalidArgument for an empty id
  // or name, or a financing record already held by another project.
  virtual Result<bool> Upsert(Transaction& tx, const model::Project& project) = 0;
  virtual Result<std::optional<model::Project>> Get(Transaction& tx, const std::string& id) = 0;
  // Matching projects by name then id. kInvalidArgument for a bad limit/offset/status.
  virtual Result<std::vector<model::Project>> List(Transaction& tx, const ProjectFilter& f) = 0;
  virtual Result<std::int64_t> Count(Transaction& tx, const ProjectFilter& f) = 0;
  virtual Result<ProjectFacets> Facets(Transaction& tx) = 0;
  // Every project id, ascending.
  virtual Result<std::vector<std::string>> Ids(Transaction& tx) = 0;
  // Removes a project and its financing records and disclosure. False when absent.
  virtual Result<bool> Remove(Transaction& tx, const std::string& id) = 0;
  // Sets one field's disclosure. kInvalidArgument for a field not in
  // model::kDisclosableFields, or a withheld/coarsened state without a reason;
  // kNotFound for an unknown project.
  virtual Result<void> SetDisclosure(Transaction& tx, const std::string& project_id,
                                     const model::FieldDisclosure& d) = 0;
};

// A proposed disclosure change, applied only when a second editor approves it
// (the two-person rule, as for markings on the security side).
struct DisclosureRequest {
  std::string id;  // UUIDv4
  std::string project_id;
  model::FieldDisclosure from;  // the field's disclosure when the request was made
  model::FieldDisclosure to;
  std::string requested_by, requested_at;
  std::string state = "pending";  // "pending", "approved", "rejected"
  std::string decided_by, decided_at;
  friend bool operator==(const DisclosureRequest&, const DisclosureRequest&) = default;
};

class DisclosureRequestStore {
 public:
  virtual ~DisclosureRequestStore() = default;
  // kConflict when the id exists; kInvalidArgument for an empty id.
  virtual Result<void> Add(Transaction& tx, const DisclosureRequest& r) = 0;
  virtual Result<std::optional<DisclosureRequest>> Get(Transaction& tx, const std::string& id) = 0;
  // Requests in `state` ("" = all), oldest first: at most `limit` (1 to 1,000)
  // after skipping `offset` (kInvalidArgument outside those bounds).
  virtual Result<std::vector<DisclosureRequest>> List(Transaction& tx, const std::string& state,
                                                      int limit, int offset) = 0;
  // Moves a pending request to `state` ("approved" or "rejected"). False when
  // it was no longer pending (compare-and-set inside the write transaction).
  virtual Result<bool> Decide(Transaction& tx, const std::string& id, const std::string& state,
                              const std::string& by, const std::string& at) = 0;
};

class PublicAuditStore {
 public:
  virtual ~PublicAuditStore() = default;
  // Appends an entry already sealed by the caller (auth::SealEntry over Last()).
  // kConflict when its seq is not Last()->seq + 1 (another writer appended).
  virtual Result<void> Append(Transaction& tx, const model::AuditEntry& e) = 0;
  virtual Result<std::optional<model::AuditEntry>> Last(Transaction& tx) = 0;
  // Entries with seq >= from_seq, ascending, at most limit (1..100000).
  virtual Result<std::vector<model::AuditEntry>> List(Transaction& tx, std::int64_t from_seq,
                                                      int limit) = 0;
  virtual Result<void> AddCheckpoint(Transaction& tx, const model::AuditCheckpoint& c) = 0;
  virtual Result<std::vector<model::AuditCheckpoint>> Checkpoints(Transaction& tx) = 0;
};

// Staff accounts of the public role family (model/public_account.h) and their
// API tokens. A role of the security side cannot be stored: roles are
// model::PublicRole values. Thread safety: as every aggregate, one object per
// thread; the transaction carries the consistency.
class PublicAccountStore {
 public:
  virtual ~PublicAccountStore() = default;
  // Adds an account at version 1. kConflict when the name is taken;
  // kInvalidArgument for a bad name (model::CheckAccountName) or no role.
  virtual Result<void> Add(Transaction& tx, const model::PublicAccount& a) = 0;
  virtual Result<std::optional<model::PublicAccount>> Get(Transaction& tx,
                                                          const std::string& name) = 0;
  // Every account, by name.
  virtual Result<std::vector<model::PublicAccount>> List(Transaction& tx) = 0;
  // Writes `next`'s roles and disabled flag only when the stored account is
  // still at `expected.version` (compare-and-set); the version becomes
  // expected.version + 1. False when it changed since it was read; kNotFound
  // when there is no such account; kInvalidArgument for no role.
  virtual Result<bool> Update(Transaction& tx, const model::PublicAccount& expected,
                              const model::PublicAccount& next) = 0;
  // kConflict when the digest exists; kNotFound for an unknown account.
  virtual Result<void> AddToken(Transaction& tx, const model::PublicToken& t) = 0;
  virtual Result<std::optional<model::PublicToken>> FindToken(Transaction& tx,
                                                              const std::string& digest) = 0;
  // An account's tokens, newest first.
  virtual Result<std::vector<model::PublicToken>> Tokens(Transaction& tx,
                                                         const std::string& account) = 0;
  // Revokes every live token of the account; returns how many there were.
  virtual Result<std::int64_t> RevokeTokens(Transaction& tx, const std::string& account) = 0;
  // Revokes one token (a staff sign-out); false when no live token has `digest`.
  virtual Result<bool> RevokeToken(Transaction& tx, const std::string& digest) = 0;
  // Deletes the account's tokens, live or revoked, that expired before
  // `cutoff` (RFC 3339 UTC, the form expires_at is written in); returns how
  // many. A staff sign-in calls it (each adds a session); an account that
  // only ever uses API tokens is not pruned by it.
  virtual Result<std::int64_t> DeleteExpiredTokens(Transaction& tx, const std::string& account,
                                                   const std::string& cutoff) = 0;
  // Stores an account's password hash (auth::HashPassword; "" removes the
  // password, so the account cannot sign in to the staff pages). Not part of
  // model::PublicAccount, so the hash never travels with the account; does not
  // change its version. False for an unknown account.
  virtual Result<bool> SetPasswordHash(Transaction& tx, const std::string& name,
                                       const std::string& hash) = 0;
  // The stored hash ("" when none is set); nullopt for an unknown account.
  virtual Result<std::optional<std::string>> PasswordHash(Transaction& tx,
                                                          const std::string& name) = 0;
};

// Outlines of the areas the portal's map draws (model/area_outline.h,
// projects/areas.h), per level.
class AreaStore {
 public:
  virtual ~AreaStore() = default;
  // Replaces every area of `level` (1 or 2) with `areas`, in the caller's
  // transaction, so a map is never half of one load and half of another.
  // kInvalidArgument for another level, an area of another level, an empty or
  // repeated P-code.
  virtual Result<void> Replace(Transaction& tx, int level,
                               const std::vector<model::AreaOutline>& areas) = 0;
  // The areas of `level`, by P-code.
  virtual Result<std::vector<model::AreaOutline>> List(Transaction& tx, int level) = 0;
};

std::unique_ptr<ProjectStore> NewProjectStore();
std::unique_ptr<PublicAuditStore> NewPublicAuditStore();
std::unique_ptr<DisclosureRequestStore> NewDisclosureRequestStore();
std::unique_ptr<PublicAccountStore> NewPublicAccountStore();
std::unique_ptr<AreaStore> NewAreaStore();

// The public side's modules, in order ("public.projects", "public.audit",
// "public.accounts", "public.areas", "public.grievances").
const std::vector<Module>& PublicModules();

// Opens (creating when allowed) the public store at `location` with every
// public module migrated. kInvalidArgument when it is a security-side store.
Result<std::unique_ptr<Database>> OpenPublicDatabase(const std::string& location,
                                                     const DatabaseOptions& options = {});

}  // namespace corridor::store
