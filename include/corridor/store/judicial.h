// Judicial-assistance requests (issue 15 §3, docs/committee.md), tracked by
// reference only: no names or personal data of suspects or witnesses (the
// case file stays in each state's own case system). One aggregate store in the
// shape of corridor/store/database.h: every method runs in the caller's
// transaction; the service (service/judicial.h) decides and audits.
//
// Thread safety: as the Transaction's.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/security.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct JudicialRequest {
  std::string id;         // UUIDv4
  std::string reference;  // the requesting state's case reference (no names)
  std::string type;       // mla | extradition | transfer | assets
  std::string requesting_org, requested_org;
  std::string requesting_authority, requested_authority;
  std::string legal_basis;  // bilateral-treaty | sco-convention | un-conventions | reciprocity
  std::string offence;      // a slug of config/judicial_offences.tsv
  std::vector<std::string> incidents;
  std::string urgency;          // normal | urgent
  std::string deadline;         // YYYY-MM-DD or ""
  std::string state;            // draft, sent, acknowledged, under_execution, executed,
                                // partially_executed, refused, withdrawn
  std::string consultation;     // the recorded prior consultation ("" = none)
  std::string consultation_at;  // RFC 3339
  model::Marking marking;
  std::string created, updated;
  friend bool operator==(const JudicialRequest&, const JudicialRequest&) = default;
};

struct StateChange {
  std::string request_id;
  std::string at, actor, from, to, note;
  friend bool operator==(const StateChange&, const StateChange&) = default;
};

// One answer of the refusal-ground checklist.
struct GroundAnswer {
  std::string request_id;
  std::string ground;  // slug of config/judicial_refusal_grounds.tsv
  bool applies = false;
  std::string reason;
  std::string at, actor;
  friend bool operator==(const GroundAnswer&, const GroundAnswer&) = default;
};

// An assurance asked of the requesting state (death-penalty, fair-trial),
// tracked to its receipt.
struct Assurance {
  std::string request_id;
  std::string kind;
  std::string requested_at, received_at;  // "" = not yet
  friend bool operator==(const Assurance&, const Assurance&) = default;
};

// Evidence shared in answer to a request, by reference, with the purpose it
// may be used for (speciality) and the organisations the requested state has
// consented to its going on to.
struct SharedEvidence {
  std::string id;
  std::string request_id;
  std::string reference;  // the requested state's exhibit reference
  std::string purpose;
  std::vector<std::string> consented_orgs;
  std::string created;
  friend bool operator==(const SharedEvidence&, const SharedEvidence&) = default;
};

// The closed lists a request's fields take, one place for the service that
// writes them and the STIX mapping that reads a partner's.
inline const std::vector<std::string> kJudicialTypes = {"mla", "extradition", "transfer", "assets"};
inline const std::vector<std::string> kLegalBases = {"bilateral-treaty", "sco-convention",
                                                     "un-conventions", "reciprocity"};
inline const std::vector<std::string> kUrgencies = {"normal", "urgent"};
inline const std::vector<std::string> kJudicialStates = {
    "draft",    "sent",    "acknowledged",       "under_execution",
    "executed", "refused", "partially_executed", "withdrawn"};

// Across two instances (docs/committee.md, "A request across two
// instances") each state's part carries its own moves only: the requesting
// state sends and withdraws, the requested state acknowledges, starts and
// decides. The party that makes the move to `to`: "requesting", "requested",
// or "" for a state no move reaches ("draft").
std::string_view MovingParty(std::string_view to);
// True when `from` → `to` is a step of the workflow: draft → sent →
// acknowledged → under_execution; executed, partially_executed or refused
// from acknowledged or under_execution; withdrawn from any open state.
bool IsJudicialStep(std::string_view from, std::string_view to);
// The id of one organisation's part of a request as it travels: a UUIDv5 of
// the request and the organisation, so a receiver can tell whose part it is
// from the signing key alone.
std::string JudicialPartId(const std::string& request_id, const std::string& org);

// The most moves one part of a request carries (a request has at most a
// handful: the workflow has five steps).
inline constexpr std::size_t kMaxJudicialMoves = 100;

class JudicialStore {
 public:
  virtual ~JudicialStore() = default;
  // kConflict when the id exists; kInvalidArgument for an empty id, type or state.
  virtual Result<void> Add(Transaction& tx, const JudicialRequest& r) = 0;
  virtual Result<std::optional<JudicialRequest>> Get(Transaction& tx, const std::string& id) = 0;
  // Newest first, at most `limit` (1..10000).
  virtual Result<std::vector<JudicialRequest>> List(Transaction& tx, int limit) = 0;
  // Compare-and-set on the state; appends `change` to the history when it
  // moved. False (nothing written) when the state is no longer change.from.
  virtual Result<bool> SetState(Transaction& tx, const StateChange& change) = 0;
  virtual Result<std::vector<StateChange>> History(Transaction& tx, const std::string& id) = 0;
  // The latest state change time (the last of its History) of each of the
  // `limit` (1..10000) requests List(tx, limit) gives, by request id;
  // requests that never moved are absent. One query for a list.
  virtual Result<std::map<std::string, std::string>> LastMoves(Transaction& tx, int limit) = 0;
  // Records the prior consultation with the requesting state. kNotFound when
  // the request does not exist.
  virtual Result<void> SetConsultation(Transaction& tx, const std::string& id,
                                       const std::string& note, const std::string& at) = 0;
  // Replaces the answer to one ground. kNotFound when the request does not exist.
  virtual Result<void> PutAnswer(Transaction& tx, const GroundAnswer& a) = 0;
  virtual Result<std::vector<GroundAnswer>> Answers(Transaction& tx, const std::string& id) = 0;
  // Inserts or updates the assurance of (request_id, kind).
  virtual Result<void> PutAssurance(Transaction& tx, const Assurance& a) = 0;
  virtual Result<std::vector<Assurance>> Assurances(Transaction& tx, const std::string& id) = 0;
  // kNotFound when the request does not exist; kConflict when the id exists.
  virtual Result<void> AddEvidence(Transaction& tx, const SharedEvidence& e) = 0;
  virtual Result<std::optional<SharedEvidence>> GetEvidence(Transaction& tx,
                                                            const std::string& id) = 0;
  // Adds `org` to the evidence's consented organisations (idempotent).
  virtual Result<void> AddConsent(Transaction& tx, const std::string& evidence_id,
                                  const std::string& org) = 0;
};

std::unique_ptr<JudicialStore> NewJudicialStore();
// Its tables (the "judicial" module).
const Module& JudicialModule();

}  // namespace corridor::store
