#include "corridor/auth/policy.h"

#include <algorithm>
#include <array>

#include "model/enum_names.h"

namespace corridor::auth {
namespace {

using model::Role;
using model::Tlp;

constexpr model::NameTable<Action, kActionCount> kActions{{
    {Action::kRead, "read"},
    {Action::kCreateIncident, "create-incident"},
    {Action::kTightenMarking, "tighten-marking"},
    {Action::kRequestLoosening, "request-loosening"},
    {Action::kApproveLoosening, "approve-loosening"},
    {Action::kManageAccounts, "manage-accounts"},
    {Action::kReadAudit, "read-audit"},
    {Action::kExport, "export"},
    {Action::kSearch, "search"},
    {Action::kReadSites, "read-sites"},
    {Action::kManageSites, "manage-sites"},
    {Action::kSubscribeAlerts, "subscribe-alerts"},
    {Action::kReadCommittee, "read-committee"},
    {Action::kManageCommittee, "manage-committee"},
    {Action::kLinkIncidents, "link-incidents"},
}};

// The role table of docs/security.md. kRead is not here: every signed-in
// principal may read, and MayRead decides what.
struct Grant {
  Role role;
  Action action;
};
constexpr Grant kGrants[] = {
    {Role::kAdmin, Action::kManageAccounts},
    {Role::kAdmin, Action::kReadAudit},
    {Role::kAdmin, Action::kApproveLoosening},  // the request, not the object (DecideApproval)
    {Role::kAnalyst, Action::kCreateIncident},
    {Role::kAnalyst, Action::kTightenMarking},
    {Role::kAnalyst, Action::kRequestLoosening},
    {Role::kAnalyst, Action::kApproveLoosening},
    {Role::kAnalyst, Action::kSearch},
    {Role::kAnalyst, Action::kExport},
    {Role::kCommittee, Action::kSearch},
    {Role::kCommittee, Action::kExport},
    {Role::kAnalyst, Action::kReadSites},  // site exposure is analysts' work (DESIGN.md)
    {Role::kCommittee, Action::kReadSites},
    {Role::kSiteSecurity, Action::kReadSites},
    {Role::kSiteSecurity, Action::kManageSites},
    {Role::kSiteSecurity, Action::kSubscribeAlerts},  // alerts are site security's (DESIGN.md)
    // The committee workspace (issue 15): the committee role writes; analysts of
    // member organisations read (membership is checked by service/committee.h).
    {Role::kCommittee, Action::kManageCommittee},
    {Role::kCommittee, Action::kReadCommittee},
    {Role::kAnalyst, Action::kReadCommittee},
    // One event, several sources (issue 17 item 11): analysts' judgement.
    {Role::kAnalyst, Action::kLinkIncidents},
    {Role::kPartner, Action::kExport},  // a partner instance's sync account (TAXII, issue 12 #10)
};

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return !name.empty() && std::find(names.begin(), names.end(), name) != names.end();
}

bool HasRole(const Principal& p, Role r) {
  return std::find(p.roles.begin(), p.roles.end(), r) != p.roles.end();
}

bool Granted(const Principal& p, Action a) {
  if (a == Action::kRead) return true;
  return std::any_of(std::begin(kGrants), std::end(kGrants),
                     [&](const Grant& g) { return g.action == a && HasRole(p, g.role); });
}

bool ReadsMarkedData(const Principal& p) {
  return HasRole(p, Role::kAnalyst) || HasRole(p, Role::kCommittee) ||
         HasRole(p, Role::kSiteSecurity) || HasRole(p, Role::kPartner);
}

Decision Allow(std::string reason) { return {true, std::move(reason)}; }
Decision Deny(std::string reason) { return {false, std::move(reason)}; }

std::string Tl(Tlp t) { return std::string(model::TlpName(t)); }

bool ChangesMarking(Action a) {
  return a == Action::kTightenMarking || a == Action::kRequestLoosening ||
         a == Action::kApproveLoosening;
}

// Marking changes are for analysts of the object's own organisation; imported
// data (no author organisation) keeps the marking its dataset was imported with.
Decision MayChangeMarking(const Principal& p, const model::Marking& object) {
  if (object.author_org.empty()) {
    return Deny("imported data keeps the marking of its dataset");
  }
  if (p.org != object.author_org) {
    return Deny("only the author's organisation (" + object.author_org + ") changes its marking");
  }
  return Allow("analyst of the author's organisation");
}

// --- IsLoosening: is every reader of `to` provably a reader of `from`? -------

bool FromCoversOrg(const model::Marking& from, const std::string& org, const ReaderDirectory& dir) {
  if (org.empty()) return false;
  switch (from.tlp) {
    case Tlp::kClear:
      return true;
    case Tlp::kGreen:
      if (org == from.author_org) return true;
      return !from.distribution.trust_group.empty() && dir.org_in_group &&
             dir.org_in_group(org, from.distribution.trust_group);
    case Tlp::kAmber:
    case Tlp::kAmberStrict:
      return org == from.author_org || Has(from.distribution.organisations, org);
    case Tlp::kRed:
      return false;  // an organisation is more readers than named users
  }
  return false;
}

bool FromCoversUser(const model::Marking& from, const std::string& user,
                    const ReaderDirectory& dir) {
  if (user.empty()) return false;
  if (from.tlp == Tlp::kClear) return true;
  if (from.tlp == Tlp::kRed) return user == from.author || Has(from.distribution.users, user);
  std::optional<std::string> org;
  if (user == from.author && !from.author_org.empty()) {
    org = from.author_org;
  } else if (dir.org_of_user) {
    org = dir.org_of_user(user);
  }
  return org && FromCoversOrg(from, *org, dir);
}

bool AddsReaders(const model::Marking& from, const model::Marking& to, const ReaderDirectory& dir) {
  const auto& d = to.distribution;
  switch (to.tlp) {
    case Tlp::kClear:
      return from.tlp != Tlp::kClear;
    case Tlp::kRed: {
      if (!to.author.empty() && !FromCoversUser(from, to.author, dir)) return true;
      return std::any_of(d.users.begin(), d.users.end(),
                         [&](const std::string& u) { return !FromCoversUser(from, u, dir); });
    }
    case Tlp::kAmber:
    case Tlp::kAmberStrict: {
      if (!to.author_org.empty() && !FromCoversOrg(from, to.author_org, dir)) return true;
      return std::any_of(d.organisations.begin(), d.organisations.end(),
                         [&](const std::string& o) { return !FromCoversOrg(from, o, dir); });
    }
    case Tlp::kGreen: {
      if (!to.author_org.empty() && !FromCoversOrg(from, to.author_org, dir)) return true;
      if (d.trust_group.empty()) return false;
      // A whole trust group is covered only by CLEAR or by GREEN to the same group.
      return !(from.tlp == Tlp::kClear ||
               (from.tlp == Tlp::kGreen && from.distribution.trust_group == d.trust_group));
    }
  }
  return true;
}

bool AnyEmpty(const std::vector<std::string>& names) {
  return std::any_of(names.begin(), names.end(), [](const std::string& n) { return n.empty(); });
}

}  // namespace

