#include "corridor/sync/codec.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <thread>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "corridor/stix/ingress.h"

namespace corridor::sync {
namespace {

using nlohmann::json;

// Threads that screen and verify a page's objects, and objects per unit of work.
constexpr std::size_t kCheckThreads = 4;
constexpr std::size_t kCheckChunk = 64;

std::string StringOr(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// The incident a companion object belongs to: itself for an incident, the
// source of a located-at relationship, what a sighting is of; locations are
// found through their relationship.
std::string OwnerOf(const json& object, const std::map<std::string, std::string>& location_owner) {
  const std::string type = StringOr(object, "type");
  if (type == "incident" || type == "report") return StringOr(object, "id");
  if (type == "relationship") return StringOr(object, "source_ref");
  if (type == "sighting") return StringOr(object, "sighting_of_ref");
  if (type == "location") {
    const auto it = location_owner.find(StringOr(object, "id"));
    return it == location_owner.end() ? "" : it->second;
  }
  return "";
}

}  // namespace

std::string CollectionIdFor(std::string_view root) {
  return RecordId("taxii-collection", root).str();
}

std::string StixIdOf(const Uuid& id) { return stix::IncidentStixId(id); }

std::string_view StixTypeOf(std::string_view stix_id) {
  const auto sep = stix_id.find("--");
  if (sep == std::string_view::npos || sep == 0) return "";
  return stix_id.substr(0, sep);
}

std::optional<Uuid> UuidOfStixId(std::string_view stix_id) {
  const auto sep = stix_id.find("--");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  return Uuid::Parse(stix_id.substr(sep + 2));
}

Result<std::vector<json>> EncodeIncident(const model::Incident& incident,
                                         const stix::ExportContext& context,
                                         const stix::SigningKey* key) {
  std::vector<json> objects = stix::IncidentToStix(incident, context);
  if (key == nullptr) return objects;
  for (json& o : objects) {
    auto signed_object = stix::Sign(std::move(o), *key);
    if (!signed_object) return Fail(signed_object.error());
    o = std::move(*signed_object);
  }
  return objects;
}

Result<std::vector<json>> EncodeAssessment(const model::Assessment& assessment,
                                           const stix::ExportContext& context,
                                           const stix::SigningKey* key) {
  std::vector<json> objects = stix::AssessmentToStix(assessment, context);
  if (key == nullptr) return objects;
  for (json& o : objects) {
    auto signed_object = stix::Sign(std::move(o), *key);
    if (!signed_object) return Fail(signed_object.error());
    o = std::move(*signed_object);
  }
  return objects;
}

namespace {

Result<json> Tombstone(std::string_view type, std::string stix_id, const std::string& modified,
                       const stix::SigningKey* key) {
  json t = {{"type", type},
            {"spec_version", "2.1"},
            {"id", std::move(stix_id)},
            {"modified", modified},
            {"revoked", true}};
  if (key == nullptr) return t;
  return stix::Sign(std::move(t), *key);
}

}  // namespace

Result<json> EncodeTombstone(const model::Incident& incident, const stix::SigningKey* key) {
  return Tombstone("incident", StixIdOf(incident.id), incident.modified, key);
}

Result<json> EncodeAssessmentTombstone(const model::Assessment& assessment,
                                       const stix::SigningKey* key) {
  return Tombstone("report", stix::ReportStixId(assessment.id), assessment.modified, key);
}

Result<DecodedPage> DecodePage(json objects, const stix::PublicKeys& known, std::string_view now) {
  if (!objects.is_array()) return Fail(ErrorCode::kInvalidArgument, "/objects: expected an array");
  DecodedPage page;
  std::map<std::string, std::string> location_owner;
  for (const auto& o : objects) {
    if (o.is_object() && StringOr(o, "type") == "relationship" &&
        StringOr(o, "relationship_type") == "located-at") {
      location_owner[StringOr(o, "target_ref")] = StringOr(o, "source_ref");
    }
  }
  // A report's area locations belong to it (to the first report naming one).
  for (const auto& o : objects) {
    if (!o.is_object() || StringOr(o, "type") != "report") continue;
    const auto refs = o.find("object_refs");
    if (refs == o.end() || !refs->is_array()) continue;
    for (const auto& ref : *refs) {
      if (ref.is_string() && StixTypeOf(ref.get<std::string>()) == "location") {
        location_owner.emplace(ref.get<std::string>(), StringOr(o, "id"));
      }
    }
  }
  // Screening and the signature check are independent per object and are
  // most of a page's cost (an Ed25519 verification each): they run on up to
  // kCheckThreads threads; what they find is used in page order below.
  enum class Check : char { kNotObject, kFixed, kRefused, kOk };
  std::vector<Check> checks(objects.size(), Check::kOk);
  std::vector<std::string> reasons(objects.size());
  std::vector<std::string> hashes(objects.size());
  std::vector<std::string> originators(objects.size());
  std::vector<std::vector<std::string>> dropped(objects.size());
  const auto check_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      json& o = objects[i];
      if (!o.is_object()) {
        checks[i] = Check::kNotObject;
      } else if (stix::IsFixedObject(o)) {
        checks[i] = Check::kFixed;
      } else {
        auto screened = stix::ScreenObject(o, known, now);
        if (!screened.admitted) {
          checks[i] = Check::kRefused;
          reasons[i] = screened.kind + ": " + screened.reason;
          hashes[i] = std::move(screened.sha256);
        } else {
          originators[i] = std::move(screened.originator);
          dropped[i] = std::move(screened.dropped);
        }
      }
    }
  };
  const std::size_t threads =
      std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kCheckThreads);
  if (threads <= 1 || objects.size() < 2 * kCheckChunk) {
    check_range(0, objects.size());
  } else {
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
      for (;;) {
        const std::size_t begin = next.fetch_add(kCheckChunk);
        if (begin >= objects.size()) return;
        check_range(begin, std::min(objects.size(), begin + kCheckChunk));
      }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
  }

  // Remember the incidents whose companions failed.
  std::map<std::string, std::string> failed_owner;  // incident id -> first problem
  std::vector<std::size_t> incidents;
  std::vector<std::size_t> reports;
  stix::ObjectIndex index;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const json& o = objects[i];
    const std::string pointer = "/objects/" + std::to_string(i);
    if (checks[i] == Check::kNotObject) {
      page.failures.push_back({"", "", pointer + ": expected a STIX object"});
      continue;
    }
    if (checks[i] == Check::kFixed) continue;
    const std::string id = StringOr(o, "id");
    const std::string owner = OwnerOf(o, location_owner);
    std::string problem;
    if (checks[i] == Check::kRefused) {
      problem = pointer + ": refused, " + reasons[i];
    } else if (owner.empty() || !UuidOfStixId(owner)) {
      problem = pointer +
                ": not an incident, an incident's location, relationship or sighting, a report "
                "or a report's location";
    }
    const std::string type = StringOr(o, "type");
    if (!problem.empty()) {
      if (owner.empty() || (type != "incident" && type != "report") ||
          checks[i] == Check::kRefused) {
        page.failures.push_back(
            {Excerpt(id, 200), Excerpt(StringOr(o, "modified"), 40), problem, hashes[i]});
      }
      if (!owner.empty() && !failed_owner.count(owner)) failed_owner[owner] = problem;
      continue;
    }
    if (!dropped[i].empty()) page.dropped.push_back({id, dropped[i]});
    if (type == "incident") incidents.push_back(i);
    if (type == "report") reports.push_back(i);
  }
  // A companion signed by another organisation than its incident's or
  // report's originator fails the record (one originator per record).
  std::map<std::string, std::string> record_originator;
  for (std::size_t i : incidents) record_originator[StringOr(objects[i], "id")] = originators[i];
  for (std::size_t i : reports) record_originator[StringOr(objects[i], "id")] = originators[i];
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (checks[i] != Check::kOk) continue;
    const std::string owner = OwnerOf(objects[i], location_owner);
    const auto it = record_originator.find(owner);
    if (it != record_originator.end() && it->second != originators[i] &&
        !failed_owner.count(owner)) {
      failed_owner[owner] = "/objects/" + std::to_string(i) + ": signed by " + originators[i] +
                            ", not by the record's originator " + it->second;
    }
  }
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (checks[i] == Check::kOk && !failed_owner.count(OwnerOf(objects[i], location_owner))) {
      index.Add(objects[i]);
    }
  }
  for (const auto& [owner, problem] : failed_owner) {
    bool listed = false;
    for (std::size_t i : incidents) listed = listed || StringOr(objects[i], "id") == owner;
    for (std::size_t i : reports) listed = listed || StringOr(objects[i], "id") == owner;
    // An incident that itself failed was not listed; name it once.
    if (!listed) {
      bool already = false;
      for (const auto& f : page.failures) already = already || f.id == owner;
      if (!already) page.failures.push_back({owner, "", problem});
    }
  }
  std::map<std::string, std::vector<json>> companions;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (checks[i] == Check::kNotObject || checks[i] == Check::kFixed) continue;
    const std::string owner = OwnerOf(objects[i], location_owner);
    if (!owner.empty()) companions[owner].push_back(objects[i]);
  }
  std::map<std::string, int> uses;
  for (std::size_t i : incidents) ++uses[StringOr(objects[i], "id")];
  for (std::size_t i : incidents) {
    const json& sdo = objects[i];
    const std::string stix_id = StringOr(sdo, "id");
    const std::string pointer = "/objects/" + std::to_string(i);
    if (const auto f = failed_owner.find(stix_id); f != failed_owner.end()) {
      page.failures.push_back(
          {stix_id, StringOr(sdo, "modified"), "an object of this incident failed: " + f->second});
      continue;
    }
    ReceivedObject r;
    r.stix_id = stix_id;
    r.originator = originators[i];
    r.id = *UuidOfStixId(stix_id);
    auto modified = NormaliseTimestamp(StringOr(sdo, "modified"));
    if (!modified) {
      page.failures.push_back({stix_id, "", pointer + "/modified: not an RFC 3339 UTC timestamp"});
      continue;
    }
    r.modified = *modified;
    const auto rev = sdo.find("revoked");
    const bool revoked = rev != sdo.end() && rev->is_boolean() && rev->get<bool>();
    const auto ext = sdo.find("extensions");
    const bool has_record = ext != sdo.end() && ext->is_object() &&
                            ext->contains(std::string(stix::kCorridorExtensionId));
    if (revoked && !has_record) {
      r.tombstone = true;  // nothing but id, modified and the signature
    } else {
      auto incident = stix::IncidentFromStix(sdo, index);
      if (!incident) {
        page.failures.push_back({stix_id, r.modified, pointer + incident.error().message});
        continue;
      }
      r.incident = std::move(*incident);
      r.incident.marking.author_org = originators[i];  // verified, never claimed
      r.incident.revoked = false;  // a revoked full object counts as a tombstone
      r.tombstone = revoked;
    }
    // Moved out by the last incident of that id (a page may repeat one).
    if (--uses[stix_id] == 0) {
      r.objects = std::move(companions[stix_id]);
    } else {
      r.objects = companions[stix_id];
    }
    page.incidents.push_back(std::move(r));
  }
  for (std::size_t i : reports) {
    const json& sdo = objects[i];
    const std::string stix_id = StringOr(sdo, "id");
    const std::string pointer = "/objects/" + std::to_string(i);
    if (const auto f = failed_owner.find(stix_id); f != failed_owner.end()) {
      page.failures.push_back(
          {stix_id, StringOr(sdo, "modified"), "an object of this report failed: " + f->second});
      continue;
    }
    ReceivedAssessment r;
    r.stix_id = stix_id;
    r.originator = originators[i];
    r.id = *UuidOfStixId(stix_id);
    auto modified = NormaliseTimestamp(StringOr(sdo, "modified"));
    if (!modified) {
      page.failures.push_back({stix_id, "", pointer + "/modified: not an RFC 3339 UTC timestamp"});
      continue;
    }
    r.modified = *modified;
    const auto rev = sdo.find("revoked");
    const bool revoked = rev != sdo.end() && rev->is_boolean() && rev->get<bool>();
    if (revoked && !sdo.contains("name")) {
      r.tombstone = true;  // nothing but id, modified and the signature
    } else {
      auto assessment = stix::AssessmentFromStix(sdo);
      if (!assessment) {
        page.failures.push_back({stix_id, r.modified, pointer + assessment.error().message});
        continue;
      }
      r.assessment = std::move(*assessment);
      r.assessment.marking.author_org = originators[i];  // verified, never claimed
      r.assessment.modified = r.modified;
      r.assessment.revoked = false;  // a revoked full report counts as a tombstone
      r.tombstone = revoked;
    }
    r.objects = companions[stix_id];
    page.assessments.push_back(std::move(r));
  }
  return page;
}

