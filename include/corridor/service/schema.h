// The parameters of a use case, declared once: name, type, bounds and
// description of each, from which the HTTP query parsing, the OpenAPI
// parameter objects and the bounds check of values set by other callers (the
// CLI) are all derived, so that a route cannot drift from its documentation
// (issue 18 §1, OSRM's typed parameters with a grammar).
//
//   struct KnoxParams {
//     double distance_km = 10;
//     int permutations = 999;
//     static const service::ParamSchema<KnoxParams>& Schema();
//     Result<void> Validate() const { return Schema().Check(*this); }
//   };
//   const service::ParamSchema<KnoxParams>& KnoxParams::Schema() {
//     static const auto s = service::ParamSchema<KnoxParams>()
//         .Number("distance", &KnoxParams::distance_km, "closeness in space, km", 0.1, 500)
//         .Integer("permutations", &KnoxParams::permutations, "Monte-Carlo permutations", 1, 999);
//     return s;
//   }
//
// Every value is checked as untrusted text first (valid UTF-8, no control
// character, a length bound) whatever its type; every number has bounds; an
// unknown parameter, or one given twice, is an error naming it. Header only:
// both sides' APIs use it without linking each other's libraries.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/result.h"
#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"

namespace corridor::service {

enum class ParamIn { kQuery, kPath };

namespace schema_detail {

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
struct Inner {
  using type = T;
};
template <typename T>
struct Inner<std::optional<T>> {
  using type = T;
};

template <typename Member>
const typename Inner<Member>::type* ValueOf(const Member& m) {
  if constexpr (IsOptional<Member>::value) {
    return m ? &*m : nullptr;
  } else {
    return &m;
  }
}

inline std::string Quote(std::string_view v) {
  // Echo at most 40 bytes of a value the text check has passed.
  return "'" + Excerpt(v, 40) + "'";
}

}  // namespace schema_detail

template <typename P>
class ParamSchema {
 public:
  struct Field {
    std::string name;
    ParamIn in = ParamIn::kQuery;
    std::string description;
    nlohmann::json schema;  // JSON Schema of the value (OpenAPI)
    bool required = false;
    std::size_t max_bytes = 256;
    // Parses `value` (already text-checked) into the params.
    std::function<Result<void>(P&, std::string_view)> set;
    // Checks the field's current value against its bounds (values set by
    // other callers than the query parser); may be empty.
    std::function<Result<void>(const P&)> check;
  };

  ParamSchema() = default;

