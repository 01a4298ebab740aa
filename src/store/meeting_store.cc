// The meeting aggregate (corridor/store/meeting_store.h) over the typed SQL layer.
#include "corridor/store/meeting_store.h"

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr const char* kMeetingColumns =
    "id, district, project_id, consultation_id, title, agenda, place, starts_at, ends_at, state, "
    "minutes, minutes_at, cancel_reason, created_by, created_at, updated_at, sequence, version";

Meeting ReadMeeting(const sql::Row& r) {
  Meeting m;
  m.id = r.Text(0);
  m.district = r.Text(1);
  m.project_id = r.Text(2);
  m.consultation_id = r.Text(3);
  m.title = r.Text(4);
  m.agenda = r.Text(5);
  m.place = r.Text(6);
  m.starts_at = r.Text(7);
  m.ends_at = r.Text(8);
  m.state = r.Text(9);
  m.minutes = r.Text(10);
  m.minutes_at = r.Text(11);
  m.cancel_reason = r.Text(12);
  m.created_by = r.Text(13);
  m.created_at = r.Text(14);
  m.updated_at = r.Text(15);
  m.sequence = r.Int(16);
  m.version = r.Int(17);
  return m;
}

class SqlMeetingStore final : public MeetingStore {
 public:
  Result<void> AddMeeting(Transaction& t, const Meeting& m) override {
    if (m.id.empty() || m.district.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a meeting needs an id and a district");
    }
    auto& q = sql::Of(t);
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_meetings WHERE id = ?", m.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return Fail(ErrorCode::kConflict, "meeting " + m.id + " exists");
    auto r = q.Exec("INSERT INTO public_meetings (" + std::string(kMeetingColumns) +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    m.id, m.district, m.project_id, m.consultation_id, m.title, m.agenda, m.place,
                    m.starts_at, m.ends_at, m.state, m.minutes, m.minutes_at, m.cancel_reason,
                    m.created_by, m.created_at, m.updated_at, m.sequence, m.version);
    if (!r) return Fail(r.error());
    return WriteLists(t, m);
  }

  Result<std::optional<Meeting>> GetMeeting(Transaction& t, const std::string& id) override {
    auto m = sql::Of(t).QueryOne(
        "SELECT " + std::string(kMeetingColumns) + " FROM public_meetings WHERE id = ?",
        ReadMeeting, id);
    if (!m) return Fail(m.error());
    if (*m) {
      if (auto ok = ReadLists(t, **m); !ok) return Fail(ok.error());
    }
    return m;
  }

  Result<std::vector<Meeting>> ListMeetings(Transaction& t, const MeetingQuery& q) override {
    if (q.limit < 1 || q.limit > 1000) {
      return Fail(ErrorCode::kInvalidArgument, "limit: 1 to 1000");
    }
    auto all = sql::Of(t).QueryAll(
        "SELECT " + std::string(kMeetingColumns) +
            " FROM public_meetings m WHERE (? = '' OR district = ?) AND (? = '' OR starts_at >= ?) "
            "AND (? = '' OR starts_at <= ?) AND (? = '' OR EXISTS (SELECT 1 FROM "
            "public_meeting_proposals l WHERE l.meeting_id = m.id AND l.proposal_id = ?)) "
            "AND (? = '' OR id = ?) ORDER BY starts_at, id LIMIT ?",
        ReadMeeting, q.district, q.district, q.from, q.from, q.to, q.to, q.proposal_id,
        q.proposal_id, q.id, q.id, static_cast<std::int64_t>(q.limit));
    if (!all) return Fail(all.error());
    for (auto& m : *all) {
      if (auto ok = ReadLists(t, m); !ok) return Fail(ok.error());
    }
    return all;
  }

