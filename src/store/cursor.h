// The opaque page cursor shared by every backend: base64url (no padding) of
// "<date_start days>|<uuid>", the position of the last incident of a page in
// the order (date_start DESC, id ASC).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "corridor/common/result.h"
#include "corridor/common/uuid.h"

namespace corridor::store {

struct CursorPosition {
  std::int32_t date_start = 0;  // days since 1970-01-01
  Uuid id;
};

std::string EncodeCursor(const CursorPosition& position);
// kInvalidArgument "cursor: malformed" for anything EncodeCursor did not produce.
Result<CursorPosition> DecodeCursor(std::string_view cursor);

}  // namespace corridor::store