  // An integer in [min, max]. Member: an integral type or std::optional of one.
  template <typename M>
  ParamSchema& Integer(std::string name, M P::*member, std::string description, std::int64_t min,
                       std::int64_t max) {
    using T = typename schema_detail::Inner<M>::type;
    static_assert(std::is_integral_v<T>);
    Field f = Base(std::move(name), std::move(description));
    f.schema = {{"type", "integer"}, {"minimum", min}, {"maximum", max}};
    f.max_bytes = 24;
    const std::string n = f.name;
    const auto in_range = [n, min, max](std::int64_t v) -> Result<void> {
      if (v < min || v > max) {
        return Fail(ErrorCode::kInvalidArgument,
                    n + ": expected an integer from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", got " + std::to_string(v));
      }
      return {};
    };
    f.set = [member, n, in_range](P& p, std::string_view text) -> Result<void> {
      std::int64_t v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return Fail(ErrorCode::kInvalidArgument,
                    n + ": expected an integer, got " + schema_detail::Quote(text));
      }
      if (auto ok = in_range(v); !ok) return ok;
      p.*member = static_cast<T>(v);
      return {};
    };
    f.check = [member, in_range](const P& p) -> Result<void> {
      if (const T* v = schema_detail::ValueOf(p.*member)) {
        return in_range(static_cast<std::int64_t>(*v));
      }
      return {};
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  // A finite number in [min, max] (or (min, max] with exclusive_min).
  // Member: double or std::optional<double>.
  template <typename M>
  ParamSchema& Number(std::string name, M P::*member, std::string description, double min,
                      double max, bool exclusive_min = false) {
    Field f = Base(std::move(name), std::move(description));
    f.schema = {{"type", "number"}, {"maximum", max}};
    f.schema[exclusive_min ? "exclusiveMinimum" : "minimum"] = min;
    f.max_bytes = 32;
    const std::string n = f.name;
    const auto in_range = [n, min, max, exclusive_min](double v) -> Result<void> {
      if (!std::isfinite(v) || v > max || v < min || (exclusive_min && v == min)) {
        return Fail(ErrorCode::kInvalidArgument,
                    n + ": expected a number " + (exclusive_min ? "above " : "from ") +
                        Format(min) + (exclusive_min ? " up to " : " to ") + Format(max) +
                        ", got " + Format(v));
      }
      return {};
    };
    f.set = [member, n, in_range](P& p, std::string_view text) -> Result<void> {
      double v = 0;
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return Fail(ErrorCode::kInvalidArgument,
                    n + ": expected a number, got " + schema_detail::Quote(text));
      }
      if (auto ok = in_range(v); !ok) return ok;
      p.*member = v;
      return {};
    };
    f.check = [member, in_range](const P& p) -> Result<void> {
      if (const double* v = schema_detail::ValueOf(p.*member)) return in_range(*v);
      return {};
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  // Free text of at most `max_bytes`. Member: std::string or std::optional<std::string>.
  template <typename M>
  ParamSchema& Text(std::string name, M P::*member, std::string description,
                    std::size_t max_bytes = 256) {
    Field f = Base(std::move(name), std::move(description));
    f.schema = {{"type", "string"}, {"maxLength", max_bytes}};
    f.max_bytes = max_bytes;
    f.set = [member](P& p, std::string_view text) -> Result<void> {
      p.*member = std::string(text);
      return {};
    };
    const std::string n = f.name;
    f.check = [member, n, max_bytes](const P& p) -> Result<void> {
      if (const std::string* v = schema_detail::ValueOf(p.*member)) {
        return CheckText(n, *v, max_bytes);
      }
      return {};
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  // One of `values`. Member: std::string or std::optional<std::string>.
  template <typename M>
  ParamSchema& Enum(std::string name, M P::*member, std::string description,
                    std::vector<std::string> values) {
    Field f = Base(std::move(name), std::move(description));
    f.schema = {{"type", "string"}, {"enum", values}};
    f.max_bytes = 64;
    const std::string n = f.name;
    const auto allowed = [n, values](std::string_view v) -> Result<void> {
      for (const auto& x : values) {
        if (x == v) return {};
      }
      std::string list;
      for (const auto& x : values) list += (list.empty() ? "" : ", ") + x;
      return Fail(ErrorCode::kInvalidArgument,
                  n + ": expected one of " + list + ", got " + schema_detail::Quote(v));
    };
    f.set = [member, allowed](P& p, std::string_view text) -> Result<void> {
      if (auto ok = allowed(text); !ok) return ok;
      p.*member = std::string(text);
      return {};
    };
    f.check = [member, allowed](const P& p) -> Result<void> {
      if (const std::string* v = schema_detail::ValueOf(p.*member)) return allowed(*v);
      return {};
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  // true/false (also 1/0).
  ParamSchema& Boolean(std::string name, bool P::*member, std::string description) {
    Field f = Base(std::move(name), std::move(description));
    f.schema = {{"type", "boolean"}};
    f.max_bytes = 5;
    const std::string n = f.name;
    f.set = [member, n](P& p, std::string_view text) -> Result<void> {
      if (text == "true" || text == "1") {
        p.*member = true;
      } else if (text == "false" || text == "0") {
        p.*member = false;
      } else {
        return Fail(ErrorCode::kInvalidArgument,
                    n + ": expected true or false, got " + schema_detail::Quote(text));
      }
      return {};
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  // A calendar date YYYY-MM-DD within [1900-01-01, 2200-12-31].
  // Member: Date or std::optional<Date>.
  template <typename M>
  ParamSchema& Day(std::string name, M P::*member, std::string description) {
    Field f = Base(std::move(name), std::move(description));
    f.schema = {{"type", "string"}, {"format", "date"}};
    f.max_bytes = 10;
    const std::string n = f.name;
    f.set = [member, n](P& p, std::string_view text) -> Result<void> {
      const auto d = Date::ParseIso(text);
      if (!d || d->year() < 1900 || d->year() > 2200) {
        return Fail(
            ErrorCode::kInvalidArgument,
            n + ": expected a date YYYY-MM-DD (1900-2200), got " + schema_detail::Quote(text));
      }
      p.*member = *d;
      return {};
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  // A UUID (path parameters use In(ParamIn::kPath)). Member: Uuid or std::optional<Uuid>.
  template <typename M>
  ParamSchema& Id(std::string name, M P::*member, std::string description) {
    Field f = Base(std::move(name), std::move(description));
    f.schema = {{"type", "string"}, {"format", "uuid"}};
    f.max_bytes = 36;
    const std::string n = f.name;
    f.set = [member, n](P& p, std::string_view text) -> Result<void> {
      const auto id = Uuid::Parse(text);
      if (!id) return Fail(ErrorCode::kInvalidArgument, n + ": not a UUID");
      p.*member = *id;
      return {};
    };
    fields_.push_back(std::move(f));
    return *this;
  }

  // A field with its own JSON Schema and parser (composite values such as the
  // incident filter's bbox); `check` may be empty.
  ParamSchema& Custom(std::string name, std::string description, const nlohmann::json& json_schema,
                      std::size_t max_bytes, std::function<Result<void>(P&, std::string_view)> set,
                      std::function<Result<void>(const P&)> check = {}) {
    Field f = Base(std::move(name), std::move(description));
    f.schema = json_schema;
    f.max_bytes = max_bytes;
    f.set = std::move(set);
    f.check = std::move(check);
    fields_.push_back(std::move(f));
    return *this;
  }

  // Every field of `other`, reached through `member` (a nested params struct
  // such as a shared filter or window).
  template <typename Q>
  ParamSchema& Include(Q P::*member, const ParamSchema<Q>& other) {
    for (const auto& of : other.fields()) {
      Field f;
      f.name = of.name;
      f.in = of.in;
      f.description = of.description;
      f.schema = of.schema;
      f.required = of.required;
      f.max_bytes = of.max_bytes;
      auto set = of.set;
      f.set = [member, set](P& p, std::string_view v) { return set(p.*member, v); };
      if (of.check) {
        auto check = of.check;
        f.check = [member, check](const P& p) { return check(p.*member); };
      }
      fields_.push_back(std::move(f));
    }
    for (const auto& after : other.after_parse()) {
      after_.push_back([member, after](P& p) { return after(p.*member); });
    }
    return *this;
  }

  // Modifiers of the field added last.
  ParamSchema& Required() {
    fields_.back().required = true;
    return *this;
  }
  ParamSchema& In(ParamIn in) {
    fields_.back().in = in;
    if (in == ParamIn::kPath) fields_.back().required = true;
    return *this;
  }
  ParamSchema& Default(const nlohmann::json& value) {
    fields_.back().schema["default"] = value;
    return *this;
  }
  ParamSchema& Example(const nlohmann::json& value) {
    fields_.back().schema["example"] = value;
    return *this;
  }
  // Runs after every field is parsed (cross-field rules, defaults that depend
  // on other fields).
  ParamSchema& AfterParse(std::function<Result<void>(P&)> fn) {
    after_.push_back(std::move(fn));
    return *this;
  }

  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<std::function<Result<void>(P&)>>& after_parse() const { return after_; }

  // Parses decoded query pairs and path parameters over `p` (its defaults).
  // Errors name the parameter: unknown, given twice, missing, malformed, out
  // of bounds, or not clean text.
  Result<void> ParseInto(P& p, const std::vector<std::pair<std::string, std::string>>& query,
                         const std::map<std::string, std::string>& path = {}) const {
    std::set<std::string, std::less<>> seen;
    for (const auto& [name, value] : query) {
      if (auto ok = CheckText("parameter name", name, 64); !ok) return ok;
      const Field* f = Find(name, ParamIn::kQuery);
      if (f == nullptr) {
        std::string known;
        for (const auto& x : fields_) {
          if (x.in == ParamIn::kQuery) known += (known.empty() ? "" : ", ") + x.name;
        }
        return Fail(
            ErrorCode::kInvalidArgument,
            name + ": unknown parameter" + (known.empty() ? "" : " (known: " + known + ")"));
      }
      if (!seen.insert(name).second) {
        return Fail(ErrorCode::kInvalidArgument, name + ": given more than once");
      }
      if (auto ok = CheckText(name, value, f->max_bytes); !ok) return ok;
      if (auto ok = f->set(p, value); !ok) return ok;
    }
    for (const auto& f : fields_) {
      if (f.in == ParamIn::kPath) {
        const auto it = path.find(f.name);
        if (it == path.end()) {
          return Fail(ErrorCode::kInvalidArgument, f.name + ": missing from the path");
        }
        if (auto ok = CheckText(f.name, it->second, f.max_bytes); !ok) return ok;
        if (auto ok = f.set(p, it->second); !ok) return ok;
      } else if (f.required && !seen.count(f.name)) {
        return Fail(ErrorCode::kInvalidArgument, f.name + ": required");
      }
    }
    for (const auto& after : after_) {
      if (auto ok = after(p); !ok) return ok;
    }
    return {};
  }

  Result<P> Parse(const std::vector<std::pair<std::string, std::string>>& query,
                  const std::map<std::string, std::string>& path = {}) const {
    P p{};
    if (auto ok = ParseInto(p, query, path); !ok) return Fail(ok.error());
    return p;
  }

  // Checks every field's bounds on values set directly (the CLI's flags).
  Result<void> Check(const P& p) const {
    for (const auto& f : fields_) {
      if (f.check) {
        if (auto ok = f.check(p); !ok) return ok;
      }
    }
    return {};
  }

  // The OpenAPI 3.1 parameter objects, in declaration order.
  nlohmann::json OpenApi() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : fields_) {
      out.push_back({{"name", f.name},
                     {"in", f.in == ParamIn::kPath ? "path" : "query"},
                     {"required", f.required},
                     {"description", f.description},
                     {"schema", f.schema}});
    }
    return out;
  }

 private:
  static std::string Format(double v) {
    if (!std::isfinite(v)) return "a non-finite value";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }
  // clang-tidy 16 does not see the moves below inside this class template; the
  // callers hand over their strings.
  // NOLINTNEXTLINE(performance-unnecessary-value-param)
  static Field Base(std::string name, std::string description) {
    Field f;
    f.name = std::move(name);
    f.description = std::move(description);
    return f;
  }
  const Field* Find(std::string_view name, ParamIn in) const {
    for (const auto& f : fields_) {
      if (f.name == name && f.in == in) return &f;
    }
    return nullptr;
  }

  std::vector<Field> fields_;
  std::vector<std::function<Result<void>(P&)>> after_;
};

// A use case without parameters: any query parameter is an error.
struct NoParams {
  static const ParamSchema<NoParams>& Schema() {
    static const ParamSchema<NoParams> kSchema;
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

}  // namespace corridor::service
