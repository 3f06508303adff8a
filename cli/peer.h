// The peers as `nanse peer list` and `nanse status` show them.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cli/output.h"
#include "node/node.h"
#include "node/peer_book.h"

namespace nanse::cli {

struct PeerRow {
  std::optional<PublicKey> node;  // absent: an address that never answered
  std::string member;             // the organization the node stands for
  std::string address;
  bool configured = false;
  bool connected = false;
  bool caught_up = false;
  int64_t last_success_millis = 0;
  std::string last_error;
  int64_t last_error_millis = 0;
  PeerTraffic traffic;
  PeerTraffic session;         // the open session's traffic so far
  double session_seconds = 0;  // and how long it has run (as last recorded)
};

// Every peer node this node has had a session with, then configured addresses that never
// answered.
Result<std::vector<PeerRow>> GatherPeers(Node& node);
nlohmann::json PeersJson(const std::vector<PeerRow>& rows);
Grid PeersGrid(const std::vector<PeerRow>& rows);

}  // namespace nanse::cli
