// The committee's "public perception" view (service/perception.h).
#include "corridor/service/perception.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/release/release.h"
#include "corridor/risk/report.h"
#include "corridor/risk/vulnerability.h"
#include "corridor/service/incidents.h"
#include "corridor/store/releases.h"

namespace corridor::service {
namespace {

using nlohmann::json;

struct Month {
  int year = 0, month = 0;
  static std::optional<Month> Parse(std::string_view s) {
    if (!release::IsMonth(s)) return std::nullopt;
    return Month{std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(5, 2)))};
  }
  int Index() const { return year * 12 + (month - 1); }
  // (Indices are never negative: months before 1970 are refused.)
  static Month FromIndex(int i) { return Month{i / 12, i % 12 + 1}; }
  std::string Text() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
  }
  Date First() const { return *Date::FromYmd(year, month, 1); }
  Date Last() const { return Date(FromIndex(Index() + 1).First().days() - 1); }
};

// This month in Asia/Karachi (UTC+5, no daylight saving).
Month ThisMonth() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours(5);
  const auto days = std::chrono::floor<std::chrono::days>(now).time_since_epoch().count();
  const Date d(static_cast<std::int32_t>(days));
  return Month{d.year(), d.month()};
}

Result<void> SetDistricts(PerceptionParams& p, std::string_view text) {
  p.districts.clear();
  for (const auto& part : Split(text, ',')) {
    const std::string code(Trim(part));
    if (code.empty()) continue;
    if (std::find(p.districts.begin(), p.districts.end(), code) == p.districts.end()) {
      p.districts.push_back(code);
    }
  }
  return {};
}

Result<void> CheckDistricts(const PerceptionParams& p) {
  if (p.districts.size() > static_cast<std::size_t>(kPerceptionMaxDistricts)) {
    return Fail(ErrorCode::kInvalidArgument,
                "district: at most " + std::to_string(kPerceptionMaxDistricts) +
                    " districts, got " + std::to_string(p.districts.size()));
  }
  const auto& known = release::Districts();
  for (const auto& d : p.districts) {
    if (std::find(known.begin(), known.end(), d) == known.end()) {
      return Fail(ErrorCode::kInvalidArgument, "district: '" + d +
                                                   "' is not a district P-code of the release "
                                                   "(config/district_crosswalk.csv)");
    }
  }
  return {};
}

constexpr int kFirstYear = 1970;

Result<void> CheckMonth(const char* name, const std::string& value) {
  if (value.empty()) return {};
  if (release::IsMonth(value) && Month::Parse(value)->year >= kFirstYear) return {};
  return Fail(
      ErrorCode::kInvalidArgument,
      std::string(name) + ": expected a month YYYY-MM from 1970, got '" + Excerpt(value, 16) + "'");
}

json CountJson(const PublishedCount& c) {
  if (c.count) return *c.count;
  return {{"suppressed", true}, {"reason", c.reason}};
}

json CountsJson(const std::vector<PublishedCount>& v) {
  json out = json::array();
  for (const auto& c : v) out.push_back(CountJson(c));
  return out;
}

// The incidents the caller may read, per month and district, through the
// same use case as /api/v1/stats?by=admin2 (one query per month).
Result<std::map<std::string, std::vector<std::int64_t>>> IncidentsByDistrict(const Context& ctx,
                                                                             const Caller& caller,
                                                                             int first,
                                                                             int months) {
  std::map<std::string, std::vector<std::int64_t>> out;
  for (int i = 0; i < months; ++i) {
    const Month m = Month::FromIndex(first + i);
    StatsParams p;
    p.by = "admin2";
    p.filter.from = m.First();
    p.filter.to = m.Last();
    auto counts = CountIncidentsBy(ctx, caller, p);
    if (!counts) return Fail(counts.error());
    for (const auto& kc : *counts) {
      if (kc.key.empty()) continue;
      auto& row = out[kc.key];
      row.resize(static_cast<std::size_t>(months), 0);
      row[static_cast<std::size_t>(i)] = kc.count;
    }
  }
  return out;
}

}  // namespace

