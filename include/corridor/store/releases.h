// The security side's copy of the public side's aggregate release
// (release/release.h, docs/public.md "The aggregate release"): the only data
// that crosses the wall. Counts by kind × district × month × topic × channel,
// already suppressed and checked; never text, codes or contacts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct ReleaseCount {
  std::string kind, district, month;
  std::string topic, channel;         // "*" in a total summed over the dimension
  std::optional<std::int64_t> count;  // nullopt when suppressed
  std::string reason;                 // "small" or "complementary" when suppressed
  friend bool operator==(const ReleaseCount&, const ReleaseCount&) = default;
};

// Which counts of a release to read.
struct ReleaseCountQuery {
  std::string from_month, to_month;    // YYYY-MM, inclusive; "" = open
  std::vector<std::string> districts;  // empty = every district
  std::string channel;                 // "" = any; "*" = the totals over channel
};

struct PublicRelease {
  std::string id;            // SHA-256 hex of the file's bytes
  std::string generated_at;  // as the public side stamped it
  std::string received_at;   // RFC 3339
  std::string signed_by;     // the public key (hex) that signed it
  std::int64_t cells = 0, suppressed = 0;
  std::vector<ReleaseCount> counts;  // cells and totals
  friend bool operator==(const PublicRelease&, const PublicRelease&) = default;
};

class PublicReleaseStore {
 public:
  virtual ~PublicReleaseStore() = default;
  // Stores a release with its counts. False when a release with this id is
  // already held (nothing changes); kInvalidArgument for an empty id.
  virtual Result<bool> Add(Transaction& tx, const PublicRelease& r) = 0;
  virtual Result<std::optional<PublicRelease>> Get(Transaction& tx, const std::string& id) = 0;
  // Every release's id, oldest received first.
  virtual Result<std::vector<std::string>> Ids(Transaction& tx) = 0;
  // A release without its counts; nullopt when not held.
  virtual Result<std::optional<PublicRelease>> Head(Transaction& tx, const std::string& id) = 0;
  // The latest month a release counts (YYYY-MM); nullopt when it has no count.
  virtual Result<std::optional<std::string>> LastMonth(Transaction& tx, const std::string& id) = 0;
  // The counts of release `id` that match `q`, ordered by kind, district,
  // month, topic, channel (empty for a release not held).
  virtual Result<std::vector<ReleaseCount>> Counts(Transaction& tx, const std::string& id,
                                                   const ReleaseCountQuery& q) = 0;
};

std::unique_ptr<PublicReleaseStore> NewPublicReleaseStore();
const Module& PublicReleasesModule();  // "public_releases"

}  // namespace corridor::store
