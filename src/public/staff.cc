// Shared checks of the public side's use cases (public/staff.h).
#include "public/staff.h"

#include <algorithm>

#include "corridor/public_side/accounts.h"
#include "corridor/release/release.h"

namespace corridor::public_side {

bool KnownDistrict(const std::string& pcode) {
  const auto& all = release::Districts();
  return std::find(all.begin(), all.end(), pcode) != all.end();
}

Result<void> MayModerate(store::Transaction& tx, const PublicCaller& caller, bool admin_too) {
  if (!caller.account) return {};
  auto moderator = RequireRole(tx, caller.account->name, model::PublicRole::kModerator);
  if (moderator || !admin_too) return moderator ? Result<void>() : Fail(moderator.error());
  auto admin = RequireRole(tx, caller.account->name, model::PublicRole::kPublicAdmin);
  if (!admin) return Fail(moderator.error());
  return {};
}

}  // namespace corridor::public_side
