#include "corridor/public_side/service.h"

#include <cstdlib>
#include <set>

#include "corridor/common/date.h"
#include "corridor/projects/identity.h"

namespace corridor::public_side {

using nlohmann::json;

Result<model::AuditEntry> PublicAuditLog::Record(store::Transaction& tx, const std::string& actor,
                                                 const std::string& action,
                                                 std::vector<std::string> objects,
                                                 std::string detail) {
  auto last = audit_->Last(tx);
  if (!last) return Fail(last.error());
  model::AuditEntry e;
  e.time = NowTimestamp();
  e.actor = actor;
  e.action = action;
  e.objects = std::move(objects);
  e.detail = std::move(detail);
  auth::SealEntry(e, *last ? &**last : nullptr);
  if (auto r = audit_->Append(tx, e); !r) return Fail(r.error());
  return e;
}

Result<std::optional<model::AuditCheckpoint>> PublicAuditLog::Checkpoint() {
  return store::InWriteTransaction(
      db_, [&](store::Transaction& tx) -> Result<std::optional<model::AuditCheckpoint>> {
        auto last = audit_->Last(tx);
        if (!last) return Fail(last.error());
        if (!*last) return std::optional<model::AuditCheckpoint>();
        auto cps = audit_->Checkpoints(tx);
        if (!cps) return Fail(cps.error());
        if (!cps->empty() && cps->back().count == (*last)->seq) {
          return std::optional<model::AuditCheckpoint>(cps->back());
        }
        auto c = auth::MakeCheckpoint(keys_, (*last)->seq, (*last)->hash, NowTimestamp());
        if (auto r = audit_->AddCheckpoint(tx, c); !r) return Fail(r.error());
        return std::optional<model::AuditCheckpoint>(c);
      });
}

Result<auth::ChainReport> PublicAuditLog::Verify() const {
  return store::InReadTransaction(db_, [&](store::Transaction& tx) -> Result<auth::ChainReport> {
    std::vector<model::AuditEntry> all;
    for (std::int64_t from = 1;;) {
      auto page = audit_->List(tx, from, 10000);
      if (!page) return Fail(page.error());
      if (page->empty()) break;
      from = page->back().seq + 1;
      all.insert(all.end(), page->begin(), page->end());
    }
    auto cps = audit_->Checkpoints(tx);
    if (!cps) return Fail(cps.error());
    return auth::VerifyChain(all, *cps, std::nullopt, keys_.PublicKeyHex());
  });
}

Result<ImportSummary> ImportProjects(store::Database& db, PublicAuditLog& audit,
                                     const std::string& actor, std::string_view aiddata_geojson,
                                     std::string_view districts_geojson) {
  auto rows = projects::ParseAidData(aiddata_geojson);
  if (!rows) return Fail(rows.error());
  projects::Grouping g = projects::GroupProjects(std::move(*rows));
  ImportSummary s;
  if (!districts_geojson.empty()) {
    auto n = projects::AssignDistricts(g.projects, districts_geojson);
    if (!n) return Fail(n.error());
    s.districts_assigned = *n;
  }
  s.rows = g.rows;
  s.projects = g.projects.size();
  s.review = projects::ReviewReport(g);
  s.merged_projects = s.review["merged_projects"].get<std::size_t>();
  auto store = store::NewProjectStore();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    std::set<std::string> keep;
    for (const auto& p : g.projects) keep.insert(p.id);
    auto ids = store->Ids(tx);
    if (!ids) return Fail(ids.error());
    for (const auto& id : *ids) {
      if (keep.count(id)) continue;
      if (auto r = store->Remove(tx, id); !r) return Fail(r.error());
      ++s.removed;
    }
    for (const auto& p : g.projects) {
      auto created = store->Upsert(tx, p);
      if (!created) return Fail(created.error());
      ++(*created ? s.created : s.updated);
    }
    json detail = {{"rows", s.rows},       {"projects", s.projects}, {"created", s.created},
                   {"updated", s.updated}, {"removed", s.removed},   {"merged", s.merged_projects}};
    auto e = audit.Record(tx, actor, "projects-import", {}, detail.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return s;
}

Result<std::vector<model::Project>> AllProjects(const store::Database& db) {
  auto store = store::NewProjectStore();
  return store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::vector<model::Project>> {
        std::vector<model::Project> all;
        store::ProjectFilter f;
        f.limit = 1000;
        for (f.offset = 0;; f.offset += f.limit) {
          auto page = store->List(tx, f);
          if (!page) return Fail(page.error());
          all.insert(all.end(), page->begin(), page->end());
          if (static_cast<int>(page->size()) < f.limit) break;
        }
        return all;
      });
}

Result<void> SetDisclosure(store::Database& db, PublicAuditLog& audit, const std::string& actor,
                           const std::string& project_id, const model::FieldDisclosure& d) {
  auto store = store::NewProjectStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    auto before = store->Get(tx, project_id);
    if (!before) return Fail(before.error());
    if (!*before) return Fail(ErrorCode::kNotFound, "no project " + project_id);
    const auto old = (*before)->DisclosureOf(d.field);
    if (auto r = store->SetDisclosure(tx, project_id, d); !r) return r;
    json detail = {{"field", d.field},
                   {"from", model::DisclosureName(old.state)},
                   {"to", model::DisclosureName(d.state)},
                   {"reason", d.reason}};
    auto e = audit.Record(tx, actor, "disclosure", {project_id}, detail.dump());
    if (!e) return Fail(e.error());
    return {};
  });
}

std::string PublicKeysPath(const std::string& db, const std::string& keys_flag) {
  if (!keys_flag.empty()) return keys_flag;
  if (const char* env = std::getenv("CORRIDOR_PUBLIC_KEYS"); env != nullptr && *env) return env;
  return db + ".public-keys";
}

}  // namespace corridor::public_side
