#include "corridor/public_side/grievances.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <type_traits>

#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/passphrase.h"
#include "corridor/release/release.h"
#include "corridor/store/grievance_store.h"
#include "corridor/store/public_store.h"
#include "public/grievance_access.h"

namespace corridor::public_side {
namespace {

using model::GrievanceAction;
using model::GrievanceState;
using model::GrievanceTier;
using nlohmann::json;

const Error& NoSuchCase() {
  static const Error kError{ErrorCode::kNotFound,
                            "no grievance with this receipt code and passphrase"};
  return kError;
}

bool Contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// The same Argon2id parameters as a real passphrase hash, over a passphrase
// no one holds: an unknown receipt costs as much time as a wrong passphrase.
const std::string& DecoyHash() {
  static const std::string kHash = [] {
    auto h = auth::HashPassword(auth::RandomToken(16));
    return h ? *h : std::string();
  }();
  return kHash;
}

Result<void> CheckInput(const GrievanceInput& in) {
  if (in.district.empty() && in.project.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "district: name a district or a project");
  }
  if (!in.district.empty() && !Contains(release::Districts(), in.district)) {
    return Fail(ErrorCode::kInvalidArgument,
                "district: '" + Excerpt(in.district, 16) + "' is not a district P-code");
  }
  if (!Contains(release::Topics(), in.topic)) {
    return Fail(ErrorCode::kInvalidArgument,
                "topic: expected one of config/grievance_topics.txt (land-compensation, …)");
  }
  if (!Contains(release::Channels(), in.channel)) {
    return Fail(ErrorCode::kInvalidArgument,
                "channel: expected web, phone, in-person, letter or sms");
  }
  if (in.lang != "ur" && in.lang != "en" && in.lang != "zh") {
    return Fail(ErrorCode::kInvalidArgument, "lang: expected ur, en or zh");
  }
  if (Trim(in.description).empty()) {
    return Fail(ErrorCode::kInvalidArgument, "description: empty");
  }
  if (auto ok = CheckText("description", in.description, kMaxGrievanceText, true); !ok) return ok;
  if (auto ok = CheckText("contact", in.contact, kMaxContact); !ok) return ok;
  return CheckText("project", in.project, 64);
}

// Whether the current tier began with an appeal against an ineligibility
// decision (then this tier decides eligibility again).
bool AppealedFromIneligible(const model::Grievance& g,
                            const std::vector<model::GrievanceEvent>& events) {
  for (std::size_t i = events.size(); i-- > 1;) {
    if (events[i].action == GrievanceAction::kAppeal && events[i].tier == g.tier) {
      return events[i - 1].state == GrievanceState::kIneligible;
    }
  }
  return false;
}

// Who may not handle the case: the officer who filed it on the resident's
// behalf (they were given its receipt and passphrase) and every officer who
// acted on it at an earlier tier (an appeal goes to someone else).
std::set<std::string> Excluded(const model::Grievance& g,
                               const std::vector<model::GrievanceEvent>& events) {
  std::set<std::string> out;
  for (const auto& e : events) {
    if (e.actor == "resident") continue;
    if (e.action == GrievanceAction::kFile || e.tier < g.tier) out.insert(e.actor);
  }
  return out;
}

// `now` as stored: UTC, whole seconds ("2026-03-19T05:00:00.000Z").
Result<std::string> Canonical(const std::string& now) {
  const auto t = ParseRfc3339(now);
  if (!t)
    return Fail(ErrorCode::kInvalidArgument,
                "now: '" + Excerpt(now, 40) + "' is not an RFC 3339 time");
  return FormatUnixTimestamp(*t);
}

std::string Day(const std::string& rfc3339) {
  const auto t = ParseRfc3339(rfc3339);
  return t ? KarachiDate(*t).iso() : std::string();
}

Result<GrievanceView> View(store::Transaction& tx, model::Grievance g, const std::string& now) {
  auto events = store::NewGrievanceStore()->Events(tx, g.id);
  if (!events) return Fail(events.error());
  GrievanceView v;
  v.milestones = Milestones(g, *events, now, WorkingCalendar::Pakistan(), &v.beyond_calendar);
  v.overdue = std::any_of(v.milestones.begin(), v.milestones.end(),
                          [](const Milestone& m) { return m.overdue; });
  v.grievance = std::move(g);
  v.events = std::move(*events);
  return v;
}

// Argon2id takes 64 MiB and tens of milliseconds: at most two run at once
// (the machine's cores), so a flood of guesses queues instead of exhausting
// memory, and a resident's right passphrase is never refused for want of it.
class Argon2Gate {
 public:
  bool Verify(const std::string& phrase, const std::string& hash) {
    return Run([&] {
      const bool right = !phrase.empty() && !hash.empty() && auth::VerifyPassword(phrase, hash);
      // An empty phrase costs as much as any other (no early answer).
      if (phrase.empty() || hash.empty()) (void)auth::VerifyPassword("-", DecoyHash());
      return right;
    });
  }
  Result<std::string> Hash(const std::string& phrase) {
    return Run([&] { return auth::HashPassword(phrase); });
  }

