// The incident store: the only place that writes SQL (DESIGN.md). One
// interface, one conformance suite (tests/store/store_conformance.h), one
// implementation per backend: SQLite (embedded default) now, PostgreSQL next.
//
// Thread safety: a Store may be used from many threads; writes are serialised
// inside the implementation, reads see a consistent snapshot.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/area.h"
#include "corridor/model/assessment.h"
#include "corridor/model/filter.h"
#include "corridor/model/incident.h"
#include "corridor/model/security.h"
#include "corridor/store/database.h"
#include "corridor/store/viewer.h"

namespace corridor::store {

// What an upsert did to each incident it was given.
struct UpsertSummary {
  std::int64_t inserted = 0;
  std::int64_t updated = 0;    // content changed: modified bumped, version + 1
  std::int64_t unchanged = 0;  // same content: nothing written
};

// What ReplaceSites did.
struct ReplaceSitesSummary {
  UpsertSummary upserted;
  std::int64_t retired = 0;              // current sites of the dataset no longer in it
  std::int64_t superseded = 0;           // of those, the ones a new site took over
  std::int64_t subscriptions_moved = 0;  // to the site that took over (a user's two merge)
};

// The order of a page of incidents. Every order ends with id, so it is
// total. Deaths are the best estimate; an incident without a figure comes
// after every figure in both directions, and ties are newest first.
enum class IncidentOrder {
  kNewest,        // "date_desc": date_start descending (the default)
  kOldest,        // "date_asc"
  kMostDeaths,    // "deaths_desc"
  kFewestDeaths,  // "deaths_asc"
};
std::string_view IncidentOrderName(IncidentOrder order);
std::optional<IncidentOrder> ParseIncidentOrder(std::string_view name);
inline constexpr std::string_view kIncidentOrderNames[] = {"date_desc", "date_asc", "deaths_desc",
                                                           "deaths_asc"};

// A page request: `cursor` is the opaque string a previous page returned.
// The cursor is a position in `order`, so a page sequence never repeats or
// skips an incident that existed when it started, even while others are
// added. A cursor from a page in another order is kInvalidArgument.
struct PageRequest {
  int limit = 100;  // 1..100000 (each API route sets its own, smaller, maximum)
  std::string cursor;
  IncidentOrder order = IncidentOrder::kNewest;
};

struct IncidentPage {
  std::vector<model::Incident> items;
  std::string next_cursor;  // "" when this is the last page
};

enum class GroupBy { kAdmin1, kAdmin2, kYear, kMonth, kCategory, kDataset };
std::optional<GroupBy> ParseGroupBy(std::string_view name);  // "admin1", "admin2", "year", ...

struct KeyCount {
  std::string key;  // P-code, "2019", "2019-07", category name ("" = unassigned)
  std::int64_t count = 0;
  friend bool operator==(const KeyCount&, const KeyCount&) = default;
};

// Incidents of one category in one cell of a regular latitude/longitude grid
// (Store::AggregateIncidents): the web map's view at low zoom.
struct GridCategoryCount {
  std::int32_t row = 0;  // floor((lat + 90) / cell_deg)
  std::int32_t col = 0;  // floor((lon + 180) / cell_deg)
  std::string category;
  std::int64_t count = 0;
  std::int64_t killed = 0;  // sum of best estimates (unknown counts as 0)
  double mean_lat = 0;      // centre of mass of the incidents
  double mean_lon = 0;
};

// Incidents and deaths in one month (Store::MonthlyTotals).
struct MonthTotal {
  std::string month;  // "2019-07", by date_start
  std::int64_t count = 0;
  std::int64_t killed = 0;
};

// The admin assignment of one incident (see geo::AreaIndex).
struct Assignment {
  Uuid id;
  std::string admin1;
  std::string admin2;
  model::AssignMethod method = model::AssignMethod::kNone;
};

// One run of an import, recorded for provenance and for `corridor stats`.
struct ImportRun {
  std::string dataset;
  std::string file;
  std::string sha256;
  std::int64_t rows = 0;
  std::int64_t inserted = 0, updated = 0, unchanged = 0, rejected = 0;
  std::string started, finished;  // RFC 3339
};

// A request to loosen an object's marking, waiting for a second user of the
// author's organisation (docs/security.md, "Two-person rule").
struct MarkingRequest {
  std::string id;
  Uuid object;
  model::Marking from;
  model::Marking to;
  std::string requester;
  std::string requested;  // RFC 3339
  std::string status;     // "pending", "approved", "rejected", "cancelled"
  std::string approver;
  std::string decided;
};

// What deciding a marking request did.
struct MarkingDecision {
  std::string status;                  // "approved", "rejected" or "cancelled" (the marking moved)
  model::Marking current;              // the object's marking after the decision
  std::vector<std::string> cancelled;  // other pending requests on the object, now cancelled
};

// Which audit entries to list; empty fields match everything.
struct AuditQuery {
  std::string actor;
  std::string object;
  std::string action;
  std::string since;             // RFC 3339, inclusive
  std::string until;             // RFC 3339, exclusive
  std::int64_t limit = 0;        // 0 = no limit
  bool newest_first = false;     // descending seq: with limit 1, the head of the chain
  std::int64_t after_seq = 0;    // only entries with a larger seq (batches in seq order)
  std::int64_t through_seq = 0;  // when > 0, only entries up to this seq
};

// One page of a list kept in the order of its key: the rows after the key
// `after` ("" from the first row), at most `limit` (0: all of them).
struct KeyPage {
  std::string after;
  std::int64_t limit = 0;
};

struct TokenQuery {
  std::string username;  // "" any account
  std::string after;     // a token id: the page starts after it
  std::int64_t limit = 0;
};

// A site-security user's subscription to alerts about one site
// (docs/security.md, "Alerts").
struct Subscription {
  std::string username;
  Uuid site;
  double radius_m = 0;    // alert radius around the site's footprint
  std::string created;    // RFC 3339
  std::string site_name;  // filled by ListSubscriptions
  friend bool operator==(const Subscription&, const Subscription&) = default;
};

// One alert: an incident that was added within a subscription's radius.
struct Alert {
  std::int64_t id = 0;
  std::string username;
  Uuid site;
  std::string site_name;
  Uuid incident;
  double distance_m = 0;  // geodesic, to the nearest point of the site's footprint
  std::string created;    // RFC 3339: the commit that added the incident
  std::string read;       // RFC 3339, "" while unread
};

// The version of one STIX object this instance imported (issue 6): the
// import keeps an object only when its `modified` is newer than this.
struct StixRecord {
  std::string id;  // "incident--<uuid>", "report--<uuid>", ...
  std::string type;
  std::string modified;  // the object's own `modified` (RFC 3339)
  bool revoked = false;
  std::string originator;  // created_by_ref ("" when absent)
  std::string key_id;      // the key that signed it
  std::string source;      // where it came from: a file name, a partner
  std::string received;    // RFC 3339, when it was imported
  friend bool operator==(const StixRecord&, const StixRecord&) = default;
};

// ---- partner sync (issue 6, docs/sync_protocol.md)

// A partner instance this instance pulls from over TAXII 2.1.
struct Partner {
  std::string name;          // local name, unique ("pk-nacta")
  std::string org;           // the partner's organisation (its objects' author_org)
  std::string base_url;      // "https://partner.example:8443" (the TAXII server's origin)
  std::string api_root;      // API root name on the partner ("bilateral")
  std::string collection;    // collection id on the partner
  std::string token_sealed;  // our bearer token at the partner, sealed with the instance box key
  std::string public_key;    // the partner's pinned Ed25519 public key, hex
  std::string trust_group;   // the trust group this exchange belongs to
  // Where the last committed page ended: the date_added of its last object and
  // the server's `next` token for the page after it ("" when the run ended).
  std::string cursor_added;
  std::string cursor_next;
  std::string last_sync;  // RFC 3339 of the last completed run ("" = never)
  std::string created;
  // The partner's public key file as last fetched and accepted
  // (corridor-public-keys-1: its keys that chain to the pinned one by
  // rotation signatures, with their compromise marks); "" = the pinned key only.
  std::string keys_json;
  friend bool operator==(const Partner&, const Partner&) = default;
};

// Which partner an object came from (the received-from table).
struct ReceivedRecord {
  Uuid object;
  std::string partner;          // Partner::name
  std::string org;              // the partner's organisation
  std::string trust_group;      // the trust group it arrived in
  std::string remote_modified;  // the STIX `modified` of the copy held
  std::string object_json;      // the object as received (forwarded unchanged, with its signature)
  std::string received;         // RFC 3339
};

// One object version sent to one recipient organisation (the sent-to ledger).
struct SentRecord {
  Uuid object;
  std::string org;       // recipient organisation
  std::string modified;  // the version sent (the local modified)
  bool tombstone = false;
  std::string sent;  // RFC 3339
};

// One page pulled from a partner, applied in one transaction with its cursor.
struct PartnerPage {
  std::string partner;
  // Objects to upsert (content as received; `marking` is written too, so a
  // tightening by the originator applies). A tombstone arrives as the held
  // incident with revoked = true and its content removed.
  std::vector<model::Incident> incidents;
  std::vector<ReceivedRecord> received;  // one per incident, same order
  // Assessments to put (a tombstone arrives as the held assessment with
  // revoked = true and its title and body removed), with their records.
  std::vector<model::Assessment> assessments;
  std::vector<ReceivedRecord> assessments_received;  // one per assessment, same order
  std::string cursor_added;
  std::string cursor_next;
  bool finished = false;    // the last page of a run: sets last_sync
  bool move_cursor = true;  // false for objects POSTed to this instance (no cursor)
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- incidents
  // Inserts or updates `incidents` in one transaction (all or nothing). An
  // incident whose ContentDigest equals the stored one is left alone; a
  // changed one keeps `created`, gets `modified` = now and version + 1.
  virtual Result<UpsertSummary> UpsertIncidents(std::span<const model::Incident> incidents) = 0;
  // In the same transaction, every newly inserted, non-revoked incident with a
  // point is matched against the subscriptions of enabled users: an Alert is
  // recorded for each subscription whose site footprint lies within its
  // radius of the incident (geodesic, geo::Footprint), whatever the incident's
  // marking; ListAlerts shows each user only those they may see.
  //
  // Each incident's `marking` is stored on insert only: a re-import never
  // changes a marking (SetMarking does).
  //
  // Reads see only what `viewer` may see (see Viewer).
  // kNotFound when no incident has `id` or the viewer may not see it.
  virtual Result<model::Incident> GetIncident(const Viewer& viewer, const Uuid& id) const = 0;
  // kInvalidArgument for a malformed cursor or limit out of range.
  virtual Result<IncidentPage> QueryIncidents(const Viewer& viewer,
                                              const model::IncidentFilter& filter,
                                              const PageRequest& page) const = 0;
  virtual Result<std::int64_t> CountIncidents(const Viewer& viewer,
                                              const model::IncidentFilter& filter) const = 0;
  // Counts per key, ordered by key ascending.
  virtual Result<std::vector<KeyCount>> CountIncidentsBy(const Viewer& viewer,
                                                         const model::IncidentFilter& filter,
                                                         GroupBy by) const = 0;
  // Per grid cell and category, the incidents with a point that match `filter`
  // (which must not use `near`), ordered by row, col, category. kInvalidArgument
  // when cell_deg is not in [0.01, 10] or `near` is set.
  virtual Result<std::vector<GridCategoryCount>> AggregateIncidents(
      const Viewer& viewer, const model::IncidentFilter& filter, double cell_deg) const = 0;
  // Incidents and deaths per month of date_start, ascending; `near` refused.
  virtual Result<std::vector<MonthTotal>> MonthlyTotals(
      const Viewer& viewer, const model::IncidentFilter& filter) const = 0;
  // Calls `fn` for every matching incident in page order, streaming (no full
  // result in memory). Stops early, returning Ok, when `fn` returns false.
  virtual Result<void> ForEachIncident(
      const Viewer& viewer, const model::IncidentFilter& filter,
      const std::function<bool(const model::Incident&)>& fn) const = 0;
  // Replaces the marking of incident `id` (bumping modified and version) and,
  // in the same transaction, cancels every pending marking request on it: a
  // request's `from` no longer holds once the marking changed. Returns the ids
  // of the cancelled requests (the caller audits them). kNotFound when there
  // is no such incident. The caller has decided it may, on the marking it
  // read: a compare-and-set, kConflict (nothing written) when the stored
  // marking is no longer `expected`, so a decision taken on a marking that
  // moved meanwhile (e.g. a "tightening" of an object since made RED) never applies.
  virtual Result<std::vector<std::string>> SetMarking(const Uuid& id, const model::Marking& marking,
                                                      const model::Marking& expected) = 0;
  // Updates admin1/admin2/method where they differ (bumping modified and
  // version of each changed incident), in one transaction. Returns the number changed.
  // Ids not in the store are ignored (not counted).
  virtual Result<std::int64_t> UpdateAssignments(std::span<const Assignment> assignments) = 0;
  // Hints that a large load of incidents follows (a big import). A backend may
  // drop secondary indexes now and rebuild them in EndBulkLoad; queries stay
  // correct in between, only slower. If the process dies before EndBulkLoad,
  // the next OpenStore rebuilds them (unless another process's bulk load is
  // still running). Calls do not nest.
  virtual Result<void> BeginBulkLoad() = 0;
  virtual Result<void> EndBulkLoad() = 0;
  // The number of incidents, revoked included (cheap; for load planning).
  virtual Result<std::int64_t> IncidentCount() const = 0;

