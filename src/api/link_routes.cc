#include "api/link_routes.h"

#include "api/caller.h"
#include "api/json_body.h"
#include "corridor/api/route.h"
#include "corridor/service/incidents.h"
#include "corridor/service/links.h"

namespace corridor::api {
namespace {

using nlohmann::json;

struct LinkIdParams {
  std::string id;
  static const service::ParamSchema<LinkIdParams>& Schema() {
    static const auto kSchema = service::ParamSchema<LinkIdParams>()
                                    .Text("id", &LinkIdParams::id, "The link's id", 64)
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response Json(const Result<json>& r, int status = 200) {
  if (!r) return ErrorResponse(r.error());
  return JsonResponse(*r, status);
}

}  // namespace

void AddLinkRoutes(std::vector<Route>& routes, const service::Context& ctx) {
  using auth::Action;
  const service::Context* c = &ctx;
  routes.push_back(Declare<service::ListLinksParams>(
      "GET", "/api/v1/links",
      "Links between records of different sources that may be one event, best score first, "
      "both records readable",
      [c](const Request& r, const service::ListLinksParams& p) {
        return Json(service::ListLinks(*c, CallerOf(r), p));
      }));
  routes.push_back(Declare<service::FindLinksParams>(
      "POST", "/api/v1/links/find",
      "Run the matcher over the readable incidents and add the new candidate links (audited)",
      [c](const Request& r, const service::FindLinksParams& p) {
        return Json(service::FindLinks(*c, CallerOf(r), p));
      },
      Action::kLinkIncidents));
  Route decide = Declare<LinkIdParams>(
      "POST", "/api/v1/links/{id}/decision",
      "Confirm or reject a candidate link: {decision: confirm|reject, note}; a confirmed "
      "event counts once, in the record the documented rule keeps (audited; 409 when decided "
      "meanwhile)",
      [c](const Request& r, const LinkIdParams& id) {
        auto b = Body::Parse(r.body, {"decision", "note"});
        if (!b) return ErrorResponse(b.error());
        service::DecideLinkParams p;
        p.id = id.id;
        if (auto ok = All({b->Require("decision"), b->Text("decision", &p.decision),
                           b->Text("note", &p.note)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        return Json(service::DecideLink(*c, CallerOf(r), p));
      },
      Action::kLinkIncidents);
  decide.request_body = {{"type", "object"},
                         {"required", {"decision"}},
                         {"additionalProperties", false},
                         {"properties",
                          {{"decision", {{"type", "string"}, {"enum", {"confirm", "reject"}}}},
                           {"note", {{"type", "string"}, {"maxLength", 1000}}}}}};
  routes.push_back(std::move(decide));
  routes.push_back(Declare<service::GetIncidentParams>(
      "GET", "/api/v1/incidents/{id}/links",
      "The other sources' records of this incident's event the caller may read (also reported "
      "by), confirmed first",
      [c](const Request& r, const service::GetIncidentParams& p) {
        auto links = service::AlsoReportedBy(*c, CallerOf(r), p.id);
        if (!links) return ErrorResponse(links.error());
        return JsonResponse(json{{"items", *links}, {"count", links->size()}});
      }));
}

}  // namespace corridor::api
