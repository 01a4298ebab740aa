// The results-tracking aggregate of the public store (issue 14 §2, "results
// tracking (status, progress, linked decisions) in the manner of Decidim's
// accountability component"): what a consultation led to — each result with
// its status and progress, the proposals it answers, the meetings that decided
// it, the decision's text, and every progress update in order. Called
// "outcomes" in the code (Result is the error type); "results" to the public.
// Module "public.results" (PublicModules()).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct Outcome {
  std::string id, consultation_id;
  std::string title, description;
  std::string status = "not-started";     // not-started | in-progress | completed | cancelled
  std::int64_t progress = 0;              // percent, 0..100
  std::vector<std::string> proposal_ids;  // the proposals it answers, in the order given
  std::vector<std::string> meeting_ids;   // the meetings that decided it
  std::string decision;                   // the decision it carries out, as recorded
  std::string decided_on;                 // YYYY-MM-DD, "" when not decided yet
  std::string created_at, updated_at;
  std::int64_t version = 1;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

// One progress update, as the public sees it (never who made it).
struct OutcomeUpdate {
  std::int64_t seq = 0;  // 1, 2, … per outcome
  std::string outcome_id, at, status;
  std::int64_t progress = 0;
  std::string note;
  friend bool operator==(const OutcomeUpdate&, const OutcomeUpdate&) = default;
};

class OutcomeStore {
 public:
  virtual ~OutcomeStore() = default;
  // kConflict when the id exists; kInvalidArgument for an empty id or consultation.
  virtual Result<void> AddOutcome(Transaction& tx, const Outcome& o) = 0;
  virtual Result<std::optional<Outcome>> GetOutcome(Transaction& tx, const std::string& id) = 0;
  // A consultation's outcomes, oldest first.
  virtual Result<std::vector<Outcome>> ListOutcomes(Transaction& tx,
                                                    const std::string& consultation_id) = 0;
  // Writes status, progress, title, description, decision, decided_on,
  // updated_at and the linked lists of `next` when the stored outcome is still
  // at `expected.version` (then expected.version + 1). False when it changed
  // since it was read; kNotFound when absent.
  virtual Result<bool> UpdateOutcome(Transaction& tx, const Outcome& expected,
                                     const Outcome& next) = 0;
  // Appends an update (its seq is the outcome's next); returns it.
  virtual Result<OutcomeUpdate> AddUpdate(Transaction& tx, const OutcomeUpdate& u) = 0;
  // An outcome's updates, oldest first.
  virtual Result<std::vector<OutcomeUpdate>> Updates(Transaction& tx,
                                                     const std::string& outcome_id) = 0;
};

std::unique_ptr<OutcomeStore> NewOutcomeStore();
const Module& OutcomeModule();

}  // namespace corridor::store
