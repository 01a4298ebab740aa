// The risk indices on the real data, each checked against an independent
// computation: the country index from OWID's GTD aggregates and the
// vulnerability index against Python scripts (csv module, written
// differently), the province/district index against a plain loop over the
// store's incidents and a count over the raw UCDP file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "corridor/api/api.h"
#include "corridor/ingest/csv_reader.h"
#include "corridor/risk/impact.h"
#include "corridor/risk/organisations.h"
#include "corridor/risk/report.h"
#include "corridor/risk/vulnerability.h"
#include "corridor/store/store.h"
#include "testing/api_harness.h"
#include "testing/real_store.h"
#include "testing/testing.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// One store with the OCHA boundaries and the UCDP events for the whole binary.
class Env : public ::testing::Environment {
 public:
  void SetUp() override {
    dir_ = std::make_unique<testing::TempDir>();
    db_ = (dir_->path() / "risk.db").string();
    auto loaded = testing::LoadRealStore(db_);
    ASSERT_TRUE(loaded) << loaded.error().message;
    store_ = std::move(*loaded);
    setenv("CORRIDOR_DATA_DIR", testing::SharedPath("data").c_str(), 1);
  }
  void TearDown() override {
    store_.reset();
    dir_.reset();
  }
  static std::string UcdpPath() {
    return testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv").string();
  }
  store::Store& store() { return *store_; }
  const std::string& db() const { return db_; }
  const fs::path& dir() const { return dir_->path(); }
  static Env* instance;

 private:
  std::unique_ptr<testing::TempDir> dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
};
Env* Env::instance = nullptr;

std::string Corridor() { return (testing::BuildDir() / "corridor").string(); }

std::string OwidPath() {
  return testing::SharedPath("data/owid-gtd-country-year/Global Terrorism Database.csv").string();
}

// Parses CSV text into rows of fields.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::istringstream in(text);
  ingest::CsvReader reader(in, "output");
  ingest::CsvRecord record;
  std::vector<std::vector<std::string>> rows;
  while (true) {
    auto next = reader.Next(record);
    EXPECT_TRUE(next);
    if (!next || !*next) break;
    rows.push_back(record.fields);
  }
  return rows;
}

// An independent computation of the GTI formula over the OWID file, written
// from the issue's text: w = sum_k 2^(4-k) A_{t-k} / 31 (k = 0 is year t).
constexpr const char* kOwidScript = R"PY(
import csv, math, sys
path, year = sys.argv[1], int(sys.argv[2])
not_countries = {"World", "International", "North America", "South America",
    "Central America & Caribbean", "Western Europe", "Eastern Europe",
    "Middle East & North Africa", "Sub-Saharan Africa", "South Asia", "Central Asia",
    "East Asia", "Southeast Asia", "Australasia & Oceania"}
yearly = {}
with open(path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        name = row["entity"]
        if name in not_countries:
            continue
        per_year = yearly.setdefault(name, {})
        y = int(row["year"])
        per_year[y] = per_year.get(y, 0.0) + (float(row["terrorist_incidents"] or 0)
            + 3 * float(row["terrorism_fatalities"] or 0)
            + 0.5 * float(row["terrorism_injuries"] or 0))
w = {}
for name, per_year in yearly.items():
    w[name] = sum(2 ** (4 - k) * per_year.get(year - k, 0.0) for k in range(5)) / 31
top = max(w.values())
for name in sorted(w):
    score = 10 * math.log(1 + w[name]) / math.log(1 + top) if top > 0 else 0.0
    rank = 1 + len([v for v in w.values() if v > w[name]])
    print("%s\t%r\t%r\t%d" % (name, w[name], score, rank))
)PY";

struct Expected {
  double w, score;
  int rank;
};

std::map<std::string, Expected> RunPython(const std::string& script_name, const char* script,
                                          const std::string& args) {
  const fs::path script_path = Env::instance->dir() / script_name;
  testing::WriteFile(script_path, script);
  const auto result = testing::RunCommand("python3 " + Quote(script_path.string()) + " " + args);
  EXPECT_EQ(result.status, 0) << result.err;
  std::map<std::string, Expected> out;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string name, w, score, rank;
    std::getline(fields, name, '\t');
    std::getline(fields, w, '\t');
    std::getline(fields, score, '\t');
    std::getline(fields, rank, '\t');
    out[name] = {std::stod(w), std::stod(score), std::stoi(rank)};
  }
  return out;
}

