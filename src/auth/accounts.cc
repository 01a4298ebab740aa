#include "corridor/auth/accounts.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "corridor/common/date.h"

namespace corridor::auth {
namespace {

// A role set an account may hold: at least one role, admin alone.
Result<void> CheckRoleSet(const std::vector<model::Role>& roles) {
  if (roles.empty()) return Fail(ErrorCode::kInvalidArgument, "role: at least one is required");
  const bool admin = std::find(roles.begin(), roles.end(), model::Role::kAdmin) != roles.end();
  if (admin && roles.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "role: admin cannot be combined with a reading role (separation of duties: an "
                "administrator reads no marked data; give the person a second account)");
  }
  return {};
}

std::int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One message for a wrong username, a wrong password and a wrong code, so
// sign-in never tells whether an account exists.
constexpr const char* kBadCredentials = "sign-in failed: wrong username, password or code";

// One running password check, counted against Accounts' bound for as long as
// the guard lives; `held()` is false when the bound was already reached.
class PasswordCheckSlot {
 public:
  PasswordCheckSlot(std::atomic<int>& running, int bound) : running_(running) {
    int now = running_.load();
    while (now < bound) {
      if (running_.compare_exchange_weak(now, now + 1)) {
        held_ = true;
        return;
      }
    }
  }
  ~PasswordCheckSlot() {
    if (held_) running_.fetch_sub(1);
  }
  PasswordCheckSlot(const PasswordCheckSlot&) = delete;
  PasswordCheckSlot& operator=(const PasswordCheckSlot&) = delete;
  bool held() const { return held_; }

 private:
  std::atomic<int>& running_;
  bool held_ = false;
};

}  // namespace

Accounts::Accounts(store::Store& store, const InstanceKeys& keys, SessionLimits limits)
    : store_(store),
      keys_(keys),
      limits_(limits),
      now_(SystemNow),
      max_password_checks_(
          limits.max_concurrent_password_checks > 0
              ? limits.max_concurrent_password_checks
              : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()))) {}

Result<model::Organisation> Accounts::AddOrganisation(const std::string& name,
                                                      std::vector<std::string> trust_groups,
                                                      bool own) {
  if (name.empty() || name.size() > 100) {
    return Fail(ErrorCode::kInvalidArgument, "organisation name: 1 to 100 characters");
  }
  // A trust group is a name the read rule matches exactly: an empty one would
  // match every object that names no group (the store's default), so names
  // are 1 to 64 of a-z, 0-9, '.', '-', '_', each once, at most 20.
  if (trust_groups.size() > 20) {
    return Fail(ErrorCode::kInvalidArgument, "trust_groups: at most 20");
  }
  for (std::size_t i = 0; i < trust_groups.size(); ++i) {
    const std::string& g = trust_groups[i];
    const bool ok = !g.empty() && g.size() <= 64 && std::all_of(g.begin(), g.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    });
    if (!ok) {
      return Fail(ErrorCode::kInvalidArgument,
                  "trust_groups/" + std::to_string(i) +
                      ": 1 to 64 of a-z, 0-9, '.', '-', '_' (e.g. bilateral)");
    }
    if (std::find(trust_groups.begin(), trust_groups.begin() + static_cast<std::ptrdiff_t>(i), g) !=
        trust_groups.begin() + static_cast<std::ptrdiff_t>(i)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "trust_groups/" + std::to_string(i) + ": '" + g + "' is listed twice");
    }
  }
  model::Organisation org;
  org.name = name;
  org.trust_groups = std::move(trust_groups);
  org.own = own;
  org.created = FormatUnixTimestamp(Now());
  if (auto r = store_.AddOrganisation(org); !r) return Fail(r.error());
  return org;
}