 private:
  template <typename F>
  std::invoke_result_t<F&> Run(F&& f) {
    std::unique_lock lock(mutex_);
    free_.wait(lock, [&] { return running_ < kAtOnce; });
    ++running_;
    lock.unlock();
    auto result = f();
    lock.lock();
    --running_;
    free_.notify_one();
    return result;
  }

  static constexpr int kAtOnce = 2;
  std::mutex mutex_;
  std::condition_variable free_;
  int running_ = 0;
};

Argon2Gate& Gate() {
  static Argon2Gate gate;
  return gate;
}

// Checks a receipt and passphrase. The attempt is counted against the
// receipt *before* the passphrase is checked, in one write transaction (so
// parallel guesses cannot outrun the limit), and the count is cleared after
// a right one. An unknown receipt takes the same steps: a write transaction
// and an Argon2id check against a decoy.
Result<model::Grievance> Unlock(store::Database& db, std::string_view receipt,
                                std::string_view passphrase, const std::string& now) {
  const std::string normal = NormaliseReceipt(receipt);
  const std::string phrase = NormalisePassphrase(passphrase);
  const std::string digest = normal.empty() ? std::string("-") : ReceiptDigest(normal);
  auto grievances = store::NewGrievanceStore();
  const auto now_s = ParseRfc3339(now).value_or(0);
  struct Counted {
    std::optional<model::Grievance> g;  // nullopt: unknown or locked
  };
  auto counted = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<Counted> {
    auto found = grievances->FindByReceipt(tx, digest);
    if (!found) return Fail(found.error());
    if (!*found) return Counted{};
    const model::Grievance& g = **found;
    const auto since = ParseRfc3339(g.attempts_since);
    const bool window_open = since && now_s >= *since && now_s - *since < kAttemptWindowSeconds;
    if (window_open && g.failed_attempts >= kMaxFailedAttempts) return Counted{};
    model::Grievance next = g;
    next.failed_attempts = window_open ? g.failed_attempts + 1 : 1;
    next.attempts_since = window_open ? g.attempts_since : now;
    auto written = grievances->Update(tx, g, next, std::nullopt);
    if (!written) return Fail(written.error());
    if (!*written) return Fail(ErrorCode::kInternal, "a grievance changed inside a write");
    next.version = g.version + 1;
    return Counted{std::move(next)};
  });
  if (!counted) return Fail(counted.error());
  if (!counted->g) {
    (void)Gate().Verify(phrase, DecoyHash());
    return Fail(NoSuchCase());
  }
  if (!Gate().Verify(phrase, counted->g->passphrase_hash)) return Fail(NoSuchCase());
  // Right: clear the count (compare-and-set; a writer in between only moved it on).
  auto cleared =
      store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<model::Grievance> {
        auto g = grievances->Get(tx, counted->g->id);
        if (!g) return Fail(g.error());
        if (!*g) return Fail(NoSuchCase());
        model::Grievance next = **g;
        next.failed_attempts = 0;
        next.attempts_since.clear();
        auto written = grievances->Update(tx, **g, next, std::nullopt);
        if (!written) return Fail(written.error());
        next.version = (*g)->version + 1;
        return next;
      });
  return cleared;
}

