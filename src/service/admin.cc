#include "corridor/service/admin.h"

#include <algorithm>
#include <cctype>

namespace corridor::service {
namespace {

using nlohmann::json;

Result<void> RequireAdmin(const Caller& caller) {
  return Require(caller, auth::Action::kManageAccounts);
}

// The operator at the instance (or the system), who holds the store and its
// keys, as against an administrator signed in over the network.
bool AtTheInstance(const Caller& caller) { return caller.local_operator || caller.viewer.system; }

// An accounts error "name: ..." or "name ..." as "/pointer: ...".
Error AsPointer(const Error& e, const std::string& field, const std::string& pointer) {
  const std::string& m = e.message;
  if (m.rfind(field, 0) != 0) return e;
  const bool colon = m.size() > field.size() && m[field.size()] == ':';
  const bool slash = m.size() > field.size() && m[field.size()] == '/';
  if (slash) return {e.code, pointer + m.substr(field.size())};
  return {e.code, pointer + ": " + (colon ? m.substr(field.size() + 2) : m)};
}

// The change is made; its audit entry follows. A failure to audit is reported
// (kUnavailable) so that the administrator knows the log lacks it.
Result<void> AuditChange(const Context& ctx, const Caller& caller, std::vector<std::string> objects,
                         json detail) {
  detail["route"] = caller.via;
  return Audit(ctx, caller, "admin", std::move(objects), detail.dump());
}

std::vector<std::string> RoleNames(const std::vector<model::Role>& roles) {
  std::vector<std::string> out;
  out.reserve(roles.size());
  for (auto r : roles) out.emplace_back(model::RoleName(r));
  return out;
}

// Role names as roles; errors name the member ("/roles/1: ...").
Result<std::vector<model::Role>> ParseRoles(const std::vector<std::string>& names) {
  if (names.empty() || names.size() > 4) {
    return Fail(ErrorCode::kInvalidArgument, "/roles: expected 1 to 4 roles");
  }
  std::vector<model::Role> roles;
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto r = model::ParseRole(names[i]);
    if (!r) {
      return Fail(ErrorCode::kInvalidArgument,
                  "/roles/" + std::to_string(i) +
                      ": expected admin, analyst, committee, site-security or partner");
    }
    roles.push_back(*r);
  }
  return roles;
}

// "2026-12-06", "2026-12-06T02:12:34Z", "2026-12-06T02:12:34.123+05:00".
bool LooksLikeTime(const std::string& s) {
  if (s.size() < 10 || s.size() > 35) return false;
  for (std::size_t i = 0; i < 10; ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : std::isdigit(static_cast<unsigned char>(s[i])) == 0) return false;
  }
  if (s.size() == 10) return true;
  if (s[10] != 'T') return false;
  return std::all_of(s.begin() + 11, s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.' || c == 'Z' ||
           c == '+' || c == '-';
  });
}

// One page of a list the store keeps whole and small (organisations and
// partners, which every sync decision reads anyway), in the order of `key`:
// the rows whose key comes after the cursor.
template <typename T, typename Key>
Result<ListPage<T>> PageOfAll(Result<std::vector<T>> all, const AdminListParams& p, Key key) {
  if (!all) return Fail(all.error());
  std::sort(all->begin(), all->end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  auto first = std::find_if(all->begin(), all->end(),
                            [&](const T& x) { return p.cursor.empty() || key(x) > p.cursor; });
  ListPage<T> page;
  const auto left = static_cast<std::size_t>(std::distance(first, all->end()));
  const auto n = std::min(left, static_cast<std::size_t>(p.limit));
  page.items.assign(std::make_move_iterator(first), std::make_move_iterator(first + n));
  if (n < left) page.next_cursor = key(page.items.back());
  return page;
}

// A page the store read with one row more than asked: that row says whether
// a next page exists.
template <typename T, typename Key>
Result<ListPage<T>> PageOfOneMore(Result<std::vector<T>> rows, const AdminListParams& p, Key key) {
  if (!rows) return Fail(rows.error());
  ListPage<T> page;
  page.items = std::move(*rows);
  if (page.items.size() > static_cast<std::size_t>(p.limit)) {
    page.items.resize(static_cast<std::size_t>(p.limit));
    page.next_cursor = key(page.items.back());
  }
  return page;
}

}  // namespace

