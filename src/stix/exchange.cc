#include "corridor/stix/exchange.h"

#include <set>

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
  if (!object.value("revoked", false)) return false;
  const auto ext = object.find("extensions");
  return ext == object.end() || !ext->is_object() ||
         !ext->contains(std::string(kCorridorExtensionId));
}

}  // namespace

Result<BundleExportSummary> WriteBundle(std::ostream& out, const store::Store& store,
                                        const store::Viewer& viewer,
                                        const BundleExportOptions& options,
                                        const SigningKey& key) {
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
  Result<void> written;
  auto each = store.ForEachIncident(viewer, filter, [&](const model::Incident& incident) {
    for (auto& object : IncidentToStix(incident, options.context)) {
      written = WriteSigned(out, std::move(object), key, first, summary.objects);
      if (!written) return false;
    }
    ++summary.incidents;
    if (IsMarked(incident.marking.tlp)) summary.marked_ids.push_back(incident.id.str());
    return true;
  });
  if (!each) return Fail(each.error());
  if (!written) return Fail(written.error());
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

Result<BundleImportSummary> ImportBundle(store::Store& store, const json& bundle,
                                         const BundleImportOptions& options) {
  if (options.known == nullptr) {
    return Fail(ErrorCode::kInternal, "ImportBundle: no known keys given");
  }
  if (!bundle.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected a STIX bundle object");
  if (bundle.value("type", "") != "bundle") {
    return Fail(ErrorCode::kInvalidArgument, "/type: expected \"bundle\"");
  }
  const auto objects = bundle.find("objects");
  if (objects == bundle.end()) {  // an empty bundle
    BundleImportSummary empty;
    empty.source = options.source;
    return empty;
  }
  if (!objects->is_array()) return Fail(ErrorCode::kInvalidArgument, "/objects: expected an array");

  BundleImportSummary summary;
  summary.source = options.source;
  const ObjectIndex index(*objects);
  const auto reject = [&](std::size_t i, const json& object, std::string kind,
                          std::string reason) -> Result<void> {
    ImportRejection r;
    r.pointer = "/objects/" + std::to_string(i);
    r.id = object.is_object() ? object.value("id", "") : "";
    r.type = object.is_object() ? object.value("type", "") : "";
    r.kind = std::move(kind);
    r.reason = std::move(reason);
    r.object = object;
    ++summary.rejected;
    if (options.on_reject) {
      if (auto ok = options.on_reject(r); !ok) return ok;
    }
    summary.rejections.push_back(std::move(r));
    return {};
  };

  for (std::size_t i = 0; i < objects->size(); ++i) {
    const json& object = (*objects)[i];
    ++summary.objects;
    if (!object.is_object() || !object.contains("type") || !object["type"].is_string() ||
        !object.contains("id") || !object["id"].is_string()) {
      if (auto ok = reject(i, object, "invalid", "not a STIX object with a type and an id"); !ok) {
        return Fail(ok.error());
      }
      continue;
    }
    // The TLP 2.0 definitions are known by id, whoever wrote the copy (other
    // producers add created_by_ref or external references).
    if (IsFixedObject(object) || (object["type"] == "marking-definition" &&
                                  TlpFromMarkingId(object["id"].get<std::string>()))) {
      ++summary.constant;
      continue;
    }
    const std::string type = object["type"];
    const std::string id = object["id"];
    if (auto person = PersonLevelContent(object)) {
      if (auto ok = reject(i, object, "person-level", "refused person-level content: " + *person);
          !ok) {
        return Fail(ok.error());
      }
      continue;
    }
    auto verified = Verify(object, *options.known);
    if (!verified) {
      if (auto ok = reject(i, object, "signature", verified.error().message); !ok) {
        return Fail(ok.error());
      }
      continue;
    }
    const std::string modified = object.value("modified", object.value("created", ""));
    if (!CompareTimestamps(modified, modified)) {
      if (auto ok = reject(i, object, "invalid", "/modified: not an RFC 3339 UTC timestamp"); !ok) {
        return Fail(ok.error());
      }
      continue;
    }
    auto prior = store.GetStixRecord(id);
    if (!prior) return Fail(prior.error());
    if (*prior && CompareTimestamps(modified, (*prior)->modified).value_or(0) <= 0) {
      ++summary.unchanged;
      continue;
    }
    const bool revoked = object.value("revoked", false);
    if (type == "incident") {
      const std::string prefix = "incident--";
      const auto uuid = Uuid::Parse(id.substr(std::min(id.size(), prefix.size())));
      if (id.rfind(prefix, 0) != 0 || !uuid) {
        if (auto ok = reject(i, object, "invalid", "/id: not incident--<uuid>"); !ok) {
          return Fail(ok.error());
        }
        continue;
      }
      auto local = store.GetIncident(store::SystemViewer(), *uuid);
      if (!local && local.error().code != ErrorCode::kNotFound) return Fail(local.error());
      if (IsTombstone(object)) {
        if (local && !local->revoked) {
          model::Incident copy = *local;
          copy.revoked = true;
          auto up = store.UpsertIncidents(std::span<const model::Incident>(&copy, 1));
          if (!up) return Fail(up.error());
          ++summary.revoked;
        }
      } else {
        auto incident = IncidentFromStix(object, index);
        if (!incident) {
          if (auto ok = reject(i, object, "invalid", incident.error().message); !ok) {
            return Fail(ok.error());
          }
          continue;
        }
        if (local && !local->marking.author_org.empty() &&
            local->marking.author_org != incident->marking.author_org) {
          if (auto ok = reject(i, object, "conflict",
                               "would overwrite a record of " + local->marking.author_org +
                                   " with one of " +
                                   (incident->marking.author_org.empty()
                                        ? std::string("no organisation")
                                        : incident->marking.author_org));
              !ok) {
            return Fail(ok.error());
          }
          continue;
        }
        auto up = store.UpsertIncidents(std::span<const model::Incident>(&*incident, 1));
        if (!up) return Fail(up.error());
        if (local && local->marking != incident->marking) {
          if (auto ok = store.SetMarking(incident->id, incident->marking); !ok) return Fail(ok.error());
        }
        summary.incidents_inserted += up->inserted;
        summary.incidents_updated += up->updated;
        if (revoked && local && !local->revoked) ++summary.revoked;
      }
    } else if (type == "report") {
      const std::string prefix = "report--";
      const auto uuid = Uuid::Parse(id.substr(std::min(id.size(), prefix.size())));
      if (id.rfind(prefix, 0) != 0 || !uuid) {
        if (auto ok = reject(i, object, "invalid", "/id: not report--<uuid>"); !ok) {
          return Fail(ok.error());
        }
        continue;
      }
      auto local = store.GetAssessment(store::SystemViewer(), *uuid);
      if (!local && local.error().code != ErrorCode::kNotFound) return Fail(local.error());
      if (IsTombstone(object)) {
        if (local && !local->revoked) {
          model::Assessment copy = *local;
          copy.revoked = true;
          copy.modified = modified;
          if (auto ok = store.PutAssessment(copy); !ok) return Fail(ok.error());
          ++summary.revoked;
        }
      } else {
        auto assessment = AssessmentFromStix(object);
        if (!assessment) {
          if (auto ok = reject(i, object, "invalid", assessment.error().message); !ok) {
            return Fail(ok.error());
          }
          continue;
        }
        if (local && !local->marking.author_org.empty() &&
            local->marking.author_org != assessment->marking.author_org) {
          if (auto ok = reject(i, object, "conflict",
                               "would overwrite an assessment of " + local->marking.author_org);
              !ok) {
            return Fail(ok.error());
          }
          continue;
        }
        if (auto ok = store.PutAssessment(*assessment); !ok) return Fail(ok.error());
        if (local) {
          ++summary.assessments_updated;
          if (revoked && !local->revoked) ++summary.revoked;
        } else {
          ++summary.assessments_inserted;
        }
      }
    } else if (type == "identity" || type == "location" || type == "relationship" ||
               type == "sighting") {
      if (type == "identity") {
        const std::string cls = object.value("identity_class", "");
        if (cls != "organization" && cls != "system") {
          if (auto ok = reject(i, object, "unsupported",
                               "/identity_class: only organization and system identities are "
                               "taken, got \"" + cls + "\"");
              !ok) {
            return Fail(ok.error());
          }
          continue;
        }
      }
      ++summary.recorded;
    } else {
      if (auto ok = reject(i, object, "unsupported", "/type: \"" + type + "\" is not imported");
          !ok) {
        return Fail(ok.error());
      }
      continue;
    }
    store::StixRecord record;
    record.id = id;
    record.type = type;
    record.modified = modified;
    record.revoked = revoked;
    record.originator = object.value("created_by_ref", "");
    record.key_id = verified->key_id;
    record.source = options.source;
    record.received = options.now;
    if (auto ok = store.PutStixRecord(record); !ok) return Fail(ok.error());
    summary.accepted_ids.push_back(id);
  }
  return summary;
}

}  // namespace corridor::stix