  // The latest date_end of the incidents `viewer` may read (revoked ones
  // excluded), or nullopt when there is none: a report the viewer may not read
  // must not move the "data through" date they are shown (issue 12 #7).
  virtual Result<std::optional<Date>> LatestIncidentDate(const Viewer& viewer) const = 0;

  // ---- areas
  // Replaces every area of `level` with `areas` in one transaction.
  virtual Result<void> ReplaceAreas(int level, std::span<const model::Area> areas) = 0;
  // Areas of `level` (all levels when nullopt), ordered by level then P-code;
  // `with_geometry` false leaves Area::geometry empty.
  virtual Result<std::vector<model::Area>> ListAreas(std::optional<int> level,
                                                     bool with_geometry) const = 0;
  virtual Result<model::Area> GetArea(const std::string& pcode) const = 0;

  // ---- sites
  // A site is current until ReplaceSites retires it. Upserting a retired
  // site makes it current again.
  virtual Result<UpsertSummary> UpsertSites(std::span<const model::Site> sites) = 0;
  // Makes `sites` the current sites of `dataset`, in one transaction: upserts
  // them, then retires every other current site of the dataset. A retired
  // site whose provenance.source_id is a member of a new site (that site's
  // source_id split on ',') is superseded by it, and its subscriptions and
  // alerts move to it (a user's subscriptions to two records of one project
  // merge, keeping the wider radius; a duplicate alert is dropped)
  // (issue 17 item 3: AidData's financing records
  // become the physical projects they paid for). kInvalidArgument naming the
  // site for one of another dataset or an id given twice; nothing is written.
  virtual Result<ReplaceSitesSummary> ReplaceSites(std::string_view dataset,
                                                   std::span<const model::Site> sites) = 0;
  // The current sites, by name then id.
  virtual Result<std::vector<model::Site>> ListSites() const = 0;
  // Any site, current or retired (links from assessments keep resolving).
  virtual Result<model::Site> GetSite(const Uuid& id) const = 0;
  // The site that took over `id`, or nullopt when it is current or was
  // retired without a successor. kNotFound for an unknown id.
  virtual Result<std::optional<Uuid>> SiteSuccessor(const Uuid& id) const = 0;

