// The ingress rule (issue 12 #2 #3 #4 #5 #12; docs/security.md "Ingress"):
// one place that decides what a STIX object arriving from outside may do.
// Every path calls it: `corridor ingest --format stix` (ImportBundle), a TAXII
// POST and the sync client (sync::DecodePage and sync::ReceiveObjects).
//
// ScreenObject, per object, in this order:
//   1. size: no string longer than kMaxTextBytes, at most kMaxObjectBytes in
//      all, nesting at most kMaxDepth ("oversized");
//   2. signature: verified against the known keys; the ORIGINATOR is the
//      organisation that owns the verifying key, never what the object says
//      ("signature" when it does not verify or the key has no owner);
//   3. claimed author: `created_by_ref` (when present) must be the
//      originator's identity and the Corridor extension's `author_org` (when
//      non-empty) the originator ("spoofed");
//   4. clock: `created` and `modified` at most kMaxClockSkew after now
//      ("future");
//   5. type: only incident, location, relationship, sighting, report,
//      grouping and note (a committee's objects) and identity (of class
//      organization or system) are taken ("unsupported");
//      allow-list: only the properties STIX 2.1 defines for the type, and the
//      documented Corridor extension properties, are kept; everything else is
//      removed from the object in place and named (JSON pointers) in
//      `dropped`, so nothing undeclared is ever stored;
//   6. personal identifiers (corridor/common/personal_data.h) in any free
//      text left: refused ("personal-data").
// MayChange, per record: who may create or change a record held here.
//
// A refused object is reported as a pointer, a kind, a reason and the SHA-256
// of its JSON text (Fingerprint) — never its content.
//
// Thread-safe: ScreenObject is pure; MayChange reads the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/common/uuid.h"
#include "corridor/stix/signature.h"
#include "corridor/store/store.h"

namespace corridor::stix {

inline constexpr std::size_t kMaxTextBytes = std::size_t{64} * 1024;      // any one string
inline constexpr std::size_t kMaxObjectBytes = std::size_t{1024} * 1024;  // one object, all in
inline constexpr int kMaxDepth = 16;                                      // nesting of one object
inline constexpr std::chrono::seconds kMaxClockSkew{300};                 // WAVE2 #5: 5 minutes

// The properties accepted for `type` (STIX 2.1 common and type-specific
// properties), or nullptr for a type that is not accepted. Exposed so that a
// test can check the list against the official schemas.
const std::vector<std::string_view>* AllowedProperties(std::string_view type);
// The properties accepted inside the Corridor record extension, by section
// ("" for its top level, "incident", "provenance", "licence", "distribution",
// "assessment", "organisation", "committee"); nullptr for an unknown section.
const std::vector<std::string_view>* AllowedExtensionProperties(std::string_view section);

struct Screening {
  bool admitted = false;
  std::string kind;        // when refused: "invalid", "oversized", "signature", "spoofed",
                           // "future", "personal-data"
  std::string reason;      // names the JSON pointer inside the object where there is one
  std::string sha256;      // when refused: Fingerprint of the object as received
  std::string originator;  // when admitted: the organisation owning the verifying key
  std::string key_id;
  std::vector<std::string> dropped;  // JSON pointers removed by the allow-list
};

// Applies steps 1-6 to `object` (a JSON object with a string type and id that
// is not one of the fixed objects), removing what the allow-list does not
// know. `now` is the receiving instance's clock (RFC 3339).
Screening ScreenObject(nlohmann::json& object, const PublicKeys& known, std::string_view now);

// Lower-case hex SHA-256 of `object`'s compact JSON text: what a refusal keeps.
std::string Fingerprint(const nlohmann::json& object);

// Whether `originator` may write record `id` (an incident or an assessment)
// given what this store holds:
//   - nothing held: yes (a create);
//   - held and never received from outside (no received-from record, no
//     imported STIX record): it is ours or a public dataset's record imported
//     here; only our own organisation's key may change it ("protected");
//   - held from outside: only its originator may change it ("conflict").
// Returns nullopt when allowed, else {kind, reason}.
struct Refusal {
  std::string kind;
  std::string reason;
};
Result<std::optional<Refusal>> MayChange(const store::Store& store, std::string_view stix_type,
                                         const Uuid& id, std::string_view originator);

// The organisation this store marks as its own ("" when none).
Result<std::string> OwnOrganisation(const store::Store& store);

}  // namespace corridor::stix
