// The consultation aggregate (corridor/store/consultation_store.h) over the typed SQL layer.
#include "corridor/store/consultation_store.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "store/karachi_month.h"
#include "store/sql/sql.h"

namespace corridor::store {
namespace {

constexpr const char* kConsultationColumns =
    "id, district, project_id, title, body, threshold, state, opened_by, opened_at, "
    "report_threshold, topic";
constexpr const char* kProposalColumns =
    "id, consultation_id, title, body, lang, created_at, supports, state, threshold_at, response, "
    "responded_by, responded_at, version, moderation, reports";

Consultation ReadConsultation(const sql::Row& r) {
  Consultation c;
  c.id = r.Text(0);
  c.district = r.Text(1);
  c.project_id = r.Text(2);
  c.title = r.Text(3);
  c.body = r.Text(4);
  c.threshold = r.Int(5);
  c.state = r.Text(6);
  c.opened_by = r.Text(7);
  c.opened_at = r.Text(8);
  c.report_threshold = r.Int(9);
  c.topic = r.Text(10);
  return c;
}

Proposal ReadProposal(const sql::Row& r) {
  Proposal p;
  p.id = r.Text(0);
  p.consultation_id = r.Text(1);
  p.title = r.Text(2);
  p.body = r.Text(3);
  p.lang = r.Text(4);
  p.created_at = r.Text(5);
  p.supports = r.Int(6);
  p.state = r.Text(7);
  p.threshold_at = r.Text(8);
  p.response = r.Text(9);
  p.responded_by = r.Text(10);
  p.responded_at = r.Text(11);
  p.version = r.Int(12);
  p.moderation = r.Text(13);
  p.reports = r.Int(14);
  return p;
}

constexpr const char* kCommentColumns =
    "id, proposal_id, parent_id, depth, body, lang, created_at, verified, moderation, reports, "
    "version";

Comment ReadComment(const sql::Row& r) {
  Comment c;
  c.id = r.Text(0);
  c.proposal_id = r.Text(1);
  c.parent_id = r.Text(2);
  c.depth = r.Int(3);
  c.body = r.Text(4);
  c.lang = r.Text(5);
  c.created_at = r.Text(6);
  c.verified = r.Bool(7);
  c.moderation = r.Text(8);
  c.reports = r.Int(9);
  c.version = r.Int(10);
  return c;
}

class SqlConsultationStore final : public ConsultationStore {
 public:
  Result<void> AddConsultation(Transaction& t, const Consultation& c) override {
    if (c.id.empty() || c.district.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "a consultation needs an id and a district");
    }
    auto& q = sql::Of(t);
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_consultations WHERE id = ?", c.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0)
      return Fail(ErrorCode::kConflict, "consultation " + c.id + " exists");
    auto r = q.Exec("INSERT INTO public_consultations (" + std::string(kConsultationColumns) +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    c.id, c.district, c.project_id, c.title, c.body, c.threshold, c.state,
                    c.opened_by, c.opened_at, c.report_threshold, c.topic);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::optional<Consultation>> GetConsultation(Transaction& t,
                                                      const std::string& id) override {
    return sql::Of(t).QueryOne(
        "SELECT " + std::string(kConsultationColumns) + " FROM public_consultations WHERE id = ?",
        ReadConsultation, id);
  }

  Result<std::vector<Consultation>> ListConsultations(Transaction& t,
                                                      const std::string& district) override {
    return sql::Of(t).QueryAll("SELECT " + std::string(kConsultationColumns) +
                                   " FROM public_consultations WHERE (? = '' OR district = ?) "
                                   "ORDER BY opened_at DESC, id",
                               ReadConsultation, district, district);
  }

  Result<void> AddCodes(Transaction& t, const std::string& batch, const std::string& district,
                        const std::vector<std::string>& digests,
                        const std::string& issued_at) override {
    auto& q = sql::Of(t);
    for (const auto& d : digests) {
      if (d.empty()) return Fail(ErrorCode::kInvalidArgument, "an empty code digest");
      auto held = q.QueryInt("SELECT COUNT(*) FROM public_participation_codes WHERE digest = ?", d);
      if (!held) return Fail(held.error());
      if (held->value_or(0) > 0) {
        return Fail(ErrorCode::kConflict, "a participation code of batch " + batch +
                                              " is already held (nothing recorded)");
      }
      auto r = q.Exec(
          "INSERT INTO public_participation_codes (digest, district, batch, issued_at) "
          "VALUES (?, ?, ?, ?)",
          d, district, batch, issued_at);
      if (!r) return Fail(r.error());
    }
    return {};
  }

