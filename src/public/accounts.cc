#include "corridor/public_side/accounts.h"

#include <nlohmann/json.hpp>

#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/store/public_store.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

json RolesJson(const std::vector<model::PublicRole>& roles) {
  json out = json::array();
  for (auto r : roles) out.push_back(std::string(model::PublicRoleName(r)));
  return out;
}

// Account administration: the operator, or an enabled public-admin as stored now.
Result<void> MayAdminister(store::Transaction& tx, const PublicCaller& caller) {
  if (!caller.account) return {};
  auto admin = RequireRole(tx, caller.account->name, model::PublicRole::kPublicAdmin);
  if (!admin) return Fail(admin.error());
  return {};
}

Result<model::PublicAccount> Existing(store::Transaction& tx, store::PublicAccountStore& accounts,
                                      const std::string& name) {
  auto a = accounts.Get(tx, name);
  if (!a) return Fail(a.error());
  if (!*a) return Fail(ErrorCode::kNotFound, "no account " + name);
  return std::move(**a);
}

// Writes `next` over `current` (read in this transaction) and audits it.
Result<model::PublicAccount> Change(store::Transaction& tx, store::PublicAccountStore& accounts,
                                    PublicAuditLog& audit, const PublicCaller& caller,
                                    const model::PublicAccount& current,
                                    const model::PublicAccount& next, const std::string& action,
                                    const json& detail) {
  auto written = accounts.Update(tx, current, next);
  if (!written) return Fail(written.error());
  if (!*written) {
    return Fail(ErrorCode::kConflict, "account " + current.name + " changed meanwhile; try again");
  }
  if (auto e = audit.Record(tx, caller.actor, action, {current.name}, detail.dump()); !e) {
    return Fail(e.error());
  }
  return Existing(tx, accounts, current.name);
}

}  // namespace

Result<model::PublicAccount> Authenticate(const store::Database& db, std::string_view token,
                                          std::string_view now) {
  const Error refused{ErrorCode::kUnauthenticated, "invalid, expired or revoked token"};
  if (token.empty() || token.size() > 256) return Fail(refused);
  const std::string digest = auth::TokenDigest(token);
  auto accounts = store::NewPublicAccountStore();
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<model::PublicAccount> {
    auto t = accounts->FindToken(tx, digest);
    if (!t) return Fail(t.error());
    if (!*t || !auth::ConstantTimeEquals((*t)->digest, digest) || (*t)->revoked ||
        (*t)->expires_at <= now) {
      return Fail(refused);
    }
    auto a = accounts->Get(tx, (*t)->account);
    if (!a) return Fail(a.error());
    if (!*a || (*a)->disabled) return Fail(refused);
    return std::move(**a);
  });
}

Result<model::PublicAccount> RequireRole(store::Transaction& tx, const std::string& name,
                                         model::PublicRole role) {
  auto a = store::NewPublicAccountStore()->Get(tx, name);
  if (!a) return Fail(a.error());
  if (!*a || (*a)->disabled || !(*a)->Has(role)) {
    return Fail(ErrorCode::kPermissionDenied, "this needs an enabled account with the role " +
                                                  std::string(model::PublicRoleName(role)) + " (" +
                                                  name + " has not)");
  }
  return std::move(**a);
}

Result<model::PublicAccount> AddAccount(store::Database& db, PublicAuditLog& audit,
                                        const PublicCaller& caller, const std::string& name,
                                        std::vector<model::PublicRole> roles) {
  if (auto ok = model::CheckAccountName(name); !ok) return Fail(ok.error());
  auto normal = model::NormaliseRoles(std::move(roles));
  if (!normal) return Fail(normal.error());
  auto accounts = store::NewPublicAccountStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<model::PublicAccount> {
    if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
    model::PublicAccount a;
    a.name = name;
    a.roles = *normal;
    a.created_at = NowTimestamp();
    if (auto ok = accounts->Add(tx, a); !ok) return Fail(ok.error());
    if (auto e = audit.Record(tx, caller.actor, "account-add", {name},
                              json{{"roles", RolesJson(a.roles)}}.dump());
        !e) {
      return Fail(e.error());
    }
    return Existing(tx, *accounts, name);
  });
}

Result<model::PublicAccount> SetAccountRoles(store::Database& db, PublicAuditLog& audit,
                                             const PublicCaller& caller, const std::string& name,
                                             std::vector<model::PublicRole> roles) {
  auto normal = model::NormaliseRoles(std::move(roles));
  if (!normal) return Fail(normal.error());
  auto accounts = store::NewPublicAccountStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<model::PublicAccount> {
    if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
    auto current = Existing(tx, *accounts, name);
    if (!current) return Fail(current.error());
    auto next = *current;
    next.roles = *normal;
    return Change(tx, *accounts, audit, caller, *current, next, "account-roles",
                  json{{"from", RolesJson(current->roles)}, {"to", RolesJson(*normal)}});
  });
}

Result<model::PublicAccount> DisableAccount(store::Database& db, PublicAuditLog& audit,
                                            const PublicCaller& caller, const std::string& name) {
  auto accounts = store::NewPublicAccountStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<model::PublicAccount> {
    if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
    auto current = Existing(tx, *accounts, name);
    if (!current) return Fail(current.error());
    auto revoked = accounts->RevokeTokens(tx, name);
    if (!revoked) return Fail(revoked.error());
    auto next = *current;
    next.disabled = true;
    return Change(tx, *accounts, audit, caller, *current, next, "account-disable",
                  json{{"tokens_revoked", *revoked}});
  });
}

Result<std::vector<model::PublicAccount>> ListAccounts(const store::Database& db,
                                                       const PublicCaller& caller) {
  auto accounts = store::NewPublicAccountStore();
  return store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::vector<model::PublicAccount>> {
        if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
        return accounts->List(tx);
      });
}

Result<IssuedToken> IssueToken(store::Database& db, PublicAuditLog& audit,
                               const PublicCaller& caller, const std::string& name, int days) {
  if (days < 1 || days > 365) {
    return Fail(ErrorCode::kInvalidArgument, "days: expected 1 to 365");
  }
  auto accounts = store::NewPublicAccountStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<IssuedToken> {
    if (!caller.account || caller.account->name != name) {
      if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
    }
    auto a = Existing(tx, *accounts, name);
    if (!a) return Fail(a.error());
    if (a->disabled) {
      return Fail(ErrorCode::kInvalidArgument, "account " + name + " is disabled");
    }
    IssuedToken out;
    out.token = auth::RandomToken();
    out.stored.digest = auth::TokenDigest(out.token);
    out.stored.account = name;
    out.stored.created_at = NowTimestamp();
    const auto now = ParseUnixTimestamp(out.stored.created_at);
    if (!now) return Fail(ErrorCode::kInternal, "the clock's time did not parse");
    out.stored.expires_at = FormatUnixTimestamp(*now + std::int64_t{days} * 86400);
    if (auto ok = accounts->AddToken(tx, out.stored); !ok) return Fail(ok.error());
    if (auto e = audit.Record(tx, caller.actor, "token-issue", {name},
                              json{{"expires_at", out.stored.expires_at}}.dump());
        !e) {
      return Fail(e.error());
    }
    return out;
  });
}

}  // namespace corridor::public_side
