#include "cli/security_command.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/caller.h"
#include "cli/progress.h"
#include "cli/report.h"
#include "cli/secret.h"
#include "corridor/common/strings.h"
#include "corridor/service/admin.h"

namespace corridor::cli {
namespace {

std::string CommaJoined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

// The flags of these commands; they live as long as the process (CLI11 keeps
// pointers to them).
struct Flags {
  std::string name;
  std::vector<std::string> groups;
  bool own = false;
  std::string username, org;
  std::vector<std::string> roles;
  std::string disable_name;
  std::string token_user, token_label, token_id;
  std::string anchor;
  store::AuditQuery query;
};

// Prints a list as one JSON array (--json) or one line per item.
template <typename T, typename Line>
int PrintList(const Result<std::vector<T>>& list, bool json, Line line) {
  if (!list) return ReportError(list.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& x : *list) {
    if (json) {
      out.push_back(service::ToJson(x));
    } else {
      line(x);
    }
  }
  if (json) std::cout << out.dump() << "\n";
  return kExitOk;
}

int RunOrgsAdd(const std::string& db, bool json, const service::AddOrganisationParams& p) {
  return WithCaller(db, /*create=*/true, "orgs add",
                    [&](SecureStore& s, const service::Context& ctx, const service::Caller& c) {
                      auto org = service::AddOrganisation(ctx, *s.accounts, c, p);
                      if (!org) return ReportError(org.error());
                      if (json) {  // the form scripts read since the first release
                        std::cout << nlohmann::json{{"organisation", p.name},
                                                    {"trust_groups", p.trust_groups},
                                                    {"own", p.own}}
                                         .dump()
                                  << "\n";
                        return kExitOk;
                      }
                      std::cout << "added organisation " << p.name;
                      if (!p.trust_groups.empty()) {
                        std::cout << " (trust groups: " << CommaJoined(p.trust_groups) << ")";
                      }
                      std::cout << "\n";
                      return kExitOk;
                    });
}

int RunOrgsList(const std::string& db, bool json) {
  return AsCaller(
      db, false, "orgs list", [&](const service::Context& ctx, const service::Caller& c) {
        return PrintList(
            service::AllPages<model::Organisation>([&](const service::AdminListParams& p) {
              return service::ListOrganisations(ctx, c, p);
            }),
            json, [](const model::Organisation& o) {
              std::cout << o.name << (o.own ? " (this instance)" : "") << "  trust groups: "
                        << (o.trust_groups.empty() ? "-" : CommaJoined(o.trust_groups)) << "\n";
            });
      });
}

int RunUsersAdd(const std::string& db, bool json, service::AddUserParams p) {
  for (const auto& n : p.roles) {
    if (!model::ParseRole(n)) {
      std::cerr << "corridor: --role '" << n
                << "': expected admin, analyst, committee, site-security or partner\n";
      return kExitUsage;
    }
  }
  return WithCaller(
      db, /*create=*/true, "users add",
      [&](SecureStore& s, const service::Context& ctx, const service::Caller& c) {
        // Refused before the password is asked for.
        if (auto ok = service::Require(c, auth::Action::kManageAccounts); !ok) {
          return ReportError(ok.error());
        }
        p.password = ReadSecret("Password for " + p.username + ": ");
        auto user = service::AddUser(ctx, *s.accounts, c, p);
        if (!user) return ReportError(user.error());
        if (json) {
          std::cout << service::ToJson(*user).dump() << "\n";
          return kExitOk;
        }
        std::cout << "added user " << p.username << " (" << p.org << ": " << CommaJoined(p.roles)
                  << ")\n";
        if (!user->totp_secret.empty()) {
          std::cout << "This account may read TLP:RED, so it signs in with a second factor.\n"
                       "Add it to an authenticator app now; it is not shown again:\n"
                    << "  secret: " << user->totp_secret << "\n  uri:    " << user->totp_uri
                    << "\n";
        }
        return kExitOk;
      });
}

int RunUsersList(const std::string& db, bool json) {
  return AsCaller(
      db, false, "users list", [&](const service::Context& ctx, const service::Caller& c) {
        return PrintList(service::AllPages<model::User>([&](const service::AdminListParams& p) {
                           return service::ListUsers(ctx, c, p);
                         }),
                         json, [](const model::User& u) {
                           std::vector<std::string> roles;
                           roles.reserve(u.roles.size());
                           for (auto r : u.roles) roles.emplace_back(model::RoleName(r));
                           std::cout << u.username << "  " << u.org << "  " << CommaJoined(roles)
                                     << (u.totp_sealed.empty() ? "" : "  [2FA]")
                                     << (u.disabled ? "  DISABLED" : "") << "\n";
                         });
      });
}

int RunUsersRoles(const std::string& db, bool json, const service::SetRolesParams& p) {
  return WithCaller(
      db, false, "users roles",
      [&](SecureStore& s, const service::Context& ctx, const service::Caller& c) {
        auto user = service::SetUserRoles(ctx, *s.accounts, c, p);
        if (!user) return ReportError(user.error());
        if (json) {
          std::cout << service::ToJson(*user).dump() << "\n";
          return kExitOk;
        }
        std::cout << p.username << " now holds " << CommaJoined(p.roles)
                  << "; their sessions are ended (they sign in again)\n";
        if (!user->totp_secret.empty()) {
          std::cout << "These roles read TLP:RED, so the account now signs in with a second "
                       "factor.\nGive it to its holder for an authenticator app; it is not shown "
                       "again:\n"
                    << "  secret: " << user->totp_secret << "\n  uri:    " << user->totp_uri
                    << "\n";
        }
        return kExitOk;
      });
}

int RunUsersDisable(const std::string& db, const std::string& username) {
  return WithCaller(db, false, "users disable",
                    [&](SecureStore& s, const service::Context& ctx, const service::Caller& c) {
                      auto r = service::DisableUser(ctx, *s.accounts, c, username);
                      if (!r) return ReportError(r.error());
                      std::cout << "disabled " << username << ": sessions ended, tokens revoked\n";
                      return kExitOk;
                    });
}

int RunTokensCreate(const std::string& db, const std::string& username, const std::string& label) {
  return WithCaller(db, false, "tokens create",
                    [&](SecureStore& s, const service::Context& ctx, const service::Caller& c) {
                      auto token = service::CreateToken(ctx, *s.accounts, c, username, label);
                      if (!token) return ReportError(token.error());
                      std::cout << "token " << token->token.id << " for " << username
                                << " (shown once; send it as 'Authorization: Bearer <token>'):\n"
                                << token->secret << "\n";
                      return kExitOk;
                    });
}

int RunTokensList(const std::string& db, bool json) {
  return AsCaller(
      db, false, "tokens list", [&](const service::Context& ctx, const service::Caller& c) {
        return PrintList(service::AllPages<model::ApiToken>([&](const service::AdminListParams& p) {
                           return service::ListTokens(ctx, c, p);
                         }),
                         json, [](const model::ApiToken& t) {
                           std::cout << t.id << "  " << t.username << "  " << t.label << "  "
                                     << t.created
                                     << (t.revoked.empty() ? "" : "  revoked " + t.revoked) << "\n";
                         });
      });
}

int RunTokensRevoke(const std::string& db, const std::string& id) {
  return WithCaller(db, false, "tokens revoke",
                    [&](SecureStore& s, const service::Context& ctx, const service::Caller& c) {
                      auto r = service::RevokeToken(ctx, *s.accounts, c, id);
                      if (!r) return ReportError(r.error());
                      std::cout << "revoked token " << id << "\n";
                      return kExitOk;
                    });
}

int RunAuditHead(const std::string& db) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto head = (*s)->audit->Checkpoint();
  if (!head) return ReportError(head.error());
  if (!*head) {
    std::cerr << "corridor: the audit log is empty; nothing to anchor yet\n";
    return kExitFailed;
  }
  std::cout << auth::CheckpointJson(**head) << "\n";
  return kExitOk;
}

int RunAuditVerify(const std::string& db, bool json, const std::string& anchor_file) {
  std::optional<model::AuditCheckpoint> anchor;
  if (!anchor_file.empty()) {
    std::ifstream in(anchor_file);
    if (!in) return ReportError({ErrorCode::kInvalidArgument, anchor_file + ": cannot be read"});
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = auth::ParseCheckpointJson(text.str());
    if (!parsed)
      return ReportError(
          {ErrorCode::kInvalidArgument, anchor_file + ": " + parsed.error().message});
    anchor = std::move(*parsed);
  }
  return AsCaller(db, false, "audit verify",
                  [&](const service::Context& ctx, const service::Caller& c) {
                    // No time limit at the instance; a bar on a terminal.
                    ProgressBar bar("audit verify");
                    risk::Budget budget;
                    budget.OnProgress([&bar](double f) {
                      bar.Update(static_cast<std::int64_t>(f * 1000), 1000);
                      return true;
                    });
                    auto report = service::VerifyAudit(ctx, c, anchor, &budget);
                    bar.Finish();
                    if (!report) return ReportError(report.error());
                    if (json) {
                      std::cout << service::ToJson(*report).dump() << "\n";
                    } else if (report->ok) {
                      std::cout << "audit log intact: " << report->entries << " entries"
                                << (anchor ? ", consistent with the anchor" : "") << "\n";
                    } else {
                      std::cerr << "corridor: audit log BROKEN at entry " << report->first_bad_seq
                                << ": " << report->problem << "\n";
                    }
                    return report->ok ? kExitOk : kExitFailed;
                  });
}

// The CLI lists the whole log, oldest first, unless --limit says otherwise.
int RunAuditList(const std::string& db, bool json, const store::AuditQuery& q) {
  return AsCaller(
      db, false, "audit list", [&](const service::Context& ctx, const service::Caller& c) {
        if (auto ok = service::Require(c, auth::Action::kReadAudit); !ok)
          return ReportError(ok.error());
        return PrintList(ctx.store.ListAudit(q), json, [](const model::AuditEntry& e) {
          std::cout << e.seq << "  " << e.time << "  " << (e.actor.empty() ? "-" : e.actor) << "  "
                    << e.action << "  " << (e.objects.empty() ? "-" : CommaJoined(e.objects))
                    << "  " << e.detail << "\n";
        });
      });
}

}  // namespace

