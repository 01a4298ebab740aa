// The aggregate release (issue 14 §3, WAVE2 "Across the wall"): the only thing
// that crosses from the public side to the security side. Grievance and
// consultation counts by district × month × topic × channel, with small-cell
// suppression (1–9), complementary suppression so no hidden cell can be derived
// from the published margins, and consistency with the previous release.
//
// Pure: links neither store (both `corridor-public` and `corridor` link it).
//
// Document ("corridor-public-release-1"):
//   {"format", "generated_at", "threshold": 10,
//    "dimensions": {"kind", "channel", "topic", "district", "month"},
//    "cells":  [{"kind","district","month","topic","channel","count"[,"reason"]}],
//    "totals": [{"over": [dimensions summed over], <the dimensions held>, "count"[,"reason"]}],
//    "suppression": {"cells", "suppressed", "small", "complementary", "share", ...}}
// A count is an integer >= 10, 0, or "suppressed" with "reason" "small" (1–9)
// or "complementary". Totals, per kind × district × month: over channel (per
// topic), over topic (per channel) and over topic and channel.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "corridor/auth/crypto.h"
#include "corridor/common/result.h"

namespace corridor::release {

inline constexpr std::int64_t kThreshold = 10;
inline constexpr std::string_view kFormat = "corridor-public-release-1";

// The fixed dimensions' allowed values.
const std::vector<std::string>& Kinds();     // grievance, consultation
const std::vector<std::string>& Channels();  // web, phone, in-person, letter, sms
const std::vector<std::string>& Topics();    // config/grievance_topics.txt (built in)
const std::vector<std::string>& Districts(); // config/district_crosswalk.csv's P-codes (built in)
bool IsMonth(std::string_view s);            // YYYY-MM (the month in Asia/Karachi)

// One cell's true count (the public side's input).
struct Count {
  std::string kind, district, month, topic, channel;
  std::int64_t count = 0;
};

// Reads {"counts": [{"kind","district","month","topic","channel","count"}]}
// (the documented `--counts FILE` input). kInvalidArgument names the entry.
Result<std::vector<Count>> CountsFromJson(const nlohmann::json& j);

struct Options {
  std::string generated_at;                 // RFC 3339
  const nlohmann::json* previous = nullptr;  // the previous release, or null
};

struct Summary {
  std::int64_t cells = 0, suppressed = 0, small = 0, complementary = 0;  // cells only
  std::int64_t totals = 0, totals_suppressed = 0;
  std::int64_t kept_from_previous = 0;  // entries suppressed because the previous release hid them
  double share = 0;                     // suppressed / cells
};

struct Release {
  nlohmann::json document;
  Summary summary;
  // The true values of the hidden entries, by KeyOf (never written out; for
  // CheckProtection).
  std::map<std::string, std::int64_t> hidden_values;
};

// Builds the release. Every (kind, district, month) that has a count (or that
// the previous release had) gets the full topic × channel grid (absent = 0).
// kInvalidArgument for a value outside the fixed dimensions or a negative count.
Result<Release> MakeRelease(const std::vector<Count>& counts, const Options& options);

// The ingest check: only the fixed dimensions (allow-list of keys and values),
// no count 1–9 (it must have been suppressed), reasons as above.
Result<void> CheckRelease(const nlohmann::json& doc);

// --- The attack (tests, and `corridor public release` reports it) ----------

// The interval an attacker can derive for one suppressed entry from the
// published cells and totals (linear programming over nonnegative values;
// max = +inf when unbounded). `release` is the index in the input list.
struct Bound {
  int release = 0;
  std::string key;  // kind|district|month|topic|channel, "*" for a summed dimension
  double min = 0, max = std::numeric_limits<double>::infinity();
};
// One release, or several of the same series: then each entry present in
// release i and i+1 satisfies value_i <= value_{i+1} (counts only grow), which
// is the differencing attack across releases.
Result<std::vector<Bound>> AttackBounds(const std::vector<nlohmann::json>& releases);

// Runs AttackBounds on `r` alone and compares with the true values: every
// hidden entry must have min < value < max. `corridor public release` refuses
// to write a release with a pinned entry.
struct Protection {
  std::int64_t checked = 0;
  std::vector<std::string> pinned;  // keys whose interval touches their value
};
Result<Protection> CheckProtection(const Release& r);

// Key of a cell or totals row as AttackBounds names it.
std::string KeyOf(const nlohmann::json& row);

// Minimises c·x subject to A x = b, x >= 0 (dense two-phase simplex, Bland's
// rule). Returns the optimum; -inf when unbounded; kInvalidArgument when infeasible.
Result<double> Minimise(const std::vector<std::vector<double>>& a, const std::vector<double>& b,
                        const std::vector<double>& c);

// --- Signature ---------------------------------------------------------------

// The detached signature file FILE.sig over FILE's exact bytes:
// {"format":"corridor-release-signature-1","algorithm":"ed25519","public_key","signature"}.
nlohmann::json SignDetached(const auth::InstanceKeys& keys, std::string_view file_bytes);
// The public key file `corridor public keys` prints, the same form as
// `corridor keys show --json`: {"format":"corridor-public-keys-1","organisation","keys":[{"key_id","public_key"}]}.
nlohmann::json PublicKeyFile(const auth::InstanceKeys& keys, std::string_view organisation);
// The public keys (hex) of a key file in that form.
Result<std::vector<std::string>> TrustedKeysFromJson(const nlohmann::json& j);
// Ok when `signature` is valid over `file_bytes` by one of `trusted` (hex).
Result<void> VerifyDetached(std::string_view file_bytes, const nlohmann::json& signature,
                            const std::vector<std::string>& trusted);

}  // namespace corridor::release