TEST(CountryIndexTest, MatchesAnIndependentComputationForEveryCountry) {
  for (const int year : {2001, 2014, 2019}) {
    SCOPED_TRACE(year);
    const auto want =
        RunPython("owid.py", kOwidScript, Quote(OwidPath()) + " " + std::to_string(year));
    ASSERT_GT(want.size(), 190u);
    const auto run = testing::RunCommand(Corridor() + " risk index --level country --year " +
                                         std::to_string(year) + " --format csv --from-aggregates " +
                                         Quote(OwidPath()));
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_NE(run.err.find("no hostages"), std::string::npos);
    const auto rows = ParseCsv(run.out);
    ASSERT_EQ(rows[0], (std::vector<std::string>{"name", "year", "w", "score", "rank"}));
    ASSERT_EQ(rows.size() - 1, want.size());
    int last_rank = 0;
    for (std::size_t k = 1; k < rows.size(); ++k) {
      const auto& r = rows[k];
      SCOPED_TRACE(r[0]);
      ASSERT_TRUE(want.contains(r[0]));
      const auto& e = want.at(r[0]);
      EXPECT_EQ(r[1], std::to_string(year));
      EXPECT_NEAR(std::stod(r[2]), e.w, 1e-9 * std::max(1.0, e.w));
      EXPECT_NEAR(std::stod(r[3]), e.score, 1e-9);
      EXPECT_EQ(std::stoi(r[4]), e.rank);
      EXPECT_GE(std::stoi(r[4]), last_rank);  // ordered by rank
      last_rank = std::stoi(r[4]);
    }
    EXPECT_FALSE(want.contains("World"));
    EXPECT_FALSE(want.contains("South Asia"));
    EXPECT_TRUE(want.contains("West Germany"));  // historical states are countries
    EXPECT_TRUE(want.contains("Czechoslovakia"));
  }
}

TEST(CountryIndexTest, PakistanRanksAsDocumented) {
  // The figures docs/methods.md sets beside the published GTI editions.
  auto data = risk::ReadOwidAggregates(OwidPath());
  ASSERT_TRUE(data) << data.error().message;
  const std::map<int, std::pair<int, double>> documented = {
      {2014, {4, 8.847}}, {2015, {5, 8.662}}, {2016, {6, 8.316}}, {2017, {6, 8.324}},
      {2018, {7, 8.168}}, {2019, {7, 7.795}}, {2020, {9, 7.408}}};
  for (const auto& [year, want] : documented) {
    const auto rows = risk::CountryIndex(*data, year, risk::Gti2022Weights());
    const auto it = std::find_if(rows.begin(), rows.end(),
                                 [](const risk::IndexRow& r) { return r.name == "Pakistan"; });
    ASSERT_NE(it, rows.end());
    EXPECT_EQ(it->rank, want.first) << year;
    EXPECT_NEAR(it->score, want.second, 5e-4) << year;
  }
}

// A plain recomputation over the store's incidents (not through the columns).
std::map<std::string, double> IndependentW(risk::AreaLevel level, Date as_of,
                                           const std::set<int>& types) {
  std::map<std::string, std::map<int, double>> per_year;
  model::IncidentFilter filter;
  filter.dataset = "ucdp-ged";
  auto ok = Env::instance->store().ForEachIncident(
      store::SystemViewer(), filter, [&](const model::Incident& i) {
        if (i.date_start > as_of || !types.contains(i.violence_type)) return true;
        const std::string& area = level == risk::AreaLevel::kProvince ? i.admin1 : i.admin2;
        if (area.empty()) return true;
        per_year[area][i.date_start.year()] += 1.0 + 3.0 * i.killed.value_or(0);
        return true;
      });
  EXPECT_TRUE(ok);
  std::map<std::string, double> w;
  const int t = as_of.year();
  for (const auto& [area, years] : per_year) {
    double sum = 0;
    for (int k = 0; k <= 4; ++k) {
      auto it = years.find(t - k);
      if (it != years.end()) sum += std::pow(2.0, 4 - k) * it->second;
    }
    w[area] = sum / 31.0;
  }
  return w;
}

