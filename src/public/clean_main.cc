// corridor-clean IN OUT MESSAGE: cleans one attachment (public_side::CleanAttachment)
// within its own limits, so that a hostile file costs this process, never the
// server (public_side::CleanAttachmentIsolated starts it). Writes OUT as the
// media type, a newline and the cleaned bytes, and exits 0; or writes why the
// file was refused to MESSAGE and exits 2; 64 for a wrong command line.
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "corridor/public_side/attachments.h"

namespace {

void Limit(int resource, rlim_t value) {
  const rlimit r{value, value};
  (void)::setrlimit(resource, &r);
}

bool WriteWhole(const char* path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  using corridor::public_side::kCleanerCpuSeconds;
  using corridor::public_side::kMaxAttachmentBytes;
  if (argc != 4) {
    std::fprintf(stderr, "usage: corridor-clean IN OUT MESSAGE (started by corridor-public)\n");
    return 64;
  }
  // The limits first: whatever the file makes the libraries do happens inside them.
  Limit(RLIMIT_CPU, static_cast<rlim_t>(kCleanerCpuSeconds));
  Limit(RLIMIT_FSIZE, static_cast<rlim_t>(4 * kMaxAttachmentBytes));
  Limit(RLIMIT_CORE, 0);
#if !defined(__SANITIZE_ADDRESS__)
  // (A sanitizer build reserves terabytes of shadow address space; its
  // hard_rss_limit_mb, set by the parent, bounds it instead.)
  Limit(RLIMIT_AS, static_cast<rlim_t>(corridor::public_side::kCleanerMemoryBytes));
#endif
  std::ifstream in(argv[1], std::ios::binary);
  std::string bytes;
  bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (bytes.size() > kMaxAttachmentBytes) bytes.resize(kMaxAttachmentBytes + 1);
  auto clean = corridor::public_side::CleanAttachment(bytes);
  if (!clean) return WriteWhole(argv[3], clean.error().message) ? 2 : 1;
  return WriteWhole(argv[2], clean->media_type + "\n" + clean->bytes) ? 0 : 1;
}
