// Export and import of STIX 2.1 bundles over the store (issue 6, point 2;
// docs/stix.md "Export" and "Import"). The CLI (`corridor export stix`,
// `corridor ingest --format stix`) and later the TAXII routes call these.
//
// Thread safety: as the store's; one import at a time per store keeps the
// upsert-by-modified rule exact.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/filter.h"
#include "corridor/stix/ingress.h"
#include "corridor/stix/mapping.h"
#include "corridor/stix/signature.h"
#include "corridor/store/store.h"

namespace corridor::stix {

// A confirmed link between two records of one event (store/incident_links.h).
struct DuplicateLink {
  Uuid id, counted, kept;
  std::string decided_at;
};

struct BundleExportOptions {
  // Which incidents (revoked ones are included as revoked, and records
  // counted in another source's record of their event too: the bundle shares
  // every record, and `links` says which are one event).
  model::IncidentFilter filter;
  bool assessments = true;  // also every assessment the viewer may see
  ExportContext context;    // the exporting instance's organisation
  // Confirmed links: each whose two records are in the bundle is written as a
  // "duplicate-of" relationship (DuplicateOfToStix) after the incidents.
  std::vector<DuplicateLink> links;
};

struct BundleExportSummary {
  std::int64_t incidents = 0;
  std::int64_t assessments = 0;
  std::int64_t links = 0;               // duplicate-of relationships written
  std::int64_t objects = 0;             // in the bundle, constant objects included
  std::vector<std::string> marked_ids;  // AMBER or stricter records written (for the audit)
};

// Writes one bundle of everything `viewer` may read that matches `options`
// to `out`, every record's objects signed with `key`: the constant objects
// first (Corridor project identity, the two extension definitions, the five
// TLP 2.0 marking definitions), then the instance organisation's identity,
// then incidents (in the store's page order) and assessments. Streams: memory
// does not grow with the number of incidents.
Result<BundleExportSummary> WriteBundle(std::ostream& out, const store::Store& store,
                                        const store::Viewer& viewer,
                                        const BundleExportOptions& options, const SigningKey& key);

// One object an import did not take, with why. Never its content: a refused
// object may carry what must not be kept (WAVE2 #4); its SHA-256 identifies
// it when the partner resends it.
struct ImportRejection {
  std::string pointer;  // "/objects/12"
  std::string id;       // the object's id ("" when it has none)
  std::string type;
  // "invalid", "oversized", "signature", "spoofed", "future", "personal-data",
  // "unsupported", "protected", "conflict" (stix/ingress.h), "not-member" (a
  // committee object whose originator, or this instance's organisation, is
  // not a member of its committee)
  std::string kind;
  std::string reason;  // names the JSON pointer inside the object where there is one
  std::string sha256;  // of the object's compact JSON text (stix::Fingerprint)
};

// Properties the allow-list removed from one accepted object.
struct ImportDropped {
  std::string pointer;  // "/objects/12"
  std::string id;
  std::vector<std::string> pointers;  // inside the object: "/x_phone", "/extensions/…/mobile"
};

// How many rejections are listed one by one (and passed to on_reject); the
// rest are only counted by kind (BundleImportSummary::rejected_by_kind).
inline constexpr std::size_t kMaxListedRejections = 100;

struct BundleImportSummary {
  std::string source;
  std::int64_t objects = 0;
  std::int64_t incidents_inserted = 0, incidents_updated = 0;
  std::int64_t assessments_inserted = 0, assessments_updated = 0;
  // A committee's objects (grouping, notes) written to the committee store,
  // and actions whose status a newer version moved.
  std::int64_t committee_inserted = 0, committee_updated = 0;
  std::int64_t revoked = 0;    // local copies revoked by a revoked object
  std::int64_t unchanged = 0;  // not newer than the version already imported
  std::int64_t recorded = 0;   // identities, locations, relationships, sightings kept as records
  std::int64_t links_proposed = 0;  // a partner's duplicate-of, new here as a candidate link
  std::int64_t constant = 0;        // TLP and Corridor definitions (known, not stored)
  std::int64_t rejected = 0;
  std::vector<ImportRejection> rejections;               // the first kMaxListedRejections
  std::map<std::string, std::int64_t> rejected_by_kind;  // every rejection, by kind
  std::vector<ImportDropped> dropped;  // the first kMaxListedRejections objects with drops
  std::int64_t objects_with_dropped = 0;
  std::vector<std::string> accepted_ids;  // every object id written or recorded
};

struct BundleImportOptions {
  std::string source;  // where the bundle came from ("file:x.json", a partner name)
  // Whose signatures are accepted (REQUIRED); each key's owner
  // (PublicKeys::OwnerOf) is the originator of what it signs.
  const PublicKeys* known = nullptr;
  std::string now;  // RFC 3339: the time recorded as received, and the clock
  // Called for each of the first kMaxListedRejections rejected objects before
  // the import goes on; a failure (e.g. the audit log is unavailable) stops
  // the import with that error.
  std::function<Result<void>(const ImportRejection&)> on_reject;
};

// Imports a bundle. Every object goes through the ingress rule
// (stix/ingress.h: size caps, signature and originator, claimed author,
// clock, property allow-list, personal identifiers), then is mapped and
// upserted by id and `modified`: a newer `modified` than the version last
// imported wins, the same or an older one changes nothing, a revoked object
// revokes the local copy. Only the originator may change a record received
// from outside; records of this organisation and public-dataset records
// imported here are never changed by another organisation's key
// (stix::MayChange). Rejections never stop the import. kInvalidArgument
// (naming the pointer) when `bundle` is not a bundle; store errors stop it
// (what was written stays, and importing again is safe).
Result<BundleImportSummary> ImportBundle(store::Store& store, const nlohmann::json& bundle,
                                         const BundleImportOptions& options);

// The same, reading the bundle from `in` object by object: a refused object
// is dropped as soon as it is read, so memory grows only with what is
// accepted (each accepted object is at most kMaxObjectBytes). kInvalidArgument
// names the byte offset when `in` is not JSON.
Result<BundleImportSummary> ImportBundleStream(store::Store& store, std::istream& in,
                                               const BundleImportOptions& options);

// What one committee object did to the committee store: inserted, moved an
// action's status (updated), neither (held already, not newer), or was refused.
struct CommitteeApplied {
  bool inserted = false;
  bool updated = false;
  std::optional<Refusal> refusal;  // {"invalid" | "not-member" | "conflict" | "marking", reason}
  // Applied, but part of it waits for an object not held yet (an exercise's
  // lesson whose action has not arrived): a file import keeps no record of
  // it, so the same version is applied again when it comes back.
  bool incomplete = false;
};
// Writes `object` (IsCommitteeObject, admitted by ScreenObject, which gave
// `originator` from its signature) to the committee store in one
// transaction. The rules, for every path that receives one (a file import,
// a TAXII POST, a pull):
//   - the originator must be a member of the object's committee, and so must
//     this instance's organisation `own_org` ("not-member");
//   - a meeting, decision or action needs its committee held here (its
//     grouping comes first in a bundle), a decision its meeting and an action
//     its decision when it names one, and an action's owner must be a member
//     ("invalid");
//   - what is held already changes only by its originator ("conflict"), and
//     only an action and an exercise change: a newer action's `modified`
//     moves its status, an exercise takes its report and new lessons;
//   - the marking's author_org is the originator, never what the object says;
//     its author and an action's owning account are empty (account names
//     never travel);
//   - a progress note needs its action held here in its committee, comes from
//     the action's owner or the organisation that assigned it ("conflict"
//     otherwise), may be no stricter than the action as held here (it is
//     shown under the action's marking: "marking"), is kept once by its id,
//     and moves the action's status when it sets one and is newer than the
//     action's last change;
//   - an exercise's participants and a team's members must be members of the
//     committee ("invalid"); a team never changes once held; an exercise
//     held from its originator takes its report once (the findings are never
//     rewritten) and the lessons it does not hold yet whose action is held
//     here and is the one the lesson became (same committee, the originator's,
//     titled as the lesson, `exercise:<id>` in its evidence, no stricter than
//     the exercise; "conflict" otherwise, before anything is written); a
//     lesson whose action is not held yet makes the result `incomplete`;
//   - a judicial part (stix::JudicialPart) comes from one party to the other
//     ("not-member"), under the id bound to its sender and with only moves
//     its sender's state makes ("conflict"); the request is created when not
//     held, and each move not held yet is applied by compare-and-set (a
//     withdrawal from whatever open state is held).
// Store failures are errors; nothing is half written.
Result<CommitteeApplied> ApplyCommitteeObject(store::Store& store, const nlohmann::json& object,
                                              const std::string& originator,
                                              const std::string& own_org);

}  // namespace corridor::stix
