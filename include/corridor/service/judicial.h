// Judicial-assistance requests (issue 15 §3, docs/committee.md): tracked by
// reference only, with the refusal-ground checklist of the UN Model Treaties
// (config/judicial_refusal_grounds.tsv), the offence categories of the
// counter-terrorism instruments (config/judicial_offences.tsv), an audited
// state history (compare-and-set), assurances and the speciality rule on
// shared evidence. Shared by `corridor judicial ...` and the API.
//
// Who: the committee role of the requesting or requested organisation writes
// (`manage-committee`); analysts and committee users of those two
// organisations read what the marking allows (`read-committee`). Anyone else
// gets kNotFound, exactly as for a missing request.
// Free text (reference, authorities, notes, reasons, purposes) is refused
// when the personal-identifier detector (common/personal_data.h) finds
// anything in it: no suspect or witness is recorded here.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/service/committee.h"
#include "corridor/store/judicial.h"

namespace corridor::service {

struct OffenceCategory {
  std::string slug, instrument;
  std::string depoliticisation;  // the article forbidding "political offence"; "-" = none
  bool PoliticalOffenceExcluded() const { return depoliticisation != "-"; }
};
struct RefusalGround {
  std::string type, slug, kind, source;
  bool political = false;
  std::string text;
};
const std::vector<OffenceCategory>& OffenceCategories();
const std::vector<RefusalGround>& RefusalGrounds();  // every type's

// Why `ground` may not be relied on for a request about `offence` ("" = it may).
std::string GroundBlockedReason(const RefusalGround& ground, const std::string& offence);

struct AddJudicialParams {
  std::string type;                   // mla | extradition | transfer | assets
  std::string requesting, requested;  // organisations known to the instance
  std::string requesting_authority, requested_authority;
  std::string legal_basis = "un-conventions";  // bilateral-treaty | sco-convention |
                                               // un-conventions | reciprocity
  std::string offence;                         // a category slug
  std::vector<std::string> incidents;
  std::string urgency = "normal";  // normal | urgent
  std::string deadline;            // YYYY-MM-DD, optional
  std::string reference;           // the requesting state's case reference
  MarkingParams marking;           // default AMBER for the two organisations
};
Result<store::JudicialRequest> AddJudicialRequest(const Context& ctx, const Caller& caller,
                                                  const AddJudicialParams& p);

// The request with its checklist (each ground, blocked or not, and its
// answer), consultation, assurances and history.
Result<nlohmann::json> ShowJudicialRequest(const Context& ctx, const Caller& caller,
                                           const std::string& id);

struct AnswerGroundParams {
  std::string id, ground;
  bool applies = false;
  std::string reason;
};
// kConflict with the checklist's reason when the ground is blocked and
// `applies`; kInvalidArgument for a ground not on the type's checklist.
Result<void> AnswerGround(const Context& ctx, const Caller& caller, const AnswerGroundParams& p);

// Records the prior consultation with the requesting state.
Result<void> RecordConsultation(const Context& ctx, const Caller& caller, const std::string& id,
                                const std::string& note);

// draft → sent → acknowledged → under_execution; withdrawn from any open
// state. kConflict when the request is no longer in `from` or the move is not
// in the workflow.
Result<store::JudicialRequest> MoveJudicialRequest(const Context& ctx, const Caller& caller,
                                                   const std::string& id, const std::string& to,
                                                   const std::string& note = "");

struct DecideJudicialParams {
  std::string id;
  std::string outcome;  // executed | partially_executed | refused
  std::string ground;   // refused: the ground relied on
  std::string reason;
};
// From acknowledged or under_execution, once every ground is answered. A
// refusal also needs the ground answered as applying, not blocked, and a
// recorded consultation; a blocked ground is kConflict naming the reason.
Result<store::JudicialRequest> DecideJudicialRequest(const Context& ctx, const Caller& caller,
                                                     const DecideJudicialParams& p);

// Asks for (or, with `received`, records the receipt of) an assurance:
// death-penalty or fair-trial.
Result<store::Assurance> TrackAssurance(const Context& ctx, const Caller& caller,
                                        const std::string& id, const std::string& kind,
                                        bool received);

// Evidence shared in answer to the request, with its permitted purpose.
Result<store::SharedEvidence> ShareEvidence(const Context& ctx, const Caller& caller,
                                            const std::string& id, const std::string& reference,
                                            const std::string& purpose);
// Records the requested state's consent to the evidence going on to `org`
// (only the requested organisation's committee users record it).
Result<void> RecordConsent(const Context& ctx, const Caller& caller, const std::string& evidence_id,
                           const std::string& org);
// Sends the evidence record to `to_org`: allowed to the two parties, and to a
// third organisation only with recorded consent; otherwise kPermissionDenied,
// audited ("speciality-refused"). Allowed exports are audited ("export").
Result<nlohmann::json> ExportEvidence(const Context& ctx, const Caller& caller,
                                      const std::string& evidence_id, const std::string& to_org);

// ---- the requests and their clocks (issue 15 §3: "reminders on silence")
//
// A request the requested state has gone silent on gets a reminder, for the
// requesting organisation to chase (docs/committee.md, "Clocks"):
//   unacknowledged  sent, not acknowledged within 30 days (urgent: 7)
//   no-progress     acknowledged or under execution, no move within 60 days (urgent: 14)
//   past-deadline   not decided or withdrawn, its deadline passed
struct JudicialReminder {
  std::string kind;  // "unacknowledged", "no-progress", "past-deadline"
  int days = 0;      // days since the last move, or past the deadline
};
struct JudicialRow {
  store::JudicialRequest request;
  std::string last_move;  // YYYY-MM-DD of the last state change (its creation for a draft)
  std::vector<JudicialReminder> reminders;
};
struct ListJudicialParams {
  bool reminders_only = false;  // only requests with a reminder
  std::string today;            // YYYY-MM-DD; "" = the current UTC date
  int limit = 1000;             // 1..10000
};
// The requests the caller reads (its organisation requests or is requested,
// and the marking allows), newest first, each with its clocks. Marked ones
// shown are audited as reads.
Result<std::vector<JudicialRow>> ListJudicialRequests(const Context& ctx, const Caller& caller,
                                                      const ListJudicialParams& p);

// ---- a request across two instances (docs/committee.md)
struct ShareJudicialParams {
  std::string id;
  std::string to;  // the other party
};
// This instance's organisation's part of the request (stix::JudicialPart) as
// a signed STIX bundle for the other party's instance: the request's fields
// and the moves this organisation's party makes (store::MovingParty), under
// the marking the recipient's copy carries. The receiving instance imports it
// with `corridor ingest --format stix` or a TAXII push, as a committee's
// objects. Needs `export` and an account of this instance's organisation,
// which is a party; kInvalidArgument "/to: ..." when `to` is not the other
// party; kPermissionDenied with the egress rule's reason when the marking
// does not let it go (RED never does). Audited as "export" (and a read when
// AMBER or stricter). The result's `objects` is 1.
Result<SharedCommittee> ShareJudicialRequest(const Context& ctx, const Caller& caller,
                                             const ShareJudicialParams& p,
                                             const stix::SigningKey& key);

nlohmann::json ToJson(const store::JudicialRequest& r);
nlohmann::json ToJson(const JudicialRow& row);

}  // namespace corridor::service
