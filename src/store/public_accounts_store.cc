// The public side's staff accounts with their tokens, and district outlines
// (corridor/store/public_store.h), over the typed SQL layer; projects,
// disclosure and the audit log are in public_store.cc.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "corridor/store/public_store.h"
#include "store/sql/sql.h"

namespace corridor::store {
namespace {

using nlohmann::json;

model::PublicAccount ReadAccount(const sql::Row& r) {
  model::PublicAccount a;
  a.name = r.Text(0);
  for (const auto& role : json::parse(r.Text(1))) {
    // Only model::PublicRole names are ever written (Add and Update take the enum).
    if (auto parsed = model::ParsePublicRole(role.get<std::string>())) a.roles.push_back(*parsed);
  }
  a.disabled = r.Bool(2);
  a.created_at = r.Text(3);
  a.version = r.Int(4);
  return a;
}

std::string RolesText(const std::vector<model::PublicRole>& roles) {
  json out = json::array();
  for (auto role : roles) out.push_back(std::string(model::PublicRoleName(role)));
  return out.dump();
}

model::PublicToken ReadToken(const sql::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Bool(4), r.Text(5)};
}

constexpr const char* kAccountColumns = "name, roles, disabled, created_at, version";
constexpr const char* kTokenColumns = "digest, account, created_at, expires_at, revoked, kind";

class SqlPublicAccountStore final : public PublicAccountStore {
 public:
  Result<void> Add(Transaction& t, const model::PublicAccount& a) override {
    if (auto ok = model::CheckAccountName(a.name); !ok) return ok;
    auto roles = model::NormaliseRoles(a.roles);
    if (!roles) return Fail(roles.error());
    auto r = sql::Of(t).Exec(
        std::string("INSERT INTO public_accounts (") + kAccountColumns + ") VALUES (?, ?, ?, ?, 1)",
        a.name, RolesText(*roles), a.disabled, a.created_at);
    if (!r) {
      Error e = r.error();
      if (e.code == ErrorCode::kConflict) e.message = "account " + a.name + " exists";
      return Fail(std::move(e));
    }
    return {};
  }

