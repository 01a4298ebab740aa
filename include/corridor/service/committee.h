// The committee workspace's use cases (issue 15 §1, docs/committee.md), shared
// by the routes under /api/v1/committees, /meetings, /decisions, /actions and
// the `corridor committees|meetings|decisions|actions` commands.
//
// Who may do what:
//   - writing needs `manage-committee` (the committee role) and membership of
//     the caller's organisation in the committee;
//   - reading needs `read-committee` (analysts and the committee role; others
//     get kPermissionDenied), membership, and auth::MayRead of the object's
//     marking. A committee or object the caller may not read answers
//     kNotFound exactly like a missing one.
// Every write is audited ("committee-write"), and every response showing
// AMBER or stricter objects audits their ids before it is given.
// Errors name the field as the API body spells it ("/due", "/orgs/1").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/service/service.h"
#include "corridor/stix/signature.h"
#include "corridor/store/committee.h"

namespace corridor::service {

// The marking a new object asks for. Empty tlp: TLP:AMBER. With no
// distribution, an AMBER* object is shared with the committee's members, a
// RED one with its author only.
struct MarkingParams {
  std::string tlp;
  std::vector<std::string> organisations;
  std::vector<std::string> users;
  std::string trust_group;
};

struct AddCommitteeParams {
  std::string name;                // 1..200 bytes, unique
  std::string kind = "bilateral";  // bilateral | regional | un
  std::vector<std::string> orgs;   // member organisations (known to the instance); the
                                   // caller's own is added
  MarkingParams marking;
};
Result<store::Committee> AddCommittee(const Context& ctx, const Caller& caller,
                                      const AddCommitteeParams& p);

struct AddMeetingParams {
  std::string committee;  // name or id
  std::string date;       // YYYY-MM-DD
  std::string place;      // required unless is_virtual
  bool is_virtual = false;
  std::vector<std::string> agenda;
  std::vector<std::string> present;  // member organisations present
  std::string minutes;
  MarkingParams marking;
};
Result<store::Meeting> AddMeeting(const Context& ctx, const Caller& caller,
                                  const AddMeetingParams& p);

struct AddDecisionParams {
  std::string committee;
  std::string meeting;  // id, optional
  std::string text;
  std::vector<std::string> incidents, assessments, districts;
  MarkingParams marking;
};
Result<store::Decision> AddDecision(const Context& ctx, const Caller& caller,
                                    const AddDecisionParams& p);

struct AddActionParams {
  std::string committee;
  std::string decision;  // id, optional
  std::string title;
  std::string owner_org;      // a member organisation
  std::string owner_account;  // optional: a user of owner_org
  std::string due;            // YYYY-MM-DD
  std::vector<std::string> evidence;
  MarkingParams marking;
};
Result<store::ActionItem> AddAction(const Context& ctx, const Caller& caller,
                                    const AddActionParams& p);

struct ListActionsParams {
  std::string committee;  // name or id; "" = every committee the caller reads
  std::string org;        // owner organisation; "" = any
  bool overdue = false;   // open or in progress, due before `today`
  std::string today;      // YYYY-MM-DD; "" = the current UTC date
  int limit = 1000;       // 1..10000
};
// The actions the caller may read, by due date.
Result<std::vector<store::ActionItem>> ListActions(const Context& ctx, const Caller& caller,
                                                   const ListActionsParams& p);

struct UpdateActionParams {
  std::string id;
  std::string from;  // the status the caller saw (compare-and-set); "" = skip the status change
  std::string to;
  std::string note;  // a progress note; optional
};
// Records a progress note (with the new status, when one is given; the text
// may be empty then) and moves the status. Only the owning organisation and
// the one that assigned the action update it (kPermissionDenied otherwise).
// kConflict when the status is no longer `from`. Audited.
Result<store::ActionItem> UpdateAction(const Context& ctx, const Caller& caller,
                                       const UpdateActionParams& p);

// One action the caller reads with its progress notes, oldest first
// (ToJson(action) plus "committee_name" and "notes"). kNotFound when missing
// or not readable. A marked action shown is audited as a read.
Result<nlohmann::json> ShowAction(const Context& ctx, const Caller& caller, const std::string& id);

// ---- overdue notices (issue 15 §1)
struct NoticesParams {
  bool unread = false;  // only those the caller has not read
  std::string today;    // YYYY-MM-DD; "" = the current UTC date
  int limit = 100;      // 1..1000
};
struct Notice {
  store::ActionNotice notice;  // notice.read: when the caller read it
  store::ActionItem action;
  std::string committee;  // the committee's name
};
// Raises a notice for every action overdue by `today` (once per action and
// due date), then returns the caller's: those addressed to its account or its
// organisation (store::CommitteeStore::ListNotices) whose action it may read,
// unread first, then the longest overdue. Marked actions shown are audited as
// reads. kInvalidArgument for a caller without an account (the operator).
Result<std::vector<Notice>> ListNotices(const Context& ctx, const Caller& caller,
                                        const NoticesParams& p);
// Marks one of the caller's notices read (the first time is kept). kNotFound
// when it is not addressed to the caller or the caller may not read its action.
Result<Notice> ReadNotice(const Context& ctx, const Caller& caller, std::int64_t id);

// The committees the caller reads, by name.
Result<std::vector<store::Committee>> ListCommittees(const Context& ctx, const Caller& caller);
// One committee with its meetings and decisions the caller reads.
Result<nlohmann::json> ShowCommittee(const Context& ctx, const Caller& caller,
                                     const std::string& committee);

// ---- sharing with a partner instance (issue 15 §1)
struct ShareCommitteeParams {
  std::string committee;  // name or id
  std::string to;         // the receiving organisation: another member of the committee
};
struct SharedCommittee {
  nlohmann::json bundle;  // STIX 2.1; the committee's objects signed
  int objects = 0;        // committee objects in it (grouping and notes)
  // Objects the caller reads that stay here, each {"id", "reason"}: the egress
  // rule (auth::MaySend) refuses them to `to`, or `to` sent them.
  nlohmann::json withheld = nlohmann::json::array();
};
// A bundle of the committee (a grouping) and its meetings, decisions and
// actions (notes; stix/mapping.h) that the caller reads and the egress rule
// lets go to `to`, each with the marking `to`'s copy carries
// (auth::MarkingForRecipient), signed with `key`; then this organisation's
// progress notes (stix::ActionProgress) on the actions it owns that `to`
// assigned, and on its own actions sent in the bundle. When `to` sent the
// committee, the bundle may hold only such notes. The receiving instance
// imports it with `corridor ingest --format stix` (stix::ImportBundle), which
// takes the originator from the signing key. Needs `export` and membership;
// kInvalidArgument "/to: ..." when `to` is not another member. Audited as one
// "export" entry and the marked objects sent as reads.
Result<SharedCommittee> ShareCommittee(const Context& ctx, const Caller& caller,
                                       const ShareCommitteeParams& p, const stix::SigningKey& key);

nlohmann::json ToJson(const store::Committee& c);
nlohmann::json ToJson(const store::Meeting& m);
nlohmann::json ToJson(const store::Decision& d);
nlohmann::json ToJson(const store::ActionItem& a);
nlohmann::json ToJson(const store::ActionNote& n);
nlohmann::json ToJson(const Notice& n);

}  // namespace corridor::service
