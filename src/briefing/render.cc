// The briefing's HTML and its inline SVG (briefing/briefing.h).
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "briefing/labels_builtin.h"
#include "corridor/briefing/briefing.h"
#include "corridor/common/html.h"

namespace corridor::briefing {
namespace {

using nlohmann::json;

const json& Labels() {
  static const json kLabels = json::parse(BuiltinLabels());
  return kLabels;
}

// The label `key` in `lang` (English when the language lacks it).
std::string L(const std::string& lang, const std::string& key) {
  const json& entry = Labels().at(key);
  if (auto it = entry.find(lang); it != entry.end()) return it->get<std::string>();
  return entry.at("en").get<std::string>();
}

std::string Nested(const std::string& lang, const std::string& group, const std::string& key) {
  const json& g = Labels().at(group);
  for (const std::string& l : {lang, std::string("en")}) {
    if (auto it = g.find(l); it != g.end()) {
      if (auto k = it->find(key); k != it->end()) return k->get<std::string>();
    }
  }
  return key;
}

// `text` with each {name} replaced by its value, in one pass: a value is
// never searched for slots itself. A {word} without a value stays as it is.
std::string Fill(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t open = text.find('{', at);
    const std::size_t close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) break;
    const auto it = vars.find(text.substr(open + 1, close - open - 1));
    out.append(text, at, open - at);
    if (it == vars.end()) {
      out += '{';
      at = open + 1;
    } else {
      out += it->second;
      at = close + 1;
    }
  }
  out.append(text, std::min(at, text.size()));
  return out;
}

std::string E(std::string_view s) { return HtmlEscape(s); }

// The label `text` escaped, each {name} replaced by its value escaped and
// isolated (<bdi>), so dates and numbers keep their order in Urdu.
std::string FillHtml(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::map<std::string, std::string> isolated;
  for (const auto& [name, value] : vars) isolated[name] = "<bdi>" + E(value) + "</bdi>";
  return Fill(E(text), isolated);
}

// A table cell holding a number (or "—"), isolated for right-to-left pages.
std::string NumberCell(const std::string& text) {
  return "<td class=\"n\"><bdi>" + E(text) + "</bdi></td>";
}

