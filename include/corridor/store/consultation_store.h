// The consultation aggregate of the public store (issue 14 §2): consultations
// opened per district (optionally about one project), residents' proposals,
// and supports given with participation codes. Module "public.consultations"
// (PublicModules()).
//
// Unlinkable by construction: the store keeps no participation code, only a
// keyed hash of each code issued (to check it exists and which district it
// was handed out in), and, per support, a keyed hash of the code *and the
// proposal* — so the supports one code gave cannot be tied to each other, to
// the code's batch, or to anyone. A support row carries no time. A proposal
// keeps nothing about who made it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct Consultation {
  std::string id;
  std::string district;    // ADM2 P-code: whose participation codes count
  std::string project_id;  // "" when about the district as a whole
  std::string title, body;
  std::int64_t threshold = 50;        // supports that oblige an official response
  std::int64_t report_threshold = 3;  // reports that hold a proposal for a moderator
  std::string topic = "other";        // a release topic (config/grievance_topics.txt)
  std::string state = "open";         // open | closed
  std::string opened_by, opened_at;
  friend bool operator==(const Consultation&, const Consultation&) = default;
};

struct Proposal {
  std::string id, consultation_id;
  std::string title, body, lang;
  std::string created_at;
  std::int64_t supports = 0;
  // open → response-due (the threshold was reached, at threshold_at) → answered
  std::string state = "open";
  std::string threshold_at;
  std::string response, responded_by, responded_at;
  // "" shown; "held" (hidden pending a moderator: reports reached the
  // threshold, or the personal-data filter caught it); "hidden" (a moderator hid it)
  std::string moderation;
  std::int64_t reports = 0;
  std::int64_t version = 1;
  friend bool operator==(const Proposal&, const Proposal&) = default;
};

// A comment on a proposal, or a reply to another comment of the same
// proposal (threaded, `depth` 0 on the proposal). Made with or without a
// participation code; `verified` says a code of the district was given, never
// which. Like a proposal it keeps nothing about who wrote it.
struct Comment {
  std::string id, proposal_id;
  std::string parent_id;  // "" on the proposal itself
  std::int64_t depth = 0;
  std::string body, lang, created_at;
  bool verified = false;
  std::string moderation;  // "" shown, "held", "hidden" (as for proposals)
  std::int64_t reports = 0;
  std::int64_t version = 1;
  friend bool operator==(const Comment&, const Comment&) = default;
};

// One entry of the public moderation log: what happened to which proposal
// (or comment on it) and under which rule; never who reported, never who decided.
struct ModerationEntry {
  std::int64_t seq = 0;
  std::string at, proposal_id;
  std::string decision;    // held, hidden, restored, edited
  std::string rule;        // reports, personal-data, abusive, off-topic, spam, no-breach
  std::string comment_id;  // "" when the entry is about the proposal itself
  friend bool operator==(const ModerationEntry&, const ModerationEntry&) = default;
};

// Proposals made, by the consultation's district and topic and the month
// (YYYY-MM in Asia/Karachi) of their making: the release's consultation counts.
struct ProposalCount {
  std::string district, topic, month;
  std::int64_t count = 0;
  friend bool operator==(const ProposalCount&, const ProposalCount&) = default;
};

class ConsultationStore {
 public:
  virtual ~ConsultationStore() = default;
  // kConflict when the id exists; kInvalidArgument for an empty id or district.
  virtual Result<void> AddConsultation(Transaction& tx, const Consultation& c) = 0;
  virtual Result<std::optional<Consultation>> GetConsultation(Transaction& tx,
                                                              const std::string& id) = 0;
  // Newest first; `district` "" = every district.
  virtual Result<std::vector<Consultation>> ListConsultations(Transaction& tx,
                                                              const std::string& district) = 0;

  // Records a batch of issued codes (their keyed hashes) for `district`.
  // kConflict, with nothing recorded, when any digest is already held.
  virtual Result<void> AddCodes(Transaction& tx, const std::string& batch,
                                const std::string& district,
                                const std::vector<std::string>& digests,
                                const std::string& issued_at) = 0;
  // The district a code was issued for; nullopt for a code never issued.
  virtual Result<std::optional<std::string>> CodeDistrict(Transaction& tx,
                                                          const std::string& digest) = 0;

