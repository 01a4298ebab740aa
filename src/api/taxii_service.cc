// TAXII 2.1 (OASIS, 2021) over this instance's incidents. Each API root is a
// trust group; each holds one collection whose content, for the requesting
// partner organisation, is what egress allows it (corridor/sync/egress.h),
// plus tombstones for what it held and may hold no longer.
#include "api/taxii_service.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "api/security_service.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/common/json_get.h"
#include "corridor/model/json.h"
#include "corridor/sync/client.h"
#include "corridor/sync/codec.h"
#include "corridor/sync/egress.h"

namespace corridor::api {
namespace {

using nlohmann::json;

constexpr int kMaxLimit = 1000;
constexpr int kDefaultLimit = 100;
constexpr int kFeedBatch = 1000;
constexpr int kScanBudget = 50'000;  // feed rows looked at per request at most

std::string Header(const Request& r, const std::string& lower_name) {
  const auto it = r.headers.find(lower_name);
  return it == r.headers.end() ? "" : it->second;
}

Response TaxiiJson(const json& body, int status = 200) {
  Response r;
  r.status = status;
  r.content_type = std::string(sync::kTaxiiMediaType);
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

// A TAXII error message resource.
Response TaxiiError(int status, const std::string& title, const std::string& description = "") {
  json body = {{"title", title}, {"http_status", std::to_string(status)}};
  if (!description.empty()) body["description"] = description;
  Response r = TaxiiJson(body, status);
  if (status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"corridor-taxii\"");
  return r;
}

// Splits a media type "type/sub; a=b; c=d" into its lower-cased type and
// parameters (spaces removed).
std::pair<std::string, std::map<std::string, std::string>> ParseMediaType(std::string_view text) {
  std::string cleaned;
  for (char c : text) {
    if (c != ' ' && c != '\t')
      cleaned += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::map<std::string, std::string> params;
  const auto semi = cleaned.find(';');
  std::string type = cleaned.substr(0, semi);
  std::size_t pos = semi;
  while (pos != std::string::npos) {
    const auto next = cleaned.find(';', pos + 1);
    const std::string p =
        cleaned.substr(pos + 1, next == std::string::npos ? std::string::npos : next - pos - 1);
    const auto eq = p.find('=');
    if (eq != std::string::npos) params[p.substr(0, eq)] = p.substr(eq + 1);
    pos = next;
  }
  return {type, params};
}

// True when `header` (an Accept or Content-Type value) names the TAXII 2.1
// media type: application/taxii+json with version 2.1 or no version.
bool IsTaxii21(const std::string& header, bool list) {
  std::vector<std::string> items;
  if (list) {
    std::size_t start = 0;
    for (;;) {
      const auto comma = header.find(',', start);
      items.push_back(
          header.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else {
    items.push_back(header);
  }
  for (const auto& item : items) {
    auto [type, params] = ParseMediaType(item);
    if (type != "application/taxii+json") continue;
    const auto v = params.find("version");
    if (v == params.end() || v->second == "2.1") return true;
  }
  return false;
}

// The checks every TAXII request passes first: a partner's bearer token (401;
// 403 for this instance's own users) and the Accept header (406).
std::optional<Response> Prelude(TaxiiContext& ctx, Request& request) {
  const std::string authorization = Header(request, "authorization");
  if (authorization.rfind("Bearer ", 0) != 0) {
    return TaxiiError(401, "Unauthorized", "send Authorization: Bearer <token>");
  }
  auto principal = ctx.accounts.FromToken(authorization.substr(7));
  if (!principal) return TaxiiError(401, "Unauthorized", principal.error().message);
  if (!IsTaxii21(Header(request, "accept"), /*list=*/true)) {
    return TaxiiError(406, "Not Acceptable", "send Accept: application/taxii+json;version=2.1");
  }
  request.principal = std::move(*principal);
  request.actor = request.principal.username;
  auto org = ctx.store.GetOrganisation(request.principal.org);
  if (!org) return TaxiiError(403, "Forbidden", "the token's organisation is unknown");
  if (org->own) {
    return TaxiiError(403, "Forbidden",
                      "TAXII serves partner organisations; this instance's own users use /api/v1");
  }
  // One policy with /api/v1: exchanging objects is exporting them, which the
  // partner role carries (an admin's or site-security user's token does not).
  if (auto d = auth::Decide(request.principal, auth::Action::kExport, nullptr); !d) {
    return TaxiiError(403, "Forbidden",
                      "TAXII needs a token of a user with the partner role (it carries export)");
  }
  return std::nullopt;
}

bool KnownRoot(const TaxiiContext& ctx, const std::string& root) {
  const auto& roots = ctx.options.api_roots;
  return std::find(roots.begin(), roots.end(), root) != roots.end();
}

bool Member(const Request& request, const std::string& root) {
  const auto& g = request.principal.trust_groups;
  return std::find(g.begin(), g.end(), root) != g.end();
}

json CollectionJson(const std::string& root, bool member) {
  return {{"id", sync::CollectionIdFor(root)},
          {"title", "Incidents and assessments (" + root + ")"},
          {"description",
           "Incidents, assessments and tombstones this instance shares in trust "
           "group " +
               root + ", as its egress policy allows each reader"},
          {"can_read", member},
          {"can_write", member},
          {"media_types", json::array({std::string(sync::kStixMediaType)})}};
}

// The root and collection of a request, checked: 404 when unknown, 403 when
// the partner is not a member of the root's trust group.
std::optional<Response> CheckCollection(TaxiiContext& ctx, const Request& request, bool write) {
  const std::string& root = request.path_params.at("root");
  if (!KnownRoot(ctx, root)) return TaxiiError(404, "Not Found", "no API root " + root);
  const auto c = request.path_params.find("collection");
  if (c != request.path_params.end() && c->second != sync::CollectionIdFor(root)) {
    return TaxiiError(404, "Not Found", "no collection " + c->second + " in API root " + root);
  }
  if (!Member(request, root)) {
    return TaxiiError(403, "Forbidden",
                      std::string(write ? "can_write" : "can_read") +
                          " is false: " + request.principal.org + " is not in trust group " + root);
  }
  return std::nullopt;
}

// ---- the filtered feed

struct Position {
  std::string modified;
  std::string id;
};

std::string EncodeNext(const Position& p) { return auth::ToHex(p.modified + "|" + p.id); }

std::optional<Position> DecodeNext(const std::string& token) {
  auto raw = auth::FromHex(token);
  if (!raw) return std::nullopt;
  const auto bar = raw->find('|');
  if (bar == std::string::npos) return std::nullopt;
  Position p{raw->substr(0, bar), raw->substr(bar + 1)};
  if (!sync::NormaliseTimestamp(p.modified) || !Uuid::Parse(p.id)) return std::nullopt;
  return p;
}

struct FeedQuery {
  Position start;  // exclusive
  int limit = kDefaultLimit;
  std::set<std::string> ids;       // match[id] as UUIDs ("" set = any)
  std::set<std::string> types;     // match[type]; empty = any
  bool spec_ok = true;             // match[spec_version] includes "2.1" (or is absent)
  std::set<std::string> versions;  // match[version] timestamps; empty = any
};

// Splits "a,b,c".
std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// Reads the query of GET objects/manifest (`paged`) or of one object and its
// versions. 400 names the parameter.
Result<FeedQuery> ParseFeedQuery(const Request& request, bool paged) {
  FeedQuery q;
  q.start.id = "";
  for (const auto& [name, value] : request.query) {
    if (paged && name == "added_after") {
      auto t = sync::NormaliseTimestamp(value);
      if (!t)
        return Fail(ErrorCode::kInvalidArgument, "added_after: not a timestamp: '" + value + "'");
      // Strictly after t: every id sorts below "~".
      if (q.start.modified.empty() || *t > q.start.modified) q.start = {*t, "~"};
    } else if (paged && name == "limit") {
      int n = 0;
      try {
        std::size_t used = 0;
        n = std::stoi(value, &used);
        if (used != value.size()) n = 0;
      } catch (const std::exception&) {
        n = 0;
      }
      if (n < 1) return Fail(ErrorCode::kInvalidArgument, "limit: expected a positive integer");
      q.limit = std::min(n, kMaxLimit);
    } else if (paged && name == "next") {
      auto p = DecodeNext(value);
      if (!p) return Fail(ErrorCode::kInvalidArgument, "next: not a token this server issued");
      q.start = *p;
    } else if (paged && name == "match[id]") {
      for (const auto& id : SplitCommas(value)) {
        auto u = sync::UuidOfStixId(id);
        const auto type = sync::StixTypeOf(id);
        q.ids.insert(u && (type == "incident" || type == "report") ? u->str() : "-");
      }
    } else if (paged && name == "match[type]") {
      for (const auto& t : SplitCommas(value)) q.types.insert(t);
    } else if (name == "match[spec_version]") {
      const auto v = SplitCommas(value);
      q.spec_ok = std::find(v.begin(), v.end(), "2.1") != v.end();
    } else if (name == "match[version]") {
      for (const auto& v : SplitCommas(value)) {
        if (v == "last" || v == "first" || v == "all") {
          q.versions.clear();
          q.versions.insert("*");
          continue;
        }
        auto t = sync::NormaliseTimestamp(v);
        if (!t) {
          return Fail(ErrorCode::kInvalidArgument,
                      "match[version]: expected last, first, all or timestamps, got '" + v + "'");
        }
        q.versions.insert(*t);
      }
      if (q.versions.count("*")) q.versions.clear();
    } else {
      return Fail(ErrorCode::kInvalidArgument, "unknown query parameter '" + name + "'");
    }
  }
  return q;
}

// One row of the change feed: an incident or an assessment.
struct FeedRow {
  std::optional<model::Incident> incident;
  std::optional<model::Assessment> assessment;
  const Uuid& id() const { return incident ? incident->id : assessment->id; }
  const std::string& modified() const {
    return incident ? incident->modified : assessment->modified;
  }
};

bool Before(const FeedRow& a, const FeedRow& b) {
  if (a.modified() != b.modified()) return a.modified() < b.modified();
  return a.id().str() < b.id().str();
}

// One object of a response.
struct FeedItem {
  Uuid id;
  std::string modified;  // the local modified: the feed position and date_added
  bool tombstone = false;
  std::string version;        // the incident SDO's (or report's) STIX modified
  std::vector<json> objects;  // the incident SDO (or report) first, then its companions
};

struct FeedPage {
  std::vector<FeedItem> items;
  bool more = false;
  Position last;  // where the scan stopped
};

std::optional<store::ReceivedRecord> Find(const std::map<std::string, store::ReceivedRecord>& m,
                                          const std::string& key) {
  const auto it = m.find(key);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

// Decides the given feed rows for `recipient`: objects it may receive and
// tombstones for copies it holds and may not keep, in feed order. Each item is
// encoded (and signed) only when reached, and handed to `take`, which returns
// false to stop.
//
// Two rules apply, and both must allow an object: the instance's egress
// policy for the recipient organisation (sync::DecideEgress), and the same
// per-user policy as /api/v1 for the token's user (auth::Decide, export of
// the object, which includes MayRead). An object either refuses is not sent;
// a copy the organisation holds of it gets a content-free tombstone.
Result<void> DecideRows(TaxiiContext& ctx, std::vector<FeedRow> rows,
                        const sync::Recipient& recipient, const auth::Principal& reader,
                        const std::function<bool(FeedItem&&)>& take) {
  std::vector<Uuid> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) ids.push_back(r.id());
  auto received = ctx.store.GetReceived(ids);
  if (!received) return Fail(received.error());
  std::map<std::string, store::ReceivedRecord> from;
  for (auto& r : *received) from.emplace(r.object.str(), std::move(r));
  std::vector<bool> send(rows.size());
  std::vector<Uuid> refused;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto rec = Find(from, rows[i].id().str());
    send[i] = rows[i].incident ? sync::DecideEgress(*rows[i].incident, rec, recipient).send
                               : sync::DecideEgress(*rows[i].assessment, rec, recipient).send;
    const model::Marking& m =
        rows[i].incident ? rows[i].incident->marking : rows[i].assessment->marking;
    send[i] = send[i] && auth::Decide(reader, auth::Action::kExport, &m).allowed;
    if (!send[i]) refused.push_back(rows[i].id());
  }
  auto held = ctx.store.HeldBy(recipient.org, refused);
  if (!held) return Fail(held.error());
  std::set<std::string> held_ids;
  for (const auto& h : *held) held_ids.insert(h.str());
  std::string own_org;
  if (auto orgs = ctx.store.ListOrganisations()) {
    for (const auto& o : *orgs) {
      if (o.own) own_org = o.name;
    }
  }
  const stix::SigningKey* key = ctx.options.signing_key ? &*ctx.options.signing_key : nullptr;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string key_id = rows[i].id().str();
    FeedItem item;
    item.id = rows[i].id();
    item.modified = rows[i].modified();
    if (send[i]) {
      const auto rec = Find(from, key_id);
      if (rec && !rec->object_json.empty()) {
        // Forwarded exactly as received, with the originator's signatures.
        auto stored = json::parse(rec->object_json, nullptr, false);
        if (!stored.is_array()) {
          return Fail(ErrorCode::kInternal, "stored objects of " + key_id + " are not an array");
        }
        for (auto& o : stored) item.objects.push_back(std::move(o));
        item.version = rec->remote_modified;
      } else if (rows[i].incident) {
        model::Incident copy = *rows[i].incident;
        copy.marking = auth::MarkingForRecipient(copy.marking, recipient.org);
        auto objects = sync::EncodeIncident(copy, {own_org}, key);
        if (!objects) return Fail(objects.error());
        item.objects = std::move(*objects);
        item.version = copy.modified;
      } else {
        model::Assessment copy = *rows[i].assessment;
        copy.marking = auth::MarkingForRecipient(copy.marking, recipient.org);
        auto objects = sync::EncodeAssessment(copy, {own_org}, key);
        if (!objects) return Fail(objects.error());
        item.objects = std::move(*objects);
        item.version = copy.modified;
      }
    } else if (held_ids.count(key_id)) {
      item.tombstone = true;
      auto tombstone = rows[i].incident ? sync::EncodeTombstone(*rows[i].incident, key)
                                        : sync::EncodeAssessmentTombstone(*rows[i].assessment, key);
      if (!tombstone) return Fail(tombstone.error());
      item.objects.push_back(std::move(*tombstone));
      item.version = rows[i].modified();
    } else {
      continue;
    }
    if (!take(std::move(item))) break;
  }
  return {};
}

bool Matches(const FeedQuery& q, const FeedRow& row) {
  if (!q.spec_ok) return false;
  if (!q.ids.empty() && !q.ids.count(row.id().str())) return false;
  return true;
}

// The next rows of the change feed after `after`: up to `batch` incidents and
// up to `batch` assessments, merged in (modified, id) order and cut where a
// source that filled its batch may continue, so that no row is skipped.
struct FeedBatch {
  std::vector<FeedRow> rows;
  bool exhausted = false;  // no row after the last one returned
};

Result<FeedBatch> NextRows(TaxiiContext& ctx, const Position& after, int batch) {
  auto incidents = ctx.store.ListChanged(after.modified, after.id, batch);
  if (!incidents) return Fail(incidents.error());
  auto assessments = ctx.store.ListChangedAssessments(after.modified, after.id, batch);
  if (!assessments) return Fail(assessments.error());
  FeedBatch out;
  for (auto& i : *incidents) out.rows.push_back({std::move(i), std::nullopt});
  for (auto& a : *assessments) out.rows.push_back({std::nullopt, std::move(a)});
  std::sort(out.rows.begin(), out.rows.end(), Before);
  // A source that filled its batch may have more rows after its last one:
  // rows of the other source beyond that point wait for the next batch.
  std::optional<FeedRow> bound;
  auto tighten = [&](const FeedRow& last) {
    if (!bound || Before(last, *bound)) bound = last;
  };
  if (static_cast<int>(incidents->size()) == batch) {
    for (auto it = out.rows.rbegin(); it != out.rows.rend(); ++it) {
      if (it->incident) {
        tighten(*it);
        break;
      }
    }
  }
  if (static_cast<int>(assessments->size()) == batch) {
    for (auto it = out.rows.rbegin(); it != out.rows.rend(); ++it) {
      if (it->assessment) {
        tighten(*it);
        break;
      }
    }
  }
  if (bound) {
    std::erase_if(out.rows, [&](const FeedRow& r) { return Before(*bound, r); });
  } else {
    out.exhausted = true;
  }
  return out;
}

Result<FeedPage> ScanFeed(TaxiiContext& ctx, const FeedQuery& q, const sync::Recipient& recipient,
                          const auth::Principal& reader) {
  FeedPage page;
  page.last = q.start;
  int scanned = 0;
  int objects = 0;
  bool exhausted = false;
  while (objects < q.limit && scanned < kScanBudget) {
    // Rows for what the page still takes when every row is 4 objects (an
    // incident's most), so that rows are not read, decided and dropped; rows
    // of fewer objects take another round.
    const int batch = std::clamp((q.limit - objects + 3) / 4 + 1, 50, kFeedBatch);
    auto next = NextRows(ctx, page.last, batch);
    if (!next) return Fail(next.error());
    auto& rows = next->rows;
    if (rows.empty()) {
      exhausted = true;
      break;
    }
    const bool short_batch = next->exhausted;
    const Position batch_end{rows.back().modified(), rows.back().id().str()};
    std::vector<FeedRow> wanted;
    for (auto& r : rows) {
      if (Matches(q, r)) wanted.push_back(std::move(r));
    }
    scanned += static_cast<int>(rows.size());
    bool filled = false;
    auto decided = DecideRows(ctx, std::move(wanted), recipient, reader, [&](FeedItem&& item) {
      // Versions filter: one version is kept, so a timestamp list picks it or not.
      if (!q.versions.empty() && !q.versions.count(item.version)) return true;
      if (!q.types.empty()) {
        std::erase_if(item.objects,
                      [&](const json& o) { return !q.types.count(StringOr(o, "type")); });
        if (item.objects.empty()) return true;
      }
      // `limit` counts objects; an incident's objects are never split across
      // pages (a page holds at least one incident, whatever the limit).
      if (objects > 0 && objects + static_cast<int>(item.objects.size()) > q.limit) {
        filled = true;
        return false;
      }
      objects += static_cast<int>(item.objects.size());
      page.last = {item.modified, item.id.str()};
      page.items.push_back(std::move(item));
      filled = objects >= q.limit;
      return !filled;
    });
    if (!decided) return Fail(decided.error());
    if (filled) break;
    page.last = batch_end;
    if (short_batch) {
      exhausted = true;
      break;
    }
  }
  if (!exhausted) {
    auto after = NextRows(ctx, page.last, 1);
    if (!after) return Fail(after.error());
    page.more = !after->rows.empty();
  }
  return page;
}

// Audits and records in the ledger what a response is about to send.
Result<void> RecordSending(TaxiiContext& ctx, const Request& request, const std::string& root,
                           const std::vector<FeedItem>& items) {
  if (items.empty()) return {};
  std::vector<std::string> ids;
  std::vector<store::SentRecord> ledger;
  std::int64_t tombstones = 0;
  for (const auto& item : items) {
    ids.push_back(item.id.str());
    ledger.push_back({item.id, request.principal.org, item.modified, item.tombstone, ""});
    tombstones += item.tombstone ? 1 : 0;
  }
  json detail = {{"to", request.principal.org}, {"api_root", root}, {"tombstones", tombstones}};
  if (auto a = ctx.audit.Record(request.actor, "sync-send", std::move(ids), detail.dump()); !a) {
    return Fail(a.error());
  }
  return ctx.store.RecordSent(ledger);
}

void DateAddedHeaders(Response& r, const std::vector<FeedItem>& items) {
  if (items.empty()) return;
  r.headers.emplace_back("X-TAXII-Date-Added-First", items.front().modified);
  r.headers.emplace_back("X-TAXII-Date-Added-Last", items.back().modified);
}

Response ErrorFor(const Error& e) {
  if (e.code == ErrorCode::kInvalidArgument) return TaxiiError(400, "Bad Request", e.message);
  if (e.code == ErrorCode::kUnavailable) return TaxiiError(503, "Service Unavailable", e.message);
  return TaxiiError(500, "Internal Server Error", e.message);
}

sync::Recipient RecipientOf(const Request& request) {
  return {request.principal.org, request.principal.trust_groups, request.path_params.at("root")};
}

// ---- handlers

std::string BaseUrl(const Request& request) {
  const std::string host = Header(request, "host");
  if (host.empty()) return "";
  std::string scheme = request.tls ? "https" : "http";
  const std::string forwarded = Header(request, "x-forwarded-proto");
  if (forwarded == "https" || forwarded == "http") scheme = forwarded;
  return scheme + "://" + host;
}

Response Discovery(TaxiiContext& ctx, Request request) {
  if (auto r = Prelude(ctx, request)) return *r;
  const std::string base = BaseUrl(request);
  json roots = json::array();
  for (const auto& root : ctx.options.api_roots) {
    if (Member(request, root)) roots.push_back(base + "/taxii2/" + root + "/");
  }
  json body = {{"title", ctx.options.title},
               {"description", "Corridor partner sharing: one API root per trust group"},
               {"api_roots", roots}};
  if (!roots.empty()) body["default"] = roots[0];
  return TaxiiJson(body);
}

Response ApiRoot(TaxiiContext& ctx, Request request) {
  if (auto r = Prelude(ctx, request)) return *r;
  if (auto r = CheckCollection(ctx, request, false)) return *r;
  const std::string& root = request.path_params.at("root");
  return TaxiiJson({{"title", "Trust group " + root},
                    {"description", "Objects shared in trust group " + root},
                    {"versions", json::array({std::string(sync::kTaxiiMediaType)})},
                    {"max_content_length", ctx.options.max_content_length}});
}

Response Collections(TaxiiContext& ctx, Request request) {
  if (auto r = Prelude(ctx, request)) return *r;
  const std::string& root = request.path_params.at("root");
  if (!KnownRoot(ctx, root)) return TaxiiError(404, "Not Found", "no API root " + root);
  if (!Member(request, root)) return TaxiiJson(json::object());  // no collection readable
  return TaxiiJson({{"collections", json::array({CollectionJson(root, true)})}});
}

Response Collection(TaxiiContext& ctx, Request request) {
  if (auto r = Prelude(ctx, request)) return *r;
  if (auto r = CheckCollection(ctx, request, false)) return *r;
  return TaxiiJson(CollectionJson(request.path_params.at("root"), true));
}

Response GetObjects(TaxiiContext& ctx, Request request, bool manifest) {
  if (auto r = Prelude(ctx, request)) return *r;
  if (auto r = CheckCollection(ctx, request, false)) return *r;
  auto q = ParseFeedQuery(request, true);
  if (!q) return ErrorFor(q.error());
  auto page = ScanFeed(ctx, *q, RecipientOf(request), request.principal);
  if (!page) return ErrorFor(page.error());
  json body = {{"more", page->more}};
  if (page->more) body["next"] = EncodeNext(page->last);
  json objects = json::array();
  for (auto& item : page->items) {
    for (auto& o : item.objects) {
      if (manifest) {
        objects.push_back({{"id", StringOr(o, "id")},
                           {"date_added", item.modified},
                           {"version", StringOr(o, "modified", item.version)},
                           {"media_type", std::string(sync::kStixMediaType)}});
      } else {
        objects.push_back(std::move(o));  // RecordSending below reads ids and versions only
      }
    }
  }
  if (!objects.empty()) body["objects"] = objects;
  if (!manifest) {
    if (auto r = RecordSending(ctx, request, request.path_params.at("root"), page->items); !r) {
      return ErrorFor(r.error());
    }
  }
  Response r = TaxiiJson(body);
  DateAddedHeaders(r, page->items);
  return r;
}

// The feed item of one object for this partner, or nullopt (404).
Result<std::optional<FeedItem>> OneObject(TaxiiContext& ctx, const Request& request) {
  const std::string& stix_id = request.path_params.at("object");
  auto id = sync::UuidOfStixId(stix_id);
  const auto type = sync::StixTypeOf(stix_id);
  if (!id || (type != "incident" && type != "report")) return std::optional<FeedItem>{};
  std::vector<FeedRow> rows;
  if (type == "incident") {
    auto incident = ctx.store.GetIncident(store::SystemViewer(), *id);
    if (!incident) {
      if (incident.error().code == ErrorCode::kNotFound) return std::optional<FeedItem>{};
      return Fail(incident.error());
    }
    rows.push_back({std::move(*incident), std::nullopt});
  } else {
    auto assessment = ctx.store.GetAssessment(store::SystemViewer(), *id);
    if (!assessment) {
      if (assessment.error().code == ErrorCode::kNotFound) return std::optional<FeedItem>{};
      return Fail(assessment.error());
    }
    rows.push_back({std::nullopt, std::move(*assessment)});
  }
  std::optional<FeedItem> found;
  auto decided = DecideRows(ctx, std::move(rows), RecipientOf(request), request.principal,
                            [&](FeedItem&& item) {
                              found = std::move(item);
                              return false;
                            });
  if (!decided) return Fail(decided.error());
  return found;
}

Response GetObject(TaxiiContext& ctx, Request request, bool versions) {
  if (auto r = Prelude(ctx, request)) return *r;
  if (auto r = CheckCollection(ctx, request, false)) return *r;
  auto q = ParseFeedQuery(request, false);
  if (!q) return ErrorFor(q.error());
  auto item = OneObject(ctx, request);
  if (!item) return ErrorFor(item.error());
  const std::string& stix_id = request.path_params.at("object");
  if (!*item || !q->spec_ok || (!q->versions.empty() && !q->versions.count((*item)->version))) {
    return TaxiiError(404, "Not Found", "no object " + stix_id + " in this collection");
  }
  std::vector<FeedItem> items;
  items.push_back(std::move(**item));
  Response r;
  if (versions) {
    r = TaxiiJson({{"more", false}, {"versions", json::array({items.front().version})}});
  } else {
    if (auto a = RecordSending(ctx, request, request.path_params.at("root"), items); !a) {
      return ErrorFor(a.error());
    }
    r = TaxiiJson({{"more", false}, {"objects", json::array({items.front().objects.front()})}});
  }
  DateAddedHeaders(r, items);
  return r;
}

Response PostObjects(TaxiiContext& ctx, Request request) {
  if (auto r = Prelude(ctx, request)) return *r;
  if (auto r = CheckCollection(ctx, request, true)) return *r;
  if (!IsTaxii21(Header(request, "content-type"), /*list=*/false)) {
    return TaxiiError(415, "Unsupported Media Type",
                      "send Content-Type: application/taxii+json;version=2.1");
  }
  if (request.body.size() > ctx.options.max_content_length) {
    return TaxiiError(413, "Payload Too Large",
                      "at most " + std::to_string(ctx.options.max_content_length) + " bytes");
  }
  auto envelope = sync::ReadEnvelope(request.body, /*objects_required=*/true);
  if (!envelope) return TaxiiError(422, "Unprocessable Entity", envelope.error().message);
  const std::string& root = request.path_params.at("root");
  const std::string requested = NowTimestamp();
  sync::Origin origin{"post:" + request.principal.org, request.principal.org, root, request.actor};
  auto known = sync::PinnedKeys(ctx.store);
  if (!known) return ErrorFor(known.error());
  auto result =
      sync::ReceiveObjects(ctx.store, ctx.audit, origin, envelope->objects, *known, nullptr);
  if (!result) return ErrorFor(result.error());
  std::map<std::string, std::string> dropped;  // id -> what the allow-list removed
  for (const auto& [id, pointers] : result->dropped) {
    std::string message = "undeclared properties removed:";
    for (const auto& p : pointers) message += " " + p;
    dropped[id] = message;
  }
  json successes = json::array();
  for (const auto& [id, version] : result->successes) {
    json one = {{"id", id}, {"version", version}};
    if (const auto d = dropped.find(id); d != dropped.end()) one["message"] = d->second;
    successes.push_back(std::move(one));
  }
  json failures = json::array();
  for (const auto& f : result->failures) {
    json one = {{"id", f.id}, {"message", f.message}};
    if (!f.version.empty()) one["version"] = f.version;
    failures.push_back(one);
  }
  json status = {{"id", Uuid::V4().str()},
                 {"status", "complete"},
                 {"request_timestamp", requested},
                 {"total_count", successes.size() + failures.size()},
                 {"success_count", successes.size()},
                 {"failure_count", failures.size()},
                 {"pending_count", 0}};
  if (!successes.empty()) status["successes"] = successes;
  if (!failures.empty()) status["failures"] = failures;
  {
    std::lock_guard<std::mutex> lock(ctx.status_mu);
    ctx.statuses[root + "/" + status["id"].get<std::string>()] = status;
  }
  return TaxiiJson(status, 202);
}

Response GetStatus(TaxiiContext& ctx, Request request) {
  if (auto r = Prelude(ctx, request)) return *r;
  if (auto r = CheckCollection(ctx, request, false)) return *r;
  const std::string key = request.path_params.at("root") + "/" + request.path_params.at("status");
  std::lock_guard<std::mutex> lock(ctx.status_mu);
  const auto it = ctx.statuses.find(key);
  if (it == ctx.statuses.end()) {
    return TaxiiError(404, "Not Found", "no status " + request.path_params.at("status"));
  }
  return TaxiiJson(it->second);
}

// GET /taxii2/corridor/keys/ (a Corridor addition beside TAXII): this
// instance's public key file, for partners whose sync client follows its key
// rotations (each new key signed by the one it replaces).
Response PublicKeys(TaxiiContext& ctx, const Request& request) {
  const std::string authorization = Header(request, "authorization");
  if (authorization.rfind("Bearer ", 0) != 0) {
    return TaxiiError(401, "Unauthorized", "send Authorization: Bearer <token>");
  }
  if (auto principal = ctx.accounts.FromToken(authorization.substr(7)); !principal) {
    return TaxiiError(401, "Unauthorized", principal.error().message);
  }
  if (ctx.options.public_keys.is_null()) {
    return TaxiiError(404, "Not Found", "this server publishes no key file");
  }
  Response r;
  r.content_type = "application/json";
  r.body = ctx.options.public_keys.dump();
  return r;
}

// GET /api/v1/sync/preview/{id}: who would receive the object, and why.
Response Preview(TaxiiContext& ctx, const Request& request) {
  auto id = Uuid::Parse(request.path_params.at("id"));
  if (!id) return ErrorResponse({ErrorCode::kInvalidArgument, "id: not a UUID"});
  auto incident = ctx.store.GetIncident(request.viewer, *id);
  std::optional<model::Assessment> assessment;
  if (!incident && incident.error().code == ErrorCode::kNotFound) {
    auto a = ctx.store.GetAssessment(request.viewer, *id);
    if (!a && a.error().code != ErrorCode::kNotFound) return ErrorResponse(a.error());
    if (a) assessment = std::move(*a);
  }
  if (!incident && !assessment) return ErrorResponse(incident.error());  // invisible = missing
  Result<void> audited;
  if (assessment) {
    if (model::Strictness(assessment->marking.tlp) >= model::Strictness(model::Tlp::kAmber)) {
      const json detail = {{"route", request.path}};
      if (auto r = ctx.audit.Record(request.actor, "read", {id->str()}, detail.dump()); !r) {
        audited = Fail(r.error());
      }
    }
  } else {
    audited = AuditMarkedReads(ctx.audit, request, {*incident});
  }
  if (!audited) {
    return ErrorResponse(
        {ErrorCode::kUnavailable, "the audit log cannot be written: " + audited.error().message});
  }
  auto rows = assessment ? sync::PreviewEgress(ctx.store, *assessment, ctx.options.api_roots)
                         : sync::PreviewEgress(ctx.store, *incident, ctx.options.api_roots);
  if (!rows) return ErrorResponse(rows.error());
  const model::Marking& marking = assessment ? assessment->marking : incident->marking;
  json out = json::array();
  for (const auto& r : *rows) {
    out.push_back({{"organisation", r.org},
                   {"api_root", r.api_root},
                   {"send", r.send},
                   {"tombstone", r.tombstone},
                   {"reason", r.reason}});
  }
  return JsonResponse({{"id", id->str()},
                       {"type", assessment ? "assessment" : "incident"},
                       {"marking", model::TlpName(marking.tlp)},
                       {"licence", assessment ? "" : incident->licence.id},
                       {"recipients", out}});
}

}  // namespace

void AddTaxiiRoutes(std::vector<Route>& routes, TaxiiContext& ctx) {
  TaxiiContext* c = &ctx;
  // Segments match loosely; handlers answer 404 (after authentication) for
  // an unknown root, collection, object or status.
  const std::string root = "/taxii2/([^/]+)";
  const std::string coll = root + "/collections/([^/]+)";
  auto add = [&](const char* method, std::string path, std::string regex,
                 std::vector<std::string> params, std::string summary,
                 std::function<Response(const Request&)> handler) {
    routes.push_back({method, std::move(path), std::move(regex), std::move(params),
                      std::move(summary), std::move(handler), std::nullopt, /*open=*/false,
                      /*own_authentication=*/true});
  };
  // Before the API root routes: "corridor/keys" is not a root name.
  add("GET", "/taxii2/corridor/keys/", "/taxii2/corridor/keys/?", {},
      "This instance's public signing keys (corridor-public-keys-1) with their rotation "
      "statements and compromise marks, for partners' sync clients",
      [c](const Request& r) { return PublicKeys(*c, r); });
  add("GET", "/taxii2/", "/taxii2/?", {},
      "TAXII 2.1 discovery: the API roots (trust groups) this partner may read",
      [c](const Request& r) { return Discovery(*c, r); });
  add("GET", "/taxii2/{root}/", root + "/?", {"root"}, "TAXII 2.1 API root information",
      [c](const Request& r) { return ApiRoot(*c, r); });
  add("GET", "/taxii2/{root}/collections/", root + "/collections/?", {"root"},
      "TAXII 2.1 collections of an API root", [c](const Request& r) { return Collections(*c, r); });
  add("GET", "/taxii2/{root}/collections/{collection}/", coll + "/?", {"root", "collection"},
      "TAXII 2.1 collection information (can_read, can_write)",
      [c](const Request& r) { return Collection(*c, r); });
  add("GET", "/taxii2/{root}/collections/{collection}/manifest/", coll + "/manifest/?",
      {"root", "collection"}, "TAXII 2.1 manifest: ids, versions and date_added, paginated",
      [c](const Request& r) { return GetObjects(*c, r, true); });
  add("GET", "/taxii2/{root}/collections/{collection}/objects/", coll + "/objects/?",
      {"root", "collection"},
      "TAXII 2.1 objects this partner may receive (and tombstones), paginated by added_after, "
      "limit and next, filtered by match[id|type|version|spec_version]",
      [c](const Request& r) { return GetObjects(*c, r, false); });
  add("POST", "/taxii2/{root}/collections/{collection}/objects/", coll + "/objects/?",
      {"root", "collection"}, "TAXII 2.1 add objects (an envelope); answers a status resource",
      [c](const Request& r) { return PostObjects(*c, r); });
  add("GET", "/taxii2/{root}/collections/{collection}/objects/{object}/",
      coll + "/objects/([^/]+)/?", {"root", "collection", "object"}, "TAXII 2.1 one object by id",
      [c](const Request& r) { return GetObject(*c, r, false); });
  add("GET", "/taxii2/{root}/collections/{collection}/objects/{object}/versions/",
      coll + "/objects/([^/]+)/versions/?", {"root", "collection", "object"},
      "TAXII 2.1 the versions of one object",
      [c](const Request& r) { return GetObject(*c, r, true); });
  add("GET", "/taxii2/{root}/status/{status}/", root + "/status/([^/]+)/?", {"root", "status"},
      "TAXII 2.1 status of an add-objects request",
      [c](const Request& r) { return GetStatus(*c, r); });
  routes.push_back({"GET",
                    "/api/v1/sync/preview/{id}",
                    "/api/v1/sync/preview/([^/]+)",
                    {"id"},
                    "Who would receive this object, and why (per partner organisation and API "
                    "root: yes or no, with the reason)",
                    [c](const Request& r) { return Preview(*c, r); }});
}

}  // namespace corridor::api
