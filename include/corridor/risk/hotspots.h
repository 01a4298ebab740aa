// Hotspot analyses over one dataset of the store (docs/methods.md, "Hotspots"):
// kernel density surfaces, Getis–Ord Gi* on district or grid counts, and the
// Knox space–time test. Each loads the incident columns once, selects the
// events of a window, projects them to a Lambert azimuthal equal-area plane
// centred on the loaded areas (laea.h) and calls kde.h, gistar.h or knox.h.
// The JSON forms are shared by the CLI and the API.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/model/incident.h"
#include "corridor/risk/columns.h"
#include "corridor/risk/gistar.h"
#include "corridor/risk/kde.h"
#include "corridor/risk/knox.h"
#include "corridor/store/store.h"

namespace corridor::risk {

// Layers meant for sharing or the public have cells no finer than this.
inline constexpr double kShareableMinCellKm = 5.0;

// Which events an analysis uses: dated (date_start) in [from, to], to <=
// as_of; a point at least as precise as `coarsest`; for UCDP, of the violence
// types listed.
struct EventWindow {
  std::optional<Date> as_of;  // default: the dataset's latest date_end
  std::optional<Date> from;   // default: no lower bound
  std::optional<Date> to;     // default: as_of (a later `to` is cut to as_of)
  model::LocationPrecision coarsest = model::LocationPrecision::kNear;  // UCDP where_prec 1–2
  std::vector<int> violence_types = {1, 2, 3};                          // UCDP only
};

// Parses "exact", "near", "district", "province" (the coarsest precision kept).
Result<model::LocationPrecision> ParseCoarsestPrecision(std::string_view text);

// The events selected and what was left out, echoed in every result.
struct WindowSummary {
  std::string dataset;
  Date data_through;  // as_of
  std::optional<Date> from;
  Date to;
  std::string coarsest_precision;
  std::vector<int> violence_types;  // empty when not UCDP
  std::int64_t events_used = 0;
  std::int64_t events_in_window_imprecise = 0;  // in the window but coarser than allowed
  std::int64_t events_in_window_no_point = 0;
};

// ---- kernel density

struct HotspotOptions {
  std::string dataset = "ucdp-ged";
  EventWindow window;
  Kernel kernel = Kernel::kGaussian;
  const Budget* budget = nullptr;  // checked between the phases (null: unlimited)
  std::optional<double> bandwidth_km;  // default: Scott's rule (kde.h)
  double cell_km = kShareableMinCellKm;
  bool shareable = false;  // refuse cell_km < kShareableMinCellKm
  std::size_t max_cells = 4'000'000;
};

struct HotspotSurface {
  WindowSummary window;
  std::string projection;  // PROJ string of the plane
  double lat0 = 0, lon0 = 0;
  Grid grid;
  std::vector<double> density;  // events per km², row-major from the south-west
  Kernel kernel = Kernel::kGaussian;
  double bandwidth_km = 0;
  std::string bandwidth_rule;  // "scott" or "given"
  std::string extent_source;   // "areas" (the loaded boundaries) or "events"
  std::int64_t events_outside_grid = 0;
  double mass_in_grid = 0;  // Σ density · cell², ≈ events inside the grid
  double max_density = 0;
  bool shareable = false;
};

// kInvalidArgument for bad options (cell_km <= 0, or < 5 when shareable;
// bandwidth <= 0; more than max_cells cells), kNotFound when the window holds
// fewer than 2 events with a usable point (Scott's rule needs 2; 1 with a given
// bandwidth).
Result<HotspotSurface> ComputeHotspots(const store::Store& store, const HotspotOptions& options);

// The validation of a cell size alone (the API and CLI call it before work).
Result<void> CheckCellSize(double cell_km, bool shareable);

// {"type":"corridor.kde.raster", grid metadata, "values":[row north..south]}
nlohmann::json RasterJson(const HotspotSurface& surface);
// A GeoJSON FeatureCollection of cell polygons (WGS84, the corners of each
// projected cell) with "density" (events/km²) and "expected" (density·cell²),
// cells with density below min_fraction × the maximum left out.
Result<nlohmann::json> CellsGeoJson(const HotspotSurface& surface, double min_fraction);
// ESRI ASCII grid in the LAEA plane (km); the PROJ string is in the raster JSON.
std::string EsriAsciiGrid(const HotspotSurface& surface);

// ---- Getis–Ord Gi*

enum class GiUnits { kDistrict, kGrid };

struct GiStarOptions {
  std::string dataset = "ucdp-ged";
  EventWindow window;
  GiUnits units = GiUnits::kDistrict;
  double cell_km = 25;  // kGrid: cells whose centre is inside a loaded area
  bool shareable = false;
  SpatialWeights weights{SpatialWeights::Kind::kKNearest, 0, 8};
  const Budget* budget = nullptr;
};

struct GiStarUnit {
  std::string id;                               // P-code, or "c<col>r<row>" for grid cells
  std::string name;                             // area name, "" for cells
  double x_km = 0, y_km = 0, lat = 0, lon = 0;  // centroid / cell centre
  double count = 0;
  GiStarValue gi;
};

struct GiStarReport {
  WindowSummary window;
  std::string projection;
  GiUnits units = GiUnits::kDistrict;
  double cell_km = 0;  // kGrid
  SpatialWeights weights;
  std::int64_t events_outside_units = 0;  // used events in no district / no inside cell
  std::vector<GiStarUnit> units_out;      // in P-code / row-major order
};

Result<GiStarReport> ComputeGiStar(const store::Store& store, const GiStarOptions& options);
nlohmann::json ToJson(const GiStarReport& report);
// GeoJSON points (centroids / cell centres) with count, z, p.
nlohmann::json GiStarGeoJson(const GiStarReport& report);

// ---- Knox

struct KnoxRunOptions {
  std::string dataset = "ucdp-ged";
  EventWindow window;
  KnoxOptions knox{.distance_km = 10, .days = 14};
};

struct KnoxReport {
  WindowSummary window;
  std::string projection;
  double distance_km = 0;  // δ
  double days = 0;         // τ
  KnoxResult result;
};

Result<KnoxReport> ComputeKnox(const store::Store& store, const KnoxRunOptions& options);
nlohmann::json ToJson(const KnoxReport& report);

nlohmann::json ToJson(const WindowSummary& window);

}  // namespace corridor::risk
