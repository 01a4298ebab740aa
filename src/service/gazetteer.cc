#include "corridor/service/gazetteer.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

#include "corridor/common/strings.h"
#include "corridor/geo/area_index.h"
#include "service/places_builtin.h"

namespace corridor::service {
namespace {

using nlohmann::json;

constexpr const char* kAttribution =
    "Places: GeoNames (geonames.org, cities1000 of 2013), CC BY 3.0; curated names: Corridor "
    "(config/places.tsv)";

// The largest file a load reads into memory: GeoNames' cities1000 is 20 MB,
// its cities500 about 40 MB; allCountries (1.5 GB) is not a gazetteer input.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{256} << 20;

Result<std::string> ReadAll(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxFileBytes) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": " + std::to_string(size >> 20) + " MiB, more than the " +
                    std::to_string(kMaxFileBytes >> 20) + " MiB a gazetteer load reads");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf())) {
    return Fail(ErrorCode::kNotFound, path + ": cannot be read");
  }
  return bytes.str();
}

// The index of the stored places, built once per load and shared by every
// request until the next load. Keyed by the store and the source's load time
// and hashes; the source and, when the key is new, the places are read in one
// transaction, so an index is never stored under the key of another load.
Result<std::shared_ptr<const gazetteer::PlaceIndex>> Index(const Context& ctx,
                                                           store::GazetteerSource* source) {
  static std::mutex mu;
  static std::map<const store::Store*,
                  std::pair<std::string, std::shared_ptr<const gazetteer::PlaceIndex>>>
      cache;
  auto gazetteer = store::NewGazetteerStore();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache.find(&ctx.store);
  std::string key;
  std::optional<std::vector<gazetteer::Place>> places;
  auto read =
      store::InReadTransaction(ctx.store.database(), [&](store::Transaction& tx) -> Result<void> {
        auto stored = gazetteer->Source(tx);
        if (!stored) return Fail(stored.error());
        if (!*stored) {
          return Fail(ErrorCode::kNotFound,
                      "no gazetteer is loaded: run `corridor gazetteer load cities1000.txt` first");
        }
        *source = **stored;
        key = source->loaded + "#" + source->sha256 + "#" + source->curated_sha256;
        if (it != cache.end() && it->second.first == key) return {};
        auto all = gazetteer->Places(tx);
        if (!all) return Fail(all.error());
        places = std::move(*all);
        return {};
      });
  if (!read) return Fail(read.error());
  if (!places) return it->second.second;
  auto index = std::make_shared<const gazetteer::PlaceIndex>(std::move(*places));
  cache[&ctx.store] = {key, index};
  return index;
}

json PlaceJson(const gazetteer::Place& p) {
  return {{"geonameid", p.geonameid},
          {"name", p.name},
          {"names", {{"en", p.name}, {"ur", p.name_ur}, {"zh", p.name_zh}}},
          {"names_source", p.names_source},
          {"lat", p.lat},
          {"lon", p.lon},
          {"population", p.population},
          {"feature_code", p.feature_code},
          {"admin1", p.admin1},
          {"admin2", p.admin2}};
}

}  // namespace

Result<GazetteerLoaded> LoadGazetteer(const Context& ctx, const Caller& caller,
                                      const GazetteerLoad& load) {
  if (auto ok = Require(caller, auth::Action::kManageSites); !ok) return Fail(ok.error());
  auto bytes = ReadAll(load.geonames_path);
  if (!bytes) return Fail(bytes.error());
  GazetteerLoaded out;
  // Parsed from the bytes that are hashed: the recorded sha256 is of what was read.
  std::istringstream in(*bytes);
  auto places = gazetteer::ParseGeoNames(in, load.geonames_path, load.countries, &out.report);
  if (!places) return Fail(places.error());
  std::string curated_text;
  std::string curated_name = "config/places.tsv";
  if (load.curated_path.empty()) {
    curated_text = std::string(BuiltinCuratedPlaces());
  } else {
    auto text = ReadAll(load.curated_path);
    if (!text) return Fail(text.error());
    curated_text = std::move(*text);
    curated_name = load.curated_path;
  }
  auto curated = gazetteer::ParseCuratedNames(curated_text, curated_name);
  if (!curated) return Fail(curated.error());
  gazetteer::ChooseNames(*places, *curated);

  auto areas = ctx.store.ListAreas(std::nullopt, /*with_geometry=*/true);
  if (!areas) return Fail(areas.error());
  auto index = geo::AreaIndex::Build(*areas);
  if (!index) return Fail(index.error());
  for (gazetteer::Place& p : *places) {
    p.admin1 = index->Locate(1, p.lat, p.lon).pcode;
    p.admin2 = index->Locate(2, p.lat, p.lon).pcode;
    out.with_ur += p.name_ur.empty() ? 0 : 1;
    out.with_zh += p.name_zh.empty() ? 0 : 1;
    out.with_admin2 += p.admin2.empty() ? 0 : 1;
  }

  std::string countries;
  for (const auto& c : load.countries) countries += (countries.empty() ? "" : ",") + c;
  out.source = {std::filesystem::path(load.geonames_path).filename().string(),
                Sha256Hex(*bytes),
                Sha256Hex(curated_text),
                NowTimestamp(),
                countries,
                static_cast<std::int64_t>(places->size())};
  auto gazetteer = store::NewGazetteerStore();
  auto stored = store::InWriteTransaction(ctx.store.database(), [&](store::Transaction& tx) {
    return gazetteer->Replace(tx, out.source, *places);
  });
  if (!stored) {
    Error e = stored.error();
    e.message = load.geonames_path + ": " + e.message;
    return Fail(std::move(e));
  }
  const json detail = {{"file", out.source.file},
                       {"sha256", out.source.sha256},
                       {"places", out.source.places},
                       {"rejected", out.report.rejected_count}};
  if (auto a = Audit(ctx, caller, "gazetteer-load", {out.source.file}, detail.dump()); !a) {
    return Fail(a.error());
  }
  return out;
}

const ParamSchema<PlaceSearchParams>& PlaceSearchParams::Schema() {
  static const auto kSchema =
      ParamSchema<PlaceSearchParams>()
          .Text("q", &PlaceSearchParams::q,
                "a place name in English, Urdu or Chinese (traditional or simplified); empty "
                "lists the most populous places",
                200)
          .Example("کوئٹہ")
          .Integer("limit", &PlaceSearchParams::limit, "most places returned", 1, 500)
          .Default(10);
  return kSchema;
}

Result<json> SearchPlaces(const Context& ctx, const Caller& caller, const PlaceSearchParams& p) {
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  store::GazetteerSource source;
  auto index = Index(ctx, &source);
  if (!index) return Fail(index.error());
  json items = json::array();
  const auto limit = static_cast<std::size_t>(p.limit);
  if (Trim(p.q).empty()) {
    std::vector<const gazetteer::Place*> all;
    for (const auto& place : (*index)->places()) all.push_back(&place);
    std::stable_sort(all.begin(), all.end(),
                     [](const auto* a, const auto* b) { return a->population > b->population; });
    for (std::size_t i = 0; i < all.size() && i < limit; ++i) items.push_back(PlaceJson(*all[i]));
  } else {
    for (const auto& m : (*index)->Search(p.q, limit)) {
      json item = PlaceJson(*m.place);
      item["matched"] = m.matched;
      items.push_back(std::move(item));
    }
  }
  return json{{"items", items},
              {"attribution", kAttribution},
              {"source",
               {{"file", source.file},
                {"sha256", source.sha256},
                {"loaded", source.loaded},
                {"countries", source.countries},
                {"places", source.places}}}};
}

}  // namespace corridor::service
