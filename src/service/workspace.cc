#include "service/workspace.h"

#include <algorithm>

#include "corridor/common/date.h"
#include "corridor/common/personal_data.h"
#include "corridor/model/json.h"

namespace corridor::service::workspace {

using nlohmann::json;

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

Result<void> Invalid(const std::string& field, const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, field + ": " + message);
}

Result<void> CheckRequired(const std::string& field, const std::string& value,
                           std::size_t max_bytes) {
  if (value.empty()) return Invalid(field, "required");
  if (value.size() > max_bytes) {
    return Invalid(field, "at most " + std::to_string(max_bytes) + " bytes");
  }
  return {};
}

Result<void> CheckList(const std::string& field, const std::vector<std::string>& values,
                       std::size_t max_items, std::size_t max_bytes) {
  if (values.size() > max_items) {
    return Invalid(field, "at most " + std::to_string(max_items) + " items");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (auto ok = CheckRequired(field + "/" + std::to_string(i), values[i], max_bytes); !ok) {
      return ok;
    }
  }
  return {};
}

Result<void> CheckLimit(int limit) {
  if (limit >= 1 && limit <= 10000) return {};
  return Fail(ErrorCode::kInvalidArgument, "limit: expected 1 to 10000");
}

Result<void> CheckDate(const std::string& field, const std::string& value) {
  if (!Date::ParseIso(value))
    return Invalid(field, "expected a date YYYY-MM-DD, got '" + value + "'");
  return {};
}

std::string Today() { return NowTimestamp().substr(0, 10); }

// The marking of a new object: the caller authors it in their organisation;
// by default it is AMBER shared with the committee's members.
Result<model::Marking> MarkingOf(const Caller& caller, const MarkingParams& p,
                                 const std::vector<std::string>& members) {
  model::Marking m;
  m.author = caller.actor;
  m.author_org = caller.principal.org;
  if (!p.tlp.empty()) {
    auto tlp = model::ParseTlp(p.tlp);
    if (!tlp) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "/marking: expected TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED");
    }
    m.tlp = *tlp;
  }
  if (auto ok = CheckList("/distribution/organisations", p.organisations, 100, 200); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = CheckList("/distribution/users", p.users, 100, 200); !ok) return Fail(ok.error());
  m.distribution.organisations = p.organisations;
  m.distribution.users = p.users;
  m.distribution.trust_group = p.trust_group;
  const bool amber = m.tlp == model::Tlp::kAmber || m.tlp == model::Tlp::kAmberStrict;
  if (amber && p.organisations.empty()) {
    for (const auto& org : members) {
      if (org != m.author_org) m.distribution.organisations.push_back(org);
    }
  }
  return m;
}

// Writes need a signed-in principal whose role may manage committees: a role
// without it is refused outright (403), before anything is looked up.
Result<void> RequireWriter(const Caller& caller) {
  if (caller.principal.username.empty()) {
    return Fail(ErrorCode::kPermissionDenied,
                "not allowed: committee records have an author (sign in, or set $CORRIDOR_TOKEN)");
  }
  return Require(caller, auth::Action::kManageCommittee);
}

Result<void> RequireReader(const Caller& caller) {
  if (caller.viewer.system) return {};
  return Require(caller, auth::Action::kReadCommittee);
}

Result<void> AuditWrite(const Context& ctx, const Caller& caller, const std::string& kind,
                        const std::string& id, const model::Marking& m, json detail) {
  detail["kind"] = kind;
  detail["marking"] = model::TlpName(m.tlp);
  detail["via"] = caller.via;
  return Audit(ctx, caller, "committee-write", {id}, detail.dump());
}

json MarkingToJson(const model::Marking& m) {
  return {{"marking", model::TlpName(m.tlp)},
          {"distribution", model::ToJson(m.distribution)},
          {"author", m.author},
          {"author_org", m.author_org}};
}

Result<void> CheckNoPersonalData(const std::string& field, const std::string& text) {
  if (auto hit = FindPersonalIdentifier(text)) {
    return Invalid(field, "looks like personal data (" +
                              std::string(PersonalIdentifierName(hit->kind)) +
                              "); Corridor records requests by reference only, never a person");
  }
  return {};
}

// A signed-in principal of a member organisation with `action`, on `object`.
Result<void> RequireMember(const Caller& caller, auth::Action action,
                           const store::Committee& committee, const model::Marking* object) {
  if (!Contains(committee.members, caller.principal.org)) {
    return Fail(ErrorCode::kNotFound, "no committee " + committee.name);
  }
  if (auto d = auth::Decide(caller.principal, action, object); !d) {
    // The object exists for members but this marking hides it from the caller.
    return Fail(ErrorCode::kNotFound, "not found");
  }
  return {};
}

// Whether the caller reads `object` of `committee` (the list filter).
bool Reads(const Caller& caller, const store::Committee& committee, const model::Marking& object) {
  if (caller.viewer.system) return true;
  if (!Contains(committee.members, caller.principal.org)) return false;
  return static_cast<bool>(
             auth::Decide(caller.principal, auth::Action::kReadCommittee, &committee.marking)) &&
         static_cast<bool>(auth::Decide(caller.principal, auth::Action::kReadCommittee, &object));
}

// Finds the committee by name or id, as the caller may see it.
Result<store::Committee> CommitteeFor(store::Transaction& tx, store::CommitteeStore& s,
                                      const Caller& caller, const std::string& name_or_id,
                                      auth::Action action) {
  if (name_or_id.empty()) return Fail(ErrorCode::kInvalidArgument, "/committee: required");
  auto c = s.FindCommittee(tx, name_or_id);
  if (!c) return Fail(c.error());
  if (!*c) {
    c = s.GetCommittee(tx, name_or_id);
    if (!c) return Fail(c.error());
  }
  if (!*c) return Fail(ErrorCode::kNotFound, "/committee: no committee " + name_or_id);
  if (caller.viewer.system && action == auth::Action::kReadCommittee) return **c;
  if (auto ok = RequireMember(caller, action, **c, &(*c)->marking); !ok) {
    return Fail(ErrorCode::kNotFound, "/committee: no committee " + name_or_id);
  }
  return **c;
}

}  // namespace corridor::service::workspace
