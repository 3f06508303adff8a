// Hybrid logical clock (ARCHITECTURE section 3): 48 bits of Unix milliseconds and a 16-bit
// counter in one u64, so timestamps compare as integers.
//
// Pure functions: the caller supplies the wall clock and persists the result. Together they
// guarantee that a node's clock never goes backwards (across restarts too, when persisted)
// and that every local event is ordered after every event the node has observed, whatever
// the wall clock says (a Raspberry Pi without a real-time clock boots in 1970).
#pragma once

#include <compare>
#include <cstdint>

namespace nanse {

class Hlc {
 public:
  static constexpr uint64_t kMaxMillis = (uint64_t{1} << 48) - 1;
  // 9999-12-31T23:59:59.999Z: op headers with a later hlc are refused, so no op can push a
  // node's clock to the end of the range (2^48 ms is the year 10889) and stop it there.
  static constexpr uint64_t kMaxOpMillis = 253'402'300'799'999;

  constexpr Hlc() = default;
  constexpr explicit Hlc(uint64_t packed) : packed_(packed) {}
  static constexpr Hlc FromParts(uint64_t millis, uint16_t counter) {
    return Hlc((millis << 16) | counter);
  }

  constexpr uint64_t packed() const { return packed_; }
  constexpr uint64_t millis() const { return packed_ >> 16; }
  constexpr uint16_t counter() const { return static_cast<uint16_t>(packed_ & 0xffff); }

  friend constexpr auto operator<=>(Hlc, Hlc) = default;

 private:
  uint64_t packed_ = 0;
};

// The timestamp of a new local event: strictly greater than `last`, and equal to the wall
// clock when the wall clock is ahead. A wall clock beyond kMaxOpMillis is clamped to it. Only
// at the very end of the 48-bit range, unreachable from ops (kMaxOpMillis) in less than 10^15
// ticks, does the clock stop and return `last`.
Hlc HlcTick(Hlc last, int64_t wall_millis);

// The clock after observing a remote timestamp: the maximum of both, so the next tick is
// ordered after the remote event.
Hlc HlcObserve(Hlc last, Hlc remote);

}  // namespace nanse
