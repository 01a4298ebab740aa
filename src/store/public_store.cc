// The public side's aggregates (corridor/store/public_store.h) over the typed
// SQL layer. Lists (financiers, roles, AidData ids) are JSON text columns;
// the financier filter has its own table.
#include "corridor/store/public_store.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "corridor/store/attachment_store.h"
#include "corridor/store/consultation_store.h"
#include "corridor/store/grievance_store.h"
#include "corridor/store/grouping_store.h"
#include "corridor/store/meeting_store.h"
#include "corridor/store/outcome_store.h"
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

model::PublicAccount ReadAccount(const sql::Row& r) {
  model::PublicAccount a;
  a.name = r.Text(0);
  for (const auto& role : json::parse(r.Text(1))) {
    // Only model::PublicRole names are ever written (Add and Update take the enum).
    if (auto parsed = model::ParsePublicRole(role.get<std::string>())) a.roles.push_back(*parsed);
  }
  a.disabled = r.Bool(2);
  a.created_at = r.Text(3);
  a.version = r.Int(4);
  return a;
}

std::string RolesText(const std::vector<model::PublicRole>& roles) {
  json out = json::array();
  for (auto role : roles) out.push_back(std::string(model::PublicRoleName(role)));
  return out.dump();
}

model::PublicToken ReadToken(const sql::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Bool(4), r.Text(5)};
}

constexpr const char* kAccountColumns = "name, roles, disabled, created_at, version";
constexpr const char* kTokenColumns = "digest, account, created_at, expires_at, revoked, kind";

class SqlPublicAccountStore final : public PublicAccountStore {
 public:
  Result<void> Add(Transaction& t, const model::PublicAccount& a) override {
    if (auto ok = model::CheckAccountName(a.name); !ok) return ok;
    auto roles = model::NormaliseRoles(a.roles);
    if (!roles) return Fail(roles.error());
    auto r = sql::Of(t).Exec(
        std::string("INSERT INTO public_accounts (") + kAccountColumns + ") VALUES (?, ?, ?, ?, 1)",
        a.name, RolesText(*roles), a.disabled, a.created_at);
    if (!r) {
      Error e = r.error();
      if (e.code == ErrorCode::kConflict) e.message = "account " + a.name + " exists";
      return Fail(std::move(e));
    }
    return {};
  }

