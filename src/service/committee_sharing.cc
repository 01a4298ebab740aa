// ShareCommittee (service/committee.h): a committee's objects as a signed
// STIX bundle for one partner organisation.
#include <algorithm>
#include <set>

#include "corridor/auth/policy.h"
#include "corridor/service/committee.h"
#include "corridor/stix/ingress.h"
#include "corridor/stix/mapping.h"
#include "service/workspace.h"

namespace corridor::service {
namespace {

using nlohmann::json;
using workspace::Contains;
using workspace::Reads;

// What a share collects in its read transaction.
struct Collected {
  store::Committee committee;
  std::vector<store::Meeting> meetings;
  std::vector<store::Decision> decisions;
  std::vector<store::ActionItem> actions;
  // Per action (same order): the newest progress notes this instance's
  // organisation wrote (store::kMaxSharedNotesPerAction).
  std::vector<std::vector<store::ActionNote>> notes;
  std::vector<stix::SharedExercise> exercises;  // each with all its lessons
  std::vector<store::JointTeam> teams;
};

}  // namespace

Result<SharedCommittee> ShareCommittee(const Context& ctx, const Caller& caller,
                                       const ShareCommitteeParams& p, const stix::SigningKey& key) {
  if (auto ok = Require(caller, auth::Action::kExport); !ok) return Fail(ok.error());
  if (caller.principal.org.empty() && !caller.viewer.system) {
    return Fail(ErrorCode::kInvalidArgument,
                "sharing a committee needs an account of a member organisation ($CORRIDOR_TOKEN)");
  }
  if (p.to.empty()) return Fail(ErrorCode::kInvalidArgument, "/to: required");
  auto recipient = ctx.store.GetOrganisation(p.to);
  if (!recipient) {
    return Fail(ErrorCode::kInvalidArgument,
                "/to: no organisation " + p.to + " on this instance (corridor orgs add)");
  }
  auto own = stix::OwnOrganisation(ctx.store);
  if (!own) return Fail(own.error());
  const std::string& own_org = *own;
  if (p.to == own_org) {
    return Fail(ErrorCode::kInvalidArgument, "/to: " + p.to + " is this instance's organisation");
  }
  auto s = store::NewCommitteeStore();
  auto collected = store::InReadTransaction(
      ctx.store.database(), [&](store::Transaction& tx) -> Result<Collected> {
        auto c = workspace::CommitteeFor(tx, *s, caller, p.committee, auth::Action::kReadCommittee);
        if (!c) return Fail(c.error());
        Collected out{*c, {}, {}, {}, {}, {}, {}};
        auto meetings = s->ListMeetings(tx, c->id, store::kMaxListedPerCommittee);
        if (!meetings) return Fail(meetings.error());
        out.meetings = std::move(*meetings);
        auto decisions = s->ListDecisions(tx, c->id, store::kMaxListedPerCommittee);
        if (!decisions) return Fail(decisions.error());
        out.decisions = std::move(*decisions);
        store::ActionFilter f;
        f.committee_id = c->id;
        // (The store answers at most 10000 at once: a full answer may hide more.)
        auto actions = s->ListActions(tx, f, store::kMaxSharedActions + 1);
        if (!actions) return Fail(actions.error());
        if (actions->size() > static_cast<std::size_t>(store::kMaxSharedActions)) {
          return Fail(ErrorCode::kConflict,
                      "committee " + c->name + " has " +
                          std::to_string(store::kMaxSharedActions + 1) +
                          " actions or more, more than one share sends; nothing was sent");
        }
        out.actions = std::move(*actions);
        // Exercises and teams, bounded like actions. An exercise's lessons
        // each became one of the committee's actions, so they are bounded
        // by the actions' bound just checked.
        auto exercises = s->ListExercises(tx, c->id, store::kMaxSharedExercises + 1);
        if (!exercises) return Fail(exercises.error());
        auto teams = s->ListTeams(tx, c->id, "", store::kMaxSharedExercises + 1);
        if (!teams) return Fail(teams.error());
        if (exercises->size() > static_cast<std::size_t>(store::kMaxSharedExercises) ||
            teams->size() > static_cast<std::size_t>(store::kMaxSharedExercises)) {
          return Fail(ErrorCode::kConflict,
                      "committee " + c->name + " has " +
                          std::to_string(store::kMaxSharedExercises + 1) +
                          " exercises or teams or more, more than one share sends; nothing was "
                          "sent");
        }
        for (auto& e : *exercises) {
          auto lessons = s->ListLessons(tx, e.id);
          if (!lessons) return Fail(lessons.error());
          out.exercises.push_back({std::move(e), std::move(*lessons)});
        }
        out.teams = std::move(*teams);
        // Every object counts against the share's bound as it is read, so
        // that a committee too large to send is refused before it is all in
        // memory (an action keeps up to 1,000 notes; a share reads our
        // newest kMaxSharedNotesPerAction of each).
        std::size_t count = 1 + out.meetings.size() + out.decisions.size() + out.actions.size() +
                            out.exercises.size() + out.teams.size();
        const auto too_many = [&] {
          return Fail(ErrorCode::kConflict,
                      "committee " + c->name + " would send more than " +
                          std::to_string(store::kMaxSharedObjects) + " objects (" +
                          std::to_string(out.meetings.size()) + " meetings, " +
                          std::to_string(out.decisions.size()) + " decisions, " +
                          std::to_string(out.actions.size()) + " actions, " +
                          std::to_string(out.exercises.size()) + " exercises, " +
                          std::to_string(out.teams.size()) +
                          " teams and the actions' progress notes), more than one share sends; "
                          "nothing was sent");
        };
        if (count > static_cast<std::size_t>(store::kMaxSharedObjects)) return too_many();
        for (const auto& a : out.actions) {
          auto notes = s->ListActionNotesOf(tx, a.id, own_org, store::kMaxSharedNotesPerAction);
          if (!notes) return Fail(notes.error());
          count += notes->size();
          if (count > static_cast<std::size_t>(store::kMaxSharedObjects)) return too_many();
          out.notes.push_back(std::move(*notes));
        }
        return out;
      });
  if (!collected) return Fail(collected.error());
  const store::Committee& committee = collected->committee;
  if (!Contains(committee.members, p.to)) {
    return Fail(ErrorCode::kInvalidArgument,
                "/to: " + p.to + " is not a member of committee " + committee.name);
  }

  SharedCommittee out;
  json objects = json::array({stix::CorridorProjectIdentity(), stix::CorridorExtensionDefinition(),
                              stix::SignatureExtensionDefinition()});
  for (int t = 0; t < model::kTlpCount; ++t) {
    objects.push_back(stix::TlpMarkingDefinition(static_cast<model::Tlp>(t)));
  }
  std::vector<MarkedObject> marked;
  std::vector<std::string> sent;
  // One object: the caller reads it, the egress rule lets it go to `to`
  // (AMBER* only to an organisation of its distribution, never what a
  // partner sent us, RED never), and `to` is not who sent it.
  auto offer = [&](const auto& object, auto to_stix) -> Result<void> {
    if (!Reads(caller, committee, object.marking)) return {};
    const bool received =
        !object.marking.author_org.empty() && object.marking.author_org != own_org;
    std::string reason;
    if (object.marking.author_org == p.to) {
      reason = "received from " + p.to + " (never sent back)";
    } else if (auto d = auth::MaySend(object.marking, p.to, recipient->trust_groups, received,
                                      /*licence_allows_redistribution=*/true);
               !d) {
      reason = d.reason;
    }
    if (!reason.empty()) {
      out.withheld.push_back({{"id", object.id}, {"reason", reason}});
      return {};
    }
    auto copy = object;
    copy.marking = auth::MarkingForRecipient(object.marking, p.to);
    if (copy.marking.author_org.empty()) copy.marking.author_org = own_org;
    auto signed_object = stix::Sign(to_stix(copy), key);
    if (!signed_object) return Fail(signed_object.error());
    objects.push_back(std::move(*signed_object));
    marked.push_back({object.id, object.marking.tlp});
    sent.push_back(object.id);
    ++out.objects;
    return {};
  };
  if (auto ok =
          offer(committee, [](const store::Committee& c) { return stix::CommitteeToStix(c); });
      !ok) {
    return Fail(ok.error());
  }
  // `to` must hold the committee: from this bundle, or because it sent it.
  if (out.objects == 0 && committee.marking.author_org != p.to) {
    return Fail(ErrorCode::kInvalidArgument, "/to: committee " + committee.name +
                                                 " itself may not go to " + p.to + ": " +
                                                 out.withheld[0].value("reason", ""));
  }
  for (const auto& m : collected->meetings) {
    if (auto ok = offer(m, [](const store::Meeting& x) { return stix::MeetingToStix(x); }); !ok) {
      return Fail(ok.error());
    }
  }
  for (const auto& d : collected->decisions) {
    if (auto ok = offer(d, [](const store::Decision& x) { return stix::DecisionToStix(x); }); !ok) {
      return Fail(ok.error());
    }
  }
  for (const auto& a : collected->actions) {
    if (auto ok = offer(a, [](const store::ActionItem& x) { return stix::ActionToStix(x); }); !ok) {
      return Fail(ok.error());
    }
  }
  const std::set<std::string> sent_actions(sent.begin(), sent.end());
  // Exercises with the lessons `to` may read: a lesson is its action's title,
  // so it goes only with its action in this bundle. (A lesson's action is
  // always the exercise originator's, and an exercise never goes back to its
  // originator, so `to` never holds one it does not receive here.)
  for (const auto& x : collected->exercises) {
    std::vector<store::ExerciseLesson> lessons;
    for (const auto& l : x.lessons) {
      if (sent_actions.count(l.action_id) != 0) lessons.push_back(l);
    }
    if (lessons.size() > store::kMaxSharedLessons) {
      out.withheld.push_back({{"id", x.exercise.id},
                              {"reason", "more than " + std::to_string(store::kMaxSharedLessons) +
                                             " lessons, more than one share carries"}});
      continue;
    }
    const auto to_stix = [&lessons](const store::Exercise& e) {
      return stix::ExerciseToStix({e, lessons});
    };
    if (auto ok = offer(x.exercise, to_stix); !ok) return Fail(ok.error());
  }
  for (const auto& t : collected->teams) {
    if (auto ok = offer(t, [](const store::JointTeam& x) { return stix::TeamToStix(x); }); !ok) {
      return Fail(ok.error());
    }
  }
  // Progress notes (WAVE2 "Shared actions"): ours, on an action `to` holds —
  // one it assigned to us, or one of ours sent just now — under the action's
  // marking with us as author (the one who assigned it reads it anyway).
  for (std::size_t i = 0; i < collected->actions.size(); ++i) {
    const store::ActionItem& a = collected->actions[i];
    const auto& notes = collected->notes[i];
    if (notes.empty() || !Reads(caller, committee, a.marking)) continue;
    const bool assigned_by_to = a.marking.author_org == p.to;
    const bool sent_now = sent_actions.count(a.id) != 0;
    if (!assigned_by_to && !sent_now) continue;         // `to` gets the action from its originator
    if (a.owner_org != own_org && !sent_now) continue;  // only the owner reports back
    model::Marking m = a.marking;
    m.author_org = own_org;
    if (assigned_by_to && (m.tlp == model::Tlp::kAmber || m.tlp == model::Tlp::kAmberStrict)) {
      m.distribution.organisations.push_back(p.to);
    }
    if (auto d = auth::MaySend(m, p.to, recipient->trust_groups, /*received_from_partner=*/false,
                               /*licence_allows_redistribution=*/true);
        !d) {
      for (const auto& n : notes) out.withheld.push_back({{"id", n.id}, {"reason", d.reason}});
      continue;
    }
    m = auth::MarkingForRecipient(m, p.to);
    for (const auto& n : notes) {
      auto signed_object = stix::Sign(stix::ProgressToStix({committee.id, n, m}), key);
      if (!signed_object) return Fail(signed_object.error());
      objects.push_back(std::move(*signed_object));
      marked.push_back({a.id, a.marking.tlp});
      sent.push_back(n.id);
      ++out.objects;
    }
  }
  json detail = {{"format", "stix"},
                 {"to", p.to},
                 {"committee", committee.name},
                 {"objects", out.objects},
                 {"withheld", out.withheld.size()},
                 {"key_id", key.key_id},
                 {"via", caller.via}};
  if (auto a = Audit(ctx, caller, "export", sent, detail.dump()); !a) return Fail(a.error());
  if (auto a = AuditMarkedReads(ctx, caller, marked); !a) return Fail(a.error());
  out.bundle = stix::MakeBundle({});
  out.bundle["objects"] = std::move(objects);
  return out;
}

}  // namespace corridor::service
