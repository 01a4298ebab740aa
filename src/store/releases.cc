#include "corridor/store/releases.h"

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

class SqlPublicReleaseStore final : public PublicReleaseStore {
 public:
  Result<bool> Add(Transaction& t, const PublicRelease& r) override {
    if (r.id.empty()) return Fail(ErrorCode::kInvalidArgument, "a release needs an id");
    auto& q = sql::Of(t);
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_releases WHERE id = ?", r.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return false;
    auto seq = q.QueryInt("SELECT COALESCE(MAX(seq), 0) + 1 FROM public_releases");
    if (!seq) return Fail(seq.error());
    if (auto ok = q.Exec(
            "INSERT INTO public_releases (id, seq, generated_at, received_at, signed_by, cells, "
            "suppressed) VALUES (?, ?, ?, ?, ?, ?, ?)",
            r.id, seq->value_or(1), r.generated_at, r.received_at, r.signed_by, r.cells,
            r.suppressed);
        !ok) {
      return Fail(ok.error());
    }
    for (const auto& c : r.counts) {
      if (auto ok =
              q.Exec("INSERT INTO public_release_counts (release_id, kind, district, month, topic, "
                     "channel, count, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     r.id, c.kind, c.district, c.month, c.topic, c.channel, c.count, c.reason);
          !ok) {
        return Fail(ok.error());
      }
    }
    return true;
  }

  Result<std::optional<PublicRelease>> Get(Transaction& t, const std::string& id) override {
    auto head = Head(t, id);
    if (!head || !*head) return head;
    auto counts = Counts(t, id, {});
    if (!counts) return Fail(counts.error());
    (*head)->counts = std::move(*counts);
    return head;
  }

  Result<std::optional<PublicRelease>> Head(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        "SELECT id, generated_at, received_at, signed_by, cells, suppressed FROM public_releases "
        "WHERE id = ?",
        [](const sql::Row& row) {
          PublicRelease r;
          r.id = row.Text(0);
          r.generated_at = row.Text(1);
          r.received_at = row.Text(2);
          r.signed_by = row.Text(3);
          r.cells = row.Int(4);
          r.suppressed = row.Int(5);
          return r;
        },
        id);
  }

  Result<std::optional<std::string>> LastMonth(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        "SELECT month FROM public_release_counts WHERE release_id = ? ORDER BY month DESC LIMIT 1",
        [](const sql::Row& row) { return row.Text(0); }, id);
  }

  Result<std::vector<ReleaseCount>> Counts(Transaction& t, const std::string& id,
                                           const ReleaseCountQuery& q) override {
    std::string where = "release_id = ?";
    std::vector<sql::Value> args = {sql::ToValue(id)};
    if (!q.from_month.empty()) {
      where += " AND month >= ?";
      args.push_back(sql::ToValue(q.from_month));
    }
    if (!q.to_month.empty()) {
      where += " AND month <= ?";
      args.push_back(sql::ToValue(q.to_month));
    }
    if (!q.channel.empty()) {
      where += " AND channel = ?";
      args.push_back(sql::ToValue(q.channel));
    }
    if (!q.districts.empty()) {
      where += " AND district IN (";
      for (std::size_t i = 0; i < q.districts.size(); ++i) {
        where += i ? ", ?" : "?";
        args.push_back(sql::ToValue(q.districts[i]));
      }
      where += ")";
    }
    std::vector<ReleaseCount> out;
    auto r = sql::Of(t).QueryArgs(
        "SELECT kind, district, month, topic, channel, count, reason FROM public_release_counts "
        "WHERE " +
            where + " ORDER BY kind, district, month, topic, channel",
        args, [&](const sql::Row& row) {
          out.push_back(ReleaseCount{row.Text(0), row.Text(1), row.Text(2), row.Text(3),
                                     row.Text(4), row.OptInt(5), row.Text(6)});
          return true;
        });
    if (!r) return Fail(r.error());
    return out;
  }

  Result<std::vector<std::string>> Ids(Transaction& t) override {
    return sql::Of(t).QueryAll("SELECT id FROM public_releases ORDER BY seq",
                               [](const sql::Row& row) { return row.Text(0); });
  }
};

}  // namespace

std::unique_ptr<PublicReleaseStore> NewPublicReleaseStore() {
  return std::make_unique<SqlPublicReleaseStore>();
}

const Module& PublicReleasesModule() {
  static const Module kModule = {"public_releases",
                                 {{1, R"sql(
CREATE TABLE public_releases (
  id           TEXT PRIMARY KEY NOT NULL,
  seq          BIGINT NOT NULL UNIQUE,
  generated_at TEXT NOT NULL,
  received_at  TEXT NOT NULL,
  signed_by    TEXT NOT NULL,
  cells        BIGINT NOT NULL,
  suppressed   BIGINT NOT NULL
);
CREATE TABLE public_release_counts (
  release_id TEXT NOT NULL REFERENCES public_releases (id),
  kind       TEXT NOT NULL CHECK (kind IN ('grievance', 'consultation')),
  district   TEXT NOT NULL,
  month      TEXT NOT NULL,
  topic      TEXT NOT NULL,
  channel    TEXT NOT NULL,
  count      BIGINT CHECK (count IS NULL OR count = 0 OR count >= 10),
  reason     TEXT NOT NULL CHECK ((count IS NULL AND reason IN ('small', 'complementary'))
                                  OR (count IS NOT NULL AND reason = '')),
  PRIMARY KEY (release_id, kind, district, month, topic, channel)
);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
