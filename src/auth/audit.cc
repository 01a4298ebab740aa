#include "corridor/auth/audit.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "corridor/common/strings.h"

namespace corridor::auth {
namespace {

constexpr std::string_view kEntryFormat = "corridor-audit-entry-1\n";
constexpr std::string_view kCheckpointFormat = "corridor-audit-checkpoint\n";

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.push_back('=');
  out.append(std::to_string(value.size()));
  out.push_back(':');
  out.append(value);
  out.push_back('\n');
}

std::string Label(const model::AuditCheckpoint& c, std::string_view kind) {
  return std::string(kind) + " at count " + std::to_string(c.count) + " (" + c.time + ")";
}

bool IsHex(std::string_view s, std::size_t len) {
  return s.size() == len && std::all_of(s.begin(), s.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
         });
}

using Problem = std::optional<std::pair<std::int64_t, std::string>>;

// The first problem of the walk over `entries`, which follow `offset`
// entries walked without a problem, the last of them `before` (nullptr at the
// start of the log), or nullopt.
Problem WalkEntries(std::span<const model::AuditEntry> entries, const model::AuditEntry* before,
                    std::int64_t offset) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const model::AuditEntry& e = entries[i];
    const model::AuditEntry* prev_entry = i == 0 ? before : &entries[i - 1];
    const auto want = offset + static_cast<std::int64_t>(i) + 1;
    const std::string w = std::to_string(want);
    const std::string s = std::to_string(e.seq);
    if (e.seq != want) {
      if (prev_entry != nullptr && e.seq == prev_entry->seq) {
        return std::pair{e.seq, "seq " + s + " appears twice (an entry was inserted)"};
      }
      if (e.seq > want) {
        const std::string after = prev_entry == nullptr
                                      ? "the log starts at"
                                      : "after seq " + std::to_string(want - 1) + " comes";
        return std::pair{want, "entry " + w + " is missing: " + after + " seq " + s +
                                   " (removed, or entries reordered)"};
      }
      return std::pair{want, "seq " + s + " is out of place at position " + w +
                                 " (entries inserted or reordered)"};
    }
    if (EntryHash(e) != e.hash) {
      return std::pair{want, "entry " + w + ": stored hash does not match its content (edited)"};
    }
    const std::string_view prev =
        prev_entry == nullptr ? kGenesisHash : std::string_view(prev_entry->hash);
    if (e.prev_hash != prev) {
      if (prev_entry == nullptr) {
        return std::pair{want, std::string("entry 1: prev_hash is not the genesis hash "
                                           "(entries before it removed)")};
      }
      const std::string p = std::to_string(want - 1);
      return std::pair{want - 1, "entry " + p + ": its hash is not the prev_hash entry " + w +
                                     " records (entry " + p +
                                     " rewritten and rehashed, or an entry removed or inserted)"};
    }
  }
  return std::nullopt;
}

// `n` entries were walked; `head_at(count)` is the hash of entry `count`.
template <typename HeadAt>
Problem CheckCheckpoint(const model::AuditCheckpoint& c, std::string_view kind, std::int64_t n,
                        HeadAt head_at, std::string_view expected_key) {
  const std::string label = Label(c, kind);
  const std::int64_t at = std::max<std::int64_t>(c.count, 1);
  if (ToLower(c.public_key) != ToLower(expected_key)) {
    return std::pair{
        at, label + " is signed by another key (" + c.public_key + "), not this instance's"};
  }
  if (!VerifyCheckpoint(c)) return std::pair{at, label + ": signature does not verify"};
  if (c.count < 0) return std::pair{std::int64_t{1}, label + " has a negative count"};
  if (c.count > n) {
    return std::pair{n + 1, "the log ends at entry " + std::to_string(n) + " but the " + label +
                                " vouches for " + std::to_string(c.count) +
                                " entries (the tail was cut)"};
  }
  const std::string_view head = c.count == 0 ? kGenesisHash : head_at(c.count);
  if (head != c.head_hash) {
    return std::pair{
        at, "entry " + std::to_string(at) + ": hash differs from the head hash of the " + label};
  }
  return std::nullopt;
}

}  // namespace

std::string CanonicalForm(const model::AuditEntry& e) {
  std::string out(kEntryFormat);
  out += "seq=" + std::to_string(e.seq) + "\n";
  AppendField(out, "time", e.time);
  AppendField(out, "actor", e.actor);
  AppendField(out, "action", e.action);
  out += "objects=" + std::to_string(e.objects.size()) + "\n";
  for (const auto& id : e.objects) AppendField(out, "object", id);
  AppendField(out, "detail", e.detail);
  AppendField(out, "prev_hash", e.prev_hash);
  return out;
}

std::string EntryHash(const model::AuditEntry& e) { return Sha256Hex(CanonicalForm(e)); }

void SealEntry(model::AuditEntry& e, const model::AuditEntry* prev) {
  e.seq = prev ? prev->seq + 1 : 1;
  e.prev_hash = prev ? prev->hash : std::string(kGenesisHash);
  e.hash = EntryHash(e);
}

