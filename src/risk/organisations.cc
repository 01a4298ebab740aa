#include "corridor/risk/organisations.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "corridor/common/search_key.h"
#include "corridor/common/strings.h"

namespace corridor::risk {
namespace {

constexpr std::array<std::pair<ActorKind, std::string_view>, 7> kKinds = {{
    {ActorKind::kOrganisation, "organisation"},
    {ActorKind::kState, "state"},
    {ActorKind::kEthnicOrCommunal, "ethnic-or-communal"},
    {ActorKind::kPoliticalParty, "political-party"},
    {ActorKind::kPerson, "person"},
    {ActorKind::kCivilians, "civilians"},
    {ActorKind::kUnidentified, "unidentified"},
}};

constexpr std::array<std::string_view, 6> kSources = {"*",     "ucdp-ged", "gtd",
                                                      "acled", "manual",   "stix"};

constexpr std::size_t kMaxNameBytes = 200;

bool IsId(std::string_view id) {
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// The non-comment lines of a TSV file after its header, each with its
// 1-based line number, split on tabs; kInvalidArgument "FILE:LINE: ..." when
// a line has another field count or a field is not UTF-8 of at most 200 bytes.
Result<std::vector<std::pair<int, std::vector<std::string>>>> Rows(
    std::string_view text, const std::string& name, const std::vector<std::string>& header) {
  std::istringstream in{std::string(text)};
  std::vector<std::pair<int, std::vector<std::string>>> out;
  std::string line;
  int number = 0;
  bool seen_header = false;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const std::string where = name + ":" + std::to_string(number) + ": ";
    auto fields = Split(line, '\t');
    if (fields.size() != header.size()) {
      std::string names;
      for (const auto& h : header) names += (names.empty() ? "" : ", ") + h;
      return Fail(ErrorCode::kInvalidArgument, where + "expected " + std::to_string(header.size()) +
                                                   " tab-separated fields (" + names + ")");
    }
    if (!seen_header) {
      if (fields != header) {
        return Fail(ErrorCode::kInvalidArgument, where + "expected the header line first");
      }
      seen_header = true;
      continue;
    }
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (!IsValidUtf8(fields[i]) || fields[i].size() > kMaxNameBytes) {
        return Fail(ErrorCode::kInvalidArgument,
                    where + header[i] + ": UTF-8 of at most 200 bytes expected");
      }
    }
    out.emplace_back(number, std::move(fields));
  }
  if (!seen_header) return Fail(ErrorCode::kInvalidArgument, name + ": no header line");
  return out;
}

std::string NameKey(std::string_view name) { return SearchKey(Trim(name)); }

void Bump(std::map<std::string, Tally>& m, const std::string& key, std::int64_t deaths) {
  Tally& t = m[key];
  t.key = key;
  ++t.incidents;
  t.deaths += deaths;
}

// Most incidents first, then most deaths, then key.
std::vector<Tally> Ranked(const std::map<std::string, Tally>& m) {
  std::vector<Tally> out;
  out.reserve(m.size());
  for (const auto& [key, t] : m) out.push_back(t);
  std::stable_sort(out.begin(), out.end(), [](const Tally& a, const Tally& b) {
    if (a.incidents != b.incidents) return a.incidents > b.incidents;
    return a.deaths > b.deaths;
  });
  return out;
}

}  // namespace

std::string_view ActorKindName(ActorKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "unidentified";
}

