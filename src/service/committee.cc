#include "corridor/service/committee.h"

#include <algorithm>
#include <chrono>

#include "corridor/common/date.h"
#include "corridor/common/uuid.h"
#include "corridor/model/json.h"
#include "service/workspace.h"

namespace corridor::service {
namespace {

using nlohmann::json;
using store::Transaction;
using workspace::AuditShown;
using workspace::AuditWrite;
using workspace::CheckDate;
using workspace::CheckLimit;
using workspace::CheckList;
using workspace::CheckRequired;
using workspace::CommitteeFor;
using workspace::Contains;
using workspace::Invalid;
using workspace::ListReadable;
using workspace::MarkingOf;
using workspace::MarkingToJson;
using workspace::Reads;
using workspace::RequireMember;
using workspace::RequireReader;
using workspace::RequireWriter;
using workspace::Today;

}  // namespace

Result<store::Committee> AddCommittee(const Context& ctx, const Caller& caller,
                                      const AddCommitteeParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  if (auto ok = CheckRequired("/name", p.name, 200); !ok) return Fail(ok.error());
  auto kind = store::ParseCommitteeKind(p.kind);
  if (!kind) return Fail(ErrorCode::kInvalidArgument, "/kind: expected bilateral, regional or un");
  if (auto ok = CheckList("/orgs", p.orgs, 100, 200); !ok) return Fail(ok.error());
  store::Committee c;
  c.id = Uuid::V4().str();
  c.name = p.name;
  c.kind = *kind;
  for (std::size_t i = 0; i < p.orgs.size(); ++i) {
    if (!ctx.store.GetOrganisation(p.orgs[i])) {
      return Fail(ErrorCode::kInvalidArgument, "/orgs/" + std::to_string(i) + ": no organisation " +
                                                   p.orgs[i] +
                                                   " on this instance (corridor orgs add)");
    }
    c.members.push_back(p.orgs[i]);
  }
  c.members.push_back(caller.principal.org);
  std::sort(c.members.begin(), c.members.end());
  c.members.erase(std::unique(c.members.begin(), c.members.end()), c.members.end());
  auto marking = MarkingOf(caller, p.marking, c.members);
  if (!marking) return Fail(marking.error());
  c.marking = *marking;
  c.created = NowTimestamp();
  auto s = store::NewCommitteeStore();
  auto added = store::InWriteTransaction(ctx.store.database(),
                                         [&](Transaction& tx) { return s->AddCommittee(tx, c); });
  if (!added) return Fail(added.error());
  if (auto a = AuditWrite(ctx, caller, "committee", c.id, c.marking, {{"members", c.members}});
      !a) {
    return Fail(a.error());
  }
  return c;
}

Result<store::Meeting> AddMeeting(const Context& ctx, const Caller& caller,
                                  const AddMeetingParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  if (auto ok = CheckDate("/date", p.date); !ok) return Fail(ok.error());
  if (!p.is_virtual) {
    if (auto ok = CheckRequired("/place", p.place, 200); !ok) {
      return Fail(ErrorCode::kInvalidArgument, "/place: required unless the meeting is virtual");
    }
  }
  if (auto ok = CheckList("/agenda", p.agenda, 100, 2000); !ok) return Fail(ok.error());
  if (auto ok = CheckList("/present", p.present, 100, 200); !ok) return Fail(ok.error());
  if (p.minutes.size() > 100000)
    return Fail(ErrorCode::kInvalidArgument, "/minutes: at most 100000 bytes");
  auto s = store::NewCommitteeStore();
  store::Meeting m;
  auto added =
      store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<void> {
        auto c = CommitteeFor(tx, *s, caller, p.committee, auth::Action::kManageCommittee);
        if (!c) return Fail(c.error());
        for (std::size_t i = 0; i < p.present.size(); ++i) {
          if (!Contains(c->members, p.present[i])) {
            return Invalid("/present/" + std::to_string(i),
                           p.present[i] + " is not a member of " + c->name);
          }
        }
        auto marking = MarkingOf(caller, p.marking, c->members);
        if (!marking) return Fail(marking.error());
        m.id = Uuid::V4().str();
        m.committee_id = c->id;
        m.date = p.date;
        m.place = p.is_virtual ? "" : p.place;
        m.is_virtual = p.is_virtual;
        m.agenda = p.agenda;
        m.present = p.present;
        m.minutes = p.minutes;
        m.marking = *marking;
        m.created = NowTimestamp();
        return s->AddMeeting(tx, m);
      });
  if (!added) return Fail(added.error());
  if (auto a = AuditWrite(ctx, caller, "meeting", m.id, m.marking, {{"committee", m.committee_id}});
      !a) {
    return Fail(a.error());
  }
  return m;
}

