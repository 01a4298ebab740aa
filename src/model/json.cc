#include "corridor/model/json.h"

#include <charconv>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace corridor::model {
namespace {

using nlohmann::json;

json Optional(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// The length of the UTF-8 sequence at s[i] (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b = at(i);
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
  }
  return n;
}

// Appends `s` as a JSON string, byte for byte what json::dump() writes without
// ensure_ascii; false, with `out` as it was, when `s` is not UTF-8.
bool AppendJsonString(std::string& out, std::string_view s) {
  const std::size_t mark = out.size();
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    // A run of bytes that need nothing is copied at once.
    std::size_t plain = i;
    while (plain < s.size()) {
      const auto c = static_cast<unsigned char>(s[plain]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      ++plain;
    }
    out.append(s.data() + i, plain - i);
    i = plain;
    if (i == s.size()) break;
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x80) {
      const std::size_t n = Utf8Length(s, i);
      if (n == 0) {
        out.resize(mark);
        return false;
      }
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    switch (u) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += static_cast<char>(u);
        }
    }
    ++i;
  }
  out += '"';
  return true;
}

// Reads fields of one JSON object, remembering the first error with its pointer.
class Reader {
 public:
  explicit Reader(const json& object) : object_(object) {}

  const json* Find(const char* key) const {
    const auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }
  void Fail(const std::string& pointer, const std::string& why) {
    if (error_.empty()) error_ = pointer + ": " + why;
  }
  void String(const char* key, std::string& out, const std::string& prefix = "") {
    if (const json* v = Find(key)) {
      if (v->is_string())
        out = v->get<std::string>();
      else
        Fail(prefix + "/" + key, "expected a string");
    }
  }
  void Strings(const char* key, std::vector<std::string>& out) {
    if (const json* v = Find(key)) {
      if (!v->is_array()) return Fail(std::string("/") + key, "expected an array of strings");
      out.clear();
      for (std::size_t i = 0; i < v->size(); ++i) {
        if (!(*v)[i].is_string()) {
          return Fail("/" + std::string(key) + "/" + std::to_string(i), "expected a string");
        }
        out.push_back((*v)[i].get<std::string>());
      }
    }
  }
  void Int(const char* key, std::optional<int>& out) {
    if (const json* v = Find(key)) {
      if (v->is_number_integer())
        out = v->get<int>();
      else
        Fail(std::string("/") + key, "expected an integer or null");
    }
  }
  void Double(const char* key, std::optional<double>& out) {
    if (const json* v = Find(key)) {
      if (v->is_number())
        out = v->get<double>();
      else
        Fail(std::string("/") + key, "expected a number or null");
    }
  }
  template <typename E, typename ParseFn>
  void Enum(const char* key, E& out, ParseFn parse) {
    if (const json* v = Find(key)) {
      if (!v->is_string()) return Fail(std::string("/") + key, "expected a string");
      const auto parsed = parse(v->get<std::string>());
      if (!parsed)
        return Fail(std::string("/") + key, "unknown value '" + v->get<std::string>() + "'");
      out = *parsed;
    }
  }
  void DateField(const char* key, Date& out, bool required) {
    const json* v = Find(key);
    if (!v) {
      if (required) Fail(std::string("/") + key, "required");
      return;
    }
    const auto d = v->is_string() ? Date::ParseIso(v->get<std::string>()) : std::nullopt;
    if (!d) return Fail(std::string("/") + key, "not a YYYY-MM-DD date");
    out = *d;
  }
  const std::string& error() const { return error_; }

 private:
  const json& object_;
  std::string error_;
};

}  // namespace

json ToJson(const Licence& licence) {
  return {{"id", licence.id},
          {"redistribution", licence.redistribution},
          {"attribution", licence.attribution}};
}