Result<ActorTable> ActorTable::Parse(std::string_view organisations_tsv,
                                     const std::string& organisations_name,
                                     std::string_view names_tsv, const std::string& names_name) {
  ActorTable table;
  auto orgs =
      Rows(organisations_tsv, organisations_name, {"id", "en", "ur", "zh", "parent", "aliases"});
  if (!orgs) return Fail(orgs.error());
  std::map<std::string, int, std::less<>> index;
  for (const auto& [number, f] : *orgs) {
    const std::string where = organisations_name + ":" + std::to_string(number) + ": ";
    if (!IsId(f[0])) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "id: lower-case letters, digits and '-' expected");
    }
    if (index.count(f[0]) != 0) {
      return Fail(ErrorCode::kInvalidArgument, where + "id " + f[0] + " appears twice");
    }
    if (Trim(f[1]).empty()) return Fail(ErrorCode::kInvalidArgument, where + "en: required");
    if (!f[2].empty() && ScriptOf(f[2]) != NameScript::kArabic) {
      return Fail(ErrorCode::kInvalidArgument, where + "ur: not in Arabic script");
    }
    if (!f[3].empty() &&
        (ScriptOf(f[3]) != NameScript::kHan || ToSimplifiedChinese(f[3]) != f[3])) {
      return Fail(ErrorCode::kInvalidArgument, where + "zh: not in simplified Chinese characters");
    }
    ArmedOrganisation o{f[0], f[1], f[2], f[3], f[4], {}, {}};
    for (auto& alias : Split(f[5], '|')) {
      if (!Trim(alias).empty()) o.aliases.emplace_back(Trim(alias));
    }
    index[o.id] = static_cast<int>(table.organisations_.size());
    table.organisations_.push_back(std::move(o));
  }
  for (std::size_t i = 0; i < table.organisations_.size(); ++i) {
    const auto& parent = table.organisations_[i].parent;
    if (!parent.empty() && (index.count(parent) == 0 || parent == table.organisations_[i].id)) {
      return Fail(ErrorCode::kInvalidArgument, organisations_name + ": " +
                                                   table.organisations_[i].id + ": parent " +
                                                   parent + " is not another listed organisation");
    }
  }

  auto names = Rows(names_tsv, names_name, {"source", "name", "kind", "organisation"});
  if (!names) return Fail(names.error());
  for (const auto& [number, f] : *names) {
    const std::string where = names_name + ":" + std::to_string(number) + ": ";
    if (std::find(kSources.begin(), kSources.end(), f[0]) == kSources.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "source: one of *, ucdp-ged, gtd, acled, manual, stix expected");
    }
    const std::string key = NameKey(f[1]);
    if (key.empty()) return Fail(ErrorCode::kInvalidArgument, where + "name: required");
    const auto kind =
        std::find_if(kKinds.begin(), kKinds.end(), [&](const auto& k) { return k.second == f[2]; });
    if (kind == kKinds.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where +
                      "kind: one of organisation, state, ethnic-or-communal, "
                      "political-party, person, civilians, unidentified expected");
    }
    int org = -1;
    if (kind->first == ActorKind::kOrganisation) {
      auto it = index.find(f[3]);
      if (it == index.end()) {
        return Fail(ErrorCode::kInvalidArgument,
                    where + "organisation: '" + f[3] + "' is not listed in " + organisations_name);
      }
      org = it->second;
      table.organisations_[static_cast<std::size_t>(org)].source_names.push_back(
          f[0] + ": " + std::string(Trim(f[1])));
    } else if (!f[3].empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "organisation: only a name of kind organisation names one");
    }
    if (!table.names_.emplace(std::make_pair(f[0], key), std::make_pair(kind->first, org)).second) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "'" + f[1] + "' of " + f[0] + " is classified twice");
    }
  }
  return table;
}

Result<const ActorTable*> ActorTable::Builtin() {
  static const Result<ActorTable> kTable =
      Parse(BuiltinArmedOrganisations(), "config/armed_organisations.tsv", BuiltinActorNames(),
            "config/actor_names.tsv");
  if (!kTable) return Fail(kTable.error());
  return &*kTable;
}

std::optional<ActorTable::Class> ActorTable::Classify(std::string_view dataset,
                                                      std::string_view name) const {
  const std::string key = NameKey(name);
  if (key.empty()) return std::nullopt;
  auto it = names_.find({std::string(dataset), key});
  if (it == names_.end()) it = names_.find({"*", key});
  if (it == names_.end()) return std::nullopt;
  Class c;
  c.kind = it->second.first;
  if (it->second.second >= 0) {
    c.organisation = &organisations_[static_cast<std::size_t>(it->second.second)];
  }
  return c;
}

std::vector<std::pair<std::string, std::string>> ActorTable::NameKeys(
    const ArmedOrganisation& organisation) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, what] : names_) {
    if (what.second >= 0 &&
        &organisations_[static_cast<std::size_t>(what.second)] == &organisation) {
      out.push_back(name);
    }
  }
  return out;
}

