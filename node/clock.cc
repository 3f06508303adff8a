#include "node/clock.h"

#include <sodium.h>

#include <array>
#include <chrono>

#include "crdt/crypto.h"

namespace nanse {

int64_t SystemClock::NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void SystemRandom::Fill(std::span<uint8_t> out) {
  EnsureSodium();
  randombytes_buf(out.data(), out.size());
}

void SeededRandom::Fill(std::span<uint8_t> out) {
  std::array<uint8_t, randombytes_SEEDBYTES> seed{};
  for (int i = 0; i < 8; ++i) {
    seed[i] = static_cast<uint8_t>(seed_ >> (8 * i));
    seed[8 + i] = static_cast<uint8_t>(counter_ >> (8 * i));
  }
  ++counter_;
  randombytes_buf_deterministic(out.data(), out.size(), seed.data());
}

}  // namespace nanse
