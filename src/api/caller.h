// The service layer's Caller for an authenticated request. Private to api/.
#pragma once

#include "corridor/api/http.h"
#include "corridor/service/service.h"

namespace corridor::api {

inline service::Caller CallerOf(const Request& request) {
  service::Caller c;
  c.actor = request.actor;
  c.principal = request.principal;
  c.viewer = request.viewer;
  c.via = request.path;
  return c;
}

}  // namespace corridor::api
