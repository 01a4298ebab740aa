// The public side's projects, disclosure requests and audit log
// (corridor/store/public_store.h) over the typed SQL layer. Lists (financiers,
// AidData ids) are JSON text columns; the financier filter has its own table.
// Staff accounts and outlines: public_accounts_store.cc; the tables:
// public_store_modules.cc.
#include "corridor/store/public_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

using nlohmann::json;

constexpr const char* kProjectColumns =
    "id, name, sector, status, aiddata_ids, footprint, lat, lon, district_pcode, district_name, "
    "province_name, planned_start, actual_start, planned_completion, actual_completion, parties";

model::Project ReadProject(const sql::Row& r) {
  model::Project p;
  p.id = r.Text(0);
  p.name = r.Text(1);
  p.sector = r.Text(2);
  p.status = model::ParseProjectStatus(r.Text(3)).value_or(model::ProjectStatus::kPipeline);
  p.aiddata_ids = json::parse(r.Text(4)).get<std::vector<std::int64_t>>();
  p.footprint = r.Text(5);
  p.lat = r.Double(6);
  p.lon = r.Double(7);
  p.district_pcode = r.Text(8);
  p.district_name = r.Text(9);
  p.province_name = r.Text(10);
  p.planned_start = r.Text(11);
  p.actual_start = r.Text(12);
  p.planned_completion = r.Text(13);
  p.actual_completion = r.Text(14);
  for (const auto& party : json::parse(r.Text(15))) {
    p.parties.push_back({party.at("id").get<std::string>(), party.at("name").get<std::string>(),
                         party.at("roles").get<std::vector<std::string>>()});
  }
  return p;
}

model::FinancingRecord ReadFinancing(const sql::Row& r) {
  model::FinancingRecord f;
  f.aiddata_id = r.Int(0);
  f.title = r.Text(1);
  f.financiers = json::parse(r.Text(2)).get<std::vector<std::string>>();
  f.instrument = r.Text(3);
  f.flow_class = r.Text(4);
  f.amount = r.OptDouble(5);
  f.currency = r.Text(6);
  f.commitment_year = static_cast<int>(r.Int(7));
  f.status = r.Text(8);
  return f;
}

Result<void> CheckFilter(const ProjectFilter& f) {
  if (f.limit < 1 || f.limit > 1000) {
    return Fail(ErrorCode::kInvalidArgument, "limit: expected 1 to 1000");
  }
  if (f.offset < 0) return Fail(ErrorCode::kInvalidArgument, "offset: expected 0 or more");
  if (!f.status.empty() && !model::ParseProjectStatus(f.status)) {
    return Fail(ErrorCode::kInvalidArgument,
                "status: expected pipeline, implementation, completion or cancelled");
  }
  return {};
}

constexpr const char* kFilterWhere =
    " WHERE (? = '' OR district_pcode = ?) AND (? = '' OR sector = ?) AND (? = '' OR status = ?)"
    " AND (? = '' OR EXISTS (SELECT 1 FROM public_project_financiers pf"
    " WHERE pf.project_id = public_projects.id AND pf.financier = ?))";

