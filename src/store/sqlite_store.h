// The SQLite implementation of corridor::store::Store (private header; tests
// use it for the SQLite-specific checks). One file in WAL mode: one writer
// connection behind a mutex, and a pool of read connections so readers run
// in parallel with each other and with the writer, each on its own snapshot.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "corridor/store/store.h"
#include "store/sql/sqlite_database.h"
#include "store/sqlite_db.h"

namespace corridor::store {

class BulkLoadLock;  // sqlite_store.cc

class SqliteStore final : public Store {
 public:
  // Opens or creates the store file at `path`, then applies migrations.
  // kUnavailable when it cannot be opened; kInvalidArgument when it is not a
  // Corridor store or has a newer schema version.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

  Result<UpsertSummary> UpsertIncidents(std::span<const model::Incident> incidents) override;
  Result<model::Incident> GetIncident(const Viewer& viewer, const Uuid& id) const override;
  Result<IncidentPage> QueryIncidents(const Viewer& viewer, const model::IncidentFilter& filter,
                                      const PageRequest& page) const override;
  Result<std::int64_t> CountIncidents(const Viewer& viewer,
                                      const model::IncidentFilter& filter) const override;
  Result<std::vector<KeyCount>> CountIncidentsBy(const Viewer& viewer,
                                                 const model::IncidentFilter& filter,
                                                 GroupBy by) const override;
  Result<std::vector<GridCategoryCount>> AggregateIncidents(const Viewer& viewer,
                                                            const model::IncidentFilter& filter,
                                                            double cell_deg) const override;
  Result<std::vector<MonthTotal>> MonthlyTotals(const Viewer& viewer,
                                                const model::IncidentFilter& filter) const override;
  Result<void> ForEachIncident(
      const Viewer& viewer, const model::IncidentFilter& filter,
      const std::function<bool(const model::Incident&)>& fn) const override;
  Result<std::vector<std::string>> SetMarking(const Uuid& id, const model::Marking& marking,
                                              const model::Marking& expected) override;

  // security (sqlite_security.cc)
  Result<void> AddOrganisation(const model::Organisation& org) override;
  Result<std::vector<model::Organisation>> ListOrganisations() const override;
  Result<model::Organisation> GetOrganisation(const std::string& name) const override;
  Result<void> AddUser(const model::User& user) override;
  Result<void> UpdateUser(const model::User& expected, const model::User& user) override;
  Result<model::User> GetUser(const std::string& username) const override;
  Result<std::vector<model::User>> ListUsers(const KeyPage& page) const override;
  Result<bool> AdvanceTotpStep(const std::string& username, std::int64_t step) override;
  Result<void> AddToken(const model::ApiToken& token) override;
  Result<model::ApiToken> FindToken(const std::string& digest) const override;
  Result<std::vector<model::ApiToken>> ListTokens(const TokenQuery& q) const override;
  Result<void> RevokeToken(const std::string& id, const std::string& when) override;
  Result<void> PutSession(const model::Session& session) override;
  Result<model::Session> GetSession(const std::string& digest) const override;
  Result<void> DeleteSession(const std::string& digest) override;
  Result<void> DeleteSessionsOf(const std::string& username) override;
  Result<void> AddMarkingRequest(const MarkingRequest& request) override;
  Result<MarkingRequest> GetMarkingRequest(const std::string& id) const override;
  Result<std::vector<MarkingRequest>> ListMarkingRequests(const std::string& status) const override;
  Result<MarkingDecision> DecideMarkingRequest(const std::string& id, bool approve,
                                               const std::string& approver,
                                               const std::string& when) override;
  Result<model::AuditEntry> AppendAudit(
      model::AuditEntry entry, const std::function<std::string(const model::AuditEntry&)>& hash,
      std::string_view genesis_hash) override;
  Result<std::vector<model::AuditEntry>> ListAudit(const AuditQuery& query) const override;
  Result<void> AddCheckpoint(const model::AuditCheckpoint& checkpoint) override;
  Result<std::vector<model::AuditCheckpoint>> ListCheckpoints() const override;
  Result<std::int64_t> UpdateAssignments(std::span<const Assignment> assignments) override;
  Result<void> BeginBulkLoad() override;
  Result<void> EndBulkLoad() override;
  Result<std::int64_t> IncidentCount() const override;
  Result<std::optional<Date>> LatestIncidentDate(const Viewer& viewer) const override;

  Result<void> ReplaceAreas(int level, std::span<const model::Area> areas) override;
  Result<std::vector<model::Area>> ListAreas(std::optional<int> level,
                                             bool with_geometry) const override;
  Result<model::Area> GetArea(const std::string& pcode) const override;

  Result<UpsertSummary> UpsertSites(std::span<const model::Site> sites) override;
  Result<ReplaceSitesSummary> ReplaceSites(std::string_view dataset,
                                           std::span<const model::Site> sites) override;
  Result<std::vector<model::Site>> ListSites() const override;
  Result<model::Site> GetSite(const Uuid& id) const override;
  Result<std::optional<Uuid>> SiteSuccessor(const Uuid& id) const override;

  // alerts (sqlite_alerts.cc)
  Result<void> PutSubscription(const Subscription& s) override;
  Result<void> DeleteSubscription(const std::string& username, const Uuid& site) override;
  Result<std::vector<Subscription>> ListSubscriptions(const std::string& username) const override;
  Result<std::vector<Alert>> ListAlerts(const Viewer& viewer, const std::string& username,
                                        bool unread_only, int limit) const override;
  Result<Alert> MarkAlertRead(const Viewer& viewer, const std::string& username, std::int64_t id,
                              const std::string& when) override;