  // ---- security (docs/security.md)
  // kConflict when the name exists.
  virtual Result<void> AddOrganisation(const model::Organisation& org) = 0;
  virtual Result<std::vector<model::Organisation>> ListOrganisations() const = 0;
  virtual Result<model::Organisation> GetOrganisation(const std::string& name) const = 0;
  // kConflict when the username exists, kNotFound when its organisation does not.
  virtual Result<void> AddUser(const model::User& user) = 0;
  // Compare-and-set: rewrites the roles, password hash, sealed TOTP seed and
  // disabled flag of `user` only when the stored account still has exactly
  // `expected`'s (the state its caller read and decided on), in one write
  // transaction; kConflict when another change came between (a second
  // administrator, a disable), so no decision is applied to a state it was
  // not made on and no concurrent change is lost. The TOTP step is
  // AdvanceTotpStep's alone. kNotFound when absent.
  virtual Result<void> UpdateUser(const model::User& expected, const model::User& user) = 0;
  virtual Result<model::User> GetUser(const std::string& username) const = 0;
  // In username order: the accounts after `page.after` (a username; "" from
  // the first), at most `page.limit` (0: all).
  virtual Result<std::vector<model::User>> ListUsers(const KeyPage& page) const = 0;
  // Sets totp_last_step to `step` only if it is larger than the stored one, so
  // two concurrent sign-ins cannot both use one code. False when it was not larger.
  virtual Result<bool> AdvanceTotpStep(const std::string& username, std::int64_t step) = 0;

