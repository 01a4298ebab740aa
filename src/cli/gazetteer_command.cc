#include "cli/gazetteer_command.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "cli/caller.h"
#include "cli/output.h"
#include "corridor/service/gazetteer.h"

namespace corridor::cli {
namespace {

using nlohmann::json;

struct LoadFlags {
  std::string file, curated;
  std::vector<std::string> countries{"PK"};
};

struct SearchFlags {
  std::string query;
  int limit = 10;
};

}  // namespace

void AddGazetteerCommands(CLI::App& app, const std::string& db, const bool& json_out, int& status) {
  auto* gazetteer = app.add_subcommand(
      "gazetteer", "The places of the map and of place search (GeoNames, docs/places.md)");
  gazetteer->require_subcommand(1);
  auto lf = std::make_shared<LoadFlags>();
  auto* load = gazetteer->add_subcommand(
      "load",
      "Read GeoNames' cities1000.txt (scripts/geonames.sh fetches it into build/geonames/) into "
      "the store, with the curated Urdu and Chinese names and OCHA P-codes (replaces the places)");
  load->add_option("FILE", lf->file, "GeoNames cities1000.txt")->required();
  load->add_option("--country", lf->countries,
                   "ISO country codes to keep (repeatable; default PK)");
  load->add_option("--curated", lf->curated,
                   "Curated names, geonameid/name/ur/zh/source TSV (default: config/places.tsv "
                   "as built in)");
  load->callback([&db, &json_out, &status, lf] {
    service::GazetteerLoad request;
    request.geonames_path = lf->file;
    request.countries = std::set<std::string>(lf->countries.begin(), lf->countries.end());
    request.curated_path = lf->curated;
    status = AsCaller(db, /*create=*/true, "gazetteer load",
                      [&](const service::Context& ctx, const service::Caller& c) {
                        std::cerr << "reading " << lf->file << " ...\n";
                        auto loaded = service::LoadGazetteer(ctx, c, request);
                        if (!loaded) return ReportError(loaded.error());
                        const auto& r = loaded->report;
                        for (const auto& line : r.rejected)
                          std::cerr << "rejected: " << line << "\n";
                        if (json_out) {
                          std::cout << json{{"file", loaded->source.file},
                                            {"sha256", loaded->source.sha256},
                                            {"countries", loaded->source.countries},
                                            {"places", loaded->source.places},
                                            {"with_ur", loaded->with_ur},
                                            {"with_zh", loaded->with_zh},
                                            {"with_admin2", loaded->with_admin2},
                                            {"lines", r.lines},
                                            {"rejected", r.rejected_count},
                                            {"rejected_lines", r.rejected}}
                                           .dump()
                                    << "\n";
                        } else {
                          std::cout << "loaded " << loaded->source.places << " places of "
                                    << loaded->source.countries << " (" << r.lines
                                    << " lines read, " << r.rejected_count
                                    << " rejected): " << loaded->with_ur << " with an Urdu name, "
                                    << loaded->with_zh << " with a Chinese name, "
                                    << loaded->with_admin2 << " in an OCHA district\n"
                                    << "GeoNames (geonames.org), CC BY 3.0\n";
                        }
                        return kExitOk;
                      });
  });

  auto sf = std::make_shared<SearchFlags>();
  auto* places = app.add_subcommand(
      "places",
      "Find a place by its name in English, Urdu or Chinese (same result as GET /api/v1/places)");
  places->add_option("QUERY", sf->query, "A name (empty: the most populous places)");
  places->add_option("--limit", sf->limit, "Most places shown (1..500, default 10)");
  places->callback([&db, &json_out, &status, sf] {
    service::PlaceSearchParams p;
    if (auto ok = service::PlaceSearchParams::Schema().ParseInto(
            p, {{"q", sf->query}, {"limit", std::to_string(sf->limit)}});
        !ok) {
      status = ReportError(ok.error());
      return;
    }
    status = AsCaller(
        db, /*create=*/false, "places", [&](const service::Context& ctx, const service::Caller& c) {
          auto found = service::SearchPlaces(ctx, c, p);
          if (!found) return ReportError(found.error());
          if (json_out) {
            std::cout << found->dump() << "\n";
            return kExitOk;
          }
          std::vector<std::vector<std::string>> rows = {
              {"name", "ur", "zh", "lat", "lon", "population", "district"}};
          for (const auto& i : (*found)["items"]) {
            rows.push_back({i["name"].get<std::string>(), i["names"]["ur"].get<std::string>(),
                            i["names"]["zh"].get<std::string>(), json(i["lat"]).dump(),
                            json(i["lon"]).dump(),
                            std::to_string(i["population"].get<std::int64_t>()),
                            i["admin2"].get<std::string>()});
          }
          if (rows.size() == 1) {
            std::cout << "no place matches\n";
          } else {
            WriteTable(std::cout, rows);
          }
          std::cout << (*found)["attribution"].get<std::string>() << "\n";
          return kExitOk;
        });
  });
}

}  // namespace corridor::cli
