// Accounts and sign-in over the store (docs/security.md): organisations,
// users, bearer tokens, browser sessions with CSRF tokens and expiry, TOTP,
// and sign-in rate limits. The decisions on what a signed-in principal may do
// are policy.h's; this class only establishes who is asking.
//
// Thread-safe: the rate limiter is guarded by a mutex; everything else is the
// store's.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "corridor/auth/crypto.h"
#include "corridor/auth/policy.h"
#include "corridor/common/result.h"
#include "corridor/store/store.h"

namespace corridor::auth {

struct SessionLimits {
  std::int64_t idle_seconds = std::int64_t{30} * 60;  // no request for this long ends a session
  std::int64_t absolute_seconds = std::int64_t{12} * 60 * 60;  // no session lives longer
  int max_failures_per_account = 5;                            // within failure_window_seconds
  int max_failures_per_address = 20;
  std::int64_t failure_window_seconds = std::int64_t{15} * 60;
  // Password checks (Argon2id, 64 MiB and ~0.1 s of one core each) running at
  // once; a sign-in beyond this is refused at once (kRateLimited, retry in 1 s)
  // instead of queueing, so a flood of sign-ins costs bounded memory and time
  // and the requests behind it are not starved. 0 = one per hardware thread.
  int max_concurrent_password_checks = 0;
};

// What sign-in hands the browser: the cookie value (shown once, stored only as
// a digest) and the CSRF token to send back in X-CSRF-Token.
struct SignedIn {
  std::string cookie_value;
  std::string csrf_token;
  Principal principal;
};

// A new user's secrets, shown once.
struct NewUser {
  model::User user;
  std::string totp_secret;  // base32; "" when the roles need no second factor
  std::string totp_uri;     // otpauth:// URI for an authenticator app
};

struct NewToken {
  model::ApiToken token;  // id, username, label, created (digest only)
  std::string secret;     // the bearer token, shown once
};

// Why authentication failed, for the HTTP status and the message.
// kBusy: refused before any check because max_concurrent_password_checks are
// running (nothing about the account was looked at: not audited one by one).
enum class AuthFailure { kMissing, kInvalid, kExpired, kRateLimited, kDisabled, kNeedsTotp, kBusy };
struct AuthError {
  AuthFailure kind;
  std::string message;           // safe to show: never says whether the username exists
  std::int64_t retry_after = 0;  // seconds, for kRateLimited and kBusy
  // kRateLimited: the first refusal of this account or address in its
  // lock-out (audit that one; the ones after it are the same fact again).
  bool first_refusal = true;
};

class Accounts {
 public:
  // `store` and `keys` must outlive this object.
  Accounts(store::Store& store, const InstanceKeys& keys, SessionLimits limits = {});

  Result<model::Organisation> AddOrganisation(const std::string& name,
                                              std::vector<std::string> trust_groups, bool own);
  // Checks the password policy, hashes with Argon2id, enrols TOTP when the
  // roles may read RED (RequiresTotp). kInvalidArgument for a bad role set
  // (none) or password; kConflict when the username exists.
  Result<NewUser> AddUser(const std::string& username, const std::string& org,
                          const std::vector<model::Role>& roles, const std::string& password);
  // Disables the user, ends their sessions and revokes their tokens.
  Result<void> DisableUser(const std::string& username);
  // Gives the account exactly `roles` (the same rules as AddUser), ends its
  // sessions and revokes its tokens, so the person signs in again under them.
  // Admin and partner are never given to or taken from an existing account
  // (kInvalidArgument "role: ..."): a second account is added instead. When
  // the new roles read TLP:RED and the account has no second factor yet, one
  // is enrolled and its secret returned (shown once); otherwise totp_secret is
  // "". kInvalidArgument for a disabled account or a bad role set.
  // Compare-and-set: `expected` is the account as the caller read it and made
  // its checks on; the roles are written only if it is still exactly that
  // (kConflict otherwise: read it again and decide again).
  Result<NewUser> SetRoles(const model::User& expected, const std::vector<model::Role>& roles);
  Result<NewToken> CreateToken(const std::string& username, const std::string& label);
  Result<void> RevokeToken(const std::string& id);

  // Password (and TOTP code when the user has a second factor) → a session.
  // Failures are counted per account and per address; over the limit the
  // answer is kRateLimited with retry_after, even for a correct password.
  // When max_concurrent_password_checks are already running the answer is
  // kBusy with retry_after 1, before the account is looked up (so it
  // tells nothing about the account) and without counting as a failure.
  tl::expected<SignedIn, AuthError> SignIn(const std::string& username, const std::string& password,
                                           const std::string& totp_code,
                                           const std::string& remote_addr);
  // The principal of a session cookie value; refreshes its idle timer.
  tl::expected<std::pair<Principal, model::Session>, AuthError> FromSession(
      const std::string& cookie_value);
  // The principal of a bearer token (never mfa: tokens do not read RED).
  tl::expected<Principal, AuthError> FromToken(const std::string& bearer);
  Result<void> SignOut(const std::string& cookie_value);

  // The principal of a stored user (no second factor), for CLI paths.
  Result<Principal> PrincipalOf(const std::string& username, bool mfa) const;

  const SessionLimits& limits() const { return limits_; }
  // For tests: the clock sign-in, expiry and TOTP use (unix seconds).
  void SetClockForTesting(std::function<std::int64_t()> now) { now_ = std::move(now); }

 private:
  std::int64_t Now() const { return now_(); }
  // Seconds until `key` may try again (0 = may try now).
  std::int64_t RetryAfter(const std::string& key, int max_failures);
  void RecordFailure(const std::string& key);
  Result<void> RevokeTokensOf(const std::string& username);
  // True the first time `key` is refused within the lock-out ending at `until`.
  bool FirstRefusal(const std::string& key, std::int64_t until);

  store::Store& store_;
  const InstanceKeys& keys_;
  SessionLimits limits_;
  std::function<std::int64_t()> now_;
  int max_password_checks_;
  std::atomic<int> password_checks_{0};  // running now, at most max_password_checks_
  std::mutex mu_;                        // guards failures_
  std::map<std::string, std::vector<std::int64_t>> failures_;  // key -> failure times
  std::map<std::string, std::int64_t> refused_until_;          // key -> end of the refused lock-out
};

// What a principal may read, as the store's query filter (policy.h's rule).
store::Viewer ViewerFor(const Principal& principal);

// The principal of a stored user as the store holds it now: its roles, its
// organisation's trust groups. kInvalidArgument when the account is disabled,
// kNotFound when there is none. Work done later for a user (a job) is decided
// again with this, never with what the user held when they asked.
Result<Principal> LoadPrincipal(const store::Store& store, const std::string& username, bool mfa);

}  // namespace corridor::auth
