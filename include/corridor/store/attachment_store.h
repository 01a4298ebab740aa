// Grievance attachments in the public store (issue 14 §1: "optional
// attachments (images/PDF, size-limited, metadata stripped)"): each file
// sealed with the instance's key (as a contact is), with its media type,
// size and the SHA-256 of the cleaned file. Module "public.attachments".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

struct Attachment {
  std::string grievance_id;
  std::int64_t seq = 0;    // 1, 2, … per case
  std::string media_type;  // image/jpeg, image/png, application/pdf
  std::int64_t bytes = 0;  // of the cleaned file
  std::string digest;  // hex: BLAKE2b of the cleaned file keyed by the instance (not testable from
                       // the store alone)
  std::string sealed;  // the cleaned file, sealed (auth::Seal); empty in listings
  std::string added_at, added_by;  // added_by: "resident" or an officer's account
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;
  // Appends `a` as the case's next seq (a.seq is ignored) and returns the seq.
  // kInvalidArgument for an empty case id, media type or sealed content.
  virtual Result<std::int64_t> Add(Transaction& tx, const Attachment& a) = 0;
  // A case's attachments by seq, without their content.
  virtual Result<std::vector<Attachment>> List(Transaction& tx,
                                               const std::string& grievance_id) = 0;
  // One attachment with its sealed content.
  virtual Result<std::optional<Attachment>> Get(Transaction& tx, const std::string& grievance_id,
                                                std::int64_t seq) = 0;
};

std::unique_ptr<AttachmentStore> NewAttachmentStore();
const Module& AttachmentModule();

}  // namespace corridor::store
