#include "corridor/service/judicial.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "corridor/common/date.h"
#include "corridor/common/uuid.h"
#include "corridor/model/json.h"
#include "service/judicial_builtin.h"
#include "service/workspace.h"

namespace corridor::service {
namespace {

using nlohmann::json;
using store::Transaction;
using workspace::AuditWrite;
using workspace::CheckDate;
using workspace::CheckList;
using workspace::CheckNoPersonalData;
using workspace::CheckRequired;
using workspace::Contains;
using workspace::Invalid;

const std::vector<std::string> kAssuranceKinds = {"death-penalty", "fair-trial"};

// The tab-separated rows of a config text, without comments and blank lines.
std::vector<std::vector<std::string>> Rows(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      cells.push_back(line.substr(start, tab - start));
    }
    cells.push_back(line.substr(start));
    rows.push_back(std::move(cells));
  }
  return rows;
}

std::string OneOf(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

Result<void> CheckEnum(const std::string& field, const std::string& value,
                       const std::vector<std::string>& values) {
  if (!Contains(values, value)) return Invalid(field, "expected one of " + OneOf(values));
  return {};
}

const OffenceCategory* FindOffence(const std::string& slug) {
  for (const auto& o : OffenceCategories()) {
    if (o.slug == slug) return &o;
  }
  return nullptr;
}

const RefusalGround* FindGround(const std::string& type, const std::string& slug) {
  for (const auto& g : RefusalGrounds()) {
    if (g.type == type && g.slug == slug) return &g;
  }
  return nullptr;
}

std::vector<const RefusalGround*> GroundsOf(const std::string& type) {
  std::vector<const RefusalGround*> out;
  for (const auto& g : RefusalGrounds()) {
    if (g.type == type) out.push_back(&g);
  }
  return out;
}

// The caller's organisation is a party to `r` and may `action` on its
// marking; the system reads every request.
bool MayUse(const Caller& caller, const store::JudicialRequest& r, auth::Action action) {
  if (caller.viewer.system && action == auth::Action::kReadCommittee) return true;
  const auto& org = caller.principal.org;
  return (org == r.requesting_org || org == r.requested_org) &&
         auth::Decide(caller.principal, action, &r.marking);
}

// The request as the caller may see it (MayUse). Anything else is "no
// request", exactly like a missing one.
Result<store::JudicialRequest> Visible(Transaction& tx, store::JudicialStore& s,
                                       const Caller& caller, const std::string& id,
                                       auth::Action action) {
  auto r = s.Get(tx, id);
  if (!r) return Fail(r.error());
  if (!*r || !MayUse(caller, **r, action)) {
    return Fail(ErrorCode::kNotFound, "no judicial request " + id);
  }
  return **r;
}

// Runs `fn` on the request inside one write transaction, after the writer checks.
template <typename T, typename F>
Result<T> Write(const Context& ctx, const Caller& caller, const std::string& id, F&& fn) {
  if (auto ok = workspace::RequireWriter(caller); !ok) return Fail(ok.error());
  auto s = store::NewJudicialStore();
  return store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<T> {
    auto r = Visible(tx, *s, caller, id, auth::Action::kManageCommittee);
    if (!r) return Fail(r.error());
    return fn(tx, *s, *r);
  });
}

// A move (MoveJudicialRequest): a step of the workflow that is not a
// decision (DecideJudicialRequest, with its checklist).
bool CanMove(const std::string& from, const std::string& to) {
  const bool decision = to == "executed" || to == "partially_executed" || to == "refused";
  return !decision && store::IsJudicialStep(from, to);
}

}  // namespace

const std::vector<OffenceCategory>& OffenceCategories() {
  static const std::vector<OffenceCategory> kAll = [] {
    std::vector<OffenceCategory> out;
    for (auto& row : Rows(BuiltinJudicialOffences())) {
      if (row.size() == 3) out.push_back({row[0], row[1], row[2]});
    }
    return out;
  }();
  return kAll;
}

