// Ingest: source adapters (UCDP GED, GTD, ACLED) over one CSV reader, then
// district assignment, then the store, in batched transactions.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/geo/area_index.h"
#include "corridor/ingest/csv_reader.h"
#include "corridor/model/incident.h"
#include "corridor/store/store.h"

namespace corridor::ingest {

enum class Format { kUcdpGed, kGtd, kAcled };
std::optional<Format> ParseFormat(std::string_view name);  // "ucdp-ged", "gtd", "acled"
std::string_view FormatName(Format f);

// A row that could not become an incident: where, which field, why.
struct Reject {
  std::string file;
  std::int64_t line = 0;  // the record's first physical line
  std::string field;      // source column name, or "" for a whole-record problem
  std::string reason;
  std::string raw;  // the record's fields re-encoded as one CSV line
};

// Turns one CSV record of a source into an incident. Adapters are stateless
// after construction from the header row.
class SourceAdapter {
 public:
  virtual ~SourceAdapter() = default;
  // Converts `record`; on failure returns the Reject (without file/raw, which
  // the caller fills).
  virtual tl::expected<model::Incident, Reject> Convert(const CsvRecord& record) const = 0;
};

// Builds the adapter for `format` from the header row. kInvalidArgument
// naming the missing columns when the header is not the format's.
Result<std::unique_ptr<SourceAdapter>> MakeAdapter(Format format,
                                                   const std::vector<std::string>& header);

struct IngestOptions {
  Format format = Format::kUcdpGed;
  // Where rejected rows go, as CSV with columns file, line, field, reason, raw
  // ("" = "<path>.rejects.csv" beside the input). Created (truncated) only
  // when a row is rejected; an older file is left alone when none is.
  std::string rejects_path;
  bool append_rejects = false;  // add to rejects_path instead of replacing it
  Encoding encoding = Encoding::kAuto;  // of the input file
  int batch_size = 100000;  // incidents per transaction
  // Loads of at least this many rows (estimated from the file size) into a
  // store holding no more than that use Store::BeginBulkLoad; 0 never does.
  std::int64_t bulk_threshold_rows = 50000;
  // Called now and then with bytes read and total bytes (0 if unknown).
  std::function<void(std::int64_t done, std::int64_t total)> progress;
};

struct IngestSummary {
  std::string file;
  std::string format;
  std::int64_t rows = 0;
  std::int64_t inserted = 0, updated = 0, unchanged = 0, rejected = 0;
  std::int64_t assigned_inside = 0, assigned_snapped = 0, unassigned = 0;
  std::string rejects_path;  // "" when nothing was rejected
  double seconds = 0;
};

// Imports `path` into `store`, assigning areas with `areas` (which may be
// empty). Bad rows go to the rejects file and never stop the others. Fails
// (kInvalidArgument / kUnavailable) when the file cannot be read or its
// header is not the format's; then nothing is written. A store failure
// mid-way (or an unwritable rejects file) also fails: the batches written
// before it stay (each batch is one transaction), and running the import
// again is safe because re-importing unchanged rows changes nothing.
// Provenance.file is the input's file name (no directories); the import run
// is recorded with the file's SHA-256. Conversion and area assignment run on
// the calling thread while batches are upserted on a writer thread.
Result<IngestSummary> IngestFile(store::Store& store, const geo::AreaIndex& areas,
                                 const std::string& path, const IngestOptions& options);

}  // namespace corridor::ingest
