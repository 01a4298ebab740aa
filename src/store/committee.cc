#include "corridor/store/committee.h"

#include <algorithm>
#include <array>

#include "corridor/common/uuid.h"
#include "store/json_columns.h"
#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr std::array<std::string_view, 3> kKindNames = {"bilateral", "regional", "un"};
constexpr std::array<std::string_view, 4> kStatusNames = {"open", "in_progress", "done", "dropped"};
constexpr std::array<std::string_view, 2> kExerciseKindNames = {"training", "exercise"};

constexpr const char* kCommitteeColumns = "id, name, kind, members, created, ";
Committee ReadCommittee(const sql::Row& r) {
  Committee c;
  c.id = r.Text(0);
  c.name = r.Text(1);
  c.kind = ParseCommitteeKind(r.Text(2)).value_or(CommitteeKind::kBilateral);
  c.members = ReadList(r.Text(3));
  c.created = r.Text(4);
  c.marking = ReadMarking(r, 5);
  return c;
}

constexpr const char* kMeetingColumns =
    "id, committee_id, date, place, is_virtual, agenda, present, minutes, created, ";
Meeting ReadMeeting(const sql::Row& r) {
  Meeting m;
  m.id = r.Text(0);
  m.committee_id = r.Text(1);
  m.date = r.Text(2);
  m.place = r.Text(3);
  m.is_virtual = r.Bool(4);
  m.agenda = ReadList(r.Text(5));
  m.present = ReadList(r.Text(6));
  m.minutes = r.Text(7);
  m.created = r.Text(8);
  m.marking = ReadMarking(r, 9);
  return m;
}

constexpr const char* kDecisionColumns =
    "id, committee_id, meeting_id, text, incidents, assessments, districts, created, ";
Decision ReadDecision(const sql::Row& r) {
  Decision d;
  d.id = r.Text(0);
  d.committee_id = r.Text(1);
  d.meeting_id = r.Text(2);
  d.text = r.Text(3);
  d.incidents = ReadList(r.Text(4));
  d.assessments = ReadList(r.Text(5));
  d.districts = ReadList(r.Text(6));
  d.created = r.Text(7);
  d.marking = ReadMarking(r, 8);
  return d;
}

constexpr const char* kActionColumns =
    "id, committee_id, decision_id, title, owner_org, owner_account, due, status, evidence, "
    "created, updated, ";
ActionItem ReadAction(const sql::Row& r) {
  ActionItem a;
  a.id = r.Text(0);
  a.committee_id = r.Text(1);
  a.decision_id = r.Text(2);
  a.title = r.Text(3);
  a.owner_org = r.Text(4);
  a.owner_account = r.Text(5);
  a.due = r.Text(6);
  a.status = ParseActionStatus(r.Text(7)).value_or(ActionStatus::kOpen);
  a.evidence = ReadList(r.Text(8));
  a.created = r.Text(9);
  a.updated = r.Text(10);
  a.marking = ReadMarking(r, 11);
  return a;
}

constexpr const char* kNoteSelect =
    "SELECT action_id, at, author, text, note_id, org, status FROM committee_action_notes";
ActionNote ReadNote(const sql::Row& r) {
  return ActionNote{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6)};
}

constexpr const char* kExerciseColumns =
    "id, committee_id, kind, title, scenario, start_date, end_date, participants, objectives, "
    "districts, sites, findings, reported, created, ";
Exercise ReadExercise(const sql::Row& r) {
  Exercise e;
  e.id = r.Text(0);
  e.committee_id = r.Text(1);
  e.kind = ParseExerciseKind(r.Text(2)).value_or(ExerciseKind::kExercise);
  e.title = r.Text(3);
  e.scenario = r.Text(4);
  e.start = r.Text(5);
  e.end = r.Text(6);
  e.participants = ReadList(r.Text(7));
  e.objectives = ReadList(r.Text(8));
  e.districts = ReadList(r.Text(9));
  e.sites = ReadList(r.Text(10));
  e.findings = r.Text(11);
  e.reported = r.Text(12);
  e.created = r.Text(13);
  e.marking = ReadMarking(r, 14);
  return e;
}