// Applies `action` by `actor` to `g` (as read in `tx`): the next state, or
// kConflict naming why the state does not allow it.
Result<model::Grievance> Transition(const model::Grievance& g, GrievanceAction action,
                                    const std::string& actor, const std::string& text,
                                    const std::string& now, bool from_ineligible = false) {
  model::Grievance next = g;
  const auto refuse = [&](std::string_view what) -> Result<model::Grievance> {
    return Fail(ErrorCode::kConflict, "cannot " + std::string(model::GrievanceActionName(action)) +
                                          " a case that is " +
                                          std::string(model::GrievanceStateName(g.state)) + " (" +
                                          std::string(what) + ")");
  };
  if (g.state == GrievanceState::kClosed) return refuse("it is closed");
  const bool needs_text = action == GrievanceAction::kIneligible ||
                          action == GrievanceAction::kAsk || action == GrievanceAction::kAnswer ||
                          action == GrievanceAction::kUpdate ||
                          action == GrievanceAction::kPropose ||
                          action == GrievanceAction::kClose || action == GrievanceAction::kAssign;
  if (needs_text && Trim(text).empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "text: " + std::string(model::GrievanceActionName(action)) + " needs a text");
  }
  switch (action) {
    case GrievanceAction::kAcknowledge:
      if (g.state == GrievanceState::kReceived) {
        next.state = GrievanceState::kAcknowledged;
      } else if (g.state == GrievanceState::kAppealed) {
        // An appeal against ineligibility is decided again at this tier; an
        // appeal against a proposal is investigated for a new proposal.
        next.state = from_ineligible ? GrievanceState::kAcknowledged : GrievanceState::kEligible;
      } else {
        return refuse("only a received or appealed case is acknowledged");
      }
      if (next.officer.empty()) next.officer = actor;
      break;
    case GrievanceAction::kEligible:
    case GrievanceAction::kIneligible:
      if (g.state != GrievanceState::kAcknowledged) return refuse("acknowledge it first");
      next.state = action == GrievanceAction::kEligible ? GrievanceState::kEligible
                                                        : GrievanceState::kIneligible;
      break;
    case GrievanceAction::kAsk:
    case GrievanceAction::kAnswer:
      break;
    case GrievanceAction::kUpdate:
      if (g.state != GrievanceState::kEligible) return refuse("updates are for eligible cases");
      break;
    case GrievanceAction::kPropose:
      if (g.state != GrievanceState::kEligible) return refuse("it must be eligible");
      next.state = GrievanceState::kProposed;
      break;
    case GrievanceAction::kAccept:
      if (g.state != GrievanceState::kProposed && g.state != GrievanceState::kIneligible) {
        return refuse("there is no proposal or decision to accept");
      }
      next.state = GrievanceState::kClosed;
      break;
    case GrievanceAction::kAppeal:
      if (g.state != GrievanceState::kProposed && g.state != GrievanceState::kIneligible) {
        return refuse("there is no proposal or decision to appeal");
      }
      if (g.tier == GrievanceTier::kCommittee) return refuse("the committee tier is the last");
      next.tier =
          g.tier == GrievanceTier::kProject ? GrievanceTier::kProvince : GrievanceTier::kCommittee;
      next.state = GrievanceState::kAppealed;
      next.tier_started_at = now;
      next.officer.clear();  // the next tier's officer takes it
      break;
    case GrievanceAction::kClose:
      next.state = GrievanceState::kClosed;
      break;
    case GrievanceAction::kAssign:
      next.officer = text;
      break;
    case GrievanceAction::kFile:
      return refuse("a case is filed once");
  }
  return next;
}

