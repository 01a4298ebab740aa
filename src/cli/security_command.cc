#include "cli/security_command.h"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/report.h"
#include "corridor/common/strings.h"

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

// One line from standard input, without echo when it is a terminal. Never
// from the command line, where other users of the machine could see it.
std::string ReadSecret(const std::string& prompt) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios old_term{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old_term);
    termios quiet = old_term;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old_term);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int AuditAdmin(SecureStore& s, const std::string& action, std::vector<std::string> objects,
               const nlohmann::json& detail) {
  // Administration from the CLI runs as the operator of the machine.
  if (auto a = s.audit->Record("cli-operator", action, std::move(objects), detail.dump()); !a) {
    return ReportError(a.error());
  }
  return kExitOk;
}

int RunOrgsAdd(const std::string& db, bool json, const std::string& name,
               const std::vector<std::string>& groups, bool own) {
  auto s = OpenSecureStore(db, /*create=*/true);
  if (!s) return ReportError(s.error());
  auto org = (*s)->accounts->AddOrganisation(name, groups, own);
  if (!org) return ReportError(org.error());
  if (int rc =
          AuditAdmin(**s, "admin", {}, {{"added_organisation", name}, {"trust_groups", groups}});
      rc != kExitOk) {
    return rc;
  }
  if (json) {
    std::cout
        << nlohmann::json{{"organisation", name}, {"trust_groups", groups}, {"own", own}}.dump()
        << "\n";
  } else {
    std::cout << "added organisation " << name;
    if (!groups.empty()) std::cout << " (trust groups: " << CommaJoined(groups) << ")";
    std::cout << "\n";
  }
  return kExitOk;
}

int RunOrgsList(const std::string& db, bool json) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto orgs = (*s)->store->ListOrganisations();
  if (!orgs) return ReportError(orgs.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& o : *orgs) {
    if (json) {
      out.push_back({{"name", o.name},
                     {"trust_groups", o.trust_groups},
                     {"own", o.own},
                     {"created", o.created}});
    } else {
      std::cout << o.name << (o.own ? " (this instance)" : "") << "  trust groups: "
                << (o.trust_groups.empty() ? "-" : CommaJoined(o.trust_groups)) << "\n";
    }
  }
  if (json) std::cout << out.dump() << "\n";
  return kExitOk;
}

int RunUsersAdd(const std::string& db, bool json, const std::string& username,
                const std::string& org, const std::vector<std::string>& role_names) {
  std::vector<model::Role> roles;
  for (const auto& n : role_names) {
    auto r = model::ParseRole(n);
    if (!r) {
      std::cerr << "corridor: --role '" << n
                << "': expected admin, analyst, committee or site-security\n";
      return kExitUsage;
    }
    roles.push_back(*r);
  }
  auto s = OpenSecureStore(db, /*create=*/true);
  if (!s) return ReportError(s.error());
  const std::string password = ReadSecret("Password for " + username + ": ");
  auto user = (*s)->accounts->AddUser(username, org, roles, password);
  if (!user) return ReportError(user.error());
  if (int rc = AuditAdmin(**s, "admin", {},
                          {{"added_user", username}, {"organisation", org}, {"roles", role_names}});
      rc != kExitOk) {
    return rc;
  }
  if (json) {
    std::cout << nlohmann::json{{"username", username},
                                {"organisation", org},
                                {"roles", role_names},
                                {"totp_secret", user->totp_secret},
                                {"totp_uri", user->totp_uri}}
                     .dump()
              << "\n";
    return kExitOk;
  }
  std::cout << "added user " << username << " (" << org << ": " << CommaJoined(role_names) << ")\n";
  if (!user->totp_secret.empty()) {
    std::cout << "This account may read TLP:RED, so it signs in with a second factor.\n"
                 "Add it to an authenticator app now; it is not shown again:\n"
              << "  secret: " << user->totp_secret << "\n  uri:    " << user->totp_uri << "\n";
  }
  return kExitOk;
}

int RunUsersList(const std::string& db, bool json) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto users = (*s)->store->ListUsers();
  if (!users) return ReportError(users.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& u : *users) {
    std::vector<std::string> roles;
    roles.reserve(u.roles.size());
    for (auto r : u.roles) roles.emplace_back(model::RoleName(r));
    if (json) {
      out.push_back({{"username", u.username},
                     {"organisation", u.org},
                     {"roles", roles},
                     {"second_factor", !u.totp_sealed.empty()},
                     {"disabled", u.disabled},
                     {"created", u.created}});
    } else {
      std::cout << u.username << "  " << u.org << "  " << CommaJoined(roles)
                << (u.totp_sealed.empty() ? "" : "  [2FA]") << (u.disabled ? "  DISABLED" : "")
                << "\n";
    }
  }
  if (json) std::cout << out.dump() << "\n";
  return kExitOk;
}

