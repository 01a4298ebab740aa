// Results tracking (public_side/outcomes.h).
#include "corridor/public_side/outcomes.h"

#include <algorithm>

#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"
#include "corridor/store/consultation_store.h"
#include "corridor/store/meeting_store.h"
#include "public/outcome_json.h"
#include "public/staff.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

Result<void> CheckDecision(const std::string& decision, const std::string& decided_on) {
  if (auto ok = CheckText("decision", decision, kMaxOutcomeText, true); !ok) return ok;
  if (auto ok = NotPersonal("decision", decision); !ok) return ok;
  if (!decided_on.empty() && !Date::ParseIso(decided_on)) {
    return Fail(ErrorCode::kInvalidArgument,
                "decided_on: '" + Excerpt(decided_on, 20) + "' is not a date (YYYY-MM-DD)");
  }
  if (decided_on.empty() != decision.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                decision.empty() ? "decision: a decision date needs the decision's text"
                                 : "decided_on: the decision needs its date");
  }
  return {};
}

json ToJson(store::Transaction& tx, const store::Outcome& o) {
  json j = {{"id", o.id},
            {"consultation", o.consultation_id},
            {"title", o.title},
            {"description", o.description},
            {"status", o.status},
            {"progress", o.progress},
            {"proposals", o.proposal_ids},
            {"meetings", o.meeting_ids},
            {"updated_at", o.updated_at},
            {"updates", json::array()}};
  if (!o.decision.empty()) {
    j["decision"] = o.decision;
    j["decided_on"] = o.decided_on;
  }
  auto updates = store::NewOutcomeStore()->Updates(tx, o.id);
  if (updates) {
    for (const auto& u : *updates) {
      j["updates"].push_back({{"seq", u.seq},
                              {"at", u.at},
                              {"status", u.status},
                              {"progress", u.progress},
                              {"note", u.note}});
    }
  }
  return j;
}

}  // namespace

const std::vector<std::string>& OutcomeStatuses() {
  static const std::vector<std::string> kStatuses = {"not-started", "in-progress", "completed",
                                                     "cancelled"};
  return kStatuses;
}

Result<store::Outcome> TrackOutcome(store::Database& db, PublicAuditLog& audit,
                                    const PublicCaller& caller, const OutcomeInput& in,
                                    const std::string& now) {
  if (auto ok = CheckText("title", in.title, kMaxOutcomeTitle); !ok) return Fail(ok.error());
  if (Trim(in.title).empty()) return Fail(ErrorCode::kInvalidArgument, "title: empty");
  if (auto ok = CheckText("description", in.description, kMaxOutcomeText, true); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = NotPersonal("title", in.title); !ok) return Fail(ok.error());
  if (auto ok = NotPersonal("description", in.description); !ok) return Fail(ok.error());
  if (auto ok = CheckDecision(in.decision, in.decided_on); !ok) return Fail(ok.error());
  if (auto ok = CheckNames("proposals", in.proposal_ids, kMaxOutcomeLinks, 64); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = CheckNames("meetings", in.meeting_ids, kMaxOutcomeLinks, 64); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = CheckText("consultation", in.consultation_id, 64); !ok) return Fail(ok.error());
  store::Outcome o;
  o.id = Uuid::V4().str();
  o.consultation_id = in.consultation_id;
  o.title = in.title;
  o.description = in.description;
  o.proposal_ids = in.proposal_ids;
  o.meeting_ids = in.meeting_ids;
  o.decision = in.decision;
  o.decided_on = in.decided_on;
  o.created_at = now;
  o.updated_at = now;
  auto outcomes = store::NewOutcomeStore();
  auto consultations = store::NewConsultationStore();
  auto meetings = store::NewMeetingStore();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = MayModerate(tx, caller, true); !ok) return ok;
    auto c = consultations->GetConsultation(tx, in.consultation_id);
    if (!c) return Fail(c.error());
    if (!*c) {
      return Fail(ErrorCode::kInvalidArgument,
                  "consultation: no consultation " + Excerpt(in.consultation_id, 64));
    }
    for (std::size_t i = 0; i < o.proposal_ids.size(); ++i) {
      auto p = consultations->GetProposal(tx, o.proposal_ids[i]);
      if (!p) return Fail(p.error());
      if (!*p || (*p)->consultation_id != o.consultation_id) {
        return Fail(ErrorCode::kInvalidArgument,
                    "proposals/" + std::to_string(i) + ": no proposal " +
                        Excerpt(o.proposal_ids[i], 64) + " in this consultation");
      }
    }
    for (std::size_t i = 0; i < o.meeting_ids.size(); ++i) {
      auto m = meetings->GetMeeting(tx, o.meeting_ids[i]);
      if (!m) return Fail(m.error());
      if (!*m || (*m)->district != (*c)->district) {
        return Fail(ErrorCode::kInvalidArgument, "meetings/" + std::to_string(i) + ": no meeting " +
                                                     Excerpt(o.meeting_ids[i], 64) + " in " +
                                                     (*c)->district);
      }
    }
    if (auto ok = outcomes->AddOutcome(tx, o); !ok) return ok;
    auto e = audit.Record(tx, caller.actor, "result-track", {o.id},
                          json{{"consultation", o.consultation_id}}.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return o;
}