constexpr const char* kTeamColumns =
    "id, committee_id, name, mandate, members, districts, area, sites, start_date, end_date, "
    "created, ";
JointTeam ReadTeam(const sql::Row& r) {
  JointTeam t;
  t.id = r.Text(0);
  t.committee_id = r.Text(1);
  t.name = r.Text(2);
  t.mandate = r.Text(3);
  t.members = ReadList(r.Text(4));
  t.districts = ReadList(r.Text(5));
  t.area = r.Text(6);
  t.sites = ReadList(r.Text(7));
  t.start = r.Text(8);
  t.end = r.Text(9);
  t.created = r.Text(10);
  t.marking = ReadMarking(r, 11);
  return t;
}

Result<void> CheckListLimit(int limit) {
  if (limit < 1 || limit > kMaxListedPerCommittee) {
    return Fail(ErrorCode::kInvalidArgument,
                "limit: expected 1 to " + std::to_string(kMaxListedPerCommittee));
  }
  return {};
}

class SqlCommitteeStore final : public CommitteeStore {
 public:
  Result<void> AddCommittee(Transaction& t, const Committee& c) override {
    if (c.id.empty() || c.name.empty() || c.members.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a committee needs an id, a name and a member");
    }
    const auto& m = c.marking;
    return Inserted(sql::Of(t).Exec(InsertMarked(kCommitteeColumns, "committees"), c.id, c.name,
                                    CommitteeKindName(c.kind), ListText(c.members), c.created,
                                    model::TlpName(m.tlp), DistributionText(m.distribution),
                                    m.author, m.author_org),
                    "committee " + c.name);
  }

  Result<std::optional<Committee>> GetCommittee(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(SelectMarked(kCommitteeColumns, "committees") + " WHERE id = ?",
                               ReadCommittee, id);
  }

  Result<std::optional<Committee>> FindCommittee(Transaction& t, const std::string& name) override {
    return sql::Of(t).QueryOne(SelectMarked(kCommitteeColumns, "committees") + " WHERE name = ?",
                               ReadCommittee, name);
  }

  Result<std::vector<Committee>> ListCommittees(Transaction& t) override {
    return sql::Of(t).QueryAll(SelectMarked(kCommitteeColumns, "committees") + " ORDER BY name",
                               ReadCommittee);
  }

