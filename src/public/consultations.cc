// Consultations, participation codes and supports (public_side/consultations.h).
#include "corridor/public_side/consultations.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <map>
#include <regex>
#include <utility>

#include "corridor/common/personal_data.h"
#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/passphrase.h"
#include "corridor/release/release.h"
#include "public/outcome_json.h"
#include "public/staff.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

constexpr std::string_view kCodePrefix = "PC";

// BLAKE2b-256 of `input` under the instance's participation-code key.
std::string KeyedHash(const auth::InstanceKeys& keys, std::string_view input) {
  return auth::KeyedDigest(keys, 1, "partcode", input);
}

// The district a code was issued for, checked against `district`. One answer
// for a malformed code, an unknown one and another district's.
Result<void> CheckCode(store::Transaction& tx, store::ConsultationStore& s,
                       const auth::InstanceKeys& keys, const std::string& code,
                       const std::string& district) {
  const Error refused{ErrorCode::kPermissionDenied,
                      "code: not a participation code of this consultation's district"};
  if (NormaliseCode(kCodePrefix, code).empty()) return Fail(refused);
  auto issued = s.CodeDistrict(tx, CodeDigest(keys, code));
  if (!issued) return Fail(issued.error());
  if (!*issued || **issued != district) return Fail(refused);
  return {};
}

json ProposalJson(const store::Proposal& p, std::int64_t threshold) {
  if (!p.moderation.empty()) {
    return {{"id", p.id}, {"moderation", p.moderation}, {"created_at", p.created_at}};
  }
  json j = {{"id", p.id},
            {"title", p.title},
            {"body", p.body},
            {"lang", p.lang},
            {"created_at", p.created_at},
            {"supports", p.supports},
            {"threshold", threshold},
            {"state", p.state}};
  if (!p.threshold_at.empty()) j["threshold_reached_at"] = p.threshold_at;
  if (p.state == "answered") {
    j["response"] = {{"text", p.response}, {"at", p.responded_at}};
  }
  return j;
}

json ConsultationHead(const store::Consultation& c) {
  json j = {{"id", c.id},
            {"district", c.district},
            {"title", c.title},
            {"body", c.body},
            {"threshold", c.threshold},
            {"state", c.state},
            {"opened_at", c.opened_at}};
  if (!c.project_id.empty()) j["project"] = c.project_id;
  return j;
}

}  // namespace

const std::vector<std::string>& ModerationRules() {
  static const std::vector<std::string> kRules = {"personal-data", "abusive", "off-topic", "spam",
                                                  "no-breach"};
  return kRules;
}

namespace {

// The logged decision ("hidden", "restored", "edited") a moderator's input
// names, its rule and, for an edit, the new text checked (a title only when
// `titled`: proposals have one, comments do not).
Result<std::string> DecisionOf(const ModerationInput& in, bool titled) {
  const auto& rules = ModerationRules();
  if (std::find(rules.begin(), rules.end(), in.rule) == rules.end()) {
    return Fail(ErrorCode::kInvalidArgument,
                "rule: one of personal-data, abusive, off-topic, spam, no-breach");
  }
  if (in.decision == "hide") return std::string("hidden");
  if (in.decision == "restore") return std::string("restored");
  if (in.decision != "edit") {
    return Fail(ErrorCode::kInvalidArgument, "decision: hide, restore or edit");
  }
  if (titled) {
    if (auto ok = CheckText("title", in.title, kMaxProposalTitle); !ok) return Fail(ok.error());
    if (Trim(in.title).empty()) return Fail(ErrorCode::kInvalidArgument, "title: empty");
  }
  const std::size_t max = titled ? kMaxProposalText : kMaxCommentText;
  if (auto ok = CheckText("body", in.body, max, true); !ok) return Fail(ok.error());
  if (!titled && Trim(in.body).empty()) return Fail(ErrorCode::kInvalidArgument, "body: empty");
  if (LooksPersonal(in.title + "\n" + in.body)) {
    return Fail(ErrorCode::kInvalidArgument, "body: still looks like personal data");
  }
  return std::string("edited");
}

// The proposal and consultation a comment is on, open to residents' moves:
// kNotFound for an unknown proposal, kConflict when the consultation is
// closed or the proposal is held or hidden.
Result<std::pair<store::Proposal, store::Consultation>> OpenTarget(store::Transaction& tx,
                                                                   store::ConsultationStore& s,
                                                                   const std::string& proposal_id) {
  auto p = s.GetProposal(tx, proposal_id);
  if (!p) return Fail(p.error());
  if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + Excerpt(proposal_id, 64));
  auto c = s.GetConsultation(tx, (*p)->consultation_id);
  if (!c) return Fail(c.error());
  if (!*c || (*c)->state != "open") return Fail(ErrorCode::kConflict, "the consultation is closed");
  if (!(*p)->moderation.empty()) {
    return Fail(ErrorCode::kConflict, "the proposal is held for a moderator");
  }
  return std::make_pair(std::move(**p), std::move(**c));
}