  Result<std::optional<model::PublicAccount>> Get(Transaction& t,
                                                  const std::string& name) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kAccountColumns + " FROM public_accounts WHERE name = ?",
        ReadAccount, name);
  }

  Result<std::vector<model::PublicAccount>> List(Transaction& t) override {
    auto all = sql::Of(t).QueryAll(
        std::string("SELECT ") + kAccountColumns + " FROM public_accounts", ReadAccount);
    if (!all) return Fail(all.error());
    // By the bytes of the name on every backend (a PostgreSQL database's
    // collation may ignore '.', '_' and '-').
    std::sort(all->begin(), all->end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return all;
  }

  Result<bool> Update(Transaction& t, const model::PublicAccount& expected,
                      const model::PublicAccount& next) override {
    auto roles = model::NormaliseRoles(next.roles);
    if (!roles) return Fail(roles.error());
    auto& tx = sql::Of(t);
    auto n = tx.Exec(
        "UPDATE public_accounts SET roles = ?, disabled = ?, version = version + 1 "
        "WHERE name = ? AND version = ?",
        RolesText(*roles), next.disabled, expected.name, expected.version);
    if (!n) return Fail(n.error());
    if (*n == 1) return true;
    auto exists = tx.QueryInt("SELECT count(*) FROM public_accounts WHERE name = ?", expected.name);
    if (!exists) return Fail(exists.error());
    if (exists->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no account " + expected.name);
    return false;
  }

  Result<void> AddToken(Transaction& t, const model::PublicToken& token) override {
    auto& tx = sql::Of(t);
    auto exists = tx.QueryInt("SELECT count(*) FROM public_accounts WHERE name = ?", token.account);
    if (!exists) return Fail(exists.error());
    if (exists->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no account " + token.account);
    auto r = tx.Exec(
        std::string("INSERT INTO public_tokens (") + kTokenColumns + ") VALUES (?, ?, ?, ?, ?, ?)",
        token.digest, token.account, token.created_at, token.expires_at, token.revoked, token.kind);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::optional<model::PublicToken>> FindToken(Transaction& t,
                                                      const std::string& digest) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kTokenColumns + " FROM public_tokens WHERE digest = ?", ReadToken,
        digest);
  }

  Result<std::vector<model::PublicToken>> Tokens(Transaction& t,
                                                 const std::string& account) override {
    return sql::Of(t).QueryAll(std::string("SELECT ") + kTokenColumns +
                                   " FROM public_tokens WHERE account = ?"
                                   " ORDER BY created_at DESC, digest",
                               ReadToken, account);
  }

  Result<std::int64_t> RevokeTokens(Transaction& t, const std::string& account) override {
    return sql::Of(t).Exec("UPDATE public_tokens SET revoked = 1 WHERE account = ? AND revoked = 0",
                           account);
  }

  Result<bool> RevokeToken(Transaction& t, const std::string& digest) override {
    auto n = sql::Of(t).Exec(
        "UPDATE public_tokens SET revoked = 1 WHERE digest = ? AND revoked = 0", digest);
    if (!n) return Fail(n.error());
    return *n == 1;
  }

  Result<std::int64_t> DeleteExpiredTokens(Transaction& t, const std::string& account,
                                           const std::string& cutoff) override {
    return sql::Of(t).Exec("DELETE FROM public_tokens WHERE account = ? AND expires_at < ?",
                           account, cutoff);
  }

  Result<bool> SetPasswordHash(Transaction& t, const std::string& name,
                               const std::string& hash) override {
    auto n =
        sql::Of(t).Exec("UPDATE public_accounts SET password_hash = ? WHERE name = ?", hash, name);
    if (!n) return Fail(n.error());
    return *n == 1;
  }

  Result<std::optional<std::string>> PasswordHash(Transaction& t,
                                                  const std::string& name) override {
    return sql::Of(t).QueryOne(
        "SELECT password_hash FROM public_accounts WHERE name = ?",
        [](const sql::Row& r) { return r.Text(0); }, name);
  }
};

model::AreaOutline ReadArea(const sql::Row& r) {
  model::AreaOutline a;
  a.pcode = r.Text(0);
  a.level = static_cast<int>(r.Int(1));
  a.name = r.Text(2);
  a.parent = r.Text(3);
  a.polygons = json::parse(r.Text(4)).get<std::vector<std::vector<model::AreaOutline::Ring>>>();
  return a;
}

class SqlAreaStore final : public AreaStore {
 public:
  Result<void> Replace(Transaction& t, int level,
                       const std::vector<model::AreaOutline>& areas) override {
    if (level != 1 && level != 2) {
      return Fail(ErrorCode::kInvalidArgument, "level: expected 1 or 2");
    }
    auto& tx = sql::Of(t);
    if (auto r = tx.Exec("DELETE FROM public_areas WHERE level = ?", level); !r) {
      return Fail(r.error());
    }
    for (const auto& a : areas) {
      if (a.level != level || a.pcode.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "area '" + a.pcode + "': expected a P-code at level " + std::to_string(level));
      }
      const bool drawable =
          !a.polygons.empty() &&
          std::all_of(a.polygons.begin(), a.polygons.end(), [](const auto& polygon) {
            return !polygon.empty() &&
                   std::all_of(polygon.begin(), polygon.end(),
                               [](const auto& ring) { return ring.size() >= 4; });
          });
      if (!drawable) {
        return Fail(ErrorCode::kInvalidArgument,
                    "area " + a.pcode + ": every polygon needs rings of at least 4 positions");
      }
      auto r = tx.Exec(
          "INSERT INTO public_areas (pcode, level, name, parent, polygons) VALUES (?, ?, ?, ?, ?)",
          a.pcode, a.level, a.name, a.parent, json(a.polygons).dump());
      if (!r) {
        Error e = r.error();
        if (e.code == ErrorCode::kConflict) {
          e = {ErrorCode::kInvalidArgument, "area " + a.pcode + " is given twice"};
        }
        return Fail(std::move(e));
      }
    }
    return {};
  }

  Result<std::vector<model::AreaOutline>> List(Transaction& t, int level) override {
    return sql::Of(t).QueryAll(
        "SELECT pcode, level, name, parent, polygons FROM public_areas WHERE level = ? "
        "ORDER BY pcode",
        ReadArea, level);
  }
};

}  // namespace

std::unique_ptr<PublicAccountStore> NewPublicAccountStore() {
  return std::make_unique<SqlPublicAccountStore>();
}
std::unique_ptr<AreaStore> NewAreaStore() { return std::make_unique<SqlAreaStore>(); }

}  // namespace corridor::store