  Result<std::optional<model::PublicAccount>> Get(Transaction& t,
                                                  const std::string& name) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kAccountColumns + " FROM public_accounts WHERE name = ?",
        ReadAccount, name);
  }

  Result<std::vector<model::PublicAccount>> List(Transaction& t) override {
    auto all = sql::Of(t).QueryAll(
        std::string("SELECT ") + kAccountColumns + " FROM public_accounts", ReadAccount);
    if (!all) return Fail(all.error());
    // By the bytes of the name on every backend (a PostgreSQL database's
    // collation may ignore '.', '_' and '-').
    std::sort(all->begin(), all->end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    return all;
  }

  Result<bool> Update(Transaction& t, const model::PublicAccount& expected,
                      const model::PublicAccount& next) override {
    auto roles = model::NormaliseRoles(next.roles);
    if (!roles) return Fail(roles.error());
    auto& tx = sql::Of(t);
    auto n = tx.Exec(
        "UPDATE public_accounts SET roles = ?, disabled = ?, version = version + 1 "
        "WHERE name = ? AND version = ?",
        RolesText(*roles), next.disabled, expected.name, expected.version);
    if (!n) return Fail(n.error());
    if (*n == 1) return true;
    auto exists = tx.QueryInt("SELECT count(*) FROM public_accounts WHERE name = ?", expected.name);
    if (!exists) return Fail(exists.error());
    if (exists->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no account " + expected.name);
    return false;
  }

  Result<void> AddToken(Transaction& t, const model::PublicToken& token) override {
    auto& tx = sql::Of(t);
    auto exists = tx.QueryInt("SELECT count(*) FROM public_accounts WHERE name = ?", token.account);
    if (!exists) return Fail(exists.error());
    if (exists->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no account " + token.account);
    auto r = tx.Exec(
        std::string("INSERT INTO public_tokens (") + kTokenColumns + ") VALUES (?, ?, ?, ?, ?, ?)",
        token.digest, token.account, token.created_at, token.expires_at, token.revoked, token.kind);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::optional<model::PublicToken>> FindToken(Transaction& t,
                                                      const std::string& digest) override {
    return sql::Of(t).QueryOne(
        std::string("SELECT ") + kTokenColumns + " FROM public_tokens WHERE digest = ?", ReadToken,
        digest);
  }

  Result<std::vector<model::PublicToken>> Tokens(Transaction& t,
                                                 const std::string& account) override {
    return sql::Of(t).QueryAll(std::string("SELECT ") + kTokenColumns +
                                   " FROM public_tokens WHERE account = ?"
                                   " ORDER BY created_at DESC, digest",
                               ReadToken, account);
  }

  Result<std::int64_t> RevokeTokens(Transaction& t, const std::string& account) override {
    return sql::Of(t).Exec("UPDATE public_tokens SET revoked = 1 WHERE account = ? AND revoked = 0",
                           account);
  }

  Result<bool> RevokeToken(Transaction& t, const std::string& digest) override {
    auto n = sql::Of(t).Exec(
        "UPDATE public_tokens SET revoked = 1 WHERE digest = ? AND revoked = 0", digest);
    if (!n) return Fail(n.error());
    return *n == 1;
  }

  Result<std::int64_t> DeleteExpiredTokens(Transaction& t, const std::string& account,
                                           const std::string& cutoff) override {
    return sql::Of(t).Exec("DELETE FROM public_tokens WHERE account = ? AND expires_at < ?",
                           account, cutoff);
  }

  Result<bool> SetPasswordHash(Transaction& t, const std::string& name,
                               const std::string& hash) override {
    auto n =
        sql::Of(t).Exec("UPDATE public_accounts SET password_hash = ? WHERE name = ?", hash, name);
    if (!n) return Fail(n.error());
    return *n == 1;
  }

  Result<std::optional<std::string>> PasswordHash(Transaction& t,
                                                  const std::string& name) override {
    return sql::Of(t).QueryOne(
        "SELECT password_hash FROM public_accounts WHERE name = ?",
        [](const sql::Row& r) { return r.Text(0); }, name);
  }
};

model::AreaOutline ReadArea(const sql::Row& r) {
  model::AreaOutline a;
  a.pcode = r.Text(0);
  a.level = static_cast<int>(r.Int(1));
  a.name = r.Text(2);
  a.parent = r.Text(3);
  a.polygons = json::parse(r.Text(4)).get<std::vector<std::vector<model::AreaOutline::Ring>>>();
  return a;
}

class SqlAreaStore final : public AreaStore {
 public:
  Result<void> Replace(Transaction& t, int level,
                       const std::vector<model::AreaOutline>& areas) override {
    if (level != 1 && level != 2) {
      return Fail(ErrorCode::kInvalidArgument, "level: expected 1 or 2");
    }
    auto& tx = sql::Of(t);
    if (auto r = tx.Exec("DELETE FROM public_areas WHERE level = ?", level); !r) {
      return Fail(r.error());
    }
    for (const auto& a : areas) {
      if (a.level != level || a.pcode.empty()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "area '" + a.pcode + "': expected a P-code at level " + std::to_string(level));
      }
      const bool drawable =
          !a.polygons.empty() &&
          std::all_of(a.polygons.begin(), a.polygons.end(), [](const auto& polygon) {
            return !polygon.empty() &&
                   std::all_of(polygon.begin(), polygon.end(),
                               [](const auto& ring) { return ring.size() >= 4; });
          });
      if (!drawable) {
        return Fail(ErrorCode::kInvalidArgument,
                    "area " + a.pcode + ": every polygon needs rings of at least 4 positions");
      }
      auto r = tx.Exec(
          "INSERT INTO public_areas (pcode, level, name, parent, polygons) VALUES (?, ?, ?, ?, ?)",
          a.pcode, a.level, a.name, a.parent, json(a.polygons).dump());
      if (!r) {
        Error e = r.error();
        if (e.code == ErrorCode::kConflict) {
          e = {ErrorCode::kInvalidArgument, "area " + a.pcode + " is given twice"};
        }
        return Fail(std::move(e));
      }
    }
    return {};
  }

  Result<std::vector<model::AreaOutline>> List(Transaction& t, int level) override {
    return sql::Of(t).QueryAll(
        "SELECT pcode, level, name, parent, polygons FROM public_areas WHERE level = ? "
        "ORDER BY pcode",
        ReadArea, level);
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
std::unique_ptr<PublicAccountStore> NewPublicAccountStore() {
  return std::make_unique<SqlPublicAccountStore>();
}
std::unique_ptr<AreaStore> NewAreaStore() { return std::make_unique<SqlAreaStore>(); }

const std::vector<Module>& PublicModules() {
  static const std::vector<Module> kBase = {{"public.projects",
                                             {{1, R"sql(
CREATE TABLE public_projects (
  id                 TEXT PRIMARY KEY NOT NULL,
  name               TEXT NOT NULL,
  sector             TEXT NOT NULL,
  status             TEXT NOT NULL,
  aiddata_ids        TEXT NOT NULL,
  footprint          TEXT NOT NULL,
  lat                DOUBLE PRECISION NOT NULL,
  lon                DOUBLE PRECISION NOT NULL,
  district_pcode     TEXT NOT NULL,
  district_name      TEXT NOT NULL,
  province_name      TEXT NOT NULL,
  planned_start      TEXT NOT NULL,
  actual_start       TEXT NOT NULL,
  planned_completion TEXT NOT NULL,
  actual_completion  TEXT NOT NULL,
  parties            TEXT NOT NULL
);
CREATE INDEX public_projects_district ON public_projects (district_pcode);
CREATE INDEX public_projects_sector ON public_projects (sector, status);
CREATE TABLE public_financing (
  aiddata_id      BIGINT PRIMARY KEY NOT NULL,
  project_id      TEXT NOT NULL REFERENCES public_projects (id),
  title           TEXT NOT NULL,
  financiers      TEXT NOT NULL,
  instrument      TEXT NOT NULL,
  flow_class      TEXT NOT NULL,
  amount          DOUBLE PRECISION,
  currency        TEXT NOT NULL,
  commitment_year INTEGER NOT NULL,
  status          TEXT NOT NULL
);
CREATE INDEX public_financing_project ON public_financing (project_id);
CREATE TABLE public_project_financiers (
  project_id TEXT NOT NULL REFERENCES public_projects (id),
  financier  TEXT NOT NULL,
  PRIMARY KEY (project_id, financier)
);
CREATE INDEX public_project_financiers_name ON public_project_financiers (financier);
CREATE TABLE public_disclosure (
  project_id TEXT NOT NULL REFERENCES public_projects (id),
  field      TEXT NOT NULL,
  state      TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (project_id, field)
);
)sql",
                                               ""},
                                              {2, R"sql(
CREATE TABLE public_disclosure_requests (
  id           TEXT PRIMARY KEY NOT NULL,
  project_id   TEXT NOT NULL REFERENCES public_projects (id),
  field        TEXT NOT NULL,
  from_state   TEXT NOT NULL,
  from_reason  TEXT NOT NULL,
  to_state     TEXT NOT NULL,
  to_reason    TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  state        TEXT NOT NULL,
  decided_by   TEXT NOT NULL,
  decided_at   TEXT NOT NULL
);
CREATE INDEX public_disclosure_requests_state ON public_disclosure_requests (state, requested_at);
)sql",
                                               ""}}},
                                            {"public.audit",
                                             {{1, R"sql(
CREATE TABLE public_audit (
  seq       BIGINT PRIMARY KEY NOT NULL,
  time      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  objects   TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TABLE public_audit_checkpoints (
  count      BIGINT PRIMARY KEY NOT NULL,
  head_hash  TEXT NOT NULL,
  time       TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signature  TEXT NOT NULL
);
)sql",
                                               ""}}},
                                            {"public.accounts",
                                             {{1, R"sql(
CREATE TABLE public_accounts (
  name       TEXT PRIMARY KEY NOT NULL,
  roles      TEXT NOT NULL,
  disabled   INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  version    BIGINT NOT NULL
);
CREATE TABLE public_tokens (
  digest     TEXT PRIMARY KEY NOT NULL,
  account    TEXT NOT NULL REFERENCES public_accounts (name),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked    INTEGER NOT NULL
);
CREATE INDEX public_tokens_account ON public_tokens (account, created_at);
)sql",
                                               ""},
                                              // Staff sign in to the portal's staff pages with
                                              // a password ("" = none set: no sign-in).
                                              {2,
                                               "ALTER TABLE public_accounts ADD COLUMN "
                                               "password_hash TEXT NOT NULL DEFAULT '';\n",
                                               ""},
                                              // A staff session is not an API token.
                                              {3,
                                               "ALTER TABLE public_tokens ADD COLUMN "
                                               "kind TEXT NOT NULL DEFAULT 'api';\n",
                                               ""}}},
                                            {"public.areas",
                                             {{1, R"sql(
CREATE TABLE public_areas (
  pcode    TEXT PRIMARY KEY NOT NULL,
  level    INTEGER NOT NULL,
  name     TEXT NOT NULL,
  parent   TEXT NOT NULL,
  polygons TEXT NOT NULL
);
CREATE INDEX public_areas_level ON public_areas (level, pcode);
)sql",
                                               ""}}}};
  // Each aggregate in its own file keeps its module beside its code.
  static const std::vector<Module> kModules = [] {
    auto all = kBase;
    all.push_back(GrievanceModule());
    all.push_back(ConsultationModule());
    all.push_back(MeetingModule());
    all.push_back(OutcomeModule());
    all.push_back(AttachmentModule());
    all.push_back(GroupingModule());
    return all;
  }();
  return kModules;
}

Result<std::unique_ptr<Database>> OpenPublicDatabase(const std::string& location,
                                                     const DatabaseOptions& options) {
  return OpenDatabase(location, StoreKind::kPublic, PublicModules(), options);
}

}  // namespace corridor::store
