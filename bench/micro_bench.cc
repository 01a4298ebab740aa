// Micro-benchmarks of the import's hot parts on the real UCDP file: CSV
// parsing, adapter conversion, district assignment. Reported as bytes/s and
// items/s; the comparison with the peer (sqlite3 .import) is in run.sh.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/jobs.h"
#include "corridor/geo/area_index.h"
#include "corridor/geo/vector_io.h"
#include "corridor/ingest/csv_reader.h"
#include "corridor/ingest/ingest.h"

namespace corridor {
namespace {

std::string SharedData() {
  const char* env = std::getenv("CORRIDOR_DATA");
  return env != nullptr ? env : CORRIDOR_SOURCE_DIR "/../shared/data";
}

const std::string& UcdpBytes() {
  static const std::string bytes = [] {
    std::ifstream in(SharedData() + "/ucdp-ged-pakistan/pakistan.csv", std::ios::binary);
    if (!in) throw std::runtime_error("UCDP file missing under " + SharedData());
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }();
  return bytes;
}

void BM_CsvRead(benchmark::State& state) {
  const std::string& bytes = UcdpBytes();
  std::int64_t records = 0;
  for (auto _ : state) {
    std::istringstream in(bytes);
    ingest::CsvReader reader(in, "pakistan.csv");
    ingest::CsvRecord record;
    while (true) {
      auto r = reader.Next(record);
      if (!r || !*r) break;
      ++records;
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
  state.SetItemsProcessed(records);
}
BENCHMARK(BM_CsvRead)->Unit(benchmark::kMillisecond);

void BM_UcdpConvert(benchmark::State& state) {
  const std::string& bytes = UcdpBytes();
  std::istringstream in(bytes);
  ingest::CsvReader reader(in, "pakistan.csv");
  std::vector<ingest::CsvRecord> records;
  ingest::CsvRecord record;
  while (true) {
    auto r = reader.Next(record);
    if (!r || !*r) break;
    records.push_back(record);
  }
  auto adapter = ingest::MakeAdapter(ingest::Format::kUcdpGed, records.front().fields);
  if (!adapter) throw std::runtime_error(adapter.error().message);
  for (auto _ : state) {
    for (std::size_t i = 1; i < records.size(); ++i) {
      benchmark::DoNotOptimize((*adapter)->Convert(records[i]));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records.size() - 1));
}
BENCHMARK(BM_UcdpConvert)->Unit(benchmark::kMillisecond);

void BM_AssignDistricts(benchmark::State& state) {
  static const geo::AreaIndex index = [] {
    std::vector<model::Area> areas;
    for (int level = 1; level <= 2; ++level) {
      auto a = geo::ReadAreas(SharedData() + "/ocha-cod-ab-pakistan-2022/pak_admbnda_adm" +
                                  std::to_string(level) + "_wfp_20220909.shp",
                              level);
      if (!a) throw std::runtime_error(a.error().message);
      areas.insert(areas.end(), a->begin(), a->end());
    }
    return std::move(*geo::AreaIndex::Build(areas));
  }();
  // A grid of points over Pakistan's extent (in and out of the country).
  std::vector<std::pair<double, double>> points;
  for (double lat = 23.5; lat < 37.1; lat += 0.1) {
    for (double lon = 60.8; lon < 77.9; lon += 0.1) points.emplace_back(lat, lon);
  }
  for (auto _ : state) {
    for (const auto& [lat, lon] : points) benchmark::DoNotOptimize(index.Locate(2, lat, lon));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(points.size()));
}
BENCHMARK(BM_AssignDistricts)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace corridor

BENCHMARK_MAIN();
