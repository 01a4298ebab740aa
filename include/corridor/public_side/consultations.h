// Consultations with verified but unlinkable participation (issue 14 §2,
// docs/public.md "Consultations"): one call per use case, shared by the
// public API and `corridor public consultations|codes`.
//
// A moderator opens a consultation for a district (optionally about one
// project). Participation codes are printed in batches for a district and
// handed out at community meetings; a code lets its holder propose in that
// district's consultations and support each proposal once. The store keeps a
// keyed hash of each issued code, and per support a keyed hash of the code
// with the proposal (store/consultation_store.h): no code, no identity, and
// no link between the supports one code gave. The key is derived from the
// public instance's key file (crypto_kdf, context "partcode"), so the hashes
// cannot be recomputed from the store alone.
//
// When a proposal's supports reach the consultation's threshold it is
// "response-due"; a moderator (or public-admin) answers it and it is
// "answered" (results tracking). Staff moves are on the public audit chain;
// residents' proposals and supports are recorded without anything about who.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/public_side/service.h"
#include "corridor/release/release.h"
#include "corridor/store/consultation_store.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

inline constexpr int kMaxCodesPerBatch = 5000;
inline constexpr std::size_t kMaxProposalTitle = 200;
inline constexpr std::size_t kMaxProposalText = 4000;

// The keyed hashes the store holds (hex). `code` is normalised first.
std::string CodeDigest(const auth::InstanceKeys& keys, std::string_view code);
std::string SupportDigest(const auth::InstanceKeys& keys, std::string_view code,
                          std::string_view proposal_id);

struct CodeBatch {
  std::string batch, district;
  std::vector<std::string> codes;  // "PC-XXXX-XXXX-XXXX", shown once
};
// A batch of `count` (1..5000) codes for `district` (a P-code the release
// knows). Moderator, public-admin or the operator. Audited ("codes-issue":
// batch, district, count; never a code).
Result<CodeBatch> IssueCodes(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                             const std::string& district, int count, const std::string& now);

struct ConsultationInput {
  std::string district, project_id, title, body;
  std::int64_t threshold = 50;  // 1..100000
  std::string topic = "other";  // a release topic (config/grievance_topics.txt)
};
// Moderator or the operator. Audited ("consultation-open").
Result<store::Consultation> OpenConsultation(store::Database& db, PublicAuditLog& audit,
                                             const PublicCaller& caller,
                                             const ConsultationInput& in, const std::string& now);

struct ProposalInput {
  std::string consultation_id, code, title, body, lang;
};
// With a code issued for the consultation's district (kPermissionDenied
// otherwise, the same answer for an unknown code and another district's).
// The proposal keeps nothing of the code. Audited as "resident".
Result<store::Proposal> Propose(store::Database& db, PublicAuditLog& audit, const ProposalInput& in,
                                const std::string& now);

struct Supported {
  std::int64_t supports = 0;
  std::string state;  // the proposal's state after it
};
// One support with a code of the consultation's district. kConflict when this
// code has supported this proposal already; kPermissionDenied for a code that
// is not one of the district's; kNotFound for an unknown proposal.
Result<Supported> Support(store::Database& db, PublicAuditLog& audit,
                          const std::string& proposal_id, const std::string& code,
                          const std::string& now);

// The official response (moderator or public-admin; compare-and-set).
// Audited ("proposal-respond").
Result<store::Proposal> Respond(store::Database& db, PublicAuditLog& audit,
                                const PublicCaller& caller, const std::string& proposal_id,
                                const std::string& text, const std::string& now);

// The release's consultation counts: proposals made, by the consultation's
// district and topic and the Karachi month (release::Count, kind
// "consultation", channel "web": every proposal comes by the portal, the API
// or the CLI acting for a resident with a code).
Result<std::vector<release::Count>> CountConsultations(const store::Database& db);

// --- Moderation with a public log (docs/public.md "Moderation") ------------

// The rules a moderation decision names (the public log shows them).
const std::vector<std::string>&
ModerationRules();  // personal-data, abusive, off-topic, spam, no-breach

// The personal-data filter run before a proposal is shown: the shared
// detector (common/personal_data.h: phones with a country code, Pakistani and
// Chinese mobiles, CNICs, e-mail addresses, passports), Pakistani
// landlines, in ASCII, Urdu or Arabic-Indic digits, and names with
// addresses: relational names ("s/o", "son of Rashid", "ولد", "بنت", "زوجہ")
// and house, plot or flat numbers (also "مکان نمبر", "3号楼502室"). A
// proposal or comment it catches is held for a moderator ("held", rule
// "personal-data").
bool LooksPersonal(std::string_view text);