const ParamSchema<AdminListParams>& AdminListParams::Schema() {
  static const auto kSchema =
      ParamSchema<AdminListParams>()
          .Integer("limit", &AdminListParams::limit, "At most this many rows", 1, 1000)
          .Text("cursor", &AdminListParams::cursor,
                "The next_cursor of the previous page (the key of its last row)", 200);
  return kSchema;
}

Result<void> AdminListParams::Validate() const { return Schema().Check(*this); }

Result<ListPage<model::Organisation>> ListOrganisations(const Context& ctx, const Caller& caller,
                                                        const AdminListParams& p) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  return PageOfAll(ctx.store.ListOrganisations(), p,
                   [](const model::Organisation& o) { return o.name; });
}

Result<model::Organisation> AddOrganisation(const Context& ctx, auth::Accounts& accounts,
                                            const Caller& caller, const AddOrganisationParams& p) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  auto org = accounts.AddOrganisation(p.name, p.trust_groups, p.own);
  if (!org) {
    Error e = AsPointer(org.error(), "organisation name", "/name");
    return Fail(AsPointer(e, "trust_groups", "/trust_groups"));
  }
  if (auto ok = AuditChange(ctx, caller, {},
                            {{"added_organisation", p.name}, {"trust_groups", p.trust_groups}});
      !ok) {
    return Fail(ok.error());
  }
  return org;
}

Result<ListPage<model::User>> ListUsers(const Context& ctx, const Caller& caller,
                                        const AdminListParams& p) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  return PageOfOneMore(ctx.store.ListUsers({p.cursor, p.limit + 1}), p,
                       [](const model::User& u) { return u.username; });
}

Result<auth::NewUser> AddUser(const Context& ctx, auth::Accounts& accounts, const Caller& caller,
                              const AddUserParams& p) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  auto parsed = ParseRoles(p.roles);
  if (!parsed) return Fail(parsed.error());
  const std::vector<model::Role>& roles = *parsed;
  // Over the network an administrator adds administrators only. An account
  // that reads marked data gets its password and second factor at the
  // instance (`corridor users add`), so that they reach only its holder: an
  // administrator who chose them could sign in as the account and read what
  // the admin role never reads (separation of duties).
  if (!AtTheInstance(caller)) {
    for (std::size_t i = 0; i < roles.size(); ++i) {
      if (roles[i] != model::Role::kAdmin) {
        return Fail(ErrorCode::kPermissionDenied,
                    "/roles/" + std::to_string(i) + ": an account with the " +
                        std::string(model::RoleName(roles[i])) +
                        " role is added at the instance (corridor users add), where its "
                        "password and second factor reach only its holder");
      }
    }
  }
  if (p.org.size() > 100) {
    return Fail(ErrorCode::kInvalidArgument, "/organisation: at most 100 bytes");
  }
  bool known_org = false;
  auto orgs = ctx.store.ListOrganisations();
  if (!orgs) return Fail(orgs.error());
  for (const auto& o : *orgs) known_org = known_org || o.name == p.org;
  if (!known_org) {
    return Fail(ErrorCode::kInvalidArgument,
                "/organisation: no organisation named '" + p.org + "'");
  }
  auto user = accounts.AddUser(p.username, p.org, roles, p.password);
  if (!user) {
    Error e = AsPointer(user.error(), "username", "/username");
    e = AsPointer(e, "password", "/password");
    return Fail(AsPointer(e, "role", "/roles"));
  }
  if (auto ok = AuditChange(
          ctx, caller, {},
          {{"added_user", p.username}, {"organisation", p.org}, {"roles", RoleNames(roles)}});
      !ok) {
    return Fail(ok.error());
  }
  return user;
}

