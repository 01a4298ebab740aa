#include "corridor/model/project.h"

#include <algorithm>
#include <array>
#include <set>

namespace corridor::model {
namespace {
constexpr std::array<std::string_view, 4> kStatusNames = {"pipeline", "implementation",
                                                          "completion", "cancelled"};
constexpr std::array<std::string_view, 3> kDisclosureNames = {"published", "withheld", "coarsened"};
}  // namespace

std::string_view ProjectStatusName(ProjectStatus s) {
  return kStatusNames[static_cast<std::size_t>(s)];
}

std::optional<ProjectStatus> ParseProjectStatus(std::string_view name) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (kStatusNames[i] == name) return static_cast<ProjectStatus>(i);
  }
  return std::nullopt;
}

std::string_view DisclosureName(Disclosure d) {
  return kDisclosureNames[static_cast<std::size_t>(d)];
}

std::optional<Disclosure> ParseDisclosure(std::string_view name) {
  for (std::size_t i = 0; i < kDisclosureNames.size(); ++i) {
    if (kDisclosureNames[i] == name) return static_cast<Disclosure>(i);
  }
  return std::nullopt;
}

Result<void> CheckDisclosure(const FieldDisclosure& d) {
  if (std::find(std::begin(kDisclosableFields), std::end(kDisclosableFields), d.field) ==
      std::end(kDisclosableFields)) {
    return Fail(ErrorCode::kInvalidArgument,
                "field: expected location, dates, financing or parties, got '" + d.field + "'");
  }
  if (d.state != Disclosure::kPublished && d.reason.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "reason: a withheld or coarsened field needs a public reason");
  }
  if (d.state == Disclosure::kCoarsened && d.field != "location" && d.field != "dates") {
    return Fail(ErrorCode::kInvalidArgument,
                "state: only location (to district) and dates (to month) can be coarsened");
  }
  return {};
}

FieldDisclosure Project::DisclosureOf(std::string_view field) const {
  for (const auto& d : disclosure) {
    if (d.field == field) return d;
  }
  return {std::string(field), Disclosure::kPublished, ""};
}

double Project::TotalAmount() const {
  double total = 0;
  for (const auto& f : financing) total += f.amount.value_or(0);
  return total;
}

std::vector<std::string> Project::Financiers() const {
  std::set<std::string> all;
  for (const auto& f : financing) all.insert(f.financiers.begin(), f.financiers.end());
  return {all.begin(), all.end()};
}

}  // namespace corridor::model
