// `corridor orgs|users|tokens|audit`: the security model's administration
// (docs/security.md), and the instance key and identity every command that
// reads marked data or writes the audit log shares.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "corridor/auth/accounts.h"
#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/store/store.h"

namespace corridor::cli {

// The instance key file of a store: `<db>.keys` beside an SQLite file, or
// $CORRIDOR_KEYS when set.
std::string KeysPathFor(const std::string& db);

// A store with its instance key, accounts and audit log, opened together.
struct SecureStore {
  std::unique_ptr<store::Store> store;
  auth::InstanceKeys keys;
  std::unique_ptr<auth::Accounts> accounts;
  std::unique_ptr<auth::AuditLog> audit;
};
Result<std::unique_ptr<SecureStore>> OpenSecureStore(const std::string& db, bool create);

// Who a CLI command acts for. With $CORRIDOR_TOKEN set (a bearer token from
// `corridor tokens create`), the token's user, deciding with the same policy
// as the API; without, the machine's operator, who reads TLP:CLEAR data only.
struct CliIdentity {
  std::string actor;                         // username, or "cli-operator"
  std::optional<auth::Principal> principal;  // set with a token
  store::Viewer viewer;
  // auth::Decide for the token's user; always allowed for the operator
  // (who is limited to CLEAR data by `viewer`).
  // `object`: the marking of the object the action concerns, if any.
  Result<void> Check(auth::Action action, const model::Marking* object = nullptr) const;
};
Result<CliIdentity> CliIdentityOf(SecureStore& s);

// Adds orgs, users, tokens and audit to `app`; `db` and `json` are read when
// a command runs; `status` receives the exit status (0, 1 failed, 2 usage).
void AddSecurityCommands(CLI::App& app, const std::string& db, const bool& json, int& status);

}  // namespace corridor::cli
