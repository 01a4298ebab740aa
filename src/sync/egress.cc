#include "corridor/sync/egress.h"

#include <algorithm>
#include <map>

#include "corridor/auth/policy.h"

namespace corridor::sync {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

EgressDecision No(std::string reason) { return {false, std::move(reason)}; }

}  // namespace

EgressDecision DecideEgress(const model::Incident& incident,
                            const std::optional<store::ReceivedRecord>& received,
                            const Recipient& recipient) {
  if (!incident.licence.redistribution) {
    return No("the licence of " +
              (incident.provenance.dataset.empty() ? std::string("its dataset")
                                                   : incident.provenance.dataset) +
              " (" + incident.licence.id + ") forbids redistribution");
  }
  if (incident.revoked) return No("revoked (past recipients get a tombstone)");
  if (!Has(recipient.trust_groups, recipient.root_group)) {
    return No(recipient.org + " is not in trust group " + recipient.root_group);
  }
  if (received && received->org == recipient.org) {
    return No("received from " + recipient.org + " (never sent back)");
  }
  const auto allowed = auth::MaySend(incident.marking, recipient.org, recipient.trust_groups,
                                     received.has_value(), incident.licence.redistribution);
  if (!allowed) return No(allowed.reason);
  if (incident.marking.tlp == model::Tlp::kGreen) {
    if (incident.marking.distribution.trust_group != recipient.root_group) {
      return No("TLP:GREEN of trust group " + incident.marking.distribution.trust_group +
                " is shared only through that group's API root");
    }
    if (received && received->trust_group != recipient.root_group) {
      return No("TLP:GREEN received in trust group " + received->trust_group +
                " stays in that group");
    }
  }
  std::string reason = allowed.reason;
  if (received) reason += "; received from " + received->org + ", passed on as its marking allows";
  return {true, reason};
}

Result<std::vector<PreviewRow>> PreviewEgress(const store::Store& store,
                                              const model::Incident& incident,
                                              const std::vector<std::string>& api_roots) {
  auto orgs = store.ListOrganisations();
  if (!orgs) return Fail(orgs.error());
  auto partners = store.ListPartners();
  if (!partners) return Fail(partners.error());
  std::map<std::string, std::vector<std::string>> groups;  // org -> trust groups
  for (const auto& o : *orgs) {
    if (!o.own) groups[o.name] = o.trust_groups;
  }
  for (const auto& p : *partners) {
    auto& g = groups[p.org];
    if (!Has(g, p.trust_group)) g.push_back(p.trust_group);
  }
  const Uuid ids[] = {incident.id};
  auto received = store.GetReceived(ids);
  if (!received) return Fail(received.error());
  std::optional<store::ReceivedRecord> rec;
  if (!received->empty()) rec = received->front();
  std::vector<PreviewRow> out;
  for (const auto& [org, trust_groups] : groups) {
    auto held = store.HeldBy(org, ids);
    if (!held) return Fail(held.error());
    bool any_root = false;
    for (const auto& root : api_roots) {
      if (!Has(trust_groups, root)) continue;
      any_root = true;
      const EgressDecision d = DecideEgress(incident, rec, {org, trust_groups, root});
      out.push_back({org, root, d.send, !d.send && !held->empty(), d.reason});
    }
    if (!any_root) {
      out.push_back(
          {org, "", false, !held->empty(), org + " is in none of this instance's API roots"});
    }
  }
  return out;
}

}  // namespace corridor::sync