  Result<std::optional<std::string>> CodeDistrict(Transaction& t,
                                                  const std::string& digest) override {
    return sql::Of(t).QueryOne(
        "SELECT district FROM public_participation_codes WHERE digest = ?",
        [](const sql::Row& r) { return r.Text(0); }, digest);
  }

  Result<void> AddProposal(Transaction& t, const Proposal& p) override {
    if (p.id.empty()) return Fail(ErrorCode::kInvalidArgument, "a proposal needs an id");
    auto& q = sql::Of(t);
    auto c =
        q.QueryInt("SELECT COUNT(*) FROM public_consultations WHERE id = ?", p.consultation_id);
    if (!c) return Fail(c.error());
    if (c->value_or(0) == 0) {
      return Fail(ErrorCode::kNotFound, "no consultation " + p.consultation_id);
    }
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_proposals WHERE id = ?", p.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return Fail(ErrorCode::kConflict, "proposal " + p.id + " exists");
    auto r = q.Exec("INSERT INTO public_proposals (" + std::string(kProposalColumns) +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    p.id, p.consultation_id, p.title, p.body, p.lang, p.created_at, p.supports,
                    p.state, p.threshold_at, p.response, p.responded_by, p.responded_at, p.version,
                    p.moderation, p.reports);
    if (!r) return Fail(r.error());
    return {};
  }

  Result<std::optional<Proposal>> GetProposal(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        "SELECT " + std::string(kProposalColumns) + " FROM public_proposals WHERE id = ?",
        ReadProposal, id);
  }

  Result<std::vector<Proposal>> ListProposals(Transaction& t,
                                              const std::string& consultation_id) override {
    return sql::Of(t).QueryAll("SELECT " + std::string(kProposalColumns) +
                                   " FROM public_proposals WHERE consultation_id = ? "
                                   "ORDER BY created_at, id",
                               ReadProposal, consultation_id);
  }

  Result<std::optional<std::int64_t>> Support(Transaction& t, const std::string& proposal_id,
                                              const std::string& support_digest,
                                              const std::string& at) override {
    if (support_digest.empty()) return Fail(ErrorCode::kInvalidArgument, "an empty support digest");
    auto& q = sql::Of(t);
    auto p = GetProposal(t, proposal_id);
    if (!p) return Fail(p.error());
    if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + proposal_id);
    auto held =
        q.QueryInt("SELECT COUNT(*) FROM public_supports WHERE proposal_id = ? AND digest = ?",
                   proposal_id, support_digest);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return std::optional<std::int64_t>();
    if (auto r = q.Exec("INSERT INTO public_supports (proposal_id, digest) VALUES (?, ?)",
                        proposal_id, support_digest);
        !r) {
      return Fail(r.error());
    }
    auto threshold = q.QueryInt("SELECT threshold FROM public_consultations WHERE id = ?",
                                (*p)->consultation_id);
    if (!threshold) return Fail(threshold.error());
    const std::int64_t count = (*p)->supports + 1;
    const bool reached = (*p)->state == "open" && count >= threshold->value_or(0);
    auto r = q.Exec(
        "UPDATE public_proposals SET supports = ?, state = ?, threshold_at = ?, "
        "version = version + 1 WHERE id = ?",
        count, reached ? std::string("response-due") : (*p)->state,
        reached ? at : (*p)->threshold_at, proposal_id);
    if (!r) return Fail(r.error());
    return std::optional<std::int64_t>(count);
  }

