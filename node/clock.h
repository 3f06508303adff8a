// Time and randomness as small interfaces, so tests can be deterministic.
#pragma once

#include <cstdint>
#include <span>

namespace nanse {

// Wall-clock time. Only the HLC reads it; nothing in a merge rule depends on it.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, as the system believes (it may be wrong, even 1970).
  virtual int64_t NowMillis() = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMillis() override;
};

// A clock that tests set by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t millis = 0) : millis_(millis) {}
  int64_t NowMillis() override { return millis_; }
  void Set(int64_t millis) { millis_ = millis; }
  void Advance(int64_t millis) { millis_ += millis; }

 private:
  int64_t millis_;
};

// Cryptographic randomness: keys, network keys, record ids.
class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// libsodium's randombytes (the kernel's CSPRNG).
class SystemRandom final : public Random {
 public:
  void Fill(std::span<uint8_t> out) override;
};

// A deterministic stream from a seed, for tests only: never for real keys.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : seed_(seed) {}
  void Fill(std::span<uint8_t> out) override;

 private:
  uint64_t seed_;
  uint64_t counter_ = 0;
};

}  // namespace nanse
