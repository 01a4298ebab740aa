// ApplyCommitteeObject (stix/exchange.h): one committee object received from
// a partner, written to the committee store under the originator rule.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <variant>

#include "corridor/common/date.h"
#include "corridor/stix/exchange.h"
#include "corridor/stix/ingress.h"
#include "corridor/store/committee.h"
#include "corridor/store/judicial.h"

namespace corridor::stix {

using nlohmann::json;

namespace {

// Why a partner's note marked `note` would be shown to more readers than it
// names, were it shown under its action's marking `action` (nullopt: it would
// not). The writer `from` and the action's assigner read it anyway.
std::optional<std::string> LooserThan(const model::Marking& note, const model::Marking& action,
                                      const std::string& from) {
  const std::string tlp(model::TlpName(note.tlp));
  if (model::Strictness(note.tlp) > model::Strictness(action.tlp)) {
    return "the note is " + tlp + ", stricter than its action here (" +
           std::string(model::TlpName(action.tlp)) + ") under whose marking it would be shown";
  }
  if (note.tlp == action.tlp && note.tlp == model::Tlp::kGreen &&
      note.distribution.trust_group != action.distribution.trust_group) {
    return "the note is for trust group " + note.distribution.trust_group + ", its action for " +
           action.distribution.trust_group;
  }
  if (note.tlp == model::Tlp::kAmber || note.tlp == model::Tlp::kAmberStrict) {
    const auto& named = note.distribution.organisations;
    for (const auto& org : action.distribution.organisations) {
      if (org == from || org == action.author_org) continue;
      if (std::find(named.begin(), named.end(), org) == named.end()) {
        return "the note (" + tlp + ") does not name " + org + ", which reads its action here";
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<CommitteeApplied> ApplyCommitteeObject(store::Store& store, const json& object,
                                              const std::string& originator,
                                              const std::string& own_org) {
  CommitteeApplied out;
  auto parsed = CommitteeObjectFromStix(object);
  if (!parsed) {
    out.refusal = Refusal{"invalid", parsed.error().message};
    return out;
  }
  const std::string& from = originator;
  std::optional<Refusal>& refusal = out.refusal;
  bool& inserted = out.inserted;
  bool& updated = out.updated;
  auto committees = store::NewCommitteeStore();
  const auto refuse = [&](std::string kind, std::string reason) {
    refusal = Refusal{std::move(kind), std::move(reason)};
  };
  // What an Add's error means here: a missing reference or a clash is the
  // object's fault (rejected); anything else is the store's (stops the import).
  const auto added = [&](const Result<void>& r, const char* what) -> Result<void> {
    if (r) {
      inserted = true;
      return {};
    }
    if (r.error().code == ErrorCode::kNotFound || r.error().code == ErrorCode::kConflict ||
        r.error().code == ErrorCode::kInvalidArgument) {
      refuse(r.error().code == ErrorCode::kConflict ? "conflict" : "invalid",
             std::string(what) + ": " + r.error().message);
      return {};
    }
    return r;
  };
  // The committee an object belongs to, when both the originator and this
  // instance's organisation are among its members.
  const auto member_committee =
      [&](store::Transaction& tx,
          const std::string& committee_id) -> Result<std::optional<store::Committee>> {
    auto c = committees->GetCommittee(tx, committee_id);
    if (!c) return Fail(c.error());
    if (!*c) {
      refuse("invalid", "/extensions/" + std::string(kCorridorExtensionId) +
                            "/committee/committee: committee " + committee_id +
                            " is not held here (its grouping is sent first)");
      return std::optional<store::Committee>();
    }
    const auto& members = (*c)->members;
    if (std::find(members.begin(), members.end(), from) == members.end()) {
      refuse("not-member", from + " is not a member of committee " + (*c)->name);
      return std::optional<store::Committee>();
    }
    return c;
  };
  // An object held already: only its originator's newer version changes it.
  const auto held_from = [&](const model::Marking& held) {
    if (held.author_org != from) {
      refuse("conflict",
             "held here from " +
                 (held.author_org.empty() ? std::string("no organisation") : held.author_org) +
                 "; only its originator may change it");
      return false;
    }
    return true;
  };
  // A progress note on an action held here (WAVE2 "Shared actions").
  // One id space across the committee's kinds: a new object never takes an id
  // held here by an object of another kind (a note's bound id included), so
  // nobody pre-empts another's object by sending a different kind under its id.
  const auto taken = [&](store::Transaction& tx, const std::string& id,
                         std::string_view kind) -> Result<bool> {
    const auto any = [](auto held) -> Result<bool> {
      if (!held) return Fail(held.error());
      return held->has_value();
    };
    std::vector<Result<bool>> checks;
    if (kind != "committee") checks.push_back(any(committees->GetCommittee(tx, id)));
    if (kind != "meeting") checks.push_back(any(committees->GetMeeting(tx, id)));
    if (kind != "decision") checks.push_back(any(committees->GetDecision(tx, id)));
    if (kind != "action") checks.push_back(any(committees->GetAction(tx, id)));
    if (kind != "progress note") checks.push_back(any(committees->GetActionNote(tx, id)));
    if (kind != "exercise") checks.push_back(any(committees->GetExercise(tx, id)));
    if (kind != "team") checks.push_back(any(committees->GetTeam(tx, id)));
    for (auto& c : checks) {
      if (!c || *c) return c;
    }
    return false;
  };
  // Refuses `id` (true) when another kind holds it here.
  const auto clashes = [&](store::Transaction& tx, const std::string& id,
                           std::string_view kind) -> Result<bool> {
    auto t = taken(tx, id, kind);
    if (!t) return Fail(t.error());
    if (*t) refuse("conflict", "/id: " + id + " is another committee object's id here");
    return *t;
  };
  const auto apply_progress = [&](store::Transaction& tx, ActionProgress& p) -> Result<void> {
    store::ActionNote& note = p.note;
    auto action = committees->GetAction(tx, note.action_id);
    if (!action) return Fail(action.error());
    if (!*action || (*action)->committee_id != p.committee_id) {
      refuse("invalid", "/extensions/" + std::string(kCorridorExtensionId) +
                            "/committee/action: action " + note.action_id +
                            " of this committee is not held here");
      return {};
    }
    const store::ActionItem& held_action = **action;
    if (from != held_action.owner_org && from != held_action.marking.author_org) {
      refuse("conflict", "action " + note.action_id + " is owned by " + held_action.owner_org +
                             " and assigned by " + held_action.marking.author_org + "; " + from +
                             " may not report progress on it");
      return {};
    }
    // One id space: a note never takes the id of a committee object held here.
    if (auto c = clashes(tx, note.id, "progress note"); !c || *c) {
      return c ? Result<void>() : Fail(c.error());
    }
    if (auto why = LooserThan(p.marking, held_action.marking, from)) {
      refuse("marking", *why);
      return {};
    }
    // The id is bound to its writer (store::BoundNoteId) and recomputed here
    // with the signing key's organisation: an id made for another writer or
    // other content is refused, so nobody can take the id of another's note.
    // No id is exempt: an exemption (the UUIDv4 of notes written before ids
    // were bound) would let a member send any note under a legacy note's id
    // before the real one arrives.
    {
      store::ActionNote as_sent = note;
      as_sent.org = from;
      if (store::BoundNoteId(as_sent) != note.id) {
        refuse("conflict", "/id: note--" + note.id + " is not the id of this note from " + from +
                               " (a progress note's id is computed from its writer and content)");
        return {};
      }
    }
    auto held = committees->GetActionNote(tx, note.id);
    if (!held) return Fail(held.error());
    if (*held) {
      if ((*held)->org != from) {
        refuse("conflict", "progress note " + note.id + " is held here from " + (*held)->org +
                               "; only its writer may send it");
      }
      return {};  // a note never changes
    }
    auto notes = committees->CountActionNotes(tx, note.action_id);
    if (!notes) return Fail(notes.error());
    if (*notes >= store::kMaxNotesPerAction) {
      refuse("invalid", "action " + note.action_id + " holds " +
                            std::to_string(store::kMaxNotesPerAction) + " notes, the most kept");
      return {};
    }
    note.author = "";  // account names never travel
    note.org = from;   // verified, never claimed
    if (auto ok = added(committees->AddActionNote(tx, note), "progress note"); !ok || refusal) {
      return ok;
    }
    const auto to = store::ParseActionStatus(note.status);
    if (!to || *to == held_action.status ||
        CompareTimestamps(note.at, held_action.updated).value_or(0) <= 0) {
      return {};
    }
    auto moved = committees->SetActionStatus(tx, note.action_id, held_action.status, *to, note.at);
    if (!moved) return Fail(moved.error());
    updated = *moved;
    return {};
  };
  // Refuses (true) when one of `orgs` is not a member of `c`.
  const auto outsiders = [&](const std::vector<std::string>& orgs, const store::Committee& c,
                             const char* key) {
    for (const auto& org : orgs) {
      if (std::find(c.members.begin(), c.members.end(), org) == c.members.end()) {
        refuse("invalid", "/extensions/" + std::string(kCorridorExtensionId) + "/committee/" + key +
                              ": " + org + " is not a member of committee " + c.name);
        return true;
      }
    }
    return false;
  };
  // An exercise, then its report (recorded once) and the lessons not held
  // yet whose action is held here in the same committee (a lesson is its
  // action's title: one whose action did not arrive is left out).
  const auto apply_exercise = [&](store::Transaction& tx, const store::Committee& c,
                                  SharedExercise& x) -> Result<void> {
    store::Exercise& e = x.exercise;
    if (outsiders(e.participants, c, "participants")) return {};
    auto held = committees->GetExercise(tx, e.id);
    if (!held) return Fail(held.error());
    std::string held_findings;
    if (*held) {
      if (!held_from((*held)->marking)) return {};
      if ((*held)->committee_id != e.committee_id) {
        refuse("conflict", "exercise " + e.id + " is held here in another committee");
        return {};
      }
      held_findings = (*held)->findings;
    } else if (auto clash = clashes(tx, e.id, "exercise"); !clash || *clash) {
      return clash ? Result<void>() : Fail(clash.error());
    }
    // Every lesson first, before anything is written: a lesson binds only the
    // action it became — written by the exercise's originator for this
    // exercise, under its title, in its committee, and no stricter than the
    // exercise (the lesson shows it with the exercise). One whose action is
    // not held yet waits for it (`incomplete`).
    std::vector<const store::ExerciseLesson*> ready;
    for (const auto& l : x.lessons) {
      auto action = committees->GetAction(tx, l.action_id);
      if (!action) return Fail(action.error());
      if (!*action) {
        out.incomplete = true;
        continue;
      }
      const store::ActionItem& a = **action;
      const bool of_this_exercise =
          std::find(a.evidence.begin(), a.evidence.end(), "exercise:" + e.id) != a.evidence.end();
      if (a.committee_id != e.committee_id || a.marking.author_org != from || a.title != l.text ||
          !of_this_exercise ||
          model::Strictness(a.marking.tlp) > model::Strictness(e.marking.tlp)) {
        refuse("conflict", "/extensions/" + std::string(kCorridorExtensionId) +
                               "/committee/lessons: action " + l.action_id +
                               " is not the action this exercise's lesson became (" + from +
                               "'s, titled as the lesson, with exercise:" + e.id +
                               " in its evidence, no stricter than the exercise)");
        return {};
      }
      ready.push_back(&l);
    }
    if (!*held) {
      store::Exercise fresh = e;
      fresh.findings.clear();
      fresh.reported.clear();
      fresh.marking.author = "";
      fresh.marking.author_org = from;  // verified, never claimed
      if (auto ok = added(committees->AddExercise(tx, fresh), "exercise"); !ok || refusal) {
        return ok;
      }
    }
    bool changed = false;
    if (!e.findings.empty() && held_findings.empty()) {
      auto reported = committees->ReportExercise(tx, e.id, e.findings, e.reported);
      if (!reported) return Fail(reported.error());
      changed = *reported;
    }
    auto lessons = committees->ListLessons(tx, e.id);
    if (!lessons) return Fail(lessons.error());
    std::set<std::string> have;
    for (const auto& l : *lessons) have.insert(l.action_id);
    for (const auto* l : ready) {
      if (have.size() >= store::kMaxSharedLessons) break;
      if (have.count(l->action_id) != 0) continue;
      auto seq = committees->AddLesson(tx, *l);
      if (!seq) return Fail(seq.error());
      have.insert(l->action_id);
      changed = true;
    }
    updated = changed && *held;
    return {};
  };
  const auto apply_team = [&](store::Transaction& tx, const store::Committee& c,
                              store::JointTeam& t) -> Result<void> {
    if (outsiders(t.members, c, "members")) return {};
    auto held = committees->GetTeam(tx, t.id);
    if (!held) return Fail(held.error());
    if (*held) {
      held_from((*held)->marking);  // a team never changes once created
      return {};
    }
    if (auto clash = clashes(tx, t.id, "team"); !clash || *clash) {
      return clash ? Result<void>() : Fail(clash.error());
    }
    t.marking.author = "";
    t.marking.author_org = from;
    return added(committees->AddTeam(tx, t), "team");
  };
  // One organisation's part of a judicial request (docs/committee.md, "A
  // request across two instances"): the sender is one party and this
  // instance's organisation the other; the part's id is bound to the sender;
  // the request is created when not held (as a draft, then moved), and each
  // move of the sender's party (store::MovingParty) not held yet is applied
  // by compare-and-set on the state it starts from.
  const auto apply_judicial = [&](store::Transaction& tx, JudicialPart& part) -> Result<void> {
    store::JudicialRequest& r = part.request;
    std::string party;
    if (from == r.requesting_org) party = "requesting";
    if (from == r.requested_org) party = "requested";
    if (party.empty()) {
      refuse("not-member", from + " is neither the requesting (" + r.requesting_org +
                               ") nor the requested state (" + r.requested_org + ")");
      return {};
    }
    const std::string& other = party == "requesting" ? r.requested_org : r.requesting_org;
    if (own_org != other) {
      refuse("not-member", "this instance's organisation " + own_org + " is not the " +
                               (party == "requesting" ? "requested" : "requesting") +
                               " state of the request (" + other + ")");
      return {};
    }
    if (store::JudicialPartId(r.id, from) != part.id) {
      refuse("conflict",
             "/id: note--" + part.id + " is not the id of " + from + "'s part of request " + r.id);
      return {};
    }
    // A move is dated no later than a day from now (clocks differ, a
    // calendar does not): a far-future date would pin the request's clocks.
    const std::string latest =
        FormatTimestamp(std::chrono::system_clock::now() + std::chrono::hours(24));
    for (const auto& m : part.moves) {
      if (CompareTimestamps(m.at, latest).value_or(1) > 0) {
        refuse("invalid", "a move dated " + m.at + " is in the future");
        return {};
      }
      if (store::MovingParty(m.to) != party) {
        refuse("conflict", "the " + party + " state " + from + " may not make a request " + m.to +
                               " (the requesting state sends and withdraws; the requested state "
                               "acknowledges, starts and decides)");
        return {};
      }
    }
    auto judicial = store::NewJudicialStore();
    auto held = judicial->Get(tx, r.id);
    if (!held) return Fail(held.error());
    if (*held) {
      if ((*held)->requesting_org != r.requesting_org ||
          (*held)->requested_org != r.requested_org) {
        refuse("conflict", "request " + r.id + " is held here between other parties");
        return {};
      }
    } else {
      store::JudicialRequest fresh = r;
      fresh.state = "draft";
      fresh.consultation.clear();
      fresh.consultation_at.clear();
      fresh.marking.author = "";
      fresh.marking.author_org = from;  // verified, never claimed
      fresh.updated = r.created;
      if (auto ok = added(judicial->Add(tx, fresh), "judicial request"); !ok || refusal) {
        return ok;
      }
    }
    auto history = judicial->History(tx, r.id);
    if (!history) return Fail(history.error());
    bool moved = false;
    for (auto m : part.moves) {
      const bool have = std::any_of(history->begin(), history->end(), [&](const auto& h) {
        return h.at == m.at && h.to == m.to;  // (a withdrawal's `from` is the one held)
      });
      if (have) continue;
      m.actor = from;  // the organisation: account names never travel
      // A withdrawal crossing the other side's move (it acknowledged while
      // we withdrew) still withdraws: from whatever open state is held.
      if (m.to == "withdrawn") {
        auto now_held = judicial->Get(tx, r.id);
        if (!now_held) return Fail(now_held.error());
        if (*now_held && store::IsJudicialStep((*now_held)->state, "withdrawn")) {
          m.from = (*now_held)->state;
        }
      }
      auto set = judicial->SetState(tx, m);
      if (!set) return Fail(set.error());
      moved = moved || *set;  // a move from a state no longer held is history elsewhere
    }
    updated = moved && *held;
    return {};
  };
  auto written =
      store::InWriteTransaction(store.database(), [&](store::Transaction& tx) -> Result<void> {
        if (auto* part = std::get_if<JudicialPart>(&parsed->value)) {
          return apply_judicial(tx, *part);
        }
        if (auto* c = std::get_if<store::Committee>(&parsed->value)) {
          const auto& m = c->members;
          if (std::find(m.begin(), m.end(), from) == m.end()) {
            refuse("not-member", from + " is not a member of committee " + c->name);
            return {};
          }
          if (std::find(m.begin(), m.end(), own_org) == m.end()) {
            refuse("not-member", "this instance's organisation " + own_org +
                                     " is not a member of committee " + c->name);
            return {};
          }
          auto held = committees->GetCommittee(tx, c->id);
          if (!held) return Fail(held.error());
          if (*held) {
            held_from((*held)->marking);  // a committee never changes once created
            return {};
          }
          if (auto clash = clashes(tx, c->id, "committee"); !clash || *clash) {
            return clash ? Result<void>() : Fail(clash.error());
          }
          c->marking.author = "";
          c->marking.author_org = from;  // verified, never claimed
          return added(committees->AddCommittee(tx, *c), "committee");
        }
        const std::string& committee_id = std::visit(
            [](const auto& o) -> const std::string& {
              using T = std::decay_t<decltype(o)>;
              if constexpr (std::is_same_v<T, store::Committee>) {
                return o.id;
              } else if constexpr (std::is_same_v<T, SharedExercise>) {
                return o.exercise.committee_id;
              } else if constexpr (std::is_same_v<T, JudicialPart>) {
                return o.request.id;  // handled above
              } else {
                return o.committee_id;
              }
            },
            parsed->value);
        auto committee = member_committee(tx, committee_id);
        if (!committee) return Fail(committee.error());
        if (!*committee) return {};
        if (auto* m = std::get_if<store::Meeting>(&parsed->value)) {
          auto held = committees->GetMeeting(tx, m->id);
          if (!held) return Fail(held.error());
          if (*held) {
            held_from((*held)->marking);
            return {};
          }
          if (auto clash = clashes(tx, m->id, "meeting"); !clash || *clash) {
            return clash ? Result<void>() : Fail(clash.error());
          }
          m->marking.author = "";
          m->marking.author_org = from;
          return added(committees->AddMeeting(tx, *m), "meeting");
        }
        if (auto* d = std::get_if<store::Decision>(&parsed->value)) {
          auto held = committees->GetDecision(tx, d->id);
          if (!held) return Fail(held.error());
          if (*held) {
            held_from((*held)->marking);
            return {};
          }
          if (auto clash = clashes(tx, d->id, "decision"); !clash || *clash) {
            return clash ? Result<void>() : Fail(clash.error());
          }
          d->marking.author = "";
          d->marking.author_org = from;
          return added(committees->AddDecision(tx, *d), "decision");
        }
        if (auto* progress = std::get_if<ActionProgress>(&parsed->value)) {
          return apply_progress(tx, *progress);
        }
        if (auto* x = std::get_if<SharedExercise>(&parsed->value)) {
          return apply_exercise(tx, **committee, *x);
        }
        if (auto* t = std::get_if<store::JointTeam>(&parsed->value)) {
          return apply_team(tx, **committee, *t);
        }
        auto& action = std::get<store::ActionItem>(parsed->value);
        const auto& members = (*committee)->members;
        if (std::find(members.begin(), members.end(), action.owner_org) == members.end()) {
          refuse("invalid", "/extensions/" + std::string(kCorridorExtensionId) +
                                "/committee/owner_org: " + action.owner_org +
                                " is not a member of committee " + (*committee)->name);
          return {};
        }
        auto held = committees->GetAction(tx, action.id);
        if (!held) return Fail(held.error());
        if (*held) {
          if (!held_from((*held)->marking)) return {};
          if (CompareTimestamps(action.updated, (*held)->updated).value_or(0) <= 0 ||
              action.status == (*held)->status) {
            return {};
          }
          auto moved = committees->SetActionStatus(tx, action.id, (*held)->status, action.status,
                                                   action.updated);
          if (!moved) return Fail(moved.error());
          updated = *moved;
          return {};
        }
        if (auto clash = clashes(tx, action.id, "action"); !clash || *clash) {
          return clash ? Result<void>() : Fail(clash.error());
        }
        action.marking.author = "";
        action.marking.author_org = from;
        action.owner_account = "";  // account names never travel
        return added(committees->AddAction(tx, action), "action");
      });
  if (!written) return Fail(written.error());
  return out;
}

}  // namespace corridor::stix