// Writes `next` over `g` with its event and audit entry, in `tx`.
Result<GrievanceView> Commit(store::Transaction& tx, PublicAuditLog& audit,
                             const model::Grievance& g, const model::Grievance& next,
                             GrievanceAction action, const std::string& actor,
                             const std::string& text, const std::string& now) {
  auto grievances = store::NewGrievanceStore();
  auto events = grievances->Events(tx, g.id);
  if (!events) return Fail(events.error());
  model::GrievanceEvent e;
  e.grievance_id = g.id;
  e.seq = static_cast<std::int64_t>(events->size()) + 1;
  e.at = now;
  e.actor = actor;
  e.action = action;
  e.text = action == GrievanceAction::kAssign ? "" : text;
  e.state = next.state;
  e.tier = next.tier;
  auto written = grievances->Update(tx, g, next, e);
  if (!written) return Fail(written.error());
  if (!*written) return Fail(ErrorCode::kConflict, "the case changed meanwhile; try again");
  json detail = {{"state", model::GrievanceStateName(next.state)},
                 {"tier", model::GrievanceTierName(next.tier)}};
  if (action == GrievanceAction::kAssign) detail["officer"] = next.officer;
  if (auto r =
          audit.Record(tx, actor, "grievance-" + std::string(model::GrievanceActionName(action)),
                       {g.id}, detail.dump());
      !r) {
    return Fail(r.error());
  }
  auto stored = grievances->Get(tx, g.id);
  if (!stored) return Fail(stored.error());
  if (!*stored) return Fail(ErrorCode::kInternal, "grievance " + g.id + " vanished in a write");
  return View(tx, **stored, now);
}

}  // namespace

bool MaySee(const model::Grievance& g, const PublicCaller& caller) {
  if (!g.reprisal_fear) return true;
  if (!caller.account) return true;  // the operator
  return caller.account->Has(model::PublicRole::kPublicAdmin) || g.officer == caller.account->name;
}

// The caller as stored now: an officer (grievance-officer) or, for
// `admin_too`, also a public-admin. The operator passes.
Result<void> RequireOfficer(store::Transaction& tx, const PublicCaller& caller, bool admin_too) {
  if (!caller.account) return {};
  auto officer = RequireRole(tx, caller.account->name, model::PublicRole::kGrievanceOfficer);
  if (officer) return {};
  if (admin_too) {
    auto admin = RequireRole(tx, caller.account->name, model::PublicRole::kPublicAdmin);
    if (admin) return {};
  }
  return Fail(officer.error());
}

Result<model::Grievance> UnlockCase(store::Database& db, std::string_view receipt,
                                    std::string_view passphrase, const std::string& now_given) {
  auto canonical = Canonical(now_given);
  if (!canonical) return Fail(canonical.error());
  return Unlock(db, receipt, passphrase, *canonical);
}

namespace {}  // namespace

std::vector<Milestone> Milestones(const model::Grievance& g,
                                  const std::vector<model::GrievanceEvent>& events,
                                  const std::string& now, const WorkingCalendar& calendar,
                                  bool* beyond_calendar) {
  const auto start = ParseRfc3339(g.tier_started_at.empty() ? g.filed_at : g.tier_started_at);
  const auto now_s = ParseRfc3339(now);
  if (!start || !now_s) return {};
  const Date start_day = KarachiDate(*start);
  const Date today = KarachiDate(*now_s);
  // Events of the current tier (after its start), by what they meet.
  std::map<std::string, std::string> met;
  for (const auto& e : events) {
    if (e.at < (g.tier_started_at.empty() ? g.filed_at : g.tier_started_at)) continue;
    if (e.tier != g.tier) continue;
    const auto mark = [&](const char* name) { met.emplace(name, e.at); };
    switch (e.action) {
      case GrievanceAction::kAcknowledge:
        mark("acknowledge");
        break;
      case GrievanceAction::kEligible:
      case GrievanceAction::kIneligible:
        mark("eligibility");
        break;
      case GrievanceAction::kUpdate:
        mark("update");
        break;
      case GrievanceAction::kPropose:
        mark("update");
        mark("proposal");
        break;
      default:
        break;
    }
  }
  const bool first_tier = g.tier == GrievanceTier::kProject;
  const bool settled = g.state == GrievanceState::kClosed ||
                       g.state == GrievanceState::kIneligible ||
                       g.state == GrievanceState::kProposed;
  std::vector<Milestone> out;
  for (const auto& [name, days] : std::vector<std::pair<std::string, int>>{
           {"acknowledge", 2}, {"eligibility", 10}, {"update", 15}, {"proposal", 30}}) {
    if (name == "eligibility" && !first_tier && !AppealedFromIneligible(g, events)) continue;
    Milestone m;
    m.name = name;
    const Date due = calendar.AddWorkingDays(start_day, days);
    if (beyond_calendar != nullptr && calendar.Beyond(due)) *beyond_calendar = true;
    m.due = due.iso();
    if (auto it = met.find(name); it != met.end()) m.met_at = it->second;
    // Owed while not met, unless the case no longer needs it (closed, or
    // waiting on the resident, or found ineligible).
    const bool owed = m.met_at.empty() && !settled;
    m.overdue = owed && today > due;
    out.push_back(std::move(m));
  }
  return out;
}

