// The public portal's HTML (server-rendered, no JavaScript): pages in Urdu
// (right to left, Nastaliq, Latin names and numbers isolated in <bdi>),
// English and Chinese. Every text is escaped. Private to src/api.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/model/project.h"
#include "corridor/store/public_store.h"

namespace corridor::api::portal {

inline constexpr std::string_view kLanguages[] = {"ur", "en", "zh"};

// Localised pieces (exposed for tests).
std::string Number(std::string_view lang, double value, int decimals);  // digits per locale
// An integer without grouping (years, identifiers), in the locale's digits.
std::string Digits(std::string_view lang, std::int64_t value);
// The sentence's full stop: "۔" in Urdu, "。" in Chinese, "." in English.
std::string FullStop(std::string_view lang);
std::string Date(std::string_view lang, const std::string& iso);  // YYYY-MM-DD or YYYY-MM
std::string Money(std::string_view lang, double usd);
std::string SectorName(std::string_view lang, const std::string& sector);
std::string StatusName(std::string_view lang, model::ProjectStatus s);

struct ListPage {
  store::ProjectFilter filter;
  std::int64_t total = 0;
  std::vector<model::Project> projects;  // already PublicView'd
  store::ProjectFacets facets;
};

// `path` is the page's path without the language ("/", "/projects", ...): the
// language links point at the same page in the other languages.
// `districts`: the outlines for the map (empty: no map, the list alone).
std::string Home(std::string_view lang, const store::ProjectFacets& facets, std::int64_t total,
                 const std::vector<model::AreaOutline>& districts = {});
std::string DistrictMap(std::string_view lang, const std::vector<model::AreaOutline>& districts,
                        const store::ProjectFacets& facets);
std::string ProjectList(std::string_view lang, const ListPage& page, const std::string& query);
std::string ProjectPage(std::string_view lang, const model::Project& original);
std::string About(std::string_view lang);
std::string NotFound(std::string_view lang);
// The portal's frame (header, navigation, languages, footer) around `body`:
// for the pages of other files (public_portal_grievances.cc).
std::string Page(std::string_view lang, const std::string& title, const std::string& path,
                 const std::string& body);
std::string BadRequest(std::string_view lang);  // a parameter the portal cannot use
// The stylesheet (one small file, no web font download: Nastaliq only when
// installed locally).
std::string_view Stylesheet();

}  // namespace corridor::api::portal
