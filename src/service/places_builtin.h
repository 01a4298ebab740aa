// config/places.tsv as built into the binary (service/gazetteer.h loads it
// unless `--curated FILE` names another).
#pragma once

#include <string_view>

namespace corridor::service {

std::string_view BuiltinCuratedPlaces();

}  // namespace corridor::service
