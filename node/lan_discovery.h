// LanDiscovery: finds nodes of this network on the local network with no peer configured
// (docs/sync.md, "Discovery"). Every `interval` (with jitter) it broadcasts a beacon
// (node/beacon.h) to the broadcast address of each IPv4 interface that has one, and it listens
// on the discovery port for the beacons of others. A beacon that opens with this network's key
// and names another node reports "node N listens at <sender's IP>:<port>" to `found`; anything
// else is counted and dropped. Beacons carry no secret: at worst a forged or replayed one makes
// the node dial an address where the Noise handshake then fails.
#pragma once

#include "node/transport.h"  // first: it prepares Asio for coroutines

#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <functional>
#include <string>

#include "node/beacon.h"
#include "node/tcp_options.h"

namespace nanse {

inline constexpr uint16_t kDiscoveryPort = 7411;

struct LanDiscoveryOptions {
  uint16_t port = kDiscoveryPort;  // UDP, to send to and listen on
  std::chrono::milliseconds interval{5'000};
};

struct LanDiscoveryStats {
  uint64_t sent = 0;     // beacons sent (one per interface per round)
  uint64_t found = 0;    // beacons of this network from another node
  uint64_t foreign = 0;  // datagrams that did not open (another network, noise, forgeries)
};

class LanDiscovery {
 public:
  // Called for every beacon of another node of this network: "host:port" and its node id.
  using Found = std::function<void(const std::string& address, const PublicKey& node)>;

  // `listen` is the address the node's TCP listener is bound to: its port goes in the beacons,
  // and a specific host limits beacons to the interface holding it.
  LanDiscovery(boost::asio::any_io_executor executor, const NetworkKey& network_key,
               const PublicKey& self, const std::string& listen, Random& random, Clock& clock,
               LanDiscoveryOptions options, LogSink log, Found found);
  ~LanDiscovery();

  // Binds the discovery port (shared with other nodes on this host) and starts beaconing and
  // listening. Fails (Io) when the port cannot be bound, and (NotFound) when no interface can
  // carry beacons (a node listening on 127.0.0.1), doing nothing then.
  Status Start();
  // Ends both loops. Idempotent.
  void Stop();
  const LanDiscoveryStats& stats() const { return stats_; }

 private:
  Awaitable<void> Beacons();
  Awaitable<void> Listen();

  boost::asio::any_io_executor executor_;
  NetworkKey network_key_;
  PublicKey self_;
  std::string listen_ip_;  // empty: every interface
  uint16_t listen_port_ = 0;
  Random& random_;
  Clock& clock_;
  LanDiscoveryOptions options_;
  LogSink log_;
  Found found_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
  LanDiscoveryStats stats_;
};

// The broadcast address of every IPv4 interface that is up and has one (not loopback); only of
// the interface that holds `local_ip` when it is given (a node listening on one address is
// reachable only there, and one listening on 127.0.0.1 is not on the LAN at all).
std::vector<std::string> BroadcastAddresses(const std::string& local_ip = "");

}  // namespace nanse
