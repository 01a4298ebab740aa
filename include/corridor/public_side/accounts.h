// Staff accounts of the public side (issue 13 §1): one call per use case,
// shared by `corridor public users …` and whatever front comes next. Each
// change commits with its entry on the public audit chain in one transaction.
//
// Who may: a public-admin account, or the operator (a shell that holds the
// public store and its key file: how the first administrator is made, as
// `corridor users add` is on the security side). Roles are checked against
// the account as stored inside the same transaction as the change, never
// against what was read when the caller signed in.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/public_account.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

// The account behind an API token. kUnauthenticated, with one message for
// every cause (unknown, revoked, expired, account disabled), so a guess
// learns nothing. `now` is an RFC 3339 UTC time (NowTimestamp()).
Result<model::PublicAccount> Authenticate(const store::Database& db, std::string_view token,
                                          std::string_view now);

// kPermissionDenied naming the role, unless the stored, enabled account `name`
// holds `role`. For use inside a write transaction (decided at the point of use).
Result<model::PublicAccount> RequireRole(store::Transaction& tx, const std::string& name,
                                         model::PublicRole role);

Result<model::PublicAccount> AddAccount(store::Database& db, PublicAuditLog& audit,
                                        const PublicCaller& caller, const std::string& name,
                                        std::vector<model::PublicRole> roles);
// Replaces the roles (compare-and-set against the account as read in the same
// transaction). kInvalidArgument for no role, kNotFound for no account.
Result<model::PublicAccount> SetAccountRoles(store::Database& db, PublicAuditLog& audit,
                                             const PublicCaller& caller, const std::string& name,
                                             std::vector<model::PublicRole> roles);
// Disables the account and revokes its tokens in one transaction.
Result<model::PublicAccount> DisableAccount(store::Database& db, PublicAuditLog& audit,
                                            const PublicCaller& caller, const std::string& name);
Result<std::vector<model::PublicAccount>> ListAccounts(const store::Database& db,
                                                       const PublicCaller& caller);

struct IssuedToken {
  std::string token;  // shown once; the store keeps its digest only
  model::PublicToken stored;
};
// An API token for `name`, valid `days` (1 to 365), for the account itself,
// a public-admin or the operator. kInvalidArgument for a disabled account.
Result<IssuedToken> IssueToken(store::Database& db, PublicAuditLog& audit,
                               const PublicCaller& caller, const std::string& name, int days);

}  // namespace corridor::public_side
