// The one CSV form of an incident (issue 17 item 10): the columns of
// `corridor query --format csv` and GET /api/v1/incidents.csv alike, with the
// precision of place and date, the description, the parties, the marking and
// the attribution the record's licence requires on every row (a CSV file has
// no place for a note, and a row copied elsewhere keeps its credit).
//
// Free-text cells that a spreadsheet would run as a formula (starting with
// = + - @, TAB or CR) are written with a leading apostrophe (OWASP "CSV
// injection"); partner reports are untrusted text.
//
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "corridor/model/incident.h"

namespace corridor::model {

// The header line, without the line break.
std::string_view IncidentCsvHeader();
// One record, without the line break; fields quoted per RFC 4180.
std::string IncidentCsvRow(const Incident& incident);

}  // namespace corridor::model
