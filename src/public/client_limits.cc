// Counting anonymous clients under an expiring salt (public_side/client_limits.h).
#include "corridor/public_side/client_limits.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>

namespace corridor::public_side {

std::string ClientPrefix(std::string_view address) {
  std::string a(address);
  in6_addr v6{};
  if (inet_pton(AF_INET6, a.c_str(), &v6) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6.s6_addr, kMapped, sizeof kMapped) == 0) {
      char text[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, v6.s6_addr + 12, text, sizeof text);
      return text;
    }
    std::fill(v6.s6_addr + 8, v6.s6_addr + 16, 0);
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &v6, text, sizeof text);
    return std::string(text) + "/64";
  }
  return a;
}

ClientLimiter::ClientLimiter(std::chrono::seconds window, std::size_t max_clients, Clock clock)
    : window_(window),
      max_clients_(max_clients),
      clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {
  std::lock_guard lock(mu_);
  window_start_ = clock_();
  randombytes_buf(salt_.data(), salt_.size());
}

void ClientLimiter::RotateIfDue(std::chrono::steady_clock::time_point now) {
  if (now - window_start_ < window_) return;
  counts_.clear();
  randombytes_buf(salt_.data(), salt_.size());
  window_start_ = now;
}

ClientLimiter::Verdict ClientLimiter::Take(std::string_view kind, std::string_view address,
                                           int per_window) {
  const std::string client = ClientPrefix(address);
  std::lock_guard lock(mu_);
  const auto now = clock_();
  RotateIfDue(now);
  std::string input(kind);
  input += '\0';
  input += client;
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), salt_.data(), salt_.size());
  std::string key(reinterpret_cast<const char*>(hash.data()), hash.size());
  std::int64_t allowance = per_window;
  if (!counts_.contains(key) && counts_.size() >= max_clients_) {
    key = std::string(kind) + std::string("\0*", 2);  // the window's overflow bucket
    allowance = std::int64_t{per_window} * 10;
  }
  int& count = counts_[key];
  if (count >= allowance) {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(window_ - (now - window_start_)).count();
    return {false, std::max<std::int64_t>(1, left)};
  }
  ++count;
  return {true, 0};
}

std::size_t ClientLimiter::tracked() const {
  std::lock_guard lock(mu_);
  return counts_.size();
}

}  // namespace corridor::public_side
