// IngestFile: read -> convert -> assign areas on the calling thread, upsert in
// batched transactions on a writer thread, digest the file on a third.
#include "corridor/ingest/ingest.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "corridor/common/date.h"

namespace corridor::ingest {
namespace {

namespace fs = std::filesystem;

// Streams the file through SHA-256 (OpenSSL EVP). kUnavailable when it cannot be read.
Result<std::string> FileSha256(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kUnavailable, "cannot read " + path);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    return Fail(ErrorCode::kInternal, "SHA-256 unavailable");
  }
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto n = in.gcount();
    if (n > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(n));
  }
  if (in.bad()) return Fail(ErrorCode::kUnavailable, "error reading " + path);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex;
}

// The rejects CSV, created on the first reject.
struct UuidHash {
  std::size_t operator()(const Uuid& id) const {
    std::size_t h = 0;
    std::memcpy(&h, id.bytes().data(), sizeof h);  // UUIDv5/v4 bytes are already well mixed
    return h;
  }
};

class RejectsWriter {
 public:
  // `append` adds to an existing rejects file (several inputs of one run).
  RejectsWriter(std::string path, bool append) : path_(std::move(path)), append_(append) {}

  Result<void> Write(const Reject& reject) {
    if (!out_.is_open()) {
      std::error_code ec;
      const bool has_header = append_ && fs::file_size(path_, ec) > 0 && !ec;
      out_.open(path_, std::ios::binary | (append_ ? std::ios::app : std::ios::trunc));
      if (!out_) {
        return Fail(ErrorCode::kUnavailable,
                    "cannot write rejects file " + path_ + ": " + std::strerror(errno));
      }
      if (!has_header) out_ << "file,line,field,reason,raw\n";
    }
    const std::vector<std::string> row = {reject.file, std::to_string(reject.line), reject.field,
                                          reject.reason, reject.raw};
    out_ << CsvLine(row) << '\n';
    ++count_;
    return {};
  }

  Result<void> Close() {
    if (!out_.is_open()) return {};
    out_.close();
    if (!out_) return Fail(ErrorCode::kUnavailable, "error writing rejects file " + path_);
    return {};
  }

  std::int64_t count() const { return count_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  bool append_ = false;
  std::ofstream out_;
  std::int64_t count_ = 0;
};

// Upserts batches on its own thread, so conversion and SQLite overlap. At
// most two batches wait, which bounds memory.
class BatchWriter {
 public:
  explicit BatchWriter(store::Store& store) : store_(store), thread_([this] { Run(); }) {}
  ~BatchWriter() { Finish(); }

  // Queues `batch`; blocks while two batches are already waiting. Returns
  // false once a write has failed (the caller stops reading).
  bool Push(std::vector<model::Incident> batch) {
    std::unique_lock lock(mu_);
    space_.wait(lock, [this] { return queue_.size() < 2 || failed_; });
    if (failed_) return false;
    queue_.push_back(std::move(batch));
    ready_.notify_one();
    return true;
  }

