// Checks the public side's use cases share (consultations, meetings). Private
// to src/public.
#pragma once

#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

// Whether `pcode` is an ADM2 district the release knows.
bool KnownDistrict(const std::string& pcode);

// A moderator (or, with `admin_too`, a public-admin) as stored now; the
// operator passes. kPermissionDenied otherwise.
Result<void> MayModerate(store::Transaction& tx, const PublicCaller& caller, bool admin_too);

// A list of names or ids: at most `most`, each non-empty, at most `max_bytes`,
// none twice; errors name "<field>/<index>".
Result<void> CheckNames(const char* field, const std::vector<std::string>& names, std::size_t most,
                        std::size_t max_bytes);
// kInvalidArgument naming `field` when `text` looks like personal data
// (LooksPersonal): staff text is refused, for the author to rewrite.
Result<void> NotPersonal(const char* field, const std::string& text);

}  // namespace corridor::public_side