  virtual Result<void> AddToken(const model::ApiToken& token) = 0;
  // kNotFound when no token has this digest (revoked ones are returned; check `revoked`).
  virtual Result<model::ApiToken> FindToken(const std::string& digest) const = 0;
  // In (username, created, id) order: the tokens of `q.username` ("" any),
  // after the token whose id is `q.after` ("" from the first; an unknown id
  // is kInvalidArgument), at most `q.limit` (0: all).
  virtual Result<std::vector<model::ApiToken>> ListTokens(const TokenQuery& q) const = 0;
  // kNotFound when no token has `id`; revoking twice keeps the first time.
  virtual Result<void> RevokeToken(const std::string& id, const std::string& when) = 0;

  // Inserts or replaces the session with this digest.
  virtual Result<void> PutSession(const model::Session& session) = 0;
  virtual Result<model::Session> GetSession(const std::string& digest) const = 0;
  virtual Result<void> DeleteSession(const std::string& digest) = 0;
  // Ends every session of `username` (disabling a user, changing a password).
  virtual Result<void> DeleteSessionsOf(const std::string& username) = 0;

  virtual Result<void> AddMarkingRequest(const MarkingRequest& request) = 0;
  virtual Result<MarkingRequest> GetMarkingRequest(const std::string& id) const = 0;
  virtual Result<std::vector<MarkingRequest>> ListMarkingRequests(
      const std::string& status) const = 0;  // "" = all
  // Records the decision in one transaction. An approval is a compare-and-set:
  // it applies `request.to` only when the object's marking is still exactly
  // `request.from`; otherwise the request becomes "cancelled" and nothing else
  // changes. An applied approval cancels the object's other pending requests.
  // kConflict when the request is no longer pending, kNotFound when it or its
  // object does not exist.
  virtual Result<MarkingDecision> DecideMarkingRequest(const std::string& id, bool approve,
                                                       const std::string& approver,
                                                       const std::string& when) = 0;

