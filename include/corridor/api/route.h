// Routes declared once (issue 18 §1): method, path template, parameters type
// and handler in one row, from which the server's path pattern, the parameter
// parsing (with P::Validate) and the OpenAPI entry are derived.
//
//   routes.push_back(Declare<ListIncidentsParams>(
//       "GET", "/api/v1/incidents/{id}", "One incident by id",
//       [&](const Request& r, const ListIncidentsParams& p) { ... }));
//
// Header only (used by both sides' APIs).
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "corridor/api/http.h"
#include "corridor/service/schema.h"

namespace corridor::api {

// The server's regex for an OpenAPI path template ("/api/v1/areas/{pcode}"
// → "/api/v1/areas/([^/]+)", dots escaped) and the names of its parameters.
inline std::string PathRegex(const std::string& path, std::vector<std::string>* names) {
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '{') {
      const std::size_t end = path.find('}', i);
      if (names) names->push_back(path.substr(i + 1, end - i - 1));
      out += "([^/]+)";
      i = end;
    } else if (c == '.' || c == '+' || c == '(' || c == ')' || c == '[' || c == ']' ||
               c == '*' || c == '?' || c == '^' || c == '$' || c == '|' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

// A route whose query and path parameters are P (P::Schema(), P::Validate()).
// The handler runs only with parameters that parsed and validated; otherwise
// the answer is 400 naming the parameter. `action` as in Route.
template <typename P>
Route Declare(std::string method, std::string path, std::string summary,
              std::function<Response(const Request&, const P&)> handler,
              std::optional<auth::Action> action = auth::Action::kRead) {
  Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.regex = PathRegex(r.path, &r.path_param_names);
  r.summary = std::move(summary);
  r.action = action;
  r.parameters = P::Schema().OpenApi();
  // The path template and the params type must name the same path parameters:
  // a mismatch is a programming error found when the routes are built.
  std::vector<std::string> declared;
  for (const auto& f : P::Schema().fields()) {
    if (f.in == service::ParamIn::kPath) declared.push_back(f.name);
  }
  if (declared != r.path_param_names) {
    throw std::logic_error("route " + r.method + " " + r.path +
                           ": its params type does not declare exactly its path parameters");
  }
  r.handler = [handler = std::move(handler)](const Request& request) -> Response {
    P params{};
    if (auto ok = P::Schema().ParseInto(params, request.query, request.path_params); !ok) {
      return ErrorResponse(ok.error());
    }
    if (auto ok = params.Validate(); !ok) return ErrorResponse(ok.error());
    return handler(request, params);
  };
  return r;
}

}  // namespace corridor::api
