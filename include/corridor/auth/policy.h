// The one decision function of the security model: who may do what to which
// object. docs/security.md holds the same rules as tables; every API route and
// CLI path asks Decide (or DecideApproval, MaySend) and nothing else.
//
// Everything here is a pure function of its arguments: no I/O, no clock, no
// global state. That keeps the read rule (MayRead) expressible as a SQL
// predicate over the same columns, and lets tests prove that the store's
// filter and Decide agree. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/security.h"

namespace corridor::auth {

// The signed-in user a request acts for.
struct Principal {
  std::string username;
  std::string org;
  std::vector<model::Role> roles;
  std::vector<std::string> trust_groups;  // the trust groups of `org`
  bool mfa = false;                       // this session was signed in with the TOTP second factor
  bool via_token = false;                 // authenticated by a bearer token, not a browser session
};

enum class Action {
  kRead,              // an object (or, with no object, a list the store filters)
  kCreateIncident,    // file a manual report; object = its proposed marking, or nullptr
  kTightenMarking,    // object = the current marking; caller checked !IsLoosening(old, new)
  kRequestLoosening,  // object = the current marking; caller checked IsLoosening(old, new)
  kApproveLoosening,  // always denied by Decide: use DecideApproval (needs the requester)
  kManageAccounts,    // organisations, users, tokens
  kReadAudit,
  kExport,  // with no object the export filters in the store; with one, also MayRead
  kSearch,  // full-text search (results filtered in the store)
  kReadSites,
  kManageSites,
  kSubscribeAlerts,  // subscribe to a site's alerts, list and mark one's own alerts
  kReadCommittee,    // the committee workspace of a committee the principal's org is a member of
  kManageCommittee,  // create committees, meetings, decisions, actions, judicial requests
  kLinkIncidents,    // confirm or reject that two sources' records are one event (docs/links.md)
};
inline constexpr int kActionCount = 15;
std::string_view ActionName(Action a);  // "read", "create-incident", ... (docs/security.md)
std::optional<Action> ParseAction(std::string_view name);

struct Decision {
  bool allowed = false;
  std::string reason;  // why, in one clause; for logs and the audit detail, not for users
                       // (an unreadable object answers 404 exactly like a missing one)
  explicit operator bool() const { return allowed; }
};

// The read rule, on its own (docs/security.md, "Markings"):
//   CLEAR         any principal
//   GREEN         reading role, and org == author_org or the object's trust group
//                 is one of principal.trust_groups
//   AMBER         reading role, and org == author_org or org in distribution.organisations
//   AMBER+STRICT  as AMBER on this instance (the difference is at egress: MaySend,
//                 MarkingForRecipient)
//   RED           analyst or committee, mfa, not via a token, and username == author
//                 or username in distribution.users
// Reading roles: analyst, committee, site-security. An admin-only principal reads
// CLEAR only. Empty author/author_org (imported data) never matches anybody.
// Only the distribution field of the marking's kind counts (users for RED,
// organisations for AMBER*, trust_group for GREEN).
Decision MayRead(const Principal& p, const model::Marking& object);

// Whether `p` may do `action`, on `object` where the action concerns one
// (nullptr otherwise). The role table and the extra rules per action are in
// docs/security.md; actions on an object also need MayRead. A principal with
// no username is denied everything.
Decision Decide(const Principal& p, Action action, const model::Marking* object);

// Whether `approver` may approve `requester`'s loosening of `object` (its
// current marking): an analyst of the object's organisation, in a browser
// session (not a token), who may read the object, and is not the requester.
Decision DecideApproval(const Principal& approver, const std::string& requester,
                        const model::Marking& object);

// True for roles that may read RED (analyst, committee): such accounts must
// enrol TOTP, and RED needs a session signed in with it.
bool RequiresTotp(const std::vector<model::Role>& roles);

// Whether an object may leave this instance for `target_org`'s instance
// (issue 6). Denied whenever the dataset licence forbids redistribution; then
// RED never, AMBER/AMBER+STRICT only to a named organisation and never when the
// object was itself received from a partner, GREEN only to a member of the
// object's trust group, CLEAR always.
Decision MaySend(const model::Marking& object, const std::string& target_org,
                 const std::vector<std::string>& target_trust_groups, bool received_from_partner,
                 bool licence_allows_redistribution);

// The marking the copy sent to `target_org` carries: for AMBER+STRICT the
// distribution names only `target_org` ("each only itself": the receiver
// learns no other recipient and shows it to that organisation only); other
// markings are sent unchanged. REQUIRES: MaySend allowed it.
model::Marking MarkingForRecipient(const model::Marking& object, const std::string& target_org);

// True if `to` is a less strict TLP than `from`.
bool IsLoosening(model::Tlp from, model::Tlp to);

// Lookups that let IsLoosening prove that a change of distribution kind adds
// no reader. Either may be empty; an unknown answer counts as "adds a reader".
struct ReaderDirectory {
  std::function<std::optional<std::string>(const std::string& username)> org_of_user;
  std::function<bool(const std::string& org, const std::string& trust_group)> org_in_group;
};

// True if changing `from` to `to` is a loosening: a less strict TLP, or any
// reader of `to` who cannot be shown to be a reader of `from` (a named user,
// organisation or trust group added, or the author changed). Without a
// directory, e.g. AMBER -> RED naming a user other than the author counts as
// loosening (the user's organisation is unknown). Loosening needs a second
// person's approval (DecideApproval); anything else is a tightening.
bool IsLoosening(const model::Marking& from, const model::Marking& to,
                 const ReaderDirectory& directory = {});

// Checks that a marking is well-formed for its TLP: only the distribution
// field of its kind is set (users for RED, organisations for AMBER*, trust
// group for GREEN, none for CLEAR), and someone can read it (RED needs an
// author or a named user; AMBER* and GREEN need an author organisation, a
// named organisation or a trust group). kInvalidArgument naming the field.
Result<void> ValidateMarking(const model::Marking& m);

}  // namespace corridor::auth
