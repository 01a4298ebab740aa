#include "corridor/model/security.h"

#include "enum_names.h"

namespace corridor::model {
namespace {

constexpr NameTable<Tlp, kTlpCount> kTlps{{
    {Tlp::kClear, "TLP:CLEAR"},
    {Tlp::kGreen, "TLP:GREEN"},
    {Tlp::kAmber, "TLP:AMBER"},
    {Tlp::kAmberStrict, "TLP:AMBER+STRICT"},
    {Tlp::kRed, "TLP:RED"},
}};

constexpr NameTable<Role, kRoleCount> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kAnalyst, "analyst"},
    {Role::kCommittee, "committee"},
    {Role::kSiteSecurity, "site-security"},
    {Role::kPartner, "partner"},
}};

}  // namespace

std::string_view TlpName(Tlp t) { return NameOf(kTlps, t); }
std::optional<Tlp> ParseTlp(std::string_view name) { return FindByName(kTlps, name); }
std::string_view RoleName(Role r) { return NameOf(kRoles, r); }
std::optional<Role> ParseRole(std::string_view name) { return FindByName(kRoles, name); }

}  // namespace corridor::model
