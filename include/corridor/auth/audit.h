// The hash-chained audit log and its signed checkpoints (docs/security.md,
// "Audit log"). Pure functions over model::AuditEntry / AuditCheckpoint: the
// store persists entries, this header says what their hashes are and whether
// a stored log is intact. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"
#include "corridor/model/security.h"

namespace corridor::auth {

// prev_hash of entry 1, and head_hash of a checkpoint over an empty log.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes an entry's hash covers: every field except `hash`, in a fixed
// order, each text field as NAME=<byte length>:<bytes>\n (docs/security.md
// gives the exact grammar and a recomputation in a few lines of Python):
//   corridor-audit-entry-1\n seq=42\n time=20:2024-...\n actor=... action=...
//   objects=2\n object=36:...\n object=36:...\n detail=... prev_hash=64:...\n
std::string CanonicalForm(const model::AuditEntry& e);

// SHA-256 hex of CanonicalForm(e): the value of e.hash, and the next entry's prev_hash.
std::string EntryHash(const model::AuditEntry& e);

// Fills e.prev_hash from `prev` (kGenesisHash when nullptr), e.seq = prev->seq + 1
// (1 when nullptr), and e.hash. The store calls this on append.
void SealEntry(model::AuditEntry& e, const model::AuditEntry* prev);

// "corridor-audit-checkpoint\n<count>\n<head_hash>\n<time>" (no final newline):
// the bytes the checkpoint's Ed25519 signature covers.
std::string CheckpointMessage(const model::AuditCheckpoint& c);

// A checkpoint "entries 1..count end in head_hash", signed with the instance key.
// REQUIRES: keys loaded (LoadOrCreateInstanceKeys).
model::AuditCheckpoint MakeCheckpoint(const InstanceKeys& keys, std::int64_t count,
                                      std::string head_hash, std::string time);

// True iff c.signature is c.public_key's valid signature of CheckpointMessage(c).
// Does not say whose key it is: VerifyChain compares with the expected key.
bool VerifyCheckpoint(const model::AuditCheckpoint& c);

struct ChainReport {
  bool ok = false;
  std::int64_t entries = 0;        // entries examined (the stored count)
  std::int64_t first_bad_seq = 0;  // 0 if ok; else entries 1..first_bad_seq-1 are intact
  std::string problem;             // "" if ok; else one sentence naming the entry or checkpoint
};

// Verifies a stored log: `entries` in stored order must be seq 1, 2, 3, ...,
// each hash equal to EntryHash and each prev_hash equal to the previous hash
// (kGenesisHash for seq 1). Every checkpoint and the anchor (if given) must be
// signed by `expected_public_key_hex` with a valid signature, must not count
// more entries than are stored (a cut tail), and the entry at its count must
// have its head_hash. Reports the problem with the smallest seq; an edited
// entry that was rehashed shows as a broken link and is named as the entry
// whose hash the next entry no longer records.
ChainReport VerifyChain(std::span<const model::AuditEntry> entries_in_stored_order,
                        std::span<const model::AuditCheckpoint> checkpoints,
                        const std::optional<model::AuditCheckpoint>& anchor,
                        std::string_view expected_public_key_hex);

// VerifyChain over a log read in batches, so that a log of millions of
// entries is checked in the memory of one batch: Add each batch in stored
// order, then Finish. Finish reports what VerifyChain would over the
// concatenated batches.
class ChainVerifier {
 public:
  ChainVerifier(std::vector<model::AuditCheckpoint> checkpoints,
                std::optional<model::AuditCheckpoint> anchor, std::string expected_public_key_hex);
  void Add(std::span<const model::AuditEntry> entries);
  std::int64_t walked() const { return walked_; }
  // The seq of the last entry added (0 before any).
  std::int64_t last_seq() const { return last_ ? last_->seq : 0; }
  ChainReport Finish() const;

 private:
  std::vector<model::AuditCheckpoint> checkpoints_;
  std::optional<model::AuditCheckpoint> anchor_;
  std::string key_;
  std::map<std::int64_t, std::string> heads_;  // count -> hash of entry `count`
  std::int64_t walked_ = 0;
  std::optional<model::AuditEntry> last_;
  std::optional<std::pair<std::int64_t, std::string>> problem_;  // the walk's first
};

// A checkpoint as one JSON object with the keys count, head_hash, time,
// public_key, signature (in that order): the anchor file format, and what
// `corridor audit head` prints.
std::string CheckpointJson(const model::AuditCheckpoint& c);
// The inverse. kInvalidArgument naming the JSON pointer of a missing, mistyped
// or malformed field (hashes and keys in hex of the right length), an unknown
// key, or the parser's line and column for bad JSON. Does not check the signature.
Result<model::AuditCheckpoint> ParseCheckpointJson(std::string_view text);

}  // namespace corridor::auth
