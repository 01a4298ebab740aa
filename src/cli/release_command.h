// `corridor ingest --format public-release FILE --trusted-keys KEYS`: the
// security side's end of the aggregate release (docs/public.md).
#pragma once

#include <string>
#include <vector>

namespace corridor::cli {

int RunReleaseIngest(const std::string& db, bool json, const std::vector<std::string>& files,
                     const std::vector<std::string>& trusted_keys);

}  // namespace corridor::cli