const std::vector<RefusalGround>& RefusalGrounds() {
  static const std::vector<RefusalGround> kAll = [] {
    std::vector<RefusalGround> out;
    for (auto& row : Rows(BuiltinRefusalGrounds())) {
      if (row.size() == 6) out.push_back({row[0], row[1], row[2], row[3], row[4] == "yes", row[5]});
    }
    return out;
  }();
  return kAll;
}

std::string GroundBlockedReason(const RefusalGround& ground, const std::string& offence) {
  const OffenceCategory* o = FindOffence(offence);
  if (!ground.political || o == nullptr || !o->PoliticalOffenceExcluded()) return "";
  return "the political-offence ground is blocked: " + o->slug + " is an offence under the " +
         o->instrument + ", which (" + o->depoliticisation +
         ") forbids regarding it as a political offence";
}

Result<store::JudicialRequest> AddJudicialRequest(const Context& ctx, const Caller& caller,
                                                  const AddJudicialParams& p) {
  if (auto ok = workspace::RequireWriter(caller); !ok) return Fail(ok.error());
  std::vector<std::string> offences;
  for (const auto& o : OffenceCategories()) offences.push_back(o.slug);
  for (auto ok : {CheckEnum("/type", p.type, store::kJudicialTypes),
                  CheckEnum("/offence", p.offence, offences),
                  CheckEnum("/legal_basis", p.legal_basis, store::kLegalBases),
                  CheckEnum("/urgency", p.urgency, store::kUrgencies),
                  CheckRequired("/requesting", p.requesting, 200),
                  CheckRequired("/requested", p.requested, 200),
                  CheckList("/incidents", p.incidents, 1000, 64)}) {
    if (!ok) return Fail(ok.error());
  }
  if (!p.deadline.empty()) {
    if (auto ok = CheckDate("/deadline", p.deadline); !ok) return Fail(ok.error());
  }
  if (p.requesting == p.requested) {
    return Fail(ErrorCode::kInvalidArgument, "/requested: the requested state must differ");
  }
  for (const auto& [field, text] : {std::pair{"/reference", &p.reference},
                                    std::pair{"/requesting_authority", &p.requesting_authority},
                                    std::pair{"/requested_authority", &p.requested_authority}}) {
    if (text->size() > 500)
      return Fail(ErrorCode::kInvalidArgument, std::string(field) + ": at most 500 bytes");
    if (auto ok = CheckNoPersonalData(field, *text); !ok) return Fail(ok.error());
  }
  for (const auto& [field, org] :
       {std::pair{"/requesting", &p.requesting}, std::pair{"/requested", &p.requested}}) {
    if (!ctx.store.GetOrganisation(*org)) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(field) + ": no organisation " + *org + " on this instance");
    }
  }
  if (caller.principal.org != p.requesting && caller.principal.org != p.requested) {
    return Fail(ErrorCode::kInvalidArgument,
                "/requesting: your organisation must be the requesting or the requested one");
  }
  auto marking = workspace::MarkingOf(caller, p.marking, {p.requesting, p.requested});
  if (!marking) return Fail(marking.error());
  store::JudicialRequest r;
  r.id = Uuid::V4().str();
  r.reference = p.reference;
  r.type = p.type;
  r.requesting_org = p.requesting;
  r.requested_org = p.requested;
  r.requesting_authority = p.requesting_authority;
  r.requested_authority = p.requested_authority;
  r.legal_basis = p.legal_basis;
  r.offence = p.offence;
  r.incidents = p.incidents;
  r.urgency = p.urgency;
  r.deadline = p.deadline;
  r.state = "draft";
  r.marking = *marking;
  r.created = r.updated = NowTimestamp();
  auto s = store::NewJudicialStore();
  auto added = store::InWriteTransaction(ctx.store.database(),
                                         [&](Transaction& tx) { return s->Add(tx, r); });
  if (!added) return Fail(added.error());
  if (auto a = AuditWrite(ctx, caller, "judicial-request", r.id, r.marking,
                          {{"type", r.type}, {"offence", r.offence}, {"state", r.state}});
      !a) {
    return Fail(a.error());
  }
  return r;
}

