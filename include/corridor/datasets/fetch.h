// `corridor data fetch DIR` and `corridor data verify DIR`: download the files of the manifest
// (catalog.h) from their pinned public origins into DIR/<folder>/<name>, exact bytes checked by
// size and sha256, and check an existing folder against the manifest.
//
// Contracts:
//  - A file that does not match the manifest is never left under its final name by Fetch: a
//    download goes to "<name>.fetch" (".fetch.part" while streaming), is checked, and only then
//    renamed into place; a mismatch deletes it and is reported as a failure. An existing file
//    with the wrong bytes is replaced only by a verified download (on failure it stays, and the
//    failure reason says it does not match).
//  - A file already present with the right size and sha256 is not requested again.
//  - Per-file failures (network, HTTP status, checksum) are in the report, not errors: Fetch
//    fails only when DIR cannot be used or the options are invalid.
//  - Derived files (".derived." in the name) are never downloaded; the report lists them with
//    what they were made from, and readers fall back to the originals (PreferredPath).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/datasets/catalog.h"
#include "corridor/model/incident.h"

namespace corridor::datasets {

enum class FetchStatus { kFetched, kAlreadyPresent, kFailed };
// "fetched", "already present", "failed".
std::string_view FetchStatusName(FetchStatus status);

struct FileOutcome {
  SourceFile file;
  std::string url;   // where it was (or would have been) downloaded from
  std::string path;  // DIR/<folder>/<name>
  FetchStatus status = FetchStatus::kFailed;
  std::string reason;  // why it failed ("" otherwise)
};

// The licence of one dataset touched by a fetch or verify, to print beside the files.
struct DatasetLicence {
  std::string dataset;               // Corridor dataset name, e.g. "ucdp-ged"
  std::vector<std::string> folders;  // its folders under DIR
  model::Licence licence;            // LicenceOf(dataset): id, redistribution, attribution
};

struct FetchReport {
  std::vector<FileOutcome> files;        // in manifest order
  std::vector<DatasetLicence> licences;  // each dataset of the selected files, manifest order
  std::vector<DerivedFile> derived;      // derived files of the selected folders (not fetched)
  int fetched = 0;
  int already_present = 0;
  int failed = 0;
  bool ok() const { return failed == 0; }
};

struct FetchOptions {
  // Origin of the raw files; tests point it at a loopback server.
  std::string base_url{kDefaultBaseUrl};
  // When non-empty, only files in these folders.
  std::vector<std::string> folders;
  // When set, only files for which it returns true.
  std::function<bool(const SourceFile&)> select;
  // Called as bytes of `file` arrive (total is 0 when unknown). Returning false cancels that
  // file (reported as failed); the fetch goes on with the next one.
  std::function<bool(const SourceFile& file, std::uint64_t bytes, std::uint64_t total)> progress;
  // Called once per selected file as soon as its outcome is known.
  std::function<void(const FileOutcome&)> on_file;
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds read_timeout{30'000};
};

// Fetches every selected manifest file into DIR (created when missing). kInvalidArgument for an
// empty DIR or a malformed base_url; kUnavailable when DIR cannot be created.
Result<FetchReport> Fetch(const std::string& dir, const FetchOptions& options = {});

enum class VerifyStatus { kOk, kMissing, kWrongSize, kWrongSha256 };
// "ok", "missing", "wrong size", "wrong sha256".
std::string_view VerifyStatusName(VerifyStatus status);

struct VerifyEntry {
  SourceFile file;
  std::string path;  // DIR/<folder>/<name>
  VerifyStatus status = VerifyStatus::kMissing;
  std::string detail;  // e.g. "size 12 instead of 667"
};

struct VerifyReport {
  std::vector<VerifyEntry> files;            // every manifest file, manifest order
  std::vector<DatasetLicence> licences;      // every dataset of the manifest
  std::vector<DerivedFile> derived_present;  // derived files found in DIR
  int ok_count = 0;
  int missing = 0;
  int mismatched = 0;  // wrong size or wrong sha256
  bool ok() const { return missing == 0 && mismatched == 0; }
};

// Checks DIR (e.g. ../shared/data) against the manifest: every file present with the right size
// and sha256. kNotFound when DIR is not a directory.
Result<VerifyReport> Verify(const std::string& dir);

// Size and sha256 check of one file against its manifest entry: kOk or what is wrong.
VerifyEntry CheckFile(const SourceFile& file, const std::string& path);

}  // namespace corridor::datasets
