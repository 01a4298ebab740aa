// Grievance redress (issue 14 §1): one call per use case, shared by the public
// HTTP API, the portal's forms and `corridor public grievances …`.
//
// A resident files (on the web, or an officer files on their behalf), then
// follows the case with the receipt code and passphrase alone: no account, no
// phone number. Officers (grievance-officer accounts) acknowledge, decide
// eligibility, ask questions, give the day-15 update and propose a
// resolution; the resident answers, accepts or appeals (project → province →
// committee, each tier with its own clock). Every change is one transaction:
// the case, its history event and an entry on the public audit chain (actor
// "resident" or the officer's account; never a text, receipt or contact).
//
// Service levels, in working days (public_side/working_days.h) from filing,
// or from the appeal at a later tier: acknowledge 2, eligibility 10 (first
// tier only), status update 15, resolution proposal 30.
//
// Times: `now` is the grievance clock (GrievanceNow()), an RFC 3339 time; it
// is stored as UTC ("…T…Z").
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/model/grievance.h"
#include "corridor/public_side/service.h"
#include "corridor/public_side/working_days.h"
#include "corridor/release/release.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

inline constexpr std::size_t kMaxGrievanceText = 4000;  // bytes of a description or message
inline constexpr std::size_t kMaxContact = 200;
inline constexpr int kMaxFailedAttempts = 5;                 // wrong passphrases per receipt …
inline constexpr std::int64_t kAttemptWindowSeconds = 3600;  // … per hour

struct GrievanceInput {
  std::string district;  // ADM2 P-code, or
  std::string project;   // a project id (its district is recorded with it)
  std::string topic;     // config/grievance_topics.txt
  std::string description;
  std::string lang = "ur";      // ur, en, zh: the resident's language and passphrase words
  std::string channel = "web";  // web, phone, in-person, letter, sms (not web: an officer files)
  std::string contact;          // optional; sealed at once, shown only to the handling officer
  bool reprisal_fear = false;
};

struct FiledGrievance {
  std::string receipt, passphrase;  // shown once; the store keeps neither
  model::Grievance stored;
};

// Files a case. `officer` is nullopt for a resident on the web (channel must
// be "web"); otherwise an enabled grievance-officer account (or the operator)
// filing on a resident's behalf, who becomes the case's officer.
// kInvalidArgument names the field: no district nor project, an unknown
// district, topic, channel or language, an empty or oversized description,
// control characters. kNotFound for an unknown project.
Result<FiledGrievance> FileGrievance(store::Database& db, PublicAuditLog& audit,
                                     const auth::InstanceKeys& keys,
                                     const std::optional<PublicCaller>& officer,
                                     const GrievanceInput& input, const std::string& now);

struct Milestone {
  std::string name;      // "acknowledge", "eligibility", "update", "proposal"
  std::string due;       // YYYY-MM-DD (Asia/Karachi): due at the end of that day
  std::string met_at;    // RFC 3339 of the event that met it ("" = not yet)
  bool overdue = false;  // not met, still owed, and today is past `due`
};

struct GrievanceView {
  model::Grievance grievance;
  std::vector<model::GrievanceEvent> events;
  std::vector<Milestone> milestones;  // the current tier's
  bool overdue = false;               // any milestone overdue
  bool beyond_calendar = false;       // a due date past the holidays listed
  std::string contact;                // unsealed, for the handling officer only
};

// The current tier's milestones of a case as of `now`.
std::vector<Milestone> Milestones(const model::Grievance& g,
                                  const std::vector<model::GrievanceEvent>& events,
                                  const std::string& now, const WorkingCalendar& calendar,
                                  bool* beyond_calendar = nullptr);

// The case behind a receipt and passphrase. kNotFound, with the same message
// and about the same time, for an unknown receipt, a wrong passphrase, and a
// receipt locked after kMaxFailedAttempts wrong passphrases in an hour.
Result<GrievanceView> FollowGrievance(store::Database& db, std::string_view receipt,
                                      std::string_view passphrase, const std::string& now);

// The resident's answer to a question (kAnswer, text required), acceptance of
// a proposal or of an ineligibility decision (kAccept: the case closes), or
// appeal (kAppeal: to the next tier, with its own clock; text optional).
// kNotFound as FollowGrievance; kConflict naming why when the case's state
// does not allow it (e.g. accepting before a proposal, appealing from the
// committee tier), or when the case changed meanwhile.
Result<GrievanceView> ResidentAct(store::Database& db, PublicAuditLog& audit,
                                  std::string_view receipt, std::string_view passphrase,
                                  model::GrievanceAction action, const std::string& text,
                                  const std::string& now);

// An officer's action on case `id`: kAcknowledge, kEligible, kIneligible
// (reasons), kAsk (question), kUpdate (text), kPropose (text), kClose (reason);
// by a grievance-officer; kAssign (text = the officer's account) by a
// public-admin or the operator. A case marked "fear of reprisal" exists only
// for its assigned officer and public-admins (kNotFound for anyone else).
// kConflict for an action the state does not allow, or when the case changed
// meanwhile; kPermissionDenied naming the role.
Result<GrievanceView> OfficerAct(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& id,
                                 model::GrievanceAction action, const std::string& text,
                                 const std::string& now);

struct GrievanceListFilter {
  std::string state, district;
  bool mine = false;  // only cases assigned to the caller
  bool overdue_only = false;
  int limit = 100, offset = 0;
};
// Cases an officer may see (no contact), with their milestones.
Result<std::vector<GrievanceView>> ListGrievances(const store::Database& db,
                                                  const PublicCaller& caller,
                                                  const GrievanceListFilter& filter,
                                                  const std::string& now);
// One case for an officer, with the contact unsealed when the caller is its
// assigned officer (each unsealing audited: "contact-read").
Result<GrievanceView> ShowGrievance(store::Database& db, PublicAuditLog& audit,
                                    const PublicCaller& caller, const std::string& id,
                                    const std::string& now);

// JSON for the resident (state, tier, history, milestones, "overdue"; no
// officer name, no contact) and for officers (adds id, officer, channel, reprisal_fear,
// and the contact when present in the view).
nlohmann::json ResidentJson(const GrievanceView& v);
nlohmann::json OfficerJson(const GrievanceView& v);

// Public statistics per district: received, resolved in time, overdue,
// appealed; each a count >= 10, 0, or "<10" (cases marked "fear of reprisal"
// count only where a district's cell is not suppressed anyway). No totals: a
// total beside a suppressed cell would give it away.
Result<nlohmann::json> GrievanceStatistics(const store::Database& db, const std::string& now);

// The release's input: grievances filed, by district × month × topic × channel
// (release::Count, kind "grievance"); cases with no district are counted in
// `unplaced` and left out.
// A (district, month) with fewer than 10 cases leaves out its cases marked
// "fear of reprisal" (their district is hidden from any aggregate that small).
struct GrievanceCounts {
  std::vector<release::Count> counts;
  std::int64_t unplaced = 0;  // no district
  std::int64_t reprisal_withheld = 0;
};
Result<GrievanceCounts> CountGrievances(const store::Database& db);

}  // namespace corridor::public_side
