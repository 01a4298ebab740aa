#include "corridor/gazetteer/gazetteer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "corridor/common/search_key.h"
#include "corridor/common/strings.h"

namespace corridor::gazetteer {
namespace {

constexpr std::size_t kGeoNamesFields = 19;
constexpr std::size_t kMaxNameBytes = 200;

template <typename T>
bool ParseNumber(std::string_view s, T* out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// The Urdu name among the alternates: the first Arabic-script one with a
// letter only Urdu writes.
std::string UrduOf(const Place& p) {
  for (const auto& a : p.alternates) {
    if (ScriptOf(a) == NameScript::kArabic && HasUrduOnlyLetter(a)) return a;
  }
  return "";
}

// The Chinese name: a Han alternate already in simplified characters, else
// the first Han alternate converted.
std::string ChineseOf(const Place& p) {
  std::string converted;
  for (const auto& a : p.alternates) {
    if (ScriptOf(a) != NameScript::kHan) continue;
    std::string simplified = ToSimplifiedChinese(a);
    if (simplified == a) return a;
    if (converted.empty()) converted = std::move(simplified);
  }
  return converted;
}

}  // namespace

Result<std::vector<Place>> ReadGeoNames(const std::string& path,
                                        const std::set<std::string>& countries,
                                        ReadReport* report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kNotFound, path + ": cannot be opened");
  return ParseGeoNames(in, path, countries, report);
}

Result<std::vector<Place>> ParseGeoNames(std::istream& in, const std::string& path,
                                         const std::set<std::string>& countries,
                                         ReadReport* report) {
  ReadReport local;
  ReadReport& r = report != nullptr ? *report : local;
  r = ReadReport{};
  std::vector<Place> out;
  std::string line;
  std::int64_t number = 0;
  const auto reject = [&](const std::string& reason) {
    ++r.rejected_count;
    if (r.rejected.size() < kMaxRejected) {
      r.rejected.push_back(path + ":" + std::to_string(number) + ": " + reason);
    }
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    ++r.lines;
    const std::vector<std::string> f = Split(line, '\t');
    if (f.size() != kGeoNamesFields) {
      reject(std::to_string(f.size()) + " fields, expected " + std::to_string(kGeoNamesFields));
      continue;
    }
    if (!countries.empty() && countries.count(f[8]) == 0) {
      ++r.other_countries;
      continue;
    }
    if (!IsValidUtf8(line)) {
      reject("not UTF-8");
      continue;
    }
    Place p;
    if (!ParseNumber(f[0], &p.geonameid) || p.geonameid <= 0) {
      reject("geonameid: not a positive integer");
      continue;
    }
    if (!ParseNumber(f[4], &p.lat) || !ParseNumber(f[5], &p.lon) || !std::isfinite(p.lat) ||
        !std::isfinite(p.lon) || std::fabs(p.lat) > 90 || std::fabs(p.lon) > 180) {
      reject("latitude/longitude: not a WGS84 position");
      continue;
    }
    if (f[14].empty()) {
      p.population = 0;
    } else if (!ParseNumber(f[14], &p.population) || p.population < 0) {
      reject("population: not a non-negative integer");
      continue;
    }
    if (f[1].empty() || f[1].size() > kMaxNameBytes) {
      reject("name: 1 to " + std::to_string(kMaxNameBytes) + " bytes");
      continue;
    }
    p.name = f[1];
    p.feature_code = f[7];
    p.country = f[8];
    std::set<std::string> seen{p.name};
    for (auto& a : Split(f[3], ',')) {
      const std::string_view t = Trim(a);
      if (t.empty() || t.size() > kMaxNameBytes || !seen.insert(std::string(t)).second) continue;
      const NameScript s = ScriptOf(t);
      if (s == NameScript::kLatin || s == NameScript::kArabic || s == NameScript::kHan) {
        p.alternates.emplace_back(t);
      }
    }
    out.push_back(std::move(p));
    ++r.kept;
  }
  if (in.bad())
    return Fail(ErrorCode::kInternal, path + ": read error at line " + std::to_string(number));
  if (out.empty() && r.rejected_count > 0) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": no line could be read (" + r.rejected.front() + ")");
  }
  return out;
}

Result<std::vector<CuratedNames>> ReadCuratedNames(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    return Fail(ErrorCode::kNotFound, path + ": cannot be opened");
  }
  return ParseCuratedNames(text.str(), path);
}

