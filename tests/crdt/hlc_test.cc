// Tests of crdt/hlc: the hybrid logical clock never goes backwards and orders every local
// event after everything observed, whatever the wall clock says.
#include "crdt/hlc.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <ostream>
#include <vector>

namespace nanse {

// Readable failures: "Hlc(1000ms, #3)" instead of raw bytes.
static void PrintTo(const Hlc& hlc, std::ostream* os) {
  *os << "Hlc(" << hlc.millis() << "ms, #" << hlc.counter() << ")";
}

namespace {

constexpr int64_t kNow = 1'700'000'000'000;  // a plausible wall clock, in Unix milliseconds

TEST(Hlc, PacksMillisAboveA16BitCounter) {
  Hlc h = Hlc::FromParts(kNow, 7);
  EXPECT_EQ(h.millis(), static_cast<uint64_t>(kNow));
  EXPECT_EQ(h.counter(), 7);
  EXPECT_EQ(h.packed(), (static_cast<uint64_t>(kNow) << 16) | 7);
  EXPECT_EQ(Hlc(h.packed()), h);
}

TEST(Hlc, OrdersByMillisThenCounter) {
  EXPECT_LT(Hlc::FromParts(5, 0xffff), Hlc::FromParts(6, 0));
  EXPECT_LT(Hlc::FromParts(5, 1), Hlc::FromParts(5, 2));
  EXPECT_EQ(Hlc::FromParts(5, 1), Hlc::FromParts(5, 1));
  EXPECT_LT(Hlc(), Hlc::FromParts(0, 1));
}

TEST(HlcTick, TakesTheWallClockWhenItIsAhead) {
  EXPECT_EQ(HlcTick(Hlc(), kNow), Hlc::FromParts(kNow, 0));
  EXPECT_EQ(HlcTick(Hlc::FromParts(kNow - 1, 40), kNow), Hlc::FromParts(kNow, 0));
}

TEST(HlcTick, StrictlyIncreasesWhileTheWallClockStandsStill) {
  Hlc last = HlcTick(Hlc(), kNow);
  for (int i = 1; i <= 1000; ++i) {
    Hlc next = HlcTick(last, kNow);
    ASSERT_GT(next, last);
    EXPECT_EQ(next, Hlc::FromParts(kNow, static_cast<uint16_t>(i)));
    last = next;
  }
}

TEST(HlcTick, StillIncreasesWhenTheWallClockJumpsBackwards) {
  Hlc last = HlcTick(Hlc(), kNow);
  // NTP steps the clock back an hour, then it creeps forward but stays behind.
  for (int64_t wall : {kNow - 3'600'000, kNow - 3'599'999, kNow - 1, kNow}) {
    Hlc next = HlcTick(last, wall);
    EXPECT_GT(next, last) << "wall " << wall;
    EXPECT_EQ(next.millis(), static_cast<uint64_t>(kNow)) << "wall " << wall;
    last = next;
  }
  // Once the wall clock passes the clock again, it takes over.
  EXPECT_EQ(HlcTick(last, kNow + 1), Hlc::FromParts(kNow + 1, 0));
}

TEST(HlcTick, CounterOverflowRollsToTheNextMillisecond) {
  Hlc full = Hlc::FromParts(kNow, 0xffff);
  EXPECT_EQ(HlcTick(full, kNow), Hlc::FromParts(kNow + 1, 0));
  EXPECT_EQ(HlcTick(full, kNow - 10), Hlc::FromParts(kNow + 1, 0));
  EXPECT_EQ(HlcTick(full, 0), Hlc::FromParts(kNow + 1, 0));
}

TEST(HlcTick, TreatsANegativeWallClockAsZero) {
  EXPECT_EQ(HlcTick(Hlc(), -1), Hlc::FromParts(0, 1));
  EXPECT_EQ(HlcTick(Hlc(), std::numeric_limits<int64_t>::min()), Hlc::FromParts(0, 1));
  EXPECT_EQ(HlcTick(Hlc::FromParts(kNow, 3), -kNow), Hlc::FromParts(kNow, 4));
}

TEST(HlcTick, BootingIn1970StillOrdersAfterThePersistedClock) {
  // A Raspberry Pi without a real-time clock: wall clock near 0 after a restart.
  Hlc persisted = Hlc::FromParts(kNow, 12);
  Hlc next = HlcTick(persisted, 42);
  EXPECT_GT(next, persisted);
  EXPECT_EQ(next, Hlc::FromParts(kNow, 13));
}

TEST(HlcTick, ClampsAWallClockBeyondTheYear9999) {
  EXPECT_EQ(HlcTick(Hlc(), std::numeric_limits<int64_t>::max()),
            Hlc::FromParts(Hlc::kMaxOpMillis, 0));
  EXPECT_EQ(HlcTick(Hlc(), static_cast<int64_t>(Hlc::kMaxMillis) + 1),
            Hlc::FromParts(Hlc::kMaxOpMillis, 0));
  // A clamped tick never bleeds into the counter bits.
  Hlc top = HlcTick(Hlc(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(top.counter(), 0);
  EXPECT_EQ(HlcTick(top, std::numeric_limits<int64_t>::max()),
            Hlc::FromParts(Hlc::kMaxOpMillis, 1));
}

TEST(HlcTick, SaturatesAtTheLastRepresentableTimestamp) {
  // Documented limit (hlc.cc): 2^48 ms is the year 10889; there the clock stops.
  Hlc last = Hlc::FromParts(Hlc::kMaxMillis, 0xffff);
  EXPECT_EQ(HlcTick(last, std::numeric_limits<int64_t>::max()), last);
}

TEST(HlcObserve, KeepsTheLaterOfLocalAndRemote) {
  Hlc local = Hlc::FromParts(kNow, 5);
  Hlc remote = Hlc::FromParts(kNow + 10, 2);
  EXPECT_EQ(HlcObserve(local, remote), remote);
  EXPECT_EQ(HlcObserve(remote, local), remote);
  EXPECT_EQ(HlcObserve(local, local), local);
}

TEST(HlcObserve, ThenTickOrdersAfterTheRemoteEvent) {
  Hlc local = Hlc::FromParts(kNow, 5);
  Hlc remote = Hlc::FromParts(kNow + 60'000, 9);  // a peer whose clock is a minute ahead
  Hlc next = HlcTick(HlcObserve(local, remote), kNow + 1);
  EXPECT_GT(next, remote);
  EXPECT_EQ(next, Hlc::FromParts(kNow + 60'000, 10));
}

TEST(HlcObserve, ThenTickOrdersAfterARemoteWithAFullCounter) {
  Hlc remote = Hlc::FromParts(kNow, 0xffff);
  Hlc next = HlcTick(HlcObserve(Hlc(), remote), kNow);
  EXPECT_GT(next, remote);
  EXPECT_EQ(next, Hlc::FromParts(kNow + 1, 0));
}

TEST(HlcObserve, AnOlderRemoteDoesNotHoldBackTheWallClock) {
  Hlc remote = Hlc::FromParts(kNow - 1000, 3);
  EXPECT_EQ(HlcTick(HlcObserve(Hlc(), remote), kNow), Hlc::FromParts(kNow, 0));
}

// One step of a node's life: a local event at some wall clock, or a remote op observed.
struct ClockEvent {
  bool observe = false;
  int64_t wall = 0;
  Hlc remote;
};

std::ostream& operator<<(std::ostream& os, const ClockEvent& e) {
  if (e.observe)
    return os << "observe(" << e.remote.millis() << "ms #" << e.remote.counter() << ")";
  return os << "tick(wall " << e.wall << ")";
}

rc::Gen<int64_t> GenWallClock() {
  // Mostly near a few fixed points, so ticks collide within a millisecond and go backwards;
  // sometimes anything at all, negative and beyond 48 bits included.
  return rc::gen::oneOf(rc::gen::inRange<int64_t>(-3, 8),
                        rc::gen::inRange<int64_t>(kNow - 5, kNow + 5),
                        rc::gen::arbitrary<int64_t>());
}

rc::Gen<Hlc> GenRemote() {
  // Ops cannot carry an hlc past kMaxOpMillis (headers refuse it), so neither do remotes here.
  auto millis = rc::gen::oneOf(rc::gen::inRange<uint64_t>(0, 8),
                               rc::gen::inRange<uint64_t>(kNow - 5, kNow + 5),
                               rc::gen::inRange<uint64_t>(0, Hlc::kMaxOpMillis + 1));
  auto counter =
      rc::gen::oneOf(rc::gen::inRange<uint32_t>(0, 3), rc::gen::inRange<uint32_t>(0xfffd, 0x10000));
  return rc::gen::map(rc::gen::pair(millis, counter), [](std::pair<uint64_t, uint32_t> p) {
    return Hlc::FromParts(p.first, static_cast<uint16_t>(p.second));
  });
}

rc::Gen<ClockEvent> GenClockEvent() {
  return rc::gen::oneOf(rc::gen::map(GenWallClock(),
                                     [](int64_t wall) {
                                       return ClockEvent{false, wall, Hlc()};
                                     }),
                        rc::gen::map(GenRemote(), [](Hlc remote) {
                          return ClockEvent{true, 0, remote};
                        }));
}

RC_GTEST_PROP(HlcTick, TicksStrictlyIncreaseAndFollowEverythingObserved, ()) {
  const auto events = *rc::gen::container<std::vector<ClockEvent>>(GenClockEvent());
  Hlc clock;
  Hlc last_tick;
  bool ticked = false;
  Hlc max_observed;
  for (const ClockEvent& e : events) {
    if (e.observe) {
      clock = HlcObserve(clock, e.remote);
      max_observed = std::max(max_observed, e.remote);
      RC_ASSERT(clock >= e.remote);
      continue;
    }
    Hlc tick = HlcTick(clock, e.wall);
    if (ticked) RC_ASSERT(tick > last_tick);
    RC_ASSERT(tick > max_observed);
    RC_ASSERT(tick > clock);
    // Never behind the (clamped) wall clock, and equal to it when the wall clock is ahead.
    uint64_t wall = e.wall < 0 ? 0 : std::min(static_cast<uint64_t>(e.wall), Hlc::kMaxOpMillis);
    RC_ASSERT(tick >= Hlc::FromParts(wall, 0));
    if (wall > clock.millis()) RC_ASSERT(tick == Hlc::FromParts(wall, 0));
    clock = last_tick = tick;
    ticked = true;
  }
}

}  // namespace
}  // namespace nanse
