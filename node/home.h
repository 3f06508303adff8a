// The home directory of a node: its secret files and its database.
//
//   <home>/node.key   the node's Ed25519 seed (mode 0600), "nanse-node-key-v1 <base64url>"
//   <home>/network    the network's id, name and key (mode 0600); present = home complete
//   <home>/nanse.db   the SQLite store (op log, heads, materialized tables)
//   <home>/listen     the address `nanse serve` listens on, once given with --listen
//   <home>/noise.key  the node's Noise static key (X25519 private key, mode 0600),
//                     "nanse-noise-key-v1 <base64url>"; made on first use, so older homes
//                     without one keep working
//
// Secret files are written atomically (temporary file, fsync, rename), so a crash leaves
// either the old file or the new one.
#pragma once

#include <optional>
#include <string>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/status.h"
#include "node/clock.h"
#include "node/noise_crypto.h"

namespace nanse {

struct NetworkInfo {
  Hash id{};
  std::string name;
  NetworkKey key{};
};

class HomeDir {
 public:
  explicit HomeDir(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string KeyPath() const { return path_ + "/node.key"; }
  std::string NetworkPath() const { return path_ + "/network"; }
  std::string DatabasePath() const { return path_ + "/nanse.db"; }
  std::string NoiseKeyPath() const { return path_ + "/noise.key"; }
  std::string ListenPath() const { return path_ + "/listen"; }

  // Creates the directory (mode 0700, parents as needed). Refuses a directory that already
  // holds a node (a key, a network file or a database), so nothing is ever overwritten.
  Status Create() const;
  // The refusal of Create alone, without creating anything.
  Status CheckNew() const;
  // Fails with a message that says how to make a home when this one is missing or incomplete.
  Status CheckComplete() const;

  Status WriteKey(const Seed& seed) const;
  Result<SigningKey> ReadKey() const;
  Status WriteNetwork(const NetworkInfo& info) const;
  Result<NetworkInfo> ReadNetwork() const;

  // The node's Noise static key (X25519; separate from its Ed25519 identity): read from
  // noise.key, or, when there is none yet, 32 bytes from `random` written there first (mode
  // 0600, created exclusively: when two processes race, both end up with the one on disk).
  // Fails (Malformed) on a damaged file, (Io) when the home cannot be written.
  Result<noise::DhKeyPair> ReadOrCreateNoiseKey(Random& random) const;
  // The same without creating it: NotFound when the home has none yet.
  Result<noise::DhKeyPair> ReadNoiseKey() const;

  // The address `nanse serve` listens on, as last given with --listen ("host:port" on one
  // line in `listen`); empty when never given.
  Result<std::optional<std::string>> ReadListenAddress() const;
  Status WriteListenAddress(const std::string& address) const;

 private:
  std::string path_;
};

// Writes `content` to `path` atomically with the given mode.
Status WriteFileAtomically(const std::string& path, ByteView content, int mode);
Result<Bytes> ReadWholeFile(const std::string& path, size_t max_size);

}  // namespace nanse
