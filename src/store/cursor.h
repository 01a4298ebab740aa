// The opaque page cursor shared by every backend: base64url (no padding) of
// the position of the last incident of a page in the page's order:
// "<date_start days>|<uuid>" in the default order (date_start DESC, id ASC),
// "<order>|<key>|<date_start days>|<uuid>" in any other, where key is the
// order's sort value (deaths, with the store's stand-in for "unknown").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "corridor/common/result.h"
#include "corridor/common/uuid.h"
#include "corridor/store/store.h"

namespace corridor::store {

struct CursorPosition {
  IncidentOrder order = IncidentOrder::kNewest;
  std::int64_t key = 0;         // the order's sort value; 0 for the date orders
  std::int32_t date_start = 0;  // days since 1970-01-01
  Uuid id;
};

std::string EncodeCursor(const CursorPosition& position);
// kInvalidArgument "cursor: malformed" for anything EncodeCursor did not
// produce, and "cursor: ..." naming both orders for a cursor of another order.
Result<CursorPosition> DecodeCursor(std::string_view cursor, IncidentOrder expected);

}  // namespace corridor::store