  Result<std::optional<std::int64_t>> Report(Transaction& t, const std::string& proposal_id,
                                             const std::string& report_digest,
                                             const std::string& at) override {
    if (report_digest.empty()) return Fail(ErrorCode::kInvalidArgument, "an empty report digest");
    auto& q = sql::Of(t);
    auto p = GetProposal(t, proposal_id);
    if (!p) return Fail(p.error());
    if (!*p) return Fail(ErrorCode::kNotFound, "no proposal " + proposal_id);
    auto held =
        q.QueryInt("SELECT COUNT(*) FROM public_reports WHERE proposal_id = ? AND digest = ?",
                   proposal_id, report_digest);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return std::optional<std::int64_t>();
    if (auto r = q.Exec("INSERT INTO public_reports (proposal_id, digest) VALUES (?, ?)",
                        proposal_id, report_digest);
        !r) {
      return Fail(r.error());
    }
    auto threshold = q.QueryInt("SELECT report_threshold FROM public_consultations WHERE id = ?",
                                (*p)->consultation_id);
    if (!threshold) return Fail(threshold.error());
    const std::int64_t count = (*p)->reports + 1;
    const bool hold = (*p)->moderation.empty() && count >= threshold->value_or(3);
    auto r = q.Exec(
        "UPDATE public_proposals SET reports = ?, moderation = ?, version = version + 1 "
        "WHERE id = ?",
        count, hold ? std::string("held") : (*p)->moderation, proposal_id);
    if (!r) return Fail(r.error());
    if (hold) {
      if (auto e = Log(t, {0, at, proposal_id, "held", "reports", ""}); !e) return Fail(e.error());
    }
    return std::optional<std::int64_t>(count);
  }

  Result<std::vector<ProposalCount>> Counts(Transaction& t) override {
    std::map<std::tuple<std::string, std::string, std::string>, std::int64_t> tally;
    auto r = sql::Of(t).QueryArgs(
        "SELECT c.district, c.topic, p.created_at FROM public_proposals p "
        "JOIN public_consultations c ON c.id = p.consultation_id",
        {}, [&](const sql::Row& row) {
          ++tally[{row.Text(0), row.Text(1), KarachiMonthOf(row.Text(2))}];
          return true;
        });
    if (!r) return Fail(r.error());
    std::vector<ProposalCount> out;
    out.reserve(tally.size());
    for (const auto& [key, n] : tally) {
      out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
    }
    return out;
  }