json CommentJson(const store::Comment& c) {
  json j = {{"id", c.id}, {"parent", c.parent_id}, {"depth", c.depth}};
  if (!c.moderation.empty()) {
    j["moderation"] = c.moderation;
    return j;
  }
  j["body"] = c.body;
  j["lang"] = c.lang;
  // The day only: an exact time beside a proxy's access log would point at the commenter.
  j["created_on"] = c.created_at.substr(0, 10);
  j["verified"] = c.verified;
  return j;
}

}  // namespace

bool LooksPersonal(std::string_view text) {
  // The shared detector (common/personal_data.h: phones with a country code,
  // Pakistani and Chinese mobiles, CNICs, e-mail addresses, passports), and
  // Pakistani landlines, which a resident may well write: 0XX(X)-XXXXXX(XX).
  if (FindPersonalIdentifier(text)) return true;
  static const std::regex kLandline(R"(\b0\d{2,3}[-\s.]\d{6,8}\b)");
  const std::string digits = NormaliseDigits(text);
  if (std::regex_search(digits, kLandline)) return true;
  // Names with addresses. A relational name as identity papers write it
  // ("Ali s/o Ahmed", "son of Rashid", "اسلم ولد اکرم", "بنت", "زوجہ"), or a
  // house, plot or flat number ("House No. 14", "h# 22", "مکان نمبر ۱۲",
  // "3号楼502室"): either points at one household. A heuristic that holds
  // for a moderator, who restores what it caught wrongly ("no-breach").
  //
  // Every quantifier is bounded and whitespace runs are squeezed to one space
  // first: std::regex backtracks, and "h" followed by thousands of spaces
  // took minutes with three \s* in a row (a hostile review's finding).
  std::string squeezed;
  squeezed.reserve(digits.size());
  for (const char c : digits) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    if (space && !squeezed.empty() && squeezed.back() == ' ') continue;
    squeezed += space ? ' ' : c;
  }
  static const std::regex kRelationalAbbrev(R"((^|[^A-Za-z])[SDWsdw]/[Oo](\. ?| )[A-Z])");
  static const std::regex kRelationalEnglish(R"(\b(son|daughter|wife|widow) of [A-Z][a-z]{1,30})");
  static const std::regex kHouse(
      R"((^|[^A-Za-z])(house|plot|flat|h) ?(no\.?|number|#)? ?[#:.-]? ?\d)", std::regex::icase);
  static const std::regex kHouseZh(R"(\d{1,6} ?(号楼|栋|单元|号院|室))");
  static const std::vector<std::string> kUrdu = {"ولد ",      "بنت ",     "زوجہ ",
                                                 "مکان نمبر", "گھر نمبر", "پلاٹ نمبر"};
  for (const auto& word : kUrdu) {
    if (squeezed.find(word) != std::string::npos) return true;
  }
  return std::regex_search(squeezed, kRelationalAbbrev) ||
         std::regex_search(squeezed, kRelationalEnglish) || std::regex_search(squeezed, kHouse) ||
         std::regex_search(squeezed, kHouseZh);
}

