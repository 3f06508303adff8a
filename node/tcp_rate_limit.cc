#include "node/tcp_rate_limit.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace nanse {

HandshakeRateLimiter::HandshakeRateLimiter(size_t burst, Clock::duration window, size_t max_tracked)
    : burst_(static_cast<double>(std::max<size_t>(burst, 1))),
      per_second_(burst_ / std::max(std::chrono::duration<double>(window).count(), 1e-3)),
      max_tracked_(std::max<size_t>(max_tracked, 1)) {}

double HandshakeRateLimiter::Refilled(const Bucket& bucket, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - bucket.last).count();
  return std::min(burst_, bucket.tokens + std::max(elapsed, 0.0) * per_second_);
}

bool HandshakeRateLimiter::Allow(const std::string& key, Clock::time_point now) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_tracked_) {
      // Forget the keys whose buckets are full again: they are as good as new.
      std::erase_if(buckets_,
                    [&](const auto& entry) { return Refilled(entry.second, now) >= burst_; });
      if (buckets_.size() >= max_tracked_) return false;
    }
    it = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now);
  bucket.last = now;
  if (bucket.tokens < 1.0) return false;
  bucket.tokens -= 1.0;
  return true;
}

std::string RateLimitKey(const std::string& ip_address) {
  std::array<uint8_t, 16> v6{};
  if (::inet_pton(AF_INET6, ip_address.c_str(), v6.data()) != 1) return ip_address;  // IPv4
  static constexpr std::array<uint8_t, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), v6.begin())) {
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, v6.data() + 12, text, sizeof text);
    return text;
  }
  std::fill(v6.begin() + 8, v6.end(), 0);
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, v6.data(), text, sizeof text);
  return std::string(text) + "/64";
}

}  // namespace nanse