json ToJson(const Incident& i) {
  return {
      {"id", i.id.str()},
      {"provenance",
       {{"dataset", i.provenance.dataset},
        {"dataset_version", i.provenance.dataset_version},
        {"source_id", i.provenance.source_id},
        {"file", i.provenance.file},
        {"line", i.provenance.line}}},
      {"date_start", i.date_start.iso()},
      {"date_end", i.date_end.iso()},
      {"date_precision", DatePrecisionName(i.date_precision)},
      {"latitude", Optional(i.latitude)},
      {"longitude", Optional(i.longitude)},
      {"location_precision", LocationPrecisionName(i.location_precision)},
      {"location", i.location},
      {"country", i.country},
      {"admin1", i.admin1},
      {"admin2", i.admin2},
      {"admin_method", AssignMethodName(i.admin_method)},
      {"source_admin1", i.source_admin1},
      {"source_admin2", i.source_admin2},
      {"category", CategoryName(i.category)},
      {"source_type", i.source_type},
      {"violence_type", i.violence_type},
      {"target_types", i.target_types},
      {"target_nationalities", i.target_nationalities},
      {"parties", i.parties},
      {"perpetrators", i.perpetrators},
      {"killed", Optional(i.killed)},
      {"killed_low", Optional(i.killed_low)},
      {"killed_high", Optional(i.killed_high)},
      {"wounded", Optional(i.wounded)},
      {"hostages", Optional(i.hostages)},
      {"property_damage", Optional(i.property_damage)},
      {"headline", i.headline},
      {"description", i.description},
      {"licence", ToJson(i.licence)},
      {"marking", TlpName(i.marking.tlp)},
      {"distribution", ToJson(i.marking.distribution)},
      {"author", i.marking.author},
      {"author_org", i.marking.author_org},
      {"created", i.created},
      {"modified", i.modified},
      {"revoked", i.revoked},
      {"version", i.version},
  };
}

namespace {

void AppendString(std::string& out, std::string_view s) {
  // Not UTF-8: as the API's responses write it (the library, replacing bad bytes).
  if (!AppendJsonString(out, s)) {
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

// Appends one JSON object's members in the order given: the caller names
// them in the byte order of their keys, as json's std::map keeps them.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;
  ~ObjectWriter() { out_ += '}'; }

  std::string& Key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;  // keys are this file's literals: nothing to escape
    out_ += "\":";
    return out_;
  }
  void String(std::string_view key, std::string_view value) { AppendString(Key(key), value); }
  void Int(std::string_view key, std::int64_t value) {
    std::string& out = Key(key);
    char buf[24];
    const auto r = std::to_chars(std::begin(buf), std::end(buf), value);
    out.append(buf, r.ptr);
  }
  void Int(std::string_view key, const std::optional<int>& value) {
    if (value)
      Int(key, std::int64_t{*value});
    else
      Key(key) += "null";
  }
  void Double(std::string_view key, const std::optional<double>& value) {
    if (value)
      Key(key) += json(*value).dump();
    else
      Key(key) += "null";
  }
  void Bool(std::string_view key, bool value) { Key(key) += value ? "true" : "false"; }
  void Strings(std::string_view key, const std::vector<std::string>& values) {
    std::string& out = Key(key);
    out += '[';
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (k > 0) out += ',';
      AppendString(out, values[k]);
    }
    out += ']';
  }

 private:
  std::string& out_;
  bool first_ = true;
};

