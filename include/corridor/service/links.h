// One event, several sources (issue 17 item 11, docs/links.md): the matcher's
// candidate links (corridor/matching/matching.h), an analyst's confirmation
// or rejection, and "also reported by" on an incident. Shared by
// /api/v1/links... and `corridor links`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "corridor/common/uuid.h"
#include "corridor/service/schema.h"
#include "corridor/service/service.h"

namespace corridor::service {

struct FindLinksParams {
  double min_score = 0.6;  // 0.3..1
  static const ParamSchema<FindLinksParams>& Schema();
  Result<void> Validate() const { return Schema().Check(*this); }
};

// Runs the matcher over every non-revoked incident the caller may read (the
// local operator and the system: all) and adds the pairs not linked yet as
// candidates; decided links are never reopened. Needs link-incidents.
// Audited ("links-find"). {"incidents": compared, "candidates": found,
// "new": added, "states": {state: links}}.
Result<nlohmann::json> FindLinks(const Context& ctx, const Caller& caller,
                                 const FindLinksParams& p);

struct ListLinksParams {
  std::string state = "candidate";  // candidate | confirmed | rejected | all
  int limit = 50;                   // 1..500
  int offset = 0;                   // 0..1,000,000
  static const ParamSchema<ListLinksParams>& Schema();
  Result<void> Validate() const { return Schema().Check(*this); }
};

// The links both of whose records the caller may read, best score first:
// {"items": [{"id","score","reasons","distance_km","gap_days","state","kept",
// "decided_by","decided_at","note","a": record,"b": record}], "count",
// "offset","limit","states"}, a record being {"id","dataset","source_id",
// "date_start","date_end","location","location_precision","killed",
// "category","headline","marking"}. A page may hold fewer than `limit` when
// links to records the caller may not read are left out. Marked records
// shown are audited as read. Needs read (any reading role).
Result<nlohmann::json> ListLinks(const Context& ctx, const Caller& caller,
                                 const ListLinksParams& p);

struct DecideLinkParams {
  std::string id;
  std::string decision;  // confirm | reject
  std::string note;      // at most 1,000 bytes
  static const ParamSchema<DecideLinkParams>& Schema();
  Result<void> Validate() const { return Schema().Check(*this); }
};

// Confirms or rejects a candidate (needs link-incidents and both records
// readable; kNotFound otherwise, as for a missing link). On confirmation the
// record whose figures count is chosen by the documented rule (KeptRecord)
// and the other is counted in it from then on. kConflict when the link was
// decided meanwhile (compare-and-set). Audited ("link-confirm" /
// "link-reject", both incident ids). Returns the link as ListLinks shows it.
Result<nlohmann::json> DecideLink(const Context& ctx, const Caller& caller,
                                  const DecideLinkParams& p);

// Which of two records of one event counts (docs/links.md): the one more
// people may read (the lower TLP), then the more precise place, then the more
// precise date, then the source ranked first (ucdp-ged, gtd, acled, then any
// other, such as a partner's report), then the lower id. True when `x` wins.
bool KeptRecord(const model::Incident& x, const model::Incident& y);

// The other records of `id`'s event the caller may read, by link:
// [{"link","state","score","reasons","kept", "record": record}], confirmed
// first. Empty when there are none.
Result<nlohmann::json> AlsoReportedBy(const Context& ctx, const Caller& caller, const Uuid& id);

}  // namespace corridor::service
