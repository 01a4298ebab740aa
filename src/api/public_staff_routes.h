// The portal's staff pages over HTTP (issue 14; docs/public.md "Staff
// pages"): grievance officers and moderators sign in with a password and work
// in the browser, without JavaScript, through the same use cases as the
// bearer-token API and `corridor public …`. Private to src/api.
#pragma once

#include <vector>

#include "api/public_limits.h"
#include "corridor/api/route.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api {

// Adds /{ur,en,zh}/staff/… . The session is a cookie holding a token of the
// public account store (HttpOnly, SameSite=Strict, Secure over HTTPS; 12
// hours), accepted only over HTTPS or from loopback; every form post must
// carry the session's CSRF token and come from this origin. None when `audit`
// is null (a read-only server).
void AddStaffPortalRoutes(std::vector<Route>& routes, store::Database& db,
                          public_side::PublicAuditLog* audit, const ResidentLimits& limits);

}  // namespace corridor::api
