// The public side's use cases (issue 13 §1, §3): one call each, shared by the
// `corridor public` commands and the public HTTP API. Each write commits its
// change and its audit entry in one transaction of the public store, on the
// public side's own hash-chained audit log (auth/audit.h rules, its own
// tables and its own instance key: never the security side's).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "corridor/auth/audit.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/model/project.h"
#include "corridor/model/public_account.h"
#include "corridor/public_side/grouping.h"
#include "corridor/store/public_store.h"

namespace corridor::public_side {

// Who is acting: an authenticated account, or the operator (no account): a
// shell holding the public store and its key file.
struct PublicCaller {
  std::string actor;  // the account's name, or "cli:<login>" for the operator
  std::optional<model::PublicAccount> account;

  static PublicCaller Operator(std::string actor) { return {std::move(actor), std::nullopt}; }
  static PublicCaller Of(model::PublicAccount a) { return {a.name, std::move(a)}; }
};

class PublicAuditLog {
 public:
  // `db` and `keys` must outlive this object.
  PublicAuditLog(store::Database& db, const auth::InstanceKeys& keys) : db_(db), keys_(keys) {}
  // Appends one sealed entry inside `tx` (a write transaction of the public store).
  Result<model::AuditEntry> Record(store::Transaction& tx, const std::string& actor,
                                   const std::string& action, std::vector<std::string> objects,
                                   std::string detail = "{}");
  // Signs a checkpoint of the head with the public instance key (nullopt on an empty log).
  Result<std::optional<model::AuditCheckpoint>> Checkpoint();
  // Verifies the whole chain and its checkpoints against the public key.
  Result<auth::ChainReport> Verify() const;
  // The public instance key (seals residents' contacts: public_side/grievances.h).
  const auth::InstanceKeys& keys() const { return keys_; }

 private:
  store::Database& db_;
  const auth::InstanceKeys& keys_;
  std::unique_ptr<store::PublicAuditStore> audit_ = store::NewPublicAuditStore();
};

struct AreasSummary {
  std::size_t areas = 0, points = 0;  // points after simplification
};
// Reads the outlines of an OCHA COD-AB file at `level` (projects/areas.h) and
// replaces the stored areas of that level for the portal's map, with one
// audit entry ("areas-load"), in one transaction. By the operator or a
// public-admin (kPermissionDenied otherwise).
Result<AreasSummary> LoadAreas(store::Database& db, PublicAuditLog& audit,
                               const PublicCaller& caller, std::string_view geojson, int level);

// Every project, by name (for exports and the portal).
Result<std::vector<model::Project>> AllProjects(const store::Database& db);

// Disclosure changes follow the two-person rule: one editor proposes, another
// approves. `actor` is an account name; it must be an enabled account holding
// disclosure-editor as stored when the change is written (kPermissionDenied
// otherwise; public_side/accounts.h). RequestDisclosure records the proposal with the field's
// current disclosure (audited "disclosure-request"); kInvalidArgument for a bad field, state or
// reason (model::CheckDisclosure), kNotFound for an unknown project.
Result<store::DisclosureRequest> RequestDisclosure(store::Database& db, PublicAuditLog& audit,
                                                   const std::string& actor,
                                                   const std::string& project_id,
                                                   const model::FieldDisclosure& to);
// Approves (applies) or rejects a pending request, audited ("disclosure-approve" with
// the old and new state, or "disclosure-reject"). kPermissionDenied when `actor`
// made the request; kConflict when it is no longer pending, or when the field's
// disclosure changed since the request (a stale approval is never applied);
// kNotFound for an unknown request.
Result<void> DecideDisclosure(store::Database& db, PublicAuditLog& audit, const std::string& actor,
                              const std::string& request_id, bool approve);

// The public instance key file: --keys, else $CORRIDOR_PUBLIC_KEYS, else
// "<public store>.public-keys". Never the security side's "<db>.keys".
// kInvalidArgument when the store is a PostgreSQL URI and neither names a
// file (a key never lives beside a server's database, and never in it).
Result<std::string> PublicKeysPath(const std::string& db, const std::string& keys_flag);

}  // namespace corridor::public_side
