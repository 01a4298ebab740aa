#include "corridor/sync/client.h"

#include <future>
#include <map>
#include <thread>

#include "corridor/common/date.h"
#include "corridor/common/json_get.h"
#include "corridor/common/strings.h"
#include "corridor/net/http_client.h"
#include "corridor/stix/exchange.h"
#include "corridor/stix/ingress.h"
#include "corridor/stix/mapping.h"
#include "corridor/sync/codec.h"

namespace corridor::sync {
namespace {

using nlohmann::json;

// The held copy with its content removed: what a tombstone leaves behind. The
// id, dates, provenance, licence and marking stay so that an older version
// arriving later is recognised as stale and the removal is explainable.
model::Incident RemovedCopy(const model::Incident& held) {
  model::Incident out;
  out.id = held.id;
  out.provenance = held.provenance;
  out.date_start = held.date_start;
  out.date_end = held.date_end;
  out.licence = held.licence;
  out.marking = held.marking;
  out.revoked = true;
  return out;
}

// The same for an assessment: its title and body are removed.
model::Assessment RemovedAssessment(const model::Assessment& held) {
  model::Assessment out;
  out.id = held.id;
  out.marking = held.marking;
  out.created = held.created;
  out.modified = held.modified;
  out.version = held.version;
  out.revoked = true;
  return out;
}

// The received-from record of a decoded incident or assessment (a tombstone
// keeps no objects).
template <typename Decoded>
store::ReceivedRecord ReceivedFrom(const Origin& origin, const Decoded& object) {
  store::ReceivedRecord r;
  r.object = object.id;
  r.partner = origin.partner;
  r.org = origin.org;
  r.trust_group = origin.trust_group;
  r.remote_modified = object.modified;
  r.object_json = object.tombstone ? "" : json(object.objects).dump();
  return r;
}

// The title of a TAXII error message resource, or the start of the body.
std::string ErrorTitle(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("title") && j["title"].is_string()) return j["title"];
  return Excerpt(body, 200);
}

// One TAXII page as read from the partner.
struct FetchedPage {
  json objects = json::array();
  bool more = false;
  std::string next;             // when more
  std::string date_added_last;  // X-TAXII-Date-Added-Last, or ""
  std::int64_t bytes = 0;
};

// GETs `target` and reads its envelope. kUnavailable names the URL on
// transport errors, HTTP failures (with the TAXII error's title) and bodies
// that are not an envelope.
Result<FetchedPage> FetchPage(const std::string& target, const net::GetOptions& get) {
  auto res = net::Get(target, get);
  if (!res) return Fail(res.error());
  if (res->status != 200) {
    return Fail(ErrorCode::kUnavailable, "GET " + target + ": HTTP " + std::to_string(res->status) +
                                             ": " + ErrorTitle(res->body));
  }
  FetchedPage page;
  page.bytes = static_cast<std::int64_t>(res->body.size());
  auto envelope = ReadEnvelope(res->body, /*objects_required=*/false);
  if (!envelope) {
    return Fail(ErrorCode::kUnavailable,
                "GET " + target + ": not a TAXII envelope: " + envelope.error().message);
  }
  page.objects = std::move(envelope->objects);
  page.more = envelope->more;
  page.next = std::move(envelope->next);
  page.date_added_last = res->Header("X-TAXII-Date-Added-Last");
  return page;
}

}  // namespace

namespace {

stix::KeyInfo PinnedKeyOf(const store::Partner& p) {
  stix::KeyInfo k;
  k.key_id = stix::KeyIdOf(p.public_key);
  k.public_key = p.public_key;
  k.created = p.created;
  return k;
}

// The keys of `fetched` that chain to `partner`'s pinned key: the pinned key
// itself (its retired and compromise marks), then each key whose rotation
// statement verifies under a key already accepted. Keys that chain to
// nothing are left out and named in `ignored`.
Result<stix::PublicKeys> ChainToPin(const store::Partner& partner, const stix::PublicKeys& fetched,
                                    std::vector<std::string>& ignored) {
  stix::PublicKeys accepted;
  const stix::KeyInfo pinned = PinnedKeyOf(partner);
  if (auto r = accepted.Add(pinned); !r) return Fail(r.error());
  std::vector<stix::KeyInfo> pending = fetched.keys();
  for (bool progress = true; progress && !pending.empty();) {
    progress = false;
    for (auto it = pending.begin(); it != pending.end();) {
      const bool is_pin = it->key_id == pinned.key_id;
      if (!is_pin && (it->replaces.empty() || !accepted.Find(it->replaces))) {
        ++it;
        continue;
      }
      if (auto r = accepted.Add(*it); !r) {
        return Fail(ErrorCode::kPermissionDenied,
                    "key " + it->key_id + " of partner " + partner.name + ": " + r.error().message);
      }
      it = pending.erase(it);
      progress = true;
    }
  }
  for (const auto& k : pending) ignored.push_back(k.key_id);
  return accepted;
}

}  // namespace