const ParamSchema<PerceptionParams>& PerceptionParams::Schema() {
  static const auto kSchema =
      ParamSchema<PerceptionParams>()
          .Text("from", &PerceptionParams::from,
                "First month, YYYY-MM in Asia/Karachi (default: twelve months in all, ending with "
                "`to`)",
                7)
          .Text("to", &PerceptionParams::to,
                "Last month, YYYY-MM (default: the release's last month)", 7)
          .Custom("district",
                  "District P-codes, comma-separated, at most 40 (default: every district the "
                  "release counts something for)",
                  {{"type", "string"}}, std::size_t{40} * 12, SetDistricts, CheckDistricts)
          .Text("release", &PerceptionParams::release,
                "A release's id (SHA-256 hex; default: the last one received)", 64);
  return kSchema;
}

Result<void> PerceptionParams::Validate() const {
  if (auto ok = Schema().Check(*this); !ok) return ok;
  if (auto ok = CheckMonth("from", from); !ok) return ok;
  if (auto ok = CheckMonth("to", to); !ok) return ok;
  if (!from.empty() && !to.empty()) {
    const int span = Month::Parse(to)->Index() - Month::Parse(from)->Index() + 1;
    if (span < 1) return Fail(ErrorCode::kInvalidArgument, "from: after to");
    if (span > kPerceptionMaxMonths) {
      return Fail(ErrorCode::kInvalidArgument, "to: at most " +
                                                   std::to_string(kPerceptionMaxMonths) +
                                                   " months, got " + std::to_string(span));
    }
  }
  return CheckDistricts(*this);
}

Result<IngestedRelease> IngestPublicRelease(const Context& ctx, const Caller& caller,
                                            std::string_view bytes, std::string_view signature,
                                            const std::vector<std::string>& trusted) {
  if (auto ok = Require(caller, auth::Action::kManageAccounts); !ok) return Fail(ok.error());
  // The signature over the exact bytes first: nothing unsigned is parsed further.
  const json sig = json::parse(signature, nullptr, false);
  if (auto ok = release::VerifyDetached(bytes, sig, trusted); !ok) {
    return Fail(ErrorCode::kPermissionDenied, ok.error().message);
  }
  const json doc = json::parse(bytes, nullptr, false);
  if (doc.is_discarded()) return Fail(ErrorCode::kInvalidArgument, "not JSON");
  if (auto ok = release::CheckRelease(doc); !ok) return Fail(ok.error());
  store::PublicRelease r;
  r.id = Sha256Hex(bytes);
  r.generated_at = doc.value("generated_at", "");
  r.received_at = NowTimestamp();
  r.signed_by = sig["public_key"].get<std::string>();
  for (const std::string part : {"cells", "totals"}) {
    for (const auto& row : doc[part]) {
      store::ReleaseCount c;
      c.kind = row["kind"].get<std::string>();
      c.district = row["district"].get<std::string>();
      c.month = row["month"].get<std::string>();
      c.topic = row.value("topic", "*");
      c.channel = row.value("channel", "*");
      if (row["count"].is_number_integer()) {
        c.count = row["count"].get<std::int64_t>();
      } else {
        c.reason = row["reason"].get<std::string>();
      }
      if (part == "cells") {
        ++r.cells;
        if (!c.count) ++r.suppressed;
      }
      r.counts.push_back(std::move(c));
    }
  }
  auto releases = store::NewPublicReleaseStore();
  auto added = store::InWriteTransaction(
      ctx.store.database(), [&](store::Transaction& tx) { return releases->Add(tx, r); });
  if (!added) return Fail(added.error());
  const json detail = {{"release", r.id},
                       {"signed_by", r.signed_by},
                       {"cells", r.cells},
                       {"suppressed", r.suppressed},
                       {"generated_at", r.generated_at},
                       {"new", *added}};
  if (auto a = Audit(ctx, caller, "public-release-ingested", {r.id}, detail.dump()); !a) {
    return Fail(a.error());
  }
  return IngestedRelease{r.id, *added, r.cells, r.suppressed};
}

