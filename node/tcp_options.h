// The knobs and counters of the TCP transport (node/tcp_transport.h).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "node/frame.h"

namespace nanse {

// Bytes an established connection lets wait unsent in the kernel (TCP_NOTSENT_LOWAT).
inline constexpr size_t kMaxUnsentBytes = 16 * 1024;

struct TcpTransportOptions {
  // From accepting (or starting to connect) to the end of message 3; past it the socket is
  // closed, whatever state the handshake is in (a slowloris peer is cut here).
  // 30 s: three messages over a 1 s round trip with 10 % loss may need several TCP
  // retransmissions (each 1 s, then 2 s...).
  std::chrono::milliseconds handshake_deadline{30'000};
  // An established connection on which nothing (not a byte, not even a keepalive) arrives for
  // this long is closed; a slow transfer that keeps moving is never cut. Each side sends an empty
  // transport message, a keepalive, every idle_timeout / 3. (Arrives = is read: a connection whose
  // max_inbox messages wait untaken stops reading, so it too is closed once idle_timeout passes
  // that way.)
  std::chrono::milliseconds idle_timeout{120'000};
  // Inbound connections open at once, in handshake or established. One more is closed as soon
  // as it is accepted, before any byte is read or written, and counted (refused_cap).
  size_t max_connections = 64;
  // Handshakes per remote address (IPv4, or IPv6 /64): a burst of rate_limit_burst, refilled
  // over rate_limit_window. A connection beyond it is closed at once and counted
  // (rate_limited).
  size_t rate_limit_burst = 10;
  std::chrono::milliseconds rate_limit_window{10'000};
  // The largest frame body read (a Noise message); a larger length prefix drops the peer.
  size_t max_frame = kMaxFrameMessage;
  // Messages received and not yet taken by Receive, per connection; when full, the transport
  // stops reading that socket (TCP pushes back on the peer).
  size_t max_inbox = 8;
};

// Counters since the transport started. Inbound unless named otherwise.
struct TransportStats {
  uint64_t accepted = 0;       // TCP connections accepted by the listener
  uint64_t refused_cap = 0;    // closed at once: max_connections reached
  uint64_t rate_limited = 0;   // closed at once: too many handshakes from that address
  uint64_t handshakes_ok = 0;  // inbound handshakes completed
  // Inbound handshakes failed, by reason (see HandshakeFailure in node/tcp_handshake.h).
  uint64_t handshake_failed_message1 = 0;  // wrong network key or network, garbage
  uint64_t handshake_failed_identity = 0;  // a hello that does not verify
  uint64_t handshake_failed_protocol = 0;  // bad frame, malformed or tampered message 3
  uint64_t handshake_failed_timeout = 0;   // handshake deadline passed
  uint64_t handshake_failed_closed = 0;    // the peer went away mid-handshake
  uint64_t dropped = 0;        // established connections (both directions) dropped for bad
                               // input: bad frame, decrypt failure, replayed message
  uint64_t idle_timeouts = 0;  // established connections (both directions) closed when idle
  uint64_t connects_ok = 0;    // outbound handshakes completed
  uint64_t connects_failed = 0;
  uint64_t active = 0;  // inbound connections open now (in handshake or established)

  uint64_t handshakes_failed() const {
    return handshake_failed_message1 + handshake_failed_identity + handshake_failed_protocol +
           handshake_failed_timeout + handshake_failed_closed;
  }
};

// Where the transport writes its log lines (one event each, no trailing newline, no secrets).
// Called on the transport's thread. Empty: no log.
using LogSink = std::function<void(const std::string&)>;

}  // namespace nanse