// A number as the document prints it: integers without decimals, others to one.
std::string Num(double v, int decimals = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Base64Sha256(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char out[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(out, digest, SHA256_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

// ---- the map

struct Box {
  double min_lon = std::numeric_limits<double>::infinity(), min_lat = min_lon;
  double max_lon = -min_lon, max_lat = -min_lon;
  void Add(double lon, double lat) {
    min_lon = std::min(min_lon, lon);
    max_lon = std::max(max_lon, lon);
    min_lat = std::min(min_lat, lat);
    max_lat = std::max(max_lat, lat);
  }
  bool empty() const { return !(max_lon >= min_lon); }
};

// The rings of a GeoJSON Polygon or MultiPolygon (lon, lat); none for anything else.
std::vector<std::vector<std::pair<double, double>>> Rings(const std::string& geojson) {
  std::vector<std::vector<std::pair<double, double>>> out;
  const json g = json::parse(geojson, nullptr, false);
  if (g.is_discarded() || !g.is_object()) return out;
  auto polygon = [&](const json& rings) {
    if (!rings.is_array()) return;
    for (const auto& ring : rings) {
      if (!ring.is_array()) continue;
      std::vector<std::pair<double, double>> r;
      for (const auto& p : ring) {
        if (p.is_array() && p.size() >= 2 && p[0].is_number() && p[1].is_number()) {
          r.emplace_back(p[0].get<double>(), p[1].get<double>());
        }
      }
      if (r.size() >= 3) out.push_back(std::move(r));
    }
  };
  const std::string type = g.value("type", "");
  if (type == "Polygon") {
    polygon(g["coordinates"]);
  } else if (type == "MultiPolygon" && g["coordinates"].is_array()) {
    for (const auto& p : g["coordinates"]) polygon(p);
  }
  return out;
}

// An equirectangular projection of `box` into a width × height frame, the
// longitude scaled by the cosine of the middle latitude.
struct Projection {
  double min_lon = 0, max_lat = 0, scale = 1, kx = 1;
  int width = 640, height = 400;
  static Projection Fit(const Box& box, int width, int max_height) {
    Projection p;
    const double mid = (box.min_lat + box.max_lat) / 2 * M_PI / 180;
    p.kx = std::cos(mid);
    const double w = std::max(1e-6, (box.max_lon - box.min_lon) * p.kx);
    const double h = std::max(1e-6, box.max_lat - box.min_lat);
    p.scale = std::min((width - 20) / w, (max_height - 20) / h);
    p.width = width;
    p.height = static_cast<int>(std::ceil(h * p.scale)) + 20;
    p.min_lon = box.min_lon;
    p.max_lat = box.max_lat;
    return p;
  }
  double X(double lon) const { return 10 + (lon - min_lon) * kx * scale; }
  double Y(double lat) const { return 10 + (max_lat - lat) * scale; }
};

// An SVG path of the rings, dropping vertices closer than 0.6 px to the last
// one kept (a district's thousands of vertices become a few hundred).
std::string PathOf(const std::vector<std::vector<std::pair<double, double>>>& rings,
                   const Projection& p) {
  std::string d;
  for (const auto& ring : rings) {
    double lx = 0, ly = 0;
    bool first = true;
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const double x = p.X(ring[i].first), y = p.Y(ring[i].second);
      if (!first && i + 1 < ring.size() && std::hypot(x - lx, y - ly) < 0.6) continue;
      d += first ? "M" : "L";
      d += Num(x, 1) + " " + Num(y, 1);
      lx = x;
      ly = y;
      first = false;
    }
    d += "Z";
  }
  return d;
}

// Five shades from no incident to the most of any district.
constexpr const char* kRamp[] = {"#f3f4f6", "#fde2cf", "#f9b28a", "#ef7d55", "#c8412f"};

const char* Shade(double n, double max) {
  if (!(n > 0) || !(max > 0)) return kRamp[0];
  return kRamp[1 + std::clamp(static_cast<int>(n / max * 4 - 1e-9), 0, 3)];
}

std::string SvgOpen(const std::string& cls, const Projection& p, const std::string& label) {
  return "<svg class=\"" + cls + "\" dir=\"ltr\" role=\"img\" viewBox=\"0 0 " +
         std::to_string(p.width) + " " + std::to_string(p.height) + "\" width=\"" +
         std::to_string(p.width) + "\" height=\"" + std::to_string(p.height) + "\" aria-label=\"" +
         E(label) + "\">";
}

std::string MapSvg(const Document& doc) {
  const auto area = Rings(doc.area_geometry);
  Box box;
  for (const auto& r : area) {
    for (const auto& [lon, lat] : r) box.Add(lon, lat);
  }
  for (const auto& pt : doc.points) box.Add(pt.lon, pt.lat);
  if (box.empty()) return "";
  const Projection p = Projection::Fit(box, 640, 520);
  std::int64_t max = 0;
  for (const auto& d : doc.districts) max = std::max(max, d.incidents);
  std::string svg = SvgOpen("map", p, L(doc.lang, "map"));
  for (const auto& d : doc.districts) {
    const auto rings = Rings(d.geometry);
    if (rings.empty()) continue;
    svg += "<path class=\"district\" fill=\"" +
           std::string(Shade(static_cast<double>(d.incidents), static_cast<double>(max))) +
           "\" d=\"" + PathOf(rings, p) + "\"><title>" + E(d.name) + ": " +
           std::to_string(d.incidents) + "</title></path>";
  }
  if (!area.empty()) svg += "<path class=\"area\" d=\"" + PathOf(area, p) + "\"/>";
  // Larger circles first, so small ones stay visible on top.
  std::vector<MapPoint> points = doc.points;
  std::stable_sort(points.begin(), points.end(),
                   [](const MapPoint& a, const MapPoint& b) { return a.killed > b.killed; });
  for (const auto& pt : points) {
    svg += "<circle class=\"incident\" cx=\"" + Num(p.X(pt.lon), 1) + "\" cy=\"" +
           Num(p.Y(pt.lat), 1) + "\" r=\"" + Num(2.5 + std::sqrt(std::max(0.0, pt.killed)), 1) +
           "\"/>";
  }
  svg += "</svg>";
  return svg;
}

// The area's districts shaded by the incidents expected in the next 30 days,
// the hot spots outlined.
std::string ForecastMapSvg(const Document& doc) {
  const auto area = Rings(doc.area_geometry);
  Box box;
  for (const auto& r : area) {
    for (const auto& [lon, lat] : r) box.Add(lon, lat);
  }
  if (box.empty()) return "";
  const Projection p = Projection::Fit(box, 640, 420);
  double max = 0;
  for (const auto& d : doc.risk.districts) max = std::max(max, d.expected.value_or(0));
  std::string svg = SvgOpen("map forecast", p, L(doc.lang, "forecast_map"));
  std::string hot;  // drawn last, so their outline is not covered
  for (const auto& d : doc.risk.districts) {
    const auto rings = Rings(d.geometry);
    if (rings.empty()) continue;
    std::string path = "<path class=\"" + std::string(d.hot ? "district hot" : "district") +
                       "\" fill=\"" + Shade(d.expected.value_or(0), max) + "\" d=\"" +
                       PathOf(rings, p) + "\"><title>" + E(d.name) + ": " +
                       Num(d.expected.value_or(0), 2) + "</title></path>";
    (d.hot ? hot : svg) += path;
  }
  svg += hot;
  if (!area.empty()) svg += "<path class=\"area\" d=\"" + PathOf(area, p) + "\"/>";
  svg += "</svg>";
  return svg;
}

// "87%": the sign stays attached to its number inside Urdu text, where
// "87 %" would split across the isolate.
std::string Percent(double share) { return Num(share * 100) + "%"; }

// ---- the trend

std::string TrendSvg(const Document& doc) {
  if (doc.trend.empty()) return "";
  const int width = 640, height = 180, left = 36, bottom = 24, top = 8;
  std::int64_t max = 1;
  for (const auto& m : doc.trend) max = std::max(max, m.incidents);
  const double step = static_cast<double>(width - left - 4) / static_cast<double>(doc.trend.size());
  const double plot = height - bottom - top;
  std::string svg =
      "<svg class=\"trend\" dir=\"ltr\" role=\"img\" viewBox=\"0 0 640 180\" "
      "width=\"640\" height=\"180\" aria-label=\"" +
      E(L(doc.lang, "trend")) + "\">";
  for (const std::int64_t tick : {std::int64_t{0}, max / 2, max}) {
    const double y = top + plot - plot * static_cast<double>(tick) / static_cast<double>(max);
    svg += "<line class=\"grid\" x1=\"" + std::to_string(left) + "\" x2=\"" +
           std::to_string(width) + "\" y1=\"" + Num(y, 1) + "\" y2=\"" + Num(y, 1) +
           "\"/><text class=\"tick\" x=\"" + std::to_string(left - 4) + "\" y=\"" + Num(y + 4, 1) +
           "\" text-anchor=\"end\">" + std::to_string(tick) + "</text>";
  }
  for (std::size_t i = 0; i < doc.trend.size(); ++i) {
    const auto& m = doc.trend[i];
    const double h = plot * static_cast<double>(m.incidents) / static_cast<double>(max);
    const double x = left + step * static_cast<double>(i) + 1;
    svg += std::string("<rect class=\"") + (m.month == doc.period ? "bar this" : "bar") +
           "\" x=\"" + Num(x, 1) + "\" y=\"" + Num(top + plot - h, 1) + "\" width=\"" +
           Num(std::max(1.0, step - 2), 1) + "\" height=\"" + Num(h, 1) + "\"><title>" +
           E(m.month) + ": " + std::to_string(m.incidents) + "</title></rect>";
    if (i % 6 == 0 || i + 1 == doc.trend.size()) {
      svg += "<text class=\"tick\" x=\"" + Num(x + step / 2, 1) + "\" y=\"" +
             std::to_string(height - 6) + "\" text-anchor=\"middle\">" + E(m.month) + "</text>";
    }
  }
  svg += "</svg>";
  return svg;
}

const char* TlpClass(model::Tlp t) {
  switch (t) {
    case model::Tlp::kClear:
      return "clear";
    case model::Tlp::kGreen:
      return "green";
    case model::Tlp::kAmber:
    case model::Tlp::kAmberStrict:
      return "amber";
    case model::Tlp::kRed:
      return "red";
  }
  return "red";
}

constexpr char kStyle[] = R"css(
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans CJK SC", sans-serif; color: #111827; font-size: 10.5pt; line-height: 1.45; margin: 0 auto; max-width: 190mm; }
html[lang=ur] body { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans", sans-serif; line-height: 1.9; }
html[lang=zh] body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; }
.banner { text-align: center; font-weight: 700; letter-spacing: .05em; padding: 2mm; margin: 0 0 4mm; border: 2px solid #111827; }
.banner.clear { background: #fff; } .banner.green { background: #33ff00; } .banner.amber { background: #ffc000; } .banner.red { background: #ff2b2b; color: #fff; }
h1 { font-size: 18pt; margin: 0 0 1mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #d1d5db; }
.meta { color: #374151; margin: 0 0 3mm; } .meta span { margin-inline-end: 5mm; white-space: nowrap; }
.figures { display: flex; gap: 4mm; } .figure { flex: 1; border: 1px solid #d1d5db; padding: 2mm 3mm; }
.figure b { display: block; font-size: 16pt; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: start; padding: 1mm 2mm; border-bottom: 1px solid #e5e7eb; vertical-align: top; }
td.n, th.n { text-align: end; font-variant-numeric: tabular-nums; }
.note { color: #4b5563; font-size: 9pt; } .overdue { color: #b91c1c; font-weight: 700; }
svg { display: block; max-width: 100%; height: auto; }
.map .area { fill: none; stroke: #111827; stroke-width: 1.4; } .map .district { stroke: #6b7280; stroke-width: .5; }
.map .district.hot { stroke: #111827; stroke-width: 2.2; } .hot { font-weight: 700; color: #b91c1c; }
.map .incident { fill: #b91c1c; fill-opacity: .75; stroke: #fff; stroke-width: .8; }
.trend .bar { fill: #9ca3af; } .trend .bar.this { fill: #b91c1c; } .trend .grid { stroke: #e5e7eb; } .trend .tick { font-size: 9px; fill: #4b5563; }
section { break-inside: avoid; }
)css";

}  // namespace

bool IsLanguage(std::string_view lang) { return lang == "en" || lang == "ur" || lang == "zh"; }

std::string RenderHtml(const Document& doc) {
  const std::string& lang = doc.lang;
  const std::string marking(model::TlpName(doc.marking));
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"" << E(lang) << "\" dir=\"" << (lang == "ur" ? "rtl" : "ltr")
    << "\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
       "'sha256-"
    << Base64Sha256(kStyle) << "'\">\n"
    << "<meta name=\"corridor-marking\" content=\"" << E(marking) << "\">\n"
    << "<title>" << E(L(lang, "title")) << " — " << E(doc.area_name) << " — " << E(doc.period)
    << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  const std::string banner =
      "<div class=\"banner " + std::string(TlpClass(doc.marking)) + "\">" + E(marking) + "</div>\n";
  o << banner;
  o << "<h1>" << E(L(lang, "title")) << ": <bdi>" << E(doc.area_name) << "</bdi>, <bdi>"
    << E(doc.period) << "</bdi></h1>\n";
  o << "<p class=\"meta\"><span>" << E(L(lang, "area")) << ": <bdi>" << E(doc.area_name) << " ("
    << E(doc.area_pcode) << ")</bdi></span><span>" << E(L(lang, "period")) << ": <bdi>"
    << E(doc.period) << "</bdi></span><span>" << E(L(lang, "issued")) << ": <bdi>" << E(doc.issued)
    << "</bdi>";
  if (!doc.issued_by.empty()) o << " · <bdi>" << E(doc.issued_by) << "</bdi>";
  o << "</span><span>" << E(L(lang, "data_through")) << ": <bdi>"
    << E(doc.data_through.empty() ? "—" : doc.data_through) << "</bdi></span></p>\n";
  o << "<p class=\"note\">" << E(L(lang, "marking")) << ": <bdi>" << E(marking) << "</bdi>. "
    << E(L(lang, "marking_note")) << "</p>\n";

  // Summary figures.
  auto figure = [&](const std::string& key, const std::string& value) {
    o << "<div class=\"figure\">" << E(L(lang, key)) << "<b><bdi>" << E(value)
      << "</bdi></b></div>";
  };
  o << "<section id=\"summary\"><h2>" << E(L(lang, "summary")) << "</h2><div class=\"figures\">";
  figure("incidents", std::to_string(doc.incidents));
  figure("killed", Num(doc.killed));
  figure("previous_month", doc.previous_month ? std::to_string(*doc.previous_month) : "—");
  figure("same_month_last_year",
         doc.same_month_last_year ? std::to_string(*doc.same_month_last_year) : "—");
  o << "</div></section>\n";

  // Map and trend.
  o << "<section id=\"map\"><h2>" << E(L(lang, "map")) << "</h2>" << MapSvg(doc)
    << "<p class=\"note\">" << FillHtml(L(lang, "map_note"), {{"n", std::to_string(doc.not_drawn)}})
    << "</p></section>\n";
  o << "<section id=\"trend\"><h2>" << E(L(lang, "trend")) << "</h2>" << TrendSvg(doc)
    << "</section>\n";

  // Districts.
  o << "<section id=\"districts\"><h2>" << E(L(lang, "districts")) << "</h2>";
  if (doc.districts.empty()) {
    o << "<p>" << E(L(lang, "none")) << "</p>";
  } else {
    o << "<table><thead><tr><th>" << E(L(lang, "district")) << "</th><th class=\"n\">"
      << E(L(lang, "incidents")) << "</th><th class=\"n\">" << E(L(lang, "deaths"))
      << "</th></tr></thead><tbody>";
    for (const auto& d : doc.districts) {
      if (d.incidents == 0) continue;
      o << "<tr><td><bdi>" << E(d.name) << "</bdi></td><td class=\"n\">" << d.incidents
        << "</td><td class=\"n\">" << Num(d.killed) << "</td></tr>";
    }
    o << "</tbody></table>";
  }
  o << "</section>\n";

  // The deadliest incidents.
  o << "<section id=\"deadliest\"><h2>" << E(L(lang, "top")) << "</h2>";
  if (doc.deadliest.empty()) {
    o << "<p>" << E(L(lang, "none")) << "</p>";
  } else {
    o << "<table><thead><tr><th>" << E(L(lang, "date")) << "</th><th>" << E(L(lang, "district"))
      << "</th><th>" << E(L(lang, "category")) << "</th><th class=\"n\">" << E(L(lang, "deaths"))
      << "</th><th>" << E(L(lang, "source")) << "</th><th>" << E(L(lang, "marking"))
      << "</th></tr></thead><tbody>";
    for (const auto& r : doc.deadliest) {
      o << "<tr><td><bdi>" << E(r.date) << "</bdi></td><td><bdi>" << E(r.place) << "</bdi></td><td>"
        << E(Nested(lang, "categories", r.category));
      if (!r.headline.empty())
        o << "<br><span class=\"note\"><bdi>" << E(r.headline) << "</bdi></span>";
      o << "</td><td class=\"n\">" << (r.killed ? Num(*r.killed) : "—") << "</td><td><bdi>"
        << E(r.source) << "</bdi></td><td><bdi>" << E(model::TlpName(r.tlp)) << "</bdi></td></tr>";
    }
    o << "</tbody></table>";
  }
  o << "</section>\n";

  // The districts' risk.
  o << "<section id=\"risk\"><h2>" << E(L(lang, "risk")) << "</h2>";
  if (!doc.risk_included) {
    o << "<p class=\"note\">" << E(L(lang, "risk_unavailable")) << ": <bdi>"
      << E(doc.risk_unavailable) << "</bdi></p>";
  } else {
    const RiskPicture& r = doc.risk;
    o << "<p class=\"note\">"
      << FillHtml(L(lang, "risk_note"), {{"dataset", r.label},
                                         {"as_of", r.as_of},
                                         {"hot_from", r.hot_from},
                                         {"hot_to", r.hot_to},
                                         {"forecast_from", r.forecast_from},
                                         {"forecast_to", r.forecast_to},
                                         {"model", Nested(lang, "models", r.model)},
                                         {"ranked", std::to_string(r.districts_ranked)}})
      << "</p>";
    if (r.ends_early) {
      o << "<p class=\"note\">" << FillHtml(L(lang, "risk_stale"), {{"as_of", r.as_of}}) << "</p>";
    }
    o << ForecastMapSvg(doc) << "<p class=\"note\">" << E(L(lang, "forecast_map")) << "</p>";
    constexpr std::size_t kRows = 15;
    o << "<table><thead><tr><th>" << E(L(lang, "district")) << "</th><th class=\"n\">"
      << E(L(lang, "expected")) << "</th><th class=\"n\">" << E(L(lang, "p_any"))
      << "</th><th class=\"n\">" << E(L(lang, "gi_z")) << "</th><th class=\"n\">"
      << E(L(lang, "impact")) << "</th><th class=\"n\">" << E(L(lang, "vulnerability"))
      << "</th></tr></thead><tbody>";
    for (std::size_t k = 0; k < r.districts.size() && k < kRows; ++k) {
      const DistrictRisk& d = r.districts[k];
      o << "<tr><td><bdi>" << E(d.name) << "</bdi>";
      if (d.hot) o << " <span class=\"hot\">" << E(L(lang, "hot_spot")) << "</span>";
      o << "</td>" << NumberCell(d.expected ? Num(*d.expected, 2) : "—")
        << NumberCell(d.p_any ? Percent(*d.p_any) : "—")
        << NumberCell(d.gi_z ? Num(*d.gi_z, 2) : "—")
        << NumberCell(d.impact ? Num(*d.impact, 2) + " (" + std::to_string(d.impact_rank) + ")"
                               : "—")
        << NumberCell(d.vulnerability ? Num(*d.vulnerability, 1) : "—") << "</tr>";
    }
    o << "</tbody></table>";
    if (r.districts.size() > kRows) {
      o << "<p class=\"note\">"
        << FillHtml(L(lang, "more_districts"), {{"n", std::to_string(r.districts.size() - kRows)}})
        << "</p>";
    }
    if (r.skill) {
      const ForecastSkill& s = *r.skill;
      o << "<p>"
        << FillHtml(L(lang, "skill"), {{"from", s.first_month},
                                       {"to", s.last_month},
                                       {"months", std::to_string(s.months)},
                                       {"model", Percent(s.model_hit_5)},
                                       {"persistence", Percent(s.persistence_hit_5)},
                                       {"long_run", Percent(s.long_run_hit_5)}});
      if (s.model_brier && s.long_run_brier) {
        o << " "
          << FillHtml(L(lang, "brier"),
                      {{"model", Num(*s.model_brier, 3)}, {"long_run", Num(*s.long_run_brier, 3)}});
      }
      o << "</p>";
    }
    o << "<p class=\"note\">"
      << (r.vulnerability_year != 0 ? FillHtml(L(lang, "vulnerability_note"),
                                               {{"year", std::to_string(r.vulnerability_year)}})
                                    : E(L(lang, "vulnerability_missing")))
      << "</p>";
  }
  o << "</section>\n";

  // Site exposure.
  o << "<section id=\"sites\"><h2>" << E(L(lang, "sites")) << "</h2>";
  if (!doc.sites_included) {
    o << "<p class=\"note\">" << E(L(lang, "omitted")) << "</p>";
  } else {
    o << "<p class=\"note\">"
      << FillHtml(
             L(lang, "sites_note"),
             {{"km", Num(doc.sites_radius_km)}, {"from", doc.sites_from}, {"to", doc.sites_to}})
      << "</p>";
    if (doc.sites.empty()) {
      o << "<p>" << E(L(lang, "none")) << "</p>";
    } else {
      o << "<table><thead><tr><th class=\"n\">" << E(L(lang, "rank")) << "</th><th>"
        << E(L(lang, "site")) << "</th><th class=\"n\">" << E(L(lang, "incidents"))
        << "</th><th class=\"n\">" << E(L(lang, "deaths")) << "</th><th class=\"n\">"
        << E(L(lang, "nearest")) << "</th></tr></thead><tbody>";
      for (const auto& s : doc.sites) {
        o << "<tr><td class=\"n\">" << s.rank << "</td><td><bdi>" << E(s.name)
          << "</bdi></td><td class=\"n\">" << s.incidents << "</td><td class=\"n\">"
          << Num(s.killed) << "</td><td class=\"n\">"
          << (s.nearest_km ? Num(*s.nearest_km, 1) : "—") << "</td></tr>";
      }
      o << "</tbody></table>";
    }
  }
  o << "</section>\n";

  // Committee actions.
  o << "<section id=\"actions\"><h2>" << E(L(lang, "actions")) << "</h2>";
  if (!doc.actions_included) {
    o << "<p class=\"note\">" << E(L(lang, "omitted")) << "</p>";
  } else if (doc.actions.empty()) {
    o << "<p>" << E(L(lang, "none")) << "</p>";
  } else {
    o << "<table><thead><tr><th>" << E(L(lang, "action")) << "</th><th>" << E(L(lang, "owner"))
      << "</th><th>" << E(L(lang, "due")) << "</th><th>" << E(L(lang, "status")) << "</th><th>"
      << E(L(lang, "marking")) << "</th></tr></thead><tbody>";
    for (const auto& a : doc.actions) {
      o << "<tr><td><bdi>" << E(a.title) << "</bdi></td><td><bdi>" << E(a.owner_org)
        << "</bdi></td><td><bdi>" << E(a.due) << "</bdi>";
      if (a.overdue) o << " <span class=\"overdue\">" << E(L(lang, "overdue")) << "</span>";
      o << "</td><td>" << E(Nested(lang, "statuses", a.status)) << "</td><td><bdi>"
        << E(model::TlpName(a.tlp)) << "</bdi></td></tr>";
    }
    o << "</tbody></table>";
  }
  o << "</section>\n";

  // Sources, attribution and method.
  o << "<section id=\"sources\"><h2>" << E(L(lang, "sources")) << "</h2><ul>";
  for (const auto& s : doc.sources) {
    o << "<li><bdi>" << E(s.dataset) << "</bdi>: <bdi>" << E(s.attribution) << "</bdi></li>";
  }
  o << "</ul><p class=\"note\">" << E(L(lang, "method")) << "</p></section>\n";
  o << banner << "</body>\n</html>\n";
  return o.str();
}

}  // namespace corridor::briefing
