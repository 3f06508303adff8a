// Handshake rate limiting per remote address for the TCP listener: a token bucket per key
// (an IPv4 address, or the /64 prefix of an IPv6 one), `burst` tokens that refill evenly over
// `window`. Each accepted connection takes one token before its handshake starts; without one,
// it is closed at once. Pure: time comes in as an argument.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace nanse {

class HandshakeRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `burst` handshakes at once, then burst per `window`. At most `max_tracked` keys are
  // remembered; when that many are all still refilling, new keys are refused (a spray of
  // addresses must not grow memory or CPU without bound). Zero values are raised to 1.
  HandshakeRateLimiter(size_t burst, Clock::duration window, size_t max_tracked = 4096);

  // Takes a token for `key` at `now`; false when its bucket is empty.
  bool Allow(const std::string& key, Clock::time_point now);

  size_t tracked() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point last;
  };
  double Refilled(const Bucket& bucket, Clock::time_point now) const;

  double burst_;
  double per_second_;
  size_t max_tracked_;
  std::unordered_map<std::string, Bucket> buckets_;
};

// The key HandshakeRateLimiter counts `address` under: the address itself for IPv4 (and
// IPv4-mapped IPv6), its first 64 bits for IPv6 ("2001:db8:1:2::/64").
std::string RateLimitKey(const std::string& ip_address);

}  // namespace nanse