Result<stix::PublicKeys> PinnedKeys(const store::Store& store) {
  auto partners = store.ListPartners();
  if (!partners) return Fail(partners.error());
  stix::PublicKeys keys;
  for (const auto& p : *partners) {
    std::vector<stix::KeyInfo> mine = {PinnedKeyOf(p)};
    if (!p.keys_json.empty()) {
      auto file = stix::PublicKeys::FromJson(json::parse(p.keys_json, nullptr, false),
                                             "stored keys of partner " + p.name);
      if (!file) return Fail(file.error());
      mine = file->keys();
    }
    for (const auto& k : mine) {
      if (const auto* have = keys.Find(k.key_id); have && *have == k) continue;
      if (auto r = keys.Add(k, p.org); !r) {
        return Fail(ErrorCode::kInternal,
                    "partner " + p.name + ": key " + k.key_id + ": " + r.error().message);
      }
    }
  }
  return keys;
}

Result<std::vector<std::string>> RefreshPartnerKeys(store::Store& store, auth::AuditLog& audit,
                                                    const store::Partner& partner,
                                                    const net::GetOptions& get) {
  std::string base = partner.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base + "/taxii2/corridor/keys/";
  net::GetOptions options = get;
  options.headers = {{"Accept", "application/json"}};
  auto res = net::Get(url, options);
  if (!res) return Fail(res.error());
  if (res->status == 404) return std::vector<std::string>{};  // publishes no key file
  if (res->status != 200) {
    return Fail(ErrorCode::kUnavailable, "GET " + url + ": HTTP " + std::to_string(res->status) +
                                             ": " + ErrorTitle(res->body));
  }
  auto fetched = stix::PublicKeys::FromJson(json::parse(res->body, nullptr, false), url);
  if (!fetched) return Fail(fetched.error());
  std::vector<std::string> ignored;
  auto accepted = ChainToPin(partner, *fetched, ignored);
  if (!accepted) return Fail(accepted.error());
  const std::string now = accepted->ToJson(partner.org).dump();
  std::string before = partner.keys_json;
  if (before.empty()) {  // the pinned key only
    stix::PublicKeys pinned;
    if (auto r = pinned.Add(PinnedKeyOf(partner)); !r) return Fail(r.error());
    before = pinned.ToJson(partner.org).dump();
  }
  if (now == before) return ignored;
  std::vector<std::string> key_ids;
  for (const auto& k : accepted->keys()) key_ids.push_back(k.key_id);
  json detail = {{"partner", partner.name}, {"org", partner.org}, {"keys", key_ids}};
  if (!ignored.empty()) detail["ignored"] = ignored;
  if (auto a = audit.Record("sync:" + partner.name, "sync-keys", {}, detail.dump()); !a) {
    return Fail(a.error());
  }
  if (auto r = store.SetPartnerKeys(partner.name, now); !r) return Fail(r.error());
  return ignored;
}

