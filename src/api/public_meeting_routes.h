// The meeting routes of the public API (public_meeting_routes.cc): the public
// calendar as JSON, iCalendar and portal pages, and the moderators' routes to
// schedule, minute and cancel. Private to src/api.
#pragma once

#include <string>
#include <vector>

#include "corridor/api/route.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::api {

// Reading is open; scheduling, minutes and cancelling need a moderator's or
// public-admin's token (and an audit log: without one, only the reads).
// `base_uri` is the portal's public address, for the calendar's links.
void AddMeetingRoutes(std::vector<Route>& routes, store::Database& db,
                      public_side::PublicAuditLog* audit, const std::string& base_uri);

}  // namespace corridor::api