class SqlProjectStore final : public ProjectStore {
 public:
  Result<bool> Upsert(Transaction& t, const model::Project& p) override {
    if (p.id.empty() || p.name.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a project needs an id and a name");
    }
    auto& tx = sql::Of(t);
    auto existed = tx.QueryInt("SELECT count(*) FROM public_projects WHERE id = ?", p.id);
    if (!existed) return Fail(existed.error());
    json parties = json::array();
    for (const auto& party : p.parties) {
      parties.push_back({{"id", party.id}, {"name", party.name}, {"roles", party.roles}});
    }
    const std::string ids = json(p.aiddata_ids).dump();
    const std::string parties_text = parties.dump();
    const std::string status(model::ProjectStatusName(p.status));
    if (existed->value_or(0) == 0) {
      auto r = tx.Exec(std::string("INSERT INTO public_projects (") + kProjectColumns +
                           ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       p.id, p.name, p.sector, status, ids, p.footprint, p.lat, p.lon,
                       p.district_pcode, p.district_name, p.province_name, p.planned_start,
                       p.actual_start, p.planned_completion, p.actual_completion, parties_text);
      if (!r) return Fail(r.error());
    } else {
      auto r = tx.Exec(
          "UPDATE public_projects SET name = ?, sector = ?, status = ?, aiddata_ids = ?, "
          "footprint = ?, lat = ?, lon = ?, district_pcode = ?, district_name = ?, "
          "province_name = ?, planned_start = ?, actual_start = ?, planned_completion = ?, "
          "actual_completion = ?, parties = ? WHERE id = ?",
          p.name, p.sector, status, ids, p.footprint, p.lat, p.lon, p.district_pcode,
          p.district_name, p.province_name, p.planned_start, p.actual_start, p.planned_completion,
          p.actual_completion, parties_text, p.id);
      if (!r) return Fail(r.error());
    }
    if (auto r = tx.Exec("DELETE FROM public_financing WHERE project_id = ?", p.id); !r) {
      return Fail(r.error());
    }
    if (auto r = tx.Exec("DELETE FROM public_project_financiers WHERE project_id = ?", p.id); !r) {
      return Fail(r.error());
    }
    for (const auto& f : p.financing) {
      const std::string financiers = json(f.financiers).dump();
      auto r = tx.Exec(
          "INSERT INTO public_financing (aiddata_id, project_id, title, financiers, instrument, "
          "flow_class, amount, currency, commitment_year, status) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          f.aiddata_id, p.id, f.title, financiers, f.instrument, f.flow_class, f.amount, f.currency,
          f.commitment_year, f.status);
      if (!r) {
        Error e = r.error();
        if (e.code == ErrorCode::kConflict) {
          e.code = ErrorCode::kInvalidArgument;
          e.message =
              "AidData record " + std::to_string(f.aiddata_id) + " belongs to another project";
        }
        return Fail(std::move(e));
      }
    }
    for (const auto& name : p.Financiers()) {
      auto r =
          tx.Exec("INSERT INTO public_project_financiers (project_id, financier) VALUES (?, ?)",
                  p.id, name);
      if (!r) return Fail(r.error());
    }
    return existed->value_or(0) == 0;
  }

  Result<std::optional<model::Project>> Get(Transaction& t, const std::string& id) override {
    auto p = sql::Of(t).QueryOne(
        std::string("SELECT ") + kProjectColumns + " FROM public_projects WHERE id = ?",
        ReadProject, id);
    if (!p) return Fail(p.error());
    if (!*p) return std::optional<model::Project>();
    if (auto ok = Complete(t, **p); !ok) return Fail(ok.error());
    return p;
  }

  Result<std::vector<model::Project>> List(Transaction& t, const ProjectFilter& f) override {
    if (auto ok = CheckFilter(f); !ok) return Fail(ok.error());
    auto list =
        sql::Of(t).QueryAll(std::string("SELECT ") + kProjectColumns + " FROM public_projects" +
                                kFilterWhere + " ORDER BY name, id LIMIT ? OFFSET ?",
                            ReadProject, f.district, f.district, f.sector, f.sector, f.status,
                            f.status, f.financier, f.financier, f.limit, f.offset);
    if (!list) return Fail(list.error());
    for (auto& p : *list) {
      if (auto ok = Complete(t, p); !ok) return Fail(ok.error());
    }
    return list;
  }

  Result<std::int64_t> Count(Transaction& t, const ProjectFilter& f) override {
    if (auto ok = CheckFilter(f); !ok) return Fail(ok.error());
    auto n = sql::Of(t).QueryInt(std::string("SELECT count(*) FROM public_projects") + kFilterWhere,
                                 f.district, f.district, f.sector, f.sector, f.status, f.status,
                                 f.financier, f.financier);
    if (!n) return Fail(n.error());
    return n->value_or(0);
  }

  Result<ProjectFacets> Facets(Transaction& t) override {
    auto& tx = sql::Of(t);
    ProjectFacets out;
    auto read = [](const sql::Row& r) {
      return ProjectFacets::Value{r.Text(0), r.Text(1), r.Int(2)};
    };
    const std::pair<const char*, std::vector<ProjectFacets::Value>*> queries[] = {
        {"SELECT district_pcode, min(district_name), count(*) FROM public_projects "
         "WHERE district_pcode <> '' GROUP BY district_pcode ORDER BY district_pcode",
         &out.districts},
        {"SELECT sector, sector, count(*) FROM public_projects GROUP BY sector ORDER BY sector",
         &out.sectors},
        {"SELECT status, status, count(*) FROM public_projects GROUP BY status ORDER BY status",
         &out.statuses},
        {"SELECT financier, financier, count(*) FROM public_project_financiers "
         "GROUP BY financier ORDER BY financier",
         &out.financiers}};
    for (const auto& [q, target] : queries) {
      auto rows = tx.QueryAll(q, read);
      if (!rows) return Fail(rows.error());
      *target = std::move(*rows);
    }
    return out;
  }

