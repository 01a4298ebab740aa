#include "corridor/stix/exchange.h"

#include <algorithm>
#include <map>
#include <set>

#include "corridor/common/json_get.h"
#include "corridor/common/strings.h"
#include "corridor/stix/ingress.h"
#include "corridor/store/incident_links.h"

namespace corridor::stix {
namespace {

using nlohmann::json;

Result<void> WriteSigned(std::ostream& out, json object, const SigningKey& key, bool& first,
                         std::int64_t& count) {
  auto signed_object = Sign(std::move(object), key);
  if (!signed_object) return Fail(signed_object.error());
  out << (first ? "\n  " : ",\n  ") << signed_object->dump();
  first = false;
  ++count;
  return {};
}

void WritePlain(std::ostream& out, const json& object, bool& first, std::int64_t& count) {
  out << (first ? "\n  " : ",\n  ") << object.dump();
  first = false;
  ++count;
}

bool IsMarked(model::Tlp tlp) {
  return model::Strictness(tlp) >= model::Strictness(model::Tlp::kAmber);
}

// A content-free revocation: id, modified, revoked (and a signature), no
// Corridor record to map.
bool IsTombstone(const json& object) {
  if (!BoolOr(object, "revoked", false)) return false;
  const auto ext = object.find("extensions");
  return ext == object.end() || !ext->is_object() ||
         !ext->contains(std::string(kCorridorExtensionId));
}

}  // namespace

Result<BundleExportSummary> WriteBundle(std::ostream& out, const store::Store& store,
                                        const store::Viewer& viewer,
                                        const BundleExportOptions& options, const SigningKey& key) {
  BundleExportSummary summary;
  bool first = true;
  out << "{\"type\":\"bundle\",\"id\":\"bundle--" << Uuid::V4().str() << "\",\"objects\":[";
  WritePlain(out, CorridorProjectIdentity(), first, summary.objects);
  WritePlain(out, CorridorExtensionDefinition(), first, summary.objects);
  WritePlain(out, SignatureExtensionDefinition(), first, summary.objects);
  for (int t = 0; t < model::kTlpCount; ++t) {
    WritePlain(out, TlpMarkingDefinition(static_cast<model::Tlp>(t)), first, summary.objects);
  }
  if (!options.context.instance_org.empty()) {
    auto org = store.GetOrganisation(options.context.instance_org);
    if (!org) return Fail(org.error());
    if (auto ok = WriteSigned(out, OrganisationToStix(*org), key, first, summary.objects); !ok) {
      return Fail(ok.error());
    }
  }
  model::IncidentFilter filter = options.filter;
  filter.include_revoked = true;
  filter.include_duplicates = true;
  Result<void> written;
  std::map<Uuid, model::Tlp> exported;  // for the links
  auto each = store.ForEachIncident(viewer, filter, [&](const model::Incident& incident) {
    for (auto& object : IncidentToStix(incident, options.context)) {
      written = WriteSigned(out, std::move(object), key, first, summary.objects);
      if (!written) return false;
    }
    if (!options.links.empty()) exported.emplace(incident.id, incident.marking.tlp);
    ++summary.incidents;
    if (IsMarked(incident.marking.tlp)) summary.marked_ids.push_back(incident.id.str());
    return true;
  });
  if (!each) return Fail(each.error());
  if (!written) return Fail(written.error());
  for (const auto& l : options.links) {
    const auto counted = exported.find(l.counted), kept = exported.find(l.kept);
    if (counted == exported.end() || kept == exported.end()) continue;
    const model::Tlp tlp = std::max(counted->second, kept->second);
    if (auto ok = WriteSigned(
            out, DuplicateOfToStix(l.id, l.counted, l.kept, tlp, l.decided_at, options.context),
            key, first, summary.objects);
        !ok) {
      return Fail(ok.error());
    }
    ++summary.links;
  }
  if (options.assessments) {
    auto assessments = store.ListAssessments(viewer, 100000, /*include_revoked=*/true);
    if (!assessments) return Fail(assessments.error());
    for (const auto& a : *assessments) {
      for (auto& object : AssessmentToStix(a, options.context)) {
        if (auto ok = WriteSigned(out, std::move(object), key, first, summary.objects); !ok) {
          return Fail(ok.error());
        }
      }
      ++summary.assessments;
      if (IsMarked(a.marking.tlp)) summary.marked_ids.push_back(a.id.str());
    }
  }
  out << "\n]}\n";
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot write the bundle");
  return summary;
}

namespace {

// One import: objects are offered one at a time (Offer screens them at once,
// keeping only what the ingress rule admits), then Finish maps and writes.
class Importer {
 public:
  Importer(store::Store& store, const BundleImportOptions& options)
      : store_(store), options_(options) {
    summary_.source = options.source;
  }

