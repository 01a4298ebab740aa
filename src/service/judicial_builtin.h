// The texts of config/judicial_offences.tsv and config/judicial_refusal_grounds.tsv,
// compiled in. Private to src/service.
#pragma once

#include <string_view>

namespace corridor::service {

std::string_view BuiltinJudicialOffences();
std::string_view BuiltinRefusalGrounds();

}  // namespace corridor::service