namespace {

// Writes the admitted committee objects of a batch, in order (a committee's
// grouping before its notes); what the committee rule refuses is a failure,
// audited ("sync-reject") as the ingress rule's refusals are.
Result<void> ApplyCommitteeObjects(store::Store& store, auth::AuditLog& audit, const Origin& origin,
                                   const std::vector<std::pair<json, std::string>>& admitted,
                                   ReceiveResult& result) {
  if (admitted.empty()) return {};
  auto own = stix::OwnOrganisation(store);
  if (!own) return Fail(own.error());
  json refused = json::array();
  std::vector<std::string> refused_ids;
  for (const auto& [object, originator] : admitted) {
    const std::string stix_id = StringOr(object, "id");
    const std::string modified = StringOr(object, "modified");
    auto applied = stix::ApplyCommitteeObject(store, object, originator, *own);
    if (!applied) return Fail(applied.error());
    if (applied->refusal) {
      const std::string message = applied->refusal->kind + ": " + applied->refusal->reason;
      result.failures.push_back({stix_id, modified, message, ""});
      refused.push_back({{"id", stix_id}, {"reason", message}});
      if (auto u = UuidOfStixId(stix_id)) refused_ids.push_back(u->str());
      continue;
    }
    result.successes.emplace_back(stix_id, modified);
    if (applied->inserted || applied->updated) {
      ++result.applied;
    } else {
      ++result.stale;
    }
  }
  if (!refused.empty()) {
    json detail = {{"partner", origin.partner}, {"org", origin.org}, {"rejected", refused}};
    if (auto a = audit.Record(origin.actor, "sync-reject", std::move(refused_ids), detail.dump());
        !a) {
      return Fail(a.error());
    }
  }
  return {};
}

}  // namespace

