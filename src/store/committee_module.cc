// The committee module's tables and migrations (docs/schema.md); the store
// over them is committee.cc.
#include "corridor/store/committee.h"

namespace corridor::store {

const Module& CommitteeModule() {
  // Marking columns as in incidents: tlp is TlpName, distribution JSON.
  static const Module kModule = {"committee",
                                 {{1, R"sql(
CREATE TABLE committees (
  id           TEXT PRIMARY KEY NOT NULL,
  name         TEXT NOT NULL UNIQUE,
  kind         TEXT NOT NULL,
  members      TEXT NOT NULL,
  created      TEXT NOT NULL,
  tlp          TEXT NOT NULL,
  distribution TEXT NOT NULL,
  author       TEXT NOT NULL,
  author_org   TEXT NOT NULL
);
CREATE TABLE committee_meetings (
  id           TEXT PRIMARY KEY NOT NULL,
  committee_id TEXT NOT NULL REFERENCES committees (id),
  date         TEXT NOT NULL,
  place        TEXT NOT NULL,
  is_virtual   INTEGER NOT NULL,
  agenda       TEXT NOT NULL,
  present      TEXT NOT NULL,
  minutes      TEXT NOT NULL,
  created      TEXT NOT NULL,
  tlp          TEXT NOT NULL,
  distribution TEXT NOT NULL,
  author       TEXT NOT NULL,
  author_org   TEXT NOT NULL
);
CREATE INDEX committee_meetings_by_committee ON committee_meetings (committee_id, date);
CREATE TABLE committee_decisions (
  id           TEXT PRIMARY KEY NOT NULL,
  committee_id TEXT NOT NULL REFERENCES committees (id),
  meeting_id   TEXT NOT NULL,
  text         TEXT NOT NULL,
  incidents    TEXT NOT NULL,
  assessments  TEXT NOT NULL,
  districts    TEXT NOT NULL,
  created      TEXT NOT NULL,
  tlp          TEXT NOT NULL,
  distribution TEXT NOT NULL,
  author       TEXT NOT NULL,
  author_org   TEXT NOT NULL
);
CREATE INDEX committee_decisions_by_committee ON committee_decisions (committee_id, created);
CREATE TABLE committee_actions (
  id            TEXT PRIMARY KEY NOT NULL,
  committee_id  TEXT NOT NULL REFERENCES committees (id),
  decision_id   TEXT NOT NULL,
  title         TEXT NOT NULL,
  owner_org     TEXT NOT NULL,
  owner_account TEXT NOT NULL,
  due           TEXT NOT NULL,
  status        TEXT NOT NULL,
  evidence      TEXT NOT NULL,
  created       TEXT NOT NULL,
  updated       TEXT NOT NULL,
  tlp           TEXT NOT NULL,
  distribution  TEXT NOT NULL,
  author        TEXT NOT NULL,
  author_org    TEXT NOT NULL
);
CREATE INDEX committee_actions_by_owner ON committee_actions (owner_org, status, due);
CREATE TABLE committee_action_notes (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  action_id TEXT NOT NULL REFERENCES committee_actions (id),
  at        TEXT NOT NULL,
  author    TEXT NOT NULL,
  text      TEXT NOT NULL
);
)sql",
                                   R"sql(
CREATE TABLE committees (
  id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
  members TEXT NOT NULL, created TEXT NOT NULL, tlp TEXT NOT NULL, distribution TEXT NOT NULL,
  author TEXT NOT NULL, author_org TEXT NOT NULL
);
CREATE TABLE committee_meetings (
  id TEXT PRIMARY KEY NOT NULL, committee_id TEXT NOT NULL REFERENCES committees (id),
  date TEXT NOT NULL, place TEXT NOT NULL, is_virtual INTEGER NOT NULL, agenda TEXT NOT NULL,
  present TEXT NOT NULL, minutes TEXT NOT NULL, created TEXT NOT NULL, tlp TEXT NOT NULL,
  distribution TEXT NOT NULL, author TEXT NOT NULL, author_org TEXT NOT NULL
);
CREATE INDEX committee_meetings_by_committee ON committee_meetings (committee_id, date);
CREATE TABLE committee_decisions (
  id TEXT PRIMARY KEY NOT NULL, committee_id TEXT NOT NULL REFERENCES committees (id),
  meeting_id TEXT NOT NULL, text TEXT NOT NULL, incidents TEXT NOT NULL,
  assessments TEXT NOT NULL, districts TEXT NOT NULL, created TEXT NOT NULL, tlp TEXT NOT NULL,
  distribution TEXT NOT NULL, author TEXT NOT NULL, author_org TEXT NOT NULL
);
CREATE INDEX committee_decisions_by_committee ON committee_decisions (committee_id, created);
CREATE TABLE committee_actions (
  id TEXT PRIMARY KEY NOT NULL, committee_id TEXT NOT NULL REFERENCES committees (id),
  decision_id TEXT NOT NULL, title TEXT NOT NULL, owner_org TEXT NOT NULL,
  owner_account TEXT NOT NULL, due TEXT NOT NULL, status TEXT NOT NULL, evidence TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, tlp TEXT NOT NULL, distribution TEXT NOT NULL,
  author TEXT NOT NULL, author_org TEXT NOT NULL
);
CREATE INDEX committee_actions_by_owner ON committee_actions (owner_org, status, due);
CREATE TABLE committee_action_notes (
  seq BIGSERIAL PRIMARY KEY, action_id TEXT NOT NULL REFERENCES committee_actions (id),
  at TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL
);
)sql"},
                                  {2, R"sql(
CREATE TABLE committee_action_notices (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  action_id TEXT NOT NULL REFERENCES committee_actions (id),
  due       TEXT NOT NULL,
  raised    TEXT NOT NULL,
  UNIQUE (action_id, due)
);
CREATE TABLE committee_notice_reads (
  notice_id INTEGER NOT NULL REFERENCES committee_action_notices (id),
  account   TEXT NOT NULL,
  read_at   TEXT NOT NULL,
  PRIMARY KEY (notice_id, account)
);
)sql",
                                   R"sql(
CREATE TABLE committee_action_notices (
  id BIGSERIAL PRIMARY KEY, action_id TEXT NOT NULL REFERENCES committee_actions (id),
  due TEXT NOT NULL, raised TEXT NOT NULL, UNIQUE (action_id, due)
);
CREATE TABLE committee_notice_reads (
  notice_id BIGINT NOT NULL REFERENCES committee_action_notices (id),
  account TEXT NOT NULL, read_at TEXT NOT NULL, PRIMARY KEY (notice_id, account)
);
)sql"},
                                  {3, R"sql(
CREATE TABLE committee_exercises (
  id           TEXT PRIMARY KEY NOT NULL,
  committee_id TEXT NOT NULL REFERENCES committees (id),
  kind         TEXT NOT NULL,
  title        TEXT NOT NULL,
  scenario     TEXT NOT NULL,
  start_date   TEXT NOT NULL,
  end_date     TEXT NOT NULL,
  participants TEXT NOT NULL,
  objectives   TEXT NOT NULL,
  districts    TEXT NOT NULL,
  sites        TEXT NOT NULL,
  findings     TEXT NOT NULL,
  reported     TEXT NOT NULL,
  created      TEXT NOT NULL,
  tlp          TEXT NOT NULL,
  distribution TEXT NOT NULL,
  author       TEXT NOT NULL,
  author_org   TEXT NOT NULL
);
CREATE INDEX committee_exercises_by_committee ON committee_exercises (committee_id, start_date);
CREATE TABLE committee_exercise_lessons (
  exercise_id TEXT NOT NULL REFERENCES committee_exercises (id),
  seq         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  action_id   TEXT NOT NULL REFERENCES committee_actions (id),
  created     TEXT NOT NULL,
  PRIMARY KEY (exercise_id, seq)
);
CREATE TABLE committee_teams (
  id           TEXT PRIMARY KEY NOT NULL,
  committee_id TEXT NOT NULL REFERENCES committees (id),
  name         TEXT NOT NULL,
  mandate      TEXT NOT NULL,
  members      TEXT NOT NULL,
  districts    TEXT NOT NULL,
  area         TEXT NOT NULL,
  sites        TEXT NOT NULL,
  start_date   TEXT NOT NULL,
  end_date     TEXT NOT NULL,
  created      TEXT NOT NULL,
  tlp          TEXT NOT NULL,
  distribution TEXT NOT NULL,
  author       TEXT NOT NULL,
  author_org   TEXT NOT NULL,
  UNIQUE (committee_id, name)
);
)sql",
                                   R"sql(
CREATE TABLE committee_exercises (
  id TEXT PRIMARY KEY NOT NULL, committee_id TEXT NOT NULL REFERENCES committees (id),
  kind TEXT NOT NULL, title TEXT NOT NULL, scenario TEXT NOT NULL, start_date TEXT NOT NULL,
  end_date TEXT NOT NULL, participants TEXT NOT NULL, objectives TEXT NOT NULL,
  districts TEXT NOT NULL, sites TEXT NOT NULL, findings TEXT NOT NULL, reported TEXT NOT NULL,
  created TEXT NOT NULL, tlp TEXT NOT NULL, distribution TEXT NOT NULL, author TEXT NOT NULL,
  author_org TEXT NOT NULL
);
CREATE INDEX committee_exercises_by_committee ON committee_exercises (committee_id, start_date);
CREATE TABLE committee_exercise_lessons (
  exercise_id TEXT NOT NULL REFERENCES committee_exercises (id), seq BIGINT NOT NULL,
  text TEXT NOT NULL, action_id TEXT NOT NULL REFERENCES committee_actions (id),
  created TEXT NOT NULL, PRIMARY KEY (exercise_id, seq)
);
CREATE TABLE committee_teams (
  id TEXT PRIMARY KEY NOT NULL, committee_id TEXT NOT NULL REFERENCES committees (id),
  name TEXT NOT NULL, mandate TEXT NOT NULL, members TEXT NOT NULL, districts TEXT NOT NULL,
  area TEXT NOT NULL, sites TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,
  created TEXT NOT NULL, tlp TEXT NOT NULL, distribution TEXT NOT NULL, author TEXT NOT NULL,
  author_org TEXT NOT NULL, UNIQUE (committee_id, name)
);
)sql"},
                                  // 4: progress notes get an id (they travel), their
                                  // organisation and the status they set (one text for
                                  // both backends).
                                  {4, R"sql(
ALTER TABLE committee_action_notes ADD COLUMN note_id TEXT NOT NULL DEFAULT '';
ALTER TABLE committee_action_notes ADD COLUMN org TEXT NOT NULL DEFAULT '';
ALTER TABLE committee_action_notes ADD COLUMN status TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX committee_action_notes_by_id ON committee_action_notes (note_id)
  WHERE note_id <> '';
CREATE INDEX committee_action_notes_by_action ON committee_action_notes (action_id, at);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
