#include "corridor/model/public_account.h"

#include <algorithm>
#include <cctype>

#include "corridor/model/security.h"
#include "enum_names.h"

namespace corridor::model {
namespace {

constexpr NameTable<PublicRole, kPublicRoleCount> kPublicRoles{{
    {PublicRole::kModerator, "moderator"},
    {PublicRole::kGrievanceOfficer, "grievance-officer"},
    {PublicRole::kDisclosureEditor, "disclosure-editor"},
    {PublicRole::kPublicAdmin, "public-admin"},
}};

}  // namespace

std::string_view PublicRoleName(PublicRole r) { return NameOf(kPublicRoles, r); }

Result<PublicRole> ParsePublicRole(std::string_view name) {
  if (auto r = FindByName(kPublicRoles, name)) return *r;
  if (ParseRole(name)) {
    return Fail(ErrorCode::kInvalidArgument,
                "role '" + std::string(name) +
                    "' belongs to the security side; a public account holds only moderator, "
                    "grievance-officer, disclosure-editor or public-admin");
  }
  return Fail(ErrorCode::kInvalidArgument,
              "role '" + std::string(name) +
                  "': expected moderator, grievance-officer, disclosure-editor or public-admin");
}

Result<void> CheckAccountName(std::string_view name) {
  const auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  };
  if (name.empty() || name.size() > 64 || !std::all_of(name.begin(), name.end(), ok) ||
      !std::isalnum(static_cast<unsigned char>(name.front()))) {
    return Fail(ErrorCode::kInvalidArgument,
                "account name: expected 1 to 64 characters of a-z, 0-9, '.', '_' or '-', "
                "starting with a letter or digit");
  }
  return {};
}

bool PublicAccount::Has(PublicRole r) const {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}

Result<std::vector<PublicRole>> NormaliseRoles(std::vector<PublicRole> roles) {
  if (roles.empty()) return Fail(ErrorCode::kInvalidArgument, "an account needs at least one role");
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  return roles;
}

}  // namespace corridor::model