int RunUsersDisable(const std::string& db, const std::string& username) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  if (auto r = (*s)->accounts->DisableUser(username); !r) return ReportError(r.error());
  if (int rc = AuditAdmin(**s, "admin", {}, {{"disabled_user", username}}); rc != kExitOk)
    return rc;
  std::cout << "disabled " << username << ": sessions ended, tokens revoked\n";
  return kExitOk;
}

int RunTokensCreate(const std::string& db, const std::string& username, const std::string& label) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto token = (*s)->accounts->CreateToken(username, label);
  if (!token) return ReportError(token.error());
  if (int rc =
          AuditAdmin(**s, "admin", {}, {{"created_token", token->token.id}, {"user", username}});
      rc != kExitOk) {
    return rc;
  }
  std::cout << "token " << token->token.id << " for " << username
            << " (shown once; send it as 'Authorization: Bearer <token>'):\n"
            << token->secret << "\n";
  return kExitOk;
}

int RunTokensList(const std::string& db, bool json) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto tokens = (*s)->store->ListTokens();
  if (!tokens) return ReportError(tokens.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : *tokens) {
    if (json) {
      out.push_back({{"id", t.id},
                     {"username", t.username},
                     {"label", t.label},
                     {"created", t.created},
                     {"revoked", t.revoked}});
    } else {
      std::cout << t.id << "  " << t.username << "  " << t.label << "  " << t.created
                << (t.revoked.empty() ? "" : "  revoked " + t.revoked) << "\n";
    }
  }
  if (json) std::cout << out.dump() << "\n";
  return kExitOk;
}

int RunTokensRevoke(const std::string& db, const std::string& id) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  if (auto r = (*s)->accounts->RevokeToken(id); !r) return ReportError(r.error());
  if (int rc = AuditAdmin(**s, "admin", {}, {{"revoked_token", id}}); rc != kExitOk) return rc;
  std::cout << "revoked token " << id << "\n";
  return kExitOk;
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
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
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
  auto report = (*s)->audit->Verify(anchor);
  if (!report) return ReportError(report.error());
  if (json) {
    std::cout << nlohmann::json{{"ok", report->ok},
                                {"entries", report->entries},
                                {"first_bad_seq", report->first_bad_seq},
                                {"problem", report->problem}}
                     .dump()
              << "\n";
  } else if (report->ok) {
    std::cout << "audit log intact: " << report->entries << " entries"
              << (anchor ? ", consistent with the anchor" : "") << "\n";
  } else {
    std::cerr << "corridor: audit log BROKEN at entry " << report->first_bad_seq << ": "
              << report->problem << "\n";
  }
  return report->ok ? kExitOk : kExitFailed;
}

int RunAuditList(const std::string& db, bool json, const store::AuditQuery& q) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto entries = (*s)->store->ListAudit(q);
  if (!entries) return ReportError(entries.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : *entries) {
    if (json) {
      auto detail = nlohmann::json::parse(e.detail, nullptr, false);
      out.push_back({{"seq", e.seq},
                     {"time", e.time},
                     {"actor", e.actor},
                     {"action", e.action},
                     {"objects", e.objects},
                     {"detail", detail.is_discarded() ? nlohmann::json(e.detail) : detail},
                     {"hash", e.hash}});
    } else {
      std::cout << e.seq << "  " << e.time << "  " << (e.actor.empty() ? "-" : e.actor) << "  "
                << e.action << "  " << (e.objects.empty() ? "-" : CommaJoined(e.objects)) << "  "
                << e.detail << "\n";
    }
  }
  if (json) std::cout << out.dump() << "\n";
  return kExitOk;
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
  orgs_add->callback([&] { status = RunOrgsAdd(db, json, f.name, f.groups, f.own); });
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
  users_add->add_option("--role", f.roles, "admin, analyst, committee or site-security (repeat)")
      ->required();
  users_add->callback([&] { status = RunUsersAdd(db, json, f.username, f.org, f.roles); });
  users->add_subcommand("list", "List users")->callback([&] { status = RunUsersList(db, json); });
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