Result<json> ShowJudicialRequest(const Context& ctx, const Caller& caller, const std::string& id) {
  if (auto ok = workspace::RequireReader(caller); !ok) return Fail(ok.error());
  auto s = store::NewJudicialStore();
  model::Marking marking;
  auto out = store::InReadTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<json> {
    auto r = Visible(tx, *s, caller, id, auth::Action::kReadCommittee);
    if (!r) return Fail(r.error());
    marking = r->marking;
    auto answers = s->Answers(tx, id);
    auto history = s->History(tx, id);
    auto assurances = s->Assurances(tx, id);
    if (!answers || !history || !assurances) {
      return Fail(!answers ? answers.error() : !history ? history.error() : assurances.error());
    }
    json j = ToJson(*r);
    j["checklist"] = json::array();
    for (const RefusalGround* g : GroundsOf(r->type)) {
      json item = {
          {"ground", g->slug}, {"kind", g->kind}, {"source", g->source}, {"text", g->text}};
      if (auto why = GroundBlockedReason(*g, r->offence); !why.empty()) item["blocked"] = why;
      for (const auto& a : *answers) {
        if (a.ground == g->slug) {
          item["answer"] = {
              {"applies", a.applies}, {"reason", a.reason}, {"at", a.at}, {"by", a.actor}};
        }
      }
      j["checklist"].push_back(item);
    }
    j["history"] = json::array();
    for (const auto& h : *history) {
      j["history"].push_back(
          {{"at", h.at}, {"by", h.actor}, {"from", h.from}, {"to", h.to}, {"note", h.note}});
    }
    j["assurances"] = json::array();
    for (const auto& a : *assurances) {
      j["assurances"].push_back(
          {{"kind", a.kind}, {"requested", a.requested_at}, {"received", a.received_at}});
    }
    return j;
  });
  if (!out) return Fail(out.error());
  if (auto a = AuditMarkedReads(ctx, caller, {{id, marking.tlp}}); !a) return Fail(a.error());
  return out;
}

Result<void> AnswerGround(const Context& ctx, const Caller& caller, const AnswerGroundParams& p) {
  if (auto ok = CheckRequired("/reason", p.reason, 5000); !ok) return Fail(ok.error());
  if (auto ok = CheckNoPersonalData("/reason", p.reason); !ok) return Fail(ok.error());
  model::Marking marking;
  auto done = Write<void>(
      ctx, caller, p.id,
      [&](Transaction& tx, store::JudicialStore& s,
          const store::JudicialRequest& r) -> Result<void> {
        const RefusalGround* g = FindGround(r.type, p.ground);
        if (g == nullptr) {
          std::vector<std::string> slugs;
          for (const auto* x : GroundsOf(r.type)) slugs.push_back(x->slug);
          return Invalid("/ground", "not on the " + r.type + " checklist (" + OneOf(slugs) + ")");
        }
        if (auto why = GroundBlockedReason(*g, r.offence); !why.empty() && p.applies) {
          return Fail(ErrorCode::kConflict, why);
        }
        marking = r.marking;
        return s.PutAnswer(tx, {p.id, p.ground, p.applies, p.reason, NowTimestamp(), caller.actor});
      });
  if (!done) return done;
  return AuditWrite(ctx, caller, "judicial-ground", p.id, marking,
                    {{"ground", p.ground}, {"applies", p.applies}});
}