std::string_view ActionName(Action a) { return model::NameOf(kActions, a); }
std::optional<Action> ParseAction(std::string_view name) {
  return model::FindByName(kActions, name);
}

Decision MayRead(const Principal& p, const model::Marking& object) {
  if (p.username.empty()) return Deny("not signed in");
  if (object.tlp == Tlp::kClear) return Allow("TLP:CLEAR: every signed-in user");
  if (!ReadsMarkedData(p)) {
    return Deny(
        "no role that reads marked data above TLP:CLEAR (admin does not: separation of "
        "duties)");
  }
  const auto& d = object.distribution;
  const bool author_org = !object.author_org.empty() && p.org == object.author_org;
  switch (object.tlp) {
    case Tlp::kClear:
      break;
    case Tlp::kGreen:
      if (author_org) return Allow("TLP:GREEN: the author's organisation");
      if (Has(p.trust_groups, d.trust_group)) {
        return Allow("TLP:GREEN: member of trust group " + d.trust_group);
      }
      return Deny("TLP:GREEN: not a member of the object's trust group");
    case Tlp::kAmber:
    case Tlp::kAmberStrict:
      if (author_org) return Allow(Tl(object.tlp) + ": the author's organisation");
      if (Has(d.organisations, p.org)) return Allow(Tl(object.tlp) + ": a named organisation");
      return Deny(Tl(object.tlp) + ": neither the author's nor a named organisation");
    case Tlp::kRed: {
      const bool named =
          (!object.author.empty() && p.username == object.author) || Has(d.users, p.username);
      if (!named) return Deny("TLP:RED: neither the author nor a named user");
      if (!HasRole(p, Role::kAnalyst) && !HasRole(p, Role::kCommittee)) {
        return Deny("TLP:RED: only analyst and committee roles read it");
      }
      if (p.via_token) return Deny("TLP:RED: bearer tokens never read it");
      if (!p.mfa) return Deny("TLP:RED: needs a session signed in with the second factor");
      return Allow("TLP:RED: the author or a named user, signed in with the second factor");
    }
  }
  return Deny("unknown marking");
}

Decision Decide(const Principal& p, Action action, const model::Marking* object) {
  if (p.username.empty()) return Deny("not signed in");
  const std::string name(ActionName(action));
  if (action == Action::kApproveLoosening) {
    return Deny("approve-loosening is decided by DecideApproval (it needs the requester)");
  }
  if (!Granted(p, action)) return Deny("no role of this user may " + name);
  if (object == nullptr) {
    if (ChangesMarking(action)) return Deny(name + " needs the object's marking");
    return Allow(name + ": granted by role");
  }
  if (action == Action::kCreateIncident) {
    if (object->author != p.username || object->author_org != p.org) {
      return Deny("a new report's author and organisation are the filer's");
    }
    return Allow("create-incident: analyst filing as themself");
  }
  Decision read = MayRead(p, *object);
  if (!read) return read;
  if (ChangesMarking(action)) return MayChangeMarking(p, *object);
  return Allow(name + ": granted by role; " + read.reason);
}

