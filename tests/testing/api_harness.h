// An Api with the security model around it, for tests that call routes: an
// instance key in a temporary file, accounts, an audit log, one organisation
// and a bearer token for a user of the given role.
#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "corridor/api/api.h"
#include "corridor/auth/accounts.h"
#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/stix/signature.h"

namespace corridor::testing {

// The route declared as `method` `path` (its template, "/api/v1/incidents/{id}"),
// for calling its handler directly; throws naming it when there is none.
inline const api::Route& FindRoute(const api::Api& a, const std::string& method,
                                   const std::string& path) {
  for (const auto& r : a.routes()) {
    if (r.method == method && r.path == path) return r;
  }
  throw std::runtime_error("no route " + method + " " + path);
}

class ApiHarness {
 public:
  // `store` must outlive the harness; `keys_file` must not exist yet.
  static Result<std::unique_ptr<ApiHarness>> Create(store::Store& store,
                                                    const std::filesystem::path& keys_file,
                                                    model::Role role = model::Role::kCommittee) {
    if (auto ok = auth::InitCrypto(); !ok) return Fail(ok.error());
    auto h = std::unique_ptr<ApiHarness>(new ApiHarness());
    auto keys = auth::LoadOrCreateInstanceKeys(keys_file.string());
    if (!keys) return Fail(keys.error());
    h->keys_ = std::move(*keys);
    h->accounts_ = std::make_unique<auth::Accounts>(store, h->keys_);
    h->audit_ = std::make_unique<auth::AuditLog>(store, h->keys_);
    // Several harnesses may share one store: the organisation may exist.
    if (auto o = h->accounts_->AddOrganisation("PK-TEST", {"bilateral"}, true);
        !o && o.error().code != ErrorCode::kConflict) {
      return Fail(o.error());
    }
    static int serial = 0;
    const std::string username = "tester-" + std::to_string(++serial);
    if (auto u = h->accounts_->AddUser(username, "PK-TEST", {role}, "correct horse battery"); !u) {
      return Fail(u.error());
    }
    auto token = h->accounts_->CreateToken(username, "tests");
    if (!token) return Fail(token.error());
    h->token_ = token->secret;
    api::TaxiiOptions taxii;
    taxii.signing_key = stix::SigningKeyFrom(h->keys_);  // as `corridor serve` signs
    h->api_ = std::make_unique<api::Api>(store, *h->accounts_, *h->audit_, std::move(taxii));
    return h;
  }

  api::Api& api() { return *api_; }
  auth::Accounts& accounts() { return *accounts_; }
  auth::AuditLog& audit() { return *audit_; }
  const auth::InstanceKeys& keys() const { return keys_; }
  // The bearer token of the harness's user.
  const std::string& token() const { return token_; }
  // A request carrying that token, for calling a route's handler directly.
  api::Request Authorised(std::string method = "GET") const {
    api::Request r;
    r.method = std::move(method);
    r.headers["authorization"] = "Bearer " + token_;
    r.remote_addr = "127.0.0.1";
    return r;
  }

 private:
  ApiHarness() = default;
  auth::InstanceKeys keys_;
  std::unique_ptr<auth::Accounts> accounts_;
  std::unique_ptr<auth::AuditLog> audit_;
  std::unique_ptr<api::Api> api_;
  std::string token_;
};

}  // namespace corridor::testing
