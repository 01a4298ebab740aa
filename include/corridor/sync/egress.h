// Originator control at egress (issue 6 point 5, docs/sync_protocol.md): the
// sender decides, for each object and each recipient, whether the object may
// leave. Pure: no I/O. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/assessment.h"
#include "corridor/model/incident.h"
#include "corridor/store/store.h"

namespace corridor::sync {

// Who would receive an object: a partner organisation, through one API root
// (= one trust group) of this instance.
struct Recipient {
  std::string org;
  std::vector<std::string> trust_groups;  // the organisation's trust groups here
  std::string root_group;                 // the API root (trust group) it reads through
};

struct EgressDecision {
  bool send = false;
  std::string reason;  // one clause, for the preview, the audit and logs
};

// In order: the dataset's licence (GTD, ACLED never leave); revoked objects
// never (the ledger sends tombstones instead); nothing back to the
// organisation it came from; auth::MaySend (RED never; AMBER and AMBER+STRICT
// only to a named organisation and never when received from a partner; GREEN
// only to a member of its trust group); GREEN only through the API root of its
// own trust group, and a received GREEN only inside the trust group it arrived
// in; the recipient must be a member of the root's trust group.
// `received` is the object's received-from record (nullopt: this instance
// originated it).
EgressDecision DecideEgress(const model::Incident& incident,
                            const std::optional<store::ReceivedRecord>& received,
                            const Recipient& recipient);
// The same rules for an assessment (no dataset licence: it is the
// instance's own writing, or a partner's).
EgressDecision DecideEgress(const model::Assessment& assessment,
                            const std::optional<store::ReceivedRecord>& received,
                            const Recipient& recipient);

// One line of "who would receive this, and why" (`corridor sync preview`,
// GET /api/v1/sync/preview/{id}).
struct PreviewRow {
  std::string org;
  std::string api_root;
  bool send = false;
  bool tombstone = false;  // not sent, but the organisation holds a copy: it gets a tombstone
  std::string reason;
};

// For every partner organisation (the organisations that are not this
// instance's own, and the organisations of configured partners) and every API
// root in `api_roots` among its trust groups, DecideEgress on `incident`.
// Reads the organisations, partners, received-from record and ledger.
Result<std::vector<PreviewRow>> PreviewEgress(const store::Store& store,
                                              const model::Incident& incident,
                                              const std::vector<std::string>& api_roots);
Result<std::vector<PreviewRow>> PreviewEgress(const store::Store& store,
                                              const model::Assessment& assessment,
                                              const std::vector<std::string>& api_roots);

}  // namespace corridor::sync