  Result<void> Offer(std::size_t i, json object) {
    ++summary_.objects;
    if (!object.is_object() || !object.contains("type") || !object["type"].is_string() ||
        !object.contains("id") || !object["id"].is_string()) {
      return Reject(i, object, "invalid", "not a STIX object with a type and an id");
    }
    // The TLP 2.0 definitions are known by id, whoever wrote the copy (other
    // producers add created_by_ref or external references).
    if (IsFixedObject(object) || (object["type"] == "marking-definition" &&
                                  TlpFromMarkingId(object["id"].get<std::string>()))) {
      ++summary_.constant;
      return {};
    }
    Screening screened = ScreenObject(object, *options_.known, options_.now);
    if (!screened.admitted) {
      return Reject(i, object, screened.kind, screened.reason, std::move(screened.sha256));
    }
    if (!screened.dropped.empty()) {
      ++summary_.objects_with_dropped;
      if (summary_.dropped.size() < kMaxListedRejections) {
        summary_.dropped.push_back({"/objects/" + std::to_string(i),
                                    object["id"].get<std::string>(), std::move(screened.dropped)});
      }
    }
    admitted_.push_back(
        {i, std::move(object), std::move(screened.originator), std::move(screened.key_id)});
    return {};
  }

  Result<BundleImportSummary> Finish();
  Result<void> ProposeDuplicate(const json& object, const std::string& originator);

 private:
  struct Admitted {
    std::size_t position;
    json object;
    std::string originator;
    std::string key_id;
  };

  // `sha256` of the object as received, when the caller has it.
  Result<void> Reject(std::size_t i, const json& object, std::string kind, std::string reason,
                      std::string sha256 = {}) {
    ++summary_.rejected;
    ++summary_.rejected_by_kind[kind];
    if (summary_.rejections.size() >= kMaxListedRejections) return {};
    ImportRejection r;
    r.pointer = "/objects/" + std::to_string(i);
    if (object.is_object()) {
      const auto id = object.find("id");
      const auto type = object.find("type");
      if (id != object.end() && id->is_string()) r.id = Excerpt(id->get<std::string>(), 200);
      if (type != object.end() && type->is_string())
        r.type = Excerpt(type->get<std::string>(), 100);
    }
    r.kind = std::move(kind);
    r.reason = std::move(reason);
    r.sha256 = sha256.empty() ? Fingerprint(object) : std::move(sha256);
    if (options_.on_reject) {
      if (auto ok = options_.on_reject(r); !ok) return ok;
    }
    summary_.rejections.push_back(std::move(r));
    return {};
  }

  // kConflict/"protected" refusals of stix::MayChange as rejections.
  Result<bool> Refused(const Admitted& a, std::string_view type, const Uuid& uuid) {
    auto refusal = MayChange(store_, type, uuid, a.originator);
    if (!refusal) return Fail(refusal.error());
    if (!*refusal) return false;
    if (auto ok = Reject(a.position, a.object, (*refusal)->kind, (*refusal)->reason); !ok) {
      return Fail(ok.error());
    }
    return true;
  }

  Result<void> Apply(const Admitted& a, const ObjectIndex& index);
  // A committee's grouping or note: written to the committee store. False
  // when it was rejected.
  Result<bool> ApplyCommittee(const Admitted& a);