std::string KeysPathFor(const std::string& db) {
  if (const char* env = std::getenv("CORRIDOR_KEYS"); env != nullptr && *env != '\0') return env;
  std::string path = db;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  return path + ".keys";
}

Result<std::unique_ptr<SecureStore>> OpenSecureStore(const std::string& db, bool create) {
  if (auto ok = auth::InitCrypto(); !ok) return Fail(ok.error());
  auto s = std::make_unique<SecureStore>();
  auto store = store::OpenStore(db, {.create = create});
  if (!store) return Fail(store.error());
  s->store = std::move(*store);
  auto keys = auth::LoadOrCreateInstanceKeys(KeysPathFor(db));
  if (!keys) return Fail(keys.error());
  s->keys = std::move(*keys);
  s->accounts = std::make_unique<auth::Accounts>(*s->store, s->keys);
  s->audit = std::make_unique<auth::AuditLog>(*s->store, s->keys);
  return s;
}

Result<void> CliIdentity::Check(auth::Action action, const model::Marking* object) const {
  if (!principal) return {};
  if (auto d = auth::Decide(*principal, action, object); !d) {
    return Fail(ErrorCode::kPermissionDenied, "not allowed: " + d.reason);
  }
  return {};
}

Result<CliIdentity> CliIdentityOf(SecureStore& s) {
  CliIdentity id;
  id.actor = "cli-operator";
  const char* token = std::getenv("CORRIDOR_TOKEN");
  if (token == nullptr || *token == '\0') return id;
  auto principal = s.accounts->FromToken(token);
  if (!principal) {
    return Fail(ErrorCode::kUnauthenticated, "$CORRIDOR_TOKEN: " + principal.error().message);
  }
  id.actor = principal->username;
  id.viewer = auth::ViewerFor(*principal);
  id.principal = std::move(*principal);
  return id;
}