Result<void> RecordConsultation(const Context& ctx, const Caller& caller, const std::string& id,
                                const std::string& note) {
  if (auto ok = CheckRequired("/note", note, 5000); !ok) return Fail(ok.error());
  if (auto ok = CheckNoPersonalData("/note", note); !ok) return Fail(ok.error());
  model::Marking marking;
  auto done =
      Write<void>(ctx, caller, id,
                  [&](Transaction& tx, store::JudicialStore& s, const store::JudicialRequest& r) {
                    marking = r.marking;
                    return s.SetConsultation(tx, id, note, NowTimestamp());
                  });
  if (!done) return done;
  return AuditWrite(ctx, caller, "judicial-consultation", id, marking);
}

namespace {

Result<store::JudicialRequest> SetState(Transaction& tx, store::JudicialStore& s,
                                        const Caller& caller, const store::JudicialRequest& r,
                                        const std::string& to, const std::string& note) {
  auto moved = s.SetState(tx, {r.id, NowTimestamp(), caller.actor, r.state, to, note});
  if (!moved) return Fail(moved.error());
  if (!*moved) return Fail(ErrorCode::kConflict, "request " + r.id + " changed state meanwhile");
  auto after = s.Get(tx, r.id);
  if (!after) return Fail(after.error());
  return **after;
}

}  // namespace

Result<store::JudicialRequest> MoveJudicialRequest(const Context& ctx, const Caller& caller,
                                                   const std::string& id, const std::string& to,
                                                   const std::string& note) {
  if (note.size() > 5000) return Fail(ErrorCode::kInvalidArgument, "/note: at most 5000 bytes");
  if (auto ok = CheckNoPersonalData("/note", note); !ok) return Fail(ok.error());
  auto moved = Write<store::JudicialRequest>(
      ctx, caller, id,
      [&](Transaction& tx, store::JudicialStore& s,
          const store::JudicialRequest& r) -> Result<store::JudicialRequest> {
        if (!CanMove(r.state, to)) {
          return Fail(ErrorCode::kConflict, "/to: a request that is " + r.state +
                                                " cannot become " + to +
                                                " (draft → sent → acknowledged → under_execution; "
                                                "withdrawn from any open state)");
        }
        return SetState(tx, s, caller, r, to, note);
      });
  if (!moved) return moved;
  if (auto a = AuditWrite(ctx, caller, "judicial-state", id, moved->marking, {{"to", to}}); !a) {
    return Fail(a.error());
  }
  return moved;
}

Result<store::JudicialRequest> DecideJudicialRequest(const Context& ctx, const Caller& caller,
                                                     const DecideJudicialParams& p) {
  if (auto ok = CheckEnum("/outcome", p.outcome, {"executed", "partially_executed", "refused"});
      !ok) {
    return Fail(ok.error());
  }
  if (auto ok = CheckNoPersonalData("/reason", p.reason); !ok) return Fail(ok.error());
  auto decided = Write<store::JudicialRequest>(
      ctx, caller, p.id,
      [&](Transaction& tx, store::JudicialStore& s,
          const store::JudicialRequest& r) -> Result<store::JudicialRequest> {
        if (p.outcome == "refused") {
          const RefusalGround* g = FindGround(r.type, p.ground);
          if (g == nullptr)
            return Fail(Invalid("/ground", "not on the " + r.type + " checklist").error());
          // The checklist's block comes first: no state or answer makes it usable.
          if (auto why = GroundBlockedReason(*g, r.offence); !why.empty()) {
            return Fail(ErrorCode::kConflict, why);
          }
          if (auto ok = CheckRequired("/reason", p.reason, 5000); !ok) return Fail(ok.error());
        }
        if (r.state != "acknowledged" && r.state != "under_execution") {
          return Fail(ErrorCode::kConflict,
                      "a request that is " + r.state + " cannot be decided (acknowledge it first)");
        }
        auto answers = s.Answers(tx, r.id);
        if (!answers) return Fail(answers.error());
        for (const RefusalGround* g : GroundsOf(r.type)) {
          auto a = std::find_if(answers->begin(), answers->end(),
                                [&](const store::GroundAnswer& x) { return x.ground == g->slug; });
          if (a == answers->end()) {
            return Fail(ErrorCode::kConflict, "ground " + g->slug + " (" + g->source +
                                                  ") is not answered: answer every ground first");
          }
          if (p.outcome == "refused" && g->slug == p.ground && !a->applies) {
            return Fail(ErrorCode::kConflict,
                        "ground " + g->slug + " was answered as not applying; answer it again");
          }
        }
        if (p.outcome == "refused" && r.consultation.empty()) {
          return Fail(ErrorCode::kConflict,
                      "a refusal needs a recorded prior consultation with the requesting state");
        }
        const std::string note =
            p.outcome == "refused" ? "ground " + p.ground + ": " + p.reason : p.reason;
        return SetState(tx, s, caller, r, p.outcome, note);
      });
  if (!decided) return decided;
  if (auto a = AuditWrite(ctx, caller, "judicial-decision", p.id, decided->marking,
                          {{"outcome", p.outcome}, {"ground", p.ground}});
      !a) {
    return Fail(a.error());
  }
  return decided;
}