  // ---- audit (hash-chained; docs/security.md)
  // Appends `entry` in one transaction: sets seq to the last seq + 1 and
  // prev_hash to the last hash (auth::kGenesisHash for the first), then hash =
  // `hash(entry)`. Serialised across threads and processes. Returns the entry
  // as stored. When this fails, the caller's request must fail.
  virtual Result<model::AuditEntry> AppendAudit(
      model::AuditEntry entry, const std::function<std::string(const model::AuditEntry&)>& hash,
      std::string_view genesis_hash) = 0;
  // Entries in stored (seq) order matching `query`.
  virtual Result<std::vector<model::AuditEntry>> ListAudit(const AuditQuery& query) const = 0;
  virtual Result<void> AddCheckpoint(const model::AuditCheckpoint& checkpoint) = 0;
  virtual Result<std::vector<model::AuditCheckpoint>> ListCheckpoints() const = 0;

  // ---- subscriptions and alerts (docs/security.md, "Alerts")
  // Inserts or replaces `s.username`'s subscription to `s.site` (site_name is
  // ignored). kNotFound when the site does not exist or is retired, or the
  // user does not exist; kInvalidArgument when radius_m is not in (0, 500 km].
  virtual Result<void> PutSubscription(const Subscription& s) = 0;
  // kNotFound when there is no such subscription.
  virtual Result<void> DeleteSubscription(const std::string& username, const Uuid& site) = 0;
  // The subscriptions of `username` ("" = everybody's), by username then site name.
  virtual Result<std::vector<Subscription>> ListSubscriptions(
      const std::string& username) const = 0;
  // `username`'s alerts about non-revoked incidents `viewer` may see (the same
  // filter as every incident read), unread first, then newest first, then id
  // descending; at most `limit` (1..1000). `unread_only` drops read ones.
  virtual Result<std::vector<Alert>> ListAlerts(const Viewer& viewer, const std::string& username,
                                                bool unread_only, int limit) const = 0;
  // Marks `username`'s alert `id` read at `when` (a second call keeps the
  // first time). kNotFound when the alert is not theirs or `viewer` may not
  // see its incident (exactly as a missing one).
  virtual Result<Alert> MarkAlertRead(const Viewer& viewer, const std::string& username,
                                      std::int64_t id, const std::string& when) = 0;

  // ---- assessments (issue 6; visibility as for incidents)
  // Inserts `a`, or replaces the stored assessment with its id, exactly as
  // given (the caller sets created, modified and version). kInvalidArgument
  // for a nil id.
  virtual Result<void> PutAssessment(const model::Assessment& a) = 0;
  // kNotFound when there is no such assessment or `viewer` may not see it.
  virtual Result<model::Assessment> GetAssessment(const Viewer& viewer, const Uuid& id) const = 0;
  // What `viewer` may see, revoked ones only when `include_revoked`, newest
  // `modified` first, then id; at most `limit` (1..100000).
  virtual Result<std::vector<model::Assessment>> ListAssessments(const Viewer& viewer, int limit,
                                                                 bool include_revoked) const = 0;