std::string CodeDigest(const auth::InstanceKeys& keys, std::string_view code) {
  return KeyedHash(keys, "code\n" + NormaliseCode(kCodePrefix, code));
}

std::string SupportDigest(const auth::InstanceKeys& keys, std::string_view code,
                          std::string_view proposal_id) {
  return KeyedHash(
      keys, "support\n" + NormaliseCode(kCodePrefix, code) + "\n" + std::string(proposal_id));
}

Result<CodeBatch> IssueCodes(store::Database& db, PublicAuditLog& audit, const PublicCaller& caller,
                             const std::string& district, int count, const std::string& now) {
  if (!KnownDistrict(district)) {
    return Fail(ErrorCode::kInvalidArgument,
                "district: '" + Excerpt(district, 16) + "' is not a district P-code");
  }
  if (count < 1 || count > kMaxCodesPerBatch) {
    return Fail(ErrorCode::kInvalidArgument,
                "count: 1 to " + std::to_string(kMaxCodesPerBatch) + " codes a batch");
  }
  CodeBatch batch;
  batch.batch = Uuid::V4().str();
  batch.district = district;
  std::vector<std::string> digests;
  for (int i = 0; i < count; ++i) {
    batch.codes.push_back(NewCode(kCodePrefix));
    digests.push_back(CodeDigest(audit.keys(), batch.codes.back()));
  }
  auto s = store::NewConsultationStore();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = MayModerate(tx, caller, true); !ok) return ok;
    if (auto ok = s->AddCodes(tx, batch.batch, district, digests, now); !ok) return ok;
    auto e = audit.Record(tx, caller.actor, "codes-issue", {batch.batch},
                          json{{"district", district}, {"count", count}}.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return batch;
}

Result<store::Consultation> OpenConsultation(store::Database& db, PublicAuditLog& audit,
                                             const PublicCaller& caller,
                                             const ConsultationInput& in, const std::string& now) {
  if (!KnownDistrict(in.district)) {
    return Fail(ErrorCode::kInvalidArgument,
                "district: '" + Excerpt(in.district, 16) + "' is not a district P-code");
  }
  if (auto ok = CheckText("title", in.title, kMaxProposalTitle); !ok) return Fail(ok.error());
  if (Trim(in.title).empty()) return Fail(ErrorCode::kInvalidArgument, "title: empty");
  if (auto ok = CheckText("body", in.body, kMaxProposalText, true); !ok) return Fail(ok.error());
  if (auto ok = CheckText("project", in.project_id, 64); !ok) return Fail(ok.error());
  if (in.threshold < 1 || in.threshold > 100000) {
    return Fail(ErrorCode::kInvalidArgument, "threshold: 1 to 100000 supports");
  }
  const auto& topics = release::Topics();
  if (std::find(topics.begin(), topics.end(), in.topic) == topics.end()) {
    return Fail(ErrorCode::kInvalidArgument, "topic: '" + Excerpt(in.topic, 40) +
                                                 "' is not a topic of config/grievance_topics.txt");
  }
  store::Consultation c;
  c.id = Uuid::V4().str();
  c.district = in.district;
  c.project_id = in.project_id;
  c.title = in.title;
  c.body = in.body;
  c.threshold = in.threshold;
  c.topic = in.topic;
  c.opened_by = caller.actor;
  c.opened_at = now;
  auto s = store::NewConsultationStore();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = MayModerate(tx, caller, false); !ok) return ok;
    if (auto ok = s->AddConsultation(tx, c); !ok) return ok;
    auto e = audit.Record(tx, caller.actor, "consultation-open", {c.id},
                          json{{"district", c.district}, {"threshold", c.threshold}}.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return c;
}