Result<FiledGrievance> FileGrievance(store::Database& db, PublicAuditLog& audit,
                                     const auth::InstanceKeys& keys,
                                     const std::optional<PublicCaller>& officer,
                                     const GrievanceInput& input, const std::string& now_given) {
  auto canonical = Canonical(now_given);
  if (!canonical) return Fail(canonical.error());
  const std::string& now = *canonical;
  if (auto ok = CheckInput(input); !ok) return Fail(ok.error());
  if (!officer && input.channel != "web") {
    return Fail(ErrorCode::kInvalidArgument,
                "channel: a resident files on the web; an officer records other channels");
  }
  auto passphrase = NewPassphrase(input.lang);
  if (!passphrase) return Fail(passphrase.error());
  auto hash = Gate().Hash(NormalisePassphrase(*passphrase));
  if (!hash) return Fail(hash.error());
  FiledGrievance out;
  out.passphrase = *passphrase;
  auto grievances = store::NewGrievanceStore();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    model::Grievance g;
    g.district = input.district;
    if (officer) {
      // Not the case's officer: whoever files holds the passphrase (Excluded()).
      if (auto ok = RequireOfficer(tx, *officer, false); !ok) return ok;
    }
    if (!input.project.empty()) {
      auto p = store::NewProjectStore()->Get(tx, input.project);
      if (!p) return Fail(p.error());
      if (!*p) {
        return Fail(ErrorCode::kNotFound,
                    "project: no project '" + Excerpt(input.project, 64) + "'");
      }
      g.project_id = input.project;
      if (g.district.empty()) g.district = (*p)->district_pcode;
    }
    g.id = Uuid::V4().str();
    out.receipt = NewReceipt();
    g.receipt_digest = ReceiptDigest(out.receipt);
    g.passphrase_hash = *hash;
    g.lang = input.lang;
    g.channel = input.channel;
    g.topic = input.topic;
    g.description = input.description;
    if (!input.contact.empty()) g.contact_sealed = auth::Seal(keys, input.contact);
    g.reprisal_fear = input.reprisal_fear;
    g.filed_at = now;
    g.tier_started_at = now;
    model::GrievanceEvent e;
    e.grievance_id = g.id;
    e.seq = 1;
    e.at = now;
    e.actor = officer ? officer->actor : "resident";
    e.action = GrievanceAction::kFile;
    e.state = g.state;
    e.tier = g.tier;
    if (auto ok = grievances->Add(tx, g, e); !ok) return ok;
    if (auto r = audit.Record(
            tx, e.actor, "grievance-file", {g.id},
            json{{"state", "received"}, {"tier", "project"}, {"channel", g.channel}}.dump());
        !r) {
      return Fail(r.error());
    }
    out.stored = std::move(g);
    return {};
  });
  if (!done) return Fail(done.error());
  return out;
}

Result<GrievanceView> FollowGrievance(store::Database& db, std::string_view receipt,
                                      std::string_view passphrase, const std::string& now_given) {
  auto canonical = Canonical(now_given);
  if (!canonical) return Fail(canonical.error());
  const std::string& now = *canonical;
  auto g = Unlock(db, receipt, passphrase, now);
  if (!g) return Fail(g.error());
  return store::InReadTransaction(
      db, [&](store::Transaction& tx) { return View(tx, std::move(*g), now); });
}