Result<store::Decision> AddDecision(const Context& ctx, const Caller& caller,
                                    const AddDecisionParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  if (auto ok = CheckRequired("/text", p.text, 20000); !ok) return Fail(ok.error());
  if (auto ok = CheckList("/incidents", p.incidents, 1000, 64); !ok) return Fail(ok.error());
  if (auto ok = CheckList("/assessments", p.assessments, 1000, 64); !ok) return Fail(ok.error());
  if (auto ok = CheckList("/districts", p.districts, 1000, 32); !ok) return Fail(ok.error());
  auto s = store::NewCommitteeStore();
  store::Decision d;
  auto added =
      store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<void> {
        auto c = CommitteeFor(tx, *s, caller, p.committee, auth::Action::kManageCommittee);
        if (!c) return Fail(c.error());
        if (!p.meeting.empty()) {
          auto m = s->GetMeeting(tx, p.meeting);
          if (!m) return Fail(m.error());
          if (!*m || (*m)->committee_id != c->id) {
            return Fail(ErrorCode::kNotFound,
                        "/meeting: no meeting " + p.meeting + " of " + c->name);
          }
        }
        auto marking = MarkingOf(caller, p.marking, c->members);
        if (!marking) return Fail(marking.error());
        d.id = Uuid::V4().str();
        d.committee_id = c->id;
        d.meeting_id = p.meeting;
        d.text = p.text;
        d.incidents = p.incidents;
        d.assessments = p.assessments;
        d.districts = p.districts;
        d.marking = *marking;
        d.created = NowTimestamp();
        return s->AddDecision(tx, d);
      });
  if (!added) return Fail(added.error());
  if (auto a =
          AuditWrite(ctx, caller, "decision", d.id, d.marking, {{"committee", d.committee_id}});
      !a) {
    return Fail(a.error());
  }
  return d;
}

Result<store::ActionItem> AddAction(const Context& ctx, const Caller& caller,
                                    const AddActionParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  if (auto ok = CheckRequired("/title", p.title, 500); !ok) return Fail(ok.error());
  if (auto ok = CheckRequired("/owner_org", p.owner_org, 200); !ok) return Fail(ok.error());
  if (auto ok = CheckDate("/due", p.due); !ok) return Fail(ok.error());
  if (auto ok = CheckList("/evidence", p.evidence, 100, 2000); !ok) return Fail(ok.error());
  if (!p.owner_account.empty()) {
    auto user = ctx.store.GetUser(p.owner_account);
    if (!user || user->org != p.owner_org) {
      return Fail(ErrorCode::kInvalidArgument,
                  "/owner_account: no account " + p.owner_account + " of " + p.owner_org);
    }
  }
  auto s = store::NewCommitteeStore();
  store::ActionItem a;
  auto added =
      store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<void> {
        auto c = CommitteeFor(tx, *s, caller, p.committee, auth::Action::kManageCommittee);
        if (!c) return Fail(c.error());
        if (!Contains(c->members, p.owner_org)) {
          return Invalid("/owner_org", p.owner_org + " is not a member of " + c->name);
        }
        if (!p.decision.empty()) {
          auto d = s->GetDecision(tx, p.decision);
          if (!d) return Fail(d.error());
          if (!*d || (*d)->committee_id != c->id) {
            return Fail(ErrorCode::kNotFound,
                        "/decision: no decision " + p.decision + " of " + c->name);
          }
        }
        auto marking = MarkingOf(caller, p.marking, c->members);
        if (!marking) return Fail(marking.error());
        a.id = Uuid::V4().str();
        a.committee_id = c->id;
        a.decision_id = p.decision;
        a.title = p.title;
        a.owner_org = p.owner_org;
        a.owner_account = p.owner_account;
        a.due = p.due;
        a.evidence = p.evidence;
        a.marking = *marking;
        a.created = a.updated = NowTimestamp();
        return s->AddAction(tx, a);
      });
  if (!added) return Fail(added.error());
  if (auto r =
          AuditWrite(ctx, caller, "action", a.id, a.marking,
                     {{"committee", a.committee_id}, {"owner_org", a.owner_org}, {"due", a.due}});
      !r) {
    return Fail(r.error());
  }
  return a;
}

