#include "crdt/hlc.h"

#include <algorithm>

namespace nanse {

Hlc HlcTick(Hlc last, int64_t wall_millis) {
  uint64_t wall = wall_millis < 0 ? 0 : static_cast<uint64_t>(wall_millis);
  wall = std::min(wall, Hlc::kMaxOpMillis);
  if (wall > last.millis()) return Hlc::FromParts(wall, 0);
  if (last.counter() < 0xffff) return Hlc(last.packed() + 1);
  // Counter exhausted within one millisecond: borrow the next millisecond. At the very top of
  // the range the clock saturates; 2^48 ms is the year 10889.
  if (last.millis() >= Hlc::kMaxMillis) return last;
  return Hlc::FromParts(last.millis() + 1, 0);
}

Hlc HlcObserve(Hlc last, Hlc remote) { return std::max(last, remote); }

}  // namespace nanse