Result<store::Assurance> TrackAssurance(const Context& ctx, const Caller& caller,
                                        const std::string& id, const std::string& kind,
                                        bool received) {
  if (auto ok = CheckEnum("/kind", kind, kAssuranceKinds); !ok) return Fail(ok.error());
  model::Marking marking;
  auto put =
      Write<store::Assurance>(ctx, caller, id,
                              [&](Transaction& tx, store::JudicialStore& s,
                                  const store::JudicialRequest& r) -> Result<store::Assurance> {
                                marking = r.marking;
                                auto all = s.Assurances(tx, id);
                                if (!all) return Fail(all.error());
                                store::Assurance a{id, kind, NowTimestamp(), ""};
                                for (const auto& x : *all) {
                                  if (x.kind == kind) a = x;
                                }
                                if (received) a.received_at = NowTimestamp();
                                if (auto ok = s.PutAssurance(tx, a); !ok) return Fail(ok.error());
                                return a;
                              });
  if (!put) return put;
  if (auto a = AuditWrite(ctx, caller, "judicial-assurance", id, marking,
                          {{"assurance", kind}, {"received", received}});
      !a) {
    return Fail(a.error());
  }
  return put;
}

Result<store::SharedEvidence> ShareEvidence(const Context& ctx, const Caller& caller,
                                            const std::string& id, const std::string& reference,
                                            const std::string& purpose) {
  for (const auto& [field, text] :
       {std::pair{"/reference", &reference}, std::pair{"/purpose", &purpose}}) {
    if (auto ok = CheckRequired(field, *text, 2000); !ok) return Fail(ok.error());
    if (auto ok = CheckNoPersonalData(field, *text); !ok) return Fail(ok.error());
  }
  model::Marking marking;
  auto added = Write<store::SharedEvidence>(
      ctx, caller, id,
      [&](Transaction& tx, store::JudicialStore& s,
          const store::JudicialRequest& r) -> Result<store::SharedEvidence> {
        if (caller.principal.org != r.requested_org) {
          return Fail(Invalid("/request", "only the requested state (" + r.requested_org +
                                              ") shares evidence in answer to a request")
                          .error());
        }
        marking = r.marking;
        store::SharedEvidence e{Uuid::V4().str(), id, reference, purpose, {}, NowTimestamp()};
        if (auto ok = s.AddEvidence(tx, e); !ok) return Fail(ok.error());
        return e;
      });
  if (!added) return added;
  if (auto a = AuditWrite(ctx, caller, "judicial-evidence", added->id, marking,
                          {{"request", id}, {"purpose", purpose}});
      !a) {
    return Fail(a.error());
  }
  return added;
}

namespace {

// The evidence and its request, as the caller may see them.
Result<std::pair<store::SharedEvidence, store::JudicialRequest>> EvidenceFor(
    Transaction& tx, store::JudicialStore& s, const Caller& caller, const std::string& evidence_id,
    auth::Action action) {
  auto e = s.GetEvidence(tx, evidence_id);
  if (!e) return Fail(e.error());
  if (!*e) return Fail(ErrorCode::kNotFound, "no evidence " + evidence_id);
  auto r = Visible(tx, s, caller, (*e)->request_id, action);
  if (!r) return Fail(ErrorCode::kNotFound, "no evidence " + evidence_id);
  return std::pair{**e, *r};
}

}  // namespace