TEST(AreaIndexTest, ProvincesAndDistrictsMatchAnIndependentRecomputation) {
  struct Case {
    risk::AreaLevel level;
    const char* as_of;  // "" = default (latest)
    std::set<int> types;
    std::size_t areas;
  };
  const Case cases[] = {
      {risk::AreaLevel::kProvince, "", {1, 2, 3}, 7},
      {risk::AreaLevel::kDistrict, "", {1, 2, 3}, 160},
      {risk::AreaLevel::kDistrict, "2014-06-30", {1, 2, 3}, 160},
      {risk::AreaLevel::kDistrict, "2009-12-31", {3}, 160},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(risk::AreaLevelName(c.level)) + " " + c.as_of);
    risk::AreaIndexOptions o;
    o.level = c.level;
    o.violence_types.assign(c.types.begin(), c.types.end());
    if (*c.as_of) o.as_of = Date::ParseIso(c.as_of);
    auto r = risk::ComputeAreaIndexFromStore(Env::instance->store(), "ucdp-ged", o);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->label, "organised-violence impact (UCDP)");
    ASSERT_EQ(r->rows.size(), c.areas);
    if (!*c.as_of) {
      EXPECT_EQ(r->data_through.iso(), "2019-12-19");  // the last UCDP event
    }
    const auto want = IndependentW(c.level, r->data_through, c.types);
    double max_w = 0;
    for (const auto& [area, w] : want) max_w = std::max(max_w, w);
    ASSERT_GT(max_w, 0);
    for (const auto& row : r->rows) {
      const double w = want.contains(row.code) ? want.at(row.code) : 0.0;
      EXPECT_NEAR(row.w, w, 1e-9 * std::max(1.0, w)) << row.code;
      EXPECT_NEAR(row.score, 10 * std::log1p(w) / std::log1p(max_w), 1e-9) << row.code;
      int larger = 0;
      for (const auto& [area, other] : want) larger += other > w ? 1 : 0;
      EXPECT_EQ(row.rank, 1 + larger) << row.code;
    }
  }
}

// Counts the raw UCDP rows in the five-year window by type (csv module).
constexpr const char* kUcdpCountScript = R"PY(
import csv, sys
from datetime import datetime
path, first, last = sys.argv[1], sys.argv[2], sys.argv[3]
first, last = datetime.strptime(first, "%Y-%m-%d"), datetime.strptime(last, "%Y-%m-%d")
n = 0
with open(path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        start = datetime.strptime(row["date_start"][:10], "%m/%d/%Y")  # UCDP: MM/DD/YYYY
        if first <= start <= last and row["type_of_violence"] in ("1", "2", "3"):
            n += 1
print("count\t%d\t0\t0" % n)
)PY";

TEST(AreaIndexTest, CountsEveryRawEventOfTheWindow) {
  risk::AreaIndexOptions o;
  o.level = risk::AreaLevel::kProvince;
  auto r = risk::ComputeAreaIndexFromStore(Env::instance->store(), "ucdp-ged", o);
  ASSERT_TRUE(r);
  const auto want = RunPython("ucdp_count.py", kUcdpCountScript,
                              Quote(Env::UcdpPath()) + " 2015-01-01 2019-12-19");
  ASSERT_TRUE(want.contains("count"));
  EXPECT_EQ(r->incidents_counted, static_cast<std::int64_t>(want.at("count").w));
  EXPECT_EQ(r->incidents_counted, 697);
  EXPECT_EQ(r->incidents_unassigned, 1);  // country-level rows have no province
}

TEST(AreaIndexCliTest, FormatsSayDataThroughAndLabel) {
  const std::string base = Corridor() + " --db " + Quote(Env::instance->db()) + " risk index";
  auto table = testing::RunCommand(base + " --level district");
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("organised-violence impact (UCDP) by district, 2019, data through "
                           "2019-12-19"),
            std::string::npos)
      << table.out.substr(0, 300);
  auto csv = testing::RunCommand(base + " --level district --format csv --violence-types 1,2");
  ASSERT_EQ(csv.status, 0) << csv.err;
  const auto rows = ParseCsv(csv.out);
  ASSERT_EQ(rows.size(), 161u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"pcode", "name", "year", "a_t", "w", "score", "rank",
                                               "data_through", "label"}));
  const auto want = IndependentW(risk::AreaLevel::kDistrict, *Date::ParseIso("2019-12-19"), {1, 2});
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const double w = want.contains(rows[k][0]) ? want.at(rows[k][0]) : 0.0;
    EXPECT_NEAR(std::stod(rows[k][4]), w, 1e-9 * std::max(1.0, w)) << rows[k][0];
    EXPECT_EQ(rows[k][7], "2019-12-19");
  }
  auto js = testing::RunCommand(base + " --level province --format json --as-of 2014-12-31");
  ASSERT_EQ(js.status, 0) << js.err;
  const auto body = json::parse(js.out);
  EXPECT_EQ(body["data_through"], "2014-12-31");
  EXPECT_EQ(body["label"], "organised-violence impact (UCDP)");
  EXPECT_EQ(body["year"], 2014);
  EXPECT_EQ(body["rows"].size(), 7u);
  EXPECT_EQ(body["rows"][0]["pcode"], "PK5");  // Khyber Pakhtunkhwa
  // Usage errors name the flag.
  auto bad = testing::RunCommand(base + " --level district --violence-types 4");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("violence-types"), std::string::npos);
  auto other = testing::RunCommand(base + " --level district --dataset gtd");
  EXPECT_EQ(other.status, 1);
  EXPECT_NE(other.err.find("no incident of dataset gtd"), std::string::npos);
}