Result<NewUser> Accounts::AddUser(const std::string& username, const std::string& org,
                                  const std::vector<model::Role>& roles,
                                  const std::string& password) {
  if (username.empty() || username.size() > 64 ||
      !std::all_of(username.begin(), username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
      })) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "username: 1 to 64 of a-z, 0-9, '.', '-', '_' (an account name, not a person's name)");
  }
  if (auto ok = CheckRoleSet(roles); !ok) return Fail(ok.error());
  if (auto ok = CheckPasswordPolicy(password); !ok) return Fail(ok.error());
  NewUser out;
  out.user.username = username;
  out.user.org = org;
  out.user.roles = roles;
  auto hash = HashPassword(password);
  if (!hash) return Fail(hash.error());
  out.user.password_hash = std::move(*hash);
  if (RequiresTotp(roles)) {
    out.totp_secret = NewTotpSecret();
    out.totp_uri = TotpUri("Corridor", username, out.totp_secret);
    out.user.totp_sealed = Seal(keys_, out.totp_secret);
  }
  out.user.created = FormatUnixTimestamp(Now());
  if (auto r = store_.AddUser(out.user); !r) return Fail(r.error());
  return out;
}

Result<NewUser> Accounts::SetRoles(const model::User& expected,
                                   const std::vector<model::Role>& roles) {
  const std::string& username = expected.username;
  std::vector<model::Role> sorted = roles;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (auto ok = CheckRoleSet(sorted); !ok) return Fail(ok.error());
  // Decided on `expected`; the store writes only if the account is still that.
  model::User user = expected;
  if (user.disabled) {
    return Fail(ErrorCode::kInvalidArgument, "user '" + username + "' is disabled");
  }
  // What an account is for stays what it is: an administrator's account (its
  // password may be another administrator's choice) never becomes a reading
  // one, a reading one never an administrator's, and a partner instance's
  // sync account never anything else, nor anything else one.
  for (const model::Role fixed : {model::Role::kAdmin, model::Role::kPartner}) {
    const bool had = std::find(user.roles.begin(), user.roles.end(), fixed) != user.roles.end();
    const bool has = std::find(sorted.begin(), sorted.end(), fixed) != sorted.end();
    if (had != has) {
      return Fail(ErrorCode::kInvalidArgument,
                  "role: " + std::string(model::RoleName(fixed)) +
                      " is neither given to nor taken from an existing account (separation of "
                      "duties: its holder's password and tokens were made for what it was); add "
                      "a second account");
    }
  }
  NewUser out;
  user.roles = std::move(sorted);
  if (RequiresTotp(user.roles) && user.totp_sealed.empty()) {
    out.totp_secret = NewTotpSecret();
    out.totp_uri = TotpUri("Corridor", username, out.totp_secret);
    user.totp_sealed = Seal(keys_, out.totp_secret);
  }
  if (auto r = store_.UpdateUser(expected, user); !r) return Fail(r.error());
  // Sessions and tokens were given for the roles before: they end.
  if (auto r = store_.DeleteSessionsOf(username); !r) return Fail(r.error());
  if (auto r = RevokeTokensOf(username); !r) return Fail(r.error());
  out.user = std::move(user);
  return out;
}

Result<void> Accounts::RevokeTokensOf(const std::string& username) {
  store::TokenQuery mine;
  mine.username = username;
  auto tokens = store_.ListTokens(mine);
  if (!tokens) return Fail(tokens.error());
  const std::string now = FormatUnixTimestamp(Now());
  for (const auto& t : *tokens) {
    if (t.revoked.empty()) {
      if (auto r = store_.RevokeToken(t.id, now); !r) return r;
    }
  }
  return {};
}

Result<void> Accounts::DisableUser(const std::string& username) {
  // Disabling applies to whatever the account is now: a change that came
  // between the read and the write is read again (never overwritten).
  for (int attempt = 0;; ++attempt) {
    auto user = store_.GetUser(username);
    if (!user) return Fail(user.error());
    model::User disabled = *user;
    disabled.disabled = true;
    auto r = store_.UpdateUser(*user, disabled);
    if (r) break;
    if (r.error().code != ErrorCode::kConflict || attempt == 4) return r;
  }
  if (auto r = store_.DeleteSessionsOf(username); !r) return r;
  return RevokeTokensOf(username);
}

Result<NewToken> Accounts::CreateToken(const std::string& username, const std::string& label) {
  auto user = store_.GetUser(username);
  if (!user) return Fail(user.error());
  if (user->disabled)
    return Fail(ErrorCode::kInvalidArgument, "user '" + username + "' is disabled");
  NewToken out;
  out.secret = "crd_" + RandomToken(32);
  out.token.id = RandomToken(6);
  out.token.username = username;
  out.token.digest = TokenDigest(out.secret);
  out.token.label = label;
  out.token.created = FormatUnixTimestamp(Now());
  if (auto r = store_.AddToken(out.token); !r) return Fail(r.error());
  return out;
}