Result<store::Proposal> Propose(store::Database& db, PublicAuditLog& audit, const ProposalInput& in,
                                const std::string& now) {
  if (auto ok = CheckText("title", in.title, kMaxProposalTitle); !ok) return Fail(ok.error());
  if (Trim(in.title).empty()) return Fail(ErrorCode::kInvalidArgument, "title: empty");
  if (auto ok = CheckText("body", in.body, kMaxProposalText, true); !ok) return Fail(ok.error());
  if (in.lang != "ur" && in.lang != "en" && in.lang != "zh") {
    return Fail(ErrorCode::kInvalidArgument, "lang: ur, en or zh");
  }
  if (auto ok = CheckText("code", in.code, 64); !ok) return Fail(ok.error());
  store::Proposal p;
  p.id = Uuid::V4().str();
  p.consultation_id = in.consultation_id;
  p.title = in.title;
  p.body = in.body;
  p.lang = in.lang;
  p.created_at = now;
  const bool personal = LooksPersonal(in.title + "\n" + in.body);
  if (personal) p.moderation = "held";
  auto s = store::NewConsultationStore();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    auto c = s->GetConsultation(tx, in.consultation_id);
    if (!c) return Fail(c.error());
    if (!*c)
      return Fail(ErrorCode::kNotFound, "no consultation " + Excerpt(in.consultation_id, 64));
    if ((*c)->state != "open") return Fail(ErrorCode::kConflict, "the consultation is closed");
    if (auto ok = CheckCode(tx, *s, audit.keys(), in.code, (*c)->district); !ok) return ok;
    if (auto ok = s->AddProposal(tx, p); !ok) return ok;
    if (personal) {
      if (auto e = s->Log(tx, {0, now, p.id, "held", "personal-data", ""}); !e)
        return Fail(e.error());
    }
    auto e = audit.Record(tx, "resident", "proposal-add", {p.id},
                          json{{"consultation", c->value().id}, {"held", personal}}.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return p;
}

Result<Supported> Support(store::Database& db, PublicAuditLog& audit,
                          const std::string& proposal_id, const std::string& code,
                          const std::string& now) {
  if (auto ok = CheckText("code", code, 64); !ok) return Fail(ok.error());
  auto s = store::NewConsultationStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<Supported> {
    auto p = s->GetProposal(tx, proposal_id);
    if (!p) return Fail(p.error());
    if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + Excerpt(proposal_id, 64));
    auto c = s->GetConsultation(tx, (*p)->consultation_id);
    if (!c) return Fail(c.error());
    if (!*c || (*c)->state != "open") {
      return Fail(ErrorCode::kConflict, "the consultation is closed");
    }
    if (auto ok = CheckCode(tx, *s, audit.keys(), code, (*c)->district); !ok) {
      return Fail(ok.error());
    }
    if (!(*p)->moderation.empty()) {
      return Fail(ErrorCode::kConflict, "the proposal is held for a moderator");
    }
    auto count = s->Support(tx, proposal_id, SupportDigest(audit.keys(), code, proposal_id), now);
    if (!count) return Fail(count.error());
    if (!*count) {
      return Fail(ErrorCode::kConflict, "this code has supported this proposal already");
    }
    auto after = s->GetProposal(tx, proposal_id);
    if (!after || !*after) return Fail(ErrorCode::kInternal, "the proposal vanished");
    // The chain records that a proposal was supported, never with which code.
    auto e = audit.Record(tx, "resident", "proposal-support", {proposal_id},
                          json{{"supports", **count}, {"state", (*after)->state}}.dump());
    if (!e) return Fail(e.error());
    return Supported{**count, (*after)->state};
  });
}

