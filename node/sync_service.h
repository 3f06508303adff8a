// SyncService: the sync side of `nanse serve` (docs/sync.md). On one executor, over one
// Transport, it
// - runs a live SyncLink with every peer connected, inbound or outbound, one per peer node as
//   far as this node decides: of two links between the same two nodes, the connection opened
//   by the node with the lower id is kept (each node closes only connections it opened, so a
//   peer's `nanse sync` beside its daemon is served too);
// - dials the configured peers and the addresses other nodes publish in their node records
//   (at most max_outgoing of the latter), and redials with exponential backoff and jitter;
// - wakes every link when the store gains ops: received on another link, or written by
//   another process to the same home (the CLI), noticed by polling SQLite's data_version;
// - records per-peer state and traffic in the PeerBook for `nanse status`.
#pragma once

#include "node/transport.h"  // first: it prepares Asio for coroutines

#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "node/node.h"
#include "node/peer_book.h"
#include "node/sync_link.h"
#include "node/tcp_options.h"

namespace nanse {

struct SyncServiceOptions {
  size_t max_outgoing = 4;  // dialled addresses learned from the directory (configured: all)
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_max{60'000};
  std::chrono::milliseconds poll_interval{250};        // data_version, for the CLI's writes
  std::chrono::milliseconds discover_interval{5'000};  // re-read configured and published peers
  std::chrono::milliseconds record_interval{2'000};    // peer state written to the PeerBook
  std::chrono::milliseconds discovered_ttl{30'000};    // a LAN peer not heard for this long
  SyncSession::Options session;
};

class SyncService {
 public:
  // `self_addresses`: where this node listens, so that it does not dial itself.
  SyncService(Node& node, PeerBook& book, Transport& transport, Clock& clock, Random& random,
              SyncServiceOptions options, LogSink log, std::set<std::string> self_addresses);
  ~SyncService();
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;

  // Starts dialling, polling and recording on `executor`.
  void Start(const boost::asio::any_io_executor& executor);
  // The Transport::Handler for inbound connections.
  Awaitable<void> Accept(std::unique_ptr<Connection> conn);
  // Ends the loops; call with Transport::Stop (which ends the links).
  void Stop();
  // The store gained ops through this process's own connection (which SQLite's data_version
  // does not report): every link looks for what its peer lacks.
  void NotifyStoreChanged() { WakeAll(nullptr); }
  // A node of this network heard on the local network (node/lan_discovery.h): dialled like a
  // configured peer while its beacons keep coming, by the node with the lower id only (so two
  // nodes that hear each other do not both dial).
  void AddDiscovered(const std::string& address, const PublicKey& node);

  size_t live_links() const { return links_.size(); }

 private:
  struct Link;
  // Runs a link until it ends; true when it caught up (its peer works).
  Awaitable<bool> RunLink(std::unique_ptr<Connection> conn, bool outbound, std::string address);
  Awaitable<void> Dial(std::string address);
  Awaitable<void> Discover();
  Awaitable<void> Poll();
  Awaitable<void> Sleep(std::chrono::milliseconds duration);
  std::chrono::milliseconds Jitter(std::chrono::milliseconds delay);
  bool HasLink(const PublicKey& node) const;
  void WakeAll(const Link* except);
  void Record(Link& link, bool connected, const std::string& error);
  Result<std::vector<std::string>> Targets();

  Node& node_;
  PeerBook& book_;
  Transport& transport_;
  Clock& clock_;
  Random& random_;
  SyncServiceOptions options_;
  LogSink log_;
  std::set<std::string> self_addresses_;
  boost::asio::any_io_executor executor_;
  bool stopping_ = false;
  std::list<Link*> links_;
  struct Discovered {
    PublicKey node{};
    std::chrono::steady_clock::time_point seen;
  };
  std::map<std::string, Discovered> discovered_;  // by address, from LAN beacons
  std::set<std::string> targets_;                 // addresses to dial, as Discover last found them
  std::set<std::string> dialling_;                // addresses with a Dial loop running
  std::set<boost::asio::steady_timer*> sleepers_;
  int64_t data_version_ = -1;
};

}  // namespace nanse