Result<void> Accounts::RevokeToken(const std::string& id) {
  return store_.RevokeToken(id, FormatUnixTimestamp(Now()));
}

std::int64_t Accounts::RetryAfter(const std::string& key, int max_failures) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto& times = it->second;
  const std::int64_t now = Now();
  std::erase_if(times, [&](std::int64_t t) { return t <= now - limits_.failure_window_seconds; });
  if (static_cast<int>(times.size()) < max_failures) return 0;
  return times.front() + limits_.failure_window_seconds - now;
}

bool Accounts::FirstRefusal(const std::string& key, std::int64_t until) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t now = Now();
  std::erase_if(refused_until_, [&](const auto& kv) { return kv.second <= now; });
  return refused_until_.emplace(key, until).second;
}

void Accounts::RecordFailure(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_[key].push_back(Now());
}

tl::expected<SignedIn, AuthError> Accounts::SignIn(const std::string& username,
                                                   const std::string& password,
                                                   const std::string& totp_code,
                                                   const std::string& remote_addr) {
  const std::string account_key = "user:" + username;
  const std::string address_key = "addr:" + remote_addr;
  if (const auto wait = RetryAfter(account_key, limits_.max_failures_per_account); wait > 0) {
    return tl::make_unexpected(AuthError{
        AuthFailure::kRateLimited,
        "too many failed sign-ins for this account; try again in " + std::to_string(wait) + " s",
        wait, FirstRefusal(account_key, Now() + wait)});
  }
  if (const auto wait = RetryAfter(address_key, limits_.max_failures_per_address); wait > 0) {
    return tl::make_unexpected(AuthError{
        AuthFailure::kRateLimited,
        "too many failed sign-ins from this address; try again in " + std::to_string(wait) + " s",
        wait, FirstRefusal(address_key, Now() + wait)});
  }
  const PasswordCheckSlot slot(password_checks_, max_password_checks_);
  if (!slot.held()) {
    return tl::make_unexpected(AuthError{AuthFailure::kBusy,
                                         "sign-in is busy (" +
                                             std::to_string(max_password_checks_) +
                                             " password checks running); try again in 1 s",
                                         1});
  }
  const auto fail = [&](AuthFailure kind, std::string message) {
    RecordFailure(account_key);
    RecordFailure(address_key);
    return tl::make_unexpected(AuthError{kind, std::move(message), 0});
  };
  auto user = store_.GetUser(username);
  if (!user) {
    // Spend the time a real check would, so timing does not tell either.
    (void)VerifyPassword(password,
                         "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                         "qLml5cbqFAO6YxVHhrSBHP0UWdxrIxkNcM8aMX3blzU");
    return fail(AuthFailure::kInvalid, kBadCredentials);
  }
  if (!VerifyPassword(password, user->password_hash)) {
    return fail(AuthFailure::kInvalid, kBadCredentials);
  }
  if (user->disabled) return fail(AuthFailure::kDisabled, "this account is disabled");
  bool mfa = false;
  if (!user->totp_sealed.empty()) {
    if (totp_code.empty()) {
      return fail(AuthFailure::kNeedsTotp, "this account needs its 6-digit authenticator code");
    }
    auto secret = Open(keys_, user->totp_sealed);
    if (!secret) return fail(AuthFailure::kInvalid, "the stored second factor cannot be opened");
    const auto step = VerifyTotp(*secret, totp_code, Now(), user->totp_last_step);
    if (!step) return fail(AuthFailure::kInvalid, kBadCredentials);
    auto advanced = store_.AdvanceTotpStep(username, *step);
    if (!advanced || !*advanced) return fail(AuthFailure::kInvalid, kBadCredentials);
    mfa = true;
  }
  SignedIn out;
  out.cookie_value = RandomToken(32);
  out.csrf_token = RandomToken(24);
  model::Session session;
  session.digest = TokenDigest(out.cookie_value);
  session.username = username;
  session.csrf_token = out.csrf_token;
  session.mfa = mfa;
  session.created = session.last_seen = FormatUnixTimestamp(Now());
  if (auto r = store_.PutSession(session); !r) {
    return tl::make_unexpected(AuthError{AuthFailure::kInvalid, r.error().message, 0});
  }
  auto principal = PrincipalOf(username, mfa);
  if (!principal) {
    return tl::make_unexpected(AuthError{AuthFailure::kInvalid, principal.error().message, 0});
  }
  out.principal = std::move(*principal);
  return out;
}

tl::expected<std::pair<Principal, model::Session>, AuthError> Accounts::FromSession(
    const std::string& cookie_value) {
  auto session = store_.GetSession(TokenDigest(cookie_value));
  if (!session) {
    return tl::make_unexpected(
        AuthError{AuthFailure::kInvalid, "not signed in (unknown session)", 0});
  }
  const std::int64_t now = Now();
  const auto created = ParseUnixTimestamp(session->created).value_or(0);
  const auto last_seen = ParseUnixTimestamp(session->last_seen).value_or(0);
  if (now - created > limits_.absolute_seconds || now - last_seen > limits_.idle_seconds) {
    (void)store_.DeleteSession(session->digest);
    return tl::make_unexpected(
        AuthError{AuthFailure::kExpired, "the session has expired; sign in again", 0});
  }
  auto principal = PrincipalOf(session->username, session->mfa);
  if (!principal) {
    return tl::make_unexpected(AuthError{AuthFailure::kInvalid, principal.error().message, 0});
  }
  // Refresh the idle timer at most once a minute (a write per request is waste).
  if (now - last_seen >= 60) {
    session->last_seen = FormatUnixTimestamp(now);
    (void)store_.PutSession(*session);
  }
  return std::make_pair(std::move(*principal), std::move(*session));
}

tl::expected<Principal, AuthError> Accounts::FromToken(const std::string& bearer) {
  // The lookup is by digest: the index probe's timing depends only on a
  // SHA-256 of a 256-bit random secret, and the final comparison is constant-time.
  const std::string digest = TokenDigest(bearer);
  auto token = store_.FindToken(digest);
  if (!token || !ConstantTimeEquals(token->digest, digest) || !token->revoked.empty()) {
    return tl::make_unexpected(AuthError{AuthFailure::kInvalid, "invalid or revoked token", 0});
  }
  auto principal = PrincipalOf(token->username, /*mfa=*/false);
  if (!principal) {
    return tl::make_unexpected(AuthError{AuthFailure::kInvalid, principal.error().message, 0});
  }
  principal->via_token = true;
  return *principal;
}

Result<void> Accounts::SignOut(const std::string& cookie_value) {
  return store_.DeleteSession(TokenDigest(cookie_value));
}

Result<Principal> Accounts::PrincipalOf(const std::string& username, bool mfa) const {
  return LoadPrincipal(store_, username, mfa);
}

Result<Principal> LoadPrincipal(const store::Store& store, const std::string& username, bool mfa) {
  auto user = store.GetUser(username);
  if (!user) return Fail(user.error());
  if (user->disabled) return Fail(ErrorCode::kInvalidArgument, "this account is disabled");
  auto org = store.GetOrganisation(user->org);
  if (!org) return Fail(org.error());
  Principal p;
  p.username = user->username;
  p.org = user->org;
  p.roles = user->roles;
  p.trust_groups = org->trust_groups;
  p.mfa = mfa;
  return p;
}

store::Viewer ViewerFor(const Principal& principal) {
  store::Viewer v;
  v.username = principal.username;
  v.org = principal.org;
  // (Never an empty group name: the store's visibility filter would match
  // every object that names no group.)
  for (const auto& g : principal.trust_groups) {
    if (!g.empty()) v.trust_groups.push_back(g);
  }
  // The most restrictive marking the principal could read on an object of
  // its own (author and organisation): what its roles and session allow at
  // all. Who else may read each object is the store query's part of the rule.
  v.max_tlp = model::Tlp::kClear;
  for (int t = model::kTlpCount - 1; t > 0; --t) {
    model::Marking own;
    own.tlp = static_cast<model::Tlp>(t);
    own.author = principal.username;
    own.author_org = principal.org;
    if (Decide(principal, Action::kRead, &own).allowed) {
      v.max_tlp = own.tlp;
      break;
    }
  }
  return v;
}

}  // namespace corridor::auth
