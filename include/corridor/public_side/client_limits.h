// How much one client may do on the public side's anonymous routes, without
// remembering who the client is (WAVE2 "Anonymity": rate limits are keyed by
// a salted hash that expires; docs/public.md "Limits on anonymous routes").
//
// A client is known only as a keyed BLAKE2b hash of its address under a salt
// drawn at random for one window. When the window ends the salt and every
// count are dropped together: no address is ever written, and the hashes are
// pseudonyms for that hour only (while it runs, the salt is in memory). An
// IPv6 client is its /64 (one household's or phone's prefix, which it can
// rotate addresses within), and each /48 (a site or a tunnel broker's
// customer, who holds 65,536 /64s) has sixteen allowances for all its /64s
// together. The table is bounded: past `max_clients` a newcomer counts in its
// wider network's overflow bucket (IPv4 /16, IPv6 /48) with ten allowances.
//
// Fixed windows: a client may do up to twice its allowance across a window's
// end, never more. Thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace corridor::public_side {

// What a client address is counted under: `client`, an IPv4 address as it
// is (an IPv4-mapped IPv6 address as its IPv4) or an IPv6 address's /64
// (zone id dropped); `network`, its IPv4 /16 or IPv6 /48, whose count is
// charged too when `charge_network` (IPv6).
struct ClientKeys {
  std::string client, network;
  bool charge_network = false;
};
ClientKeys ClientKeysOf(std::string_view address);
std::string ClientPrefix(std::string_view address);  // ClientKeysOf(address).client

// The allowances per client and hour (`corridor public serve
// --filings-per-hour N --follows-per-hour N --comments-per-hour N`).
struct ClientLimits {
  int filings_per_hour = 10;      // POST /public/api/v1/grievances (JSON or the portal's form)
  int follows_per_hour = 60;      // every route that checks a receipt's passphrase (or a code)
  int comments_per_hour = 20;     // comments on proposals, with a code or without
  int attachments_per_hour = 10;  // files attached to grievances (the API or the portal's form)
  int sign_ins_per_hour = 10;     // staff sign-in attempts on the portal, right or wrong
  // The address of the TLS proxy in front (`--trusted-proxy`): from that peer
  // only, the client is the last X-Forwarded-For entry (which the proxy must
  // set, not append to what the client sent: docs/operations.md). Empty: the
  // header is never read, and the peer is the client.
  std::string trusted_proxy;
};

class ClientLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  explicit ClientLimiter(std::chrono::seconds window = std::chrono::hours(1),
                         std::size_t max_clients = 200'000, Clock clock = {});

  struct Verdict {
    bool allowed = true;
    std::int64_t retry_after_s = 0;  // when refused: seconds left in the window
  };
  // Counts one `kind` ("file", "follow") for the client at `address` and says
  // whether it is within `per_window`.
  Verdict Take(std::string_view kind, std::string_view address, int per_window);

  std::size_t tracked() const;  // keys held now (for tests)

 private:
  void RotateIfDue(std::chrono::steady_clock::time_point now);         // holds mu_
  std::string Key(std::string_view kind, std::string_view who) const;  // holds mu_
  const std::chrono::seconds window_;
  const std::size_t max_clients_;
  const Clock clock_;
  mutable std::mutex mu_;
  std::array<unsigned char, 32> salt_{};
  std::chrono::steady_clock::time_point window_start_;
  std::map<std::string, int> counts_;  // hash(kind, client) -> count
};

}  // namespace corridor::public_side