Result<store::Proposal> Respond(store::Database& db, PublicAuditLog& audit,
                                const PublicCaller& caller, const std::string& proposal_id,
                                const std::string& text, const std::string& now) {
  if (auto ok = CheckText("text", text, kMaxProposalText, true); !ok) return Fail(ok.error());
  if (Trim(text).empty()) return Fail(ErrorCode::kInvalidArgument, "text: empty");
  auto s = store::NewConsultationStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<store::Proposal> {
    if (auto ok = MayModerate(tx, caller, true); !ok) return Fail(ok.error());
    auto p = s->GetProposal(tx, proposal_id);
    if (!p) return Fail(p.error());
    if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + Excerpt(proposal_id, 64));
    store::Proposal next = **p;
    next.state = "answered";
    next.response = text;
    next.responded_by = caller.actor;
    next.responded_at = now;
    auto written = s->UpdateProposal(tx, **p, next);
    if (!written) return Fail(written.error());
    if (!*written) return Fail(ErrorCode::kConflict, "the proposal changed meanwhile; try again");
    auto e = audit.Record(tx, caller.actor, "proposal-respond", {proposal_id},
                          json{{"supports", next.supports}, {"was", (*p)->state}}.dump());
    if (!e) return Fail(e.error());
    next.version = (*p)->version + 1;
    return next;
  });
}

Result<std::vector<release::Count>> CountConsultations(const store::Database& db) {
  auto counts = store::InReadTransaction(
      db, [](store::Transaction& tx) { return store::NewConsultationStore()->Counts(tx); });
  if (!counts) return Fail(counts.error());
  std::vector<release::Count> out;
  for (const auto& c : *counts) {
    if (!KnownDistrict(c.district) || !release::IsMonth(c.month)) continue;
    out.push_back({"consultation", c.district, c.month, c.topic, "web", c.count});
  }
  return out;
}

Result<std::int64_t> ReportProposal(store::Database& db, PublicAuditLog& audit,
                                    const std::string& proposal_id, const std::string& code,
                                    const std::string& now) {
  if (auto ok = CheckText("code", code, 64); !ok) return Fail(ok.error());
  auto s = store::NewConsultationStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<std::int64_t> {
    auto p = s->GetProposal(tx, proposal_id);
    if (!p) return Fail(p.error());
    if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + Excerpt(proposal_id, 64));
    auto c = s->GetConsultation(tx, (*p)->consultation_id);
    if (!c) return Fail(c.error());
    if (!*c) return Fail(ErrorCode::kNotFound, "no consultation");
    if (auto ok = CheckCode(tx, *s, audit.keys(), code, (*c)->district); !ok) {
      return Fail(ok.error());
    }
    // A report's hash differs from the same code's support hash for the proposal.
    auto count = s->Report(
        tx, proposal_id,
        KeyedHash(audit.keys(), "report\n" + NormaliseCode(kCodePrefix, code) + "\n" + proposal_id),
        now);
    if (!count) return Fail(count.error());
    if (!*count) return Fail(ErrorCode::kConflict, "this code has reported this proposal already");
    auto e = audit.Record(tx, "resident", "proposal-report", {proposal_id},
                          json{{"reports", **count}}.dump());
    if (!e) return Fail(e.error());
    return **count;
  });
}

Result<store::Proposal> Moderate(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& proposal_id,
                                 const ModerationInput& in, const std::string& now) {
  auto decision = DecisionOf(in, true);
  if (!decision) return Fail(decision.error());
  auto s = store::NewConsultationStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<store::Proposal> {
    if (auto ok = MayModerate(tx, caller, false); !ok) return Fail(ok.error());
    auto p = s->GetProposal(tx, proposal_id);
    if (!p) return Fail(p.error());
    if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + Excerpt(proposal_id, 64));
    store::Proposal next = **p;
    next.moderation = *decision == "hidden" ? "hidden" : "";
    if (*decision == "edited") {
      next.title = in.title;
      next.body = in.body;
    }
    // Shown again after a moderator's look: the reports before it were answered, and only
    // new ones (from codes that have not reported it) can hold it again.
    if (*decision != "hidden") next.reports = 0;
    auto written = s->UpdateProposal(tx, **p, next);
    if (!written) return Fail(written.error());
    if (!*written) return Fail(ErrorCode::kConflict, "the proposal changed meanwhile; try again");
    if (auto e = s->Log(tx, {0, now, proposal_id, *decision, in.rule, ""}); !e)
      return Fail(e.error());
    auto e = audit.Record(tx, caller.actor, "proposal-moderate", {proposal_id},
                          json{{"decision", *decision}, {"rule", in.rule}}.dump());
    if (!e) return Fail(e.error());
    next.version = (*p)->version + 1;
    return next;
  });
}

