// Armed organisations and what the sources say they did (issue 17 item 12,
// docs/organisations.md): who attacks the corridor.
//
// A source names the sides of an event (UCDP's side_a/side_b, GTD's gname,
// ACLED's actors); those names stay on the incident as provenance. Two curated
// tables (config/) turn names into organisations:
//   armed_organisations.tsv  the organisations that get a page, a filter and a
//                            ranking, with names in English, Urdu and Chinese;
//   actor_names.tsv          each source name, classified: an organisation (which
//                            one) or a kind that never gets a page (a state, an
//                            ethnic, tribal, religious or linguistic group, a
//                            political party, a named person, civilians, an
//                            unidentified collective; DESIGN.md's first line).
// A name neither table lists counts for nothing until it is classified.
//
// The profiles are computed from one dataset's incidents at a time (sources
// are never mixed in one figure until cross-source de-duplication exists).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/result.h"
#include "corridor/model/incident.h"

namespace corridor::risk {

enum class ActorKind {
  kOrganisation,
  kState,
  kEthnicOrCommunal,
  kPoliticalParty,
  kPerson,
  kCivilians,
  kUnidentified,
};
// "organisation", "state", "ethnic-or-communal", "political-party", "person",
// "civilians", "unidentified".
std::string_view ActorKindName(ActorKind kind);

struct ArmedOrganisation {
  std::string id;          // "ttp"
  std::string en, ur, zh;  // ur, zh: "" until curated
  std::string parent;      // the id of the organisation a faction split from, or ""
  std::vector<std::string> aliases;
  std::vector<std::string> source_names;  // "ucdp-ged: TTP", from actor_names.tsv
};

class ActorTable {
 public:
  // Parses the two tables. kInvalidArgument naming the file and line of the
  // first bad row: a wrong field count, a malformed or repeated id, an unknown
  // kind, an organisation row without a listed organisation (or another kind
  // with one), a parent that is not listed, a name classified twice, Urdu not
  // in Arabic script or Chinese not in Han characters.
  static Result<ActorTable> Parse(std::string_view organisations_tsv,
                                  const std::string& organisations_name, std::string_view names_tsv,
                                  const std::string& names_name);
  // config/armed_organisations.tsv and config/actor_names.tsv as built in.
  static Result<const ActorTable*> Builtin();

  struct Class {
    ActorKind kind = ActorKind::kUnidentified;
    const ArmedOrganisation* organisation = nullptr;  // for kOrganisation
  };
  // How `dataset` names `name` (ignoring case and surrounding spaces; rows
  // for source "*" apply to every dataset); nullopt when it is not listed.
  std::optional<Class> Classify(std::string_view dataset, std::string_view name) const;

  // The names the table classifies as `organisation`, as (dataset or "*",
  // SearchKey of the name): what an incident filter compares.
  std::vector<std::pair<std::string, std::string>> NameKeys(
      const ArmedOrganisation& organisation) const;
  const std::vector<ArmedOrganisation>& organisations() const { return organisations_; }
  const ArmedOrganisation* Find(std::string_view id) const;
  // True when `query` is part of any of the organisation's names, aliases or
  // source names (ignoring ASCII case).
  static bool Matches(const ArmedOrganisation& organisation, std::string_view query);

 private:
  std::vector<ArmedOrganisation> organisations_;
  // (dataset or "*", normalised name) -> (kind, index into organisations_ or -1)
  std::map<std::pair<std::string, std::string>, std::pair<ActorKind, int>> names_;
};

// An incident count and the deaths (best estimates) of a group of them.
struct Tally {
  std::string key;
  std::int64_t incidents = 0;
  std::int64_t deaths = 0;
  friend bool operator==(const Tally&, const Tally&) = default;
};

struct OrganisationProfile {
  const ArmedOrganisation* organisation = nullptr;
  std::int64_t incidents = 0;
  std::int64_t as_perpetrator = 0;  // the source attributes the act to it
  std::int64_t as_party = 0;        // a side of a clash only
  std::int64_t deaths_low = 0, deaths_best = 0, deaths_high = 0, wounded = 0;
  std::int64_t without_deaths = 0;          // incidents without a best estimate
  std::optional<Date> first, last;          // date_start of the earliest and latest
  std::vector<Tally> by_year;               // ascending, years with none included
  std::vector<Tally> provinces, districts;  // by incidents; key "" = not known
  std::vector<Tally> categories, target_types;
  std::vector<Tally> precision;           // location precision names
  std::vector<Tally> counterparts;        // other organisations (ids) in its incidents
  std::vector<Tally> counterpart_kinds;   // the other sides' kinds, never their names
  std::vector<std::string> incident_ids;  // every incident counted
};

// The two tables' text as built in.
std::string_view BuiltinArmedOrganisations();
std::string_view BuiltinActorNames();

// Adds up what one dataset's incidents say of every listed organisation.
class OrganisationTally {
 public:
  explicit OrganisationTally(const ActorTable& table) : table_(table) {}
  // Counts `incident` once for each organisation among its parties and
  // perpetrators (a name listed twice, or two names of one organisation,
  // count once). Returns the organisations it counted for.
  std::vector<const ArmedOrganisation*> Add(const model::Incident& incident);
  // Organisations with at least one incident, most incidents first (then
  // most deaths, then id).
  std::vector<OrganisationProfile> Profiles() const;
  // The profile of one organisation (zero counts when it has none).
  OrganisationProfile Profile(const ArmedOrganisation& organisation) const;
  // Source names of the incidents added that no table row classifies.
  const std::set<std::string>& unclassified() const { return unclassified_; }
  // Incidents with at least one side of each kind (an incident counts once per kind).
  const std::map<ActorKind, std::int64_t>& kinds() const { return kinds_; }
  std::int64_t added() const { return added_; }

 private:
  struct Acc {
    OrganisationProfile p;
    std::map<int, Tally> years;
    std::map<std::string, Tally> provinces, districts, categories, target_types, precision,
        counterparts, counterpart_kinds;
  };
  OrganisationProfile Finish(const Acc& acc) const;

  const ActorTable& table_;
  std::map<std::string, Acc> by_id_;
  std::set<std::string> unclassified_;
  std::map<ActorKind, std::int64_t> kinds_;
  std::int64_t added_ = 0;
};

}  // namespace corridor::risk
