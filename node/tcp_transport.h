// The real transport: TCP, framed Noise_XXpsk0_25519_ChaChaPoly_BLAKE2b (ARCHITECTURE.md
// section 6, node/frame.h, node/tcp_handshake.h), on Boost.Asio C++20 coroutines.
//
//   TcpTransport transport(io.get_executor(), std::move(identity), random, options, log);
//   auto bound = transport.Listen("0.0.0.0:7410", [](std::unique_ptr<Connection> c)
//                                                     -> Awaitable<void> { ... });
//   auto conn = co_await transport.Connect("peer.example:7410");
//   ...
//   transport.Stop();  // e.g. from a signal_set on SIGINT/SIGTERM; then io.run() returns
//
// Client: connect, write message 1 (empty payload), read message 2 and check the responder's
// hello, write message 3 with ours, then transport messages. Server: one coroutine per
// accepted connection: cap and rate checks at once, then the handshake, then the handler.
//
// Bounded everywhere (TcpTransportOptions): a handshake deadline and an idle timeout, each a
// sibling timer that closes the socket (Asio 1.18 has neither cancel_after nor the awaitable
// || operator); a keepalive every idle_timeout / 3 (an empty transport message, never
// delivered); a cap on inbound connections; a handshake rate per remote address; frames of at
// most max_frame bytes; at most max_inbox undelivered messages per connection.
//
// A peer that sends anything wrong (a bad frame, a handshake message that fails, a hello that
// does not verify, a transport message that does not decrypt, a replayed one) is dropped and
// counted; the others go on. A peer that fails message 1 gets nothing back: the responder
// closes without writing a byte, so a stranger learns nothing (not even the static key).
//
// Threads: as node/transport.h; in addition stats() and Stop() may be called from any thread
// (Stop() runs on the executor: at once when called there, else posted).
#pragma once

#include <memory>
#include <string>

#include "node/tcp_handshake.h"
#include "node/tcp_options.h"
#include "node/transport.h"

namespace nanse {

namespace detail {
struct TcpShared;
}

struct HostPort {
  std::string host;  // a name, an IPv4 address, or an IPv6 address without brackets
  uint16_t port = 0;
};
// "host:port", "1.2.3.4:7410", "[::1]:7410". Fails (Malformed "address") otherwise.
Result<HostPort> ParseHostPort(const std::string& address);

class TcpTransport final : public Transport {
 public:
  // `random` draws ephemeral keys; it must outlive the transport and its coroutines
  // (SystemRandom in production). Options out of range are raised to their minimum (1 ms,
  // 1 connection, 1 handshake, 1 byte, 1 message).
  TcpTransport(boost::asio::any_io_executor executor, PeerIdentity identity, Random& random,
               TcpTransportOptions options = {}, LogSink log = {});
  ~TcpTransport() override;  // Stop()
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;

  // Fails: Malformed "address"; Io "connect <address>" (resolution, connection refused,
  // handshake deadline, the peer closed: e.g. it refused our network key); Invalid /
  // Malformed naming the handshake message or the peer's hello that failed; Usage after
  // Stop(). The initiator is done once it has written message 3: a responder that refuses
  // that message (our hello) closes, and the connection's first Receive fails.
  Awaitable<Result<std::unique_ptr<Connection>>> Connect(std::string address) override;

  // Binds "host:port" (port 0: any free port; the host must be an IP address or a name that
  // resolves) and accepts until Stop(). Fails (Io "listen <address>") when the address cannot
  // be bound, (Usage) when already listening or stopped.
  Result<std::string> Listen(const std::string& address, Handler handler) override;

  void Stop() override;

  TransportStats stats() const;
  const PublicKey& node_id() const;

 private:
  std::shared_ptr<detail::TcpShared> shared_;
};

}  // namespace nanse
