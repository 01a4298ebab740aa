#include "corridor/auth/audit_log.h"

#include <algorithm>

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
  // Checkpoint the entry just appended: it is the head this call made, so no
  // read of the log is needed (reading the whole log here made every 1000th
  // audited request O(entries) in time and memory).
  if (checkpoint_every_ > 0 && stored->seq % checkpoint_every_ == 0) {
    if (auto c = CheckpointAt(*stored); !c) return Fail(c.error());
  }
  return stored;
}

Result<std::optional<model::AuditCheckpoint>> AuditLog::Checkpoint() {
  store::AuditQuery head_only;
  head_only.newest_first = true;
  head_only.limit = 1;
  auto head = store_.ListAudit(head_only);
  if (!head) return Fail(head.error());
  if (head->empty()) return std::optional<model::AuditCheckpoint>{};
  return CheckpointAt(head->front());
}

Result<std::optional<model::AuditCheckpoint>> AuditLog::CheckpointAt(
    const model::AuditEntry& head) {
  auto latest = Head();
  if (!latest) return Fail(latest.error());
  if (*latest && (*latest)->count >= head.seq) return latest;
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

Result<ChainReport> AuditLog::Verify(const std::optional<model::AuditCheckpoint>& anchor,
                                     const std::function<Result<void>(double fraction)>& progress,
                                     std::int64_t batch_size) const {
  const std::int64_t batch_rows = std::max<std::int64_t>(batch_size, 1);
  // The head first, then the checkpoints: every checkpoint read vouches for
  // entries at or before a head that is read afterwards.
  store::AuditQuery head_query;
  head_query.newest_first = true;
  head_query.limit = 1;
  auto head = store_.ListAudit(head_query);
  if (!head) return Fail(head.error());
  auto checkpoints = store_.ListCheckpoints();
  if (!checkpoints) return Fail(checkpoints.error());
  std::int64_t head_seq = head->empty() ? 0 : head->front().seq;
  for (const auto& c : *checkpoints) head_seq = std::max(head_seq, c.count);
  ChainVerifier verifier(std::move(*checkpoints), anchor, keys_.PublicKeyHex());
  store::AuditQuery batch;
  batch.limit = batch_rows;
  batch.through_seq = head_seq;
  while (true) {
    batch.after_seq = verifier.last_seq();
    auto entries = store_.ListAudit(batch);
    if (!entries) return Fail(entries.error());
    verifier.Add(*entries);
    if (static_cast<std::int64_t>(entries->size()) < batch_rows) break;
    if (progress && head_seq > 0) {
      const double done = static_cast<double>(verifier.last_seq()) / static_cast<double>(head_seq);
      if (auto ok = progress(std::min(done, 1.0)); !ok) return Fail(ok.error());
    }
  }
  return verifier.Finish();
}

}  // namespace corridor::auth