  Result<bool> UpdateMeeting(Transaction& t, const Meeting& expected,
                             const Meeting& next) override {
    auto& q = sql::Of(t);
    auto changed = q.Exec(
        "UPDATE public_meetings SET project_id = ?, consultation_id = ?, title = ?, agenda = ?, "
        "place = ?, starts_at = ?, ends_at = ?, state = ?, minutes = ?, minutes_at = ?, "
        "cancel_reason = ?, updated_at = ?, sequence = ?, version = ? WHERE id = ? AND version = ?",
        next.project_id, next.consultation_id, next.title, next.agenda, next.place, next.starts_at,
        next.ends_at, next.state, next.minutes, next.minutes_at, next.cancel_reason,
        next.updated_at, next.sequence, expected.version + 1, expected.id, expected.version);
    if (!changed) return Fail(changed.error());
    if (*changed == 0) {
      auto held = q.QueryInt("SELECT COUNT(*) FROM public_meetings WHERE id = ?", expected.id);
      if (!held) return Fail(held.error());
      if (held->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no meeting " + expected.id);
      return false;
    }
    for (const char* table : {"public_meeting_organisations", "public_meeting_proposals"}) {
      if (auto r =
              q.Exec("DELETE FROM " + std::string(table) + " WHERE meeting_id = ?", expected.id);
          !r) {
        return Fail(r.error());
      }
    }
    Meeting written = next;
    written.id = expected.id;
    if (auto ok = WriteLists(t, written); !ok) return Fail(ok.error());
    return true;
  }

 private:
  static Result<void> WriteLists(Transaction& t, const Meeting& m) {
    auto& q = sql::Of(t);
    for (std::size_t i = 0; i < m.organisations.size(); ++i) {
      auto r = q.Exec(
          "INSERT INTO public_meeting_organisations (meeting_id, position, name) VALUES (?, ?, ?)",
          m.id, static_cast<std::int64_t>(i), m.organisations[i]);
      if (!r) return Fail(r.error());
    }
    for (std::size_t i = 0; i < m.proposal_ids.size(); ++i) {
      auto r = q.Exec(
          "INSERT INTO public_meeting_proposals (meeting_id, position, proposal_id) "
          "VALUES (?, ?, ?)",
          m.id, static_cast<std::int64_t>(i), m.proposal_ids[i]);
      if (!r) return Fail(r.error());
    }
    return {};
  }

  static Result<void> ReadLists(Transaction& t, Meeting& m) {
    auto& q = sql::Of(t);
    const auto text = [](const sql::Row& r) { return r.Text(0); };
    auto orgs = q.QueryAll(
        "SELECT name FROM public_meeting_organisations WHERE meeting_id = ? ORDER BY position",
        text, m.id);
    if (!orgs) return Fail(orgs.error());
    auto proposals = q.QueryAll(
        "SELECT proposal_id FROM public_meeting_proposals WHERE meeting_id = ? ORDER BY position",
        text, m.id);
    if (!proposals) return Fail(proposals.error());
    m.organisations = std::move(*orgs);
    m.proposal_ids = std::move(*proposals);
    return {};
  }
};

}  // namespace

std::unique_ptr<MeetingStore> NewMeetingStore() { return std::make_unique<SqlMeetingStore>(); }

const Module& MeetingModule() {
  static const Module kModule = {"public.meetings",
                                 {{1, R"sql(
CREATE TABLE public_meetings (
  id              TEXT PRIMARY KEY NOT NULL,
  district        TEXT NOT NULL,
  project_id      TEXT NOT NULL,
  consultation_id TEXT NOT NULL,
  title           TEXT NOT NULL,
  agenda          TEXT NOT NULL,
  place           TEXT NOT NULL,
  starts_at       TEXT NOT NULL,
  ends_at         TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('scheduled', 'held', 'cancelled')),
  minutes         TEXT NOT NULL,
  minutes_at      TEXT NOT NULL,
  cancel_reason   TEXT NOT NULL,
  created_by      TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  sequence        BIGINT NOT NULL CHECK (sequence >= 0),
  version         BIGINT NOT NULL
);
CREATE INDEX public_meetings_starts ON public_meetings (starts_at, id);
CREATE INDEX public_meetings_district ON public_meetings (district, starts_at);
CREATE TABLE public_meeting_organisations (
  meeting_id TEXT NOT NULL REFERENCES public_meetings (id),
  position   BIGINT NOT NULL,
  name       TEXT NOT NULL,
  PRIMARY KEY (meeting_id, position)
);
CREATE TABLE public_meeting_proposals (
  meeting_id  TEXT NOT NULL REFERENCES public_meetings (id),
  position    BIGINT NOT NULL,
  proposal_id TEXT NOT NULL,
  PRIMARY KEY (meeting_id, position)
);
CREATE INDEX public_meeting_proposals_proposal ON public_meeting_proposals (proposal_id);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
