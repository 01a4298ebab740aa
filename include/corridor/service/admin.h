// The administrator's use cases (issue 17 item 7, docs/security.md
// "Administration"), shared by the admin console's routes under
// /api/v1/admin/ and the `corridor orgs|users|tokens|audit|sync list`
// commands.
//
// Who may do what:
//   - organisations, users and tokens need `manage-accounts` (the admin role);
//   - the audit log and its verification need `read-audit` (the admin role);
//   - the partners' sync status needs `manage-accounts` (a partner is an
//     account of another instance; its token stays sealed, never shown).
// Others get kPermissionDenied. The CLI's operator (no $CORRIDOR_TOKEN) holds
// the store file and may run them all.
//
// Every change is audited ("admin", with what changed in the detail) in the
// same call; a change whose audit entry cannot be written is reported as
// kUnavailable after it was made (the accounts store and the audit log are
// separate writes, as in the CLI before this layer).
// Secrets are shown once: the TOTP secret of a new account, a new token.
// Nothing here reads marked data, so nothing here audits reads.
#pragma once

#include <cstdint>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "corridor/auth/accounts.h"
#include "corridor/auth/audit.h"
#include "corridor/risk/budget.h"
#include "corridor/service/schema.h"
#include "corridor/service/service.h"

namespace corridor::service {

// Every list of the console is paged in the order of its key (organisation
// and partner names, usernames, token ids in (account, created) order):
// at most `limit` rows (1..1000) after the row whose key is `cursor`.
struct AdminListParams {
  int limit = 100;
  std::string cursor;  // a previous page's next_cursor; "" from the first row
  static const ParamSchema<AdminListParams>& Schema();
  Result<void> Validate() const;
};

template <typename T>
struct ListPage {
  std::vector<T> items;
  std::string next_cursor;  // "" on the last page
};

// Every row of a paged list, read 1,000 at a time (the CLI prints them all).
template <typename T, typename List>
Result<std::vector<T>> AllPages(List list) {
  std::vector<T> out;
  AdminListParams p;
  p.limit = 1000;
  do {
    Result<ListPage<T>> page = list(p);
    if (!page) return Fail(page.error());
    std::move(page->items.begin(), page->items.end(), std::back_inserter(out));
    p.cursor = page->next_cursor;
  } while (!p.cursor.empty());
  return out;
}

Result<ListPage<model::Organisation>> ListOrganisations(const Context& ctx, const Caller& caller,
                                                        const AdminListParams& p);

struct AddOrganisationParams {
  std::string name;                       // unique, e.g. "CN-MPS"
  std::vector<std::string> trust_groups;  // at most 20
  bool own = false;                       // this instance's own agency
};
Result<model::Organisation> AddOrganisation(const Context& ctx, auth::Accounts& accounts,
                                            const Caller& caller, const AddOrganisationParams& p);

Result<ListPage<model::User>> ListUsers(const Context& ctx, const Caller& caller,
                                        const AdminListParams& p);

struct AddUserParams {
  std::string username;
  std::string org;
  std::vector<std::string> roles;  // admin | analyst | committee | site-security
  std::string password;            // never audited, never echoed
};
// The account and, for roles that read TLP:RED, its TOTP secret (shown once).
// kInvalidArgument names the field ("/roles/1", "/password").
Result<auth::NewUser> AddUser(const Context& ctx, auth::Accounts& accounts, const Caller& caller,
                              const AddUserParams& p);

struct SetRolesParams {
  std::string username;
  std::vector<std::string> roles;  // the whole new set: admin alone, or reading roles
};
// Gives an account exactly `roles`, ends its sessions and revokes its tokens
// (audited with the roles before and after). Admin and partner are never
// given to or taken from an existing account (kInvalidArgument "/roles: ...").
// An administrator cannot change their own roles (kConflict). Over the
// network (kPermissionDenied) only accounts of the administrator's own
// organisation change, and roles that read TLP:RED are not given to an
// account without a second factor: that is done at the instance (`corridor
// users roles`), where the second factor's secret, returned once in the
// answer, reaches only its holder.
Result<auth::NewUser> SetUserRoles(const Context& ctx, auth::Accounts& accounts,
                                   const Caller& caller, const SetRolesParams& p);

// Ends the user's sessions and revokes their tokens. An administrator cannot
// disable their own account (kConflict): the last administrator
// would lock everybody out of the console.
Result<void> DisableUser(const Context& ctx, auth::Accounts& accounts, const Caller& caller,
                         const std::string& username);

Result<ListPage<model::ApiToken>> ListTokens(const Context& ctx, const Caller& caller,
                                             const AdminListParams& p);
Result<auth::NewToken> CreateToken(const Context& ctx, auth::Accounts& accounts,
                                   const Caller& caller, const std::string& username,
                                   const std::string& label);
Result<void> RevokeToken(const Context& ctx, auth::Accounts& accounts, const Caller& caller,
                         const std::string& id);

// The audit log, filtered. `limit` bounds every answer (1..1000 from the API).
struct AuditListParams {
  std::string actor, object, action;
  std::string since, until;  // RFC 3339; since inclusive, until exclusive
  int limit = 100;
  bool newest_first = true;
  static const ParamSchema<AuditListParams>& Schema();
  Result<void> Validate() const;
};
Result<std::vector<model::AuditEntry>> ListAudit(const Context& ctx, const Caller& caller,
                                                 const AuditListParams& p);

// Checks every entry's hash and link and every stored checkpoint's signature
// (auth::AuditLog::Verify, in batches, up to the head when it began),
// optionally against an anchor kept elsewhere. Under `budget` (null:
// unlimited), with progress: over the API it is the analysis "audit.verify"
// (service/analyses.h), so a log too long for one request runs as a job.
Result<auth::ChainReport> VerifyAudit(const Context& ctx, const Caller& caller,
                                      const std::optional<model::AuditCheckpoint>& anchor,
                                      const risk::Budget* budget = nullptr);

Result<ListPage<store::Partner>> ListPartners(const Context& ctx, const Caller& caller,
                                              const AdminListParams& p);

// The JSON forms (the API's bodies and the CLI's --json lines). Never the
// password hash, the sealed TOTP seed, a token's digest or a partner's token.
nlohmann::json ToJson(const model::Organisation& o);
nlohmann::json ToJson(const model::User& u);
nlohmann::json ToJson(const auth::NewUser& u);
nlohmann::json ToJson(const model::ApiToken& t);
nlohmann::json ToJson(const auth::NewToken& t);
nlohmann::json ToJson(const model::AuditEntry& e);
nlohmann::json ToJson(const auth::ChainReport& r);
nlohmann::json ToJson(const store::Partner& p);

}  // namespace corridor::service
