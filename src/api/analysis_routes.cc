// GET /api/v1/risk/... (one route per analysis of service/analyses.h, each
// under the per-request budget and the per-user limit) and the jobs that run
// the same analyses for longer: POST/GET /api/v1/jobs, GET /api/v1/jobs/{id},
// POST /api/v1/jobs/{id}/cancel.
#include "api/analysis_routes.h"

#include "api/caller.h"
#include "corridor/api/route.h"
#include "corridor/service/briefing.h"
#include "corridor/service/gazetteer.h"
#include "corridor/service/jobs.h"
#include "corridor/service/routing.h"

namespace corridor::api {
namespace {

using nlohmann::json;

struct JobIdParams {
  std::string id;
  static const service::ParamSchema<JobIdParams>& Schema() {
    static const auto kSchema = service::ParamSchema<JobIdParams>()
                                    .Text("id", &JobIdParams::id, "The job's id", 36)
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct ListJobsParams {
  int limit = 50;
  static const service::ParamSchema<ListJobsParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<ListJobsParams>()
            .Integer("limit", &ListJobsParams::limit, "At most this many, newest first", 1, 1000)
            .Default(50);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response JobResponse(const Result<store::Job>& job, int status = 200) {
  if (!job) return ErrorResponse(job.error());
  Response r = JsonResponse(service::JobJson(*job), status);
  if (status == 202) r.headers.emplace_back("Location", "/api/v1/jobs/" + job->id);
  return r;
}

}  // namespace

void AddRoutePlanningRoutes(std::vector<Route>& routes, const service::Context& ctx,
                            service::ComputeGate& gate) {
  const service::Context* c = &ctx;
  service::ComputeGate* g = &gate;
  routes.push_back(Declare<service::RouteParams>(
      "GET", "/api/v1/route",
      "The shortest and the lowest-risk route between two points on the loaded OpenStreetMap "
      "roads, with the risk (incident-km) along each (docs/routing.md)",
      [c, g](const Request& r, const service::RouteParams& p) {
        const service::Caller caller = CallerOf(r);
        auto body = g->Run(caller.actor, [&]() -> Result<std::string> {
          auto plan = service::PlanRoute(*c, caller, p);
          if (!plan) return Fail(plan.error());
          return plan->dump();
        });
        if (!body) return ErrorResponse(body.error());
        Response out;
        out.body = std::move(*body);
        out.content_type = "application/json";
        return out;
      },
      auth::Action::kReadSites));
}

void AddBriefingRoute(std::vector<Route>& routes, const service::Context& ctx,
                      service::ComputeGate& gate) {
  const service::Context* c = &ctx;
  service::ComputeGate* g = &gate;
  routes.push_back(Declare<service::BriefingParams>(
      "GET", "/api/v1/briefing",
      "A dated, marked briefing on one area and one month, as HTML or PDF (docs/briefing.md); "
      "read as an export and audited",
      [c, g](const Request& r, const service::BriefingParams& p) {
        const service::Caller caller = CallerOf(r);
        // Printing runs Chromium for seconds: through the same gate as the analyses.
        auto body = g->Run(caller.actor, [&]() -> Result<std::string> {
          risk::Budget budget(g->limits().briefing_budget);
          auto doc = service::CollectBriefing(*c, caller, p, &budget);
          if (!doc) return Fail(doc.error());
          std::string html = briefing::RenderHtml(*doc);
          if (p.format == "pdf") return briefing::RenderPdf(html);
          return html;
        });
        if (!body) return ErrorResponse(body.error());
        Response out;
        out.body = std::move(*body);
        out.content_type = p.format == "pdf" ? "application/pdf" : "text/html; charset=utf-8";
        out.headers.emplace_back("Content-Disposition", "attachment; filename=\"briefing-" +
                                                            p.area + "-" + p.period + "-" + p.lang +
                                                            "." + p.format + "\"");
        return out;
      },
      auth::Action::kExport));
}

void AddPlaceRoutes(std::vector<Route>& routes, const service::Context& ctx) {
  const service::Context* c = &ctx;
  routes.push_back(Declare<service::PlaceSearchParams>(
      "GET", "/api/v1/places",
      "Places (GeoNames) found by their name in English, Urdu or Chinese, best match first; "
      "without q, the most populous (docs/places.md)",
      [c](const Request& r, const service::PlaceSearchParams& p) {
        auto found = service::SearchPlaces(*c, CallerOf(r), p);
        if (!found) return ErrorResponse(found.error());
        Response out;
        out.body = found->dump();
        out.content_type = "application/json";
        return out;
      },
      auth::Action::kRead));
}

void AddAnalysisRoutes(std::vector<Route>& routes, const service::Context& ctx,
                       service::ComputeGate& gate) {
  const service::Context* c = &ctx;
  service::ComputeGate* g = &gate;
  for (const service::Analysis& a : service::Analyses()) {
    Route r;
    r.method = "GET";
    r.path = a.path;
    r.regex = PathRegex(a.path, &r.path_param_names);
    r.summary = a.summary + " (bounded parameters; past the request budget, submit a job)";
    r.action = a.action;
    r.parameters = a.parameters;
    const service::Analysis* analysis = &a;
    r.handler = [c, g, analysis](const Request& request) -> Response {
      auto body = service::RunAnalysis(*c, *g, CallerOf(request), *analysis, request.query,
                                       request.path_params);
      if (!body) return ErrorResponse(body.error());
      Response out;
      out.content_type = analysis->content_type;
      out.body = std::move(*body);
      return out;
    };
    routes.push_back(std::move(r));
  }
}

void AddJobRoutes(std::vector<Route>& routes, const service::Context& ctx) {
  const service::Context* c = &ctx;
  Route submit = Declare<service::NoParams>(
      "POST", "/api/v1/jobs",
      "Queue an analysis as a job: {\"kind\": \"risk.knox\", \"params\": {...the GET route's "
      "parameters}}; 202 with the job and its Location",
      [c](const Request& r, const service::NoParams&) {
        auto body = json::parse(r.body, nullptr, false);
        if (body.is_discarded()) {
          return ErrorResponse({ErrorCode::kInvalidArgument, "/: the body is not JSON"});
        }
        auto p = service::SubmitJobParamsFromJson(body);
        if (!p) return ErrorResponse(p.error());
        return JobResponse(service::SubmitJob(*c, CallerOf(r), *p), 202);
      });
  json kinds = json::array();
  for (const auto& a : service::Analyses()) kinds.push_back(a.kind);
  submit.request_body = {{"type", "object"},
                         {"required", {"kind"}},
                         {"additionalProperties", false},
                         {"properties",
                          {{"kind", {{"type", "string"}, {"enum", kinds}}},
                           {"params", {{"type", "object"}, {"maxProperties", 32}}}}}};
  routes.push_back(std::move(submit));
  routes.push_back(
      Declare<ListJobsParams>("GET", "/api/v1/jobs", "The signed-in user's jobs, newest first",
                              [c](const Request& r, const ListJobsParams& p) {
                                auto jobs = service::ListJobs(*c, CallerOf(r), p.limit);
                                if (!jobs) return ErrorResponse(jobs.error());
                                json items = json::array();
                                for (const auto& j : *jobs) items.push_back(service::JobJson(j));
                                return JsonResponse({{"items", items}, {"count", items.size()}});
                              }));
  routes.push_back(Declare<JobIdParams>(
      "GET", "/api/v1/jobs/{id}", "One of the signed-in user's jobs: state, progress, result",
      [c](const Request& r, const JobIdParams& p) {
        return JobResponse(service::GetJob(*c, CallerOf(r), p.id));
      }));
  routes.push_back(Declare<JobIdParams>(
      "POST", "/api/v1/jobs/{id}/cancel", "Cancel one of the signed-in user's jobs",
      [c](const Request& r, const JobIdParams& p) {
        return JobResponse(service::CancelJob(*c, CallerOf(r), p.id));
      }));
}

}  // namespace corridor::api
