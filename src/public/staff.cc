// Shared checks of the public side's use cases (public/staff.h).
#include "public/staff.h"

#include <algorithm>
#include <set>

#include "corridor/common/strings.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/consultations.h"
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

Result<void> CheckNames(const char* field, const std::vector<std::string>& names, std::size_t most,
                        std::size_t max_bytes) {
  if (names.size() > most) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + ": at most " + std::to_string(most));
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string at = std::string(field) + "/" + std::to_string(i);
    if (auto ok = CheckText(at, names[i], max_bytes); !ok) return ok;
    if (Trim(names[i]).empty()) return Fail(ErrorCode::kInvalidArgument, at + ": empty");
    if (!seen.insert(std::string(Trim(names[i]))).second) {
      return Fail(ErrorCode::kInvalidArgument, at + ": named twice");
    }
  }
  return {};
}

Result<void> NotPersonal(const char* field, const std::string& text) {
  if (LooksPersonal(text)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) +
                    ": looks like personal data (a phone, CNIC, e-mail, a name with an address or "
                    "a house number); public text names organisations and public places, not "
                    "people");
  }
  return {};
}

}  // namespace corridor::public_side