Result<std::vector<store::ActionItem>> ListActions(const Context& ctx, const Caller& caller,
                                                   const ListActionsParams& p) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  if (auto ok = CheckLimit(p.limit); !ok) return Fail(ok.error());
  if (!p.today.empty()) {
    if (auto ok = CheckDate("today", p.today); !ok) return Fail(ok.error());
  }
  store::ActionFilter f;
  f.owner_org = p.org;
  if (p.overdue) f.due_before = p.today.empty() ? Today() : p.today;
  return ListReadable<store::ActionItem>(
      ctx, caller, p.committee,
      [&](Transaction& tx, store::CommitteeStore& s, const std::string& committee_id) {
        f.committee_id = committee_id;
        return s.ListActions(tx, f, p.limit);
      });
}

Result<store::ActionItem> UpdateAction(const Context& ctx, const Caller& caller,
                                       const UpdateActionParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  std::optional<store::ActionStatus> from, to;
  if (!p.to.empty()) {
    from = store::ParseActionStatus(p.from);
    if (!from)
      return Fail(ErrorCode::kInvalidArgument,
                  "/from: expected open, in_progress, done or dropped");
    to = store::ParseActionStatus(p.to);
    if (!to)
      return Fail(ErrorCode::kInvalidArgument, "/to: expected open, in_progress, done or dropped");
  } else if (p.note.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "/to: give a new status, a note, or both");
  }
  if (p.note.size() > 20000) return Fail(ErrorCode::kInvalidArgument, "/note: at most 20000 bytes");
  auto s = store::NewCommitteeStore();
  const std::string now = NowTimestamp();
  auto updated = store::InWriteTransaction(
      ctx.store.database(), [&](Transaction& tx) -> Result<store::ActionItem> {
        auto a = s->GetAction(tx, p.id);
        if (!a) return Fail(a.error());
        if (!*a) return Fail(ErrorCode::kNotFound, "no action " + p.id);
        auto c = s->GetCommittee(tx, (*a)->committee_id);
        if (!c) return Fail(c.error());
        if (!*c || !RequireMember(caller, auth::Action::kManageCommittee, **c, &(*a)->marking)) {
          return Fail(ErrorCode::kNotFound, "no action " + p.id);
        }
        // Progress is reported by the owner; the originator may also move or
        // annotate what it assigned. Nobody else writes on it.
        const std::string& org = caller.principal.org;
        if (org != (*a)->owner_org && org != (*a)->marking.author_org) {
          return Fail(ErrorCode::kPermissionDenied,
                      "action " + p.id + " is owned by " + (*a)->owner_org + " and assigned by " +
                          (*a)->marking.author_org + "; only they update it");
        }
        // At the bound a status change is still made (the action can always
        // be closed), without its note; text is refused.
        auto count = s->CountActionNotes(tx, p.id);
        if (!count) return Fail(count.error());
        const bool full = *count >= store::kMaxNotesPerAction;
        if (full && (!p.note.empty() || !to)) {
          return Fail(ErrorCode::kConflict,
                      "action " + p.id + " has " + std::to_string(*count) +
                          " progress notes, the most an action keeps; its status can still be "
                          "changed, without a note");
        }
        if (to) {
          auto moved = s->SetActionStatus(tx, p.id, *from, *to, now);
          if (!moved) return Fail(moved.error());
          if (!*moved) {
            return Fail(ErrorCode::kConflict,
                        "/from: action " + p.id + " is " +
                            std::string(store::ActionStatusName((*a)->status)) + ", not " + p.from);
          }
        }
        // Every update is a note (the status alone when no text): the owner's
        // notes travel back to the originator (ShareCommittee).
        store::ActionNote n{p.id,
                            now,
                            caller.actor,
                            p.note,
                            "",
                            org,
                            to ? std::string(store::ActionStatusName(*to)) : std::string()};
        n.id = store::BoundNoteId(n);
        if (!full) {
          if (auto ok = s->AddActionNote(tx, n); !ok) return Fail(ok.error());
        }
        auto after = s->GetAction(tx, p.id);
        if (!after) return Fail(after.error());
        return **after;
      });
  if (!updated) return Fail(updated.error());
  if (auto a = AuditWrite(ctx, caller, "action-update", p.id, updated->marking,
                          {{"from", p.from}, {"to", p.to}, {"note", !p.note.empty()}});
      !a) {
    return Fail(a.error());
  }
  return updated;
}

namespace {

Result<void> RequireAccount(const Caller& caller) {
  if (caller.principal.org.empty() || caller.actor.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "notices are addressed to accounts: sign in (CLI: set CORRIDOR_TOKEN)");
  }
  return {};
}

