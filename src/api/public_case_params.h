// Parameters the officers' grievance routes share, the API's and the portal
// staff pages' (one declaration, so a path cannot accept on one side what it
// refuses on the other). Private to src/api.
#pragma once

#include <cstdint>

#include "corridor/common/uuid.h"
#include "corridor/public_side/attachments.h"
#include "corridor/service/schema.h"

namespace corridor::api {

struct CaseIdParams {
  Uuid id;
  static const service::ParamSchema<CaseIdParams>& Schema() {
    static const auto kSchema = service::ParamSchema<CaseIdParams>()
                                    .Id("id", &CaseIdParams::id, "The case's id (UUIDv4)")
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

struct AttachmentParams {
  Uuid id;
  std::int64_t seq = 0;
  static const service::ParamSchema<AttachmentParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<AttachmentParams>()
            .Id("id", &AttachmentParams::id, "The case's id (UUIDv4)")
            .In(service::ParamIn::kPath)
            .Integer("seq", &AttachmentParams::seq, "The attachment's number on the case", 1,
                     public_side::kMaxAttachmentsPerCase)
            .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

}  // namespace corridor::api