Result<Perception> PublicPerception(const Context& ctx, const Caller& caller,
                                    const PerceptionParams& p) {
  if (auto ok = Require(caller, auth::Action::kReadCommittee); !ok) return Fail(ok.error());
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());

  // The release: the one asked for, or the last received.
  auto releases = store::NewPublicReleaseStore();
  Perception out;
  std::vector<store::ReleaseCount> counts;
  {
    auto tx = ctx.store.database().BeginRead();
    if (!tx) return Fail(tx.error());
    std::string id = p.release;
    if (id.empty()) {
      auto ids = releases->Ids(**tx);
      if (!ids) return Fail(ids.error());
      if (!ids->empty()) id = ids->back();
    }
    if (!id.empty()) {
      auto head = releases->Head(**tx, id);
      if (!head) return Fail(head.error());
      if (!*head) return Fail(ErrorCode::kNotFound, "release: no release " + id);
      out.release_id = (*head)->id;
      out.generated_at = (*head)->generated_at;
      out.received_at = (*head)->received_at;
      out.signed_by = (*head)->signed_by;
      out.release_cells = (*head)->cells;
      out.release_suppressed = (*head)->suppressed;
    }
    // The months: asked, or twelve up to the release's last (or this) month.
    Month to = ThisMonth();
    if (!p.to.empty()) {
      to = *Month::Parse(p.to);
    } else if (!out.release_id.empty()) {
      auto last = releases->LastMonth(**tx, out.release_id);
      if (!last) return Fail(last.error());
      if (*last) to = *Month::Parse(**last);
    }
    // (A release's months passed CheckRelease; still, nothing before 1970.)
    if (to.year < kFirstYear) return Fail(ErrorCode::kInvalidArgument, "to: before 1970");
    const Month from = p.from.empty() ? Month::FromIndex(std::max(kFirstYear * 12, to.Index() - 11))
                                      : *Month::Parse(p.from);
    if (to.Index() < from.Index()) return Fail(ErrorCode::kInvalidArgument, "from: after to");
    if (to.Index() - from.Index() + 1 > kPerceptionMaxMonths) {
      return Fail(ErrorCode::kInvalidArgument,
                  "from: at most " + std::to_string(kPerceptionMaxMonths) + " months before to");
    }
    for (int i = from.Index(); i <= to.Index(); ++i)
      out.months.push_back(Month::FromIndex(i).Text());
    if (!out.release_id.empty()) {
      store::ReleaseCountQuery q;
      q.from_month = out.months.front();
      q.to_month = out.months.back();
      q.districts = p.districts;
      q.channel = "*";  // the release's totals over channel: per topic, and over topic too
      auto got = releases->Counts(**tx, out.release_id, q);
      if (!got) return Fail(got.error());
      counts = std::move(*got);
    }
  }
  out.topics = release::Topics();
  const auto month_count = out.months.size();
  const int first = Month::Parse(out.months.front())->Index();  // a valid month (>= 1970)

  // Districts: asked (each once, in the order given), or every one the
  // release counts something for.
  std::vector<std::string> districts;
  for (const auto& d : p.districts) {
    if (std::find(districts.begin(), districts.end(), d) == districts.end()) districts.push_back(d);
  }
  if (districts.empty()) {
    std::set<std::string> seen;
    for (const auto& c : counts) {
      if (c.count.value_or(1) != 0) seen.insert(c.district);
    }
    districts.assign(seen.begin(), seen.end());
  }

  auto incidents = IncidentsByDistrict(ctx, caller, first, static_cast<int>(month_count));
  if (!incidents) return Fail(incidents.error());

  // Names from the crosswalk; vulnerability when the Data4Pakistan files are here.
  std::map<std::string, std::pair<std::string, std::string>> names;
  if (auto rows = risk::ParseCrosswalk(risk::BuiltinDistrictCrosswalk(), "district_crosswalk.csv");
      rows) {
    for (const auto& r : *rows)
      names.emplace(r.pcode, std::make_pair(r.ocha_district, r.ocha_province));
  }
  std::map<std::string, double> vulnerability;
  auto v = risk::ComputeVulnerabilityFromFiles(
      risk::DefaultDataDir() + "/data4pakistan-district-indicators/pakistan_indicators.csv", "", "",
      std::nullopt);
  if (v) {
    out.vulnerability_year = v->config.reference_year;
    for (const auto& a : v->areas) {
      if (a.index) vulnerability[a.pcode] = *a.index;
    }
  } else {
    // (The reason stays in the server: it may name a file path.)
    out.vulnerability_note =
        "structural vulnerability is not available on this instance (Data4Pakistan district "
        "indicators absent or unreadable)";
  }

  const PublishedCount zero{0, ""};
  std::map<std::string, std::size_t> at;
  for (const auto& d : districts) {
    PerceptionDistrict row;
    row.pcode = d;
    if (auto it = names.find(d); it != names.end()) {
      row.name = it->second.first;
      row.province = it->second.second;
    }
    if (auto it = vulnerability.find(d); it != vulnerability.end()) row.vulnerability = it->second;
    row.incidents.assign(month_count, 0);
    if (auto it = incidents->find(d); it != incidents->end()) row.incidents = it->second;
    row.grievances.assign(month_count, zero);
    row.consultations.assign(month_count, zero);
    for (const auto& t : out.topics)
      row.topics.push_back({t, std::vector<PublishedCount>(month_count, zero)});
    at[d] = out.districts.size();
    out.districts.push_back(std::move(row));
  }
  for (const auto& c : counts) {
    auto it = at.find(c.district);
    if (it == at.end()) continue;
    auto& row = out.districts[it->second];
    const auto m = Month::Parse(c.month);
    if (!m) continue;
    const auto i = static_cast<std::size_t>(m->Index() - first);
    if (i >= month_count) continue;
    const PublishedCount value{c.count, c.reason};
    if (c.topic == "*") {
      (c.kind == "grievance" ? row.grievances : row.consultations)[i] = value;
    } else if (c.kind == "grievance") {
      for (auto& t : row.topics) {
        if (t.topic == c.topic) t.months[i] = value;
      }
    }
  }
  return out;
}

