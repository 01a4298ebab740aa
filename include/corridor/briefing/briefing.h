// Briefings (issue 15 §4, docs/briefing.md): a dated, marked document about
// one area and one month, for the joint committee and the agencies' staff —
// the month's incidents on a map, the trend, the districts, the deadliest
// incidents, the districts' impact, vulnerability, hot spots and 30-day
// forecast with its backtest, the exposure of the corridor's projects and the
// committee's open and overdue actions — in English, Urdu or Chinese, as HTML
// and as PDF.
//
// This library only renders: service/briefing.h collects a Document from what
// the caller may read (and audits it); RenderHtml is a pure function of the
// Document (golden files pin it), and RenderPdf prints that HTML with
// Debian's Chromium in an empty folder, cut off from the network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/security.h"

namespace corridor::briefing {

// The languages a briefing is written in.
bool IsLanguage(std::string_view lang);  // "en", "ur", "zh"

struct District {
  std::string pcode, name;
  std::int64_t incidents = 0;
  double killed = 0;
  std::string geometry;  // GeoJSON (Polygon or MultiPolygon); "" when unknown
};

struct MapPoint {
  double lat = 0, lon = 0;
  double killed = 0;
};

struct MonthCount {
  std::string month;  // YYYY-MM
  std::int64_t incidents = 0;
};

struct IncidentRow {
  std::string date;      // YYYY-MM-DD
  std::string place;     // district name, else province, else ""
  std::string category;  // model category slug ("bombing")
  std::optional<double> killed;
  std::string headline;
  std::string source;  // dataset
  model::Tlp tlp = model::Tlp::kClear;
};

struct SiteRow {
  int rank = 0;  // among all the corridor's sites
  std::string name;
  std::int64_t incidents = 0;
  double killed = 0;
  std::optional<double> nearest_km;
};

// One district of the area in the risk section: what the analytics of
// docs/methods.md say about it as of the section's day.
struct DistrictRisk {
  std::string pcode, name;
  std::string geometry;                 // GeoJSON; "" when unknown
  std::optional<double> impact;         // impact index, 0-10 (GTI method)
  int impact_rank = 0;                  // among every district (0: not ranked)
  std::optional<double> vulnerability;  // structural vulnerability, 0-10 (Data4Pakistan)
  std::optional<double> gi_z, gi_p;     // Getis-Ord Gi* of the twelve months' counts
  bool hot = false;                     // gi_z > 0 and gi_p < 0.05
  std::optional<double> expected;       // expected events in the forecast's 30 days
  std::optional<double> p_any;          // the probability of at least one
};

// How the forecasting model did in the rolling-origin backtest.
struct ForecastSkill {
  std::string first_month, last_month;  // YYYY-MM
  int months = 0;
  double model_hit_5 = 0;        // share of events in the 5 % of cells rated highest
  double persistence_hit_5 = 0;  // the same for last month's pattern
  double long_run_hit_5 = 0;     // and for the long-run average
  std::optional<double> model_brier, long_run_brier;
};

struct RiskPicture {
  std::string dataset, label;              // "ucdp-ged", "organised violence (UCDP GED)"
  std::string as_of;                       // the models use events up to this day
  bool ends_early = false;                 // the dataset ends before the period does
  std::string hot_from, hot_to;            // the Gi* window: twelve months to as_of
  std::string forecast_from, forecast_to;  // the 30 days forecast
  int districts_ranked = 0;                // districts the impact index ranks
  int vulnerability_year = 0;              // 0: no vulnerability data on this instance
  std::string model;                       // "ensemble", "hawkes"
  std::vector<DistrictRisk> districts;     // the area's, most expected events first
  std::optional<ForecastSkill> skill;
};

struct ActionRow {
  std::string title, owner_org, due, status;  // status: store::ActionStatusName
  bool overdue = false;
  model::Tlp tlp = model::Tlp::kAmber;
};

struct Source {
  std::string dataset;
  std::string attribution;  // the licence's attribution text
};

struct Document {
  std::string lang = "en";
  std::string period;  // YYYY-MM
  std::string area_pcode, area_name;
  std::string issued;                       // YYYY-MM-DD
  std::string data_through;                 // YYYY-MM-DD ("" when no data)
  std::string issued_by;                    // organisation
  model::Tlp marking = model::Tlp::kClear;  // the highest of its contents

  std::string area_geometry;        // GeoJSON of the area
  std::vector<District> districts;  // the area's districts, most incidents first
  std::vector<MapPoint> points;     // incidents placed to a point (exact, near)
  std::int64_t not_drawn = 0;       // incidents placed only to a district or coarser

  std::int64_t incidents = 0;
  double killed = 0;
  std::optional<std::int64_t> previous_month, same_month_last_year;
  std::vector<MonthCount> trend;  // 24 months ending with `period`

  std::vector<IncidentRow> deadliest;  // at most 15

  bool risk_included = false;    // false: see risk_unavailable
  std::string risk_unavailable;  // why the analytics could not run (English, from the error)
  RiskPicture risk;

  bool sites_included = false;  // false: the caller may not read sites
  std::vector<SiteRow> sites;   // the area's, by rank
  double sites_radius_km = 50;
  std::string sites_from, sites_to;

  bool actions_included = false;  // false: the caller may not read the committee's work
  std::vector<ActionRow> actions;

  std::vector<Source> sources;
};

// The briefing as one self-contained HTML document: no script, no external
// resource (the charts and the map are inline SVG, drawn here), every text
// escaped, and a Content-Security-Policy that allows only its own style.
// Right-to-left for Urdu. Deterministic: the same Document gives the same bytes.
std::string RenderHtml(const Document& doc);

struct PdfOptions {
  std::string chromium = "chromium";  // the browser to print with
  int timeout_seconds = 120;
};

// Prints `html` to PDF with headless Chromium (--no-pdf-header-footer) in a
// new empty temporary folder, in a network namespace of its own (unshare -n;
// unshare -rn when not root), so nothing outside the document can be loaded.
// kUnavailable naming what failed (no Chromium, no namespace, a timeout).
Result<std::string> RenderPdf(const std::string& html, const PdfOptions& options = {});

}  // namespace corridor::briefing
