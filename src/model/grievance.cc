#include "corridor/model/grievance.h"

#include <array>
#include <utility>

namespace corridor::model {
namespace {

template <typename E, std::size_t N>
std::optional<E> Find(const std::array<std::pair<E, std::string_view>, N>& names,
                      std::string_view name) {
  for (const auto& [value, text] : names) {
    if (text == name) return value;
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, text] : names) {
    if (v == value) return text;
  }
  return "";
}

constexpr std::array<std::pair<GrievanceState, std::string_view>, 7> kStates = {{
    {GrievanceState::kReceived, "received"},
    {GrievanceState::kAcknowledged, "acknowledged"},
    {GrievanceState::kEligible, "eligible"},
    {GrievanceState::kIneligible, "ineligible"},
    {GrievanceState::kProposed, "proposed"},
    {GrievanceState::kAppealed, "appealed"},
    {GrievanceState::kClosed, "closed"},
}};

constexpr std::array<std::pair<GrievanceTier, std::string_view>, 3> kTiers = {{
    {GrievanceTier::kProject, "project"},
    {GrievanceTier::kProvince, "province"},
    {GrievanceTier::kCommittee, "committee"},
}};

constexpr std::array<std::pair<GrievanceAction, std::string_view>, 12> kActions = {{
    {GrievanceAction::kFile, "file"},
    {GrievanceAction::kAssign, "assign"},
    {GrievanceAction::kAcknowledge, "acknowledge"},
    {GrievanceAction::kEligible, "eligible"},
    {GrievanceAction::kIneligible, "ineligible"},
    {GrievanceAction::kAsk, "ask"},
    {GrievanceAction::kAnswer, "answer"},
    {GrievanceAction::kUpdate, "update"},
    {GrievanceAction::kPropose, "propose"},
    {GrievanceAction::kAccept, "accept"},
    {GrievanceAction::kAppeal, "appeal"},
    {GrievanceAction::kClose, "close"},
}};

}  // namespace

std::string_view GrievanceStateName(GrievanceState s) { return Name(kStates, s); }
std::optional<GrievanceState> ParseGrievanceState(std::string_view name) {
  return Find(kStates, name);
}
std::string_view GrievanceTierName(GrievanceTier t) { return Name(kTiers, t); }
std::optional<GrievanceTier> ParseGrievanceTier(std::string_view name) {
  return Find(kTiers, name);
}
std::string_view GrievanceActionName(GrievanceAction a) { return Name(kActions, a); }
std::optional<GrievanceAction> ParseGrievanceAction(std::string_view name) {
  return Find(kActions, name);
}

}  // namespace corridor::model