  Result<std::vector<std::string>> Ids(Transaction& t) override {
    return sql::Of(t).QueryAll("SELECT id FROM public_projects ORDER BY id",
                               [](const sql::Row& r) { return r.Text(0); });
  }

  Result<bool> Remove(Transaction& t, const std::string& id) override {
    auto& tx = sql::Of(t);
    for (const char* q : {"DELETE FROM public_financing WHERE project_id = ?",
                          "DELETE FROM public_project_financiers WHERE project_id = ?",
                          "DELETE FROM public_disclosure WHERE project_id = ?",
                          "DELETE FROM public_disclosure_requests WHERE project_id = ?"}) {
      if (auto r = tx.Exec(q, id); !r) return Fail(r.error());
    }
    auto n = tx.Exec("DELETE FROM public_projects WHERE id = ?", id);
    if (!n) return Fail(n.error());
    return *n == 1;
  }

  Result<void> SetDisclosure(Transaction& t, const std::string& project_id,
                             const model::FieldDisclosure& d) override {
    if (auto ok = model::CheckDisclosure(d); !ok) return ok;
    auto& tx = sql::Of(t);
    auto exists = tx.QueryInt("SELECT count(*) FROM public_projects WHERE id = ?", project_id);
    if (!exists) return Fail(exists.error());
    if (exists->value_or(0) == 0) {
      return Fail(ErrorCode::kNotFound, "no project " + project_id);
    }
    if (auto r = tx.Exec("DELETE FROM public_disclosure WHERE project_id = ? AND field = ?",
                         project_id, d.field);
        !r) {
      return Fail(r.error());
    }
    if (d.state == model::Disclosure::kPublished) return {};
    auto r = tx.Exec(
        "INSERT INTO public_disclosure (project_id, field, state, reason) VALUES (?, ?, ?, ?)",
        project_id, d.field, model::DisclosureName(d.state), d.reason);
    if (!r) return Fail(r.error());
    return {};
  }

 private:
  Result<void> Complete(Transaction& t, model::Project& p) {
    auto& tx = sql::Of(t);
    auto fin = tx.QueryAll(
        "SELECT aiddata_id, title, financiers, instrument, flow_class, amount, currency, "
        "commitment_year, status FROM public_financing WHERE project_id = ? ORDER BY aiddata_id",
        ReadFinancing, p.id);
    if (!fin) return Fail(fin.error());
    p.financing = std::move(*fin);
    auto disc = tx.QueryAll(
        "SELECT field, state, reason FROM public_disclosure WHERE project_id = ? ORDER BY field",
        [](const sql::Row& r) {
          return model::FieldDisclosure{
              r.Text(0), model::ParseDisclosure(r.Text(1)).value_or(model::Disclosure::kWithheld),
              r.Text(2)};
        },
        p.id);
    if (!disc) return Fail(disc.error());
    p.disclosure = std::move(*disc);
    return {};
  }
};

constexpr const char* kRequestColumns =
    "id, project_id, field, from_state, from_reason, to_state, to_reason, requested_by, "
    "requested_at, state, decided_by, decided_at";

DisclosureRequest ReadRequest(const sql::Row& r) {
  DisclosureRequest q;
  q.id = r.Text(0);
  q.project_id = r.Text(1);
  const std::string field = r.Text(2);
  q.from = {field, model::ParseDisclosure(r.Text(3)).value_or(model::Disclosure::kPublished),
            r.Text(4)};
  q.to = {field, model::ParseDisclosure(r.Text(5)).value_or(model::Disclosure::kPublished),
          r.Text(6)};
  q.requested_by = r.Text(7);
  q.requested_at = r.Text(8);
  q.state = r.Text(9);
  q.decided_by = r.Text(10);
  q.decided_at = r.Text(11);
  return q;
}