  // Waits for every queued batch; the totals, or the first store error.
  Result<store::UpsertSummary> Finish() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
      ready_.notify_one();
    }
    if (thread_.joinable()) thread_.join();
    if (error_) return Fail(*error_);
    return totals_;
  }

 private:
  void Run() {
    for (;;) {
      std::vector<model::Incident> batch;
      {
        std::unique_lock lock(mu_);
        ready_.wait(lock, [this] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        batch = std::move(queue_.front());
        queue_.pop_front();
        space_.notify_one();
      }
      auto result = store_.UpsertIncidents(batch);
      std::lock_guard lock(mu_);
      if (!result) {
        error_ = result.error();
        failed_ = true;
        queue_.clear();
        space_.notify_all();
        return;
      }
      totals_.inserted += result->inserted;
      totals_.updated += result->updated;
      totals_.unchanged += result->unchanged;
    }
  }

  store::Store& store_;
  std::mutex mu_;
  std::condition_variable ready_, space_;
  std::deque<std::vector<model::Incident>> queue_;
  bool done_ = false;
  bool failed_ = false;
  std::optional<Error> error_;
  store::UpsertSummary totals_;
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace

Result<IngestSummary> IngestFile(store::Store& store, const geo::AreaIndex& areas,
                                 const std::string& path, const IngestOptions& options) {
  const auto clock_start = std::chrono::steady_clock::now();
  const std::string started = NowTimestamp();
  IngestSummary summary;
  summary.file = path;
  summary.format = std::string(FormatName(options.format));

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kUnavailable, "cannot open " + path + ": " + std::strerror(errno));
  }
  std::error_code size_error;
  const auto file_size = fs::file_size(path, size_error);
  const std::int64_t total = size_error ? 0 : static_cast<std::int64_t>(file_size);

  // Header first: nothing is written unless it is the format's.
  CsvReader reader(in, path, options.encoding);
  CsvRecord header;
  auto first = reader.Next(header);
  if (!first) return Fail(ErrorCode::kInvalidArgument, first.error().message + " (header)");
  if (!*first) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": empty file, expected a " + summary.format + " header");
  }
  auto adapter = MakeAdapter(options.format, header.fields);
  if (!adapter) return Fail(ErrorCode::kInvalidArgument, path + ": " + adapter.error().message);

  // A load that is large beside what the store holds goes faster with the
  // secondary indexes built once at the end than updated row by row (about
  // 20 % of a 200k-row import); the store rebuilds them even after a crash.
  // Rows are estimated from the file size (UCDP rows average ~500 bytes).
  bool bulk = false;
  if (options.bulk_threshold_rows > 0) {
    const std::int64_t estimated_rows = total / 500;
    auto existing = store.IncidentCount();
    if (!existing) return Fail(existing.error());
    bulk = estimated_rows >= options.bulk_threshold_rows && estimated_rows >= *existing;
  }
  if (bulk) {
    if (auto begun = store.BeginBulkLoad(); !begun) return Fail(begun.error());
  }

  // The digest of the whole file, computed alongside.
  Result<std::string> sha256 = std::string();
  std::thread digest_thread([&sha256, &path] { sha256 = FileSha256(path); });

  const std::string file_name = fs::path(path).filename().string();
  RejectsWriter rejects(
      options.rejects_path.empty() ? path + ".rejects.csv" : options.rejects_path,
      options.append_rejects);
  const std::size_t batch_size = static_cast<std::size_t>(std::max(1, options.batch_size));
  Result<store::UpsertSummary> written = store::UpsertSummary{};
  std::optional<Error> failure;
  {
    BatchWriter writer(store);
    std::vector<model::Incident> batch;
    batch.reserve(batch_size);
    auto reject = [&](Reject r, const CsvRecord& record) {
      r.file = path;
      r.raw = CsvLine(record.fields);
      if (auto w = rejects.Write(r); !w && !failure) failure = w.error();
    };
    CsvRecord record;
    std::unordered_map<Uuid, std::int64_t, UuidHash> seen;  // id -> first line
    while (!failure) {
      auto next = reader.Next(record);
      if (next && !*next) break;
      ++summary.rows;
      if (!next) {
        Reject r;
        r.line = record.line;
        r.reason = next.error().message;
        reject(std::move(r), record);
        continue;
      }
      auto incident = (*adapter)->Convert(record);
      if (!incident) {
        reject(std::move(incident.error()), record);
        continue;
      }
      // A source id given twice in one file: the first row wins, the later
      // one is rejected (overwriting would make re-imports flip-flop).
      if (const auto [it, fresh] = seen.emplace(incident->id, record.line); !fresh) {
        Reject r;
        r.line = record.line;
        r.field = "id";
        r.reason = "duplicate source id " + incident->provenance.source_id +
                   " (first at line " + std::to_string(it->second) + ")";
        reject(std::move(r), record);
        continue;
      }
      incident->provenance.file = file_name;
      areas.Assign(*incident);
      switch (incident->admin_method) {
        case model::AssignMethod::kInside:
          ++summary.assigned_inside;
          break;
        case model::AssignMethod::kSnapped:
          ++summary.assigned_snapped;
          break;
        default:
          ++summary.unassigned;
      }
      batch.push_back(std::move(*incident));
      if (batch.size() >= batch_size) {
        if (!writer.Push(std::move(batch))) break;
        batch = {};
        batch.reserve(batch_size);
        if (options.progress) options.progress(reader.bytes_read(), total);
      }
    }
    if (!batch.empty()) writer.Push(std::move(batch));
    written = writer.Finish();
  }
  digest_thread.join();
  if (bulk) {
    if (auto ended = store.EndBulkLoad(); !ended && !failure) failure = ended.error();
  }
  if (auto closed = rejects.Close(); !closed && !failure) failure = closed.error();
  if (failure) return Fail(*failure);
  if (!written) return Fail(written.error());
  if (!sha256) return Fail(sha256.error());
  if (options.progress) options.progress(reader.bytes_read(), total);

  summary.inserted = written->inserted;
  summary.updated = written->updated;
  summary.unchanged = written->unchanged;
  summary.rejected = rejects.count();
  if (summary.rejected > 0) summary.rejects_path = rejects.path();

  store::ImportRun run;
  run.dataset = summary.format;
  run.file = path;
  run.sha256 = *sha256;
  run.rows = summary.rows;
  run.inserted = summary.inserted;
  run.updated = summary.updated;
  run.unchanged = summary.unchanged;
  run.rejected = summary.rejected;
  run.started = started;
  run.finished = NowTimestamp();
  if (auto recorded = store.RecordImport(run); !recorded) return Fail(recorded.error());

  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  return summary;
}

}  // namespace corridor::ingest
