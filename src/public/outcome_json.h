// A consultation's results as its open JSON shows them (outcomes.cc), for
// ConsultationJson's page read. Private to src/public.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::public_side {

// [OutcomeJson of each of the consultation's results, oldest first].
Result<nlohmann::json> OutcomesOfJson(store::Transaction& tx, const std::string& consultation_id);

}  // namespace corridor::public_side
