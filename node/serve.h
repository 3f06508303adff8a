// Running a node on the network: `nanse serve` (listen, sync with peers until SIGINT or
// SIGTERM), `nanse sync` (one session with one peer) and `nanse ping` (one handshake). Each
// runs its own io_context on the calling thread; the CLI calls them and prints.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "node/transport.h"  // before any other Asio header: it prepares Asio for coroutines

#include "node/lan_discovery.h"
#include "node/node.h"
#include "node/sync_service.h"
#include "node/tcp_options.h"

namespace nanse {

inline constexpr uint16_t kDefaultPort = 7410;
inline constexpr std::string_view kDefaultListen = "0.0.0.0:7410";

struct ServeOptions {
  std::string listen;  // "host:port"; empty: the home's stored address, else kDefaultListen
  // The address published in this node's record for other nodes to dial. Empty: the address
  // bound, unless it is a wildcard (0.0.0.0, [::]), in which case nothing new is published.
  std::string advertise;
  TcpTransportOptions transport;
  SyncServiceOptions sync;
  bool discovery = true;  // LAN beacons (node/lan_discovery.h); `nanse serve --no-discovery`
  LanDiscoveryOptions lan;
};

struct ServeReport {
  std::string bound;  // the address listened on
  TransportStats stats;
};

// Serves until SIGINT or SIGTERM (or until `stop` is set, polled every 100 ms, for tests),
// then closes every connection and returns the counters. An address given in `options` is
// stored in the home once it has been bound, and the advertised address is published in this
// node's record (a `node` op, only when it changed). Meanwhile a SyncService keeps this node
// in sync with its peers, and (unless options.discovery is off) LanDiscovery finds the nodes
// of this network on the local network; a discovery port that cannot be bound is logged, not
// fatal. `on_listening` runs once the socket is bound; `log` gets one line
// per event.
Result<ServeReport> Serve(Node& node, const ServeOptions& options, Random& random, LogSink log,
                          const std::function<void(const std::string& bound)>& on_listening,
                          const std::function<bool()>& stop = {});

struct SyncReport {
  PublicKey peer{};
  std::string address;
  SyncCounters counters;
  IngestReport last_ingest;
  std::chrono::microseconds elapsed;  // connect, handshake and the session
};

// One sync session with the peer at `address`: connects, exchanges what each side lacks and
// closes once both have caught up. Records the session in the PeerBook. Fails naming what
// went wrong (unreachable, refused, a protocol error, an op the store refused, the deadline).
// `progress`, when given, is called every `progress_every` while the session runs, with what
// has moved so far and the time since the connection was asked for (for long transfers).
using SyncProgress = std::function<void(const SyncCounters&, std::chrono::milliseconds elapsed)>;
Result<SyncReport> SyncOnce(Node& node, const std::string& address, Random& random,
                            std::chrono::milliseconds deadline = std::chrono::minutes(30),
                            const SyncProgress& progress = {},
                            std::chrono::milliseconds progress_every = std::chrono::seconds(2));

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