void AddSecurityCommands(CLI::App& app, const std::string& db, const bool& json, int& status) {
  static Flags f;
  auto* orgs = app.add_subcommand("orgs", "Organisations: this instance's agency and its partners");
  orgs->require_subcommand(1);
  auto* orgs_add = orgs->add_subcommand("add", "Add an organisation");
  orgs_add->add_option("NAME", f.name, "Organisation name (unique, e.g. PK-NACTA)")->required();
  orgs_add->add_option("--trust-group", f.groups,
                       "Trust group it belongs to (repeat; e.g. bilateral, regional)");
  orgs_add->add_flag("--own", f.own, "This instance's own agency");
  orgs_add->callback([&] { status = RunOrgsAdd(db, json, {f.name, f.groups, f.own}); });
  orgs->add_subcommand("list", "List organisations")->callback([&] {
    status = RunOrgsList(db, json);
  });

  auto* users =
      app.add_subcommand("users", "User accounts (passwords are read from standard input)");
  users->require_subcommand(1);
  auto* users_add = users->add_subcommand(
      "add",
      "Add a user; reads the password (12+ characters) from standard input. Analysts and "
      "committee members get a TOTP second factor, printed once");
  users_add->add_option("USERNAME", f.username, "Account name (a-z, 0-9, . - _)")->required();
  users_add->add_option("--org", f.org, "Organisation")->required();
  users_add
      ->add_option("--role", f.roles,
                   "admin, analyst, committee, site-security or partner (repeat)")
      ->required();
  users_add->callback([&] { status = RunUsersAdd(db, json, {f.username, f.org, f.roles, {}}); });
  users->add_subcommand("list", "List users")->callback([&] { status = RunUsersList(db, json); });
  auto* users_roles = users->add_subcommand(
      "roles",
      "Give a user exactly these roles and end their sessions; enrols a second factor (printed "
      "once) when the roles read TLP:RED and the account has none");
  users_roles->add_option("USERNAME", f.username, "Account name")->required();
  users_roles
      ->add_option("--role", f.roles,
                   "admin (alone), analyst, committee, site-security or partner (repeat)")
      ->required();
  users_roles->callback([&] { status = RunUsersRoles(db, json, {f.username, f.roles}); });
  auto* users_disable =
      users->add_subcommand("disable", "Disable a user: ends sessions, revokes tokens");
  users_disable->add_option("USERNAME", f.disable_name, "Account name")->required();
  users_disable->callback([&] { status = RunUsersDisable(db, f.disable_name); });

  auto* tokens = app.add_subcommand("tokens", "Bearer tokens for scripts and partner instances");
  tokens->require_subcommand(1);
  auto* tokens_create = tokens->add_subcommand(
      "create", "Create a token; prints it once, on its own last line (never readable again)");
  tokens_create->add_option("USERNAME", f.token_user, "The user the token acts as")->required();
  tokens_create->add_option("--label", f.token_label, "What the token is for");
  tokens_create->callback([&] { status = RunTokensCreate(db, f.token_user, f.token_label); });
  tokens->add_subcommand("list", "List tokens (ids, never the secrets)")->callback([&] {
    status = RunTokensList(db, json);
  });
  auto* tokens_revoke = tokens->add_subcommand("revoke", "Revoke a token by its id");
  tokens_revoke->add_option("ID", f.token_id, "Token id (from tokens list)")->required();
  tokens_revoke->callback([&] { status = RunTokensRevoke(db, f.token_id); });

  auto* audit = app.add_subcommand("audit", "The hash-chained audit log");
  audit->require_subcommand(1);
  audit
      ->add_subcommand("head",
                       "Sign a checkpoint of the log's head and print it (JSON) for "
                       "safekeeping elsewhere")
      ->callback([&] { status = RunAuditHead(db); });
  auto* verify = audit->add_subcommand(
      "verify", "Check every entry and checkpoint; exit 1 naming the first bad entry");
  verify->add_option("--anchor", f.anchor, "A checkpoint printed earlier by `audit head`")
      ->check(CLI::ExistingFile);
  verify->callback([&] { status = RunAuditVerify(db, json, f.anchor); });
  auto* list = audit->add_subcommand("list", "List entries, filtered");
  list->add_option("--user", f.query.actor, "Only entries by this user");
  list->add_option("--object", f.query.object, "Only entries about this object id");
  list->add_option("--action", f.query.action,
                   "sign-in, sign-in-failed, read, write, marking, marking-request, approve, "
                   "reject, search, export, admin");
  list->add_option("--since", f.query.since, "From this RFC 3339 time (inclusive)");
  list->add_option("--until", f.query.until, "Before this RFC 3339 time");
  list->add_option("--limit", f.query.limit, "At most this many entries")
      ->check(CLI::NonNegativeNumber);
  list->callback([&] { status = RunAuditList(db, json, f.query); });
}

}  // namespace corridor::cli
