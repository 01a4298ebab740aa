// Printing a briefing to PDF with Debian's Chromium (briefing/briefing.h):
// an empty temporary folder holding only the document, a network namespace
// of its own, no header or footer, a time limit.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "corridor/briefing/briefing.h"

namespace corridor::briefing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Removes the folder whatever happens.
struct TempDir {
  fs::path path;
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

}  // namespace

Result<std::string> RenderPdf(const std::string& html, const PdfOptions& options) {
  std::string pattern = (fs::temp_directory_path() / "corridor-briefing-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Fail(ErrorCode::kUnavailable, "briefing: cannot create a temporary folder");
  }
  TempDir dir{pattern};
  const fs::path page = dir.path / "briefing.html", pdf = dir.path / "briefing.pdf",
                 log = dir.path / "chromium.log";
  {
    std::ofstream out(page, std::ios::binary);
    out << html;
    if (!out) return Fail(ErrorCode::kUnavailable, "briefing: cannot write " + page.string());
  }
  // unshare -n needs CAP_SYS_ADMIN; without it, a user namespace maps us to
  // root inside (-r) so that the network namespace can be made.
  std::vector<std::string> args = {"unshare",
                                   ::geteuid() == 0 ? "-n" : "-rn",
                                   options.chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--disable-extensions",
                                   "--disable-sync",
                                   "--no-first-run",
                                   "--no-pdf-header-footer",
                                   "--print-to-pdf-no-header",
                                   "--user-data-dir=" + (dir.path / "profile").string(),
                                   "--print-to-pdf=" + pdf.string(),
                                   "file://" + page.string()};
  const pid_t pid = ::fork();
  if (pid < 0) return Fail(ErrorCode::kUnavailable, "briefing: cannot start Chromium (fork)");
  if (pid == 0) {
    ::setpgid(0, 0);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    ::setenv("HOME", dir.path.c_str(), 1);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(options.timeout_seconds);
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return Fail(ErrorCode::kUnavailable, "briefing: Chromium did not finish printing within " +
                                               std::to_string(options.timeout_seconds) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string out = fs::exists(pdf) ? ReadAll(pdf) : std::string();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.rfind("%PDF", 0) != 0) {
    std::string why = ReadAll(log);
    if (why.size() > 600) why = why.substr(why.size() - 600);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return Fail(ErrorCode::kUnavailable,
                "briefing: printing with " + options.chromium +
                    " in its own network namespace "
                    "(unshare) failed" +
                    (code == 127 ? " (unshare or Chromium is not installed)" : "") + ", exit " +
                    std::to_string(code) + (why.empty() ? "" : ": " + why));
  }
  return out;
}

}  // namespace corridor::briefing
