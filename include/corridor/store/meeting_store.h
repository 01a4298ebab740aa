// The meeting aggregate of the public store (issue 14 §2, "Forums and
// meetings"): community meetings and forums held with NGOs and the community
// task forces, each with its agenda, date, place, participating
// organisations, linked proposals and, once held, its minutes; the public
// calendar is made from them. Module "public.meetings" (PublicModules()).
//
// A meeting names organisations, never people: minutes are checked for
// personal data before they are stored (public_side/meetings.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct Meeting {
  std::string id;
  std::string district;         // ADM2 P-code
  std::string project_id;       // "" when about the district as a whole
  std::string consultation_id;  // "" when not about one consultation
  std::string title, agenda, place;
  // RFC 3339 UTC in the form FormatUnixTimestamp writes ("…T05:00:00.000Z"),
  // so that text order is time order on every backend.
  std::string starts_at, ends_at;
  std::vector<std::string> organisations;  // in the order given
  std::vector<std::string> proposal_ids;   // linked proposals, in the order given
  std::string state = "scheduled";         // scheduled | held | cancelled
  std::string minutes, minutes_at, cancel_reason;
  std::string created_by, created_at, updated_at;
  // The iCalendar SEQUENCE: bumped by every change a subscriber should see.
  std::int64_t sequence = 0;
  std::int64_t version = 1;
  friend bool operator==(const Meeting&, const Meeting&) = default;
};

struct MeetingQuery {
  std::string district{};     // "" = every district
  std::string from{}, to{};   // on starts_at, inclusive; "" = open
  std::string proposal_id{};  // "" = any; else only meetings linked to it
  std::string id{};           // "" = any; else that meeting alone
  int limit = 200;            // 1..1000
};

class MeetingStore {
 public:
  virtual ~MeetingStore() = default;
  // kConflict when the id exists; kInvalidArgument for an empty id or district.
  virtual Result<void> AddMeeting(Transaction& tx, const Meeting& m) = 0;
  virtual Result<std::optional<Meeting>> GetMeeting(Transaction& tx, const std::string& id) = 0;
  // By starts_at, then id; kInvalidArgument for a limit outside 1..1000.
  virtual Result<std::vector<Meeting>> ListMeetings(Transaction& tx, const MeetingQuery& q) = 0;
  // Writes every field of `next` but id, district, created_by and created_at
  // when the stored meeting is still at `expected.version` (it becomes
  // expected.version + 1); organisations and linked proposals are replaced.
  // False when it changed since it was read; kNotFound when absent.
  virtual Result<bool> UpdateMeeting(Transaction& tx, const Meeting& expected,
                                     const Meeting& next) = 0;
};

std::unique_ptr<MeetingStore> NewMeetingStore();
const Module& MeetingModule();

}  // namespace corridor::store
