// PeerBook: what this node knows of its peers, kept in its own database file next to the op
// log (nanse.db, tables peer_addresses and peer_nodes; never replicated).
//
//   addresses  the peers configured with `nanse peer add`, and for every address dialled
//              (configured, or published in a node record) the last attempt, success and error
//   nodes      per peer node (inbound or outbound): the address last seen, whether a session
//              is open and caught up, the last success and error, and the ops and bytes that
//              moved each way, summed over all sessions
//
// `nanse serve` and `nanse sync` write it; `nanse status` and `nanse peer list` read it, from
// other processes (SQLite WAL; each call is one short transaction).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/status.h"
#include "node/sqlite.h"

namespace nanse {

struct PeerAddress {
  std::string address;            // "host:port"
  bool configured = false;        // added with `nanse peer add` (else only dialled)
  std::optional<PublicKey> node;  // who answered there last
  int64_t last_attempt_millis = 0;
  int64_t last_success_millis = 0;
  std::string last_error;
  int64_t last_error_millis = 0;
  uint64_t failures = 0;  // consecutive failed attempts
};

struct PeerTraffic {
  uint64_t ops_in = 0;
  uint64_t ops_out = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;

  PeerTraffic operator-(const PeerTraffic& o) const {
    return {ops_in - o.ops_in, ops_out - o.ops_out, bytes_in - o.bytes_in, bytes_out - o.bytes_out};
  }
};

struct PeerNode {
  PublicKey node{};
  std::string address;  // where the last session ran (the peer's ephemeral port when inbound)
  bool outbound = false;
  bool connected = false;   // a session was open when the record was last written
  bool caught_up = false;   // ... and both sides had caught up
  int64_t seen_millis = 0;  // last written (a crashed daemon leaves `connected` stale)
  int64_t last_success_millis = 0;
  std::string last_error;
  int64_t last_error_millis = 0;
  PeerTraffic traffic;
  // The session open now (when connected): since when, and what it moved so far.
  int64_t session_started_millis = 0;
  PeerTraffic session;
  // Its wall clock minus this node's at the last session's Hello (for `nanse doctor`).
  std::optional<int64_t> clock_offset_millis;
};

class PeerBook {
 public:
  static Result<std::unique_ptr<PeerBook>> Open(const std::string& database_path);

  // Configured peers. Add refuses a malformed address; adding one twice is not an error.
  Status Add(const std::string& address, int64_t now_millis);
  // NotFound when the address was never added.
  Status Remove(const std::string& address);
  // Every address known, configured first, then by address.
  Result<std::vector<PeerAddress>> Addresses();
  Result<std::vector<std::string>> ConfiguredAddresses();

  // Dialling an address: each attempt, and how it ended.
  Status RecordAttempt(const std::string& address, int64_t now_millis);
  Status RecordDialSuccess(const std::string& address, const PublicKey& node, int64_t now_millis);
  Status RecordDialFailure(const std::string& address, const std::string& error,
                           int64_t now_millis);

  // A session with `node`: adds `delta` to its totals and sets its state. `error`, when not
  // empty, is recorded as the last error; `caught_up` and a success time as the last success.
  struct SessionUpdate {
    PublicKey node{};
    std::string address;
    bool outbound = false;
    bool connected = false;
    bool caught_up = false;
    PeerTraffic delta;
    std::string error;
    int64_t session_started_millis = 0;
    PeerTraffic session;                         // the session's traffic so far (not a delta)
    std::optional<int64_t> clock_offset_millis;  // from the peer's Hello, once received
  };
  Status RecordSession(const SessionUpdate& update, int64_t now_millis);
  // Marks every node not connected (a daemon starting: sessions of an earlier run are gone).
  Status MarkAllDisconnected();

  Result<std::vector<PeerNode>> Nodes();

 private:
  explicit PeerBook(std::unique_ptr<detail::SqliteDb> db) : db_(std::move(db)) {}
  std::unique_ptr<detail::SqliteDb> db_;
};

}  // namespace nanse
