// The committee's "public perception" view (issue 14 §3, docs/committee.md):
// what residents raise on the public side, beside the incidents and the
// structural vulnerability of the same districts. Shared by
// GET /api/v1/public-perception and `corridor committees perception`; the
// release comes in through IngestPublicRelease (`corridor ingest --format
// public-release`).
//
// It reads only what crossed the wall: the aggregate release (store/releases.h),
// counts by district × month × topic, already suppressed on the public side
// (a count is an integer >= 10, 0, or suppressed with its reason). It never
// sums suppressed counts: a range of months is shown month by month, with
// the release's own totals, so a hidden count cannot be rebuilt here. No
// text, code, contact or attachment exists on this side to be shown.
//
// Needs `read-committee` (analysts and the committee role). The incident
// counts are the caller's own (service::CountIncidentsBy, as /api/v1/stats):
// the same request shows different incident counts to different readers,
// and audits nothing more than that route does.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/service/schema.h"
#include "corridor/service/service.h"

namespace corridor::service {

inline constexpr int kPerceptionMaxMonths = 36;
inline constexpr int kPerceptionMaxDistricts = 40;

struct PerceptionParams {
  // Months YYYY-MM (Asia/Karachi, as the release counts them), inclusive.
  // Default: the twelve months up to the release's last month.
  std::string from, to;
  // P-codes (the release's district list); empty: every district the release
  // counts something for in the range.
  std::vector<std::string> districts;
  // A release's id; default: the last one received.
  std::string release;
  static const ParamSchema<PerceptionParams>& Schema();
  Result<void> Validate() const;
};

// One published count: an integer, or suppressed with its reason ("small":
// 1–9; "complementary": hidden so that a small one cannot be derived).
struct PublishedCount {
  std::optional<std::int64_t> count;
  std::string reason;
  friend bool operator==(const PublishedCount&, const PublishedCount&) = default;
};

struct PerceptionDistrict {
  std::string pcode, name, province;
  std::optional<double> vulnerability;  // 0..10, 10 = most vulnerable; nullopt: none
  std::vector<std::int64_t> incidents;  // per month, the caller's readable incidents
  // Per month; a month the release does not carry for the district is 0
  // (the public side published nothing there, so nothing was received).
  std::vector<PublishedCount> grievances;     // all topics and channels
  std::vector<PublishedCount> consultations;  // all topics and channels
  struct Topic {
    std::string topic;
    std::vector<PublishedCount> months;
  };
  std::vector<Topic> topics;  // grievances per topic, in config order
};

struct Perception {
  // The release read; empty id when the store holds none (the districts then
  // carry incidents and vulnerability only).
  std::string release_id, generated_at, received_at, signed_by;
  std::int64_t release_cells = 0, release_suppressed = 0;
  std::vector<std::string> months;
  std::vector<std::string> topics;
  int vulnerability_year = 0;  // 0: no vulnerability (the Data4Pakistan files are absent)
  std::string vulnerability_note;
  std::vector<PerceptionDistrict> districts;
};

// The ingest of one release file: the detached signature (FILE.sig, parsed
// JSON text) over the exact bytes must verify against one of `trusted` (hex
// public keys) before anything else is read; then release::CheckRelease (an
// allow-list of keys and values, no count 1–9); then it is stored and audited
// ("public-release-ingested"). Needs the instance's operator or an admin
// (`manage-accounts`). kPermissionDenied for a bad signature, kInvalidArgument
// for a bad document; nothing is stored then.
struct IngestedRelease {
  std::string id;      // SHA-256 hex of the bytes
  bool added = false;  // false: already held
  std::int64_t cells = 0, suppressed = 0;
};
Result<IngestedRelease> IngestPublicRelease(const Context& ctx, const Caller& caller,
                                            std::string_view bytes, std::string_view signature,
                                            const std::vector<std::string>& trusted);

Result<Perception> PublicPerception(const Context& ctx, const Caller& caller,
                                    const PerceptionParams& p);

nlohmann::json ToJson(const Perception& p);

}  // namespace corridor::service