Result<store::Comment> AddComment(store::Database& db, PublicAuditLog& audit,
                                  const CommentInput& in, const std::string& now) {
  if (auto ok = CheckText("body", in.body, kMaxCommentText, true); !ok) return Fail(ok.error());
  if (Trim(in.body).empty()) return Fail(ErrorCode::kInvalidArgument, "body: empty");
  if (in.lang != "ur" && in.lang != "en" && in.lang != "zh") {
    return Fail(ErrorCode::kInvalidArgument, "lang: ur, en or zh");
  }
  if (auto ok = CheckText("code", in.code, 64); !ok) return Fail(ok.error());
  if (auto ok = CheckText("parent", in.parent_id, 64); !ok) return Fail(ok.error());
  store::Comment c;
  c.id = Uuid::V4().str();
  c.proposal_id = in.proposal_id;
  c.parent_id = in.parent_id;
  c.body = in.body;
  c.lang = in.lang;
  c.created_at = now;
  c.verified = !in.code.empty();
  const bool personal = LooksPersonal(in.body);
  if (personal) c.moderation = "held";
  auto s = store::NewConsultationStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<store::Comment> {
    auto target = OpenTarget(tx, *s, in.proposal_id);
    if (!target) return Fail(target.error());
    if (!in.code.empty()) {
      if (auto ok = CheckCode(tx, *s, audit.keys(), in.code, target->second.district); !ok) {
        return Fail(ok.error());
      }
    }
    if (!in.parent_id.empty()) {
      auto parent = s->GetComment(tx, in.parent_id);
      if (!parent) return Fail(parent.error());
      if (!*parent || (*parent)->proposal_id != in.proposal_id) {
        return Fail(ErrorCode::kNotFound,
                    "parent: no comment " + Excerpt(in.parent_id, 64) + " on this proposal");
      }
      if ((*parent)->depth + 1 > kMaxCommentDepth) {
        return Fail(ErrorCode::kInvalidArgument,
                    "parent: replies nest " + std::to_string(kMaxCommentDepth + 1) +
                        " levels at most; answer higher up the thread");
      }
      if (!(*parent)->moderation.empty()) {
        return Fail(ErrorCode::kConflict, "the comment is held for a moderator");
      }
    }
    auto n = s->CountComments(tx, in.proposal_id);
    if (!n) return Fail(n.error());
    if (*n >= kMaxCommentsPerProposal) {
      return Fail(ErrorCode::kConflict, "the discussion of this proposal is full (" +
                                            std::to_string(kMaxCommentsPerProposal) + " comments)");
    }
    auto added = s->AddComment(tx, c);
    if (!added) return Fail(added.error());
    if (personal) {
      if (auto e = s->Log(tx, {0, now, in.proposal_id, "held", "personal-data", c.id}); !e) {
        return Fail(e.error());
      }
    }
    auto e = audit.Record(
        tx, "resident", "comment-add", {c.id},
        json{{"proposal", in.proposal_id}, {"held", personal}, {"verified", c.verified}}.dump());
    if (!e) return Fail(e.error());
    return *added;
  });
}