Result<void> RecordConsent(const Context& ctx, const Caller& caller, const std::string& evidence_id,
                           const std::string& org) {
  if (auto ok = workspace::RequireWriter(caller); !ok) return Fail(ok.error());
  if (!ctx.store.GetOrganisation(org)) {
    return Fail(ErrorCode::kInvalidArgument, "/org: no organisation " + org + " on this instance");
  }
  auto s = store::NewJudicialStore();
  model::Marking marking;
  auto done = store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<void> {
    auto er = EvidenceFor(tx, *s, caller, evidence_id, auth::Action::kManageCommittee);
    if (!er) return Fail(er.error());
    if (caller.principal.org != er->second.requested_org) {
      return Fail(ErrorCode::kPermissionDenied,
                  "not allowed: only the requested state (" + er->second.requested_org +
                      ") consents to further use of the evidence it shared");
    }
    marking = er->second.marking;
    return s->AddConsent(tx, evidence_id, org);
  });
  if (!done) return done;
  return AuditWrite(ctx, caller, "speciality-consent", evidence_id, marking, {{"org", org}});
}

Result<json> ExportEvidence(const Context& ctx, const Caller& caller,
                            const std::string& evidence_id, const std::string& to_org) {
  if (auto ok = workspace::RequireReader(caller); !ok) return Fail(ok.error());
  if (auto ok = Require(caller, auth::Action::kExport); !ok) return Fail(ok.error());
  if (auto ok = CheckRequired("/to", to_org, 200); !ok) return Fail(ok.error());
  auto s = store::NewJudicialStore();
  auto er = store::InReadTransaction(ctx.store.database(), [&](Transaction& tx) {
    return EvidenceFor(tx, *s, caller, evidence_id, auth::Action::kReadCommittee);
  });
  if (!er) return Fail(er.error());
  const auto& [e, r] = *er;
  const bool party = to_org == r.requesting_org || to_org == r.requested_org;
  if (!party && !Contains(e.consented_orgs, to_org)) {
    json detail = {{"to", to_org}, {"request", r.id}, {"purpose", e.purpose}, {"via", caller.via}};
    if (auto a = Audit(ctx, caller, "speciality-refused", {e.id}, detail.dump()); !a) {
      return Fail(a.error());
    }
    return Fail(ErrorCode::kPermissionDenied,
                "not allowed: evidence " + e.id + " was shared by " + r.requested_org + " for \"" +
                    e.purpose + "\" only (speciality); " + to_org + " is a third party and " +
                    r.requested_org + "'s consent is not recorded");
  }
  json out = {{"id", e.id},
              {"request", r.id},
              {"reference", e.reference},
              {"purpose", e.purpose},
              {"shared", e.created},
              {"to", to_org},
              {"requested_state", r.requested_org}};
  json detail = {{"to", to_org}, {"request", r.id}, {"via", caller.via}};
  if (auto a = Audit(ctx, caller, "export", {e.id}, detail.dump()); !a) return Fail(a.error());
  return out;
}

