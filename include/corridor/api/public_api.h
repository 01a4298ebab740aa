// The public side's HTTP surface (issue 13 §2, §3), served by `corridor
// public serve` only: the portal (server-rendered HTML in Urdu, English and
// Chinese, no JavaScript needed) and the public JSON API with its OpenAPI 3.1
// document, both read-only, open and cacheable; and the staff routes, each
// with `Authorization: Bearer <token>` of a public account (`corridor public
// users token`), never cached: disclosure requests and their decisions, the
// same use cases as `corridor public projects disclose|approve|reject`.
// Reads the public store only; this library never links the security store
// (tests/public/link_graph_test.cc).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "corridor/api/http.h"
#include "corridor/public_side/client_limits.h"
#include "corridor/public_side/exports.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api {

class PublicApi {
 public:
  // `db` (a public store) and `audit` must outlive this object. Without
  // `audit` the staff routes are not served (the surface is read-only).
  // `limits`: what one anonymous client may do per hour (the grievance routes).
  PublicApi(store::Database& db, public_side::Publication publication,
            public_side::PublicAuditLog* audit = nullptr, public_side::ClientLimits limits = {});
  ~PublicApi();
  const std::vector<Route>& routes() const;

 private:
  struct Impl;
  static void AddStaffRoutes(Impl& m, public_side::PublicAuditLog& audit);
  // An editor's split and merge (public_side/grouping.h).
  static void AddGroupingRoutes(Impl& m, public_side::PublicAuditLog& audit);
  std::unique_ptr<Impl> impl_;
};

// The language of a portal request without one in its path: the first of
// ur, en, zh in Accept-Language (q-values respected), else en.
std::string PickLanguage(const std::string& accept_language);

// The largest request body `path` takes: 64 KiB, but the attachment routes
// (public_side/attachments.h: 5 MiB and 64 KiB for the form around it). For
// server::ServerOptions::body_limit, checked before a body is read.
std::size_t PublicBodyLimit(const std::string& path);

}  // namespace corridor::api