// The whole vulnerability pipeline written again in Python from
// docs/methods.md, over the Data4Pakistan file, for the reference year.
constexpr const char* kVulnerabilityScript = R"PY(
import csv, json, math, sys
data_path, config_path = sys.argv[1], sys.argv[2]
config = json.load(open(config_path))
year = str(config["reference_year"])
def fold(s):
    return " ".join(s.split())
with open(data_path, newline="", encoding="cp1252") as f:
    reader = csv.reader(f)
    header = [fold(h) for h in next(reader)]
    rows = [r for r in reader if r[header.index("Year")] == year]
keys = [r[0].strip() + "|" + r[1].strip() for r in rows]
scores = {}  # indicator -> list of score or None
for ind in config["indicators"]:
    col = header.index(fold(ind["column"]))
    raw = [float(r[col]) if r[col].strip() not in ("", "NA") else None for r in rows]
    if ind["direction"] == "higher-is-better":
        raw = [None if v is None else -v for v in raw]
    present = [v for v in raw if v is not None]
    if ind.get("log"):
        low = min(present)
        raw = [None if v is None else math.log(1 + v - low) for v in raw]
        present = [v for v in raw if v is not None]
    low, high = min(present), max(present)
    scores[ind["short_name"]] = [None if v is None else 10 * (v - low) / (high - low) for v in raw]
for d, key in enumerate(keys):
    dims = []
    for dim in config["dimensions"]:
        vals = [scores[i["short_name"]][d] for i in config["indicators"] if i["dimension"] == dim]
        vals = [v for v in vals if v is not None]
        dims.append(sum(vals) / len(vals) if vals else None)
    if any(v is None for v in dims):
        continue
    index = 0.0 if min(dims) == 0 else math.exp(sum(math.log(v) for v in dims) / len(dims))
    print("%s\t%r\t0\t0" % (key, index))
)PY";

TEST(VulnerabilityTest, RealDataMatchesAnIndependentComputation) {
  const auto indicators =
      testing::SharedPath("data/data4pakistan-district-indicators/pakistan_indicators.csv");
  const auto want =
      RunPython("vulnerability.py", kVulnerabilityScript,
                Quote(indicators.string()) + " " +
                    Quote(testing::TestPath("../config/vulnerability.json").string()));
  ASSERT_EQ(want.size(), 116u);  // Data4Pakistan districts with an index in 2014
  auto result = risk::ComputeVulnerabilityFromFiles(indicators.string(), "", "", std::nullopt);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->config.reference_year, 2014);
  EXPECT_TRUE(result->scores.dropped_indicators.empty());
  int with_index = 0;
  for (const auto& a : result->areas) {
    if (!a.index) continue;
    ++with_index;
    ASSERT_TRUE(want.contains(a.source_district)) << a.pcode;
    EXPECT_NEAR(*a.index, want.at(a.source_district).w, 1e-9) << a.pcode;
  }
  // 116 districts; Karachi's six, Chitral's two and Kohistan's three parts, and Duki,
  // Chaman and Shaheed Sikandarabad inheriting from their parent districts: 127 areas.
  EXPECT_EQ(with_index, 127);
  EXPECT_EQ(result->areas.size(), 160u);

  // Hand-checked: Lahore (PK617) and a split district inheriting Karachi City.
  std::map<std::string, const risk::AreaVulnerability*> by_pcode;
  for (const auto& a : result->areas) by_pcode[a.pcode] = &a;
  ASSERT_TRUE(by_pcode.at("PK617")->index);
  EXPECT_EQ(by_pcode.at("PK617")->source_district, "Punjab|Lahore");
  EXPECT_NEAR(*by_pcode.at("PK617")->index, want.at("Punjab|Lahore").w, 1e-9);
  EXPECT_LT(*by_pcode.at("PK617")->index, 2.0);  // among the least vulnerable
  EXPECT_EQ(by_pcode.at("PK729")->source_district, "Sindh|Karachi City");
  EXPECT_EQ(by_pcode.at("PK729")->relation, risk::CrosswalkRelation::kSplit);
  EXPECT_EQ(*by_pcode.at("PK729")->index, *by_pcode.at("PK702")->index);
  // Missing is reported, never a zero: Kech has no 2014 row values; the former
  // FATA agencies have none at all.
  EXPECT_FALSE(by_pcode.at("PK211")->index);
  EXPECT_NE(by_pcode.at("PK211")->no_index_reason.find("Kech"), std::string::npos);
  EXPECT_FALSE(by_pcode.at("PK525")->index);  // North Waziristan
  EXPECT_EQ(by_pcode.at("PK525")->missing_dimensions.size(), 4u);
  EXPECT_EQ(result->d4p_without_area, std::vector<std::string>{"Jammu & Kashmir|Jammu & Kashmir"});
}

