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

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/public_account.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

// The account behind a token of `kind` ("api": Authorization: Bearer; "session":
// the staff pages' cookie). kUnauthenticated, with one message for every cause
// (unknown, revoked, expired, another kind, account disabled), so a guess
// learns nothing. `now` is an RFC 3339 UTC time (NowTimestamp()).
Result<model::PublicAccount> Authenticate(const store::Database& db, std::string_view token,
                                          std::string_view now, std::string_view kind = "api");

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

// An account's tokens (API tokens and staff sessions), newest first, for the
// account itself, a public-admin or the operator. Digests only: no token is
// ever shown again.
Result<std::vector<model::PublicToken>> ListTokens(const store::Database& db,
                                                   const PublicCaller& caller,
                                                   const std::string& name);
// Revokes the one live token of `name` whose digest starts with
// `digest_prefix` (8 to 64 hex digits, as ListTokens shows it): a lost phone's
// session or a leaked script token, without disabling the account. Audited
// ("token-revoke", the prefix). kNotFound when none matches, kInvalidArgument
// when several do (give more digits).
Result<void> RevokeToken(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                         const std::string& name, const std::string& digest_prefix);

// --- Staff sign-in to the portal's staff pages (docs/public.md "Staff pages") ---

inline constexpr std::int64_t kStaffSessionSeconds = std::int64_t{12} * 3600;  // one working day
// A sign-in deletes the account's tokens that expired longer ago than this.
inline constexpr std::int64_t kExpiredTokensKeptSeconds = std::int64_t{30} * 86400;

// Sets `name`'s password (auth::CheckPasswordPolicy: 12 to 256 characters),
// for the account itself, a public-admin or the operator, and ends the
// account's staff sessions. Audited ("password-set", the sessions ended;
// never the password). kNotFound for no account.
Result<void> SetPassword(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                         const std::string& name, std::string_view password);

struct StaffSession {
  std::string token;  // the cookie's value; the store keeps its digest, as for API tokens
  model::PublicAccount account;
  std::string expires_at;
};
// Signs `name` in with `password`: a token valid kStaffSessionSeconds, audited
// ("sign-in"). kUnauthenticated with one message for every cause (unknown
// account, no password set, wrong password, disabled), taking about the same
// time; each failure is audited ("sign-in-failed", with the cause) under the
// account's name when there is such an account, else as "anonymous" (what was
// typed never reaches the chain). The session is a token of kind "session".
Result<StaffSession> SignIn(store::Database& db, PublicAuditLog& audit, std::string_view name,
                            std::string_view password);
// Revokes the session's token (audited "sign-out"); signing out twice is not an error.
Result<void> SignOut(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                     std::string_view token);

}  // namespace corridor::public_side
