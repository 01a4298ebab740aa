// Grievances (issue 14 §1): a resident's case, followed by receipt code and
// passphrase alone. The public side only; nothing here ever reaches the
// security side except the counts of the aggregate release (release/release.h).
//
// A case moves through states; every move and every message is an event in
// its history, stamped with the grievance clock (public_side/grievances.h):
//
//   received ──acknowledge──▶ acknowledged ──eligible──▶ eligible ──propose──▶ proposed
//                                  └──ineligible──▶ ineligible                  │
//   proposed, ineligible ──accept (resident)──▶ closed                          │
//   proposed, ineligible ──appeal (resident)──▶ appealed (next tier) ◀──────────┘
//   appealed ──acknowledge──▶ eligible (the tier's own clock)
//
// Tiers: project → province → committee; an appeal from the committee tier is
// refused (the last word on the public side; the resident may still go to court).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::model {

enum class GrievanceState {
  kReceived,
  kAcknowledged,
  kEligible,
  kIneligible,
  kProposed,
  kAppealed,
  kClosed
};
std::string_view GrievanceStateName(GrievanceState s);  // "received", …
std::optional<GrievanceState> ParseGrievanceState(std::string_view name);

enum class GrievanceTier { kProject, kProvince, kCommittee };
std::string_view GrievanceTierName(GrievanceTier t);  // "project", "province", "committee"
std::optional<GrievanceTier> ParseGrievanceTier(std::string_view name);

// What happened on a case. Officer actions, resident actions, and messages.
enum class GrievanceAction {
  kFile,         // resident or officer (on behalf)
  kAssign,       // public-admin: who handles it
  kAcknowledge,  // officer
  kEligible,     // officer
  kIneligible,   // officer, with reasons
  kAsk,          // officer: a question to the resident
  kAnswer,       // resident
  kUpdate,       // officer: the interim status update (day 15)
  kPropose,      // officer: a resolution proposal
  kAccept,       // resident
  kAppeal,       // resident: to the next tier
  kClose,        // officer: after acceptance, or withdrawn
};
std::string_view GrievanceActionName(GrievanceAction a);  // "file", "assign", …
std::optional<GrievanceAction> ParseGrievanceAction(std::string_view name);

struct Grievance {
  std::string id;               // UUIDv4: how officers refer to the case (never the receipt)
  std::string receipt_digest;   // SHA-256 hex of the receipt code: the resident's lookup key
  std::string passphrase_hash;  // Argon2id of the normalised passphrase (auth/crypto.h)
  std::string lang;             // "ur", "en", "zh": the resident's language
  std::string channel;          // release::Channels(): web, phone, in-person, letter, sms
  std::string topic;            // config/grievance_topics.txt
  std::string district;         // ADM2 P-code ("" when only a project is named)
  std::string project_id;       // "" when only a district is named
  std::string description;
  std::string contact_sealed;  // auth::Seal of the contact; "" when none was given
  bool reprisal_fear = false;  // visible only to the assigned officer and public-admins
  GrievanceTier tier = GrievanceTier::kProject;
  GrievanceState state = GrievanceState::kReceived;
  std::string officer;               // the assigned officer's account ("" = unassigned)
  std::string filed_at;              // RFC 3339 UTC, grievance clock
  std::string tier_started_at;       // when the current tier's clock started (filing or appeal)
  std::int64_t failed_attempts = 0;  // wrong passphrases in the current window
  std::string attempts_since;        // the window's start ("" = none)
  std::int64_t version = 1;          // compare-and-set
  friend bool operator==(const Grievance&, const Grievance&) = default;
};

struct GrievanceEvent {
  std::string grievance_id;
  std::int64_t seq = 0;  // 1, 2, … per case
  std::string at;        // RFC 3339 UTC, grievance clock
  std::string actor;     // an officer's account, or "resident"
  GrievanceAction action = GrievanceAction::kFile;
  std::string text;  // a question, answer, proposal, reasons ("" for a bare move)
  GrievanceState state = GrievanceState::kReceived;  // the state after the event
  GrievanceTier tier = GrievanceTier::kProject;
  friend bool operator==(const GrievanceEvent&, const GrievanceEvent&) = default;
};

}  // namespace corridor::model