TEST(VulnerabilityTest, CrosswalkCoversEveryOchaAreaAndDataForPakistanDistrict) {
  auto crosswalk = risk::ParseCrosswalk(risk::BuiltinDistrictCrosswalk(), "builtin");
  ASSERT_TRUE(crosswalk) << crosswalk.error().message;
  std::set<std::string> pcodes, d4p;
  for (const auto& r : *crosswalk) {
    pcodes.insert(r.pcode);
    d4p.insert(r.d4p_key);
  }
  // Every OCHA 2022 ADM2 P-code, with its name.
  std::ifstream ocha(testing::SharedPath(
      "data/ocha-cod-ab-pakistan-2022/pak_adminboundaries_tabulardata_Admin2.derived.csv"));
  ingest::CsvReader reader(ocha, "ocha");
  ingest::CsvRecord rec;
  ASSERT_TRUE(*reader.Next(rec));
  const auto pcode_col =
      std::find(rec.fields.begin(), rec.fields.end(), "admin2Pcode") - rec.fields.begin();
  const auto name_col =
      std::find(rec.fields.begin(), rec.fields.end(), "admin2Name_en") - rec.fields.begin();
  std::set<std::string> ocha_pcodes;
  std::map<std::string, std::string> ocha_names;
  while (*reader.Next(rec)) {
    ocha_pcodes.insert(rec.fields[pcode_col]);
    ocha_names[rec.fields[pcode_col]] = rec.fields[name_col];
  }
  EXPECT_EQ(ocha_pcodes.size(), 160u);
  EXPECT_EQ(pcodes, ocha_pcodes);
  for (const auto& r : *crosswalk) EXPECT_EQ(r.ocha_district, ocha_names[r.pcode]) << r.pcode;
  // Every Data4Pakistan district but one, which is listed.
  std::ifstream d4p_file(
      testing::SharedPath("data/data4pakistan-district-indicators/pakistan_indicators.csv"));
  ingest::CsvReader d4p_reader(d4p_file, "d4p");
  ASSERT_TRUE(*d4p_reader.Next(rec));
  std::set<std::string> missing;
  int districts = 0;
  std::set<std::string> seen;
  while (*d4p_reader.Next(rec)) {
    const std::string key = rec.fields[0] + "|" + rec.fields[1];
    if (!seen.insert(key).second) continue;
    ++districts;
    if (!d4p.contains(key)) missing.insert(key);
  }
  EXPECT_EQ(districts, 134);
  EXPECT_EQ(missing, std::set<std::string>{"Jammu & Kashmir|Jammu & Kashmir"});
}

// Spearman with average ranks, written again.
constexpr const char* kSpearmanScript = R"PY(
import json, sys
v = json.load(open(sys.argv[1]))
imp = json.load(open(sys.argv[2]))
w = {r["pcode"]: r["w"] for r in imp["rows"]}
pairs = [(a["index"], w[a["pcode"]]) for a in v["areas"] if a["index"] is not None and a["pcode"] in w]
def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    r = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r
rx, ry = ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs])
n = len(pairs)
mx, my = sum(rx) / n, sum(ry) / n
sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
sxx = sum((a - mx) ** 2 for a in rx)
syy = sum((b - my) ** 2 for b in ry)
print("rho\t%r\t0\t%d" % (sxy / (sxx * syy) ** 0.5, n))
)PY";

