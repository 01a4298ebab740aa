#include "corridor/datasets/fetch.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "corridor/net/http_client.h"

namespace corridor::datasets {

namespace {

namespace fs = std::filesystem;

// Lower-case hex sha256 of a file's bytes, streamed; "" when it cannot be read.
std::string FileSha256Hex(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) return "";
  std::array<char, 1 << 16> buffer;
  while (in) {
    in.read(buffer.data(), buffer.size());
    const std::streamsize n = in.gcount();
    if (n > 0 && EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(n)) != 1) {
      return "";
    }
  }
  if (in.bad()) return "";
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest;
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) return "";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

bool Selected(const SourceFile& file, const FetchOptions& options) {
  if (!options.folders.empty() && std::find(options.folders.begin(), options.folders.end(),
                                            file.folder) == options.folders.end()) {
    return false;
  }
  return !options.select || options.select(file);
}

// Adds file's dataset (and folder) to `licences`, keeping first-seen order.
void NoteLicence(const SourceFile& file, std::vector<DatasetLicence>& licences) {
  auto it = std::find_if(licences.begin(), licences.end(),
                         [&](const DatasetLicence& l) { return l.dataset == file.dataset; });
  if (it == licences.end()) {
    licences.push_back({file.dataset, {}, LicenceOf(file.dataset)});
    it = licences.end() - 1;
  }
  if (std::find(it->folders.begin(), it->folders.end(), file.folder) == it->folders.end()) {
    it->folders.push_back(file.folder);
  }
}

void RemoveQuietly(const fs::path& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace

std::string_view FetchStatusName(FetchStatus status) {
  switch (status) {
    case FetchStatus::kFetched:
      return "fetched";
    case FetchStatus::kAlreadyPresent:
      return "already present";
    case FetchStatus::kFailed:
      return "failed";
  }
  return "failed";
}

std::string_view VerifyStatusName(VerifyStatus status) {
  switch (status) {
    case VerifyStatus::kOk:
      return "ok";
    case VerifyStatus::kMissing:
      return "missing";
    case VerifyStatus::kWrongSize:
      return "wrong size";
    case VerifyStatus::kWrongSha256:
      return "wrong sha256";
  }
  return "missing";
}

VerifyEntry CheckFile(const SourceFile& file, const std::string& path) {
  VerifyEntry entry{file, path, VerifyStatus::kMissing, ""};
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    entry.detail = "no file " + path;
    return entry;
  }
  const auto size = fs::file_size(path, ec);
  if (ec) {
    entry.detail = "cannot stat " + path + ": " + ec.message();
    return entry;
  }
  if (static_cast<std::int64_t>(size) != file.size) {
    entry.status = VerifyStatus::kWrongSize;
    entry.detail = "size " + std::to_string(size) + " instead of " + std::to_string(file.size);
    return entry;
  }
  const std::string sha = FileSha256Hex(path);
  if (sha != file.sha256) {
    entry.status = VerifyStatus::kWrongSha256;
    entry.detail =
        sha.empty() ? "cannot read " + path : "sha256 " + sha + " instead of " + file.sha256;
    return entry;
  }
  entry.status = VerifyStatus::kOk;
  return entry;
}

Result<FetchReport> Fetch(const std::string& dir, const FetchOptions& options) {
  if (dir.empty()) return Fail(ErrorCode::kInvalidArgument, "data fetch: no directory given");
  if (auto parsed = net::ParseUrl(options.base_url); !parsed) {
    return Fail(ErrorCode::kInvalidArgument, "data fetch: base URL: " + parsed.error().message);
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    return Fail(ErrorCode::kUnavailable,
                "data fetch: cannot use directory " + dir + (ec ? ": " + ec.message() : ""));
  }

  FetchReport report;
  for (const SourceFile& file : Manifest()) {
    if (!Selected(file, options)) continue;
    NoteLicence(file, report.licences);
    FileOutcome outcome{file, DownloadUrl(file, options.base_url),
                        (fs::path(dir) / file.folder / file.name).string(), FetchStatus::kFailed,
                        ""};
    const VerifyEntry existing = CheckFile(file, outcome.path);
    if (existing.status == VerifyStatus::kOk) {
      outcome.status = FetchStatus::kAlreadyPresent;
    } else {
      const std::string staged = outcome.path + ".fetch";
      net::DownloadOptions download;
      download.connect_timeout = options.connect_timeout;
      download.read_timeout = options.read_timeout;
      download.max_bytes = file.size;
      if (options.progress) {
        download.progress = [&](std::uint64_t bytes, std::uint64_t total) {
          return options.progress(file, bytes, total);
        };
      }
      const std::string was = existing.status == VerifyStatus::kMissing
                                  ? ""
                                  : "existing file does not match (" + existing.detail + "); ";
      if (auto got = net::Download(outcome.url, staged, download); !got) {
        outcome.reason = was + got.error().message;
      } else if (VerifyEntry check = CheckFile(file, staged); check.status != VerifyStatus::kOk) {
        RemoveQuietly(staged);
        outcome.reason = was + "downloaded bytes do not match the manifest: " + check.detail;
      } else {
        fs::rename(staged, outcome.path, ec);
        if (ec) {
          RemoveQuietly(staged);
          outcome.reason = was + "cannot rename into " + outcome.path + ": " + ec.message();
        } else {
          outcome.status = FetchStatus::kFetched;
        }
      }
    }
    switch (outcome.status) {
      case FetchStatus::kFetched:
        ++report.fetched;
        break;
      case FetchStatus::kAlreadyPresent:
        ++report.already_present;
        break;
      case FetchStatus::kFailed:
        ++report.failed;
        break;
    }
    if (options.on_file) options.on_file(outcome);
    report.files.push_back(std::move(outcome));
  }
  for (const DerivedFile& derived : DerivedFiles()) {
    const bool folder_selected =
        std::any_of(report.files.begin(), report.files.end(),
                    [&](const FileOutcome& o) { return o.file.folder == derived.folder; });
    if (folder_selected) report.derived.push_back(derived);
  }
  return report;
}

Result<VerifyReport> Verify(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Fail(ErrorCode::kNotFound, "data verify: no directory " + dir);
  }
  VerifyReport report;
  for (const SourceFile& file : Manifest()) {
    NoteLicence(file, report.licences);
    VerifyEntry entry = CheckFile(file, (fs::path(dir) / file.folder / file.name).string());
    switch (entry.status) {
      case VerifyStatus::kOk:
        ++report.ok_count;
        break;
      case VerifyStatus::kMissing:
        ++report.missing;
        break;
      case VerifyStatus::kWrongSize:
      case VerifyStatus::kWrongSha256:
        ++report.mismatched;
        break;
    }
    report.files.push_back(std::move(entry));
  }
  for (const DerivedFile& derived : DerivedFiles()) {
    if (fs::exists(fs::path(dir) / derived.folder / derived.name, ec)) {
      report.derived_present.push_back(derived);
    }
  }
  return report;
}

}  // namespace corridor::datasets
