// The committee workspace (issue 15 §§1-2): committees of partner agencies,
// their meetings, decisions and action items, training courses and joint
// exercises with their after-action lessons, and joint security teams. One aggregate store in the
// shape of corridor/store/database.h: every method runs in the caller's transaction. Every object
// carries a marking (model::Marking); the store keeps it and the service (service/committee.h)
// decides who reads it. Nothing here describes a person: organisations by name, and accounts by
// username only.
//
// Thread safety: as the Transaction's (one thread per transaction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/security.h"
#include "corridor/store/database.h"

namespace corridor::store {

enum class CommitteeKind { kBilateral, kRegional, kUn };
std::string_view CommitteeKindName(CommitteeKind k);  // "bilateral", "regional", "un"
std::optional<CommitteeKind> ParseCommitteeKind(std::string_view name);

enum class ActionStatus { kOpen, kInProgress, kDone, kDropped };
std::string_view ActionStatusName(ActionStatus s);  // "open", "in_progress", "done", "dropped"
std::optional<ActionStatus> ParseActionStatus(std::string_view name);

enum class ExerciseKind { kTraining, kExercise };
std::string_view ExerciseKindName(ExerciseKind k);  // "training", "exercise"
std::optional<ExerciseKind> ParseExerciseKind(std::string_view name);

struct Committee {
  std::string id;    // UUIDv4
  std::string name;  // unique on the instance, e.g. "PK-CN JWG"
  CommitteeKind kind = CommitteeKind::kBilateral;
  std::vector<std::string> members;  // organisation names, sorted, no duplicates
  model::Marking marking;
  std::string created;  // RFC 3339
  friend bool operator==(const Committee&, const Committee&) = default;
};

struct Meeting {
  std::string id;
  std::string committee_id;
  std::string date;   // YYYY-MM-DD
  std::string place;  // "" when virtual
  bool is_virtual = false;
  std::vector<std::string> agenda;   // agenda items, in order
  std::vector<std::string> present;  // member organisations present
  std::string minutes;
  model::Marking marking;
  std::string created;
  friend bool operator==(const Meeting&, const Meeting&) = default;
};

struct Decision {
  std::string id;
  std::string committee_id;
  std::string meeting_id;  // "" when taken outside a meeting
  std::string text;
  std::vector<std::string> incidents;    // incident ids
  std::vector<std::string> assessments;  // assessment ids
  std::vector<std::string> districts;    // P-codes
  model::Marking marking;
  std::string created;
  friend bool operator==(const Decision&, const Decision&) = default;
};

struct ActionItem {
  std::string id;
  std::string committee_id;
  std::string decision_id;  // "" when not from a decision
  std::string title;
  std::string owner_org;      // the organisation that owns it
  std::string owner_account;  // optionally one account of owner_org ("" = none)
  std::string due;            // YYYY-MM-DD
  ActionStatus status = ActionStatus::kOpen;
  std::vector<std::string> evidence;  // links (object ids or URLs)
  model::Marking marking;
  std::string created, updated;
  friend bool operator==(const ActionItem&, const ActionItem&) = default;
};

// A progress note on an action: what was done, and the status it moved the
// action to. The owning organisation's notes travel to the action's
// originator as their own objects (issue 15, WAVE2 "Shared actions").
struct ActionNote {
  std::string action_id;
  std::string at;      // RFC 3339
  std::string author;  // username; "" for a note received from a partner
  std::string text;    // may be empty when the note records a status change only
  std::string id;      // BoundNoteId (UUIDv5); UUIDv4 for notes written before
                       // ids were bound; "" only for notes recorded before ids existed
  std::string org;     // the organisation that wrote it; "" only for notes before ids
  std::string status;  // the status it moved the action to ("in_progress"); "" = none
  friend bool operator==(const ActionNote&, const ActionNote&) = default;
};

// A progress note's id, bound to its writer: a UUIDv5 of the writing
// organisation, the action, the time, the status and the text. A receiving
// instance recomputes it with the organisation of the key that signed the
// note (stix::ImportCommitteeObject), so no partner can send a note under
// an id that another organisation's note has or will have.
std::string BoundNoteId(const ActionNote& n);

// A notice to an action's owners that it is overdue (issue 15 §1): raised
// once per action and due date; each account reads it once. Addressed to
// the owning account when the action has one, else to every account of the
// owning organisation.
struct ActionNotice {
  std::int64_t id = 0;
  std::string action_id;
  std::string due;     // the due date it was raised for
  std::string raised;  // RFC 3339
  std::string read;    // RFC 3339 when the reader (ListNotices' account) read it; "" unread
  friend bool operator==(const ActionNotice&, const ActionNotice&) = default;
};

// A training course or a joint exercise of a committee's members (issue 15
// §2), and its after-action report: findings, and lessons that each became
// an action item (ExerciseLesson).
struct Exercise {
  std::string id;
  std::string committee_id;
  ExerciseKind kind = ExerciseKind::kExercise;
  std::string title;
  std::string scenario;
  std::string start, end;                 // YYYY-MM-DD, start <= end
  std::vector<std::string> participants;  // member organisations taking part
  std::vector<std::string> objectives;    // in order
  std::vector<std::string> districts;     // P-codes it covers
  std::vector<std::string> sites;         // site ids it covers
  std::string findings;                   // the after-action report; "" until reported
  std::string reported;                   // RFC 3339 when reported; "" until then
  model::Marking marking;
  std::string created;
  friend bool operator==(const Exercise&, const Exercise&) = default;
};

struct ExerciseLesson {
  std::string exercise_id;
  int seq = 0;  // 1, 2, ... in the order recorded
  std::string text;
  std::string action_id;  // the action item the lesson became
  std::string created;
  friend bool operator==(const ExerciseLesson&, const ExerciseLesson&) = default;
};

// A joint security team (issue 15 §2): a mandate, member organisations, an
// area (districts, a polygon, or both) and a period.
struct JointTeam {
  std::string id;
  std::string committee_id;
  std::string name;  // unique within its committee
  std::string mandate;
  std::vector<std::string> members;    // member organisations of the committee
  std::vector<std::string> districts;  // P-codes
  std::string area;                    // a GeoJSON Polygon or MultiPolygon; "" = none
  std::vector<std::string> sites;      // site ids it covers
  std::string start, end;              // YYYY-MM-DD; end "" = open-ended
  model::Marking marking;
  std::string created;
  friend bool operator==(const JointTeam&, const JointTeam&) = default;
};

struct ActionFilter {
  std::string committee_id;  // "" = any
  std::string owner_org;     // "" = any
  // When set: only open or in-progress actions due strictly before this date.
  std::string due_before;
};

// The most progress notes an action keeps, written here or received from a
// partner (service::UpdateAction, stix::ApplyCommitteeObject): a bound on
// every answer that shows an action with its notes.
inline constexpr std::int64_t kMaxNotesPerAction = 1000;
// The most actions one committee's share sends (service::ShareCommittee
// refuses a committee with more rather than cut it silently; one below
// ListActions' largest limit, so that a full answer shows there are more).
inline constexpr int kMaxSharedActions = 9999;
// A share sends the newest this many of our notes on each action (older ones
// stay here; a receiver that had them keeps them) ...
inline constexpr int kMaxSharedNotesPerAction = 50;
// ... and at most this many objects in all: a committee that would send more
// is refused whole (kConflict), never cut silently.
inline constexpr int kMaxSharedObjects = 50000;
// The most lessons of one exercise a share carries and a receiver reads (an
// exercise with more is withheld from a share, with that reason).
inline constexpr std::size_t kMaxSharedLessons = 1000;
// The most exercises, or teams, of one committee a share sends (a committee
// with more is refused whole, kConflict; one below ListExercises' and
// ListTeams' largest limit, so that a full answer shows there are more).
inline constexpr int kMaxSharedExercises = 9999;
// The most meetings or decisions one read of a committee's list answers: one
// more than a share sends, so that a full answer shows there are more.
inline constexpr int kMaxListedPerCommittee = kMaxSharedObjects + 1;

class CommitteeStore {
 public:
  virtual ~CommitteeStore() = default;
  // kConflict when the id or the name exists; kInvalidArgument for an empty
  // id or name or no member.
  virtual Result<void> AddCommittee(Transaction& tx, const Committee& c) = 0;
  virtual Result<std::optional<Committee>> GetCommittee(Transaction& tx, const std::string& id) = 0;
  virtual Result<std::optional<Committee>> FindCommittee(Transaction& tx,
                                                         const std::string& name) = 0;
  // All committees, by name.
  virtual Result<std::vector<Committee>> ListCommittees(Transaction& tx) = 0;