Result<auth::NewUser> SetUserRoles(const Context& ctx, auth::Accounts& accounts,
                                   const Caller& caller, const SetRolesParams& p) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  auto roles = ParseRoles(p.roles);
  if (!roles) return Fail(roles.error());
  if (!AtTheInstance(caller) && p.username == caller.actor) {
    return Fail(ErrorCode::kConflict,
                "an administrator cannot change their own roles; another administrator can");
  }
  auto before = ctx.store.GetUser(p.username);
  if (!before) return Fail(before.error());
  if (!AtTheInstance(caller)) {
    // Over the network, an administrator changes the accounts of their own
    // organisation only (a partner's accounts here are its business).
    if (before->org != caller.principal.org) {
      return Fail(ErrorCode::kPermissionDenied,
                  "/username: " + p.username + " is an account of " + before->org +
                      "; over the network an administrator changes the roles of " +
                      caller.principal.org +
                      "'s accounts only (corridor users roles at the "
                      "instance)");
    }
    // A second factor is enrolled only where its secret reaches only the holder.
    if (auth::RequiresTotp(*roles) && before->totp_sealed.empty()) {
      return Fail(ErrorCode::kPermissionDenied,
                  "/roles: these roles read TLP:RED and the account has no second factor yet; "
                  "it is enrolled at the instance (corridor users roles)");
    }
  }
  // The checks above were made on `before`: applied only if it is unchanged.
  auto changed = accounts.SetRoles(*before, *roles);
  if (!changed) return Fail(AsPointer(changed.error(), "role", "/roles"));
  if (auto ok = AuditChange(ctx, caller, {},
                            {{"changed_roles", p.username},
                             {"from", RoleNames(before->roles)},
                             {"to", RoleNames(changed->user.roles)},
                             {"second_factor_enrolled", !changed->totp_secret.empty()}});
      !ok) {
    return Fail(ok.error());
  }
  return changed;
}

Result<void> DisableUser(const Context& ctx, auth::Accounts& accounts, const Caller& caller,
                         const std::string& username) {
  if (auto ok = RequireAdmin(caller); !ok) return ok;
  if (!caller.local_operator && !caller.viewer.system && username == caller.actor) {
    return Fail(ErrorCode::kConflict,
                "an administrator cannot disable their own account; another administrator can");
  }
  if (auto ok = accounts.DisableUser(username); !ok) return ok;
  return AuditChange(ctx, caller, {}, {{"disabled_user", username}});
}

Result<ListPage<model::ApiToken>> ListTokens(const Context& ctx, const Caller& caller,
                                             const AdminListParams& p) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  store::TokenQuery q;
  q.after = p.cursor;
  q.limit = p.limit + 1;
  auto rows = ctx.store.ListTokens(q);
  if (!rows && rows.error().code == ErrorCode::kInvalidArgument) {
    return Fail(ErrorCode::kInvalidArgument, "cursor: " + rows.error().message);
  }
  return PageOfOneMore(std::move(rows), p, [](const model::ApiToken& t) { return t.id; });
}

Result<auth::NewToken> CreateToken(const Context& ctx, auth::Accounts& accounts,
                                   const Caller& caller, const std::string& username,
                                   const std::string& label) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  if (label.size() > 200) return Fail(ErrorCode::kInvalidArgument, "/label: at most 200 bytes");
  // Over the network a token is created for the caller's own account only: a
  // token for another would let an administrator act as an account that
  // reads marked data. Tokens for others are made at the instance.
  if (!AtTheInstance(caller) && username != caller.actor) {
    return Fail(ErrorCode::kPermissionDenied,
                "/username: over the network a token is created for one's own account only; "
                "tokens for other accounts are made at the instance (corridor tokens create)");
  }
  auto token = accounts.CreateToken(username, label);
  if (!token) return token;
  if (auto ok =
          AuditChange(ctx, caller, {}, {{"created_token", token->token.id}, {"user", username}});
      !ok) {
    return Fail(ok.error());
  }
  return token;
}

Result<void> RevokeToken(const Context& ctx, auth::Accounts& accounts, const Caller& caller,
                         const std::string& id) {
  if (auto ok = RequireAdmin(caller); !ok) return ok;
  if (auto ok = accounts.RevokeToken(id); !ok) return ok;
  return AuditChange(ctx, caller, {}, {{"revoked_token", id}});
}

