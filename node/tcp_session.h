// Internal to the TCP transport (node/tcp_transport.h): the state the transport shares with
// its sessions, and one session: a socket, its frame decoder, its deadline watchdog, and once
// the handshake is done, its Noise session, reader, writer queue and keepalive.
//
// Everything runs on the transport's executor (one thread). A session is owned through
// shared_ptr by its coroutines and by the Connection handle; the transport keeps weak
// references to close them all on Stop().
#pragma once

// First: it sets Asio up for C++20 coroutines (see there).
#include "node/transport.h"

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "node/frame.h"
#include "node/tcp_handshake.h"
#include "node/tcp_options.h"
#include "node/tcp_rate_limit.h"

namespace nanse::detail {

using tcp = boost::asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

class TcpSession;

// TransportStats, safe to read from any thread.
struct AtomicStats {
  std::atomic<uint64_t> accepted{0}, refused_cap{0}, rate_limited{0}, handshakes_ok{0},
      handshake_failed_message1{0}, handshake_failed_identity{0}, handshake_failed_protocol{0},
      handshake_failed_timeout{0}, handshake_failed_closed{0}, dropped{0}, idle_timeouts{0},
      connects_ok{0}, connects_failed{0}, active{0};
  TransportStats Snapshot() const;
  void CountHandshakeFailure(HandshakeFailure kind);
};

struct TcpShared {
  TcpShared(boost::asio::any_io_executor executor_in, PeerIdentity identity_in, Random& random_in,
            TcpTransportOptions options_in, LogSink log_in);

  void Log(const std::string& line) const {
    if (log) log(line);
  }
  // Closes the acceptor and every session. Idempotent.
  void StopNow();

  boost::asio::any_io_executor executor;
  PeerIdentity identity;
  Random& random;
  TcpTransportOptions options;
  LogSink log;
  AtomicStats stats;
  HandshakeRateLimiter limiter;
  std::optional<tcp::acceptor> acceptor;
  Transport::Handler handler;
  bool stopped = false;
  uint64_t next_session_id = 1;
  std::map<uint64_t, std::weak_ptr<TcpSession>> sessions;
};

class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(std::shared_ptr<TcpShared> shared, tcp::socket socket, bool inbound);
  ~TcpSession();
  TcpSession(const TcpSession&) = delete;
  TcpSession& operator=(const TcpSession&) = delete;

  tcp::socket& socket() { return socket_; }
  tcp::resolver& resolver() { return resolver_; }
  const std::string& remote_address() const { return remote_address_; }
  void set_remote_address(std::string address) { remote_address_ = std::move(address); }
  const PublicKey& peer_id() const { return peer_id_; }
  bool is_open() const { return open_; }
  bool timed_out() const { return timed_out_; }

  // Registers with the transport (so Stop() closes it) and starts the watchdog, which closes
  // the socket at `handshake_deadline` unless Establish() came first.
  void Begin(SteadyClock::time_point handshake_deadline);

  // Handshake phase: one whole message out of the next frame (Malformed "frame.length" on a
  // bad frame, Io when the connection ends), and one message framed and written.
  Awaitable<Result<Bytes>> ReadMessage();
  Awaitable<Status> WriteMessage(Bytes message);

  // The handshake is done: starts the reader and the keepalive; the watchdog now watches for
  // idleness.
  void Establish(EstablishedPeer peer);

  // Connection's calls, see node/transport.h.
  Awaitable<Status> Send(ByteView plaintext);
  Awaitable<Result<Bytes>> Receive();

  // Ends the session: closes the socket, wakes every waiter. `reason` is what Receive reports
  // once the inbox is empty. Idempotent: the first reason stays.
  void Close(Status reason);
  // Close() by this side (the Connection's Close, or Stop()): Receive fails at once.
  void CloseLocally(Status reason);

 private:
  Awaitable<void> Watchdog();
  Awaitable<void> Reader();
  Awaitable<void> Keepalive();
  Awaitable<Status> SendSealed(ByteView plaintext);
  // Drops the peer for bad input: counted, logged, closed.
  void Drop(const Status& why);

  std::shared_ptr<TcpShared> shared_;
  tcp::socket socket_;
  tcp::resolver resolver_;
  bool inbound_;
  uint64_t id_ = 0;
  std::string remote_address_ = "?";

  bool open_ = true;
  bool closed_locally_ = false;
  bool timed_out_ = false;
  Status reason_;

  // The deadline the watchdog enforces: the handshake's, then last arrival + idle_timeout.
  SteadyClock::time_point deadline_{};
  boost::asio::steady_timer watchdog_;
  boost::asio::steady_timer keepalive_;

  // Reading: bytes read but not yet decoded are kept between calls.
  FrameDecoder decoder_;
  Bytes read_buffer_;
  size_t read_pos_ = 0;
  size_t read_end_ = 0;

  // Writing: frames queue in the order they were sealed; one coroutine at a time writes.
  std::deque<Bytes> outbox_;
  uint64_t queued_ = 0;
  uint64_t written_ = 0;
  bool writing_ = false;
  Signal write_done_;

  // Established.
  bool established_ = false;
  std::optional<NoiseSession> noise_;
  PublicKey peer_id_{};
  std::deque<Bytes> inbox_;
  Signal arrived_;
  Signal taken_;
};

// "203.0.113.5:7410", "[2001:db8::1]:7410".
std::string FormatEndpoint(const tcp::endpoint& endpoint);

}  // namespace nanse::detail
