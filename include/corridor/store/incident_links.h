// Links between incidents of different sources that record the same event
// (issue 17 item 11, docs/links.md). A link is proposed by the matcher
// (corridor/matching/matching.h) as a candidate with its score and reasons;
// an analyst confirms it (naming the record whose figures count) or rejects
// it. One aggregate store in the shape of corridor/store/database.h: every
// method runs in the caller's transaction; the service (service/links.h)
// checks roles, decides which record is kept and audits.
//
// On a backend that holds the security side's incidents (SQLite today), a
// confirmation also marks the other record `counted_in` the kept one, in the
// same transaction, so that every figure across sources counts the event
// once (store::Store's filters leave such records out unless one dataset is
// asked for).
//
// Thread safety: as the Transaction's.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

inline const std::vector<std::string> kLinkStates = {"candidate", "confirmed", "rejected"};

struct IncidentLink {
  std::string id;    // UUIDv5 of "a|b" (LinkId): one link per pair
  std::string a, b;  // incident ids, a < b
  double score = 0;  // 0..1
  std::vector<std::string> reasons;
  double distance_km = -1;  // -1 when a record is not a point
  int gap_days = 0;
  std::string state = "candidate";  // candidate | confirmed | rejected
  std::string kept;                 // confirmed: a or b, the record whose figures count
  std::string decided_by, decided_at, note;
  std::string created, updated;  // RFC 3339
  friend bool operator==(const IncidentLink&, const IncidentLink&) = default;
};

// The id of the link between two incidents, in either order.
std::string LinkId(const std::string& x, const std::string& y);

struct LinkDecision {
  std::string id;
  std::string to;    // confirmed | rejected
  std::string kept;  // confirmed: a or b of the link; "" otherwise
  std::string by, at, note;
};

class IncidentLinkStore {
 public:
  virtual ~IncidentLinkStore() = default;
  // Adds the pairs not yet linked, as candidates. A pair already linked keeps
  // its state; an undecided one takes the new score and reasons (the matcher's
  // rules may have changed), a decided one is never reopened. Returns how
  // many were new. kInvalidArgument for a link whose a >= b or id is not
  // LinkId(a, b).
  virtual Result<int> PutCandidates(Transaction& tx, std::span<const IncidentLink> links,
                                    const std::string& at) = 0;
  virtual Result<std::optional<IncidentLink>> Get(Transaction& tx, const std::string& id) = 0;
  // In `state` ("" = any), best score first, then id; at most `limit`
  // (1..10000), after skipping `offset`.
  virtual Result<std::vector<IncidentLink>> List(Transaction& tx, const std::string& state,
                                                 int limit, int offset) = 0;
  // Every link of one incident (either end), any state.
  virtual Result<std::vector<IncidentLink>> Of(Transaction& tx, const std::string& incident) = 0;
  // How many links are in each state (states without any are absent).
  virtual Result<std::map<std::string, std::int64_t>> Counts(Transaction& tx) = 0;
  // Compare-and-set from "candidate": false (nothing written) when the link
  // is no longer a candidate. kNotFound for no such link; kInvalidArgument
  // for a `to` that is not confirmed or rejected, or a confirmation whose
  // `kept` is neither end.
  virtual Result<bool> Decide(Transaction& tx, const LinkDecision& d) = 0;
};

std::unique_ptr<IncidentLinkStore> NewIncidentLinkStore();
const Module& IncidentLinksModule();

}  // namespace corridor::store
