#include "corridor/model/incident.h"

#include <array>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"

namespace corridor::model {
namespace {

template <typename E, std::size_t N>
std::optional<E> FindByName(const std::array<std::pair<E, std::string_view>, N>& table,
                            std::string_view name) {
  for (const auto& [value, text] : table) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "unknown";
}

constexpr std::array<std::pair<Category, std::string_view>, kCategoryCount> kCategories{{
    {Category::kArmedAssault, "armed-assault"},
    {Category::kBombing, "bombing"},
    {Category::kSuicideBombing, "suicide-bombing"},
    {Category::kAssassination, "assassination"},
    {Category::kKidnappingHostage, "kidnapping-hostage"},
    {Category::kFacilityAttack, "facility-attack"},
    {Category::kUnarmedAssault, "unarmed-assault"},
    {Category::kHijacking, "hijacking"},
    {Category::kRemoteViolence, "remote-violence"},
    {Category::kArmedClash, "armed-clash"},
    {Category::kViolenceAgainstCivilians, "violence-against-civilians"},
    {Category::kUnknown, "unknown"},
}};

constexpr std::array<std::pair<DatePrecision, std::string_view>, 6> kDatePrecisions{{
    {DatePrecision::kDay, "day"},
    {DatePrecision::kDays, "days"},
    {DatePrecision::kWeek, "week"},
    {DatePrecision::kMonth, "month"},
    {DatePrecision::kYear, "year"},
    {DatePrecision::kUnknown, "unknown"},
}};

constexpr std::array<std::pair<LocationPrecision, std::string_view>, 6> kLocationPrecisions{{
    {LocationPrecision::kExact, "exact"},
    {LocationPrecision::kNear, "near"},
    {LocationPrecision::kDistrict, "district"},
    {LocationPrecision::kProvince, "province"},
    {LocationPrecision::kCountry, "country"},
    {LocationPrecision::kNone, "none"},
}};

constexpr std::array<std::pair<AssignMethod, std::string_view>, 4> kAssignMethods{{
    {AssignMethod::kInside, "inside"},
    {AssignMethod::kSnapped, "snapped"},
    {AssignMethod::kSourceNames, "source-names"},
    {AssignMethod::kNone, "none"},
}};

}  // namespace

std::string_view CategoryName(Category c) { return NameOf(kCategories, c); }
std::optional<Category> ParseCategory(std::string_view name) {
  return FindByName(kCategories, name);
}
std::string_view DatePrecisionName(DatePrecision p) { return NameOf(kDatePrecisions, p); }
std::optional<DatePrecision> ParseDatePrecision(std::string_view name) {
  return FindByName(kDatePrecisions, name);
}
std::string_view LocationPrecisionName(LocationPrecision p) {
  return NameOf(kLocationPrecisions, p);
}
std::optional<LocationPrecision> ParseLocationPrecision(std::string_view name) {
  return FindByName(kLocationPrecisions, name);
}
std::string_view AssignMethodName(AssignMethod m) { return NameOf(kAssignMethods, m); }
std::optional<AssignMethod> ParseAssignMethod(std::string_view name) {
  return FindByName(kAssignMethods, name);
}

std::string ContentDigest(const Incident& incident) {
  // The JSON form is canonical enough here: nlohmann::json keeps object keys
  // sorted, and every field is written. Bookkeeping fields are blanked first.
  Incident copy = incident;
  copy.created.clear();
  copy.modified.clear();
  copy.version = 0;
  copy.provenance.file.clear();
  copy.provenance.line = 0;
  return Sha256Hex(ToJson(copy).dump());
}

}  // namespace corridor::model