TEST(VulnerabilityTest, CliReportsSpearmanWithTheDistrictImpactIndex) {
  const std::string base = Corridor() + " --db " + Quote(Env::instance->db()) + " risk ";
  auto v = testing::RunCommand(base + "vulnerability --format json");
  ASSERT_EQ(v.status, 0) << v.err;
  auto body = json::parse(v.out);
  EXPECT_EQ(body["areas"].size(), 160u);
  EXPECT_EQ(body["without_index"].size(), 33u);
  EXPECT_NE(body["note"].get<std::string>().find("never multiplies"), std::string::npos);
  const auto& corr = body["correlation_with_impact"];
  ASSERT_TRUE(corr.is_object());
  EXPECT_EQ(corr["n"], 127);
  EXPECT_EQ(corr["impact_data_through"], "2019-12-19");
  auto impact = testing::RunCommand(base + "index --level district --format json");
  ASSERT_EQ(impact.status, 0) << impact.err;
  testing::WriteFile(Env::instance->dir() / "v.json", v.out);
  testing::WriteFile(Env::instance->dir() / "i.json", impact.out);
  const auto want = RunPython("spearman.py", kSpearmanScript,
                              Quote((Env::instance->dir() / "v.json").string()) + " " +
                                  Quote((Env::instance->dir() / "i.json").string()));
  ASSERT_TRUE(want.contains("rho"));
  EXPECT_EQ(want.at("rho").rank, 127);
  EXPECT_NEAR(corr["rho"].get<double>(), want.at("rho").w, 1e-12);

  auto table = testing::RunCommand(base + "vulnerability");
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("127 of 160 OCHA 2022 districts have an index"), std::string::npos);
  EXPECT_NE(table.out.find("Spearman rho"), std::string::npos);
  auto csv = testing::RunCommand(base + "vulnerability --format csv");
  ASSERT_EQ(csv.status, 0);
  const auto rows = ParseCsv(csv.out);
  ASSERT_EQ(rows.size(), 161u);
  EXPECT_EQ(rows[0][0], "pcode");
  EXPECT_EQ(rows[0][5], "index");
  auto bad_year = testing::RunCommand(base + "vulnerability --year 2015");
  EXPECT_NE(bad_year.status, 0);
  EXPECT_NE(bad_year.err.find("no row for year 2015"), std::string::npos);
}

const api::Route& FindRoute(const api::Api& a, const std::string& path) {
  for (const auto& r : a.routes()) {
    if (r.path == path) return r;
  }
  throw std::runtime_error("no route " + path);
}

TEST(RiskApiTest, IndexAndVulnerabilityRoutes) {
  testing::TempDir dir;
  auto harness = testing::ApiHarness::Create(Env::instance->store(), dir.path() / "keys");
  ASSERT_TRUE(harness) << harness.error().message;
  const api::Api& a = (*harness)->api();
  const auto& index = FindRoute(a, "/api/v1/risk/index");
  api::Request req = (*harness)->Authorised();
  req.query = {{"level", "district"},
               {"as_of", "2019-12-31"},
               {"violence_types", "1,2,3"},
               {"dataset", "ucdp-ged"}};
  auto res = index.handler(req);
  ASSERT_EQ(res.status, 200) << res.body;
  auto body = json::parse(res.body);
  EXPECT_EQ(body["data_through"], "2019-12-31");
  EXPECT_EQ(body["label"], "organised-violence impact (UCDP)");
  ASSERT_EQ(body["rows"].size(), 160u);
  const auto want =
      IndependentW(risk::AreaLevel::kDistrict, *Date::ParseIso("2019-12-31"), {1, 2, 3});
  for (const auto& row : body["rows"]) {
    const std::string code = row["pcode"];
    const double w = want.contains(code) ? want.at(code) : 0.0;
    EXPECT_NEAR(row["w"].get<double>(), w, 1e-9 * std::max(1.0, w)) << code;
  }
  for (const auto& bad : std::vector<std::pair<std::string, std::string>>{{"level", "country"},
                                                                          {"as_of", "2019-13-01"},
                                                                          {"violence_types", "5"},
                                                                          {"colour", "red"}}) {
    req.query = {bad};
    res = index.handler(req);
    EXPECT_EQ(res.status, 400) << bad.first;
    EXPECT_NE(res.body.find(bad.first), std::string::npos) << res.body;
  }
  const auto& vuln = FindRoute(a, "/api/v1/risk/vulnerability");
  req.query = {{"year", "2014"}};
  res = vuln.handler(req);
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 300);
  body = json::parse(res.body);
  EXPECT_EQ(body["reference_year"], 2014);
  EXPECT_EQ(body["areas"].size(), 160u);
  EXPECT_EQ(body["correlation_with_impact"]["n"], 127);
  req.query = {{"year", "20x4"}};
  EXPECT_EQ(vuln.handler(req).status, 400);
  // The OpenAPI document lists the routes' parameters.
  const auto& params = a.openapi()["paths"]["/api/v1/risk/index"]["get"]["parameters"];
  std::set<std::string> names;
  for (const auto& p : params) names.insert(p["name"]);
  EXPECT_EQ(names, (std::set<std::string>{"level", "as_of", "violence_types", "dataset"}));
}