Result<ReceiveResult> ReceiveObjects(store::Store& store, auth::AuditLog& audit,
                                     const Origin& origin, const json& objects,
                                     const stix::PublicKeys& known,
                                     const store::PartnerPage* cursor) {
  const std::string now = NowTimestamp();
  // A committee's objects (issue 15) go to the committee store; the rest are
  // the page's incidents and reports.
  json page_objects = json::array();
  std::vector<json> committee_objects;
  if (objects.is_array()) {
    for (const auto& o : objects) {
      if (stix::IsCommitteeObject(o)) {
        committee_objects.push_back(o);
      } else {
        page_objects.push_back(o);
      }
    }
  } else {
    page_objects = objects;
  }
  auto decoded = DecodePage(std::move(page_objects), known, now);
  if (!decoded) return Fail(decoded.error());
  ReceiveResult result;
  // Screened by the same ingress rule as every object; written after the
  // receipt is audited (stix::ApplyCommitteeObject, as a file import does).
  std::vector<std::pair<json, std::string>> committee_admitted;  // object, originator
  for (auto& o : committee_objects) {
    const std::string stix_id = StringOr(o, "id");
    const std::string modified = StringOr(o, "modified");
    stix::Screening screened = stix::ScreenObject(o, known, now);
    if (!screened.admitted) {
      result.failures.push_back(
          {stix_id, modified, screened.kind + ": " + screened.reason, std::move(screened.sha256)});
      continue;
    }
    if (!screened.dropped.empty()) result.dropped.emplace_back(stix_id, screened.dropped);
    committee_admitted.emplace_back(std::move(o), std::move(screened.originator));
  }
  for (auto& f : decoded->failures) {
    result.failures.push_back({f.id, f.version, f.message, f.sha256});
  }
  for (const auto& d : decoded->dropped) result.dropped.emplace_back(d.id, d.pointers);
  std::vector<Uuid> ids;
  ids.reserve(decoded->incidents.size() + decoded->assessments.size());
  for (const auto& c : decoded->incidents) ids.push_back(c.id);
  for (const auto& c : decoded->assessments) ids.push_back(c.id);
  auto received = store.GetReceived(ids);
  if (!received) return Fail(received.error());
  std::map<std::string, store::ReceivedRecord> from;
  for (auto& r : *received) from.emplace(r.object.str(), std::move(r));

  store::PartnerPage page;
  if (cursor) page = *cursor;
  page.partner = origin.partner;
  page.move_cursor = cursor != nullptr;
  page.incidents.clear();
  page.received.clear();
  page.assessments.clear();
  page.assessments_received.clear();
  std::vector<std::string> applied_ids;
  std::int64_t tombstones = 0;
  for (auto& object : decoded->incidents) {
    const std::string key = object.id.str();
    const std::string& stix_id = object.stix_id;
    auto held = store.GetIncident(store::SystemViewer(), object.id);
    if (!held && held.error().code != ErrorCode::kNotFound) return Fail(held.error());
    const auto rec = from.find(key);
    const bool have_record = rec != from.end();
    // The originator rule: ours and locally imported public records are never
    // changed from outside; a received record only by its originator.
    auto refusal = stix::MayChange(store, "incident", object.id, object.originator);
    if (!refusal) return Fail(refusal.error());
    if (*refusal) {
      result.failures.push_back(
          {stix_id, object.modified, (*refusal)->kind + ": " + (*refusal)->reason, ""});
      continue;
    }
    if (held && !have_record) {  // our own key's record (never from a partner's pin)
      ++result.stale;
      result.successes.emplace_back(stix_id, object.modified);
      continue;
    }
    if (have_record && object.modified <= rec->second.remote_modified) {
      ++result.stale;
      result.successes.emplace_back(stix_id, object.modified);
      continue;
    }
    model::Incident incident;
    if (object.tombstone) {
      if (!held) {  // never held here: nothing to remove
        ++result.stale;
        result.successes.emplace_back(stix_id, object.modified);
        continue;
      }
      if (held->revoked) {  // removed already (e.g. the originator's tombstone came first)
        ++result.stale;
        result.successes.emplace_back(stix_id, object.modified);
        continue;
      }
      // Only the partner it came from, or its originator, removes a copy.
      if (rec->second.org != origin.org && held->marking.author_org != origin.org) {
        result.failures.push_back({stix_id, object.modified,
                                   "tombstone from " + origin.org +
                                       " for an object received from " + rec->second.org +
                                       " and originated by " + held->marking.author_org});
        continue;
      }
      incident = RemovedCopy(*held);
      ++tombstones;
    } else {
      incident = std::move(object.incident);
    }
    page.incidents.push_back(std::move(incident));
    page.received.push_back(ReceivedFrom(origin, object));
    applied_ids.push_back(key);
    result.successes.emplace_back(stix_id, object.modified);
  }
  for (auto& object : decoded->assessments) {
    const std::string key = object.id.str();
    const std::string& stix_id = object.stix_id;
    auto held = store.GetAssessment(store::SystemViewer(), object.id);
    if (!held && held.error().code != ErrorCode::kNotFound) return Fail(held.error());
    const auto rec = from.find(key);
    const bool have_record = rec != from.end();
    auto refusal = stix::MayChange(store, "report", object.id, object.originator);
    if (!refusal) return Fail(refusal.error());
    if (*refusal) {
      result.failures.push_back(
          {stix_id, object.modified, (*refusal)->kind + ": " + (*refusal)->reason, ""});
      continue;
    }
    // Stale as for incidents: ours, or not newer than the copy held.
    if ((held && !have_record) || (have_record && object.modified <= rec->second.remote_modified) ||
        (object.tombstone && (!held || held->revoked))) {
      ++result.stale;
      result.successes.emplace_back(stix_id, object.modified);
      continue;
    }
    model::Assessment assessment;
    if (object.tombstone) {
      if (rec->second.org != origin.org && held->marking.author_org != origin.org) {
        result.failures.push_back({stix_id, object.modified,
                                   "tombstone from " + origin.org + " for a report received from " +
                                       rec->second.org + " and originated by " +
                                       held->marking.author_org});
        continue;
      }
      assessment = RemovedAssessment(*held);
      assessment.modified = object.modified;
      ++tombstones;
    } else {
      assessment = std::move(object.assessment);
      assessment.version = held ? held->version + 1 : 1;
    }
    page.assessments.push_back(std::move(assessment));
    page.assessments_received.push_back(ReceivedFrom(origin, object));
    applied_ids.push_back(key);
    result.successes.emplace_back(stix_id, object.modified);
  }
  if (!result.failures.empty()) {
    std::vector<std::string> bad;
    json reasons = json::array();
    for (const auto& f : result.failures) {
      if (auto u = UuidOfStixId(f.id)) bad.push_back(u->str());
      json one = {{"id", f.id}, {"reason", f.message}};
      if (!f.sha256.empty()) one["sha256"] = f.sha256;
      reasons.push_back(std::move(one));
    }
    json detail = {{"partner", origin.partner}, {"org", origin.org}, {"rejected", reasons}};
    if (auto a = audit.Record(origin.actor, "sync-reject", std::move(bad), detail.dump()); !a) {
      return Fail(a.error());
    }
  }
  for (const auto& [o, originator] : committee_admitted) {
    if (auto u = UuidOfStixId(StringOr(o, "id"))) applied_ids.push_back(u->str());
  }
  if (!applied_ids.empty()) {
    json detail = {{"partner", origin.partner},
                   {"org", origin.org},
                   {"trust_group", origin.trust_group},
                   {"tombstones", tombstones}};
    if (!decoded->dropped.empty()) {
      json dropped = json::array();
      for (const auto& d : decoded->dropped) {
        dropped.push_back({{"id", d.id}, {"pointers", d.pointers}});
      }
      detail["dropped"] = std::move(dropped);
    }
    if (auto a = audit.Record(origin.actor, "sync-receive", applied_ids, detail.dump()); !a) {
      return Fail(a.error());
    }
  }
  if (!page.incidents.empty() || !page.assessments.empty() || page.move_cursor) {
    auto applied = store.ApplyPartnerPage(page);
    if (!applied) return Fail(applied.error());
  }
  result.applied =
      static_cast<std::int64_t>(page.incidents.size() + page.assessments.size()) - tombstones;
  result.tombstones = tombstones;
  if (auto c = ApplyCommitteeObjects(store, audit, origin, committee_admitted, result); !c) {
    return Fail(c.error());
  }
  return result;
}

