// Counting anonymous clients under an expiring salt (public_side/client_limits.h).
#include "corridor/public_side/client_limits.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace corridor::public_side {

ClientKeys ClientKeysOf(std::string_view address) {
  std::string a(address.substr(0, address.find('%')));  // an IPv6 zone id is not the client
  in6_addr v6{};
  in_addr v4{};
  if (inet_pton(AF_INET6, a.c_str(), &v6) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(v6.s6_addr, kMapped, sizeof kMapped) == 0) {
      char text[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, v6.s6_addr + 12, text, sizeof text);
      return ClientKeysOf(text);
    }
    const auto prefix = [&](int bytes) {
      in6_addr p = v6;
      std::fill(p.s6_addr + bytes, p.s6_addr + 16, 0);
      char text[INET6_ADDRSTRLEN] = {};
      inet_ntop(AF_INET6, &p, text, sizeof text);
      return std::string(text) + "/" + std::to_string(bytes * 8);
    };
    return {prefix(8), prefix(6), true};
  }
  if (inet_pton(AF_INET, a.c_str(), &v4) == 1) {
    unsigned char bytes[4];
    std::memcpy(bytes, &v4, 4);
    return {a, std::to_string(bytes[0]) + "." + std::to_string(bytes[1]) + ".0.0/16", false};
  }
  return {a, "other", false};
}

std::string ClientPrefix(std::string_view address) { return ClientKeysOf(address).client; }

ClientLimiter::ClientLimiter(std::chrono::seconds window, std::size_t max_clients, Clock clock)
    : window_(window),
      max_clients_(max_clients),
      clock_(clock ? std::move(clock) : [] { return std::chrono::steady_clock::now(); }) {
  [[maybe_unused]] const int ready = sodium_init();  // (idempotent; the salt needs it)
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

std::string ClientLimiter::Key(std::string_view kind, std::string_view who) const {
  std::string input(kind);
  input += '\0';
  input += who;
  std::array<unsigned char, 16> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), salt_.data(), salt_.size());
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

ClientLimiter::Verdict ClientLimiter::Take(std::string_view kind, std::string_view address,
                                           int per_window) {
  const ClientKeys who = ClientKeysOf(address);
  std::lock_guard lock(mu_);
  const auto now = clock_();
  RotateIfDue(now);
  const auto refused = [&] {
    const auto left =
        std::chrono::duration_cast<std::chrono::seconds>(window_ - (now - window_start_)).count();
    return Verdict{false, std::max<std::int64_t>(1, left)};
  };
  // The client's own count, then (IPv6) its /48's, which one site or tunnel
  // broker holds whole: sixteen allowances for all its /64s together. Past
  // the table's bound a newcomer counts in its wider network's overflow
  // bucket (ten allowances), so one network's flood cannot use up every
  // newcomer's allowance.
  std::vector<std::pair<std::string, std::int64_t>> charges;
  std::string own = Key(kind, who.client);
  if (counts_.contains(own) || counts_.size() < max_clients_) {
    charges.emplace_back(std::move(own), per_window);
  } else {
    charges.emplace_back(Key(kind, "overflow " + who.network), std::int64_t{per_window} * 10);
  }
  if (who.charge_network) {
    charges.emplace_back(Key(kind, "network " + who.network), std::int64_t{per_window} * 16);
  }
  for (const auto& [key, allowance] : charges) {
    auto it = counts_.find(key);
    if (it != counts_.end() && it->second >= allowance) return refused();
  }
  for (const auto& [key, allowance] : charges) ++counts_[key];
  return {true, 0};
}

std::size_t ClientLimiter::tracked() const {
  std::lock_guard lock(mu_);
  return counts_.size();
}

}  // namespace corridor::public_side
