// Who may see and act on a grievance, and a resident's unlocking of a case by
// receipt and passphrase (grievances.cc), shared with the attachments' use
// cases. Private to src/public.
#pragma once

#include <string>
#include <string_view>

#include "corridor/common/result.h"
#include "corridor/model/grievance.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

// A case marked "fear of reprisal" is visible only to its assigned officer,
// public-admins and the operator; any other case to every officer.
bool MaySee(const model::Grievance& g, const PublicCaller& caller);
// The caller as stored now: a grievance-officer or, for `admin_too`, also a
// public-admin. The operator passes. kPermissionDenied naming the role.
Result<void> RequireOfficer(store::Transaction& tx, const PublicCaller& caller, bool admin_too);
// The case behind a receipt and passphrase, counting a wrong passphrase
// against the receipt's attempts (FollowGrievance's check): kNotFound alike
// for an unknown receipt, a wrong passphrase and a locked receipt.
Result<model::Grievance> UnlockCase(store::Database& db, std::string_view receipt,
                                    std::string_view passphrase, const std::string& now);

}  // namespace corridor::public_side