  // assessments and STIX records (sqlite_assessments.cc)
  Result<void> PutAssessment(const model::Assessment& a) override;
  Result<model::Assessment> GetAssessment(const Viewer& viewer, const Uuid& id) const override;
  Result<std::vector<model::Assessment>> ListAssessments(const Viewer& viewer, int limit,
                                                         bool include_revoked) const override;
  Result<std::optional<StixRecord>> GetStixRecord(const std::string& id) const override;
  Result<void> PutStixRecord(const StixRecord& record) override;
  // partner sync (sqlite_sync.cc)
  Result<void> AddPartner(const Partner& partner) override;
  Result<std::vector<Partner>> ListPartners() const override;
  Result<Partner> GetPartner(const std::string& name) const override;
  Result<void> SetPartnerKeys(const std::string& name, const std::string& keys_json) override;
  Result<std::vector<model::Incident>> ListChanged(const std::string& after_modified,
                                                   const std::string& after_id,
                                                   int limit) const override;
  Result<std::vector<ReceivedRecord>> GetReceived(std::span<const Uuid> ids) const override;
  Result<void> RecordSent(std::span<const SentRecord> records) override;
  Result<std::vector<SentRecord>> ListSent(const Uuid& object) const override;
  Result<std::vector<Uuid>> HeldBy(const std::string& org,
                                   std::span<const Uuid> ids) const override;
  Result<std::vector<model::Assessment>> ListChangedAssessments(const std::string& after_modified,
                                                                const std::string& after_id,
                                                                int limit) const override;
  Result<UpsertSummary> ApplyPartnerPage(const PartnerPage& page) override;

  Result<void> RecordImport(const ImportRun& run) override;
  Result<std::vector<ImportRun>> ListImports() const override;

  Result<void> Backup(const std::string& path) const override;
  Result<void> Restore(const std::string& path) override;
  int SchemaVersion() const override { return schema_version_; }
  Database& database() override { return *database_; }

  // SQLite only: the rows of PRAGMA integrity_check joined by '\n', followed by
  // any FTS5 integrity-check failure; exactly "ok" when the file is sound.
  Result<std::string> IntegrityCheck() const;
  const std::string& path() const { return path_; }
  // Fault injection for tests: the next UpsertIncidents calls fail with
  // kInternal after writing `rows` rows of their batch (negative: never).
  void SetUpsertFaultForTesting(int rows) { upsert_fault_after_ = rows; }
  // Fault injection for tests: while true, AppendAudit fails with kUnavailable.
  void SetAuditFaultForTesting(bool fail) { audit_fault_ = fail; }

 private:
  // A pooled read connection, returned to the pool when it goes out of scope.
  class ReadLease {
   public:
    ReadLease(const SqliteStore* store, std::unique_ptr<sqlite::Connection> conn)
        : store_(store), conn_(std::move(conn)) {}
    ReadLease(ReadLease&& other) noexcept = default;
    ReadLease& operator=(ReadLease&&) = delete;
    ~ReadLease() {
      if (conn_) store_->ReleaseReader(std::move(conn_));
    }
    sqlite::Connection& operator*() const { return *conn_; }
    sqlite::Connection* operator->() const { return conn_.get(); }

   private:
    const SqliteStore* store_;
    std::unique_ptr<sqlite::Connection> conn_;
  };
  SqliteStore(std::string path, std::unique_ptr<sqlite::Connection> writer, int version);

  // The marking of incident `key` as stored (nullopt when there is none), and
  // the write of a new one cancelling the pending requests on it; both inside
  // the caller's write transaction with write_mu_ held.
  Result<std::optional<model::Marking>> MarkingLocked(const std::string& key);
  Result<std::vector<std::string>> WriteMarkingLocked(const std::string& key,
                                                      const model::Marking& marking,
                                                      const std::string& now);
  // Sets every pending request on `key` to "cancelled"; returns their ids.
  Result<std::vector<std::string>> CancelPendingRequestsLocked(const std::string& key,
                                                               const std::string& now);

  // The body of UpsertIncidents, inside a transaction the caller opened on
  // writer_ with write_mu_ held and triggers off.
  Result<UpsertSummary> UpsertLocked(std::span<const model::Incident> incidents,
                                     const std::string& now);

  // The body of UpsertSites, inside the caller's transaction on writer_ with
  // write_mu_ held.
  Result<UpsertSummary> UpsertSitesLocked(std::span<const model::Site> sites,
                                          const std::string& now);

  // The body of PutAssessment, with write_mu_ held (inside the caller's
  // transaction, if any).
  Result<void> PutAssessmentLocked(const model::Assessment& a);

  // A read connection from the pool (a new one when all are busy).
  Result<ReadLease> AcquireReader() const;
  void ReleaseReader(std::unique_ptr<sqlite::Connection> conn) const;

  const std::string path_;
  mutable std::mutex write_mu_;  // guards writer_ and every write
  std::unique_ptr<sqlite::Connection> writer_;
  mutable std::mutex pool_mu_;  // guards idle_readers_
  mutable std::vector<std::unique_ptr<sqlite::Connection>> idle_readers_;
  std::atomic<int> schema_version_;
  int upsert_fault_after_ = -1;
  std::atomic<bool> audit_fault_{false};     // guarded by write_mu_ in use; set only by tests
  std::unique_ptr<BulkLoadLock> bulk_lock_;  // held between Begin/EndBulkLoad; write_mu_
  // Over writer_ and write_mu_ (declared after them: destroyed first).
  std::unique_ptr<sqlite::SqliteDatabase> database_;
};

}  // namespace corridor::store