Result<GrievanceView> ResidentAct(store::Database& db, PublicAuditLog& audit,
                                  std::string_view receipt, std::string_view passphrase,
                                  GrievanceAction action, const std::string& text,
                                  const std::string& now_given) {
  auto canonical = Canonical(now_given);
  if (!canonical) return Fail(canonical.error());
  const std::string& now = *canonical;
  if (action != GrievanceAction::kAnswer && action != GrievanceAction::kAccept &&
      action != GrievanceAction::kAppeal) {
    return Fail(ErrorCode::kInvalidArgument, "a resident answers, accepts or appeals");
  }
  if (auto ok = CheckText("text", text, kMaxGrievanceText, true); !ok) return Fail(ok.error());
  auto unlocked = Unlock(db, receipt, passphrase, now);
  if (!unlocked) return Fail(unlocked.error());
  auto grievances = store::NewGrievanceStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<GrievanceView> {
    auto g = grievances->Get(tx, unlocked->id);
    if (!g) return Fail(g.error());
    if (!*g) return Fail(NoSuchCase());
    auto next = Transition(**g, action, "resident", text, now);
    if (!next) return Fail(next.error());
    return Commit(tx, audit, **g, *next, action, "resident", text, now);
  });
}

Result<GrievanceView> OfficerAct(store::Database& db, PublicAuditLog& audit,
                                 const PublicCaller& caller, const std::string& id,
                                 GrievanceAction action, const std::string& text,
                                 const std::string& now_given) {
  auto canonical = Canonical(now_given);
  if (!canonical) return Fail(canonical.error());
  const std::string& now = *canonical;
  if (action == GrievanceAction::kFile || action == GrievanceAction::kAnswer ||
      action == GrievanceAction::kAccept || action == GrievanceAction::kAppeal) {
    return Fail(ErrorCode::kInvalidArgument,
                "an officer acknowledges, decides eligibility, asks, updates, proposes, closes "
                "or assigns");
  }
  if (auto ok = CheckText("text", text, kMaxGrievanceText, true); !ok) return Fail(ok.error());
  auto grievances = store::NewGrievanceStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<GrievanceView> {
    if (action == GrievanceAction::kAssign) {
      if (caller.account) {
        auto admin = RequireRole(tx, caller.account->name, model::PublicRole::kPublicAdmin);
        if (!admin) return Fail(admin.error());
      }
      auto target = RequireRole(tx, text, model::PublicRole::kGrievanceOfficer);
      if (!target) {
        return Fail(ErrorCode::kInvalidArgument,
                    "text: '" + Excerpt(text, 64) + "' is not an enabled grievance-officer");
      }
    } else if (auto ok = RequireOfficer(tx, caller, false); !ok) {
      return Fail(ok.error());
    }
    auto g = grievances->Get(tx, id);
    if (!g) return Fail(g.error());
    if (!*g || !MaySee(**g, caller)) return Fail(ErrorCode::kNotFound, "no grievance " + id);
    auto events = grievances->Events(tx, id);
    if (!events) return Fail(events.error());
    const auto excluded = Excluded(**g, *events);
    if (action == GrievanceAction::kAssign) {
      if (excluded.count(text)) {
        return Fail(
            ErrorCode::kInvalidArgument,
            "text: " + text +
                " filed this case or handled it at an earlier tier: assign another officer");
      }
    } else if (caller.account) {
      const std::string& me = caller.account->name;
      if (excluded.count(me)) {
        return Fail(ErrorCode::kPermissionDenied,
                    "you filed this case for the resident (and hold its passphrase) or handled it "
                    "at an earlier tier: another officer handles it");
      }
      const bool admin = caller.account->Has(model::PublicRole::kPublicAdmin);
      if (!(*g)->officer.empty() && (*g)->officer != me && !admin) {
        return Fail(ErrorCode::kPermissionDenied,
                    "the case is assigned to " + (*g)->officer + "; a public-admin reassigns it");
      }
      if ((*g)->officer.empty() && action != GrievanceAction::kAcknowledge) {
        return Fail(ErrorCode::kConflict,
                    "the case has no officer yet: acknowledge it first (that takes it on)");
      }
    }
    auto next =
        Transition(**g, action, caller.actor, text, now, AppealedFromIneligible(**g, *events));
    if (!next) return Fail(next.error());
    return Commit(tx, audit, **g, *next, action, caller.actor, text, now);
  });
}