std::string CheckpointMessage(const model::AuditCheckpoint& c) {
  return std::string(kCheckpointFormat) + std::to_string(c.count) + "\n" + c.head_hash + "\n" +
         c.time;
}

model::AuditCheckpoint MakeCheckpoint(const InstanceKeys& keys, std::int64_t count,
                                      std::string head_hash, std::string time) {
  model::AuditCheckpoint c;
  c.count = count;
  c.head_hash = std::move(head_hash);
  c.time = std::move(time);
  c.public_key = keys.PublicKeyHex();
  c.signature = SignHex(keys, CheckpointMessage(c));
  return c;
}

bool VerifyCheckpoint(const model::AuditCheckpoint& c) {
  return VerifySignatureHex(c.public_key, CheckpointMessage(c), c.signature);
}

ChainVerifier::ChainVerifier(std::vector<model::AuditCheckpoint> checkpoints,
                             std::optional<model::AuditCheckpoint> anchor,
                             std::string expected_public_key_hex)
    : checkpoints_(std::move(checkpoints)),
      anchor_(std::move(anchor)),
      key_(std::move(expected_public_key_hex)) {
  for (const auto& c : checkpoints_) heads_.emplace(c.count, "");
  if (anchor_) heads_.emplace(anchor_->count, "");
}

void ChainVerifier::Add(std::span<const model::AuditEntry> entries) {
  if (entries.empty()) return;
  if (!problem_) {
    problem_ = WalkEntries(entries, last_ ? &*last_ : nullptr, walked_);
  }
  // The hashes checkpoints vouch for, by position (as VerifyChain indexed them).
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto it = heads_.find(walked_ + static_cast<std::int64_t>(i) + 1);
    if (it != heads_.end()) it->second = entries[i].hash;
  }
  walked_ += static_cast<std::int64_t>(entries.size());
  last_ = entries.back();
}

ChainReport ChainVerifier::Finish() const {
  Problem first = problem_;
  auto keep_first = [&](Problem found) {
    if (found && (!first || found->first < first->first)) first = std::move(found);
  };
  auto head_at = [this](std::int64_t count) -> std::string_view { return heads_.at(count); };
  for (const auto& c : checkpoints_) {
    keep_first(CheckCheckpoint(c, "checkpoint", walked_, head_at, key_));
  }
  if (anchor_) keep_first(CheckCheckpoint(*anchor_, "anchor", walked_, head_at, key_));
  ChainReport report;
  report.entries = walked_;
  report.ok = !first;
  if (first) {
    report.first_bad_seq = first->first;
    report.problem = std::move(first->second);
  }
  return report;
}

ChainReport VerifyChain(std::span<const model::AuditEntry> entries_in_stored_order,
                        std::span<const model::AuditCheckpoint> checkpoints,
                        const std::optional<model::AuditCheckpoint>& anchor,
                        std::string_view expected_public_key_hex) {
  ChainVerifier v({checkpoints.begin(), checkpoints.end()}, anchor,
                  std::string(expected_public_key_hex));
  v.Add(entries_in_stored_order);
  return v.Finish();
}

std::string CheckpointJson(const model::AuditCheckpoint& c) {
  nlohmann::ordered_json j;
  j["count"] = c.count;
  j["head_hash"] = c.head_hash;
  j["time"] = c.time;
  j["public_key"] = c.public_key;
  j["signature"] = c.signature;
  return j.dump();
}

Result<model::AuditCheckpoint> ParseCheckpointJson(std::string_view text) {
  auto bad = [](const std::string& what) {
    return Fail(ErrorCode::kInvalidArgument, "checkpoint JSON: " + what);
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return bad(e.what());
  }
  if (!j.is_object()) return bad("not a JSON object");
  for (const auto& [key, value] : j.items()) {
    if (key != "count" && key != "head_hash" && key != "time" && key != "public_key" &&
        key != "signature") {
      return bad("unknown key /" + key);
    }
  }
  model::AuditCheckpoint c;
  if (!j.contains("count") || !j["count"].is_number_integer() ||
      j["count"].get<std::int64_t>() < 0) {
    return bad("/count must be a whole number >= 0");
  }
  c.count = j["count"].get<std::int64_t>();
  const struct {
    const char* key;
    std::string* out;
    std::size_t hex_len;  // 0: any non-empty text
  } fields[] = {{"head_hash", &c.head_hash, 64},
                {"time", &c.time, 0},
                {"public_key", &c.public_key, 64},
                {"signature", &c.signature, 128}};
  for (const auto& f : fields) {
    auto it = j.find(f.key);
    if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
      return bad(std::string("/") + f.key + " must be a non-empty string");
    }
    *f.out = it->get<std::string>();
    if (f.hex_len != 0 && !IsHex(*f.out, f.hex_len)) {
      return bad(std::string("/") + f.key + " must be " + std::to_string(f.hex_len) +
                 " lower-case hex characters");
    }
  }
  return c;
}

}  // namespace corridor::auth