nlohmann::json ToJson(const Perception& p) {
  json districts = json::array();
  for (const auto& d : p.districts) {
    json topics = json::array();
    for (const auto& t : d.topics)
      topics.push_back({{"topic", t.topic}, {"months", CountsJson(t.months)}});
    districts.push_back(
        {{"district", d.pcode},
         {"name", d.name},
         {"province", d.province},
         {"vulnerability", d.vulnerability ? json(*d.vulnerability) : json(nullptr)},
         {"incidents", d.incidents},
         {"grievances", CountsJson(d.grievances)},
         {"consultations", CountsJson(d.consultations)},
         {"topics", topics}});
  }
  json release = nullptr;
  if (!p.release_id.empty()) {
    release = {{"id", p.release_id},           {"generated_at", p.generated_at},
               {"received_at", p.received_at}, {"signed_by", p.signed_by},
               {"cells", p.release_cells},     {"suppressed", p.release_suppressed}};
  }
  json out = {
      {"release", release},
      {"months", p.months},
      {"topics", p.topics},
      {"threshold", release::kThreshold},
      {"vulnerability_year", p.vulnerability_year ? json(p.vulnerability_year) : json(nullptr)},
      {"districts", districts}};
  if (!p.vulnerability_note.empty()) out["vulnerability_note"] = p.vulnerability_note;
  return out;
}

}  // namespace corridor::service