namespace {

// A partner's collection and how every request to it is made: our token at
// the partner (unsealed), TAXII's media type, its TLS settings, and never a
// redirect (the token goes to the pinned partner only).
struct Endpoint {
  std::string url;  // <base>/taxii2/<root>/collections/<collection>/objects/
  net::GetOptions request;
};

Result<Endpoint> EndpointOf(const store::Partner& partner, const auth::InstanceKeys& keys,
                            const SyncOptions& options) {
  auto token = auth::Open(keys, partner.token_sealed);
  if (!token) {
    return Fail(ErrorCode::kInternal,
                "the token of partner " + partner.name +
                    " cannot be unsealed with this instance key: " + token.error().message);
  }
  std::string base = partner.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  Endpoint e;
  e.url = base + "/taxii2/" + partner.api_root + "/collections/" + partner.collection + "/objects/";
  e.request.bearer_token = *token;
  e.request.headers = {{"Accept", std::string(kTaxiiMediaType)}};
  e.request.ca_cert_path = options.ca_cert_path;
  e.request.verify_tls = options.verify_tls;
  e.request.follow_redirects = false;
  return e;
}

}  // namespace

Result<SyncReport> SyncPartner(store::Store& store, auth::AuditLog& audit,
                               const auth::InstanceKeys& keys, const std::string& partner_name,
                               const SyncOptions& options) {
  auto partner = store.GetPartner(partner_name);
  if (!partner) return Fail(partner.error());
  auto endpoint = EndpointOf(*partner, keys, options);
  if (!endpoint) return Fail(endpoint.error());
  const std::string& url = endpoint->url;
  const net::GetOptions& get = endpoint->request;

  // The partner's rotated keys (and compromise marks) first, so that this
  // run verifies against them.
  if (auto r = RefreshPartnerKeys(store, audit, *partner, get); !r) return Fail(r.error());
  auto known = PinnedKeys(store);
  if (!known) return Fail(known.error());
  Origin origin{partner->name, partner->org, partner->trust_group, "sync:" + partner->name};
  SyncReport report;
  report.partner = partner->name;
  std::string cursor_added = partner->cursor_added;
  std::string cursor_next = partner->cursor_next;
  std::string target = url + "?limit=" + std::to_string(options.page_limit);
  if (!cursor_next.empty()) {
    target += "&next=" + cursor_next;
  } else if (!cursor_added.empty()) {
    auto secs = ParseUnixTimestamp(cursor_added);
    if (!secs) {
      return Fail(ErrorCode::kInternal, "partner " + partner_name + ": stored cursor '" +
                                            cursor_added + "' is malformed");
    }
    target += "&added_after=" + FormatUnixTimestamp(*secs - options.overlap.count());
  }
  // Page N+1 is fetched while page N is checked and applied: the partner
  // encodes and signs while this side verifies and writes. Pages are still
  // applied one at a time, in order, each with its cursor; a run stopped
  // mid-way resumes from the last committed page (what was fetched and not
  // applied is fetched again).
  auto fetched = FetchPage(target, get);
  for (;;) {
    if (!fetched) return Fail(fetched.error());
    FetchedPage current = std::move(*fetched);
    report.bytes += current.bytes;
    store::PartnerPage page;
    page.partner = partner->name;
    if (!current.date_added_last.empty()) {
      auto normal = NormaliseTimestamp(current.date_added_last);
      if (normal && *normal > cursor_added) cursor_added = *normal;
    }
    cursor_next = current.more ? current.next : std::string();
    page.cursor_added = cursor_added;
    page.cursor_next = cursor_next;
    page.finished = !current.more;
    std::future<Result<FetchedPage>> ahead;
    if (current.more) {
      ahead =
          std::async(std::launch::async, FetchPage,
                     url + "?limit=" + std::to_string(options.page_limit) + "&next=" + cursor_next,
                     std::cref(get));
    }
    if (report.pages > 0 && options.pause_before_apply.count() > 0) {
      std::this_thread::sleep_for(options.pause_before_apply);
    }
    auto received = ReceiveObjects(store, audit, origin, current.objects, *known, &page);
    if (!received) return Fail(received.error());  // `ahead` is waited for on the way out
    ++report.pages;
    report.objects += static_cast<std::int64_t>(current.objects.size());
    report.applied += received->applied;
    report.stale += received->stale;
    report.tombstones += received->tombstones;
    report.rejected += static_cast<std::int64_t>(received->failures.size());
    if (!current.more) break;
    fetched = ahead.get();
  }
  return report;
}