Result<Envelope> ReadEnvelope(std::string_view body, bool objects_required) {
  auto j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "/: not a JSON envelope object");
  }
  Envelope e;
  if (const auto it = j.find("objects"); it != j.end()) {
    if (!it->is_array()) return Fail(ErrorCode::kInvalidArgument, "/objects: expected an array");
    e.objects = std::move(*it);
  } else if (objects_required) {
    return Fail(ErrorCode::kInvalidArgument, "/objects: required array");
  }
  if (const auto it = j.find("more"); it != j.end()) {
    if (!it->is_boolean()) return Fail(ErrorCode::kInvalidArgument, "/more: expected a boolean");
    e.more = it->get<bool>();
  }
  if (e.more) {
    const auto it = j.find("next");
    if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
      return Fail(ErrorCode::kInvalidArgument, "/next: required string when more is true");
    }
    e.next = it->get<std::string>();
  }
  return e;
}

std::optional<std::string> NormaliseTimestamp(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.f+]Z
  if (t.size() < 20 || t.back() != 'Z') return std::nullopt;
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(t[i])) != 0;
    if (kShape[i] == 'd' ? !digit : t[i] != kShape[i]) return std::nullopt;
  }
  std::string frac;
  std::string_view rest = t.substr(19, t.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return std::nullopt;
    for (char c : rest.substr(1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    frac = std::string(rest.substr(1));
  }
  frac = (frac + "000").substr(0, 3);
  return std::string(t.substr(0, 19)) + "." + frac + "Z";
}

}  // namespace corridor::sync