// The notice with its action and committee, when the caller reads the action.
Result<std::optional<Notice>> Resolve(Transaction& tx, store::CommitteeStore& s,
                                      const Caller& caller, store::ActionNotice notice) {
  auto a = s.GetAction(tx, notice.action_id);
  if (!a) return Fail(a.error());
  if (!*a) return std::optional<Notice>();
  auto c = s.GetCommittee(tx, (*a)->committee_id);
  if (!c) return Fail(c.error());
  if (!*c || !Reads(caller, **c, (*a)->marking)) return std::optional<Notice>();
  return std::optional<Notice>(Notice{std::move(notice), std::move(**a), (*c)->name});
}

Result<void> AuditNotices(const Context& ctx, const Caller& caller,
                          const std::vector<Notice>& shown) {
  std::vector<MarkedObject> marked;
  marked.reserve(shown.size());
  for (const auto& n : shown) marked.push_back({n.action.id, n.action.marking.tlp});
  return AuditMarkedReads(ctx, caller, marked);
}

}  // namespace

Result<std::vector<Notice>> ListNotices(const Context& ctx, const Caller& caller,
                                        const NoticesParams& p) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  if (auto ok = RequireAccount(caller); !ok) return Fail(ok.error());
  if (p.limit < 1 || p.limit > 1000) {
    return Fail(ErrorCode::kInvalidArgument, "limit: expected 1 to 1000");
  }
  if (!p.today.empty()) {
    if (auto ok = CheckDate("today", p.today); !ok) return Fail(ok.error());
  }
  const std::string today = p.today.empty() ? Today() : p.today;
  auto s = store::NewCommitteeStore();
  auto shown = store::InWriteTransaction(
      ctx.store.database(), [&](Transaction& tx) -> Result<std::vector<Notice>> {
        if (auto raised = s->RaiseOverdueNotices(tx, today, NowTimestamp()); !raised) {
          return Fail(raised.error());
        }
        auto notices = s->ListNotices(tx, caller.principal.org, caller.actor, p.unread, p.limit);
        if (!notices) return Fail(notices.error());
        std::vector<Notice> out;
        for (auto& n : *notices) {
          auto resolved = Resolve(tx, *s, caller, std::move(n));
          if (!resolved) return Fail(resolved.error());
          if (*resolved) out.push_back(std::move(**resolved));
        }
        return out;
      });
  if (!shown) return Fail(shown.error());
  if (auto a = AuditNotices(ctx, caller, *shown); !a) return Fail(a.error());
  return shown;
}

Result<Notice> ReadNotice(const Context& ctx, const Caller& caller, std::int64_t id) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  if (auto ok = RequireAccount(caller); !ok) return Fail(ok.error());
  auto s = store::NewCommitteeStore();
  const std::string missing = "no notice " + std::to_string(id);
  auto read =
      store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<Notice> {
        auto notice = s->GetNotice(tx, id);
        if (!notice) return Fail(notice.error());
        if (!*notice) return Fail(ErrorCode::kNotFound, missing);
        auto resolved = Resolve(tx, *s, caller, **notice);
        if (!resolved) return Fail(resolved.error());
        const auto& a = (*resolved) ? (*resolved)->action : store::ActionItem{};
        const bool addressed = *resolved && a.owner_org == caller.principal.org &&
                               (a.owner_account.empty() || a.owner_account == caller.actor);
        if (!addressed) return Fail(ErrorCode::kNotFound, missing);
        auto at = s->MarkNoticeRead(tx, id, caller.actor, NowTimestamp());
        if (!at) return Fail(at.error());
        Notice out = std::move(**resolved);
        out.notice.read = *at;
        return out;
      });
  if (!read) return Fail(read.error());
  if (auto a = AuditNotices(ctx, caller, {*read}); !a) return Fail(a.error());
  return read;
}

Result<std::vector<store::Committee>> ListCommittees(const Context& ctx, const Caller& caller) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  auto s = store::NewCommitteeStore();
  auto all = store::InReadTransaction(ctx.store.database(),
                                      [&](Transaction& tx) { return s->ListCommittees(tx); });
  if (!all) return Fail(all.error());
  std::vector<store::Committee> out;
  for (auto& c : *all) {
    if (Reads(caller, c, c.marking)) out.push_back(std::move(c));
  }
  if (auto a = AuditShown(ctx, caller, out); !a) return Fail(a.error());
  return out;
}