const ParamSchema<AuditListParams>& AuditListParams::Schema() {
  static const auto kSchema =
      ParamSchema<AuditListParams>()
          .Text("actor", &AuditListParams::actor, "Only entries by this account", 64)
          .Text("object", &AuditListParams::object, "Only entries about this object id", 200)
          .Text("action", &AuditListParams::action,
                "Only entries of this kind (sign-in, read, write, marking, approve, export, "
                "admin, committee-write, sync-receive, ...)",
                64)
          .Text("since", &AuditListParams::since, "From this RFC 3339 time or day (inclusive)", 35)
          .Text("until", &AuditListParams::until, "Before this RFC 3339 time or day", 35)
          .Integer("limit", &AuditListParams::limit, "At most this many entries", 1, 1000)
          .Boolean("newest_first", &AuditListParams::newest_first,
                   "Newest entries first (default true)");
  return kSchema;
}

Result<void> AuditListParams::Validate() const {
  if (auto ok = Schema().Check(*this); !ok) return ok;
  for (const auto* f : {&since, &until}) {
    if (!f->empty() && !LooksLikeTime(*f)) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(f == &since ? "since" : "until") +
                      ": expected an RFC 3339 time or a day (YYYY-MM-DD), got '" + *f + "'");
    }
  }
  return {};
}

Result<std::vector<model::AuditEntry>> ListAudit(const Context& ctx, const Caller& caller,
                                                 const AuditListParams& p) {
  if (auto ok = Require(caller, auth::Action::kReadAudit); !ok) return Fail(ok.error());
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  store::AuditQuery q;
  q.actor = p.actor;
  q.object = p.object;
  q.action = p.action;
  q.since = p.since;
  q.until = p.until;
  q.limit = p.limit;
  q.newest_first = p.newest_first;
  return ctx.store.ListAudit(q);
}

Result<auth::ChainReport> VerifyAudit(const Context& ctx, const Caller& caller,
                                      const std::optional<model::AuditCheckpoint>& anchor,
                                      const risk::Budget* budget) {
  if (auto ok = Require(caller, auth::Action::kReadAudit); !ok) return Fail(ok.error());
  if (auto ok = risk::Budget::Check(budget); !ok) return Fail(ok.error());
  return ctx.audit.Verify(anchor, [budget](double f) { return risk::Budget::Progress(budget, f); });
}

Result<ListPage<store::Partner>> ListPartners(const Context& ctx, const Caller& caller,
                                              const AdminListParams& p) {
  if (auto ok = RequireAdmin(caller); !ok) return Fail(ok.error());
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  return PageOfAll(ctx.store.ListPartners(), p, [](const store::Partner& x) { return x.name; });
}

json ToJson(const model::Organisation& o) {
  return {
      {"name", o.name}, {"trust_groups", o.trust_groups}, {"own", o.own}, {"created", o.created}};
}

json ToJson(const model::User& u) {
  return {{"username", u.username},      {"organisation", u.org},
          {"roles", RoleNames(u.roles)}, {"second_factor", !u.totp_sealed.empty()},
          {"disabled", u.disabled},      {"created", u.created}};
}

json ToJson(const auth::NewUser& u) {
  json out = ToJson(u.user);
  out["totp_secret"] = u.totp_secret;
  out["totp_uri"] = u.totp_uri;
  return out;
}

json ToJson(const model::ApiToken& t) {
  return {{"id", t.id},
          {"username", t.username},
          {"label", t.label},
          {"created", t.created},
          {"revoked", t.revoked}};
}

json ToJson(const auth::NewToken& t) {
  json out = ToJson(t.token);
  out["token"] = t.secret;
  return out;
}

json ToJson(const model::AuditEntry& e) {
  auto detail = json::parse(e.detail, nullptr, false);
  return {{"seq", e.seq},         {"time", e.time},
          {"actor", e.actor},     {"action", e.action},
          {"objects", e.objects}, {"detail", detail.is_discarded() ? json(e.detail) : detail},
          {"hash", e.hash}};
}

json ToJson(const auth::ChainReport& r) {
  return {{"ok", r.ok},
          {"entries", r.entries},
          {"first_bad_seq", r.first_bad_seq},
          {"problem", r.problem}};
}

json ToJson(const store::Partner& p) {
  return {{"name", p.name},
          {"org", p.org},
          {"url", p.base_url},
          {"api_root", p.api_root},
          {"collection", p.collection},
          {"trust_group", p.trust_group},
          {"public_key", p.public_key},
          {"cursor", p.cursor_added},
          {"last_sync", p.last_sync}};
}

}  // namespace corridor::service
