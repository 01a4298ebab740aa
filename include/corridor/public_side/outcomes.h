// Results tracking (issue 14 §2, "in the manner of Decidim's accountability
// component"; docs/public.md "Results tracking"): what a consultation led to.
// A moderator or public-admin records a result of a consultation — the
// proposals it answers, the meetings that decided it, the decision's text —
// and reports its progress (status and percent, with a note each time); the
// public sees every update in order. One call per use case, shared by the
// public API and `corridor public results`. ("Outcome" in the code: Result is
// the error type.)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"
#include "corridor/store/outcome_store.h"

namespace corridor::public_side {

inline constexpr std::size_t kMaxOutcomeTitle = 200;
inline constexpr std::size_t kMaxOutcomeText = 4000;
inline constexpr std::size_t kMaxOutcomeNote = 1000;
inline constexpr std::size_t kMaxOutcomeLinks = 50;

// not-started, in-progress, completed, cancelled.
const std::vector<std::string>& OutcomeStatuses();

struct OutcomeInput {
  std::string consultation_id, title, description;
  std::vector<std::string> proposal_ids;  // proposals of that consultation
  std::vector<std::string> meeting_ids;   // meetings in its district
  std::string decision;                   // the decision it carries out ("" not decided yet)
  std::string decided_on;                 // YYYY-MM-DD ("" with no decision)
};
// Moderator, public-admin or the operator. kInvalidArgument naming the field
// for an unknown consultation, proposal or meeting (or one of another
// consultation or district), a bad date, texts past their bounds or with
// personal data. Audited ("result-track").
Result<store::Outcome> TrackOutcome(store::Database& db, PublicAuditLog& audit,
                                    const PublicCaller& caller, const OutcomeInput& in,
                                    const std::string& now);

struct ProgressInput {
  std::string status;                    // one of OutcomeStatuses()
  std::int64_t progress = -1;            // 0..100; -1 keeps it (completed means 100)
  std::string note;                      // what happened, shown with the update (required)
  std::string decision{}, decided_on{};  // when given, the decision as now recorded
};
// A progress update (moderator, public-admin or the operator): kConflict once
// completed or cancelled (final), or when the result changed meanwhile;
// kInvalidArgument for a progress outside 0..100, not-started with progress,
// completed below 100, a note empty or with personal data. Appends the update
// the public sees. Audited ("result-progress").
Result<store::Outcome> ReportProgress(store::Database& db, PublicAuditLog& audit,
                                      const PublicCaller& caller, const std::string& id,
                                      const ProgressInput& in, const std::string& now);

// {"id","consultation","title","description","status","progress",
//  "proposals":[…],"meetings":[…],"decision"?,"decided_on"?,"updated_at",
//  "updates":[{"seq","at","status","progress","note"}]} — no staff name.
Result<nlohmann::json> OutcomeJson(const store::Database& db, const std::string& id);

}  // namespace corridor::public_side
