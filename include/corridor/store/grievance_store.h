// The grievance aggregate of the public store (issue 14 §1): cases and their
// history. Module "public.grievances" (PublicModules()). The store keeps no
// receipt code and no passphrase: a receipt's SHA-256 and a passphrase's
// Argon2id hash; a contact only sealed (auth::Seal under the public key file).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/grievance.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct GrievanceFilter {
  std::string state;     // a model::GrievanceState name ("" = any)
  std::string district;  // P-code ("" = any)
  std::string officer;   // assigned account ("" = any)
  // With all_visible false, cases marked "fear of reprisal" only when
  // assigned to `visible_to`. Applied in the query, before the page is cut,
  // so hidden cases leave no gaps in pages.
  bool all_visible = true;
  std::string visible_to;
  int limit = 100;  // 1..1000
  int offset = 0;   // >= 0
};

// One row of the counts behind the aggregate release: cases filed, by
// district, filing month (Asia/Karachi), topic and channel.
struct GrievanceCount {
  std::string district, month, topic, channel;
  std::int64_t count = 0;
  std::int64_t reprisal = 0;  // of which marked "fear of reprisal"
  friend bool operator==(const GrievanceCount&, const GrievanceCount&) = default;
};

class GrievanceStore {
 public:
  virtual ~GrievanceStore() = default;
  // Adds a case at version 1 with its first event (action "file").
  // kConflict when the id or the receipt digest exists; kInvalidArgument for
  // an empty id, digest or passphrase hash, or an event of another case.
  virtual Result<void> Add(Transaction& tx, const model::Grievance& g,
                           const model::GrievanceEvent& filed) = 0;
  virtual Result<std::optional<model::Grievance>> Get(Transaction& tx, const std::string& id) = 0;
  virtual Result<std::optional<model::Grievance>> FindByReceipt(Transaction& tx,
                                                                const std::string& digest) = 0;
  // Cases matching, filed first first. kInvalidArgument for a bad limit,
  // offset or state.
  virtual Result<std::vector<model::Grievance>> List(Transaction& tx, const GrievanceFilter& f) = 0;
  // Writes `next` (every field but id, digest, passphrase hash, filing) only
  // when the stored case is still at `expected.version`; the version becomes
  // expected.version + 1. With `event`, appends it (its seq must be the next).
  // False when the case changed since it was read; kNotFound when absent.
  virtual Result<bool> Update(Transaction& tx, const model::Grievance& expected,
                              const model::Grievance& next,
                              const std::optional<model::GrievanceEvent>& event) = 0;
  // The case's history, by seq.
  virtual Result<std::vector<model::GrievanceEvent>> Events(Transaction& tx,
                                                            const std::string& id) = 0;
  // Cases filed, grouped by district, month (YYYY-MM of the filing time in
  // Asia/Karachi, UTC+05:00), topic and channel, sorted by those keys.
  // Months are computed here in C++, not by SQL, so every backend agrees.
  virtual Result<std::vector<GrievanceCount>> Counts(Transaction& tx) = 0;
};

std::unique_ptr<GrievanceStore> NewGrievanceStore();

// The module's migrations (listed in PublicModules()).
const Module& GrievanceModule();

}  // namespace corridor::store
