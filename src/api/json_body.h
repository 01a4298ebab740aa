// A JSON object body read member by member, each error naming its JSON
// pointer ("/orgs/1: expected a string"). Private to api/ (the committee and
// admin routes).
#pragma once

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/service/committee.h"

namespace corridor::api {

// Reads the members of one JSON object body; unknown members are refused.
class Body {
 public:
  static Result<Body> Parse(const std::string& text, const std::set<std::string>& known) {
    Body b;
    b.json_ = nlohmann::json::parse(text, nullptr, false);
    if (!b.json_.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected a JSON object");
    for (const auto& [k, v] : b.json_.items()) {
      if (!known.count(k)) return Fail(ErrorCode::kInvalidArgument, "/" + k + ": unknown member");
    }
    return b;
  }
  // kInvalidArgument "/<name>: required" when the member is absent.
  Result<void> Require(const std::string& name) const {
    if (json_.contains(name)) return {};
    return Fail(ErrorCode::kInvalidArgument, "/" + name + ": required");
  }
  Result<void> Text(const std::string& name, std::string* out) const {
    auto it = json_.find(name);
    if (it == json_.end()) return {};
    if (!it->is_string())
      return Fail(ErrorCode::kInvalidArgument, "/" + name + ": expected a string");
    *out = it->get<std::string>();
    return {};
  }
  Result<void> Flag(const std::string& name, bool* out) const {
    auto it = json_.find(name);
    if (it == json_.end()) return {};
    if (!it->is_boolean())
      return Fail(ErrorCode::kInvalidArgument, "/" + name + ": expected true or false");
    *out = it->get<bool>();
    return {};
  }
  Result<void> List(const std::string& name, std::vector<std::string>* out) const {
    auto it = json_.find(name);
    if (it == json_.end()) return {};
    if (!it->is_array())
      return Fail(ErrorCode::kInvalidArgument, "/" + name + ": expected an array of strings");
    for (std::size_t i = 0; i < it->size(); ++i) {
      if (!(*it)[i].is_string()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "/" + name + "/" + std::to_string(i) + ": expected a string");
      }
      out->push_back((*it)[i].get<std::string>());
    }
    return {};
  }
  // A JSON object member kept as its compact text (a GeoJSON geometry).
  Result<void> Object(const std::string& name, std::string* out) const {
    auto it = json_.find(name);
    if (it == json_.end() || it->is_null()) return {};
    if (!it->is_object())
      return Fail(ErrorCode::kInvalidArgument, "/" + name + ": expected a JSON object");
    *out = it->dump();
    return {};
  }
  // An array of objects, each read by `read` (errors prefixed "/<name>/<i>").
  template <typename T>
  Result<void> Objects(const std::string& name, const std::set<std::string>& known,
                       const std::function<Result<void>(const Body&, T*)>& read,
                       std::vector<T>* out) const {
    auto it = json_.find(name);
    if (it == json_.end()) return {};
    if (!it->is_array())
      return Fail(ErrorCode::kInvalidArgument, "/" + name + ": expected an array of objects");
    for (std::size_t i = 0; i < it->size(); ++i) {
      const std::string at = "/" + name + "/" + std::to_string(i);
      if (!(*it)[i].is_object()) {
        return Fail(ErrorCode::kInvalidArgument, at + ": expected a JSON object");
      }
      auto item = Parse((*it)[i].dump(), known);
      if (!item) return Fail(ErrorCode::kInvalidArgument, at + item.error().message);
      T value;
      if (auto ok = read(*item, &value); !ok) {
        return Fail(ErrorCode::kInvalidArgument, at + ok.error().message);
      }
      out->push_back(std::move(value));
    }
    return {};
  }
  // {"marking": "TLP:AMBER", "distribution": {"organisations": [...], "users": [...]}}
  Result<void> Marking(service::MarkingParams* out) const {
    if (auto ok = Text("marking", &out->tlp); !ok) return ok;
    auto it = json_.find("distribution");
    if (it == json_.end()) return {};
    auto d = Parse(it->dump(), {"organisations", "users", "trust_group"});
    if (!d) return Fail(ErrorCode::kInvalidArgument, "/distribution" + d.error().message);
    for (auto r : {d->List("organisations", &out->organisations), d->List("users", &out->users),
                   d->Text("trust_group", &out->trust_group)}) {
      if (!r) return Fail(ErrorCode::kInvalidArgument, "/distribution" + r.error().message);
    }
    return {};
  }

 private:
  nlohmann::json json_;
};

// The first failure of `steps`, or nothing.
inline Result<void> All(std::initializer_list<Result<void>> steps) {
  for (const auto& s : steps) {
    if (!s) return s;
  }
  return {};
}

}  // namespace corridor::api