// The members of ToJson(incident), latitude and longitude left out when
// `with_position` is false (a GeoJSON feature's properties).
void AppendIncidentObject(std::string& out, const Incident& i, bool with_position) {
  ObjectWriter o(out);
  o.String("admin1", i.admin1);
  o.String("admin2", i.admin2);
  o.String("admin_method", AssignMethodName(i.admin_method));
  o.String("author", i.marking.author);
  o.String("author_org", i.marking.author_org);
  o.String("category", CategoryName(i.category));
  o.String("country", i.country);
  o.String("created", i.created);
  o.String("date_end", i.date_end.iso());
  o.String("date_precision", DatePrecisionName(i.date_precision));
  o.String("date_start", i.date_start.iso());
  o.String("description", i.description);
  {
    ObjectWriter d(o.Key("distribution"));
    d.Strings("organisations", i.marking.distribution.organisations);
    d.String("trust_group", i.marking.distribution.trust_group);
    d.Strings("users", i.marking.distribution.users);
  }
  o.String("headline", i.headline);
  o.Int("hostages", i.hostages);
  o.String("id", i.id.str());
  o.Int("killed", i.killed);
  o.Int("killed_high", i.killed_high);
  o.Int("killed_low", i.killed_low);
  if (with_position) o.Double("latitude", i.latitude);
  {
    ObjectWriter l(o.Key("licence"));
    l.String("attribution", i.licence.attribution);
    l.String("id", i.licence.id);
    l.Bool("redistribution", i.licence.redistribution);
  }
  o.String("location", i.location);
  o.String("location_precision", LocationPrecisionName(i.location_precision));
  if (with_position) o.Double("longitude", i.longitude);
  o.String("marking", TlpName(i.marking.tlp));
  o.String("modified", i.modified);
  o.Strings("parties", i.parties);
  o.Strings("perpetrators", i.perpetrators);
  o.Int("property_damage", i.property_damage);
  {
    ObjectWriter p(o.Key("provenance"));
    p.String("dataset", i.provenance.dataset);
    p.String("dataset_version", i.provenance.dataset_version);
    p.String("file", i.provenance.file);
    p.Int("line", i.provenance.line);
    p.String("source_id", i.provenance.source_id);
  }
  o.Bool("revoked", i.revoked);
  o.String("source_admin1", i.source_admin1);
  o.String("source_admin2", i.source_admin2);
  o.String("source_type", i.source_type);
  o.Strings("target_nationalities", i.target_nationalities);
  o.Strings("target_types", i.target_types);
  o.Int("version", i.version);
  o.Int("violence_type", std::int64_t{i.violence_type});
  o.Int("wounded", i.wounded);
}

}  // namespace

void AppendJson(std::string& out, const Incident& incident) {
  AppendIncidentObject(out, incident, /*with_position=*/true);
}

void AppendGeoJsonFeature(std::string& out, const Incident& incident) {
  ObjectWriter f(out);
  std::string& geometry = f.Key("geometry");
  if (incident.latitude && incident.longitude) {
    ObjectWriter g(geometry);
    std::string& c = g.Key("coordinates");
    c += '[';
    c += json(*incident.longitude).dump();
    c += ',';
    c += json(*incident.latitude).dump();
    c += ']';
    g.String("type", "Point");
  } else {
    geometry += "null";
  }
  f.String("id", incident.id.str());
  AppendIncidentObject(f.Key("properties"), incident, /*with_position=*/false);
  f.String("type", "Feature");
}