Result<std::vector<GrievanceView>> ListGrievances(const store::Database& db,
                                                  const PublicCaller& caller,
                                                  const GrievanceListFilter& filter,
                                                  const std::string& now) {
  auto grievances = store::NewGrievanceStore();
  return store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::vector<GrievanceView>> {
        if (auto ok = RequireOfficer(tx, caller, true); !ok) return Fail(ok.error());
        store::GrievanceFilter f;
        f.state = filter.state;
        f.district = filter.district;
        if (filter.mine && caller.account) f.officer = caller.account->name;
        f.all_visible = !caller.account || caller.account->Has(model::PublicRole::kPublicAdmin);
        if (caller.account) f.visible_to = caller.account->name;
        f.limit = filter.limit;
        f.offset = filter.offset;
        auto list = grievances->List(tx, f);
        if (!list) return Fail(list.error());
        std::vector<GrievanceView> out;
        for (auto& g : *list) {
          if (!MaySee(g, caller)) continue;
          auto v = View(tx, std::move(g), now);
          if (!v) return Fail(v.error());
          if (filter.overdue_only && !v->overdue) continue;
          out.push_back(std::move(*v));
        }
        return out;
      });
}

Result<GrievanceView> ShowGrievance(store::Database& db, PublicAuditLog& audit,
                                    const PublicCaller& caller, const std::string& id,
                                    const std::string& now) {
  auto grievances = store::NewGrievanceStore();
  auto view = store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<GrievanceView> {
    if (auto ok = RequireOfficer(tx, caller, true); !ok) return Fail(ok.error());
    auto g = grievances->Get(tx, id);
    if (!g) return Fail(g.error());
    if (!*g || !MaySee(**g, caller)) return Fail(ErrorCode::kNotFound, "no grievance " + id);
    auto v = View(tx, std::move(**g), now);
    if (!v) return Fail(v.error());
    return v;
  });
  if (!view) return view;
  const bool handling = caller.account && view->grievance.officer == caller.account->name;
  if (!handling || view->grievance.contact_sealed.empty()) return view;
  // The contact is unsealed only once its reading is on the audit chain.
  auto recorded = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto e = audit.Record(tx, caller.actor, "contact-read", {id}); !e) return Fail(e.error());
    return {};
  });
  if (!recorded) return Fail(recorded.error());
  auto contact = auth::Open(audit.keys(), view->grievance.contact_sealed);
  if (!contact) return Fail(contact.error());
  view->contact = std::move(*contact);
  return view;
}

json ResidentJson(const GrievanceView& v) {
  const auto& g = v.grievance;
  json history = json::array();
  for (const auto& e : v.events) {
    json item = {{"at", e.at},
                 {"by", e.actor == "resident" ? "resident" : "officer"},
                 {"action", model::GrievanceActionName(e.action)},
                 {"state", model::GrievanceStateName(e.state)},
                 {"tier", model::GrievanceTierName(e.tier)}};
    if (!e.text.empty()) item["text"] = e.text;
    history.push_back(std::move(item));
  }
  json milestones = json::array();
  for (const auto& m : v.milestones) {
    json item = {{"name", m.name}, {"due", m.due}, {"overdue", m.overdue}};
    if (!m.met_at.empty()) item["met_at"] = m.met_at;
    milestones.push_back(std::move(item));
  }
  json out = {{"state", model::GrievanceStateName(g.state)},
              {"tier", model::GrievanceTierName(g.tier)},
              {"topic", g.topic},
              {"district", g.district},
              {"lang", g.lang},
              {"filed_at", g.filed_at},
              {"overdue", v.overdue},
              {"milestones", milestones},
              {"history", history}};
  if (!g.project_id.empty()) out["project"] = g.project_id;
  if (v.beyond_calendar) out["beyond_calendar"] = true;
  return out;
}

