// Grievance attachments (corridor/store/attachment_store.h) over the typed SQL layer.
#include "corridor/store/attachment_store.h"

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

class SqlAttachmentStore final : public AttachmentStore {
 public:
  Result<std::int64_t> Add(Transaction& t, const Attachment& a) override {
    if (a.grievance_id.empty() || a.media_type.empty() || a.sealed.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "an attachment needs a case, a media type and its content");
    }
    auto& q = sql::Of(t);
    auto last = q.QueryInt(
        "SELECT max(seq) FROM public_grievance_attachments WHERE grievance_id = ?", a.grievance_id);
    if (!last) return Fail(last.error());
    const std::int64_t seq = last->value_or(0) + 1;
    auto r = q.Exec(
        "INSERT INTO public_grievance_attachments (grievance_id, seq, media_type, bytes, digest, "
        "sealed, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        a.grievance_id, seq, a.media_type, a.bytes, a.digest, a.sealed, a.added_at, a.added_by);
    if (!r) return Fail(r.error());
    return seq;
  }

  Result<std::vector<Attachment>> List(Transaction& t, const std::string& grievance_id) override {
    return sql::Of(t).QueryAll(
        "SELECT grievance_id, seq, media_type, bytes, digest, added_at, added_by "
        "FROM public_grievance_attachments WHERE grievance_id = ? ORDER BY seq",
        [](const sql::Row& r) {
          Attachment a;
          a.grievance_id = r.Text(0);
          a.seq = r.Int(1);
          a.media_type = r.Text(2);
          a.bytes = r.Int(3);
          a.digest = r.Text(4);
          a.added_at = r.Text(5);
          a.added_by = r.Text(6);
          return a;
        },
        grievance_id);
  }

  Result<std::optional<Attachment>> Get(Transaction& t, const std::string& grievance_id,
                                        std::int64_t seq) override {
    return sql::Of(t).QueryOne(
        "SELECT grievance_id, seq, media_type, bytes, digest, sealed, added_at, added_by "
        "FROM public_grievance_attachments WHERE grievance_id = ? AND seq = ?",
        [](const sql::Row& r) {
          return Attachment{r.Text(0), r.Int(1),  r.Text(2), r.Int(3),
                            r.Text(4), r.Text(5), r.Text(6), r.Text(7)};
        },
        grievance_id, seq);
  }
};

}  // namespace

std::unique_ptr<AttachmentStore> NewAttachmentStore() {
  return std::make_unique<SqlAttachmentStore>();
}

const Module& AttachmentModule() {
  static const Module kModule = {"public.attachments",
                                 {{1, R"sql(
CREATE TABLE public_grievance_attachments (
  grievance_id TEXT NOT NULL,
  seq          BIGINT NOT NULL CHECK (seq >= 1),
  media_type   TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  bytes        BIGINT NOT NULL CHECK (bytes > 0),
  digest       TEXT NOT NULL,
  sealed       TEXT NOT NULL,
  added_at     TEXT NOT NULL,
  added_by     TEXT NOT NULL,
  PRIMARY KEY (grievance_id, seq)
);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