Result<Incident> IncidentFromJson(const json& j) {
  if (!j.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected a JSON object");
  Incident i;
  Reader r(j);
  if (const json* id = r.Find("id")) {
    const auto parsed = id->is_string() ? Uuid::Parse(id->get<std::string>()) : std::nullopt;
    if (!parsed)
      r.Fail("/id", "not a UUID");
    else
      i.id = *parsed;
  }
  if (const json* p = r.Find("provenance")) {
    if (!p->is_object()) {
      r.Fail("/provenance", "expected an object");
    } else {
      Reader pr(*p);
      pr.String("dataset", i.provenance.dataset, "/provenance");
      pr.String("dataset_version", i.provenance.dataset_version, "/provenance");
      pr.String("source_id", i.provenance.source_id, "/provenance");
      pr.String("file", i.provenance.file, "/provenance");
      if (const json* line = pr.Find("line")) {
        if (line->is_number_integer())
          i.provenance.line = line->get<std::int64_t>();
        else
          pr.Fail("/provenance/line", "expected an integer");
      }
      if (!pr.error().empty()) r.Fail(pr.error(), "");
    }
  }
  r.DateField("date_start", i.date_start, /*required=*/true);
  i.date_end = i.date_start;
  r.DateField("date_end", i.date_end, /*required=*/false);
  if (r.error().empty() && i.date_end < i.date_start) r.Fail("/date_end", "before date_start");
  r.Enum("date_precision", i.date_precision, ParseDatePrecision);
  r.Double("latitude", i.latitude);
  r.Double("longitude", i.longitude);
  if (i.latitude && (*i.latitude < -90 || *i.latitude > 90))
    r.Fail("/latitude", "outside [-90, 90]");
  if (i.longitude && (*i.longitude < -180 || *i.longitude > 180)) {
    r.Fail("/longitude", "outside [-180, 180]");
  }
  if (i.latitude.has_value() != i.longitude.has_value()) {
    r.Fail(i.latitude ? "/longitude" : "/latitude", "latitude and longitude come together");
  }
  r.Enum("location_precision", i.location_precision, ParseLocationPrecision);
  r.String("location", i.location);
  r.String("country", i.country);
  r.String("admin1", i.admin1);
  r.String("admin2", i.admin2);
  r.Enum("admin_method", i.admin_method, ParseAssignMethod);
  r.String("source_admin1", i.source_admin1);
  r.String("source_admin2", i.source_admin2);
  r.Enum("category", i.category, ParseCategory);
  r.String("source_type", i.source_type);
  std::optional<int> violence_type;
  r.Int("violence_type", violence_type);
  i.violence_type = violence_type.value_or(0);
  r.Strings("target_types", i.target_types);
  r.Strings("target_nationalities", i.target_nationalities);
  r.Strings("parties", i.parties);
  r.Strings("perpetrators", i.perpetrators);
  r.Int("killed", i.killed);
  r.Int("killed_low", i.killed_low);
  r.Int("killed_high", i.killed_high);
  r.Int("wounded", i.wounded);
  r.Int("hostages", i.hostages);
  r.Int("property_damage", i.property_damage);
  if (i.property_damage && (*i.property_damage < 0 || *i.property_damage > 3)) {
    r.Fail("/property_damage", "expected a band 0..3");
  }
  for (const auto& [key, value] : {std::pair{"/killed", i.killed},
                                   {"/killed_low", i.killed_low},
                                   {"/killed_high", i.killed_high},
                                   {"/wounded", i.wounded},
                                   {"/hostages", i.hostages}}) {
    if (value && *value < 0) r.Fail(key, "must not be negative");
  }
  r.String("headline", i.headline);
  r.String("description", i.description);
  if (const json* l = r.Find("licence")) {
    if (!l->is_object()) {
      r.Fail("/licence", "expected an object");
    } else {
      Reader lr(*l);
      lr.String("id", i.licence.id, "/licence");
      lr.String("attribution", i.licence.attribution, "/licence");
      if (const json* red = lr.Find("redistribution")) {
        if (red->is_boolean())
          i.licence.redistribution = red->get<bool>();
        else
          lr.Fail("/licence/redistribution", "expected true or false");
      }
      if (!lr.error().empty()) r.Fail(lr.error(), "");
    }
  }
  r.Enum("marking", i.marking.tlp, ParseTlp);
  if (const json* d = r.Find("distribution")) {
    auto distribution = DistributionFromJson(*d, "/distribution");
    if (!distribution)
      r.Fail(distribution.error().message, "");
    else
      i.marking.distribution = std::move(*distribution);
  }
  r.String("author", i.marking.author);
  r.String("author_org", i.marking.author_org);
  r.String("created", i.created);
  r.String("modified", i.modified);
  if (const json* rev = r.Find("revoked")) {
    if (rev->is_boolean())
      i.revoked = rev->get<bool>();
    else
      r.Fail("/revoked", "expected true or false");
  }
  std::optional<int> version;
  r.Int("version", version);
  i.version = version.value_or(0);
  if (!r.error().empty()) {
    std::string message = r.error();
    if (message.size() >= 2 && message.substr(message.size() - 2) == ": ") {
      message.resize(message.size() - 2);
    }
    return Fail(ErrorCode::kInvalidArgument, message);
  }
  return i;
}

json ToJson(const Distribution& d) {
  return {{"users", d.users}, {"organisations", d.organisations}, {"trust_group", d.trust_group}};
}

Result<Distribution> DistributionFromJson(const json& j, const std::string& pointer) {
  if (!j.is_object()) return Fail(ErrorCode::kInvalidArgument, pointer + ": expected an object");
  Distribution d;
  Reader r(j);
  for (const auto& [key, out] :
       {std::pair{"users", &d.users}, {"organisations", &d.organisations}}) {
    r.Strings(key, *out);
  }
  r.String("trust_group", d.trust_group);
  for (const auto& [key, value] : j.items()) {
    if (key != "users" && key != "organisations" && key != "trust_group") {
      r.Fail("/" + key, "unknown field (expected users, organisations, trust_group)");
    }
  }
  if (!r.error().empty()) return Fail(ErrorCode::kInvalidArgument, pointer + r.error());
  return d;
}

json ToGeoJsonFeature(const Incident& incident) {
  json properties = ToJson(incident);
  properties.erase("latitude");
  properties.erase("longitude");
  json geometry = nullptr;
  if (incident.latitude && incident.longitude) {
    geometry = {{"type", "Point"}, {"coordinates", {*incident.longitude, *incident.latitude}}};
  }
  return {{"type", "Feature"},
          {"id", incident.id.str()},
          {"geometry", geometry},
          {"properties", properties}};
}

json ToJson(const Area& area, bool with_geometry) {
  json out = {{"level", area.level},
              {"pcode", area.pcode},
              {"name", area.name},
              {"alt_names", area.alt_names},
              {"parent_pcode", area.parent_pcode},
              {"source", area.source},
              {"licence", ToJson(area.licence)}};
  if (with_geometry && !area.geometry.empty()) out["geometry"] = json::parse(area.geometry);
  return out;
}

json ToJson(const Site& s, bool with_geometry) {
  json out = {{"id", s.id.str()},
              {"name", s.name},
              {"sector", s.sector},
              {"status", s.status},
              {"amount_usd", Optional(s.amount_usd)},
              {"commitment_year", Optional(s.commitment_year)},
              {"start_year", Optional(s.start_year)},
              {"completion_year", Optional(s.completion_year)},
              {"funding_agencies", s.funding_agencies},
              {"receiving_agencies", s.receiving_agencies},
              {"implementing_agencies", s.implementing_agencies},
              {"latitude", s.latitude},
              {"longitude", s.longitude},
              {"admin1", s.admin1},
              {"admin2", s.admin2},
              {"provenance",
               {{"dataset", s.provenance.dataset},
                {"dataset_version", s.provenance.dataset_version},
                {"source_id", s.provenance.source_id},
                {"file", s.provenance.file},
                {"line", s.provenance.line}}},
              {"licence", ToJson(s.licence)}};
  if (with_geometry && !s.geometry.empty()) out["geometry"] = json::parse(s.geometry);
  return out;
}

std::string StringsToJson(const std::vector<std::string>& values) {
  // Written directly (a json value per list cost several allocations per
  // incident on import), byte for byte what json::dump() writes; a string that
  // is not UTF-8 goes through the library, which refuses it.
  std::string out = "[";
  for (const std::string& v : values) {
    if (out.size() > 1) out += ',';
    if (!AppendJsonString(out, v)) return json(values).dump();
  }
  out += ']';
  return out;
}

namespace {

// The list as StringsToJson writes it when no string needs an escape: read
// without a tree (every incident row holds five such lists). nullopt for
// anything else, which the library reads.
std::optional<std::vector<std::string>> PlainStrings(std::string_view text) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return std::nullopt;
  std::vector<std::string> out;
  std::size_t i = 1;
  const std::size_t end = text.size() - 1;
  while (i < end) {
    if (!out.empty()) {
      if (text[i] != ',') return std::nullopt;
      ++i;
    }
    if (i >= end || text[i] != '"') return std::nullopt;
    const std::size_t close = text.find_first_of("\"\\", i + 1);
    if (close == std::string_view::npos || close >= end || text[close] != '"') return std::nullopt;
    const std::string_view value = text.substr(i + 1, close - i - 1);
    for (const char c : value) {
      if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    }
    out.emplace_back(value);
    i = close + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> StringsFromJson(const std::string& text) {
  if (text.empty()) return std::vector<std::string>{};
  if (auto plain = PlainStrings(text)) return std::move(*plain);
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return Fail(ErrorCode::kInternal, "stored string list is not a JSON array");
  std::vector<std::string> out;
  for (const auto& v : j) {
    if (!v.is_string()) return Fail(ErrorCode::kInternal, "stored string list holds a non-string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace corridor::model