class SqlDisclosureRequestStore final : public DisclosureRequestStore {
 public:
  Result<void> Add(Transaction& t, const DisclosureRequest& q) override {
    if (q.id.empty()) return Fail(ErrorCode::kInvalidArgument, "a request needs an id");
    auto r = sql::Of(t).Exec(std::string("INSERT INTO public_disclosure_requests (") +
                                 kRequestColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             q.id, q.project_id, q.to.field, model::DisclosureName(q.from.state),
                             q.from.reason, model::DisclosureName(q.to.state), q.to.reason,
                             q.requested_by, q.requested_at, q.state, q.decided_by, q.decided_at);
    if (!r) return Fail(r.error());
    return {};
  }
  Result<std::optional<DisclosureRequest>> Get(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kRequestColumns + " FROM public_disclosure_requests WHERE id = ?",
        ReadRequest, id);
  }
  Result<std::vector<DisclosureRequest>> List(Transaction& t, const std::string& state, int limit,
                                              int offset) override {
    if (limit < 1 || limit > 1000 || offset < 0) {
      return Fail(ErrorCode::kInvalidArgument, "limit: 1 to 1000; offset: 0 or more");
    }
    return sql::Of(t).QueryAll(std::string("SELECT ") + kRequestColumns +
                                   " FROM public_disclosure_requests WHERE (? = '' OR state = ?)"
                                   " ORDER BY requested_at, id LIMIT ? OFFSET ?",
                               ReadRequest, state, state, std::int64_t{limit},
                               std::int64_t{offset});
  }
  Result<bool> Decide(Transaction& t, const std::string& id, const std::string& state,
                      const std::string& by, const std::string& at) override {
    if (state != "approved" && state != "rejected") {
      return Fail(ErrorCode::kInvalidArgument, "state: expected approved or rejected");
    }
    auto n = sql::Of(t).Exec(
        "UPDATE public_disclosure_requests SET state = ?, decided_by = ?, decided_at = ? "
        "WHERE id = ? AND state = 'pending'",
        state, by, at, id);
    if (!n) return Fail(n.error());
    return *n == 1;
  }
};

model::AuditEntry ReadEntry(const sql::Row& r) {
  model::AuditEntry e;
  e.seq = r.Int(0);
  e.time = r.Text(1);
  e.actor = r.Text(2);
  e.action = r.Text(3);
  e.objects = json::parse(r.Text(4)).get<std::vector<std::string>>();
  e.detail = r.Text(5);
  e.prev_hash = r.Text(6);
  e.hash = r.Text(7);
  return e;
}

constexpr const char* kEntryColumns = "seq, time, actor, action, objects, detail, prev_hash, hash";

class SqlPublicAuditStore final : public PublicAuditStore {
 public:
  Result<void> Append(Transaction& t, const model::AuditEntry& e) override {
    auto last = Last(t);
    if (!last) return Fail(last.error());
    const std::int64_t want = *last ? (*last)->seq + 1 : 1;
    if (e.seq != want) {
      return Fail(ErrorCode::kConflict, "audit entry " + std::to_string(e.seq) +
                                            " is out of sequence (next is " + std::to_string(want) +
                                            ")");
    }
    const std::string objects = json(e.objects).dump();
    auto r =
        sql::Of(t).Exec(std::string("INSERT INTO public_audit (") + kEntryColumns +
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        e.seq, e.time, e.actor, e.action, objects, e.detail, e.prev_hash, e.hash);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::optional<model::AuditEntry>> Last(Transaction& t) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kEntryColumns + " FROM public_audit ORDER BY seq DESC LIMIT 1",
        ReadEntry);
  }

  Result<std::vector<model::AuditEntry>> List(Transaction& t, std::int64_t from_seq,
                                              int limit) override {
    if (limit < 1 || limit > 100000) {
      return Fail(ErrorCode::kInvalidArgument, "limit: expected 1 to 100000");
    }
    return sql::Of(t).QueryAll(std::string("SELECT ") + kEntryColumns +
                                   " FROM public_audit WHERE seq >= ? ORDER BY seq LIMIT ?",
                               ReadEntry, from_seq, limit);
  }

  Result<void> AddCheckpoint(Transaction& t, const model::AuditCheckpoint& c) override {
    auto r = sql::Of(t).Exec(
        "INSERT INTO public_audit_checkpoints (count, head_hash, time, public_key, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        c.count, c.head_hash, c.time, c.public_key, c.signature);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::vector<model::AuditCheckpoint>> Checkpoints(Transaction& t) override {
    return sql::Of(t).QueryAll(
        "SELECT count, head_hash, time, public_key, signature FROM public_audit_checkpoints "
        "ORDER BY count",
        [](const sql::Row& r) {
          return model::AuditCheckpoint{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)};
        });
  }
};

}  // namespace

std::unique_ptr<ProjectStore> NewProjectStore() { return std::make_unique<SqlProjectStore>(); }
std::unique_ptr<PublicAuditStore> NewPublicAuditStore() {
  return std::make_unique<SqlPublicAuditStore>();
}
std::unique_ptr<DisclosureRequestStore> NewDisclosureRequestStore() {
  return std::make_unique<SqlDisclosureRequestStore>();
}

}  // namespace corridor::store
