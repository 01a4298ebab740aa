#include "corridor/public_side/service.h"

#include <cstdlib>

#include "corridor/common/date.h"
#include "corridor/common/uuid.h"
#include "corridor/projects/areas.h"
#include "corridor/public_side/accounts.h"

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

Result<AreasSummary> LoadAreas(store::Database& db, PublicAuditLog& audit,
                               const PublicCaller& caller, std::string_view geojson, int level) {
  auto outlines = projects::ReadAreaOutlines(geojson, level);
  if (!outlines) return Fail(outlines.error());
  AreasSummary s;
  s.areas = outlines->size();
  for (const auto& a : *outlines) {
    for (const auto& polygon : a.polygons) {
      for (const auto& ring : polygon) s.points += ring.size();
    }
  }
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<AreasSummary> {
    if (caller.account) {
      auto admin = RequireRole(tx, caller.account->name, model::PublicRole::kPublicAdmin);
      if (!admin) return Fail(admin.error());
    }
    if (auto ok = store::NewAreaStore()->Replace(tx, level, *outlines); !ok)
      return Fail(ok.error());
    json detail = {{"level", level}, {"areas", s.areas}, {"points", s.points}};
    if (auto e = audit.Record(tx, caller.actor, "areas-load", {}, detail.dump()); !e) {
      return Fail(e.error());
    }
    return s;
  });
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

Result<store::DisclosureRequest> RequestDisclosure(store::Database& db, PublicAuditLog& audit,
                                                   const std::string& actor,
                                                   const std::string& project_id,
                                                   const model::FieldDisclosure& to) {
  if (auto ok = model::CheckDisclosure(to); !ok) return Fail(ok.error());
  if (actor.empty()) return Fail(ErrorCode::kInvalidArgument, "an editor must be named");
  auto projects = store::NewProjectStore();
  auto requests = store::NewDisclosureRequestStore();
  return store::InWriteTransaction(
      db, [&](store::Transaction& tx) -> Result<store::DisclosureRequest> {
        if (auto ok = RequireRole(tx, actor, model::PublicRole::kDisclosureEditor); !ok) {
          return Fail(ok.error());
        }
        auto project = projects->Get(tx, project_id);
        if (!project) return Fail(project.error());
        if (!*project) return Fail(ErrorCode::kNotFound, "no project " + project_id);
        store::DisclosureRequest r;
        r.id = Uuid::V4().str();
        r.project_id = project_id;
        r.from = (*project)->DisclosureOf(to.field);
        r.to = to;
        r.requested_by = actor;
        r.requested_at = NowTimestamp();
        if (auto ok = requests->Add(tx, r); !ok) return Fail(ok.error());
        json detail = {{"request", r.id},
                       {"field", to.field},
                       {"from", model::DisclosureName(r.from.state)},
                       {"to", model::DisclosureName(to.state)},
                       {"reason", to.reason}};
        auto e = audit.Record(tx, actor, "disclosure-request", {project_id}, detail.dump());
        if (!e) return Fail(e.error());
        return r;
      });
}

Result<void> DecideDisclosure(store::Database& db, PublicAuditLog& audit, const std::string& actor,
                              const std::string& request_id, bool approve) {
  if (actor.empty()) return Fail(ErrorCode::kInvalidArgument, "an editor must be named");
  auto projects = store::NewProjectStore();
  auto requests = store::NewDisclosureRequestStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = RequireRole(tx, actor, model::PublicRole::kDisclosureEditor); !ok) {
      return Fail(ok.error());
    }
    auto r = requests->Get(tx, request_id);
    if (!r) return Fail(r.error());
    if (!*r) return Fail(ErrorCode::kNotFound, "no disclosure request " + request_id);
    const auto& q = **r;
    if (q.requested_by == actor) {
      return Fail(
          ErrorCode::kPermissionDenied,
          "the editor who requested a disclosure change cannot decide it (two-person rule)");
    }
    if (q.state != "pending") {
      return Fail(ErrorCode::kConflict, "request " + request_id + " is already " + q.state);
    }
    if (approve) {
      auto project = projects->Get(tx, q.project_id);
      if (!project) return Fail(project.error());
      if (!*project) return Fail(ErrorCode::kNotFound, "no project " + q.project_id);
      if ((*project)->DisclosureOf(q.to.field) != q.from) {
        return Fail(ErrorCode::kConflict,
                    "the " + q.to.field + " disclosure changed since the request; request again");
      }
      if (auto ok = projects->SetDisclosure(tx, q.project_id, q.to); !ok) return ok;
    }
    const std::string now = NowTimestamp();
    auto decided = requests->Decide(tx, request_id, approve ? "approved" : "rejected", actor, now);
    if (!decided) return Fail(decided.error());
    if (!*decided) return Fail(ErrorCode::kConflict, "request " + request_id + " was decided");
    json detail = {{"request", request_id},
                   {"field", q.to.field},
                   {"from", model::DisclosureName(q.from.state)},
                   {"to", model::DisclosureName(q.to.state)},
                   {"reason", q.to.reason},
                   {"requested_by", q.requested_by}};
    auto e = audit.Record(tx, actor, approve ? "disclosure-approve" : "disclosure-reject",
                          {q.project_id}, detail.dump());
    if (!e) return Fail(e.error());
    return {};
  });
}

Result<std::string> PublicKeysPath(const std::string& db, const std::string& keys_flag) {
  if (!keys_flag.empty()) return keys_flag;
  if (const char* env = std::getenv("CORRIDOR_PUBLIC_KEYS"); env != nullptr && *env) {
    return std::string(env);
  }
  if (db.find("://") != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "the public store is a server's database: give the key file with --keys FILE or "
                "$CORRIDOR_PUBLIC_KEYS");
  }
  return db + ".public-keys";
}

}  // namespace corridor::public_side