  // kConflict when the id exists; kNotFound when the committee does not.
  virtual Result<void> AddMeeting(Transaction& tx, const Meeting& m) = 0;
  // A committee's meetings, newest date first, at most `limit`
  // (1..kMaxListedPerCommittee; kInvalidArgument otherwise).
  virtual Result<std::vector<Meeting>> ListMeetings(Transaction& tx,
                                                    const std::string& committee_id, int limit) = 0;
  virtual Result<std::optional<Meeting>> GetMeeting(Transaction& tx, const std::string& id) = 0;

  // kConflict when the id exists; kNotFound when the committee (or the
  // meeting, when given, in that committee) does not.
  virtual Result<void> AddDecision(Transaction& tx, const Decision& d) = 0;
  // A committee's decisions, oldest first, at most `limit` (as ListMeetings).
  virtual Result<std::vector<Decision>> ListDecisions(Transaction& tx,
                                                      const std::string& committee_id,
                                                      int limit) = 0;
  virtual Result<std::optional<Decision>> GetDecision(Transaction& tx, const std::string& id) = 0;

  // kConflict when the id exists; kNotFound when the committee (or the
  // decision, when given, in that committee) does not.
  virtual Result<void> AddAction(Transaction& tx, const ActionItem& a) = 0;
  virtual Result<std::optional<ActionItem>> GetAction(Transaction& tx, const std::string& id) = 0;
  // Actions matching `f`, by due date then id, at most `limit` (1..10000).
  virtual Result<std::vector<ActionItem>> ListActions(Transaction& tx, const ActionFilter& f,
                                                      int limit) = 0;
  // Compare-and-set: moves the action from `from` to `to`. False (nothing
  // written) when its status is no longer `from` or it does not exist.
  virtual Result<bool> SetActionStatus(Transaction& tx, const std::string& id, ActionStatus from,
                                       ActionStatus to, const std::string& now) = 0;
  // kNotFound when the action does not exist; kConflict when a note with
  // the (non-empty) id exists.
  virtual Result<void> AddActionNote(Transaction& tx, const ActionNote& n) = 0;
  // Oldest first. Writers keep at most kMaxNotesPerAction (they check
  // CountActionNotes); of an action that has more, the newest that many.
  virtual Result<std::vector<ActionNote>> ListActionNotes(Transaction& tx,
                                                          const std::string& action_id) = 0;
  // The newest `limit` (1..kMaxNotesPerAction) notes `org` wrote on the
  // action, oldest first: what a share reads, never more than it sends.
  virtual Result<std::vector<ActionNote>> ListActionNotesOf(Transaction& tx,
                                                            const std::string& action_id,
                                                            const std::string& org, int limit) = 0;
  // How many notes the action has (0 when it does not exist).
  virtual Result<std::int64_t> CountActionNotes(Transaction& tx, const std::string& action_id) = 0;
  // The note with that id, or nullopt.
  virtual Result<std::optional<ActionNote>> GetActionNote(Transaction& tx,
                                                          const std::string& id) = 0;