Result<json> ShowCommittee(const Context& ctx, const Caller& caller, const std::string& committee) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  auto s = store::NewCommitteeStore();
  std::vector<MarkedObject> shown;
  auto out = store::InReadTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<json> {
    auto c = CommitteeFor(tx, *s, caller, committee, auth::Action::kReadCommittee);
    if (!c) return Fail(c.error());
    json j = ToJson(*c);
    shown.push_back({c->id, c->marking.tlp});
    auto meetings = s->ListMeetings(tx, c->id, store::kMaxListedPerCommittee);
    if (!meetings) return Fail(meetings.error());
    j["meetings"] = json::array();
    for (const auto& m : *meetings) {
      if (!Reads(caller, *c, m.marking)) continue;
      j["meetings"].push_back(ToJson(m));
      shown.push_back({m.id, m.marking.tlp});
    }
    auto decisions = s->ListDecisions(tx, c->id, store::kMaxListedPerCommittee);
    if (!decisions) return Fail(decisions.error());
    j["decisions"] = json::array();
    for (const auto& d : *decisions) {
      if (!Reads(caller, *c, d.marking)) continue;
      j["decisions"].push_back(ToJson(d));
      shown.push_back({d.id, d.marking.tlp});
    }
    return j;
  });
  if (!out) return Fail(out.error());
  if (auto a = AuditMarkedReads(ctx, caller, shown); !a) return Fail(a.error());
  return out;
}

Result<json> ShowAction(const Context& ctx, const Caller& caller, const std::string& id) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  auto s = store::NewCommitteeStore();
  std::vector<MarkedObject> shown;
  auto out = store::InReadTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<json> {
    const auto missing = [&] { return Fail(ErrorCode::kNotFound, "no action " + id); };
    auto a = s->GetAction(tx, id);
    if (!a) return Fail(a.error());
    if (!*a) return missing();
    auto c = s->GetCommittee(tx, (*a)->committee_id);
    if (!c) return Fail(c.error());
    if (!*c || !Reads(caller, **c, (*a)->marking)) return missing();
    auto notes = s->ListActionNotes(tx, id);
    if (!notes) return Fail(notes.error());
    json j = ToJson(**a);
    j["committee_name"] = (*c)->name;
    j["notes"] = json::array();
    for (const auto& n : *notes) j["notes"].push_back(ToJson(n));
    shown.push_back({(*a)->id, (*a)->marking.tlp});
    return j;
  });
  if (!out) return Fail(out.error());
  if (auto a = AuditMarkedReads(ctx, caller, shown); !a) return Fail(a.error());
  return out;
}

json ToJson(const store::ActionNote& n) {
  return {{"id", n.id},         {"at", n.at},
          {"author", n.author}, {"org", n.org},
          {"text", n.text},     {"status", n.status.empty() ? json(nullptr) : json(n.status)}};
}

json ToJson(const store::Committee& c) {
  json j = {{"id", c.id},
            {"name", c.name},
            {"kind", store::CommitteeKindName(c.kind)},
            {"members", c.members},
            {"created", c.created}};
  j.update(MarkingToJson(c.marking));
  return j;
}

json ToJson(const store::Meeting& m) {
  json j = {{"id", m.id},           {"committee", m.committee_id}, {"date", m.date},
            {"place", m.place},     {"virtual", m.is_virtual},     {"agenda", m.agenda},
            {"present", m.present}, {"minutes", m.minutes},        {"created", m.created}};
  j.update(MarkingToJson(m.marking));
  return j;
}

json ToJson(const store::Decision& d) {
  json j = {{"id", d.id},
            {"committee", d.committee_id},
            {"meeting", d.meeting_id},
            {"text", d.text},
            {"incidents", d.incidents},
            {"assessments", d.assessments},
            {"districts", d.districts},
            {"created", d.created}};
  j.update(MarkingToJson(d.marking));
  return j;
}

json ToJson(const store::ActionItem& a) {
  json j = {{"id", a.id},
            {"committee", a.committee_id},
            {"decision", a.decision_id},
            {"title", a.title},
            {"owner_org", a.owner_org},
            {"owner_account", a.owner_account},
            {"due", a.due},
            {"status", store::ActionStatusName(a.status)},
            {"evidence", a.evidence},
            {"created", a.created},
            {"updated", a.updated}};
  j.update(MarkingToJson(a.marking));
  return j;
}

json ToJson(const Notice& n) {
  return {{"id", n.notice.id},
          {"kind", "overdue"},
          {"due", n.notice.due},
          {"raised", n.notice.raised},
          {"read", n.notice.read.empty() ? json(nullptr) : json(n.notice.read)},
          {"committee", n.committee},
          {"action", ToJson(n.action)}};
}

}  // namespace corridor::service
