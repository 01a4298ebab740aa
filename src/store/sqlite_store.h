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
  Result<model::Incident> GetIncident(const Uuid& id) const override;
  Result<IncidentPage> QueryIncidents(const model::IncidentFilter& filter,
                                      const PageRequest& page) const override;
  Result<std::int64_t> CountIncidents(const model::IncidentFilter& filter) const override;
  Result<std::vector<KeyCount>> CountIncidentsBy(const model::IncidentFilter& filter,
                                                 GroupBy by) const override;
  Result<void> ForEachIncident(
      const model::IncidentFilter& filter,
      const std::function<bool(const model::Incident&)>& fn) const override;
  Result<std::int64_t> UpdateAssignments(std::span<const Assignment> assignments) override;
  Result<void> BeginBulkLoad() override;
  Result<void> EndBulkLoad() override;
  Result<std::int64_t> IncidentCount() const override;
  Result<std::optional<Date>> LatestIncidentDate() const override;

  Result<void> ReplaceAreas(int level, std::span<const model::Area> areas) override;
  Result<std::vector<model::Area>> ListAreas(std::optional<int> level,
                                             bool with_geometry) const override;
  Result<model::Area> GetArea(const std::string& pcode) const override;

  Result<UpsertSummary> UpsertSites(std::span<const model::Site> sites) override;
  Result<std::vector<model::Site>> ListSites() const override;
  Result<model::Site> GetSite(const Uuid& id) const override;

  Result<void> RecordImport(const ImportRun& run) override;
  Result<std::vector<ImportRun>> ListImports() const override;

  Result<void> Backup(const std::string& path) const override;
  Result<void> Restore(const std::string& path) override;
  int SchemaVersion() const override { return schema_version_; }

  // SQLite only: the rows of PRAGMA integrity_check joined by '\n', followed by
  // any FTS5 integrity-check failure; exactly "ok" when the file is sound.
  Result<std::string> IntegrityCheck() const;
  const std::string& path() const { return path_; }
  // Fault injection for tests: the next UpsertIncidents calls fail with
  // kInternal after writing `rows` rows of their batch (negative: never).
  void SetUpsertFaultForTesting(int rows) { upsert_fault_after_ = rows; }

 private:
  class ReadLease;
  SqliteStore(std::string path, std::unique_ptr<sqlite::Connection> writer, int version);

  // A read connection from the pool (a new one when all are busy).
  Result<ReadLease> AcquireReader() const;
  void ReleaseReader(std::unique_ptr<sqlite::Connection> conn) const;

  const std::string path_;
  mutable std::mutex write_mu_;  // guards writer_ and every write
  std::unique_ptr<sqlite::Connection> writer_;
  mutable std::mutex pool_mu_;  // guards idle_readers_
  mutable std::vector<std::unique_ptr<sqlite::Connection>> idle_readers_;
  std::atomic<int> schema_version_;
  int upsert_fault_after_ = -1;  // guarded by write_mu_ in use; set only by tests
  std::unique_ptr<BulkLoadLock> bulk_lock_;  // held between Begin/EndBulkLoad; write_mu_
};

}  // namespace corridor::store
