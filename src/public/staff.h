// Checks the public side's use cases share (consultations, meetings). Private
// to src/public.
#pragma once

#include <string>

#include "corridor/common/result.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

// Whether `pcode` is an ADM2 district the release knows.
bool KnownDistrict(const std::string& pcode);

// A moderator (or, with `admin_too`, a public-admin) as stored now; the
// operator passes. kPermissionDenied otherwise.
Result<void> MayModerate(store::Transaction& tx, const PublicCaller& caller, bool admin_too);

}  // namespace corridor::public_side
