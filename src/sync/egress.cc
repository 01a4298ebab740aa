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

// What an egress decision looks at, for incidents and assessments alike.
struct Subject {
  const model::Marking& marking;
  bool revoked = false;
};

EgressDecision Decide(const Subject& subject, const std::optional<store::ReceivedRecord>& received,
                      const Recipient& recipient);

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
  return Decide({incident.marking, incident.revoked}, received, recipient);
}

EgressDecision DecideEgress(const model::Assessment& assessment,
                            const std::optional<store::ReceivedRecord>& received,
                            const Recipient& recipient) {
  return Decide({assessment.marking, assessment.revoked}, received, recipient);
}

namespace {

EgressDecision Decide(const Subject& subject, const std::optional<store::ReceivedRecord>& received,
                      const Recipient& recipient) {
  const model::Marking& marking = subject.marking;
  if (subject.revoked) return No("revoked (past recipients get a tombstone)");
  if (!Has(recipient.trust_groups, recipient.root_group)) {
    return No(recipient.org + " is not in trust group " + recipient.root_group);
  }
  if (received && received->org == recipient.org) {
    return No("received from " + recipient.org + " (never sent back)");
  }
  const auto allowed = auth::MaySend(marking, recipient.org, recipient.trust_groups,
                                     received.has_value(), /*redistributable=*/true);
  if (!allowed) return No(allowed.reason);
  if (marking.tlp == model::Tlp::kGreen) {
    if (marking.distribution.trust_group != recipient.root_group) {
      return No("TLP:GREEN of trust group " + marking.distribution.trust_group +
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

}  // namespace

namespace {

template <typename Object>
Result<std::vector<PreviewRow>> Preview(const store::Store& store, const Object& object,
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
  const Uuid ids[] = {object.id};
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
      const EgressDecision d = DecideEgress(object, rec, {org, trust_groups, root});
      out.push_back({org, root, d.send, !d.send && !held->empty(), d.reason});
    }
    if (!any_root) {
      out.push_back(
          {org, "", false, !held->empty(), org + " is in none of this instance's API roots"});
    }
  }
  return out;
}

}  // namespace

Result<std::vector<PreviewRow>> PreviewEgress(const store::Store& store,
                                              const model::Incident& incident,
                                              const std::vector<std::string>& api_roots) {
  return Preview(store, incident, api_roots);
}

Result<std::vector<PreviewRow>> PreviewEgress(const store::Store& store,
                                              const model::Assessment& assessment,
                                              const std::vector<std::string>& api_roots) {
  return Preview(store, assessment, api_roots);
}

}  // namespace corridor::sync
