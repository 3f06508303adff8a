// The transport seam of the sync layer: authenticated, message-oriented connections between
// nodes, as Boost.Asio C++20 coroutines. Two implementations:
//   node/tcp_transport.h     TCP + Noise XXpsk0 (the real network, ARCHITECTURE.md section 6);
//   node/memory_transport.h  an in-memory twin in one io_context, deterministic, for tests of
//                            the layers above without sockets.
//
// Threads: a Transport and its Connections belong to one executor (an io_context run by one
// thread); call them only from coroutines or handlers running there, except where a function
// says otherwise.
//
//   auto conn = co_await transport.Connect("192.0.2.7:7410");
//   if (!conn.ok()) ...;                        // unreachable, handshake refused, deadline
//   co_await (*conn)->Send(bytes);              // 1..kMaxTransportPayload bytes
//   Result<Bytes> reply = co_await (*conn)->Receive();
#pragma once

// Asio 1.18 enables co_await for clang only with the Coroutines TS (<experimental/coroutine>,
// which libstdc++ lacks); clang 14 does implement C++20's <coroutine>, which is what GCC uses.
// Say so before any Asio header is read (only the fuzz build uses clang). awaitable.hpp of
// Asio 1.18 also uses std::exchange without including <utility>.
#include <utility>
#if defined(__clang__) && defined(__cpp_impl_coroutine) && __has_include(<coroutine>)
#ifndef BOOST_ASIO_HAS_CO_AWAIT
#define BOOST_ASIO_HAS_CO_AWAIT 1
#endif
#ifndef BOOST_ASIO_HAS_STD_COROUTINE
#define BOOST_ASIO_HAS_STD_COROUTINE 1
#endif
#endif
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "crdt/bytes.h"
#include "crdt/status.h"
#include "node/noise.h"

// GCC 12 at -O2 reports a false -Wmismatched-new-delete at the end of every coroutine that
// returns an asio::awaitable (GCC PR 109224: Asio's frame operator new and its sized operator
// delete match). It is reported where each coroutine ends, in the files that include this one,
// so it is switched off for them; only that one warning.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#ifndef BOOST_ASIO_HAS_CO_AWAIT
#error "nanse's transport needs C++20 coroutines in Boost.Asio (BOOST_ASIO_HAS_CO_AWAIT)"
#endif

namespace nanse {

template <typename T>
using Awaitable = boost::asio::awaitable<T>;

// The largest message a Connection carries: one Noise transport message's plaintext.
using noise::kMaxTransportPayload;  // 65519

// One authenticated connection to a peer node. Closing it, or destroying it, ends it for both
// sides: the peer's next Receive fails once it has received what was sent before.
class Connection {
 public:
  virtual ~Connection() = default;

  // The peer's node id (its Ed25519 public key), authenticated by the handshake.
  virtual const PublicKey& peer_id() const = 0;
  // Where the peer is, for logs: "203.0.113.5:7410", "[2001:db8::1]:7410", "memory:a".
  virtual std::string remote_address() const = 0;

  // Sends one message of 1..kMaxTransportPayload bytes (Usage error otherwise; an empty
  // message would be a keepalive, which the transport sends by itself). Completes when the
  // message is handed to the operating system (TCP) or queued for the peer (memory); messages
  // arrive in the order their Sends started. Several Sends may be in flight at once. Fails
  // (Io "connection") once the connection is closed. `message` must stay valid until the
  // Send completes.
  virtual Awaitable<Status> Send(ByteView message) = 0;

  // The peer's next message, in order, exactly once. Once the connection has ended, the
  // messages received before are still delivered, then Receive fails, saying why (Io
  // "connection": closed by the peer, idle timeout, transport stopped; Invalid or Malformed
  // when the peer was dropped for bad input, naming it). After a local Close() it fails at once.
  // REQUIRES: at most one Receive in flight.
  virtual Awaitable<Result<Bytes>> Receive() = 0;

  // For a connection this node opened over a network: the time from sending handshake message
  // 1 to receiving message 2, one round trip to the peer (the peer's compute included). Empty
  // when unknown (inbound connections, the memory transport).
  virtual std::optional<std::chrono::microseconds> round_trip() const { return std::nullopt; }

  // Closes the connection now; pending Sends and Receives fail. Idempotent.
  virtual void Close() = 0;
  virtual bool is_open() const = 0;
};

class Transport {
 public:
  // Runs for each authenticated inbound connection, in a coroutine of its own; it owns the
  // connection and may keep it after it returns (the connection closes when destroyed).
  using Handler = std::function<Awaitable<void>(std::unique_ptr<Connection>)>;

  virtual ~Transport() = default;

  // Connects to `address` ("host:port" for TCP; the name a memory transport listens on) and
  // completes the handshake. Fails when the peer cannot be reached, refuses the handshake,
  // or misses the deadline, and after Stop().
  virtual Awaitable<Result<std::unique_ptr<Connection>>> Connect(std::string address) = 0;

  // Starts accepting connections on `address` and returns the address actually bound (with
  // the port chosen when `address` asks for port 0). Each authenticated connection goes to
  // `handler`. At most one Listen per transport.
  virtual Result<std::string> Listen(const std::string& address, Handler handler) = 0;

  // Stops accepting and closes every connection, inbound and outbound: their Sends and
  // Receives fail, and the transport's coroutines end, so io_context::run() returns once the
  // layers above have ended theirs. Idempotent; Connect and Listen fail afterwards.
  virtual void Stop() = 0;
};

namespace detail {

// A wake-up call for coroutines on one executor, as in Asio's chat example: Wait() suspends
// until the next Notify() (or the signal's destruction). Waiters re-check their condition
// after waking; a Notify with no waiter is lost, which is fine since a waiter checks before it
// waits and nothing runs in between on a single-threaded executor.
class Signal {
 public:
  explicit Signal(const boost::asio::any_io_executor& executor) : timer_(executor) {
    timer_.expires_at(boost::asio::steady_timer::time_point::max());
  }
  Awaitable<void> Wait() {
    boost::system::error_code ignored;
    co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
  }
  void Notify() { timer_.cancel(); }

 private:
  boost::asio::steady_timer timer_;
};

}  // namespace detail
}  // namespace nanse