json OfficerJson(const GrievanceView& v) {
  json out = ResidentJson(v);
  const auto& g = v.grievance;
  out["id"] = g.id;
  out["officer"] = g.officer;
  out["channel"] = g.channel;
  out["reprisal_fear"] = g.reprisal_fear;
  out["description"] = g.description;
  out["has_contact"] = !g.contact_sealed.empty();
  if (!v.contact.empty()) out["contact"] = v.contact;
  // Officers see who acted.
  for (std::size_t i = 0; i < v.events.size() && i < out["history"].size(); ++i) {
    out["history"][i]["by"] = v.events[i].actor;
  }
  return out;
}

Result<json> GrievanceStatistics(const store::Database& db, const std::string& now) {
  auto grievances = store::NewGrievanceStore();
  struct Tally {
    std::int64_t received = 0, resolved_in_time = 0, overdue = 0, appealed = 0;
  };
  struct Both {
    Tally all, without_reprisal;
  };
  auto tallies = store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::map<std::string, Both>> {
        std::map<std::string, Both> out;
        for (int offset = 0;; offset += 1000) {
          store::GrievanceFilter f;
          f.limit = 1000;
          f.offset = offset;
          auto page = grievances->List(tx, f);
          if (!page) return Fail(page.error());
          for (auto& g : *page) {
            if (g.district.empty()) continue;
            auto v = View(tx, std::move(g), now);
            if (!v) return Fail(v.error());
            auto& both = out[v->grievance.district];
            for (Tally* t :
                 {&both.all, v->grievance.reprisal_fear ? nullptr : &both.without_reprisal}) {
              if (t == nullptr) continue;
              ++t->received;
              if (v->overdue) ++t->overdue;
              if (v->grievance.tier != GrievanceTier::kProject) ++t->appealed;
              for (const auto& m : v->milestones) {
                if (m.name == "proposal" && v->grievance.tier == GrievanceTier::kProject &&
                    !m.met_at.empty() && Day(m.met_at) <= m.due) {
                  ++t->resolved_in_time;
                }
              }
            }
          }
          if (page->size() < 1000) break;
        }
        return out;
      });
  if (!tallies) return Fail(tallies.error());
  const auto shown = [](std::int64_t n) -> json {
    if (n == 0 || n >= release::kThreshold) return n;
    return "<10";
  };
  json rows = json::array();
  for (const auto& [district, both] : *tallies) {
    // A district with fewer than 10 cases hides its cases marked "fear of reprisal".
    const Tally& t = both.all.received < release::kThreshold ? both.without_reprisal : both.all;
    if (t.received == 0) continue;
    rows.push_back({{"district", district},
                    {"received", shown(t.received)},
                    {"resolved_in_time", shown(t.resolved_in_time)},
                    {"overdue", shown(t.overdue)},
                    {"appealed", shown(t.appealed)}});
  }
  return json{{"as_of", now}, {"threshold", release::kThreshold}, {"districts", rows}};
}

Result<GrievanceCounts> CountGrievances(const store::Database& db) {
  auto counts = store::InReadTransaction(
      db, [](store::Transaction& tx) { return store::NewGrievanceStore()->Counts(tx); });
  if (!counts) return Fail(counts.error());
  std::map<std::pair<std::string, std::string>, std::int64_t> per_area_month;
  for (const auto& c : *counts) per_area_month[{c.district, c.month}] += c.count;
  GrievanceCounts out;
  for (const auto& c : *counts) {
    if (c.district.empty() || !Contains(release::Districts(), c.district)) {
      out.unplaced += c.count;
      continue;
    }
    std::int64_t n = c.count;
    if (per_area_month[{c.district, c.month}] < release::kThreshold) {
      n -= c.reprisal;
      out.reprisal_withheld += c.reprisal;
    }
    if (n > 0) out.counts.push_back({"grievance", c.district, c.month, c.topic, c.channel, n});
  }
  return out;
}

}  // namespace corridor::public_side