  Result<void> AddMeeting(Transaction& t, const Meeting& x) override {
    if (x.id.empty()) return Fail(ErrorCode::kInvalidArgument, "a meeting needs an id");
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "committees", x.committee_id, "committee"); !ok) return ok;
    const auto& m = x.marking;
    return Inserted(tx.Exec(InsertMarked(kMeetingColumns, "committee_meetings"), x.id,
                            x.committee_id, x.date, x.place, x.is_virtual, ListText(x.agenda),
                            ListText(x.present), x.minutes, x.created, model::TlpName(m.tlp),
                            DistributionText(m.distribution), m.author, m.author_org),
                    "meeting " + x.id);
  }

  Result<std::vector<Meeting>> ListMeetings(Transaction& t, const std::string& committee,
                                            int limit) override {
    if (auto ok = CheckListLimit(limit); !ok) return Fail(ok.error());
    return sql::Of(t).QueryAll(SelectMarked(kMeetingColumns, "committee_meetings") +
                                   " WHERE committee_id = ? ORDER BY date DESC, id LIMIT ?",
                               ReadMeeting, committee, limit);
  }

  Result<std::optional<Meeting>> GetMeeting(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        SelectMarked(kMeetingColumns, "committee_meetings") + " WHERE id = ?", ReadMeeting, id);
  }

  Result<void> AddDecision(Transaction& t, const Decision& x) override {
    if (x.id.empty()) return Fail(ErrorCode::kInvalidArgument, "a decision needs an id");
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "committees", x.committee_id, "committee"); !ok) return ok;
    if (!x.meeting_id.empty()) {
      if (auto ok = RequireRowOf(tx, "committee_meetings", x.meeting_id, x.committee_id, "meeting");
          !ok) {
        return ok;
      }
    }
    const auto& m = x.marking;
    return Inserted(
        tx.Exec(InsertMarked(kDecisionColumns, "committee_decisions"), x.id, x.committee_id,
                x.meeting_id, x.text, ListText(x.incidents), ListText(x.assessments),
                ListText(x.districts), x.created, model::TlpName(m.tlp),
                DistributionText(m.distribution), m.author, m.author_org),
        "decision " + x.id);
  }

  Result<std::vector<Decision>> ListDecisions(Transaction& t, const std::string& committee,
                                              int limit) override {
    if (auto ok = CheckListLimit(limit); !ok) return Fail(ok.error());
    return sql::Of(t).QueryAll(SelectMarked(kDecisionColumns, "committee_decisions") +
                                   " WHERE committee_id = ? ORDER BY created, id LIMIT ?",
                               ReadDecision, committee, limit);
  }

  Result<std::optional<Decision>> GetDecision(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        SelectMarked(kDecisionColumns, "committee_decisions") + " WHERE id = ?", ReadDecision, id);
  }

  Result<void> AddAction(Transaction& t, const ActionItem& x) override {
    if (x.id.empty() || x.title.empty() || x.owner_org.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "an action needs an id, a title and an owner org");
    }
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "committees", x.committee_id, "committee"); !ok) return ok;
    if (!x.decision_id.empty()) {
      if (auto ok =
              RequireRowOf(tx, "committee_decisions", x.decision_id, x.committee_id, "decision");
          !ok) {
        return ok;
      }
    }
    const auto& m = x.marking;
    return Inserted(
        tx.Exec(InsertMarked(kActionColumns, "committee_actions"), x.id, x.committee_id,
                x.decision_id, x.title, x.owner_org, x.owner_account, x.due,
                ActionStatusName(x.status), ListText(x.evidence), x.created, x.updated,
                model::TlpName(m.tlp), DistributionText(m.distribution), m.author, m.author_org),
        "action " + x.id);
  }

  Result<std::optional<ActionItem>> GetAction(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(SelectMarked(kActionColumns, "committee_actions") + " WHERE id = ?",
                               ReadAction, id);
  }

  Result<std::vector<ActionItem>> ListActions(Transaction& t, const ActionFilter& f,
                                              int limit) override {
    if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
    return sql::Of(t).QueryAll(
        SelectMarked(kActionColumns, "committee_actions") +
            " WHERE (? = '' OR committee_id = ?) AND (? = '' OR owner_org = ?)"
            " AND (? = '' OR (due < ? AND status IN ('open', 'in_progress')))"
            " ORDER BY due, id LIMIT ?",
        ReadAction, f.committee_id, f.committee_id, f.owner_org, f.owner_org, f.due_before,
        f.due_before, limit);
  }

  Result<bool> SetActionStatus(Transaction& t, const std::string& id, ActionStatus from,
                               ActionStatus to, const std::string& now) override {
    auto changed = sql::Of(t).Exec(
        "UPDATE committee_actions SET status = ?, updated = ? WHERE id = ? AND status = ?",
        ActionStatusName(to), now, id, ActionStatusName(from));
    if (!changed) return Fail(changed.error());
    return *changed == 1;
  }

  Result<void> AddActionNote(Transaction& t, const ActionNote& n) override {
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "committee_actions", n.action_id, "action"); !ok) return ok;
    return Inserted(tx.Exec("INSERT INTO committee_action_notes (action_id, at, author, text, "
                            "note_id, org, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            n.action_id, n.at, n.author, n.text, n.id, n.org, n.status),
                    "action note " + n.id);
  }

  Result<std::vector<ActionNote>> ListActionNotes(Transaction& t,
                                                  const std::string& action_id) override {
    // The newest kMaxNotesPerAction, oldest first: notes written before the
    // writers kept the bound are not all read.
    return sql::Of(t).QueryAll(
        std::string(kNoteSelect) +
            " WHERE action_id = ? AND seq IN (SELECT seq FROM committee_action_notes WHERE "
            "action_id = ? ORDER BY at DESC, seq DESC LIMIT ?) ORDER BY at, seq",
        ReadNote, action_id, action_id, kMaxNotesPerAction);
  }

  Result<std::vector<ActionNote>> ListActionNotesOf(Transaction& t, const std::string& action_id,
                                                    const std::string& org, int limit) override {
    if (limit < 1 || limit > kMaxNotesPerAction) {
      return Fail(ErrorCode::kInvalidArgument,
                  "limit: expected 1 to " + std::to_string(kMaxNotesPerAction));
    }
    return sql::Of(t).QueryAll(
        std::string(kNoteSelect) +
            " WHERE seq IN (SELECT seq FROM committee_action_notes WHERE action_id = ? AND "
            "org = ? AND note_id <> '' ORDER BY at DESC, seq DESC LIMIT ?) ORDER BY at, seq",
        ReadNote, action_id, org, limit);
  }

  Result<std::int64_t> CountActionNotes(Transaction& t, const std::string& action_id) override {
    auto n = sql::Of(t).QueryInt("SELECT count(*) FROM committee_action_notes WHERE action_id = ?",
                                 action_id);
    if (!n) return Fail(n.error());
    return n->value_or(0);
  }

  Result<std::optional<ActionNote>> GetActionNote(Transaction& t, const std::string& id) override {
    if (id.empty()) return std::optional<ActionNote>();
    return sql::Of(t).QueryOne(std::string(kNoteSelect) + " WHERE note_id = ? AND note_id <> ''",
                               ReadNote, id);
  }

  Result<void> AddExercise(Transaction& t, const Exercise& x) override {
    if (x.id.empty() || x.title.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "an exercise needs an id and a title");
    }
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "committees", x.committee_id, "committee"); !ok) return ok;
    const auto& m = x.marking;
    return Inserted(
        tx.Exec(InsertMarked(kExerciseColumns, "committee_exercises"), x.id, x.committee_id,
                ExerciseKindName(x.kind), x.title, x.scenario, x.start, x.end,
                ListText(x.participants), ListText(x.objectives), ListText(x.districts),
                ListText(x.sites), x.findings, x.reported, x.created, model::TlpName(m.tlp),
                DistributionText(m.distribution), m.author, m.author_org),
        "exercise " + x.id);
  }

  Result<std::optional<Exercise>> GetExercise(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        SelectMarked(kExerciseColumns, "committee_exercises") + " WHERE id = ?", ReadExercise, id);
  }

  Result<std::vector<Exercise>> ListExercises(Transaction& t, const std::string& committee,
                                              int limit) override {
    if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
    return sql::Of(t).QueryAll(SelectMarked(kExerciseColumns, "committee_exercises") +
                                   " WHERE (? = '' OR committee_id = ?)"
                                   " ORDER BY start_date DESC, id LIMIT ?",
                               ReadExercise, committee, committee, limit);
  }

  Result<bool> ReportExercise(Transaction& t, const std::string& id, const std::string& findings,
                              const std::string& now) override {
    auto changed = sql::Of(t).Exec(
        "UPDATE committee_exercises SET findings = ?, reported = ? WHERE id = ? AND reported = ''",
        findings, now, id);
    if (!changed) return Fail(changed.error());
    return *changed == 1;
  }

  Result<int> AddLesson(Transaction& t, const ExerciseLesson& l) override {
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "committee_exercises", l.exercise_id, "exercise"); !ok) {
      return Fail(ok.error());
    }
    if (auto ok = RequireRow(tx, "committee_actions", l.action_id, "action"); !ok) {
      return Fail(ok.error());
    }
    auto next = tx.QueryOne(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM committee_exercise_lessons WHERE exercise_id = ?",
        [](const sql::Row& r) { return r.Int(0); }, l.exercise_id);
    if (!next) return Fail(next.error());
    const auto seq = next->value_or(1);
    auto r = tx.Exec(
        "INSERT INTO committee_exercise_lessons (exercise_id, seq, text, action_id, created) "
        "VALUES (?, ?, ?, ?, ?)",
        l.exercise_id, seq, l.text, l.action_id, l.created);
    if (!r) return Fail(r.error());
    return static_cast<int>(seq);
  }

  Result<std::vector<ExerciseLesson>> ListLessons(Transaction& t,
                                                  const std::string& exercise_id) override {
    return sql::Of(t).QueryAll(
        "SELECT exercise_id, seq, text, action_id, created FROM committee_exercise_lessons "
        "WHERE exercise_id = ? ORDER BY seq",
        [](const sql::Row& r) {
          return ExerciseLesson{r.Text(0), static_cast<int>(r.Int(1)), r.Text(2), r.Text(3),
                                r.Text(4)};
        },
        exercise_id);
  }

  Result<void> AddTeam(Transaction& t, const JointTeam& x) override {
    if (x.id.empty() || x.name.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a team needs an id and a name");
    }
    auto& tx = sql::Of(t);
    if (auto ok = RequireRow(tx, "committees", x.committee_id, "committee"); !ok) return ok;
    const auto& m = x.marking;
    return Inserted(tx.Exec(InsertMarked(kTeamColumns, "committee_teams"), x.id, x.committee_id,
                            x.name, x.mandate, ListText(x.members), ListText(x.districts), x.area,
                            ListText(x.sites), x.start, x.end, x.created, model::TlpName(m.tlp),
                            DistributionText(m.distribution), m.author, m.author_org),
                    "team " + x.name);
  }

  Result<std::optional<JointTeam>> GetTeam(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(SelectMarked(kTeamColumns, "committee_teams") + " WHERE id = ?",
                               ReadTeam, id);
  }

  Result<std::vector<JointTeam>> ListTeams(Transaction& t, const std::string& committee,
                                           const std::string& on, int limit) override {
    if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
    return sql::Of(t).QueryAll(
        SelectMarked(kTeamColumns, "committee_teams") +
            " WHERE (? = '' OR committee_id = ?)"
            " AND (? = '' OR (start_date <= ? AND (end_date = '' OR end_date >= ?)))"
            " ORDER BY name, id LIMIT ?",
        ReadTeam, committee, committee, on, on, on, limit);
  }

  Result<int> RaiseOverdueNotices(Transaction& t, const std::string& today,
                                  const std::string& now) override {
    auto raised = sql::Of(t).Exec(
        "INSERT INTO committee_action_notices (action_id, due, raised) "
        "SELECT a.id, a.due, ? FROM committee_actions a "
        "WHERE a.status IN ('open', 'in_progress') AND a.due < ? AND NOT EXISTS ("
        "SELECT 1 FROM committee_action_notices n WHERE n.action_id = a.id AND n.due = a.due)",
        now, today);
    if (!raised) return Fail(raised.error());
    return static_cast<int>(*raised);
  }

  Result<std::vector<ActionNotice>> ListNotices(Transaction& t, const std::string& org,
                                                const std::string& account, bool unread_only,
                                                int limit) override {
    if (auto ok = CheckLimit(limit, 1000); !ok) return Fail(ok.error());
    const std::string sql =
        std::string(
            "SELECT n.id, n.action_id, n.due, n.raised, COALESCE(r.read_at, '') "
            "FROM committee_action_notices n "
            "JOIN committee_actions a ON a.id = n.action_id AND a.due = n.due "
            "LEFT JOIN committee_notice_reads r ON r.notice_id = n.id AND r.account = ? "
            "WHERE a.status IN ('open', 'in_progress') AND a.owner_org = ? "
            "AND (a.owner_account = '' OR a.owner_account = ?) ") +
        (unread_only ? "AND r.notice_id IS NULL " : "") +
        "ORDER BY CASE WHEN r.notice_id IS NULL THEN 0 ELSE 1 END, n.due, n.id "
        "LIMIT ?";
    return sql::Of(t).QueryAll(
        sql,
        [](const sql::Row& r) {
          return ActionNotice{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)};
        },
        account, org, account, static_cast<std::int64_t>(limit));
  }

  Result<std::optional<ActionNotice>> GetNotice(Transaction& t, std::int64_t id) override {
    return sql::Of(t).QueryOne(
        "SELECT id, action_id, due, raised FROM committee_action_notices WHERE id = ?",
        [](const sql::Row& r) {
          return ActionNotice{r.Int(0), r.Text(1), r.Text(2), r.Text(3), ""};
        },
        id);
  }

  Result<std::string> MarkNoticeRead(Transaction& t, std::int64_t id, const std::string& account,
                                     const std::string& now) override {
    auto notice = GetNotice(t, id);
    if (!notice) return Fail(notice.error());
    if (!*notice) return Fail(ErrorCode::kNotFound, "no notice " + std::to_string(id));
    auto r = sql::Of(t).Exec(
        "INSERT INTO committee_notice_reads (notice_id, account, read_at) VALUES (?, ?, ?) "
        "ON CONFLICT (notice_id, account) DO NOTHING",
        id, account, now);
    if (!r) return Fail(r.error());
    auto kept = sql::Of(t).QueryOne(
        "SELECT read_at FROM committee_notice_reads WHERE notice_id = ? AND account = ?",
        [](const sql::Row& row) { return row.Text(0); }, id, account);
    if (!kept) return Fail(kept.error());
    return kept->value_or(now);
  }
};

