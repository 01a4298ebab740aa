// Staff accounts of the public side (issue 13 §1): moderators, grievance
// officers, disclosure editors and public administrators. The public side has
// its own role family; no role of the security side (admin, analyst,
// committee, site-security, partner) can be held here, and the public store
// has nowhere to put one. An account is a name and its roles: nothing about
// the person.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::model {

enum class PublicRole { kModerator, kGrievanceOfficer, kDisclosureEditor, kPublicAdmin };
inline constexpr int kPublicRoleCount = 4;
// "moderator", "grievance-officer", "disclosure-editor", "public-admin".
std::string_view PublicRoleName(PublicRole r);
// kInvalidArgument naming the four roles; a security-side role's name is
// refused as belonging to the other family.
Result<PublicRole> ParsePublicRole(std::string_view name);

// 1 to 64 characters of [a-z0-9._-], starting with a letter or digit.
Result<void> CheckAccountName(std::string_view name);

struct PublicAccount {
  std::string name;
  std::vector<PublicRole> roles;  // at least one, sorted, no repeats
  bool disabled = false;
  std::string created_at;    // RFC 3339
  std::int64_t version = 1;  // every change adds one (the store's compare-and-set)

  bool Has(PublicRole r) const;
  friend bool operator==(const PublicAccount&, const PublicAccount&) = default;
};

// Sorts and de-duplicates; kInvalidArgument when empty.
Result<std::vector<PublicRole>> NormaliseRoles(std::vector<PublicRole> roles);

// An API token of a public account. The token is shown once when issued; the
// store keeps only its digest (auth::TokenDigest).
struct PublicToken {
  std::string digest;
  std::string account;
  std::string created_at, expires_at;  // RFC 3339 UTC, same form: they compare as text
  bool revoked = false;
  // "api" (`users token`, for Authorization: Bearer) or "session" (a staff
  // sign-in, for the staff pages' cookie): each credential path takes its own
  // kind only, so a cookie is no bearer token and a script token no cookie.
  std::string kind = "api";
  friend bool operator==(const PublicToken&, const PublicToken&) = default;
};

}  // namespace corridor::model
