// One event, several sources (issue 17 item 11, docs/links.md): candidate
// links between incidents of different sources that may record the same
// event, each with a score and its reasons, as MISP's correlation and
// OpenCTI's deduplication offer them to an analyst, who confirms or rejects
// each (service/links.h). Pure analytics over compact in-memory rows: no
// store, no I/O.
//
// A pair is a candidate only when every test below passes:
// - different sources (Provenance.dataset), neither revoked;
// - the same country (or either without one);
// - places that can be the same, within each record's precision:
//   * two points (exact or near): at most the sum of their radii apart
//     (exact 5 km, near 25 km: UCDP's "near" is within about 25 km);
//   * a district-precise record: the other lies in the same district;
//   * a province-precise record: the other lies in the same province;
//   * a record placed only to its country, or not at all, never links;
// - dates that can be the same: the ranges [date_start, date_end] overlap or
//   are at most `max_gap_days` apart, and neither range is longer than
//   `max_span_days` (a record dated only to its month or year never links);
// - casualties that can be the same: when both give deaths, the lower is at
//   least `min_killed_ratio` of the higher, or they differ by at most 2.
// The score (0..1) weighs the three: place 0.45, date 0.35, deaths 0.20.
// Pairs scoring below `min_score` are left out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "corridor/model/incident.h"

namespace corridor::matching {

// The fields a match reads, copied out of model::Incident (Row::Of).
struct Row {
  std::string id;
  std::string dataset;
  std::string country, admin1, admin2;
  std::int32_t day_start = 0, day_end = 0;  // days since 1970-01-01
  double lat = 0, lon = 0;
  bool has_point = false;
  model::LocationPrecision precision = model::LocationPrecision::kNone;
  std::optional<int> killed;
  bool revoked = false;
  static Row Of(const model::Incident& i);
};

struct Options {
  int max_gap_days = 1;   // reports dated the day after the event
  int max_span_days = 7;  // longer ranges are too vague to link
  double min_killed_ratio = 0.5;
  double min_score = 0.6;
  double exact_radius_km = 5;
  double near_radius_km = 25;
};

struct Candidate {
  std::string a, b;         // incident ids, a < b
  double score = 0;         // 0..1, rounded to 3 decimals
  double distance_km = -1;  // between two points; -1 when a record is not a point
  int gap_days = 0;         // 0 when the date ranges overlap
  // Why, in words, one per test: "12.4 km apart (exact, near)", "same day",
  // "killed 4 and 5".
  std::vector<std::string> reasons;
  friend bool operator==(const Candidate&, const Candidate&) = default;
};

// Every candidate pair among `rows`, best score first (then a, b). Linear in
// the rows times the records of the same few days: rows are swept in date
// order and only those whose ranges can meet are compared.
std::vector<Candidate> FindCandidates(const std::vector<Row>& rows, const Options& options = {});

// The one candidate test for a pair (nullopt when it is not one).
std::optional<Candidate> Compare(const Row& x, const Row& y, const Options& options = {});

}  // namespace corridor::matching
