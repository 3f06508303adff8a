// Helpers for transport tests: identities, running a coroutine to completion on an
// io_context, and polling with a generous bound.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <thread>

#include "node/tcp_handshake.h"
#include "node/transport.h"
#include "tests/node/test_home.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace nanse::testing {

inline Hash TestNetworkId(uint8_t n = 7) {
  Hash id{};
  id.fill(n);
  return id;
}

inline NetworkKey TestNetworkKey(uint8_t n = 9) {
  NetworkKey key{};
  key.fill(n);
  return key;
}

inline NoiseStaticKey TestNoiseKey(uint8_t n) {
  std::array<uint8_t, 32> secret{};
  secret.fill(static_cast<uint8_t>(0x40 + n));
  return NoiseStaticKey::FromPrivate(secret).value();
}

// Node `n` of the test network (or of another network key / id).
inline PeerIdentity TestIdentity(uint8_t n, const NetworkKey& key = TestNetworkKey(),
                                 const Hash& network = TestNetworkId()) {
  return PeerIdentity(TestKey(n), TestNoiseKey(n), network, key);
}

// Runs `io` until `task` completes (at most `limit`), and returns its value. Other work on
// `io` (servers, timers) runs meanwhile. Throws when the limit passes.
template <typename T>
T Await(boost::asio::io_context& io, Awaitable<T> task,
        std::chrono::seconds limit = std::chrono::seconds(60)) {
  std::optional<T> out;
  bool done = false;
  std::exception_ptr error;
  boost::asio::co_spawn(
      io, [&]() -> Awaitable<void> { out.emplace(co_await std::move(task)); },
      [&](std::exception_ptr e) {
        error = e;
        done = true;
      });
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < until) {
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(50));
  }
  if (error) std::rethrow_exception(error);
  if (!done) throw std::runtime_error("the task did not complete in time");
  return std::move(*out);
}

inline void Await(boost::asio::io_context& io, Awaitable<void> task,
                  std::chrono::seconds limit = std::chrono::seconds(60)) {
  Await(
      io,
      [](Awaitable<void> t) -> Awaitable<bool> {
        co_await std::move(t);
        co_return true;
      }(std::move(task)),
      limit);
}

// Lets `io` run for `duration` (timers fire, keepalives flow).
inline void RunFor(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until) {
    if (io.stopped()) io.restart();
    io.run_one_until(until);
  }
}

// Polls `condition` (every 5 ms, while running `io` if given) until it holds or `limit`
// passes; returns whether it held.
inline bool Eventually(const std::function<bool()>& condition,
                       boost::asio::io_context* io = nullptr,
                       std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    if (io) {
      RunFor(*io, std::chrono::milliseconds(5));
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  return condition();
}

inline Bytes Pattern(size_t size, uint8_t seed = 1) {
  Bytes b(size);
  for (size_t i = 0; i < size; ++i) b[i] = static_cast<uint8_t>(seed + i * 31 + (i >> 8));
  return b;
}

}  // namespace nanse::testing