Decision DecideApproval(const Principal& approver, const std::string& requester,
                        const model::Marking& object) {
  if (approver.username.empty()) return Deny("not signed in");
  if (!Granted(approver, Action::kApproveLoosening)) {
    return Deny("no role of this user may approve-loosening");
  }
  if (approver.username == requester) return Deny("nobody approves their own request");
  if (approver.via_token) return Deny("approval needs a person in a session, not a bearer token");
  // An admin of the author's organisation approves on the request (who asks,
  // from which marking to which) without reading the object: separation of
  // duties keeps marked content from administrators.
  if (HasRole(approver, Role::kAdmin)) {
    if (object.author_org.empty() || approver.org != object.author_org) {
      return Deny("only the author's organisation (" + object.author_org + ") approves");
    }
    return Allow("admin of the author's organisation, on the request");
  }
  Decision read = MayRead(approver, object);
  if (!read) return read;
  Decision change = MayChangeMarking(approver, object);
  if (!change) return change;
  return Allow("second analyst of the author's organisation");
}

bool RequiresTotp(const std::vector<model::Role>& roles) {
  return std::find(roles.begin(), roles.end(), Role::kAnalyst) != roles.end() ||
         std::find(roles.begin(), roles.end(), Role::kCommittee) != roles.end();
}

Decision MaySend(const model::Marking& object, const std::string& target_org,
                 const std::vector<std::string>& target_trust_groups, bool received_from_partner,
                 bool licence_allows_redistribution) {
  if (!licence_allows_redistribution) {
    return Deny("the dataset's licence forbids redistribution");
  }
  const auto& d = object.distribution;
  switch (object.tlp) {
    case Tlp::kClear:
      return Allow("TLP:CLEAR");
    case Tlp::kGreen:
      if (Has(target_trust_groups, d.trust_group)) {
        return Allow("TLP:GREEN: the target is in trust group " + d.trust_group);
      }
      return Deny("TLP:GREEN: the target is not in the object's trust group");
    case Tlp::kAmber:
    case Tlp::kAmberStrict:
      if (received_from_partner)
        return Deny(Tl(object.tlp) + ": received objects are never passed on");
      if (Has(d.organisations, target_org)) return Allow(Tl(object.tlp) + ": a named organisation");
      return Deny(Tl(object.tlp) + ": the target is not a named organisation");
    case Tlp::kRed:
      return Deny("TLP:RED never leaves the instance");
  }
  return Deny("unknown marking");
}

model::Marking MarkingForRecipient(const model::Marking& object, const std::string& target_org) {
  model::Marking out = object;
  if (object.tlp == Tlp::kAmberStrict) out.distribution.organisations = {target_org};
  return out;
}

bool IsLoosening(model::Tlp from, model::Tlp to) {
  return model::Strictness(to) < model::Strictness(from);
}

bool IsLoosening(const model::Marking& from, const model::Marking& to,
                 const ReaderDirectory& directory) {
  return IsLoosening(from.tlp, to.tlp) || AddsReaders(from, to, directory);
}

Result<void> ValidateMarking(const model::Marking& m) {
  const auto& d = m.distribution;
  const std::string tlp = Tl(m.tlp);
  auto bad = [&](const std::string& what) {
    return Fail(ErrorCode::kInvalidArgument, "distribution: " + what);
  };
  if (AnyEmpty(d.users)) return bad("/users has an empty name");
  if (AnyEmpty(d.organisations)) return bad("/organisations has an empty name");
  const bool red = m.tlp == Tlp::kRed;
  const bool amber = m.tlp == Tlp::kAmber || m.tlp == Tlp::kAmberStrict;
  const bool green = m.tlp == Tlp::kGreen;
  if (!d.users.empty() && !red) return bad("/users is only for TLP:RED, not " + tlp);
  if (!d.organisations.empty() && !amber) {
    return bad("/organisations is only for TLP:AMBER and TLP:AMBER+STRICT, not " + tlp);
  }
  if (!d.trust_group.empty() && !green)
    return bad("/trust_group is only for TLP:GREEN, not " + tlp);
  if (red && m.author.empty() && d.users.empty()) {
    return bad("TLP:RED without an author needs at least one named user");
  }
  if (amber && m.author_org.empty() && d.organisations.empty()) {
    return bad(tlp + " without an author organisation needs a named organisation");
  }
  if (green && m.author_org.empty() && d.trust_group.empty()) {
    return bad("TLP:GREEN without an author organisation needs a trust group");
  }
  return {};
}

}  // namespace corridor::auth