Result<std::vector<CuratedNames>> ParseCuratedNames(std::string_view text,
                                                    const std::string& path) {
  std::istringstream in{std::string(text)};
  std::vector<CuratedNames> out;
  std::set<std::int64_t> ids;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    const auto f = Split(line, '\t');
    if (f.size() != 5) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "expected 5 tab-separated fields (geonameid, name, ur, zh, source)");
    }
    if (f[0] == "geonameid") continue;  // the header
    CuratedNames c;
    if (!ParseNumber(std::string_view(f[0]), &c.geonameid) || c.geonameid <= 0) {
      return Fail(ErrorCode::kInvalidArgument, where + "geonameid: not a positive integer");
    }
    if (!ids.insert(c.geonameid).second) {
      return Fail(ErrorCode::kInvalidArgument, where + "geonameid " + f[0] + " appears twice");
    }
    for (std::size_t i = 1; i < 5; ++i) {
      if (!IsValidUtf8(f[i]) || f[i].size() > kMaxNameBytes) {
        return Fail(ErrorCode::kInvalidArgument,
                    where + "field " + std::to_string(i + 1) + ": UTF-8 of at most 200 bytes");
      }
    }
    if (!f[2].empty() && ScriptOf(f[2]) != NameScript::kArabic) {
      return Fail(ErrorCode::kInvalidArgument, where + "ur: not in Arabic script");
    }
    if (!f[3].empty() &&
        (ScriptOf(f[3]) != NameScript::kHan || ToSimplifiedChinese(f[3]) != f[3])) {
      return Fail(ErrorCode::kInvalidArgument, where + "zh: not in simplified Chinese characters");
    }
    if (f[4].empty()) return Fail(ErrorCode::kInvalidArgument, where + "source: required");
    c.name = f[1];
    c.ur = f[2];
    c.zh = f[3];
    c.source = f[4];
    out.push_back(std::move(c));
  }
  return out;
}

void ChooseNames(std::vector<Place>& places, const std::vector<CuratedNames>& curated) {
  std::map<std::int64_t, const CuratedNames*> by_id;
  for (const auto& c : curated) by_id[c.geonameid] = &c;
  for (Place& p : places) {
    const auto it = by_id.find(p.geonameid);
    if (it != by_id.end()) {
      p.name_ur = it->second->ur.empty() ? UrduOf(p) : it->second->ur;
      p.name_zh = it->second->zh.empty() ? ChineseOf(p) : it->second->zh;
      p.names_source = "curated";
    } else {
      p.name_ur = UrduOf(p);
      p.name_zh = ChineseOf(p);
      p.names_source = "geonames";
    }
  }
}

PlaceIndex::PlaceIndex(std::vector<Place> places) : places_(std::move(places)) {
  names_.resize(places_.size());
  for (std::size_t i = 0; i < places_.size(); ++i) {
    const Place& p = places_[i];
    std::vector<std::string>& names = names_[i];
    names.push_back(p.name);
    if (!p.name_ur.empty()) names.push_back(p.name_ur);
    if (!p.name_zh.empty()) names.push_back(p.name_zh);
    names.insert(names.end(), p.alternates.begin(), p.alternates.end());
    std::set<std::string> seen;
    for (std::size_t n = 0; n < names.size(); ++n) {
      std::string key = SearchKey(names[n]);
      if (key.empty() || !seen.insert(key).second) continue;
      keys_.push_back({std::move(key), i, n});
    }
  }
}

std::vector<PlaceMatch> PlaceIndex::Search(std::string_view query, std::size_t limit) const {
  const std::string q = SearchKey(query);
  if (q.empty() || limit == 0) return {};
  // A part match needs two characters (a Han character is three bytes, so
  // one is enough for it to count as two Latin letters' worth).
  const bool parts = q.size() >= 2;
  std::vector<PlaceMatch> best(places_.size());
  for (const Key& k : keys_) {
    int score = 0;
    if (k.key == q) {
      score = 3;
    } else if (k.key.compare(0, q.size(), q) == 0) {
      score = 2;
    } else if (parts && k.key.find(q) != std::string::npos) {
      score = 1;
    }
    PlaceMatch& m = best[k.place];
    if (score > m.score) m = {&places_[k.place], score, names_[k.place][k.name]};
  }
  std::vector<PlaceMatch> out;
  for (auto& m : best) {
    if (m.score > 0) out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](const PlaceMatch& a, const PlaceMatch& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.place->population != b.place->population) {
      return a.place->population > b.place->population;
    }
    return a.place->geonameid < b.place->geonameid;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace corridor::gazetteer
