// The receiving side of partner sync (issue 6 point 4, docs/sync_protocol.md):
// objects read from a partner's TAXII collection (pulled by `corridor sync
// run` and `serve --sync-every`, or POSTed to this instance's collection) are
// checked, audited and applied; a pull resumes from the partner's last
// committed cursor.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/auth/audit_log.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/net/http_client.h"
#include "corridor/stix/signature.h"
#include "corridor/store/store.h"

namespace corridor::sync {

// Where a batch of objects came from.
struct Origin {
  std::string partner;      // store::Partner::name, or "post:<org>" for a TAXII POST
  std::string org;          // the sending organisation
  std::string trust_group;  // the trust group (API root) it arrived through
  std::string actor;        // the audit actor ("sync:<partner>" or the token's user)
};

struct ObjectFailure {
  std::string id;           // STIX id when readable, else ""
  std::string version;      // its modified, when readable
  std::string message;      // names the JSON pointer
  std::string sha256 = {};  // of the refused object ("" for a consequence of another failure)
};

struct ReceiveResult {
  std::vector<std::pair<std::string, std::string>> successes;  // (STIX id, modified)
  std::vector<ObjectFailure> failures;
  std::int64_t applied = 0;     // inserted or updated here
  std::int64_t stale = 0;       // a version not newer than the one held, or our own object
  std::int64_t tombstones = 0;  // copies removed
  // Accepted objects whose undeclared properties were removed: (STIX id,
  // JSON pointers inside the object).
  std::vector<std::pair<std::string, std::vector<std::string>>> dropped;
};

// The public keys of every configured partner: its pinned key
// (store::Partner::public_key), or the key file accepted from it
// (store::Partner::keys_json: the pinned key and the rotated keys that chain
// to it). What received objects' signatures are checked against.
Result<stix::PublicKeys> PinnedKeys(const store::Store& store);

// Fetches `partner`'s public key file (GET <base>/taxii2/corridor/keys/ with
// `get`'s token and TLS settings) and stores the keys that chain to the pinned
// key by rotation statements, with their retired and compromise marks;
// audited ("sync-keys") when they change. Returns the ids of keys that chain
// to nothing (ignored). A partner that publishes no key file (404) changes
// nothing. kPermissionDenied when a rotation statement does not verify.
Result<std::vector<std::string>> RefreshPartnerKeys(store::Store& store, auth::AuditLog& audit,
                                                    const store::Partner& partner,
                                                    const net::GetOptions& get);

// Checks each object of `objects` (a JSON array) by the ingress rule (see
// sync::DecodePage and stix/ingress.h), refuses changes the originator rule
// forbids (stix::MayChange: this organisation's records and public-dataset
// records imported here are never changed from outside; a record received
// from outside only by its originator), skips stale versions, audits the receipt ("sync-receive",
// one entry listing the object ids, before anything is written), and applies
// the rest with the cursor in one transaction (store::ApplyPartnerPage;
// `cursor` may be null for a POST, which moves no cursor). A bad object is a
// failure with its reason, audited ("sync-reject"), and never stops the others.
Result<ReceiveResult> ReceiveObjects(store::Store& store, auth::AuditLog& audit,
                                     const Origin& origin, const nlohmann::json& objects,
                                     const stix::PublicKeys& known,
                                     const store::PartnerPage* cursor);

struct SyncOptions {
  int page_limit = 500;  // objects per TAXII page (1..1000)
  // A run without a stored `next` token asks for objects added after the
  // cursor minus this overlap, so a version committed late with an earlier
  // date_added is not skipped; what it fetches again is stale and skipped.
  std::chrono::seconds overlap{60};
  std::string ca_cert_path;  // PEM bundle for the partner's TLS certificate
  bool verify_tls = true;
  // Tests: sleep this long after reading each page but the first, before
  // applying it (a window in which to kill the process mid-page).
  std::chrono::milliseconds pause_before_apply{0};
};

struct SyncReport {
  std::string partner;
  std::int64_t pages = 0;
  std::int64_t objects = 0;
  std::int64_t applied = 0;
  std::int64_t stale = 0;
  std::int64_t tombstones = 0;
  std::int64_t rejected = 0;
  std::int64_t bytes = 0;
};

// Pulls `partner_name`'s collection from its cursor until the server has no
// more, one transaction per page. kUnavailable names the URL on transport
// errors and HTTP failures (with the TAXII error's title).
Result<SyncReport> SyncPartner(store::Store& store, auth::AuditLog& audit,
                               const auth::InstanceKeys& keys, const std::string& partner_name,
                               const SyncOptions& options = {});

// What one partner instance answered to a push.
struct PushReport {
  std::string partner;
  std::string url;
  std::int64_t successes = 0;
  std::int64_t failures = 0;
  nlohmann::json failed = nlohmann::json::array();  // [{"id", "message"}] as the partner said
};

// Sends `objects` (a JSON array of signed STIX objects) to every configured
// partner instance of organisation `org`, by TAXII 2.1 POST to its collection
// (docs/sync_protocol.md) with the partner's sealed token, never following a
// redirect. The receiving instance applies them as it applies a pull
// (ReceiveObjects). Audited as `actor` ("sync-push", one entry per partner,
// listing the object ids). kNotFound when no partner of `org` is configured; kUnavailable
// naming the URL when one cannot be reached or answers other than 202.
Result<std::vector<PushReport>> PushToOrganisation(store::Store& store, auth::AuditLog& audit,
                                                   const auth::InstanceKeys& keys,
                                                   const std::string& actor, const std::string& org,
                                                   const nlohmann::json& objects,
                                                   const SyncOptions& options = {});

}  // namespace corridor::sync