  // kConflict when the id exists; kNotFound when the consultation does not.
  virtual Result<void> AddProposal(Transaction& tx, const Proposal& p) = 0;
  virtual Result<std::optional<Proposal>> GetProposal(Transaction& tx, const std::string& id) = 0;
  // Oldest first.
  virtual Result<std::vector<Proposal>> ListProposals(Transaction& tx,
                                                      const std::string& consultation_id) = 0;
  // Adds one support under `support_digest` (the code's hash for this
  // proposal) and returns the new count; nullopt, changing nothing, when that
  // digest has supported this proposal already. When the count reaches the
  // consultation's threshold, the proposal becomes "response-due" at `at`.
  // kNotFound for an unknown proposal.
  virtual Result<std::optional<std::int64_t>> Support(Transaction& tx,
                                                      const std::string& proposal_id,
                                                      const std::string& support_digest,
                                                      const std::string& at) = 0;
  // Adds one report under `report_digest` (the code's hash for reporting
  // this proposal) and returns the new count; nullopt, changing nothing, when
  // that digest has reported it already. When the count reaches the
  // consultation's report threshold and the proposal is shown, it is held
  // (moderation "held") and the log gets ("held", "reports") at `at`.
  virtual Result<std::optional<std::int64_t>> Report(Transaction& tx,
                                                     const std::string& proposal_id,
                                                     const std::string& report_digest,
                                                     const std::string& at) = 0;
  // Proposals by district, topic and Karachi month, sorted by those keys.
  // Months are computed here in C++, not by SQL, so every backend agrees.
  virtual Result<std::vector<ProposalCount>> Counts(Transaction& tx) = 0;
  // Appends to the moderation log (its seq is the next); returns the entry.
  virtual Result<ModerationEntry> Log(Transaction& tx, const ModerationEntry& e) = 0;
  // The log, newest first, at most `limit` (1..1000) entries.
  virtual Result<std::vector<ModerationEntry>> ModerationLog(Transaction& tx, int limit) = 0;
  // Writes `next`'s state, response, moderation, title, body and report count (a restore
  // starts the count again; the reports' digests stay, so no code reports twice) when the
  // stored proposal is still
  // at `expected.version` (the version becomes expected.version + 1). False when it changed since
  // it was read; kNotFound when absent.
  virtual Result<bool> UpdateProposal(Transaction& tx, const Proposal& expected,
                                      const Proposal& next) = 0;

  // --- Comments ---------------------------------------------------------------
  // kConflict when the id exists; kNotFound when the proposal does not, or
  // the parent is not a comment of the same proposal. The depth is the
  // parent's plus one (0 without a parent), whatever `c.depth` says.
  virtual Result<Comment> AddComment(Transaction& tx, const Comment& c) = 0;
  virtual Result<std::optional<Comment>> GetComment(Transaction& tx, const std::string& id) = 0;
  // Every comment on the consultation's proposals, oldest first.
  virtual Result<std::vector<Comment>> ListComments(Transaction& tx,
                                                    const std::string& consultation_id) = 0;
  // Shown comments on one proposal (to bound a discussion; held and hidden
  // ones do not count, so a flood the filter holds cannot close it).
  virtual Result<std::int64_t> CountComments(Transaction& tx, const std::string& proposal_id) = 0;
  // As Report, for a comment: past the consultation's report threshold a
  // shown comment is held and the log gets ("held", "reports") naming it.
  virtual Result<std::optional<std::int64_t>> ReportComment(Transaction& tx,
                                                            const std::string& comment_id,
                                                            const std::string& report_digest,
                                                            const std::string& at) = 0;
  // Writes `next`'s moderation, body and report count at `expected.version` (compare-and-set,
  // as UpdateProposal).
  virtual Result<bool> UpdateComment(Transaction& tx, const Comment& expected,
                                     const Comment& next) = 0;
  // Held comments, oldest first (the moderator's queue).
  virtual Result<std::vector<Comment>> HeldComments(Transaction& tx) = 0;
};

std::unique_ptr<ConsultationStore> NewConsultationStore();
const Module& ConsultationModule();

}  // namespace corridor::store
