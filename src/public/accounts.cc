#include "corridor/public_side/accounts.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <semaphore>

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

// A new token of `kind` for `account`, valid `seconds` from now, written in
// `tx`: the secret (shown once) and the row as stored (its digest).
Result<IssuedToken> NewToken(store::Transaction& tx, store::PublicAccountStore& accounts,
                             const std::string& account, std::int64_t seconds,
                             const std::string& kind) {
  IssuedToken out;
  out.token = auth::RandomToken();
  out.stored.digest = auth::TokenDigest(out.token);
  out.stored.account = account;
  out.stored.kind = kind;
  out.stored.created_at = NowTimestamp();
  const auto now = ParseUnixTimestamp(out.stored.created_at);
  if (!now) return Fail(ErrorCode::kInternal, "the clock's time did not parse");
  out.stored.expires_at = FormatUnixTimestamp(*now + seconds);
  if (auto ok = accounts.AddToken(tx, out.stored); !ok) return Fail(ok.error());
  return out;
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
                                          std::string_view now, std::string_view kind) {
  const Error refused{ErrorCode::kUnauthenticated, "invalid, expired or revoked token"};
  if (token.empty() || token.size() > 256) return Fail(refused);
  const std::string digest = auth::TokenDigest(token);
  auto accounts = store::NewPublicAccountStore();
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<model::PublicAccount> {
    auto t = accounts->FindToken(tx, digest);
    if (!t) return Fail(t.error());
    if (!*t || !auth::ConstantTimeEquals((*t)->digest, digest) || (*t)->revoked ||
        (*t)->expires_at <= now || (*t)->kind != kind) {
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
    auto out = NewToken(tx, *accounts, name, std::int64_t{days} * 86400, "api");
    if (!out) return Fail(out.error());
    if (auto e = audit.Record(tx, caller.actor, "token-issue", {name},
                              json{{"expires_at", out->stored.expires_at}}.dump());
        !e) {
      return Fail(e.error());
    }
    return out;
  });
}

Result<std::vector<model::PublicToken>> ListTokens(const store::Database& db,
                                                   const PublicCaller& caller,
                                                   const std::string& name) {
  auto accounts = store::NewPublicAccountStore();
  return store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::vector<model::PublicToken>> {
        if (!caller.account || caller.account->name != name) {
          if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
        }
        if (auto a = Existing(tx, *accounts, name); !a) return Fail(a.error());
        return accounts->Tokens(tx, name);
      });
}

Result<void> RevokeToken(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                         const std::string& name, const std::string& digest_prefix) {
  if (digest_prefix.size() < 8 || digest_prefix.size() > 64 ||
      !std::all_of(digest_prefix.begin(), digest_prefix.end(),
                   [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; })) {
    return Fail(ErrorCode::kInvalidArgument, "digest: 8 to 64 hex digits, as `users tokens` shows");
  }
  std::string prefix = digest_prefix;
  std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto accounts = store::NewPublicAccountStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (!caller.account || caller.account->name != name) {
      if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
    }
    auto tokens = accounts->Tokens(tx, name);
    if (!tokens) return Fail(tokens.error());
    std::vector<std::string> matches;
    for (const auto& t : *tokens) {
      if (!t.revoked && t.digest.rfind(prefix, 0) == 0) matches.push_back(t.digest);
    }
    if (matches.empty()) {
      return Fail(ErrorCode::kNotFound, "no live token of " + name + " starts with " + prefix);
    }
    if (matches.size() > 1) {
      return Fail(ErrorCode::kInvalidArgument,
                  "several tokens of " + name + " start with " + prefix + "; give more digits");
    }
    auto revoked = accounts->RevokeToken(tx, matches[0]);
    if (!revoked) return Fail(revoked.error());
    if (auto e = audit.Record(tx, caller.actor, "token-revoke", {name},
                              json{{"digest_prefix", matches[0].substr(0, 12)}}.dump());
        !e) {
      return Fail(e.error());
    }
    return {};
  });
}