  // ---- training, exercises and joint teams
  // kConflict when the id exists; kNotFound when the committee does not;
  // kInvalidArgument for an empty id or title.
  virtual Result<void> AddExercise(Transaction& tx, const Exercise& e) = 0;
  virtual Result<std::optional<Exercise>> GetExercise(Transaction& tx, const std::string& id) = 0;
  // A committee's exercises ("" = every committee's), latest start first,
  // at most `limit` (1..10000).
  virtual Result<std::vector<Exercise>> ListExercises(Transaction& tx,
                                                      const std::string& committee_id,
                                                      int limit) = 0;
  // Compare-and-set: records the after-action findings once. False (nothing
  // written) when the exercise was already reported or does not exist.
  virtual Result<bool> ReportExercise(Transaction& tx, const std::string& id,
                                      const std::string& findings, const std::string& now) = 0;
  // Appends a lesson; its seq is the next of the exercise's (the one given
  // is ignored) and returned. kNotFound when the exercise or the action does
  // not exist.
  virtual Result<int> AddLesson(Transaction& tx, const ExerciseLesson& l) = 0;
  // In the order recorded.
  virtual Result<std::vector<ExerciseLesson>> ListLessons(Transaction& tx,
                                                          const std::string& exercise_id) = 0;

  // kConflict when the id, or the name within the committee, exists;
  // kNotFound when the committee does not; kInvalidArgument for an empty id
  // or name.
  virtual Result<void> AddTeam(Transaction& tx, const JointTeam& t) = 0;
  virtual Result<std::optional<JointTeam>> GetTeam(Transaction& tx, const std::string& id) = 0;
  // A committee's teams ("" = every committee's), by name, at most `limit`
  // (1..10000). With `on` (YYYY-MM-DD), only those whose period includes it.
  virtual Result<std::vector<JointTeam>> ListTeams(Transaction& tx, const std::string& committee_id,
                                                   const std::string& on, int limit) = 0;

  // ---- overdue notices
  // Raises, at `now`, a notice for every open or in-progress action due
  // strictly before `today` (YYYY-MM-DD) that has none for its current due
  // date. Returns how many it raised: a second call the same day raises none.
  virtual Result<int> RaiseOverdueNotices(Transaction& tx, const std::string& today,
                                          const std::string& now) = 0;
  // The current notices addressed to `account` of `org` — of actions still
  // open or in progress and still due on the notice's date, owned by `org`
  // with no owning account or owned by `account` — each with the time
  // `account` read it. Unread first, then the longest overdue; at most
  // `limit` (1..1000).
  virtual Result<std::vector<ActionNotice>> ListNotices(Transaction& tx, const std::string& org,
                                                        const std::string& account,
                                                        bool unread_only, int limit) = 0;
  // The notice `id` (its `read` empty), or nullopt.
  virtual Result<std::optional<ActionNotice>> GetNotice(Transaction& tx, std::int64_t id) = 0;
  // Records that `account` read notice `id` at `now`; a second call keeps the
  // first time. Returns the time kept. kNotFound when there is no such notice.
  virtual Result<std::string> MarkNoticeRead(Transaction& tx, std::int64_t id,
                                             const std::string& account,
                                             const std::string& now) = 0;
};

// The SQL implementation (every backend).
std::unique_ptr<CommitteeStore> NewCommitteeStore();
// Its tables (the "committee" module).
const Module& CommitteeModule();

}  // namespace corridor::store