// One report with a code of the consultation's district (the same checks as
// Support; one report per code and proposal, kConflict the second time).
// Past the consultation's report threshold (default 3) the proposal is held
// pending a moderator. Returns the reports counted. The reporter is never
// recorded: only a keyed hash of code and proposal, as for supports.
Result<std::int64_t> ReportProposal(store::Database& db, PublicAuditLog& audit,
                                    const std::string& proposal_id, const std::string& code,
                                    const std::string& now);

struct ModerationInput {
  std::string decision;     // hide, restore, edit
  std::string rule;         // one of ModerationRules()
  std::string title, body;  // edit: the text as it will be shown (personal data removed)
};
// A moderator's decision (or the operator's), on the public log with its rule
// (never who decided, never who reported) and on the audit chain with the
// moderator's name. hide: hidden; restore: shown again (rule "no-breach"
// fits); edit: title and body replaced, shown.
Result<store::Proposal> Moderate(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& proposal_id,
                                 const ModerationInput& in, const std::string& now);

// --- Comments (threaded; with or without a code) ------------------------------

inline constexpr std::size_t kMaxCommentText = 2000;
inline constexpr std::int64_t kMaxCommentDepth = 4;  // a reply to a reply … five levels at most
inline constexpr std::int64_t kMaxCommentsPerProposal = 1000;

struct CommentInput {
  std::string proposal_id;
  std::string parent_id;  // "" on the proposal, else a comment of the same proposal
  std::string body, lang;
  std::string code;  // optional: a participation code of the district marks it "verified"
};
// A comment on a shown proposal of an open consultation. Anyone may comment
// (the HTTP routes limit each client per hour); a code, when given, must be
// one of the district's (kPermissionDenied otherwise) and marks the comment
// verified, keeping nothing of the code. The personal-data filter holds it
// for a moderator ("held", rule "personal-data"). kInvalidArgument past
// kMaxCommentDepth; kConflict past kMaxCommentsPerProposal or on a held,
// hidden or closed target. Audited as "resident".
Result<store::Comment> AddComment(store::Database& db, PublicAuditLog& audit,
                                  const CommentInput& in, const std::string& now);
// One report of a comment with a code of the district, as ReportProposal.
Result<std::int64_t> ReportComment(store::Database& db, PublicAuditLog& audit,
                                   const std::string& comment_id, const std::string& code,
                                   const std::string& now);
// A moderator's decision on a comment (as Moderate; edit replaces the body
// with in.body). On the public log naming the comment and its proposal.
Result<store::Comment> ModerateComment(store::Database& db, PublicAuditLog& audit,
                                       const PublicCaller& caller, const std::string& comment_id,
                                       const ModerationInput& in, const std::string& now);
// The consultation a comment's proposal belongs to (kNotFound for an unknown comment).
Result<std::string> CommentConsultation(const store::Database& db, const std::string& comment_id);

// The public moderation log, newest first: {"items": [{"seq","at","proposal",
// "consultation","decision","rule"}]}, with "comment" when the entry is about a comment.
Result<nlohmann::json> ModerationLogJson(const store::Database& db, int limit);
// Held proposals and comments with their text, for a moderator
// (kPermissionDenied otherwise): {"items": [{"kind": "proposal"|"comment", …}]}.
Result<nlohmann::json> ModerationQueueJson(store::Database& db, const PublicCaller& caller);

// Open data: consultations (newest first, `district` "" = all), and one with
// its proposals, each with its comments (flat, oldest first, each naming its
// "parent"), as JSON. A held or hidden proposal or comment shows only its id
// and moderation state (a held proposal, not its comments). The one also
// carries its "results" (public_side/outcomes.h OutcomeJson, oldest first).
Result<nlohmann::json> ListConsultationsJson(const store::Database& db,
                                             const std::string& district);
Result<nlohmann::json> ConsultationJson(const store::Database& db, const std::string& id);
// The consultation a proposal belongs to (kNotFound for an unknown proposal).
Result<std::string> ProposalConsultation(const store::Database& db, const std::string& proposal_id);

}  // namespace corridor::public_side
