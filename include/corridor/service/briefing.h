// The briefing use case (issue 15 §4, docs/briefing.md), shared by
// `corridor briefing` and GET /api/v1/briefing: collects, from what the
// caller may read, a briefing::Document for one area and one month.
//
// Needs `export` (the document leaves the system). Its incidents are read as
// an export (audited, the marked ones by id, before anything is returned);
// the site exposure section needs `read-sites`, the committee's actions
// `read-committee` (their marked ones audited too) — a caller without them
// gets the document with the section saying so. The document's marking is
// the highest of what it contains.
#pragma once

#include <string>

#include "corridor/briefing/briefing.h"
#include "corridor/risk/budget.h"
#include "corridor/service/schema.h"
#include "corridor/service/service.h"

namespace corridor::service {

struct BriefingParams {
  std::string period;  // YYYY-MM
  std::string area;    // a province or district P-code
  std::string lang = "en";
  std::string issued;  // YYYY-MM-DD; "" = today (UTC). Also the day "overdue" is judged on.
  std::string format = "html";  // html or pdf: how the caller renders the Document
  static const ParamSchema<BriefingParams>& Schema();
  // kInvalidArgument naming the parameter.
  Result<void> Validate() const;
};

// kInvalidArgument for bad parameters or an unknown area; kPermissionDenied
// without `export`. The analyses run under `budget` (null: unlimited); past
// it, kUnavailable and no document (never one with a section missing).
Result<briefing::Document> CollectBriefing(const Context& ctx, const Caller& caller,
                                           const BriefingParams& p,
                                           const risk::Budget* budget = nullptr);

}  // namespace corridor::service