  store::Store& store_;
  const BundleImportOptions& options_;
  std::string own_org_;  // loaded by the first committee object
  BundleImportSummary summary_;
  std::vector<Admitted> admitted_;
};

// A partner's confirmed link (DuplicateOfToStix) between two incidents held
// here becomes a candidate for this instance's analysts, with the partner's
// decision as its reason: their confirmation is evidence, not a decision
// taken here (docs/links.md).
Result<void> Importer::ProposeDuplicate(const json& object, const std::string& originator) {
  auto incident = [&](const char* key) -> std::optional<Uuid> {
    const std::string ref = StringOr(object, key);
    if (ref.rfind("incident--", 0) != 0) return std::nullopt;
    auto id = Uuid::Parse(ref.substr(10));
    if (!id || !store_.GetIncident(store::SystemViewer(), *id)) return std::nullopt;
    return id;
  };
  const auto x = incident("source_ref"), y = incident("target_ref");
  if (!x || !y || *x == *y) return {};
  store::IncidentLink l;
  l.a = std::min(x->str(), y->str());
  l.b = std::max(x->str(), y->str());
  l.id = store::LinkId(l.a, l.b);
  l.score = 1;
  l.reasons = {"confirmed as one event by " + originator};
  auto links = store::NewIncidentLinkStore();
  auto added = store::InWriteTransaction(store_.database(), [&](store::Transaction& tx) {
    return links->PutCandidates(tx, std::span<const store::IncidentLink>(&l, 1), options_.now);
  });
  if (!added) return Fail(added.error());
  summary_.links_proposed += *added;
  return {};
}

Result<BundleImportSummary> Importer::Finish() {
  ObjectIndex index;
  for (const auto& a : admitted_) index.Add(a.object);
  for (const auto& a : admitted_) {
    if (auto ok = Apply(a, index); !ok) return Fail(ok.error());
  }
  return std::move(summary_);
}

Result<void> Importer::Apply(const Admitted& a, const ObjectIndex& index) {
  const json& object = a.object;
  const std::size_t i = a.position;
  const std::string type = object["type"];
  const std::string id = object["id"];
  const std::string modified = StringOr(object, "modified", StringOr(object, "created"));
  if (!CompareTimestamps(modified, modified)) {
    return Reject(i, object, "invalid", "/modified: not an RFC 3339 UTC timestamp");
  }
  auto prior = store_.GetStixRecord(id);
  if (!prior) return Fail(prior.error());
  // A committee object's id belongs to the organisation that first sent it:
  // another's object under that id never replaces its record (nor its clock).
  if (*prior && IsCommitteeObject(object) &&
      (*prior)->originator != OrganisationIdentityId(a.originator)) {
    return Reject(i, object, "conflict",
                  "/id: " + id + " is held here from another organisation; only it may send it");
  }
  if (*prior && CompareTimestamps(modified, (*prior)->modified).value_or(0) <= 0) {
    ++summary_.unchanged;
    return {};
  }
  const bool revoked = BoolOr(object, "revoked", false);
  if (type == "incident") {
    const std::string prefix = "incident--";
    const auto uuid = Uuid::Parse(id.substr(std::min(id.size(), prefix.size())));
    if (id.rfind(prefix, 0) != 0 || !uuid) {
      return Reject(i, object, "invalid", "/id: not incident--<uuid>");
    }
    auto refused = Refused(a, type, *uuid);
    if (!refused) return Fail(refused.error());
    if (*refused) return {};
    auto local = store_.GetIncident(store::SystemViewer(), *uuid);
    if (!local && local.error().code != ErrorCode::kNotFound) return Fail(local.error());
    if (IsTombstone(object)) {
      if (local && !local->revoked) {
        model::Incident copy = *local;
        copy.revoked = true;
        auto up = store_.UpsertIncidents(std::span<const model::Incident>(&copy, 1));
        if (!up) return Fail(up.error());
        ++summary_.revoked;
      }
    } else {
      auto incident = IncidentFromStix(object, index);
      if (!incident) return Reject(i, object, "invalid", incident.error().message);
      incident->marking.author_org = a.originator;  // verified, never claimed
      auto up = store_.UpsertIncidents(std::span<const model::Incident>(&*incident, 1));
      if (!up) return Fail(up.error());
      if (local && local->marking != incident->marking) {
        if (auto ok = store_.SetMarking(incident->id, incident->marking, local->marking); !ok) {
          return Fail(ok.error());
        }
      }
      summary_.incidents_inserted += up->inserted;
      summary_.incidents_updated += up->updated;
      if (revoked && local && !local->revoked) ++summary_.revoked;
    }
  } else if (type == "report") {
    const std::string prefix = "report--";
    const auto uuid = Uuid::Parse(id.substr(std::min(id.size(), prefix.size())));
    if (id.rfind(prefix, 0) != 0 || !uuid) {
      return Reject(i, object, "invalid", "/id: not report--<uuid>");
    }
    auto refused = Refused(a, type, *uuid);
    if (!refused) return Fail(refused.error());
    if (*refused) return {};
    auto local = store_.GetAssessment(store::SystemViewer(), *uuid);
    if (!local && local.error().code != ErrorCode::kNotFound) return Fail(local.error());
    if (IsTombstone(object)) {
      if (local && !local->revoked) {
        model::Assessment copy = *local;
        copy.revoked = true;
        copy.modified = modified;
        if (auto ok = store_.PutAssessment(copy); !ok) return Fail(ok.error());
        ++summary_.revoked;
      }
    } else {
      auto assessment = AssessmentFromStix(object);
      if (!assessment) return Reject(i, object, "invalid", assessment.error().message);
      assessment->marking.author_org = a.originator;  // verified, never claimed
      if (auto ok = store_.PutAssessment(*assessment); !ok) return Fail(ok.error());
      if (local) {
        ++summary_.assessments_updated;
        if (revoked && !local->revoked) ++summary_.revoked;
      } else {
        ++summary_.assessments_inserted;
      }
    }
  } else if (IsCommitteeObject(object)) {
    auto applied = ApplyCommittee(a);
    if (!applied) return Fail(applied.error());
    if (!*applied) return {};
  } else if (type == "identity" || type == "location" || type == "relationship" ||
             type == "sighting") {
    if (type == "identity") {
      const std::string cls = StringOr(object, "identity_class");
      if (cls != "organization" && cls != "system") {
        return Reject(i, object, "unsupported",
                      "/identity_class: only organization and system identities are taken, got "
                      "\"" +
                          Excerpt(cls, 100) + "\"");
      }
    }
    if (type == "relationship" && StringOr(object, "relationship_type") == "duplicate-of" &&
        !revoked) {
      if (auto ok = ProposeDuplicate(object, a.originator); !ok) return Fail(ok.error());
    }
    ++summary_.recorded;
  } else {
    return Reject(i, object, "unsupported",
                  "/type: \"" + Excerpt(type, 100) + "\" is not imported");
  }
  store::StixRecord record;
  record.id = id;
  record.type = type;
  record.modified = modified;
  record.revoked = revoked;
  record.originator = OrganisationIdentityId(a.originator);
  record.key_id = a.key_id;
  record.source = options_.source;
  record.received = options_.now;
  if (auto ok = store_.PutStixRecord(record); !ok) return Fail(ok.error());
  summary_.accepted_ids.push_back(id);
  return {};
}

Result<bool> Importer::ApplyCommittee(const Admitted& a) {
  if (own_org_.empty()) {
    auto own = OwnOrganisation(store_);
    if (!own) return Fail(own.error());
    own_org_ = *own;
  }
  auto applied = ApplyCommitteeObject(store_, a.object, a.originator, own_org_);
  if (!applied) return Fail(applied.error());
  if (applied->refusal) {
    if (auto ok = Reject(a.position, a.object, applied->refusal->kind, applied->refusal->reason);
        !ok) {
      return Fail(ok.error());
    }
    return false;
  }
  summary_.committee_inserted += applied->inserted ? 1 : 0;
  summary_.committee_updated += applied->updated ? 1 : 0;
  if (!applied->inserted && !applied->updated) ++summary_.unchanged;
  return !applied->incomplete;  // no record: the same version is applied again
}

// Thrown from inside the parser's callback to stop reading.
struct StopImport {
  Error error;
};

}  // namespace

Result<BundleImportSummary> ImportBundle(store::Store& store, const json& bundle,
                                         const BundleImportOptions& options) {
  if (options.known == nullptr) {
    return Fail(ErrorCode::kInternal, "ImportBundle: no known keys given");
  }
  if (!bundle.is_object())
    return Fail(ErrorCode::kInvalidArgument, "/: expected a STIX bundle object");
  if (StringOr(bundle, "type") != "bundle") {
    return Fail(ErrorCode::kInvalidArgument, "/type: expected \"bundle\"");
  }
  Importer importer(store, options);
  const auto objects = bundle.find("objects");
  if (objects == bundle.end()) return importer.Finish();  // an empty bundle
  if (!objects->is_array()) return Fail(ErrorCode::kInvalidArgument, "/objects: expected an array");
  for (std::size_t i = 0; i < objects->size(); ++i) {
    if (auto ok = importer.Offer(i, (*objects)[i]); !ok) return Fail(ok.error());
  }
  return importer.Finish();
}

Result<BundleImportSummary> ImportBundleStream(store::Store& store, std::istream& in,
                                               const BundleImportOptions& options) {
  if (options.known == nullptr) {
    return Fail(ErrorCode::kInternal, "ImportBundleStream: no known keys given");
  }
  Importer importer(store, options);
  std::string key;          // the bundle's property being read
  std::string type;         // the bundle's "type"
  bool in_objects = false;  // inside /objects
  bool objects_not_array = false;
  std::size_t next = 0;
  const auto offer = [&](json object) {
    if (auto ok = importer.Offer(next++, std::move(object)); !ok) throw StopImport{ok.error()};
  };
  // Depths as nlohmann reports them: the bundle is 0, its properties 1, the
  // elements of /objects 2 (their own content deeper).
  json::parser_callback_t callback = [&](int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        if (depth == 1 && key == "objects") objects_not_array = true;
        return true;
      case json::parse_event_t::key:
        if (depth == 1) key = parsed.is_string() ? parsed.get<std::string>() : std::string();
        return true;
      case json::parse_event_t::array_start:
        if (depth == 1 && key == "objects") in_objects = true;
        return true;
      case json::parse_event_t::array_end:
        if (depth == 1 && in_objects) {
          in_objects = false;
          return false;  // the elements were consumed one by one
        }
        if (depth == 2 && in_objects) {
          offer(std::move(parsed));
          return false;
        }
        return true;
      case json::parse_event_t::object_end:
        if (depth == 2 && in_objects) {
          offer(std::move(parsed));
          return false;
        }
        return true;
      case json::parse_event_t::value:
        if (depth == 2 && in_objects) {
          offer(std::move(parsed));
          return false;
        }
        if (depth == 1 && key == "type" && parsed.is_string()) type = parsed.get<std::string>();
        if (depth == 1 && key == "objects") objects_not_array = true;
        return depth != 1 || key != "objects";
    }
    return true;
  };
  json top;
  try {
    top = json::parse(in, callback, /*allow_exceptions=*/true);
  } catch (const StopImport& stop) {
    return Fail(stop.error);
  } catch (const json::parse_error& e) {
    return Fail(ErrorCode::kInvalidArgument,
                "not JSON (byte " + std::to_string(e.byte) + "): " + e.what());
  }
  if (!top.is_object())
    return Fail(ErrorCode::kInvalidArgument, "/: expected a STIX bundle object");
  if (type != "bundle") return Fail(ErrorCode::kInvalidArgument, "/type: expected \"bundle\"");
  if (objects_not_array) return Fail(ErrorCode::kInvalidArgument, "/objects: expected an array");
  // Nothing is written before the whole bundle was read and found a bundle.
  return importer.Finish();
}

}  // namespace corridor::stix
