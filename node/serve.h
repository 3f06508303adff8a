// Running a node on the network: `nanse serve` (listen, accept peers, until SIGINT or
// SIGTERM) and `nanse ping` (one handshake with a peer). Both run their own io_context on the
// calling thread; the CLI calls them and prints.
//
// Until the sync protocol (issue 6) exists, an accepted connection is kept open (keepalives
// flow) and whatever it sends is logged and dropped.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "node/node.h"
#include "node/tcp_options.h"
#include "node/transport.h"  // before any other Asio header: it prepares Asio for coroutines

namespace nanse {

inline constexpr uint16_t kDefaultPort = 7410;
inline constexpr std::string_view kDefaultListen = "0.0.0.0:7410";

struct ServeOptions {
  std::string listen;  // "host:port"; empty: the home's stored address, else kDefaultListen
  TcpTransportOptions transport;
};

struct ServeReport {
  std::string bound;  // the address listened on
  TransportStats stats;
};

// Serves until SIGINT or SIGTERM (or until `stop` is set, polled every 100 ms, for tests),
// then closes every connection and returns the counters. An address given in `options` is
// stored in the home (see Node::SetListenAddress) once it has been bound. `on_listening` runs
// once the socket is bound; `log` gets one line per event.
Result<ServeReport> Serve(Node& node, const ServeOptions& options, Random& random, LogSink log,
                          const std::function<void(const std::string& bound)>& on_listening,
                          const std::function<bool()>& stop = {});

struct PingReport {
  PublicKey peer{};                      // the node id the peer proved
  std::string address;                   // as asked
  std::chrono::microseconds round_trip;  // handshake message 1 sent to message 2 received
  std::chrono::microseconds elapsed;     // TCP connect and the three handshake messages
};

// Connects to `address`, completes the handshake (which proves the peer holds the network key
// and its node key), and closes. Fails naming what went wrong (unreachable, refused: another
// network, or a deadline).
Result<PingReport> Ping(Node& node, const std::string& address, Random& random,
                        std::chrono::milliseconds deadline = std::chrono::milliseconds(10'000));

}  // namespace nanse
