// Training, joint exercises and joint security teams (issue 15 §2,
// docs/committee.md), shared by the routes under /api/v1/exercises and
// /api/v1/teams and the `corridor exercises|teams` commands.
//
// The same rules as the rest of the committee workspace (service/committee.h):
// writing needs `manage-committee` and membership of the committee; reading
// needs `read-committee`, membership and auth::MayRead of the object's
// marking, and anything else answers kNotFound like a missing object. Writes
// are audited ("committee-write"); marked objects shown are audited as reads.
// Free text (scenario, mandate, findings, lessons) goes through the personal-
// identifier detector: these describe what organisations did, never a person.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/service/committee.h"

namespace corridor::service {

struct AddExerciseParams {
  std::string committee;                  // name or id
  std::string kind = "exercise";          // training | exercise
  std::string title;                      // 1..500 bytes
  std::string scenario;                   // at most 20000 bytes
  std::string start;                      // YYYY-MM-DD
  std::string end;                        // YYYY-MM-DD, not before start; "" = start
  std::vector<std::string> participants;  // member organisations, at least one
  std::vector<std::string> objectives;    // in order
  std::vector<std::string> districts;     // district P-codes known to the instance
  std::vector<std::string> sites;         // site ids known to the instance
  MarkingParams marking;
};
Result<store::Exercise> AddExercise(const Context& ctx, const Caller& caller,
                                    const AddExerciseParams& p);

// A lesson of an after-action report: it becomes an action item of the
// exercise's committee, with the exercise's marking.
struct LessonParams {
  std::string text;           // 1..500 bytes: the action's title
  std::string owner_org;      // a member organisation
  std::string owner_account;  // optional: an account of owner_org
  std::string due;            // YYYY-MM-DD
};
struct ReportExerciseParams {
  std::string id;
  // The findings, recorded once: required the first time; "" afterwards
  // adds lessons only. A second set of findings is kConflict.
  std::string findings;
  std::vector<LessonParams> lessons;  // at most 50 per call
};

struct ExerciseView {
  store::Exercise exercise;
  std::string committee;  // its name
  struct Lesson {
    store::ExerciseLesson lesson;
    store::ActionItem action;  // the action it became, as it stands
  };
  std::vector<Lesson> lessons;
};
// Records the findings and turns each lesson into an action item, all in one
// transaction. Audited: the report, and each action as `actions add` does.
Result<ExerciseView> ReportExercise(const Context& ctx, const Caller& caller,
                                    const ReportExerciseParams& p);
Result<ExerciseView> ShowExercise(const Context& ctx, const Caller& caller, const std::string& id);
// The exercises the caller reads (of one committee, name or id; "" = all),
// latest start first, at most `limit` (1..10000) before the read filter.
Result<std::vector<store::Exercise>> ListExercises(const Context& ctx, const Caller& caller,
                                                   const std::string& committee, int limit = 1000);

struct AddTeamParams {
  std::string committee;
  std::string name;                    // 1..200 bytes, unique within the committee
  std::string mandate;                 // 1..20000 bytes
  std::vector<std::string> members;    // member organisations, at least one
  std::vector<std::string> districts;  // district P-codes known to the instance
  // A GeoJSON Polygon or MultiPolygon (WGS84) of at most 10000 positions;
  // a team needs districts, an area, or both.
  std::string area;
  std::vector<std::string> sites;  // site ids known to the instance
  std::string start;               // YYYY-MM-DD
  std::string end;                 // YYYY-MM-DD, not before start; "" = open-ended
  MarkingParams marking;
};
Result<store::JointTeam> AddTeam(const Context& ctx, const Caller& caller, const AddTeamParams& p);
// The teams the caller reads (of one committee; "" = all), by name. With
// `on` (YYYY-MM-DD), only those whose period includes that day. At most
// `limit` (1..10000) before the read filter.
Result<std::vector<store::JointTeam>> ListTeams(const Context& ctx, const Caller& caller,
                                                const std::string& committee,
                                                const std::string& on = "", int limit = 1000);

nlohmann::json ToJson(const store::Exercise& e);
nlohmann::json ToJson(const ExerciseView& v);
nlohmann::json ToJson(const store::JointTeam& t);

}  // namespace corridor::service
