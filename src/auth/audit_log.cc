#include "corridor/auth/audit_log.h"

#include "corridor/common/date.h"

namespace corridor::auth {

AuditLog::AuditLog(store::Store& store, const InstanceKeys& keys, std::int64_t checkpoint_every)
    : store_(store), keys_(keys), checkpoint_every_(checkpoint_every) {}

Result<model::AuditEntry> AuditLog::Record(const std::string& actor, const std::string& action,
                                           std::vector<std::string> objects, std::string detail) {
  model::AuditEntry entry;
  entry.time = NowTimestamp();
  entry.actor = actor;
  entry.action = action;
  entry.objects = std::move(objects);
  entry.detail = detail.empty() ? "{}" : std::move(detail);
  auto stored = store_.AppendAudit(std::move(entry), EntryHash, kGenesisHash);
  if (!stored) return Fail(stored.error());
  if (checkpoint_every_ > 0 && stored->seq % checkpoint_every_ == 0) {
    if (auto c = Checkpoint(); !c) return Fail(c.error());
  }
  return stored;
}

Result<std::optional<model::AuditCheckpoint>> AuditLog::Checkpoint() {
  store::AuditQuery last;
  auto checkpoints = store_.ListCheckpoints();
  if (!checkpoints) return Fail(checkpoints.error());
  // The head: the entry with the largest seq (ListAudit is in seq order; the
  // log is append-only, so reading it whole is what verify does anyway).
  auto entries = store_.ListAudit(last);
  if (!entries) return Fail(entries.error());
  if (entries->empty()) return std::optional<model::AuditCheckpoint>{};
  const model::AuditEntry& head = entries->back();
  if (!checkpoints->empty() && checkpoints->back().count == head.seq) {
    return std::optional<model::AuditCheckpoint>{checkpoints->back()};
  }
  model::AuditCheckpoint c = MakeCheckpoint(keys_, head.seq, head.hash, NowTimestamp());
  if (auto r = store_.AddCheckpoint(c); !r) return Fail(r.error());
  return std::optional<model::AuditCheckpoint>{c};
}

Result<std::optional<model::AuditCheckpoint>> AuditLog::Head() const {
  auto checkpoints = store_.ListCheckpoints();
  if (!checkpoints) return Fail(checkpoints.error());
  if (checkpoints->empty()) return std::optional<model::AuditCheckpoint>{};
  return std::optional<model::AuditCheckpoint>{checkpoints->back()};
}

Result<ChainReport> AuditLog::Verify(const std::optional<model::AuditCheckpoint>& anchor) const {
  auto entries = store_.ListAudit({});
  if (!entries) return Fail(entries.error());
  auto checkpoints = store_.ListCheckpoints();
  if (!checkpoints) return Fail(checkpoints.error());
  return VerifyChain(*entries, *checkpoints, anchor, keys_.PublicKeyHex());
}

}  // namespace corridor::auth