Result<store::Outcome> ReportProgress(store::Database& db, PublicAuditLog& audit,
                                      const PublicCaller& caller, const std::string& id,
                                      const ProgressInput& in, const std::string& now) {
  const auto& statuses = OutcomeStatuses();
  if (std::find(statuses.begin(), statuses.end(), in.status) == statuses.end()) {
    return Fail(ErrorCode::kInvalidArgument,
                "status: one of not-started, in-progress, completed, cancelled");
  }
  if (in.progress < -1 || in.progress > 100) {
    return Fail(ErrorCode::kInvalidArgument, "progress: 0 to 100 (per cent)");
  }
  if (auto ok = CheckText("note", in.note, kMaxOutcomeNote, true); !ok) return Fail(ok.error());
  if (Trim(in.note).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "note: say what happened (the public reads it)");
  }
  if (auto ok = NotPersonal("note", in.note); !ok) return Fail(ok.error());
  if (!in.decision.empty() || !in.decided_on.empty()) {
    if (auto ok = CheckDecision(in.decision, in.decided_on); !ok) return Fail(ok.error());
  }
  auto s = store::NewOutcomeStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<store::Outcome> {
    if (auto ok = MayModerate(tx, caller, true); !ok) return Fail(ok.error());
    auto o = s->GetOutcome(tx, id);
    if (!o) return Fail(o.error());
    if (!*o) return Fail(ErrorCode::kNotFound, "no result " + Excerpt(id, 64));
    const store::Outcome& before = **o;
    if (before.status == "completed" || before.status == "cancelled") {
      return Fail(ErrorCode::kConflict, "the result is " + before.status + " (final)");
    }
    store::Outcome next = before;
    next.status = in.status;
    if (in.progress >= 0) next.progress = in.progress;
    if (in.status == "completed") {
      if (in.progress >= 0 && in.progress != 100) {
        return Fail(ErrorCode::kInvalidArgument, "progress: a completed result is at 100");
      }
      next.progress = 100;
    }
    if (in.status == "not-started" && next.progress != 0) {
      return Fail(ErrorCode::kInvalidArgument, "progress: a result not started is at 0");
    }
    if (!in.decision.empty()) {
      next.decision = in.decision;
      next.decided_on = in.decided_on;
    }
    next.updated_at = now;
    auto written = s->UpdateOutcome(tx, before, next);
    if (!written) return Fail(written.error());
    if (!*written) return Fail(ErrorCode::kConflict, "the result changed meanwhile; try again");
    auto u = s->AddUpdate(tx, {0, id, now, next.status, next.progress, in.note});
    if (!u) return Fail(u.error());
    auto e = audit.Record(tx, caller.actor, "result-progress", {id},
                          json{{"status", next.status}, {"progress", next.progress}}.dump());
    if (!e) return Fail(e.error());
    next.version = before.version + 1;
    return next;
  });
}

Result<json> OutcomeJson(const store::Database& db, const std::string& id) {
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    auto o = store::NewOutcomeStore()->GetOutcome(tx, id);
    if (!o) return Fail(o.error());
    if (!*o) return Fail(ErrorCode::kNotFound, "no result " + Excerpt(id, 64));
    return ToJson(tx, **o);
  });
}

Result<json> OutcomesOfJson(store::Transaction& tx, const std::string& consultation_id) {
  auto all = store::NewOutcomeStore()->ListOutcomes(tx, consultation_id);
  if (!all) return Fail(all.error());
  json out = json::array();
  for (const auto& o : *all) out.push_back(ToJson(tx, o));
  return out;
}

}  // namespace corridor::public_side