const ArmedOrganisation* ActorTable::Find(std::string_view id) const {
  for (const auto& o : organisations_) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

bool ActorTable::Matches(const ArmedOrganisation& o, std::string_view query) {
  const std::string q = SearchKey(query);
  if (q.empty()) return true;
  auto has = [&](std::string_view name) { return SearchKey(name).find(q) != std::string::npos; };
  if (has(o.id) || has(o.en) || has(o.ur) || has(o.zh)) return true;
  return std::any_of(o.aliases.begin(), o.aliases.end(), has) ||
         std::any_of(o.source_names.begin(), o.source_names.end(), has);
}

std::vector<const ArmedOrganisation*> OrganisationTally::Add(const model::Incident& incident) {
  ++added_;
  std::vector<const ArmedOrganisation*> counted;
  // Each side once: its kind, its organisation, and whether the source
  // attributes the act to it.
  struct Side {
    const ArmedOrganisation* organisation;
    ActorKind kind;
    bool perpetrator;
  };
  std::vector<Side> sides;
  auto add = [&](const std::string& name, bool perpetrator) {
    auto c = table_.Classify(incident.provenance.dataset, name);
    if (!c) {
      if (!Trim(name).empty()) unclassified_.insert(std::string(Trim(name)));
      return;
    }
    for (Side& s : sides) {
      if (s.kind == c->kind && s.organisation == c->organisation) {
        s.perpetrator = s.perpetrator || perpetrator;
        return;
      }
    }
    sides.push_back(Side{c->organisation, c->kind, perpetrator});
  };
  for (const auto& name : incident.perpetrators) add(name, true);
  for (const auto& name : incident.parties) add(name, false);

  std::set<ActorKind> kinds;
  for (const Side& s : sides) kinds.insert(s.kind);
  for (ActorKind k : kinds) ++kinds_[k];

  const std::int64_t deaths = incident.killed.value_or(0);
  for (const Side& s : sides) {
    if (s.organisation == nullptr) continue;
    counted.push_back(s.organisation);
    Acc& acc = by_id_[s.organisation->id];
    OrganisationProfile& p = acc.p;
    p.organisation = s.organisation;
    ++p.incidents;
    ++(s.perpetrator ? p.as_perpetrator : p.as_party);
    p.deaths_best += deaths;
    p.deaths_low += incident.killed_low.value_or(incident.killed.value_or(0));
    p.deaths_high += incident.killed_high.value_or(incident.killed.value_or(0));
    p.wounded += incident.wounded.value_or(0);
    if (!incident.killed) ++p.without_deaths;
    if (!p.first || incident.date_start < *p.first) p.first = incident.date_start;
    if (!p.last || *p.last < incident.date_start) p.last = incident.date_start;
    p.incident_ids.push_back(incident.id.str());
    const int year = incident.date_start.year();
    Tally& y = acc.years[year];
    y.key = std::to_string(year);
    ++y.incidents;
    y.deaths += deaths;
    Bump(acc.provinces, incident.admin1, deaths);
    Bump(acc.districts, incident.admin2, deaths);
    Bump(acc.categories, std::string(model::CategoryName(incident.category)), deaths);
    for (const auto& t : incident.target_types) Bump(acc.target_types, t, deaths);
    Bump(acc.precision, std::string(model::LocationPrecisionName(incident.location_precision)),
         deaths);
    std::set<std::string> others, other_kinds;
    for (const Side& o : sides) {
      if (&o == &s) continue;
      if (o.organisation != nullptr) {
        others.insert(o.organisation->id);
      } else {
        other_kinds.insert(std::string(ActorKindName(o.kind)));
      }
    }
    for (const auto& id : others) Bump(acc.counterparts, id, deaths);
    for (const auto& kind : other_kinds) Bump(acc.counterpart_kinds, kind, deaths);
  }
  return counted;
}

OrganisationProfile OrganisationTally::Finish(const Acc& acc) const {
  OrganisationProfile p = acc.p;
  if (!acc.years.empty()) {
    const int first = acc.years.begin()->first, last = acc.years.rbegin()->first;
    for (int year = first; year <= last; ++year) {
      auto it = acc.years.find(year);
      p.by_year.push_back(it != acc.years.end() ? it->second : Tally{std::to_string(year), 0, 0});
    }
  }
  p.provinces = Ranked(acc.provinces);
  p.districts = Ranked(acc.districts);
  p.categories = Ranked(acc.categories);
  p.target_types = Ranked(acc.target_types);
  p.precision = Ranked(acc.precision);
  p.counterparts = Ranked(acc.counterparts);
  p.counterpart_kinds = Ranked(acc.counterpart_kinds);
  return p;
}

std::vector<OrganisationProfile> OrganisationTally::Profiles() const {
  std::vector<OrganisationProfile> out;
  out.reserve(by_id_.size());
  for (const auto& [id, acc] : by_id_) out.push_back(Finish(acc));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.incidents != b.incidents) return a.incidents > b.incidents;
    return a.deaths_best > b.deaths_best;
  });
  return out;
}

OrganisationProfile OrganisationTally::Profile(const ArmedOrganisation& organisation) const {
  auto it = by_id_.find(organisation.id);
  if (it != by_id_.end()) return Finish(it->second);
  OrganisationProfile p;
  p.organisation = &organisation;
  return p;
}

}  // namespace corridor::risk