// Issue 17 item 12: every side UCDP names in the real file is classified, and
// each organisation's incidents and deaths equal a count over the raw file
// (CSV fields, not the adapter or the tally).
TEST(ArmedOrganisationsTest, RankingAndPageMatchACountOverTheRawFile) {
  auto table = risk::ActorTable::Builtin();
  ASSERT_TRUE(table) << table.error().message;
  std::ifstream file(Env::UcdpPath(), std::ios::binary);
  ingest::CsvReader reader(file, Env::UcdpPath());
  ingest::CsvRecord record;
  ASSERT_TRUE(reader.Next(record));
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < record.fields.size(); ++i) column[record.fields[i]] = i;
  struct Want {
    std::int64_t incidents = 0, deaths = 0;
  };
  std::map<std::string, Want> all, bla_since_2010;
  std::set<std::string> unclassified;
  std::int64_t rows = 0;
  while (true) {
    auto next = reader.Next(record);
    ASSERT_TRUE(next);
    if (!*next) break;
    ++rows;
    std::set<std::string> ids;
    for (const char* side : {"side_a", "side_b"}) {
      const std::string name = record.fields[column.at(side)];
      auto c = (*table)->Classify("ucdp-ged", name);
      if (!c) unclassified.insert(name);
      if (c && c->organisation != nullptr) ids.insert(c->organisation->id);
    }
    const std::int64_t best = std::stoll(record.fields[column.at("best_est")]);
    // "MM/DD/YYYY 00:00:00" in this export.
    const std::string us = record.fields[column.at("date_start")];
    ASSERT_GE(us.size(), 10u) << us;
    const std::string date = us.substr(6, 4) + "-" + us.substr(0, 2) + "-" + us.substr(3, 2);
    for (const auto& id : ids) {
      all[id].incidents += 1;
      all[id].deaths += best;
      if (id == "bla" && date >= "2010-01-01") {
        bla_since_2010[id].incidents += 1;
        bla_since_2010[id].deaths += best;
      }
    }
  }
  EXPECT_TRUE(unclassified.empty())
      << "classify these in config/actor_names.tsv: " << *unclassified.begin();

  testing::TempDir dir;
  auto harness = testing::ApiHarness::Create(Env::instance->store(), dir.path() / "keys",
                                             model::Role::kAnalyst);
  ASSERT_TRUE(harness) << harness.error().message;
  const api::Api& a = (*harness)->api();
  api::Request req = (*harness)->Authorised();
  auto res = FindRoute(a, "/api/v1/armed-organisations").handler(req);
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 300);
  auto body = json::parse(res.body);
  EXPECT_EQ(body["incidents"], rows);
  EXPECT_TRUE(body["unclassified_names"].empty()) << body["unclassified_names"].dump();
  EXPECT_NE(body["attribution"].get<std::string>().find("CC BY 4.0"), std::string::npos);
  ASSERT_EQ(body["items"].size(), all.size());
  std::int64_t previous = rows;
  for (const auto& item : body["items"]) {
    const std::string id = item["id"];
    ASSERT_TRUE(all.count(id)) << id;
    EXPECT_EQ(item["incidents"], all[id].incidents) << id;
    EXPECT_EQ(item["deaths"], all[id].deaths) << id;
    EXPECT_EQ(item["as_perpetrator"].get<std::int64_t>() + item["as_party"].get<std::int64_t>(),
              all[id].incidents)
        << id;
    EXPECT_LE(item["incidents"].get<std::int64_t>(), previous) << "ranked by incidents";
    previous = item["incidents"];
  }
  EXPECT_EQ(body["items"][0]["id"], "ttp");
  // Searching in Urdu and Chinese finds the same organisation.
  for (const char* q : {"تحریک طالبان", "巴基斯坦塔利班", "Pakistani Taliban"}) {
    req.query = {{"q", q}};
    res = FindRoute(a, "/api/v1/armed-organisations").handler(req);
    ASSERT_EQ(res.status, 200) << res.body;
    body = json::parse(res.body);
    ASSERT_GE(body["items"].size(), 1u) << q;
    EXPECT_EQ(body["items"][0]["id"], "ttp") << q;
  }
  req.query = {{"dataset", "ucdp"}};
  EXPECT_EQ(FindRoute(a, "/api/v1/armed-organisations").handler(req).status, 400);

  // One organisation's page: a window, its parts adding up, an assessment citing it.
  const auto& page = FindRoute(a, "/api/v1/armed-organisations/{organisation}");
  req.query = {{"from", "2010-01-01"}};
  req.path_params = {{"organisation", "bla"}};
  res = page.handler(req);
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 300);
  body = json::parse(res.body);
  EXPECT_EQ(body["totals"]["incidents"], bla_since_2010["bla"].incidents);
  EXPECT_EQ(body["totals"]["deaths_best"], bla_since_2010["bla"].deaths);
  for (const char* part : {"by_year", "provinces", "categories"}) {
    std::int64_t incidents = 0;
    for (const auto& t : body[part]) incidents += t["incidents"].get<std::int64_t>();
    EXPECT_EQ(incidents, bla_since_2010["bla"].incidents) << part;
  }
  EXPECT_GE(body["by_year"][0]["key"].get<std::string>(), "2010");
  EXPECT_EQ(body["districts"][0]["name"], "Quetta");
  ASSERT_EQ(body["latest"].size(), 10u);
  EXPECT_TRUE(body["assessments"].empty());

  model::Assessment amber;
  amber.id = Uuid::V4();
  amber.title = "BLA activity around Quetta";
  amber.incidents = {*Uuid::Parse(body["latest"][0]["id"].get<std::string>())};
  amber.marking.tlp = model::Tlp::kAmber;
  amber.marking.author_org = "PK-TEST";
  amber.created = amber.modified = "2026-12-06T00:00:00Z";
  amber.version = 1;
  ASSERT_TRUE(Env::instance->store().PutAssessment(amber));
  auto before = Env::instance->store().ListAudit({});
  ASSERT_TRUE(before);
  res = page.handler(req);
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 300);
  body = json::parse(res.body);
  ASSERT_EQ(body["assessments"].size(), 1u);
  EXPECT_EQ(body["assessments"][0]["id"], amber.id.str());
  EXPECT_EQ(body["assessments"][0]["marking"], "TLP:AMBER");
  auto after = Env::instance->store().ListAudit({});
  ASSERT_TRUE(after);
  bool read = false;
  for (std::size_t k = before->size(); k < after->size(); ++k) {
    const auto& e = (*after)[k];
    read = read || (e.action == "read" && std::find(e.objects.begin(), e.objects.end(),
                                                    amber.id.str()) != e.objects.end());
  }
  EXPECT_TRUE(read) << "the AMBER assessment was shown without an audited read";

  // The incident filter: the same incidents, counted by the store (SQL over the
  // names' search keys) rather than by the tally.
  const auto& stats = FindRoute(a, "/api/v1/stats");
  for (const char* id : {"bla", "ttp", "lashkar-e-jhangvi"}) {
    req.path_params.clear();
    req.query = {{"by", "dataset"}, {"organisation", id}};
    res = stats.handler(req);
    ASSERT_EQ(res.status, 200) << res.body.substr(0, 300);
    std::int64_t counted = 0;
    for (const auto& row : json::parse(res.body)) counted += row["count"].get<std::int64_t>();
    EXPECT_EQ(counted, all[id].incidents) << id;
  }
  req.query = {{"by", "dataset"}, {"organisation", "mohajir"}};
  res = stats.handler(req);
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_NE(res.body.find("organisation"), std::string::npos) << res.body;

  // A state, a group or an unknown id has no page.
  req.query.clear();
  for (const char* id : {"government-of-pakistan", "mohajir", "nope"}) {
    req.path_params = {{"organisation", id}};
    EXPECT_EQ(page.handler(req).status, 404) << id;
  }

  // The CLI runs the same service call (as the operator: CLEAR only, so no assessment).
  const std::string cli = Corridor() + " --db " + Quote(Env::instance->db());
  auto js = testing::RunCommand(cli + " --json armed-organisations bla --from 2010-01-01");
  ASSERT_EQ(js.status, 0) << js.err;
  const auto cli_body = json::parse(js.out);
  EXPECT_EQ(cli_body["totals"], body["totals"]);
  EXPECT_EQ(cli_body["by_year"], body["by_year"]);
  auto text = testing::RunCommand(cli + " armed-organisations --query 俾路支");
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("Baloch Liberation Army (BLA)"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.find("Tehrik-i-Taliban"), std::string::npos) << text.out;
  auto unknown = testing::RunCommand(cli + " armed-organisations mohajir");
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("no armed organisation 'mohajir'"), std::string::npos) << unknown.err;
}
}  // namespace
}  // namespace corridor

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  corridor::Env::instance = new corridor::Env();
  ::testing::AddGlobalTestEnvironment(corridor::Env::instance);
  return RUN_ALL_TESTS();
}
