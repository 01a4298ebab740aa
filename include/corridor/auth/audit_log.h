// The instance's audit log over the store (docs/security.md, "Audit log"):
// appends hash-chained entries, signs a checkpoint every N entries and at
// shutdown, and verifies the stored chain. The hashing and verification rules
// are audit.h's; this class adds the store and the instance key.
//
// Thread-safe (the store serialises appends, across processes too).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "corridor/auth/audit.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/store/store.h"

namespace corridor::auth {

class AuditLog {
 public:
  // `store` and `keys` must outlive this object. A checkpoint is signed after
  // every `checkpoint_every` appended entries (0: only on Checkpoint()).
  AuditLog(store::Store& store, const InstanceKeys& keys, std::int64_t checkpoint_every = 1000);

  // Appends one entry. When this fails the caller's request must fail: a
  // read that cannot be audited is not answered (DESIGN.md, line 3).
  // `detail` is a JSON object's text ("{}" when empty).
  Result<model::AuditEntry> Record(const std::string& actor, const std::string& action,
                                   std::vector<std::string> objects, std::string detail = "{}");
  // Signs and stores a checkpoint of the current head (no-op on an empty log
  // or when the head is already checkpointed). Returns it.
  Result<std::optional<model::AuditCheckpoint>> Checkpoint();
  // The latest stored checkpoint, or nullopt when none has been signed.
  Result<std::optional<model::AuditCheckpoint>> Head() const;
  // Verifies every stored entry and checkpoint (and `anchor` when given)
  // against this instance's public key. The entries are read in batches of
  // `batch` (a log of millions is checked in the memory of one batch), up to
  // the head as it was when the check began. `progress(fraction)` is called
  // after each full batch; an error it returns stops the check with that error.
  Result<ChainReport> Verify(const std::optional<model::AuditCheckpoint>& anchor,
                             const std::function<Result<void>(double fraction)>& progress = nullptr,
                             std::int64_t batch = 10'000) const;

 private:
  // Signs a checkpoint of `head` unless one at or past its seq is stored.
  Result<std::optional<model::AuditCheckpoint>> CheckpointAt(const model::AuditEntry& head);

  store::Store& store_;
  const InstanceKeys& keys_;
  const std::int64_t checkpoint_every_;
};

}  // namespace corridor::auth