Result<std::int64_t> ReportComment(store::Database& db, PublicAuditLog& audit,
                                   const std::string& comment_id, const std::string& code,
                                   const std::string& now) {
  if (auto ok = CheckText("code", code, 64); !ok) return Fail(ok.error());
  auto s = store::NewConsultationStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<std::int64_t> {
    auto m = s->GetComment(tx, comment_id);
    if (!m) return Fail(m.error());
    if (!*m) return Fail(ErrorCode::kNotFound, "no comment " + Excerpt(comment_id, 64));
    auto p = s->GetProposal(tx, (*m)->proposal_id);
    if (!p) return Fail(p.error());
    if (!*p) return Fail(ErrorCode::kNotFound, "no proposal");
    auto c = s->GetConsultation(tx, (*p)->consultation_id);
    if (!c) return Fail(c.error());
    if (!*c) return Fail(ErrorCode::kNotFound, "no consultation");
    if (auto ok = CheckCode(tx, *s, audit.keys(), code, (*c)->district); !ok) {
      return Fail(ok.error());
    }
    // Keyed apart from the same code's reports of proposals and its supports.
    auto count = s->ReportComment(
        tx, comment_id,
        KeyedHash(audit.keys(),
                  "comment-report\n" + NormaliseCode(kCodePrefix, code) + "\n" + comment_id),
        now);
    if (!count) return Fail(count.error());
    if (!*count) return Fail(ErrorCode::kConflict, "this code has reported this comment already");
    auto e = audit.Record(tx, "resident", "comment-report", {comment_id},
                          json{{"reports", **count}}.dump());
    if (!e) return Fail(e.error());
    return **count;
  });
}

Result<store::Comment> ModerateComment(store::Database& db, PublicAuditLog& audit,
                                       const PublicCaller& caller, const std::string& comment_id,
                                       const ModerationInput& in, const std::string& now) {
  auto decision = DecisionOf(in, false);
  if (!decision) return Fail(decision.error());
  auto s = store::NewConsultationStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<store::Comment> {
    if (auto ok = MayModerate(tx, caller, false); !ok) return Fail(ok.error());
    auto m = s->GetComment(tx, comment_id);
    if (!m) return Fail(m.error());
    if (!*m) return Fail(ErrorCode::kNotFound, "no comment " + Excerpt(comment_id, 64));
    store::Comment next = **m;
    next.moderation = *decision == "hidden" ? "hidden" : "";
    if (*decision == "edited") next.body = in.body;
    if (*decision != "hidden") next.reports = 0;  // as for proposals
    auto written = s->UpdateComment(tx, **m, next);
    if (!written) return Fail(written.error());
    if (!*written) return Fail(ErrorCode::kConflict, "the comment changed meanwhile; try again");
    if (auto e = s->Log(tx, {0, now, next.proposal_id, *decision, in.rule, comment_id}); !e) {
      return Fail(e.error());
    }
    auto e = audit.Record(tx, caller.actor, "comment-moderate", {comment_id},
                          json{{"decision", *decision}, {"rule", in.rule}}.dump());
    if (!e) return Fail(e.error());
    next.version = (*m)->version + 1;
    return next;
  });
}

Result<std::string> CommentConsultation(const store::Database& db, const std::string& comment_id) {
  auto s = store::NewConsultationStore();
  auto p = store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::optional<store::Proposal>> {
        auto m = s->GetComment(tx, comment_id);
        if (!m) return Fail(m.error());
        if (!*m) return std::optional<store::Proposal>();
        return s->GetProposal(tx, (*m)->proposal_id);
      });
  if (!p) return Fail(p.error());
  if (!*p) return Fail(ErrorCode::kNotFound, "no comment " + Excerpt(comment_id, 64));
  return (*p)->consultation_id;
}

Result<json> ModerationLogJson(const store::Database& db, int limit) {
  auto s = store::NewConsultationStore();
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    auto log = s->ModerationLog(tx, limit);
    if (!log) return Fail(log.error());
    json items = json::array();
    for (const auto& e : *log) {
      auto p = s->GetProposal(tx, e.proposal_id);
      if (!p) return Fail(p.error());
      items.push_back({{"seq", e.seq},
                       {"at", e.at},
                       {"proposal", e.proposal_id},
                       {"consultation", *p ? (*p)->consultation_id : ""},
                       {"decision", e.decision},
                       {"rule", e.rule}});
      if (!e.comment_id.empty()) items.back()["comment"] = e.comment_id;
    }
    return json{{"items", items}, {"count", items.size()}};
  });
}

