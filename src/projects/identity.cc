#include "corridor/projects/identity.h"

#include <algorithm>
#include <boost/geometry.hpp>
#include <boost/geometry/algorithms/point_on_surface.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <regex>
#include <set>

#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"

namespace corridor::projects {
namespace {

namespace bg = boost::geometry;
using Point = bg::model::d2::point_xy<double>;  // (lon, lat) degrees
using Polygon = bg::model::polygon<Point>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;
using json = nlohmann::json;

constexpr double kFootprintMergeShare = 0.5;

std::string Str(const json& props, const char* key) {
  auto it = props.find(key);
  if (it == props.end() || it->is_null()) return "";
  if (it->is_string()) return std::string(Trim(it->get<std::string>()));
  return it->dump();
}

std::vector<std::string> SplitAgencies(const std::string& s) {
  std::vector<std::string> out;
  for (const auto& part : Split(s, '|')) {
    auto t = std::string(Trim(part));
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

// "2003/03/23 00:00:00" (AidData's "(MM/DD/YYYY)" columns) -> "2003-03-23".
Result<std::string> Date(const json& props, const char* key) {
  const std::string v = Str(props, key);
  if (v.empty()) return std::string();
  static const std::regex kDate(R"((\d{4})/(\d{2})/(\d{2})( 00:00:00)?)");
  std::smatch m;
  if (!std::regex_match(v, m, kDate)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(key) + ": expected YYYY/MM/DD 00:00:00, got '" + v + "'");
  }
  return m[1].str() + "-" + m[2].str() + "-" + m[3].str();
}

std::string TitleCase(std::string_view upper) {
  static const std::set<std::string> kMinor = {"and", "or", "of", "the", "for", "in",  "on",
                                               "to",  "a",  "an", "at",  "by",  "with"};
  std::string out;
  bool first = true;
  std::size_t i = 0;
  while (i < upper.size()) {
    if (!std::isalpha(static_cast<unsigned char>(upper[i]))) {
      out.push_back(upper[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < upper.size() && std::isalpha(static_cast<unsigned char>(upper[j]))) ++j;
    std::string word = ToLower(upper.substr(i, j - i));
    if (first || !kMinor.count(word)) word[0] = static_cast<char>(std::toupper(word[0]));
    out += word;
    first = false;
    i = j;
  }
  return out;
}

// Ids named in a title: "(Linked to Project ID#38995, #38996, and #72689)".
std::vector<std::int64_t> LinkedIds(const std::string& title, std::int64_t self) {
  std::vector<std::int64_t> out;
  static const std::regex kLink(R"([Ll]inked to[^)]*)");
  static const std::regex kId(R"(#\s*(\d+))");
  for (std::sregex_iterator it(title.begin(), title.end(), kLink), end; it != end; ++it) {
    const std::string part = it->str();
    for (std::sregex_iterator id(part.begin(), part.end(), kId); id != end; ++id) {
      const std::int64_t n = std::stoll((*id)[1].str());
      if (n != self) out.push_back(n);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<MultiPolygon> ToMultiPolygon(const json& geometry) {
  MultiPolygon mp;
  if (!geometry.is_object() || !geometry.contains("type") || !geometry.contains("coordinates")) {
    return Fail(ErrorCode::kInvalidArgument, "geometry: expected a GeoJSON geometry");
  }
  const std::string type = geometry["type"].get<std::string>();
  auto polygon = [](const json& rings) {
    Polygon p;
    bool outer = true;
    for (const auto& ring : rings) {
      bg::model::ring<Point> r;
      for (const auto& c : ring) r.push_back(Point(c.at(0).get<double>(), c.at(1).get<double>()));
      if (outer) {
        p.outer() = std::move(r);
        outer = false;
      } else {
        p.inners().push_back(std::move(r));
      }
    }
    return p;
  };
  try {
    if (type == "Polygon") {
      mp.push_back(polygon(geometry["coordinates"]));
    } else if (type == "MultiPolygon") {
      for (const auto& rings : geometry["coordinates"]) mp.push_back(polygon(rings));
    } else {
      return Fail(ErrorCode::kInvalidArgument,
                  "geometry: expected Polygon or MultiPolygon, got " + type);
    }
  } catch (const json::exception& e) {
    return Fail(ErrorCode::kInvalidArgument, std::string("geometry: ") + e.what());
  }
  bg::correct(mp);
  return mp;
}

// Shared area / the smaller area, in the (lon, lat) plane (a ratio; the
// distortion of degrees cancels at the scale of one site). 0 when the
// geometries cannot be intersected (invalid OSM rings).
double OverlapShare(const MultiPolygon& a, const MultiPolygon& b) {
  try {
    MultiPolygon shared;
    bg::intersection(a, b, shared);
    const double smaller = std::min(bg::area(a), bg::area(b));
    if (smaller <= 0) return 0;
    return std::min(1.0, bg::area(shared) / smaller);
  } catch (const std::exception&) {
    return 0;
  }
}

struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  std::size_t Find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(std::size_t a, std::size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// "China Eximbank provides $32 million loan for the Gwadar Port Project (Linked ...)"
// -> "Gwadar Port Project".
std::string NameFromTitle(const std::string& title) {
  std::string t = std::regex_replace(title, std::regex(R"(\s*\((?:[Ll]inked|CPEC)[^)]*\))"), "");
  t = std::regex_replace(t, std::regex(R"(^\[CPEC\]\s*)"), "");
  static const std::regex kFor(R"(\b(?:for|to) (?:the )?(.+)$)");
  std::smatch m;
  if (std::regex_search(t, m, kFor) && m[1].length() > 3) t = m[1].str();
  // "… USD to a syndicated buyer's credit loan (BCL) for the 425 MW Nandipur
  // Power Plant": what follows the first "to" still names the financing, not
  // the thing built; the name is what that financing is for.
  static const std::regex kFinancing(
      R"(^(?:an? |the )?[^,]*?\b(?:loan|credit|grant|pledge|financing|funding)\b[^,]*?\b(?:for|to) (?:the )?(.+)$)",
      std::regex::icase);
  for (int i = 0; i < 2 && std::regex_search(t, m, kFinancing) && m[1].length() > 3; ++i) {
    t = m[1].str();
  }
  t = std::string(Trim(t));
  if (!t.empty()) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
  return t;
}

model::ProjectStatus StatusOf(const std::string& aiddata_status) {
  if (aiddata_status.rfind("Completion", 0) == 0) return model::ProjectStatus::kCompletion;
  if (aiddata_status.rfind("Implementation", 0) == 0) return model::ProjectStatus::kImplementation;
  if (aiddata_status.rfind("Cancelled", 0) == 0) return model::ProjectStatus::kCancelled;
  return model::ProjectStatus::kPipeline;
}

std::string Slug(const std::string& name) {
  std::string out;
  for (char c : ToLower(name)) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return "org-" + out;
}

std::string MinNonEmpty(const std::string& a, const std::string& b) {
  if (a.empty() || (!b.empty() && b < a)) return b;
  return a;
}
std::string MaxNonEmpty(const std::string& a, const std::string& b) { return b > a ? b : a; }

}  // namespace

std::string_view MergeReasonName(MergeReason r) {
  return r == MergeReason::kLinkedIds ? "linked-ids" : "footprint-overlap";
}

std::string ProjectId(std::span<const std::int64_t> aiddata_ids) {
  std::vector<std::int64_t> ids(aiddata_ids.begin(), aiddata_ids.end());
  std::sort(ids.begin(), ids.end());
  std::string name;
  for (auto id : ids) {
    if (!name.empty()) name += ',';
    name += std::to_string(id);
  }
  return RecordId("aiddata-project", name).str();
}

Result<std::vector<AidDataRow>> ParseAidData(std::string_view geojson) {
  json doc = json::parse(geojson, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("features") ||
      !doc["features"].is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "not a GeoJSON FeatureCollection");
  }
  std::vector<AidDataRow> rows;
  std::set<std::int64_t> seen;
  std::size_t index = 0;
  for (const auto& f : doc["features"]) {
    const std::string where = "/features/" + std::to_string(index++);
    if (!f.is_object() || !f.contains("properties") || !f["properties"].is_object()) {
      return Fail(ErrorCode::kInvalidArgument, where + ": a feature without properties");
    }
    const json& p = f["properties"];
    AidDataRow r;
    auto id = p.find("AidData TUFF Project ID");
    if (id == p.end() || !id->is_number_integer()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "/properties/AidData TUFF Project ID: missing or not an integer");
    }
    r.record.aiddata_id = id->get<std::int64_t>();
    if (!seen.insert(r.record.aiddata_id).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + ": AidData id " + std::to_string(r.record.aiddata_id) + " appears twice");
    }
    r.record.title = Str(p, "Title");
    r.record.financiers = SplitAgencies(Str(p, "Funding Agencies"));
    r.record.instrument = Str(p, "Flow Type");
    r.record.flow_class = Str(p, "Flow Class");
    if (auto a = p.find("Amount (Constant USD2017)"); a != p.end() && a->is_number()) {
      r.record.amount = a->get<double>();
    }
    r.record.currency = "USD";
    if (auto y = p.find("Commitment Year"); y != p.end() && y->is_number()) {
      r.record.commitment_year = static_cast<int>(y->get<double>());
    }
    r.record.status = Str(p, "Status");
    r.sector = Str(p, "AidData Sector Name");
    r.map_label = Str(p, "map_label");
    r.receiving = SplitAgencies(Str(p, "Receiving Agencies"));
    r.implementing = SplitAgencies(Str(p, "Implementing Agencies"));
    const std::pair<const char*, std::string*> dates[] = {
        {"Planned Implementation Start Date (MM/DD/YYYY)", &r.planned_start},
        {"Actual Implementation Start Date (MM/DD/YYYY)", &r.actual_start},
        {"Planned Completion Date (MM/DD/YYYY)", &r.planned_completion},
        {"Actual Completion Date (MM/DD/YYYY)", &r.actual_completion}};
    for (const auto& [key, out] : dates) {
      auto d = Date(p, key);
      if (!d) return Fail(ErrorCode::kInvalidArgument, where + "/properties/" + d.error().message);
      *out = *d;
    }
    if (!f.contains("geometry") || f["geometry"].is_null()) {
      return Fail(ErrorCode::kInvalidArgument, where + "/geometry: missing");
    }
    if (auto mp = ToMultiPolygon(f["geometry"]); !mp) {
      return Fail(ErrorCode::kInvalidArgument, where + "/" + mp.error().message);
    }
    r.footprint = f["geometry"].dump();
    r.linked_ids = LinkedIds(r.record.title, r.record.aiddata_id);
    rows.push_back(std::move(r));
  }
  return rows;
}

// Applies the editors' decisions to the rule's groups (`label[i]` is row i's
// group), in order; records each one's outcome in `g`.
void ApplyDecisions(const std::vector<AidDataRow>& rows,
                    const std::map<std::int64_t, std::size_t>& index,
                    std::span<const GroupingDecision> decisions, std::vector<std::size_t>& label,
                    Grouping& g) {
  std::size_t next = rows.size();  // labels beyond any row's root
  for (const auto& d : decisions) {
    DecisionOutcome out{d.seq, d.kind, d.aiddata_ids, false, ""};
    std::vector<std::size_t> members;
    for (auto id : d.aiddata_ids) {
      auto it = index.find(id);
      if (it == index.end()) {
        out.why = "AidData " + std::to_string(id) + " is not in the file";
        break;
      }
      members.push_back(it->second);
    }
    std::set<std::size_t> groups;
    for (auto i : members) groups.insert(label[i]);
    if (!out.why.empty()) {
      // named above
    } else if (d.kind == GroupingDecision::Kind::kMerge) {
      if (members.size() < 2) {
        out.why = "a merge needs two or more rows";
      } else if (groups.size() < 2) {
        out.why = "the rows are already one project";
      } else {
        for (auto& l : label) {
          if (groups.count(l)) l = next;
        }
        ++next;
        out.applied = true;
      }
    } else if (members.empty()) {
      out.why = "a split needs one or more rows";
    } else if (groups.size() > 1) {
      out.why = "the rows are in different projects";
    } else if (static_cast<std::size_t>(std::count(label.begin(), label.end(), *groups.begin())) ==
               members.size()) {
      out.why = "the rows are already a project of their own";
    } else {
      for (auto i : members) label[i] = next;
      ++next;
      out.applied = true;
    }
    g.decisions.push_back(std::move(out));
  }
}

Grouping GroupProjects(std::vector<AidDataRow> rows, std::span<const GroupingDecision> decisions) {
  std::sort(rows.begin(), rows.end(), [](const AidDataRow& a, const AidDataRow& b) {
    return a.record.aiddata_id < b.record.aiddata_id;
  });
  Grouping g;
  g.rows = rows.size();
  std::map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < rows.size(); ++i) index[rows[i].record.aiddata_id] = i;
  UnionFind uf(rows.size());

  std::set<std::pair<std::int64_t, std::int64_t>> linked;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (auto other : rows[i].linked_ids) {
      auto it = index.find(other);
      if (it == index.end()) {
        g.links_outside.emplace_back(rows[i].record.aiddata_id, other);
        continue;
      }
      const auto a = std::min(rows[i].record.aiddata_id, other);
      const auto b = std::max(rows[i].record.aiddata_id, other);
      if (linked.insert({a, b}).second) g.merges.push_back({a, b, MergeReason::kLinkedIds, 0});
      uf.Join(i, it->second);
    }
  }

  // Each footprint is parsed once (JSON parsing dominates the cost).
  std::vector<json> geoms(rows.size());
  std::vector<MultiPolygon> shapes(rows.size());
  std::vector<bg::model::box<Point>> boxes(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    geoms[i] = json::parse(rows[i].footprint);
    shapes[i] = *ToMultiPolygon(geoms[i]);
    boxes[i] = bg::return_envelope<bg::model::box<Point>>(shapes[i]);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = i + 1; j < rows.size(); ++j) {
      if (!bg::intersects(boxes[i], boxes[j])) continue;
      const double share =
          rows[i].footprint == rows[j].footprint ? 1.0 : OverlapShare(shapes[i], shapes[j]);
      if (share <= 0) continue;
      const auto a = rows[i].record.aiddata_id, b = rows[j].record.aiddata_id;
      if (share >= kFootprintMergeShare && rows[i].sector == rows[j].sector) {
        g.merges.push_back({a, b, MergeReason::kFootprintOverlap, share});
        uf.Join(i, j);
      } else if (uf.Find(i) != uf.Find(j)) {
        g.kept_apart.push_back(
            {a, b, share,
             rows[i].sector != rows[j].sector
                 ? "different sectors (" + rows[i].sector + " / " + rows[j].sector + ")"
                 : "overlap under half of the smaller footprint"});
      }
    }
  }
  std::sort(g.merges.begin(), g.merges.end(), [](const MergeEvidence& x, const MergeEvidence& y) {
    return std::tie(x.a, x.b, x.reason) < std::tie(y.a, y.b, y.reason);
  });

  std::vector<std::size_t> label(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) label[i] = uf.Find(i);
  ApplyDecisions(rows, index, decisions, label, g);
  std::map<std::size_t, std::vector<std::size_t>> groups;  // label -> members (ascending id)
  for (std::size_t i = 0; i < rows.size(); ++i) groups[label[i]].push_back(i);

  for (const auto& [root, members] : groups) {
    model::Project p;
    std::map<std::string, int> sectors;
    std::set<std::string> geometries;
    json multipolygon = {{"type", "MultiPolygon"}, {"coordinates", json::array()}};
    MultiPolygon shape;                                  // the distinct footprints of its rows
    std::map<std::string, std::set<std::string>> roles;  // party name -> roles
    bool all_cancelled = true;
    int best_status = -1;
    for (auto i : members) {
      const auto& r = rows[i];
      p.aiddata_ids.push_back(r.record.aiddata_id);
      p.financing.push_back(r.record);
      ++sectors[r.sector];
      if (p.name.empty() && !r.map_label.empty()) p.name = r.map_label;
      const auto st = StatusOf(r.record.status);
      if (st != model::ProjectStatus::kCancelled) {
        all_cancelled = false;
        best_status = std::max(best_status, static_cast<int>(st));
      }
      p.planned_start = MinNonEmpty(p.planned_start, r.planned_start);
      p.actual_start = MinNonEmpty(p.actual_start, r.actual_start);
      p.planned_completion = MaxNonEmpty(p.planned_completion, r.planned_completion);
      p.actual_completion = MaxNonEmpty(p.actual_completion, r.actual_completion);
      if (geometries.insert(r.footprint).second) {
        const json& geom = geoms[i];
        shape.insert(shape.end(), shapes[i].begin(), shapes[i].end());
        if (geom["type"] == "Polygon") {
          multipolygon["coordinates"].push_back(geom["coordinates"]);
        } else {
          for (const auto& poly : geom["coordinates"]) multipolygon["coordinates"].push_back(poly);
        }
      }
      for (const auto& n : r.record.financiers) roles[n].insert("funder");
      for (const auto& n : r.receiving) roles[n].insert("publicAuthority");
      for (const auto& n : r.implementing) roles[n].insert("administrativeEntity");
    }
    const auto& first = rows[members.front()];
    if (p.name.empty()) p.name = NameFromTitle(first.record.title);
    // The most frequent sector; ties go to the lowest id's.
    std::string sector = first.sector;
    for (const auto& [s, n] : sectors) {
      if (n > sectors[sector]) sector = s;
    }
    p.sector = TitleCase(sector);
    p.status = all_cancelled ? model::ProjectStatus::kCancelled
                             : static_cast<model::ProjectStatus>(best_status);
    p.id = ProjectId(p.aiddata_ids);
    p.footprint = geometries.size() == 1 ? *geometries.begin() : multipolygon.dump();
    // A representative point: the centroid of the largest polygon when it lies
    // inside it, else a point on its surface.
    const Polygon* largest = &shape.front();
    for (const auto& poly : shape) {
      if (bg::area(poly) > bg::area(*largest)) largest = &poly;
    }
    Point c;
    bg::centroid(*largest, c);
    if (!bg::covered_by(c, *largest)) bg::point_on_surface(*largest, c);
    p.lon = std::round(c.x() * 1e6) / 1e6;
    p.lat = std::round(c.y() * 1e6) / 1e6;
    for (const auto& [name, rs] : roles) {
      p.parties.push_back({Slug(name), name, {rs.begin(), rs.end()}});
    }
    g.projects.push_back(std::move(p));
  }
  std::sort(g.projects.begin(), g.projects.end(),
            [](const model::Project& a, const model::Project& b) { return a.id < b.id; });
  return g;
}

Result<std::size_t> AssignDistricts(std::vector<model::Project>& projects,
                                    std::string_view adm2_geojson) {
  json doc = json::parse(adm2_geojson, nullptr, false);
  if (doc.is_discarded() || !doc.contains("features")) {
    return Fail(ErrorCode::kInvalidArgument, "districts: not a GeoJSON FeatureCollection");
  }
  struct District {
    std::string pcode, name, province;
    MultiPolygon shape;
    bg::model::box<Point> box;
  };
  std::vector<District> districts;
  std::size_t index = 0;
  for (const auto& f : doc["features"]) {
    const std::string where = "districts: /features/" + std::to_string(index++);
    if (!f.contains("properties") || !f["properties"].contains("ADM2_PCODE")) {
      return Fail(ErrorCode::kInvalidArgument, where + "/properties/ADM2_PCODE: missing");
    }
    auto mp = ToMultiPolygon(f["geometry"]);
    if (!mp) return Fail(ErrorCode::kInvalidArgument, where + "/" + mp.error().message);
    District d{Str(f["properties"], "ADM2_PCODE"),
               Str(f["properties"], "ADM2_EN"),
               Str(f["properties"], "ADM1_EN"),
               std::move(*mp),
               {}};
    d.box = bg::return_envelope<bg::model::box<Point>>(d.shape);
    districts.push_back(std::move(d));
  }
  std::size_t assigned = 0;
  for (auto& p : projects) {
    const Point pt(p.lon, p.lat);
    for (const auto& d : districts) {
      if (bg::covered_by(pt, d.box) && bg::covered_by(pt, d.shape)) {
        p.district_pcode = d.pcode;
        p.district_name = d.name;
        p.province_name = d.province;
        ++assigned;
        break;
      }
    }
  }
  return assigned;
}

model::Site ProjectSite(const model::Project& project, const model::Provenance& provenance,
                        const model::Licence& licence) {
  model::Site site;
  if (auto id = Uuid::Parse(project.id)) site.id = *id;
  site.name = project.name;
  site.sector = project.sector;
  std::string status(model::ProjectStatusName(project.status));
  if (!status.empty()) {
    status[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(status[0])));
  }
  site.status = std::move(status);
  for (const auto& f : project.financing) {
    if (f.amount) site.amount_usd = site.amount_usd.value_or(0) + *f.amount;
    if (f.commitment_year > 0 &&
        (!site.commitment_year || f.commitment_year < *site.commitment_year)) {
      site.commitment_year = f.commitment_year;
    }
  }
  // Milestone dates are YYYY-MM-DD (ParseAidData); the actual one wins.
  auto year = [](const std::string& actual, const std::string& planned) -> std::optional<int> {
    const std::string& d = actual.empty() ? planned : actual;
    int y = 0;
    if (d.size() < 4 || std::from_chars(d.data(), d.data() + 4, y).ec != std::errc{}) {
      return std::nullopt;
    }
    return y;
  };
  site.start_year = year(project.actual_start, project.planned_start);
  site.completion_year = year(project.actual_completion, project.planned_completion);
  for (const auto& party : project.parties) {
    auto has = [&](std::string_view role) {
      return std::find(party.roles.begin(), party.roles.end(), role) != party.roles.end();
    };
    if (has("funder")) site.funding_agencies.push_back(party.name);
    if (has("publicAuthority")) site.receiving_agencies.push_back(party.name);
    if (has("administrativeEntity")) site.implementing_agencies.push_back(party.name);
  }
  site.geometry = project.footprint;
  site.latitude = project.lat;
  site.longitude = project.lon;
  site.provenance = provenance;
  site.provenance.source_id.clear();
  for (const auto aid : project.aiddata_ids) {
    if (!site.provenance.source_id.empty()) site.provenance.source_id += ',';
    site.provenance.source_id += std::to_string(aid);
  }
  site.licence = licence;
  return site;
}

json ReviewReport(const Grouping& g) {
  std::map<std::int64_t, const model::Project*> project_of;
  for (const auto& p : g.projects) {
    for (auto id : p.aiddata_ids) project_of[id] = &p;
  }
  json merged = json::array();
  for (const auto& p : g.projects) {
    if (p.aiddata_ids.size() < 2) continue;
    json rows = json::array();
    for (const auto& f : p.financing) {
      rows.push_back({{"aiddata_id", f.aiddata_id}, {"title", f.title}});
    }
    json evidence = json::array();
    for (const auto& m : g.merges) {
      // After an editor's split, a piece of the rule's evidence may join two projects.
      if (project_of[m.a] != &p || project_of[m.b] != &p) continue;
      json e = {{"a", m.a}, {"b", m.b}, {"reason", MergeReasonName(m.reason)}};
      if (m.reason == MergeReason::kFootprintOverlap) {
        e["overlap"] = std::round(m.overlap * 1000) / 1000;
      }
      evidence.push_back(std::move(e));
    }
    for (const auto& d : g.decisions) {
      if (!d.applied) continue;
      const bool here = std::any_of(d.aiddata_ids.begin(), d.aiddata_ids.end(),
                                    [&](std::int64_t id) { return project_of[id] == &p; });
      if (!here) continue;
      evidence.push_back(
          {{"reason", d.kind == GroupingDecision::Kind::kMerge ? "editor-merge" : "editor-split"},
           {"decision", d.seq}});
    }
    merged.push_back({{"project_id", p.id},
                      {"name", p.name},
                      {"aiddata_ids", p.aiddata_ids},
                      {"rows", rows},
                      {"evidence", evidence}});
  }
  json apart = json::array();
  for (const auto& k : g.kept_apart) {
    apart.push_back(
        {{"a", k.a}, {"b", k.b}, {"overlap", std::round(k.overlap * 1000) / 1000}, {"why", k.why}});
  }
  json outside = json::array();
  for (const auto& [row, other] : g.links_outside) {
    outside.push_back({{"aiddata_id", row}, {"links_to", other}});
  }
  json decisions = json::array();
  for (const auto& d : g.decisions) {
    json o = {{"seq", d.seq},
              {"kind", d.kind == GroupingDecision::Kind::kMerge ? "merge" : "split"},
              {"aiddata_ids", d.aiddata_ids},
              {"applied", d.applied}};
    if (!d.applied) o["why_not"] = d.why;
    decisions.push_back(std::move(o));
  }
  return {
      {"rows", g.rows},        {"projects", g.projects.size()}, {"merged_projects", merged.size()},
      {"merges", merged},      {"overlaps_kept_apart", apart},  {"links_outside_file", outside},
      {"decisions", decisions}};
}

}  // namespace corridor::projects