namespace {

constexpr std::array<std::string_view, 4> kFinalStates = {"executed", "partially_executed",
                                                          "refused", "withdrawn"};

// The day of an RFC 3339 time or a YYYY-MM-DD date, as days since 1970.
std::optional<std::int64_t> DayOf(const std::string& when) {
  if (when.size() < 10) return std::nullopt;
  auto d = Date::ParseIso(when.substr(0, 10));
  if (!d) return std::nullopt;
  return d->days();
}

std::vector<JudicialReminder> Clocks(const store::JudicialRequest& r, std::int64_t last_move,
                                     std::int64_t today) {
  std::vector<JudicialReminder> out;
  const bool urgent = r.urgency == "urgent";
  const auto silent = static_cast<int>(today - last_move);
  if (r.state == "sent" && silent > (urgent ? 7 : 30)) {
    out.push_back({"unacknowledged", silent});
  } else if ((r.state == "acknowledged" || r.state == "under_execution") &&
             silent > (urgent ? 14 : 60)) {
    out.push_back({"no-progress", silent});
  }
  const bool open =
      std::find(kFinalStates.begin(), kFinalStates.end(), r.state) == kFinalStates.end();
  if (open && r.state != "draft" && !r.deadline.empty()) {
    if (auto deadline = DayOf(r.deadline); deadline && *deadline < today) {
      out.push_back({"past-deadline", static_cast<int>(today - *deadline)});
    }
  }
  return out;
}

}  // namespace

Result<std::vector<JudicialRow>> ListJudicialRequests(const Context& ctx, const Caller& caller,
                                                      const ListJudicialParams& p) {
  if (auto ok = workspace::RequireReader(caller); !ok) return Fail(ok.error());
  if (auto ok = workspace::CheckLimit(p.limit); !ok) return Fail(ok.error());
  if (!p.today.empty()) {
    if (auto ok = workspace::CheckDate("today", p.today); !ok) return Fail(ok.error());
  }
  const std::int64_t today = *DayOf(p.today.empty() ? workspace::Today() : p.today);
  auto s = store::NewJudicialStore();
  auto rows = store::InReadTransaction(
      ctx.store.database(), [&](Transaction& tx) -> Result<std::vector<JudicialRow>> {
        constexpr int kScanned = 10000;  // the newest requests, before the read filter
        auto all = s->List(tx, kScanned);
        if (!all) return Fail(all.error());
        auto moves = s->LastMoves(tx, kScanned);
        if (!moves) return Fail(moves.error());
        std::vector<JudicialRow> out;
        for (auto& r : *all) {
          if (!MayUse(caller, r, auth::Action::kReadCommittee)) continue;
          auto moved = moves->find(r.id);
          const std::string last = moved == moves->end() ? r.created : moved->second;
          JudicialRow row{std::move(r), last.substr(0, 10), {}};
          if (auto day = DayOf(last)) row.reminders = Clocks(row.request, *day, today);
          if (p.reminders_only && row.reminders.empty()) continue;
          out.push_back(std::move(row));
          if (out.size() >= static_cast<std::size_t>(p.limit)) break;
        }
        return out;
      });
  if (!rows) return Fail(rows.error());
  std::vector<MarkedObject> marked;
  marked.reserve(rows->size());
  for (const auto& row : *rows) marked.push_back({row.request.id, row.request.marking.tlp});
  if (auto a = AuditMarkedReads(ctx, caller, marked); !a) return Fail(a.error());
  return rows;
}

json ToJson(const JudicialRow& row) {
  json j = ToJson(row.request);
  j["last_move"] = row.last_move;
  j["reminders"] = json::array();
  for (const auto& r : row.reminders)
    j["reminders"].push_back({{"kind", r.kind}, {"days", r.days}});
  return j;
}

json ToJson(const store::JudicialRequest& r) {
  json j = {{"id", r.id},
            {"reference", r.reference},
            {"type", r.type},
            {"requesting", r.requesting_org},
            {"requested", r.requested_org},
            {"requesting_authority", r.requesting_authority},
            {"requested_authority", r.requested_authority},
            {"legal_basis", r.legal_basis},
            {"offence", r.offence},
            {"incidents", r.incidents},
            {"urgency", r.urgency},
            {"deadline", r.deadline},
            {"state", r.state},
            {"consultation", r.consultation},
            {"consultation_at", r.consultation_at},
            {"created", r.created},
            {"updated", r.updated}};
  j.update(workspace::MarkingToJson(r.marking));
  return j;
}

}  // namespace corridor::service