Result<json> ModerationQueueJson(store::Database& db, const PublicCaller& caller) {
  auto s = store::NewConsultationStore();
  // (A write transaction: the role is checked against the account as stored now.)
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    if (auto ok = MayModerate(tx, caller, false); !ok) return Fail(ok.error());
    auto all = s->ListConsultations(tx, "");
    if (!all) return Fail(all.error());
    json items = json::array();
    for (const auto& c : *all) {
      auto proposals = s->ListProposals(tx, c.id);
      if (!proposals) return Fail(proposals.error());
      for (const auto& p : *proposals) {
        if (p.moderation != "held") continue;
        items.push_back({{"kind", "proposal"},
                         {"id", p.id},
                         {"consultation", c.id},
                         {"title", p.title},
                         {"body", p.body},
                         {"reports", p.reports},
                         {"created_at", p.created_at}});
      }
    }
    auto comments = s->HeldComments(tx);
    if (!comments) return Fail(comments.error());
    for (const auto& m : *comments) {
      auto p = s->GetProposal(tx, m.proposal_id);
      if (!p) return Fail(p.error());
      items.push_back({{"kind", "comment"},
                       {"id", m.id},
                       {"proposal", m.proposal_id},
                       {"consultation", *p ? (*p)->consultation_id : ""},
                       {"body", m.body},
                       {"reports", m.reports},
                       {"created_at", m.created_at}});
    }
    return json{{"items", items}, {"count", items.size()}};
  });
}

Result<json> ListConsultationsJson(const store::Database& db, const std::string& district) {
  auto s = store::NewConsultationStore();
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    auto all = s->ListConsultations(tx, district);
    if (!all) return Fail(all.error());
    json items = json::array();
    for (const auto& c : *all) items.push_back(ConsultationHead(c));
    return json{{"items", items}, {"count", items.size()}};
  });
}

Result<std::string> ProposalConsultation(const store::Database& db,
                                         const std::string& proposal_id) {
  auto p = store::InReadTransaction(db, [&](store::Transaction& tx) {
    return store::NewConsultationStore()->GetProposal(tx, proposal_id);
  });
  if (!p) return Fail(p.error());
  if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + Excerpt(proposal_id, 64));
  return (*p)->consultation_id;
}

Result<json> ConsultationJson(const store::Database& db, const std::string& id) {
  auto s = store::NewConsultationStore();
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    auto c = s->GetConsultation(tx, id);
    if (!c) return Fail(c.error());
    if (!*c) return Fail(ErrorCode::kNotFound, "no consultation " + Excerpt(id, 64));
    auto proposals = s->ListProposals(tx, id);
    if (!proposals) return Fail(proposals.error());
    auto comments = s->ListComments(tx, id);
    if (!comments) return Fail(comments.error());
    std::map<std::string, json> discussion;
    for (const auto& m : *comments) {
      auto& list = discussion[m.proposal_id];
      if (list.is_null()) list = json::array();
      list.push_back(CommentJson(m));
    }
    auto results = OutcomesOfJson(tx, id);
    if (!results) return Fail(results.error());
    json out = ConsultationHead(**c);
    out["results"] = std::move(*results);
    out["proposals"] = json::array();
    for (const auto& p : *proposals) {
      json j = ProposalJson(p, (*c)->threshold);
      if (p.moderation.empty()) {
        auto it = discussion.find(p.id);
        j["comments"] = it == discussion.end() ? json::array() : std::move(it->second);
      }
      out["proposals"].push_back(std::move(j));
    }
    return out;
  });
}

}  // namespace corridor::public_side