  Result<ModerationEntry> Log(Transaction& t, const ModerationEntry& e) override {
    auto& q = sql::Of(t);
    auto last = q.QueryInt("SELECT max(seq) FROM public_moderation_log");
    if (!last) return Fail(last.error());
    ModerationEntry out = e;
    out.seq = last->value_or(0) + 1;
    auto r = q.Exec(
        "INSERT INTO public_moderation_log (seq, at, proposal_id, decision, rule, comment_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        out.seq, out.at, out.proposal_id, out.decision, out.rule, out.comment_id);
    if (!r) return Fail(r.error());
    return out;
  }

  Result<std::vector<ModerationEntry>> ModerationLog(Transaction& t, int limit) override {
    if (limit < 1 || limit > 1000) return Fail(ErrorCode::kInvalidArgument, "limit: 1 to 1000");
    return sql::Of(t).QueryAll(
        "SELECT seq, at, proposal_id, decision, rule, comment_id FROM public_moderation_log "
        "ORDER BY seq DESC LIMIT ?",
        [](const sql::Row& r) {
          return ModerationEntry{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
        },
        limit);
  }

  Result<bool> UpdateProposal(Transaction& t, const Proposal& expected,
                              const Proposal& next) override {
    auto& q = sql::Of(t);
    auto changed = q.Exec(
        "UPDATE public_proposals SET state = ?, response = ?, responded_by = ?, responded_at = ?, "
        "moderation = ?, title = ?, body = ?, reports = ?, version = ? WHERE id = ? AND "
        "version = ?",
        next.state, next.response, next.responded_by, next.responded_at, next.moderation,
        next.title, next.body, std::max<std::int64_t>(next.reports, 0), expected.version + 1,
        expected.id, expected.version);
    if (!changed) return Fail(changed.error());
    if (*changed == 1) return true;
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_proposals WHERE id = ?", expected.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no proposal " + expected.id);
    return false;
  }

  Result<Comment> AddComment(Transaction& t, const Comment& c) override {
    if (c.id.empty()) return Fail(ErrorCode::kInvalidArgument, "a comment needs an id");
    auto& q = sql::Of(t);
    auto p = q.QueryInt("SELECT COUNT(*) FROM public_proposals WHERE id = ?", c.proposal_id);
    if (!p) return Fail(p.error());
    if (p->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no proposal " + c.proposal_id);
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_comments WHERE id = ?", c.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return Fail(ErrorCode::kConflict, "comment " + c.id + " exists");
    Comment out = c;
    out.depth = 0;
    if (!c.parent_id.empty()) {
      auto parent = GetComment(t, c.parent_id);
      if (!parent) return Fail(parent.error());
      if (!*parent || (*parent)->proposal_id != c.proposal_id) {
        return Fail(ErrorCode::kNotFound, "no comment " + c.parent_id + " on this proposal");
      }
      out.depth = (*parent)->depth + 1;
    }
    auto r = q.Exec("INSERT INTO public_comments (" + std::string(kCommentColumns) +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    out.id, out.proposal_id, out.parent_id, out.depth, out.body, out.lang,
                    out.created_at, std::int64_t{out.verified ? 1 : 0}, out.moderation, out.reports,
                    out.version);
    if (!r) return Fail(r.error());
    return out;
  }

  Result<std::optional<Comment>> GetComment(Transaction& t, const std::string& id) override {
    return sql::Of(t).QueryOne(
        "SELECT " + std::string(kCommentColumns) + " FROM public_comments WHERE id = ?",
        ReadComment, id);
  }

  Result<std::vector<Comment>> ListComments(Transaction& t,
                                            const std::string& consultation_id) override {
    return sql::Of(t).QueryAll(
        "SELECT cm.id, cm.proposal_id, cm.parent_id, cm.depth, cm.body, cm.lang, cm.created_at, "
        "cm.verified, cm.moderation, cm.reports, cm.version FROM public_comments cm "
        "JOIN public_proposals p ON p.id = cm.proposal_id WHERE p.consultation_id = ? "
        "ORDER BY cm.created_at, cm.id",
        ReadComment, consultation_id);
  }

  Result<std::int64_t> CountComments(Transaction& t, const std::string& proposal_id) override {
    auto n = sql::Of(t).QueryInt(
        "SELECT COUNT(*) FROM public_comments WHERE proposal_id = ? AND moderation = ''",
        proposal_id);
    if (!n) return Fail(n.error());
    return n->value_or(0);
  }

  Result<std::optional<std::int64_t>> ReportComment(Transaction& t, const std::string& comment_id,
                                                    const std::string& report_digest,
                                                    const std::string& at) override {
    if (report_digest.empty()) return Fail(ErrorCode::kInvalidArgument, "an empty report digest");
    auto& q = sql::Of(t);
    auto c = GetComment(t, comment_id);
    if (!c) return Fail(c.error());
    if (!*c) return Fail(ErrorCode::kNotFound, "no comment " + comment_id);
    auto held = q.QueryInt(
        "SELECT COUNT(*) FROM public_comment_reports WHERE comment_id = ? AND digest = ?",
        comment_id, report_digest);
    if (!held) return Fail(held.error());
    if (held->value_or(0) > 0) return std::optional<std::int64_t>();
    if (auto r = q.Exec("INSERT INTO public_comment_reports (comment_id, digest) VALUES (?, ?)",
                        comment_id, report_digest);
        !r) {
      return Fail(r.error());
    }
    auto threshold = q.QueryInt(
        "SELECT k.report_threshold FROM public_proposals p "
        "JOIN public_consultations k ON k.id = p.consultation_id WHERE p.id = ?",
        (*c)->proposal_id);
    if (!threshold) return Fail(threshold.error());
    const std::int64_t count = (*c)->reports + 1;
    const bool hold = (*c)->moderation.empty() && count >= threshold->value_or(3);
    auto r = q.Exec(
        "UPDATE public_comments SET reports = ?, moderation = ?, version = version + 1 "
        "WHERE id = ?",
        count, hold ? std::string("held") : (*c)->moderation, comment_id);
    if (!r) return Fail(r.error());
    if (hold) {
      if (auto e = Log(t, {0, at, (*c)->proposal_id, "held", "reports", comment_id}); !e) {
        return Fail(e.error());
      }
    }
    return std::optional<std::int64_t>(count);
  }

  Result<bool> UpdateComment(Transaction& t, const Comment& expected,
                             const Comment& next) override {
    auto& q = sql::Of(t);
    auto changed = q.Exec(
        "UPDATE public_comments SET moderation = ?, body = ?, reports = ?, version = ? "
        "WHERE id = ? AND version = ?",
        next.moderation, next.body, std::max<std::int64_t>(next.reports, 0), expected.version + 1,
        expected.id, expected.version);
    if (!changed) return Fail(changed.error());
    if (*changed == 1) return true;
    auto held = q.QueryInt("SELECT COUNT(*) FROM public_comments WHERE id = ?", expected.id);
    if (!held) return Fail(held.error());
    if (held->value_or(0) == 0) return Fail(ErrorCode::kNotFound, "no comment " + expected.id);
    return false;
  }

  Result<std::vector<Comment>> HeldComments(Transaction& t) override {
    return sql::Of(t).QueryAll("SELECT " + std::string(kCommentColumns) +
                                   " FROM public_comments WHERE moderation = 'held' "
                                   "ORDER BY created_at, id",
                               ReadComment);
  }
};

}  // namespace

std::unique_ptr<ConsultationStore> NewConsultationStore() {
  return std::make_unique<SqlConsultationStore>();
}

const Module& ConsultationModule() {
  static const Module kModule = {"public.consultations",
                                 {{1, R"sql(
CREATE TABLE public_consultations (
  id         TEXT PRIMARY KEY NOT NULL,
  district   TEXT NOT NULL,
  project_id TEXT NOT NULL,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL,
  threshold  BIGINT NOT NULL CHECK (threshold >= 1),
  state      TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  opened_by  TEXT NOT NULL,
  opened_at  TEXT NOT NULL
);
CREATE INDEX public_consultations_district ON public_consultations (district, opened_at);
CREATE TABLE public_participation_codes (
  digest    TEXT PRIMARY KEY NOT NULL,
  district  TEXT NOT NULL,
  batch     TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
CREATE TABLE public_proposals (
  id              TEXT PRIMARY KEY NOT NULL,
  consultation_id TEXT NOT NULL REFERENCES public_consultations (id),
  title           TEXT NOT NULL,
  body            TEXT NOT NULL,
  lang            TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  supports        BIGINT NOT NULL CHECK (supports >= 0),
  state           TEXT NOT NULL CHECK (state IN ('open', 'response-due', 'answered')),
  threshold_at    TEXT NOT NULL,
  response        TEXT NOT NULL,
  responded_by    TEXT NOT NULL,
  responded_at    TEXT NOT NULL,
  version         BIGINT NOT NULL
);
CREATE INDEX public_proposals_consultation ON public_proposals (consultation_id, created_at);
CREATE TABLE public_supports (
  proposal_id TEXT NOT NULL REFERENCES public_proposals (id),
  digest      TEXT NOT NULL,
  PRIMARY KEY (proposal_id, digest)
);
)sql",
                                   ""},
                                  {2, R"sql(
ALTER TABLE public_consultations ADD COLUMN report_threshold BIGINT NOT NULL DEFAULT 3;
ALTER TABLE public_proposals ADD COLUMN moderation TEXT NOT NULL DEFAULT '';
ALTER TABLE public_proposals ADD COLUMN reports BIGINT NOT NULL DEFAULT 0;
CREATE TABLE public_reports (
  proposal_id TEXT NOT NULL REFERENCES public_proposals (id),
  digest      TEXT NOT NULL,
  PRIMARY KEY (proposal_id, digest)
);
CREATE TABLE public_moderation_log (
  seq         BIGINT PRIMARY KEY NOT NULL,
  at          TEXT NOT NULL,
  proposal_id TEXT NOT NULL,
  decision    TEXT NOT NULL CHECK (decision IN ('held', 'hidden', 'restored', 'edited')),
  rule        TEXT NOT NULL
);
)sql",
                                   ""},
                                  {3, R"sql(
ALTER TABLE public_consultations ADD COLUMN topic TEXT NOT NULL DEFAULT 'other';
)sql",
                                   ""},
                                  {4, R"sql(
CREATE TABLE public_comments (
  id          TEXT PRIMARY KEY NOT NULL,
  proposal_id TEXT NOT NULL REFERENCES public_proposals (id),
  parent_id   TEXT NOT NULL,
  depth       BIGINT NOT NULL CHECK (depth >= 0),
  body        TEXT NOT NULL,
  lang        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  verified    BIGINT NOT NULL CHECK (verified IN (0, 1)),
  moderation  TEXT NOT NULL CHECK (moderation IN ('', 'held', 'hidden')),
  reports     BIGINT NOT NULL CHECK (reports >= 0),
  version     BIGINT NOT NULL
);
CREATE INDEX public_comments_proposal ON public_comments (proposal_id, created_at);
CREATE INDEX public_comments_moderation ON public_comments (moderation);
CREATE TABLE public_comment_reports (
  comment_id TEXT NOT NULL REFERENCES public_comments (id),
  digest     TEXT NOT NULL,
  PRIMARY KEY (comment_id, digest)
);
ALTER TABLE public_moderation_log ADD COLUMN comment_id TEXT NOT NULL DEFAULT '';
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