Result<void> SetPassword(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                         const std::string& name, std::string_view password) {
  if (auto ok = auth::CheckPasswordPolicy(password); !ok) return Fail(ok.error());
  auto hash = auth::HashPassword(password);  // slow: outside the write transaction
  if (!hash) return Fail(hash.error());
  auto accounts = store::NewPublicAccountStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (!caller.account || caller.account->name != name) {
      if (auto ok = MayAdminister(tx, caller); !ok) return Fail(ok.error());
    }
    auto set = accounts->SetPasswordHash(tx, name, *hash);
    if (!set) return Fail(set.error());
    if (!*set) return Fail(ErrorCode::kNotFound, "no account " + name);
    // A new password ends the sessions the old one opened (a leaked password's too).
    auto tokens = accounts->Tokens(tx, name);
    if (!tokens) return Fail(tokens.error());
    std::int64_t ended = 0;
    for (const auto& t : *tokens) {
      if (t.kind != "session" || t.revoked) continue;
      auto r = accounts->RevokeToken(tx, t.digest);
      if (!r) return Fail(r.error());
      ended += *r ? 1 : 0;
    }
    if (auto e = audit.Record(tx, caller.actor, "password-set", {name},
                              json{{"sessions_ended", ended}}.dump());
        !e) {
      return Fail(e.error());
    }
    return {};
  });
}

Result<StaffSession> SignIn(store::Database& db, PublicAuditLog& audit, std::string_view name,
                            std::string_view password) {
  const Error refused{ErrorCode::kUnauthenticated, "sign-in failed: check the name and password"};
  const std::string who(name.substr(0, 64));
  auto accounts = store::NewPublicAccountStore();
  auto found = store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::optional<std::string>> {
        return accounts->PasswordHash(tx, who);
      });
  if (!found) return Fail(found.error());
  // The same Argon2id work whether or not there is a hash to check.
  static const std::string kDecoy = auth::HashPassword("decoy password, never set").value_or("");
  const std::string& hash = found->has_value() && !(*found)->empty() ? **found : kDecoy;
  // Two Argon2id checks at a time (64 MiB each): a flood of sign-ins waits
  // rather than taking the server's memory.
  static std::counting_semaphore<2> slots(2);
  slots.acquire();
  const bool right = auth::VerifyPassword(password, hash) && &hash != &kDecoy;
  slots.release();
  auto session = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<StaffSession> {
    std::string cause = !found->has_value() ? "unknown account"
                        : (*found)->empty() ? "no password set"
                        : !right            ? "wrong password"
                                            : "";
    std::optional<model::PublicAccount> account;
    if (cause.empty()) {
      auto a = accounts->Get(tx, who);
      if (!a) return Fail(a.error());
      // The password read before may have changed since: check it is still the one verified.
      auto now_hash = accounts->PasswordHash(tx, who);
      if (!now_hash) return Fail(now_hash.error());
      if (!*a || (*a)->disabled) {
        cause = "account disabled";
      } else if (*now_hash != *found) {
        cause = "password changed meanwhile";
      } else {
        account = std::move(**a);
      }
    }
    if (!account) {
      // Under the account's name only when there is such an account: what was typed
      // (a password in the wrong field, control characters) never reaches the chain.
      const bool known = found->has_value();
      if (auto e = audit.Record(tx, known ? who : "anonymous", "sign-in-failed",
                                known ? std::vector<std::string>{who} : std::vector<std::string>{},
                                json{{"reason", cause}}.dump());
          !e) {
        return Fail(e.error());
      }
      // Commit the audit entry, then answer the refusal (below).
      return StaffSession{};
    }
    auto issued = NewToken(tx, *accounts, who, kStaffSessionSeconds, "session");
    if (!issued) return Fail(issued.error());
    // Each sign-in adds a session: drop the account's tokens that expired
    // over kExpiredTokensKeptSeconds ago, so its list stays bounded.
    const auto now = ParseUnixTimestamp(issued->stored.created_at);
    if (!now) return Fail(ErrorCode::kInternal, "the clock's time did not parse");
    auto pruned = accounts->DeleteExpiredTokens(
        tx, who, FormatUnixTimestamp(*now - kExpiredTokensKeptSeconds));
    if (!pruned) return Fail(pruned.error());
    StaffSession out;
    out.token = std::move(issued->token);
    out.expires_at = issued->stored.expires_at;
    if (auto e =
            audit.Record(tx, who, "sign-in", {who}, json{{"expires_at", out.expires_at}}.dump());
        !e) {
      return Fail(e.error());
    }
    out.account = std::move(*account);
    return out;
  });
  if (session && session->token.empty()) return Fail(refused);
  return session;
}

Result<void> SignOut(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                     std::string_view token) {
  auto accounts = store::NewPublicAccountStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    auto revoked = accounts->RevokeToken(tx, auth::TokenDigest(token));
    if (!revoked) return Fail(revoked.error());
    if (!*revoked) return {};
    if (auto e = audit.Record(tx, caller.actor, "sign-out", {caller.actor}); !e) {
      return Fail(e.error());
    }
    return {};
  });
}

}  // namespace corridor::public_side