template <std::size_t N>
std::optional<std::size_t> IndexOf(const std::array<std::string_view, N>& names,
                                   std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return i;
  }
  return std::nullopt;
}

}  // namespace

std::string_view CommitteeKindName(CommitteeKind k) {
  return kKindNames[static_cast<std::size_t>(k)];
}
std::optional<CommitteeKind> ParseCommitteeKind(std::string_view name) {
  auto i = IndexOf(kKindNames, name);
  if (!i) return std::nullopt;
  return static_cast<CommitteeKind>(*i);
}
std::string_view ActionStatusName(ActionStatus s) {
  return kStatusNames[static_cast<std::size_t>(s)];
}
std::optional<ActionStatus> ParseActionStatus(std::string_view name) {
  auto i = IndexOf(kStatusNames, name);
  if (!i) return std::nullopt;
  return static_cast<ActionStatus>(*i);
}

std::string_view ExerciseKindName(ExerciseKind k) {
  return kExerciseKindNames[static_cast<std::size_t>(k)];
}
std::optional<ExerciseKind> ParseExerciseKind(std::string_view name) {
  auto i = IndexOf(kExerciseKindNames, name);
  if (!i) return std::nullopt;
  return static_cast<ExerciseKind>(*i);
}

std::unique_ptr<CommitteeStore> NewCommitteeStore() {
  return std::make_unique<SqlCommitteeStore>();
}

std::string BoundNoteId(const ActionNote& n) {
  // Each field length-prefixed, so that no two notes share a name.
  std::string name = "corridor-progress-note-1\n";
  for (const std::string* f : {&n.org, &n.action_id, &n.at, &n.status, &n.text}) {
    name += std::to_string(f->size());
    name += ':';
    name += *f;
    name += '\n';
  }
  return Uuid::V5(CorridorNamespace(), name).str();
}

}  // namespace corridor::store