  // ---- STIX objects imported (issue 6)
  // nullopt when no object with `id` was ever imported.
  virtual Result<std::optional<StixRecord>> GetStixRecord(const std::string& id) const = 0;
  // Inserts or replaces the record of `record.id`.
  virtual Result<void> PutStixRecord(const StixRecord& record) = 0;

  // ---- partner sync (issue 6, docs/sync_protocol.md)
  // kConflict when a partner of that name exists.
  virtual Result<void> AddPartner(const Partner& partner) = 0;
  virtual Result<std::vector<Partner>> ListPartners() const = 0;
  // kNotFound when there is none.
  virtual Result<Partner> GetPartner(const std::string& name) const = 0;
  // Replaces Partner::keys_json. kNotFound when there is no such partner.
  virtual Result<void> SetPartnerKeys(const std::string& name, const std::string& keys_json) = 0;
  // Every incident (revoked included, whatever its marking: the caller
  // decides egress) whose (modified, id) is after (after_modified, after_id),
  // in that order, at most `limit`. The change feed the TAXII server pages.
  virtual Result<std::vector<model::Incident>> ListChanged(const std::string& after_modified,
                                                           const std::string& after_id,
                                                           int limit) const = 0;
  // The same feed over assessments (revoked included, whatever their marking).
  virtual Result<std::vector<model::Assessment>> ListChangedAssessments(
      const std::string& after_modified, const std::string& after_id, int limit) const = 0;
  // The received-from records of `ids` that have one.
  virtual Result<std::vector<ReceivedRecord>> GetReceived(std::span<const Uuid> ids) const = 0;
  virtual Result<void> RecordSent(std::span<const SentRecord> records) = 0;
  // The ledger rows of `object`, oldest first.
  virtual Result<std::vector<SentRecord>> ListSent(const Uuid& object) const = 0;
  // Of `ids`, those whose latest ledger row for `org` is a full object (not a
  // tombstone): the recipient may still hold them.
  virtual Result<std::vector<Uuid>> HeldBy(const std::string& org,
                                           std::span<const Uuid> ids) const = 0;
  // Upserts the page's incidents (markings included) and puts its
  // assessments, replaces their received-from records and moves the
  // partner's cursor, in one transaction:
  // a sync killed mid-page resumes from the last committed page.
  virtual Result<UpsertSummary> ApplyPartnerPage(const PartnerPage& page) = 0;

  // ---- imports
  virtual Result<void> RecordImport(const ImportRun& run) = 0;
  virtual Result<std::vector<ImportRun>> ListImports() const = 0;

  // ---- maintenance
  // Writes a consistent copy of the whole store to `path` while readers and
  // writers go on (SQLite online backup). kUnavailable if `path` cannot be written.
  virtual Result<void> Backup(const std::string& path) const = 0;
  // Replaces the store's contents with the backup at `path` after checking it
  // is a Corridor store of a known schema version. kInvalidArgument otherwise.
  virtual Result<void> Restore(const std::string& path) = 0;
  // The schema version after migrations.
  virtual int SchemaVersion() const = 0;

  // The database under this store, shared by the aggregate stores of the
  // redesign (corridor/store/database.h: jobs, committee, ...), which run in
  // its transactions. A write Transaction holds the store's one writer: do not
  // call this Store's writing methods on a thread that has one open (they
  // would wait for it).
  virtual Database& database() = 0;
};

struct OpenOptions {
  // Create the store when `location` does not exist. Commands that only read
  // (query, stats, serve, backup) pass false, so a mistyped path is an error
  // instead of a new empty store.
  bool create = true;
};

// Opens (creating when allowed, and migrating when needed) the store at
// `location`: a file path for SQLite (WAL, one file; an optional "sqlite:"
// prefix is stripped). "postgres://" and "postgresql://" locations are
// reserved for the PostgreSQL backend. kNotFound when it does not exist and
// `options.create` is false; kUnavailable when it cannot be opened;
// kInvalidArgument when the file is not a Corridor store or has a newer schema
// version.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location,
                                         const OpenOptions& options = {});

}  // namespace corridor::store
