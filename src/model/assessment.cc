#include "corridor/model/assessment.h"

#include <string>

#include "corridor/model/json.h"

namespace corridor::model {
namespace {

using nlohmann::json;

json UuidArray(const std::vector<Uuid>& ids) {
  json out = json::array();
  for (const auto& id : ids) out.push_back(id.str());
  return out;
}

Result<void> ReadString(const json& j, const char* key, std::string& out) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("/") + key + ": expected a string");
  }
  out = it->get<std::string>();
  return {};
}

Result<void> ReadStrings(const json& j, const char* key, std::vector<std::string>& out) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return {};
  if (!it->is_array()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("/") + key + ": expected an array of strings");
  }
  out.clear();
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string("/") + key + "/" + std::to_string(i) + ": expected a string");
    }
    out.push_back((*it)[i].get<std::string>());
  }
  return {};
}

Result<void> ReadUuids(const json& j, const char* key, std::vector<Uuid>& out) {
  std::vector<std::string> texts;
  if (auto ok = ReadStrings(j, key, texts); !ok) return ok;
  out.clear();
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto id = Uuid::Parse(texts[i]);
    if (!id) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string("/") + key + "/" + std::to_string(i) + ": not a UUID");
    }
    out.push_back(*id);
  }
  return {};
}

}  // namespace

json ToJson(const Assessment& a) {
  return {{"id", a.id.str()},
          {"title", a.title},
          {"body", a.body},
          {"incidents", UuidArray(a.incidents)},
          {"areas", a.areas},
          {"sites", UuidArray(a.sites)},
          {"marking", TlpName(a.marking.tlp)},
          {"distribution", ToJson(a.marking.distribution)},
          {"author", a.marking.author},
          {"author_org", a.marking.author_org},
          {"created", a.created},
          {"modified", a.modified},
          {"revoked", a.revoked},
          {"version", a.version}};
}

Result<Assessment> AssessmentFromJson(const json& j) {
  if (!j.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected a JSON object");
  Assessment a;
  std::string id, marking;
  for (auto ok : {ReadString(j, "id", id), ReadString(j, "title", a.title),
                  ReadString(j, "body", a.body), ReadUuids(j, "incidents", a.incidents),
                  ReadStrings(j, "areas", a.areas), ReadUuids(j, "sites", a.sites),
                  ReadString(j, "marking", marking), ReadString(j, "author", a.marking.author),
                  ReadString(j, "author_org", a.marking.author_org),
                  ReadString(j, "created", a.created), ReadString(j, "modified", a.modified)}) {
    if (!ok) return Fail(ok.error());
  }
  if (!id.empty()) {
    const auto parsed = Uuid::Parse(id);
    if (!parsed) return Fail(ErrorCode::kInvalidArgument, "/id: not a UUID");
    a.id = *parsed;
  }
  if (!marking.empty()) {
    const auto tlp = ParseTlp(marking);
    if (!tlp) {
      return Fail(ErrorCode::kInvalidArgument,
                  "/marking: expected TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or "
                  "TLP:RED, got '" + marking + "'");
    }
    a.marking.tlp = *tlp;
  }
  if (const auto it = j.find("distribution"); it != j.end() && !it->is_null()) {
    auto d = DistributionFromJson(*it, "/distribution");
    if (!d) return Fail(d.error());
    a.marking.distribution = std::move(*d);
  }
  if (const auto it = j.find("revoked"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) return Fail(ErrorCode::kInvalidArgument, "/revoked: expected a boolean");
    a.revoked = it->get<bool>();
  }
  if (const auto it = j.find("version"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Fail(ErrorCode::kInvalidArgument, "/version: expected an integer");
    }
    a.version = it->get<int>();
  }
  return a;
}

}  // namespace corridor::model