Result<std::vector<PushReport>> PushToOrganisation(store::Store& store, auth::AuditLog& audit,
                                                   const auth::InstanceKeys& keys,
                                                   const std::string& actor, const std::string& org,
                                                   const json& objects,
                                                   const SyncOptions& options) {
  auto partners = store.ListPartners();
  if (!partners) return Fail(partners.error());
  std::vector<store::Partner> to;
  for (const auto& p : *partners) {
    if (p.org == org) to.push_back(p);
  }
  if (to.empty()) {
    return Fail(ErrorCode::kNotFound, "no partner instance of " + org +
                                          " is configured (corridor sync add-partner --org " + org +
                                          ")");
  }
  std::vector<std::string> ids;
  for (const auto& o : objects) {
    if (auto u = UuidOfStixId(StringOr(o, "id"))) ids.push_back(u->str());
  }
  const std::string body = json{{"objects", objects}}.dump();
  std::vector<PushReport> reports;
  for (const auto& partner : to) {
    auto endpoint = EndpointOf(partner, keys, options);
    if (!endpoint) return Fail(endpoint.error());
    PushReport report;
    report.partner = partner.name;
    report.url = endpoint->url;
    const net::GetOptions& post = endpoint->request;
    // Audited before anything leaves.
    const json detail = {{"partner", partner.name}, {"org", org}, {"url", report.url}};
    if (auto a = audit.Record(actor, "sync-push", ids, detail.dump()); !a) return Fail(a.error());
    auto res = net::Post(report.url, body, std::string(kTaxiiMediaType), post);
    if (!res) return Fail(res.error());
    const json status = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
    if (res->status != 202 || !status.is_object()) {
      std::string why = status.is_object()
                            ? StringOr(status, "title") + ": " + StringOr(status, "description")
                            : std::string("not a TAXII status resource");
      return Fail(ErrorCode::kUnavailable,
                  report.url + ": HTTP " + std::to_string(res->status) + " (" + why + ")");
    }
    report.successes = status.value("success_count", std::int64_t{0});
    report.failures = status.value("failure_count", std::int64_t{0});
    if (const auto f = status.find("failures"); f != status.end() && f->is_array()) {
      for (const auto& one : *f) {
        report.failed.push_back(
            {{"id", StringOr(one, "id")}, {"message", StringOr(one, "message")}});
      }
    }
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace corridor::sync
